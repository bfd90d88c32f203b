/*
 * econ_load.c - the economics section of a scenario file: its libcyaml
 * schema, the range check of every value (errors name the field and its
 * line), the renewables profile, the Brent-coal Cholesky factor, and the
 * printout for `gridrisk validate`. See econ.h for the fields and units.
 */
#include "econ_load.h"

#include "csv.h"

#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>


#define F(key, type, member) CYAML_FIELD_FLOAT(key, CYAML_FLAG_DEFAULT, type, member)

static const cyaml_strval_t tech_kinds[] = {{"must_run", TECH_MUST_RUN}, {"thermal", TECH_THERMAL},
                                            {"hydro", TECH_HYDRO},       {"wind", TECH_WIND},
                                            {"solar", TECH_SOLAR}};
static const cyaml_strval_t fuels[] = {{"none", FUEL_NONE}, {"rlng", FUEL_RLNG},
                                       {"gas", FUEL_GAS},   {"coal", FUEL_COAL},
                                       {"rfo", FUEL_RFO},   {"thar", FUEL_THAR},
                                       {"nuclear", FUEL_NUCLEAR}};
static const cyaml_strval_t policies[] = {{"miners_first", DISPATCH_MINERS_FIRST},
                                          {"pro_rata", DISPATCH_PRO_RATA},
                                          {"firm_allocation", DISPATCH_FIRM_ALLOCATION}};
static const cyaml_strval_t block_kinds[] = {{"flexible", BLOCK_FLEXIBLE}, {"firm", BLOCK_FIRM}};

static const cyaml_schema_field_t tech_fields[] = {
    CYAML_FIELD_STRING_PTR("name", CYAML_FLAG_POINTER, econ_tech_t, name, 1, CYAML_UNLIMITED),
    CYAML_FIELD_ENUM("kind", CYAML_FLAG_DEFAULT, econ_tech_t, kind, tech_kinds, 5),
    CYAML_FIELD_ENUM("fuel", CYAML_FLAG_OPTIONAL, econ_tech_t, fuel, fuels, 7),
    CYAML_FIELD_FLOAT("heat_rate_mmbtu_per_mwh", CYAML_FLAG_OPTIONAL, econ_tech_t,
                      heat_rate_mmbtu_per_mwh),
    CYAML_FIELD_FLOAT("vom_usd_per_mwh", CYAML_FLAG_OPTIONAL, econ_tech_t, vom_usd_per_mwh),
    CYAML_FIELD_FLOAT("must_take_share", CYAML_FLAG_OPTIONAL, econ_tech_t, must_take_share),
    CYAML_FIELD_END};
static const cyaml_schema_value_t tech_entry = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, econ_tech_t, tech_fields)};

static const cyaml_schema_field_t logou_fields[] = {
    F("start", drv_logou_t, start), F("long_run", drv_logou_t, long_run),
    F("kappa", drv_logou_t, kappa), F("sigma", drv_logou_t, sigma), CYAML_FIELD_END};

static const cyaml_schema_field_t fuel_fields[] = {
    CYAML_FIELD_MAPPING("brent_usd_per_bbl", CYAML_FLAG_DEFAULT, econ_fuel_t, brent_usd_per_bbl,
                        logou_fields),
    CYAML_FIELD_MAPPING("coal_usd_per_t", CYAML_FLAG_DEFAULT, econ_fuel_t, coal_usd_per_t,
                        logou_fields),
    F("corr_brent_coal", econ_fuel_t, corr_brent_coal),
    F("rlng_slope_per_brent", econ_fuel_t, rlng_slope_per_brent),
    F("rlng_adder_usd_per_mmbtu", econ_fuel_t, rlng_adder_usd_per_mmbtu),
    F("rlng_spot_sd", econ_fuel_t, rlng_spot_sd),
    F("rfo_usd_per_t_per_brent", econ_fuel_t, rfo_usd_per_t_per_brent),
    F("gas_usd_per_mmbtu", econ_fuel_t, gas_usd_per_mmbtu),
    F("thar_usd_per_mwh", econ_fuel_t, thar_usd_per_mwh),
    F("nuclear_usd_per_mwh", econ_fuel_t, nuclear_usd_per_mwh),
    F("coal_mmbtu_per_t", econ_fuel_t, coal_mmbtu_per_t),
    F("rfo_mmbtu_per_t", econ_fuel_t, rfo_mmbtu_per_t),
    CYAML_FIELD_END};

