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

/* Summarises x[0..n) (n >= 1) into out[STATS_N]; scratch holds n doubles. */
void stats_summarize(const double *x, size_t n, double *scratch, double *out);

#endif
