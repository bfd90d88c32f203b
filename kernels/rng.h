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
 * 53 bits of resolution and lie in (0, 1], so log(u) is always finite
 * (rng_uniform_of says when u is 1).
 *
 * rng_gsl_type is a GSL generator whose state is an rng_stream_t, so GSL's
 * distributions (gaussian, poisson, ...) draw from the same addressed stream.
 */
#ifndef GR_RNG_H
#define GR_RNG_H

#include <Random123/philox.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

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

/* The 64-bit draw-block counter: the next block a refill makes. */
static inline uint64_t rng_block(const rng_stream_t *s)
{
    return (uint64_t)s->ctr.v[0] | (uint64_t)s->ctr.v[1] << 32;
}

/* The index of the stream's next word (block x 4 + word): from rng_init,
 * the words drawn so far (the bench counts them). */
static inline uint64_t rng_words_drawn(const rng_stream_t *s)
{
    return 4 * rng_block(s) - (s->end - s->next);
}

/* The uniform two words make: n = 26 bits of the first and 27 of the
 * second, u = (n + 0.5) 2^-53. Below 2^52 that is the centre of n's bucket;
 * above, n + 0.5 needs 54 bits and rounds to even, so the upper half lands
 * on even multiples of 2^-53 and the top n, 2^53 - 1, gives exactly 1 (once
 * in 2^53 draws). Kept as it is: a change would change every draw. Where 1
 * matters, the caller handles it (gsl_get_double; netsim's geometric
 * inversion reads it as "never"). */
static inline double rng_uniform_of(uint32_t w1, uint32_t w2)
{
    const uint64_t hi = w1 >> 6, lo = w2 >> 5;
    return ((double)((hi << 27) | lo) + 0.5) * 0x1.0p-53;
}

/* Uniform on (0, 1]: 53 random bits (rng_uniform_of). */
static inline double rng_uniform(rng_stream_t *s)
{
    if (s->next + 2 <= s->end) { /* both words at hand: one test, not two */
        const double u = rng_uniform_of(s->w[s->next], s->w[s->next + 1]);
        s->next += 2;
        return u;
    }
    const uint32_t w1 = rng_u32(s);
    return rng_uniform_of(w1, rng_u32(s));
}

/* -log(u) for a uniform u in (0, 1], within 1 ulp of libm's: fdlibm's
 * e_log.c (u = 2^k m with m in [sqrt(2)/2, sqrt(2)), f = m - 1,
 * s = f/(2+f), log(m) = f - (f^2/2 - s(f^2/2 + R(s^2))), R its polynomial)
 * with none of its branches: not the shortcuts for tiny f, and always the
 * f^2/2 form where fdlibm takes f - s(f - R) for some m near 1.4 (most of
 * the last-bit differences from libm come from there).
 * Own code rather than libm's for two reasons: the loop in rng_exponentials
 * vectorises it (libm's log is a call, whose spills cost the sampler about
 * as much as the log), and its bits are the same on every machine (glibc
 * picks an FMA variant of log at run time). k comes out of the bits as a
 * double with the 2^52 trick, since SSE2 has no int64 -> double.
 * For u as rng_uniform makes them: normal and positive (u = 1 gives +0;
 * zero, subnormals, infinities and NaN are not handled). */
static inline double rng_neglog(double u)
{
    const double ln2_hi = 6.93147180369123816490e-01; /* 0x3fe62e42 fee00000 */
    const double ln2_lo = 1.90821492927058770002e-10; /* 0x3dea39ef 35793c76 */
    const double lg1 = 6.666666666666735130e-01, lg2 = 3.999999999940941908e-01,
                 lg3 = 2.857142874366239149e-01, lg4 = 2.222219843214978396e-01,
                 lg5 = 1.818357216161805012e-01, lg6 = 1.531383769920937332e-01,
                 lg7 = 1.479819860511658591e-01;
    uint64_t b;
    memcpy(&b, &u, sizeof b);
    const uint64_t mant = b & 0x000fffffffffffffULL;
    /* carry into bit 52 when m >= sqrt(2): then halve m and add 1 to k */
    const uint64_t up = (mant + 0x00095f6400000000ULL) & 0x0010000000000000ULL;
    const uint64_t mb = mant | (up ^ 0x3ff0000000000000ULL);
    const uint64_t kb = ((b >> 52) + (up >> 52)) | 0x4330000000000000ULL;
    double m, kbias;
    memcpy(&m, &mb, sizeof m);
    memcpy(&kbias, &kb, sizeof kbias);
    const double k = kbias - (0x1.0p52 + 1023.0);
    const double f = m - 1.0;
    const double sf = f / (2.0 + f);
    const double z = sf * sf, w = z * z;
    const double r = z * (lg1 + w * (lg3 + w * (lg5 + w * lg7))) + w * (lg2 + w * (lg4 + w * lg6));
    const double hfsq = 0.5 * f * f;
    return (hfsq - (sf * (hfsq + r) + k * ln2_lo)) - f - k * ln2_hi;
}