static const cyaml_schema_field_t fx_fields[] = {
    F("start_pkr_per_usd", econ_fx_t, start_pkr_per_usd), F("drift", econ_fx_t, drift),
    F("vol", econ_fx_t, vol), F("corr_brent", econ_fx_t, corr_brent), CYAML_FIELD_END};

static const cyaml_schema_field_t btc_fields[] = {
    F("start_usd", econ_btc_t, process.start_usd),
    F("drift", econ_btc_t, process.drift),
    F("vol", econ_btc_t, process.vol),
    F("jumps_per_year", econ_btc_t, process.jumps_per_year),
    F("jump_mean", econ_btc_t, process.jump_mean),
    F("jump_sd", econ_btc_t, process.jump_sd),
    F("hashrate_start_ehs", econ_btc_t, process.hashrate_start_ehs),
    F("hashrate_growth", econ_btc_t, process.hashrate_growth),
    F("hashrate_elasticity", econ_btc_t, process.hashrate_elasticity),
    F("hashrate_lag_days", econ_btc_t, process.hashrate_lag_days),
    F("subsidy_btc", econ_btc_t, subsidy_btc),
    F("halving_day", econ_btc_t, halving_day),
    F("fee_share", econ_btc_t, fee_share),
    F("efficiency_j_per_th", econ_btc_t, efficiency_j_per_th),
    F("opex_usd_per_mwh", econ_btc_t, opex_usd_per_mwh),
    CYAML_FIELD_END};

static const cyaml_schema_value_t float_entry = {CYAML_VALUE_FLOAT(CYAML_FLAG_DEFAULT, double)};

static const cyaml_schema_field_t hydro_fields[] = {
    F("annual_mwh", econ_hydro_t, annual_mwh),
    CYAML_FIELD_SEQUENCE("monthly_share", CYAML_FLAG_POINTER, econ_hydro_t, monthly_share,
                         &float_entry, 12, 12),
    F("cv", econ_hydro_t, cv), F("ar1", econ_hydro_t, ar1), CYAML_FIELD_END};

static const cyaml_schema_field_t demand_fields[] = {
    F("growth_mean", econ_demand_t, growth_mean), F("growth_sd", econ_demand_t, growth_sd),
    F("weather_ar1", econ_demand_t, weather_ar1), F("weather_sd", econ_demand_t, weather_sd),
    CYAML_FIELD_END};

static const cyaml_schema_field_t blackout_fields[] = {
    F("rate_per_year", econ_blackout_t, rate_per_year), F("median_h", econ_blackout_t, median_h),
    F("log_sd", econ_blackout_t, log_sd), CYAML_FIELD_END};

static const cyaml_schema_field_t fiscal_fields[] = {
    F("capacity_payments_pkr", econ_fiscal_t, capacity_payments_pkr),
    F("capacity_usd_share", econ_fiscal_t, capacity_usd_share),
    F("tariff_pkr_per_kwh", econ_fiscal_t, tariff_pkr_per_kwh),
    F("fuel_passthrough", econ_fiscal_t, fuel_passthrough),
    F("ref_fuel_cost_pkr_per_kwh", econ_fiscal_t, ref_fuel_cost_pkr_per_kwh),
    F("td_losses", econ_fiscal_t, td_losses),
    F("recovery", econ_fiscal_t, recovery),
    F("voll_usd_per_kwh", econ_fiscal_t, voll_usd_per_kwh),
    CYAML_FIELD_END};

