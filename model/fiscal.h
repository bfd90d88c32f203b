/*
 * fiscal.h - the power sector's accounts (docs/MODEL.md s.7), one line per
 * function: each is pure (its arguments in, one number out), carries its
 * formula in its comment, and is what model/pakistan.c calls month by month
 * and year by year, so a test can solve a system by hand line by line and a
 * one-line change to any of them changes a figure the tests check.
 *
 * Units: energy in MWh, tariffs in PKR/kWh unless named _per_mwh, money in
 * PKR (USD where named), exchange rates in PKR per USD.
 */
#ifndef GR_FISCAL_H
#define GR_FISCAL_H

#include <stddef.h>

#include "../inputs/econ.h"

/* A tariff's factor in year y (0: the first) under its rebasing rule:
 *   nominal: 1;  cpi: (1 + cpi)^y;  usd: fx_m[12 y - 1] / fx0,
 * rebased at the start of each year, so 1 in the first; usd follows the
 * exchange rate of the month before the year (fx_m monthly, from the
 * horizon's first month) over the start rate fx0. */
double fiscal_tariff_factor(tariff_index_t rule, double cpi, const double *fx_m, double fx0,
                            size_t y);

/* A mix's average fuel cost, PKR/kWh: cost_pkr / (gen_mwh x 1000); 0 when
 * nothing was generated. */
double fiscal_fuel_pkr_per_kwh(double cost_pkr, double gen_mwh);

/* Base consumers' tariff in a month, PKR/kWh, with the fuel-cost adjustment:
 *   tariff x fb + passthrough x (fuel - ref_fuel x fb),
 * fb the base tariff's rebasing factor, fuel the month's fuel cost per kWh
 * on the FCA's basis (the baseline's, or the scenario's own for fca_basis
 * all): the reference fuel cost is part of the tariff and is rebased with
 * it. */
double fiscal_base_tariff_pkr_per_kwh(const econ_fiscal_t *fi, double fb, double fuel_pkr_per_kwh);

/* What base consumers pay, PKR: served x (1 - td_losses) x tariff x 1000 x
 * recovery; energy lost or unbilled in transmission and distribution is
 * never paid for, and only the recovered share of bills is. */
double fiscal_base_revenue_pkr(const econ_fiscal_t *fi, double served_mwh,
                               double tariff_pkr_per_kwh);

/* What an allocated block pays, PKR: served x tariff (PKR/MWh) x recovery;
 * energy shed from it is not billed. */
double fiscal_block_revenue_pkr(double served_mwh, double tariff_pkr_per_mwh, double recovery);

/* Capacity payments for a span of hours, PKR:
 *   payments x hours / year_hours x ((1 - usd_share) + usd_share x fx / fx0),
 * the USD-indexed share growing with the rupee's fall (fx the span's mean
 * rate, fx0 the start rate). Over a year's months at their own rates it
 * sums to the year's payments at the year's hour-weighted mean rate. */
double fiscal_capacity_pkr(const econ_fiscal_t *fi, double fx, double fx0, double hours,
                           double year_hours);

/* The net fiscal cost (the circular-debt flow), PKR:
 *   generation cost + capacity payments - base revenue - allocation revenue. */
double fiscal_net_cost_pkr(double gen_cost_pkr, double capacity_pkr, double base_revenue_pkr,
                           double alloc_revenue_pkr);

/* The average cost of supply, PKR/MWh, capacity included (the IMF's full
 * cost recovery): (generation cost + capacity payments) / served energy; 0
 * when nothing was served. */
double fiscal_avg_cost_pkr_per_mwh(double gen_cost_pkr, double capacity_pkr, double served_mwh);

/* The IMF view's implicit subsidy, PKR: the allocation's energy at the
 * average cost of supply less what it paid: alloc x avg - alloc revenue. */
double fiscal_imf_subsidy_pkr(double alloc_mwh, double avg_pkr_per_mwh, double alloc_revenue_pkr);

/* The cash view's break-even tariff, PKR/kWh: the tariff at which the
 * allocation leaves the state's books as the baseline's,
 *   (alloc revenue + net cost - the baseline's net cost) / (alloc x 1000),
 * 0 without allocated energy. */
double fiscal_breakeven_cash_pkr_per_kwh(double alloc_revenue_pkr, double net_cost_pkr,
                                         double baseline_net_cost_pkr, double alloc_mwh);

/* The value of lost load, USD (economic, not fiscal): unserved x voll x 1000. */
double fiscal_lost_load_usd(const econ_fiscal_t *fi, double unserved_mwh);

#endif
