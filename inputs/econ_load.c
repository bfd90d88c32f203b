/*
 * econ_load.c - the economics and scenarios sections of a scenario file:
 * their tables (type, unit, bounds, default and meaning of every field; the
 * bounds are physical, so that no accepted value can overflow, hang the
 * simulator or make a result NaN), the checks that look at several fields at
 * once, the renewables profile, the Brent-coal Cholesky factor, and the
 * printout for `gridrisk validate`. See econ.h for the structs.
 */
#include "econ_load.h"

#include "../model/limits.h"
#include "csv.h"

#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const tech_kinds[] = {"must_run", "thermal", "hydro", "wind", "solar"};
static const char *const fuel_names[] = {"none", "rlng", "gas", "coal", "rfo", "thar", "nuclear"};
static const char *const policies[] = {"miners_first", "pro_rata", "firm_allocation"};
static const char *const block_kinds[] = {"flexible", "firm", "interruptible"};
const char *const tariff_index_names[3] = {"nominal", "cpi", "usd"};
const char *const fca_basis_names[2] = {"baseline", "all"};
const char *const supply_mech_names[SUPPLY_N_MECH] = {
    "hydro", "fuel", "derating", "old_plants", "refuelling", "corridor", "fuel_rate"};
const char *const gr_region_names[GR_N_REGIONS] = {"north", "south"};

/* The tables read best one row per field, whatever their width. */
// clang-format off
#define D SCHEMA_DBL
#define R SF_REQ
#define LO SF_MIN_OPEN
#define HI SF_MAX_OPEN

static const schema_field_t tech_fields[] = {
    SCHEMA_STR("name", econ_tech_t, name, R, SS_LABEL, 0, NULL, "technology name; units' `type` refers to it"),
    SCHEMA_ENUM("kind", econ_tech_t, kind, R, tech_kinds, NULL, "how it is dispatched"),
    SCHEMA_ENUM("fuel", econ_tech_t, fuel, 0, fuel_names, "none", "fuel priced by the fuel drivers"),
    D("heat_rate_mmbtu_per_mwh", econ_tech_t, heat_rate_mmbtu_per_mwh, 0, "MMBtu/MWh", 0, 50, 0, "heat rate (needed for rlng, gas, coal, rfo)"),
    D("vom_usd_per_mwh", econ_tech_t, vom_usd_per_mwh, 0, "USD/MWh", 0, 1000, 0, "variable O&M"),
    D("must_take_share", econ_tech_t, must_take_share, 0, "-", 0, 1, 0, "thermal only: output floor as a share of available MW"),
    SCHEMA_DBLS("fuel_mmcfd", econ_tech_t, fuel_mmcfd, fuel_mmcfd_count, 0, "MMCFD", 1, 2, 0, 1e5, "gas-fired thermal: gas supplied to these plants, [min, max] per trial; a monthly fuel budget used in the hours of greatest need (absent: no limit)"),
    SCHEMA_DBLS("fuel_peak_ratio", econ_tech_t, fuel_peak_ratio, fuel_peak_ratio_count, 0, "-", 1, 2, 1, 24, "with fuel_mmcfd: gas delivered at a daily rate: the budget is a day's, and an hour burns at most this multiple of the day's mean rate (linepack), [min, max] per trial (absent: a monthly budget, no hourly limit)"),
    D("fuel_change_per_year", econ_tech_t, fuel_change_per_year, 0, "1/yr", -0.5, 0.5, 0, "change of that gas supply per simulated year (depletion < 0)"),
    SCHEMA_DBLS("derate_per_c", econ_tech_t, derate_per_c, derate_per_c_count, 0, "1/C", 1, 2, 0, 0.05, "share of output lost per degree C above 15 C, [min, max] per trial"),
    SCHEMA_DBLS("unavailable_mw", econ_tech_t, unavailable_mw, unavailable_mw_count, 0, "MW", 1, 2, 0, 1e6, "MW of this technology out all year (old plants), [min, max] per trial"),
    SCHEMA_STR("unavailable_from", econ_tech_t, unavailable_from, 0, SS_TEXT, 7, "", "with unavailable_mw and unavailable_before_mw: the calendar month (YYYY-MM) from which unavailable_mw applies; before it, unavailable_before_mw (a fleet that changed, e.g. contracts that ended)"),
    SCHEMA_DBLS("unavailable_before_mw", econ_tech_t, unavailable_before_mw, unavailable_before_mw_count, 0, "MW", 1, 2, 0, 1e6, "MW of this technology out before unavailable_from, [min, max] per trial (drawn at the same quantile as unavailable_mw)"),
    SCHEMA_DBLS("refuel_interval_d", econ_tech_t, refuel_interval_d, refuel_interval_d_count, 0, "d", 1, 2, 30, 3650, "days between the starts of each unit's planned outages, [min, max] per outage"),
    SCHEMA_DBLS("monthly_availability", econ_tech_t, monthly_availability, monthly_availability_count, 0, "-", 12, 12, 0, 1, "share of the technology in service in each month, January first (seasonal plants such as bagasse); absent: 1"),
    SCHEMA_DBLS("refuel_outage_d", econ_tech_t, refuel_outage_d, refuel_outage_d_count, 0, "d", 1, 2, 0, 365, "days per planned outage, [min, max] per outage"),
};
static const schema_section_t tech_sec = SCHEMA_SECTION("economics.technologies[]", econ_tech_t, offsetof(econ_tech_t, src), tech_fields, "a technology");

static const schema_field_t logou_fields[] = {
    D("start", drv_logou_t, start, R, "USD", 0.01, 1e4, 0, "price at the start"),
    D("long_run", drv_logou_t, long_run, R, "USD", 0.01, 1e4, 0, "long-run mean level"),
    D("kappa", drv_logou_t, kappa, R, "1/yr", 0.01, 50, 0, "mean reversion speed"),
    D("sigma", drv_logou_t, sigma, R, "1/sqrt(yr)", 0, 3, 0, "volatility of the log price"),
};
static const schema_section_t logou_sec = SCHEMA_SECTION("logou", drv_logou_t, SCHEMA_NO_SRC, logou_fields, "a log-OU price");

