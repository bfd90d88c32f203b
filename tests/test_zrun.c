/* test_zrun.c - the whole-element deflate: every stream inflates (by
 * libdeflate, another implementation) to its input; it is as small as a
 * general deflate on the tables it is for; it gives up where it should. */
#include "testutil.h"

#include "../kernels/zrun.h"

#include <libdeflate.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Compresses in (n bytes of esz-byte elements) with room for n bytes;
 * inflates it and compares. Returns the stream's size (0: zrun gave up). */
static size_t round_trip(zrun_t *z, const void *in, size_t n, size_t esz, const char *what)
{
    unsigned char *out = malloc(n + 64), *back = malloc(n ? n : 1);
    assert_true(out && back);
    const size_t k = zrun_zlib(z, in, n, esz, out, n + 64);
    if (k) {
        struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
        assert_non_null(d);
        size_t got = 0;
        const enum libdeflate_result res = libdeflate_zlib_decompress(d, out, k, back, n, &got);
        libdeflate_free_decompressor(d);
        if (res != LIBDEFLATE_SUCCESS || got != n || memcmp(back, in, n))
            fail_msg("%s (esz %zu, %zu bytes): the stream of %zu bytes does not inflate to its "
                     "input (libdeflate %d, %zu bytes)",
                     what, esz, n, k, (int)res, got);
    }
    free(out);
    free(back);
    return k;
}

/* Tables of the kind zrun is for, and their edges: no elements, one (all
 * literal: it gives up), two, runs
 * longer than a match (258 bytes), a value seen again just inside and just
 * beyond deflate's 32 kB window, runs that end at the chunk's end, half
 * the elements random (every byte a literal: a code of 256 literals). */
static void test_round_trips(void **st)
{
    (void)st;
    zrun_t *z = zrun_alloc();
    assert_non_null(z);
    enum { N = 16384 }; /* 128 kB of doubles, 64 kB of int32 */
    uint64_t *x = calloc(N, sizeof *x), seed = 7;
    assert_non_null(x);
    for (size_t esz = 4; esz <= 8; esz += 4) {
        const size_t nel = N * 8 / esz;
        unsigned char *b = (unsigned char *)x;
        memset(x, 0, N * sizeof *x);
        assert_true(round_trip(z, b, 0, esz, "no elements") > 0);
        assert_int_equal(round_trip(z, b, esz, esz, "one zero"), 0); /* all literal */
        assert_true(round_trip(z, b, 2 * esz, esz, "two zeros") > 0);
        const size_t zeros = round_trip(z, b, nel * esz, esz, "all zeros");
        assert_true(zeros > 0 && zeros < nel * esz / 100);
        /* a value, then zeros, then the value again at 32768 and 32768 + esz bytes */
        const size_t far = 32768 / esz;
        for (size_t gap = far; gap <= far + 1; ++gap) {
            memset(x, 0, N * sizeof *x);
            for (size_t i = 0; i + gap < nel; i += gap + 1) {
                memset(b + i * esz, 0xa5, esz);
                memset(b + (i + gap) * esz, 0xa5, esz);
            }
            assert_true(round_trip(z, b, nel * esz, esz, "a value at the window's edge") > 0);
        }
        /* runs of 1..600 equal elements of a few values, ending at the end */
        for (size_t i = 0; i < nel;) {
            const uint64_t v = tu_mix(&seed), len = 1 + v % 600, val = (v >> 32) % 5;
            for (uint64_t k = 0; k < len && i < nel; ++k, ++i)
                memcpy(b + i * esz, &val, esz);
        }
        assert_true(round_trip(z, b, nel * esz, esz, "runs") > 0);
        /* half random, half repeats of earlier elements or zeros */
        for (size_t i = 0; i < nel; ++i) {
            const uint64_t v = tu_mix(&seed);
            if (v & 1)
                memcpy(b + i * esz, &v, esz);
            else if (i > 16 && v & 2)
                memcpy(b + i * esz, b + (i - 1 - (v >> 40) % 16) * esz, esz);
            else
                memset(b + i * esz, 0, esz);
        }
        assert_true(round_trip(z, b, nel * esz, esz, "half random") > 0);
    }
    free(x);
    zrun_free(z);
}

