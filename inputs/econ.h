/*
 * econ.h - the economic part of a scenario (Pakistan model, docs/MODEL.md s.4-7).
 *
 * Present when the scenario file has an `economics:` section; then the run
 * simulates drivers, dispatch, fiscal accounting and several named
 * allocation scenarios on common random numbers. Units are in the names.
 * These structs are filled through the tables in econ_load.c (bounds, units
 * and defaults are there; `gridrisk schema` prints them) and checked by
 * scenario_load.
 */
#ifndef GR_ECON_H
#define GR_ECON_H

#include "../kernels/dispatch.h"
#include "../kernels/drivers.h"
#include "schema.h"

#include <stddef.h>

typedef enum { TECH_MUST_RUN, TECH_THERMAL, TECH_HYDRO, TECH_WIND, TECH_SOLAR } tech_kind_t;
typedef enum {
    FUEL_NONE,
    FUEL_RLNG,   /* USD/MMBtu, Brent-linked */
    FUEL_GAS,    /* domestic gas, fixed USD/MMBtu */
    FUEL_COAL,   /* imported coal, USD/t -> /MMBtu */
    FUEL_RFO,    /* residual fuel oil, USD/t -> /MMBtu */
    FUEL_THAR,   /* fixed USD/MWh */
    FUEL_NUCLEAR /* fixed USD/MWh */
} fuel_t;

typedef struct {
    char *name;
    tech_kind_t kind;
    fuel_t fuel;
    double heat_rate_mmbtu_per_mwh;
    double vom_usd_per_mwh;
    double must_take_share; /* thermal: output floor, share of available MW */
    /* v2 supply mechanisms (docs/MODEL.md s.5b). A range is [min, max], sampled
     * uniformly per trial (min = max: fixed); count 0: the mechanism is absent. */
    double *fuel_mmcfd; /* gas to this technology's plants, MMCFD: a monthly fuel budget */
    unsigned fuel_mmcfd_count;
    double *fuel_peak_ratio; /* most gas burnt in one hour, x the budget's mean rate */
    unsigned fuel_peak_ratio_count;
    double fuel_change_per_year; /* the fuel supply's change per year (depletion < 0) */
    double *derate_per_c;        /* output lost per degree C above 15 C (ISO) */
    unsigned derate_per_c_count;
    double *unavailable_mw; /* MW of this technology out all year (old plants) */
    unsigned unavailable_mw_count;
    char *unavailable_from;        /* "YYYY-MM": unavailable_mw applies from this month ... */
    double *unavailable_before_mw; /* ... and this range before it (a fleet that changed) */
    unsigned unavailable_before_mw_count;
    int64_t unavailable_from_month; /* resolved: year x 12 + month - 1 (0 without) */
    double *refuel_interval_d;      /* days between the starts of a unit's planned outages */
    unsigned refuel_interval_d_count;
    double *refuel_outage_d; /* days per planned outage (refuelling) */
    unsigned refuel_outage_d_count;
    double *monthly_availability; /* [12], January first: share of the class in service (seasons) */
    unsigned monthly_availability_count;
    gr_src_t src;
} econ_tech_t;

typedef struct {
    drv_logou_t brent_usd_per_bbl;
    drv_logou_t coal_usd_per_t;
    double corr_brent_coal;
    double rlng_slope_per_brent;
    double rlng_adder_usd_per_mmbtu;
    double rlng_spot_sd;
    double rfo_usd_per_t_per_brent;
    double gas_usd_per_mmbtu;
    double thar_usd_per_mwh;
    double nuclear_usd_per_mwh;
    double coal_mmbtu_per_t;
    double rfo_mmbtu_per_t;
    double coal_delivery_usd_per_t; /* freight, port and inland transport onto the FOB price */
} econ_fuel_t;

typedef struct {
    double start_pkr_per_usd, drift, vol, corr_brent;
} econ_fx_t;

typedef struct {
    drv_btc_t process;
    /* the network (docs/MODEL.md s.4.7); [min, max] ranges drawn per trial */
    double hashrate_start_ehs;
    double *network_efficiency_j_per_th; /* the marginal miner's machines at the start */
    unsigned network_efficiency_j_per_th_count;
    double *network_power_usd_per_mwh; /* the marginal miner's all-in power cost */
    unsigned network_power_usd_per_mwh_count;
    double *network_efficiency_gain; /* yearly fall of J/TH at the margin */
    unsigned network_efficiency_gain_count;
    double *network_capital_usd_per_ph_day; /* a new machine's capital cost */
    unsigned network_capital_usd_per_ph_day_count;
    double hashrate_lag_days, hashrate_grow_days, hashrate_shrink_days, hashrate_vol;
    double subsidy_btc;
    double halving_day;              /* days from the start to the next halving */
    double fee_share;                /* fees as a share of the block reward */
    double efficiency_j_per_th;      /* the allocation's fleet */
    double opex_usd_per_mwh;         /* miners' other costs per MWh mined */
    double idle_cost_usd_per_mw_day; /* the fleet's fixed cost, mining or idle */
} econ_btc_t;

