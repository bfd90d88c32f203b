/* test_pakistan.c - the full allocation model: identities that must hold
 * exactly, paired-scenario properties, reproducibility, the data README's
 * first-year checks, and bad economic inputs.
 *
 * The bundled scenario is loaded once (group setup). A test that needs a
 * variant changes the loaded struct (horizon, drivers, a test-owned units or
 * scenarios array) and the per-test teardown puts every top-level field
 * back and frees what the test allocated, so no test sees another's changes
 * and the text of pakistan.yaml can be reformatted freely. Bad inputs must
 * go through the loader, so they are small `base:` overlays written to a
 * scratch directory. */
#include "testutil.h"

#include "../inputs/scenario.h"
#include "../kernels/drivers.h"
#include "../kernels/rng.h"
#include "../model/pakistan.h"
#include "../model/supply.h"
#include "../outputs/h5out.h"
#include "bitcoin_yaml.h"
#include "hand_system.h"

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <hdf5.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BUNDLED "inputs/pakistan/pakistan.yaml"
enum { MAX_OWNED = 16 };

typedef struct {
    scenario_t *sc;         /* the bundled scenario, loaded once */
    scenario_t saved;       /* its top-level fields as loaded */
    econ_t saved_econ;      /* and its economics */
    void *owned[MAX_OWNED]; /* what the running test allocated */
    size_t n_owned;
    char dir[256];      /* scratch directory */
    char bundled[1024]; /* absolute path of the bundled scenario */
} fx_t;

static int setup(void **st)
{
    fx_t *f = calloc(1, sizeof *f);
    char cwd[512];
    if (!f || !getcwd(cwd, sizeof cwd))
        return -1;
    snprintf(f->bundled, sizeof f->bundled, "%s/" BUNDLED, cwd);
    gr_err_t err = {0, {0}};
    if (scenario_load(BUNDLED, &f->sc, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        free(f);
        return -1;
    }
    f->saved = *f->sc;
    f->saved_econ = *f->sc->econ;
    tu_mkdtemp(f->dir, sizeof f->dir);
    *st = f;
    return 0;
}

static int teardown(void **st)
{
    fx_t *f = *st;
    scenario_free(f->sc);
    tu_rmtree(f->dir);
    free(f);
    return 0;
}

/* Per-test teardown: the loaded scenario as it was, the test's arrays freed
 * (the scenario's own memory is an arena that only scenario_free releases,
 * so a test never writes into it: it points the struct at its own arrays). */
static int restore(void **st)
{
    fx_t *f = *st;
    *f->sc = f->saved;
    *f->sc->econ = f->saved_econ;
    for (size_t i = 0; i < f->n_owned; ++i)
        free(f->owned[i]);
    f->n_owned = 0;
    return 0;
}

/* n zeroed bytes owned by the running test, freed by restore(). */
static void *owned(fx_t *f, size_t n)
{
    if (f->n_owned == MAX_OWNED)
        fail_msg("a test may own at most %d arrays", MAX_OWNED);
    void *p = calloc(1, n);
    assert_non_null(p);
    f->owned[f->n_owned++] = p;
    return p;
}

/* The scenario's technologies copied into the test's own array (restore()
 * puts the loaded ones back), for a test that changes one. */
static econ_tech_t *owned_techs(fx_t *f)
{
    econ_t *e = f->sc->econ;
    econ_tech_t *t = owned(f, e->technologies_count * sizeof *t);
    memcpy(t, e->technologies, e->technologies_count * sizeof *t);
    e->technologies = t;
    return t;
}

static char *owned_str(fx_t *f, const char *s)
{
    char *p = owned(f, strlen(s) + 1);
    strcpy(p, s);
    return p;
}

static int tech_index(const scenario_t *sc, const char *name)
{
    for (unsigned i = 0; i < sc->econ->technologies_count; ++i)
        if (!strcmp(sc->econ->technologies[i].name, name))
            return (int)i;
    fail_msg("no technology '%s' in the bundled scenario", name);
    return -1;
}

/* Appends a unit that never fails (for = 0), as a `units.list` entry after
 * units.csv would be: same stream (from the name), same technology index. */
static void add_unit(fx_t *f, const char *name, const char *type, double capacity_mw, double mttr_h)
{
    scenario_t *sc = f->sc;
    scen_unit_t *u = owned(f, (sc->n_units + 1) * sizeof *u);
    memcpy(u, sc->units, sc->n_units * sizeof *u);
    scen_unit_t *x = &u[sc->n_units];
    x->name = owned_str(f, name);
    x->type = owned_str(f, type);
    x->capacity_mw = capacity_mw;
    x->for_ = 0.0;
    x->mttf_h = INFINITY;
    x->mttr_h = mttr_h;
    x->stream = scenario_unit_stream(name);
    x->tech = tech_index(sc, type);
    sc->units = u;
    sc->n_units += 1;
    sc->capacity_mw += capacity_mw;
}

/* Points the scenario at a test-owned copy of scen[0..n). */
static econ_scenario_t *set_scenarios(fx_t *f, const econ_scenario_t *scen, size_t n)
{
    econ_scenario_t *s = owned(f, n * sizeof *s);
    memcpy(s, scen, n * sizeof *s);
    f->sc->scen = s;
    f->sc->n_scen = n;
    return s;
}

static econ_scenario_t scenario(const char *name, dispatch_policy_t priority, econ_block_t *blocks,
                                unsigned n_blocks)
{
    return (econ_scenario_t){.name = (char *)name,
                             .priority = priority,
                             .blocks = blocks,
                             .blocks_count = n_blocks,
                             .sweep_mw = NAN,
                             .sweep_tariff_pkr_per_kwh = NAN};
}

static econ_block_t block(const char *name, block_kind_t kind, double mw, double load_factor,
                          double tariff_pkr_per_kwh, double recovery)
{
    return (econ_block_t){.name = (char *)name,
                          .kind = kind,
                          .mw = mw,
                          .load_factor = load_factor,
                          .tariff_pkr_per_kwh = tariff_pkr_per_kwh,
                          .recovery = recovery,
                          .region = GR_REGION_NORTH};
}

static scenario_t *one_year(fx_t *f)
{
    f->sc->horizon_years = 1;
    return f->sc;
}

/* Ample, certain supply and always-profitable mining: one year, no
 * deliverable cap, no blackouts, Bitcoin at 1e9 USD and a 40 GW gas unit
 * that never fails. */
static scenario_t *ample(fx_t *f)
{
    scenario_t *sc = f->sc;
    sc->horizon_years = 1;
    sc->econ->deliverable_cap_mw = 0.0;
    sc->econ->relax_mask = (1u << SUPPLY_N_MECH) - 1; /* the reserve burns no budgeted gas */
    sc->econ->blackouts.rate_per_year = 0.0;
    sc->econ->bitcoin.process.start_usd = 1.0e9;
    add_unit(f, "reserve", "gas", 40000.0, 1.0);
    return sc;
}

/* Writes "name: o\nbase: <bundled>\n" + body to dir/file and loads it. */
static int load_overlay(fx_t *f, const char *file, const char *body, scenario_t **sc, gr_err_t *err)
{
    const size_t n = strlen(f->bundled) + strlen(body) + 64;
    char *text = malloc(n), path[512];
    assert_non_null(text);
    snprintf(text, n, "name: o\nbase: %s\n%s", f->bundled, body);
    tu_write(f->dir, file, text, path, sizeof path);
    free(text);
    *sc = NULL;
    return scenario_load(path, sc, err);
}

/* An overlay that the loader must refuse with a message containing needle
 * (file:line: field: ...); nothing is loaded. */
static void expect_bad(fx_t *f, const char *body, const char *needle)
{
    scenario_t *sc;
    gr_err_t err = {0, {0}};
    assert_int_equal(load_overlay(f, "bad.yaml", body, &sc, &err), GR_EINPUT);
    assert_null(sc);
    if (!strstr(err.msg, needle))
        fail_msg("message '%s' lacks '%s'", err.msg, needle);
}

static results_t *run_kernel(const scenario_t *sc, uint64_t trials, int threads, sim_kernel_t k)
{
    const sim_opts_t o = {.seed = 4242, .trials = trials, .threads = threads, .kernel = k};
    results_t *r = NULL;
    gr_err_t err = {0, {0}};
    if (sim_run(sc, &o, &r, &err))
        fail_msg("run failed: %s", err.msg);
    return r;
}

static results_t *run(const scenario_t *sc, uint64_t trials, int threads)
{
    return run_kernel(sc, trials, threads, SIM_KERNEL_FAST);
}

/* Every per-trial output array and the loss-of-load counts of two runs of
 * the same trials are the same bits. */
static void assert_same_bits(const results_t *a, const results_t *b, const char *what)
{
    results_rows_t x[RESULTS_MAX_ROW_ARRAYS], y[RESULTS_MAX_ROW_ARRAYS];
    const size_t k = results_row_arrays(a, x);
    assert_int_equal(results_row_arrays(b, y), k);
    for (size_t i = 0; i < k; ++i) {
        assert_true(x[i].blocks == y[i].blocks && x[i].row == y[i].row);
        if (memcmp(x[i].v, y[i].v, x[i].blocks * a->trials * x[i].row * sizeof(double)))
            fail_msg("%s: array %zu of %zu differs", what, i, k);
    }
    if (memcmp(a->lol_count, b->lol_count, a->n_scen * a->years * a->hours * sizeof(int64_t)))
        fail_msg("%s: the loss-of-load counts differ", what);
}

/* "economics:\n  technologies:\n" and one line per loaded technology, the
 * one named `name` renamed to `rename` and given `must_take_share` (NAN:
 * keep it), so that an overlay can change one technology and keep the rest. */
static char *techs_overlay(const scenario_t *sc, const char *name, const char *rename,
                           double must_take_share)
{
    static const char *const kind[] = {"must_run", "thermal", "hydro", "wind", "solar"};
    static const char *const fuel[] = {"none", "rlng", "gas", "coal", "rfo", "thar", "nuclear"};
    const econ_t *e = sc->econ;
    const size_t cap = 64 + 256 * e->technologies_count;
    char *s = malloc(cap);
    assert_non_null(s);
    size_t n = (size_t)snprintf(s, cap, "economics:\n  technologies:\n");
    for (unsigned i = 0; i < e->technologies_count; ++i) {
        const econ_tech_t *t = &e->technologies[i];
        const int edit = !strcmp(t->name, name);
        const double mt = edit && !isnan(must_take_share) ? must_take_share : t->must_take_share;
        n +=
            (size_t)snprintf(s + n, cap - n,
                             "    - {name: %s, kind: %s, fuel: %s, heat_rate_mmbtu_per_mwh: %.17g, "
                             "vom_usd_per_mwh: %.17g, must_take_share: %.17g}\n",
                             edit ? rename : t->name, kind[t->kind], fuel[t->fuel],
                             t->heat_rate_mmbtu_per_mwh, t->vom_usd_per_mwh, mt);
        assert_true(n < cap);
    }
    return s;
}

/* Allocation of 0 MW: every paired difference is exactly zero, in memory
 * and in the HDF5 /delta datasets. */
static void test_zero_allocation_zero_delta(void **st)
{
    fx_t *f = *st;
    scenario_t *sc = f->sc;
    sc->horizon_years = 2;
    assert_int_equal(sc->n_scen, 2);
    const unsigned nb = sc->scen[1].blocks_count;
    assert_true(nb >= 2);
    econ_scenario_t *s = set_scenarios(f, sc->scen, sc->n_scen);
    econ_block_t *b = owned(f, nb * sizeof *b);
    memcpy(b, s[1].blocks, nb * sizeof *b);
    double mw = 0;
    for (unsigned k = 0; k < nb; ++k) {
        mw += b[k].mw;
        b[k].mw = 0.0;
    }
    assert_true(mw == 2000.0);
    s[1].blocks = b;
    const uint64_t T = tu_scaled(60);
    results_t *r = run(sc, T, 0);
    const size_t n = r->n_metrics * r->trials * r->years;
    assert_memory_equal(results_at(r, 0, 0, 0), results_at(r, 1, 0, 0), n * sizeof(double));
    assert_memory_equal(r->lol_count, r->lol_count + r->years * r->hours,
                        r->years * r->hours * sizeof(int64_t));
    char path[512];
    snprintf(path, sizeof path, "%s/zero.h5", f->dir);
    const h5out_meta_t meta = {.scenario_name = "t", .scenario_yaml = "t", .version = "test"};
    gr_err_t err = {0, {0}};
    assert_int_equal(h5out_write(path, r, &meta, &err), GR_OK);
    /* in the file: both scenarios' rows equal, and every summary of the
     * paired difference exactly 0 */
    hid_t h = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    const size_t ty = r->trials * r->years;
    double *buf = malloc(2 * ty * sizeof *buf);
    for (size_t m = 0; m < r->n_metrics; ++m) {
        char ds[256];
        snprintf(ds, sizeof ds, "/%s", r->metrics[m].name);
        hid_t d = H5Dopen2(h, ds, H5P_DEFAULT);
        assert_true(d >= 0);
        assert_true(H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) >= 0);
        H5Dclose(d);
        assert_memory_equal(buf, buf + ty, ty * sizeof *buf);
        snprintf(ds, sizeof ds, "/summary/%s_delta", r->metrics[m].name);
        d = H5Dopen2(h, ds, H5P_DEFAULT);
        assert_true(d >= 0);
        assert_true(H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) >= 0);
        H5Dclose(d);
        for (size_t i = 0; i < 2 * H5OUT_N_STATS; ++i)
            if (buf[i] != 0.0)
                fail_msg("%s[%zu] = %g, not 0", ds, i, buf[i]);
    }
    H5Fclose(h);
    free(buf);
    results_free(r);
}

/* Mining always pays and supply is ample: miner energy is exactly
 * MW x hours, uptime 1, nothing curtailed, no shedding. */
static void test_miner_energy_identity(void **st)
{
    scenario_t *sc = ample(*st);
    results_t *r = run(sc, tu_scaled(40), 0);
    for (uint64_t t = 0; t < r->trials; ++t) {
        assert_true(results_at(r, 1, PK_MINER_MWH, t)[0] == 1500.0 * 8760.0);
        assert_true(results_at(r, 1, PK_MINER_UPTIME, t)[0] == 1.0);
        assert_true(results_at(r, 1, PK_MINER_CURTAILED_MWH, t)[0] == 0.0);
        assert_true(results_at(r, 1, PK_SHED_HOURS, t)[0] == 0.0);
        /* firm block: 500 MW x 0.8 every hour */
        const double alloc = results_at(r, 1, PK_ALLOC_MWH, t)[0];
        assert_true(fabs(alloc - (1500.0 + 400.0) * 8760.0) < 1e-6 * alloc);
    }
    results_free(r);
}

/* With uptime held fixed (mining always pays), a higher miners' tariff
 * never lowers the state's revenue from them, trial by trial. */
static void test_tariff_monotone_revenue(void **st)
{
    fx_t *f = *st;
    scenario_t *sc = ample(f);
    econ_block_t m10 = block("m", BLOCK_FLEXIBLE, 1500, 1, 10, 1);
    econ_block_t m22 = block("m", BLOCK_FLEXIBLE, 1500, 1, 22.5, 1);
    econ_block_t m40 = block("m", BLOCK_FLEXIBLE, 1500, 1, 40, 0.9);
    const econ_scenario_t scen[] = {
        scenario("baseline", DISPATCH_MINERS_FIRST, NULL, 0),
        scenario("t10", DISPATCH_MINERS_FIRST, &m10, 1),
        scenario("t22", DISPATCH_MINERS_FIRST, &m22, 1),
        scenario("t40", DISPATCH_MINERS_FIRST, &m40, 1),
    };
    set_scenarios(f, scen, 4);
    results_t *r = run(sc, tu_scaled(30), 0);
    for (uint64_t k = 0; k < r->trials; ++k) {
        const double u1 = results_at(r, 1, PK_MINER_UPTIME, k)[0];
        const double u2 = results_at(r, 2, PK_MINER_UPTIME, k)[0];
        const double u3 = results_at(r, 3, PK_MINER_UPTIME, k)[0];
        assert_true(u1 == u2 && u2 == u3);
        const double r1 = results_at(r, 1, PK_ALLOC_REVENUE_PKR, k)[0];
        const double r2 = results_at(r, 2, PK_ALLOC_REVENUE_PKR, k)[0];
        const double r3 = results_at(r, 3, PK_ALLOC_REVENUE_PKR, k)[0];
        assert_true(r1 <= r2 && r2 <= r3);
        assert_true(fabs(r2 - 1500.0 * 8760.0 * 22500.0) < 1e-6 * r2);
        /* 40 PKR/kWh of which 90% is paid */
        assert_true(fabs(r3 - 1500.0 * 8760.0 * 40000.0 * 0.9) < 1e-6 * r3);
    }
    results_free(r);
}

/* Two islands (a corridor of 0 MW both ways) with all demand in the south. */
static void islands_all_south(econ_t *e)
{
    static double zero[2] = {0, 0}, all_south[2] = {1, 1};
    e->network.corridor_mw = zero;
    e->network.reverse_mw_count = 0;
    e->network.south_demand_share = all_south;
}

/*
 * Every unit and all demand in the south, the corridor 0 MW both ways: the
 * south is the whole system, its share of every class is 1 in every hour,
 * and the baseline sheds what the same system as one region sheds (the two
 * regions' shedding and dispatch round differently: to 1e-6). The draws are
 * the same: every supply draw has its own key. (The allocation's blocks sit
 * at named sites, some in the north, which islands cut off.)
 */
static void test_all_south_is_one_region(void **st)
{
    fx_t *f = *st;
    scenario_t *sc = one_year(f);
    econ_t *e = sc->econ;
    scen_unit_t *un = owned(f, sc->n_units * sizeof *un); /* restore() puts the fleet back */
    memcpy(un, sc->units, sc->n_units * sizeof *un);
    for (size_t u = 0; u < sc->n_units; ++u)
        un[u].region = GR_REGION_SOUTH;
    sc->units = un;
    islands_all_south(e);
    const uint64_t N = tu_scaled(10);
    results_t *two = run(sc, N, 0);
    e->network.corridor_mw_count = 0;
    results_t *one = run(sc, N, 0);
    double shed = 0.0;
    for (size_t s = 0; s < 1; ++s)
        for (uint64_t t = 0; t < N; ++t) {
            const int close[] = {PK_UNSERVED_MWH, PK_SERVED_MWH, PK_THERMAL_MWH, PK_SHED_HOURS};
            for (size_t k = 0; k < 4; ++k) {
                const double a = results_at(one, s, close[k], t)[0];
                const double b = results_at(two, s, close[k], t)[0];
                if (!(fabs(a - b) <= 1e-6 * (1.0 + fabs(a))))
                    fail_msg("scenario %zu trial %llu: %s %.9g as one region, %.9g all south", s,
                             (unsigned long long)t, pk_metrics[close[k]].name, a, b);
            }
            shed += results_at(one, s, PK_SHED_HOURS, t)[0];
        }
    assert_true(shed > 0.0); /* the comparison covers shedding */
    results_free(one);
    results_free(two);
}

/*
 * Base demand and heat derating in each of two years, recomputed from the
 * run's own draws (the same streams, keys and kernels): each hour's base
 * demand is the year's
 * level x load x the rooftop erosion x (1 + gain x the day's anomaly),
 * gain 1 + evening_heat_gain from 18:00 to 01:00; the year's largest heat
 * derating is the largest over days of the derateable classes' lost share
 * at the month's temperature + temperature_per_sd_c / weather_sd x the
 * day's anomaly. Both to 1e-12 (the products run in another order): a hot
 * day raises demand and derates plants, in that direction and that form.
 */
