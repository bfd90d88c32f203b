/* rng.c - see rng.h. */
#include "rng.h"

#include <string.h>

static void set_block(rng_stream_t *s, uint64_t block)
{
    s->ctr.v[0] = (uint32_t)block;
    s->ctr.v[1] = (uint32_t)(block >> 32);
}

void rng_init(rng_stream_t *s, uint32_t seed, uint32_t stream, uint64_t trial)
{
    s->key.v[0] = seed;
    s->key.v[1] = stream;
    set_block(s, 0);
    s->ctr.v[2] = (uint32_t)trial;
    s->ctr.v[3] = (uint32_t)(trial >> 32);
    s->next = s->end = 0;
}

void rng_init_at(rng_stream_t *s, uint32_t seed, uint32_t stream, uint64_t trial, uint64_t block)
{
    rng_init(s, seed, stream, trial);
    set_block(s, block);
}

/* Philox4x32-10 (Random123's constants and rounds, the same words as its
 * philox4x32) for RNG_BATCH_BLOCKS consecutive counters from `block`, round
 * by round across the blocks: one block's rounds are a chain of dependent
 * multiplies, so the blocks' chains interleave instead of waiting out each
 * other's latency. */
static inline void philox_blocks(const rng_stream_t *s, uint64_t block, uint32_t *restrict out)
{
    enum { L = RNG_BATCH_BLOCKS };
    uint32_t x0[L], x1[L], x2[L], x3[L];
    for (unsigned l = 0; l < L; ++l) {
        const uint64_t b = block + l; /* 64-bit: never wraps within a trial */
        x0[l] = (uint32_t)b;
        x1[l] = (uint32_t)(b >> 32);
        x2[l] = s->ctr.v[2];
        x3[l] = s->ctr.v[3];
    }
    uint32_t k0 = s->key.v[0], k1 = s->key.v[1];
    /* unrolled, the round keys are constants and the lanes stay in registers */
#pragma GCC unroll 10
    for (unsigned r = 0; r < 10; ++r) {
        for (unsigned l = 0; l < L; ++l) {
            const uint64_t p0 = (uint64_t)PHILOX_M4x32_0 * x0[l];
            const uint64_t p1 = (uint64_t)PHILOX_M4x32_1 * x2[l];
            const uint32_t y0 = (uint32_t)(p1 >> 32) ^ x1[l] ^ k0;
            const uint32_t y2 = (uint32_t)(p0 >> 32) ^ x3[l] ^ k1;
            x1[l] = (uint32_t)p1;
            x3[l] = (uint32_t)p0;
            x0[l] = y0;
            x2[l] = y2;
        }
        k0 += PHILOX_W32_0;
        k1 += PHILOX_W32_1;
    }
    for (unsigned l = 0; l < L; ++l) {
        out[4 * l] = x0[l];
        out[4 * l + 1] = x1[l];
        out[4 * l + 2] = x2[l];
        out[4 * l + 3] = x3[l];
    }
}

void rng_refill(rng_stream_t *s)
{
    const uint64_t block = rng_block(s);
    philox_blocks(s, block, s->w);
    set_block(s, block + RNG_BATCH_BLOCKS);
    s->next = 0;
    s->end = RNG_BUF_WORDS;
}

/* rng_uniforms makes whole refills' worth of uniforms (PER_REFILL each,
 * up to BULK_REFILLS at a time) in one loop: their Philox rounds do not wait
 * for the uniforms to be used, so the processor overlaps one refill's chain
 * of multiplies with the next's instead of waiting out each. */
enum { BULK_REFILLS = 8, PER_REFILL = RNG_BUF_WORDS / 2 };

