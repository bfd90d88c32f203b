/*
 * rng.h - counter-based random streams (Philox4x32-10, Random123).
 *
 * A stream is addressed, not advanced: key = (seed, stream id), counter =
 * (draw index [64 bit], trial [64 bit]). Draw i of trial t of stream s is a
 * pure function of (seed, s, t, i), so a trial's numbers do not depend on
 * which thread or MPI rank simulates it, nor on how many other trials or
 * streams exist. Every driver owns a fixed id below 2^31 and every unit an id
 * hashed from its name (scenario_unit_stream, top bit set), so adding a unit
 * or a driver never shifts another's draws.
 *
 * One Philox call gives four 32-bit words; uniforms take two words each for
 * 53 bits of resolution and lie in the open interval (0, 1), so log(u) is
 * always finite.
 *
 * rng_gsl_type is a GSL generator whose state is an rng_stream_t, so GSL's
 * distributions (gaussian, poisson, ...) draw from the same addressed stream.
 */
#ifndef GR_RNG_H
#define GR_RNG_H

#include <Random123/philox.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdint.h>

/* A refill makes two Philox blocks (8 words) at once, interleaved round by
 * round: one block's ten rounds are a chain of dependent multiplies, so a
 * lone block waits out their latency (about 20 ns here), and two cost about
 * 24 ns; four spill registers and gain nothing. The words and their order
 * are Random123's philox4x32, block after block, whatever the batch. */
#define RNG_BATCH_BLOCKS 2
#define RNG_BUF_WORDS (4 * RNG_BATCH_BLOCKS)

typedef struct {
    philox4x32_key_t key;
    philox4x32_ctr_t ctr;      /* v[0..1] next draw block, v[2..3] trial */
    uint32_t w[RNG_BUF_WORDS]; /* the current blocks' words */
    unsigned next;             /* next unused word of w */
    unsigned end;              /* words in w (0 or RNG_BUF_WORDS) */
} rng_stream_t;

void rng_init(rng_stream_t *s, uint32_t seed, uint32_t stream, uint64_t trial);
/* The same stream from draw block `block` on (four words a block): a second
 * sequence of a unit's stream, e.g. its planned outages, that can never
 * overlap its first (forced outages use blocks from 0, far below 2^40). */
void rng_init_at(rng_stream_t *s, uint32_t seed, uint32_t stream, uint64_t trial, uint64_t block);

/* Refills the block; kept out of line so the inline fast path stays small. */
void rng_refill(rng_stream_t *s);

static inline uint32_t rng_u32(rng_stream_t *s)
{
    if (s->next >= s->end)
        rng_refill(s);
    return s->w[s->next++];
}

/* The index of the stream's next word (block x 4 + word): from rng_init,
 * the words drawn so far (the bench counts them). */
static inline uint64_t rng_words_drawn(const rng_stream_t *s)
{
    const uint64_t blocks = (uint64_t)s->ctr.v[0] | (uint64_t)s->ctr.v[1] << 32;
    return 4 * blocks - (s->end - s->next);
}

/* Uniform on (0, 1): 53 random bits, centred in their bucket. */
static inline double rng_uniform(rng_stream_t *s)
{
    uint64_t hi, lo;
    if (s->next + 2 <= s->end) {     /* both words at hand: one test, not two */
        hi = s->w[s->next] >> 6;     /* 26 bits */
        lo = s->w[s->next + 1] >> 5; /* 27 bits */
        s->next += 2;
    } else {
        hi = rng_u32(s) >> 6;
        lo = rng_u32(s) >> 5;
    }
    return ((double)((hi << 27) | lo) + 0.5) * 0x1.0p-53;
}

/* Exponential with the given mean: density exp(-x/mean)/mean, mean `mean`,
 * variance mean^2. Inversion keeps one uniform per draw (reproducible). */
static inline double rng_exponential(rng_stream_t *s, double mean)
{
    return -mean * log(rng_uniform(s));
}

/* GSL adapter: gsl_rng_alloc(&rng_gsl_type), then rng_gsl_bind() before use. */
extern const gsl_rng_type rng_gsl_type;
void rng_gsl_bind(gsl_rng *r, uint32_t seed, uint32_t stream, uint64_t trial);

#endif
