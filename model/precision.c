/*
 * precision.c - see precision.h.
 */
#include "precision.h"

#include <math.h>
#include <string.h>

/* The metric's index in r, or -1. */
static long metric_index(const results_t *r, const char *name)
{
    for (size_t m = 0; m < r->n_metrics; ++m)
        if (!strcmp(r->metrics[m].name, name))
            return (long)m;
    return -1;
}

/* Trial t's horizon mean of metric m in scenario s, less the baseline's if
 * paired. */
static double horizon_mean(const results_t *r, size_t s, size_t m, uint64_t t, int paired)
{
    const double *a = results_at(r, s, m, t), *b = results_at(r, 0, m, t);
    double x = 0.0;
    for (size_t y = 0; y < r->years; ++y)
        x += paired ? a[y] - b[y] : a[y];
    return x / (double)r->years;
}

/* Relative standard error of one quantity over trials [0, n): Welford's
 * running mean and sum of squares, stable for any n. */
static double rse_of(const results_t *r, size_t s, size_t m, uint64_t n, int paired)
{
    double mean = 0.0, m2 = 0.0;
    for (uint64_t t = 0; t < n; ++t) {
        const double x = horizon_mean(r, s, m, t, paired), d = x - mean;
        mean += d / (double)(t + 1);
        m2 += d * (x - mean);
    }
    const double sd = n > 1 ? sqrt(m2 / (double)(n - 1)) : INFINITY;
    if (sd == 0.0)
        return 0.0;
    return fabs(mean) > 0.0 ? sd / sqrt((double)n) / fabs(mean) : INFINITY;
}

double prec_rse(const results_t *r, uint64_t n)
{
    static const char *const single[] = {"shed_hours", "unserved_mwh"};
    static const char *const paired[] = {"shed_consumer_hours", "net_fiscal_cost_pkr"};
    const int pair = r->n_scen > 1;
    const char *const *names = pair ? paired : single;
    double worst = 0.0;
    for (size_t s = pair; s < r->n_scen; ++s)
        for (size_t k = 0; k < 2; ++k) {
            const long m = metric_index(r, names[k]);
            if (m >= 0) {
                const double e = rse_of(r, s, (size_t)m, n, pair);
                worst = e > worst || isnan(e) ? e : worst;
            }
        }
    return worst;
}

int prec_enough(void *ctx, const results_t *r, uint64_t done)
{
    prec_t *p = ctx;
    p->rse = prec_rse(r, done);
    p->trials = done;
    return done >= p->min_trials && p->rse < p->target;
}
