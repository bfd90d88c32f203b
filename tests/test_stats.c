/* test_stats.c - summary statistics against values computed by hand
 * (and by NumPy's default quantile, which uses the same definition). */
#include "testutil.h"

#include "../kernels/stats.h"

#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void test_quantiles_1_to_10(void **st)
{
    (void)st;
    const double x[] = {7, 3, 10, 1, 5, 9, 2, 8, 4, 6};
    double out[STATS_N];
    assert_int_equal(stats_summarize(x, 10, out), 0);
    assert_true(out[STATS_MEAN] == 5.5);
    assert_true(fabs(out[STATS_SD] - 3.0276503540974917) < 1e-12);
    assert_true(fabs(out[STATS_SE] - 3.0276503540974917 / sqrt(10.0)) < 1e-12);
    /* numpy.quantile(range(1,11), [.05,.5,.95,.99]) = 1.45, 5.5, 9.55, 9.91 */
    assert_true(fabs(out[STATS_P5] - 1.45) < 1e-12);
    assert_true(fabs(out[STATS_P50] - 5.5) < 1e-12);
    assert_true(fabs(out[STATS_P95] - 9.55) < 1e-12);
    assert_true(fabs(out[STATS_P99] - 9.91) < 1e-12);
    /* VaR95 is the 95% quantile: (n - 1) 0.95 = 8.55, 9 + 0.55 (10 - 9) */
    assert_true(fabs(out[STATS_VAR95] - 9.55) < 1e-12);
    /* worst ceil(0.5) = 1 value */
    assert_true(out[STATS_CVAR95] == 10.0);
    assert_true(out[STATS_MIN] == 1.0 && out[STATS_MAX] == 10.0);
}

static void test_cvar_tail_mean(void **st)
{
    (void)st;
    double x[100], out[STATS_N];
    for (int i = 0; i < 100; ++i)
        x[i] = (double)(99 - i); /* 0..99 reversed */
    assert_int_equal(stats_summarize(x, 100, out), 0);
    /* worst 5: 95..99, mean 97; VaR at (n - 1) 0.95 = 94.05 */
    assert_true(out[STATS_CVAR95] == 97.0);
    assert_true(fabs(out[STATS_VAR95] - 94.05) < 1e-12);
}

/* Unevenly spaced values, so that interpolation and the tail mean are seen:
 * the squares 0, 1, 4, ..., 841 in scrambled order (i = 7 k mod 30). */
static void test_var_cvar_by_hand(void **st)
{
    (void)st;
    double x[30], out[STATS_N];
    for (int k = 0; k < 30; ++k) {
        const int i = (7 * k) % 30;
        x[k] = (double)(i * i);
    }
    assert_int_equal(stats_summarize(x, 30, out), 0);
    /* (n - 1) 0.95 = 27.55: 27^2 + 0.55 (28^2 - 27^2) = 729 + 0.55 * 55 */
    assert_true(fabs(out[STATS_VAR95] - 759.25) < 1e-9);
    /* tail: the worst ceil(0.05 * 30) = 2 values, 28^2 and 29^2 */
    assert_true(fabs(out[STATS_CVAR95] - (784.0 + 841.0) / 2.0) < 1e-12);
    assert_true(out[STATS_MAX] == 841.0);
}

static void test_single_value(void **st)
{
    (void)st;
    const double x[] = {4.25};
    double out[STATS_N];
    assert_int_equal(stats_summarize(x, 1, out), 0);
    assert_true(out[STATS_MEAN] == 4.25 && out[STATS_SD] == 0.0 && out[STATS_P99] == 4.25);
}

/* The key order of the summary's radix select: a double's bits, the sign
 * flipped for positives and every bit for negatives (-0.0 below +0.0). */
static uint64_t key(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return u >> 63 ? ~u : u | (1ULL << 63);
}

static int by_key(const void *a, const void *b)
{
    const uint64_t x = key(*(const double *)a), y = key(*(const double *)b);
    return (x > y) - (x < y);
}

