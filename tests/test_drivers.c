/* test_drivers.c - each driver's statistics against its closed form,
 * within 4 standard errors (formulas in kernels/drivers.h). */
#include "testutil.h"

#include "../kernels/drivers.h"
#include "../kernels/rng.h"
#include "../model/pakistan.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>

static gsl_rng *g;

static int setup(void **st)
{
    (void)st;
    g = gsl_rng_alloc(&rng_gsl_type);
    return g ? 0 : -1;
}

static int teardown(void **st)
{
    (void)st;
    gsl_rng_free(g);
    return 0;
}

typedef struct {
    double n, s, s2;
} acc_t;

static void add(acc_t *a, double x)
{
    a->n += 1;
    a->s += x;
    a->s2 += x * x;
}
static double mean(const acc_t *a) { return a->s / a->n; }
static double var(const acc_t *a) { return (a->s2 - a->s * a->s / a->n) / (a->n - 1); }
static double se(const acc_t *a) { return sqrt(var(a) / a->n); }

/* log-OU from a start away from the mean: at t, log x ~ Normal(m + (x0 - m)
 * e^{-kt}, s^2 (1 - e^{-2kt}) / (2k)); far out it is the stationary law. */
static void test_logou_transient_and_stationary(void **st)
{
    (void)st;
    const drv_logou_t p = {120.0, 65.0, 1.0, 0.35};
    const uint64_t N = tu_scaled(40000);
    const size_t M = 240; /* 20 years */
    double *z = malloc(M * sizeof *z), *x = malloc(M * sizeof *x);
    acc_t a12 = {0}, a240 = {0};
    for (uint64_t t = 0; t < N; ++t) {
        rng_gsl_bind(g, 1, DRV_STREAM_FUEL, t);
        for (size_t i = 0; i < M; ++i)
            z[i] = gsl_ran_gaussian_ziggurat(g, 1.0);
        drivers_logou(&p, 1.0 / 12.0, z, M, x);
        add(&a12, log(x[11]));
        add(&a240, log(x[239]));
    }
    const double m = log(p.long_run), x0 = log(p.start), k = p.kappa, s = p.sigma;
    const double mu1 = m + (x0 - m) * exp(-k), v1 = s * s * (1 - exp(-2 * k)) / (2 * k);
    TU_WITHIN_SE(mean(&a12), mu1, sqrt(v1 / a12.n), 4.0);
    TU_WITHIN_SE(var(&a12), v1, v1 * sqrt(2.0 / (a12.n - 1)), 4.0);
    const double vs = s * s / (2 * k);
    TU_WITHIN_SE(mean(&a240), m, sqrt(vs / a240.n), 4.0);
    TU_WITHIN_SE(var(&a240), vs, vs * sqrt(2.0 / (a240.n - 1)), 4.0);
    free(z);
    free(x);
}

/* Brent and coal shocks carry the Cholesky correlation; the exchange rate's
 * log increments correlate with Brent's shocks at rho; the GBM mean is
 * S0 e^{mu t}. */
