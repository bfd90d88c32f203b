/* stats.c - see stats.h. */
#include "stats.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

const char *const stats_names[STATS_N] = {"mean", "se",    "sd",     "p5",  "p50", "p95",
                                          "p99",  "var95", "cvar95", "min", "max"};

/* Order statistics are found 8 bits of their key per pass, in 8 passes:
 * small histograms (cheap to clear and scan for the 1,000-trial runs that
 * summarise hundreds of quantities) for a pass more over large runs. */
#define DIGIT_BITS 8
#define N_BINS (1u << DIGIT_BITS)
/* The order statistics asked for: two per quantile (interpolation) and the
 * tail's threshold. */
#define MAX_TARGETS 9

/* A key whose unsigned order is the order of the doubles (-0.0 just below
 * +0.0): the sign bit flipped for positives, every bit for negatives. */
static uint64_t key_of(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return u & 0x8000000000000000ULL ? ~u : u | 0x8000000000000000ULL;
}

static double value_of(uint64_t k)
{
    const uint64_t u = k & 0x8000000000000000ULL ? k & ~0x8000000000000000ULL : ~k;
    double x;
    memcpy(&x, &u, sizeof x);
    return x;
}

/* Neumaier's compensated sum: the error of a sum over n values is about one
 * rounding, not n; the order is the source's, so the result is the same for
 * any thread count. */
typedef struct {
    double s, c;
} ksum_t;

static void ksum_add(ksum_t *k, double x)
{
    const double t = k->s + x;
    k->c += fabs(k->s) >= fabs(x) ? (k->s - t) + x : (x - t) + k->s;
    k->s = t;
}

static double ksum(const ksum_t *k) { return k->s + k->c; }

/* Calls f(ctx, buf, len) for every run of up to STATS_RUN values of src. */
static void each_run(const stats_src_t *src, double *buf,
                     void (*f)(void *ctx, const double *buf, size_t len), void *ctx)
{
    for (size_t i = 0; i < src->n; i += STATS_RUN) {
        const size_t len = src->n - i < STATS_RUN ? src->n - i : STATS_RUN;
        src->fill(src->ctx, i, len, buf);
        f(ctx, buf, len);
    }
}

typedef struct {
    ksum_t sum;
    uint64_t min, max; /* keys: the same order, signed zeros included, as the quantiles' */
    size_t positive;
} pass1_t;

static void pass1(void *ctx, const double *x, size_t len)
{
    pass1_t *p = ctx;
    for (size_t i = 0; i < len; ++i) {
        const uint64_t k = key_of(x[i]);
        ksum_add(&p->sum, x[i]);
        p->min = k < p->min ? k : p->min;
        p->max = k > p->max ? k : p->max;
        p->positive += x[i] > 0.0;
    }
}

/* Squared deviations from the first pass's mean m: the variance. */
typedef struct {
    double m;
    ksum_t dd;
} pass2_t;

static void pass2(void *ctx, const double *x, size_t len)
{
    pass2_t *p = ctx;
    for (size_t i = 0; i < len; ++i)
        ksum_add(&p->dd, (x[i] - p->m) * (x[i] - p->m));
}

/* One radix pass: for each group of targets sharing the key's top `shift`
 * bits (prefix), a histogram of the next DIGIT_BITS bits. */
typedef struct {
    unsigned shift; /* bits already known: 0, 8, ..., 56 */
    size_t n_groups;
    uint64_t prefix[MAX_TARGETS];
    uint64_t hist[MAX_TARGETS][N_BINS];
} radix_t;

static void radix_pass(void *ctx, const double *x, size_t len)
{
    radix_t *p = ctx;
    const unsigned low = 64 - p->shift - DIGIT_BITS;
    for (size_t i = 0; i < len; ++i) {
        const uint64_t k = key_of(x[i]);
        const uint64_t top = p->shift ? k >> (64 - p->shift) : 0;
        const size_t bin = (size_t)((k >> low) & (N_BINS - 1));
        for (size_t g = 0; g < p->n_groups; ++g)
            p->hist[g][bin] += top == p->prefix[g];
    }
}

/*
 * The order statistics x_(rank[j]) (0-based) of src, exactly: the keys are
 * found DIGIT_BITS at a time, most significant first, each pass counting
 * the values that share the bits known so far (a radix select). Memory is
 * one histogram per distinct prefix, whatever src->n.
 */
