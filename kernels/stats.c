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
/* Samples of WIDE_MIN_N values or more find them from a histogram of the
 * keys' top WIDE_BITS bits, taken with the first pass, and the values in
 * the targets' bins, taken with the second: three passes instead of eleven
 * (an RBTS run of 2 million trials spent 0.15 s, 7% of its run, in the
 * summary's passes). Below, the 8-bit passes: the 512 kB histogram would
 * cost more to clear than they take. */
#define WIDE_BITS 16
#define WIDE_BINS (1u << WIDE_BITS)
#define WIDE_MIN_N 65536
/* A target's bin of at most this many values is sorted in memory; a larger
 * one holding one value (the zeros of the trials that shed nothing) is
 * that value; any other goes on with the 8-bit passes from its 16 bits. */
#define GATHER_MAX 65536

/* A key whose unsigned order is the order of the doubles (-0.0 just below
 * +0.0): the sign bit flipped for positives, every bit for negatives. */
static uint64_t key_of(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return u & 0x8000000000000000ULL ? ~u : u | 0x8000000000000000ULL;
}

/* The key of +0.0, the value the passes take in bulk. */
#define KEY_ZERO 0x8000000000000000ULL

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

static inline void ksum_add(ksum_t *k, double x)
{
    const double t = k->s + x;
    k->c += fabs(k->s) >= fabs(x) ? (k->s - t) + x : (x - t) + k->s;
    k->s = t;
}

static double ksum(const ksum_t *k) { return k->s + k->c; }

/* x[0..len)'s values whose bits are not all zero, in order, into out (which
 * may be x: a value moves only down); returns how many. */
static size_t keep_nonzero(const double *x, size_t len, double *out)
{
    size_t j = 0;
    for (size_t i = 0; i < len; ++i) {
        uint64_t b;
        memcpy(&b, &x[i], sizeof b);
        out[j] = x[i]; /* stored always, kept by moving on: no branch on the data */
        j += b != 0;
    }
    return j;
}

/* A pass over a run: its values but +0.0, in order (v[0..nv)), and how many
 * +0.0 values it holds besides (zeros), which each pass takes in bulk. */
typedef void (*pass_fn)(void *ctx, const double *v, size_t nv, size_t zeros);

/* Calls f for every run of up to STATS_RUN values of src. */
static void each_run(const stats_src_t *src, double *buf, pass_fn f, void *ctx)
{
    for (size_t i = 0; i < src->n; i += STATS_RUN) {
        const size_t len = src->n - i < STATS_RUN ? src->n - i : STATS_RUN;
        size_t nv;
        if (src->fill_kept)
            nv = src->fill_kept(src->ctx, i, len, buf);
        else if (src->x)
            nv = keep_nonzero(src->x + i, len, buf);
        else {
            src->fill(src->ctx, i, len, buf);
            nv = keep_nonzero(buf, len, buf);
        }
        f(ctx, buf, nv, len - nv);
    }
}

typedef struct {
    ksum_t sum;
    uint64_t min, max; /* keys: the same order, signed zeros included, as the quantiles' */
    size_t positive;
    uint64_t *wide; /* [WIDE_BINS] the keys' top bits' histogram, or NULL */
} pass1_t;

/* The passes keep their state in locals: through p, every histogram
 * increment could alias it, and the sums would go to memory and back each
 * value (an RBTS run's summary took twice as long). */
static void pass1(void *ctx, const double *x, size_t len, size_t zeros)
{
    pass1_t *p = ctx;
    ksum_t sum = p->sum;
    uint64_t lo = p->min, hi = p->max, *const wide = p->wide;
    size_t positive = p->positive;
    /* +0.0 leaves the sum as it is (its parts start at +0.0 and never
     * become -0.0, so s + 0.0 is s), and is not above 0 */
    if (zeros) {
        lo = KEY_ZERO < lo ? KEY_ZERO : lo;
        hi = KEY_ZERO > hi ? KEY_ZERO : hi;
        if (wide)
            wide[KEY_ZERO >> (64 - WIDE_BITS)] += zeros;
    }
    for (size_t i = 0; i < len; ++i) {
        const uint64_t k = key_of(x[i]);
        ksum_add(&sum, x[i]);
        lo = k < lo ? k : lo;
        hi = k > hi ? k : hi;
        positive += x[i] > 0.0;
        if (wide)
            ++wide[k >> (64 - WIDE_BITS)];
    }
    p->sum = sum;
    p->min = lo;
    p->max = hi;
    p->positive = positive;
}

