/*
 * h5out.h - the HDF5 result file: its layout and writing it (reading it,
 * untrusted, is h5read's and report's job).
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
 * The file is written to "<path>.tmp.<pid>" and renamed over path only when
 * complete, so a failed run never leaves a partial or corrupt file at path.
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

int h5out_write(const char *path, const results_t *r, const h5out_meta_t *meta, gr_err_t *err);

/* The group holding scenario's paired differences against the baseline:
 * "delta" when the run has two scenarios, "delta/<scenario>" otherwise. */
void h5out_delta_group(char *buf, size_t n, size_t n_scen, const char *scenario);

#endif
