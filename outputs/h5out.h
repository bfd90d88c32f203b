/*
 * h5out.h - writing the HDF5 result file (layout: docs/LAYOUT.md, format
 * version 2).
 *
 * In short (S scenarios, T trials, Y years, H hours per year):
 *   /                 metrics (scenario, trial, year) with coordinates
 *                     scenario, trial, year; run attributes
 *   /parameters       sampled drivers (trial, year)       (economic runs)
 *   /profiles         lolp (scenario, year, hour), month and hour_of_day
 *   /by_technology    (scenario, trial, year, technology)  (economic runs)
 *   /by_month         (scenario, trial, year, month): the accounts' flows
 *                     by month                            (economic runs)
 *   /by_region        (scenario, trial, year, region)      (network runs)
 *   /by_step          lolp, eue_mwh and their standard errors
 *                     (scenario, step, area)                (network runs,
 *                     instead of /profiles)
 *   /summary          every metric and its paired difference m_delta as
 *                     (scenario, stat)
 *   sweep_variant, sweep_mw, sweep_tariff_pkr_per_kwh (scenario), in / and
 *                     /summary: a sweep's points (runs with a sweep)
 * Every axis has an HDF5 dimension scale, so xarray, netCDF tools and R see
 * named dimensions and coordinates; every group reads as one tidy table.
 *
 * The file is written to "<path>.tmp.<pid>" (outpath_tmp) and renamed over
 * path only when complete, so a failed run never leaves a partial or corrupt
 * file at path. A failed write (disk full, file too large, I/O error)
 * returns GR_ERUNTIME naming the system's cause, removes the temporary and
 * leaves HDF5 in a state in which the process can exit normally.
 *
 * A file is written in three steps: h5out_open creates the temporary and
 * every per-trial dataset, h5out_block writes trials [from, to) (the blocks
 * in order: all of them at once for a run kept whole, a block at a time as a
 * streamed run finishes them, sim_sink_t), h5out_finish writes what needs
 * every trial (profiles, summary, sensitivity, the run's attributes) and
 * renames the file into place; h5out_abort removes it instead.
 *
 * The summary and the sensitivity are computed from each trial's horizon
 * averages, which h5out_block keeps as columns in an unlinked scratch file
 * beside the output (h5out_cols_read): a column for each metric of each
 * scenario, each paired difference and each driver, in pages of STATS_RUN
 * trials without their +0.0 values, each in a slot of 8.5 bytes a trial of
 * which only the coded bytes are written (on disk, not in memory: less
 * than 8 bytes a trial a column where a file system keeps the rest a hole
 * and values are +0.0). Their quantiles are exact order statistics (kernels/stats.h).
 *
 * Memory: besides the rows the results hold, the writer holds buffers for
 * runs of trials whose size does not depend on T (the summary's and the
 * columns', STATS_RUN doubles each; a column's page coded, STATS_RUN +
 * STATS_RUN / 64 words; the trial axis's, H5OUT_TRIAL_RUN int32),
 * HDF5's cache of the chunks a block writes into (S + 1/2 chunks of at most
 * 64 kB a dataset, CHUNK_BYTES), one scenario's LOLP profile [Y x H], the
 * summary [S x stats] and the other coordinates (results_estimate counts
 * these).
 * Metric blocks go from the results to the file with no copy.
 *
 * Test hook: GRIDRISK_TEST_PAUSE_IN_WRITE=<seconds> in the environment makes
 * h5out_finish say so on stderr and sleep that long before its writes, so
 * tests can signal a process in its write phase. GRIDRISK_TEST_FAIL_SHARED_WRITE=<rank> makes
 * that MPI rank's writes of its blocks into a shared file fail (h5out_block_own; the run
 * ends at the first), so tests/check_mpi.py can fail a write on a chosen rank. Nothing else reads
 * them; never set them in use.
 */
#ifndef GR_H5OUT_H
#define GR_H5OUT_H

#include "../kernels/stats.h"
#include "../model/err.h"
#include "../model/results.h"
#include "../model/sim.h"

#include <stdint.h>
#include <stdio.h>

enum { H5OUT_FORMAT_VERSION = 2 };
/* A network run's last area (/by_step/area, after its regions): the whole
 * system. No region may take the name (inputs/pras.c refuses it). */
#define H5OUT_SYSTEM_AREA "system"

/* The summary's statistics: kernels/stats.h's, then the share of trials
 * whose value is > 0 (for a paired difference: P(the scenario raises it)). */
enum {
    H5OUT_STAT_MEAN,
    H5OUT_STAT_SE,
    H5OUT_STAT_SD,
    H5OUT_STAT_P5,
    H5OUT_STAT_P50,
    H5OUT_STAT_P95,
    H5OUT_STAT_P99,
    H5OUT_STAT_VAR95,
    H5OUT_STAT_CVAR95,
    H5OUT_STAT_MIN,
    H5OUT_STAT_MAX,
    H5OUT_STAT_P_POSITIVE,
    H5OUT_N_STATS
};
extern const char *const h5out_stat_names[H5OUT_N_STATS];