/* The values of the targets' bins (wide histogram): group g's least and
 * greatest key, and its keys when it has a store. */
typedef struct {
    const uint8_t *group; /* [WIDE_BINS] a bin's group + 1, 0 for the rest */
    uint64_t min[MAX_TARGETS], max[MAX_TARGETS];
    uint64_t *store[MAX_TARGETS];
    size_t fill[MAX_TARGETS];
    unsigned big; /* the group of the bin with the most values, of those too
                   * many to store, + 1 (0: none) */
} gather_t;

/* Squared deviations from the first pass's mean m: the variance (the +0.0
 * values' counted, added at the end as one term); and the targets' bins'
 * values, when gathered. */
typedef struct {
    double m;
    ksum_t dd;
    size_t zeros;
    gather_t *gather; /* or NULL */
} pass2_t;

/* Key k, n times (n >= 1), into the gather. The bin with the most values
 * keeps its least and greatest key in *lo and *hi, by selects (registers:
 * in memory, a bin that takes most values, the zeros of the trials that
 * shed nothing, made each value wait for the last one's store); another
 * target's bin its own, and its store when it has one (a branch that seldom
 * goes their way). */
static inline void gather_key(gather_t *q, uint64_t k, size_t n, unsigned big, uint64_t *lo,
                              uint64_t *hi)
{
    const unsigned g = q->group[k >> (64 - WIDE_BITS)];
    *lo = g == big && k < *lo ? k : *lo;
    *hi = g == big && k > *hi ? k : *hi;
    if (!g || g == big)
        return;
    q->min[g - 1] = k < q->min[g - 1] ? k : q->min[g - 1];
    q->max[g - 1] = k > q->max[g - 1] ? k : q->max[g - 1];
    for (size_t i = 0; q->store[g - 1] && i < n; ++i)
        q->store[g - 1][q->fill[g - 1]++] = k;
}

static void pass2(void *ctx, const double *x, size_t len, size_t zeros)
{
    pass2_t *p = ctx;
    gather_t *q = p->gather;
    const double m = p->m;
    ksum_t dd = p->dd;
    p->zeros += zeros;
    if (!q) {
        for (size_t i = 0; i < len; ++i)
            ksum_add(&dd, (x[i] - m) * (x[i] - m));
        p->dd = dd;
        return;
    }
    const unsigned big = q->big;
    uint64_t big_lo = big ? q->min[big - 1] : 0, big_hi = big ? q->max[big - 1] : 0;
    if (zeros)
        gather_key(q, KEY_ZERO, zeros, big, &big_lo, &big_hi);
    for (size_t i = 0; i < len; ++i) {
        ksum_add(&dd, (x[i] - m) * (x[i] - m));
        gather_key(q, key_of(x[i]), 1, big, &big_lo, &big_hi);
    }
    if (big) {
        q->min[big - 1] = big_lo;
        q->max[big - 1] = big_hi;
    }
    p->dd = dd;
}

/* One radix pass: for each group of targets sharing the key's top `shift`
 * bits (prefix), a histogram of the next DIGIT_BITS bits. */
typedef struct {
    unsigned shift; /* bits already known: 0, 8, ..., 56 */
    size_t n_groups;
    uint64_t prefix[MAX_TARGETS];
    uint64_t hist[MAX_TARGETS][N_BINS];
} radix_t;

static void radix_pass(void *ctx, const double *x, size_t len, size_t zeros)
{
    radix_t *p = ctx;
    const unsigned low = 64 - p->shift - DIGIT_BITS;
    const uint64_t top0 = p->shift ? KEY_ZERO >> (64 - p->shift) : 0;
    for (size_t g = 0; g < p->n_groups; ++g)
        p->hist[g][(KEY_ZERO >> low) & (N_BINS - 1)] += top0 == p->prefix[g] ? zeros : 0;
    for (size_t i = 0; i < len; ++i) {
        const uint64_t k = key_of(x[i]);
        const uint64_t top = p->shift ? k >> (64 - p->shift) : 0;
        const size_t bin = (size_t)((k >> low) & (N_BINS - 1));
        for (size_t g = 0; g < p->n_groups; ++g)
            p->hist[g][bin] += top == p->prefix[g];
    }
}