static const schema_field_t fuel_fields[] = {
    SCHEMA_MAP("brent_usd_per_bbl", econ_fuel_t, brent_usd_per_bbl, R, logou_sec, "Brent, USD/bbl, monthly log-OU"),
    SCHEMA_MAP("coal_usd_per_t", econ_fuel_t, coal_usd_per_t, R, logou_sec, "imported coal, USD/t, monthly log-OU"),
    D("corr_brent_coal", econ_fuel_t, corr_brent_coal, R | LO | HI, "-", -1, 1, 0, "correlation of Brent and coal shocks"),
    D("rlng_slope_per_brent", econ_fuel_t, rlng_slope_per_brent, R, "-", 0, 1, 0, "RLNG USD/MMBtu per USD/bbl of Brent (3-month mean)"),
    D("rlng_adder_usd_per_mmbtu", econ_fuel_t, rlng_adder_usd_per_mmbtu, R, "USD/MMBtu", -50, 50, 0, "RLNG constant term"),
    D("rlng_spot_sd", econ_fuel_t, rlng_spot_sd, R, "-", 0, 2, 0, "RLNG spot noise, log sd"),
    D("rfo_usd_per_t_per_brent", econ_fuel_t, rfo_usd_per_t_per_brent, R, "USD/t per USD/bbl", 0, 100, 0, "RFO price per Brent"),
    D("gas_usd_per_mmbtu", econ_fuel_t, gas_usd_per_mmbtu, R, "USD/MMBtu", 0, 100, 0, "domestic gas price"),
    D("thar_usd_per_mwh", econ_fuel_t, thar_usd_per_mwh, R, "USD/MWh", 0, 1000, 0, "Thar coal fuel cost"),
    D("nuclear_usd_per_mwh", econ_fuel_t, nuclear_usd_per_mwh, R, "USD/MWh", 0, 1000, 0, "nuclear fuel cost"),
    D("coal_mmbtu_per_t", econ_fuel_t, coal_mmbtu_per_t, R, "MMBtu/t", 1, 40, 0, "imported coal energy content"),
    D("rfo_mmbtu_per_t", econ_fuel_t, rfo_mmbtu_per_t, R, "MMBtu/t", 1, 50, 0, "RFO energy content"),
    D("coal_delivery_usd_per_t", econ_fuel_t, coal_delivery_usd_per_t, 0, "USD/t", 0, 1000, 0, "freight, port and inland transport added to the imported-coal (FOB) price"),
};
static const schema_section_t fuel_sec = SCHEMA_SECTION("economics.fuel", econ_fuel_t, SCHEMA_NO_SRC, fuel_fields, "fuel prices");

static const schema_field_t fx_fields[] = {
    D("start_pkr_per_usd", econ_fx_t, start_pkr_per_usd, R, "PKR/USD", 0.01, 1e5, 0, "exchange rate at the start"),
    D("drift", econ_fx_t, drift, R, "1/yr", -1, 1, 0, "expected depreciation rate (GBM drift)"),
    D("vol", econ_fx_t, vol, R, "1/sqrt(yr)", 0, 2, 0, "volatility"),
    D("corr_brent", econ_fx_t, corr_brent, R | LO | HI, "-", -1, 1, 0, "correlation with Brent shocks"),
};
static const schema_section_t fx_sec = SCHEMA_SECTION("economics.fx", econ_fx_t, SCHEMA_NO_SRC, fx_fields, "exchange rate");

static const schema_field_t btc_fields[] = {
    D("start_usd", econ_btc_t, process.start_usd, R, "USD", 1, 1e10, 0, "Bitcoin price at the start"),
    D("drift", econ_btc_t, process.drift, R, "1/yr", -2, 2, 0, "expected growth rate of the price: E[P_t] = P_0 e^(drift t) (jumps compensated)"),
    D("vol", econ_btc_t, process.vol, R, "1/sqrt(yr)", 0, 3, 0, "volatility"),
    D("jumps_per_year", econ_btc_t, process.jumps_per_year, R, "1/yr", 0, 52, 0, "jump rate"),
    D("jump_mean", econ_btc_t, process.jump_mean, R, "-", -1, 1, 0, "mean log jump size"),
    D("jump_sd", econ_btc_t, process.jump_sd, R, "-", 0, 1, 0, "sd of the log jump size"),
    D("hashrate_start_ehs", econ_btc_t, hashrate_start_ehs, R, "EH/s", 1e-3, 1e6, 0, "network hashrate at the start"),
    SCHEMA_DBLS("network_efficiency_j_per_th", econ_btc_t, network_efficiency_j_per_th, network_efficiency_j_per_th_count, R, "J/TH", 1, 2, 1, 1000, "efficiency of the network's marginal miner at the start, [min, max] per trial"),
    SCHEMA_DBLS("network_power_usd_per_mwh", econ_btc_t, network_power_usd_per_mwh, network_power_usd_per_mwh_count, R, "USD/MWh", 1, 2, 1e-3, 1e4, "the marginal miner's all-in cost per MWh, [min, max] per trial; with its J/TH it sets the hashprice the network settles at"),
    SCHEMA_DBLS("network_efficiency_gain", econ_btc_t, network_efficiency_gain, network_efficiency_gain_count, R, "1/yr", 1, 2, 0, 0.9, "yearly fall of the marginal miner's J/TH (and so of its cost per PH/s), [min, max] per trial"),
    SCHEMA_DBLS("network_capital_usd_per_ph_day", econ_btc_t, network_capital_usd_per_ph_day, network_capital_usd_per_ph_day_count, R, "USD/(PH/s)/day", 1, 2, 0, 1e4, "capital cost of a new machine per PH/s and day, [min, max] per trial: the network grows only while the hashprice covers it on top of the running cost"),
    D("hashrate_lag_days", econ_btc_t, hashrate_lag_days, R, "d", 0, 3650, 0, "age of the revenue the network responds to (whole days; a fraction is dropped)"),
    D("hashrate_grow_days", econ_btc_t, hashrate_grow_days, R, "d", 1, 3650, 0, "time constant of growth while the network earns more than its cost"),
    D("hashrate_shrink_days", econ_btc_t, hashrate_shrink_days, R, "d", 1, 3650, 0, "time constant of switch-offs while it earns less"),
    D("hashrate_vol", econ_btc_t, hashrate_vol, R, "1/sqrt(yr)", 0, 3, 0, "noise of the log hashrate"),
    D("subsidy_btc", econ_btc_t, subsidy_btc, R, "BTC", 1e-8, 50, 0, "block subsidy at the start"),
    D("halving_day", econ_btc_t, halving_day, R, "d", 0, 36500, 0, "days from the start to the next halving"),
    D("fee_share", econ_btc_t, fee_share, R | HI, "-", 0, 1, 0, "fees as a share of the block reward"),
    D("efficiency_j_per_th", econ_btc_t, efficiency_j_per_th, R, "J/TH", 1, 1000, 0, "fleet efficiency"),
    D("opex_usd_per_mwh", econ_btc_t, opex_usd_per_mwh, R, "USD/MWh", 0, 1e4, 0, "miners' other costs per MWh"),
    D("idle_cost_usd_per_mw_day", econ_btc_t, idle_cost_usd_per_mw_day, R, "USD/(MW day)", 0, 1e6, 0, "the fleet's fixed cost per MW and day, mining or idle (machines, site, staff): in the miners' profit and break-even tariff, not in their daily decision"),
};
static const schema_section_t btc_sec = SCHEMA_SECTION("economics.bitcoin", econ_btc_t, SCHEMA_NO_SRC, btc_fields, "Bitcoin and mining");

static const schema_field_t hydro_fields[] = {
    D("annual_mwh", econ_hydro_t, annual_mwh, R, "MWh", 0, 1e9, 0, "hydro energy in an average year"),
    SCHEMA_DBLS("monthly_share", econ_hydro_t, monthly_share, monthly_share_count, R, "-", 12, 12, 0, 1, "share of the year's hydro energy in each month, January first; sums to 1"),
    D("cv", econ_hydro_t, cv, R, "-", 0, 3, 0, "coefficient of variation of the annual inflow"),
    D("ar1", econ_hydro_t, ar1, R | LO | HI, "-", -1, 1, 0, "year-to-year autocorrelation"),
    SCHEMA_DBLS("peak_mw", econ_hydro_t, peak_mw, peak_mw_count, 0, "MW", 1, 2, 0, 1e6, "hydro output the reservoirs can sustain in any hour, [min, max] per trial (absent: the available fleet)"),
    SCHEMA_DBLS("ror_share", econ_hydro_t, ror_share, ror_share_count, 0, "-", 1, 2, 0, 1, "share of each month's hydro energy that is run-of-river (flat over the month, cannot shift), [min, max] per trial"),
};
static const schema_section_t hydro_sec = SCHEMA_SECTION("economics.hydro", econ_hydro_t, offsetof(econ_hydro_t, src), hydro_fields, "hydrology");