static void test_demand_and_heat_from_the_weather(void **st)
{
    fx_t *f = *st;
    scenario_t *sc = f->sc;
    sc->horizon_years = 2;
    econ_t *e = sc->econ;
    const econ_demand_t *dm = &e->demand;
    e->demand.captive_mw_count = 0;
    e->demand.btm_erosion_mean = 0.05;
    e->demand.btm_erosion_sd = 0.0;
    const uint64_t N = tu_scaled(3) + 1;
    results_t *r = run(sc, N, 0);
    const size_t H = sc->hours, D = H / 24, T = e->technologies_count;
    assert_int_equal(D, 365);
    double *wx = owned(f, 2 * D * sizeof *wx), level[2], top = 0.0, inst[GR_MAX_TECHS] = {0};
    for (size_t h = 0; h < H; ++h)
        top = e->solar_cf[h] > top ? e->solar_cf[h] : top;
    for (size_t u = 0; u < sc->n_units; ++u)
        inst[sc->units[u].tech] += sc->units[u].capacity_mw;
    static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    gsl_rng *g = gsl_rng_alloc(&rng_gsl_type);
    double heat = 0.0;
    for (uint64_t t = 0; t < N; ++t) {
        rng_gsl_bind(g, 4242, DRV_STREAM_DEMAND, t);
        drivers_demand(g, dm->growth_mean, dm->growth_sd, 2, level);
        rng_gsl_bind(g, 4242, DRV_STREAM_WEATHER, t);
        drivers_weather(g, dm->weather_ar1, dm->weather_sd, 2 * D, wx);
        supply_draw_t sd;
        supply_draw(e, inst, 4242, t, &sd);
        for (size_t y = 0; y < 2; ++y) {
            const double *w = wx + y * D, erosion = 0.05 * (double)(y + 1);
            double demand = 0.0;
            for (size_t h = 0; h < H; ++h) {
                const size_t hod = h % 24;
                const double gain = hod >= 18 || hod == 0 ? 1.0 + dm->evening_heat_gain : 1.0;
                const double wf = 1.0 + gain * w[h / 24];
                const double btm = 1.0 - erosion * e->solar_cf[h] / top;
                demand +=
                    level[y] * sc->load_mw[h] * (btm > 0.0 ? btm : 0.0) * (wf > 0.0 ? wf : 0.0);
            }
            const double got = results_at(r, 0, PK_DEMAND_MWH, t)[y];
            if (!(fabs(got - demand) <= 1e-12 * demand))
                fail_msg("trial %llu, year %zu: base demand %.15g MWh, the draws give %.15g",
                         (unsigned long long)t, y + 1, got, demand);
            double most = 0.0;
            size_t cal = sc->start_month ? sc->start_month - 1u : 0u, left = (size_t)len[cal];
            for (size_t d = 0; d < D; ++d, --left) {
                if (!left) {
                    cal = (cal + 1) % 12;
                    left = (size_t)len[cal];
                }
                const double temp_c =
                    dm->temperature_c[cal] + dm->temperature_per_sd_c / dm->weather_sd * w[d];
                double lost = 0.0, cap = 0.0;
                for (size_t c = 0; c < T; ++c)
                    if (sd.derate_per_c[c] > 0.0) {
                        lost += inst[c] * (1.0 - supply_derate_factor(sd.derate_per_c[c], temp_c));
                        cap += inst[c];
                    }
                most = cap > 0.0 && lost / cap > most ? lost / cap : most;
            }
            const double drawn = results_driver_at(r, PK_D_HEAT_DERATE_MAX, t)[y];
            if (!(fabs(drawn - most) <= 1e-12 * most))
                fail_msg("trial %llu, year %zu: heat derating at most %.15g, the draws give %.15g",
                         (unsigned long long)t, y + 1, drawn, most);
            heat += most;
        }
    }
    assert_true(heat > 0.0); /* the comparison covers derating */
    gsl_rng_free(g);
    results_free(r);
}

/*
 * Rooftop solar erodes grid demand in proportion to the solar profile: an
 * erosion of 0.1 (no spread, no captive load) lowers the year's base demand
 * by 0.1 x the load-weighted mean of solar_cf / its largest value, to the
 * weather's daily factors (the same draws in both runs): within a tenth.
 */
static void test_rooftop_erosion(void **st)
{
    scenario_t *sc = one_year(*st);
    econ_t *e = sc->econ;
    e->demand.btm_erosion_mean = 0.0;
    e->demand.btm_erosion_sd = 0.0;
    e->demand.captive_mw_count = 0;
    const uint64_t N = tu_scaled(4) + 1;
    results_t *a = run(sc, N, 0);
    e->demand.btm_erosion_mean = 0.1;
    results_t *b = run(sc, N, 0);
    double ls = 0.0, l = 0.0, top = 0.0;
    for (size_t h = 0; h < sc->hours; ++h) {
        l += sc->load_mw[h];
        ls += sc->load_mw[h] * e->solar_cf[h];
        top = e->solar_cf[h] > top ? e->solar_cf[h] : top;
    }
    const double want = 0.1 * ls / (l * top);
    for (uint64_t t = 0; t < N; ++t) {
        const double cut =
            1.0 - results_at(b, 0, PK_DEMAND_MWH, t)[0] / results_at(a, 0, PK_DEMAND_MWH, t)[0];
        if (!(fabs(cut - want) <= 0.1 * want))
            fail_msg("trial %llu: demand cut by %.4f, the profile gives %.4f",
                     (unsigned long long)t, cut, want);
    }
    results_free(a);
    results_free(b);
}

/* Base unserved energy and shed hours of scenario s, trial t, year 0. */
static double unserved(const results_t *r, size_t s, uint64_t t)
{
    return results_at(r, s, PK_UNSERVED_MWH, t)[0];
}

/*
 * The corridor (docs/MODEL.md s.2b), on the bundled two-region system:
 * 1. an unlimited corridor (relaxed) is the one-region model: the same shed
 *    hours, unserved energy, generation cost and generation, in every trial;
 * 2. with its sampled limit, no trial serves the policy's first tier (base
 *    and firm) better than with none, the corridor's own share
 *    (corridor_unserved_mwh) is exactly what the limit changes in base
 *    unserved energy, in every scenario, and it binds somewhere;
 * 3. the regions add up: the national consumer-equivalent hours are the
 *    demand-weighted mean of the regions' (1 - s) north + s south, and a
 *    national shed hour is one in which either region sheds.
 */
static void test_corridor(void **st)
{
    scenario_t *sc = one_year(*st);
    econ_t *e = sc->econ;
    const uint64_t N = tu_scaled(40);
    e->relax_mask = 1u << SUPPLY_CORRIDOR;
    results_t *open = run(sc, N, 0);
    const unsigned nc = e->network.corridor_mw_count;
    e->network.corridor_mw_count = 0;
    results_t *one = run(sc, N, 0);
    e->network.corridor_mw_count = nc;
    e->relax_mask = 0;
    results_t *lim = run(sc, N, 0);
    double added = 0, limit_h = 0;
    for (size_t s = 0; s < sc->n_scen; ++s)
        for (uint64_t t = 0; t < N; ++t) {
            const int exact[] = {PK_SHED_HOURS, PK_SHED_EVENTS};
            for (size_t k = 0; k < 2; ++k)
                assert_true(results_at(open, s, exact[k], t)[0] ==
                            results_at(one, s, exact[k], t)[0]);
            const int close[] = {PK_UNSERVED_MWH, PK_GEN_COST_PKR, PK_THERMAL_MWH,
                                 PK_HYDRO_MWH,    PK_MINER_MWH,    PK_NET_FISCAL_PKR};
            for (size_t k = 0; k < sizeof close / sizeof *close; ++k) {
                const double a = results_at(open, s, close[k], t)[0];
                const double b = results_at(one, s, close[k], t)[0];
                if (!(fabs(a - b) <= 1e-9 * (1.0 + fabs(b))))
                    fail_msg("%s: open corridor %.17g, one region %.17g", pk_metrics[close[k]].name,
                             a, b);
            }
            assert_true(results_at(open, s, PK_CORRIDOR_LIMIT_HOURS, t)[0] == 0.0);
            /* 2: the first tier of miners_first (base and firm: base
             * unserved less the blocks' served energy beyond mining's) is
             * served no better through a limited corridor; base alone may
             * be (a firm block the corridor cuts off leaves power behind) */
            assert_true(sc->scen[s].priority == DISPATCH_MINERS_FIRST);
            const double u = unserved(lim, s, t), u0 = unserved(one, s, t);
            const double firm =
                results_at(lim, s, PK_ALLOC_MWH, t)[0] - results_at(lim, s, PK_MINER_MWH, t)[0];
            const double firm0 =
                results_at(one, s, PK_ALLOC_MWH, t)[0] - results_at(one, s, PK_MINER_MWH, t)[0];
            assert_true(u - firm >= u0 - firm0 - 1e-9 * (1.0 + u0 + firm0));
            /* the corridor's own share is exactly what the limit changes */
            const double cu = results_at(lim, s, PK_CORRIDOR_UNSERVED_MWH, t)[0];
            if (!(fabs(cu - (u - u0)) <= 1e-6 * (1.0 + u)))
                fail_msg("scenario %zu trial %llu: corridor_unserved %.9g, unserved %.9g - %.9g", s,
                         (unsigned long long)t, cu, u, u0);
            added += cu;
            limit_h += results_at(lim, s, PK_CORRIDOR_LIMIT_HOURS, t)[0];
            /* 3 */
            const double ss = results_driver_at(lim, PK_D_SOUTH_SHARE, t)[0];
            const econ_network_t *nw = &e->network;
            assert_true(ss >= nw->south_demand_share[0] &&
                        ss <= nw->south_demand_share[nw->south_demand_share_count - 1]);
            const double ch = results_at(lim, s, PK_SHED_CONSUMER_HOURS, t)[0];
            const double cn = results_at(lim, s, PK_SHED_CONSUMER_HOURS_NORTH, t)[0];
            const double cs = results_at(lim, s, PK_SHED_CONSUMER_HOURS_SOUTH, t)[0];
            assert_true(fabs(ch - ((1 - ss) * cn + ss * cs)) <= 1e-9 * (1.0 + ch));
            const double h = results_at(lim, s, PK_SHED_HOURS, t)[0];
            const double hn = results_at(lim, s, PK_SHED_HOURS_NORTH, t)[0];
            const double hs = results_at(lim, s, PK_SHED_HOURS_SOUTH, t)[0];
            assert_true(h >= hn && h >= hs && h <= hn + hs);
        }
    assert_true(added > 0 && limit_h > 0);
    results_free(open);
    results_free(one);
    results_free(lim);
}

/*
 * Two islands (a corridor of 0 MW both ways) with all demand in the south:
 * each region can serve only its own load from its own units, so
 * 1. the hydro (all in the north, where there is no base demand) generates
 *    nothing in the baseline;
 * 2. each technology generates no more than its southern units can: their
 *    MW x the most of the class that is not out all year x hours;
 * 3. consumers are all southern: the north's consumer hours are 0 and the
 *    national ones are the south's, and the corridor (0 MW) is at its
 *    limit in every hour outside blackouts;
 * 4. with no hydro at all, islands shed strictly more than an open
 *    corridor (the north's thermal cannot reach the south).
 */
static void test_islands(void **st)
{
    scenario_t *sc = one_year(*st);
    econ_t *e = sc->econ;
    islands_all_south(e);
    const uint64_t N = tu_scaled(20);
    results_t *r = run(sc, N, 0);
    const size_t T = e->technologies_count;
    double south_mw[GR_MAX_TECHS] = {0}, all_mw[GR_MAX_TECHS] = {0};
    for (size_t u = 0; u < sc->n_units; ++u) {
        all_mw[sc->units[u].tech] += sc->units[u].capacity_mw;
        if (sc->units[u].region == GR_REGION_SOUTH)
            south_mw[sc->units[u].tech] += sc->units[u].capacity_mw;
    }
    const double H = (double)r->hours;
    for (uint64_t t = 0; t < N; ++t) {
        /* (rounding: the north's need is served - south load - 0, a few ulps) */
        assert_true(results_at(r, 0, PK_HYDRO_MWH, t)[0] <= 1e-6);
        const double *g = results_tech_at(r, RESULTS_TECH_GEN_MWH, 0, t);
        for (size_t c = 0; c < T; ++c) {
            const econ_tech_t *tc = &e->technologies[c];
            const double keep =
                tc->unavailable_mw_count ? 1.0 - tc->unavailable_mw[0] / all_mw[c] : 1.0;
            if (!(g[c] <= south_mw[c] * keep * H * (1 + 1e-9) + 1e-6))
                fail_msg("trial %llu: %s generates %.0f MWh, its southern units at most %.0f",
                         (unsigned long long)t, tc->name, g[c], south_mw[c] * keep * H);
        }
        /* the national merit order would send northern power south in
         * every hour; through 0 MW each region dispatches alone: the
         * corridor is at its limit in every hour outside blackouts */
        const double lim_h = results_at(r, 0, PK_CORRIDOR_LIMIT_HOURS, t)[0];
        const double bo_h = results_driver_at(r, PK_D_BLACKOUT_H, t)[0];
        if (lim_h != H - bo_h)
            fail_msg("trial %llu: corridor at its limit %g h of %g outside blackouts",
                     (unsigned long long)t, lim_h, H - bo_h);
        for (size_t s = 0; s < r->n_scen; ++s) {
            assert_true(results_at(r, s, PK_SHED_CONSUMER_HOURS_NORTH, t)[0] == 0.0);
            const double ch = results_at(r, s, PK_SHED_CONSUMER_HOURS, t)[0];
            assert_true(fabs(ch - results_at(r, s, PK_SHED_CONSUMER_HOURS_SOUTH, t)[0]) <=
                        1e-9 * (1.0 + ch));
        }
    }
    results_free(r);
    scen_unit_t *un = owned(*st, sc->n_units * sizeof *un); /* restore() puts the fleet back */
    memcpy(un, sc->units, sc->n_units * sizeof *un);
    for (size_t u = 0; u < sc->n_units; ++u)
        if (!strcmp(un[u].type, "hydro"))
            un[u].capacity_mw = 0.0;
    sc->units = un;
    r = run(sc, N, 0);
    e->relax_mask = 1u << SUPPLY_CORRIDOR;
    results_t *open = run(sc, N, 0);
    e->relax_mask = 0;
    double u_islands = 0, u_open = 0;
    for (uint64_t t = 0; t < N; ++t) {
        u_islands += unserved(r, 0, t);
        u_open += unserved(open, 0, t);
    }
    assert_true(u_islands > 1.01 * u_open);
    results_free(r);
    results_free(open);
}

static void test_energy_balance_and_fiscal_identity(void **st)
{
    scenario_t *sc = one_year(*st);
    results_t *r = run(sc, tu_scaled(60), 0);
    for (size_t s = 0; s < r->n_scen; ++s)
        for (uint64_t t = 0; t < r->trials; ++t) {
            double v[PK_N_METRICS];
            for (size_t m = 0; m < PK_N_METRICS; ++m)
                v[m] = results_at(r, s, m, t)[0];
            const double lhs = v[PK_SERVED_MWH];
            const double rhs = v[PK_DEMAND_MWH] - v[PK_UNSERVED_MWH] + v[PK_ALLOC_MWH];
            assert_true(fabs(lhs - rhs) < 1e-9 * lhs);
            assert_true(v[PK_THERMAL_MWH] + v[PK_HYDRO_MWH] <= v[PK_SERVED_MWH]);
            assert_true(v[PK_MINER_UPTIME] >= 0 && v[PK_MINER_UPTIME] <= 1);
            assert_true(v[PK_SHED_EVENTS] <= v[PK_SHED_HOURS]);
            assert_true(v[PK_SHED_HOURS] >= results_driver_at(r, PK_D_BLACKOUT_H, t)[0]);
            /* a blackout hour costs every consumer the hour; any other shed
             * hour costs the average consumer a share of it */
            assert_true(v[PK_SHED_CONSUMER_HOURS] >=
                        results_driver_at(r, PK_D_BLACKOUT_H, t)[0] - 1e-9);
            assert_true(v[PK_SHED_CONSUMER_HOURS] <= v[PK_SHED_HOURS] + 1e-9);
            assert_true((v[PK_SHED_CONSUMER_HOURS] > 0) == (v[PK_SHED_HOURS] > 0));
            assert_true(v[PK_MINER_MWH] <= v[PK_ALLOC_MWH]);
        }
    results_free(r);
}

/* Consumer-equivalent hours from a case solved by hand: a 1 MW
 * deliverable cap leaves base consumers all but 1 MW short every hour, so
 * every hour is a shed hour and each costs the average consumer
 * 1 - 1/B(h) of it (B is tens of GW): the year's total lies within 0.1% of
 * its hours. So in the allocation's scenario too, where miners_first sheds
 * the miners and then base and firm load pro rata: base consumers keep
 * B / (B + firm) of the 1 MW. Scaling the share, summing MW, counting
 * hours or taking the share of all demand (allocation included: about a tenth less)
 * fails here. */
static void test_consumer_hours_hand_solved(void **st)
{
    fx_t *f = *st;
    scenario_t *sc = one_year(f);
    sc->econ->deliverable_cap_mw = 1.0;
    sc->econ->blackouts.rate_per_year = 0.0;
    results_t *r = run(sc, 4, 0);
    const double H = (double)r->hours;
    assert_int_equal(r->n_scen, 2);
    for (size_t s = 0; s < r->n_scen; ++s)
        for (uint64_t t = 0; t < r->trials; ++t) {
            const double cons = results_at(r, s, PK_SHED_CONSUMER_HOURS, t)[0];
            assert_true(results_at(r, s, PK_SHED_HOURS, t)[0] == H);
            if (!(cons <= H && cons >= H * (1 - 1e-3)))
                fail_msg("scenario %zu: consumer hours %.6f, hours %.0f", s, cons, H);
        }
    results_free(r);
}

/* One run of test_fiscal_lines_from_inputs with the base tariff rebased by
 * rule rb and the blocks' by ra (cpi: 5%/yr); factor[r][y] is what the rule
 * makes of year y's tariff, from the inputs: 1, 1.05^y, or e^(0.1 y) for
 * usd (the rate of the month before year y, a deterministic 10%/yr GBM). */
