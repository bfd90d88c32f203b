/* test_supply.c - the v2 supply mechanisms (model/supply.c, dispatch_limited):
 * hand-solved energy-limited dispatch, span union, the refuelling renewal
 * process against its closed-form outage share, the per-trial draws, and on
 * the bundled Pakistan scenario: with every mechanism relaxed and no growth
 * only blackouts shed; each mechanism, relaxed alone, sheds no more; the
 * nuclear fleet's energy falls by the refuelling share; an hour whose need the
 * fuel-budget classes cover exactly sheds nothing. */
#include "testutil.h"

#include "../inputs/scenario.h"
#include "../kernels/dispatch.h"
#include "../model/pakistan.h"
#include "../model/sim.h"
#include "../model/supply.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* --- dispatch_limited ----------------------------------------------------- */

/* Worked by hand (docs/MODEL.md s.5b): residual 10, 20, 30, 40 MW, 25 MW of
 * other supply, 15 MW of the limited source. Need = 0, 0, 5, 15 (20 MWh).
 * With 30 MWh the other 10 shave the residual left (10, 20, 25, 25 with room
 * 15, 15, 10, 0) at level 17.5: 0, 2.5, 7.5, 0. With 12 MWh the need is cut
 * at level 4: 0, 0, 1, 11. With room for 10 MW only (need 0, 0, 5, 10 of
 * shortfalls 0, 0, 5, 15) and 8 MWh, the shortfalls are levelled: 15 - 8 =
 * 7 > 5, so all 8 go to the last hour (shortfalls 5, 7; levelling the
 * capped need instead would leave 3.5, 8.5). And it is the shortfalls, not
 * the residuals, that are levelled: with other 25, 25, 15, 25 the
 * shortfalls are 0, 0, 15, 15 (residuals 30 and 40), so 8 MWh go 4 and 4. */
static void test_limited_hand_solved(void **st)
{
    (void)st;
    const double res[4] = {10, 20, 30, 40}, oth[4] = {25, 25, 25, 25}, cap[4] = {15, 15, 15, 15};
    double scr[12], out[4];
    for (int ref = 0; ref < 2; ++ref) {
        double used = dispatch_limited(res, oth, cap, 4, 30.0, ref, scr, out);
        const double want[4] = {0, 2.5, 12.5, 15};
        for (int h = 0; h < 4; ++h)
            if (fabs(out[h] - want[h]) > 1e-6)
                fail_msg("ref %d: hour %d: %g, want %g", ref, h, out[h], want[h]);
        assert_true(fabs(used - 30.0) < 1e-6);
        used = dispatch_limited(res, oth, cap, 4, 12.0, ref, scr, out);
        const double cut[4] = {0, 0, 1, 11};
        for (int h = 0; h < 4; ++h)
            if (fabs(out[h] - cut[h]) > 1e-6)
                fail_msg("ref %d, short: hour %d: %g, want %g", ref, h, out[h], cut[h]);
        assert_true(fabs(used - 12.0) < 1e-6);
        const double cap10[4] = {10, 10, 10, 10}, deep[4] = {0, 0, 0, 8};
        used = dispatch_limited(res, oth, cap10, 4, 8.0, ref, scr, out);
        for (int h = 0; h < 4; ++h)
            if (fabs(out[h] - deep[h]) > 1e-6)
                fail_msg("ref %d, capped: hour %d: %g, want %g", ref, h, out[h], deep[h]);
        assert_true(fabs(used - 8.0) < 1e-6);
        const double oth2[4] = {25, 25, 15, 25}, even[4] = {0, 0, 4, 4};
        used = dispatch_limited(res, oth2, cap10, 4, 8.0, ref, scr, out);
        for (int h = 0; h < 4; ++h)
            if (fabs(out[h] - even[h]) > 1e-6)
                fail_msg("ref %d, other varies: hour %d: %g, want %g", ref, h, out[h], even[h]);
        assert_true(fabs(used - 8.0) < 1e-6);
        /* more energy than can be used: every hour's room up to the residual */
        used = dispatch_limited(res, oth, cap, 4, 1000.0, ref, scr, out);
        const double full[4] = {10, 15, 15, 15};
        for (int h = 0; h < 4; ++h)
            assert_true(fabs(out[h] - full[h]) < 1e-9);
        assert_true(fabs(used - 55.0) < 1e-9);
    }
}

/* With nothing else (other = infinite) it is the hydro solver, bit for bit;
 * on random months the output stays within capacity, sums to the energy,
 * covers every hour's need first and agrees with the reference solver. */