static const schema_field_t demand_fields[] = {
    D("growth_mean", econ_demand_t, growth_mean, R, "1/yr", -0.3, 0.5, 0, "mean annual demand growth"),
    D("growth_sd", econ_demand_t, growth_sd, R, "1/yr", 0, 0.1, 0, "sd of annual demand growth"),
    D("weather_ar1", econ_demand_t, weather_ar1, R | LO | HI, "-", -1, 1, 0, "day-to-day autocorrelation of the weather anomaly"),
    D("weather_sd", econ_demand_t, weather_sd, R, "-", 0, 0.2, 0, "sd of the daily weather anomaly (share of demand)"),
    SCHEMA_DBLS("temperature_c", econ_demand_t, temperature_c, temperature_c_count, 0, "C", 12, 12, -60, 60, "ambient temperature at the evening peak by month, January first (for derating)"),
    D("temperature_per_sd_c", econ_demand_t, temperature_per_sd_c, 0, "C", 0, 30, 0, "degrees C added per sd of the daily weather anomaly (hot days derate plants)"),
    SCHEMA_DBLS("captive_mw", econ_demand_t, captive_mw, captive_mw_count, 0, "MW", 1, 2, 0, 1e5, "industrial load moving from captive gas plants to the grid (the captive-gas levy), flat in every hour from the first simulated year, [min, max] per trial"),
    D("btm_erosion_mean", econ_demand_t, btm_erosion_mean, 0, "1/yr", -0.5, 0.5, 0, "behind-the-meter solar: mean share of grid demand at the solar peak lost each simulated year (in proportion to the solar profile)"),
    D("btm_erosion_sd", econ_demand_t, btm_erosion_sd, 0, "1/yr", 0, 0.5, 0, "sd of that yearly share"),
    D("evening_heat_gain", econ_demand_t, evening_heat_gain, 0, "-", 0, 5, 0, "hot days deepen the evening peak: from 18:00 to 01:00 the day's weather anomaly counts (1 + gain) times"),
};
static const schema_section_t demand_sec = SCHEMA_SECTION("economics.demand", econ_demand_t, SCHEMA_NO_SRC, demand_fields, "demand");

static const schema_field_t blackout_fields[] = {
    D("rate_per_year", econ_blackout_t, rate_per_year, R, "1/yr", 0, 52, 0, "grid-wide blackouts per year"),
    D("median_h", econ_blackout_t, median_h, R, "h", 0.01, 720, 0, "median duration"),
    D("log_sd", econ_blackout_t, log_sd, R, "-", 0, 3, 0, "sd of the log duration"),
};
static const schema_section_t blackout_sec = SCHEMA_SECTION("economics.blackouts", econ_blackout_t, SCHEMA_NO_SRC, blackout_fields, "blackouts");

static const schema_field_t fiscal_fields[] = {
    D("capacity_payments_pkr", econ_fiscal_t, capacity_payments_pkr, R, "PKR/yr", 0, 1e14, 0, "capacity payments at the start"),
    D("capacity_usd_share", econ_fiscal_t, capacity_usd_share, R, "-", 0, 1, 0, "share of capacity payments indexed to PKR/USD"),
    D("tariff_pkr_per_kwh", econ_fiscal_t, tariff_pkr_per_kwh, R | LO, "PKR/kWh", 0, 1000, 0, "average base tariff"),
    D("fuel_passthrough", econ_fiscal_t, fuel_passthrough, R, "-", 0, 1, 0, "share of the baseline's fuel-cost deviation passed to base consumers"),
    D("ref_fuel_cost_pkr_per_kwh", econ_fiscal_t, ref_fuel_cost_pkr_per_kwh, R, "PKR/kWh", 0, 1000, 0, "reference fuel cost in the tariff"),
    D("td_losses", econ_fiscal_t, td_losses, R | HI, "-", 0, 1, 0, "share of served energy lost or unbilled"),
    D("recovery", econ_fiscal_t, recovery, R, "-", 0, 1, 0, "share of billed energy paid"),
    D("voll_usd_per_kwh", econ_fiscal_t, voll_usd_per_kwh, R, "USD/kWh", 0, 100, 0, "value of lost load (economic, not fiscal)"),
    SCHEMA_ENUM("tariff_indexation", econ_fiscal_t, tariff_indexation, 0, tariff_index_names, "nominal", "how the base tariff and its reference fuel cost are rebased each year: nominal, cpi or usd"),
    SCHEMA_ENUM("alloc_tariff_indexation", econ_fiscal_t, alloc_tariff_indexation, 0, tariff_index_names, "nominal", "how the allocated blocks' tariffs are rebased each year: nominal, cpi or usd"),
    D("cpi_per_year", econ_fiscal_t, cpi_per_year, 0, "1/yr", -0.5, 1, 0, "consumer price inflation for the cpi rule (needed by it)"),
    SCHEMA_ENUM("fca_basis", econ_fiscal_t, fca_basis, 0, fca_basis_names, "baseline", "the fuel cost base consumers' monthly fuel-cost adjustment passes on: baseline (of supplying them without the allocation, the same trial's first scenario) or all (every unit sold in the scenario, the allocation's included, as NEPRA computes it)"),
};
static const schema_section_t fiscal_sec = SCHEMA_SECTION("economics.fiscal", econ_fiscal_t, SCHEMA_NO_SRC, fiscal_fields, "fiscal terms");

static const schema_field_t network_fields[] = {
    SCHEMA_DBLS("south_demand_share", econ_network_t, south_demand_share, south_demand_share_count, R, "-", 1, 2, 0, 1, "share of base demand in the south, [min, max] per trial"),
    SCHEMA_DBLS("corridor_mw", econ_network_t, corridor_mw, corridor_mw_count, R, "MW", 1, 2, 0, 1e6, "south-to-north transfer limit in the first simulated year, [min, max] per trial"),
    SCHEMA_DBLS("reverse_mw", econ_network_t, reverse_mw, reverse_mw_count, 0, "MW", 1, 2, 0, 1e6, "north-to-south transfer limit, [min, max] per trial (absent: the corridor_mw draw)"),
    SCHEMA_DBLS("additions_mw", econ_network_t, additions_mw, additions_mw_count, 0, "MW", 1, GR_MAX_YEARS, 0, 1e6, "committed transmission: MW added to both limits from each simulated year on, cumulative, year 1 first (later years keep the last)"),
};
static const schema_section_t network_sec = SCHEMA_SECTION("economics.network", econ_network_t, offsetof(econ_network_t, src), network_fields, "two regions and the corridor between them");

