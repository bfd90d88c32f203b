/* test_adequacy.c - hourly adequacy kernels: hand-made cases, ref == fast. */
#include "testutil.h"

#include "../kernels/adequacy.h"
#include "../kernels/rng.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* 24-hour "year": load 10 everywhere but 20 at hours 5-7 and 30 at hour 20.
 * Capacity 25; a 10 MW unit is out for hours 6..21 (events at 6 and 22).
 * Available: 25 except 15 on 6..21. Shortfall: hours 6,7 (20>15: 5 each)
 * and 20 (30>15: 15). Hours 5 (20<=25) is fine. Events: {6,7} and {20}. */
static void fill_day(double *l)
{
    for (int h = 0; h < 24; ++h)
        l[h] = 10.0;
    l[5] = l[6] = l[7] = 20.0;
    l[20] = 30.0;
}

static void check_day(int use_fast)
{
    double l[24];
    fill_day(l);
    adequacy_load_t load;
    assert_int_equal(adequacy_load_init(&load, l, 24), 0);
    assert_true(load.max_mw == 30.0);
    const adequacy_event_t ev[] = {{6, -10.0}, {22, 10.0}};
    adequacy_year_t y = {0, 0, 0}; /* output */
    int64_t lol[24] = {0};
    (use_fast ? adequacy_run_fast : adequacy_run_ref)(&load, 1, 25.0, ev, 2, &y, lol);
    assert_true(y.shed_h == 3.0);
    assert_true(y.unserved_mwh == 25.0);
    assert_true(y.events == 2.0);
    for (int h = 0; h < 24; ++h)
        assert_int_equal(lol[h], h == 6 || h == 7 || h == 20);
    adequacy_load_free(&load);
}

/* The difference kernel leaves its arrays all zero for the next trial. */
static void assert_all_zero(const adequacy_diff_t *d)
{
    for (size_t h = 0; h < d->hours; ++h)
        assert_true(d->delta_mw[h] == 0.0);
    const size_t nb = d->year_blocks * (d->hours / d->year_h);
    for (size_t k = 0; k < nb; ++k)
        assert_true(d->blk_sum_mw[k] == 0.0 && d->blk_drop_mw[k] == 0.0);
    assert_true(d->n_set == 0);
}

static void test_hand_day_ref(void **st)
{
    (void)st;
    check_day(0);
}

static void test_hand_day_fast(void **st)
{
    (void)st;
    check_day(1);
}

/* Equal load and capacity is not a shortfall (strictly below only). */
static void test_equal_is_not_short(void **st)
{
    (void)st;
    double l[48];
    for (int h = 0; h < 48; ++h)
        l[h] = 100.0;
    adequacy_load_t load;
    assert_int_equal(adequacy_load_init(&load, l, 48), 0);
    adequacy_year_t y;
    int64_t lol[48] = {0};
    adequacy_run_fast(&load, 1, 100.0, NULL, 0, &y, lol);
    assert_true(y.shed_h == 0.0 && y.unserved_mwh == 0.0 && y.events == 0.0);
    adequacy_run_ref(&load, 1, 99.5, NULL, 0, &y, lol);
    assert_true(y.shed_h == 48.0 && y.events == 1.0 && fabs(y.unserved_mwh - 24.0) < 1e-12);
    adequacy_load_free(&load);
}

/* A shortfall running over New Year is one event, counted in year 1. */
static void test_event_across_new_year(void **st)
{
    (void)st;
    double l[24];
    for (int h = 0; h < 24; ++h)
        l[h] = 50.0;
    adequacy_load_t load;
    assert_int_equal(adequacy_load_init(&load, l, 24), 0);
    const adequacy_event_t ev[] = {{22, -20.0}, {27, 20.0}};
    adequacy_year_t y[2];
    int64_t lol[48] = {0};
    adequacy_run_fast(&load, 2, 60.0, ev, 2, y, lol);
    assert_true(y[0].shed_h == 2.0 && y[0].events == 1.0);
    assert_true(y[1].shed_h == 3.0 && y[1].events == 0.0);
    assert_true(y[0].unserved_mwh == 20.0 && y[1].unserved_mwh == 30.0);
    adequacy_load_free(&load);
}

