/*
 * pakistan.h - the allocation risk model (docs/MODEL.md s.1, s.4-7): every trial's
 * drivers and outages are drawn once and simulated hour by hour under every
 * scenario of the run (common random numbers).
 */
#ifndef GR_PAKISTAN_H
#define GR_PAKISTAN_H

#include "../inputs/econ.h"
#include "sim.h"

/* Metrics per scenario, trial and year, in results order. */
enum {
    PK_SHED_HOURS,          /* hours in which base consumers lose load */
    PK_SHED_CONSUMER_HOURS, /* sum over hours of the share of base demand shed */
    PK_UNSERVED_MWH,        /* base consumers' unserved energy */
    PK_SHED_EVENTS,         /* entries into base-consumer shedding */
    PK_DEMAND_MWH,          /* base consumers' demand */
    PK_SERVED_MWH,          /* all load served, allocated blocks included */
    PK_ALLOC_MWH,           /* energy served to allocated blocks */
    PK_MINER_MWH,           /* energy served to flexible (mining) blocks */
    PK_MINER_UPTIME,        /* miner energy / (flexible MW x hours) */
    PK_MINER_CURTAILED_MWH, /* mining wanted but shed */
    PK_THERMAL_MWH,
    PK_HYDRO_MWH,
    PK_GEN_COST_PKR, /* variable generation cost */
    PK_CAPACITY_PKR, /* capacity payments */
    PK_BASE_REVENUE_PKR,
    PK_ALLOC_REVENUE_PKR, /* tariff revenue from allocated blocks */
    PK_NET_FISCAL_PKR,    /* costs - revenues */
    PK_NET_FISCAL_USD,
    PK_UNSERVED_COST_USD,  /* economic: unserved base energy x VOLL */
    PK_SHED_MAX_MW,        /* the year's largest base shedding in one hour (blackouts aside) */
    PK_HYDRO_PEAK_HOUR_MW, /* hydro output in the hour of the year's highest base demand */
    PK_HYDRO_MAX_MW,       /* the year's largest hourly hydro output */
    PK_HYDRO_SPILL_SHARE,  /* the largest share of a month's hydro energy left unused */
    /* per region (docs/MODEL.md s.2b; one region: all in the north) */
    PK_SHED_HOURS_NORTH,
    PK_SHED_HOURS_SOUTH,
    PK_SHED_CONSUMER_HOURS_NORTH,
    PK_SHED_CONSUMER_HOURS_SOUTH,
    PK_CORRIDOR_UNSERVED_MWH, /* base energy shed that the national balance alone would serve */
    PK_CORRIDOR_LIMIT_HOURS,  /* hours in which the corridor is at its limit */
    PK_IMF_SUBSIDY_PKR,       /* the allocation's energy at the average cost of supply - its pay */
    PK_BREAKEVEN_CASH,        /* PKR/kWh on the allocation's energy leaving the cash unchanged */
    PK_BREAKEVEN_IMF,         /* PKR/kWh at which the IMF view's subsidy is 0 */
    PK_MINER_PROFIT_USD,      /* the mining fleet's revenue - tariff - opex - idle cost */
    PK_MINING_BREAKEVEN,      /* PKR/kWh at which the fleet's year breaks even */
    PK_MINING_BREAKEVEN_BTC,  /* USD/BTC at which the fleet's year breaks even at its tariff */
    PK_INTR_CURTAILED_MWH,    /* interruptible blocks' energy curtailed */
    PK_BACKUP_COST_USD,       /* what their backup power cost while curtailed */
    PK_N_METRICS
};
extern const metric_info_t pk_metrics[PK_N_METRICS];

/* At least the rows of a month's ledger that pakistan.c keeps ahead of
 * each class's output (its SET_N; asserted there): model/runmem.c's
 * estimate of a thread's scratch counts this many. */
enum { PK_LEDGER_ROWS_MAX = 24 };

/* The accounts' flows by month (the /by_month group, docs/LAYOUT.md): per
 * scenario, trial, year and month of the simulated year, each summing over
 * the year's months to its metric (pk_month_metric[q]), so any twelve
 * consecutive months (a July-June fiscal year) have their own accounts. */