static const schema_field_t econ_fields[] = {
    D("deliverable_cap_mw", econ_t, deliverable_cap_mw, 0, "MW", 0, 1e6, 0, "deliverable supply limit (0: none); v1 only: a fixed limit that decides shedding is not a mechanism"),
    SCHEMA_STR("relax", econ_t, relax, 0, SS_TEXT, 200, "", "supply mechanisms switched off, comma-separated: hydro, fuel, fuel_rate, derating, old_plants, refuelling, corridor, or all (attribution)"),
    SCHEMA_STR("observed_csv", econ_t, observed_csv, 0, SS_PATH, 0, NULL, "monthly observed drivers for a replay, one row per simulated month: brent_usd_per_bbl, coal_usd_per_t, pkr_per_usd, hydro_gwh (any subset, no other column) and optionally month (YYYY-MM, must match start_year and start_month)"),
    SCHEMA_STR("renewables_csv", econ_t, renewables_csv, R, SS_PATH, 0, NULL, "hourly wind_cf, solar_cf (one row per load hour)"),
    SCHEMA_SEQ("technologies", econ_t, technologies, technologies_count, R, tech_sec, 1, GR_MAX_TECHS, "technologies"),
    SCHEMA_MAP("fuel", econ_t, fuel, R, fuel_sec, "fuel prices"),
    SCHEMA_MAP("fx", econ_t, fx, R, fx_sec, "exchange rate"),
    SCHEMA_MAP("bitcoin", econ_t, bitcoin, R, btc_sec, "Bitcoin and mining"),
    SCHEMA_MAP("hydro", econ_t, hydro, R, hydro_sec, "hydrology"),
    SCHEMA_MAP("demand", econ_t, demand, R, demand_sec, "demand growth and weather"),
    SCHEMA_MAP("blackouts", econ_t, blackouts, R, blackout_sec, "grid-wide blackouts"),
    SCHEMA_MAP("fiscal", econ_t, fiscal, R, fiscal_sec, "fiscal terms"),
    SCHEMA_MAP("network", econ_t, network, 0, network_sec, "two regions joined by a corridor (absent: one region)"),
};
const schema_section_t econ_section = SCHEMA_SECTION("economics", econ_t, offsetof(econ_t, src), econ_fields, "the economic model");

static const schema_field_t block_fields[] = {
    SCHEMA_STR("name", econ_block_t, name, R, SS_LABEL, 0, NULL, "block name"),
    SCHEMA_ENUM("kind", econ_block_t, kind, R, block_kinds, NULL, "flexible (mines when it pays), firm (draws every hour but its off_hours) or interruptible (draws like firm, curtailed before consumers under every policy, on its own backup power meanwhile)"),
    D("mw", econ_block_t, mw, R, "MW", 0, 1e5, 0, "allocated capacity"),
    D("load_factor", econ_block_t, load_factor, LO, "-", 0, 1, 1, "firm and interruptible blocks: the draw / mw outside the off_hours"),
    SCHEMA_DBLS("off_hours", econ_block_t, off_hours, off_hours_count, 0, "h", 2, 2, 0, 24, "firm and interruptible blocks: [from, to), whole hours of the day (0-24; from > to wraps past midnight) in which the block draws nothing, e.g. [18, 22] for a data centre off the evening peak (absent: it draws every hour)"),
    D("backup_usd_per_mwh", econ_block_t, backup_usd_per_mwh, 0, "USD/MWh", 0, 1e5, 0, "interruptible blocks: what the block's own backup power costs for each MWh it is curtailed"),
    D("tariff_pkr_per_kwh", econ_block_t, tariff_pkr_per_kwh, R, "PKR/kWh", 0, 1000, 0, "the block's tariff"),
    D("recovery", econ_block_t, recovery, R, "-", 0, 1, 0, "share of its bill paid"),
    SCHEMA_ENUM("region", econ_block_t, region, 0, gr_region_names, "north", "the block's site: north or south (with economics.network)"),
};
static const schema_section_t block_sec = SCHEMA_SECTION("scenarios[].blocks[]", econ_block_t, offsetof(econ_block_t, src), block_fields, "an allocated block");

static const schema_field_t scen_fields[] = {
    SCHEMA_STR("name", econ_scenario_t, name, R, SS_NAME, 0, NULL, "scenario name (an HDF5 group name)"),
    SCHEMA_ENUM("priority", econ_scenario_t, priority, R, policies, NULL, "shedding priority"),
    SCHEMA_SEQ("blocks", econ_scenario_t, blocks, blocks_count, 0, block_sec, 0, GR_MAX_BLOCKS, "allocated blocks"),
};
const schema_section_t econ_scenario_section = SCHEMA_SECTION("scenarios[]", econ_scenario_t, offsetof(econ_scenario_t, src), scen_fields, "a scenario");

#undef D
#undef R
#undef LO
#undef HI
// clang-format on

int econ_at_src(gr_err_t *err, const gr_src_t *src, const char *fmt, ...)
{
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return gr_err_set(err, GR_EINPUT, "%s:%zu: %s", src->file, src->line, msg);
}

/*
 * Compounding processes (Bitcoin price, hashrate, exchange rate, fuel
 * prices) can leave double range over a long horizon even when each
 * parameter is sane: a jump a week of mean +1 for 100 years is e^5200. A
 * generous envelope of the log change over the horizon (drift x T, 10
 * standard deviations of the diffusion, a Poisson count 10 sd above its
 * mean times jumps 10 sd large) must stay within GROWTH_MAX_LOG: 100 orders
 * of magnitude, far beyond any meaningful future and far inside a double.
 */
#define GROWTH_MAX_LOG 230.0

static double jump_envelope(double rate_per_year, double mean, double sd, double years)
{
    const double n = rate_per_year * years;
    return (n + 10.0 * sqrt(n) + 10.0) * (fabs(mean) + 10.0 * sd);
}

static int growth_error(const scenario_t *s, const char *what, double env, gr_err_t *err)
{
    return gr_err_set(err, GR_EINPUT,
                      "%s:%zu: economics.%s: over %u year(s) these parameters let "
                      "it change by a factor up to e^%.0f; gridrisk accepts at most e^%.0f (100 "
                      "orders of magnitude): lower them or the horizon",
                      s->econ->src.file, s->econ->src.line, what, s->horizon_years, env,
                      GROWTH_MAX_LOG);
}

