/* test_wpack.c - a page coded without its +0.0 values comes back bit for bit
 * (kernels/wpack.h): every length from 0 to three groups and a whole page,
 * values whose bits are not all zero but compare equal to zero (-0.0) or to
 * nothing (NaN) kept, groups all kept, none kept and mixed, and a reader that
 * ignores mask bits past the page's end. */
#include "testutil.h"

#include "../kernels/wpack.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { N_MAX = 8192 }; /* a column's page (STATS_RUN) */

static uint64_t next(uint64_t *x)
{
    *x ^= *x << 13, *x ^= *x >> 7, *x ^= *x << 17;
    return *x;
}

/* Value i of pattern p: p 0 mostly +0.0 (a reliable system's trials), 1 none
 * +0.0, 2 all +0.0, 3 runs of each. */
static double value(int p, size_t i, uint64_t *x)
{
    const uint64_t r = next(x);
    const double odd[4] = {-0.0, NAN, 5e-324, 1.5};
    if (p == 1)
        return r % 4 ? (double)(r >> 40) + 1.0 : odd[r >> 62];
    if (p == 2)
        return 0.0;
    if (p == 3)
        return (i / 37) % 2 ? 0.0 : odd[(r >> 62)];
    return r % 8 ? 0.0 : odd[r >> 62];
}

static void round_trip(int p, size_t n, uint64_t *x)
{
    double v[N_MAX] = {0}, back[N_MAX + 1];
    uint64_t code[N_MAX / 64 + N_MAX + 1];
    size_t kept = 0;
    for (size_t i = 0; i < n; ++i) {
        v[i] = value(p, i, x);
        uint64_t b;
        memcpy(&b, &v[i], sizeof b);
        kept += b != 0;
    }
    const size_t words = wpack_encode(v, n, code);
    assert_int_equal(words, wpack_masks(n) + kept);
    assert_int_equal(wpack_kept(code, n), kept);
    /* bits past the page's end in its last mask are not the page's */
    if (n % 64)
        code[n / 64] |= ~(uint64_t)0 << (n % 64);
    assert_int_equal(wpack_kept(code, n), kept);
    back[n] = 7.0; /* the decoder writes n values, no more */
    for (size_t i = 0; i < n; ++i)
        back[i] = 9.0;
    wpack_decode(code, n, back);
    assert_memory_equal(back, v, n * sizeof *v);
    assert_true(back[n] == 7.0);
}

static void test_round_trip(void **st)
{
    (void)st;
    uint64_t x = 88172645463325252ULL;
    for (int p = 0; p < 4; ++p) {
        for (size_t n = 0; n <= 3 * 64 + 1; ++n)
            round_trip(p, n, &x);
        round_trip(p, N_MAX - 1, &x);
        round_trip(p, N_MAX, &x);
    }
}

/* The layout the columns' reader relies on (outputs/h5out.c reads a page's
 * masks first, then as many values as they count): masks, then the kept
 * values in order. */
static void test_layout(void **st)
{
    (void)st;
    double v[70] = {0};
    v[1] = 2.0;
    v[63] = -0.0;
    v[64] = 3.0;
    v[69] = 4.0;
    uint64_t code[2 + 70];
    assert_int_equal(wpack_encode(v, 70, code), 2 + 4);
    assert_true(code[0] == ((uint64_t)1 << 1 | (uint64_t)1 << 63));
    assert_true(code[1] == (1u | 1u << 5));
    double k[4];
    memcpy(k, code + 2, sizeof k);
    assert_true(k[0] == 2.0 && k[2] == 3.0 && k[3] == 4.0);
    assert_true(k[1] == 0.0 && signbit(k[1]));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_layout),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
