/*
 * drivers.h - the stochastic drivers of the Pakistan model (docs/MODEL.md s.4).
 *
 * Each sampler fills a path from its own addressed stream (see rng.h); a
 * caller binds a GSL generator to (seed, DRV_STREAM_x, trial) before each
 * call. Formulas and the closed-form moments the tests check:
 *
 *  log-OU, exact monthly step (dt = 1/12 yr):
 *     x' = m + (x - m) e^{-k dt} + s sqrt((1 - e^{-2k dt}) / (2k)) z
 *     stationary: x ~ Normal(m, s^2 / (2k)), m = log(long_run).
 *  GBM (exchange rate): log S' = log S + (mu - s^2/2) dt + s sqrt(dt) z,
 *     E[S_t] = S_0 e^{mu t}.
 *  Bitcoin, daily log jump-diffusion (dt = 1/365 yr):
 *     log P' = log P + (mu - s^2/2) dt + s sqrt(dt) z + sum_{N} J,
 *     N ~ Poisson(lambda dt), J ~ Normal(jm, js); E[jumps per year] = lambda.
 *     with mu = drift - lambda (e^{jm + js^2/2} - 1): jumps compensated, so
 *     E[P_t] = P_0 e^{drift t} (docs/MODEL.md s.4.6).
 *  Hashrate (docs/MODEL.md s.4.7): the network grows toward the hashrate
 *     its lagged revenue pays for at a new machine's full cost (running cost
 *     b_d plus capital k) and shrinks toward the hashrate it pays for at the
 *     running cost alone; in between it holds (machines already bought run
 *     while they cover their running cost):
 *        b_d = b_0 (1 - g)^{(d+1)/365},  R = R_{d-lag},  x = log H,
 *        G = log(R / (1000 (b_d + k))) - x,  S = log(R / (1000 b_d)) - x,
 *        x_d = x_{d-1} + (1 - e^{-1/grow_days}) max(G, 0)
 *                      + (1 - e^{-1/shrink_days}) min(S, 0) + v sqrt(1/365) z_d.
 *     With R held still, the hashprice R / (1000 H) ends between b and b + k.
 *  Hydro inflow factor: exp(-v/2 + sqrt(v) u_y), v = log(1 + cv^2),
 *     u AR(1) with lag-1 correlation rho and stationary N(0,1):
 *     lognormal, mean 1, coefficient of variation cv.
 *  Weather: w_d AR(1), stationary Normal(0, sd^2), lag-1 correlation rho.
 *  Demand growth: g_y ~ Normal(mu, sd), level_y = prod_{i=0..y} (1 + g_i): the
 *     profile is the year before the first simulated year.
 *  Blackouts: Poisson arrivals (rate per year), durations lognormal with
 *     the given median and log-sd; returned as hour spans like outages.
 */
#ifndef GR_DRIVERS_H
#define GR_DRIVERS_H

#include "outage.h"

#include <gsl/gsl_rng.h>
#include <stddef.h>

/* Fixed stream ids of the drivers (units use hashed ids >= 2^31). */
enum {
    DRV_STREAM_FUEL = 1,
    DRV_STREAM_RLNG = 2,
    DRV_STREAM_FX = 3,
    DRV_STREAM_BTC = 4,
    DRV_STREAM_HYDRO = 5,
    DRV_STREAM_DEMAND = 6,
    DRV_STREAM_WEATHER = 7,
    DRV_STREAM_BLACKOUT = 8,
    DRV_STREAM_CAPTIVE = 9, /* load moving from captive gas plants to the grid */
    DRV_STREAM_BTM = 10,    /* behind-the-meter solar eroding daytime grid demand */
    DRV_STREAM_HASH = 11    /* the network's cost draws and hashrate noise */
};

typedef struct {
    double start, long_run, kappa, sigma;
} drv_logou_t;

/* Brent and coal: correlated log-OU, monthly. chol is the lower Cholesky
 * factor of the 2x2 correlation matrix (row-major). z_brent receives the
 * standardised Brent shocks (for the exchange rate's correlation). */
