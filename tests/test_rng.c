/* test_rng.c - Philox streams: known answers, reproducibility, statistics. */
#include "testutil.h"

#include "../kernels/rng.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <string.h>

/* Known-answer vectors of Philox4x32-10 published with Random123
 * (kat_vectors): zero counter and key, and the digits-of-pi vector. */
static void test_philox_kat_zero(void **st)
{
    (void)st;
    philox4x32_ctr_t c = {{0, 0, 0, 0}};
    philox4x32_key_t k = {{0, 0}};
    philox4x32_ctr_t r = philox4x32(c, k);
    assert_int_equal(r.v[0], 0x6627e8d5u);
    assert_int_equal(r.v[1], 0xe169c58du);
    assert_int_equal(r.v[2], 0xbc57ac4cu);
    assert_int_equal(r.v[3], 0x9b00dbd8u);
}

static void test_philox_kat_pi(void **st)
{
    (void)st;
    philox4x32_ctr_t c = {{0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u}};
    philox4x32_key_t k = {{0xa4093822u, 0x299f31d0u}};
    philox4x32_ctr_t r = philox4x32(c, k);
    assert_int_equal(r.v[0], 0xd16cfe09u);
    assert_int_equal(r.v[1], 0x94fdccebu);
    assert_int_equal(r.v[2], 0x5001e420u);
    assert_int_equal(r.v[3], 0x24126ea1u);
}

/* The same address gives the same numbers, however often it is opened. */
static void test_stream_reproducible(void **st)
{
    (void)st;
    rng_stream_t a, b;
    rng_init(&a, 42, 7, 123456789012ULL);
    double first[1000];
    for (int i = 0; i < 1000; ++i)
        first[i] = rng_uniform(&a);
    rng_init(&b, 42, 7, 123456789012ULL);
    for (int i = 0; i < 1000; ++i)
        assert_true(rng_uniform(&b) == first[i]);
}

/* Changing seed, stream or trial (including the trial's high word) changes
 * the numbers. */
/* A stream's words are Random123's philox4x32 of its counters, block after
 * block, whatever the refill's batch: across the carry of the block counter's
 * low word, and for a draw count that ends inside a batch. */
static void test_stream_equals_philox(void **st)
{
    (void)st;
    const uint64_t starts[] = {0, 0xfffffffdull, 0x1234567890ull};
    for (size_t i = 0; i < sizeof starts / sizeof *starts; ++i) {
        rng_stream_t s;
        rng_init_at(&s, 0xdeadbeefu, 0x80000011u, 0x0123456789abcdefull, starts[i]);
        const philox4x32_key_t k = {{0xdeadbeefu, 0x80000011u}};
        for (uint64_t b = starts[i]; b < starts[i] + 7; ++b) {
            const philox4x32_ctr_t c = {
                {(uint32_t)b, (uint32_t)(b >> 32), 0x89abcdefu, 0x01234567u}};
            const philox4x32_ctr_t r = philox4x32(c, k);
            for (int w = 0; w < 4; ++w)
                assert_int_equal(rng_u32(&s), r.v[w]);
            assert_int_equal(rng_words_drawn(&s), 4 * (b + 1));
        }
    }
}

/* rng_philox_many on every path the processor has (portable, AVX2,
 * AVX-512) gives each (stream, block) job the words of that stream's
 * block, for counts that fill whole sets of lanes, leave tails, or none;
 * blocks and trials past 2^32, and streams with the top bit set. */
static void test_philox_many(void **st)
{
    (void)st;
    enum { N = 67 };
    uint32_t key1[N], got[4 * N];
    uint64_t block[N];
    rng_stream_t s;
    rng_init(&s, 3, 4, 5);
    for (size_t i = 0; i < N; ++i) {
        key1[i] = rng_u32(&s) | (i % 3 ? 0x80000000u : 0);
        block[i] = i % 5 ? i : (uint64_t)rng_u32(&s) << 32 | rng_u32(&s);
    }
    const size_t counts[] = {0, 1, 7, 8, 9, 15, 16, 17, 31, 32, 33, N};
    const uint64_t trials[] = {0, 12345, 0xfedcba9876543210ull};
    for (int isa = RNG_ISA_PORTABLE; isa <= (int)rng_isa_best(); ++isa)
        for (size_t c = 0; c < sizeof counts / sizeof *counts; ++c)
            for (size_t t = 0; t < sizeof trials / sizeof *trials; ++t) {
                const size_t n = counts[c];
                memset(got, 0xa5, sizeof got);
                rng_philox_many_isa((rng_isa_t)isa, 0x9e3779b9u, trials[t], n, key1, block, got);
                for (size_t i = 0; i < n; ++i) {
                    rng_stream_t one;
                    rng_init_at(&one, 0x9e3779b9u, key1[i], trials[t], block[i]);
                    for (int w = 0; w < 4; ++w)
                        assert_int_equal(got[4 * i + w], rng_u32(&one));
                }
                /* nothing written past the n jobs */
                for (size_t i = 4 * n; i < 4 * N; ++i)
                    assert_int_equal(got[i], 0xa5a5a5a5u);
            }
    printf("philox_many: paths up to %s compared\n", rng_isa_name(rng_isa_best()));
}