static void test_fuel_fx_correlation_and_gbm_mean(void **st)
{
    (void)st;
    const drv_logou_t b = {65, 65, 1.0, 0.35}, c = {105, 105, 0.8, 0.4};
    const double r = 0.5, chol[4] = {1, 0, r, sqrt(1 - r * r)};
    const uint64_t N = tu_scaled(20000);
    enum { M = 12 };
    double br[M], co[M], zb[M], fx[M];
    double sbc = 0, sfz = 0, n = 0;
    acc_t fx12 = {0};
    const double k = 1.0, dt = 1.0 / 12.0, sb = 0.35 * sqrt((1 - exp(-2 * k * dt)) / (2 * k));
    const double kc = 0.8, sc = 0.4 * sqrt((1 - exp(-2 * kc * dt)) / (2 * kc));
    for (uint64_t t = 0; t < N; ++t) {
        rng_gsl_bind(g, 2, DRV_STREAM_FUEL, t);
        drivers_fuel(g, &b, &c, chol, M, br, co, zb);
        rng_gsl_bind(g, 2, DRV_STREAM_FX, t);
        drivers_fx(g, 281.4, 0.06, 0.12, 0.2, zb, M, fx);
        /* recover coal's standardised shock of month 0 from its path */
        const double zc = (log(co[0]) - log(105.0)) / sc;
        const double zb0 = (log(br[0]) - log(65.0)) / sb;
        sbc += zb0 * zc;
        sfz += zb[0] * (log(fx[0] / 281.4) - (0.06 - 0.0072) * dt) / (0.12 * sqrt(dt));
        n += 1;
        add(&fx12, fx[11]);
    }
    /* mean of a product of unit normals with correlation r: sd sqrt(1 + r^2) */
    TU_WITHIN_SE(sbc / n, r, sqrt((1 + r * r) / n), 4.0);
    TU_WITHIN_SE(sfz / n, 0.2, sqrt((1 + 0.04) / n), 4.0);
    TU_WITHIN_SE(mean(&fx12), 281.4 * exp(0.06), se(&fx12), 4.0);
}

/* RLNG: with no spot noise, exactly slope x mean(3 preceding Brent) + adder. */
static void test_rlng_contract_link(void **st)
{
    (void)st;
    const double brent[6] = {60, 70, 80, 90, 100, 110};
    double out[6];
    rng_gsl_bind(g, 3, DRV_STREAM_RLNG, 0);
    drivers_rlng(g, 0.12074, 1.5, 0.0, 65.0, brent, 6, out);
    assert_true(fabs(out[0] - (0.12074 * 65 + 1.5)) < 1e-12);
    assert_true(fabs(out[1] - (0.12074 * (65 + 65 + 60) / 3 + 1.5)) < 1e-12);
    assert_true(fabs(out[5] - (0.12074 * (80 + 90 + 100) / 3 + 1.5)) < 1e-12);
}

/* Bitcoin: jumps per year = lambda; with the jumps compensated (k = e^(jm +
 * js^2/2) - 1), E[log P_T / P_0] = (mu - s^2/2 - lambda k) T + lambda T jm,
 * Var = s^2 T + lambda T (jm^2 + js^2). */
static void test_btc_jumps_and_log_return(void **st)
{
    (void)st;
    const drv_btc_t p = {90000, 0.1, 0.5, 4, -0.02, 0.08};
    const uint64_t N = tu_scaled(20000);
    enum { D = 365 };
    double price[D];
    acc_t jumps = {0}, lr = {0};
    for (uint64_t t = 0; t < N; ++t) {
        rng_gsl_bind(g, 4, DRV_STREAM_BTC, t);
        add(&jumps, (double)drivers_btc(g, &p, D, price));
        add(&lr, log(price[D - 1] / p.start_usd));
    }
    TU_WITHIN_SE(mean(&jumps), 4.0, sqrt(4.0 / jumps.n), 4.0);
    const double k = exp(-0.02 + 0.5 * 0.0064) - 1.0;
    const double m = (0.1 - 0.125 - 4 * k) + 4 * -0.02, v = 0.25 + 4 * (0.0004 + 0.0064);
    TU_WITHIN_SE(mean(&lr), m, sqrt(v / lr.n), 4.0);
    TU_WITHIN_SE(var(&lr), v, v * sqrt(3.0 / lr.n), 4.0); /* jumps fatten tails: 3/n */
}

/* Bitcoin's mean path follows drift whatever the jumps (issue 16): E[P_t] =
 * P_0 e^(mu t). Large, negative jumps make the test decisive: uncompensated,
 * the mean would fall to e^(4 (e^(-0.08) - 1)) = 0.735 of the drift's path,
 * about 50 standard errors away. Checked at half a year and two years. */
