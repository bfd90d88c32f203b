/*
 * results.h - everything a run produces, in flat arrays ready for HDF5.
 *
 * Per scenario s, metric m, trial t and year y: values[((s * M + m) * C + t - t0) * Y + y],
 * C the rows held (cap) and t0 the first of them (0 unless streamed).
 * Per driver d: drivers[(d * C + t - t0) * Y + y] (annual means, scenario-free:
 * every scenario sees the same draws). Loss-of-load counts per scenario,
 * year and hour: lol_count[(s * Y + y) * H + h] (divide by trials for LOLP).
 * By technology (economic runs), per quantity q (RESULTS_TECH_*), scenario s,
 * trial t, year y and technology k:
 * by_tech[(((q * S + s) * C + t - t0) * Y + y) * K + k].
 * Scenario 0 is the baseline; paired differences are scenario s - scenario 0.
 */
#ifndef GR_RESULTS_H
#define GR_RESULTS_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    const char *name; /* dataset name, snake_case with its unit */
    const char *unit;
    const char *desc;
} metric_info_t;

/* A set of metrics broken down along one more axis (technology, region):
 * per quantity q, scenario s, trial t, year y and member k,
 * v[(((q * S + s) * C + t - t0) * Y + y) * n + k]. */
typedef struct {
    const char *group;    /* the HDF5 group, e.g. "by_region" */
    const char *dim;      /* the axis, e.g. "region" */
    const char *dim_desc; /* what the axis is */
    size_t n_q;
    const metric_info_t *info; /* [n_q] static table, not owned */
    size_t n;                  /* members */
    char **names;              /* [n], owned */
    double *v;
} results_split_t;

/* What drives the results (model/sens.h; economic runs only), per
 * scenario s, metric m and driver d or group g: [(s * n_metrics + m) * n_drivers
 * + d] and [(s * n_metrics + m) * n_groups + g]. Each of a trial's quantities
 * is its horizon mean, the metric's paired difference against the baseline
 * for every scenario but the baseline. */
typedef struct {
    size_t n_drivers;                   /* 0: not computed */
    double *rank_corr;                  /* Spearman's rho over the run's trials */
    double *tornado_low, *tornado_high; /* mean with the driver in its lowest / highest tenth */
    uint64_t sobol_base;                /* base points N; 0: no Sobol indices */
    unsigned sobol_boot;                /* bootstrap resamples */
    double sobol_conf;                  /* the intervals' confidence level */
    double sobol_wall_s;                /* the design's extra trials, wall time */
    size_t n_groups;
    const metric_info_t *groups; /* static table, not owned */
    double *s1, *s1_lo, *s1_hi, *st, *st_lo, *st_hi;
} results_sens_t;

typedef struct {
    uint64_t trials; /* the run's */
    /* The rows held: trials [t0, t0 + cap) (the accessors below take a
     * trial's number). A run kept whole has t0 0 and cap trials; a streamed
     * one (results_stream) two blocks of trials at a time (one running, the
     * one before it being written), which the harness moves along as the
     * blocks go to the file (sim_sink_t). */
    uint64_t t0, cap;
    size_t years;
    size_t hours;
    size_t n_scen;
    char **scen_names; /* [n_scen], owned */
    size_t n_metrics;
    const metric_info_t *metrics; /* static table, not owned */
    double *values;
    size_t n_drivers;
    const metric_info_t *drivers; /* static table, not owned */
    double *drivers_v;
    int64_t *lol_count;
    results_split_t tech;   /* by technology (economic runs); n = 0 if none */
    results_split_t region; /* by region (network runs); n = 0 if none */
    results_split_t month;  /* by month of the simulated year (economic runs); n = 0 if none */
    results_sens_t sens;    /* what drives the results; n_drivers = 0 if not computed */
    /* Per step and area (network runs; n_steps = 0 if none), [step][area],
     * the areas being the regions then the whole system: */
    size_t n_steps, n_area;
    double *step_lolp, *step_lolp_se; /* share of trials short in the step */
    double *step_eue, *step_eue_se;   /* mean unserved energy in the step, MWh */
    double *area_demand_mwh;          /* [n_area] demand over the period */
    /* run facts, for the output's attributes */
    uint32_t seed;
    int threads;
    int ranks;
    double wall_s;
    double sink_s;   /* of wall_s, the time spent writing blocks (a streamed run) */
    double shared_s; /* of sink_s, across ranks: in the writes every rank makes at once */
    double ckpt_s;   /* of sink_s, in the checkpoint's records */
    double finish_s; /* after wall_s: the file's summary, sensitivity and close (the
                      * whole file when the run was not streamed) and the checkpoint's end */
} results_t;