/* rng_neglog_words gives rng_neglog(rng_uniform_of(...)) bit for bit, in
 * whatever vectors the processor has, for random words and the extremes
 * (the smallest uniform, 2^-54, and the largest, exactly 1); every path the
 * processor has. */
static void test_neglog_words(void **st)
{
    (void)st;
    enum { N = 203 };
    uint32_t w[2 * N];
    double e[N];
    rng_stream_t s;
    rng_init(&s, 8, 9, 10);
    for (size_t i = 0; i < 2 * N; ++i)
        w[i] = rng_u32(&s);
    w[0] = w[1] = 0;
    w[2] = w[3] = 0xffffffffu;
    w[4] = 0x80000000u;
    w[5] = 0;
    for (int isa = RNG_ISA_PORTABLE; isa <= (int)rng_isa_best(); ++isa)
        for (size_t n = 0; n <= N; n += n < 20 ? 1 : 61) {
            rng_neglog_words_isa((rng_isa_t)isa, w, n, e);
            for (size_t i = 0; i < n; ++i) {
                const double want = rng_neglog(rng_uniform_of(w[2 * i], w[2 * i + 1]));
                assert_memory_equal(&e[i], &want, sizeof want);
            }
        }
    assert_true(e[1] == 0.0); /* u = 1 */
    assert_true(fabs(e[0] - 54.0 * log(2.0)) < 1e-12);
}

/* A uniform is the next two words, also when they straddle a refill (an odd
 * word drawn before: the GSL adapter draws single words). */
static void test_uniform_from_words(void **st)
{
    (void)st;
    for (unsigned skip = 0; skip < 3; ++skip) {
        rng_stream_t s, w;
        rng_init(&s, 5, 6, 7);
        rng_init(&w, 5, 6, 7);
        for (unsigned k = 0; k < skip; ++k)
            assert_int_equal(rng_u32(&s), rng_u32(&w));
        for (int k = 0; k < 40; ++k) {
            const uint64_t hi = rng_u32(&w) >> 6, lo = rng_u32(&w) >> 5;
            const double want = ((double)((hi << 27) | lo) + 0.5) * 0x1.0p-53;
            assert_true(rng_uniform(&s) == want);
        }
    }
}

static void test_stream_addresses_differ(void **st)
{
    (void)st;
    const uint32_t seeds[] = {1, 2, 1, 1, 1};
    const uint32_t streams[] = {5, 5, 6, 5, 5};
    const uint64_t trials[] = {9, 9, 9, 10, 9 + (1ULL << 32)};
    uint32_t w[5];
    for (int i = 0; i < 5; ++i) {
        rng_stream_t s;
        rng_init(&s, seeds[i], streams[i], trials[i]);
        w[i] = rng_u32(&s);
    }
    for (int i = 0; i < 5; ++i)
        for (int j = 0; j < i; ++j)
            assert_int_not_equal(w[i], w[j]);
}

/* Uniforms: inside (0,1), mean 1/2 and variance 1/12 within 4 standard
 * errors, and 100-bin chi-square below df + 4 sqrt(2 df). */