static void fiscal_lines(fx_t *f, tariff_index_t rb, tariff_index_t ra)
{
    scenario_t *sc = f->sc;
    sc->horizon_years = 3;
    econ_t *e = sc->econ;
    e->fiscal.fuel_passthrough = 0.0;
    e->fiscal.td_losses = 0.2;
    e->fiscal.recovery = 0.9;
    e->fiscal.capacity_usd_share = 0.7;
    e->fiscal.tariff_indexation = rb;
    e->fiscal.alloc_tariff_indexation = ra;
    e->fiscal.cpi_per_year = 0.05;
    e->fx.drift = 0.1;
    e->fx.vol = 0.0;
    econ_block_t blk[] = {block("m", BLOCK_FLEXIBLE, 1500, 1.0, 5.0, 0.6),
                          block("dc", BLOCK_FIRM, 500, 0.8, 20.0, 0.75)};
    econ_scenario_t scen[] = {scenario("baseline", DISPATCH_MINERS_FIRST, NULL, 0),
                              scenario("blocks", DISPATCH_PRO_RATA, blk, 2)};
    set_scenarios(f, scen, 2);
    results_t *r = run(sc, tu_scaled(10), 0);
    const econ_fiscal_t *fi = &e->fiscal;
    const double factor[3][3] = {
        {1.0, 1.0, 1.0}, {1.0, 1.05, 1.05 * 1.05}, {1.0, exp(0.1), exp(0.2)}};
    double curtailed = 0;
    for (size_t s = 0; s < 2; ++s)
        for (uint64_t t = 0; t < r->trials; ++t)
            for (size_t y = 0; y < 3; ++y) {
                double v[PK_N_METRICS];
                for (size_t m = 0; m < PK_N_METRICS; ++m)
                    v[m] = results_at(r, s, m, t)[y];
                const double base_served_mwh = v[PK_DEMAND_MWH] - v[PK_UNSERVED_MWH];
                const double base_rev = base_served_mwh * (1.0 - 0.2) * fi->tariff_pkr_per_kwh *
                                        factor[rb][y] * 1000.0 * 0.9;
                TU_WITHIN_SE(v[PK_BASE_REVENUE_PKR], base_rev, 1e-12 * base_rev, 1.0);
                const double fx_year = results_driver_at(r, PK_D_FX, t)[y];
                const double cap =
                    fi->capacity_payments_pkr * (0.3 + 0.7 * fx_year / e->fx.start_pkr_per_usd);
                assert_true(fx_year > (1.03 + 0.1 * (double)y) * e->fx.start_pkr_per_usd);
                TU_WITHIN_SE(v[PK_CAPACITY_PKR], cap, 1e-3 * cap, 1.0);
                const double alloc_rev =
                    (v[PK_MINER_MWH] * 5.0 * 1000.0 * 0.6 +
                     (v[PK_ALLOC_MWH] - v[PK_MINER_MWH]) * 20.0 * 1000.0 * 0.75) *
                    factor[ra][y];
                TU_WITHIN_SE(v[PK_ALLOC_REVENUE_PKR], alloc_rev, 1e-9 * (1.0 + alloc_rev), 1.0);
                /* miners run in the first year (5 PKR/kWh pays); the later
                 * ones may not pay after the 2028 halving */
                assert_true(s == 0 ? v[PK_ALLOC_MWH] == 0.0 : y > 0 || v[PK_MINER_MWH] > 0.0);
                assert_true(v[PK_MINER_CURTAILED_MWH] >= 0.0);
                curtailed += v[PK_MINER_CURTAILED_MWH];
                TU_WITHIN_SE(v[PK_UNSERVED_COST_USD],
                             v[PK_UNSERVED_MWH] * fi->voll_usd_per_kwh * 1e3,
                             1e-12 * (1.0 + v[PK_UNSERVED_COST_USD]), 1.0);
                const double net = v[PK_GEN_COST_PKR] + v[PK_CAPACITY_PKR] - base_rev - alloc_rev;
                TU_WITHIN_SE(v[PK_NET_FISCAL_PKR], net, 1e-9 * fabs(net) + 1.0, 1.0);
                TU_WITHIN_SE(v[PK_NET_FISCAL_USD] * fx_year, v[PK_NET_FISCAL_PKR],
                             1e-3 * fabs(net) + 1.0, 1.0);
                /* the IMF view: the blocks' energy at the average cost of
                 * supply (capacity from the inputs) less their revenue from
                 * the inputs; they pay 5 and 20 PKR/kWh, well below it */
                const double avg = (v[PK_GEN_COST_PKR] + cap) / v[PK_SERVED_MWH];
                const double imf = v[PK_ALLOC_MWH] * avg - alloc_rev;
                TU_WITHIN_SE(v[PK_IMF_SUBSIDY_PKR], imf, 1e-3 * fabs(imf) + 1.0, 1.0);
                assert_true(s == 0 ? v[PK_IMF_SUBSIDY_PKR] == 0.0
                                   : v[PK_IMF_SUBSIDY_PKR] >
                                         v[PK_ALLOC_MWH] * (avg - 20.0 * 1000.0 * factor[ra][y]));
            }
    assert_true(curtailed > 0.0); /* some mining was shed: the identity above saw it */
    results_free(r);
}

/*
 * The fiscal lines from the inputs, not from the formula the code uses: with
 * no fuel-cost pass-through the base tariff is flat, so base revenue is the
 * base energy served (demand - unserved, both stored) x (1 - T&D losses) x
 * tariff x recovery; with a deterministic exchange rate (drift, no
 * volatility) capacity payments are the input with its USD share indexed
 * to the year's rate (the driver's annual mean: monthly, not hour-weighted
 * as the model's, so to 1e-3); each block's revenue is its energy x its
 * tariff x its recovery (mining: the miners' energy, firm: the rest of the
 * allocation's); unserved energy costs VOLL per kWh; the net cost in USD is
 * the PKR figure at the year's rate; the IMF view prices the blocks' energy
 * at the average cost of supply, capacity included. Every year of three (a
 * later year must use its own months and hours), with the tariffs kept
 * nominal, and rebased by cpi and usd rules each way round (issue 16). Dropping the T&D losses, the
 * recovery, the USD indexation or a x1000 fails here, and so does billing
 * curtailed miners.
 */
static void test_fiscal_lines_from_inputs(void **st)
{
    fiscal_lines(*st, TARIFF_NOMINAL, TARIFF_NOMINAL);
    fiscal_lines(*st, TARIFF_CPI, TARIFF_USD);
    fiscal_lines(*st, TARIFF_USD, TARIFF_CPI);
}

/* With no weather anomaly, base demand is the year's demand level x the
 * load profile, in each year of two (the second year reads its own hours). */
static void test_demand_follows_level(void **st)
{
    fx_t *f = *st;
    scenario_t *sc = f->sc;
    sc->horizon_years = 2;
    sc->econ->demand.weather_sd = 0.0;
    /* and no captive load or rooftop erosion (they change demand too) */
    sc->econ->demand.captive_mw_count = 0;
    sc->econ->demand.btm_erosion_mean = sc->econ->demand.btm_erosion_sd = 0.0;
    double profile_mwh = 0;
    for (size_t h = 0; h < sc->hours; ++h)
        profile_mwh += sc->load_mw[h];
    results_t *r = run(sc, tu_scaled(4), 0);
    for (uint64_t t = 0; t < r->trials; ++t) {
        const double *level = results_driver_at(r, PK_D_DEMAND, t);
        assert_true(level[1] != level[0]);
        for (size_t y = 0; y < 2; ++y)
            TU_WITHIN_SE(results_at(r, 0, PK_DEMAND_MWH, t)[y], level[y] * profile_mwh,
                         1e-9 * profile_mwh, 1.0);
    }
    results_free(r);
}

/* A year without base demand (and no blocks): nothing is generated,
 * billed or shed, each month's fuel cost per kWh is 0 (not 0 / 0), the
 * state still pays its capacity payments, and the IMF view is 0, not the
 * average cost of supplying nothing. */
static void test_year_without_demand(void **st)
{
    fx_t *f = *st;
    scenario_t *sc = one_year(f);
    sc->load_mw = owned(f, sc->hours * sizeof *sc->load_mw);
    sc->econ->demand.captive_mw_count = 0; /* captive load is demand too */
    const econ_scenario_t scen[] = {scenario("baseline", DISPATCH_MINERS_FIRST, NULL, 0)};
    set_scenarios(f, scen, 1);
    results_t *r = run(sc, tu_scaled(2), 0);
    for (uint64_t t = 0; t < r->trials; ++t) {
        const double *v[PK_N_METRICS];
        for (size_t m = 0; m < PK_N_METRICS; ++m)
            v[m] = results_at(r, 0, m, t);
        assert_true(v[PK_SERVED_MWH][0] == 0.0 && v[PK_GEN_COST_PKR][0] == 0.0);
        assert_true(v[PK_BASE_REVENUE_PKR][0] == 0.0 && v[PK_SHED_HOURS][0] == 0.0);
        assert_true(v[PK_SHED_CONSUMER_HOURS][0] == 0.0); /* not 0 / 0 */
        assert_true(v[PK_NET_FISCAL_PKR][0] == v[PK_CAPACITY_PKR][0]);
        assert_true(v[PK_CAPACITY_PKR][0] > 0.0);
        assert_true(v[PK_IMF_SUBSIDY_PKR][0] == 0.0); /* not 0 x capacity / 0 */
    }
    results_free(r);
}

/* Checks that generation and cost by technology add up (below). */
static void check_by_technology(const scenario_t *sc, const results_t *r);

/* A fleet with no must-run, wind or solar units: no fixed supply in any
 * hour, so no share of it is curtailed (not 0 / 0), and generation and its
 * cost by technology still add up. */

static void test_fleet_without_fixed_supply(void **st)
{
    fx_t *f = *st;
    scenario_t *sc = one_year(f);
    scen_unit_t *u = owned(f, sc->n_units * sizeof *u);
    size_t n = 0;
    double mw = 0;
    for (size_t i = 0; i < sc->n_units; ++i) {
        const tech_kind_t k = sc->econ->technologies[sc->units[i].tech].kind;
        if (k == TECH_MUST_RUN || k == TECH_WIND || k == TECH_SOLAR)
            continue;
        u[n++] = sc->units[i];
        mw += sc->units[i].capacity_mw;
    }
    assert_true(n > 0 && n < sc->n_units);
    sc->units = u;
    sc->n_units = n;
    sc->capacity_mw = mw;
    /* both kernels: the default takes a short hour's dispatch from the
     * settling pass, --kernel events works every hour out one at a time
     * (the same bits) */
    results_t *r = run(sc, tu_scaled(4), 0);
    results_t *ev = run_kernel(sc, tu_scaled(4), 0, SIM_KERNEL_EVENTS);
    check_by_technology(sc, r);
    for (uint64_t t = 0; t < r->trials; ++t)
        assert_true(isfinite(results_at(r, 0, PK_GEN_COST_PKR, t)[0]) &&
                    isfinite(results_at(ev, 0, PK_GEN_COST_PKR, t)[0]));
    assert_same_bits(r, ev, "a fleet without fixed supply");
    results_free(ev);
    results_free(r);
}

/* The largest fleet the schema accepts (GR_MAX_TECHS technologies): the
 * bundled one with copies of its gas technology, none with a unit, added
 * up to the limit. They generate and cost nothing, and every metric is as
 * without them, to the bit (they load after gas in the merit order, at
 * 0 MW). Under AddressSanitizer (make asan, and mutate.sh's last command)
 * a per-technology loop that runs one past the count fails here. */
static void test_largest_fleet(void **st)
{
    fx_t *f = *st;
    scenario_t *sc = one_year(f);
    results_t *r0 = run(sc, 4, 0);
    econ_t *e = sc->econ;
    const unsigned n0 = e->technologies_count;
    assert_true(n0 < GR_MAX_TECHS);
    econ_tech_t *tech = owned(f, GR_MAX_TECHS * sizeof *tech);
    char *names = owned(f, GR_MAX_TECHS * 16);
    memcpy(tech, e->technologies, n0 * sizeof *tech);
    for (unsigned k = n0; k < GR_MAX_TECHS; ++k) {
        tech[k] = e->technologies[tech_index(sc, "gas")];
        tech[k].name = names + 16 * k;
        snprintf(tech[k].name, 16, "gas_%u", k);
    }
    e->technologies = tech;
    e->technologies_count = GR_MAX_TECHS;
    results_t *r = run(sc, 4, 0);
    assert_int_equal(r->tech.n, GR_MAX_TECHS);
    for (size_t s = 0; s < r->n_scen; ++s)
        for (uint64_t t = 0; t < r->trials; ++t) {
            for (size_t m = 0; m < PK_N_METRICS; ++m)
                if (results_at(r, s, m, t)[0] != results_at(r0, s, m, t)[0])
                    fail_msg("scenario %zu, trial %d: %s %.17g, %.17g without the extra "
                             "technologies",
                             s, (int)t, pk_metrics[m].name, results_at(r, s, m, t)[0],
                             results_at(r0, s, m, t)[0]);
            for (int q = 0; q < 2; ++q) {
                const size_t what = q ? RESULTS_TECH_COST_PKR : RESULTS_TECH_GEN_MWH;
                const double *x = results_tech_at(r, what, s, t);
                const double *x0 = results_tech_at(r0, what, s, t);
                for (unsigned k = 0; k < GR_MAX_TECHS; ++k)
                    assert_true(x[k] == (k < n0 ? x0[k] : 0.0));
            }
        }
    results_free(r0);
    results_free(r);
}

/* Hydro shaves the net load (demand - fixed supply): a block of constant
 * power shifts that load, and the water level, by a constant, so with ample
 * thermal supply hydro runs in the same hours for the same energy whatever
 * the block (20 GW firm, or 20 GW of mining that always pays), to
 * rounding; and, never running above the net load, it uses the budget the
 * hydro factor gives (no month spills here), even with 15 GW more solar
 * (midday's net load is then small: hydro scheduled on demand + solar
 * would not fit there). */
static void test_hydro_shaves_net_load(void **st)
{
    fx_t *f = *st;
    scenario_t *sc = ample(f);
    add_unit(f, "sun", "solar", 15000.0, 1.0);
    econ_block_t firm = block("dc", BLOCK_FIRM, 20000, 1.0, 20.0, 1.0);
    econ_block_t flex = block("m", BLOCK_FLEXIBLE, 20000, 1.0, 5.0, 1.0);
    const econ_scenario_t scen[] = {scenario("baseline", DISPATCH_MINERS_FIRST, NULL, 0),
                                    scenario("firm", DISPATCH_PRO_RATA, &firm, 1),
                                    scenario("mining", DISPATCH_PRO_RATA, &flex, 1)};
    set_scenarios(f, scen, 3);
    results_t *r = run(sc, tu_scaled(4), 0);
    for (uint64_t t = 0; t < r->trials; ++t) {
        const double budget = results_driver_at(r, PK_D_HYDRO, t)[0] * sc->econ->hydro.annual_mwh;
        const double h0 = results_at(r, 0, PK_HYDRO_MWH, t)[0];
        TU_WITHIN_SE(h0, budget, 1e-9 * budget, 1.0);
        for (size_t s = 1; s < 3; ++s)
            TU_WITHIN_SE(results_at(r, s, PK_HYDRO_MWH, t)[0], h0, 1e-9 * h0, 1.0);
    }
    results_free(r);
}

/* Hydro in the hour of the year's peak base demand (hydro_peak_hour_mw):
 * with a twentieth of the bundled water, hydro shaves the net load at a
 * high level, and one November hour whose load is half again the year's
 * highest is the peak (its place in the month not a multiple of 8, the
 * month's maximum's lanes); hydro runs there at its hour's capacity, its largest
 * output of the year and no other hour's (the month's water left for the
 * others is a few GW at most). So hydro_peak_hour_mw is hydro_max_mw, well
 * above the year's mean: another hour's hydro would be less. A December
 * hour ties with it (no weather: the same base demand), in a month without
 * hydro: the peak is the first. */
static void test_hydro_at_peak_hour(void **st)
{
    fx_t *f = *st;
    scenario_t *sc = ample(f);
    sc->econ->hydro.annual_mwh *= 0.05;
    double *load = owned(f, sc->hours * sizeof *load), top = 0.0;
    for (size_t h = 0; h < sc->hours; ++h) {
        load[h] = sc->load_mw[h];
        top = load[h] > top ? load[h] : top;
    }
    load[7296 + 403] = 1.5 * top;      /* November's 404th hour */
    load[8016 + 403] = 1.5 * top;      /* December's, with no hydro */
    sc->econ->demand.weather_sd = 0.0; /* so the two hours' base demand ties */
    sc->load_mw = load;
    econ_tech_t *tk = owned_techs(f);
    static double no_december[12] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0};
    tk[tech_index(sc, "hydro")].monthly_availability = no_december;
    tk[tech_index(sc, "hydro")].monthly_availability_count = 12;
    results_t *r = run(sc, tu_scaled(4), 0);
    for (size_t s = 0; s < r->n_scen; ++s)
        for (uint64_t t = 0; t < r->trials; ++t) {
            const double at_peak = results_at(r, s, PK_HYDRO_PEAK_HOUR_MW, t)[0];
            const double top_mw = results_at(r, s, PK_HYDRO_MAX_MW, t)[0];
            const double mean_mw = results_at(r, s, PK_HYDRO_MWH, t)[0] / (double)sc->hours;
            assert_true(at_peak == top_mw);
            assert_true(top_mw > 3.0 * mean_mw);
        }
    results_free(r);
}

/* Bench's profile of a run (pk_times_t): each part's time is >= 0 and
 * together they take no longer than the run (one thread). */
static void test_profile_times_bounded(void **st)
{
    scenario_t *sc = one_year(*st);
    const sim_opts_t o = {.seed = 1, .trials = 4, .threads = 1, .kernel = SIM_KERNEL_FAST};
    results_t *r = NULL;
    pk_times_t tm;
    gr_err_t err = {0, {0}};
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    assert_int_equal(pk_run(sc, &o, &r, &tm, &err), 0);
    clock_gettime(CLOCK_MONOTONIC, &b);
    const double wall = (double)(b.tv_sec - a.tv_sec) + 1e-9 * (double)(b.tv_nsec - a.tv_nsec);
    assert_true(tm.drivers_s >= 0 && tm.outages_s >= 0 && tm.hydro_s >= 0 && tm.hourly_s >= 0);
    assert_true(tm.hydro_s > 0 && tm.hourly_s > 0);
    if (tm.drivers_s + tm.outages_s + tm.hydro_s + tm.hourly_s > wall)
        fail_msg("profile %g + %g + %g + %g s, run %g s", tm.drivers_s, tm.outages_s, tm.hydro_s,
                 tm.hourly_s, wall);
    results_free(r);
}

/* With the whole fuel cost passed through (pass-through 1, no losses,
 * everything paid), base consumers pay the tariff plus each month's fuel
 * cost per kWh generated less the reference: with no allocated blocks they
 * use all that is generated, so their revenue is the generation cost plus
 * their energy x (tariff - reference), here 3 - 5 PKR/kWh (to rounding).
 * With an allocation, base consumers pay the baseline's adjustment of each
 * month (the cost of supplying them without it), so they pay the same
 * tariff for less or equal energy: their revenue is at most the baseline's.
 * In the second year tariff and reference are both rebased by 25% (cpi), so
 * (tariff - reference) is too, while the fuel cost passes through as it is.
 * Flipping the sign of either term of the fuel adjustment, pricing it per
 * MWh, or rebasing only one of the two fails here. */
