/*
 * fiscal.c - the power sector's accounts, one line per function (formulas
 * in fiscal.h and docs/MODEL.md s.7).
 */
#include "fiscal.h"

#include <math.h>

double fiscal_tariff_factor(tariff_index_t rule, double cpi, const double *fx_m, double fx0,
                            size_t y)
{
    if (y == 0 || rule == TARIFF_NOMINAL)
        return 1.0;
    if (rule == TARIFF_CPI)
        return pow(1.0 + cpi, (double)y);
    return fx_m[y * 12 - 1] / fx0;
}

double fiscal_fuel_pkr_per_kwh(double cost_pkr, double gen_mwh)
{
    return gen_mwh > 0 ? cost_pkr / (gen_mwh * 1000.0) : 0.0;
}

double fiscal_base_tariff_pkr_per_kwh(const econ_fiscal_t *fi, double fb, double fuel_pkr_per_kwh)
{
    return fi->tariff_pkr_per_kwh * fb +
           fi->fuel_passthrough * (fuel_pkr_per_kwh - fi->ref_fuel_cost_pkr_per_kwh * fb);
}

double fiscal_base_revenue_pkr(const econ_fiscal_t *fi, double served_mwh,
                               double tariff_pkr_per_kwh)
{
    return served_mwh * (1.0 - fi->td_losses) * tariff_pkr_per_kwh * 1000.0 * fi->recovery;
}

double fiscal_block_revenue_pkr(double served_mwh, double tariff_pkr_per_mwh, double recovery)
{
    return served_mwh * tariff_pkr_per_mwh * recovery;
}

double fiscal_capacity_pkr(const econ_fiscal_t *fi, double fx, double fx0, double hours,
                           double year_hours)
{
    return fi->capacity_payments_pkr * (hours / year_hours) *
           ((1.0 - fi->capacity_usd_share) + fi->capacity_usd_share * fx / fx0);
}

double fiscal_net_cost_pkr(double gen_cost_pkr, double capacity_pkr, double base_revenue_pkr,
                           double alloc_revenue_pkr)
{
    return gen_cost_pkr + capacity_pkr - base_revenue_pkr - alloc_revenue_pkr;
}

double fiscal_avg_cost_pkr_per_mwh(double gen_cost_pkr, double capacity_pkr, double served_mwh)
{
    return served_mwh > 0.0 ? (gen_cost_pkr + capacity_pkr) / served_mwh : 0.0;
}

double fiscal_imf_subsidy_pkr(double alloc_mwh, double avg_pkr_per_mwh, double alloc_revenue_pkr)
{
    return alloc_mwh * avg_pkr_per_mwh - alloc_revenue_pkr;
}

double fiscal_breakeven_cash_pkr_per_kwh(double alloc_revenue_pkr, double net_cost_pkr,
                                         double baseline_net_cost_pkr, double alloc_mwh)
{
    return alloc_mwh > 0.0
               ? (alloc_revenue_pkr + net_cost_pkr - baseline_net_cost_pkr) / (alloc_mwh * 1000.0)
               : 0.0;
}

double fiscal_lost_load_usd(const econ_fiscal_t *fi, double unserved_mwh)
{
    return unserved_mwh * fi->voll_usd_per_kwh * 1000.0;
}