/* Literal bytes with Fibonacci counts (2, 2, 4, 6, 10, ...): a Huffman
 * code for them runs to about 22 bits, and deflate allows 15. Each element
 * is two bytes of those counts (values 100..122) and a unique counter in
 * six base-16 digits (values 0xc0..0xcf: no byte value in common, which
 * would even the counts out); the two zero elements after each keep it
 * under zrun's literal bound. A code that came out longer than 15 bits, or
 * whose lengths did not add up to a complete code, would not inflate. */
static void test_long_codes_limited(void **st)
{
    (void)st;
    zrun_t *z = zrun_alloc();
    assert_non_null(z);
    enum { SYMS = 23, PER = 3 };
    size_t count[SYMS] = {1, 1}, total = 2;
    for (size_t s = 2; s < SYMS; ++s)
        total += count[s] = count[s - 1] + count[s - 2];
    unsigned char *x = calloc(PER * total, 8);
    assert_non_null(x);
    size_t e = 0;
    for (size_t s = 0; s < SYMS; ++s)
        for (size_t k = 0; k < count[s]; ++k, e += PER) {
            unsigned char *p = x + 8 * e;
            p[0] = p[1] = (unsigned char)(100 + s);
            for (size_t d = 0, v = e / PER + 1; d < 6; ++d, v >>= 4)
                p[2 + d] = (unsigned char)(0xc0 + (v & 15));
        }
    assert_true(round_trip(z, x, PER * total * 8, 8, "Fibonacci literals") > 0);
    free(x);
    zrun_free(z);
}

/* The header's code lengths in all their forms: literal byte values with
 * gaps of every length from 1 to 22 between them (zeros sent as such, as
 * runs of 3-10 (symbol 17) and of 11 or more (18, up to 138 and beyond, the
 * unused bytes above the last value and below the lengths)), and values
 * of equal counts (repeated lengths, symbol 16, 3-6 at a time). Each table is
 * random elements of those bytes between zeros; every stream must inflate. */
static void test_code_length_runs(void **st)
{
    (void)st;
    zrun_t *z = zrun_alloc();
    assert_non_null(z);
    enum { N = 4096 };
    uint64_t *x = calloc(N, sizeof *x), seed = 5;
    assert_non_null(x);
    unsigned char used[256];
    for (int pattern = 0; pattern < 4; ++pattern) {
        size_t nu = 0;
        if (pattern == 0) /* gaps 1, 2, ..., 22 */
            for (unsigned v = 0, gap = 1; v < 256; v += gap + 1, ++gap)
                used[nu++] = (unsigned char)v;
        else if (pattern == 1) /* 0..9: 246 unused bytes above */
            for (unsigned v = 0; v < 10; ++v)
                used[nu++] = (unsigned char)v;
        else if (pattern == 2) /* every byte: runs of one length */
            for (unsigned v = 0; v < 256; ++v)
                used[nu++] = (unsigned char)v;
        else /* gaps of exactly 3, 10, 11 and 138 */
            for (unsigned v = 0, k = 0; v < 256; v += (unsigned[]){4, 11, 12, 139}[k++ % 4])
                used[nu++] = (unsigned char)v;
        for (size_t i = 0; i < N; ++i) {
            if (i % 3) {
                x[i] = 0;
                continue;
            }
            unsigned char e[8];
            for (int k = 0; k < 8; ++k)
                e[k] = used[tu_mix(&seed) % nu];
            memcpy(&x[i], e, 8);
        }
        char what[64];
        snprintf(what, sizeof what, "code lengths, pattern %d", pattern);
        assert_true(round_trip(z, x, N * 8, 8, what) > 0);
    }
    free(x);
    zrun_free(z);
}

/* On an adequacy table (9 trials in 10 shed nothing, the rest a few values
 * again and again) zrun must be about as small as libdeflate's best on the
 * same bytes (level 6) and far smaller than the table: its matches must be
 * found, its codes fitted to the symbols. */