static void test_fuel_passthrough_recovers_fuel_cost(void **st)
{
    fx_t *f = *st;
    scenario_t *sc = f->sc;
    sc->horizon_years = 2;
    econ_fiscal_t *fi = &sc->econ->fiscal;
    fi->fuel_passthrough = 1.0;
    fi->ref_fuel_cost_pkr_per_kwh = 5.0;
    fi->tariff_pkr_per_kwh = 3.0;
    fi->td_losses = 0.0;
    fi->recovery = 1.0;
    fi->tariff_indexation = TARIFF_CPI;
    fi->cpi_per_year = 0.25;
    econ_block_t blk[] = {block("dc", BLOCK_FIRM, 2000, 1.0, 20.0, 1.0)};
    econ_scenario_t scen[] = {scenario("baseline", DISPATCH_MINERS_FIRST, NULL, 0),
                              scenario("firm", DISPATCH_PRO_RATA, blk, 1)};
    set_scenarios(f, scen, 2);
    results_t *r = run(sc, tu_scaled(20), 0);
    for (uint64_t t = 0; t < r->trials; ++t)
        for (size_t y = 0; y < 2; ++y) {
            const double cost = results_at(r, 0, PK_GEN_COST_PKR, t)[y];
            const double rev = results_at(r, 0, PK_BASE_REVENUE_PKR, t)[y];
            const double base_mwh =
                results_at(r, 0, PK_DEMAND_MWH, t)[y] - results_at(r, 0, PK_UNSERVED_MWH, t)[y];
            const double want = cost + base_mwh * (3.0 - 5.0) * (y ? 1.25 : 1.0) * 1000.0;
            assert_true(cost > 0.0 && want > 0.0);
            TU_WITHIN_SE(rev, want, 1e-9 * want, 1.0);
            const double rev1 = results_at(r, 1, PK_BASE_REVENUE_PKR, t)[y];
            const double base1 =
                results_at(r, 1, PK_DEMAND_MWH, t)[y] - results_at(r, 1, PK_UNSERVED_MWH, t)[y];
            assert_true(base1 <= base_mwh && rev1 <= rev * (1.0 + 1e-12) && rev1 > 0.5 * rev);
        }
    results_free(r);
}

/* The allocation's fuel is not charged to base consumers (issue 16): on an
 * ample system (40 GW of spare gas, nothing shed) the allocation burns more
 * fuel at the top of the merit order, but base consumers get the same
 * energy at the same tariff as without it, so their revenue is the
 * baseline's to rounding, and the state's books carry the allocation's fuel
 * against its own revenue: the change in net fiscal cost is the change in
 * generation cost less the allocation's revenue. Computing the adjustment
 * on all generation (the allocation's included) fails here. */
static void test_fca_leaves_allocation_out(void **st)
{
    scenario_t *sc = ample(*st);
    sc->econ->fiscal.fuel_passthrough = 1.0;
    results_t *r = run(sc, tu_scaled(10), 0);
    for (uint64_t t = 0; t < r->trials; ++t) {
        const double rev0 = results_at(r, 0, PK_BASE_REVENUE_PKR, t)[0];
        const double rev1 = results_at(r, 1, PK_BASE_REVENUE_PKR, t)[0];
        assert_true(results_at(r, 1, PK_UNSERVED_MWH, t)[0] ==
                    results_at(r, 0, PK_UNSERVED_MWH, t)[0]);
        TU_WITHIN_SE(rev1, rev0, 1e-12 * rev0, 1.0);
        const double dcost =
            results_at(r, 1, PK_GEN_COST_PKR, t)[0] - results_at(r, 0, PK_GEN_COST_PKR, t)[0];
        const double dnet =
            results_at(r, 1, PK_NET_FISCAL_PKR, t)[0] - results_at(r, 0, PK_NET_FISCAL_PKR, t)[0];
        const double arev = results_at(r, 1, PK_ALLOC_REVENUE_PKR, t)[0];
        assert_true(dcost > 0.0 && arev > 0.0);
        TU_WITHIN_SE(dnet, dcost - arev, 1e-9 * (dcost + arev), 1.0);
    }
    results_free(r);
}

/* A still world for the miners: Bitcoin at 90,000 USD and the exchange rate
 * fixed, and the network at 1,100 EH/s with its cost exactly the start's
 * hashprice (R / (1000 x 1100) USD/PH/day, R = 3.125 / 0.98 x 144 x 90,000
 * USD/day), no noise and no fall: the hashrate never moves. At 20 J/TH the
 * network pays 78.27 USD/MWh (test_drivers); a fleet of F MW adds F / 20
 * EH/s when it mines and earns 78.27 x 1100 / (1100 + F / 20). */
static void hold_network(fx_t *f, econ_t *e)
{
    e->bitcoin.process = (drv_btc_t){90000, 0, 0, 0, 0, 0};
    e->fx.drift = 0.0;
    e->fx.vol = 0.0;
    econ_btc_t *b = &e->bitcoin;
    b->hashrate_start_ehs = 1100;
    b->hashrate_vol = 0;
    b->efficiency_j_per_th = 20;
    double *v = owned(f, 4 * sizeof *v);
    v[0] = 20; /* J/TH; then USD/MWh; then no fall; then no capital (one target) */
    v[1] = pk_reward_usd_per_day(b, 0, 90000) / (1000.0 * 1100) / (0.024 * 20);
    v[2] = v[3] = 0;
    b->network_capital_usd_per_ph_day = v + 3;
    b->network_capital_usd_per_ph_day_count = 1;
    b->network_efficiency_j_per_th = v;
    b->network_power_usd_per_mwh = v + 1;
    b->network_efficiency_gain = v + 2;
    b->network_efficiency_j_per_th_count = b->network_power_usd_per_mwh_count =
        b->network_efficiency_gain_count = 1;
}

/* hold_network's still world with ample supply, miners bearing 400 USD per
 * MW and day idle or not, and two scenarios: the baseline and a 1,000 MW
 * flexible block at 15 PKR/kWh (its block is the test's to change). */
static scenario_t *mining_fleet(fx_t *f)
{
    scenario_t *sc = ample(f);
    hold_network(f, sc->econ);
    sc->econ->bitcoin.idle_cost_usd_per_mw_day = 400;
    econ_block_t *blk = owned(f, sizeof *blk);
    *blk = block("m", BLOCK_FLEXIBLE, 1000, 1.0, 15.0, 1.0);
    const econ_scenario_t scen[] = {scenario("baseline", DISPATCH_MINERS_FIRST, NULL, 0),
                                    scenario("m", DISPATCH_MINERS_FIRST, blk, 1)};
    set_scenarios(f, scen, 2);
    return sc;
}

/* The miners' decision follows the rebased tariff (issue 16): in the still
 * world of hold_network, a 1,000 MW fleet (50 EH/s) earns 78.27 x 1100 /
 * 1150 = 74.87 USD/MWh; at 15 PKR/kWh and 281.4 PKR/USD the block pays 53.3
 * + 5 (opex) = 58.3 USD/MWh and mines every day of the first year; the cpi
 * rule at 100% doubles the tariff in the second (111.6 USD/MWh) and it
 * mines on none. Without the rebasing in the decision the block would mine
 * in both years and be billed at the doubled tariff. */
static void test_miners_follow_rebased_tariff(void **st)
{
    scenario_t *sc = mining_fleet(*st);
    sc->horizon_years = 2;
    sc->econ->fiscal.alloc_tariff_indexation = TARIFF_CPI;
    sc->econ->fiscal.cpi_per_year = 1.0;
    results_t *r = run(sc, tu_scaled(4), 0);
    for (uint64_t t = 0; t < r->trials; ++t) {
        TU_WITHIN_SE(results_at(r, 1, PK_MINER_UPTIME, t)[0], 1.0, 1e-12, 1.0);
        assert_true(results_at(r, 1, PK_MINER_MWH, t)[1] == 0.0);
        assert_true(results_at(r, 1, PK_ALLOC_REVENUE_PKR, t)[1] == 0.0);
    }
    results_free(r);
}

/* The fiscal accounts of a system small enough to solve by hand (issue 16):
 * one 600 MW gas unit (10 MMBtu/MWh x 6 USD/MMBtu = 60 USD/MWh) and one
 * 800 MW coal unit (10 MMBtu/MWh x 100 USD/t / 25 MMBtu/t = 40 USD/MWh)
 * that never fail, a flat 1,000 MW load, prices and the exchange rate
 * (280 PKR/USD) fixed, no hydro, weather, growth or blackouts: every hour,
 * and so every month, of a year is the same. Tariff 30 PKR/kWh with half
 * the fuel cost above 10 PKR/kWh passed through, T&D losses 20%, recovery
 * 90%, capacity payments PKR 1 bn a year (half USD-indexed), VOLL 1.5
 * USD/kWh. Scenarios: the baseline; a 200 MW firm block at 20 PKR/kWh,
 * recovery 95%; a 600 MW firm block, same terms, shed pro rata. Three
 * years: from the second the rupee is at 350, the base tariff is rebased
 * by 10% CPI inflation a year and the blocks' with the rupee.
 * Every expected value is worked out in the comments from these numbers
 * alone (8,760 hours a year), for each year and each month; the test fails
 * when any fiscal line changes. */
/* The block kinds on the hand system (1,400 MW that never fail, a flat
 * 1,000 MW load), one year, by hand:
 *  - an interruptible 500 MW block (20 PKR/kWh, backup at 100 USD/MWh):
 *    demand 1,500 against 1,400, so it loses 100 MW every hour, under every
 *    policy, and base consumers nothing: 876,000 MWh curtailed, 87.6 M USD
 *    of backup, 400 x 8,760 = 3,504,000 MWh served to it, 70.08 bn PKR paid;
 *  - a firm 600 MW block off in hours [18, 22) (pro rata): in the other 20
 *    hours of a day demand is 1,600, 200 short, base losing 200 x 1,000 /
 *    1,600 = 125 MW and the block 75 MW: 7,300 shed hours, 7,300 x 0.125 =
 *    912.5 consumer-equivalent hours, 7,300 x 525 = 3,832,500 MWh to the
 *    block; the window [22, 2) wrapping past midnight, also four hours off,
 *    gives the same. */
static void test_block_kinds_by_hand(void **st)
{
    fx_t *f = *st;
    char path[512];
    hand_system_files(f->dir);
    tu_write(
        f->dir, "kinds.yaml",
        "name: kinds\nhorizon_years: 1\nload: {profile_csv: hand_load.csv, peak_mw: 1000}\n"
        "units: {csv: hand_units.csv}\n"
        "economics:\n  renewables_csv: hand_ren.csv\n" HAND_TECHS_YAML TEST_BITCOIN_YAML
            HAND_STILL_YAML HAND_FISCAL_YAML
        "scenarios:\n  - {name: baseline, priority: pro_rata}\n"
        "  - name: intr_pro\n    priority: pro_rata\n    blocks:\n"
        "      - {name: i, kind: interruptible, mw: 500, tariff_pkr_per_kwh: 20, recovery: 1,\n"
        "         backup_usd_per_mwh: 100}\n"
        "  - name: intr_firm\n    priority: firm_allocation\n    blocks:\n"
        "      - {name: i, kind: interruptible, mw: 500, tariff_pkr_per_kwh: 20, recovery: 1,\n"
        "         backup_usd_per_mwh: 100}\n"
        "  - name: intr_miners\n    priority: miners_first\n    blocks:\n"
        "      - {name: i, kind: interruptible, mw: 500, tariff_pkr_per_kwh: 20, recovery: 1,\n"
        "         backup_usd_per_mwh: 100}\n"
        "  - name: offpeak\n    priority: pro_rata\n    blocks:\n"
        "      - {name: o, kind: firm, mw: 600, tariff_pkr_per_kwh: 20, recovery: 1,\n"
        "         off_hours: [18, 22]}\n"
        "  - name: offpeak_wrap\n    priority: pro_rata\n    blocks:\n"
        "      - {name: o, kind: firm, mw: 600, tariff_pkr_per_kwh: 20, recovery: 1,\n"
        "         off_hours: [22, 2]}\n",
        path, sizeof path);
    scenario_t *sc = NULL;
    gr_err_t err = {0, {0}};
    if (scenario_load(path, &sc, &err))
        fail_msg("%s", err.msg);
    results_t *r = run(sc, 2, 0);
    for (uint64_t t = 0; t < r->trials; ++t) {
        for (size_t s = 1; s <= 3; ++s) {
#define AT(m) results_at(r, s, m, t)[0]
            TU_WITHIN_SE(AT(PK_INTR_CURTAILED_MWH), 876000.0, 1e-6, 1.0);
            TU_WITHIN_SE(AT(PK_BACKUP_COST_USD), 87.6e6, 1e-3, 1.0);
            TU_WITHIN_SE(AT(PK_ALLOC_MWH), 3504000.0, 1e-6, 1.0);
            TU_WITHIN_SE(AT(PK_ALLOC_REVENUE_PKR), 70.08e9, 1e-2, 1.0);
            assert_true(AT(PK_SHED_HOURS) == 0.0 && AT(PK_UNSERVED_MWH) == 0.0);
            assert_true(AT(PK_MINER_MWH) == 0.0 && AT(PK_MINER_CURTAILED_MWH) == 0.0);
        }
        for (size_t s = 4; s <= 5; ++s) {
            TU_WITHIN_SE(AT(PK_SHED_HOURS), 7300.0, 1e-9, 1.0);
            TU_WITHIN_SE(AT(PK_SHED_CONSUMER_HOURS), 912.5, 1e-9, 1.0);
            TU_WITHIN_SE(AT(PK_UNSERVED_MWH), 7300.0 * 125.0, 1e-6, 1.0);
            TU_WITHIN_SE(AT(PK_ALLOC_MWH), 3832500.0, 1e-6, 1.0);
            assert_true(AT(PK_INTR_CURTAILED_MWH) == 0.0 && AT(PK_BACKUP_COST_USD) == 0.0);
#undef AT
        }
    }
    results_free(r);
    scenario_free(sc);
}

