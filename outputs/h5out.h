/*
 * h5out.h - the HDF5 result file: writing it, and reading its summaries.
 *
 * Layout (all numbers float64, row-major; `T` trials, `Y` years, `H` hours):
 *   /                          attributes: tool, version, scenario_name,
 *                              scenario_yaml, seed, trials, years, hours_per_year,
 *                              threads, ranks, wall_time_s, scenarios, metrics,
 *                              drivers, stats
 *   /<scenario>/<metric>       [T x Y] per trial and year; attrs units, description
 *   /<scenario>/lolp_hourly    [Y x H] loss-of-load probability by hour
 *   /<scenario>/summary/<metric> [n_stats] statistics of each trial's average
 *                              over the horizon; attr stats = names, comma-separated
 *   /delta/<scenario>/...      paired differences scenario - baseline, same shapes
 *                              (for every scenario after the first)
 *   /drivers/<name>            [T x Y] annual means of the sampled drivers
 * Datasets are chunked by trial blocks and deflate-compressed with shuffle.
 *
 * The file is written to "<path>.tmp.<pid>" (outpath_tmp) and renamed over
 * path only when complete, so a failed run never leaves a partial or corrupt
 * file at path. A failed write (disk full, file too large, I/O error)
 * returns GR_ERUNTIME naming the system's cause, removes the temporary and
 * leaves HDF5 in a state in which the process can exit normally.
 *
 * Memory: besides the results, the writer holds one metric's paired
 * difference [T x Y] at a time, the per-trial averages [T], a sort scratch
 * [max(T, Y x H)] and two LOLP profiles [Y x H] (results_estimate counts
 * these).
 *
 * Test hook: GRIDRISK_TEST_PAUSE_IN_WRITE=<seconds> in the environment makes
 * h5out_write sleep that long once the temporary exists, so tests can signal
 * a process in its write phase. Nothing else reads it; never set it in use.
 */
#ifndef GR_H5OUT_H
#define GR_H5OUT_H

#include "../model/err.h"
#include "../model/results.h"

#include <stdint.h>
#include <stdio.h>

typedef struct {
    const char *scenario_name;
    const char *scenario_yaml;
    const char *version;
    /* Test hook: fail as if the n-th dataset write failed (0: never). */
    int fail_at_dataset;
} h5out_meta_t;

/* Writes r to path. Results holding a NaN or an infinity are refused
 * (GR_ERUNTIME, naming the metric, scenario, trial and year where the first
 * one is) and nothing is written. */
int h5out_write(const char *path, const results_t *r, const h5out_meta_t *meta, gr_err_t *err);

/* The group holding scenario's paired differences against the baseline:
 * "delta" when the run has two scenarios, "delta/<scenario>" otherwise. */
void h5out_delta_group(char *buf, size_t n, size_t n_scen, const char *scenario);

/* Reads a string attribute (NULL if absent; free() the result). */
char *h5out_attr_str(int64_t loc, const char *name); /* loc: an HDF5 hid_t */
/* Reads an unsigned integer attribute; 0 if absent. */
unsigned long long h5out_attr_u64(int64_t loc, const char *name);

/* Prints the summary tables of a result file. */
int h5out_print_summary(const char *path, FILE *f, gr_err_t *err);

#endif
