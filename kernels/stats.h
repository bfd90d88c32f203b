/*
 * stats.h - summary statistics of a sample (one metric over trials).
 *
 * Quantiles interpolate linearly between order statistics at (n-1)p, the
 * definition of GSL's gsl_stats_quantile_from_sorted_data, NumPy's default
 * and R's type 7, so notebooks reproduce them. VaR95 is the 95% quantile
 * (metrics are costs or losses: higher is worse) and CVaR95 the mean of the
 * worst ceil(0.05 n) values.
 */
#ifndef GR_STATS_H
#define GR_STATS_H

#include <stddef.h>

enum {
    STATS_MEAN,
    STATS_SE, /* standard error of the mean: sd / sqrt(n) */
    STATS_SD, /* sample standard deviation (n - 1) */
    STATS_P5,
    STATS_P50,
    STATS_P95,
    STATS_P99,
    STATS_VAR95,
    STATS_CVAR95,
    STATS_MIN,
    STATS_MAX,
    STATS_N
};

/* Names in enum order, e.g. "mean", "se", ..., "cvar95". */
extern const char *const stats_names[STATS_N];

/* A sample read in runs, so that it need not be in memory at once (each
 * trial's horizon average, computed from the results as it is read). */
typedef struct {
    void *ctx;
    /* Writes values [i0, i0 + len) into buf. */
    void (*fill)(void *ctx, size_t i0, size_t len, double *buf);
    size_t n; /* >= 1 */
} stats_src_t;

/*
 * Summarises src into out[STATS_N] in a few passes over it, in memory that
 * does not grow with n: the quantiles, min, max and the tail's threshold are
 * exact order statistics (a radix select on the values' bits, not a sketch:
 * the same numbers as sorting); the mean, sd and the tail's mean come from
 * compensated sums in src's order (within an ulp or two of the exact sums).
 * 0, or -1 when out of memory.
 */
int stats_summarize_src(const stats_src_t *src, double *out);

/* The same for x[0..n) (n >= 1). */
int stats_summarize(const double *x, size_t n, double *out);

#endif