/* The oracle: a sort (by the same key, so that signed zeros compare by bits),
 * GSL's quantiles of the sorted values, and the sums in long double. */
static void sorted_summary(const double *x, size_t n, double *out)
{
    double *v = malloc((n ? n : 1) * sizeof *v); /* n >= 1: a summary needs a value */
    assert_non_null(v);
    memcpy(v, x, n * sizeof *v);
    qsort(v, n, sizeof *v, by_key);
    /* compensated (Neumaier) in long double: a plain long double sum of
     * 65,535 values a few ulps above 1 drops their last bits, which the
     * summary's compensated double sums rightly keep */
    long double sum = 0.0L, ss = 0.0L, top = 0.0L, comp = 0.0L;
    for (size_t i = 0; i < n; ++i) {
        const long double t = sum + v[i];
        comp += fabsl(sum) >= fabsl(v[i]) ? (sum - t) + v[i] : (v[i] - t) + sum;
        sum = t;
    }
    const long double mean = (sum + comp) / (long double)n;
    for (size_t i = 0; i < n; ++i)
        ss += ((long double)v[i] - mean) * ((long double)v[i] - mean);
    out[STATS_MEAN] = (double)mean;
    out[STATS_SD] = n > 1 ? (double)sqrtl(ss / (long double)(n - 1)) : 0.0;
    out[STATS_P5] = gsl_stats_quantile_from_sorted_data(v, 1, n, 0.05);
    out[STATS_P50] = gsl_stats_quantile_from_sorted_data(v, 1, n, 0.50);
    out[STATS_P95] = gsl_stats_quantile_from_sorted_data(v, 1, n, 0.95);
    out[STATS_P99] = gsl_stats_quantile_from_sorted_data(v, 1, n, 0.99);
    const size_t tail = (size_t)ceil(0.05 * (double)n);
    for (size_t i = n - tail; i < n; ++i)
        top += v[i];
    out[STATS_CVAR95] = (double)(top / (long double)tail);
    out[STATS_MIN] = v[0];
    out[STATS_MAX] = v[n - 1];
    free(v);
}

/*
 * The radix select against sorting, on samples built to break it: sizes
 * around the read run (8,192) and the quantiles' rounding, heavy ties (a
 * few distinct values, as hours of shedding are), both signs and zeros
 * (paired differences), tiny and huge magnitudes (keys that differ only in
 * their low bytes or only in their exponent); and sizes past 65,536, where
 * the select starts from a 16-bit histogram: a target's bin sorted in
 * memory (continuous), one value (ties), too many values to sort (keys that
 * differ only in their last byte: the 8-bit passes from the 16 bits; also
 * in increasing and in decreasing order). The order statistics must be
 * the same doubles, bit for bit; sums are compensated, so mean, sd and the
 * tail mean agree with long double sums to a few roundings.
 */
