/* supply.c - see supply.h. */
#include "supply.h"

#include "../kernels/drivers.h"
#include "../kernels/rng.h"

#include <math.h>
#include <stdlib.h>

/* Stream ids of the supply draws: one per (parameter, technology), fixed,
 * below the units' hashed ids (>= 2^31) and above the drivers' (< 64). */
enum {
    SUPPLY_STREAM_BASE = 1024,
    P_HYDRO_PEAK = 0,
    P_HYDRO_ROR = 1,
    P_FUEL = 2,
    P_DERATE = 3,
    P_UNAVAIL = 4,
    P_SOUTH_SHARE = 5,
    P_CORRIDOR = 6,
    P_REVERSE = 7,
    P_FUEL_PEAK = 8
};

/* Planned outages start at this draw block of a unit's stream. */
#define REFUEL_BLOCK ((uint64_t)1 << 40)

static double draw_range(const double *v, unsigned n, uint32_t seed, unsigned param, size_t tech,
                         uint64_t trial)
{
    rng_stream_t s;
    rng_init(&s, seed, (uint32_t)(SUPPLY_STREAM_BASE + param * GR_MAX_TECHS + tech), trial);
    const double u = rng_uniform(&s);
    return v[0] + u * (v[n - 1] - v[0]);
}

/* The share of a class's cap_mw left in service with out_mw of it out. */
static double share_left(double out_mw, double cap_mw)
{
    const double s = 1.0 - out_mw / cap_mw;
    return s > 0.0 ? s : 0.0;
}

void supply_draw(const econ_t *e, const double *installed_mw, uint32_t seed, uint64_t trial,
                 supply_draw_t *out)
{
    const econ_hydro_t *h = &e->hydro;
    const int hyd = !supply_relaxed(e, SUPPLY_HYDRO);
    out->drawn_hydro_peak_mw =
        h->peak_mw_count ? draw_range(h->peak_mw, h->peak_mw_count, seed, P_HYDRO_PEAK, 0, trial)
                         : 0.0;
    out->drawn_ror_share = h->ror_share_count ? draw_range(h->ror_share, h->ror_share_count, seed,
                                                           P_HYDRO_ROR, 0, trial)
                                              : 0.0;
    out->hydro_peak_mw = hyd && h->peak_mw_count ? out->drawn_hydro_peak_mw : INFINITY;
    out->hydro_ror_share = hyd ? out->drawn_ror_share : 0.0;
    const econ_network_t *nw = &e->network;
    const int lim = !supply_relaxed(e, SUPPLY_CORRIDOR);
    out->south_share = out->drawn_corridor_mw = 0.0;
    out->corridor_mw = out->reverse_mw = INFINITY;
    if (nw->corridor_mw_count) {
        out->south_share = draw_range(nw->south_demand_share, nw->south_demand_share_count, seed,
                                      P_SOUTH_SHARE, 0, trial);
        out->drawn_corridor_mw =
            draw_range(nw->corridor_mw, nw->corridor_mw_count, seed, P_CORRIDOR, 0, trial);
        const double rev = nw->reverse_mw_count ? draw_range(nw->reverse_mw, nw->reverse_mw_count,
                                                             seed, P_REVERSE, 0, trial)
                                                : out->drawn_corridor_mw;
        out->corridor_mw = lim ? out->drawn_corridor_mw : INFINITY;
        out->reverse_mw = lim ? rev : INFINITY;
    }
    out->drawn_unavailable_mw = 0.0;
    for (size_t c = 0; c < e->technologies_count; ++c) {
        const econ_tech_t *t = &e->technologies[c];
        out->fuel_mwh_per_day[c] = INFINITY;
        out->derate_per_c[c] = 0.0;
        out->avail_share[c] = 1.0;
        out->avail_share_before[c] = 1.0;
        out->drawn_mmcfd[c] = 0.0;
        out->fuel_peak_mw[c] = INFINITY;
        out->drawn_fuel_peak_ratio[c] = 0.0;
        if (t->fuel_mmcfd_count) {
            out->drawn_mmcfd[c] =
                draw_range(t->fuel_mmcfd, t->fuel_mmcfd_count, seed, P_FUEL, c, trial);
            if (!supply_relaxed(e, SUPPLY_FUEL))
                out->fuel_mwh_per_day[c] =
                    out->drawn_mmcfd[c] * SUPPLY_MMBTU_PER_MMCF / t->heat_rate_mmbtu_per_mwh;
            if (t->fuel_peak_ratio_count) {
                const double r = draw_range(t->fuel_peak_ratio, t->fuel_peak_ratio_count, seed,
                                            P_FUEL_PEAK, c, trial);
                out->drawn_fuel_peak_ratio[c] = r;
                /* gas arrives by pipeline at a daily rate; linepack lets an
                 * hour draw at most r times it */
                if (!supply_relaxed(e, SUPPLY_FUEL) && !supply_relaxed(e, SUPPLY_FUEL_RATE))
                    out->fuel_peak_mw[c] = r * out->fuel_mwh_per_day[c] / 24.0;
            }
        }
        if (t->derate_per_c_count && !supply_relaxed(e, SUPPLY_DERATING))
            out->derate_per_c[c] =
                draw_range(t->derate_per_c, t->derate_per_c_count, seed, P_DERATE, c, trial);
        if (t->unavailable_mw_count) {
            const double mw =
                draw_range(t->unavailable_mw, t->unavailable_mw_count, seed, P_UNAVAIL, c, trial);
            const double cap = installed_mw[c] > 0.0 ? installed_mw[c] : 0.0;
            out->drawn_unavailable_mw += mw < cap ? mw : cap;
            if (!supply_relaxed(e, SUPPLY_OLD_PLANTS) && cap > 0.0)
                out->avail_share[c] = share_left(mw, cap);
            out->avail_share_before[c] = out->avail_share[c];
            if (t->unavailable_before_mw_count && !supply_relaxed(e, SUPPLY_OLD_PLANTS) &&
                cap > 0.0) {
                /* the same stream: the same quantile of the earlier range */
                const double mb =
                    draw_range(t->unavailable_before_mw, t->unavailable_before_mw_count, seed,
                               P_UNAVAIL, c, trial);
                out->avail_share_before[c] = share_left(mb, cap);
            }
        }
    }
}

