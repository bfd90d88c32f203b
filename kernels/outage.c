/* outage.c - see outage.h. */
#include "outage.h"

#include <math.h>

/* Exponentials come in batches (rng_exponentials): a libm log per draw made
 * this loop spill around every call, which cost about as much as the log.
 * The first batch is the transitions the unit is expected to make, rounded
 * down to a pair (the vector loop takes two at a time), later ones the four
 * uniforms of one refill, since drawing ahead costs Philox words (on the
 * RTS-79's fleet, batches rounded up to four, or later ones of eight, were
 * within 3% of this). Draws left over are never used, which shifts nothing,
 * since the stream is the unit's own. */
#define OUTAGE_BATCH 32
#define OUTAGE_NEXT 4

size_t outage_sample(rng_stream_t *s, double mttf_h, double mttr_h, int32_t horizon_h,
                     outage_span_t *restrict spans, size_t cap)
{
    if (!(mttr_h > 0.0) || !isfinite(mttf_h))
        return 0;
    const double horizon = (double)horizon_h;
    const double p_up = mttf_h / (mttf_h + mttr_h);
    const double expect = 2.0 * horizon / (mttf_h + mttr_h); /* transitions */
    double e[OUTAGE_BATCH];
    size_t nb = OUTAGE_BATCH;
    if (!(expect >= OUTAGE_BATCH)) /* and a negative MTTF draws nothing ahead */
        nb = expect > 0.0 ? (size_t)expect & ~(size_t)1 : 0;
    size_t j = 0;
    size_t n = 0;
    double t = 0.0;
    double down_start = 0.0;
    int up = rng_uniform(s) < p_up;
    rng_exponentials(s, e, nb);
    for (;;) {
        if (j == nb) {
            nb = OUTAGE_NEXT;
            rng_exponentials(s, e, nb);
            j = 0;
        }
        const double x = e[j++];
        if (up) {
            t += mttf_h * x;
            if (t >= horizon)
                break;
            down_start = t;
            up = 0;
        } else {
            t += mttr_h * x;
            const double h0 = ceil(down_start);
            const double h1 = ceil(t < horizon ? t : horizon);
            if (h1 > h0) {
                if (n < cap) {
                    spans[n].down_h = (int32_t)h0;
                    spans[n].up_h = (int32_t)h1;
                }
                ++n;
            }
            if (t >= horizon)
                break;
            up = 1;
        }
    }
    return n;
}

double outage_expected_spans(double mttf_h, double mttr_h, double horizon_h)
{
    if (!(mttr_h > 0.0) || !isfinite(mttf_h))
        return 0.0;
    return horizon_h / (mttf_h + mttr_h) + 1.0;
}
