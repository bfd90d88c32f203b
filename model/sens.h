/*
 * sens.h - what drives a run's results (docs/MODEL.md s.8b): rank
 * correlations and a tornado from the run's own trials, and variance-based
 * Sobol indices of the inputs' groups from a Saltelli design on the same
 * streams.
 *
 * Every random number of a trial comes from a stream addressed by (seed,
 * stream, trial) (kernels/rng.h), and the streams fall into the independent
 * groups below. So a trial can take one group's numbers from another trial:
 * that is the "pick-freeze" of a Saltelli design, made exact, with no
 * parameter vector to invent. Trials j and N + j of the run are the design's
 * rows A_j and B_j; design row (i, j) takes every group from trial j but
 * group i, which it takes from trial N + j (AB_i). The output of a row is a
 * function of the groups' numbers alone, so (Saltelli et al. 2010, as SALib's
 * sobol.analyze; f the metric, V the variance of f over A and B together):
 *    first order  S_i  = mean_j (f(B_j) - m) (f(AB_ij) - f(A_j)) / V
 *    total        ST_i = mean_j (f(A_j) - f(AB_ij))^2 / (2 V)      (Jansen)
 * with m the mean of f over A and B: centring leaves the expectation as it
 * is to O(1/N) (f(AB_i) - f(A) has mean 0; m holds trial j itself) and removes a term m (f(AB_i) -
 * f(A)) whose noise swamps the index when f's mean is large against its spread (a fiscal metric in
 * rupees: the uncentred form gave S_i = 2.6 on the hand system). S_i is the share of the variance
 * the group explains alone, ST_i with its interactions; ST_i - S_i > 0 is interaction. The groups
 * are independent (no stream feeds two groups), as the estimators assume. Confidence intervals are
 * SALib's: estimate +- z x the standard deviation of the estimate over bootstrap resamples of j
 * (drawn from their own stream).
 */
#ifndef GR_SENS_H
#define GR_SENS_H

#include "results.h"

#include <stddef.h>
#include <stdint.h>

/* The independent groups of a Pakistan trial's streams. */
enum {
    SENS_G_FUEL_FX,   /* Brent, coal, RLNG spot noise, the rupee (one correlated draw) */
    SENS_G_BITCOIN,   /* the Bitcoin price, the network's costs and hashrate */
    SENS_G_RIVERS,    /* annual river inflow */
    SENS_G_DEMAND,    /* demand growth, captive-gas load, behind-the-meter solar */
    SENS_G_WEATHER,   /* daily temperature anomaly: demand swing and heat derating */
    SENS_G_OUTAGES,   /* every unit's forced outages and refuelling */
    SENS_G_BLACKOUTS, /* grid-wide blackouts */
    SENS_G_SUPPLY,    /* the supply draws (MODEL.md s.5b): gas, hydro peak and
                         run-of-river share, old plants, heat derating slope,
                         corridor limit, south's demand share */
    SENS_N_GROUPS
};
extern const metric_info_t sens_groups[SENS_N_GROUPS];

/* Stream of the bootstrap's resampling (not a driver's: below the supply
 * draws' ids and above every DRV_STREAM_x). */
#define SENS_STREAM_BOOT 512u

/* The trial whose numbers group g takes in design row `row` of a design of
 * n_base base points (rows [0, n_base k): row = i n_base + j is AB_ij). */
static inline uint64_t sens_design_key(uint64_t n_base, uint64_t row, unsigned g)
{
    const uint64_t i = row / n_base, j = row % n_base;
    return i == g ? n_base + j : j;
}

/* Average ranks (1-based; ties share the mean of their positions) of
 * x[0..n) into rank. scratch (n pairs) holds x sorted on return: (value,
 * trial) in increasing order, equal values by trial. */
typedef struct {
    double v;
    size_t i;
} sens_pair_t;
void sens_ranks(const double *x, size_t n, sens_pair_t *scratch, double *rank);

/* Pearson correlation of a and b; NaN when either is constant or not finite. */
double sens_pearson(const double *a, const double *b, size_t n);

/* Spearman's rho: Pearson on average ranks; NaN as above. scratch: n
 * pairs, ra and rb: n doubles each. */
double sens_spearman(const double *x, const double *y, size_t n, sens_pair_t *scratch, double *ra,
                     double *rb);

