/* test_outage.c - two-state Markov outage sampling. */
#include "testutil.h"

#include "../kernels/outage.h"
#include "../model/spans.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { CAP = 4096 };

/* Spans are inside the horizon, non-empty, sorted and disjoint. Two spans
 * may touch (an up time that crosses no hour start leaves the down hours on
 * either side as two spans), but never overlap. */
static void test_spans_well_formed(void **st)
{
    (void)st;
    outage_span_t sp[CAP];
    for (uint64_t t = 0; t < 2000; ++t) {
        rng_stream_t s;
        rng_init(&s, 1, 0x80000001u, t);
        const size_t n = outage_sample(&s, 200.0, 30.0, 8760, sp, CAP);
        assert_true(n <= CAP);
        for (size_t i = 0; i < n; ++i) {
            assert_true(sp[i].down_h >= 0 && sp[i].up_h <= 8760);
            assert_true(sp[i].down_h < sp[i].up_h);
            if (i)
                assert_true(sp[i - 1].up_h <= sp[i].down_h);
        }
    }
}

/* Fraction of hours down equals FOR = MTTR / (MTTF + MTTR), within 4
 * standard errors of the per-trial fractions; checked for RBTS-like and
 * fast-cycling units. */
static void test_stationary_unavailability(void **st)
{
    (void)st;
    const double cases[][2] = {{1460.0, 45.1546}, {4380.0, 44.2424}, {50.0, 10.0}, {3.0, 2.5}};
    outage_span_t *sp = malloc(CAP * 8 * sizeof *sp);
    for (size_t c = 0; c < sizeof cases / sizeof *cases; ++c) {
        const double mttf = cases[c][0], mttr = cases[c][1], q = mttr / (mttf + mttr);
        enum { T = 20000, H = 8736 };
        double sum = 0, sum2 = 0;
        for (uint64_t t = 0; t < T; ++t) {
            rng_stream_t s;
            rng_init(&s, 17, 0x80000000u + (uint32_t)c, t);
            const size_t n = outage_sample(&s, mttf, mttr, H, sp, CAP * 8);
            assert_true(n <= CAP * 8);
            double down = 0;
            for (size_t i = 0; i < n; ++i)
                down += sp[i].up_h - sp[i].down_h;
            const double f = down / H;
            sum += f;
            sum2 += f * f;
        }
        const double m = sum / T, sd = sqrt((sum2 - T * m * m) / (T - 1));
        TU_WITHIN_SE(m, q, sd / sqrt((double)T), 4.0);
    }
    free(sp);
}

/* The initial state is stationary: hour 0 is down with probability FOR. */
static void test_initial_state_stationary(void **st)
{
    (void)st;
    enum { T = 200000 };
    const double mttf = 100.0, mttr = 25.0, q = 0.2;
    outage_span_t sp[CAP];
    long down0 = 0;
    for (uint64_t t = 0; t < T; ++t) {
        rng_stream_t s;
        rng_init(&s, 3, 0x80000042u, t);
        const size_t n = outage_sample(&s, mttf, mttr, 100, sp, CAP);
        down0 += n > 0 && sp[0].down_h == 0;
    }
    TU_WITHIN_SE((double)down0 / T, q, sqrt(q * (1 - q) / T), 4.0);
}

/* A unit that never fails draws nothing and has no spans. */
static void test_perfect_unit(void **st)
{
    (void)st;
    outage_span_t sp[4];
    rng_stream_t s;
    rng_init(&s, 1, 2, 3);
    assert_int_equal(outage_sample(&s, INFINITY, 10.0, 8760, sp, 4), 0);
    assert_int_equal(outage_sample(&s, 100.0, 0.0, 8760, sp, 4), 0);
    /* invalid rates (the loaders reject them) draw nothing and end */
    assert_int_equal(outage_sample(&s, -5.0, 10.0, 8760, sp, 4), 0);
    assert_int_equal(outage_sample(&s, NAN, 10.0, 8760, sp, 4), 0);
    assert_int_equal(outage_sample(&s, 100.0, NAN, 8760, sp, 4), 0);
    assert_int_equal(rng_words_drawn(&s), 0); /* no draw was taken */
    /* an empty or negative horizon has no spans */
    assert_int_equal(outage_sample(&s, 100.0, 10.0, 0, sp, 4), 0);
    assert_int_equal(outage_sample(&s, 100.0, 10.0, -5, sp, 4), 0);
}