static void test_limited_properties(void **st)
{
    (void)st;
    enum { N = 744 };
    static double res[N], oth[N], cap[N], out[N], o2[N], scr[3 * N];
    uint64_t x = 88172645463325252ull;
    for (int rep = 0; rep < 200; ++rep) {
        for (int h = 0; h < N; ++h) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            res[h] = 8000.0 + (double)(x % 16000);
            oth[h] = 6000.0 + (double)((x >> 20) % 12000);
            cap[h] = (double)((x >> 40) % 5000);
        }
        const double e = 1e3 * (double)(x % 3000);
        double need = 0;
        for (int h = 0; h < N; ++h) {
            double d = res[h] - oth[h];
            d = d > 0 ? d : 0;
            need += d < cap[h] ? d : cap[h];
        }
        const double used = dispatch_limited(res, oth, cap, N, e, 0, scr, out);
        const double used_ref = dispatch_limited(res, oth, cap, N, e, 1, scr, o2);
        double sum = 0;
        for (int h = 0; h < N; ++h) {
            assert_true(out[h] >= 0.0 && out[h] <= cap[h] + 1e-9);
            assert_true(fabs(out[h] - o2[h]) <= 1e-6 * (1.0 + cap[h]));
            double d = res[h] - oth[h];
            d = d > 0 ? (d < cap[h] ? d : cap[h]) : 0;
            if (e >= need && out[h] < d - 1e-6)
                fail_msg("hour %d: need %g uncovered (%g) with enough energy", h, d, out[h]);
            sum += out[h];
        }
        assert_true(fabs(sum - used) <= 1e-6 * (1 + used));
        assert_true(fabs(used - used_ref) <= 1e-6 * (1 + used));
        assert_true(used <= e * (1 + 1e-9) + 1e-9);
        for (int h = 0; h < N; ++h)
            oth[h] = INFINITY;
        dispatch_limited(res, oth, cap, N, e, 0, scr, out);
        dispatch_hydro(res, cap, N, e, o2);
        assert_memory_equal(out, o2, sizeof out);
    }
}

/* --- spans ------------------------------------------------------------------ */

static void test_union_spans(void **st)
{
    (void)st;
    outage_span_t v[] = {{50, 60}, {0, 10}, {5, 20}, {20, 25}, {70, 71}, {55, 58}};
    const size_t n = supply_union_spans(v, 6);
    assert_int_equal(n, 3);
    assert_true(v[0].down_h == 0 && v[0].up_h == 25); /* touching spans join */
    assert_true(v[1].down_h == 50 && v[1].up_h == 60);
    assert_true(v[2].down_h == 70 && v[2].up_h == 71);
    outage_span_t one = {3, 4};
    assert_int_equal(supply_union_spans(&one, 1), 1);
    outage_span_t two[] = {{5, 20}, {0, 10}}; /* a forced outage inside a refuelling */
    assert_int_equal(supply_union_spans(two, 2), 1);
    assert_true(two[0].down_h == 0 && two[0].up_h == 20);
}

/* The renewal process of planned outages: the long-run share of hours out is
 * E[length] / E[interval] (renewal-reward), and the phase is stationary, so
 * the mean over trials of the share over 5 years matches it within 4
 * standard errors; spans are sorted, disjoint, inside the horizon. */
static void test_refuel_share(void **st)
{
    (void)st;
    double iv[2] = {426, 548}, ov[2] = {60, 79};
    econ_tech_t tc = {.refuel_interval_d = iv,
                      .refuel_interval_d_count = 2,
                      .refuel_outage_d = ov,
                      .refuel_outage_d_count = 2};
    scen_unit_t u = {.stream = 0x80001234u};
    const int32_t H = 5 * 8760;
    outage_span_t sp[64];
    const uint64_t N = tu_scaled(4000);
    double s = 0, s2 = 0;
    for (uint64_t t = 0; t < N; ++t) {
        const size_t n = supply_refuel_spans(&tc, &u, 7, t, H, sp, 64);
        assert_true(n >= 2 && n <= 64);
        double out = 0;
        for (size_t i = 0; i < n; ++i) {
            assert_true(sp[i].down_h >= 0 && sp[i].up_h <= H && sp[i].up_h > sp[i].down_h);
            assert_true(sp[i].up_h - sp[i].down_h <= 79 * 24 + 1);
            if (i)
                assert_true(sp[i].down_h > sp[i - 1].up_h);
            out += sp[i].up_h - sp[i].down_h;
        }
        const double f = out / H;
        s += f;
        s2 += f * f;
    }
    const double mean = s / (double)N, sd = sqrt(s2 / (double)N - mean * mean);
    TU_WITHIN_SE(mean, 69.5 / 487.0, sd / sqrt((double)N), 4.0);
    /* a unit's planned outages are its own: another stream, other spans */
    scen_unit_t u2 = {.stream = 0x80001235u};
    outage_span_t a[64], b[64];
    const size_t na = supply_refuel_spans(&tc, &u, 7, 3, H, a, 64);
    const size_t nb = supply_refuel_spans(&tc, &u2, 7, 3, H, b, 64);
    assert_false(na == nb && !memcmp(a, b, na * sizeof *a));
    /* too little room: the count is still right, and a second call fills it */
    outage_span_t small[1];
    assert_int_equal(supply_refuel_spans(&tc, &u, 7, 3, H, small, 1), na);
    assert_true(small[0].down_h == a[0].down_h && small[0].up_h == a[0].up_h);
}

/* --- draws ------------------------------------------------------------------ */

