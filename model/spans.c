/* spans.c - see spans.h. */
#include "spans.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int spans_init(spans_t *s, size_t cap)
{
    s->cap = cap ? cap : 1;
    s->v = malloc(s->cap * sizeof *s->v);
    return s->v ? 0 : -1;
}

void spans_free(spans_t *s)
{
    free(s->v);
    s->v = NULL;
    s->cap = 0;
}

int spans_reserve(spans_t *s, size_t need)
{
    size_t c = s->cap;
    while (c < need)
        c *= 2;
    if (c == s->cap)
        return 0;
    outage_span_t *n = realloc(s->v, c * sizeof *n);
    if (!n)
        return -1;
    s->v = n;
    s->cap = c;
    return 0;
}

size_t spans_sample_unit(spans_t *s, const scen_unit_t *u, uint32_t seed, uint64_t t,
                         int32_t horizon_h)
{
    for (;;) {
        rng_stream_t rs;
        rng_init(&rs, seed, u->stream, t);
        const size_t n = outage_sample(&rs, u->mttf_h, u->mttr_h, horizon_h, s->v, s->cap);
        if (n <= s->cap)
            return n;
        if (spans_reserve(s, n))
            return (size_t)-1;
    }
}

/* A unit's first draws in a fleet: enough for its expected transitions and
 * two standard deviations more (about a Poisson count's), so few units need
 * a refill, which makes its Philox blocks and logs one at a time; never
 * fewer than outage_first_draws. The uniforms a walk uses are the stream's
 * in order however many come first, so the count changes no result. On the
 * RTS-79 (1 thread, 400,000 trials, AVX-512, medians of 3): 263,000
 * trial-years/s with one deviation, 272,000 with two, 269,000 with three. */
#define FLEET_SIGMAS 2.0
static size_t fleet_draws(const scen_unit_t *u, int32_t horizon_h)
{
    const size_t nb = outage_first_draws(u->mttf_h, u->mttr_h, horizon_h);
    if (!nb)
        return 0;
    const double expect = outage_expected_changes(u->mttf_h, u->mttr_h, (double)horizon_h);
    if (!(expect > 0.0)) /* an empty horizon */
        return nb;
    const double want = expect + FLEET_SIGMAS * sqrt(expect) + 1.0;
    const size_t m = want < 4096.0 ? ((size_t)want + 3) & ~(size_t)3 : 4096;
    return m > nb ? m : nb;
}

int spans_fleet_init(spans_fleet_t *f, const scen_unit_t *units, size_t n, int32_t horizon_h)
{
    memset(f, 0, sizeof *f);
    f->n_units = n;
    f->off = malloc((n + 1) * sizeof *f->off);
    if (!f->off)
        return -1;
    f->off[0] = 0;
    for (size_t u = 0; u < n; ++u)
        f->off[u + 1] = f->off[u] + fleet_draws(&units[u], horizon_h);
    /* every unit's count is a multiple of four; the jobs are padded to
     * whole vectors of lanes (SPANS_FLEET_LANES), whose words nobody reads,
     * rather than leave a tail to the one-block-at-a-time path */
    f->n_jobs = (f->off[n] / 2 + SPANS_FLEET_LANES - 1) / SPANS_FLEET_LANES * SPANS_FLEET_LANES;
    f->key1 = calloc(f->n_jobs ? f->n_jobs : 1, sizeof *f->key1);
    f->block = calloc(f->n_jobs ? f->n_jobs : 1, sizeof *f->block);
    if (!f->key1 || !f->block) {
        spans_fleet_free(f);
        return -1;
    }
    for (size_t u = 0; u < n; ++u)
        for (size_t j = f->off[u] / 2; j < f->off[u + 1] / 2; ++j) {
            f->key1[j] = units[u].stream;
            f->block[j] = j - f->off[u] / 2;
        }
    return 0;
}

void spans_fleet_free(spans_fleet_t *f)
{
    free(f->off);
    free(f->key1);
    free(f->block);
    memset(f, 0, sizeof *f);
}

void spans_fleet_draw(const spans_fleet_t *f, uint32_t seed, uint64_t t, uint32_t *restrict words,
                      double *restrict e)
{
    rng_philox_many(seed, t, f->n_jobs, f->key1, f->block, words);
    rng_neglog_words(words, f->off[f->n_units], e);
}

size_t spans_walk_unit(spans_t *s, const spans_fleet_t *f, size_t ui, const scen_unit_t *u,
                       const uint32_t *words, const double *e, uint32_t seed, uint64_t t,
                       int32_t horizon_h)
{
    const size_t k0 = f->off[ui], nb = f->off[ui + 1] - k0;
    if (!nb)
        return 0;
    const double u0 = rng_uniform_of(words[2 * k0], words[2 * k0 + 1]);
    for (;;) {
        rng_stream_t rs; /* where the first draws leave the unit's stream */
        rng_init_at(&rs, seed, u->stream, t, nb / 2);
        const size_t n =
            outage_walk(u0, e + k0 + 1, nb - 1, &rs, u->mttf_h, u->mttr_h, horizon_h, s->v, s->cap);
        if (n <= s->cap)
            return n;
        if (spans_reserve(s, n))
            return (size_t)-1;
    }
}