typedef struct {
    double annual_mwh;     /* hydro energy in an average year */
    double *monthly_share; /* [12], sums to 1 */
    unsigned monthly_share_count;
    double cv, ar1;
    double *peak_mw; /* [min, max]: output the reservoirs can sustain at the peak */
    unsigned peak_mw_count;
    double *ror_share; /* [min, max]: share of a month's energy that is run-of-river */
    unsigned ror_share_count;
    gr_src_t src;
} econ_hydro_t;

typedef struct {
    double growth_mean, growth_sd, weather_ar1, weather_sd;
    double *temperature_c; /* [12], January first: ambient temperature at the evening peak */
    unsigned temperature_c_count;
    double temperature_per_sd_c; /* degrees C per sd of the daily weather anomaly */
    double *captive_mw; /* [min, max]: flat load moving from captive gas plants to the grid */
    unsigned captive_mw_count;
    double btm_erosion_mean, btm_erosion_sd; /* per year: share of midday grid demand lost */
    double evening_heat_gain; /* extra weight of the anomaly from 18:00 to 01:00 (cooling) */
} econ_demand_t;

typedef struct {
    double rate_per_year, median_h, log_sd;
} econ_blackout_t;

/* How a tariff is rebased at the start of each simulated year (docs/MODEL.md
 * s.7): kept in nominal PKR, raised by CPI inflation, or kept in USD (the
 * exchange rate of the month before the year over the start rate). */
typedef enum { TARIFF_NOMINAL, TARIFF_CPI, TARIFF_USD } tariff_index_t;
extern const char *const tariff_index_names[3];

/* Whose fuel cost base consumers' fuel-cost adjustment is computed on
 * (docs/MODEL.md s.7): the baseline's (their own supply without the
 * allocation), or all units sold in the scenario, as NEPRA computes it. */
typedef enum { FCA_BASELINE, FCA_ALL } fca_basis_t;
extern const char *const fca_basis_names[2];

typedef struct {
    double capacity_payments_pkr;           /* per year */
    double capacity_usd_share;              /* indexed to PKR/USD */
    double tariff_pkr_per_kwh;              /* average base tariff */
    double fuel_passthrough;                /* share of fuel-cost deviation passed on */
    double ref_fuel_cost_pkr_per_kwh;       /* reference fuel cost in the tariff */
    double td_losses;                       /* share of served energy lost or unbilled */
    double recovery;                        /* share of billed energy paid */
    double voll_usd_per_kwh;                /* value of lost load (economic, not fiscal) */
    tariff_index_t tariff_indexation;       /* the base tariff and its reference fuel cost */
    tariff_index_t alloc_tariff_indexation; /* the allocated blocks' tariffs */
    double cpi_per_year;                    /* inflation for the cpi rule */
    fca_basis_t fca_basis;                  /* the fuel cost the FCA passes on */
} econ_fiscal_t;

/* The regions of a two-region network (docs/MODEL.md s.2b): the south exports
 * to the north over one corridor. Without economics.network everything is
 * one region, whatever its units and blocks say. */
typedef enum { GR_REGION_NORTH, GR_REGION_SOUTH, GR_N_REGIONS } gr_region_t;
extern const char *const gr_region_names[GR_N_REGIONS];

/* economics.network: [min, max] ranges, sampled per trial. */
typedef struct {
    double *south_demand_share; /* share of base demand in the south */
    unsigned south_demand_share_count;
    double *corridor_mw; /* south -> north transfer limit in the first year */
    unsigned corridor_mw_count;
    double *reverse_mw; /* north -> south limit (absent: the same draw as corridor_mw) */
    unsigned reverse_mw_count;
    double *additions_mw; /* committed corridor additions in service from year k (cumulative) */
    unsigned additions_mw_count;
    gr_src_t src;
} econ_network_t;

/* flexible: mines when it pays, curtailed first under miners_first; firm:
 * draws every hour (but its off hours); interruptible: draws like firm and
 * is curtailed before anyone else under every policy, running its own
 * backup power meanwhile (docs/MODEL.md s.5). */
typedef enum { BLOCK_FLEXIBLE, BLOCK_FIRM, BLOCK_INTERRUPTIBLE } block_kind_t;