static void test_fiscal_accounts_by_hand(void **st)
{
    fx_t *f = *st;
    char path[512];
    hand_system_files(f->dir);
    /* the rupee: 280 in the first year, 350 after (a replay's
     * observed column; the fuel prices stay at their fixed paths) */
    char obs[36 * 8 + 16] = "pkr_per_usd\n";
    for (int m = 0; m < 36; ++m)
        strcat(obs, m < 12 ? "280\n" : "350\n");
    tu_write(f->dir, "hand_fx.csv", obs, path, sizeof path);
    tu_write(
        f->dir, "hand.yaml",
        "name: hand\nhorizon_years: 3\nload: {profile_csv: hand_load.csv, peak_mw: 1000}\n"
        "units: {csv: hand_units.csv}\n"
        "economics:\n  renewables_csv: hand_ren.csv\n  observed_csv: hand_fx.csv\n" HAND_TECHS_YAML
            TEST_BITCOIN_YAML HAND_STILL_YAML
        "  fiscal: {capacity_payments_pkr: 1e9, capacity_usd_share: 0.5,\n"
        "           tariff_pkr_per_kwh: 30, fuel_passthrough: 0.5,\n"
        "           ref_fuel_cost_pkr_per_kwh: 10, td_losses: 0.2, recovery: 0.9,\n"
        "           voll_usd_per_kwh: 1.5, tariff_indexation: cpi,\n"
        "           alloc_tariff_indexation: usd, cpi_per_year: 0.1}\n"
        "scenarios:\n  - {name: baseline, priority: pro_rata}\n"
        "  - name: dc\n    priority: pro_rata\n    blocks:\n"
        "      - {name: d, kind: firm, mw: 200, tariff_pkr_per_kwh: 20, recovery: 0.95}\n"
        "  - name: big\n    priority: pro_rata\n    blocks:\n"
        "      - {name: b, kind: firm, mw: 600, tariff_pkr_per_kwh: 20, recovery: 0.95}\n",
        path, sizeof path);
    scenario_t *sc = NULL;
    gr_err_t err = {0, {0}};
    if (scenario_load(path, &sc, &err))
        fail_msg("%s", err.msg);
    results_t *r = run(sc, 2, 0);
    const double H = 8760;
    /* expected[scenario][metric]; 0 where not listed */
    double x[3][PK_N_METRICS] = {{0}};
    /* baseline: coal 800 MW at 40 + gas 200 MW at 60 = 44,000 USD/h;
     * x 8,760 x 280 = PKR 107.9232 bn. Fuel cost per kWh: 44,000 x 280 /
     * 1e6 = 12.32 PKR/kWh, so the tariff is 30 + 0.5 (12.32 - 10) = 31.16;
     * base revenue 8.76e6 MWh x 0.8 x 31,160 x 0.9 = PKR 196.532352 bn. */
    x[0][PK_DEMAND_MWH] = x[0][PK_SERVED_MWH] = x[0][PK_THERMAL_MWH] = 1000 * H;
    x[0][PK_GEN_COST_PKR] = 107.9232e9;
    x[0][PK_CAPACITY_PKR] = 1e9; /* 1e9 x (0.5 + 0.5 x 280 / 280) */
    x[0][PK_BASE_REVENUE_PKR] = 196.532352e9;
    x[0][PK_NET_FISCAL_PKR] = 107.9232e9 + 1e9 - 196.532352e9; /* -87.609152 bn */
    x[0][PK_NET_FISCAL_USD] = x[0][PK_NET_FISCAL_PKR] / 280;
    x[0][PK_BREAKEVEN_IMF] = 108.9232e9 / (1000 * H) / 1000; /* 12.4342 PKR/kWh */
    /* dc: 200 MW more, all from gas: 56,000 USD/h, PKR 137.3568 bn. Base
     * consumers pay the baseline's fuel cost (12.32): the same revenue. The
     * block pays 200 x 8,760 x 20,000 x 0.95 = PKR 33.288 bn. */
    memcpy(x[1], x[0], sizeof x[0]);
    x[1][PK_SERVED_MWH] = x[1][PK_THERMAL_MWH] = 1200 * H;
    x[1][PK_ALLOC_MWH] = 200 * H;
    x[1][PK_GEN_COST_PKR] = 137.3568e9;
    x[1][PK_ALLOC_REVENUE_PKR] = 33.288e9;
    x[1][PK_NET_FISCAL_PKR] = 137.3568e9 + 1e9 - 196.532352e9 - 33.288e9; /* -91.463552 bn */
    x[1][PK_NET_FISCAL_USD] = x[1][PK_NET_FISCAL_PKR] / 280;
    /* average cost of supply 138.3568e9 / 10.512e6 MWh = 13,161.80 PKR/MWh:
     * the block's energy at it less its revenue */
    x[1][PK_BREAKEVEN_IMF] = 138.3568e9 / (1200 * H) / 1000;
    x[1][PK_IMF_SUBSIDY_PKR] = 200 * H * 138.3568e9 / (1200 * H) - 33.288e9; /* -10.2285 bn */
    /* cash break-even: (33.288 - 91.463552 + 87.609152) bn / 1.752e9 kWh =
     * 16.8 PKR/kWh, the gas it burns (60 USD/MWh x 280) */
    x[1][PK_BREAKEVEN_CASH] = 16.8;
    /* big: 1,600 MW of demand, 1,400 of supply: 200 MW shed pro rata, 125
     * from base consumers (1000/1600) and 75 from the block, every hour.
     * Coal 800 x 40 + gas 600 x 60 = 68,000 USD/h: PKR 166.7904 bn. Base
     * revenue on 875 MW served: 7.665e6 x 0.8 x 31,160 x 0.9 = PKR
     * 171.965808 bn; the block's on 525 MW: 4.599e6 x 20,000 x 0.95 = PKR
     * 87.381 bn. Lost load 125 x 8,760 MWh x 1,500 USD/MWh. */
    x[2][PK_DEMAND_MWH] = 1000 * H;
    x[2][PK_SERVED_MWH] = x[2][PK_THERMAL_MWH] = 1400 * H;
    x[2][PK_UNSERVED_MWH] = 125 * H;
    x[2][PK_SHED_HOURS] = H;
    x[2][PK_SHED_CONSUMER_HOURS] = H * 0.125;
    x[2][PK_SHED_EVENTS] = 1;
    x[2][PK_SHED_MAX_MW] = 125;
    x[2][PK_ALLOC_MWH] = 525 * H;
    x[2][PK_GEN_COST_PKR] = 166.7904e9;
    x[2][PK_CAPACITY_PKR] = 1e9;
    x[2][PK_BASE_REVENUE_PKR] = 171.965808e9;
    x[2][PK_ALLOC_REVENUE_PKR] = 87.381e9;
    x[2][PK_NET_FISCAL_PKR] = 166.7904e9 + 1e9 - 171.965808e9 - 87.381e9; /* -91.556408 bn */
    x[2][PK_NET_FISCAL_USD] = x[2][PK_NET_FISCAL_PKR] / 280;
    x[2][PK_UNSERVED_COST_USD] = 125 * H * 1500; /* USD 1.6425 bn */
    x[2][PK_BREAKEVEN_IMF] = 167.7904e9 / (1400 * H) / 1000;
    x[2][PK_IMF_SUBSIDY_PKR] = 525 * H * 167.7904e9 / (1400 * H) - 87.381e9;
    /* (87.381 - 91.556408 + 87.609152) bn / 4.599e9 kWh = 18.1416... */
    x[2][PK_BREAKEVEN_CASH] = (87.381e9 - 91.556408e9 + 87.609152e9) / (525 * H * 1000);
    x[2][PK_SHED_HOURS_NORTH] = x[2][PK_SHED_HOURS];
    x[2][PK_SHED_CONSUMER_HOURS_NORTH] = x[2][PK_SHED_CONSUMER_HOURS];
    /* the second year: the rupee at 350; the base tariff rebased by CPI, x
     * 1.1 (its reference fuel cost too), the blocks' by the rupee of the
     * month before the year, 280 / 280: still 20 PKR/kWh. Fuel: baseline
     * 44,000 USD/h x 350 x 8,760 = PKR 134.904 bn, 15.4 PKR/kWh, so base
     * consumers pay 33 + 0.5 (15.4 - 11) = 35.2 PKR/kWh. Capacity payments
     * 1e9 x (0.5 + 0.5 x 350 / 280) = PKR 1.125 bn. Big's shortfall began
     * in the first year: no new event. */
    double x2[3][PK_N_METRICS];
    memcpy(x2, x, sizeof x);
    for (size_t s = 0; s < 3; ++s) {
        x2[s][PK_CAPACITY_PKR] = 1.125e9;
        x2[s][PK_BASE_REVENUE_PKR] = 222.01344e9; /* 8.76e6 x 0.8 x 35,200 x 0.9 */
    }
    x2[2][PK_BASE_REVENUE_PKR] = 194.26176e9; /* 7.665e6 x 0.8 x 35,200 x 0.9 */
    x2[0][PK_GEN_COST_PKR] = 134.904e9;
    x2[1][PK_GEN_COST_PKR] = 171.696e9;                           /* 56,000 x 350 x 8,760 */
    x2[2][PK_GEN_COST_PKR] = 208.488e9;                           /* 68,000 x 350 x 8,760 */
    x2[0][PK_NET_FISCAL_PKR] = 134.904e9 + 1.125e9 - 222.01344e9; /* -85.98444 */
    x2[1][PK_NET_FISCAL_PKR] = 171.696e9 + 1.125e9 - 222.01344e9 - 33.288e9; /* -82.48044 */
    x2[2][PK_NET_FISCAL_PKR] = 208.488e9 + 1.125e9 - 194.26176e9 - 87.381e9; /* -72.02976 */
    for (size_t s = 0; s < 3; ++s)
        x2[s][PK_NET_FISCAL_USD] = x2[s][PK_NET_FISCAL_PKR] / 350;
    x2[0][PK_BREAKEVEN_IMF] = 136.029e9 / (1000 * H) / 1000; /* 15.528 PKR/kWh */
    x2[1][PK_BREAKEVEN_IMF] = 172.821e9 / (1200 * H) / 1000;
    x2[2][PK_BREAKEVEN_IMF] = 209.613e9 / (1400 * H) / 1000;
    x2[1][PK_IMF_SUBSIDY_PKR] = 200 * H * 172.821e9 / (1200 * H) - 33.288e9; /* -4.4845 bn */
    x2[2][PK_IMF_SUBSIDY_PKR] = 525 * H * 209.613e9 / (1400 * H) - 87.381e9;
    /* (33.288 - 82.48044 + 85.98444) bn / 1.752e9 kWh = 21.0, the gas it
     * burns at the new rate (60 x 350); big's (87.381 - 72.02976 +
     * 85.98444) bn / 4.599e9 kWh = 22.0343... */
    x2[1][PK_BREAKEVEN_CASH] = 21.0;
    x2[2][PK_BREAKEVEN_CASH] = (87.381e9 - 72.02976e9 + 85.98444e9) / (525 * H * 1000);
    x2[2][PK_SHED_EVENTS] = 0;
    /* the third year: the base tariff x 1.21, 36.3 + 0.5 (15.4 - 12.1) =
     * 37.95 PKR/kWh; the blocks' x 350 / 280 = 25 PKR/kWh, 23,750 PKR/MWh
     * collected. Revenue: base 6.3072e6 MWh (5.5188e6 in big) x 37,950; dc
     * 1.752e6 x 23,750 = PKR 41.61 bn, big 4.599e6 x 23,750 = 109.22625 bn */
    double x3[3][PK_N_METRICS];
    memcpy(x3, x2, sizeof x2);
    for (size_t s = 0; s < 2; ++s)
        x3[s][PK_BASE_REVENUE_PKR] = 239.35824e9;
    x3[2][PK_BASE_REVENUE_PKR] = 209.43846e9;
    x3[1][PK_ALLOC_REVENUE_PKR] = 41.61e9;
    x3[2][PK_ALLOC_REVENUE_PKR] = 109.22625e9;
    x3[0][PK_NET_FISCAL_PKR] = 134.904e9 + 1.125e9 - 239.35824e9;               /* -103.32924 */
    x3[1][PK_NET_FISCAL_PKR] = 171.696e9 + 1.125e9 - 239.35824e9 - 41.61e9;     /* -108.14724 */
    x3[2][PK_NET_FISCAL_PKR] = 208.488e9 + 1.125e9 - 209.43846e9 - 109.22625e9; /* -109.05171 */
    for (size_t s = 0; s < 3; ++s)
        x3[s][PK_NET_FISCAL_USD] = x3[s][PK_NET_FISCAL_PKR] / 350;
    x3[1][PK_IMF_SUBSIDY_PKR] = 200 * H * 172.821e9 / (1200 * H) - 41.61e9;
    x3[2][PK_IMF_SUBSIDY_PKR] = 525 * H * 209.613e9 / (1400 * H) - 109.22625e9;
    /* dc: (41.61 - 108.14724 + 103.32924) / 1.752 = 21.0 again; big:
     * (109.22625 - 109.05171 + 103.32924) bn / 4.599e9 kWh = 22.5057... */
    x3[2][PK_BREAKEVEN_CASH] = (109.22625e9 - 109.05171e9 + 103.32924e9) / (525 * H * 1000);
    double(*want_y[3])[PK_N_METRICS] = {x, x2, x3};
    /* every metric, the energy and shedding lines included (no hydro, no
     * mining, one region: the rest are 0 and the north is the nation) */
    for (size_t y = 0; y < 3; ++y)
        for (size_t s = 0; s < 3; ++s)
            for (uint64_t t = 0; t < r->trials; ++t)
                for (size_t m = 0; m < PK_N_METRICS; ++m) {
                    const double got = results_at(r, s, m, t)[y], want = want_y[y][s][m];
                    if (fabs(got - want) > 1e-9 * (1.0 + fabs(want)))
                        fail_msg("year %zu, scenario %zu, %s: %.12g, by hand %.12g", y + 1, s,
                                 pk_metrics[m].name, got, want);
                }
    /* by month: every hour alike, each month's flow is the year's x its
     * days / 365 (the capacity payments too: the rupee stands still) */
    static const double days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    for (size_t y = 0; y < 3; ++y)
        for (size_t s = 0; s < 3; ++s)
            for (size_t q = 0; q < PK_N_MONTH_Q; ++q)
                for (size_t mi = 0; mi < 12; ++mi) {
                    const double got = results_month_at(r, q, s, 0)[y * 12 + mi];
                    const double want = want_y[y][s][pk_month_metric[q]] * days[mi] / 365.0;
                    if (fabs(got - want) > 1e-9 * (1.0 + fabs(want)))
                        fail_msg("year %zu, scenario %zu, month %zu, %s: %.12g, by hand %.12g",
                                 y + 1, s, mi + 1, pk_month_info[q].name, got, want);
                }
    results_free(r);
    scenario_free(sc);
}

/* fiscal.fca_basis (docs/MODEL.md s.7): with `all`, base consumers' fuel-cost
 * adjustment is the scenario's own mix cost, the allocation's dearer
 * marginal fuel included, as NEPRA computes it. The baseline is the same
 * under either basis (its own cost is the baseline's); with a firm block
 * that makes every month dearer and full pass-through, base consumers pay
 * more under `all`, and at most the extra generation cost the block causes
 * (they pay a share of it, the block's tariff the rest). */
static void test_fca_basis_all(void **st)
{
    fx_t *f = *st;
    scenario_t *sc = one_year(f);
    econ_t *e = sc->econ;
    e->fiscal.fuel_passthrough = 1.0;
    econ_block_t blk = block("dc", BLOCK_FIRM, 3000, 1.0, 22.5, 1.0);
    const econ_scenario_t scen[] = {scenario("baseline", DISPATCH_MINERS_FIRST, NULL, 0),
                                    scenario("dc", DISPATCH_MINERS_FIRST, &blk, 1)};
    set_scenarios(f, scen, 2);
    results_t *own = run(sc, tu_scaled(4), 0);
    e->fiscal.fca_basis = FCA_ALL;
    results_t *all = run(sc, tu_scaled(4), 0);
    for (uint64_t t = 0; t < own->trials; ++t) {
        assert_true(results_at(all, 0, PK_BASE_REVENUE_PKR, t)[0] ==
                    results_at(own, 0, PK_BASE_REVENUE_PKR, t)[0]);
        assert_true(results_at(all, 1, PK_GEN_COST_PKR, t)[0] ==
                    results_at(own, 1, PK_GEN_COST_PKR, t)[0]);
        const double more = results_at(all, 1, PK_BASE_REVENUE_PKR, t)[0] -
                            results_at(own, 1, PK_BASE_REVENUE_PKR, t)[0];
        const double extra_cost =
            results_at(own, 1, PK_GEN_COST_PKR, t)[0] - results_at(own, 0, PK_GEN_COST_PKR, t)[0];
        assert_true(more > 0.0 && more < extra_cost);
    }
    results_free(own);
    results_free(all);
}

/* The miners' accounts, solved by hand in hold_network's still world: a
 * 1,000 MW fleet earns r = 78.27 x 1100 / 1150 = 74.87 USD/MWh, pays opex
 * 5 and a tariff of 15 PKR/kWh = 53.30 USD/MWh at 281.4 PKR/USD, and bears
 * 400 USD per MW and day idle or not. It mines all year (ample supply), so
 * profit = 1000 x 8760 x (r - 5 - 53.30) - 400 x 1000 x 365, and it breaks
 * even at the tariff t* = (r - 5 - 400 / 24) x 281.4 / 1000 = 14.97
 * PKR/kWh. Without its own hashrate in the network r would be 78.27 and
 * t* 15.93. */
static void test_mining_profit_and_breakeven_by_hand(void **st)
{
    fx_t *f = *st;
    scenario_t *sc = mining_fleet(f);
    econ_t *e = sc->econ;
    const double r_usd = 3.125 / 0.98 * 144 * 90000 / 1.1e9 * 1e6 / 20 / 24 * 1100 / 1150;
    assert_true(fabs(r_usd - 74.87) < 0.005);
    const double fx = e->fx.start_pkr_per_usd;
    const double profit = 1000 * 8760 * (r_usd - 5 - 15000 / fx) - 400 * 1000 * 365;
    const double breakeven = (r_usd - 5 - 400.0 / 24) * fx / 1000;
    results_t *r = run(sc, tu_scaled(3), 0);
    for (uint64_t t = 0; t < r->trials; ++t) {
        TU_WITHIN_SE(results_at(r, 1, PK_MINER_UPTIME, t)[0], 1.0, 1e-12, 1.0);
        TU_WITHIN_SE(results_at(r, 1, PK_MINER_PROFIT_USD, t)[0], profit, 1e-9 * fabs(profit), 1.0);
        TU_WITHIN_SE(results_at(r, 1, PK_MINING_BREAKEVEN, t)[0], breakeven, 1e-9, 1.0);
        /* the Bitcoin price at which it breaks even at its 15 PKR/kWh: the
         * revenue scales with the price, so 90,000 x (5 + 53.30 + 400 /
         * 24) / 74.87 = 90,126 USD */
        const double btc = 90000.0 * (5 + 15000 / fx + 400.0 / 24) / r_usd;
        assert_true(fabs(btc - 90126) < 1);
        TU_WITHIN_SE(results_at(r, 1, PK_MINING_BREAKEVEN_BTC, t)[0], btc, 1e-9 * btc, 1.0);
        assert_true(results_at(r, 0, PK_MINER_PROFIT_USD, t)[0] == 0.0);
        assert_true(results_at(r, 0, PK_MINING_BREAKEVEN, t)[0] == 0.0);
        assert_true(results_at(r, 0, PK_MINING_BREAKEVEN_BTC, t)[0] == 0.0);
    }
    assert_true(fabs(breakeven - 14.97) < 0.005);
    results_free(r);
}

/* The miners' profit when the grid cannot serve them all: in the still
 * world of test_mining_profit_and_breakeven_by_hand every mining day's
 * margin is the same, r - 5 - 53.30 USD/MWh, so the year's profit is that
 * margin on the energy they were served, less the idle cost, whichever
 * hours the deliverable cap took from them (miners_first: theirs first). */
static void test_mining_profit_when_curtailed(void **st)
{
    fx_t *f = *st;
    scenario_t *sc = mining_fleet(f);
    sc->econ->deliverable_cap_mw = 24000.0;
    const double r_usd = 3.125 / 0.98 * 144 * 90000 / 1.1e9 * 1e6 / 20 / 24 * 1100 / 1150;
    const double margin = r_usd - 5 - 15000 / sc->econ->fx.start_pkr_per_usd;
    results_t *r = run(sc, tu_scaled(3), 0);
    for (uint64_t t = 0; t < r->trials; ++t) {
        const double served = results_at(r, 1, PK_MINER_MWH, t)[0];
        const double lost = results_at(r, 1, PK_MINER_CURTAILED_MWH, t)[0];
        assert_true(lost > 0.01 * served && served > 0.5 * 8760 * 1000);
        const double profit = margin * served - 400.0 * 1000 * 365;
        TU_WITHIN_SE(results_at(r, 1, PK_MINER_PROFIT_USD, t)[0], profit, 1e-9 * fabs(profit), 1.0);
    }
    results_free(r);
}

/* The miners' break-even solves its equation when the days differ: with
 * the rupee falling fast (drift 80%/yr, no noise) a flat PKR tariff costs
 * the fleet fewer USD each month, so at the break-even it mines only the
 * later part of the year. Billed at that tariff, its year's profit is 0
 * (the mining days' margin pays the idle cost of the whole year), and it
 * mines on some days but not all; a break-even that skipped the bisection
 * (the every-day tariff) or counted losing days would leave a profit. */
static void test_mining_breakeven_zero_profit(void **st)
{
    fx_t *f = *st;
    scenario_t *sc = mining_fleet(f);
    sc->econ->fx.drift = 0.8;
    results_t *r = run(sc, 1, 0);
    const double be = results_at(r, 1, PK_MINING_BREAKEVEN, 0)[0];
    results_free(r);
    sc->scen[1].blocks[0].tariff_pkr_per_kwh = be;
    r = run(sc, 1, 0);
    const double up = results_at(r, 1, PK_MINER_UPTIME, 0)[0];
    const double idle_usd = 400.0 * 1000 * 365;
    assert_true(up > 0.1 && up < 0.9);
    TU_WITHIN_SE(results_at(r, 1, PK_MINER_PROFIT_USD, 0)[0], 0.0, 1e-9 * idle_usd, 1.0);
    TU_WITHIN_SE(results_at(r, 1, PK_MINING_BREAKEVEN, 0)[0], be, 1e-12 * be, 1.0);
    /* billed at its break-even tariff, the fleet breaks even at the year's
     * own Bitcoin prices: its price break-even is the year's mean price,
     * though it mines on some days only */
    const double mean_btc = results_driver_at(r, PK_D_BTC, 0)[0];
    TU_WITHIN_SE(results_at(r, 1, PK_MINING_BREAKEVEN_BTC, 0)[0], mean_btc, 1e-9 * mean_btc, 1.0);
    results_free(r);
    /* the second year the same, at its own break-even, the price falling
     * half a year (the revenue and the network's hashrate with it): each
     * year's searches read that year's rupee, revenue and prices (the first
     * year's revenue, higher, would bracket the price's break-even below
     * its root) */
    sc->horizon_years = 2;
    sc->econ->bitcoin.process.drift = -0.5;
    r = run(sc, 1, 0);
    const double be2 = results_at(r, 1, PK_MINING_BREAKEVEN, 0)[1];
    assert_true(fabs(be2 - be) > 0.05 * be);
    results_free(r);
    sc->scen[1].blocks[0].tariff_pkr_per_kwh = be2;
    r = run(sc, 1, 0);
    TU_WITHIN_SE(results_at(r, 1, PK_MINER_PROFIT_USD, 0)[1], 0.0, 1e-9 * idle_usd, 1.0);
    const double mean2 = results_driver_at(r, PK_D_BTC, 0)[1];
    TU_WITHIN_SE(results_at(r, 1, PK_MINING_BREAKEVEN_BTC, 0)[1], mean2, 1e-9 * mean2, 1.0);
    results_free(r);
}

/* The break-even tariffs mean what they say: a firm block (whose energy
 * does not depend on its tariff) billed at the cash break-even of a first
 * run leaves the net fiscal cost equal to the baseline's, and billed at the
 * IMF break-even leaves an IMF subsidy of 0, in the same trial and year. */
static void test_breakeven_tariffs_zero_the_books(void **st)
{
    fx_t *f = *st;
    scenario_t *sc = one_year(f);
    econ_block_t blk = block("dc", BLOCK_FIRM, 800, 0.8, 22.5, 1.0);
    const econ_scenario_t scen[] = {scenario("baseline", DISPATCH_MINERS_FIRST, NULL, 0),
                                    scenario("dc", DISPATCH_MINERS_FIRST, &blk, 1)};
    set_scenarios(f, scen, 2);
    results_t *r = run(sc, 1, 0);
    const double cash = results_at(r, 1, PK_BREAKEVEN_CASH, 0)[0];
    const double imf = results_at(r, 1, PK_BREAKEVEN_IMF, 0)[0];
    const double base_net = results_at(r, 0, PK_NET_FISCAL_PKR, 0)[0];
    assert_true(cash > 0.0 && imf > 0.0 && cash != imf);
    results_free(r);
    blk.tariff_pkr_per_kwh = cash;
    r = run(sc, 1, 0);
    TU_WITHIN_SE(results_at(r, 1, PK_NET_FISCAL_PKR, 0)[0], base_net, 1e-9 * fabs(base_net), 1.0);
    results_free(r);
    blk.tariff_pkr_per_kwh = imf;
    r = run(sc, 1, 0);
    const double rev = results_at(r, 1, PK_ALLOC_REVENUE_PKR, 0)[0];
    TU_WITHIN_SE(results_at(r, 1, PK_IMF_SUBSIDY_PKR, 0)[0], 0.0, 1e-9 * rev, 1.0);
    results_free(r);
}