static void test_radix_select_equals_sorting(void **st)
{
    (void)st;
    static const size_t sizes[] = {1,    2,    3,     19,    20,    21,    100,   2047,  8191,
                                   8192, 8193, 16385, 30001, 65535, 65536, 70001, 300001};
    uint64_t seed = 42;
    for (size_t si = 0; si < sizeof sizes / sizeof *sizes; ++si)
        for (int kind = 0; kind < 9; ++kind) {
            const size_t n = sizes[si];
            double *x = malloc(n * sizeof *x), got[STATS_N], want[STATS_N];
            assert_non_null(x);
            double scale = 0.0, largest = 0.0;
            for (size_t i = 0; i < n; ++i) {
                const uint64_t u = tu_mix(&seed);
                const double f = (double)(u >> 11) * 0x1.0p-53; /* [0, 1) */
                switch (kind) {
                case 0: /* continuous, positive */
                    x[i] = 1e3 * f;
                    break;
                case 1: /* a few values, heavy ties */
                    x[i] = (double)(u % 4) * 0.5;
                    break;
                case 2: /* both signs, exact zeros of both signs */
                    x[i] = u % 5 == 0 ? (u & 8 ? 0.0 : -0.0) : 2.0 * f - 1.0;
                    break;
                case 3: /* 1 + a few ulps: keys differing in their last byte only */
                    x[i] = 1.0 + (double)(u % 7) * 0x1.0p-52;
                    break;
                case 4: /* magnitudes from 1e-150 to 1e150 (squares finite), both signs */
                    x[i] = (u & 1 ? -1.0 : 1.0) * pow(10.0, 300.0 * f - 150.0);
                    break;
                case 7: /* a reliable system: 7 in 8 +0.0 (taken in bulk), the rest
                         * a few hours; the +0.0 bin sorted in memory (70,001: 61,000
                         * of them) or too large to (300,001) */
                    x[i] = u % 8 ? 0.0 : (double)(1 + u / 8 % 5);
                    break;
                case 8: /* mostly below 0, 3% +0.0 and 2% -0.0 at the top: the tail's
                         * threshold below +0.0, whose values the tail takes in bulk */
                    x[i] = u % 100 < 3 ? 0.0 : u % 100 < 5 ? -0.0 : -1.0 - f;
                    break;
                default: /* 1 + 0..6 ulps in order, up (5) or down (6): the bin's
                          * greatest (least) value last, where a wrong running least
                          * (greatest) key could meet the other and call the bin one value */
                    x[i] = 1.0 + (double)((kind == 5 ? i : n - 1 - i) * 7 / n) * 0x1.0p-52;
                }
                scale += fabs(x[i]) / (double)n; /* the mean magnitude */
                largest = fmax(largest, fabs(x[i]));
            }
            const stats_src_t src = {NULL, NULL, n, x, NULL};
            size_t positive = 0, above = 0;
            assert_int_equal(stats_summarize_src(&src, got, &positive), 0);
            sorted_summary(x, n, want);
            for (size_t i = 0; i < n; ++i)
                above += x[i] > 0.0;
            assert_int_equal(positive, above); /* zeros of both signs are not above 0 */
            static const int exact[] = {STATS_P5,  STATS_P50, STATS_P95,
                                        STATS_P99, STATS_MIN, STATS_MAX};
            for (size_t k = 0; k < sizeof exact / sizeof *exact; ++k)
                if (memcmp(&got[exact[k]], &want[exact[k]], sizeof(double)))
                    fail_msg("n %zu kind %d: %s %.17g, sorting gives %.17g", n, kind,
                             stats_names[exact[k]], got[exact[k]], want[exact[k]]);
            assert_true(got[STATS_VAR95] == got[STATS_P95]);
            /* within 4 roundings of the long double sums, plus a thousandth of a
             * rounding of the mean magnitude: a plain running sum misses by about
             * sqrt(n) roundings of it, so this fails an uncompensated sum. sd
             * also carries the rounding of the mean into every deviation: one
             * rounding of the largest value more (it matters when sd is a few
             * ulps of the values, kind 3); cvar95 is the threshold plus the
             * mean excess over it, which can nearly cancel (kind 8: about -1.0 +
             * 0.99), so it too carries one rounding of the largest value. */
            static const int summed[] = {STATS_MEAN, STATS_SD, STATS_CVAR95};
            for (size_t k = 0; k < sizeof summed / sizeof *summed; ++k) {
                const double w = want[summed[k]];
                const double tol = 0x1p-51 * fabs(w) + 1e-3 * 0x1p-53 * scale +
                                   (summed[k] != STATS_MEAN ? 0x1p-52 * largest : 0.0);
                if (!(fabs(got[summed[k]] - w) <= tol))
                    fail_msg("n %zu kind %d: %s %.17g, the long double sums give %.17g", n, kind,
                             stats_names[summed[k]], got[summed[k]], w);
            }
            assert_true(got[STATS_SE] == got[STATS_SD] / sqrt((double)n));
            free(x);
        }
}

/* The passes take +0.0 values in bulk: a sample read in place (x), through
 * fill, or through fill_kept (only its other values: the columns' reader)
 * gives the same summary, bit for bit, at sizes around the run and the wide
 * path's start, mostly +0.0, with -0.0 among the rest. */
typedef struct {
    const double *x;
} src_ctx_t;