static void test_draws(void **st)
{
    (void)st;
    double peak[2] = {7500, 8949}, ror[2] = {0.45, 0.48}, mmcfd[2] = {400, 500};
    double der[2] = {0.004, 0.007}, un[2] = {1000, 1000}, pk[2] = {1.0, 1.25};
    econ_tech_t techs[2] = {{.name = "rlng",
                             .kind = TECH_THERMAL,
                             .fuel = FUEL_RLNG,
                             .heat_rate_mmbtu_per_mwh = 7.5,
                             .fuel_mmcfd = mmcfd,
                             .fuel_mmcfd_count = 2,
                             .derate_per_c = der,
                             .derate_per_c_count = 2,
                             .fuel_peak_ratio = pk,
                             .fuel_peak_ratio_count = 2},
                            {.name = "gas",
                             .kind = TECH_THERMAL,
                             .fuel = FUEL_GAS,
                             .heat_rate_mmbtu_per_mwh = 11.5,
                             .unavailable_mw = un,
                             .unavailable_mw_count = 2}};
    econ_t e = {.technologies = techs, .technologies_count = 2};
    e.hydro.peak_mw = peak;
    e.hydro.peak_mw_count = 2;
    e.hydro.ror_share = ror;
    e.hydro.ror_share_count = 2;
    const double inst[2] = {8900, 4000};
    const uint64_t N = tu_scaled(20000);
    double sp = 0, sf = 0, sr = 0;
    supply_draw_t d;
    for (uint64_t t = 0; t < N; ++t) {
        supply_draw(&e, inst, 11, t, &d);
        assert_true(d.hydro_peak_mw >= 7500 && d.hydro_peak_mw <= 8949);
        assert_true(d.hydro_ror_share >= 0.45 && d.hydro_ror_share <= 0.48);
        const double mmcfd_drawn = d.fuel_mwh_per_day[0] * 7.5 / SUPPLY_MMBTU_PER_MMCF;
        assert_true(mmcfd_drawn >= 400 - 1e-9 && mmcfd_drawn <= 500 + 1e-9);
        assert_true(isinf(d.fuel_mwh_per_day[1]));
        /* the hourly gas limit: the drawn ratio times the budget's mean MW */
        const double ratio = d.drawn_fuel_peak_ratio[0];
        assert_true(ratio >= 1.0 && ratio <= 1.25);
        assert_true(fabs(d.fuel_peak_mw[0] - ratio * d.fuel_mwh_per_day[0] / 24.0) <=
                    1e-12 * d.fuel_peak_mw[0]);
        assert_true(isinf(d.fuel_peak_mw[1]) && d.drawn_fuel_peak_ratio[1] == 0.0);
        sr += ratio;
        assert_true(d.derate_per_c[0] >= 0.004 && d.derate_per_c[0] <= 0.007);
        assert_true(d.derate_per_c[1] == 0.0);
        assert_true(fabs(d.avail_share[1] - 0.75) < 1e-12 && d.avail_share[0] == 1.0);
        assert_true(d.drawn_unavailable_mw == 1000.0); /* the output's old_plants_mw */
        sp += d.hydro_peak_mw;
        sf += mmcfd_drawn;
    }
    /* uniform: mean (a + b) / 2, sd (b - a) / sqrt(12) */
    TU_WITHIN_SE(sp / (double)N, 8224.5, 1449.0 / sqrt(12.0 * (double)N), 4.0);
    TU_WITHIN_SE(sf / (double)N, 450.0, 100.0 / sqrt(12.0 * (double)N), 4.0);
    TU_WITHIN_SE(sr / (double)N, 1.125, 0.25 / sqrt(12.0 * (double)N), 4.0);
    /* each parameter has its own stream: changing the RLNG range leaves the
     * hydro draws as they were */
    supply_draw_t a, b;
    supply_draw(&e, inst, 11, 5, &a);
    mmcfd[1] = 900;
    supply_draw(&e, inst, 11, 5, &b);
    assert_true(a.hydro_peak_mw == b.hydro_peak_mw && a.hydro_ror_share == b.hydro_ror_share);
    assert_true(a.derate_per_c[0] == b.derate_per_c[0]);
    assert_true(a.fuel_mwh_per_day[0] != b.fuel_mwh_per_day[0]);
    /* and the ratio has its own stream: its range leaves the budget alone */
    pk[1] = 2.0;
    supply_draw(&e, inst, 11, 5, &a);
    assert_true(a.fuel_mwh_per_day[0] == b.fuel_mwh_per_day[0]);
    assert_true(a.drawn_fuel_peak_ratio[0] != b.drawn_fuel_peak_ratio[0]);
    /* relaxing the rate alone keeps the budget; the ratio stays as drawn */
    e.relax_mask = 1u << SUPPLY_FUEL_RATE;
    supply_draw(&e, inst, 11, 5, &b);
    assert_true(isinf(b.fuel_peak_mw[0]) && b.fuel_mwh_per_day[0] == a.fuel_mwh_per_day[0]);
    assert_true(b.drawn_fuel_peak_ratio[0] == a.drawn_fuel_peak_ratio[0]);
    /* relaxed: neutral values */
    e.relax_mask = (1u << SUPPLY_N_MECH) - 1;
    supply_draw(&e, inst, 11, 5, &d);
    assert_true(isinf(d.hydro_peak_mw) && d.hydro_ror_share == 0.0);
    assert_true(isinf(d.fuel_mwh_per_day[0]) && d.derate_per_c[0] == 0.0);
    assert_true(isinf(d.fuel_peak_mw[0]));
    assert_true(d.avail_share[1] == 1.0);
    assert_true(supply_derate_factor(0.01, 45.0) == 1.0 - 0.3);
    assert_true(supply_derate_factor(0.01, 10.0) == 1.0);
    assert_true(supply_derate_factor(0.05, 60.0) == 0.0);
}

/* A fleet that changed: unavailable_before_mw is drawn at the quantile of
 * unavailable_mw (one stream), so [0, 1000] before and [1000, 2000] from
 * the change put exactly 1000 MW more out in every trial; relaxing
 * old_plants makes both shares 1. */