static void test_size_on_a_sparse_table(void **st)
{
    (void)st;
    enum { N = 8192 };
    double *x = calloc(N, sizeof *x);
    assert_non_null(x);
    uint64_t seed = 3;
    for (size_t i = 0; i < N; ++i) {
        const uint64_t v = tu_mix(&seed);
        x[i] = v % 10 ? 0.0 : (double)(1 + (v >> 20) % 12) * 10.0;
    }
    zrun_t *z = zrun_alloc();
    assert_non_null(z);
    const size_t k = round_trip(z, x, sizeof(double) * N, 8, "a sparse table");
    struct libdeflate_compressor *c = libdeflate_alloc_compressor(6);
    assert_non_null(c);
    unsigned char *out = malloc(2 * N * sizeof *x);
    assert_non_null(out);
    const size_t ref = libdeflate_zlib_compress(c, x, N * sizeof *x, out, 2 * N * sizeof *x);
    libdeflate_free_compressor(c);
    free(out);
    if (!(k > 0 && (double)k <= 1.25 * (double)ref))
        fail_msg("zrun %zu bytes, libdeflate level 6 %zu", k, ref);
    free(x);
    zrun_free(z);
}

/* The code lengths are a Huffman code's: complete (Kraft sum 1), every used
 * symbol coded, and as short in total as the optimum (the sum of every merge
 * of the two least weights), for up to 286 symbols with many different
 * counts (the literal-rich chunks of continuous values) and for a few (a
 * chunk of a few repeated values), whichever way the symbols are sorted. */
static void test_code_lengths_optimal(void **st)
{
    (void)st;
    enum { N = 286 };
    uint64_t seed = 11;
    for (int trial = 0; trial < 200; ++trial) {
        uint32_t freq[N] = {0};
        uint64_t w[N];
        /* odd trials a few symbols; one in four literals only (symbols below
         * 256: a sort of fewer bytes) */
        const size_t used =
            trial % 2 ? 2 + (size_t)trial % 31 : 33 + (size_t)(tu_mix(&seed) % (N - 33));
        const size_t range = trial % 4 == 0 ? 256 : N;
        size_t m = 0;
        for (size_t k = 0; k < used; ++k) {
            const size_t s = (size_t)(tu_mix(&seed) % range);
            if (freq[s])
                continue;
            /* counts from 500 to 4,499: no code longer than 12 bits, so the
             * limit of 15 never folds the code (which can cost bits) */
            freq[s] = (uint32_t)(500 + tu_mix(&seed) % 4000);
            w[m++] = freq[s];
        }
        if (m < 2)
            continue;
        uint8_t len[N];
        zrun_code_lengths(freq, N, 15, len);
        uint64_t kraft = 0, cost = 0;
        for (size_t s = 0; s < N; ++s) {
            assert_true(len[s] <= 15);
            assert_true((freq[s] > 0) == (len[s] > 0));
            kraft += len[s] ? 1u << (15 - len[s]) : 0;
            cost += (uint64_t)freq[s] * len[s];
        }
        assert_true(kraft == 1u << 15);
        uint64_t best = 0; /* merge the two least weights until one is left */
        for (size_t k = m; k > 1; --k) {
            for (int t = 0; t < 2; ++t) { /* the least two to the end */
                size_t lo = 0;
                for (size_t i = 1; i < k - (size_t)t; ++i)
                    lo = w[i] < w[lo] ? i : lo;
                const uint64_t x = w[lo];
                w[lo] = w[k - 1 - (size_t)t];
                w[k - 1 - (size_t)t] = x;
            }
            w[k - 2] += w[k - 1];
            best += w[k - 2];
        }
        if (cost != best)
            fail_msg("trial %d, %zu symbols: the lengths cost %llu bits, the optimum %llu", trial,
                     m, (unsigned long long)cost, (unsigned long long)best);
    }
}

/* It gives up (0) on data without whole repeats, past its limit, and on
 * what it does not take (element sizes but 4 and 8, a partial element);
 * and its output depends on its input alone (nothing is kept between
 * calls). */
