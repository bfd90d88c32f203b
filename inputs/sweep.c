/*
 * sweep.c - a scenario file's `sweep:` made into scenarios (sweep.h).
 */
#include "sweep.h"

#include "../model/limits.h"
#include "../model/pakistan.h"
#include "econ_load.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

// clang-format off
static const schema_field_t sweep_fields[] = {
    SCHEMA_DBLS("mw", econ_sweep_t, mw, mw_count, SF_REQ, "MW", 3, 3, 0, 1e5, "the grid of total allocated MW: [from, to, step]; every variant runs at from, from + step, ... up to to"),
    SCHEMA_DBLS("tariffs_pkr_per_kwh", econ_sweep_t, tariffs_pkr_per_kwh, tariffs_pkr_per_kwh_count, 0, "PKR/kWh", 1, GR_MAX_SWEEP_POINTS, 0, 1000, "tariffs to bill every block of every variant at, one point each (absent: each block's own)"),
    SCHEMA_SEQ("variants", econ_sweep_t, variants, variants_count, SF_REQ, econ_scenario_section, 1, GR_MAX_SCENARIOS, "the allocations swept: a scenario each (name, priority, blocks); a point scales its blocks' MW in proportion to reach the grid's total"),
};
// clang-format on
const schema_section_t sweep_section =
    SCHEMA_SECTION("sweep", econ_sweep_t, offsetof(econ_sweep_t, src), sweep_fields,
                   "a grid of allocations on the same draws (points become scenarios)");

/* The number of points of [from, to, step] (a double: a tiny step gives
 * more than a size_t holds), or 0 if it is not a grid. A tolerance of 1e-9
 * steps keeps `to` itself when from + k step lands a rounding error short. */
static double grid_points(const double *g)
{
    if (!(g[2] > 0.0) || !(g[1] >= g[0]))
        return 0.0;
    return floor((g[1] - g[0]) / g[2] + 1e-9) + 1.0;
}

double sweep_total_mw(const econ_scenario_t *v)
{
    double total_mw = 0.0;
    for (unsigned b = 0; b < v->blocks_count; ++b)
        total_mw += v->blocks[b].mw;
    return total_mw;
}

void sweep_scale_blocks(const econ_scenario_t *v, double total_mw, double mw, double t,
                        econ_block_t *blk)
{
    for (unsigned k = 0; k < v->blocks_count; ++k) {
        blk[k] = v->blocks[k];
        blk[k].mw = v->blocks[k].mw * (mw / total_mw);
        if (!isnan(t))
            blk[k].tariff_pkr_per_kwh = t;
    }
}

/* One point: the variant v at total mw (tariff t, or NAN for its own). */
static int make_point(scenario_t *s, const econ_scenario_t *v, double total_mw, double mw, double t,
                      econ_scenario_t *out, gr_err_t *err)
{
    char name[2 * GR_MAX_NAME_LEN + 64];
    int n = isnan(t) ? snprintf(name, sizeof name, "%s_%gmw", v->name, mw)
                     : snprintf(name, sizeof name, "%s_%gmw_%gpkr", v->name, mw, t);
    if (n < 0 || n > GR_MAX_NAME_LEN)
        return econ_at_src(err, &v->src,
                           "sweep.variants: '%s' is too long a name for its points ('%s' is over "
                           "%d characters)",
                           v->name, name, GR_MAX_NAME_LEN);
    *out = *v;
    out->name = arena_strdup(s->arena, name);
    out->blocks = arena_calloc(s->arena, v->blocks_count, sizeof *out->blocks);
    if (!out->name || !out->blocks)
        return gr_err_set(err, GR_ERUNTIME, "out of memory");
    sweep_scale_blocks(v, total_mw, mw, t, out->blocks);
    out->sweep_variant = v->name;
    out->sweep_mw = mw;
    out->sweep_tariff_pkr_per_kwh = t;
    return GR_OK;
}

int sweep_expand(scenario_t *s, const econ_sweep_t *sw, gr_err_t *err)
{
    for (size_t i = 0; i < s->n_scen; ++i) {
        s->scen[i].sweep_variant = NULL;
        s->scen[i].sweep_mw = s->scen[i].sweep_tariff_pkr_per_kwh = NAN;
    }
    if (!sw)
        return GR_OK;
    if (!s->n_scen)
        return econ_at_src(
            err, &sw->src,
            "sweep: its points are measured against the baseline, the first entry of a "
            "scenarios list, which is missing");
    const double n_grid = grid_points(sw->mw);
    if (n_grid < 1.0)
        return econ_at_src(
            err, &sw->src,
            "sweep.mw: [%g, %g, %g] is not a grid [from, to, step]: step must be > 0 and "
            "to >= from",
            sw->mw[0], sw->mw[1], sw->mw[2]);
    const size_t n_t = sw->tariffs_pkr_per_kwh_count ? sw->tariffs_pkr_per_kwh_count : 1;
    const double n_all = (double)sw->variants_count * (double)n_t * n_grid;
    if (n_all > GR_MAX_SWEEP_POINTS)
        return econ_at_src(
            err, &sw->src,
            "sweep: %u variant(s) x %zu tariff(s) x %.6g MW value(s) = %.6g points; at "
            "most %d",
            sw->variants_count, n_t, n_grid, n_all, GR_MAX_SWEEP_POINTS);
    const size_t n_mw = (size_t)n_grid, n_pts = (size_t)n_all;
    econ_scenario_t *all = arena_calloc(s->arena, s->n_scen + n_pts, sizeof *all);
    if (!all)
        return gr_err_set(err, GR_ERUNTIME, "out of memory");
    memcpy(all, s->scen, s->n_scen * sizeof *all);
    size_t k = s->n_scen;
    for (unsigned v = 0; v < sw->variants_count; ++v) {
        const econ_scenario_t *var = &sw->variants[v];
        const double total_mw = sweep_total_mw(var);
        if (!(total_mw > 0.0))
            return econ_at_src(
                err, &var->src,
                "sweep.variants: '%s' allocates no MW: its blocks give the shares the "
                "grid's total is split in",
                var->name);
        for (size_t ti = 0; ti < n_t; ++ti)
            for (size_t i = 0; i < n_mw; ++i) {
                const double t = sw->tariffs_pkr_per_kwh_count ? sw->tariffs_pkr_per_kwh[ti] : NAN;
                const double mw = sw->mw[0] + (double)i * sw->mw[2];
                int rc = make_point(s, var, total_mw, mw, t, &all[k++], err);
                if (rc)
                    return rc;
            }
    }
    s->scen = all;
    s->n_scen = k;
    return GR_OK;
}