/* Too small a buffer reports the true count; a retry gives the same spans. */
static void test_buffer_overflow_retry(void **st)
{
    (void)st;
    outage_span_t small[2], big[CAP];
    rng_stream_t s;
    rng_init(&s, 8, 9, 10);
    const size_t n = outage_sample(&s, 5.0, 5.0, 8760, small, 2);
    assert_true(n > 2);
    rng_init(&s, 8, 9, 10);
    const size_t n2 = outage_sample(&s, 5.0, 5.0, 8760, big, CAP);
    assert_int_equal(n, n2);
    assert_int_equal(small[0].down_h, big[0].down_h);
    assert_int_equal(small[1].up_h, big[1].up_h);
}

/* Outage frequency. Failures arrive at rate 1 / (MTTF + MTTR) at uniform
 * positions within the hour; one at t0 leaves a span iff its repair time
 * exceeds ceil(t0) - t0 (probability MTTR (1 - exp(-1/MTTR)) on average)
 * and ceil(t0) < H; a unit down at 0 (probability q) adds one. So
 * E[spans] = q + (H - 1) MTTR (1 - exp(-1/MTTR)) / (MTTF + MTTR); the
 * sample mean must be within 4 standard errors of it. */
static void test_failure_frequency(void **st)
{
    (void)st;
    enum { T = 50000, H = 8760 };
    const double mttf = 1000.0, mttr = 50.0;
    outage_span_t sp[CAP];
    double sum = 0, sum2 = 0;
    for (uint64_t t = 0; t < T; ++t) {
        rng_stream_t s;
        rng_init(&s, 5, 0x80000077u, t);
        const double n = (double)outage_sample(&s, mttf, mttr, H, sp, CAP);
        sum += n;
        sum2 += n * n;
    }
    const double m = sum / T, sd = sqrt((sum2 - T * m * m) / (T - 1));
    const double q = mttr / (mttf + mttr);
    const double expect = q + (H - 1) * mttr * (1.0 - exp(-1.0 / mttr)) / (mttf + mttr);
    TU_WITHIN_SE(m, expect, sd / sqrt((double)T), 4.0);
}

/* The walk of docs/MODEL.md s.3 one draw at a time, as outage_sample was
 * before its draws came in batches: the batches must change nothing. */
static size_t walk_one_by_one(rng_stream_t *s, double mttf, double mttr, int32_t horizon_h,
                              outage_span_t *sp, size_t cap)
{
    const double horizon = (double)horizon_h;
    size_t n = 0;
    double t = 0.0, down = 0.0;
    int up = rng_uniform(s) < mttf / (mttf + mttr);
    for (;;) {
        t += rng_exponential(s, up ? mttf : mttr);
        if (t >= horizon && up)
            break;
        if (up) {
            down = t;
        } else {
            const double h1 = ceil(t < horizon ? t : horizon);
            if (h1 > ceil(down)) {
                if (n < cap)
                    sp[n] = (outage_span_t){(int32_t)ceil(down), (int32_t)h1};
                ++n;
            }
            if (t >= horizon)
                break;
        }
        up = !up;
    }
    return n;
}

/* Same spans as the draw-by-draw walk, bit for bit, for units that need no
 * draw after the initial state, a few (one batch), and thousands (many). */