static void test_unavailable_before_draws(void **st)
{
    (void)st;
    double un[2] = {1000, 2000}, before[2] = {0, 1000};
    econ_tech_t tech = {.name = "rfo",
                        .kind = TECH_THERMAL,
                        .fuel = FUEL_RFO,
                        .heat_rate_mmbtu_per_mwh = 9.0,
                        .unavailable_mw = un,
                        .unavailable_mw_count = 2,
                        .unavailable_from = "2024-10",
                        .unavailable_before_mw = before,
                        .unavailable_before_mw_count = 2};
    econ_t e = {.technologies = &tech, .technologies_count = 1};
    const double inst[1] = {4000};
    double lo = 1.0, hi = 0.0;
    for (uint64_t t = 0; t < 200; ++t) {
        supply_draw_t d;
        supply_draw(&e, inst, 3, t, &d);
        const double out = (1.0 - d.avail_share[0]) * 4000,
                     out0 = (1.0 - d.avail_share_before[0]) * 4000;
        if (fabs(out - out0 - 1000.0) > 1e-9)
            fail_msg("trial %llu: %g MW out from the change, %g before", (unsigned long long)t, out,
                     out0);
        lo = d.avail_share_before[0] < lo ? d.avail_share_before[0] : lo;
        hi = d.avail_share_before[0] > hi ? d.avail_share_before[0] : hi;
    }
    assert_true(lo < 0.8 && hi > 0.95); /* the draws do range over [0, 1000] */
    e.relax_mask = 1u << SUPPLY_OLD_PLANTS;
    supply_draw_t d;
    supply_draw(&e, inst, 3, 7, &d);
    assert_true(d.avail_share[0] == 1.0 && d.avail_share_before[0] == 1.0);
}

/* --- the mechanisms in the Pakistan model ------------------------------------ */

static results_t *run_pk_kernel(const scenario_t *sc, uint64_t trials, sim_kernel_t kernel)
{
    const sim_opts_t o = {.seed = 99, .trials = trials, .threads = 0, .kernel = kernel};
    results_t *r = NULL;
    gr_err_t err = {0, {0}};
    if (sim_run(sc, &o, &r, &err))
        fail_msg("run failed: %s", err.msg);
    return r;
}

static results_t *run_pk(const scenario_t *sc, uint64_t trials)
{
    return run_pk_kernel(sc, trials, SIM_KERNEL_FAST);
}

static scenario_t *load_bundled(void)
{
    scenario_t *sc = NULL;
    gr_err_t err = {0, {0}};
    if (scenario_load("inputs/pakistan/pakistan.yaml", &sc, &err))
        fail_msg("%s", err.msg);
    return sc;
}

/* Every supply mechanism relaxed and no demand growth: the fleet (44 GW
 * against a 27 GW peak) sheds only in blackouts, in every trial, year and
 * scenario; and, on the same draws, relaxing any one mechanism never sheds
 * more on average than the full model. The second holds for one region:
 * with the corridor, hydro and the fuel budgets are scheduled on the
 * national need (docs/MODEL.md s.2b), so relaxing one of them can move
 * energy to hours the corridor then limits (relaxing hydro raises the
 * two-region unserved energy by ~1% on these draws); the corridor itself is
 * checked against the one-region model in test_pakistan.c. */
static void test_relaxed_only_blackouts(void **st)
{
    (void)st;
    scenario_t *sc = load_bundled();
    sc->horizon_years = 2;
    econ_t *e = sc->econ;
    e->demand.growth_mean = e->demand.growth_sd = 0.0;
    const unsigned all = (1u << SUPPLY_N_MECH) - 1;
    e->relax_mask = all;
    const uint64_t N = tu_scaled(100);
    results_t *r = run_pk(sc, N);
    double bo = 0;
    for (size_t s = 0; s < sc->n_scen; ++s)
        for (uint64_t t = 0; t < N; ++t)
            for (size_t y = 0; y < 2; ++y) {
                const double b = results_driver_at(r, PK_D_BLACKOUT_H, t)[y];
                const double h = results_at(r, s, PK_SHED_HOURS, t)[y];
                if (h != b)
                    fail_msg("scenario %zu trial %llu year %zu: %g shed hours, %g blackout", s,
                             (unsigned long long)t, y, h, b);
                assert_true(results_at(r, s, PK_SHED_MAX_MW, t)[y] == 0.0);
                bo += b;
            }
    assert_true(bo > 0); /* the test sees blackouts at all */
    results_free(r);
    e->network.corridor_mw_count = 0; /* one region from here: see above */
    e->relax_mask = 0;
    r = run_pk(sc, N);
    double full = 0;
    for (uint64_t t = 0; t < N; ++t)
        full += results_at(r, 0, PK_UNSERVED_MWH, t)[0] + results_at(r, 0, PK_UNSERVED_MWH, t)[1];
    results_free(r);
    assert_true(full > 0); /* the mechanisms do shed */
    for (int k = 0; k < SUPPLY_N_MECH; ++k) {
        e->relax_mask = 1u << k;
        r = run_pk(sc, N);
        double one = 0;
        for (uint64_t t = 0; t < N; ++t)
            one +=
                results_at(r, 0, PK_UNSERVED_MWH, t)[0] + results_at(r, 0, PK_UNSERVED_MWH, t)[1];
        results_free(r);
        if (!(one <= full * (1 + 1e-9)))
            fail_msg("relaxing %s raised unserved energy %g -> %g", supply_mech_names[k], full,
                     one);
    }
    scenario_free(sc);
}