typedef struct {
    char *name;
    block_kind_t kind;
    double mw;
    double load_factor;        /* firm and interruptible: its draw / mw outside its off hours */
    double *off_hours;         /* [from, to): hours of the day it draws nothing (from > to wraps) */
    unsigned off_hours_count;  /* 0 or 2 */
    double backup_usd_per_mwh; /* interruptible: its backup power's cost while curtailed */
    double tariff_pkr_per_kwh;
    double recovery;
    int region; /* GR_REGION_*: its site */
    gr_src_t src;
} econ_block_t;

typedef struct {
    char *name;
    dispatch_policy_t priority;
    econ_block_t *blocks;
    unsigned blocks_count;
    gr_src_t src;
    /* a sweep's point (inputs/sweep.c; else NULL, NAN, NAN): the variant it
     * scales, its total MW and the tariff it bills (NAN: the variant's own) */
    const char *sweep_variant;
    double sweep_mw;
    double sweep_tariff_pkr_per_kwh;
} econ_scenario_t;

/* `sweep:` (docs/MODEL.md s.1b): every variant (a scenario whose blocks give
 * the allocation's kinds, sites, tariffs and shares) at every total MW of the
 * grid, and at every tariff of the list if one is given; each point becomes
 * a scenario after the declared ones, on the same draws. */
typedef struct {
    double *mw; /* [from, to, step] */
    unsigned mw_count;
    double *tariffs_pkr_per_kwh; /* optional: every block billed at each in turn */
    unsigned tariffs_pkr_per_kwh_count;
    econ_scenario_t *variants;
    unsigned variants_count;
    gr_src_t src;
} econ_sweep_t;

/* One limit of `frontier:`: the quantile, over trials, of the worst year's
 * paired difference (scenario - baseline) of a metric must not exceed max. */
typedef struct {
    char *metric;
    double quantile;
    double max;
    int index; /* the metric's index in the model's table (inputs/sweep.c) */
    gr_src_t src;
} econ_limit_t;

/* `frontier:` (docs/MODEL.md s.1c): the largest MW of each sweep variant
 * that meets every limit, found by bisection on [0, mw_max] until the
 * bracket is gap_mw wide or a limit cannot be told from its estimate at
 * the given confidence. */
typedef struct {
    econ_limit_t *limits;
    unsigned limits_count;
    double mw_max;
    double gap_mw;
    double confidence;
    gr_src_t src;
} econ_frontier_t;

/* Supply mechanisms that `relax` can switch off (attribution, docs/MODEL.md s.5b). */
typedef enum {
    SUPPLY_HYDRO = 0,  /* hydro peak capability and run-of-river */
    SUPPLY_FUEL,       /* gas and RLNG fuel budgets */
    SUPPLY_DERATING,   /* temperature derating */
    SUPPLY_OLD_PLANTS, /* old plants out all year */
    SUPPLY_REFUELLING, /* planned (refuelling) outages */
    SUPPLY_CORRIDOR,   /* the south-to-north transfer limit */
    SUPPLY_FUEL_RATE,  /* the hourly gas delivery rate of the fuel budgets */
    SUPPLY_N_MECH
} supply_mech_t;

extern const char *const supply_mech_names[SUPPLY_N_MECH];

typedef struct {
    double deliverable_cap_mw; /* grid's deliverable supply (0: none) */
    char *relax;               /* comma list of supply mechanisms switched off */
    unsigned relax_mask;       /* resolved: bit k = supply_mech_t k relaxed */
    char *observed_csv;        /* monthly observed drivers (a replay), or NULL */
    char *renewables_csv;      /* hourly wind_cf, solar_cf */
    econ_tech_t *technologies;
    unsigned technologies_count;
    econ_fuel_t fuel;
    econ_fx_t fx;
    econ_btc_t bitcoin;
    econ_hydro_t hydro;
    econ_demand_t demand;
    econ_blackout_t blackouts;
    econ_fiscal_t fiscal;
    econ_network_t network; /* corridor_mw_count == 0: one region */
    /* resolved by scenario_load */
    double *wind_cf;  /* [hours] */
    double *solar_cf; /* [hours] */
    double chol[4];   /* Cholesky factor of corr(Brent, coal) */
    /* observed_csv, resolved: [obs_months] each, NAN where a column is absent */
    double *obs_brent_usd_per_bbl, *obs_coal_usd_per_t, *obs_pkr_per_usd, *obs_hydro_mwh;
    size_t obs_months;
    gr_src_t src; /* the economics: mapping */
} econ_t;

#endif
