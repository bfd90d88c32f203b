/* spans.c - see spans.h. */
#include "spans.h"

#include <stdlib.h>

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