static size_t tech_of(const econ_t *e, const char *name)
{
    for (size_t c = 0; c < e->technologies_count; ++c)
        if (!strcmp(e->technologies[c].name, name))
            return c;
    fail_msg("no technology '%s'", name);
    return 0;
}

/* An hour whose need the fuel-budget classes cover exactly is served in
 * full: rounding in the sum of supplies is not a shortfall. All thermal
 * units become gas-fired with a budget far beyond any use, every other
 * mechanism is relaxed and demand does not grow: the same fleet as
 * test_relaxed_only_blackouts, so again only blackouts shed, but now the
 * budgeted classes carry every hour's residual load. */
static void test_exact_cover_sheds_nothing(void **st)
{
    (void)st;
    scenario_t *sc = load_bundled();
    sc->horizon_years = 1;
    econ_t *e = sc->econ;
    e->demand.growth_mean = e->demand.growth_sd = 0.0;
    e->relax_mask = ((1u << SUPPLY_N_MECH) - 1) & ~(1u << SUPPLY_FUEL);
    const size_t gas = tech_of(e, "gas"), rlng = tech_of(e, "rlng_ccgt");
    for (size_t u = 0; u < sc->n_units; ++u) {
        const size_t c = (size_t)sc->units[u].tech;
        if (e->technologies[c].kind == TECH_THERMAL && c != rlng)
            sc->units[u].tech = (int)gas;
    }
    const size_t lim[2] = {gas, rlng};
    for (size_t k = 0; k < 2; ++k) {
        econ_tech_t *t = &e->technologies[lim[k]];
        assert_true(t->fuel_mmcfd_count > 0);
        for (unsigned i = 0; i < t->fuel_mmcfd_count; ++i)
            t->fuel_mmcfd[i] = 1e6; /* ~5,000 GW of gas-fired output */
    }
    const uint64_t N = tu_scaled(20);
    results_t *r = run_pk(sc, N);
    for (size_t s = 0; s < sc->n_scen; ++s)
        for (uint64_t t = 0; t < N; ++t) {
            const double b = results_driver_at(r, PK_D_BLACKOUT_H, t)[0];
            const double h = results_at(r, s, PK_SHED_HOURS, t)[0];
            if (h != b)
                fail_msg("scenario %zu trial %llu: %g shed hours, %g in blackouts (largest "
                         "shortfall %g MW)",
                         s, (unsigned long long)t, h, b, results_at(r, s, PK_SHED_MAX_MW, t)[0]);
            assert_true(results_at(r, s, PK_SHED_MAX_MW, t)[0] == 0.0);
        }
    /* the budgeted classes did carry the thermal load */
    const double *g = results_tech_at(r, RESULTS_TECH_GEN_MWH, 0, 0);
    assert_true(g[gas] + g[rlng] > 0.99 * results_at(r, 0, PK_THERMAL_MWH, 0)[0]);
    /* and, with budgets that never bind and every thermal class budgeted,
     * cheapest first is the merit order: the same generation by technology
     * as with the budgets switched off (each class leaves the next only the
     * residual it did not serve) */
    e->relax_mask |= 1u << SUPPLY_FUEL;
    results_t *m = run_pk(sc, N);
    const size_t T = e->technologies_count;
    for (uint64_t t = 0; t < N; ++t) {
        const double *a = results_tech_at(r, RESULTS_TECH_GEN_MWH, 0, t);
        const double *b = results_tech_at(m, RESULTS_TECH_GEN_MWH, 0, t);
        for (size_t c = 0; c < T; ++c)
            if (fabs(a[c] - b[c]) > 1e-6 * (1.0 + b[c]))
                fail_msg("trial %llu, %s: %.9g MWh with unbinding budgets, %.9g in merit order",
                         (unsigned long long)t, e->technologies[c].name, a[c], b[c]);
    }
    results_free(m);
    results_free(r);
    scenario_free(sc);
}

/* Generation by technology adds up to the energy served, also when a
 * deliverable cap cuts the hour below what the budgeted classes were
 * scheduled to give (their output is cut, not served twice). The cap is a
 * one-region (v1) limit: the loader refuses it with a network. Under both
 * kernels: the default takes such an hour's dispatch from the settling
 * pass, --kernel events works it out hour by hour. */
static void test_cap_cuts_budgeted_output(void **st)
{
    (void)st;
    scenario_t *sc = load_bundled();
    sc->horizon_years = 1;
    sc->econ->network.corridor_mw_count = 0;
    sc->econ->deliverable_cap_mw = 12000.0;
    const uint64_t N = tu_scaled(10);
    const size_t T = sc->econ->technologies_count;
    const sim_kernel_t kernels[] = {SIM_KERNEL_FAST, SIM_KERNEL_EVENTS};
    for (size_t k = 0; k < 2; ++k) {
        results_t *r = run_pk_kernel(sc, N, kernels[k]);
        for (size_t s = 0; s < sc->n_scen; ++s)
            for (uint64_t t = 0; t < N; ++t) {
                const double *g = results_tech_at(r, RESULTS_TECH_GEN_MWH, s, t);
                double sum = 0;
                for (size_t c = 0; c < T; ++c)
                    sum += g[c];
                const double served = results_at(r, s, PK_SERVED_MWH, t)[0];
                if (fabs(sum - served) > 1e-9 * served)
                    fail_msg("kernel %zu, scenario %zu trial %llu: generation %.9g MWh, served "
                             "%.9g",
                             k, s, (unsigned long long)t, sum, served);
                assert_true(results_at(r, s, PK_SHED_HOURS, t)[0] > 1000.0); /* the cap binds */
            }
        results_free(r);
    }
    scenario_free(sc);
}

