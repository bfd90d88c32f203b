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

/* The headline quantities of r: (scenario, metric, paired) triples; their
 * count. */
typedef struct {
    size_t s, m;
    int paired;
} quantity_t;

static size_t quantities(const results_t *r, quantity_t *q)
{
    static const char *const single[] = {"shed_hours", "unserved_mwh"};
    static const char *const paired[] = {"shed_consumer_hours", "net_fiscal_cost_pkr"};
    const int pair = r->n_scen > 1;
    const char *const *names = pair ? paired : single;
    size_t n = 0;
    for (size_t s = (size_t)pair; s < r->n_scen; ++s)
        for (size_t k = 0; k < 2; ++k) {
            const long m = metric_index(r, names[k]);
            if (m >= 0 && n < PREC_MAX_Q)
                q[n++] = (quantity_t){s, (size_t)m, pair};
        }
    return n;
}

/* Adds trials [from, to) of quantity q to a. */
static void accumulate(const results_t *r, const quantity_t *q, uint64_t from, uint64_t to,
                       prec_acc_t *a)
{
    for (uint64_t t = from; t < to; ++t) {
        const double x = horizon_mean(r, q->s, q->m, t, q->paired), d = x - a->mean;
        a->mean += d / (double)(t + 1);
        a->m2 += d * (x - a->mean);
    }
}

/* The relative standard error of n trials' accumulator (precision.h). */
static double rse_of(const prec_acc_t *a, uint64_t n)
{
    if (a->mean == 0.0 || n < 2)
        return INFINITY;
    return sqrt(a->m2 / (double)(n - 1)) / sqrt((double)n) / fabs(a->mean);
}

/* The largest relative standard error over the quantities, NaN if any is. */
static double worst_of(const prec_acc_t *acc, size_t nq, uint64_t n)
{
    double worst = 0.0;
    for (size_t i = 0; i < nq; ++i) {
        const double e = rse_of(&acc[i], n);
        worst = e > worst || isnan(e) ? e : worst;
    }
    return worst;
}

double prec_rse(const results_t *r, uint64_t n)
{
    quantity_t q[PREC_MAX_Q];
    prec_acc_t acc[PREC_MAX_Q];
    const size_t nq = quantities(r, q);
    for (size_t i = 0; i < nq; ++i) {
        acc[i] = (prec_acc_t){0.0, 0.0};
        accumulate(r, &q[i], 0, n, &acc[i]);
    }
    return worst_of(acc, nq, n);
}

int prec_enough(void *ctx, const results_t *r, uint64_t done)
{
    prec_t *p = ctx;
    quantity_t q[PREC_MAX_Q];
    const size_t nq = quantities(r, q);
    if (done < p->trials) /* not in order: start again */
        p->trials = 0;
    for (size_t i = 0; i < nq; ++i) {
        if (!p->trials)
            p->acc[i] = (prec_acc_t){0.0, 0.0};
        accumulate(r, &q[i], p->trials, done, &p->acc[i]);
    }
    p->trials = done;
    p->rse = worst_of(p->acc, nq, done);
    return done >= p->min_trials && p->rse < p->target;
}