static void select_ranks(const stats_src_t *src, double *buf, const size_t *rank, size_t nt,
                         double *out)
{
    uint64_t key[MAX_TARGETS] = {0};
    size_t left[MAX_TARGETS]; /* rank among the values sharing key's known bits */
    memcpy(left, rank, nt * sizeof *rank);
    radix_t p;
    for (p.shift = 0; p.shift < 64; p.shift += DIGIT_BITS) {
        size_t group[MAX_TARGETS];
        p.n_groups = 0;
        for (size_t j = 0; j < nt; ++j) {
            size_t g = 0;
            while (g < p.n_groups && p.prefix[g] != key[j])
                ++g;
            if (g == p.n_groups)
                p.prefix[p.n_groups++] = key[j];
            group[j] = g;
        }
        memset(p.hist, 0, p.n_groups * sizeof p.hist[0]);
        each_run(src, buf, radix_pass, &p);
        for (size_t j = 0; j < nt; ++j) {
            const uint64_t *h = p.hist[group[j]];
            size_t b = 0;
            while (left[j] >= h[b]) /* the rank is below the group's count */
                left[j] -= h[b++];
            key[j] = key[j] << DIGIT_BITS | b;
        }
    }
    for (size_t j = 0; j < nt; ++j)
        out[j] = value_of(key[j]);
}

/* The tail's excess over its threshold: the worst `tail` values are the
 * threshold itself (as many copies as ties need) and the values above it, so
 * their mean is the threshold plus the excesses over it / tail (exactly the
 * value for a quantity that never varies). */
typedef struct {
    uint64_t key; /* the threshold's key */
    double value;
    ksum_t excess;
} tail_t;

static void tail_pass(void *ctx, const double *x, size_t len)
{
    tail_t *p = ctx;
    for (size_t i = 0; i < len; ++i)
        if (key_of(x[i]) > p->key)
            ksum_add(&p->excess, x[i] - p->value);
}

/* The quantile at f of n sorted values whose order statistics lhs and lhs + 1
 * are lo and hi: GSL's gsl_stats_quantile_from_sorted_data, term for term. */
static double interpolate(double f, size_t n, double lo, double hi)
{
    const double index = f * (double)(n - 1);
    const size_t lhs = (size_t)index;
    const double delta = index - (double)lhs;
    return lhs == n - 1 ? lo : (1 - delta) * lo + delta * hi;
}

int stats_summarize_src(const stats_src_t *src, double *out, size_t *n_positive)
{
    const size_t n = src->n;
    double *buf = n ? malloc(STATS_RUN * sizeof *buf) : NULL;
    if (!buf)
        return -1;
    pass1_t p1 = {{0.0, 0.0}, UINT64_MAX, 0, 0};
    each_run(src, buf, pass1, &p1);
    const double lo = value_of(p1.min), hi = value_of(p1.max);
    pass2_t p2 = {ksum(&p1.sum) / (double)n, {0.0, 0.0}};
    each_run(src, buf, pass2, &p2);
    /* n copies of x need not sum to n x (3 x 0.1 does not): the mean stays in
     * [min, max] (which gives a quantity that never varies exactly its value),
     * and such a quantity has no spread */
    const double mean = p2.m, sd = n > 1 && lo != hi ? sqrt(ksum(&p2.dd) / (double)(n - 1)) : 0.0;
    out[STATS_MEAN] = mean < lo ? lo : mean > hi ? hi : mean;
    out[STATS_SD] = sd;
    out[STATS_SE] = sd / sqrt((double)n);
    out[STATS_MIN] = lo;
    out[STATS_MAX] = hi;
    if (n_positive)
        *n_positive = p1.positive;

    static const double f[4] = {0.05, 0.50, 0.95, 0.99};
    static const int slot[4] = {STATS_P5, STATS_P50, STATS_P95, STATS_P99};
    const size_t tail = (size_t)ceil(0.05 * (double)n);
    size_t rank[MAX_TARGETS];
    for (int q = 0; q < 4; ++q) {
        const size_t lhs = (size_t)(f[q] * (double)(n - 1));
        rank[2 * q] = lhs;
        rank[2 * q + 1] = lhs + 1 < n ? lhs + 1 : lhs;
    }
    rank[8] = n - tail;
    double x[MAX_TARGETS];
    select_ranks(src, buf, rank, MAX_TARGETS, x);
    for (int q = 0; q < 4; ++q)
        out[slot[q]] = interpolate(f[q], n, x[2 * q], x[2 * q + 1]);
    out[STATS_VAR95] = out[STATS_P95];
    /* the worst `tail` values: those above the threshold, and as many copies
     * of the threshold as it takes (ties share it) */
    tail_t t = {key_of(x[8]), x[8], {0.0, 0.0}};
    each_run(src, buf, tail_pass, &t);
    out[STATS_CVAR95] = x[8] + ksum(&t.excess) / (double)tail;
    free(buf);
    return 0;
}

typedef struct {
    const double *x;
} array_src_t;

static void array_fill(void *ctx, size_t i0, size_t len, double *buf)
{
    memcpy(buf, ((const array_src_t *)ctx)->x + i0, len * sizeof *buf);
}

int stats_summarize(const double *x, size_t n, double *out)
{
    array_src_t a = {x};
    const stats_src_t src = {&a, array_fill, n};
    return stats_summarize_src(&src, out, NULL);
}
