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
 * trial's horizon average, read back from where the writer keeps it), or
 * one that is: x. The passes take a run's values but +0.0 one by one and
 * its +0.0 values in bulk, so a sample of mostly +0.0 values (a reliable
 * system's trials, which shed nothing) costs its other values. */
typedef struct {
    void *ctx;
    /* Writes values [i0, i0 + len) into buf (len <= STATS_RUN). Called for
     * every run once per pass (three or four from 65,536 values, up to eleven
     * below, where the order statistics take 8-bit passes), it must give the same
     * values each time. */
    void (*fill)(void *ctx, size_t i0, size_t len, double *buf);
    size_t n;
    /* x[0..n), or NULL: when set the passes read it in place and fill is
     * never called (no copy of a sample already in memory) */
    const double *x;
    /* Or, when set (then fill and x are not used): writes the values of
     * [i0, i0 + len) whose bits are not all zero (every value but +0.0),
     * in order, into buf, and returns how many; the run's other values are
     * +0.0. The same values each time, as fill's. */
    size_t (*fill_kept)(void *ctx, size_t i0, size_t len, double *buf);
} stats_src_t;

/* Values per call of fill: the summary's one buffer. */
#define STATS_RUN 8192

/*
 * Summarises src into out[STATS_N] in a few passes over it, in memory that
 * does not grow with n: the quantiles, min, max and the tail's threshold are
 * exact order statistics (a radix select on the values' bits, not a sketch:
 * the doubles a sort gives, but that -0.0 always ranks below +0.0); the mean,
 * sd and the tail's mean come from compensated sums in src's order (within an
 * ulp or two of the exact sums; n equal values give exactly that value and
 * sd 0), the +0.0 values' terms of the sd and the tail's mean added at the
 * end as one term each (their count times the term: the same for each).
 * *n_positive (if not NULL) gets the number of values above 0.
 * 0, or -1 when out of memory or n is 0.
 */
int stats_summarize_src(const stats_src_t *src, double *out, size_t *n_positive);

/* The same for x[0..n) (n >= 1). */
int stats_summarize(const double *x, size_t n, double *out);

#endif