size_t supply_refuel_spans(const econ_tech_t *tc, const scen_unit_t *u, uint32_t seed,
                           uint64_t trial, int32_t horizon_h, outage_span_t *out, size_t cap)
{
    const double *iv = tc->refuel_interval_d, *ov = tc->refuel_outage_d;
    const unsigned ni = tc->refuel_interval_d_count, no = tc->refuel_outage_d_count;
    rng_stream_t s;
    rng_init_at(&s, seed, u->stream, trial, REFUEL_BLOCK);
    /* the first start falls uniformly within the first interval, counted
     * from one interval before the horizon: an outage may be under way */
    double first = iv[0] + rng_uniform(&s) * (iv[ni - 1] - iv[0]);
    double start_h = -first * 24.0 + rng_uniform(&s) * first * 24.0;
    size_t n = 0;
    while (start_h < (double)horizon_h) {
        const double len_h = 24.0 * (ov[0] + rng_uniform(&s) * (ov[no - 1] - ov[0]));
        const double end_h = start_h + len_h;
        /* hours whose start falls in [start, end), as forced outages count them */
        const double d = ceil(start_h), e = ceil(end_h);
        const int32_t down = d < 0.0 ? 0 : (int32_t)d;
        const int32_t up = e > (double)horizon_h ? horizon_h : (int32_t)e;
        if (up > down) {
            if (n < cap)
                out[n] = (outage_span_t){down, up};
            ++n;
        }
        start_h += 24.0 * (iv[0] + rng_uniform(&s) * (iv[ni - 1] - iv[0]));
    }
    return n;
}

static int cmp_span(const void *a, const void *b)
{
    const outage_span_t *x = a, *y = b;
    return x->down_h < y->down_h ? -1 : x->down_h > y->down_h;
}

size_t supply_union_spans(outage_span_t *v, size_t n)
{
    if (n < 2)
        return n;
    qsort(v, n, sizeof *v, cmp_span);
    size_t k = 0;
    for (size_t i = 1; i < n; ++i) {
        if (v[i].down_h <= v[k].up_h) {
            if (v[i].up_h > v[k].up_h)
                v[k].up_h = v[i].up_h;
        } else {
            v[++k] = v[i];
        }
    }
    return k + 1;
}