void rng_uniforms(rng_stream_t *s, double *restrict e, size_t n)
{
    size_t i = 0;
    /* the words at hand; a uniform that straddles a refill refills, and a
     * stream standing on an odd word stays on one, so from there the whole
     * batch comes this way (the bits are the same; outage_sample's streams
     * always stand on an even word) */
    while (i < n && s->next < s->end)
        e[i++] = rng_uniform(s);
    /* the buffer is used up (or n reached): whole refills straight to e */
    while (n - i >= PER_REFILL) {
        uint32_t w[BULK_REFILLS * RNG_BUF_WORDS];
        size_t r = (n - i) / PER_REFILL;
        r = r < BULK_REFILLS ? r : BULK_REFILLS;
        const uint64_t block = rng_block(s);
        for (size_t k = 0; k < r; ++k)
            philox_blocks(s, block + k * RNG_BATCH_BLOCKS, w + k * RNG_BUF_WORDS);
        set_block(s, block + r * RNG_BATCH_BLOCKS);
        for (size_t k = 0; k < r * PER_REFILL; ++k)
            e[i + k] = rng_uniform_of(w[2 * k], w[2 * k + 1]);
        i += r * PER_REFILL;
    }
    while (i < n) /* the rest from a refill kept in the stream */
        e[i++] = rng_uniform(s);
}

void rng_exponentials(rng_stream_t *s, double *restrict e, size_t n)
{
    rng_uniforms(s, e, n);
    for (size_t k = 0; k < n; ++k)
        e[k] = rng_neglog(e[k]);
}

/* --- many streams' blocks at once ----------------------------------------- */

static void philox_many_portable(uint32_t seed, uint64_t trial, size_t n,
                                 const uint32_t *restrict key1, const uint64_t *restrict block,
                                 uint32_t *restrict out)
{
    for (size_t i = 0; i < n; ++i) {
        const philox4x32_ctr_t c = {{(uint32_t)block[i], (uint32_t)(block[i] >> 32),
                                     (uint32_t)trial, (uint32_t)(trial >> 32)}};
        const philox4x32_key_t k = {{seed, key1[i]}};
        const philox4x32_ctr_t r = philox4x32(c, k);
        memcpy(out + 4 * i, r.v, sizeof r.v);
    }
}

#ifdef RNG_ISA_WIDE
#include <immintrin.h>

/* Philox's ten rounds on two sets of lanes, a0-a3 with key ka and b0-b3
 * with kb (k0, the seed, shared), of vector type V, with the instruction
 * set's 32 x 32 -> 64 multiply, 64-bit shift, three-way exclusive or and
 * 32-bit add (a key's carry never reaches the next word, as in philox4x32). */
#define PHILOX_LANES_ROUNDS(V, MUL, SRL, XOR3, ADD32)                                              \
    _Pragma("GCC unroll 10") for (int r = 0; r < 10; ++r)                                          \
    {                                                                                              \
        const V pa0 = MUL(a0, m0), pa1 = MUL(a2, m1);                                              \
        const V pb0 = MUL(b0, m0), pb1 = MUL(b2, m1);                                              \
        a0 = XOR3(SRL(pa1, 32), a1, k0);                                                           \
        a2 = XOR3(SRL(pa0, 32), a3, ka);                                                           \
        b0 = XOR3(SRL(pb1, 32), b1, k0);                                                           \
        b2 = XOR3(SRL(pb0, 32), b3, kb);                                                           \
        a1 = pa1;                                                                                  \
        a3 = pa0;                                                                                  \
        b1 = pb1;                                                                                  \
        b3 = pb0;                                                                                  \
        k0 = ADD32(k0, w0);                                                                        \
        ka = ADD32(ka, w1);                                                                        \
        kb = ADD32(kb, w1);                                                                        \
    }

/* 0x96: the truth table of x ^ y ^ z */
__attribute__((target("avx512f"))) static inline __m512i xor3_avx512(__m512i x, __m512i y,
                                                                     __m512i z)
{
    return _mm512_ternarylogic_epi64(x, y, z, 0x96);
}

__attribute__((target("avx2"))) static inline __m256i xor3_avx2(__m256i x, __m256i y, __m256i z)
{
    return _mm256_xor_si256(_mm256_xor_si256(x, y), z);
}