/* On random systems and loads, the fast kernel reproduces the reference
 * bit for bit, over several years, including the LOLP counts. */
static void test_fast_equals_ref_random(void **st)
{
    (void)st;
    enum { H = 500, Y = 3, NEV = 120 };
    double l[H];
    adequacy_event_t ev[NEV], tmp[NEV];
    rng_stream_t s;
    for (uint64_t trial = 0; trial < 300; ++trial) {
        rng_init(&s, 77, 1, trial);
        for (int h = 0; h < H; ++h)
            l[h] = 50.0 + 40.0 * sin(h / 12.0) + 10.0 * rng_uniform(&s);
        /* units of 10 MW failing and recovering at random hours, also
         * entered as outages into a second difference array (d2); every
         * other trial has few enough changes for the arrays' list of
         * changed hours, the others more (they clear every hour) */
        adequacy_diff_t d2;
        assert_int_equal(adequacy_diff_init(&d2, H, Y), 0);
        const size_t n_max = trial % 2 ? NEV : 40;
        size_t n = 0;
        while (n + 2 <= n_max) {
            const int32_t a = (int32_t)(rng_uniform(&s) * H * Y);
            const int32_t b = a + 1 + (int32_t)(rng_uniform(&s) * 80);
            ev[n++] = (adequacy_event_t){a, -10.0};
            if (b < H * Y)
                ev[n++] = (adequacy_event_t){b, 10.0};
            adequacy_diff_outage(&d2, (size_t)a, b < H * Y ? (size_t)b : H * Y, 10.0);
        }
        assert_true(trial % 2 ? d2.n_set > d2.cap_set : d2.n_set <= d2.cap_set);
        adequacy_load_t load;
        assert_int_equal(adequacy_load_init(&load, l, H), 0);
        adequacy_year_t yr[Y], yf[Y];
        int64_t lr[H * Y] = {0}, lf[H * Y] = {0};
        /* sixteenths of a MW: exact sums, as the difference kernel needs */
        const double cap = floor(16.0 * (140.0 + 200.0 * rng_uniform(&s))) / 16.0;
        /* the difference array from the events before their sort (its
         * changes arrive in unit order, not hour order) */
        adequacy_diff_t d;
        assert_int_equal(adequacy_diff_init(&d, H, Y), 0);
        for (size_t i = 0; i < n; ++i)
            adequacy_diff_add(&d, (size_t)ev[i].hour, ev[i].delta_mw);
        adequacy_sort_events(ev, tmp, n);
        adequacy_year_t yd[Y];
        int64_t ld[H * Y] = {0};
        adequacy_run_ref(&load, Y, cap, ev, n, yr, lr);
        adequacy_run_fast(&load, Y, cap, ev, n, yf, lf);
        adequacy_run_diff(&load, cap, &d, yd, ld);
        assert_memory_equal(yr, yf, sizeof yr);
        assert_memory_equal(lr, lf, sizeof lr);
        assert_memory_equal(yr, yd, sizeof yr);
        assert_memory_equal(lr, ld, sizeof lr);
        assert_all_zero(&d); /* ready for the next trial */
        int64_t lo[H * Y] = {0};
        adequacy_run_diff(&load, cap, &d2, yd, lo);
        assert_memory_equal(yr, yd, sizeof yr);
        assert_memory_equal(lr, lo, sizeof lr);
        assert_all_zero(&d2);
        adequacy_diff_free(&d);
        adequacy_diff_free(&d2);
        adequacy_load_free(&load);
    }
}

/* One trial on the difference arrays d: a 20 MW unit out for hours
 * [down, up) of a 100 MW system. It must be short exactly in hours
 * [short_from, short_to), by short_mw each, as one event, and leave d all
 * zero for the next trial. */
static void diff_trial(const adequacy_load_t *load, adequacy_diff_t *d, size_t down, size_t up,
                       size_t short_from, size_t short_to, double short_mw)
{
    adequacy_diff_add(d, down, -20.0);
    adequacy_diff_add(d, up, 20.0);
    adequacy_year_t y;
    int64_t *lol = calloc(load->hours, sizeof *lol);
    assert_non_null(lol);
    adequacy_run_diff(load, 100.0, d, &y, lol);
    const double n = (double)(short_to - short_from);
    assert_true(y.shed_h == n && y.unserved_mwh == n * short_mw && y.events == (n > 0));
    for (size_t h = 0; h < load->hours; ++h)
        assert_int_equal(lol[h], h >= short_from && h < short_to);
    assert_all_zero(d);
    free(lol);
}