static void test_uniform_moments_and_chi2(void **st)
{
    (void)st;
    enum { N = 1000000, BINS = 100 };
    rng_stream_t s;
    rng_init(&s, 2024, 3, 0);
    double sum = 0, sum2 = 0;
    long bins[BINS] = {0};
    for (int i = 0; i < N; ++i) {
        const double u = rng_uniform(&s);
        assert_true(u > 0.0 && u < 1.0);
        sum += u;
        sum2 += (u - 0.5) * (u - 0.5);
        ++bins[(int)(u * BINS)];
    }
    TU_WITHIN_SE(sum / N, 0.5, sqrt(1.0 / 12.0 / N), 4.0);
    /* variance of (u-1/2)^2 is 1/180 */
    TU_WITHIN_SE(sum2 / N, 1.0 / 12.0, sqrt((1.0 / 80.0 - 1.0 / 144.0) / N), 4.0);
    double chi2 = 0;
    const double e = (double)N / BINS;
    for (int b = 0; b < BINS; ++b)
        chi2 += ((double)bins[b] - e) * ((double)bins[b] - e) / e;
    assert_true(chi2 < (BINS - 1) + 4.0 * sqrt(2.0 * (BINS - 1)));
}

/* Neighbouring streams and neighbouring trials are uncorrelated: sample
 * correlation within 4 / sqrt(n) of zero. */
static void test_streams_independent(void **st)
{
    (void)st;
    enum { N = 200000 };
    const struct {
        uint32_t s1, s2;
        uint64_t t1, t2;
    } pairs[] = {{1, 2, 0, 0}, {1, 1, 0, 1}, {0x80000001u, 0x80000002u, 5, 5}};
    for (size_t p = 0; p < sizeof pairs / sizeof *pairs; ++p) {
        rng_stream_t a, b;
        rng_init(&a, 99, pairs[p].s1, pairs[p].t1);
        rng_init(&b, 99, pairs[p].s2, pairs[p].t2);
        double sab = 0;
        for (int i = 0; i < N; ++i)
            sab += (rng_uniform(&a) - 0.5) * (rng_uniform(&b) - 0.5);
        const double corr = sab / N * 12.0;
        TU_WITHIN_SE(corr, 0.0, 1.0 / sqrt((double)N), 4.0);
    }
}

/* Exponential: mean and variance (mean^2) within 4 standard errors. */
static void test_exponential(void **st)
{
    (void)st;
    enum { N = 400000 };
    const double mean = 44.5;
    rng_stream_t s;
    rng_init(&s, 7, 11, 3);
    double sum = 0, sum2 = 0;
    for (int i = 0; i < N; ++i) {
        const double x = rng_exponential(&s, mean);
        assert_true(x > 0.0 && isfinite(x));
        sum += x;
        sum2 += x * x;
    }
    const double m = sum / N;
    TU_WITHIN_SE(m, mean, mean / sqrt((double)N), 4.0);
    /* E[x^2] = 2 mean^2, Var[x^2] = 24 mean^4 - 4 mean^4 = 20 mean^4 */
    TU_WITHIN_SE(sum2 / N, 2 * mean * mean, sqrt(20.0) * mean * mean / sqrt((double)N), 4.0);
}

/* Distance of a from b in units in the last place of b. */
static double ulps(double a, double b) { return fabs(a - b) / (nextafter(b, INFINITY) - b); }

/* rng_neglog is within 1 ulp of libm's -log: at the smallest and largest
 * uniforms, at the powers of two (k changes, m = 1), on both sides of the
 * sqrt(2) split of the mantissa, and on 10^6 uniforms of a stream; and the
 * mean ulp distance is small (a wrong polynomial coefficient moves most
 * values by more). */
static void test_neglog(void **st)
{
    (void)st;
    const double edge[] = {0x1.0p-54,
                           0x1.fffffffffffffp-1,
                           0.5,
                           0x1.0p-20,
                           0x1.0p-53,
                           0x1.6a09e667f3bcdp-1,
                           0x1.6a09e667f3bccp-1,
                           0x1.6a09e667f3bcdp-9,
                           0x1.6a0ap-1,
                           0x1.6a09dp-1,
                           0.75,
                           0.999,
                           1e-12,
                           0.3,
                           0x1.0000000000001p-1};
    for (size_t i = 0; i < sizeof edge / sizeof *edge; ++i) {
        const double want = -log(edge[i]);
        assert_true(ulps(rng_neglog(edge[i]), want) <= 1.0);
    }
    assert_true(rng_neglog(0.5) == -log(0.5)); /* k = -1, f = 0: k ln2 exactly as libm */
    /* every exponent a uniform can have, at 2^k and sqrt(2) 2^k, 200 values
     * either side */
    for (int k = -54; k <= -1; ++k)
        for (int at = 0; at < 4; ++at) {
            double u = ldexp(at & 1 ? 0x1.6a09e667f3bcdp0 : 1.0, k);
            for (int step = 0; step < 200 && u >= 0x1.0p-54 && u < 1.0; ++step) {
                assert_true(ulps(rng_neglog(u), -log(u)) <= 1.0);
                u = nextafter(u, at & 2 ? 1.0 : 0.0);
            }
        }
    assert_true(rng_uniform_of(~0u, ~0u) == 1.0); /* the top bucket rounds up */
    assert_true(rng_neglog(1.0) == 0.0);
    rng_stream_t s;
    rng_init(&s, 3, 5, 8);
    double sum = 0, worst = 0;
    enum { N = 1000000 };
    for (int i = 0; i < N; ++i) {
        const double u = rng_uniform(&s);
        const double d = ulps(rng_neglog(u), -log(u));
        sum += d;
        worst = d > worst ? d : worst;
    }
    assert_true(worst <= 1.0);
    assert_true(sum / N < 0.2); /* measured: 0.07 */
}

