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