static void test_batches_change_nothing(void **st)
{
    (void)st;
    static outage_span_t a[CAP], b[CAP];
    const double mttf[] = {1e12, 2940, 450, 1100, 5.0, 40.0, 0.7};
    const double mttr[] = {10.0, 60.0, 50.0, 150.0, 5.0, 2.0, 0.4};
    for (size_t k = 0; k < sizeof mttf / sizeof *mttf; ++k) {
        for (uint64_t t = 0; t < 200; ++t) {
            rng_stream_t s1, s2;
            rng_init(&s1, 4, 0x80000011u, t);
            rng_init(&s2, 4, 0x80000011u, t);
            const size_t n = outage_sample(&s1, mttf[k], mttr[k], 8760, a, CAP);
            assert_int_equal(n, walk_one_by_one(&s2, mttf[k], mttr[k], 8760, b, CAP));
            assert_true(n <= CAP);
            for (size_t i = 0; i < n; ++i) {
                assert_int_equal(a[i].down_h, b[i].down_h);
                assert_int_equal(a[i].up_h, b[i].up_h);
            }
        }
    }
}

/* A fleet's first draws made together (spans_fleet_draw) and each unit's
 * walk from them (spans_walk_unit) give every unit the spans it gets alone
 * (spans_sample_unit): units that never fail (no draws), rare and frequent
 * failures (refills after the first draws), thousands of transitions, over
 * one year and three, with a span buffer too small at first (the walk is
 * repeated from the same draws). */
static void test_fleet_equals_alone(void **st)
{
    (void)st;
    const double mttf[] = {1e12, 2940, INFINITY, 450, 1100, 5.0, 40.0, 0.7, 100.0};
    const double mttr[] = {10.0, 60.0, 10.0, 50.0, 150.0, 5.0, 2.0, 0.4, 0.0};
    enum { U = sizeof mttf / sizeof *mttf };
    scen_unit_t un[U];
    memset(un, 0, sizeof un);
    for (size_t u = 0; u < U; ++u) {
        un[u].mttf_h = mttf[u];
        un[u].mttr_h = mttr[u];
        un[u].capacity_mw = 10.0;
        un[u].stream = 0x80000000u | (uint32_t)(u * 2654435761u);
    }
    const int32_t horizons[] = {8760, 3 * 8736};
    for (size_t hz = 0; hz < 2; ++hz) {
        spans_fleet_t f;
        assert_int_equal(spans_fleet_init(&f, un, U, horizons[hz]), 0);
        assert_int_equal(f.n_jobs % SPANS_FLEET_LANES, 0);
        assert_true(2 * f.n_jobs >= f.off[U]);
        uint32_t *words = malloc(4 * f.n_jobs * sizeof *words);
        double *e = malloc((f.off[U] + 1) * sizeof *e);
        assert_non_null(words);
        assert_non_null(e);
        spans_t a, b;
        assert_int_equal(spans_init(&a, 1), 0);
        assert_int_equal(spans_init(&b, 1), 0);
        for (uint64_t t = 0; t < 60; ++t) {
            spans_fleet_draw(&f, 21, t, words, e);
            for (size_t u = 0; u < U; ++u) {
                const size_t n = spans_sample_unit(&a, &un[u], 21, t, horizons[hz]);
                assert_int_equal(spans_walk_unit(&b, &f, u, &un[u], words, e, 21, t, horizons[hz]),
                                 n);
                assert_memory_equal(a.v, b.v, n * sizeof *a.v);
            }
        }
        spans_free(&a);
        spans_free(&b);
        free(words);
        free(e);
        spans_fleet_free(&f);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spans_well_formed),
        cmocka_unit_test(test_stationary_unavailability),
        cmocka_unit_test(test_initial_state_stationary),
        cmocka_unit_test(test_perfect_unit),
        cmocka_unit_test(test_buffer_overflow_retry),
        cmocka_unit_test(test_failure_frequency),
        cmocka_unit_test(test_batches_change_nothing),
        cmocka_unit_test(test_fleet_equals_alone),
    };
    return cmocka_run_group_tests_name("outage", tests, NULL, NULL);
}
