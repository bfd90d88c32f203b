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

#endif
