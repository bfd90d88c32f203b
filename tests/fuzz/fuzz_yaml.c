/*
 * fuzz_yaml.c - libFuzzer harness for the scenario loader: the input is a
 * scenario file (it may name load.csv, units.csv, renewables.csv, observed.csv or
 * `base: base.yaml`, all valid, in the same directory). Whatever the bytes,
 * scenario_load must return GR_OK or an error with a message, never crash,
 * hang, leak or read out of bounds; a loaded scenario must satisfy the
 * invariants the simulator relies on (the v2 supply inputs included:
 * ranges, per-technology rules, a replay's observed months).
 */
#include "../../inputs/scenario.h"
#include "../../model/pakistan.h"
#include "fuzz_common.h"

#include <math.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A [min, max] range as the supply draws take it (model/supply.c). */
static int range_ok(const double *v, unsigned n, double lo)
{
    return n == 0 ||
           (v && n <= 2 && isfinite(v[0]) && isfinite(v[n - 1]) && v[0] >= lo && v[0] <= v[n - 1]);
}

/* The v2 supply inputs (docs/MODEL.md s.5b) as the simulator relies on them. */
static int econ_ok(const scenario_t *sc)
{
    const econ_t *e = sc->econ;
    if (e->relax_mask >> SUPPLY_N_MECH || !range_ok(e->hydro.peak_mw, e->hydro.peak_mw_count, 0) ||
        !range_ok(e->hydro.ror_share, e->hydro.ror_share_count, 0) ||
        (e->hydro.ror_share_count && e->hydro.ror_share[e->hydro.ror_share_count - 1] > 1))
        return 0;
    double installed_mw[GR_MAX_TECHS] = {0};
    for (size_t u = 0; u < sc->n_units; ++u)
        if (sc->units[u].tech < 0 || sc->units[u].tech >= (int)e->technologies_count)
            return 0;
        else
            installed_mw[sc->units[u].tech] += sc->units[u].capacity_mw;
    for (unsigned i = 0; i < e->technologies_count; ++i) {
        const econ_tech_t *t = &e->technologies[i];
        if (!range_ok(t->fuel_mmcfd, t->fuel_mmcfd_count, 0) ||
            !range_ok(t->fuel_peak_ratio, t->fuel_peak_ratio_count, 1) ||
            (t->fuel_peak_ratio_count &&
             (!t->fuel_mmcfd_count || t->fuel_peak_ratio[t->fuel_peak_ratio_count - 1] > 24)) ||
            !range_ok(t->derate_per_c, t->derate_per_c_count, 0) ||
            !range_ok(t->unavailable_mw, t->unavailable_mw_count, 0) ||
            !range_ok(t->unavailable_before_mw, t->unavailable_before_mw_count, 0) ||
            (t->unavailable_before_mw_count &&
             (!t->unavailable_mw_count || t->unavailable_from_month < 12 ||
              t->unavailable_before_mw[t->unavailable_before_mw_count - 1] > installed_mw[i])) ||
            !range_ok(t->refuel_interval_d, t->refuel_interval_d_count, 1) ||
            !range_ok(t->refuel_outage_d, t->refuel_outage_d_count, 0) ||
            (t->fuel_mmcfd_count && !(t->heat_rate_mmbtu_per_mwh > 0)) ||
            (t->derate_per_c_count && e->demand.temperature_c_count != 12) ||
            (t->unavailable_mw_count &&
             t->unavailable_mw[t->unavailable_mw_count - 1] > installed_mw[i]) ||
            (!t->refuel_interval_d_count != !t->refuel_outage_d_count) ||
            (t->refuel_interval_d_count &&
             !(t->refuel_outage_d[t->refuel_outage_d_count - 1] < t->refuel_interval_d[0])))
            return 0;
        for (unsigned m = 0; m < t->monthly_availability_count; ++m)
            if (!(t->monthly_availability[m] >= 0 && t->monthly_availability[m] <= 1))
                return 0;
    }
    /* a replay's observed months: one per simulated month, finite, prices > 0 */
    const double *obs[4] = {e->obs_brent_usd_per_bbl, e->obs_coal_usd_per_t, e->obs_pkr_per_usd,
                            e->obs_hydro_mwh};
    for (int k = 0; k < 4; ++k) {
        if (!obs[k])
            continue;
        if (e->obs_months != 12u * sc->horizon_years)
            return 0;
        for (size_t m = 0; m < e->obs_months; ++m)
            if (!isfinite(obs[k][m]) || obs[k][m] < 0 || (k < 3 && !(obs[k][m] > 0)))
                return 0;
    }
    return 1;
}

/* A sweep's points and a frontier as the simulator and the bisection rely
 * on them (inputs/sweep.c): every point after the declared scenarios, its
 * blocks adding up to its MW; every limit naming a metric, with a quantile
 * strictly inside (0, 1), a maximum 0 MW meets, and a bracket to halve. */
static int sweep_ok(const scenario_t *sc)
{
    for (size_t i = 0; i < sc->n_scen; ++i) {
        const econ_scenario_t *p = &sc->scen[i];
        if ((i < sc->n_declared) != (p->sweep_variant == NULL))
            return 0;
        double total = 0.0;
        for (unsigned b = 0; b < p->blocks_count; ++b)
            total += p->blocks[b].mw;
        if (p->sweep_variant && !(fabs(total - p->sweep_mw) <= 1e-9 * (1.0 + p->sweep_mw)))
            return 0;
    }
    const econ_frontier_t *fr = sc->frontier;
    if (!fr)
        return 1;
    if (!sc->sweep || !(fr->gap_mw > 0 && fr->gap_mw < fr->mw_max))
        return 0;
    for (unsigned k = 0; k < fr->limits_count; ++k) {
        const econ_limit_t *l = &fr->limits[k];
        if (l->index < 0 || l->index >= PK_N_METRICS || !(l->quantile > 0 && l->quantile < 1) ||
            !(l->max >= 0))
            return 0;
    }
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_setup();
    fuzz_put("s.yaml", (const char *)data, size);
    char path[512];
    snprintf(path, sizeof path, "%s/s.yaml", fuzz_dir);
    scenario_t *sc = NULL;
    gr_err_t err = {0, {0}};
    const int rc = scenario_load(path, &sc, &err);
    if (rc) {
        if (sc || !err.msg[0] || (rc != GR_EINPUT && rc != GR_ERUNTIME))
            abort();
        return 0;
    }
    /* what the simulator takes for granted */
    if (sc->horizon_years < 1 || sc->horizon_years > GR_MAX_YEARS || sc->trials < 1 ||
        sc->hours < GR_MIN_HOURS || sc->hours > GR_MAX_HOURS || sc->n_units < 1 ||
        sc->n_units > GR_MAX_UNITS || !(sc->peak_mw > 0) || !isfinite(sc->energy_mwh))
        abort();
    for (size_t u = 0; u < sc->n_units; ++u)
        if (!(sc->units[u].capacity_mw > 0) || !(sc->units[u].mttr_h > 0) ||
            !(sc->units[u].mttf_h >= 1) || !(sc->units[u].for_ >= 0 && sc->units[u].for_ < 1))
            abort();
    if (sc->econ && (sc->n_scen < 1 || sc->n_scen > GR_MAX_RUN_SCENARIOS || !sweep_ok(sc)))
        abort();
    if (sc->start_month < 1 || sc->start_month > 12 || (sc->econ && !econ_ok(sc)))
        abort();
    scenario_free(sc);
    return 0;
}