static int check_growth(const scenario_t *s, const econ_t *e, gr_err_t *err)
{
    const double T = (double)s->horizon_years;
    const drv_btc_t *b = &e->bitcoin.process;
    const double price = fabs(drivers_btc_log_drift(b)) * T + 10.0 * b->vol * sqrt(T) +
                         jump_envelope(b->jumps_per_year, b->jump_mean, b->jump_sd, T);
    if (price > GROWTH_MAX_LOG)
        return growth_error(s, "bitcoin (drift, vol, jumps)", price, err);
    /* the hashrate moves toward revenue / cost (drivers.h): its log stays
     * within the price's envelope of the path revenue / cost, which is off
     * (the start's distance from the cost band), the halvings, the cost's
     * fall and the noise away from the start. That part is checked here;
     * the price's is checked above, so log hashrate and log hashprice each
     * stay within about twice e^230 of the start: finite doubles */
    const econ_btc_t *bt = &e->bitcoin;
    const double *ef = bt->network_efficiency_j_per_th, *pw = bt->network_power_usd_per_mwh;
    const unsigned ne = bt->network_efficiency_j_per_th_count,
                   np = bt->network_power_usd_per_mwh_count;
    const double hp0 = bt->subsidy_btc / (1.0 - bt->fee_share) * 144.0 * b->start_usd /
                       (1000.0 * bt->hashrate_start_ehs);
    const double b_lo = drivers_cost_usd_per_ph_day(ef[0], pw[0]);
    const double b_hi = drivers_cost_usd_per_ph_day(ef[ne - 1], pw[np - 1]);
    const double k_hi =
        bt->network_capital_usd_per_ph_day[bt->network_capital_usd_per_ph_day_count - 1];
    const double off = fmax(fabs(log(hp0 / b_lo)), fabs(log(hp0 / (b_hi + k_hi))));
    const double gain = bt->network_efficiency_gain[bt->network_efficiency_gain_count - 1];
    const double hash = off + (T / 4.0 + 1.0) * log(2.0) + fabs(log1p(-gain)) * T +
                        10.0 * bt->hashrate_vol * sqrt(T);
    if (hash > GROWTH_MAX_LOG)
        return growth_error(s, "bitcoin (network hashrate and its cost)", hash, err);
    const econ_fx_t *fx = &e->fx;
    const double fxe = fabs(fx->drift - 0.5 * fx->vol * fx->vol) * T + 10.0 * fx->vol * sqrt(T);
    if (fxe > GROWTH_MAX_LOG)
        return growth_error(s, "fx (drift, vol)", fxe, err);
    const drv_logou_t *ou[2] = {&e->fuel.brent_usd_per_bbl, &e->fuel.coal_usd_per_t};
    for (int i = 0; i < 2; ++i) {
        const double env = fabs(log(ou[i]->start / ou[i]->long_run)) +
                           10.0 * ou[i]->sigma / sqrt(2.0 * ou[i]->kappa);
        if (env > GROWTH_MAX_LOG)
            return growth_error(s,
                                i ? "fuel.coal_usd_per_t (sigma, kappa)"
                                  : "fuel.brent_usd_per_bbl (sigma, kappa)",
                                env, err);
    }
    return GR_OK;
}

static int check_hydro(const scenario_t *s, const econ_hydro_t *h, gr_err_t *err)
{
    double sum = 0;
    for (unsigned m = 0; m < h->monthly_share_count; ++m)
        sum += h->monthly_share[m];
    (void)s;
    if (fabs(sum - 1.0) > 1e-3)
        return econ_at_src(err, &h->src,
                           "economics.hydro.monthly_share: the 12 shares sum to %.6g, "
                           "not 1",
                           sum);
    return GR_OK;
}

static int check_techs(scenario_t *s, econ_t *e, gr_err_t *err)
{
    for (unsigned i = 0; i < e->technologies_count; ++i) {
        const econ_tech_t *t = &e->technologies[i];
        for (unsigned j = 0; j < i; ++j)
            if (!strcmp(t->name, e->technologies[j].name))
                return econ_at_src(err, &t->src, "economics.technologies: '%s' given twice",
                                   t->name);
        const int needs_hr = t->fuel == FUEL_RLNG || t->fuel == FUEL_GAS || t->fuel == FUEL_COAL ||
                             t->fuel == FUEL_RFO;
        if (needs_hr && !(t->heat_rate_mmbtu_per_mwh > 0))
            return econ_at_src(err, &t->src,
                               "technology '%s': heat_rate_mmbtu_per_mwh must be > 0 "
                               "for fuel %s",
                               t->name, fuel_names[t->fuel]);
        if (t->kind != TECH_THERMAL && t->must_take_share != 0)
            return econ_at_src(err, &t->src,
                               "technology '%s': must_take_share is for thermal "
                               "technologies only",
                               t->name);
        if (t->kind == TECH_THERMAL && t->fuel == FUEL_NONE)
            return econ_at_src(err, &t->src, "technology '%s': a thermal technology needs a fuel",
                               t->name);
    }
    for (size_t u = 0; u < s->n_units; ++u) {
        scen_unit_t *un = &s->units[u];
        un->tech = -1;
        for (unsigned i = 0; i < e->technologies_count; ++i)
            if (!strcmp(un->type, e->technologies[i].name))
                un->tech = (int)i;
        if (un->tech < 0)
            return gr_err_set(err, GR_EINPUT,
                              "%s:%zu: unit '%s': type '%s' is not one of economics.technologies",
                              un->src.file, un->src.line, un->name, un->type);
    }
    return GR_OK;
}

/* A [min, max] range must not run backwards. */
static int check_range(const gr_src_t *src, const char *owner, const char *key, const double *v,
                       unsigned n, gr_err_t *err)
{
    if (n == 2 && v[0] > v[1])
        return econ_at_src(err, src, "%s: %s: [min, max] with min %g > max %g", owner, key, v[0],
                           v[1]);
    return GR_OK;
}

/* More MW out than installed would silently take the whole class out. */
static int check_out_mw(const econ_tech_t *t, const char *owner, const char *key, const double *v,
                        unsigned n, double installed_mw, gr_err_t *err)
{
    if (n && v[n - 1] > installed_mw)
        return econ_at_src(err, &t->src, "%s: %s (up to %g MW) is more than its %g MW of units",
                           owner, key, v[n - 1], installed_mw);
    return GR_OK;
}

/* unavailable_from ("YYYY-MM", four digits, a dash, two) goes with
 * unavailable_before_mw and unavailable_mw; resolves it to a month count. */
static int check_unavailable_from(econ_tech_t *t, const char *owner, gr_err_t *err)
{
    const char *f = t->unavailable_from && *t->unavailable_from ? t->unavailable_from : NULL;
    t->unavailable_from_month = 0;
    if (!f != !t->unavailable_before_mw_count)
        return econ_at_src(err, &t->src,
                           "%s: unavailable_from and unavailable_before_mw go together", owner);
    if (!f)
        return GR_OK;
    if (!t->unavailable_mw_count)
        return econ_at_src(
            err, &t->src, "%s: unavailable_from needs unavailable_mw (what is out from that month)",
            owner);
    int ok = strlen(f) == 7 && f[4] == '-';
    for (int k = 0; ok && k < 7; ++k)
        ok = k == 4 || (f[k] >= '0' && f[k] <= '9');
    const int year = ok ? atoi(f) : 0, month = ok ? atoi(f + 5) : 0;
    if (!ok || year < 1 || month < 1 || month > 12)
        return econ_at_src(err, &t->src,
                           "%s: unavailable_from: '%s' is not a calendar month written YYYY-MM",
                           owner, f);
    t->unavailable_from_month = (int64_t)year * 12 + month - 1;
    return GR_OK;
}