/* Exponential with the given mean: density exp(-x/mean)/mean, mean `mean`,
 * variance mean^2. Inversion keeps one uniform per draw (reproducible). */
static inline double rng_exponential(rng_stream_t *s, double mean)
{
    return mean * rng_neglog(rng_uniform(s));
}

/* The next n draws of rng_uniform(s), made together: from a stream on an
 * even word, whole refills in one loop (see rng.c). The stream ends where n
 * single draws leave it. */
void rng_uniforms(rng_stream_t *s, double *restrict u, size_t n);

/* The next n draws of rng_exponential(s, 1.0), made together: the uniforms
 * first, then their logs in one loop the compiler vectorises. The stream
 * ends where n single draws leave it. */
void rng_exponentials(rng_stream_t *s, double *restrict e, size_t n);

/* The instruction sets of the vector paths below, narrowest first. */
typedef enum { RNG_ISA_PORTABLE, RNG_ISA_AVX2, RNG_ISA_AVX512 } rng_isa_t;

/* Defined when this build compiles the wider paths (x86-64 with GCC or
 * clang, unless built with -DGR_RNG_PORTABLE): the one test for every
 * module that keeps a copy of a loop per vector width. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(GR_RNG_PORTABLE)
#define RNG_ISA_WIDE 1
#endif

/* The widest the processor has, of those the build compiled (RNG_ISA_WIDE);
 * decided at run time, so the build's flags stay portable. */
rng_isa_t rng_isa_best(void);
const char *rng_isa_name(rng_isa_t isa);

/* Many streams' blocks at once: out[4i .. 4i + 3] = the words of block
 * block[i] of stream key1[i] (rng_init(s, seed, key1[i], trial)), for
 * i < n. A fleet's units each need a few blocks a trial, too few for one
 * stream's blocks to fill a vector, so the lanes are (stream, block) pairs:
 * sixteen at a time in AVX-512 registers, eight in AVX2's, Random123's
 * philox4x32 one block at a time on the portable path. Every path gives the
 * same words (tests and bench compare them). */
void rng_philox_many(uint32_t seed, uint64_t trial, size_t n, const uint32_t *restrict key1,
                     const uint64_t *restrict block, uint32_t *restrict out);

/* e[i] = rng_neglog(rng_uniform_of(w[2i], w[2i + 1])) for i < n: the
 * exponentials two words each make, in one loop the compiler vectorises
 * for the processor's widest vectors. The same bits on every path: no FMA,
 * no reordering. */
void rng_neglog_words(const uint32_t *restrict w, size_t n, double *restrict e);

/* The same on a given path (isa <= rng_isa_best()): tests and bench. */
void rng_philox_many_isa(rng_isa_t isa, uint32_t seed, uint64_t trial, size_t n,
                         const uint32_t *restrict key1, const uint64_t *restrict block,
                         uint32_t *restrict out);
void rng_neglog_words_isa(rng_isa_t isa, const uint32_t *restrict w, size_t n, double *restrict e);

/* GSL adapter: gsl_rng_alloc(&rng_gsl_type), then rng_gsl_bind() before use. */
extern const gsl_rng_type rng_gsl_type;
void rng_gsl_bind(gsl_rng *r, uint32_t seed, uint32_t stream, uint64_t trial);

#endif
