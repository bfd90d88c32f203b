/* outage.c - see outage.h. */
#include "outage.h"

#include <math.h>

size_t outage_sample(rng_stream_t *s, double mttf_h, double mttr_h, int32_t horizon_h,
                     outage_span_t *restrict spans, size_t cap)
{
    if (!(mttr_h > 0.0) || !isfinite(mttf_h))
        return 0;
    const double horizon = (double)horizon_h;
    const double p_up = mttf_h / (mttf_h + mttr_h);
    size_t n = 0;
    double t = 0.0;
    double down_start = 0.0;
    int up = rng_uniform(s) < p_up;
    for (;;) {
        if (up) {
            t += rng_exponential(s, mttf_h);
            if (t >= horizon)
                break;
            down_start = t;
            up = 0;
        } else {
            t += rng_exponential(s, mttr_h);
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