/* Hot days derate plants: with every month at 15 C (no derating on an
 * average day), 10 C per sd of the weather anomaly and 1%/C on one class,
 * the year's hottest day (the largest of 365 AR(1) days, about 2.5-3.5 sd)
 * takes 25-35% of that class: heat_derate_max well above 15%, below 60%. */
static void test_hot_days_derate(void **st)
{
    (void)st;
    scenario_t *sc = load_bundled();
    sc->horizon_years = 1;
    econ_t *e = sc->econ;
    for (unsigned m = 0; m < 12; ++m)
        e->demand.temperature_c[m] = 15.0;
    e->demand.temperature_per_sd_c = 10.0;
    double one[2] = {0.01, 0.01};
    for (size_t c = 0; c < e->technologies_count; ++c)
        e->technologies[c].derate_per_c_count = 0;
    econ_tech_t *t = &e->technologies[tech_of(e, "coal")];
    t->derate_per_c = one;
    t->derate_per_c_count = 2;
    const uint64_t N = tu_scaled(40);
    results_t *r = run_pk(sc, N);
    for (uint64_t k = 0; k < N; ++k) {
        const double d = results_driver_at(r, PK_D_HEAT_DERATE_MAX, k)[0];
        if (!(d > 0.15 && d < 0.6))
            fail_msg("trial %llu: hottest day derates %.3f of the class", (unsigned long long)k, d);
    }
    results_free(r);
    /* no weather anomaly at all (sd 0): every day is its month's, 40 C, so
     * the class loses exactly 1% x 25 C */
    e->demand.weather_sd = 0.0;
    for (unsigned m = 0; m < 12; ++m)
        e->demand.temperature_c[m] = 40.0;
    r = run_pk(sc, 2);
    for (uint64_t k = 0; k < 2; ++k)
        assert_true(fabs(results_driver_at(r, PK_D_HEAT_DERATE_MAX, k)[0] - 0.25) < 1e-12);
    results_free(r);
    scenario_free(sc);
}

/* Domestic gas depletes: with a budget that binds in every month (a large
 * gas fleet, a small supply) and a change of -50% a year, the second year
 * burns half the first year's gas, on the same draws. */
static void test_gas_depletes(void **st)
{
    (void)st;
    scenario_t *sc = load_bundled();
    sc->horizon_years = 2;
    econ_t *e = sc->econ;
    e->demand.growth_mean = e->demand.growth_sd = 0.0;
    const size_t gas = tech_of(e, "gas");
    econ_tech_t *t = &e->technologies[gas];
    double small[2] = {50, 60};
    t->fuel_mmcfd = small;
    t->fuel_mmcfd_count = 2;
    t->fuel_change_per_year = -0.5;
    const uint64_t N = tu_scaled(10);
    results_t *r = run_pk(sc, N);
    const size_t T = e->technologies_count;
    for (uint64_t k = 0; k < N; ++k) {
        const double *g = results_tech_at(r, RESULTS_TECH_GEN_MWH, 0, k);
        const double y0 = g[gas], y1 = g[T + gas];
        assert_true(y0 > 0.0);
        if (fabs(y1 / y0 - 0.5) > 1e-6)
            fail_msg("trial %llu: gas %.6g MWh then %.6g (ratio %.6f, want 0.5)",
                     (unsigned long long)k, y0, y1, y1 / y0);
    }
    results_free(r);
    scenario_free(sc);
}

/* unavailable_from switches a class's share out at a month: with the run
 * starting in April 2026, all of RFO out from October 2026 (none before)
 * is, bit for bit, RFO's monthly_availability of 1 from April to September
 * and 0 from October to March, on the same draws; from October 2027, in
 * a two-year run, the first year is the year without the change. */