const cyaml_schema_field_t econ_schema_fields[] = {
    CYAML_FIELD_FLOAT("deliverable_cap_mw", CYAML_FLAG_OPTIONAL, econ_t, deliverable_cap_mw),
    CYAML_FIELD_STRING_PTR("renewables_csv", CYAML_FLAG_POINTER, econ_t, renewables_csv, 1,
                           CYAML_UNLIMITED),
    CYAML_FIELD_SEQUENCE("technologies", CYAML_FLAG_POINTER, econ_t, technologies, &tech_entry,
                         1, 64),
    CYAML_FIELD_MAPPING("fuel", CYAML_FLAG_DEFAULT, econ_t, fuel, fuel_fields),
    CYAML_FIELD_MAPPING("fx", CYAML_FLAG_DEFAULT, econ_t, fx, fx_fields),
    CYAML_FIELD_MAPPING("bitcoin", CYAML_FLAG_DEFAULT, econ_t, bitcoin, btc_fields),
    CYAML_FIELD_MAPPING("hydro", CYAML_FLAG_DEFAULT, econ_t, hydro, hydro_fields),
    CYAML_FIELD_MAPPING("demand", CYAML_FLAG_DEFAULT, econ_t, demand, demand_fields),
    CYAML_FIELD_MAPPING("blackouts", CYAML_FLAG_DEFAULT, econ_t, blackouts, blackout_fields),
    CYAML_FIELD_MAPPING("fiscal", CYAML_FLAG_DEFAULT, econ_t, fiscal, fiscal_fields),
    CYAML_FIELD_END};

static const cyaml_schema_field_t block_fields[] = {
    CYAML_FIELD_STRING_PTR("name", CYAML_FLAG_POINTER, econ_block_t, name, 1, CYAML_UNLIMITED),
    CYAML_FIELD_ENUM("kind", CYAML_FLAG_DEFAULT, econ_block_t, kind, block_kinds, 2),
    F("mw", econ_block_t, mw),
    CYAML_FIELD_FLOAT("load_factor", CYAML_FLAG_OPTIONAL, econ_block_t, load_factor),
    F("tariff_pkr_per_kwh", econ_block_t, tariff_pkr_per_kwh),
    F("recovery", econ_block_t, recovery),
    CYAML_FIELD_END};
static const cyaml_schema_value_t block_entry = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, econ_block_t, block_fields)};

static const cyaml_schema_field_t scen_fields[] = {
    CYAML_FIELD_STRING_PTR("name", CYAML_FLAG_POINTER, econ_scenario_t, name, 1, 63),
    CYAML_FIELD_ENUM("priority", CYAML_FLAG_DEFAULT, econ_scenario_t, priority, policies, 3),
    CYAML_FIELD_SEQUENCE("blocks", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, econ_scenario_t,
                         blocks, &block_entry, 0, 16),
    CYAML_FIELD_END};
const cyaml_schema_value_t econ_scenario_entry = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, econ_scenario_t, scen_fields)};


/* Line of a dotted field path ("economics.bitcoin.fee_share") in the YAML
 * text: each component is searched as "key:" from the previous one's line
 * on; 0 when not found or when the path has list indices. */
static size_t field_line(const char *text, const char *field)
{
    if (strchr(field, '['))
        return 0;
    const char *p = text, *f = field;
    size_t line = 1, found = 0;
    while (*f) {
        const size_t klen = strcspn(f, ".");
        found = 0;
        while (*p && !found) {
            const char *q = p;
            while (*q == ' ' || *q == '-')
                ++q;
            if (!strncmp(q, f, klen) && q[klen] == ':')
                found = line;
            else {
                const char *nl = strchr(p, '\n');
                p = nl ? nl + 1 : p + strlen(p);
                ++line;
            }
        }
        if (!found)
            return 0;
        f += klen + (f[klen] == '.');
    }
    return found;
}

static int field_error(const scenario_t *s, const char *field, const char *what, gr_err_t *err)
{
    const size_t line = field_line(s->yaml_text, field);
    if (line)
        return gr_err_set(err, GR_EINPUT, "%s:%zu: %s must be %s", s->path, line, field, what);
    return gr_err_set(err, GR_EINPUT, "%s: %s must be %s", s->path, field, what);
}