// clang-format off
static const schema_field_t limit_fields[] = {
    SCHEMA_STR("metric", econ_limit_t, metric, SF_REQ, SS_NAME, 0, NULL, "a metric of the economic model (docs/LAYOUT.md), e.g. shed_consumer_hours or imf_subsidy_pkr"),
    SCHEMA_DBL("quantile", econ_limit_t, quantile, SF_REQ | SF_MIN_OPEN | SF_MAX_OPEN, "-", 0, 1, 0, "the quantile over trials, e.g. 0.95"),
    SCHEMA_DBL("max", econ_limit_t, max, SF_REQ, "metric's unit", -1e18, 1e18, 0, "the largest acceptable value of that quantile of the worst year's paired difference (scenario - baseline)"),
};
static const schema_section_t limit_sec = SCHEMA_SECTION("frontier.limits[]", econ_limit_t, offsetof(econ_limit_t, src), limit_fields, "a limit");

static const schema_field_t frontier_fields[] = {
    SCHEMA_SEQ("limits", econ_frontier_t, limits, limits_count, SF_REQ, limit_sec, 1, 8, "the limits every allocation on the frontier meets"),
    SCHEMA_DBL("mw_max", econ_frontier_t, mw_max, SF_REQ | SF_MIN_OPEN, "MW", 0, 1e5, 0, "the largest allocation tried"),
    SCHEMA_DBL("gap_mw", econ_frontier_t, gap_mw, SF_MIN_OPEN, "MW", 0, 1e5, 100, "bisection stops when the bracket is this narrow"),
    SCHEMA_DBL("confidence", econ_frontier_t, confidence, SF_MIN_OPEN | SF_MAX_OPEN, "-", 0.5, 1, 0.95, "a limit counts as met or missed only when its quantile's confidence interval at this level is on one side of it; else bisection stops"),
};
// clang-format on
const schema_section_t frontier_section =
    SCHEMA_SECTION("frontier", econ_frontier_t, offsetof(econ_frontier_t, src), frontier_fields,
                   "the safe-allocation frontier (gridrisk frontier)");

void sweep_quantile_label(double quantile, char *buf, size_t n)
{
    snprintf(buf, n, "%g", 100.0 * quantile);
}

int sweep_check_frontier(scenario_t *s, gr_err_t *err)
{
    econ_frontier_t *fr = s->frontier;
    if (!fr)
        return GR_OK;
    if (!s->sweep)
        return econ_at_src(
            err, &fr->src,
            "frontier: it bisects the allocations of sweep.variants, and there is no "
            "sweep");
    if (!(fr->gap_mw < fr->mw_max))
        return econ_at_src(err, &fr->src, "frontier: gap_mw %g is not below mw_max %g", fr->gap_mw,
                           fr->mw_max);
    for (unsigned k = 0; k < fr->limits_count; ++k) {
        econ_limit_t *l = &fr->limits[k];
        l->index = -1;
        for (size_t m = 0; m < PK_N_METRICS; ++m)
            if (!strcmp(pk_metrics[m].name, l->metric))
                l->index = (int)m;
        if (l->index < 0)
            return econ_at_src(err, &l->src,
                               "frontier.limits: '%s' is not a metric of the economic model "
                               "(docs/LAYOUT.md lists them)",
                               l->metric);
        /* the CSV names a limit's columns by its label: two that print
         * alike (0.95 and 0.9500001) would give four columns twice, and one
         * that prints as 100 or 0 a label it is not */
        char label[32], other[32];
        sweep_quantile_label(l->quantile, label, sizeof label);
        if (!strcmp(label, "100") || !strcmp(label, "0"))
            return econ_at_src(err, &l->src,
                               "frontier.limits: quantile %.16g of '%s' is too close to %s to "
                               "name (its columns would say p%s)",
                               l->quantile, l->metric, label[0] == '0' ? "0" : "1", label);
        for (unsigned j = 0; j < k; ++j) {
            sweep_quantile_label(fr->limits[j].quantile, other, sizeof other);
            if (!strcmp(fr->limits[j].metric, l->metric) && !strcmp(other, label))
                return econ_at_src(err, &l->src,
                                   "frontier.limits: '%s' at quantile %.16g given twice (as %.16g "
                                   "before: both are column %s_p%s)",
                                   l->metric, l->quantile, fr->limits[j].quantile, l->metric,
                                   label);
        }
        if (l->max < 0.0)
            return econ_at_src(err, &l->src,
                               "frontier.limits: max %g for '%s' is below 0, which 0 MW (no "
                               "allocation, no difference) already misses: a limit is on the "
                               "allocation's effect against the same futures without it",
                               l->max, l->metric);
    }
    return GR_OK;
}