static void test_btc_mean_follows_drift(void **st)
{
    (void)st;
    const drv_btc_t p[2] = {{90000, 0.0, 0.5, 4, -0.1, 0.2}, {90000, 0.15, 0.3, 12, 0.05, 0.1}};
    const uint64_t N = tu_scaled(20000);
    enum { D = 730 };
    double *price = malloc(D * sizeof *price);
    for (int c = 0; c < 2; ++c) {
        acc_t half = {0}, two = {0};
        for (uint64_t t = 0; t < N; ++t) {
            rng_gsl_bind(g, 9, DRV_STREAM_BTC, t);
            drivers_btc(g, &p[c], D, price);
            add(&half, price[182] / p[c].start_usd);
            add(&two, price[D - 1] / p[c].start_usd);
        }
        TU_WITHIN_SE(mean(&half), exp(p[c].drift * 183.0 / 365.0), se(&half), 4.0);
        TU_WITHIN_SE(mean(&two), exp(p[c].drift * 2.0), se(&two), 4.0);
    }
    free(price);
}

/* Hashrate (drivers.h), without noise: the log gap to R / (1000 b) closes by
 * the factor e^(-1/tau) a day, tau = shrink_days above the target and
 * grow_days below it; a step in the revenue reaches it lag days later; the
 * cost falls as (1 - g) a year. Every value below is from these formulas. */