/* Fails with "file:line: field must be ..." unless cond holds. */
#define NEED(cond, field, what)                                                                \
    do {                                                                                       \
        if (!(cond))                                                                           \
            return field_error(s, field, what, err);                                          \
    } while (0)

static int fin(double x) { return isfinite(x); }

static int check_logou(const scenario_t *s, const drv_logou_t *p, const char *name, gr_err_t *err)
{
    char f[128];
    snprintf(f, sizeof f, "economics.fuel.%s.start", name);
    NEED(fin(p->start) && p->start > 0, f, "a finite number > 0");
    snprintf(f, sizeof f, "economics.fuel.%s.long_run", name);
    NEED(fin(p->long_run) && p->long_run > 0, f, "a finite number > 0");
    snprintf(f, sizeof f, "economics.fuel.%s.kappa", name);
    NEED(fin(p->kappa) && p->kappa > 0, f, "a finite number > 0");
    snprintf(f, sizeof f, "economics.fuel.%s.sigma", name);
    NEED(fin(p->sigma) && p->sigma >= 0, f, "a finite number >= 0");
    return GR_OK;
}

static int check_econ_numbers(scenario_t *s, econ_t *e, gr_err_t *err)
{
    const econ_fuel_t *fu = &e->fuel;
    int rc;
    if ((rc = check_logou(s, &fu->brent_usd_per_bbl, "brent_usd_per_bbl", err)) ||
        (rc = check_logou(s, &fu->coal_usd_per_t, "coal_usd_per_t", err)))
        return rc;
    NEED(fin(e->deliverable_cap_mw) && e->deliverable_cap_mw >= 0, "economics.deliverable_cap_mw",
         "a finite number >= 0 (0: no limit)");
    NEED(fin(fu->corr_brent_coal) && fabs(fu->corr_brent_coal) < 1, "economics.fuel.corr_brent_coal",
         "in (-1, 1)");
    NEED(fin(fu->rlng_slope_per_brent) && fu->rlng_slope_per_brent >= 0,
         "economics.fuel.rlng_slope_per_brent", ">= 0");
    NEED(fin(fu->rlng_adder_usd_per_mmbtu), "economics.fuel.rlng_adder_usd_per_mmbtu", "finite");
    NEED(fin(fu->rlng_spot_sd) && fu->rlng_spot_sd >= 0, "economics.fuel.rlng_spot_sd", ">= 0");
    NEED(fin(fu->rfo_usd_per_t_per_brent) && fu->rfo_usd_per_t_per_brent >= 0,
         "economics.fuel.rfo_usd_per_t_per_brent", ">= 0");
    NEED(fin(fu->gas_usd_per_mmbtu) && fu->gas_usd_per_mmbtu >= 0, "economics.fuel.gas_usd_per_mmbtu",
         ">= 0");
    NEED(fin(fu->thar_usd_per_mwh) && fu->thar_usd_per_mwh >= 0, "economics.fuel.thar_usd_per_mwh",
         ">= 0");
    NEED(fin(fu->nuclear_usd_per_mwh) && fu->nuclear_usd_per_mwh >= 0,
         "economics.fuel.nuclear_usd_per_mwh", ">= 0");
    NEED(fin(fu->coal_mmbtu_per_t) && fu->coal_mmbtu_per_t > 0, "economics.fuel.coal_mmbtu_per_t",
         "> 0");
    NEED(fin(fu->rfo_mmbtu_per_t) && fu->rfo_mmbtu_per_t > 0, "economics.fuel.rfo_mmbtu_per_t",
         "> 0");
    const econ_fx_t *fx = &e->fx;
    NEED(fin(fx->start_pkr_per_usd) && fx->start_pkr_per_usd > 0, "economics.fx.start_pkr_per_usd",
         "> 0");
    NEED(fin(fx->drift), "economics.fx.drift", "finite");
    NEED(fin(fx->vol) && fx->vol >= 0, "economics.fx.vol", ">= 0");
    NEED(fin(fx->corr_brent) && fabs(fx->corr_brent) < 1, "economics.fx.corr_brent", "in (-1, 1)");
    const econ_btc_t *b = &e->bitcoin;
    NEED(fin(b->process.start_usd) && b->process.start_usd > 0, "economics.bitcoin.start_usd", "> 0");
    NEED(fin(b->process.drift), "economics.bitcoin.drift", "finite");
    NEED(fin(b->process.vol) && b->process.vol >= 0, "economics.bitcoin.vol", ">= 0");
    NEED(fin(b->process.jumps_per_year) && b->process.jumps_per_year >= 0,
         "economics.bitcoin.jumps_per_year", ">= 0");
    NEED(fin(b->process.jump_mean), "economics.bitcoin.jump_mean", "finite");
    NEED(fin(b->process.jump_sd) && b->process.jump_sd >= 0, "economics.bitcoin.jump_sd", ">= 0");
    NEED(fin(b->process.hashrate_start_ehs) && b->process.hashrate_start_ehs > 0,
         "economics.bitcoin.hashrate_start_ehs", "> 0");
    NEED(fin(b->process.hashrate_growth) && b->process.hashrate_growth > -1,
         "economics.bitcoin.hashrate_growth", "> -1");
    NEED(fin(b->process.hashrate_elasticity), "economics.bitcoin.hashrate_elasticity", "finite");
    NEED(fin(b->process.hashrate_lag_days) && b->process.hashrate_lag_days >= 0,
         "economics.bitcoin.hashrate_lag_days", ">= 0");
    NEED(fin(b->subsidy_btc) && b->subsidy_btc > 0, "economics.bitcoin.subsidy_btc", "> 0");
    NEED(fin(b->halving_day) && b->halving_day >= 0, "economics.bitcoin.halving_day", ">= 0");
    NEED(fin(b->fee_share) && b->fee_share >= 0 && b->fee_share < 1, "economics.bitcoin.fee_share",
         "in [0, 1)");
    NEED(fin(b->efficiency_j_per_th) && b->efficiency_j_per_th > 0,
         "economics.bitcoin.efficiency_j_per_th", "> 0");
    NEED(fin(b->opex_usd_per_mwh) && b->opex_usd_per_mwh >= 0, "economics.bitcoin.opex_usd_per_mwh",
         ">= 0");
    econ_hydro_t *h = &e->hydro;
    NEED(fin(h->annual_mwh) && h->annual_mwh >= 0, "economics.hydro.annual_mwh", ">= 0");
    double sum = 0;
    for (unsigned m = 0; m < 12; ++m) {
        NEED(fin(h->monthly_share[m]) && h->monthly_share[m] >= 0, "economics.hydro.monthly_share",
             "12 numbers >= 0");
        sum += h->monthly_share[m];
    }
    NEED(fabs(sum - 1.0) < 1e-3, "economics.hydro.monthly_share", "12 shares summing to 1");
    NEED(fin(h->cv) && h->cv >= 0, "economics.hydro.cv", ">= 0");
    NEED(fin(h->ar1) && fabs(h->ar1) < 1, "economics.hydro.ar1", "in (-1, 1)");
    const econ_demand_t *d = &e->demand;
    NEED(fin(d->growth_mean) && d->growth_mean > -1, "economics.demand.growth_mean", "> -1");
    NEED(fin(d->growth_sd) && d->growth_sd >= 0, "economics.demand.growth_sd", ">= 0");
    NEED(fin(d->weather_ar1) && fabs(d->weather_ar1) < 1, "economics.demand.weather_ar1",
         "in (-1, 1)");
    NEED(fin(d->weather_sd) && d->weather_sd >= 0 && d->weather_sd < 0.5,
         "economics.demand.weather_sd", "in [0, 0.5)");
    const econ_blackout_t *bo = &e->blackouts;
    NEED(fin(bo->rate_per_year) && bo->rate_per_year >= 0, "economics.blackouts.rate_per_year",
         ">= 0");
    NEED(fin(bo->median_h) && bo->median_h > 0, "economics.blackouts.median_h", "> 0");
    NEED(fin(bo->log_sd) && bo->log_sd >= 0, "economics.blackouts.log_sd", ">= 0");
    const econ_fiscal_t *fi = &e->fiscal;
    NEED(fin(fi->capacity_payments_pkr) && fi->capacity_payments_pkr >= 0,
         "economics.fiscal.capacity_payments_pkr", ">= 0");
    NEED(fin(fi->capacity_usd_share) && fi->capacity_usd_share >= 0 && fi->capacity_usd_share <= 1,
         "economics.fiscal.capacity_usd_share", "in [0, 1]");
    NEED(fin(fi->tariff_pkr_per_kwh) && fi->tariff_pkr_per_kwh > 0,
         "economics.fiscal.tariff_pkr_per_kwh", "> 0");
    NEED(fin(fi->fuel_passthrough) && fi->fuel_passthrough >= 0 && fi->fuel_passthrough <= 1,
         "economics.fiscal.fuel_passthrough", "in [0, 1]");
    NEED(fin(fi->ref_fuel_cost_pkr_per_kwh) && fi->ref_fuel_cost_pkr_per_kwh >= 0,
         "economics.fiscal.ref_fuel_cost_pkr_per_kwh", ">= 0");
    NEED(fin(fi->td_losses) && fi->td_losses >= 0 && fi->td_losses < 1,
         "economics.fiscal.td_losses", "in [0, 1)");
    NEED(fin(fi->recovery) && fi->recovery >= 0 && fi->recovery <= 1, "economics.fiscal.recovery",
         "in [0, 1]");
    NEED(fin(fi->voll_usd_per_kwh) && fi->voll_usd_per_kwh >= 0, "economics.fiscal.voll_usd_per_kwh",
         ">= 0");
    return GR_OK;
}