enum {
    PK_M_GEN_COST_PKR,
    PK_M_CAPACITY_PKR,
    PK_M_BASE_REVENUE_PKR,
    PK_M_ALLOC_REVENUE_PKR,
    PK_M_SERVED_MWH,
    PK_M_ALLOC_MWH,
    PK_M_MINER_MWH,
    PK_M_UNSERVED_MWH,
    PK_N_MONTH_Q
};
extern const metric_info_t pk_month_info[PK_N_MONTH_Q];
extern const int pk_month_metric[PK_N_MONTH_Q];

enum {
    PK_D_BRENT,
    PK_D_COAL,
    PK_D_RLNG,
    PK_D_RFO,
    PK_D_FX,
    PK_D_BTC,
    PK_D_HASHRATE,
    PK_D_HASHPRICE,
    PK_D_MINING_REVENUE,
    PK_D_HYDRO,
    PK_D_DEMAND,
    PK_D_BLACKOUT_H,
    PK_D_HYDRO_PEAK_MW,   /* supply draws (docs/MODEL.md s.5b): hydro peak capability */
    PK_D_HYDRO_ROR,       /* run-of-river share of hydro energy */
    PK_D_OLD_PLANTS_MW,   /* capacity out all year */
    PK_D_GAS_MMCFD,       /* gas to budgeted plants this year */
    PK_D_HEAT_DERATE_MAX, /* the year's largest share of thermal capacity lost to heat */
    PK_D_CORRIDOR_MW,     /* south -> north limit this year, as drawn (0: one region) */
    PK_D_SOUTH_SHARE,     /* share of base demand in the south (0: one region) */
    PK_D_GAS_PEAK_RATIO,  /* hourly gas limit over the budget's mean rate (0: none) */
    PK_D_NETWORK_COST,    /* the network's marginal cost, USD/(PH/s)/day, annual mean */
    PK_N_DRIVERS
};
extern const metric_info_t pk_drivers[PK_N_DRIVERS];

/* Accumulated seconds per kernel over all threads (for the closing
 * breakdown); the scenario-hours the hourly loop went through, how many of
 * them the month's settling pass settled, how many of those it left to
 * the full path the full path found it could have settled (0 when the pass
 * runs: it settles every such hour), and how many of those it left whose
 * national dispatch the full path took from the pass (ledger_hours: 0
 * without the pass); filled when times != NULL. */
typedef struct {
    double drivers_s, outages_s, hydro_s, hourly_s;
    double hours, settled_hours, settleable_hours, ledger_hours;
} pk_times_t;

int pk_run(const scenario_t *sc, const sim_opts_t *opts, results_t **out, pk_times_t *times,
           gr_err_t *err);

/* The rows of a Sobol design on the run's streams (model/sens.h):
 * n_base x SENS_N_GROUPS trials, row i n_base + j taking group i's streams
 * from trial n_base + j and every other group's from trial j. pk_run's
 * --sobol computes them; tests read them to check each stream's group. */
int pk_run_design(const scenario_t *sc, const sim_opts_t *opts, uint64_t n_base, results_t **out,
                  gr_err_t *err);

/* Miners' reward on day d, USD/day: (subsidy after the day's halvings) /
 * (1 - fee_share) x 144 blocks x price (docs/MODEL.md s.6). */
double pk_reward_usd_per_day(const econ_btc_t *b, size_t d, double btc_usd);

/* Mining revenue per MWh consumed (docs/MODEL.md s.6): hashprice
 * [USD/TH/day] = reward / (hashrate_ehs x 1e6), x 1e6 / efficiency [J/TH] / 24. */
double pk_mining_revenue_usd_per_mwh(double reward_usd_per_day, double hashrate_ehs,
                                     double efficiency_j_per_th);

/* A trial's mining drivers over `days` days: the Bitcoin price, the
 * miners' reward, and the network's cost (drawn into hp) and hashrate
 * (docs/MODEL.md s.4.6-4.7); g is rebound to the trial's streams. */
void pk_mining_paths(const econ_btc_t *b, uint32_t seed, uint64_t trial, size_t days, gsl_rng *g,
                     double *restrict btc_usd, double *restrict reward_usd_per_day,
                     double *restrict hash_ehs, drv_hash_t *hp);

#endif
