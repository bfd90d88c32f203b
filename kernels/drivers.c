/* drivers.c - see drivers.h. */
#include "drivers.h"

#include <gsl/gsl_randist.h>
#include <math.h>

#define DT_MONTH (1.0 / 12.0)
#define DT_DAY (1.0 / 365.0)

void drivers_logou(const drv_logou_t *p, double dt, const double *z, size_t n, double *out)
{
    const double m = log(p->long_run);
    const double a = exp(-p->kappa * dt);
    const double s = p->sigma * sqrt((1.0 - exp(-2.0 * p->kappa * dt)) / (2.0 * p->kappa));
    double x = log(p->start);
    for (size_t i = 0; i < n; ++i) {
        x = m + (x - m) * a + s * z[i];
        out[i] = exp(x);
    }
}

void drivers_fuel(gsl_rng *r, const drv_logou_t *brent, const drv_logou_t *coal,
                  const double chol[4], size_t months, double *restrict brent_out,
                  double *restrict coal_out, double *restrict z_brent)
{
    /* coal_out doubles as scratch for coal's shocks until its path is made */
    for (size_t i = 0; i < months; ++i) {
        const double e1 = gsl_ran_gaussian_ziggurat(r, 1.0);
        const double e2 = gsl_ran_gaussian_ziggurat(r, 1.0);
        z_brent[i] = chol[0] * e1;
        coal_out[i] = chol[2] * e1 + chol[3] * e2;
    }
    drivers_logou(brent, DT_MONTH, z_brent, months, brent_out);
    drivers_logou(coal, DT_MONTH, coal_out, months, coal_out);
}

void drivers_fx(gsl_rng *r, double start, double drift, double vol, double rho,
                const double *restrict z_brent, size_t months, double *restrict out)
{
    const double c = sqrt(1.0 - rho * rho), sq = sqrt(DT_MONTH);
    double x = log(start);
    for (size_t i = 0; i < months; ++i) {
        const double z = rho * z_brent[i] + c * gsl_ran_gaussian_ziggurat(r, 1.0);
        x += (drift - 0.5 * vol * vol) * DT_MONTH + vol * sq * z;
        out[i] = exp(x);
    }
}

void drivers_rlng(gsl_rng *r, double slope, double adder, double spot_sd, double brent0,
                  const double *restrict brent, size_t months, double *restrict out)
{
    for (size_t i = 0; i < months; ++i) {
        double s = 0.0;
        for (size_t k = 1; k <= 3; ++k)
            s += i >= k ? brent[i - k] : brent0;
        const double e = gsl_ran_gaussian_ziggurat(r, 1.0);
        out[i] = (slope * s / 3.0 + adder) * exp(spot_sd * e - 0.5 * spot_sd * spot_sd);
    }
}

double drivers_btc_log_drift(const drv_btc_t *p)
{
    /* a day's Poisson(lam) jumps of size J multiply the price by
     * exp(lam (E[e^J] - 1)) on average; the drift gives it back, so
     * E[P_d] = P_0 e^(drift d dt) exactly, for any jump law */
    const double kappa = exp(p->jump_mean + 0.5 * p->jump_sd * p->jump_sd) - 1.0;
    return p->drift - 0.5 * p->vol * p->vol - p->jumps_per_year * kappa;
}

size_t drivers_btc(gsl_rng *r, const drv_btc_t *p, size_t days, double *restrict price)
{
    const double lam = p->jumps_per_year * DT_DAY;
    const double mu = drivers_btc_log_drift(p) * DT_DAY, s = p->vol * sqrt(DT_DAY);
    size_t jumps = 0;
    double x = log(p->start_usd);
    for (size_t d = 0; d < days; ++d) {
        x += mu + s * gsl_ran_gaussian_ziggurat(r, 1.0);
        const unsigned n = gsl_ran_poisson(r, lam);
        for (unsigned j = 0; j < n; ++j)
            x += p->jump_mean + p->jump_sd * gsl_ran_gaussian_ziggurat(r, 1.0);
        jumps += n;
        price[d] = exp(x);
    }
    return jumps;
}