/* A driver's tails, from its n values sorted by sens_ranks: tails[0, k) the
 * trials of its lowest tenth, tails[k, 2 k) of its highest (k = n / 10;
 * tails holds 2 k). 1 when it has such ends: k > 0 and finite lowest and
 * highest values that differ; 0 when it is constant or not finite, or
 * n < 10. A driver keeps these (4 k bytes) for every output's tornado. */
int sens_tails(const sens_pair_t *sorted, size_t n, uint32_t *tails);

/* The tornado's bar of a driver for output f: the mean of f over the trials
 * of the driver's lowest tenth (*low) and highest tenth (*high), tails and
 * k as sens_tails gave them; NaN both when !has_ends. */
void sens_tornado(const uint32_t *tails, size_t k, int has_ends, const double *f, double *low,
                  double *high);

typedef struct {
    double s1, s1_lo, s1_hi; /* first order and its interval */
    double st, st_lo, st_hi; /* total and its interval */
} sens_index_t;

enum { SENS_MAX_K = 16 };

/* Fewer base points leave intervals wider than the indices themselves. */
#define SENS_MIN_BASE 16

/* Sobol indices of k <= SENS_MAX_K groups from n base points: fA[j], fB[j], fAB[i n + j]
 * (as above), with n_boot bootstrap resamples (0: no interval: lo = hi =
 * the estimate) drawn from (seed, SENS_STREAM_BOOT, b), intervals at the
 * normal quantile z. Every index is NaN when any f is not finite or V is 0.
 * scratch holds n uint32_t. */
void sens_sobol(size_t n, size_t k, const double *fA, const double *fB, const double *fAB,
                unsigned n_boot, uint32_t seed, double z, uint32_t *scratch, sens_index_t *out);

/* Each trial's horizon mean of metric m in scenario s of r, minus the
 * baseline's (scenario 0) on the same trial when s > 0: the quantity every
 * sensitivity of the output is of. Rows [t0, t0 + n). */
void sens_metric_rows(const results_t *r, size_t s, size_t m, uint64_t t0, size_t n, double *f);

/* The scale of metric m's quantity for scenario s over rows [t0, t0 + n):
 * the mean of |its horizon mean|, plus the baseline's for s > 0 (a paired
 * difference is a difference of two such levels). */
double sens_metric_scale(const results_t *r, size_t s, size_t m, uint64_t t0, size_t n);

/* Differences below SENS_REL_NOISE x the scale are rounding, not effects: a
 * hydro output that differs from the baseline's by 1e-12 MW in one trial of
 * many must not rank with anything (it did, at +-0.3, before this). */
#define SENS_REL_NOISE 1e-9

/* 1 when f[0..n) is finite and spreads over more than SENS_REL_NOISE x
 * scale; otherwise the rank correlations, tornado bars and Sobol indices of
 * the quantity are NaN. */
int sens_varies(const double *f, size_t n, double scale);

/* A run's per-trial quantities, read a run of trials at a time: from the
 * results of a run kept whole (sens_rank_results), or from a streamed run's
 * file (outputs/h5out.h), which never holds every trial's rows. */
typedef struct {
    void *ctx;
    /* out[0..n) = the horizon means (results_horizon_avg) of trials
     * [t0, t0 + n) of metric m of scenario s, minus the baseline's when
     * delta; of driver m when s == SIZE_MAX. 0, or -1 when reading failed. */
    int (*read)(void *ctx, size_t s, size_t m, int delta, uint64_t t0, size_t n, double *out);
} sens_cols_t;

/* Fills r->sens's rank correlations and tornado from cols, the quantities of
 * r's r->trials trials (economic runs: r has drivers). A quantity's scale
 * (sens_varies) is the mean of |its horizon mean|, plus the baseline's for
 * s > 0. -1 when out of memory or cols failed. */
int sens_rank_run(results_t *r, const sens_cols_t *cols);

/* The same from r's own rows (a run kept whole). */
int sens_rank_results(results_t *r);

/* Fills r->sens's Sobol indices from r's trials [0, 2 n_base) (A, B) and
 * design's rows (AB, n_base x SENS_N_GROUPS trials made with keys
 * sens_design_key), on `threads` threads (0: OpenMP's default); -1 when out
 * of memory. */
int sens_sobol_run(results_t *r, const results_t *design, uint64_t n_base, uint32_t seed,
                   int threads);

#endif
