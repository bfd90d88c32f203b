/* outage.c - see outage.h. */
#include "outage.h"

#include <math.h>

/* Draws come in batches: the first holds the initial state's uniform and
 * the transitions the unit is expected to make, rounded up to a whole
 * number of refills (four uniforms each), so that rng_uniforms makes their Philox
 * blocks in one loop whose multiplies overlap; later batches are one
 * refill. The logs are taken in a loop the compiler vectorises (a libm log
 * per draw made this walk spill around every call, which cost about as
 * much as the log). Draws left over are never used, which shifts nothing,
 * since the stream is the unit's own. On the RTS-79's fleet the sampler
 * takes about 0.85 of the time of the draw-by-draw walk with libm's log;
 * rounding the first batch down, or later batches of two refills, were
 * within the noise of this. */
#define OUTAGE_BATCH 32
#define OUTAGE_NEXT 4

/* outage_sample's units that draw nothing (outage.h) */
static int never_fails(double mttf_h, double mttr_h)
{
    return !(mttr_h > 0.0) || !isfinite(mttf_h) || !(mttf_h >= 0.0);
}

double outage_expected_changes(double mttf_h, double mttr_h, double horizon_h)
{
    return never_fails(mttf_h, mttr_h) ? 0.0 : 2.0 * horizon_h / (mttf_h + mttr_h);
}

size_t outage_first_draws(double mttf_h, double mttr_h, int32_t horizon_h)
{
    if (never_fails(mttf_h, mttr_h))
        return 0;
    const double expect = outage_expected_changes(mttf_h, mttr_h, (double)horizon_h);
    if (expect >= OUTAGE_BATCH)
        return OUTAGE_BATCH;
    /* negative or NaN for a horizon of 0 or less: one refill */
    return expect > 0.0 ? ((size_t)expect + 4) & ~(size_t)3 : OUTAGE_NEXT;
}

size_t outage_walk(double u0, const double *e, size_t n_e, rng_stream_t *s, double mttf_h,
                   double mttr_h, int32_t horizon_h, outage_span_t *restrict spans, size_t cap)
{
    if (never_fails(mttf_h, mttr_h))
        return 0;
    const double horizon = (double)horizon_h;
    int up = u0 < mttf_h / (mttf_h + mttr_h);
    double more[OUTAGE_NEXT];
    size_t j = 0;
    size_t n = 0;
    double t = 0.0;
    double down_start = 0.0;
    for (;;) {
        if (j == n_e) {
            n_e = OUTAGE_NEXT;
            rng_exponentials(s, more, n_e);
            e = more;
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

size_t outage_sample(rng_stream_t *s, double mttf_h, double mttr_h, int32_t horizon_h,
                     outage_span_t *restrict spans, size_t cap)
{
    const size_t nb = outage_first_draws(mttf_h, mttr_h, horizon_h);
    if (!nb)
        return 0;
    double e[OUTAGE_BATCH];
    rng_uniforms(s, e, nb);
    for (size_t k = 1; k < nb; ++k)
        e[k] = rng_neglog(e[k]);
    return outage_walk(e[0], e + 1, nb - 1, s, mttf_h, mttr_h, horizon_h, spans, cap);
}

double outage_expected_spans(double mttf_h, double mttr_h, double horizon_h)
{
    if (!(mttr_h > 0.0) || !isfinite(mttf_h))
        return 0.0;
    return horizon_h / (mttf_h + mttr_h) + 1.0;
}
