/* rng.c - see rng.h. */
#include "rng.h"

#include <string.h>

void rng_init(rng_stream_t *s, uint32_t seed, uint32_t stream, uint64_t trial)
{
    s->key.v[0] = seed;
    s->key.v[1] = stream;
    s->ctr.v[0] = 0;
    s->ctr.v[1] = 0;
    s->ctr.v[2] = (uint32_t)trial;
    s->ctr.v[3] = (uint32_t)(trial >> 32);
    s->next = s->end = 0;
}

void rng_init_at(rng_stream_t *s, uint32_t seed, uint32_t stream, uint64_t trial, uint64_t block)
{
    rng_init(s, seed, stream, trial);
    s->ctr.v[0] = (uint32_t)block;
    s->ctr.v[1] = (uint32_t)(block >> 32);
}

/* Philox4x32-10 (Random123's constants and rounds, the same words as its
 * philox4x32) for RNG_BATCH_BLOCKS consecutive counters at once, round by
 * round across the blocks: one block's rounds are a chain of dependent
 * multiplies, so the blocks' chains interleave instead of waiting out each
 * other's latency. */
void rng_refill(rng_stream_t *s)
{
    enum { L = RNG_BATCH_BLOCKS };
    const uint64_t block = (uint64_t)s->ctr.v[0] | (uint64_t)s->ctr.v[1] << 32;
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
        s->w[4 * l] = x0[l];
        s->w[4 * l + 1] = x1[l];
        s->w[4 * l + 2] = x2[l];
        s->w[4 * l + 3] = x3[l];
    }
    const uint64_t next = block + L;
    s->ctr.v[0] = (uint32_t)next;
    s->ctr.v[1] = (uint32_t)(next >> 32);
    s->next = 0;
    s->end = RNG_BUF_WORDS;
}

void rng_exponentials(rng_stream_t *s, double *restrict e, size_t n)
{
    for (size_t i = 0; i < n; ++i)
        e[i] = rng_uniform(s);
    for (size_t i = 0; i < n; ++i)
        e[i] = rng_neglog(e[i]);
}

/* --- GSL adapter ------------------------------------------------------- */

static void gsl_set(void *state, unsigned long seed) { rng_init(state, (uint32_t)seed, 0, 0); }

static unsigned long gsl_get(void *state) { return rng_u32(state); }

static double gsl_get_double(void *state) { return rng_uniform(state); }

const gsl_rng_type rng_gsl_type = {
    "philox4x32-10", 0xffffffffUL, 0, sizeof(rng_stream_t), gsl_set, gsl_get, gsl_get_double,
};

void rng_gsl_bind(gsl_rng *r, uint32_t seed, uint32_t stream, uint64_t trial)
{
    rng_init(r->state, seed, stream, trial);
}