static void test_unavailable_from_is_a_month(void **st)
{
    (void)st;
    scenario_t *sc = load_bundled();
    sc->horizon_years = 1;
    assert_true(sc->start_year == 2026);
    sc->start_month = 4;
    econ_t *e = sc->econ;
    const size_t rfo = tech_of(e, "rfo");
    double inst = 0.0;
    for (size_t u = 0; u < sc->n_units; ++u)
        inst += (size_t)sc->units[u].tech == rfo ? sc->units[u].capacity_mw : 0.0;
    econ_tech_t *t = &e->technologies[rfo];
    double all[1] = {inst}, none[1] = {0.0};
    t->unavailable_mw = all;
    t->unavailable_mw_count = 1;
    t->unavailable_before_mw = none;
    t->unavailable_before_mw_count = 1;
    t->unavailable_from_month = 2026 * 12 + 9; /* October */
    const uint64_t N = tu_scaled(6);
    results_t *a = run_pk(sc, N);
    double half[12] = {0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 0}; /* January first */
    t->unavailable_mw_count = 0;
    t->unavailable_before_mw_count = 0;
    t->monthly_availability = half;
    t->monthly_availability_count = 12;
    results_t *b = run_pk(sc, N);
    const size_t T = e->technologies_count;
    double rfo_mwh = 0.0;
    for (size_t s = 0; s < sc->n_scen; ++s)
        for (uint64_t k = 0; k < N; ++k) {
            assert_memory_equal(results_tech_at(a, RESULTS_TECH_GEN_MWH, s, k),
                                results_tech_at(b, RESULTS_TECH_GEN_MWH, s, k), T * sizeof(double));
            assert_true(results_at(a, s, PK_UNSERVED_MWH, k)[0] ==
                        results_at(b, s, PK_UNSERVED_MWH, k)[0]);
            rfo_mwh += results_tech_at(a, RESULTS_TECH_GEN_MWH, s, k)[rfo];
        }
    assert_true(rfo_mwh > 0.0); /* RFO did run in the first half */
    results_free(a);
    results_free(b);
    /* the month counts on across years: from October 2027, the first year
     * is, bit for bit, the year without the change, and the second runs
     * less RFO */
    sc->horizon_years = 2;
    t->monthly_availability_count = 0;
    t->unavailable_mw_count = t->unavailable_before_mw_count = 1;
    t->unavailable_from_month = 2027 * 12 + 9;
    results_t *c = run_pk(sc, N);
    t->unavailable_mw_count = t->unavailable_before_mw_count = 0;
    results_t *d = run_pk(sc, N);
    for (size_t s = 0; s < sc->n_scen; ++s)
        for (uint64_t k = 0; k < N; ++k) {
            assert_memory_equal(results_tech_at(c, RESULTS_TECH_GEN_MWH, s, k),
                                results_tech_at(d, RESULTS_TECH_GEN_MWH, s, k), T * sizeof(double));
            assert_true(results_tech_at(c, RESULTS_TECH_GEN_MWH, s, k)[T + rfo] <
                        results_tech_at(d, RESULTS_TECH_GEN_MWH, s, k)[T + rfo]);
        }
    results_free(c);
    results_free(d);
    scenario_free(sc);
}

/* Gas arrives at a daily rate: with every thermal unit gas-fired and a
 * budget of exactly X MW x 24 h a day at ratio 1 (so the month's volume
 * never binds: no hour may burn more than its share of it), the class gives
 * at most X MW in any hour, so at most X x 8,760 MWh in the year, and about
 * that (the residual load is above X in nearly every hour); and the limit
 * follows fuel_change_per_year (-50%: the second year at most X / 2). At
 * ratio 2 the month's volume binds instead (still at most X x 8,760 MWh a
 * year), but up to X more MW can move to the peak hour: the largest
 * shortfall falls, by more than X / 2 and never by more than X, on the
 * same draws; in the second year, whose limit is X / 2 at ratio 1 and X at
 * ratio 2, by more than X / 4 and never by more than X / 2. Every other
 * mechanism is relaxed, and there are no blackouts. */
static void test_gas_rate_caps_hourly(void **st)
{
    (void)st;
    scenario_t *sc = load_bundled();
    sc->horizon_years = 2;
    econ_t *e = sc->econ;
    e->demand.growth_mean = e->demand.growth_sd = 0.0;
    e->relax_mask = ((1u << SUPPLY_N_MECH) - 1) & ~(1u << SUPPLY_FUEL) & ~(1u << SUPPLY_FUEL_RATE);
    e->blackouts.rate_per_year = 0.0; /* a blackout hour's shortfall is the whole load */
    const size_t gas = tech_of(e, "gas");
    for (size_t u = 0; u < sc->n_units; ++u)
        if (e->technologies[(size_t)sc->units[u].tech].kind == TECH_THERMAL)
            sc->units[u].tech = (int)gas;
    econ_tech_t *t = &e->technologies[gas];
    const double x_mw = 3000.0, hr = t->heat_rate_mmbtu_per_mwh;
    double mmcfd[1] = {x_mw * 24.0 * hr / SUPPLY_MMBTU_PER_MMCF}, one[1] = {1.0};
    t->fuel_mmcfd = mmcfd;
    t->fuel_mmcfd_count = 1;
    t->fuel_peak_ratio = one;
    t->fuel_peak_ratio_count = 1;
    t->fuel_change_per_year = -0.5;
    const uint64_t N = tu_scaled(6);
    const size_t T = e->technologies_count;
    double peak_at_1[64][2];
    assert_true(N <= 64);
    for (int pass = 0; pass < 2; ++pass) {
        const double ratio = pass ? 2.0 : 1.0;
        one[0] = ratio;
        results_t *r = run_pk(sc, N);
        for (uint64_t k = 0; k < N; ++k) {
            const double *g = results_tech_at(r, RESULTS_TECH_GEN_MWH, 0, k);
            const double y0 = g[gas], y1 = g[T + gas], h = (double)sc->hours;
            if (!(y0 <= x_mw * h * (1.0 + 1e-12) && y0 >= 0.8 * x_mw * h))
                fail_msg("ratio %g, trial %llu: %.6g MWh of gas in year 1, limit %g MW", ratio,
                         (unsigned long long)k, y0, x_mw);
            if (!(y1 <= 0.5 * x_mw * h * (1.0 + 1e-12) && y1 >= 0.4 * x_mw * h))
                fail_msg("ratio %g, trial %llu: %.6g MWh of gas in year 2, limit %g MW", ratio,
                         (unsigned long long)k, y1, 0.5 * x_mw);
            /* the output's gas_peak_ratio: the gas-weighted draw of the
             * classes that have one (here gas alone; RLNG has none) */
            assert_true(results_driver_at(r, PK_D_GAS_PEAK_RATIO, k)[0] == ratio);
            for (size_t y = 0; y < 2; ++y) {
                const double peak = results_at(r, 0, PK_SHED_MAX_MW, k)[y];
                const double more_mw = y ? 0.5 * x_mw : x_mw; /* the limit's rise */
                if (!pass)
                    peak_at_1[k][y] = peak;
                else if (!(peak < peak_at_1[k][y] - 0.5 * more_mw &&
                           peak >= peak_at_1[k][y] - more_mw - 1e-6))
                    fail_msg("trial %llu, year %zu: largest shortfall %.6g MW at ratio 2, %.6g at "
                             "ratio 1",
                             (unsigned long long)k, y + 1, peak, peak_at_1[k][y]);
            }
        }
        results_free(r);
    }
    t->fuel_peak_ratio_count = 0; /* no class has a ratio: 0 */
    results_t *r = run_pk(sc, 1);
    assert_true(results_driver_at(r, PK_D_GAS_PEAK_RATIO, 0)[0] == 0.0);
    results_free(r);
    scenario_free(sc);
}