/* rng_exponentials gives the draws of rng_exponential(s, 1.0) one after
 * another, bit for bit, whatever the batch and wherever the stream stands
 * (an odd word, the end of a refill, across a carry of the block counter),
 * and leaves the stream where n single draws would: batching changes no
 * result. From an even word, batches of up to 80 take the bulk path (whole
 * refills, several at a time). */
static void test_exponentials_batch(void **st)
{
    (void)st;
    double e[80];
    for (unsigned skip = 0; skip < 9; ++skip) {
        rng_stream_t a, b;
        rng_init(&a, 9, 4, 2 + skip);
        rng_init(&b, 9, 4, 2 + skip);
        if (skip == 8) { /* the block counter's low word carries mid-bulk */
            rng_init_at(&a, 9, 4, 2, 0xfffffff0u);
            rng_init_at(&b, 9, 4, 2, 0xfffffff0u);
        }
        for (unsigned k = 0; k < skip; ++k)
            assert_true(rng_u32(&a) == rng_u32(&b));
        for (size_t n = 1; n <= 80; n += 3) {
            rng_exponentials(&a, e, n);
            for (size_t i = 0; i < n; ++i)
                assert_true(e[i] == rng_exponential(&b, 1.0));
            assert_true(rng_words_drawn(&a) == rng_words_drawn(&b));
        }
        assert_true(rng_u32(&a) == rng_u32(&b));
    }
}

/* The GSL adapter feeds GSL's samplers from the addressed stream. */
static void test_gsl_adapter(void **st)
{
    (void)st;
    enum { N = 200000 };
    gsl_rng *r = gsl_rng_alloc(&rng_gsl_type);
    assert_non_null(r);
    rng_gsl_bind(r, 5, 77, 1);
    double sum = 0, sum2 = 0;
    for (int i = 0; i < N; ++i) {
        const double z = gsl_ran_gaussian_ziggurat(r, 2.0);
        sum += z;
        sum2 += z * z;
    }
    TU_WITHIN_SE(sum / N, 0.0, 2.0 / sqrt((double)N), 4.0);
    TU_WITHIN_SE(sum2 / N, 4.0, 4.0 * sqrt(2.0 / N), 4.0);
    rng_gsl_bind(r, 5, 77, 1);
    const double z1 = gsl_ran_gaussian_ziggurat(r, 1.0);
    rng_gsl_bind(r, 5, 77, 1);
    assert_true(gsl_ran_gaussian_ziggurat(r, 1.0) == z1);
    rng_stream_t s;
    rng_init(&s, 5, 77, 1);
    rng_gsl_bind(r, 5, 77, 1);
    assert_int_equal(gsl_rng_get(r), rng_u32(&s));
    gsl_rng_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_philox_kat_zero),
        cmocka_unit_test(test_philox_kat_pi),
        cmocka_unit_test(test_stream_reproducible),
        cmocka_unit_test(test_stream_equals_philox),
        cmocka_unit_test(test_uniform_from_words),
        cmocka_unit_test(test_philox_many),
        cmocka_unit_test(test_neglog_words),
        cmocka_unit_test(test_stream_addresses_differ),
        cmocka_unit_test(test_uniform_moments_and_chi2),
        cmocka_unit_test(test_streams_independent),
        cmocka_unit_test(test_exponential),
        cmocka_unit_test(test_neglog),
        cmocka_unit_test(test_exponentials_batch),
        cmocka_unit_test(test_gsl_adapter),
    };
    return cmocka_run_group_tests_name("rng", tests, NULL, NULL);
}