static int check_techs(scenario_t *s, econ_t *e, gr_err_t *err)
{
    for (unsigned i = 0; i < e->technologies_count; ++i) {
        const econ_tech_t *t = &e->technologies[i];
        char f[256];
        for (unsigned j = 0; j < i; ++j)
            if (!strcmp(t->name, e->technologies[j].name))
                return gr_err_set(err, GR_EINPUT, "%s: economics.technologies: duplicate '%s'",
                                  s->path, t->name);
        snprintf(f, sizeof f, "economics.technologies[%u] '%s'.heat_rate_mmbtu_per_mwh", i, t->name);
        const int needs_hr = t->fuel == FUEL_RLNG || t->fuel == FUEL_GAS ||
                             t->fuel == FUEL_COAL || t->fuel == FUEL_RFO;
        NEED(fin(t->heat_rate_mmbtu_per_mwh) && (needs_hr ? t->heat_rate_mmbtu_per_mwh > 0
                                                          : t->heat_rate_mmbtu_per_mwh >= 0),
             f, needs_hr ? "> 0 for this fuel" : ">= 0");
        snprintf(f, sizeof f, "economics.technologies[%u] '%s'.vom_usd_per_mwh", i, t->name);
        NEED(fin(t->vom_usd_per_mwh) && t->vom_usd_per_mwh >= 0, f, ">= 0");
        snprintf(f, sizeof f, "economics.technologies[%u] '%s'.must_take_share", i, t->name);
        NEED(fin(t->must_take_share) && t->must_take_share >= 0 && t->must_take_share <= 1 &&
                 (t->kind == TECH_THERMAL || t->must_take_share == 0),
             f, "in [0, 1], and only on thermal technologies");
        snprintf(f, sizeof f, "economics.technologies[%u] '%s'.fuel", i, t->name);
        NEED(t->kind != TECH_THERMAL || t->fuel != FUEL_NONE, f, "given for a thermal technology");
    }
    for (size_t u = 0; u < s->n_units; ++u) {
        scen_unit_t *un = &s->units[u];
        un->tech = -1;
        for (unsigned i = 0; i < e->technologies_count; ++i)
            if (!strcmp(un->type, e->technologies[i].name))
                un->tech = (int)i;
        if (un->tech < 0)
            return gr_err_set(err, GR_EINPUT,
                              "%s: unit '%s': type '%s' is not one of economics.technologies",
                              s->path, un->name, un->type);
    }
    return GR_OK;
}