static void test_gives_up_and_repeats(void **st)
{
    (void)st;
    enum { N = 4096 };
    uint64_t *x = calloc(N, sizeof *x), seed = 11;
    unsigned char *a = malloc(N * 8), *b = malloc(N * 8);
    assert_true(x && a && b);
    for (size_t i = 0; i < N; ++i)
        x[i] = tu_mix(&seed);
    zrun_t *z = zrun_alloc();
    assert_non_null(z);
    assert_int_equal(zrun_zlib(z, x, N * 8, 8, a, N * 8), 0); /* random */
    for (size_t i = 0; i < N; ++i)
        x[i] = i % 4 ? 0 : x[i];
    const size_t k = zrun_zlib(z, x, N * 8, 8, a, N * 8);
    assert_true(k > 0);
    assert_int_equal(zrun_zlib(z, x, N * 8, 8, b, k - 1), 0); /* one byte short */
    /* at its exact size, into a buffer of that size (a store past it is
     * ASan's): the same stream, its last bytes written one at a time */
    unsigned char *exact = malloc(k);
    assert_non_null(exact);
    assert_int_equal(zrun_zlib(z, x, N * 8, 8, exact, k), k);
    assert_memory_equal(exact, a, k);
    free(exact);
    /* and on 300 short tables (sparse, their last values far matches), whose
     * last codes, some of two bytes and more, fall within 8 bytes of the end */
    for (int t = 0; t < 300; ++t) {
        const size_t nel = 64 + (size_t)t * 3;
        uint64_t *y = calloc(nel, sizeof *y);
        assert_non_null(y);
        for (size_t i = 0; i < nel; ++i)
            y[i] = tu_mix(&seed) % 3 ? 0 : 1 + tu_mix(&seed) % 5;
        const size_t ky = zrun_zlib(z, y, nel * 8, 8, b, N * 8);
        unsigned char *ey = malloc(ky ? ky : 1);
        assert_non_null(ey);
        assert_int_equal(zrun_zlib(z, y, nel * 8, 8, ey, ky), ky);
        assert_memory_equal(ey, b, ky);
        free(ey);
        free(y);
    }
    assert_int_equal(zrun_zlib(z, x, N * 8, 8, b, k), k);
    /* exactly its size, where two_used gave codes to symbols never sent
     * (all zeros: one distance, no literal but the first) */
    uint64_t *zero = calloc(N, sizeof *zero);
    assert_non_null(zero);
    const size_t kz = zrun_zlib(z, zero, N * 8, 8, b, N * 8);
    assert_true(kz > 0);
    assert_int_equal(zrun_zlib(z, zero, N * 8, 8, b, kz), kz);
    for (size_t m = 2; m <= N; m += 1 + m / 16) { /* every size of stream, byte for byte */
        const size_t km = zrun_zlib(z, zero, m * 8, 8, b, N * 8);
        if (!km || zrun_zlib(z, zero, m * 8, 8, b, km) != km)
            fail_msg("%zu zeros: %zu bytes, then refused at that limit", m, km);
    }
    const size_t k0 = zrun_zlib(z, zero, 0, 8, b, 64); /* no elements: an empty block */
    assert_true(k0 > 6);
    assert_int_equal(zrun_zlib(z, zero, 0, 8, b, k0), k0);
    assert_int_equal(zrun_zlib(z, zero, 0, 8, b, k0 - 1), 0);
    free(zero);
    assert_int_equal(zrun_zlib(z, x, N * 8 - 4, 8, b, N * 8), 0); /* half an element */
    assert_int_equal(zrun_zlib(z, x, N * 8, 2, b, N * 8), 0);
    /* three quarters of the bytes literal is still enough: 1, 2, 3, 3 */
    const uint64_t q[4] = {1, 2, 3, 3};
    assert_true(zrun_zlib(z, q, sizeof q, 8, b, N * 8) > 0);
    assert_int_equal(zrun_zlib(z, x, N * 8, 16, b, N * 8), 0);
    /* another input in between: the same bytes again */
    uint64_t *y = calloc(N, sizeof *y);
    assert_non_null(y);
    for (size_t i = 0; i < N; ++i)
        y[i] = x[(i * 7 + 3) % N];
    assert_true(zrun_zlib(z, y, N * 8, 8, b, N * 8) > 0);
    assert_int_equal(zrun_zlib(z, x, N * 8, 8, b, N * 8), k);
    assert_memory_equal(a, b, k);
    free(y);
    zrun_free(z);
    free(x);
    free(a);
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trips),          cmocka_unit_test(test_long_codes_limited),
        cmocka_unit_test(test_code_length_runs),     cmocka_unit_test(test_size_on_a_sparse_table),
        cmocka_unit_test(test_gives_up_and_repeats), cmocka_unit_test(test_code_lengths_optimal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