static void fill_all(void *ctx, size_t i0, size_t len, double *buf)
{
    memcpy(buf, ((const src_ctx_t *)ctx)->x + i0, len * sizeof *buf);
}

static size_t fill_kept(void *ctx, size_t i0, size_t len, double *buf)
{
    const double *x = ((const src_ctx_t *)ctx)->x + i0;
    size_t k = 0;
    for (size_t i = 0; i < len; ++i)
        if (x[i] != 0.0 || signbit(x[i]))
            buf[k++] = x[i];
    return k;
}

static void test_sources_agree(void **st)
{
    (void)st;
    static const size_t sizes[] = {1, 8191, 8193, 65535, 70001};
    uint64_t seed = 7;
    for (size_t si = 0; si < sizeof sizes / sizeof *sizes; ++si) {
        const size_t n = sizes[si];
        double *x = malloc(n * sizeof *x), a[STATS_N], b[STATS_N], c[STATS_N];
        assert_non_null(x);
        for (size_t i = 0; i < n; ++i) {
            const uint64_t u = tu_mix(&seed);
            x[i] = u % 4 ? 0.0 : u % 3 ? (double)(u >> 40) * 0x1p-20 - 4.0 : -0.0;
        }
        src_ctx_t ctx = {x};
        const stats_src_t dense = {&ctx, fill_all, n, NULL, NULL};
        const stats_src_t kept = {&ctx, NULL, n, NULL, fill_kept};
        size_t pa = 0, pb = 0;
        assert_int_equal(stats_summarize(x, n, a), 0);
        assert_int_equal(stats_summarize_src(&dense, b, &pa), 0);
        assert_int_equal(stats_summarize_src(&kept, c, &pb), 0);
        assert_memory_equal(a, b, sizeof a);
        assert_memory_equal(a, c, sizeof a);
        assert_int_equal(pa, pb);
        free(x);
    }
}

/* A quantity that never varies: its value exactly (a sum of n copies of 0.1
 * is not n x 0.1), sd 0. */
static void test_constant_sample(void **st)
{
    (void)st;
    static const double v[] = {0.1, 1.0 / 3.0, -2.7, 1e-300, 123456.789};
    for (size_t k = 0; k < sizeof v / sizeof *v; ++k)
        for (size_t n = 1; n <= 5000; n = n * 3 + 1) {
            double *x = malloc(n * sizeof *x), out[STATS_N];
            assert_non_null(x);
            for (size_t i = 0; i < n; ++i)
                x[i] = v[k];
            assert_int_equal(stats_summarize(x, n, out), 0);
            if (!(out[STATS_MEAN] == v[k] && out[STATS_SD] == 0.0 && out[STATS_CVAR95] == v[k] &&
                  out[STATS_P50] == v[k]))
                fail_msg("%zu x %.17g: mean %.17g sd %g cvar95 %.17g", n, v[k], out[STATS_MEAN],
                         out[STATS_SD], out[STATS_CVAR95]);
            free(x);
        }
}

/* Compensated sums: 1e16 + 1 + ... does not lose the ones a plain sum drops
 * (a plain running sum of 1e16 and a thousand 1s stays at 1e16). */
static void test_compensated_mean(void **st)
{
    (void)st;
    enum { N = 1001 };
    double x[N], out[STATS_N];
    x[0] = 1e16;
    for (int i = 1; i < N; ++i)
        x[i] = 1.0;
    assert_int_equal(stats_summarize(x, N, out), 0);
    assert_true(out[STATS_MEAN] == (1e16 + 1000.0) / N);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quantiles_1_to_10),
        cmocka_unit_test(test_cvar_tail_mean),
        cmocka_unit_test(test_var_cvar_by_hand),
        cmocka_unit_test(test_single_value),
        cmocka_unit_test(test_radix_select_equals_sorting),
        cmocka_unit_test(test_compensated_mean),
        cmocka_unit_test(test_constant_sample),
        cmocka_unit_test(test_sources_agree),
    };
    return cmocka_run_group_tests_name("stats", tests, NULL, NULL);
}