int econ_check_scenarios(scenario_t *s, gr_err_t *err)
{
    if (s->n_scen == 0)
        return gr_err_set(err, GR_EINPUT,
                          "%s: scenarios: an economic run needs at least one scenario "
                          "(the first is the baseline)",
                          s->path);
    for (size_t i = 0; i < s->n_scen; ++i) {
        econ_scenario_t *sc = &s->scen[i];
        if (!strcmp(sc->name, "delta") || !strcmp(sc->name, "drivers"))
            return gr_err_set(err, GR_EINPUT, "%s: scenarios[%zu]: name '%s' is reserved",
                              s->path, i, sc->name);
        for (size_t j = 0; j < i; ++j)
            if (!strcmp(sc->name, s->scen[j].name))
                return gr_err_set(err, GR_EINPUT, "%s: scenarios: duplicate name '%s'", s->path,
                                  sc->name);
        for (unsigned k = 0; k < sc->blocks_count; ++k) {
            econ_block_t *b = &sc->blocks[k];
            char f[256];
            snprintf(f, sizeof f, "scenarios[%zu] '%s'.blocks[%u] '%s'.mw", i, sc->name, k,
                     b->name);
            NEED(fin(b->mw) && b->mw >= 0, f, "a finite number >= 0");
            if (b->load_factor == 0.0)
                b->load_factor = 1.0;
            snprintf(f, sizeof f, "scenarios[%zu] '%s'.blocks[%u] '%s'.load_factor", i, sc->name, k,
                     b->name);
            NEED(fin(b->load_factor) && b->load_factor > 0 && b->load_factor <= 1, f, "in (0, 1]");
            snprintf(f, sizeof f, "scenarios[%zu] '%s'.blocks[%u] '%s'.tariff_pkr_per_kwh", i,
                     sc->name, k, b->name);
            NEED(fin(b->tariff_pkr_per_kwh) && b->tariff_pkr_per_kwh >= 0, f, ">= 0");
            snprintf(f, sizeof f, "scenarios[%zu] '%s'.blocks[%u] '%s'.recovery", i, sc->name, k,
                     b->name);
            NEED(fin(b->recovery) && b->recovery >= 0 && b->recovery <= 1, f, "in [0, 1]");
        }
    }
    return GR_OK;
}