/* A block the difference kernel skips still has its changes cleared: a
 * unit out from hour 3 to 40 under a light load (no hour short), then the
 * same arrays on a heavy load see only their own trial's changes: out from
 * hour 50 to 60, then from 10 to 80, where block 1 (hours 32-63) has no
 * change but is short throughout, between the changes of blocks 0 and 2. */
static void test_diff_skips_and_clears(void **st)
{
    (void)st;
    enum { H = 96 };
    double light[H], heavy[H];
    for (int h = 0; h < H; ++h) {
        light[h] = 10.0;
        heavy[h] = 95.0;
    }
    adequacy_load_t ll, lh;
    assert_int_equal(adequacy_load_init(&ll, light, H), 0);
    assert_int_equal(adequacy_load_init(&lh, heavy, H), 0);
    adequacy_diff_t d;
    assert_int_equal(adequacy_diff_init(&d, H, 1), 0);
    diff_trial(&ll, &d, 3, 40, 0, 0, 0.0);
    diff_trial(&lh, &d, 50, 60, 50, 60, 15.0);
    diff_trial(&lh, &d, 10, 80, 10, 80, 15.0);
    adequacy_diff_free(&d);
    adequacy_load_free(&ll);
    adequacy_load_free(&lh);
}

/* A run of blocks without changes whose peak is near its end: out from hour
 * 10 to 229 (changes in blocks 0 and 7), a 95 MW peak in hours 200-203 of
 * block 6, 10 MW elsewhere. The run 1-6 spans two overlapping spans of 4
 * blocks; the peak is in the second only. */
static void test_diff_run_peak_at_end(void **st)
{
    (void)st;
    enum { H = 320 };
    double l[H];
    for (int h = 0; h < H; ++h)
        l[h] = h >= 200 && h < 204 ? 95.0 : 10.0;
    adequacy_load_t load;
    assert_int_equal(adequacy_load_init(&load, l, H), 0);
    adequacy_diff_t d;
    assert_int_equal(adequacy_diff_init(&d, H, 1), 0);
    diff_trial(&load, &d, 10, 229, 200, 204, 15.0);
    adequacy_diff_free(&d);
    adequacy_load_free(&load);
}

/* Exact sums: multiples of 2^-20 MW below 2^32 MW, nothing else. */
static void test_exact_mw(void **st)
{
    (void)st;
    assert_true(adequacy_exact_mw(0.0) && adequacy_exact_mw(400.0) && adequacy_exact_mw(12.5));
    assert_true(adequacy_exact_mw(0x1p-20) && adequacy_exact_mw(-76.0));
    assert_false(adequacy_exact_mw(0.1) || adequacy_exact_mw(12.34) || adequacy_exact_mw(0x1p-21));
    assert_false(adequacy_exact_mw(0x1p32) || adequacy_exact_mw(1.0 / 0.0) ||
                 adequacy_exact_mw(0.0 / 0.0));
}

/* The sort orders by hour and keeps equal hours in input order. */
static void test_sort_stable(void **st)
{
    (void)st;
    enum { N = 1000 };
    adequacy_event_t *ev = malloc(N * sizeof *ev), *tmp = malloc(N * sizeof *tmp);
    rng_stream_t s;
    rng_init(&s, 1, 1, 1);
    for (int i = 0; i < N; ++i)
        ev[i] = (adequacy_event_t){(int32_t)(rng_uniform(&s) * 50), (double)i};
    adequacy_sort_events(ev, tmp, N);
    for (int i = 1; i < N; ++i) {
        assert_true(ev[i - 1].hour <= ev[i].hour);
        if (ev[i - 1].hour == ev[i].hour)
            assert_true(ev[i - 1].delta_mw < ev[i].delta_mw);
    }
    free(ev);
    free(tmp);
}

/* Sorts ev[0, n) with adequacy_sort_events and checks it against a
 * reference stable sort (insertion, into want). */