static void test_hashrate_trend_and_lag(void **st)
{
    (void)st;
    enum { D = 400 };
    /* b = 40 USD/PH/day, R = 44e6 USD/day: target 44e6 / 40e3 = 1,100 EH/s */
    drv_hash_t p = {.start_ehs = 2200,
                    .breakeven_usd_per_ph_day = 40,
                    .breakeven_fall_per_year = 0,
                    .lag_days = 0,
                    .grow_days = 200,
                    .shrink_days = 40,
                    .vol = 0};
    double rew[D], hash[D];
    for (int d = 0; d < D; ++d)
        rew[d] = 44e6;
    rng_gsl_bind(g, 5, DRV_STREAM_HASH, 0);
    drivers_hashrate(g, &p, rew, D, hash);
    /* above the target: log(H_d / 1100) = log 2 e^(-(d+1)/40) */
    assert_true(fabs(log(hash[0] / 1100) - log(2) * exp(-1.0 / 40)) < 1e-12);
    assert_true(fabs(log(hash[99] / 1100) - log(2) * exp(-100.0 / 40)) < 1e-12);
    /* below it: the growth time constant */
    p.start_ehs = 550;
    drivers_hashrate(g, &p, rew, D, hash);
    assert_true(fabs(log(hash[99] / 1100) + log(2) * exp(-100.0 / 200)) < 1e-12);
    /* a revenue step on day 100 (x 1.5) with a 30-day lag: nothing moves
     * before day 130; then the gap log 1.5 closes at the growth rate */
    p.start_ehs = 1100;
    p.lag_days = 30;
    for (int d = 100; d < D; ++d)
        rew[d] = 66e6;
    drivers_hashrate(g, &p, rew, D, hash);
    assert_true(fabs(hash[129] - 1100) < 1e-9);
    assert_true(fabs(log(hash[229] / 1650) + log(1.5) * exp(-100.0 / 200)) < 1e-12);
    /* the cost falls by g a year: b(364) = 40 (1 - g) */
    p.breakeven_fall_per_year = 0.12;
    assert_true(fabs(drivers_breakeven(&p, 364) - 40 * 0.88) < 1e-12);
    /* inside the path: the target's log rises by c = -log(1 - g) / 365 a
     * day, and the gap left after day d's step is r_d = (1 - a)(r_{d-1} +
     * c), r_-1 = 0, a = 1 - e^(-1/grow_days): H trails the target by
     * (1 - a) c (1 - (1 - a)^(d+1)) / a in log */
    p.start_ehs = 1100;
    p.lag_days = 0;
    for (int d = 0; d < D; ++d)
        rew[d] = 44e6;
    drivers_hashrate(g, &p, rew, D, hash);
    const double c = -log(0.88) / 365, a = -expm1(-1.0 / 200);
    assert_true(fabs(log(44e6 / (1000 * drivers_breakeven(&p, D - 1)) / hash[D - 1]) -
                     (1 - a) * c * (1 - pow(1 - a, D)) / a) < 1e-9 * c / a);
    /* a capital cost k makes a band: between R / (1000 (b + k)) and
     * R / (1000 b) the network holds (here 1,100 EH/s, hashprice 40, inside
     * [b, b + k] = [30, 45]); below it, it grows toward the full cost */
    p = (drv_hash_t){.start_ehs = 1100,
                     .breakeven_usd_per_ph_day = 30,
                     .capital_usd_per_ph_day = 15,
                     .grow_days = 200,
                     .shrink_days = 40};
    drivers_hashrate(g, &p, rew, D, hash);
    assert_true(fabs(hash[D - 1] / 1100 - 1) < 1e-14);
    p.start_ehs = 550; /* hashprice 80 > 45: grows toward 44e6 / 45e3 = 977.8 EH/s */
    drivers_hashrate(g, &p, rew, D, hash);
    assert_true(fabs(log(hash[99] / (44e6 / 45e3)) + log(44e6 / 45e3 / 550) * exp(-100.0 / 200)) <
                1e-12);
    /* with the noise: the same target, log H's day-to-day spread is v / sqrt(365) */
    p = (drv_hash_t){.start_ehs = 1100,
                     .breakeven_usd_per_ph_day = 40,
                     .grow_days = 200,
                     .shrink_days = 40,
                     .vol = 0.2};
    for (int d = 0; d < D; ++d)
        rew[d] = 44e6;
    acc_t step = {0};
    for (uint64_t t = 0; t < 200; ++t) {
        rng_gsl_bind(g, 5, DRV_STREAM_HASH, t);
        drivers_hashrate(g, &p, rew, 2, hash);
        add(&step, log(hash[0] / 1100));
    }
    TU_WITHIN_SE(mean(&step), 0.0, se(&step), 4.0);
    assert_true(fabs(sqrt(var(&step)) / (0.2 / sqrt(365.0)) - 1) < 0.2);
    /* revenue formula: BTC 90,000, 1,100 EH/s, 3.125 BTC, fees 2%, 20 J/TH:
     * hashprice = 3.125/0.98 x 144 x 90000 / 1.1e9 = 0.037570 USD/TH/day,
     * revenue = 0.037570 x 1e6 / 20 / 24 = 78.27 USD/MWh */
    const econ_btc_t b = {.subsidy_btc = 3.125, .fee_share = 0.02, .halving_day = 840};
    const double rev = pk_mining_revenue_usd_per_mwh(pk_reward_usd_per_day(&b, 0, 90000), 1100, 20);
    assert_true(fabs(rev - 3.125 / 0.98 * 144 * 90000 / 1.1e9 * 1e6 / 20 / 24) < 1e-9);
    assert_true(fabs(rev - 78.27) < 0.01);
    /* the subsidy halves on halving_day and again 210,000 blocks (1,458.3
     * days) later */
    assert_true(fabs(pk_reward_usd_per_day(&b, 840, 1) / pk_reward_usd_per_day(&b, 839, 1) - 0.5) <
                1e-15);
    assert_true(pk_reward_usd_per_day(&b, 2298, 1) == pk_reward_usd_per_day(&b, 840, 1));
    assert_true(fabs(pk_reward_usd_per_day(&b, 2299, 1) / pk_reward_usd_per_day(&b, 840, 1) - 0.5) <
                1e-15);
}

/* Hydro factor: log is Normal(-v/2, v), v = log(1 + cv^2), so the factor
 * has mean 1; lag-1 correlation of the log is rho. */
static void test_hydro_lognormal_ar1(void **st)
{
    (void)st;
    const double cv = 0.15, rho = 0.3, v = log(1 + cv * cv);
    const uint64_t N = tu_scaled(40000);
    double h[5];
    acc_t lf = {0}, f = {0};
    double c = 0;
    for (uint64_t t = 0; t < N; ++t) {
        rng_gsl_bind(g, 6, DRV_STREAM_HYDRO, t);
        drivers_hydro(g, cv, rho, 5, h);
        add(&lf, log(h[2]));
        add(&f, h[4]);
        c += (log(h[2]) + v / 2) * (log(h[3]) + v / 2) / v;
    }
    TU_WITHIN_SE(mean(&lf), -v / 2, sqrt(v / lf.n), 4.0);
    TU_WITHIN_SE(var(&lf), v, v * sqrt(2.0 / lf.n), 4.0);
    TU_WITHIN_SE(mean(&f), 1.0, se(&f), 4.0);
    TU_WITHIN_SE(c / lf.n, rho, sqrt((1 + rho * rho) / lf.n), 4.0);
}