/* Philox with each (stream, block) job in a 64-bit lane, a block's four
 * words in four registers: one vpmuludq makes a product for every lane (it
 * reads the low 32 bits, so the garbage the rounds leave in the lanes'
 * upper halves is never read, and the final pack masks it off). Two sets of
 * lanes are in flight to hide the multiplies' latency. On the development
 * machine (bench rng/philox_many): 0.28 ns a word with AVX-512, 0.64 with
 * AVX2, 1.7 for philox4x32 one block at a time. Jobs beyond the last whole
 * set take the portable path. */
__attribute__((target("avx512f"))) static void
philox_many_avx512(uint32_t seed, uint64_t trial, size_t n, const uint32_t *restrict key1,
                   const uint64_t *restrict block, uint32_t *restrict out)
{
    const __m512i m0 = _mm512_set1_epi64(PHILOX_M4x32_0), m1 = _mm512_set1_epi64(PHILOX_M4x32_1);
    const __m512i w0 = _mm512_set1_epi64(PHILOX_W32_0), w1 = _mm512_set1_epi64(PHILOX_W32_1);
    const __m512i lo32 = _mm512_set1_epi64(0xffffffff);
    const __m512i t_lo = _mm512_set1_epi64((uint32_t)trial);
    const __m512i t_hi = _mm512_set1_epi64((uint32_t)(trial >> 32));
    /* (x0 | x1 << 32, x2 | x3 << 32) of lanes 0-3, then of lanes 4-7 */
    const __m512i i_lo = _mm512_set_epi64(11, 3, 10, 2, 9, 1, 8, 0);
    const __m512i i_hi = _mm512_set_epi64(15, 7, 14, 6, 13, 5, 12, 4);
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        __m512i a0 = _mm512_loadu_si512((const void *)(block + i));
        __m512i b0 = _mm512_loadu_si512((const void *)(block + i + 8));
        __m512i a1 = _mm512_srli_epi64(a0, 32), b1 = _mm512_srli_epi64(b0, 32);
        __m512i a2 = t_lo, b2 = t_lo, a3 = t_hi, b3 = t_hi;
        __m512i ka = _mm512_cvtepu32_epi64(_mm256_loadu_si256((const void *)(key1 + i)));
        __m512i kb = _mm512_cvtepu32_epi64(_mm256_loadu_si256((const void *)(key1 + i + 8)));
        __m512i k0 = _mm512_set1_epi64(seed);
        PHILOX_LANES_ROUNDS(__m512i, _mm512_mul_epu32, _mm512_srli_epi64, xor3_avx512,
                            _mm512_add_epi32);
        const __m512i a01 = _mm512_or_si512(_mm512_and_si512(a0, lo32), _mm512_slli_epi64(a1, 32));
        const __m512i a23 = _mm512_or_si512(_mm512_and_si512(a2, lo32), _mm512_slli_epi64(a3, 32));
        const __m512i b01 = _mm512_or_si512(_mm512_and_si512(b0, lo32), _mm512_slli_epi64(b1, 32));
        const __m512i b23 = _mm512_or_si512(_mm512_and_si512(b2, lo32), _mm512_slli_epi64(b3, 32));
        _mm512_storeu_si512((void *)(out + 4 * i), _mm512_permutex2var_epi64(a01, i_lo, a23));
        _mm512_storeu_si512((void *)(out + 4 * i + 16), _mm512_permutex2var_epi64(a01, i_hi, a23));
        _mm512_storeu_si512((void *)(out + 4 * i + 32), _mm512_permutex2var_epi64(b01, i_lo, b23));
        _mm512_storeu_si512((void *)(out + 4 * i + 48), _mm512_permutex2var_epi64(b01, i_hi, b23));
    }
    philox_many_portable(seed, trial, n - i, key1 + i, block + i, out + 4 * i);
}