/* Per-trial arrays for `trials` rows (t0 0, cap trials); NULL when out of
 * memory. */
results_t *results_new(uint64_t trials, size_t years, size_t hours, size_t n_scen,
                       const char *const *scen_names, size_t n_metrics,
                       const metric_info_t *metrics, size_t n_drivers,
                       const metric_info_t *drivers);
void results_free(results_t *r);

/* Makes r, allocated (with its splits) for cap rows, a window of those rows
 * over a run of `total` trials (>= cap), at trials [0, cap). */
void results_stream(results_t *r, uint64_t total);

/* Moves the window to trials [t0, t0 + cap), its rows zeroed. */
void results_window(results_t *r, uint64_t t0);

/* The per-trial arrays of r (values, drivers and each split present), each
 * as `blocks` blocks of trials x `row` doubles: [blocks][trials][row]. The
 * one description of that layout for everything that moves trials' rows
 * (results_shrink, the checkpoint, the MPI combination). */
typedef struct {
    double *v;
    size_t blocks, row;
} results_rows_t;

#define RESULTS_MAX_ROW_ARRAYS 5

/* Fills out[] and returns how many arrays r has; each holds r->cap rows per
 * block, row i being trial r->t0 + i. */
size_t results_row_arrays(const results_t *r, results_rows_t out[RESULTS_MAX_ROW_ARRAYS]);

/* Keeps only trials [0, n) (n <= trials) of a run kept whole: the
 * per-trial arrays laid out as a run of n trials (a run stopped early by a precision target). The
 * loss-of-load counts and every other total are the caller's to match. */
void results_shrink(results_t *r, uint64_t n);

/* The quantities kept by technology. */
enum { RESULTS_TECH_GEN_MWH, RESULTS_TECH_COST_PKR, RESULTS_N_TECH_Q };
extern const metric_info_t results_tech_info[RESULTS_N_TECH_Q];

/* Adds the by-technology arrays (zeroed); -1 when out of memory. */
int results_add_tech(results_t *r, size_t n_tech, const char *const *names);

/* Adds the by-region arrays (zeroed) for the n_q metrics of info; -1 when
 * out of memory. */
int results_add_regions(results_t *r, size_t n_regions, const char *const *names, size_t n_q,
                        const metric_info_t *info);

/* Adds the by-month arrays (zeroed): n_q flows per scenario, trial, year
 * and month of the simulated year, the months named from start_month (1..12,
 * the calendar month of each year's first hour); -1 when out of memory. */
int results_add_months(results_t *r, unsigned start_month, size_t n_q, const metric_info_t *info);

/* Adds the per-step arrays ([n_steps][n_area], zeroed) and the areas'
 * demand; -1 when out of memory. */
int results_add_steps(results_t *r, size_t n_steps, size_t n_area);

/* The sizes of a run's results, known before it starts. */
typedef struct {
    uint64_t trials;
    size_t years, hours, n_scen, n_metrics, n_drivers, n_tech;
    size_t n_month_q; /* flows kept by month (economic runs), 0 if none */
    uint64_t window;  /* rows held when streamed (results_stream); 0: all trials */
} results_shape_t;