/* Weather: stationary sd and lag-1 correlation; demand level mean
 * (1 + mu)^y. */
static void test_weather_and_demand(void **st)
{
    (void)st;
    const uint64_t N = tu_scaled(20000);
    double w[400], lv[5];
    acc_t w0 = {0}, l0 = {0}, l4 = {0};
    double c = 0;
    for (uint64_t t = 0; t < N; ++t) {
        rng_gsl_bind(g, 7, DRV_STREAM_WEATHER, t);
        drivers_weather(g, 0.8, 0.03, 400, w);
        add(&w0, w[200]);
        c += w[200] * w[201] / (0.03 * 0.03);
        rng_gsl_bind(g, 7, DRV_STREAM_DEMAND, t);
        drivers_demand(g, 0.028, 0.025, 5, lv);
        add(&l0, lv[0]);
        add(&l4, lv[4]);
    }
    TU_WITHIN_SE(var(&w0), 0.0009, 0.0009 * sqrt(2.0 / w0.n), 4.0);
    TU_WITHIN_SE(c / w0.n, 0.8, sqrt((1 + 0.64) / w0.n), 4.0);
    /* growth from the first simulated year: E[level_y] = (1 + mu)^(y + 1) */
    TU_WITHIN_SE(mean(&l0), 1.028, se(&l0), 4.0);
    TU_WITHIN_SE(var(&l0), 0.025 * 0.025, 0.025 * 0.025 * sqrt(2.0 / l0.n), 4.0);
    TU_WITHIN_SE(mean(&l4), pow(1.028, 5), se(&l4), 4.0);
}

/* Blackouts: spans per year = rate (Poisson), median duration as given. */
static void test_blackouts(void **st)
{
    (void)st;
    const uint64_t N = tu_scaled(20000);
    outage_span_t sp[64];
    acc_t n = {0};
    size_t longer = 0, total = 0;
    for (uint64_t t = 0; t < N; ++t) {
        rng_gsl_bind(g, 8, DRV_STREAM_BLACKOUT, t);
        const size_t k = drivers_blackouts(g, 0.5, 14.0, 0.4, 8760, 5 * 8760, sp, 64);
        assert_true(k <= 64);
        add(&n, (double)k);
        for (size_t i = 0; i < k; ++i) {
            assert_true(sp[i].down_h < sp[i].up_h && sp[i].up_h <= 5 * 8760);
            if (sp[i].up_h < 5 * 8760) {
                /* hour-start sampling: the span length is the duration, rounded */
                longer += sp[i].up_h - sp[i].down_h > 14;
                ++total;
            }
        }
    }
    TU_WITHIN_SE(mean(&n), 2.5, sqrt(2.5 / n.n), 4.0);
    const double share = (double)longer / (double)total;
    /* P(span > 14 h) is about 1/2 (median 14 h, +-1 h from the hour grid) */
    assert_true(share > 0.35 && share < 0.65);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_logou_transient_and_stationary),
        cmocka_unit_test(test_fuel_fx_correlation_and_gbm_mean),
        cmocka_unit_test(test_rlng_contract_link),
        cmocka_unit_test(test_btc_jumps_and_log_return),
        cmocka_unit_test(test_btc_mean_follows_drift),
        cmocka_unit_test(test_hashrate_trend_and_lag),
        cmocka_unit_test(test_hydro_lognormal_ar1),
        cmocka_unit_test(test_weather_and_demand),
        cmocka_unit_test(test_blackouts),
    };
    return cmocka_run_group_tests_name("drivers", tests, setup, teardown);
}