static void check_sort(adequacy_event_t *ev, adequacy_event_t *tmp, adequacy_event_t *want,
                       size_t n)
{
    memcpy(want, ev, n * sizeof *ev);
    for (size_t i = 1; i < n; ++i)
        for (size_t j = i; j > 0 && want[j - 1].hour > want[j].hour; --j) {
            const adequacy_event_t x = want[j];
            want[j] = want[j - 1];
            want[j - 1] = x;
        }
    adequacy_sort_events(ev, tmp, n);
    for (size_t i = 0; i < n; ++i) {
        assert_int_equal(ev[i].hour, want[i].hour);
        assert_true(ev[i].delta_mw == want[i].delta_mw);
    }
}

/* The sort against a reference stable sort, for every size up to 80 (the
 * switch from insertion to radix sort is at 25) and then 117, 154, ...,
 * 265 and 300; random hours in ranges that take 0 to 4 radix passes,
 * negative hours and the whole int32 range, and runs already in order (a
 * unit's events) as sample_events makes them. Then spans of exactly k bits
 * for every k from 1 to 32 (every digit width and pass count), their two
 * ends repeated, down to INT32_MIN .. INT32_MAX. */
static void test_sort_matches_reference(void **st)
{
    (void)st;
    enum { N = 300 };
    adequacy_event_t *ev = malloc(N * sizeof *ev), *tmp = malloc(N * sizeof *tmp),
                     *want = malloc(N * sizeof *want);
    rng_stream_t s;
    rng_init(&s, 3, 5, 7);
    const double ranges[] = {1.0, 2.0, 200.0, 8736.0, 5 * 8736.0, 0x1p24, 0x1p31, 0x1p32};
    for (size_t r = 0; r < sizeof ranges / sizeof *ranges; ++r)
        for (size_t n = 0; n <= N; n = n < 80 ? n + 1 : n + 37 > N && n < N ? N : n + 37) {
            const double base = r % 2 ? -0.5 * ranges[r] : 0.0;
            for (size_t i = 0; i < n; ++i) {
                double h = base + floor(rng_uniform(&s) * ranges[r]);
                h = h > 0x1p31 - 1 ? 0x1p31 - 1 : h; /* a uniform of 1 */
                /* every fourth size in runs of 8 in order, like a unit's events */
                if (n % 4 == 0 && i % 8)
                    h = ev[i - 1].hour + (h - base) / ranges[r] * 100.0 > 0x1p31 - 1
                            ? ev[i - 1].hour
                            : floor(ev[i - 1].hour + (h - base) / ranges[r] * 100.0);
                ev[i] = (adequacy_event_t){(int32_t)h, (double)i};
            }
            check_sort(ev, tmp, want, n);
        }
    const size_t sizes[] = {25, N};
    for (unsigned k = 1; k <= 32; ++k)
        for (size_t z = 0; z < 2; ++z) {
            const int64_t span = ((int64_t)1 << k) - 1;
            const int64_t lo = k == 32 ? INT32_MIN : k % 2 ? -(span / 2) - 1 : 1000;
            for (size_t i = 0; i < sizes[z]; ++i) {
                const int64_t h = i % 5 == 0   ? lo
                                  : i % 5 == 1 ? lo + span
                                               : lo + (int64_t)(rng_uniform(&s) * (double)span);
                ev[i] = (adequacy_event_t){(int32_t)h, (double)i};
            }
            check_sort(ev, tmp, want, sizes[z]);
        }
    free(ev);
    free(tmp);
    free(want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_day_ref),
        cmocka_unit_test(test_hand_day_fast),
        cmocka_unit_test(test_equal_is_not_short),
        cmocka_unit_test(test_event_across_new_year),
        cmocka_unit_test(test_fast_equals_ref_random),
        cmocka_unit_test(test_sort_stable),
        cmocka_unit_test(test_sort_matches_reference),
        cmocka_unit_test(test_diff_skips_and_clears),
        cmocka_unit_test(test_exact_mw),
        cmocka_unit_test(test_diff_run_peak_at_end),
    };
    return cmocka_run_group_tests_name("adequacy", tests, NULL, NULL);
}