/*
 * The order statistics of src whose keys' top `known` bits are key[j] and
 * whose ranks among the values sharing those bits are left[j], exactly: the
 * keys are found DIGIT_BITS at a time, most significant first, each pass
 * counting the values that share the bits known so far (a radix select).
 * key[j] ends as the whole key. Memory is one histogram per distinct prefix,
 * whatever src->n.
 */
static void select_keys(const stats_src_t *src, double *buf, uint64_t *key, size_t *left, size_t nt,
                        unsigned known)
{
    radix_t p;
    for (p.shift = known; p.shift < 64; p.shift += DIGIT_BITS) {
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
}

static int by_key(const void *a, const void *b)
{
    const uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* The wide path's end: each target's key from its group's least key (all
 * one value), its sorted store, or the 8-bit passes. */
static void finish_wide(const stats_src_t *src, double *buf, gather_t *q, const size_t *grp,
                        uint64_t *key, size_t *left, size_t nt)
{
    uint64_t rkey[MAX_TARGETS];
    size_t rleft[MAX_TARGETS], rj[MAX_TARGETS], nr = 0;
    for (size_t g = 0; g < MAX_TARGETS; ++g)
        if (q->store[g] && q->min[g] != q->max[g])
            qsort(q->store[g], q->fill[g], sizeof *q->store[g], by_key);
    for (size_t j = 0; j < nt; ++j) {
        const size_t g = grp[j];
        if (q->min[g] == q->max[g])
            key[j] = q->min[g];
        else if (q->store[g])
            key[j] = q->store[g][left[j]];
        else {
            rkey[nr] = key[j];
            rleft[nr] = left[j];
            rj[nr++] = j;
        }
    }
    if (!nr)
        return;
    select_keys(src, buf, rkey, rleft, nr, WIDE_BITS);
    for (size_t i = 0; i < nr; ++i)
        key[rj[i]] = rkey[i];
}

/* The targets' bins from the wide histogram h (made cumulative here): key[j]
 * the bin of rank[j], left[j] its rank within it, grp[j] its group (one per
 * distinct bin), q's groups and stores set up. -1 when out of memory. */
static int start_wide(uint64_t *h, const size_t *rank, size_t nt, uint64_t *key, size_t *left,
                      size_t *grp, uint8_t *group_of, gather_t *q)
{
    for (size_t b = 1; b < WIDE_BINS; ++b)
        h[b] += h[b - 1];
    size_t ng = 0, bin_of[MAX_TARGETS];
    uint64_t big_count = 0;
    for (size_t j = 0; j < nt; ++j) {
        size_t lo = 0,
               hi = WIDE_BINS - 1; /* the first bin whose cumulative count exceeds the rank */
        while (lo < hi) {
            const size_t mid = lo + (hi - lo) / 2;
            if (h[mid] > rank[j])
                hi = mid;
            else
                lo = mid + 1;
        }
        const uint64_t below = lo ? h[lo - 1] : 0;
        key[j] = lo;
        left[j] = rank[j] - (size_t)below;
        size_t g = 0;
        while (g < ng && bin_of[g] != lo)
            ++g;
        if (g == ng) {
            bin_of[ng++] = lo;
            group_of[lo] = (uint8_t)(g + 1);
            q->min[g] = UINT64_MAX;
            q->max[g] = 0;
            const uint64_t count = h[lo] - below;
            if (count <= GATHER_MAX && !(q->store[g] = malloc(count * sizeof *q->store[g])))
                return -1;
            if (count > GATHER_MAX && count > big_count) { /* no store to fill */
                big_count = count;
                q->big = (unsigned)(g + 1);
            }
        }
        grp[j] = g;
    }
    return 0;
}

/* The tail's excess over its threshold: the worst `tail` values are the
 * threshold itself (as many copies as ties need) and the values above it, so
 * their mean is the threshold plus the excesses over it / tail (exactly the
 * value for a quantity that never varies). */
typedef struct {
    uint64_t key; /* the threshold's key */
    double value;
    ksum_t excess;
    size_t zeros; /* +0.0 values above it (a threshold below 0), added at the end */
} tail_t;

static void tail_pass(void *ctx, const double *x, size_t len, size_t zeros)
{
    tail_t *p = ctx;
    p->zeros += KEY_ZERO > p->key ? zeros : 0;
    const uint64_t key = p->key;
    const double value = p->value;
    ksum_t excess = p->excess;
    for (size_t i = 0; i < len; ++i)
        if (key_of(x[i]) > key)
            ksum_add(&excess, x[i] - value);
    p->excess = excess;
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
    const int wide = n >= WIDE_MIN_N;
    uint64_t *h = wide ? calloc(WIDE_BINS, sizeof *h) : NULL;
    uint8_t *group_of = wide ? calloc(WIDE_BINS, 1) : NULL;
    gather_t q = {.group = group_of};
    int rc = !buf || (wide && (!h || !group_of)) ? -1 : 0;
    pass1_t p1 = {{0.0, 0.0}, UINT64_MAX, 0, 0, h};
    if (!rc)
        each_run(src, buf, pass1, &p1);

    static const double f[4] = {0.05, 0.50, 0.95, 0.99};
    static const int slot[4] = {STATS_P5, STATS_P50, STATS_P95, STATS_P99};
    const size_t tail = (size_t)ceil(0.05 * (double)n);
    size_t rank[MAX_TARGETS];
    for (int q4 = 0; q4 < 4; ++q4) {
        const size_t lhs = (size_t)(f[q4] * (double)(n - 1));
        rank[2 * q4] = lhs;
        rank[2 * q4 + 1] = lhs + 1 < n ? lhs + 1 : lhs;
    }
    rank[8] = n - tail;
    uint64_t key[MAX_TARGETS] = {0};
    size_t left[MAX_TARGETS]; /* rank among the values sharing key's known bits */
    size_t grp[MAX_TARGETS];  /* the wide path: the target's bin's group */
    memcpy(left, rank, sizeof rank);
    if (!rc && wide)
        rc = start_wide(h, rank, MAX_TARGETS, key, left, grp, group_of, &q);
    if (rc) {
        for (size_t g = 0; g < MAX_TARGETS; ++g)
            free(q.store[g]);
        free(group_of);
        free(h);
        free(buf);
        return -1;
    }
    const double lo = value_of(p1.min), hi = value_of(p1.max);
    pass2_t p2 = {ksum(&p1.sum) / (double)n, {0.0, 0.0}, 0, wide ? &q : NULL};
    each_run(src, buf, pass2, &p2);
    /* the +0.0 values' squared deviations, each (0 - m)^2: one term (none
     * without them: 0 times an overflowed square would be NaN) */
    if (p2.zeros)
        ksum_add(&p2.dd, (double)p2.zeros * ((0.0 - p2.m) * (0.0 - p2.m)));
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

    if (wide)
        finish_wide(src, buf, &q, grp, key, left, MAX_TARGETS);
    else
        select_keys(src, buf, key, left, MAX_TARGETS, 0);
    double x[MAX_TARGETS];
    for (size_t j = 0; j < MAX_TARGETS; ++j)
        x[j] = value_of(key[j]);
    for (int q4 = 0; q4 < 4; ++q4)
        out[slot[q4]] = interpolate(f[q4], n, x[2 * q4], x[2 * q4 + 1]);
    out[STATS_VAR95] = out[STATS_P95];
    /* the worst `tail` values: those above the threshold, and as many copies
     * of the threshold as it takes (ties share it) */
    tail_t t = {key_of(x[8]), x[8], {0.0, 0.0}, 0};
    each_run(src, buf, tail_pass, &t);
    if (t.zeros) /* the +0.0 values above it: one term */
        ksum_add(&t.excess, (double)t.zeros * (0.0 - x[8]));
    out[STATS_CVAR95] = x[8] + ksum(&t.excess) / (double)tail;
    for (size_t g = 0; g < MAX_TARGETS; ++g)
        free(q.store[g]);
    free(group_of);
    free(h);
    free(buf);
    return 0;
}

int stats_summarize(const double *x, size_t n, double *out)
{
    const stats_src_t src = {NULL, NULL, n, x, NULL};
    return stats_summarize_src(&src, out, NULL);
}