/* Checks the supply inputs and resolves unavailable_from (so e is written). */
static int check_supply(const scenario_t *s, econ_t *e, gr_err_t *err)
{
    /* installed MW per technology (check_techs has typed the units) */
    double installed_mw[GR_MAX_TECHS] = {0};
    for (size_t u = 0; u < s->n_units; ++u)
        if (s->units[u].tech >= 0 && s->units[u].tech < GR_MAX_TECHS)
            installed_mw[s->units[u].tech] += s->units[u].capacity_mw;
    int rc = check_range(&e->hydro.src, "economics.hydro", "peak_mw", e->hydro.peak_mw,
                         e->hydro.peak_mw_count, err);
    const econ_btc_t *bt = &e->bitcoin;
    if (!rc)
        rc = check_range(&e->src, "economics.bitcoin", "network_efficiency_j_per_th",
                         bt->network_efficiency_j_per_th, bt->network_efficiency_j_per_th_count,
                         err);
    if (!rc)
        rc = check_range(&e->src, "economics.bitcoin", "network_power_usd_per_mwh",
                         bt->network_power_usd_per_mwh, bt->network_power_usd_per_mwh_count, err);
    if (!rc)
        rc = check_range(&e->src, "economics.bitcoin", "network_efficiency_gain",
                         bt->network_efficiency_gain, bt->network_efficiency_gain_count, err);
    if (!rc)
        rc = check_range(&e->src, "economics.bitcoin", "network_capital_usd_per_ph_day",
                         bt->network_capital_usd_per_ph_day,
                         bt->network_capital_usd_per_ph_day_count, err);
    if (!rc)
        rc = check_range(&e->src, "economics.demand", "captive_mw", e->demand.captive_mw,
                         e->demand.captive_mw_count, err);
    if (!rc)
        rc = check_range(&e->hydro.src, "economics.hydro", "ror_share", e->hydro.ror_share,
                         e->hydro.ror_share_count, err);
    const econ_network_t *nw = &e->network;
    if (!rc)
        rc = check_range(&nw->src, "economics.network", "south_demand_share",
                         nw->south_demand_share, nw->south_demand_share_count, err);
    if (!rc)
        rc = check_range(&nw->src, "economics.network", "corridor_mw", nw->corridor_mw,
                         nw->corridor_mw_count, err);
    if (!rc)
        rc = check_range(&nw->src, "economics.network", "reverse_mw", nw->reverse_mw,
                         nw->reverse_mw_count, err);
    if (!rc && nw->corridor_mw_count && e->deliverable_cap_mw > 0)
        return econ_at_src(
            err, &nw->src,
            "economics.network: deliverable_cap_mw (a v1 national limit) cannot be "
            "combined with two regions: the corridor and the supply mechanisms limit "
            "what is delivered");
    for (unsigned k = 1; !rc && k < nw->additions_mw_count; ++k)
        if (nw->additions_mw[k] < nw->additions_mw[k - 1])
            return econ_at_src(err, &nw->src,
                               "economics.network: additions_mw are cumulative: year %u's %g MW is "
                               "less than year %u's %g MW",
                               k + 1, nw->additions_mw[k], k, nw->additions_mw[k - 1]);
    for (unsigned i = 0; !rc && i < e->technologies_count; ++i) {
        const econ_tech_t *t = &e->technologies[i];
        struct {
            const char *key;
            const double *v;
            unsigned n;
        } r[] = {
            {"fuel_mmcfd", t->fuel_mmcfd, t->fuel_mmcfd_count},
            {"fuel_peak_ratio", t->fuel_peak_ratio, t->fuel_peak_ratio_count},
            {"derate_per_c", t->derate_per_c, t->derate_per_c_count},
            {"unavailable_mw", t->unavailable_mw, t->unavailable_mw_count},
            {"unavailable_before_mw", t->unavailable_before_mw, t->unavailable_before_mw_count},
            {"refuel_interval_d", t->refuel_interval_d, t->refuel_interval_d_count},
            {"refuel_outage_d", t->refuel_outage_d, t->refuel_outage_d_count}};
        char owner[GR_MAX_NAME_LEN + 32];
        snprintf(owner, sizeof owner, "technology '%s'", t->name);
        for (size_t k = 0; !rc && k < sizeof r / sizeof *r; ++k)
            rc = check_range(&t->src, owner, r[k].key, r[k].v, r[k].n, err);
        if (rc)
            break;
        if (t->fuel_mmcfd_count &&
            !(t->kind == TECH_THERMAL && (t->fuel == FUEL_GAS || t->fuel == FUEL_RLNG)))
            return econ_at_src(err, &t->src,
                               "%s: fuel_mmcfd is for gas- or RLNG-fired thermal technologies",
                               owner);
        rc = check_out_mw(t, owner, "unavailable_mw", t->unavailable_mw, t->unavailable_mw_count,
                          installed_mw[i], err);
        if (!rc)
            rc = check_out_mw(t, owner, "unavailable_before_mw", t->unavailable_before_mw,
                              t->unavailable_before_mw_count, installed_mw[i], err);
        if (!rc)
            rc = check_unavailable_from(&e->technologies[i], owner, err);
        if (rc)
            break;
        if (t->fuel_mmcfd_count && t->must_take_share != 0)
            return econ_at_src(
                err, &t->src,
                "%s: must_take_share and fuel_mmcfd exclude each other (a fuel budget is "
                "burnt in the hours of greatest need; it has no hourly floor)",
                owner);
        if (t->fuel_peak_ratio_count && !t->fuel_mmcfd_count)
            return econ_at_src(
                err, &t->src,
                "%s: fuel_peak_ratio needs fuel_mmcfd (it limits that budget's hourly rate)",
                owner);
        if (t->fuel_change_per_year != 0 && !t->fuel_mmcfd_count)
            return econ_at_src(err, &t->src, "%s: fuel_change_per_year needs fuel_mmcfd", owner);
        if (t->derate_per_c_count && !(t->kind == TECH_THERMAL || t->kind == TECH_MUST_RUN))
            return econ_at_src(err, &t->src,
                               "%s: derate_per_c is for thermal and must-run technologies", owner);
        if (t->derate_per_c_count && !e->demand.temperature_c_count)
            return econ_at_src(err, &t->src,
                               "%s: derate_per_c needs economics.demand.temperature_c", owner);
        if ((t->refuel_interval_d_count != 0) != (t->refuel_outage_d_count != 0))
            return econ_at_src(err, &t->src,
                               "%s: refuel_interval_d and refuel_outage_d go together", owner);
        if (t->refuel_interval_d_count &&
            t->refuel_outage_d[t->refuel_outage_d_count - 1] >= t->refuel_interval_d[0])
            return econ_at_src(
                err, &t->src,
                "%s: a planned outage (up to %g d) must be shorter than the interval "
                "between outages (from %g d)",
                owner, t->refuel_outage_d[t->refuel_outage_d_count - 1], t->refuel_interval_d[0]);
    }
    return rc;
}

/* "hydro,derating" -> a bit per mechanism; "all" relaxes every one. */
static int parse_relax(econ_t *e, gr_err_t *err)
{
    e->relax_mask = 0;
    const char *p = e->relax ? e->relax : "";
    while (*p) {
        while (*p == ' ' || *p == ',')
            ++p;
        size_t n = strcspn(p, ", ");
        if (!n)
            break;
        unsigned bit = 0;
        if (n == 3 && !strncmp(p, "all", 3))
            bit = (1u << SUPPLY_N_MECH) - 1;
        for (int k = 0; k < SUPPLY_N_MECH; ++k)
            if (strlen(supply_mech_names[k]) == n && !strncmp(p, supply_mech_names[k], n))
                bit = 1u << k;
        if (!bit)
            return econ_at_src(err, &e->src,
                               "economics.relax: '%.*s' is not a supply mechanism (hydro, fuel, "
                               "derating, old_plants, refuelling, corridor, all)",
                               (int)(n < 64 ? n : 64), p);
        e->relax_mask |= bit;
        p += n;
    }
    return GR_OK;
}