static int load_renewables(scenario_t *s, econ_t *e, gr_err_t *err)
{
    csv_table_t *t;
    int rc = scenario_read_csv(s, e->renewables_csv, &t, err);
    if (rc)
        return rc;
    const char *path = t->path;
    const long cw = csv_col(t, "wind_cf"), cs = csv_col(t, "solar_cf");
    if (cw < 0 || cs < 0)
        rc = gr_err_set(err, GR_EINPUT, "%s: columns 'wind_cf' and 'solar_cf' are required", path);
    else if (t->n_rows != s->hours)
        rc = gr_err_set(err, GR_EINPUT, "%s: %zu rows, but the load profile has %zu hours", path,
                        t->n_rows, s->hours);
    else if (!(e->wind_cf = malloc(s->hours * sizeof(double))) ||
             !(e->solar_cf = malloc(s->hours * sizeof(double))))
        rc = gr_err_set(err, GR_ERUNTIME, "out of memory");
    for (size_t h = 0; !rc && h < s->hours; ++h) {
        if ((rc = csv_double(t, h, (size_t)cw, &e->wind_cf[h], err)) ||
            (rc = csv_double(t, h, (size_t)cs, &e->solar_cf[h], err)))
            break;
        if (e->wind_cf[h] < 0 || e->wind_cf[h] > 1 || e->solar_cf[h] < 0 || e->solar_cf[h] > 1)
            rc = gr_err_set(err, GR_EINPUT, "%s:%zu: capacity factors must be in [0, 1]", path,
                            t->line[h]);
    }
    csv_free(t);
    return rc;
}