/* The same with AVX2: two sets of four lanes. */
__attribute__((target("avx2"))) static void
philox_many_avx2(uint32_t seed, uint64_t trial, size_t n, const uint32_t *restrict key1,
                 const uint64_t *restrict block, uint32_t *restrict out)
{
    const __m256i m0 = _mm256_set1_epi64x(PHILOX_M4x32_0), m1 = _mm256_set1_epi64x(PHILOX_M4x32_1);
    const __m256i w0 = _mm256_set1_epi64x(PHILOX_W32_0), w1 = _mm256_set1_epi64x(PHILOX_W32_1);
    const __m256i lo32 = _mm256_set1_epi64x(0xffffffff);
    const __m256i t_lo = _mm256_set1_epi64x((uint32_t)trial);
    const __m256i t_hi = _mm256_set1_epi64x((uint32_t)(trial >> 32));
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256i a0 = _mm256_loadu_si256((const void *)(block + i));
        __m256i b0 = _mm256_loadu_si256((const void *)(block + i + 4));
        __m256i a1 = _mm256_srli_epi64(a0, 32), b1 = _mm256_srli_epi64(b0, 32);
        __m256i a2 = t_lo, b2 = t_lo, a3 = t_hi, b3 = t_hi;
        __m256i ka = _mm256_cvtepu32_epi64(_mm_loadu_si128((const void *)(key1 + i)));
        __m256i kb = _mm256_cvtepu32_epi64(_mm_loadu_si128((const void *)(key1 + i + 4)));
        __m256i k0 = _mm256_set1_epi64x(seed);
        PHILOX_LANES_ROUNDS(__m256i, _mm256_mul_epu32, _mm256_srli_epi64, xor3_avx2,
                            _mm256_add_epi32);
        /* per lane (x0 | x1 << 32, x2 | x3 << 32), interleaved within
         * 128-bit halves, then the halves put in order */
        const __m256i a01 = _mm256_or_si256(_mm256_and_si256(a0, lo32), _mm256_slli_epi64(a1, 32));
        const __m256i a23 = _mm256_or_si256(_mm256_and_si256(a2, lo32), _mm256_slli_epi64(a3, 32));
        const __m256i b01 = _mm256_or_si256(_mm256_and_si256(b0, lo32), _mm256_slli_epi64(b1, 32));
        const __m256i b23 = _mm256_or_si256(_mm256_and_si256(b2, lo32), _mm256_slli_epi64(b3, 32));
        const __m256i alo = _mm256_unpacklo_epi64(a01, a23), ahi = _mm256_unpackhi_epi64(a01, a23);
        const __m256i blo = _mm256_unpacklo_epi64(b01, b23), bhi = _mm256_unpackhi_epi64(b01, b23);
        _mm256_storeu_si256((void *)(out + 4 * i), _mm256_permute2x128_si256(alo, ahi, 0x20));
        _mm256_storeu_si256((void *)(out + 4 * i + 8), _mm256_permute2x128_si256(alo, ahi, 0x31));
        _mm256_storeu_si256((void *)(out + 4 * i + 16), _mm256_permute2x128_si256(blo, bhi, 0x20));
        _mm256_storeu_si256((void *)(out + 4 * i + 24), _mm256_permute2x128_si256(blo, bhi, 0x31));
    }
    philox_many_portable(seed, trial, n - i, key1 + i, block + i, out + 4 * i);
}

#define GR_RNG_DISPATCH 1
#endif

rng_isa_t rng_isa_best(void)
{
#ifdef GR_RNG_DISPATCH
    if (__builtin_cpu_supports("avx512f"))
        return RNG_ISA_AVX512;
    if (__builtin_cpu_supports("avx2"))
        return RNG_ISA_AVX2;
#endif
    return RNG_ISA_PORTABLE;
}

const char *rng_isa_name(rng_isa_t isa)
{
    return isa == RNG_ISA_AVX512 ? "avx512" : isa == RNG_ISA_AVX2 ? "avx2" : "portable";
}