typedef struct {
    const char *scenario_name;
    const char *scenario_yaml;
    const char *version;
    /* Test hook: fail as if the n-th dataset write failed (0: never). */
    int fail_at_dataset;
    /* Optional (NULL / 0 give neutral values): */
    const char *title;              /* one line: name and description */
    const char *git_revision;       /* of the build */
    const char *history;            /* the command line */
    const char *const *input_files; /* every file the scenario read */
    const char *const *input_sha256;
    size_t n_inputs;
    int start_year;  /* calendar year of the first simulated year (0: 1) */
    int start_month; /* 1-12: calendar month of the first simulated hour (0: 1) */
    /* Network runs (results with n_steps): the length of a step in hours and
     * the step coordinate's CF units, e.g. "hours since 2020-01-01 00:00:00" */
    double step_h;
    const char *step_units;
    /* Runs with a sweep (else NULL): per scenario, the variant a point
     * scales ("" for a declared scenario), its total MW and its tariff (NAN
     * where none): non-dimension coordinates on the root's scenario axis. */
    const char *const *sweep_variant;
    const double *sweep_mw;
    const double *sweep_tariff_pkr_per_kwh;
} h5out_meta_t;

typedef struct h5out h5out_t;

/* Creates path's temporary with r's datasets (r's shape: its trials, years,
 * scenarios, metrics, drivers and splits; meta is kept until the end). */
int h5out_open(h5out_t **w, const char *path, const results_t *r, const h5out_meta_t *meta,
               gr_err_t *err);

/* Writes trials [from, to), held in r, from = the trials written so far.
 * A NaN or an infinity is refused (GR_ERUNTIME, naming the metric,
 * scenario, trial and year where the first one is). */
int h5out_block(h5out_t *w, const results_t *r, uint64_t from, uint64_t to, gr_err_t *err);

/* The trials' horizon averages as model/sens.h's sens_cols_t reads them
 * (ctx: the writer), once every block is written. */
int h5out_cols_read(void *ctx, size_t s, size_t m, int delta, uint64_t t0, size_t n, double *out);

/* Writes the rest (every trial written; r's totals, sensitivity and run
 * facts final), renames the file into place and frees w. On failure the
 * temporary is removed. */
int h5out_finish(h5out_t *w, const results_t *r, gr_err_t *err);

/* Removes the temporary and frees w (NULL: nothing). A file shared by MPI
 * ranks on which some rank's HDF5 call had failed is left open instead of
 * closed (closing it could wait forever; h5out_open_shared's *left_open),
 * and every rank must then leave through par_abort, not MPI_Finalize. */
void h5out_abort(h5out_t *w);

/* open, one block of every trial, finish: a run kept whole. Results holding
 * a NaN or an infinity are refused (h5out_block) and the temporary removed,
 * so nothing appears at path. A streamed run checks each block as it comes:
 * it stops at the first block holding one, naming the first value there. */
int h5out_write(const char *path, const results_t *r, const h5out_meta_t *meta, gr_err_t *err);

/* Across MPI ranks (a streamed run, h5out_sink_t.shared): every rank calls
 * h5out_open_shared (collective): rank 0 creates the file as h5out_open does
 * and closes it, then every rank opens it with HDF5's MPI-IO driver. Then,
 * for each round of blocks, rank 0 hands every block to h5out_block_cols
 * (the check and the trials' averages, in order), and every rank its own
 * block to h5out_block_own (collective; from == to: none), which writes the
 * rows unless some rank's block holds a value that is not finite. Every
 * rank then calls h5out_finish or h5out_abort (collective): rank 0 finishes
 * the file alone. When any rank's HDF5 call on the file failed (a write, or
 * the last close), the file is left open on every rank and *left_open set:
 * the ranks must then leave through par_abort (h5out_abort). */
int h5out_open_shared(h5out_t **w, const char *path, const results_t *r, const h5out_meta_t *meta,
                      int *left_open, gr_err_t *err);
int h5out_block_cols(h5out_t *w, const results_t *r, uint64_t from, uint64_t to, gr_err_t *err);
int h5out_block_own(h5out_t *w, const results_t *r, uint64_t from, uint64_t to, gr_err_t *err);

/* A streamed run's sink: the file is opened by the harness (sim_sink_t.open)
 * and each finished block written; w is the writer once open (NULL before),
 * for h5out_finish or h5out_abort. path and meta must outlive the run.
 * shared: the run is across MPI ranks (par_size() > 1 at init), and the
 * file is written by every rank (h5out_open_shared, sim_sink_t.write_own). */
typedef struct {
    const char *path;
    const h5out_meta_t *meta;
    h5out_t *w;
    int shared;
    int left_open; /* shared: the file was left open (h5out_open_shared) */
    sim_sink_t iface;
} h5out_sink_t;

void h5out_sink_init(h5out_sink_t *s, const char *path, const h5out_meta_t *meta);

/* Trial numbers written per call when the trial axis is written: one chunk
 * of it (CHUNK_BYTES). */
#define H5OUT_TRIAL_RUN 16384

/* The summary statistics of src (kernels/stats.h): out[H5OUT_N_STATS]; 0,
 * or -1 when out of memory. */
int h5out_summarize(const stats_src_t *src, double *out);

#endif