int econ_resolve(scenario_t *s, gr_err_t *err)
{
    econ_t *e = s->econ;
    int rc;
    if (s->hours % 24)
        return gr_err_set(err, GR_EINPUT, "%s: an economic run needs whole days (hours %% 24 == 0)",
                          s->path);
    if ((rc = check_econ_numbers(s, e, err)) || (rc = check_techs(s, e, err)) ||
        (rc = econ_check_scenarios(s, err)) || (rc = load_renewables(s, e, err)))
        return rc;
    /* Cholesky factor of the Brent-coal correlation matrix (GSL). */
    const double r = e->fuel.corr_brent_coal;
    double a[4] = {1.0, r, r, 1.0};
    gsl_matrix_view mv = gsl_matrix_view_array(a, 2, 2);
    if (gsl_linalg_cholesky_decomp1(&mv.matrix))
        return gr_err_set(err, GR_EINPUT, "%s: economics.fuel.corr_brent_coal: not a valid "
                          "correlation", s->path);
    e->chol[0] = a[0];
    e->chol[1] = 0.0;
    e->chol[2] = a[2];
    e->chol[3] = a[3];
    return GR_OK;
}

#undef NEED

void econ_print(const scenario_t *s, FILE *f)
{
    static const char *const kinds[] = {"must_run", "thermal", "hydro", "wind", "solar"};
    static const char *const fuel_names[] = {"none", "rlng", "gas",    "coal",
                                             "rfo",  "thar", "nuclear"};
    static const char *const pol[] = {"miners_first", "pro_rata", "firm_allocation"};
    const econ_t *e = s->econ;
    fprintf(f, "technologies  (installed MW)\n");
    for (unsigned i = 0; i < e->technologies_count; ++i) {
        const econ_tech_t *t = &e->technologies[i];
        double mw = 0;
        for (size_t u = 0; u < s->n_units; ++u)
            mw += s->units[u].tech == (int)i ? s->units[u].capacity_mw : 0.0;
        fprintf(f, "  %-12s %-9s fuel %-8s %9.1f MW  heat rate %4.1f  VOM %4.1f  must-take %.2f\n",
                t->name, kinds[t->kind], fuel_names[t->fuel], mw, t->heat_rate_mmbtu_per_mwh,
                t->vom_usd_per_mwh, t->must_take_share);
    }
    fprintf(f, "deliverable   %.0f MW%s\n", e->deliverable_cap_mw,
            e->deliverable_cap_mw > 0 ? "" : " (no limit)");
    fprintf(f, "drivers       Brent %.1f USD/bbl, coal %.1f USD/t, PKR/USD %.2f, BTC %.0f USD, "
               "hashrate %.0f EH/s\n",
            e->fuel.brent_usd_per_bbl.start, e->fuel.coal_usd_per_t.start,
            e->fx.start_pkr_per_usd, e->bitcoin.process.start_usd,
            e->bitcoin.process.hashrate_start_ehs);
    fprintf(f, "hydro         %.1f TWh/yr, CV %.2f, AR(1) %.2f\n", e->hydro.annual_mwh / 1e6,
            e->hydro.cv, e->hydro.ar1);
    fprintf(f, "scenarios     %zu (the first is the baseline)\n", s->n_scen);
    for (size_t i = 0; i < s->n_scen; ++i) {
        const econ_scenario_t *sc = &s->scen[i];
        fprintf(f, "  %-14s %-16s", sc->name, pol[sc->priority]);
        for (unsigned k = 0; k < sc->blocks_count; ++k)
            fprintf(f, " %s %s %.0f MW x %.2f @ %.2f PKR/kWh;", sc->blocks[k].name,
                    sc->blocks[k].kind == BLOCK_FLEXIBLE ? "flexible" : "firm",
                    sc->blocks[k].mw, sc->blocks[k].load_factor,
                    sc->blocks[k].tariff_pkr_per_kwh);
        fputc('\n', f);
    }
}
