/* stats.c - see stats.h. */
#include "stats.h"

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <string.h>

const char *const stats_names[STATS_N] = {"mean", "se",    "sd",     "p5",  "p50", "p95",
                                          "p99",  "var95", "cvar95", "min", "max"};

void stats_summarize(const double *x, size_t n, double *scratch, double *out)
{
    memcpy(scratch, x, n * sizeof *x);
    gsl_sort(scratch, 1, n);
    const double mean = gsl_stats_mean(scratch, 1, n);
    const double sd = n > 1 ? gsl_stats_sd_m(scratch, 1, n, mean) : 0.0;
    out[STATS_MEAN] = mean;
    out[STATS_SD] = sd;
    out[STATS_SE] = sd / sqrt((double)n);
    out[STATS_P5] = gsl_stats_quantile_from_sorted_data(scratch, 1, n, 0.05);
    out[STATS_P50] = gsl_stats_quantile_from_sorted_data(scratch, 1, n, 0.50);
    out[STATS_P95] = gsl_stats_quantile_from_sorted_data(scratch, 1, n, 0.95);
    out[STATS_P99] = gsl_stats_quantile_from_sorted_data(scratch, 1, n, 0.99);
    out[STATS_VAR95] = out[STATS_P95];
    const size_t tail = (size_t)ceil(0.05 * (double)n);
    double s = 0.0;
    for (size_t i = n - tail; i < n; ++i)
        s += scratch[i];
    out[STATS_CVAR95] = s / (double)tail;
    out[STATS_MIN] = scratch[0];
    out[STATS_MAX] = scratch[n - 1];
}