void rng_philox_many_isa(rng_isa_t isa, uint32_t seed, uint64_t trial, size_t n,
                         const uint32_t *restrict key1, const uint64_t *restrict block,
                         uint32_t *restrict out)
{
#ifdef GR_RNG_DISPATCH
    if (isa == RNG_ISA_AVX512) {
        philox_many_avx512(seed, trial, n, key1, block, out);
        return;
    }
    if (isa == RNG_ISA_AVX2) {
        philox_many_avx2(seed, trial, n, key1, block, out);
        return;
    }
#endif
    (void)isa;
    philox_many_portable(seed, trial, n, key1, block, out);
}

void rng_philox_many(uint32_t seed, uint64_t trial, size_t n, const uint32_t *restrict key1,
                     const uint64_t *restrict block, uint32_t *restrict out)
{
    rng_philox_many_isa(rng_isa_best(), seed, trial, n, key1, block, out);
}

/* rng_uniform_of with its 53-bit integer made of the two parts' 32-bit
 * conversions (hi 2^27 + lo, exact: each part and the sum are exact in a
 * double), which vectorise where SSE2 and AVX2 have no 64-bit integer to
 * double instruction. Inlined into each instruction set's copy below. */
static inline __attribute__((always_inline)) void neglog_words(const uint32_t *restrict w, size_t n,
                                                               double *restrict e)
{
    for (size_t i = 0; i < n; ++i) {
        const double hi = (double)(int32_t)(w[2 * i] >> 6);
        const double lo = (double)(int32_t)(w[2 * i + 1] >> 5);
        e[i] = rng_neglog((hi * 0x1.0p27 + lo + 0.5) * 0x1.0p-53);
    }
}

#ifdef GR_RNG_DISPATCH
/* The same loop compiled for wider vectors (an explicit dispatch, not
 * target_clones, whose symbols clang 14 misnames). No FMA: the build's
 * -ffp-contract=off forbids contracting, so every copy rounds the same. */
__attribute__((target("avx512f"))) static void neglog_words_avx512(const uint32_t *restrict w,
                                                                   size_t n, double *restrict e)
{
    neglog_words(w, n, e);
}

__attribute__((target("avx2"))) static void neglog_words_avx2(const uint32_t *restrict w, size_t n,
                                                              double *restrict e)
{
    neglog_words(w, n, e);
}
#endif

void rng_neglog_words_isa(rng_isa_t isa, const uint32_t *restrict w, size_t n, double *restrict e)
{
#ifdef GR_RNG_DISPATCH
    if (isa == RNG_ISA_AVX512) {
        neglog_words_avx512(w, n, e);
        return;
    }
    if (isa == RNG_ISA_AVX2) {
        neglog_words_avx2(w, n, e);
        return;
    }
#endif
    (void)isa;
    neglog_words(w, n, e);
}

void rng_neglog_words(const uint32_t *restrict w, size_t n, double *restrict e)
{
    rng_neglog_words_isa(rng_isa_best(), w, n, e);
}

/* --- GSL adapter ------------------------------------------------------- */

static void gsl_set(void *state, unsigned long seed) { rng_init(state, (uint32_t)seed, 0, 0); }

static unsigned long gsl_get(void *state) { return rng_u32(state); }

/* GSL's contract is [0, 1): its samplers take log1p(-u), which a u of 1
 * (rng_uniform_of, once in 2^53 draws) would make infinite. */
static double gsl_get_double(void *state)
{
    const double u = rng_uniform(state);
    return u < 1.0 ? u : 0x1.fffffffffffffp-1;
}

const gsl_rng_type rng_gsl_type = {
    "philox4x32-10", 0xffffffffUL, 0, sizeof(rng_stream_t), gsl_set, gsl_get, gsl_get_double,
};

void rng_gsl_bind(gsl_rng *r, uint32_t seed, uint32_t stream, uint64_t trial)
{
    rng_init(r->state, seed, stream, trial);
}