/* The network's hashrate follows miners' margins (docs/MODEL.md s.4.7), with
 * the bundled parameters: the median hashprice of 2026 lies in 25-60 USD per
 * PH/s per day (sourced 28-56 over 2025-26), and a year after the 2028
 * halving (halving_day) the median hashprice is at least 35% of its level in
 * the month before (the 2024 halving kept about 50%). */
static void test_hashprice_calibration(void **st)
{
    fx_t *f = *st;
    const econ_btc_t *b = &f->sc->econ->bitcoin;
    const size_t days = 5 * 365, N = (size_t)tu_scaled(2000);
    const size_t h = (size_t)b->halving_day;
    double *btc = malloc(days * sizeof *btc), *rew = malloc(days * sizeof *rew);
    double *hash = malloc(days * sizeof *hash), *y1 = malloc(N * sizeof *y1);
    double *ratio = malloc(N * sizeof *ratio);
    gsl_rng *g = gsl_rng_alloc(&rng_gsl_type);
    assert_true(btc && rew && hash && y1 && ratio && g);
    for (size_t t = 0; t < N; ++t) {
        drv_hash_t hp;
        pk_mining_paths(b, 42, t, days, g, btc, rew, hash, &hp);
        double s = 0, before = 0, after = 0; /* USD/(PH/s)/day = reward / (1000 EH/s) */
        for (size_t d = 0; d < 365; ++d)
            s += rew[d] / (1000.0 * hash[d]) / 365.0;
        for (size_t d = h - 30; d < h; ++d)
            before += rew[d] / (1000.0 * hash[d]) / 30.0;
        for (size_t d = h + 365; d < h + 395; ++d)
            after += rew[d] / (1000.0 * hash[d]) / 30.0;
        y1[t] = s;
        ratio[t] = after / before;
    }
    gsl_sort(y1, 1, N);
    gsl_sort(ratio, 1, N);
    const double med_y1 = gsl_stats_median_from_sorted_data(y1, 1, N);
    const double med_ratio = gsl_stats_median_from_sorted_data(ratio, 1, N);
    print_message("hashprice 2026: median %.1f USD/PH/day (P5 %.1f, P95 %.1f); a year after the "
                  "halving over the month before: median %.2f (P5 %.2f, P95 %.2f)\n",
                  med_y1, y1[N / 20], y1[N - 1 - N / 20], med_ratio, ratio[N / 20],
                  ratio[N - 1 - N / 20]);
    assert_true(med_y1 >= 25.0 && med_y1 <= 60.0);
    assert_true(med_ratio >= 0.35);
    gsl_rng_free(g);
    free(btc);
    free(rew);
    free(hash);
    free(y1);
    free(ratio);
}

/* Mining runs only on days whose revenue covers the tariff and the
 * miners' operating cost: with Bitcoin at 1e9 USD it always does (see
 * test_miner_energy_identity), with an operating cost of 1e12 USD/MWh
 * never, and the firm block is served as before. */
static void test_miners_idle_when_opex_exceeds_revenue(void **st)
{
    scenario_t *sc = ample(*st);
    sc->econ->bitcoin.opex_usd_per_mwh = 1e12;
    results_t *r = run(sc, tu_scaled(10), 0);
    for (uint64_t t = 0; t < r->trials; ++t) {
        assert_true(results_at(r, 1, PK_MINER_MWH, t)[0] == 0.0);
        assert_true(results_at(r, 1, PK_MINER_UPTIME, t)[0] == 0.0);
        const double alloc = results_at(r, 1, PK_ALLOC_MWH, t)[0];
        assert_true(fabs(alloc - 400.0 * 8760.0) < 1e-6 * alloc);
    }
    results_free(r);
}

/* The grid delivers at most its deliverable capacity: with 40 GW of spare
 * gas but a 10 GW cap, no hour serves more than 10 GW, and base consumers
 * (about 14.5 GW on average) are shed. Fixed supply and hydro then have
 * less room than they could give, and generation by technology still adds
 * up to what is served. */

static void test_deliverable_cap_binds(void **st)
{
    scenario_t *sc = ample(*st);
    sc->econ->deliverable_cap_mw = 10000.0;
    results_t *r = run(sc, tu_scaled(10), 0);
    check_by_technology(sc, r);
    for (size_t s = 0; s < r->n_scen; ++s)
        for (uint64_t t = 0; t < r->trials; ++t) {
            assert_true(results_at(r, s, PK_SERVED_MWH, t)[0] <= 10000.0 * 8760.0 * (1 + 1e-12));
            assert_true(results_at(r, s, PK_UNSERVED_MWH, t)[0] > 0.0);
        }
    results_free(r);
}

/* Shed events are entries into shedding: from one trial's hour-by-hour
 * record (lol_count, 0 or 1 per hour with one trial) the runs of shed hours
 * are counted by hand, per scenario; some run lasts more than an hour, so
 * counting hours instead of entries fails. */
static void test_shed_events_are_runs(void **st)
{
    scenario_t *sc = one_year(*st);
    results_t *r = run(sc, 1, 0);
    size_t longer = 0;
    for (size_t s = 0; s < r->n_scen; ++s) {
        const int64_t *lol = r->lol_count + s * r->hours;
        double hours = 0, events = 0;
        for (size_t h = 0; h < r->hours; ++h) {
            hours += lol[h] > 0;
            events += lol[h] > 0 && (h == 0 || lol[h - 1] == 0);
        }
        assert_true(results_at(r, s, PK_SHED_HOURS, 0)[0] == hours);
        assert_true(results_at(r, s, PK_SHED_EVENTS, 0)[0] == events);
        longer += hours > events;
    }
    assert_true(longer > 0);
    results_free(r);
}

/* The longest horizon the loader takes (100 years), one trial: every
 * scenario simulates every year (the profile's hour count), and each year's
 * shedding hours and events are its hours of the loss-of-load counts and
 * their runs counted over the whole horizon, so an event that runs over a
 * new year is one event, in the year it began (a trial is simulated a year
 * at a time, each scenario carrying its last shedding hour). Under
 * AddressSanitizer it also checks the year-indexed scratch at the bound. */