/* Run-of-river cannot shift: what flows in a blackout hour is spilled, not
 * added to the water the reservoirs shape. With all hydro run-of-river,
 * each month spills at least its share of hours in blackout, so the year's
 * largest monthly spill is at least the year's share of blackout hours. */
static void test_run_of_river_spills_in_blackouts(void **st)
{
    (void)st;
    scenario_t *sc = load_bundled();
    sc->horizon_years = 1;
    econ_t *e = sc->econ;
    e->relax_mask = ((1u << SUPPLY_N_MECH) - 1) & ~(1u << SUPPLY_HYDRO);
    e->blackouts.rate_per_year = 12.0;
    assert_true(e->hydro.ror_share_count > 0);
    for (unsigned i = 0; i < e->hydro.ror_share_count; ++i)
        e->hydro.ror_share[i] = 1.0;
    const uint64_t N = tu_scaled(20);
    results_t *r = run_pk(sc, N);
    double bo_all = 0;
    for (uint64_t t = 0; t < N; ++t) {
        const double bo = results_driver_at(r, PK_D_BLACKOUT_H, t)[0] / (double)r->hours;
        const double spill = results_at(r, 0, PK_HYDRO_SPILL_SHARE, t)[0];
        if (!(spill >= bo - 1e-9))
            fail_msg("trial %llu: %.4f of the year in blackout, largest monthly spill %.4f",
                     (unsigned long long)t, bo, spill);
        bo_all += bo;
    }
    assert_true(bo_all > 0); /* the test sees blackouts */
    results_free(r);
    scenario_free(sc);
}

/* Nuclear is must-run: with ample supply its energy is its availability, so
 * refuelling (60-79 days every 426-548) takes E[len] / E[interval] = 14.3% of
 * it, within sampling error, on the same forced-outage draws. */
static void test_refuelling_takes_its_share(void **st)
{
    (void)st;
    scenario_t *sc = load_bundled();
    sc->horizon_years = 3;
    econ_t *e = sc->econ;
    size_t nuc = 0;
    while (strcmp(e->technologies[nuc].name, "nuclear"))
        ++nuc;
    const uint64_t N = tu_scaled(300);
    e->relax_mask = (1u << SUPPLY_N_MECH) - 1;
    results_t *a = run_pk(sc, N);
    e->relax_mask &= ~(1u << SUPPLY_REFUELLING);
    results_t *b = run_pk(sc, N);
    double s = 0, s2 = 0;
    for (uint64_t t = 0; t < N; ++t) {
        const double *ga = results_tech_at(a, RESULTS_TECH_GEN_MWH, 0, t);
        const double *gb = results_tech_at(b, RESULTS_TECH_GEN_MWH, 0, t);
        double ea = 0, eb = 0;
        for (size_t y = 0; y < 3; ++y) {
            ea += ga[y * e->technologies_count + nuc];
            eb += gb[y * e->technologies_count + nuc];
        }
        assert_true(eb <= ea * (1 + 1e-12)); /* never more energy with outages added */
        const double f = 1.0 - eb / ea;
        s += f;
        s2 += f * f;
    }
    const double mean = s / (double)N, sd = sqrt(s2 / (double)N - mean * mean);
    /* refuelling is independent of forced outages, so it removes the same
     * share of the energy they leave (an overlap is counted once) */
    TU_WITHIN_SE(mean, 69.5 / 487.0, sd / sqrt((double)N), 4.0);
    results_free(a);
    results_free(b);
    scenario_free(sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_limited_hand_solved),
        cmocka_unit_test(test_limited_properties),
        cmocka_unit_test(test_union_spans),
        cmocka_unit_test(test_refuel_share),
        cmocka_unit_test(test_draws),
        cmocka_unit_test(test_gas_rate_caps_hourly),
        cmocka_unit_test(test_unavailable_before_draws),
        cmocka_unit_test(test_unavailable_from_is_a_month),
        cmocka_unit_test(test_exact_cover_sheds_nothing),
        cmocka_unit_test(test_run_of_river_spills_in_blackouts),
        cmocka_unit_test(test_cap_cuts_budgeted_output),
        cmocka_unit_test(test_gas_depletes),
        cmocka_unit_test(test_hot_days_derate),
        cmocka_unit_test(test_relaxed_only_blackouts),
        cmocka_unit_test(test_refuelling_takes_its_share),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
