/*
 * spans.h - a thread's growable buffer of outage spans, and sampling one
 * unit's outages into it.
 *
 * The buffer is sized once from the expected outage count; on the rare
 * trial that needs more it grows (amortised, never shrinks) and the unit is
 * sampled again from the same addressed stream, which gives the same spans.
 */
#ifndef GR_SPANS_H
#define GR_SPANS_H

#include "../inputs/scenario.h"
#include "../kernels/outage.h"

#include <stddef.h>
#include <stdint.h>

typedef struct {
    outage_span_t *v;
    size_t cap;
} spans_t;

int spans_init(spans_t *s, size_t cap); /* 0, or -1 when out of memory */
void spans_free(spans_t *s);
/* Room for at least need spans; 0, or -1 when out of memory. */
int spans_reserve(spans_t *s, size_t need);
/* The unit's spans over [0, horizon_h) for trial t into s->v; returns the
 * count, or (size_t)-1 when out of memory. */
size_t spans_sample_unit(spans_t *s, const scen_unit_t *u, uint32_t seed, uint64_t t,
                         int32_t horizon_h);

/*
 * A fleet's first draws, made for all its units at once (the adequacy
 * model's trials): unit u's outage_first_draws uniforms are draws
 * [off[u], off[u + 1]), made by the Philox blocks of jobs
 * [off[u] / 2, off[u + 1] / 2) (two uniforms a block). Laid out once per
 * run; the draws of a trial go to a thread's scratch (words[4 n_jobs],
 * e[off[n_units]]). The spans are those spans_sample_unit gives.
 */
#define SPANS_FLEET_LANES 16 /* rng_philox_many's widest set of lanes */

typedef struct {
    size_t n_units, n_jobs; /* n_jobs: a multiple of SPANS_FLEET_LANES */
    size_t *off;            /* [n_units + 1] */
    uint32_t *key1;         /* [n_jobs] each block's stream */
    uint64_t *block;        /* [n_jobs] and its index in it */
} spans_fleet_t;

int spans_fleet_init(spans_fleet_t *f, const scen_unit_t *units, size_t n, int32_t horizon_h);
void spans_fleet_free(spans_fleet_t *f);
/* Trial t's first draws of every unit: the words, and e[k] = -log of
 * uniform k (the first of each unit's is the initial state's uniform,
 * which spans_walk_unit takes from the words). */
void spans_fleet_draw(const spans_fleet_t *f, uint32_t seed, uint64_t t, uint32_t *restrict words,
                      double *restrict e);
/* Unit ui's spans of trial t into s->v from the fleet's draws; returns the
 * count, or (size_t)-1 when out of memory. */
size_t spans_walk_unit(spans_t *s, const spans_fleet_t *f, size_t ui, const scen_unit_t *u,
                       const uint32_t *words, const double *e, uint32_t seed, uint64_t t,
                       int32_t horizon_h);

#endif