static void test_longest_horizon_years_chain(void **st)
{
    fx_t *f = *st;
    scenario_t *sc;
    gr_err_t err = {0, {0}};
    /* (Bitcoin's volatility and jumps lowered: over a century the bundled
     * ones could move its price beyond what the loader accepts) */
    const char *body = "horizon_years: 100\neconomics:\n  bitcoin:\n    vol: 0.1\n"
                       "    jumps_per_year: 0\n";
    if (load_overlay(f, "long.yaml", body, &sc, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(sc->horizon_years, 100);
    const sim_opts_t o = {.seed = 7, .trials = 1, .threads = 1, .kernel = SIM_KERNEL_FAST};
    results_t *r = NULL;
    pk_times_t tm;
    assert_int_equal(pk_run(sc, &o, &r, &tm, &err), 0);
    assert_true(tm.hours == (double)(r->n_scen * r->years * r->hours));
    size_t crossing = 0, shed_years = 0;
    for (size_t s = 0; s < r->n_scen; ++s) {
        const int64_t *lol = r->lol_count + s * r->years * r->hours;
        for (size_t y = 0; y < r->years; ++y) {
            double hours = 0, events = 0;
            for (size_t ha = y * r->hours; ha < (y + 1) * r->hours; ++ha) {
                hours += lol[ha] > 0;
                events += lol[ha] > 0 && (ha == 0 || lol[ha - 1] == 0);
            }
            const size_t h0 = y * r->hours;
            crossing += y > 0 && lol[h0] > 0 && lol[h0 - 1] > 0;
            shed_years += hours > 0;
            assert_true(results_at(r, s, PK_SHED_HOURS, 0)[y] == hours);
            if (results_at(r, s, PK_SHED_EVENTS, 0)[y] != events)
                fail_msg("scenario %zu year %zu: %g shedding events, the counts' runs %g", s, y,
                         results_at(r, s, PK_SHED_EVENTS, 0)[y], events);
        }
    }
    /* the test means something only if some event ran over a new year */
    assert_true(crossing > 0);
    assert_true(shed_years > r->n_scen * r->years / 2);
    results_free(r);
    scenario_free(sc);
}

/* Generation and cost by technology add up to the totals counted in the
 * hourly balance, in every year: thermal technologies to thermal_mwh, hydro
 * to hydro_mwh, every technology to the served energy, costs to
 * gen_cost_pkr (to rounding: the sums run in another order). Only fuelled
 * technologies cost anything. */

static void test_by_technology_adds_up(void **st)
{
    fx_t *f = *st;
    scenario_t *sc = f->sc;
    sc->horizon_years = 2;
    results_t *r = run(sc, tu_scaled(10), 0);
    check_by_technology(sc, r);
    results_free(r);
    /* 30 GW more nuclear: fixed supply above load in most hours, so fixed
     * sources are curtailed pro rata and their shares matter */
    add_unit(f, "surplus", "nuclear", 30000.0, 1.0);
    r = run(sc, tu_scaled(10), 0);
    check_by_technology(sc, r);
    results_free(r);
    /* the same by the full path alone (--kernel events): the hours that
     * leave fixed sources unused, none of them settled */
    r = run_kernel(sc, tu_scaled(10), 0, SIM_KERNEL_EVENTS);
    check_by_technology(sc, r);
    const double *g = results_tech_at(r, RESULTS_TECH_GEN_MWH, 0, 0);
    assert_true(g[tech_index(sc, "nuclear")] < 8760.0 * (3530.0 + 30000.0) * 0.9);
    results_free(r);
    /* nuclear burning coal (a must-run cost that moves month by month, so
     * each month's accounts need that month's cost) and hydro out all July
     * (hours whose row has no hydro MW): still adds up, in both years */
    econ_t *e = sc->econ;
    econ_tech_t *tk = owned(f, e->technologies_count * sizeof *tk);
    memcpy(tk, e->technologies, e->technologies_count * sizeof *tk);
    tk[tech_index(sc, "nuclear")].fuel = FUEL_COAL;
    tk[tech_index(sc, "nuclear")].heat_rate_mmbtu_per_mwh = 10.0;
    static double no_july[12] = {1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1};
    tk[tech_index(sc, "hydro")].monthly_availability = no_july;
    tk[tech_index(sc, "hydro")].monthly_availability_count = 12;
    e->technologies = tk;
    r = run(sc, tu_scaled(10), 0);
    check_by_technology(sc, r);
    results_free(r);
    /* a profile of ten days: months of 0, 24 and 48 hours, the first empty */
    sc->hours = 240;
    r = run(sc, tu_scaled(10), 0);
    check_by_technology(sc, r);
    results_free(r);
    /* two hydro classes (3 GW of a second, that never fails, beside the
     * bundled 9.4 GW): each hour's hydro shared by their available MW, so
     * the second's share of the year's hydro is about 3 / 12.4 */
    sc->hours = f->saved.hours;
    sc->units = f->saved.units; /* without the surplus nuclear, which left hydro nothing */
    sc->n_units = f->saved.n_units;
    sc->capacity_mw = f->saved.capacity_mw;
    const unsigned n = e->technologies_count;
    econ_tech_t *t2 = owned(f, (n + 1) * sizeof *t2);
    memcpy(t2, e->technologies, n * sizeof *t2);
    t2[n] = t2[tech_index(sc, "hydro")];
    t2[n].name = owned_str(f, "hydro2");
    e->technologies = t2;
    e->technologies_count = n + 1;
    add_unit(f, "h2", "hydro2", 3000.0, 40.0);
    r = run(sc, tu_scaled(10), 0);
    check_by_technology(sc, r);
    for (size_t i = 0; i < r->trials * r->years; ++i) {
        const double *gy =
            results_tech_at(r, RESULTS_TECH_GEN_MWH, 0, i / r->years) + (i % r->years) * r->tech.n;
        const double h1 = gy[tech_index(sc, "hydro")], h2 = gy[n];
        if (!(h2 > 0.15 * (h1 + h2) && h2 < 0.35 * (h1 + h2)))
            fail_msg("the second hydro class: %g MWh of %g", h2, h1 + h2);
    }
    results_free(r);
}

static void check_by_technology(const scenario_t *sc, const results_t *r)
{
    const econ_t *e = sc->econ;
    assert_int_equal(r->tech.n, e->technologies_count);
    for (size_t s = 0; s < r->n_scen; ++s)
        for (size_t i = 0; i < r->trials * r->years; ++i) {
            const uint64_t t = i / r->years;
            const size_t y = i % r->years;
            const double *g = results_tech_at(r, RESULTS_TECH_GEN_MWH, s, t) + y * r->tech.n;
            const double *c = results_tech_at(r, RESULTS_TECH_COST_PKR, s, t) + y * r->tech.n;
            double th = 0, hy = 0, all = 0, cost = 0;
            for (size_t k = 0; k < r->tech.n; ++k) {
                const tech_kind_t kind = e->technologies[k].kind;
                th += kind == TECH_THERMAL ? g[k] : 0.0;
                hy += kind == TECH_HYDRO ? g[k] : 0.0;
                all += g[k];
                cost += c[k];
                assert_true(g[k] >= 0.0 && c[k] >= 0.0);
                assert_true(kind == TECH_THERMAL || kind == TECH_MUST_RUN || c[k] == 0.0);
            }
            const double thermal = results_at(r, s, PK_THERMAL_MWH, t)[y];
            const double hydro = results_at(r, s, PK_HYDRO_MWH, t)[y];
            const double served = results_at(r, s, PK_SERVED_MWH, t)[y];
            const double gen_cost = results_at(r, s, PK_GEN_COST_PKR, t)[y];
            TU_WITHIN_SE(th, thermal, 1e-12 * thermal, 1.0);
            TU_WITHIN_SE(hy, hydro, 1e-12 * hydro, 1.0);
            TU_WITHIN_SE(cost, gen_cost, 1e-12 * gen_cost, 1.0);
            /* every MWh generated is served (thermal always covers what
             * fixed sources and hydro leave, so nothing is unmet) */
            TU_WITHIN_SE(all, served, 1e-12 * served, 1.0);
        }
}

/* Same draws, three shedding policies: base consumers lose least under
 * miners_first and most under firm_allocation, in every trial. */
static void test_policies_on_common_random_numbers(void **st)
{
    fx_t *f = *st;
    scenario_t *sc = one_year(f);
    econ_block_t blk[] = {block("m", BLOCK_FLEXIBLE, 1500, 1, 5, 1),
                          block("ai", BLOCK_FIRM, 500, 0.8, 22.5, 1)};
    const econ_scenario_t scen[] = {
        scenario("baseline", DISPATCH_MINERS_FIRST, NULL, 0),
        scenario("mf", DISPATCH_MINERS_FIRST, blk, 2),
        scenario("pr", DISPATCH_PRO_RATA, blk, 2),
        scenario("fa", DISPATCH_FIRM_ALLOCATION, blk, 2),
    };
    set_scenarios(f, scen, 4);
    results_t *r = run(sc, tu_scaled(40), 0);
    for (uint64_t k = 0; k < r->trials; ++k) {
        const double b = results_at(r, 0, PK_UNSERVED_MWH, k)[0];
        const double mf = results_at(r, 1, PK_UNSERVED_MWH, k)[0];
        const double pr = results_at(r, 2, PK_UNSERVED_MWH, k)[0];
        const double fa = results_at(r, 3, PK_UNSERVED_MWH, k)[0];
        assert_true(b <= mf * (1 + 1e-12) && mf <= pr * (1 + 1e-12) && pr <= fa * (1 + 1e-12));
        /* same drivers for all scenarios: identical demand */
        assert_true(results_at(r, 0, PK_DEMAND_MWH, k)[0] == results_at(r, 3, PK_DEMAND_MWH, k)[0]);
    }
    results_free(r);
}

/* Two runs of T trials gave the same metrics, drivers, loss-of-load counts
 * and splits (by technology, region and month), bit for bit: every row
 * array (assert_same_bits). */
static void assert_same_results(const results_t *a, const results_t *b, uint64_t T)
{
    assert_true(a->trials == T && b->trials == T);
    assert_int_equal(a->month.n, 12);
    assert_same_bits(a, b, "two runs of the same trials");
}

/* 1 and 2 threads give identical results. */
static void test_threads_identical(void **st)
{
    scenario_t *sc = one_year(*st);
    const uint64_t T = tu_scaled(40) + 1;
    results_t *a = run(sc, T, 1), *b = run(sc, T, 2);
    assert_same_results(a, b, T);
    results_free(a);
    results_free(b);
}

/* Each unit's outages come from its own stream (its name's), whatever its
 * place in the fleet: the units listed class by class in the reverse order
 * of classes (a class's own units in their order, so each class's MW is
 * summed in the same order) give every output bit for bit. The trial's
 * first draws are made for the whole fleet at once (spans_fleet_draw) and
 * each unit walks its own share of them: a unit given another unit's share
 * fails it (pk-fleet-unit: the mirrored unit's; the bundled fleet has
 * several units in most classes, so the reordering is not a mirror, which
 * would pair the same units again). */
static void test_unit_order_changes_nothing(void **st)
{
    fx_t *f = *st;
    scenario_t *sc = one_year(f);
    const uint64_t T = tu_scaled(12) + 1;
    results_t *a = run(sc, T, 1);
    scen_unit_t *un = owned(f, sc->n_units * sizeof *un); /* restore() puts the fleet back */
    size_t n = 0;
    int classes = 0;
    for (size_t u = 0; u < sc->n_units; ++u)
        classes = sc->units[u].tech + 1 > classes ? sc->units[u].tech + 1 : classes;
    for (int c = classes - 1; c >= 0; --c)
        for (size_t u = 0; u < sc->n_units; ++u)
            if (sc->units[u].tech == c)
                un[n++] = sc->units[u];
    assert_int_equal(n, sc->n_units);
    assert_true(un[0].stream != sc->units[0].stream); /* the order did change */
    sc->units = un;
    results_t *b = run(sc, T, 1);
    assert_same_results(a, b, T);
    results_free(a);
    results_free(b);
}

/* The identity the output promises (docs/LAYOUT.md /by_month): the stored
 * months add up to the year's metric, for every flow, scenario, trial and
 * year of the bundled scenario over two years, so a store into the wrong
 * month, flow or scenario fails it. It cannot tell a wrong month from a
 * right one (the year is summed from the same months): the hand-solved
 * system checks each month's value. What it checks besides: with the rupee
 * moving, each month's capacity payments are at that month's rate, not a
 * flat share of the year's. */
static void test_month_flows_sum_to_year(void **st)
{
    fx_t *f = *st;
    f->sc->horizon_years = 2;
    const uint64_t T = 3;
    results_t *r = run(f->sc, T, 0);
    assert_int_equal(r->month.n, 12);
    for (size_t q = 0; q < PK_N_MONTH_Q; ++q)
        for (size_t s = 0; s < r->n_scen; ++s)
            for (uint64_t t = 0; t < T; ++t)
                for (size_t y = 0; y < r->years; ++y) {
                    const double *mo = results_month_at(r, q, s, t) + y * 12;
                    double sum = 0.0;
                    for (size_t mi = 0; mi < 12; ++mi)
                        sum += mo[mi];
                    const double want = results_at(r, s, (size_t)pk_month_metric[q], t)[y];
                    if (fabs(sum - want) > 1e-12 * (1.0 + fabs(want)))
                        fail_msg("%s, scenario %zu, trial %llu, year %zu: months %.15g, year %.15g",
                                 pk_month_info[q].name, s, (unsigned long long)t, y, sum, want);
                }
    /* the capacity payments move with the month's rate: not a flat twelfth */
    const double *cap = results_month_at(r, PK_M_CAPACITY_PKR, 0, 0);
    assert_true(fabs(cap[13] / 28.0 - cap[14] / 31.0) > 1e-9 * cap[13]);
    results_free(r);
}

/* A must-take floor reaches the hourly dispatch (the bundled fleet has none,
 * so the plan passes none to dispatch_merit unless a class has one): with
 * half of RFO's available MW taken first, RFO, the costliest class and the
 * merit order's tail, generates more in every trial and scenario than
 * without, and the generation cost rises (the floor displaces cheaper
 * plants). */
static void test_must_take_floor(void **st)
{
    fx_t *f = *st;
    scenario_t *sc = one_year(f);
    const int c = tech_index(sc, "rfo");
    const uint64_t T = tu_scaled(4) + 1;
    results_t *none = run(sc, T, 1);
    owned_techs(f)[c].must_take_share = 0.5;
    results_t *floored = run(sc, T, 1);
    for (size_t s = 0; s < none->n_scen; ++s)
        for (uint64_t t = 0; t < T; ++t) {
            const double g0 = results_tech_at(none, RESULTS_TECH_GEN_MWH, s, t)[c];
            const double g1 = results_tech_at(floored, RESULTS_TECH_GEN_MWH, s, t)[c];
            const double c0 = results_at(none, s, PK_GEN_COST_PKR, t)[0];
            const double c1 = results_at(floored, s, PK_GEN_COST_PKR, t)[0];
            if (!(g1 > g0 && c1 > c0))
                fail_msg("scenario %zu trial %llu: RFO %g -> %g MWh, cost %g -> %g PKR with a "
                         "floor of half its MW",
                         s, (unsigned long long)t, g0, g1, c0, c1);
        }
    results_free(none);
    results_free(floored);
}

/* pk_run with its hour counts; isa (or NULL) names the settling pass's
 * vector width (the test hook GRIDRISK_TEST_SETTLE_ISA, unset after). */
static results_t *run_timed(const scenario_t *sc, uint64_t trials, sim_kernel_t k, const char *isa,
                            pk_times_t *tm, const char *what)
{
    const sim_opts_t o = {.seed = 4242, .trials = trials, .threads = 1, .kernel = k};
    results_t *r = NULL;
    gr_err_t err = {0, {0}};
    if (isa)
        setenv("GRIDRISK_TEST_SETTLE_ISA", isa, 1);
    const int rc = pk_run(sc, &o, &r, tm, &err);
    unsetenv("GRIDRISK_TEST_SETTLE_ISA");
    if (rc)
        fail_msg("%s: %s", what, err.msg);
    return r;
}

/*
 * The month's settling pass (settle_month) changes no result: the default
 * kernel, which settles most hours a month at a time, and --kernel events,
 * which takes every hour through the full path, give the same bits in
 * every output array (scenario, trial, year, month, technology, hour) on
 * systems that reach each of its tests: the bundled two regions (the
 * corridor splits the dispatch in some hours, and hours shed), firm and
 * interruptible blocks at both sites under each shedding policy, a
 * deliverable cap that binds (served = supply), the same as one region.
 * Most hours are settled (else the comparison tests nothing); with a
 * must-take floor none is (dispatch_merit's floor pass). Each of the pass's
 * copies this processor can run (AVX-512, AVX2, portable) is compared.
 */
static void test_settled_hours_exact(void **st)
{
    fx_t *f = *st;
    scenario_t *sc = one_year(f);
    econ_t *e = sc->econ;
    const uint64_t T = tu_scaled(6) + 1;
    /* each kind of block at each site */
    econ_block_t blk[] = {block("m", BLOCK_FLEXIBLE, 1500, 1.0, 22.0, 1.0),
                          block("ms", BLOCK_FLEXIBLE, 600, 1.0, 22.0, 1.0),
                          block("dc", BLOCK_FIRM, 300, 0.8, 30.0, 1.0),
                          block("dcs", BLOCK_FIRM, 700, 0.8, 30.0, 1.0),
                          block("i", BLOCK_INTERRUPTIBLE, 400, 0.7, 18.0, 1.0),
                          block("is", BLOCK_INTERRUPTIBLE, 900, 0.7, 18.0, 1.0)};
    for (size_t k = 1; k < 6; k += 2)
        blk[k].region = GR_REGION_SOUTH;
    blk[4].backup_usd_per_mwh = blk[5].backup_usd_per_mwh = 120.0;
    const econ_scenario_t scen[] = {scenario("baseline", DISPATCH_MINERS_FIRST, NULL, 0),
                                    scenario("miners", DISPATCH_MINERS_FIRST, blk, 6),
                                    scenario("pro_rata", DISPATCH_PRO_RATA, blk, 6),
                                    scenario("firm", DISPATCH_FIRM_ALLOCATION, blk, 6)};
    static double south_share[2] = {0.45, 0.5}, reverse[2] = {300, 600};
    static const char *what[] = {
        "the bundled scenarios",
        "blocks under each policy",
        "a binding deliverable cap",
        "one region",
        "a third of the fleet in the south (hydro too) with half the load, and 25 GW of sun",
        "a must-take floor"};
    double shed_uncapped = 0.0;
    for (int v = 0; v < 6; ++v) {
        pk_times_t tm, tm_ev;
        if (v == 1)
            set_scenarios(f, scen, 4);
        if (v == 2)
            e->deliverable_cap_mw = 24000.0;
        if (v == 3)
            e->network.corridor_mw_count = 0;
        if (v == 4) {
            /* two regions again: the south short at night while the
             * nation is not (a region's own test decides: little import
             * north to south), its fixed
             * sources above its load at midday (curtailed: a share used
             * below 1), its hydro in its supply */
            e->network.corridor_mw_count = f->saved_econ.network.corridor_mw_count;
            e->deliverable_cap_mw = f->saved_econ.deliverable_cap_mw;
            e->network.south_demand_share = south_share;
            e->network.south_demand_share_count = 2;
            e->network.reverse_mw = reverse;
            e->network.reverse_mw_count = 2;
            add_unit(f, "sun", "solar", 25000.0, 1.0);
            for (size_t u = 0; u < sc->n_units; ++u)
                sc->units[u].region =
                    u % 3 == 1 || u + 1 == sc->n_units ? GR_REGION_SOUTH : GR_REGION_NORTH;
        }
        if (v == 5)
            owned_techs(f)[tech_index(sc, "rfo")].must_take_share = 0.3;
        /* --kernel events (every hour by the full path), then the default
         * with the settling pass at each vector width this processor has
         * (its AVX-512, AVX2 and portable copies), the last the portable */
        results_t *ev = run_timed(sc, T, SIM_KERNEL_EVENTS, NULL, &tm_ev, what[v]);
        assert_true(tm_ev.settled_hours == 0.0 && tm_ev.ledger_hours == 0.0);
        assert_true(tm_ev.hours == (double)(T * sc->n_scen * 8760));
        results_t *r = NULL;
        for (int k = (int)rng_isa_best(); k >= RNG_ISA_PORTABLE; --k) {
            const char *isa = rng_isa_name((rng_isa_t)k);
            char at[256];
            snprintf(at, sizeof at, "%s (settled in %s lanes)", what[v], isa);
            results_free(r);
            r = run_timed(sc, T, SIM_KERNEL_FAST, isa, &tm, at);
            assert_same_bits(r, ev, at);
            assert_true(tm.hours == tm_ev.hours);
            const double settled = tm.settled_hours / tm.hours;
            if (v < 5 ? !(settled > 0.3 && settled < 1.0) : settled != 0.0)
                fail_msg("%s: %.3f of the hours settled", at, settled);
            /* the pass settles exactly the hours the full path finds it
             * could: none left to the full path, none it would not */
            if (v < 5 && (tm.settleable_hours != 0.0 || tm_ev.settleable_hours != tm.settled_hours))
                fail_msg("%s: %g hours settled, %g left to the full path that it could have "
                         "settled; the full path alone finds %g",
                         at, tm.settled_hours, tm.settleable_hours, tm_ev.settleable_hours);
            /* of the hours it leaves, the full path takes the national
             * dispatch of some from the pass's ledger (the hours short
             * everywhere, or split with no one short: every variant but the
             * floor's, which settles none, has them), and never more than
             * it leaves; with one region every one it leaves but the
             * blackouts' (what it serves is what the pass found served) */
            const double left = tm.hours - tm.settled_hours;
            double dark = 0.0;
            for (uint64_t t = 0; t < T; ++t)
                dark += results_driver_at(r, PK_D_BLACKOUT_H, t)[0];
            dark *= (double)sc->n_scen;
            if (v == 3  ? tm.ledger_hours != left - dark
                : v < 5 ? !(tm.ledger_hours > 0.1 * left && tm.ledger_hours <= left)
                        : tm.ledger_hours != 0.0)
                fail_msg("%s: of %g hours left to the full path (%g in blackouts), %g took the "
                         "pass's national dispatch",
                         at, left, dark, tm.ledger_hours);
        }
        /* the full path's cases occur: shedding, and with two regions a
         * corridor at its limit and a region shed that the nation could
         * serve */
        double shed = 0.0, limit = 0.0, by_corridor = 0.0;
        for (size_t s = 0; s < r->n_scen; ++s)
            for (uint64_t t = 0; t < T; ++t) {
                shed += results_at(r, s, PK_SHED_HOURS, t)[0];
                limit += results_at(r, s, PK_CORRIDOR_LIMIT_HOURS, t)[0];
                by_corridor += results_at(r, s, PK_CORRIDOR_UNSERVED_MWH, t)[0];
            }
        if (!(shed > 0.0 && (v == 3 || (limit > 0.0 && by_corridor > 0.0))))
            fail_msg("%s: %g shed hours, %g at the corridor's limit, %g MWh shed by it", what[v],
                     shed, limit, by_corridor);
        /* the cap binds: more shed than the same blocks without it */
        if (v == 2 && !(shed > shed_uncapped))
            fail_msg("%s: %g shed hours, %g without the cap", what[v], shed, shed_uncapped);
        if (v == 1)
            shed_uncapped = shed;
        results_free(r);
        results_free(ev);
    }
}

/* --kernel ref reaches the economic model: the reference hydro solver
 * (bisection) lands elsewhere within the fast one's tolerance (1e-9 of the
 * month's budget), so some hydro totals differ in their last bits and all
 * agree to 1e-8 relative; so do thermal energy and its cost (the fuel
 * budgets use the same solvers). Shed hours and events are counts: a
 * solver's last bits must not move them. */
static void test_kernel_ref(void **st)
{
    scenario_t *sc = one_year(*st);
    const uint64_t T = tu_scaled(40) + 1;
    results_t *f = run(sc, T, 0), *r = run_kernel(sc, T, 0, SIM_KERNEL_REF);
    size_t differ = 0;
    for (size_t s = 0; s < f->n_scen; ++s)
        for (uint64_t t = 0; t < T; ++t) {
            const double a = results_at(f, s, PK_HYDRO_MWH, t)[0];
            const double b = results_at(r, s, PK_HYDRO_MWH, t)[0];
            assert_true(fabs(a - b) <= 1e-8 * fabs(a));
            differ += a != b;
            const int close[] = {PK_THERMAL_MWH, PK_GEN_COST_PKR};
            for (size_t k = 0; k < 2; ++k) {
                const double x = results_at(f, s, close[k], t)[0];
                const double y = results_at(r, s, close[k], t)[0];
                assert_true(fabs(x - y) <= 1e-8 * fabs(x));
            }
            const int exact[] = {PK_SHED_HOURS, PK_SHED_EVENTS};
            for (size_t k = 0; k < 2; ++k)
                if (results_at(f, s, exact[k], t)[0] != results_at(r, s, exact[k], t)[0])
                    fail_msg("scenario %zu trial %llu: %s %g (fast) vs %g (ref)", s,
                             (unsigned long long)t, pk_metrics[exact[k]].name,
                             results_at(f, s, exact[k], t)[0], results_at(r, s, exact[k], t)[0]);
        }
    assert_true(differ > 0);
    results_free(f);
    results_free(r);
}

/* The FY2024-25 replay runs on the observed months: its stored Brent, coal
 * and PKR/USD are the means of the observed rows, its hydro factor is the
 * observed year over the average year, and the hydro it dispatches is the
 * observed energy less what it spills (at most 15% in any month: the
 * calibration target; tests/check_calibration.py tests the rest). */
static void test_replay_observed(void **st)
{
    (void)st;
    scenario_t *sc = NULL;
    gr_err_t err = {0, {0}};
    if (scenario_load("inputs/pakistan/fy25.yaml", &sc, &err))
        fail_msg("%s", err.msg);
    const econ_t *e = sc->econ;
    assert_int_equal(sc->start_month, 7);
    assert_int_equal(e->obs_months, 12);
    double brent = 0, coal = 0, fx = 0, hyd = 0;
    for (size_t m = 0; m < 12; ++m) {
        brent += e->obs_brent_usd_per_bbl[m] / 12.0;
        coal += e->obs_coal_usd_per_t[m] / 12.0;
        fx += e->obs_pkr_per_usd[m] / 12.0;
        hyd += e->obs_hydro_mwh[m];
    }
    assert_true(e->obs_hydro_mwh[0] == 5341e3); /* July 2024, GWh -> MWh */
    results_t *r = run(sc, tu_scaled(40), 0);
    for (uint64_t t = 0; t < r->trials; ++t) {
        assert_true(fabs(results_driver_at(r, PK_D_BRENT, t)[0] - brent) <= 1e-9 * brent);
        assert_true(fabs(results_driver_at(r, PK_D_COAL, t)[0] - coal) <= 1e-9 * coal);
        assert_true(fabs(results_driver_at(r, PK_D_FX, t)[0] - fx) <= 1e-9 * fx);
        assert_true(fabs(results_driver_at(r, PK_D_HYDRO, t)[0] - hyd / e->hydro.annual_mwh) <=
                    1e-12);
        assert_true(results_driver_at(r, PK_D_DEMAND, t)[0] == 1.0);
        const double h = results_at(r, 0, PK_HYDRO_MWH, t)[0];
        assert_true(h <= hyd * (1 + 1e-9) && h >= 0.85 * hyd);
        assert_true(results_at(r, 0, PK_HYDRO_SPILL_SHARE, t)[0] <= 0.15);
    }
    results_free(r);
    scenario_free(sc);
}

/* The replay starts in July (start_month: 7): the result file labels its
 * hours by that calendar, July 1 first, January 1 on day 184, June 30 last. */
static void test_replay_month_labels(void **st)
{
    fx_t *f = *st;
    char out[512];
    snprintf(out, sizeof out, "%s/fy25.h5", f->dir);
    assert_int_equal(tu_run_cli((const char *[]){"run", "inputs/pakistan/fy25.yaml", "-o", out,
                                                 "-n", "2", "-q", NULL}),
                     0);
    hid_t h = H5Fopen(out, H5F_ACC_RDONLY, H5P_DEFAULT);
    assert_true(h >= 0);
    hid_t d = H5Dopen2(h, "/profiles/month", H5P_DEFAULT);
    assert_true(d >= 0);
    static int32_t month[8760];
    assert_true(H5Dread(d, H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, month) >= 0);
    H5Dclose(d);
    H5Fclose(h);
    assert_int_equal(month[0], 7);
    assert_int_equal(month[31 * 24 - 1], 7);
    assert_int_equal(month[31 * 24], 8);
    assert_int_equal(month[184 * 24 - 1], 12);
    assert_int_equal(month[184 * 24], 1);
    assert_int_equal(month[8759], 6);
}

/* A sweep's file over the bundled scenario, one year: the baseline, then
 * sweep (text after "sweep:\n"); loaded into a scenario the test owns. */
static scenario_t *sweep_file(fx_t *f, const char *name, const char *scenarios, const char *sweep)
{
    char text[4096], path[512];
    snprintf(text, sizeof text,
             "name: %s\nbase: %s\nhorizon_years: 1\nscenarios:\n"
             "  - {name: baseline, priority: miners_first}\n%s%s%s",
             name, f->bundled, scenarios, sweep ? "sweep:\n" : "", sweep ? sweep : "");
    char file[128];
    snprintf(file, sizeof file, "%s.yaml", name);
    tu_write(f->dir, file, text, path, sizeof path);
    scenario_t *sc = NULL;
    gr_err_t err = {0, {0}};
    if (scenario_load(path, &sc, &err))
        fail_msg("%s", err.msg);
    return sc;
}

/* The sweep of two variants (a mix of flexible and firm blocks, and a
 * firm block), two tariffs and three MW values (inputs/sweep.c): twelve
 * points after the baseline, variant by variant, then tariff, then MW;
 * each point's blocks scaled in proportion to its total (mix: 300 + 100
 * MW, so 750 + 250 at 1,000), billed at its tariff, keeping their kinds,
 * sites, recoveries and load factors and the variant's priority. */
static void test_sweep_expands(void **st)
{
    static const char *const sweep =
        "  mw: [0, 1000, 500]\n  tariffs_pkr_per_kwh: [20, 30]\n  variants:\n"
        "    - name: mix\n      priority: pro_rata\n      blocks:\n"
        "        - {name: m, kind: flexible, mw: 300, tariff_pkr_per_kwh: 22.5, recovery: 0.9, "
        "region: north}\n"
        "        - {name: d, kind: firm, mw: 100, load_factor: 0.8, tariff_pkr_per_kwh: 22.5, "
        "recovery: 1, region: south}\n"
        "    - name: firm\n      priority: miners_first\n"
        "      blocks: [{name: d, kind: firm, mw: 7, load_factor: 0.5, tariff_pkr_per_kwh: 22.5, "
        "recovery: 1}]\n";
    scenario_t *sc = sweep_file(*st, "sw", "", sweep);
    assert_int_equal(sc->n_scen, 13);
    assert_null(sc->scen[0].sweep_variant);
    assert_true(isnan(sc->scen[0].sweep_mw) && isnan(sc->scen[0].sweep_tariff_pkr_per_kwh));
    static const char *const names[] = {"mix_0mw_20pkr",  "mix_500mw_20pkr",  "mix_1000mw_20pkr",
                                        "mix_0mw_30pkr",  "mix_500mw_30pkr",  "mix_1000mw_30pkr",
                                        "firm_0mw_20pkr", "firm_500mw_20pkr", "firm_1000mw_20pkr",
                                        "firm_0mw_30pkr", "firm_500mw_30pkr", "firm_1000mw_30pkr"};
    for (size_t i = 0; i < 12; ++i) {
        const econ_scenario_t *p = &sc->scen[i + 1];
        assert_string_equal(p->name, names[i]);
        assert_string_equal(p->sweep_variant, i < 6 ? "mix" : "firm");
        assert_true(p->sweep_mw == 500.0 * (double)(i % 3));
        assert_true(p->sweep_tariff_pkr_per_kwh == (i % 6 < 3 ? 20.0 : 30.0));
        assert_int_equal(p->priority, i < 6 ? DISPATCH_PRO_RATA : DISPATCH_MINERS_FIRST);
        for (unsigned b = 0; b < p->blocks_count; ++b)
            assert_true(p->blocks[b].tariff_pkr_per_kwh == p->sweep_tariff_pkr_per_kwh);
    }
    const econ_scenario_t *m = &sc->scen[3]; /* mix_1000mw_20pkr */
    assert_int_equal(m->blocks_count, 2);
    assert_true(m->blocks[0].mw == 750.0 && m->blocks[1].mw == 250.0);
    assert_int_equal(m->blocks[0].kind, BLOCK_FLEXIBLE);
    assert_int_equal(m->blocks[1].kind, BLOCK_FIRM);
    assert_int_equal(m->blocks[0].region, GR_REGION_NORTH);
    assert_int_equal(m->blocks[1].region, GR_REGION_SOUTH);
    assert_true(m->blocks[0].recovery == 0.9 && m->blocks[1].load_factor == 0.8);
    const econ_scenario_t *d = &sc->scen[12]; /* firm_1000mw_30pkr */
    assert_true(d->blocks[0].mw == 1000.0 && d->blocks[0].load_factor == 0.5);
    scenario_free(sc);
    /* a grid whose end is not on it stops below it; one whose end is a
     * rounding error past from + k step keeps it; without a tariff list the
     * points keep their blocks' tariffs */
    static const char *const grids[][2] = {
        {"[0, 1000, 300]", "4"}, {"[0, 0.3, 0.1]", "4"}, {"[250, 250, 100]", "1"}};
    for (size_t g = 0; g < 3; ++g) {
        char text[512];
        snprintf(text, sizeof text,
                 "  mw: %s\n  variants:\n    - name: v\n      priority: miners_first\n"
                 "      blocks: [{name: d, kind: firm, mw: 2, tariff_pkr_per_kwh: 22.5, "
                 "recovery: 1}]\n",
                 grids[g][0]);
        sc = sweep_file(*st, "grid", "", text);
        assert_int_equal(sc->n_scen, 1 + atoi(grids[g][1]));
        const econ_scenario_t *last = &sc->scen[sc->n_scen - 1];
        assert_true(isnan(last->sweep_tariff_pkr_per_kwh));
        assert_true(last->blocks[0].tariff_pkr_per_kwh == 22.5);
        assert_true(last->blocks[0].mw == last->sweep_mw);
        scenario_free(sc);
    }
}

/* Every point of a sweep is the scenario it stands for: the same metrics,
 * bit for bit, as a run of the baseline and that scenario written out (same
 * seed, same trials: the draws depend only on seed and trial), and the 0 MW
 * point is the baseline itself. */
static void test_sweep_points_equal_separate_runs(void **st)
{
    fx_t *f = *st;
    static const char *const sweep =
        "  mw: [0, 1000, 500]\n  tariffs_pkr_per_kwh: [30]\n  variants:\n"
        "    - name: mix\n      priority: pro_rata\n      blocks:\n"
        "        - {name: m, kind: flexible, mw: 300, tariff_pkr_per_kwh: 22.5, recovery: 0.9, "
        "region: north}\n"
        "        - {name: d, kind: firm, mw: 100, load_factor: 0.8, tariff_pkr_per_kwh: 22.5, "
        "recovery: 1, region: south}\n";
    static const char *const written =
        "  - name: mix_500\n    priority: pro_rata\n    blocks:\n"
        "      - {name: m, kind: flexible, mw: 375, tariff_pkr_per_kwh: 30, recovery: 0.9, "
        "region: north}\n"
        "      - {name: d, kind: firm, mw: 125, load_factor: 0.8, tariff_pkr_per_kwh: 30, "
        "recovery: 1, region: south}\n";
    scenario_t *a = sweep_file(f, "swept", "", sweep), *b = sweep_file(f, "written", written, NULL);
    assert_int_equal(a->n_scen, 4);
    assert_int_equal(b->n_scen, 2);
    const uint64_t T = tu_scaled(4) + 1;
    results_t *ra = run(a, T, 0), *rb = run(b, T, 0);
    const size_t n = T * ra->years * sizeof(double);
    for (size_t m = 0; m < PK_N_METRICS; ++m) {
        if (memcmp(results_at(ra, 2, m, 0), results_at(rb, 1, m, 0), n))
            fail_msg("%s: the 500 MW point differs from the scenario written out",
                     pk_metrics[m].name);
        if (memcmp(results_at(ra, 1, m, 0), results_at(ra, 0, m, 0), n))
            fail_msg("%s: the 0 MW point differs from the baseline", pk_metrics[m].name);
    }
    for (size_t q = 0; q < PK_N_MONTH_Q; ++q)
        assert_memory_equal(results_month_at(ra, q, 2, 0), results_month_at(rb, q, 1, 0), 12 * n);
    assert_memory_equal(ra->drivers_v, rb->drivers_v, ra->n_drivers * n);
    /* and the point is not the baseline: the comparison can fail */
    assert_true(
        memcmp(results_at(ra, 2, PK_SERVED_MWH, 0), results_at(ra, 0, PK_SERVED_MWH, 0), n) != 0);
    results_free(ra);
    results_free(rb);
    scenario_free(a);
    scenario_free(b);
}

/* A `base:` file takes the base's data and replaces only its scenarios and
 * run settings; the stored text carries both files. */
static void test_overlay_policies(void **st)
{
    (void)st;
    scenario_t *sc = NULL;
    gr_err_t err = {0, {0}};
    assert_int_equal(scenario_load("inputs/pakistan/policies.yaml", &sc, &err), GR_OK);
    assert_int_equal(sc->n_scen, 6);
    assert_string_equal(sc->scen[3].name, "firm_allocation");
    assert_int_equal(sc->scen[3].priority, DISPATCH_FIRM_ALLOCATION);
    assert_int_equal(sc->scen[3].blocks_count, 4);                   /* YAML anchor *allocation */
    assert_int_equal(sc->scen[3].blocks[1].region, GR_REGION_SOUTH); /* mining at Hub */
    assert_int_equal(sc->scen[3].blocks[3].region, GR_REGION_NORTH); /* AI data centres */
    assert_int_equal(sc->trials, 4000);
    assert_int_equal(sc->horizon_years, 5);
    assert_int_equal(sc->n_units, 227);
    assert_non_null(sc->econ);
    assert_string_equal(sc->name, "pakistan-policies");
    assert_non_null(strstr(sc->yaml_text, "base: pakistan.yaml"));
    assert_non_null(strstr(sc->yaml_text, "# --- base: "));
    assert_non_null(strstr(sc->yaml_text, "refuel_interval_d"));
    scenario_free(sc);
}

/* An overlay may change any field; nested mappings merge key by key, so
 * the fields it does not name keep the base's values. */
static void test_overlay_merges(void **st)
{
    fx_t *f = *st;
    const scenario_t *ref = f->sc;
    scenario_t *sc;
    gr_err_t err = {0, {0}};
    assert_int_equal(load_overlay(f, "m.yaml",
                                  "economics:\n  fx: {drift: 0.08}\n"
                                  "  relax: fuel, derating\n",
                                  &sc, &err),
                     GR_OK);
    assert_true(sc->econ->fx.drift == 0.08);
    assert_int_equal(sc->econ->relax_mask, (1u << SUPPLY_FUEL) | (1u << SUPPLY_DERATING));
    assert_int_equal(ref->econ->relax_mask, 0);
    assert_true(sc->econ->fx.vol == ref->econ->fx.vol);
    assert_true(sc->econ->fx.start_pkr_per_usd == ref->econ->fx.start_pkr_per_usd);
    assert_true(sc->econ->bitcoin.process.start_usd == ref->econ->bitcoin.process.start_usd);
    assert_int_equal(sc->n_scen, ref->n_scen);
    assert_int_equal(sc->n_units, ref->n_units);
    assert_string_equal(sc->name, "o");
    scenario_free(sc);
}

/* text with every key replaced by val (for the tests' own texts; malloc'd). */
static char *subst(const char *text, const char *key, const char *val)
{
    const size_t kl = strlen(key);
    size_t n = strlen(text) + 1;
    for (const char *p = text; (p = strstr(p, key)); p += kl)
        n += strlen(val);
    char *o = malloc(n), *q = o;
    assert_non_null(o);
    for (const char *p = text; *p;)
        if (!strncmp(p, key, kl)) {
            q = stpcpy(q, val);
            p += kl;
        } else {
            *q++ = *p++;
        }
    *q = '\0';
    return o;
}

static void test_overlay_errors(void **st)
{
    fx_t *f = *st;
    char cwd[512], path[512];
    assert_non_null(getcwd(cwd, sizeof cwd));
    /* An overlay goes through the same rows as a plain file: every bound
     * holds (these were once skipped: seed 2^32 became 0, horizon 0 was
     * ignored). */
    const char *bad[][2] = {
        {"name: o\nbase: ROOT/inputs/pakistan/pakistan.yaml\nunits:\n  csv: u.csv\n",
         "o.yaml's dir/u.csv: cannot open"},
        {"name: o\nbase: ROOT/inputs/pakistan/nope.yaml\n", "nope.yaml: cannot open"},
        {"name: o\nbase: ROOT/inputs/pakistan/pakistan.yaml\nrun: {trials: 0}\n",
         "o.yaml:3: run.trials: must be a whole number in 1..1000000000"},
        {"name: o\nbase: ROOT/inputs/pakistan/pakistan.yaml\nrun: {seed: 4294967296}\n",
         "o.yaml:3: run.seed: must be a whole number in 0..4294967295"},
        {"name: o\nbase: ROOT/inputs/pakistan/pakistan.yaml\nhorizon_years: 0\n",
         "o.yaml:3: horizon_years: must be a whole number in 1..100"},
        {"name: o\nbase: ROOT/inputs/pakistan/pakistan.yaml\neconomics: {fx: {vol: 9}}\n",
         "o.yaml:3: economics.fx.vol: must be in [0, 2]"},
        {"base: ROOT/inputs/pakistan/pakistan.yaml\n", "must give its own 'name'"},
        {"name: o\nbase: o.yaml\n", "base: more than 8 files deep"},
        {"name: o\nbase: ROOT/inputs/pakistan/pakistan.yaml\nscenarios:\n"
         "  - {name: a, priority: pro_rata}\n  - {name: a, priority: pro_rata}\n",
         "o.yaml:5: scenario name 'a' given twice"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; ++i) {
        char *text = subst(bad[i][0], "ROOT", cwd);
        char *want = subst(bad[i][1], "o.yaml's dir", f->dir);
        tu_write(f->dir, "o.yaml", text, path, sizeof path);
        free(text);
        scenario_t *sc = NULL;
        gr_err_t err = {0, {0}};
        assert_int_equal(scenario_load(path, &sc, &err), GR_EINPUT);
        assert_null(sc);
        if (!strstr(err.msg, want))
            fail_msg("message '%s' lacks '%s'", err.msg, want);
        free(want);
    }
}

/* The bundled fleet adds up to the sourced totals (data README): hydro
 * 11,370 MW, nuclear 3,530, thermal 25,960 (whose split by fuel is an
 * estimate that must add up), wind 1,850, grid solar 3,600 - 2,813 net
 * metering = 787, bagasse 370. */
static void test_fleet_matches_sourced_totals(void **st)
{
    const scenario_t *sc = ((fx_t *)*st)->sc;
    double hydro = 0, nuclear = 0, thermal = 0, wind = 0, solar = 0, other = 0;
    for (size_t u = 0; u < sc->n_units; ++u) {
        const econ_tech_t *t = &sc->econ->technologies[sc->units[u].tech];
        const double mw = sc->units[u].capacity_mw;
        if (t->kind == TECH_HYDRO)
            hydro += mw;
        else if (t->kind == TECH_THERMAL)
            thermal += mw;
        else if (t->kind == TECH_WIND)
            wind += mw;
        else if (t->kind == TECH_SOLAR)
            solar += mw;
        else if (t->fuel == FUEL_NUCLEAR)
            nuclear += mw;
        else
            other += mw;
    }
    /* to 0.01 MW: block sizes are written with 6 decimals */
    assert_true(fabs(hydro - 11370) < 0.01 && fabs(nuclear - 3530) < 0.01);
    assert_true(fabs(thermal - 25960) < 0.01 && fabs(wind - 1850) < 0.01);
    assert_true(fabs(solar - (3600 - 2813)) < 0.01 && fabs(other - 370) < 0.01);
}

/* Each bad economic input names its file, line and field, and loads
 * nothing. */
static void test_bad_economic_inputs(void **st)
{
    fx_t *f = *st;
    expect_bad(f, "economics: {bitcoin: {fee_share: 1.5}}\n",
               "bad.yaml:3: economics.bitcoin.fee_share: must be in [0, 1)");
    expect_bad(f, "economics: {hydro: {cv: -1}}\n", "bad.yaml:3: economics.hydro.cv: must be in");
    expect_bad(f,
               "economics:\n  hydro:\n    monthly_share: [0.035, 0.035, 0.145, 0.065, 0.095, "
               "0.125, 0.145, 0.145, 0.115, 0.080, 0.060, 0.055]\n",
               "economics.hydro.monthly_share: the 12 shares sum to 1.1, not 1");
    expect_bad(f,
               "scenarios:\n  - {name: baseline, priority: miners_first}\n"
               "  - {name: allocation, priority: first_come}\n",
               "bad.yaml:5: scenarios[1].priority: 'first_come' is not one of");
    expect_bad(f,
               "scenarios:\n  - {name: baseline, priority: miners_first}\n"
               "  - {name: a, priority: miners_first, blocks: [{name: m, kind: flexible, "
               "mw: -1500, tariff_pkr_per_kwh: 22.5, recovery: 1}]}\n",
               "bad.yaml:5: scenarios[1].blocks[0].mw: must be in [0, 100000]");
    expect_bad(f, "economics: {fx: {corr_brent: 1.0}}\n",
               "bad.yaml:3: economics.fx.corr_brent: must be in (-1, 1)");
    /* a replay's observed months must be the simulated months: a table
     * from January under a July start is refused, at its first row */
    char obs[2048], path[512];
    size_t n = (size_t)snprintf(obs, sizeof obs, "month,hydro_gwh\n");
    for (int m = 1; m <= 12; ++m)
        n += (size_t)snprintf(obs + n, sizeof obs - n, "2024-%02d,3000\n", m);
    tu_write(f->dir, "obs.csv", obs, path, sizeof path);
    expect_bad(f,
               "horizon_years: 1\nstart_year: 2024\nstart_month: 7\n"
               "economics: {observed_csv: obs.csv}\n",
               "obs.csv:2: column 'month': '2024-01' is not 2024-07");
    /* the same table under a January start loads */
    scenario_t *ok;
    gr_err_t oerr = {0, {0}};
    if (load_overlay(f, "obs.yaml",
                     "horizon_years: 1\nstart_year: 2024\neconomics: {observed_csv: obs.csv}\n",
                     &ok, &oerr))
        fail_msg("a January table under a January start: %s", oerr.msg);
    scenario_free(ok);
    /* one technology changed, the others as loaded: the list starts on
     * line 5 of the overlay, one technology a line */
    char *t = techs_overlay(f->sc, "wind", "wind", 0.2), want[128];
    snprintf(want, sizeof want, "bad.yaml:%d: technology 'wind': must_take_share is for thermal",
             5 + tech_index(f->sc, "wind"));
    expect_bad(f, t, want);
    free(t);
    t = techs_overlay(f->sc, "rfo", "hfo", NAN);
    expect_bad(f, t,
               "units.csv:29: unit 'rfo_north#1': type 'rfo' is not one of economics.technologies");
    free(t);
    /* the generated list itself loads: each refusal above is its one change */
    t = techs_overlay(f->sc, "rfo", "rfo", NAN);
    scenario_t *sc;
    gr_err_t err = {0, {0}};
    if (load_overlay(f, "good.yaml", t, &sc, &err))
        fail_msg("the unchanged technologies do not load: %s", err.msg);
    assert_int_equal(sc->econ->technologies_count, f->sc->econ->technologies_count);
    scenario_free(sc);
    free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_miner_energy_identity, restore),
        cmocka_unit_test_teardown(test_tariff_monotone_revenue, restore),
        cmocka_unit_test_teardown(test_energy_balance_and_fiscal_identity, restore),
        cmocka_unit_test_teardown(test_by_technology_adds_up, restore),
        cmocka_unit_test_teardown(test_consumer_hours_hand_solved, restore),
        cmocka_unit_test_teardown(test_fiscal_lines_from_inputs, restore),
        cmocka_unit_test_teardown(test_fuel_passthrough_recovers_fuel_cost, restore),
        cmocka_unit_test_teardown(test_fca_leaves_allocation_out, restore),
        cmocka_unit_test_teardown(test_miners_follow_rebased_tariff, restore),
        cmocka_unit_test_teardown(test_mining_profit_and_breakeven_by_hand, restore),
        cmocka_unit_test_teardown(test_fca_basis_all, restore),
        cmocka_unit_test_teardown(test_fiscal_accounts_by_hand, restore),
        cmocka_unit_test_teardown(test_breakeven_tariffs_zero_the_books, restore),
        cmocka_unit_test_teardown(test_mining_breakeven_zero_profit, restore),
        cmocka_unit_test_teardown(test_mining_profit_when_curtailed, restore),
        cmocka_unit_test(test_block_kinds_by_hand),
        cmocka_unit_test_teardown(test_miners_idle_when_opex_exceeds_revenue, restore),
        cmocka_unit_test_teardown(test_deliverable_cap_binds, restore),
        cmocka_unit_test_teardown(test_demand_follows_level, restore),
        cmocka_unit_test_teardown(test_year_without_demand, restore),
        cmocka_unit_test_teardown(test_fleet_without_fixed_supply, restore),
        cmocka_unit_test_teardown(test_largest_fleet, restore),
        cmocka_unit_test_teardown(test_hydro_shaves_net_load, restore),
        cmocka_unit_test_teardown(test_hydro_at_peak_hour, restore),
        cmocka_unit_test_teardown(test_profile_times_bounded, restore),
        cmocka_unit_test_teardown(test_shed_events_are_runs, restore),
        cmocka_unit_test_teardown(test_longest_horizon_years_chain, restore),
        cmocka_unit_test_teardown(test_month_flows_sum_to_year, restore),
        cmocka_unit_test_teardown(test_replay_observed, restore),
        cmocka_unit_test_teardown(test_replay_month_labels, restore),
        cmocka_unit_test_teardown(test_bad_economic_inputs, restore),
        cmocka_unit_test_teardown(test_fleet_matches_sourced_totals, restore),
        cmocka_unit_test_teardown(test_overlay_policies, restore),
        cmocka_unit_test_teardown(test_sweep_expands, restore),
        cmocka_unit_test_teardown(test_sweep_points_equal_separate_runs, restore),
        cmocka_unit_test_teardown(test_overlay_merges, restore),
        cmocka_unit_test_teardown(test_overlay_errors, restore),
        cmocka_unit_test_teardown(test_corridor, restore),
        cmocka_unit_test_teardown(test_islands, restore),
        cmocka_unit_test_teardown(test_all_south_is_one_region, restore),
        cmocka_unit_test_teardown(test_rooftop_erosion, restore),
        cmocka_unit_test_teardown(test_demand_and_heat_from_the_weather, restore),
        cmocka_unit_test_teardown(test_policies_on_common_random_numbers, restore),
        cmocka_unit_test_teardown(test_threads_identical, restore),
        cmocka_unit_test_teardown(test_unit_order_changes_nothing, restore),
        cmocka_unit_test_teardown(test_must_take_floor, restore),
        cmocka_unit_test_teardown(test_settled_hours_exact, restore),
        cmocka_unit_test_teardown(test_kernel_ref, restore),
        cmocka_unit_test_teardown(test_hashprice_calibration, restore),
        cmocka_unit_test_teardown(test_zero_allocation_zero_delta, restore),
    };
    return cmocka_run_group_tests_name("pakistan", tests, setup, teardown);
}