double drivers_cost_usd_per_ph_day(double j_per_th, double usd_per_mwh)
{
    return 0.024 * j_per_th * usd_per_mwh;
}

double drivers_breakeven(const drv_hash_t *p, size_t d)
{
    return p->breakeven_usd_per_ph_day *
           exp(log1p(-p->breakeven_fall_per_year) * (double)(d + 1) * DT_DAY);
}

void drivers_hashrate(gsl_rng *r, const drv_hash_t *p, const double *restrict reward_usd_per_day,
                      size_t days, double *restrict hashrate_ehs)
{
    const size_t lag = (size_t)p->lag_days;
    const double a_grow = -expm1(-1.0 / p->grow_days), a_shrink = -expm1(-1.0 / p->shrink_days);
    const double s = p->vol * sqrt(DT_DAY);
    double x = log(p->start_ehs);
    for (size_t d = 0; d < days; ++d) {
        /* until day 0's revenue is lag days old, the network sees day 0's */
        const double seen = log(reward_usd_per_day[d >= lag ? d - lag : 0]);
        /* a hashprice of b USD per PH/s per day is 1000 b per EH/s */
        const double b = drivers_breakeven(p, d);
        const double grow = seen - log(1000.0 * (b + p->capital_usd_per_ph_day)) - x;
        const double shrink = seen - log(1000.0 * b) - x;
        x += a_grow * (grow > 0.0 ? grow : 0.0) + a_shrink * (shrink < 0.0 ? shrink : 0.0) +
             s * gsl_ran_gaussian_ziggurat(r, 1.0);
        hashrate_ehs[d] = exp(x);
    }
}

void drivers_hydro(gsl_rng *r, double cv, double rho, size_t years, double *restrict out)
{
    const double v = log(1.0 + cv * cv), c = sqrt(1.0 - rho * rho);
    double u = gsl_ran_gaussian_ziggurat(r, 1.0);
    for (size_t y = 0; y < years; ++y) {
        if (y)
            u = rho * u + c * gsl_ran_gaussian_ziggurat(r, 1.0);
        out[y] = exp(-0.5 * v + sqrt(v) * u);
    }
}

void drivers_demand(gsl_rng *r, double mu, double sd, size_t years, double *restrict out)
{
    /* the profile describes the year before the first simulated one, so
     * the first year already carries a year's growth (docs/MODEL.md s.4) */
    double level = 1.0;
    for (size_t y = 0; y < years; ++y) {
        level *= 1.0 + mu + sd * gsl_ran_gaussian_ziggurat(r, 1.0);
        out[y] = level;
    }
}

void drivers_weather(gsl_rng *r, double rho, double sd, size_t days, double *restrict out)
{
    const double c = sd * sqrt(1.0 - rho * rho);
    double w = sd * gsl_ran_gaussian_ziggurat(r, 1.0);
    for (size_t d = 0; d < days; ++d) {
        if (d)
            w = rho * w + c * gsl_ran_gaussian_ziggurat(r, 1.0);
        out[d] = w;
    }
}

size_t drivers_blackouts(gsl_rng *r, double rate_per_year, double median_h, double log_sd,
                         size_t hours_per_year, int32_t horizon_h, outage_span_t *spans, size_t cap)
{
    if (!(rate_per_year > 0.0))
        return 0;
    const double mean_gap_h = (double)hours_per_year / rate_per_year;
    size_t n = 0;
    double t = gsl_ran_exponential(r, mean_gap_h);
    while (t < (double)horizon_h) {
        const double d = median_h * exp(log_sd * gsl_ran_gaussian_ziggurat(r, 1.0));
        const double h0 = ceil(t), h1e = ceil(t + d);
        const double h1 = h1e < (double)horizon_h ? h1e : (double)horizon_h;
        if (h1 > h0) {
            if (n < cap)
                spans[n] = (outage_span_t){(int32_t)h0, (int32_t)h1};
            ++n;
        }
        t += gsl_ran_exponential(r, mean_gap_h);
    }
    return n;
}
