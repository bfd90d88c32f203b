/* test_stats.c - summary statistics against values computed by hand
 * (and by NumPy's default quantile, which uses the same definition). */
#include "testutil.h"

#include "../kernels/stats.h"

#include <math.h>

static void test_quantiles_1_to_10(void **st)
{
    (void)st;
    const double x[] = {7, 3, 10, 1, 5, 9, 2, 8, 4, 6};
    double scratch[10], out[STATS_N];
    stats_summarize(x, 10, scratch, out);
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
    double x[100], scratch[100], out[STATS_N];
    for (int i = 0; i < 100; ++i)
        x[i] = (double)(99 - i); /* 0..99 reversed */
    stats_summarize(x, 100, scratch, out);
    /* worst 5: 95..99, mean 97; VaR at (n - 1) 0.95 = 94.05 */
    assert_true(out[STATS_CVAR95] == 97.0);
    assert_true(fabs(out[STATS_VAR95] - 94.05) < 1e-12);
}

/* Unevenly spaced values, so that interpolation and the tail mean are seen:
 * the squares 0, 1, 4, ..., 841 in scrambled order (i = 7 k mod 30). */
static void test_var_cvar_by_hand(void **st)
{
    (void)st;
    double x[30], scratch[30], out[STATS_N];
    for (int k = 0; k < 30; ++k) {
        const int i = (7 * k) % 30;
        x[k] = (double)(i * i);
    }
    stats_summarize(x, 30, scratch, out);
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
    double scratch[1], out[STATS_N];
    stats_summarize(x, 1, scratch, out);
    assert_true(out[STATS_MEAN] == 4.25 && out[STATS_SD] == 0.0 && out[STATS_P99] == 4.25);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quantiles_1_to_10),
        cmocka_unit_test(test_cvar_tail_mean),
        cmocka_unit_test(test_var_cvar_by_hand),
        cmocka_unit_test(test_single_value),
    };
    return cmocka_run_group_tests_name("stats", tests, NULL, NULL);
}