void drivers_fuel(gsl_rng *r, const drv_logou_t *brent, const drv_logou_t *coal,
                  const double chol[4], size_t months, double *restrict brent_out,
                  double *restrict coal_out, double *restrict z_brent);

/* One log-OU path from given standard normals (the exact step above);
 * z and out may be the same array. */
void drivers_logou(const drv_logou_t *p, double dt, const double *z, size_t n,
                   double *restrict out);

/* PKR per USD, monthly GBM; shocks rho z_brent + sqrt(1 - rho^2) e. */
void drivers_fx(gsl_rng *r, double start, double drift, double vol, double rho,
                const double *restrict z_brent, size_t months, double *restrict out);

/* RLNG delivered price: slope x mean(Brent of the 3 preceding months) +
 * adder, times lognormal spot noise exp(sd e - sd^2/2) (mean 1). Months
 * before the first use brent0. */
void drivers_rlng(gsl_rng *r, double slope, double adder, double spot_sd, double brent0,
                  const double *restrict brent, size_t months, double *restrict out);

typedef struct {
    double start_usd, drift, vol, jumps_per_year, jump_mean, jump_sd;
} drv_btc_t;

/* The network's hashrate process, its cost drawn for one trial. */
typedef struct {
    double start_ehs;                /* hashrate on the day before the first */
    double breakeven_usd_per_ph_day; /* b_0: the marginal miner's cost at the start */
    double breakeven_fall_per_year;  /* g: the yearly fall of b (efficiency gains) */
    double capital_usd_per_ph_day;   /* k: a new machine's capital cost (0: one target) */
    double lag_days;                 /* the revenue the network sees is this old (whole days) */
    double grow_days, shrink_days;   /* adjustment time constants (> 0) */
    double vol;                      /* log noise, 1/sqrt(yr) */
} drv_hash_t;

/* The log price's drift per year with the jumps compensated, drift - vol^2/2
 * - jumps_per_year (e^(jump_mean + jump_sd^2/2) - 1), so that E[P_t] = P_0
 * e^(drift t) (docs/MODEL.md s.4.6); the loader's growth envelope uses it too. */
double drivers_btc_log_drift(const drv_btc_t *p);

/* Daily Bitcoin price (USD); returns the number of jumps (for tests). */
size_t drivers_btc(gsl_rng *r, const drv_btc_t *p, size_t days, double *restrict price);

/* A miner's running cost per PH/s and day, USD: 1 PH/s at e J/TH draws e kW,
 * 0.024 e MWh a day, at usd_per_mwh. */
double drivers_cost_usd_per_ph_day(double j_per_th, double usd_per_mwh);

/* The marginal miner's running cost on day d, b_0 (1 - g)^{(d+1)/365},
 * USD/(PH/s)/day. */
double drivers_breakeven(const drv_hash_t *p, size_t d);

/* Daily network hashrate (EH/s) from the miners' daily revenue (USD/day,
 * subsidy and fees at the day's price); one normal draw per day. */
void drivers_hashrate(gsl_rng *r, const drv_hash_t *p, const double *restrict reward_usd_per_day,
                      size_t days, double *restrict hashrate_ehs);

/* Annual lognormal hydro inflow factors, AR(1) across years. */
void drivers_hydro(gsl_rng *r, double cv, double rho, size_t years, double *restrict out);

/* Annual demand level relative to year 1 (year 1 = 1). */
void drivers_demand(gsl_rng *r, double mu, double sd, size_t years, double *restrict out);

/* Daily multiplicative weather anomaly w_d (demand x (1 + w_d)). */
void drivers_weather(gsl_rng *r, double rho, double sd, size_t days, double *restrict out);

/* Blackout spans over [0, horizon_h); returns the count (> cap: too small,
 * as outage_sample). */
size_t drivers_blackouts(gsl_rng *r, double rate_per_year, double median_h, double log_sd,
                         size_t hours_per_year, int32_t horizon_h, outage_span_t *spans,
                         size_t cap);

#endif
