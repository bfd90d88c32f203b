/*
 * supply.h - the v2 supply mechanisms of the Pakistan model: what stops the
 * installed fleet from delivering its nameplate (docs/MODEL.md s.5b).
 *
 * Each mechanism's parameters are ranges in the scenario, sampled once per
 * trial (uniform on [min, max]), each from its own addressed stream, so that
 * adding a parameter or a technology never moves another's draw:
 *   hydro       peak_mw: the hydro output the reservoirs sustain in any hour;
 *               ror_share: the share of a month's hydro energy that runs of
 *               the river (flat over the month, spilled if unused);
 *   fuel        fuel_mmcfd per gas-fired technology: gas per day, turned
 *               into a monthly energy budget (MMBtu / heat rate);
 *   fuel_rate   fuel_peak_ratio per budgeted technology: the most its plants
 *               burn in one hour, as a multiple of the budget's mean rate
 *               (the pipeline delivers gas at a daily rate; linepack and
 *               storage allow a little more in the peak hours);
 *   derating    derate_per_c per technology: output lost per degree C above
 *               15 C (ISO conditions), on the day's temperature;
 *   old_plants  unavailable_mw per technology: capacity out all year, taken
 *               as a share of the class (its units' outages overlap it);
 *               with unavailable_from, unavailable_before_mw before that
 *               month, drawn at the same quantile (one fleet that changed);
 *   refuelling  refuel_interval_d / refuel_outage_d: planned outages of each
 *               unit of the technology (a renewal process, below);
 *   corridor    network.corridor_mw / reverse_mw: the transfer limits between
 *               the two regions (relaxed: unlimited), and the south's share
 *               of demand (never relaxed: it is where load is, not a limit).
 * A relaxed mechanism (economics.relax) keeps its draws but has no effect.
 */
#ifndef GR_SUPPLY_H
#define GR_SUPPLY_H

#include "../inputs/scenario.h"
#include "../kernels/outage.h"
#include "limits.h"

#include <stddef.h>
#include <stdint.h>

/* MMBtu in one million cubic feet of pipeline-quality gas (~1,037 Btu/cf). */
#define SUPPLY_MMBTU_PER_MMCF 1037.0
/* ISO rating conditions: derating counts degrees above this. */
#define SUPPLY_ISO_C 15.0

typedef struct {
    double hydro_peak_mw;   /* INFINITY: no limit beyond the available fleet */
    double hydro_ror_share; /* 0: all hydro energy can be shaped */
    /* per technology: */
    double fuel_mwh_per_day[GR_MAX_TECHS];   /* first year; INFINITY: no fuel limit */
    double fuel_peak_mw[GR_MAX_TECHS];       /* first year's hourly gas limit; INFINITY: none */
    double derate_per_c[GR_MAX_TECHS];       /* 0: none */
    double avail_share[GR_MAX_TECHS];        /* 1 - unavailable / installed, in [0, 1] */
    double avail_share_before[GR_MAX_TECHS]; /* the same before unavailable_from */
    double south_share;                      /* share of base demand in the south (0: one region) */
    double corridor_mw;                      /* south -> north limit, first year; INFINITY: none */
    double reverse_mw;                       /* north -> south limit, first year; INFINITY: none */
    double drawn_corridor_mw;                /* as drawn, relaxed or not (0: one region) */
    /* what was drawn, relaxed or not (the output's /parameters; 0 if absent) */
    double drawn_hydro_peak_mw, drawn_ror_share, drawn_unavailable_mw, drawn_mmcfd[GR_MAX_TECHS];
    double drawn_fuel_peak_ratio[GR_MAX_TECHS];
} supply_draw_t;

/* The trial's draws. installed_mw[tech] is the class's installed capacity. */
void supply_draw(const econ_t *e, const double *installed_mw, uint32_t seed, uint64_t trial,
                 supply_draw_t *out);

/* Whether mechanism k is relaxed. */
static inline int supply_relaxed(const econ_t *e, supply_mech_t k)
{
    return (e->relax_mask >> k) & 1u;
}

/*
 * The planned outages of one unit of technology tc over [0, horizon_h):
 * intervals between outage starts and outage lengths are uniform on their
 * ranges, drawn per outage; the first start is uniform over the first
 * interval, so an hour falls in an outage with probability close to
 * E[outage] / E[interval] (exactly for a fixed interval; a uniform rather
 * than length-biased first interval puts hour 0 about 0.5% higher for the
 * nuclear defaults). Draws come from the unit's own
 * stream at a block offset its forced outages never reach. Writes at most cap
 * spans and returns how many there are (> cap: call again with more room).
 */
size_t supply_refuel_spans(const econ_tech_t *tc, const scen_unit_t *u, uint32_t seed,
                           uint64_t trial, int32_t horizon_h, outage_span_t *out, size_t cap);

/* Merges spans v[0..n) (each [down, up), any order, possibly overlapping)
 * into sorted disjoint spans in place; returns the new count. */
size_t supply_union_spans(outage_span_t *v, size_t n);

/* The share of its output a technology keeps at temperature temp_c:
 * 1 - derate x max(0, temp - 15), at least 0. */
static inline double supply_derate_factor(double derate_per_c, double temp_c)
{
    const double over = temp_c - SUPPLY_ISO_C;
    const double f = 1.0 - derate_per_c * (over > 0.0 ? over : 0.0);
    return f > 0.0 ? f : 0.0;
}

#endif