/* Names the output uses for its own groups; a scenario may not take them. */
static const char *const reserved_names[] = {"delta", "drivers", "summary"};

/* What a block's kind allows: off hours for the blocks that draw every
 * hour, whole hours and a window that is not empty or the whole day; a
 * backup cost only where curtailment is in the contract. */
static int check_block(const econ_block_t *b, gr_err_t *err)
{
    if (b->off_hours_count && b->kind == BLOCK_FLEXIBLE)
        return econ_at_src(err, &b->src,
                           "block '%s': off_hours is for firm and interruptible blocks (a "
                           "flexible block already stops whenever mining does not pay)",
                           b->name);
    if (b->off_hours_count) {
        const double from = b->off_hours[0], to = b->off_hours[1];
        if (from != floor(from) || to != floor(to) || fmod(from, 24.0) == fmod(to, 24.0))
            return econ_at_src(err, &b->src,
                               "block '%s': off_hours [%g, %g] must be two different whole hours "
                               "of the day (0-24)",
                               b->name, from, to);
    }
    if (b->backup_usd_per_mwh > 0.0 && b->kind != BLOCK_INTERRUPTIBLE)
        return econ_at_src(err, &b->src,
                           "block '%s': backup_usd_per_mwh is for interruptible blocks (only they "
                           "are curtailed by contract)",
                           b->name);
    return GR_OK;
}

static int check_scenarios(scenario_t *s, gr_err_t *err)
{
    /* the first scenario is the baseline: the differences are measured
     * against it and base consumers pay its fuel-cost rate in every
     * scenario (docs/MODEL.md s.7), so it cannot carry an allocation */
    for (unsigned k = 0; s->n_scen && k < s->scen[0].blocks_count; ++k)
        if (s->scen[0].blocks[k].mw > 0.0)
            return econ_at_src(err, &s->scen[0].blocks[k].src,
                               "block '%s': the first scenario ('%s') is the baseline, without the "
                               "allocation (the others are measured against it and base consumers "
                               "pay its fuel-cost rate): put allocated blocks in a later scenario",
                               s->scen[0].blocks[k].name, s->scen[0].name);
    for (size_t i = 0; i < s->n_scen; ++i) {
        const econ_scenario_t *sc = &s->scen[i];
        for (size_t r = 0; r < sizeof reserved_names / sizeof *reserved_names; ++r)
            if (!strcmp(sc->name, reserved_names[r]))
                return econ_at_src(err, &sc->src, "scenario name '%s' is reserved for the output",
                                   sc->name);
        for (size_t j = 0; j < i; ++j)
            if (!strcmp(sc->name, s->scen[j].name))
                return econ_at_src(err, &sc->src, "scenario name '%s' given twice", sc->name);
        for (unsigned k = 0; k < sc->blocks_count; ++k) {
            for (unsigned j = 0; j < k; ++j)
                if (!strcmp(sc->blocks[k].name, sc->blocks[j].name))
                    return econ_at_src(err, &sc->blocks[k].src,
                                       "block name '%s' given twice in "
                                       "scenario '%s'",
                                       sc->blocks[k].name, sc->name);
            const int rc = check_block(&sc->blocks[k], err);
            if (rc)
                return rc;
        }
    }
    return GR_OK;
}

/* The calendar month (year, 1-12) of simulated month m. */
static void sim_month(const scenario_t *s, size_t m, unsigned *year, unsigned *month)
{
    const size_t k = (s->start_month ? s->start_month - 1u : 0u) + m;
    *year = s->start_year + (unsigned)(k / 12);
    *month = (unsigned)(k % 12) + 1u;
}

/* A `month` cell must read YYYY-MM and be the simulated month of its row:
 * rows that start elsewhere or skip a month would replay the wrong season. */
static int check_obs_month(const scenario_t *s, const csv_table_t *t, size_t row, size_t col,
                           gr_err_t *err)
{
    const char *v = t->cell[row * t->n_cols + col];
    unsigned y, m;
    sim_month(s, row, &y, &m);
    char want[16];
    snprintf(want, sizeof want, "%04u-%02u", y, m);
    if (strcmp(v, want))
        return gr_err_set(err, GR_EINPUT,
                          "%s:%zu: column 'month': '%s' is not %s, the simulated month of this row "
                          "(rows run one a month from start_year and start_month)",
                          t->path, t->line[row], v, want);
    return GR_OK;
}

/* The replay's observed months: one row per simulated month, any subset of
 * the columns (a column absent keeps that driver sampled); an unknown column
 * is an error, as a misspelt one would silently leave its driver sampled. */
static int read_observed(scenario_t *s, econ_t *e, csv_table_t *t, gr_err_t *err)
{
    static const char *const cols[] = {"brent_usd_per_bbl", "coal_usd_per_t", "pkr_per_usd",
                                       "hydro_gwh"};
    static const double hi[] = {1e4, 1e4, 1e5, 1e6};
    double **dst[] = {&e->obs_brent_usd_per_bbl, &e->obs_coal_usd_per_t, &e->obs_pkr_per_usd,
                      &e->obs_hydro_mwh};
    const size_t months = 12u * s->horizon_years;
    for (size_t c = 0; c < t->n_cols; ++c) {
        int known = !strcmp(t->header[c], "month");
        for (size_t k = 0; k < 4; ++k)
            known |= !strcmp(t->header[c], cols[k]);
        if (!known)
            return gr_err_set(err, GR_EINPUT,
                              "%s:%zu: unknown column '%s' (known: month, brent_usd_per_bbl, "
                              "coal_usd_per_t, pkr_per_usd, hydro_gwh)",
                              t->path, t->header_line, t->header[c]);
    }
    if (t->n_rows != months)
        return gr_err_set(err, GR_EINPUT,
                          "%s: %zu rows, but the horizon has %zu months (one row per simulated "
                          "month, the first at the start month)",
                          t->path, t->n_rows, months);
    const long mc = csv_col(t, "month");
    int rc = GR_OK, any = 0;
    for (size_t m = 0; !rc && mc >= 0 && m < months; ++m)
        rc = check_obs_month(s, t, m, (size_t)mc, err);
    for (size_t k = 0; !rc && k < 4; ++k) {
        const long c = csv_col(t, cols[k]);
        if (c < 0)
            continue;
        any = 1;
        if (!(*dst[k] = arena_calloc(s->arena, months, sizeof(double))))
            return gr_err_set(err, GR_ERUNTIME, "out of memory");
        for (size_t m = 0; !rc && m < months; ++m)
            rc = csv_number(t, m, (size_t)c, k == 3 ? 0.0 : 1e-3, hi[k], &(*dst[k])[m], err);
        for (size_t m = 0; k == 3 && !rc && m < months; ++m)
            (*dst[k])[m] *= 1000.0; /* GWh -> MWh */
    }
    if (!rc && !any)
        rc = gr_err_set(err, GR_EINPUT,
                        "%s: none of the columns brent_usd_per_bbl, coal_usd_per_t, pkr_per_usd, "
                        "hydro_gwh",
                        t->path);
    return rc;
}