/* Bytes a run needs at its peak, estimated before it starts: the results
 * (every trial's rows, or a streamed run's window of them), every thread's
 * scratch, and the writer's scratch and HDF5 chunk caches, held with them.
 * Saturates at UINT64_MAX instead of wrapping. */
typedef struct {
    uint64_t results_bytes; /* values, drivers and loss-of-load counts */
    uint64_t threads_bytes; /* threads x thread_scratch_bytes */
    uint64_t writer_bytes;  /* h5out's buffers and chunk caches (outputs/h5out.h) */
    uint64_t base_bytes;    /* the program and its libraries, measured */
    uint64_t total_bytes;
} results_mem_t;

/* Resident size of `gridrisk run` on a one-trial RBTS run (max RSS under
 * /usr/bin/time -v): code, libraries, HDF5's chunk cache. */
#define RESULTS_BASE_BYTES (16ULL << 20)

/* Doubles of the writer's buffers for runs of trials, whatever their number:
 * the summary's and the columns' STATS_RUN (8,192 each), a column's page
 * coded (STATS_RUN + STATS_RUN / 64 words) and the trial axis's
 * H5OUT_TRIAL_RUN (16,384 int32); outputs/h5out.c asserts the sum. */
#define RESULTS_WRITER_BUF 32896ULL

void results_estimate(const results_shape_t *shape, int threads, uint64_t thread_scratch_bytes,
                      results_mem_t *m);

/* Finds the first value of trials [from, to) (held in r) that is not
 * finite (NaN or infinite), scanning scenario, metric, trial and year in
 * that order, then the drivers. Returns
 * 0 if every value is finite; else 1 with *what the metric or driver and
 * *scen the scenario index (SIZE_MAX for a driver), *trial and *year. */
int results_find_nonfinite(const results_t *r, uint64_t from, uint64_t to,
                           const metric_info_t **what, size_t *scen, uint64_t *trial, size_t *year);

/* The Y values of (scenario, metric, trial). */
static inline double *results_at(const results_t *r, size_t s, size_t m, uint64_t t)
{
    return r->values + ((s * r->n_metrics + m) * r->cap + (t - r->t0)) * r->years;
}

/* The [Y][n] block of quantity q, scenario s, trial t of a split. */
static inline double *results_split_at(const results_t *r, const results_split_t *sp, size_t q,
                                       size_t s, uint64_t t)
{
    return sp->v + ((q * r->n_scen + s) * r->cap + (t - r->t0)) * r->years * sp->n;
}

static inline double *results_tech_at(const results_t *r, size_t q, size_t s, uint64_t t)
{
    return results_split_at(r, &r->tech, q, s, t);
}

static inline double *results_region_at(const results_t *r, size_t q, size_t s, uint64_t t)
{
    return results_split_at(r, &r->region, q, s, t);
}

static inline double *results_month_at(const results_t *r, size_t q, size_t s, uint64_t t)
{
    return results_split_at(r, &r->month, q, s, t);
}

static inline double *results_driver_at(const results_t *r, size_t d, uint64_t t)
{
    return r->drivers_v + (d * r->cap + (t - r->t0)) * r->years;
}

/* A trial's horizon average of the Y values a (minus b's, when delta: the
 * paired difference on the same draws), summed in year order: the one
 * formula of every statistic over trials (summary, sensitivity). */
static inline double results_horizon_avg(const double *a, const double *b, size_t Y, int delta)
{
    if (Y == 1) /* the same double, without a division (x / 1.0 is x): one
                 * year's columns, RBTS's, are written in a vector loop */
        return 0.0 + (delta ? a[0] - b[0] : a[0]);
    double sum = 0.0;
    for (size_t y = 0; y < Y; ++y)
        sum += delta ? a[y] - b[y] : a[y];
    return sum / (double)Y;
}

#endif
