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
    s->next = 4;
}

void rng_init_at(rng_stream_t *s, uint32_t seed, uint32_t stream, uint64_t trial, uint64_t block)
{
    rng_init(s, seed, stream, trial);
    s->ctr.v[0] = (uint32_t)block;
    s->ctr.v[1] = (uint32_t)(block >> 32);
}

void rng_refill(rng_stream_t *s)
{
    s->out = philox4x32(s->ctr, s->key);
    /* 64-bit block counter: a stream never wraps within a trial. */
    if (++s->ctr.v[0] == 0)
        ++s->ctr.v[1];
    s->next = 0;
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