/* Reads economics.observed_csv; an input error names the scenario's field
 * (file:line of its economics mapping) before the CSV's own message. */
static int load_observed(scenario_t *s, econ_t *e, gr_err_t *err)
{
    if (!e->observed_csv)
        return GR_OK;
    csv_table_t *t;
    int rc = scenario_read_csv(s, e->observed_csv, &t, err);
    if (!rc) {
        rc = read_observed(s, e, t, err);
        csv_free(t);
    }
    e->obs_months = rc ? 0 : 12u * s->horizon_years;
    if (rc == GR_EINPUT && err) {
        char msg[sizeof err->msg];
        snprintf(msg, sizeof msg, "%s", err->msg);
        return econ_at_src(err, &e->src, "economics.observed_csv: %s", msg);
    }
    return rc;
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
    else if (!(e->wind_cf = arena_calloc(s->arena, s->hours, sizeof(double))) ||
             !(e->solar_cf = arena_calloc(s->arena, s->hours, sizeof(double))))
        rc = gr_err_set(err, GR_ERUNTIME, "out of memory");
    for (size_t h = 0; !rc && h < s->hours; ++h)
        if (!(rc = csv_number(t, h, (size_t)cw, 0.0, 1.0, &e->wind_cf[h], err)))
            rc = csv_number(t, h, (size_t)cs, 0.0, 1.0, &e->solar_cf[h], err);
    csv_free(t);
    return rc;
}

int econ_resolve(scenario_t *s, gr_err_t *err)
{
    econ_t *e = s->econ;
    int rc;
    if (s->hours % 24)
        return gr_err_set(err, GR_EINPUT,
                          "%s: %zu rows; an economic run needs whole days (a "
                          "multiple of 24)",
                          s->profile_path, s->hours);
    if (s->n_scen == 0)
        return gr_err_set(err, GR_EINPUT,
                          "%s:%zu: economics: an economic run needs a scenarios "
                          "list (the first is the baseline)",
                          e->src.file, e->src.line);
    const econ_fiscal_t *fi = &e->fiscal;
    if ((fi->tariff_indexation == TARIFF_CPI || fi->alloc_tariff_indexation == TARIFF_CPI) &&
        fi->cpi_per_year == 0.0)
        return gr_err_set(err, GR_EINPUT,
                          "%s:%zu: economics.fiscal: the cpi rule needs cpi_per_year (with no "
                          "inflation write nominal)",
                          e->src.file, e->src.line);
    if ((rc = check_hydro(s, &e->hydro, err)) || (rc = check_growth(s, e, err)) ||
        (rc = check_techs(s, e, err)) || (rc = check_scenarios(s, err)) ||
        (rc = check_supply(s, e, err)) || (rc = parse_relax(e, err)) ||
        (rc = load_renewables(s, e, err)) || (rc = load_observed(s, e, err)))
        return rc;
    /* Cholesky factor of the Brent-coal correlation matrix (GSL). */
    const double r = e->fuel.corr_brent_coal;
    double a[4] = {1.0, r, r, 1.0};
    gsl_matrix_view mv = gsl_matrix_view_array(a, 2, 2);
    if (gsl_linalg_cholesky_decomp1(&mv.matrix))
        return gr_err_set(err, GR_EINPUT,
                          "%s: economics.fuel.corr_brent_coal: not a valid "
                          "correlation",
                          s->path);
    e->chol[0] = a[0];
    e->chol[1] = 0.0;
    e->chol[2] = a[2];
    e->chol[3] = a[3];
    return GR_OK;
}

void econ_print(const scenario_t *s, FILE *f)
{
    const econ_t *e = s->econ;
    fprintf(f, "technologies  (installed MW)\n");
    for (unsigned i = 0; i < e->technologies_count; ++i) {
        const econ_tech_t *t = &e->technologies[i];
        double mw = 0;
        for (size_t u = 0; u < s->n_units; ++u)
            mw += s->units[u].tech == (int)i ? s->units[u].capacity_mw : 0.0;
        fprintf(f, "  %-12s %-9s fuel %-8s %9.1f MW  heat rate %4.1f  VOM %4.1f  must-take %.2f\n",
                t->name, tech_kinds[t->kind], fuel_names[t->fuel], mw, t->heat_rate_mmbtu_per_mwh,
                t->vom_usd_per_mwh, t->must_take_share);
    }
    fprintf(f, "deliverable   %.0f MW%s\n", e->deliverable_cap_mw,
            e->deliverable_cap_mw > 0 ? "" : " (no limit)");
    const econ_network_t *nw = &e->network;
    if (nw->corridor_mw_count) {
        double south_mw = 0;
        for (size_t u = 0; u < s->n_units; ++u)
            south_mw += s->units[u].region == GR_REGION_SOUTH ? s->units[u].capacity_mw : 0.0;
        fprintf(f,
                "network       north + south (%.0f MW of units in the south, %.0f%%-%.0f%% of "
                "demand); corridor %.0f-%.0f MW south to north\n",
                south_mw, 100.0 * nw->south_demand_share[0],
                100.0 * nw->south_demand_share[nw->south_demand_share_count - 1],
                nw->corridor_mw[0], nw->corridor_mw[nw->corridor_mw_count - 1]);
    }
    fprintf(f,
            "drivers       Brent %.1f USD/bbl, coal %.1f USD/t, PKR/USD %.2f, BTC %.0f USD, "
            "hashrate %.0f EH/s\n",
            e->fuel.brent_usd_per_bbl.start, e->fuel.coal_usd_per_t.start, e->fx.start_pkr_per_usd,
            e->bitcoin.process.start_usd, e->bitcoin.hashrate_start_ehs);
    fprintf(f, "hydro         %.1f TWh/yr, CV %.2f, AR(1) %.2f\n", e->hydro.annual_mwh / 1e6,
            e->hydro.cv, e->hydro.ar1);
    fprintf(f, "scenarios     %zu (the first is the baseline)\n", s->n_scen);
    for (size_t i = 0; i < s->n_scen; ++i) {
        const econ_scenario_t *sc = &s->scen[i];
        fprintf(f, "  %-14s %-16s", sc->name, policies[sc->priority]);
        for (unsigned k = 0; k < sc->blocks_count; ++k) {
            const econ_block_t *b = &sc->blocks[k];
            fprintf(f, " %s %s %.0f MW x %.2f @ %.2f PKR/kWh", b->name, block_kinds[b->kind], b->mw,
                    b->load_factor, b->tariff_pkr_per_kwh);
            if (b->off_hours_count == 2)
                fprintf(f, ", off %g-%g h", b->off_hours[0], b->off_hours[1]);
            if (b->kind == BLOCK_INTERRUPTIBLE)
                fprintf(f, ", backup %g USD/MWh", b->backup_usd_per_mwh);
            fputc(';', f);
        }
        fputc('\n', f);
    }
}
