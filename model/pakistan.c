/*
 * pakistan.c - see pakistan.h.
 *
 * One trial:
 *  1. drivers (each from its own stream): monthly Brent, coal, RLNG, RFO,
 *     PKR/USD; daily Bitcoin price, hashrate, weather; annual hydro inflow
 *     and demand level; blackout spans.
 *  2. unit outages (each unit's own stream) -> a list of changes of
 *     available MW, unit by unit in hour order; marginal costs and the thermal merit
 *     order per month (sorted once a month, never per hour).
 *  3. a year at a time, what no scenario changes: available MW per
 *     technology and hour, through a difference array of the year's hours
 *     (cost ~ events + techs x hours), stored hour-major so one hour's
 *     classes share a cache line, the rows worked out only where a unit's
 *     state or the day changes, each hour pointing at its row (row_of);
 *     per hour base demand, fixed supply, hydro capacity, thermal total
 *     and must-run cost; per month each fixed source's output all used;
 *     the year's hour of peak base demand. Then 4. for the year:
 *  4. for every scenario, month by month: mining days, hydro peak shaving
 *     with the month's budget, the settling pass (settle_month: the hours
 *     served in full with the corridor within its limits, all at once in
 *     vector lanes, their figures into the month's ledger), then hour by
 *     hour the others (the full path): supply, shortfall, shedding by
 *     policy, merit-order dispatch and costs, into the ledger too; the
 *     ledger's sums; then the fiscal accounts per year.
 * Drivers and outages are shared by all scenarios (common random numbers).
 *
 * Heap data a trial touches (thread-private unless noted):
 *   scenario load_mw[H], wind_cf[H], solar_cf[H], units, techs (read only)
 *   ev[changes], unit_at/ev_cur[units + 1], chg[H x T], avail[H x T], row_of[H],
 *   moved[Y*H + 1]; base, fixed, hcap, thtot, thall, mrcost [H];
 *   lim_cap[fuel-budget classes x H]; two regions: chg_s[H x T],
 *   part_s[H x T], sfix, shyd, sth [H]
 *   mc[12Y x T], order[12Y x thermal]
 *   brent/coal/zb/fx/rlng/rfo[12Y], btc/hash/weather/rev[D*Y], hydro/level[Y]
 *   blackout[Y*H] flags, spans[cap], the fleet's layout (its own copy) and
 *   first words and draws, month scratch 3 x [max month hours],
 *   set[(SET_N + T) x max month hours], m_split[max month hours],
 *   settled[max month hours], m_at and m_full [max month hours]
 *   fix_mwh[12Y x T], day_cost[D]
 *   lol[scenarios x Y*H]; results rows of this trial (each trial its own)
 */
#include "pakistan.h"

#include "../kernels/dispatch.h"
#include "../kernels/drivers.h"
#include "../kernels/outage.h"
#include "../kernels/rng.h"
#include "fiscal.h"
#include "harness.h"
#include "limits.h"
#include "sens.h"
#include "spans.h"
#include "supply.h"

#include <assert.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

const metric_info_t pk_metrics[PK_N_METRICS] = {
    {"shed_hours", "h/yr",
     "hours in which base consumers lose load (supply shortfall or blackout)"},
    {"shed_consumer_hours", "h/yr",
     "consumer-equivalent hours of load-shedding: the share of base demand shed, summed over "
     "hours (what an average consumer loses; shed_hours counts an hour if any MW is shed)"},
    {"unserved_mwh", "MWh/yr", "base consumers' unserved energy"},
    {"shed_events", "1/yr", "entries into base-consumer load-shedding"},
    {"demand_mwh", "MWh/yr", "base consumers' demand"},
    {"served_mwh", "MWh/yr", "all load served, allocated blocks included"},
    {"alloc_energy_mwh", "MWh/yr", "energy served to allocated blocks"},
    {"miner_energy_mwh", "MWh/yr", "energy served to flexible (mining) blocks"},
    {"miner_uptime", "1", "mining energy / (flexible MW x hours in year)"},
    {"miner_curtailed_mwh", "MWh/yr", "mining demand shed in shortfall hours"},
    {"thermal_mwh", "MWh/yr", "thermal generation"},
    {"hydro_mwh", "MWh/yr", "hydro generation"},
    {"gen_cost_pkr", "PKR/yr", "variable generation cost (fuel + VOM) at the sampled PKR/USD"},
    {"capacity_payments_pkr", "PKR/yr", "capacity payments, USD-indexed share at the sampled rate"},
    {"base_revenue_pkr", "PKR/yr",
     "base consumers: served x (1 - T&D losses) x tariff (with fuel pass-through) x recovery"},
    {"alloc_revenue_pkr", "PKR/yr", "allocated blocks: served x tariff x recovery"},
    {"net_fiscal_cost_pkr", "PKR/yr",
     "gen cost + capacity payments - revenues (circular-debt flow), in nominal PKR (each "
     "year's, not discounted)"},
    {"net_fiscal_cost_usd", "USD/yr",
     "net fiscal cost at the year's average PKR/USD (each trial-year at its own rate, and a weak "
     "rupee comes with high PKR costs: the mean over trials is not the PKR mean converted and "
     "may differ in sign)"},
    {"unserved_cost_usd", "USD/yr", "economic cost: base unserved energy x value of lost load"},
    {"shed_max_mw", "MW",
     "the year's largest supply shortfall shed from base consumers in one hour (blackouts aside)"},
    {"hydro_peak_hour_mw", "MW", "hydro output in the hour of the year's highest base demand"},
    {"hydro_max_mw", "MW", "the year's largest hourly hydro output"},
    {"hydro_spill_share", "1",
     "the largest share of a month's hydro energy left unused (spilled) in the year"},
    {"shed_hours_north", "h/yr", "hours in which base consumers in the north lose load"},
    {"shed_hours_south", "h/yr", "hours in which base consumers in the south lose load"},
    {"shed_consumer_hours_north", "h/yr",
     "consumer-equivalent hours of load-shedding in the north (share of its base demand shed, "
     "summed over hours)"},
    {"shed_consumer_hours_south", "h/yr",
     "consumer-equivalent hours of load-shedding in the south"},
    {"corridor_unserved_mwh", "MWh/yr",
     "base consumers' energy the corridor sheds: base shed less what the national balance alone "
     "would shed (signed: a block the corridor cuts off can leave power to base consumers)"},
    {"corridor_limit_hours", "h/yr",
     "hours in which the south-north corridor is at its limit: a region imports all it can while "
     "someone is shed, or the dispatch is split at the limit"},
    {"imf_subsidy_pkr", "PKR/yr",
     "the IMF view: the allocation's implicit subsidy, its energy x the year's average cost of "
     "supply (variable cost + capacity payments per MWh served) - what it pays "
     "(alloc_revenue_pkr); 0 without allocated blocks"},
    {"breakeven_tariff_cash_pkr_per_kwh", "PKR/kWh",
     "the tariff, per kWh collected on all the allocation's energy as served, at which the "
     "state's cash is what it is without the allocation in the same trial and year: (its revenue "
     "+ net fiscal cost - the baseline's) / its energy; 0 without allocated energy"},
    {"breakeven_tariff_imf_pkr_per_kwh", "PKR/kWh",
     "the tariff, per kWh collected, at which the IMF view's subsidy is 0: the year's average "
     "cost of supply at the power plants (variable cost + capacity payments per kWh served, the "
     "allocation's own energy included; no network costs or losses)"},
    {"miner_profit_usd", "USD/yr",
     "the mining fleet's profit: its revenue on the energy it was served (its own hashrate added "
     "to the network's) - the tariff - opex - the fleet's idle cost on every day; 0 without "
     "flexible blocks"},
    {"mining_breakeven_tariff_pkr_per_kwh", "PKR/kWh",
     "the flat tariff at which the fleet's year breaks even, mining on the days that pay at "
     "it (no curtailment) and bearing its idle cost every day; 0 without flexible blocks"},
    {"mining_breakeven_btc_usd", "USD/BTC",
     "the Bitcoin price at which the fleet's year breaks even at its own tariff: the year's "
     "mean price times the factor on every day's price that brings its profit to 0, mining on "
     "the days that pay (no curtailment), the network's hashrate as it was; 0 without flexible "
     "blocks"},
    {"interruptible_curtailed_mwh", "MWh/yr",
     "interruptible blocks' energy curtailed (they are shed before every other load, under any "
     "policy); 0 without them"},
    {"backup_cost_usd", "USD/yr",
     "what the interruptible blocks' own backup power cost while they were curtailed: their "
     "curtailed energy x backup_usd_per_mwh (theirs to bear, not the state's)"},
};

const int pk_month_metric[PK_N_MONTH_Q] = {
    PK_GEN_COST_PKR, PK_CAPACITY_PKR, PK_BASE_REVENUE_PKR, PK_ALLOC_REVENUE_PKR,
    PK_SERVED_MWH,   PK_ALLOC_MWH,    PK_MINER_MWH,        PK_UNSERVED_MWH,
};

const metric_info_t pk_month_info[PK_N_MONTH_Q] = {
    {"gen_cost_pkr", "PKR/month", "variable generation cost at the month's PKR/USD"},
    {"capacity_payments_pkr", "PKR/month",
     "capacity payments: the year's x the month's hours / the year's, USD-indexed share at the "
     "month's rate"},
    {"base_revenue_pkr", "PKR/month", "what base consumers pay, at the month's tariff"},
    {"alloc_revenue_pkr", "PKR/month", "what the allocated blocks pay"},
    {"served_mwh", "MWh/month", "all load served, allocated blocks included"},
    {"alloc_energy_mwh", "MWh/month", "energy served to allocated blocks"},
    {"miner_energy_mwh", "MWh/month", "energy served to flexible (mining) blocks"},
    {"unserved_mwh", "MWh/month", "base consumers' unserved energy"},
};

const metric_info_t pk_drivers[PK_N_DRIVERS] = {
    {"brent_usd_per_bbl", "USD/bbl", "annual mean Brent"},
    {"coal_usd_per_t", "USD/t", "annual mean imported coal"},
    {"rlng_usd_per_mmbtu", "USD/MMBtu", "annual mean delivered RLNG"},
    {"rfo_usd_per_t", "USD/t", "annual mean residual fuel oil"},
    {"pkr_per_usd", "PKR/USD", "annual mean exchange rate"},
    {"btc_usd", "USD/BTC", "annual mean Bitcoin price"},
    {"hashrate_ehs", "EH/s", "annual mean network hashrate"},
    {"hashprice_usd_per_ph_day", "USD/(PH/s)/day", "annual mean hashprice"},
    {"mining_revenue_usd_per_mwh", "USD/MWh", "annual mean mining revenue per MWh consumed"},
    {"hydro_factor", "1", "annual hydro inflow factor"},
    {"demand_level", "1",
     "demand level relative to the load profile's year (the year before the first)"},
    {"blackout_hours", "h/yr", "hours under a grid-wide blackout"},
    {"hydro_peak_mw", "MW", "hydro output the reservoirs sustain in any hour (0: no limit)"},
    {"hydro_ror_share", "1", "share of each month's hydro energy that is run-of-river"},
    {"old_plants_mw", "MW", "capacity out all year (old plants, ended contracts)"},
    {"gas_mmcfd", "MMCFD", "gas supplied to plants with a fuel budget, this year"},
    {"heat_derate_max", "1",
     "the year's largest share of thermal and must-run capacity lost to heat on one day"},
    {"corridor_mw", "MW",
     "south-to-north transfer limit this year, as drawn (with committed additions; 0: one "
     "region)"},
    {"south_demand_share", "1", "share of base demand in the south (0: one region)"},
    {"gas_peak_ratio", "1",
     "drawn fuel_peak_ratio, weighted by each budgeted technology's gas, relaxed or not (0: none "
     "has one)"},
    {"network_cost_usd_per_ph_day", "USD/(PH/s)/day",
     "the network's marginal cost (the hashprice it settles at), annual mean, as drawn"},
};

#define BLOCKS_PER_DAY 144.0
/* Supply short of demand by less than this share is rounding, not a
 * shortfall: the fuel-budget classes cover an hour's need exactly, and the
 * sum of the hour's supplies can then miss demand by a few ulps. */
#define SHORT_ROUNDING 1e-9

double pk_reward_usd_per_day(const econ_btc_t *b, size_t d, double btc_usd)
{
    /* the subsidy halves at halving_day and every 210,000 blocks after */
    const double since = (double)d - b->halving_day;
    const double halvings = since < 0 ? 0.0 : 1.0 + floor(since / (210000.0 / BLOCKS_PER_DAY));
    return b->subsidy_btc * pow(0.5, halvings) / (1.0 - b->fee_share) * BLOCKS_PER_DAY * btc_usd;
}

double pk_mining_revenue_usd_per_mwh(double reward_usd_per_day, double hashrate_ehs,
                                     double efficiency_j_per_th)
{
    /* hashprice in USD per TH/s per day (1 EH/s = 1e6 TH/s); 1 TH/s at
     * e J/TH draws e W, so a MWh runs 1e6 / e TH/s for an hour */
    const double hashprice = reward_usd_per_day / (hashrate_ehs * 1e6);
    return hashprice * 1e6 / efficiency_j_per_th / 24.0;
}

/* One draw from a [min, max] range (a single value: fixed). */
static double range_draw(gsl_rng *g, const double *v, unsigned n)
{
    const double u = gsl_rng_uniform(g);
    return v[0] + u * (v[n - 1] - v[0]);
}

void pk_mining_paths(const econ_btc_t *b, uint32_t seed, uint64_t trial, size_t days, gsl_rng *g,
                     double *restrict btc_usd, double *restrict reward_usd_per_day,
                     double *restrict hash_ehs, drv_hash_t *hp)
{
    rng_gsl_bind(g, seed, DRV_STREAM_BTC, trial);
    drivers_btc(g, &b->process, days, btc_usd);
    for (size_t d = 0; d < days; ++d)
        reward_usd_per_day[d] = pk_reward_usd_per_day(b, d, btc_usd[d]);
    rng_gsl_bind(g, seed, DRV_STREAM_HASH, trial);
    const double eff =
        range_draw(g, b->network_efficiency_j_per_th, b->network_efficiency_j_per_th_count);
    const double usd =
        range_draw(g, b->network_power_usd_per_mwh, b->network_power_usd_per_mwh_count);
    const double gain = range_draw(g, b->network_efficiency_gain, b->network_efficiency_gain_count);
    const double cap =
        range_draw(g, b->network_capital_usd_per_ph_day, b->network_capital_usd_per_ph_day_count);
    *hp = (drv_hash_t){.start_ehs = b->hashrate_start_ehs,
                       .breakeven_usd_per_ph_day = drivers_cost_usd_per_ph_day(eff, usd),
                       .breakeven_fall_per_year = gain,
                       .capital_usd_per_ph_day = cap,
                       .lag_days = b->hashrate_lag_days,
                       .grow_days = b->hashrate_grow_days,
                       .shrink_days = b->hashrate_shrink_days,
                       .vol = b->hashrate_vol};
    drivers_hashrate(g, hp, reward_usd_per_day, days, hash_ehs);
}

/* Calendar: first hour of each month of a simulated year (13 entries),
 * the year starting in calendar month m0 (0 = January). With 365 days the
 * months have their real lengths, otherwise equal shares. */
static void month_starts(size_t hours, size_t m0, size_t *ms)
{
    static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const size_t days = hours / 24;
    size_t d = 0;
    for (size_t m = 0; m < 12; ++m) {
        ms[m] = (days == 365 ? d : m * days / 12) * 24;
        d += (size_t)len[(m0 + m) % 12];
    }
    ms[12] = hours;
}

typedef struct {
    size_t T, Y, H, D, HY, DY, MY;
    size_t ms[13];
    size_t m0;              /* calendar month of the first hour, 0 = January */
    double hydro_share[12]; /* by simulated month (the first is m0) */
    double temp_c[12];      /* by simulated month; derating's ambient */
    double installed_mw[GR_MAX_TECHS];
    double season[12][GR_MAX_TECHS]; /* monthly availability by simulated month */
    /* the first simulated month (y x 12 + m) of each class's unavailable_mw;
     * before it, unavailable_before_mw (0: unavailable_mw throughout) */
    size_t unavail_from_k[GR_MAX_TECHS];
    double heat_rate[GR_MAX_TECHS];
    double solar_norm;    /* 1 / the solar profile's largest capacity factor (0: no sun) */
    double heat_gain[24]; /* the weather anomaly's weight in demand, by hour of the day */
    /* whether each class has a fuel budget (energy-limited), and how many do */
    int is_limited[GR_MAX_TECHS], has_refuel[GR_MAX_TECHS];
    size_t n_limited;
    size_t lim_slot[GR_MAX_TECHS]; /* a fuel-budget class's row of pk_ws_t.lim_cap */
    double fuel_growth[GR_MAX_TECHS][SCENARIO_MAX_YEARS]; /* (1 + change)^y per class */
    /* technology lists by kind */
    int thermal[GR_MAX_TECHS], must_run[GR_MAX_TECHS], hydro[GR_MAX_TECHS];
    int wind[GR_MAX_TECHS], solar[GR_MAX_TECHS];
    size_t n_thermal, n_must_run, n_hydro, n_wind, n_solar, n_tech;
    size_t month_max_h;
    double floor_share[GR_MAX_TECHS]; /* must-take share per technology */
    int has_floors; /* a class has a floor (else dispatch_merit gets NULL: no floor pass) */
    int net;        /* two regions (economics.network) */
    /* the vector width settle_month runs at: the processor's widest, or
     * narrower under the test hook GRIDRISK_TEST_SETTLE_ISA (make_plan) */
    rng_isa_t settle_isa;
    double additions_mw[SCENARIO_MAX_YEARS]; /* corridor additions in service, by year */
    /* all ones: each class whole, for the national sums that must_run_part
     * and weather_part take by region (x * 1.0 is x, bit for bit) */
    double whole[GR_MAX_TECHS];
} plan_t;

/* settle_month's rows of pk_ws_t.set. The month's ledger first: each
 * hour's fixed sources used, hydro, share of fixed sources used (1 in a
 * split hour, which account_techs counts, and in a blackout, which runs
 * nothing: so that neither leaves any unused), unmet MW,
 * thermal output, variable cost (USD), and the load served: all of it,
 * base consumers', and the flexible, firm and interruptible blocks' (the
 * blocks' only where the scenario has them). settle_month writes them for
 * every hour and the full path for the hours it takes (for all of them
 * without the pass); they are summed at the month's end (lane_sum), so
 * every sum is of the same values in the same order whichever path an
 * hour took. Then the pass's own: the merit order's cost, and its scratch
 * (demand, the budgeted schedule, supply, the south's supply then its
 * output, the south's load, the budgeted share run, the verdict, a class's
 * column). The class rows that follow (each thermal class's output by
 * hour) are a ledger too. */
enum {
    SET_FU,
    SET_HYD,
    SET_FSH,
    SET_UNMET,
    SET_THERMAL,
    SET_HOUR_COST,
    SET_SERVED,
    SET_BASE_SERVED,
    SET_FLEX_SERVED,
    SET_FIRM_SERVED,
    SET_INTR_SERVED,
    SET_COST,
    SET_DEMAND,
    SET_LIM,
    SET_SUPPLY,
    SET_GS,
    SET_LOAD_S,
    SET_LSH,
    SET_OK,
    SET_AV, /* last: scratch, refilled before each read and dead after the pass */
    SET_N
};

/* A change of a class's available MW at an hour (sample_availability). */
typedef struct {
    uint32_t ha;    /* the hour in the horizon (HY: its end, never read) */
    uint16_t c;     /* the class */
    uint16_t south; /* 1: a southern unit's, a change of the south's MW too */
    double mw;      /* + back, - out */
} chg_t;

typedef struct {
    /* each class's available MW, [H][n_tech] hour-major (one hour's
     * classes together): the year's distinct rows (prepare_year makes at
     * most one an hour), hour ha's being row row_of[ha] (below H) */
    double *avail;
    uint32_t *row_of;     /* [H]: the year's hours */
    unsigned char *moved; /* [HY + 1]: 1 where a unit's state changes */
    /* The trial's changes of available MW: sample_availability lists them
     * unit by unit (ev[ev_n]; unit u's from unit_at[u] to unit_at[u + 1],
     * in hour order). prepare_year adds its year's into chg (and the
     * south's into chg_s) unit by unit from each unit's cursor (ev_cur[u]:
     * its first change not yet added), so in the order a stable sort of
     * the list by year would give, without the sort's division and copy;
     * chg is [H][n_tech] by hour of the year, each cell's in the same order as
     * one table for the horizon would, and zeroes each row it reads: the
     * tables are zeros between years. A year's table (0.7 MB in the
     * default) stays in cache, where the horizon's (2 x 3.5 MB, cleared
     * each trial) did not. */
    chg_t *ev;
    size_t ev_n, ev_cap;
    size_t *unit_at, *ev_cur; /* [n_units + 1] each (ev_cur's last unused) */
    double *chg, *chg_s;      /* MW */
    /* two regions (else NULL): the south's share of each class's available
     * MW, in rows as avail's ([H][n_tech]), and per hour of the year the
     * south's fixed supply, hydro share and thermal without a fuel budget
     * ([H]) */
    double *part_s, *sfix, *shyd, *sth;
    /* per hour of the year, shared by all scenarios (prepare_year, a year
     * at a time, so the same memory, in cache, from year to year): */
    double *base, *fixed, *hcap, *thtot, *mrcost; /* [H]; thtot: classes without a fuel budget */
    double *thall;                                /* [H] all thermal, budgets ignored */
    supply_draw_t sd;                             /* the trial's supply draws */
    double *mc;                                   /* [MY][n_tech] USD/MWh */
    int *order;                                   /* [MY][n_thermal] merit order */
    double *brent, *coal, *zb, *fx, *rlng, *rfo;
    double *fca_pkr_per_kwh; /* [MY] the baseline's fuel cost per kWh: every scenario's FCA */
    double *btc, *hash, *weather, *rev; /* rev: USD per MWh at the network's hashrate */
    double *reward;                     /* [DY] miners' reward, USD/day */
    double *frev;      /* [DY] a scenario's fleet's revenue, USD/MWh (fleet_rev, once a day:
                          the year's days, at the start of each scenario's year) */
    drv_hash_t hash_p; /* the network's cost, as drawn */
    double hydro[SCENARIO_MAX_YEARS], level[SCENARIO_MAX_YEARS];
    double derate_max[SCENARIO_MAX_YEARS]; /* share of derateable MW lost, hottest day */
    double btm[SCENARIO_MAX_YEARS];        /* cumulative midday erosion by rooftop solar */
    double captive_mw;                     /* load moved from captive plants */
    unsigned char *blackout;
    spans_t spans;
    /* every unit's first draws of a trial, made together in vector lanes
     * (as model/sim.c's): the fleet's layout (the thread's copy, read
     * only), the Philox words and their exponentials */
    spans_fleet_t fleet;
    uint32_t *words;
    double *draws;
    double *m_net, *m_hyd, *m_flex; /* [month hours] scenario scratch */
    double *m_res, *m_cap;          /* [month hours] energy-limited dispatch */
    /* [n_limited][H] per year: what each fuel-budget class can run each
     * hour (its available MW within its gas delivery rate; 0 in a blackout) */
    double *lim_cap;
    double *m_scr; /* [3 x month hours] its scratch */
    double *m_lim; /* [n_limited][month hours] fuel-budget classes' output */
    /* settle_month's per-hour quantities ([SET_N][month hours], then each
     * thermal class's output, [n_tech][month hours]) and which hours it
     * settled ([month hours]) */
    double *set;
    unsigned char *settled;
    int32_t *m_at;          /* [month hours] settle_month's offsets of the hours' rows */
    double *fix_mwh;        /* [MY][n_tech] each fixed class's MWh all used (tech_month) */
    double *day_cost;       /* [D] the break-evens' cost of a mining MWh by day */
    uint32_t *m_full;       /* [month hours] the hours the full path takes */
    unsigned char *m_split; /* [month hours] 1: the corridor split the hour's dispatch */
    /* each year's first hour of peak base demand, blackouts excepted
     * (SIZE_MAX: none); prepare_year */
    size_t peak_ha[SCENARIO_MAX_YEARS];
    gsl_rng *g;
    int64_t *lol;          /* [n_scen][Y][H] */
    size_t *last_short_ha; /* [n_scen] each scenario's last hour that shed base load, so far */
    pk_times_t times;
} pk_ws_t;

_Static_assert((uint64_t)GR_MAX_YEARS *GR_MAX_HOURS < UINT32_MAX, "chg_t.ha: an hour fits");
_Static_assert(GR_MAX_TECHS <= UINT16_MAX, "chg_t.c: a class fits");
_Static_assert((int)SET_N <= (int)PK_LEDGER_ROWS_MAX, "runmem.c counts every ledger row");

/* The economic model as the harness sees it: the scenario, its plan, and
 * the run's seed and kernel. */
typedef struct {
    const scenario_t *sc;
    plan_t pl;
    uint32_t seed;
    sim_kernel_t kernel;
    uint64_t design_base; /* 0: trial t draws trial t's numbers; else the Sobol
                             design's row t (sens_design_key) */
} pk_model_t;

static void ws_free(void *ws)
{
    pk_ws_t *w = ws;
    void *p[] = {
        w->moved,    w->row_of,   w->part_s, w->sfix,    w->shyd,         w->sth,
        w->avail,    w->chg,      w->chg_s,  w->ev,      w->unit_at,      w->ev_cur,
        w->base,     w->fixed,    w->hcap,   w->thtot,   w->thall,        w->mrcost,
        w->mc,       w->order,    w->brent,  w->coal,    w->zb,           w->fx,
        w->rlng,     w->rfo,      w->btc,    w->hash,    w->weather,      w->rev,
        w->blackout, w->m_net,    w->m_hyd,  w->m_flex,  w->m_res,        w->lim_cap,
        w->m_cap,    w->m_scr,    w->m_lim,  w->set,     w->settled,      w->m_at,
        w->m_split,  w->day_cost, w->m_full, w->fix_mwh, w->lol,          w->fca_pkr_per_kwh,
        w->reward,   w->frev,     w->words,  w->draws,   w->last_short_ha};
    for (size_t i = 0; i < sizeof p / sizeof *p; ++i)
        free(p[i]);
    if (w->g)
        gsl_rng_free(w->g);
    spans_free(&w->spans);
    spans_fleet_free(&w->fleet);
}

static int ws_init(void *ws, const void *model)
{
    pk_ws_t *w = ws;
    const pk_model_t *pm = model;
    const plan_t *pl = &pm->pl;
    const size_t n_scen = pm->sc->n_scen;
    memset(w, 0, sizeof *w);
    const size_t M = pl->MY, DY = pl->DY, mh = pl->month_max_h;
    w->avail = malloc(pl->n_tech * pl->H * sizeof(double));
    w->chg = calloc(pl->n_tech * pl->H + 1, sizeof(double));
    w->ev_cap = 1024; /* grows as a trial needs (sample_availability) */
    w->ev = malloc(w->ev_cap * sizeof *w->ev);
    w->unit_at = malloc((pm->sc->n_units + 1) * sizeof *w->unit_at);
    w->ev_cur = malloc((pm->sc->n_units + 1) * sizeof *w->ev_cur);
    w->row_of = malloc(pl->H * sizeof *w->row_of);
    w->moved = malloc(pl->HY + 1);
    if (pl->net &&
        (!(w->part_s = malloc(pl->n_tech * pl->H * sizeof(double))) ||
         !(w->chg_s = calloc(pl->n_tech * pl->H + 1, sizeof(double))) ||
         !(w->sfix = malloc(pl->H * sizeof(double))) ||
         !(w->shyd = malloc(pl->H * sizeof(double))) || !(w->sth = malloc(pl->H * sizeof(double)))))
        return -1;
    double **hy[] = {&w->base, &w->fixed, &w->hcap, &w->thtot, &w->mrcost, &w->thall};
    for (size_t i = 0; i < 6; ++i)
        *hy[i] = malloc(pl->H * sizeof(double));
    w->mc = malloc(M * pl->n_tech * sizeof(double));
    w->order = malloc(M * (pl->n_thermal + 1) * sizeof(int));
    double **m[] = {&w->brent, &w->coal, &w->zb, &w->fx, &w->rlng, &w->rfo, &w->fca_pkr_per_kwh};
    for (size_t i = 0; i < 7; ++i)
        *m[i] = malloc(M * sizeof(double));
    double **d[] = {&w->btc, &w->hash, &w->weather, &w->rev, &w->reward, &w->frev};
    for (size_t i = 0; i < 6; ++i)
        *d[i] = malloc(DY * sizeof(double));
    double **s[] = {&w->m_net, &w->m_hyd, &w->m_flex, &w->m_res, &w->m_cap};
    for (size_t i = 0; i < 5; ++i)
        *s[i] = malloc(mh * sizeof(double));
    w->lim_cap = malloc((pl->n_limited * pl->H + 1) * sizeof(double));
    w->m_scr = malloc(3 * mh * sizeof(double));
    w->m_lim = malloc((pl->n_limited + 1) * mh * sizeof(double));
    w->set = malloc((SET_N + pl->n_tech) * mh * sizeof(double));
    w->settled = calloc(mh, 1);
    w->m_at = malloc(mh * sizeof *w->m_at);
    w->m_split = malloc(mh);
    w->day_cost = malloc(pl->D * sizeof *w->day_cost);
    w->fix_mwh = malloc(M * pl->n_tech * sizeof *w->fix_mwh);
    w->m_full = malloc(mh * sizeof *w->m_full);
    w->blackout = malloc(pl->HY);
    const int spans_ok =
        spans_init(&w->spans, 4096) == 0 &&
        spans_fleet_init(&w->fleet, pm->sc->units, pm->sc->n_units, (int32_t)pl->HY) == 0;
    if (spans_ok) {
        w->words = malloc((4 * w->fleet.n_jobs + 1) * sizeof *w->words);
        w->draws = malloc((w->fleet.off[w->fleet.n_units] + 1) * sizeof *w->draws);
    }
    w->lol = calloc(n_scen * pl->HY, sizeof *w->lol);
    w->last_short_ha = malloc(n_scen * sizeof *w->last_short_ha);
    w->g = gsl_rng_alloc(&rng_gsl_type);
    int ok = spans_ok && w->words && w->draws && w->avail && w->chg && w->ev && w->unit_at &&
             w->ev_cur && w->row_of && w->moved && w->blackout && w->lol && w->last_short_ha &&
             w->g && w->mc && w->order && w->m_scr && w->m_lim;
    for (size_t i = 0; i < 6; ++i)
        ok = ok && *hy[i];
    for (size_t i = 0; i < 7; ++i)
        ok = ok && *m[i];
    for (size_t i = 0; i < 6; ++i)
        ok = ok && *d[i];
    for (size_t i = 0; i < 5; ++i)
        ok = ok && *s[i];
    ok = ok && w->lim_cap && w->set && w->settled && w->m_at && w->m_split && w->day_cost &&
         w->m_full && w->fix_mwh;
    return ok ? 0 : -1;
}

/* key[g]: the trial whose numbers group g of model/sens.h draws (t itself
 * but in a Sobol design). */
static int sample_drivers(const scenario_t *sc, const plan_t *pl, uint32_t seed,
                          const uint64_t *key, pk_ws_t *w)
{
    const econ_t *e = sc->econ;
    gsl_rng *g = w->g;
    rng_gsl_bind(g, seed, DRV_STREAM_FUEL, key[SENS_G_FUEL_FX]);
    drivers_fuel(g, &e->fuel.brent_usd_per_bbl, &e->fuel.coal_usd_per_t, e->chol, pl->MY, w->brent,
                 w->coal, w->zb);
    /* a replay's observed months replace the sampled paths (the draws are
     * still made, so the other drivers keep theirs) */
    if (e->obs_brent_usd_per_bbl)
        memcpy(w->brent, e->obs_brent_usd_per_bbl, pl->MY * sizeof(double));
    if (e->obs_coal_usd_per_t)
        memcpy(w->coal, e->obs_coal_usd_per_t, pl->MY * sizeof(double));
    rng_gsl_bind(g, seed, DRV_STREAM_FX, key[SENS_G_FUEL_FX]);
    drivers_fx(g, e->fx.start_pkr_per_usd, e->fx.drift, e->fx.vol, e->fx.corr_brent, w->zb, pl->MY,
               w->fx);
    if (e->obs_pkr_per_usd)
        memcpy(w->fx, e->obs_pkr_per_usd, pl->MY * sizeof(double));
    rng_gsl_bind(g, seed, DRV_STREAM_RLNG, key[SENS_G_FUEL_FX]);
    drivers_rlng(g, e->fuel.rlng_slope_per_brent, e->fuel.rlng_adder_usd_per_mmbtu,
                 e->fuel.rlng_spot_sd, e->fuel.brent_usd_per_bbl.start, w->brent, pl->MY, w->rlng);
    for (size_t m = 0; m < pl->MY; ++m)
        w->rfo[m] = e->fuel.rfo_usd_per_t_per_brent * w->brent[m];
    const econ_btc_t *b = &e->bitcoin;
    pk_mining_paths(b, seed, key[SENS_G_BITCOIN], pl->DY, g, w->btc, w->reward, w->hash,
                    &w->hash_p);
    for (size_t d = 0; d < pl->DY; ++d)
        w->rev[d] = pk_mining_revenue_usd_per_mwh(w->reward[d], w->hash[d], b->efficiency_j_per_th);
    rng_gsl_bind(g, seed, DRV_STREAM_HYDRO, key[SENS_G_RIVERS]);
    drivers_hydro(g, e->hydro.cv, e->hydro.ar1, pl->Y, w->hydro);
    for (size_t y = 0; e->obs_hydro_mwh && y < pl->Y; ++y) {
        double sum = 0.0; /* the observed year's inflow factor, for the output */
        for (size_t mi = 0; mi < 12; ++mi)
            sum += e->obs_hydro_mwh[y * 12 + mi];
        w->hydro[y] = e->hydro.annual_mwh > 0.0 ? sum / e->hydro.annual_mwh : 0.0;
    }
    rng_gsl_bind(g, seed, DRV_STREAM_DEMAND, key[SENS_G_DEMAND]);
    drivers_demand(g, e->demand.growth_mean, e->demand.growth_sd, pl->Y, w->level);
    const econ_demand_t *dm = &e->demand;
    rng_gsl_bind(g, seed, DRV_STREAM_BTM, key[SENS_G_DEMAND]);
    double btm = 0.0;
    for (size_t y = 0; y < pl->Y; ++y) {
        btm += dm->btm_erosion_mean + dm->btm_erosion_sd * gsl_ran_gaussian_ziggurat(g, 1.0);
        w->btm[y] = btm;
    }
    w->captive_mw = 0.0;
    if (dm->captive_mw_count) {
        rng_gsl_bind(g, seed, DRV_STREAM_CAPTIVE, key[SENS_G_DEMAND]);
        const double lo = dm->captive_mw[0], hi = dm->captive_mw[dm->captive_mw_count - 1];
        w->captive_mw = lo + gsl_rng_uniform(g) * (hi - lo);
    }
    rng_gsl_bind(g, seed, DRV_STREAM_WEATHER, key[SENS_G_WEATHER]);
    drivers_weather(g, e->demand.weather_ar1, e->demand.weather_sd, pl->DY, w->weather);
    memset(w->blackout, 0, pl->HY);
    size_t n;
    for (;;) {
        rng_gsl_bind(g, seed, DRV_STREAM_BLACKOUT, key[SENS_G_BLACKOUTS]);
        n = drivers_blackouts(g, e->blackouts.rate_per_year, e->blackouts.median_h,
                              e->blackouts.log_sd, pl->H, (int32_t)pl->HY, w->spans.v,
                              w->spans.cap);
        if (n <= w->spans.cap)
            break;
        if (spans_reserve(&w->spans, n))
            return -1;
    }
    for (size_t i = 0; i < n; ++i)
        memset(w->blackout + w->spans.v[i].down_h, 1,
               (size_t)(w->spans.v[i].up_h - w->spans.v[i].down_h));
    return 0;
}

/* Room for need changes; 0, or -1 when out of memory. */
static int ev_grow(pk_ws_t *w, size_t need)
{
    size_t c = w->ev_cap;
    while (c < need)
        c *= 2;
    chg_t *a = realloc(w->ev, c * sizeof *a);
    if (a) {
        w->ev = a;
        w->ev_cap = c;
    }
    return a ? 0 : -1;
}

static int sample_availability(const scenario_t *sc, const plan_t *pl, uint32_t seed, uint64_t t,
                               pk_ws_t *w)
{
    memset(w->moved, 0, pl->HY + 1);
    w->ev_n = 0;
    spans_fleet_draw(&w->fleet, seed, t, w->words, w->draws);
    for (size_t u = 0; u < sc->n_units; ++u) {
        const scen_unit_t *un = &sc->units[u];
        const uint16_t c = (uint16_t)un->tech;
        /* a southern unit's outages are changes of the south's MW too */
        const uint16_t south = pl->net && un->region == GR_REGION_SOUTH;
        const double mw = un->capacity_mw;
        size_t n = spans_walk_unit(&w->spans, &w->fleet, u, un, w->words, w->draws, seed, t,
                                   (int32_t)pl->HY);
        if (n == (size_t)-1)
            return -1;
        if (pl->has_refuel[c] && !supply_relaxed(sc->econ, SUPPLY_REFUELLING)) {
            const econ_tech_t *tc = &sc->econ->technologies[c];
            size_t k;
            while ((k = supply_refuel_spans(tc, un, seed, t, (int32_t)pl->HY, w->spans.v + n,
                                            w->spans.cap - n)) > w->spans.cap - n)
                if (spans_reserve(&w->spans, n + k))
                    return -1;
            /* a unit on forced outage during its refuelling is out once */
            n = supply_union_spans(w->spans.v, n + k);
        }
        if (w->ev_n + 2 * n + 1 > w->ev_cap && ev_grow(w, w->ev_n + 2 * n + 1))
            return -1;
        /* its capacity at the first hour, then out and back at each span
         * (in hour order: spans_walk_unit's are, and so are
         * supply_union_spans') */
        w->unit_at[u] = w->ev_cur[u] = w->ev_n;
        chg_t *ev = w->ev + w->ev_n;
        *ev++ = (chg_t){0, c, south, mw};
        for (size_t i = 0; i < n; ++i) {
            *ev++ = (chg_t){(uint32_t)w->spans.v[i].down_h, c, south, -mw};
            *ev++ = (chg_t){(uint32_t)w->spans.v[i].up_h, c, south, mw};
            w->moved[w->spans.v[i].down_h] = w->moved[w->spans.v[i].up_h] = 1;
        }
        w->ev_n += 2 * n + 1;
    }
    w->unit_at[sc->n_units] = w->ev_n;
    return 0; /* prepare_year sums the changes over hours */
}

/* Marginal cost of a technology in month m (USD/MWh). */
static double marginal_cost(const econ_t *e, const econ_tech_t *tc, const pk_ws_t *w, size_t m)
{
    const econ_fuel_t *f = &e->fuel;
    double fuel = 0.0;
    switch (tc->fuel) {
    case FUEL_RLNG:
        fuel = w->rlng[m] * tc->heat_rate_mmbtu_per_mwh;
        break;
    case FUEL_GAS:
        fuel = f->gas_usd_per_mmbtu * tc->heat_rate_mmbtu_per_mwh;
        break;
    case FUEL_COAL:
        fuel = (w->coal[m] + f->coal_delivery_usd_per_t) / f->coal_mmbtu_per_t *
               tc->heat_rate_mmbtu_per_mwh;
        break;
    case FUEL_RFO:
        fuel = w->rfo[m] / f->rfo_mmbtu_per_t * tc->heat_rate_mmbtu_per_mwh;
        break;
    case FUEL_THAR:
        fuel = f->thar_usd_per_mwh;
        break;
    case FUEL_NUCLEAR:
        fuel = f->nuclear_usd_per_mwh;
        break;
    case FUEL_NONE:
        break;
    }
    return fuel + tc->vom_usd_per_mwh;
}

/* A scenario's blocks pooled by kind. Firm and interruptible blocks draw
 * mw x load factor in each hour of the day but their off hours: hod[h] by
 * hour of the day, r_hod[h][g] by site. */
typedef struct {
    double hod[24], r_hod[24][GR_N_REGIONS];
    double mean_mw; /* the mean draw over the day, for the pool's weights */
    double tariff_pkr_per_mwh, recovery;
} drawing_t;

typedef struct {
    double flex_mw;                 /* mining, when it mines */
    double flex_r_mw[GR_N_REGIONS]; /* by site */
    double flex_tariff_pkr_per_mwh, flex_recovery;
    drawing_t firm, intr;      /* firm and interruptible */
    double backup_usd_per_mwh; /* interruptible, weighted by its draw */
} blocks_t;

/* 1 when hour of the day h is in a block's off hours [from, to) (from > to
 * wraps past midnight). */
static int off_hour(const econ_block_t *x, size_t h)
{
    if (x->off_hours_count != 2)
        return 0;
    const double from = fmod(x->off_hours[0], 24.0), to = fmod(x->off_hours[1], 24.0);
    const double hd = (double)h;
    return from < to ? hd >= from && hd < to : hd >= from || hd < to;
}

/* Totals of a scenario's blocks. Several flexible blocks are pooled at
 * their MW-weighted tariff (their on/off days are decided on it); firm and
 * interruptible blocks at their tariffs weighted by their mean draw. */
static blocks_t scenario_blocks(const econ_scenario_t *s)
{
    blocks_t b = {0};
    double fr = 0, ft = 0, wt[2] = {0, 0}, wr[2] = {0, 0}, bk = 0;
    for (unsigned k = 0; k < s->blocks_count; ++k) {
        const econ_block_t *x = &s->blocks[k];
        if (x->kind == BLOCK_FLEXIBLE) {
            b.flex_mw += x->mw;
            b.flex_r_mw[x->region] += x->mw;
            ft += x->mw * x->tariff_pkr_per_kwh * 1000.0;
            fr += x->mw * x->recovery;
            continue;
        }
        const int i = x->kind == BLOCK_INTERRUPTIBLE;
        drawing_t *d = i ? &b.intr : &b.firm;
        const double mw = x->mw * x->load_factor;
        double mean = 0.0;
        for (size_t h = 0; h < 24; ++h) {
            const double on = off_hour(x, h) ? 0.0 : mw;
            d->hod[h] += on;
            d->r_hod[h][x->region] += on;
            mean += on / 24.0;
        }
        d->mean_mw += mean;
        wt[i] += mean * x->tariff_pkr_per_kwh * 1000.0;
        wr[i] += mean * x->recovery;
        bk += i ? mean * x->backup_usd_per_mwh : 0.0;
    }
    if (b.flex_mw > 0) {
        b.flex_tariff_pkr_per_mwh = ft / b.flex_mw;
        b.flex_recovery = fr / b.flex_mw;
    }
    for (int i = 0; i < 2; ++i) {
        drawing_t *d = i ? &b.intr : &b.firm;
        if (d->mean_mw > 0) {
            d->tariff_pkr_per_mwh = wt[i] / d->mean_mw;
            d->recovery = wr[i] / d->mean_mw;
        }
    }
    if (b.intr.mean_mw > 0)
        b.backup_usd_per_mwh = bk / b.intr.mean_mw;
    return b;
}

/* A region's must-run supply in MW, part[c] being its share of class c,
 * and its fuel cost (USD/h) in *mrc_usd: what of its fixed supply changes
 * only with availability (the national total: part all ones). */
static double must_run_part(const plan_t *pl, const double *a, const double *part, const double *mc,
                            double *mrc_usd)
{
    double fixed = 0.0, mrc = 0.0;
    for (size_t k = 0; k < pl->n_must_run; ++k) {
        const int c = pl->must_run[k];
        fixed += a[c] * part[c];
        mrc += a[c] * part[c] * mc[c];
    }
    *mrc_usd = mrc;
    return fixed;
}

/* fixed (a region's must-run MW) plus its wind and solar at the hour's
 * capacity factors: the region's fixed supply. */
static double weather_part(const plan_t *pl, const double *a, const double *part, double wind_cf,
                           double solar_cf, double fixed)
{
    for (size_t k = 0; k < pl->n_wind; ++k)
        fixed += a[pl->wind[k]] * part[pl->wind[k]] * wind_cf;
    for (size_t k = 0; k < pl->n_solar; ++k)
        fixed += a[pl->solar[k]] * part[pl->solar[k]] * solar_cf;
    return fixed;
}

/* A region's fixed supply (must-run, wind, solar) in MW, part[c] being its
 * share of class c; the must-run fuel cost (USD/h) in *mrc_usd. */
static double fixed_part(const plan_t *pl, const double *a, const double *part, const double *mc,
                         double wind_cf, double solar_cf, double *mrc_usd)
{
    return weather_part(pl, a, part, wind_cf, solar_cf, must_run_part(pl, a, part, mc, mrc_usd));
}

/* Each fixed class's output (MWh) from row a's MW, added to out[]: must-run
 * MW times mr_h, wind's times wind_h, solar's times solar_h. Over a row's
 * hours all used (prepare_year's fix_mwh): the hours, and their capacity
 * factors' sums; an hour's share u left unused (see tech_month): u, and u
 * times the hour's capacity factors. */
static void fixed_by_class(const plan_t *pl, const double *a, double mr_h, double wind_h,
                           double solar_h, double *restrict out)
{
    for (size_t k = 0; k < pl->n_must_run; ++k)
        out[pl->must_run[k]] += a[pl->must_run[k]] * mr_h;
    for (size_t k = 0; k < pl->n_wind; ++k)
        out[pl->wind[k]] += a[pl->wind[k]] * wind_h;
    for (size_t k = 0; k < pl->n_solar; ++k)
        out[pl->solar[k]] += a[pl->solar[k]] * solar_h;
}

/* Hydro's part in a region: its share of the available hydro MW. */
static double hydro_part(const plan_t *pl, const double *a, const double *part)
{
    double all = 0.0, mine = 0.0;
    for (size_t k = 0; k < pl->n_hydro; ++k) {
        all += a[pl->hydro[k]];
        mine += a[pl->hydro[k]] * part[pl->hydro[k]];
    }
    return all > 0.0 ? mine / all : 0.0;
}

/* What one hour's available MW gives (national, and the south's), the same
 * in every hour until a unit's state or the day changes: prepare_year
 * works it out only then, and in the other hours (about 57% of the
 * Pakistan default's) reuses it. */
typedef struct {
    double mr_mw, mrc_usd;       /* must-run MW and its fuel cost, USD/h */
    double mr_s_mw;              /* the south's must-run MW */
    double hcap_mw;              /* hydro, within the drawn peak; before any blackout */
    double th_mw, thu_mw;        /* all thermal; thermal without a fuel budget */
    double shyd, sth_mw;         /* the south's hydro share and thermal without a budget */
    double run_mw[GR_MAX_TECHS]; /* fuel-budget classes within the gas delivery rate, by slot */
} avail_row_t;

/* The row's sums, a and p (NULL: one region) being the hour's available MW
 * and the south's share by class, gas_mw each class's gas delivery rate. */
static void avail_row(const plan_t *pl, const supply_draw_t *sd, const double *a, const double *p,
                      const double *mc, const double *gas_mw, avail_row_t *r)
{
    if (p) {
        double mrc_s, sth = 0.0;
        r->mr_s_mw = must_run_part(pl, a, p, mc, &mrc_s);
        r->shyd = hydro_part(pl, a, p);
        for (size_t k = 0; k < pl->n_thermal; ++k) {
            const int c = pl->thermal[k];
            sth += pl->is_limited[c] ? 0.0 : a[c] * p[c];
        }
        r->sth_mw = sth;
    }
    r->mr_mw = must_run_part(pl, a, pl->whole, mc, &r->mrc_usd);
    double hcap = 0.0, th = 0.0, thu = 0.0;
    for (size_t k = 0; k < pl->n_hydro; ++k)
        hcap += a[pl->hydro[k]];
    r->hcap_mw = hcap < sd->hydro_peak_mw ? hcap : sd->hydro_peak_mw;
    for (size_t k = 0; k < pl->n_thermal; ++k) {
        const int c = pl->thermal[k];
        th += a[c];
        thu += pl->is_limited[c] ? 0.0 : a[c]; /* budgeted: dispatched apart */
        if (pl->is_limited[c])                 /* within the gas delivered an hour */
            r->run_mw[pl->lim_slot[c]] = a[c] < gas_mw[c] ? a[c] : gas_mw[c];
    }
    r->th_mw = th;
    r->thu_mw = thu;
}

/* Marginal costs and the thermal merit order of every month of the
 * horizon (prepare_year's and every scenario's). */
static void prepare_months(const scenario_t *sc, const plan_t *pl, pk_ws_t *w)
{
    const econ_t *e = sc->econ;
    const size_t T = pl->n_tech, NT = pl->n_thermal;
    for (size_t m = 0; m < pl->MY; ++m) {
        double *mc = w->mc + m * T;
        for (size_t c = 0; c < T; ++c)
            mc[c] = marginal_cost(e, &e->technologies[c], w, m);
        double th_mc[GR_MAX_TECHS];
        int th_order[GR_MAX_TECHS] = {0};
        for (size_t k = 0; k < NT; ++k)
            th_mc[k] = mc[pl->thermal[k]];
        dispatch_sort_order(th_mc, th_order, NT);
        for (size_t k = 0; k < NT; ++k)
            w->order[m * NT + k] = pl->thermal[th_order[k]];
    }
}

/* A day's base demand (MW), its 24 hours from hour d0 of the year into
 * base[]: the year's level and rooftop solar (btm), captive load, and the
 * day's weather anomaly. A loop of its own, without the row's branches,
 * so that the compiler makes vector code of it. */
static void day_demand(const scenario_t *sc, const plan_t *pl, double level, double btm_share,
                       double captive_mw, double weather, size_t d0, double *restrict base)
{
    const econ_t *e = sc->econ;
    const double *restrict load = sc->load_mw + d0, *restrict scf = e->solar_cf + d0;
    for (size_t j = 0; j < 24; ++j) {
        /* the weather anomaly is normal, so unbounded: it may at most
         * switch demand off, never make it negative (with the accepted sd
         * it binds beyond 5 sd, never in the defaults); a hot day's
         * cooling load is largest in the evening and night (the peak,
         * 18:00-01:00: a day's hours are those of the year from a
         * multiple of 24), a cool day's dip likewise */
        const double gain = pl->heat_gain[j];
        const double wf = 1.0 + gain * weather;
        /* rooftop solar erodes grid demand in proportion to the solar
         * profile (most at noon); captive load adds flat */
        double btm = 1.0 - btm_share * scf[j] * pl->solar_norm;
        btm = btm > 0.0 ? btm : 0.0;
        base[j] = level * (load[j] * btm + captive_mw) * (wf > 0.0 ? wf : 0.0);
    }
}

/* What prepare_year carries from one year into the next. */
typedef struct {
    /* the available MW of each class, all and the south's: running sums of
     * sample_availability's differences, taken at each hour a unit's state
     * changes (sums of +/- capacities can leave -0.0 or 1e-13 residues, so
     * each is clamped at 0) */
    double run[GR_MAX_TECHS], run_s[GR_MAX_TECHS];
} prep_state_t;

/*
 * Everything about a year's hours that no scenario changes, computed once
 * (the years in order, from a state of zeros): per hour the
 * base demand, the fixed supply (must-run + wind + solar), hydro capacity
 * (0 in a blackout), total thermal availability and the must-run fuel
 * cost; per month each fixed class's output all used (fix_mwh); the year's
 * first hour of peak base demand outside a blackout (peak_ha) and its
 * hottest day's derating (derate_max).
 *
 * A year at a time, each simulated by every scenario before the next is
 * prepared (pk_trial), so that its rows are read while in cache: the whole
 * horizon's rows, about 14 MB a thread in the default, are beyond a core's
 * L2, and two threads' crowd their shared L3. The tables by hour hold one
 * year, indexed by the hour of the year, so each year reuses the memory
 * the last one left in cache.
 */
static void prepare_year(const scenario_t *sc, const plan_t *pl, pk_ws_t *w, size_t y,
                         prep_state_t *st)
{
    const econ_t *e = sc->econ;
    const size_t T = pl->n_tech;
    const supply_draw_t *sd = &w->sd;
    const double per_sd_c =
        e->demand.weather_sd > 0.0 ? e->demand.temperature_per_sd_c / e->demand.weather_sd : 0.0;
    double keep[GR_MAX_TECHS]; /* share of each class's available MW it can deliver today */
    /* local copies (their stores cannot alias the rows written here) */
    double run[GR_MAX_TECHS], run_s[GR_MAX_TECHS];
    memcpy(run, st->run, sizeof run);
    memcpy(run_s, st->run_s, sizeof run_s);
    avail_row_t row = {0}; /* the current row's sums (a row never spans a day) */
    /* a new day (keep[]), month (mc) or year (gas_mw) since row was worked out */
    int new_day = 1;
    size_t n_rows = 0; /* the year's distinct rows so far: avail's and part_s's first rows */
    /* the year's changes by hour of the year */
    double *restrict chg = w->chg, *restrict chg_s = w->chg_s;
    const size_t end_ha = (y + 1) * pl->H;
    for (size_t u = 0; u < sc->n_units; ++u) {
        size_t i = w->ev_cur[u];
        for (; i < w->unit_at[u + 1] && w->ev[i].ha < end_ha; ++i) {
            const chg_t *v = w->ev + i;
            assert(v->ha >= y * pl->H && (i == w->unit_at[u] || v->ha >= v[-1].ha));
            const size_t k = (v->ha - y * pl->H) * T + v->c;
            chg[k] += v->mw;
            if (v->south)
                chg_s[k] += v->mw;
        }
        w->ev_cur[u] = i;
    }
    w->derate_max[y] = 0.0;
    double gas_mw[GR_MAX_TECHS]; /* the year's hourly gas delivery rate (INFINITY: none) */
    double peak_mw = -1.0;       /* base demand is at least 0 */
    w->peak_ha[y] = SIZE_MAX;
    for (size_t c = 0; c < T; ++c)
        gas_mw[c] = sd->fuel_peak_mw[c] * pl->fuel_growth[c][y];
    for (size_t mi = 0; mi < 12; ++mi) {
        const double *mc = w->mc + (y * 12 + mi) * T;
        /* each fixed class's MWh this month, all used, blackouts excepted */
        double *const fm = w->fix_mwh + (y * 12 + mi) * T;
        memset(fm, 0, T * sizeof *fm);
        /* the current row's hours and capacity factors' sums (a row
         * never spans a day, so never a month) */
        double row_h = 0.0, row_wind = 0.0, row_solar = 0.0;
        /* a month is whole days (hours are a multiple of 24) */
        for (size_t d0 = pl->ms[mi]; d0 < pl->ms[mi + 1]; d0 += 24) {
            /* a day's temperature: the month's, plus the weather
             * anomaly (a hot day raises demand and derates plants) */
            const double temp_c = pl->temp_c[mi] + per_sd_c * w->weather[(y * pl->H + d0) / 24];
            double lost = 0.0, cap = 0.0;
            for (size_t c = 0; c < T; ++c) {
                const double f = supply_derate_factor(sd->derate_per_c[c], temp_c);
                const double a_c = y * 12 + mi < pl->unavail_from_k[c] ? sd->avail_share_before[c]
                                                                       : sd->avail_share[c];
                keep[c] = a_c * pl->season[mi][c] * f;
                lost += sd->derate_per_c[c] > 0.0 ? pl->installed_mw[c] * (1.0 - f) : 0.0;
                cap += sd->derate_per_c[c] > 0.0 ? pl->installed_mw[c] : 0.0;
            }
            const double share = cap > 0.0 ? lost / cap : 0.0;
            w->derate_max[y] = share > w->derate_max[y] ? share : w->derate_max[y];
            new_day = 1;
            day_demand(sc, pl, w->level[y], w->btm[y], w->captive_mw,
                       w->weather[(y * pl->H + d0) / 24], d0, w->base + d0);
            for (size_t hy = d0; hy < d0 + 24; ++hy) {
                const size_t ha = y * pl->H + hy;
                /* the hour's changes of each class's MW (all and the
                 * south's): none (no unit's state changed), and the same
                 * day, leave last hour's row */
                if (new_day || w->moved[ha]) {
                    if (n_rows) /* the last row's fixed output all used */
                        fixed_by_class(pl, w->avail + (n_rows - 1) * T, row_h, row_wind, row_solar,
                                       fm);
                    row_h = row_wind = row_solar = 0.0;
                    double *a = w->avail + n_rows * T;
                    double *p = w->part_s ? w->part_s + n_rows * T : NULL;
                    /* the hour's changes, zeroed for the next year as read */
                    double *restrict d = chg + hy * T;
                    for (size_t c = 0; c < T; ++c) {
                        const double v = run[c] + d[c];
                        d[c] = 0.0;
                        run[c] = v > 1e-9 ? v : 0.0;
                        a[c] = run[c] * keep[c];
                    }
                    /* the south's share of each class (a class out of reach,
                     * a[c] == 0, has none) */
                    double *restrict dp = p ? chg_s + hy * T : NULL;
                    for (size_t c = 0; p && c < T; ++c) {
                        const double v = run_s[c] + dp[c];
                        dp[c] = 0.0;
                        run_s[c] = v > 1e-9 ? v : 0.0;
                        /* the divisor is never 0, so the loop needs no branch */
                        const double q = run_s[c] * keep[c] / (a[c] > 0.0 ? a[c] : 1.0);
                        p[c] = a[c] > 0.0 ? (q < 1.0 ? q : 1.0) : 0.0;
                    }
                    avail_row(pl, sd, a, p, mc, gas_mw, &row);
                    ++n_rows;
                    new_day = 0;
                }
                /* run + 0 is run: an hour without changes has last hour's
                 * MW and shares, bit for bit */
                w->row_of[hy] = (uint32_t)(n_rows - 1);
                const double *a = w->avail + (n_rows - 1) * T;
                const double *p = w->part_s ? w->part_s + (n_rows - 1) * T : NULL;
                const double wcf = e->wind_cf[hy], scf = e->solar_cf[hy];
                if (p) {
                    w->sfix[hy] = weather_part(pl, a, p, wcf, scf, row.mr_s_mw);
                    w->shyd[hy] = row.shyd;
                    w->sth[hy] = row.sth_mw;
                }
                for (size_t k = 0; k < pl->n_limited; ++k)
                    w->lim_cap[k * pl->H + hy] = w->blackout[ha] ? 0.0 : row.run_mw[k];
                w->fixed[hy] = weather_part(pl, a, pl->whole, wcf, scf, row.mr_mw);
                /* the row's hours outside a blackout, and their
                 * capacity factors' sums (fixed_by_class, as the row ends) */
                const double lit = w->blackout[ha] ? 0.0 : 1.0;
                row_h += lit;
                row_wind += lit * wcf;
                row_solar += lit * scf;
                if (!w->blackout[ha] && w->base[hy] > peak_mw) {
                    peak_mw = w->base[hy];
                    w->peak_ha[y] = ha;
                }
                w->hcap[hy] = w->blackout[ha] ? 0.0 : row.hcap_mw;
                w->thall[hy] = row.th_mw;
                w->thtot[hy] = row.thu_mw;
                w->mrcost[hy] = row.mrc_usd;
            }
        }
        if (n_rows) /* the month's last row */
            fixed_by_class(pl, w->avail + (n_rows - 1) * T, row_h, row_wind, row_solar, fm);
    }
    memcpy(st->run, run, sizeof run);
    memcpy(st->run_s, run_s, sizeof run_s);
}

/* Hydro's output, hyd_mwh, shared among the hydro classes of row a in
 * proportion to their available MW, into mwh[]. */
static void hydro_output(const plan_t *pl, const double *a, double hyd_mwh, double *restrict mwh)
{
    double hcap = 0.0;
    for (size_t k = 0; k < pl->n_hydro; ++k)
        hcap += a[pl->hydro[k]];
    for (size_t k = 0; hcap > 0.0 && k < pl->n_hydro; ++k)
        mwh[pl->hydro[k]] += hyd_mwh * a[pl->hydro[k]] / hcap;
}

/*
 * One hour's output and variable cost (USD) by technology, added to mwh[]
 * and usd[], in an hour whose dispatch the corridor splits (the others go
 * by the month: tech_month): fixed sources in proportion to their availability,
 * curtailed pro rata in each region (share of each class used in the
 * north, share_s in the south, where part[c] of class c is), hydro in
 * proportion to its capacity, thermal as dispatched (gen[c]). The sums
 * equal the hour's served energy and its cost as simulate_scenario counts
 * them.
 */
static void account_techs(const plan_t *pl, const double *a, const double *mc, const double *gen,
                          double share, double share_s, const double *part, double hyd,
                          double wind_cf, double solar_cf, double *restrict mwh,
                          double *restrict usd)
{
/* the share of class c's fixed output used */
#define USED(c) (share * (1.0 - part[c]) + share_s * part[c])
    for (size_t k = 0; k < pl->n_must_run; ++k) {
        const int c = pl->must_run[k];
        mwh[c] += a[c] * USED(c);
        usd[c] += a[c] * mc[c] * USED(c);
    }
    for (size_t k = 0; k < pl->n_wind; ++k)
        mwh[pl->wind[k]] += a[pl->wind[k]] * wind_cf * USED(pl->wind[k]);
    for (size_t k = 0; k < pl->n_solar; ++k)
        mwh[pl->solar[k]] += a[pl->solar[k]] * solar_cf * USED(pl->solar[k]);
#undef USED
    hydro_output(pl, a, hyd, mwh);
    for (size_t k = 0; k < pl->n_thermal; ++k) {
        const int c = pl->thermal[k];
        mwh[c] += gen[c];
        usd[c] += gen[c] * mc[c];
    }
}

/* An hour's thermal output (gen[c] by class; NULL: none by rows) into its
 * place in the month's rows of output by hour (class c's at out[c x
 * stride]). */
static void gen_by_hour(const plan_t *pl, const double *gen, double *restrict out, size_t stride)
{
    for (size_t k = 0; k < pl->n_thermal; ++k) {
        const size_t c = (size_t)pl->thermal[k];
        out[c * stride] = gen ? gen[c] : 0.0;
    }
}

/* x[0] + ... + x[n - 1] as eight running sums (one per place in each group
 * of eight) added in one fixed order: vector code at every width, the same
 * bits at every width; compiled for each (lane_sum_of), as settle_month. */
static inline __attribute__((always_inline)) double lane_sum_body(const double *restrict x,
                                                                  size_t n)
{
    double t[8] = {0};
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        for (size_t j = 0; j < 8; ++j)
            t[j] += x[i + j];
    for (size_t j = 0; i < n; ++i, ++j)
        t[j] += x[i];
    return ((t[0] + t[4]) + (t[1] + t[5])) + ((t[2] + t[6]) + (t[3] + t[7]));
}
#define LANE_SUM(name, attr)                                                                       \
    attr static double name(const double *restrict x, size_t n) { return lane_sum_body(x, n); }
LANE_SUM(lane_sum_portable, )
#ifdef RNG_ISA_WIDE
LANE_SUM(lane_sum_avx2, __attribute__((target("avx2"))))
LANE_SUM(lane_sum_avx512, __attribute__((target("avx512f"))))
#endif

typedef double (*lane_fn)(const double *restrict, size_t);

static lane_fn lane_sum_of(rng_isa_t isa)
{
#ifdef RNG_ISA_WIDE
    if (isa == RNG_ISA_AVX512)
        return lane_sum_avx512;
    if (isa == RNG_ISA_AVX2)
        return lane_sum_avx2;
#endif
    (void)isa;
    return lane_sum_portable;
}

/*
 * The month's output by technology (month m of the horizon, its hours from
 * hour hm0 of the year, n_h of them) in the hours whose fixed sources are used alike in both
 * regions (all but the corridor's split hours, which account_techs adds up
 * at once), into mwh[] and usd[]. Fixed sources: what each class gives when
 * all of it is used, in every hour but a blackout's, summed once a trial
 * (prepare_year: pk_ws_t.fix_mwh, the same for every scenario), less what
 * the hours leave unused (unused[]: fixed_by_class where less than all is
 * used, and all of it in a split hour). Hydro: hyd by hour, but the split
 * hours' (m_split), shared among its classes as each hour's row has them
 * (one class: all of it, hyd_mwh). Thermal: each class's output kept by
 * hour (pk_ws_t.set's class rows) and summed by the caller (lane_sum), th.
 * The same sums as account_techs' hour by hour, in another order (the last
 * bits may differ), without a branch per hour: hour by hour it was 12% of
 * the Pakistan default's run.
 */
static void tech_month(const plan_t *pl, const pk_ws_t *w, size_t m, size_t hm0, size_t n_h,
                       const double *unused, const double *hyd, double hyd_mwh, const double *th,
                       const double *mc, double *restrict mwh, double *restrict usd)
{
    const size_t T = pl->n_tech;
    const double *const fm = w->fix_mwh + m * T;
    /* a difference of two sums, which can round an ulp below 0 where
     * (almost) all is unused */
#define USED(c) (fm[c] - unused[c] > 0.0 ? fm[c] - unused[c] : 0.0)
    for (size_t k = 0; k < pl->n_must_run; ++k) {
        const int c = pl->must_run[k];
        mwh[c] += USED(c);
        usd[c] += USED(c) * mc[c];
    }
    for (size_t k = 0; k < pl->n_wind; ++k)
        mwh[pl->wind[k]] += USED(pl->wind[k]);
    for (size_t k = 0; k < pl->n_solar; ++k)
        mwh[pl->solar[k]] += USED(pl->solar[k]);
#undef USED
    if (pl->n_hydro == 1) /* all of it (an hour without hydro MW runs none) */
        mwh[pl->hydro[0]] += hyd_mwh > 0.0 ? hyd_mwh : 0.0;
    else
        for (size_t i = 0; i < n_h; ++i)
            if (!w->m_split[i])
                hydro_output(pl, w->avail + (size_t)w->row_of[hm0 + i] * T, hyd[i], mwh);
    for (size_t k = 0; k < pl->n_thermal; ++k) {
        const int c = pl->thermal[k];
        mwh[c] += th[k];
        usd[c] += th[k] * mc[c];
    }
}

/*
 * A month's energy-limited sources, for the scenario whose net load (demand
 * minus fixed supply) is in w->m_net[0..nh): hydro into w->m_hyd (its
 * run-of-river share flat over the month, the rest where need is greatest),
 * then each fuel-budget class, cheapest first (lorder), into w->m_lim[k]
 * (docs/MODEL.md s.5b). Its hours are those of year y from hour hm0, nh of
 * them, in the year's tables. A blackout hour gets none of either.
 */
static void dispatch_energy(const plan_t *pl, pk_ws_t *w, size_t hm0, size_t nh, size_t y,
                            double hydro_mwh, const int *lorder, size_t nl, int ref)
{
    const size_t mh = pl->month_max_h;
    double *restrict res = w->m_res, *restrict cap = w->m_cap;
    double *restrict ror = w->m_lim + pl->n_limited * mh;
    const double ror_mw = w->sd.hydro_ror_share * hydro_mwh / (double)nh;
    for (size_t i = 0; i < nh; ++i) {
        const size_t hh = hm0 + i;
        const double f = ror_mw < w->hcap[hh] ? ror_mw : w->hcap[hh];
        ror[i] = f;
        res[i] = w->m_net[i] - f;
        cap[i] = w->hcap[hh] - f;
    }
    /* run-of-river the fleet cannot take (a blackout, too little capacity)
     * spills: it does not join the water the reservoirs shape */
    const double rest = (1.0 - w->sd.hydro_ror_share) * hydro_mwh;
    dispatch_limited(res, w->thall + hm0, cap, nh, rest > 0.0 ? rest : 0.0, ref, w->m_scr,
                     w->m_hyd);
    for (size_t i = 0; i < nh; ++i) {
        w->m_hyd[i] += ror[i];
        res[i] = w->m_net[i] - w->m_hyd[i];
    }
    const double *restrict oth = w->thtot + hm0;
    const double days = (double)nh / 24.0;
    for (size_t k = 0; k < nl; ++k) {
        const int c = lorder[k];
        /* the hourly gas delivery rate (INFINITY: none) */
        const double gas_mw = w->sd.fuel_peak_mw[c] * pl->fuel_growth[c][y];
        const double *restrict lcap = w->lim_cap + pl->lim_slot[c] * pl->H + hm0;
        const double day_mwh = w->sd.fuel_mwh_per_day[c] * pl->fuel_growth[c][y];
        double *restrict out = w->m_lim + k * mh;
        if (isfinite(gas_mw)) {
            /* gas delivered at a daily rate: a day's gas cannot wait for
             * another day; within the day it goes where need is greatest */
            for (size_t d0 = 0; d0 < nh; d0 += 24)
                dispatch_limited(res + d0, oth + d0, lcap + d0, 24, day_mwh, ref, w->m_scr,
                                 out + d0);
        } else {
            const double fuel_mwh = w->sd.fuel_mwh_per_day[c] * days * pl->fuel_growth[c][y];
            dispatch_limited(res, oth, lcap, nh, fuel_mwh, ref, w->m_scr, out);
        }
        for (size_t i = 0; i < nh; ++i)
            res[i] -= out[i];
    }
}

/* One hour of one region, as its own dispatch must run when the corridor
 * is at its limit: part[c] is the region's share of class c. The schedule
 * (hydro hyd_mw, fuel-budget classes lim_mw[k]) is the national one. */
typedef struct {
    const plan_t *pl;
    const double *a, *mc;
    const int *lorder, *uorder;
    size_t nl, nu;
    const double *lim_mw;
    double hyd_mw, wind_cf, solar_cf;
} region_hour_t;

/*
 * Serves need_mw in one region from its own supply: fixed sources first
 * (curtailed pro rata), then hydro, then the fuel-budget classes as
 * scheduled (cut pro rata), then its thermal in merit order. Adds output to
 * gen[] and the used fixed, hydro and unmet MW to *fu, *hu, *um, stores the
 * share of its fixed sources used in *fixed_share; returns the cost (USD).
 */
static double region_dispatch(const region_hour_t *h, const double *restrict part, double need_mw,
                              double *restrict gen, double *fu, double *hu, double *um,
                              double *fixed_share)
{
    const plan_t *pl = h->pl;
    double ar[GR_MAX_TECHS], gr[GR_MAX_TECHS], mrc, lim = 0.0;
    /* the region's MW of the classes the merit order reads (the others'
     * are never read) */
    for (size_t k = 0; k < h->nu; ++k)
        ar[h->uorder[k]] = h->a[h->uorder[k]] * part[h->uorder[k]];
    const double fixed = fixed_part(pl, h->a, part, h->mc, h->wind_cf, h->solar_cf, &mrc);
    const double hyd = h->hyd_mw * hydro_part(pl, h->a, part);
    for (size_t k = 0; k < h->nl; ++k)
        lim += h->lim_mw[k] * part[h->lorder[k]];
    need_mw = need_mw > 0.0 ? need_mw : 0.0;
    const double f = fixed < need_mw ? fixed : need_mw;
    const double hy = hyd < need_mw - f ? hyd : need_mw - f;
    const double room = need_mw - f - hy;
    const double lu = lim < room ? lim : room;
    const double lsh = lim > 0.0 ? lu / lim : 0.0;
    double cost = fixed > 0.0 ? mrc * (f / fixed) : 0.0;
    for (size_t k = 0; k < h->nl; ++k) {
        const int c = h->lorder[k];
        const double g = h->lim_mw[k] * part[c] * lsh;
        gen[c] += g;
        cost += g * h->mc[c];
    }
    double u;
    cost += dispatch_merit(room - lu, ar, pl->has_floors ? pl->floor_share : NULL, h->mc, h->uorder,
                           h->nu, gr, &u);
    for (size_t k = 0; k < h->nu; ++k)
        gen[h->uorder[k]] += gr[h->uorder[k]];
    *fu += f;
    *hu += hy;
    *um += u;
    *fixed_share = fixed > 0.0 ? f / fixed : 0.0;
    return cost;
}

/* The fleet's mining revenue on day d, USD/MWh: the network's, its
 * hashrate shared with the fleet's own fleet_ehs when it mines. */
static double fleet_rev(const pk_ws_t *w, size_t d, double fleet_ehs)
{
    return w->rev[d] * w->hash[d] / (w->hash[d] + fleet_ehs);
}

/* sum_d 24 max(0, k rev[d] - cost[d]) over n days: the fleet's margin per
 * MW on the days it mines, at k times the revenue. Eight running sums
 * added in a fixed order (a single sum was a chain of 365 dependent
 * additions per step of the break-evens' bisections). */
static double mining_margin(const double *restrict rev, const double *restrict cost, double k,
                            size_t n)
{
    double t[8] = {0};
    size_t d = 0;
    for (; d + 8 <= n; d += 8)
        for (size_t j = 0; j < 8; ++j) {
            const double m = k * rev[d + j] - cost[d + j];
            t[j] += m > 0.0 ? 24.0 * m : 0.0;
        }
    for (size_t j = 0; d < n; ++d, ++j) {
        const double m = k * rev[d] - cost[d];
        t[j] += m > 0.0 ? 24.0 * m : 0.0;
    }
    return ((t[0] + t[4]) + (t[1] + t[5])) + ((t[2] + t[6]) + (t[3] + t[7]));
}

/* Each day's cost of mining a MWh in year y at a flat tariff of tariff
 * PKR/MWh: the tariff at its month's PKR/USD, plus opex (USD). */
static void day_costs(const plan_t *pl, const pk_ws_t *w, size_t y, double opex, double tariff,
                      double *restrict cost)
{
    for (size_t mi = 0; mi < 12; ++mi) {
        const double c = tariff / w->fx[y * 12 + mi] + opex;
        for (size_t d = pl->ms[mi] / 24; d < pl->ms[mi + 1] / 24; ++d)
            cost[d] = c;
    }
}

/* The fleet's profit per MW over year y at a flat tariff of tariff PKR/MWh:
 * sum over days of 24 x max(0, revenue - opex - tariff / PKR per USD), less
 * idle_usd (its fixed cost per MW over the year). */
static double fleet_profit_per_mw(const plan_t *pl, const pk_ws_t *w, size_t y, double opex,
                                  double idle_usd, double tariff, double *restrict day_cost)
{
    day_costs(pl, w, y, opex, tariff, day_cost);
    return -idle_usd + mining_margin(w->frev + y * pl->D, day_cost, 1.0, pl->D);
}

/* The flat tariff (PKR/kWh) at which the fleet's year y breaks even (its
 * profit falls with the tariff): bisection between a tariff at which it
 * mines every day and still profits and the tariff at which it stops. */
static double mining_breakeven(const plan_t *pl, const pk_ws_t *w, size_t y, double opex,
                               double idle_usd, double *restrict day_cost)
{
    double margin = -idle_usd, per_fx = 0.0, hi = -INFINITY;
    for (size_t mi = 0; mi < 12; ++mi) {
        const double fx = w->fx[y * 12 + mi];
        for (size_t h = pl->ms[mi]; h < pl->ms[mi + 1]; h += 24) {
            const double m = w->frev[y * pl->D + h / 24] - opex;
            margin += 24.0 * m;
            per_fx += 24.0 / fx;
            hi = m * fx > hi ? m * fx : hi;
        }
    }
    /* mining every day, the profit is margin - tariff x per_fx, and
     * max(0, x) >= x: at lo the profit is >= 0; at hi it is -idle <= 0 */
    double lo = margin / per_fx;
    if (!(lo < hi))
        return hi / 1000.0;
    /* a step that leaves lo and hi as they were repeats itself to the 80th
     * (the same mid, the same verdict): stopping there gives the same bits */
    for (int k = 0; k < 80 && lo < hi; ++k) {
        const double mid = 0.5 * (lo + hi), lo0 = lo, hi0 = hi;
        if (fleet_profit_per_mw(pl, w, y, opex, idle_usd, mid, day_cost) > 0.0)
            lo = mid;
        else
            hi = mid;
        if (lo == lo0 && hi == hi0)
            break;
    }
    return 0.5 * (lo + hi) / 1000.0;
}

/* The Bitcoin price at which the fleet's year y breaks even at a tariff of
 * tariff PKR/MWh: the year's mean price times k*, the factor on every day's
 * price at which profit(k) = sum_d 24 max(0, k r_d - c_d) - idle is 0, r_d
 * the fleet's revenue per MWh (linear in the price: the reward is BTC times
 * the price, the network's hashrate as it was) and c_d = tariff / S_m +
 * opex. profit rises with k, from -idle at 0; mining every day at k_all =
 * (sum_d c_d + idle / 24) / sum_d r_d it is >= 0 (max(0, x) >= x), so the
 * root is bisected on [0, k_all]. */
static double mining_breakeven_btc(const plan_t *pl, const pk_ws_t *w, size_t y, double opex,
                                   double idle_usd, double tariff, double *restrict day_cost)
{
    double sum_r = 0.0, sum_c = 0.0, price = 0.0;
    day_costs(pl, w, y, opex, tariff, day_cost); /* USD per MWh */
    for (size_t d = 0; d < pl->D; ++d) {
        sum_r += w->frev[y * pl->D + d];
        sum_c += day_cost[d];
        price += w->btc[y * pl->D + d];
    }
    price /= (double)pl->D;
    if (!(sum_r > 0.0))
        return 0.0;
    double lo = 0.0, hi = (sum_c + idle_usd / 24.0) / sum_r;
    for (int k = 0; k < 80; ++k) {
        const double mid = 0.5 * (lo + hi), lo0 = lo, hi0 = hi;
        const double profit = -idle_usd + mining_margin(w->frev + y * pl->D, day_cost, mid, pl->D);
        if (profit > 0.0)
            hi = mid;
        else
            lo = mid;
        if (lo == lo0 && hi == hi0) /* fixed from here to the 80th: as above */
            break;
    }
    return 0.5 * (lo + hi) * price;
}

/* The settling pass's loops are inlined into each vector width's copy of
 * settle_month (below), so each is compiled for that width. */
#define SETTLE_INLINE static inline __attribute__((always_inline))

/* settle_month's national balance for n hours (dem: demand; lim: the
 * fuel-budget classes' schedule summed): supply, served, whether served in
 * full (ok 1 or 0), then fixed sources, hydro and the fuel-budget classes
 * as the hourly loop's full path dispatches them (fu, hy; fsh and lsh the
 * shares of fixed sources and of the schedule used) and what is left for
 * the merit order (rem; cost cleared for it). Parameters, so that restrict
 * tells the compiler the arrays are apart and it makes vector code. */
SETTLE_INLINE void settle_balance(size_t n, const double *restrict dem,
                                  const double *restrict fixed, const double *restrict hyd,
                                  const double *restrict lim, const double *restrict thtot,
                                  double cap_limit, double *restrict sup, double *restrict srv,
                                  double *restrict ok, double *restrict fu, double *restrict hy,
                                  double *restrict fsh, double *restrict lsh, double *restrict rem,
                                  double *restrict cost)
{
    for (size_t i = 0; i < n; ++i) {
        double s = fixed[i] + hyd[i] + lim[i] + thtot[i];
        s = s < cap_limit ? s : cap_limit;
        const double d = dem[i], v = d - s > SHORT_ROUNDING * d ? s : d;
        sup[i] = s;
        srv[i] = v;
        ok[i] = v == d ? 1.0 : 0.0;
        const double f = fixed[i] < v ? fixed[i] : v;
        const double hr = v - f;
        const double h = hyd[i] < hr ? hyd[i] : hr;
        const double lr = hr - h;
        const double lu = lim[i] < lr ? lim[i] : lr;
        /* a quotient by 1 where the full path takes none: no division by 0
         * in a vector lane, the same share where there is one */
        const double ls = lu / (lim[i] > 0.0 ? lim[i] : 1.0);
        const double fs = f / (fixed[i] > 0.0 ? fixed[i] : 1.0);
        fu[i] = f;
        hy[i] = h;
        fsh[i] = fixed[i] > 0.0 ? fs : 0.0;
        lsh[i] = lim[i] > 0.0 ? ls : 0.0;
        const double need = lr - lu;
        rem[i] = need > 0.0 ? need : 0.0;
        cost[i] = 0.0;
    }
}

/* One class of dispatch_merit (no floors) for n hours: a[i] available MW,
 * rem[i] the need left, out to g[i], its cost at m USD/MWh added. */
SETTLE_INLINE void settle_merit(size_t n, const double *restrict a, double *restrict rem,
                                double *restrict g, double *restrict cost, double m)
{
    for (size_t i = 0; i < n; ++i) {
        /* dispatch_merit's room is a - g0, g0 = 0 without a floor */
        const double r = rem[i], room = a[i] - 0.0;
        const int full = r >= room;
        const double x = full ? a[i] : 0.0 + r;
        rem[i] = full ? r - room : 0.0;
        g[i] = x;
        cost[i] += x * m;
    }
}

/* out[i] = col[at[i]]: a class's column of the hours' rows, col its
 * first row's entry and at[i] hour i's row's offset from it (computed once
 * a month for every column; lanes loaded one by one: this processor's
 * gather instructions ran the Pakistan default 1.5% slower). */
SETTLE_INLINE void settle_column(size_t n, const double *restrict col, const int32_t *restrict at,
                                 double *restrict out)
{
    for (size_t i = 0; i < n; ++i)
        out[i] = col[at[i]];
}

/* Two regions, a day's 24 hours (j the hour of the day): whether each
 * region's load fits its own supply and import, as the full path tests it
 * (else ok[j] = 0), and whether a region's surplus is beyond a limit, when
 * the national dispatch's flow decides (ok[j] 2: settle_flow). gs: the
 * south's supply (capped at the nation's here), lds: the south's load. */
SETTLE_INLINE void settle_day(const double *restrict base, const double *restrict flex,
                              const double *restrict dem, const double *restrict sup,
                              const double *restrict srv, double *restrict gs, double *restrict lds,
                              double *restrict ok, const blocks_t *bl, double ss, double fwd_mw,
                              double rev_mw)
{
    for (size_t j = 0; j < 24; ++j) {
        const double g = gs[j] < sup[j] ? gs[j] : sup[j];
        const double on = flex[j] > 0.0 ? 1.0 : 0.0;
        const double d_n = base[j] * (1.0 - ss) + bl->flex_r_mw[0] * on + bl->firm.r_hod[j][0] +
                           bl->intr.r_hod[j][0];
        const double ls =
            base[j] * ss + bl->flex_r_mw[1] * on + bl->firm.r_hod[j][1] + bl->intr.r_hod[j][1];
        const int fits = (d_n <= sup[j] - g + fwd_mw) & (dem[j] - d_n <= g + rev_mw);
        const int look = (g - ls > fwd_mw) | (sup[j] - g - (srv[j] - ls) > rev_mw);
        const double o = fits ? ok[j] : 0.0;
        ok[j] = o + (look ? o : 0.0);
        gs[j] = g;
        lds[j] = ls;
    }
}

/* gen_s[i]: the south's fixed sources and hydro as the full path
 * dispatches them (before its thermal). */
SETTLE_INLINE void settle_south(size_t n, const double *restrict fixed, const double *restrict sfix,
                                const double *restrict fsh, const double *restrict hy,
                                const double *restrict shyd, double *restrict gen_s)
{
    for (size_t i = 0; i < n; ++i)
        gen_s[i] = (fixed[i] > 0.0 ? sfix[i] * fsh[i] : 0.0) + hy[i] * shyd[i];
}

/* The small loops of settle_month, with restrict parameters: written
 * inline with w->'s arrays, each store could alias w itself, so GCC
 * reloaded the pointers and left them scalar. */

/* A day's demand: base and flexible load by hour, firm and interruptible
 * by hour of the day. */
SETTLE_INLINE void settle_demand(const double *restrict base, const double *restrict flex,
                                 const double *restrict firm, const double *restrict intr,
                                 double *restrict dem)
{
    for (size_t j = 0; j < 24; ++j)
        dem[j] = base[j] + (flex[j] + firm[j] + intr[j]);
}

/* acc[i] += x[i] */
SETTLE_INLINE void settle_add(size_t n, const double *restrict x, double *restrict acc)
{
    for (size_t i = 0; i < n; ++i)
        acc[i] += x[i];
}

/* out[i] = x[i] * y[i] */
SETTLE_INLINE void settle_mul(size_t n, const double *restrict x, const double *restrict y,
                              double *restrict out)
{
    for (size_t i = 0; i < n; ++i)
        out[i] = x[i] * y[i];
}

/* gs[i]: what the south can supply before its fuel-budget classes: its
 * fixed sources, its share of hydro and its other thermal. */
SETTLE_INLINE void settle_south_supply(size_t n, const double *restrict sfix,
                                       const double *restrict hyd, const double *restrict shyd,
                                       const double *restrict sth, double *restrict gs)
{
    for (size_t i = 0; i < n; ++i)
        gs[i] = sfix[i] + hyd[i] * shyd[i] + sth[i];
}

/* acc[i] += x[i] * m */
SETTLE_INLINE void settle_addmul(size_t n, const double *restrict x, double m, double *restrict acc)
{
    for (size_t i = 0; i < n; ++i)
        acc[i] += x[i] * m;
}

/* acc[i] += the must-run fuel cost of the share fsh[i] of fixed sources
 * used (none without fixed sources) */
SETTLE_INLINE void settle_fixed_cost(size_t n, const double *restrict fixed,
                                     const double *restrict mrcost, const double *restrict fsh,
                                     double *restrict acc)
{
    for (size_t i = 0; i < n; ++i)
        acc[i] += fixed[i] > 0 ? mrcost[i] * fsh[i] : 0.0;
}

/* settled[i]: 1 where the hour is settled (ok[i] 1, no blackout). */
SETTLE_INLINE void settle_verdict(size_t n, const unsigned char *restrict out,
                                  const double *restrict ok, unsigned char *restrict settled)
{
    for (size_t i = 0; i < n; ++i)
        settled[i] = (unsigned char)(out[i] ? 0.0 : ok[i]);
}

/* A settled hour's thermal output, as led_hour works it out (served is
 * demand). */
SETTLE_INLINE void settle_thermal(size_t n, const double *restrict dem, const double *restrict fu,
                                  const double *restrict hyd, const double *restrict unmet,
                                  double *restrict thermal)
{
    for (size_t i = 0; i < n; ++i)
        thermal[i] = dem[i] - fu[i] - hyd[i] - unmet[i];
}

/* Whether a settled hour leaves fixed sources unused. */
SETTLE_INLINE int settle_unused(size_t n, const double *restrict fixed, const double *restrict fsh,
                                const unsigned char *restrict settled)
{
    int any = 0;
    for (size_t i = 0; i < n; ++i)
        any |= (settled[i] != 0) & (fixed[i] > 0.0) & (fsh[i] != 1.0);
    return any;
}

/* acc[i] += x[i] * y[i] */
SETTLE_INLINE void settle_madd(size_t n, const double *restrict x, const double *restrict y,
                               double *restrict acc)
{
    for (size_t i = 0; i < n; ++i)
        acc[i] += x[i] * y[i];
}

/* Where ok[i] is 2 (a surplus beyond a limit): 0 if the flow gen_s - lds
 * is beyond the corridor's limits (the corridor splits the dispatch), else
 * 1. */
SETTLE_INLINE void settle_flow(size_t n, const double *restrict gen_s, const double *restrict lds,
                               const double *restrict dem, double fwd_mw, double rev_mw,
                               double *restrict ok)
{
    for (size_t i = 0; i < n; ++i) {
        const double flow = gen_s[i] - lds[i], tol = SHORT_ROUNDING * (1.0 + dem[i]);
        const int split = (flow > fwd_mw + tol) | (flow < -rev_mw - tol);
        const double o = ok[i] > 1.0 ? (split ? 0.0 : 1.0) : ok[i];
        ok[i] = o;
    }
}

/*
 * The month's hours the national dispatch settles (w->settled[i] 1): no
 * blackout, no one shed, nationally nor (two regions) by a region's own
 * supply and import, and the corridor's flow within its limits; four hours
 * in five on the Pakistan default. For every hour at once it works out, one
 * quantity or one class at a time (loops the compiler makes vector code
 * of), what the hourly loop's full path works out one hour at a time: the
 * fixed sources used and their share, hydro, each thermal class's output
 * (w->set + (SET_N + c) x mh), the merit order's cost and the MW it leaves
 * unmet.
 * The same operations in each hour, in the same order, give the same bits;
 * each hour's figures go into the month's ledger (the first rows of
 * w->set), which the month's end sums. The other hours go the full path,
 * which writes its own figures over these; where an hour serves what this
 * pass found served, it takes the national dispatch from here (and leaves
 * the class rows as they are). With must-take floors nothing is settled
 * (dispatch_merit's floor pass).
 */
SETTLE_INLINE int settle_month_body(const plan_t *pl, pk_ws_t *w, const blocks_t *bl, size_t ha0,
                                    size_t nh, const double *mc, const int *lorder, size_t nl,
                                    const int *uorder, size_t nu, double cap_limit, double fwd_mw,
                                    double rev_mw)
{
    const size_t mh = pl->month_max_h, T = pl->n_tech;
    double *const set = w->set, *const gen = set + SET_N * mh;
    double *const dem = set + SET_DEMAND * mh, *const lim = set + SET_LIM * mh;
    double *const av = set + SET_AV * mh, *const gs = set + SET_GS * mh;
    double *const ok = set + SET_OK * mh, *const lsh = set + SET_LSH * mh;
    const size_t hm0 = ha0 % pl->H; /* the month's first hour in the year's tables */
    const uint32_t *const row = w->row_of + hm0;
    const double *const base = w->base + hm0;
    /* each hour's row's offset from the month's first row (rows are
     * numbered in hour order: at most a month's hours x n_tech) */
    int32_t *const at = w->m_at;
    for (size_t i = 0; i < nh; ++i)
        at[i] = (int32_t)((row[i] - row[0]) * (uint32_t)T);
    const double *const av0 = w->avail + (size_t)row[0] * T;
    const double *const ps0 = w->part_s ? w->part_s + (size_t)row[0] * T : NULL;
    /* months are whole days: hour d0 + j of the month is hour j of its day */
    assert(ha0 % 24 == 0 && nh % 24 == 0);
    for (size_t d0 = 0; d0 < nh; d0 += 24)
        settle_demand(base + d0, w->m_flex + d0, bl->firm.hod, bl->intr.hod, dem + d0);
    memset(lim, 0, nh * sizeof *lim);
    for (size_t k = 0; k < nl; ++k)
        settle_add(nh, w->m_lim + k * mh, lim);
    settle_balance(nh, dem, w->fixed + hm0, w->m_hyd, lim, w->thtot + hm0, cap_limit,
                   set + SET_SUPPLY * mh, set + SET_SERVED * mh, ok, set + SET_FU * mh,
                   set + SET_HYD * mh, set + SET_FSH * mh, lsh, set + SET_UNMET * mh,
                   set + SET_COST * mh);
    for (size_t k = 0; k < nl; ++k)
        settle_mul(nh, w->m_lim + k * mh, lsh, gen + (size_t)lorder[k] * mh);
    for (size_t k = 0; k < nu; ++k) {
        const size_t c = (size_t)uorder[k];
        settle_column(nh, av0 + c, at, av);
        settle_merit(nh, av, set + SET_UNMET * mh, gen + c * mh, set + SET_COST * mh, mc[c]);
    }
    if (pl->net) {
        const double *const sfix = w->sfix + hm0, *const shyd = w->shyd + hm0;
        const double *const sth = w->sth + hm0;
        settle_south_supply(nh, sfix, w->m_hyd, shyd, sth, gs);
        for (size_t k = 0; k < nl; ++k) {
            settle_column(nh, ps0 + lorder[k], at, av);
            settle_madd(nh, w->m_lim + k * mh, av, gs);
        }
        for (size_t d0 = 0; d0 < nh; d0 += 24)
            settle_day(base + d0, w->m_flex + d0, dem + d0, set + SET_SUPPLY * mh + d0,
                       set + SET_SERVED * mh + d0, gs + d0, set + SET_LOAD_S * mh + d0, ok + d0, bl,
                       w->sd.south_share, fwd_mw, rev_mw);
        /* the national dispatch's flow south -> north, as the full path
         * works it out where a surplus is beyond a limit */
        double *const gen_s = gs;
        settle_south(nh, w->fixed + hm0, sfix, set + SET_FSH * mh, set + SET_HYD * mh, shyd, gen_s);
        for (size_t k = 0; k < pl->n_thermal; ++k) {
            const size_t c = (size_t)pl->thermal[k];
            settle_column(nh, ps0 + c, at, av);
            settle_madd(nh, gen + c * mh, av, gen_s);
        }
        settle_flow(nh, gen_s, set + SET_LOAD_S * mh, dem, fwd_mw, rev_mw, ok);
    }
    settle_verdict(nh, w->blackout + ha0, ok, w->settled);
    /* every hour's cost as a settled hour's: the full path's terms in its
     * order (the full path then writes over its hours) */
    double *const hc = set + SET_HOUR_COST * mh;
    memset(hc, 0, nh * sizeof *hc);
    for (size_t k = 0; k < nl; ++k)
        settle_addmul(nh, gen + (size_t)lorder[k] * mh, mc[lorder[k]], hc);
    settle_fixed_cost(nh, w->fixed + hm0, w->mrcost + hm0, set + SET_FSH * mh, hc);
    settle_add(nh, set + SET_COST * mh, hc);
    settle_thermal(nh, dem, set + SET_FU * mh, set + SET_HYD * mh, set + SET_UNMET * mh,
                   set + SET_THERMAL * mh);
    /* the loads served: all of each (SET_SERVED is already demand where
     * the hour is settled) */
    memcpy(set + SET_BASE_SERVED * mh, base, nh * sizeof *base);
    if (bl->flex_mw > 0)
        memcpy(set + SET_FLEX_SERVED * mh, w->m_flex, nh * sizeof *base);
    for (size_t d0 = 0; d0 < nh && (bl->firm.mean_mw > 0 || bl->intr.mean_mw > 0); d0 += 24) {
        memcpy(set + SET_FIRM_SERVED * mh + d0, bl->firm.hod, sizeof bl->firm.hod);
        memcpy(set + SET_INTR_SERVED * mh + d0, bl->intr.hod, sizeof bl->intr.hod);
    }
    return settle_unused(nh, w->fixed + hm0, set + SET_FSH * mh, w->settled);
}

/* settle_month compiled for each vector width, chosen at run time as
 * kernels/rng.c chooses its own (rng_isa_best; -DGR_RNG_PORTABLE leaves
 * only the portable build's): the same operations in every lane, the same
 * bits (no fused multiply-add: -ffp-contract=off). */
typedef int (*settle_fn)(const plan_t *, pk_ws_t *, const blocks_t *, size_t, size_t,
                         const double *, const int *, size_t, const int *, size_t, double, double,
                         double);
#define SETTLE_MONTH(name, attr)                                                                   \
    attr static int name(const plan_t *pl, pk_ws_t *w, const blocks_t *bl, size_t ha0, size_t nh,  \
                         const double *mc, const int *lorder, size_t nl, const int *uorder,        \
                         size_t nu, double cap_limit, double fwd_mw, double rev_mw)                \
    {                                                                                              \
        return settle_month_body(pl, w, bl, ha0, nh, mc, lorder, nl, uorder, nu, cap_limit,        \
                                 fwd_mw, rev_mw);                                                  \
    }
SETTLE_MONTH(settle_month_portable, )
#ifdef RNG_ISA_WIDE
SETTLE_MONTH(settle_month_avx2, __attribute__((target("avx2"))))
SETTLE_MONTH(settle_month_avx512, __attribute__((target("avx512f"))))
#endif

static settle_fn settle_of(rng_isa_t isa)
{
#ifdef RNG_ISA_WIDE
    if (isa == RNG_ISA_AVX512)
        return settle_month_avx512;
    if (isa == RNG_ISA_AVX2)
        return settle_month_avx2;
#endif
    (void)isa;
    return settle_month_portable;
}

/* A day's flexible load (flex all day) and net load: demand less the
 * fixed sources, by hour of the day (restrict: the arrays are apart, so
 * the loop is vector code). */
static void net_day(const double *restrict base, const double *restrict fixed, double flex,
                    const double *restrict firm, const double *restrict intr,
                    double *restrict m_flex, double *restrict m_net)
{
    for (size_t j = 0; j < 24; ++j) {
        m_flex[j] = flex;
        m_net[j] = base[j] + flex + firm[j] + intr[j] - fixed[j];
    }
}

/* An hour's figures into its place in the month's ledger (pk_ws_t.set's
 * first rows, mh apart): fixed sources used, hydro, the share of fixed
 * sources used, unmet MW, thermal output (served less the others, as
 * settle_thermal works it out), the variable cost (USD) and the load
 * served. */
static inline void led_hour(double *set, size_t mh, double served, double fixed_used, double hyd,
                            double fsh, double unmet, double cost_usd)
{
    set[SET_SERVED * mh] = served;
    set[SET_FU * mh] = fixed_used;
    set[SET_HYD * mh] = hyd;
    set[SET_FSH * mh] = fsh;
    set[SET_UNMET * mh] = unmet;
    set[SET_THERMAL * mh] = served - fixed_used - hyd - unmet;
    set[SET_HOUR_COST * mh] = cost_usd;
}

/* Simulates year y of scenario si, once prepare_year(y) and, for si > 0,
 * scenario 0's year y have run (the others read its fuel cost and net
 * cost); the years in order: what a year leaves to the next is the last
 * hour that shed base load, w->last_short_ha[si], SIZE_MAX before the
 * first year. Writes its metric rows. */
static void simulate_scenario(const scenario_t *sc, const plan_t *pl, sim_kernel_t kernel,
                              size_t si, pk_ws_t *w, results_t *r, uint64_t t, size_t y)
{
    const econ_t *e = sc->econ;
    const econ_fiscal_t *fi = &e->fiscal;
    const blocks_t bl = scenario_blocks(&sc->scen[si]);
    const dispatch_policy_t pol = sc->scen[si].priority;
    const size_t H = pl->H, T = pl->n_tech, NT = pl->n_thermal, mh = pl->month_max_h;
    const double cap_limit = e->deliverable_cap_mw > 0 ? e->deliverable_cap_mw : INFINITY;
    const double opex = e->bitcoin.opex_usd_per_mwh;
    /* the fleet's hashrate, EH/s: flex MW x 1e6 W / (J/TH) TH/s */
    const double fleet_ehs = bl.flex_mw / e->bitcoin.efficiency_j_per_th;
    int64_t *lol = w->lol + si * pl->HY;
    /* the default kernel settles most hours a month at a time; ref and
     * events take every hour the full path (the same bits) */
    const int settle = kernel == SIM_KERNEL_FAST && !pl->has_floors;
    /* whether the scenario has firm and interruptible blocks (else their
     * ledger rows are not summed: 0) */
    const int has_firm = bl.firm.mean_mw > 0, has_intr = bl.intr.mean_mw > 0;
    const settle_fn settle_month = settle_of(pl->settle_isa);
    const lane_fn lane_sum = lane_sum_of(pl->settle_isa);
    /* set_gen: each class's output by hour (settle_month's for the hours it
     * settles, the full path's for the others; 0 where the full path does
     * not dispatch by rows: a blackout, the corridor's split hours) */
    double *const set_gen = w->set + SET_N * mh;
    /* the fleet's revenue by day this year, read by every hour and the
     * break-evens' searches: one division a day */
    for (size_t d = y * pl->D; bl.flex_mw > 0 && d < (y + 1) * pl->D; ++d)
        w->frev[d] = fleet_rev(w, d, fleet_ehs);
    double gen[GR_MAX_TECHS] = {0};
    double *const set = w->set;
    size_t last_short_ha = w->last_short_ha[si];
    double t_h = 0, t_x = 0, settled_h = 0, settleable_h = 0, ledger_h = 0;
    double acc[PK_N_METRICS] = {0};
    /* the corridor's limits this year, committed additions included */
    const double fwd_mw = w->sd.corridor_mw + pl->additions_mw[y];
    const double rev_mw = w->sd.reverse_mw + pl->additions_mw[y];
    /* by technology: generation (MWh) and variable cost (PKR) */
    double tech_mwh[GR_MAX_TECHS] = {0}, tech_pkr[GR_MAX_TECHS] = {0};
    double fx_sum = 0.0;
    /* this year's tariffs, rebased by their rules */
    const double fb = fiscal_tariff_factor(fi->tariff_indexation, fi->cpi_per_year, w->fx,
                                           e->fx.start_pkr_per_usd, y);
    const double fa = fiscal_tariff_factor(fi->alloc_tariff_indexation, fi->cpi_per_year, w->fx,
                                           e->fx.start_pkr_per_usd, y);
    const double flex_tariff_pkr_per_mwh = bl.flex_tariff_pkr_per_mwh * fa;
    const double firm_tariff_pkr_per_mwh = bl.firm.tariff_pkr_per_mwh * fa;
    const double intr_tariff_pkr_per_mwh = bl.intr.tariff_pkr_per_mwh * fa;
    for (size_t mi = 0; mi < 12; ++mi) {
        const size_t m = y * 12 + mi; /* month index in the horizon */
        const size_t ha0 = y * H + pl->ms[mi], nh = pl->ms[mi + 1] - pl->ms[mi];
        const size_t hm0 = pl->ms[mi]; /* its first hour in the year's tables */
        const double fx = w->fx[m];
        const double *mc = w->mc + m * T;
        const int *order = w->order + m * NT;
        fx_sum += fx * (double)nh;
        /* mining runs on the days its revenue, its own hashrate added
         * to the network's, covers tariff + opex */
        const double flex_cost_usd = flex_tariff_pkr_per_mwh / fx + opex;
        const double tx0 = harness_now_s();
        /* a month is whole days: hour d0 + j of the month is hour j of
         * its day, and mining is decided by day */
        for (size_t d0 = 0; d0 < nh; d0 += 24) {
            const double flex =
                bl.flex_mw > 0 && w->frev[(ha0 + d0) / 24] >= flex_cost_usd ? bl.flex_mw : 0.0;
            net_day(w->base + hm0 + d0, w->fixed + hm0 + d0, flex, bl.firm.hod, bl.intr.hod,
                    w->m_flex + d0, w->m_net + d0);
        }
        const double tx1 = harness_now_s();
        const double budget = e->obs_hydro_mwh
                                  ? e->obs_hydro_mwh[m]
                                  : w->hydro[y] * e->hydro.annual_mwh * pl->hydro_share[mi];
        int uorder[GR_MAX_TECHS], lorder[GR_MAX_TECHS];
        size_t nu = 0, nl = 0;
        for (size_t k = 0; k < NT; ++k) {
            if (pl->is_limited[order[k]])
                lorder[nl++] = order[k];
            else
                uorder[nu++] = order[k];
        }
        dispatch_energy(pl, w, hm0, nh, y, budget, lorder, nl, kernel == SIM_KERNEL_REF);
        const double tx2 = harness_now_s();
        t_h += tx2 - tx1;
        /* the full path's hours' base load shed (MWh) and the miners'
         * revenue less cost on what they lose (USD), and hydro in split
         * hours (account_techs counts them). A settled hour sheds
         * nothing, and a sum of terms from +0 on is the same without
         * its +0 terms: the same sums with the pass or without. */
        double unserved_mwh = 0.0, sf_usd = 0.0, split_hyd_mwh = 0.0;
        memset(w->m_split, 0, nh);
        double tech_usd[GR_MAX_TECHS] = {0};
        double unused[GR_MAX_TECHS] = {0}; /* fixed MWh left unused, by class */
        int curtailed = 0; /* an hour leaves fixed sources unused (not a split one) */
        /* the hours the full path takes: those settle_month does not
         * settle (all of them without it); a settled hour's figures are
         * the ledger's (pk_ws_t.set's first rows), which settle_month
         * wrote */
        size_t n_full = 0;
        if (settle) {
            curtailed = settle_month(pl, w, &bl, ha0, nh, mc, lorder, nl, uorder, nu, cap_limit,
                                     fwd_mw, rev_mw);
            for (size_t i = 0; i < nh; ++i) {
                w->m_full[n_full] = (uint32_t)i;
                n_full += !w->settled[i];
            }
            settled_h += (double)(nh - n_full);
        } else {
            for (size_t i = 0; i < nh; ++i)
                w->m_full[i] = (uint32_t)i;
            n_full = nh;
        }
        for (size_t f = 0; f < n_full; ++f) {
            const size_t i = w->m_full[f], ha = ha0 + i, hh = hm0 + i;
            /* the hour of the day (a year is whole days) decides the
             * blocks' off hours */
            const size_t hod = ha % 24;
            const double base = w->base[hh], flex = w->m_flex[i], firm = bl.firm.hod[hod];
            const double intr = bl.intr.hod[hod];
            const double alloc = flex + firm + intr, demand = base + alloc;
            /* the last hour was short: a settled hour never is */
            const int prev_short = ha > 0 && last_short_ha == ha - 1;
            double served = 0.0;
            /* two regions: each load's place, and what each loses */
            dispatch_loads2_t ld, sh; /* filled when pl->net */
            int corridor_at_limit = 0;
            double served_nat = 0.0;
            if (pl->net) {
                const double ss = w->sd.south_share;
                const double on = flex > 0.0 ? 1.0 : 0.0; /* flex is flex_mw or 0 */
                for (int g = 0; g < 2; ++g) {
                    ld.base[g] = g ? base * ss : base * (1.0 - ss);
                    ld.flex[g] = bl.flex_r_mw[g] * on;
                    ld.firm[g] = bl.firm.r_hod[hod][g];
                    ld.intr[g] = bl.intr.r_hod[hod][g];
                }
                sh = ld; /* a blackout sheds everything everywhere */
            }
            if (!w->blackout[ha]) {
                const double fixed = w->fixed[hh];
                double lim = 0.0;
                for (size_t k = 0; k < nl; ++k)
                    lim += w->m_lim[k * mh + i];
                double supply = fixed + w->m_hyd[i] + lim + w->thtot[hh];
                supply = supply < cap_limit ? supply : cap_limit;
                served = demand - supply > SHORT_ROUNDING * demand ? supply : demand;
                /* served in full by the national balance and, with two
                 * regions, each region's own supply and import: with the
                 * corridor within its limits, an hour settle_month settles */
                int settles = !pl->net && served == demand;
                const double *a = w->avail + w->row_of[hh] * T;
                const double wcf = e->wind_cf[hh], scf = e->solar_cf[hh];
                /* the south's share of each class, fixed MW and hydro share */
                const double *part = pl->net ? w->part_s + w->row_of[hh] * T : NULL;
                const double fixed_s = pl->net ? w->sfix[hh] : 0.0;
                const double hydro_s = pl->net ? w->shyd[hh] : 0.0;
                double gs = 0.0; /* what the south can supply */
                if (pl->net) {
                    /* what each region can supply, and what the corridor lets through */
                    gs = fixed_s + w->m_hyd[i] * hydro_s + w->sth[hh];
                    for (size_t k = 0; k < nl; ++k)
                        gs += w->m_lim[k * mh + i] * part[lorder[k]];
                    gs = gs < supply ? gs : supply;
                    const double g2[2] = {supply - gs, gs}, imp[2] = {fwd_mw, rev_mw};
                    const double d_n = ld.base[0] + ld.flex[0] + ld.firm[0] + ld.intr[0];
                    served_nat = served;
                    /* most hours: the nation has enough and each region's
                     * load is within its supply and import, so no one is
                     * shed (dispatch_shed_two would find the same) */
                    if (served == demand && d_n <= g2[0] + fwd_mw &&
                        demand - d_n <= g2[1] + rev_mw) {
                        memset(&sh, 0, sizeof sh);
                        settles = 1;
                    } else {
                        int at_limit;
                        served = dispatch_shed_two(pol, g2, imp, &ld, &sh, &at_limit);
                        if (demand - served <= SHORT_ROUNDING * demand) { /* rounding */
                            served = demand;
                            memset(&sh, 0, sizeof sh);
                        } else {
                            /* a region takes all it can import while someone
                             * is shed: the corridor decides who */
                            corridor_at_limit = at_limit;
                        }
                    }
                }
                /* the national dispatch of what is served: the pass
                 * worked it out for every hour (settle_month), for the
                 * load it found served; where that is this hour's, the
                 * same operations on the same values, it is in the
                 * ledger already (an hour short nationally whose supply
                 * the corridor strands none of, one short in a region by
                 * rounding only, and, as the pass left it here served in
                 * full nationally and in each region, an hour the
                 * corridor splits) */
                const int nat_known = settle && served == set[SET_SERVED * mh + i];
                ledger_h += nat_known;
                /* fixed sources first (curtailed pro rata if above load),
                 * then hydro, then the fuel-budget classes as scheduled
                 * (cut pro rata if above the rest of the load), then the
                 * other thermal: floors, then merit order */
                double fixed_used, hyd, unmet, fsh, cost_usd;
                if (nat_known) {
                    fixed_used = set[SET_FU * mh + i];
                    hyd = set[SET_HYD * mh + i];
                    unmet = set[SET_UNMET * mh + i];
                    fsh = set[SET_FSH * mh + i];
                    cost_usd = set[SET_HOUR_COST * mh + i];
                } else {
                    cost_usd = 0.0;
                    fixed_used = fixed < served ? fixed : served;
                    const double hyd_room = served - fixed_used;
                    hyd = w->m_hyd[i] < hyd_room ? w->m_hyd[i] : hyd_room;
                    const double lim_room = hyd_room - hyd;
                    const double lim_used = lim < lim_room ? lim : lim_room;
                    const double lim_share = lim > 0.0 ? lim_used / lim : 0.0;
                    /* the share of fixed sources used */
                    fsh = fixed > 0.0 ? fixed_used / fixed : 0.0;
                    /* the hour's cost, USD: settle_month's sum for a
                     * settled hour, the same terms in the same order */
                    for (size_t k = 0; k < nl; ++k) {
                        gen[lorder[k]] = w->m_lim[k * mh + i] * lim_share;
                        cost_usd += gen[lorder[k]] * mc[lorder[k]];
                    }
                    cost_usd += fixed > 0 ? w->mrcost[hh] * fsh : 0.0;
                    cost_usd += dispatch_merit(lim_room - lim_used, a,
                                               pl->has_floors ? pl->floor_share : NULL, mc, uorder,
                                               nu, gen, &unmet);
                }
                /* by region if the corridor's limit splits the dispatch */
                double fsh_n = fsh, fsh_s = fsh;
                const double *fpart = NULL;
                /* the south's served load; no dispatch can send more than a
                 * region's surplus: when neither surplus exceeds its limit,
                 * the flow is within */
                const double load_s = pl->net
                                          ? ld.base[1] + ld.flex[1] + ld.firm[1] + ld.intr[1] -
                                                sh.base[1] - sh.flex[1] - sh.firm[1] - sh.intr[1]
                                          : 0.0;
                if (pl->net && (gs - load_s > fwd_mw || supply - gs - (served - load_s) > rev_mw)) {
                    /* the national dispatch's flow south -> north (each
                     * class's regions loaded alike; the pass's, the same
                     * bits, where it is known); beyond a limit, each
                     * region runs its own plants for its load and the
                     * limit's transfer (out of merit: congestion) */
                    double gen_s;
                    if (nat_known) /* (gen[] is not this hour's then) */
                        gen_s = set[SET_GS * mh + i];
                    else {
                        gen_s = (fixed > 0.0 ? fixed_s * fsh : 0.0) + hyd * hydro_s;
                        for (size_t k = 0; k < NT; ++k)
                            gen_s += gen[pl->thermal[k]] * part[pl->thermal[k]];
                    }
                    const double flow = gen_s - load_s, tol = SHORT_ROUNDING * (1.0 + demand);
                    if (flow > fwd_mw + tol || flow < -rev_mw - tol) {
                        const double t_mw = flow > 0.0 ? fwd_mw : -rev_mw;
                        double lim_k[GR_MAX_TECHS], north[GR_MAX_TECHS];
                        for (size_t k = 0; k < nl; ++k)
                            lim_k[k] = w->m_lim[k * mh + i];
                        for (size_t c = 0; c < T; ++c)
                            north[c] = 1.0 - part[c];
                        for (size_t k = 0; k < NT; ++k)
                            gen[pl->thermal[k]] = 0.0;
                        const region_hour_t rh = {pl, a,     mc,          lorder, uorder, nl,
                                                  nu, lim_k, w->m_hyd[i], wcf,    scf};
                        fixed_used = hyd = unmet = 0.0;
                        /* the north first: each adds to fixed_used, hyd, unmet */
                        cost_usd = region_dispatch(&rh, north, served - load_s - t_mw, gen,
                                                   &fixed_used, &hyd, &unmet, &fsh_n);
                        cost_usd += region_dispatch(&rh, part, load_s + t_mw, gen, &fixed_used,
                                                    &hyd, &unmet, &fsh_s);
                        fpart = part;
                        assert(unmet <= 1e-6 * (1.0 + demand));
                        corridor_at_limit = 1;
                    }
                }
                settleable_h += settles && !fpart;
                /* by technology: a split hour at once (its fixed sources
                 * all left out of the month's, its hydro too), the others
                 * by the ledger (the share of fixed sources used: 1 in a
                 * split hour, so that none is left unused) */
                if (fpart) {
                    account_techs(pl, a, mc, gen, fsh_n, fsh_s, fpart, hyd, wcf, scf, tech_mwh,
                                  tech_usd);
                    fixed_by_class(pl, a, 1.0, wcf, scf, unused);
                    split_hyd_mwh += hyd;
                    w->m_split[i] = 1;
                }
                curtailed |= !fpart && fixed > 0.0 && fsh != 1.0;
                led_hour(set + i, mh, served, fixed_used, hyd, fpart ? 1.0 : fsh, unmet, cost_usd);
                /* (the national dispatch's is in the ledger where known) */
                if (fpart || !nat_known)
                    gen_by_hour(pl, fpart ? NULL : gen, set_gen + i, mh);
            } else { /* a blackout runs nothing */
                led_hour(set + i, mh, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0);
                gen_by_hour(pl, NULL, set_gen + i, mh);
            }
            const double shortfall = demand - served;
            double sb, sf, sr, sx;
            if (pl->net) {
                sb = sh.base[0] + sh.base[1];
                sf = sh.flex[0] + sh.flex[1];
                sr = sh.firm[0] + sh.firm[1];
                sx = sh.intr[0] + sh.intr[1];
            } else {
                /* interruptible load is curtailed first, under every policy */
                sx = shortfall < intr ? shortfall : intr;
                sx = sx > 0.0 ? sx : 0.0;
                if (flex + firm > 0.0)
                    dispatch_shed(pol, shortfall - sx, base, flex, firm, &sb, &sf, &sr);
                else
                    sb = shortfall - sx, sf = 0.0, sr = 0.0;
            }
            /* energy balance each hour: served + shed = demand */
            assert(fabs(served + sb + sf + sr + sx - demand) <= 1e-9 * (1.0 + demand));
            assert(sb <= base + 1e-9 * (1.0 + demand) && sf <= flex + 1e-9 * (1.0 + demand) &&
                   sr <= firm + 1e-9 * (1.0 + demand) && sx <= intr + 1e-9 * (1.0 + demand));
            unserved_mwh += sb;
            /* what an average consumer lost this hour: 1 in a blackout,
             * the shed share otherwise */
            acc[PK_SHED_CONSUMER_HOURS] += sb != 0.0 && base > 0.0 ? sb / base : 0.0;
            set[SET_BASE_SERVED * mh + i] = base - sb;
            set[SET_FLEX_SERVED * mh + i] = flex - sf;
            set[SET_FIRM_SERVED * mh + i] = firm - sr;
            set[SET_INTR_SERVED * mh + i] = intr - sx;
            acc[PK_MINER_CURTAILED_MWH] += sf;
            acc[PK_INTR_CURTAILED_MWH] += sx;
            acc[PK_BACKUP_COST_USD] += sx * bl.backup_usd_per_mwh;
            /* what the fleet would have earned on what it lost */
            if (flex > 0.0)
                sf_usd += sf * (w->frev[ha / 24] - flex_cost_usd);
            if (!w->blackout[ha] && sb > acc[PK_SHED_MAX_MW])
                acc[PK_SHED_MAX_MW] = sb;
            const int short_now = sb > 0.0;
            if (short_now) {
                acc[PK_SHED_HOURS] += 1.0;
                acc[PK_SHED_EVENTS] += prev_short ? 0.0 : 1.0;
                ++lol[ha];
            }
            last_short_ha = short_now ? ha : last_short_ha;
            if (pl->net) { /* by region (one region: copied at the year's end) */
                const double sb_n = sh.base[0], sb_s = sh.base[1];
                const double b_n = ld.base[0], b_s = ld.base[1];
                acc[PK_SHED_HOURS_NORTH] += sb_n > 0.0;
                acc[PK_SHED_HOURS_SOUTH] += sb_s > 0.0;
                /* most hours shed nothing: no division then (!= 0, so a
                 * NaN still reaches the output) */
                acc[PK_SHED_CONSUMER_HOURS_NORTH] += sb_n != 0.0 && b_n > 0.0 ? sb_n / b_n : 0.0;
                acc[PK_SHED_CONSUMER_HOURS_SOUTH] += sb_s != 0.0 && b_s > 0.0 ? sb_s / b_s : 0.0;
                acc[PK_CORRIDOR_LIMIT_HOURS] += corridor_at_limit;
            }
            if (pl->net && !w->blackout[ha] && served < demand) {
                /* the base energy the corridor sheds: what is shed less
                 * what the national balance alone would shed (signed: a
                 * block the corridor cuts off can leave power to base) */
                double nb = demand - served_nat, nf = 0.0, nr = 0.0;
                const double ni = nb < intr ? nb : intr;
                nb -= ni > 0.0 ? ni : 0.0;
                if (flex + firm > 0.0)
                    dispatch_shed(pol, nb, base, flex, firm, &nb, &nf, &nr);
                acc[PK_CORRIDOR_UNSERVED_MWH] += sb - (nb > 0.0 ? nb : 0.0);
            }
        }
        /* the month's sums: the ledger's rows in eight lanes (lane_sum) */
        const double cost_usd = lane_sum(set + SET_HOUR_COST * mh, nh);
        const double hyd_mwh = lane_sum(set + SET_HYD * mh, nh);
        const double unmet_mwh = lane_sum(set + SET_UNMET * mh, nh);
        const double base_mwh = lane_sum(w->base + hm0, nh);
        const double served_mwh = lane_sum(set + SET_SERVED * mh, nh);
        const double base_served = lane_sum(set + SET_BASE_SERVED * mh, nh);
        /* (a scenario without a kind of block has no row of it) */
        const double flex_mwh = bl.flex_mw > 0 ? lane_sum(set + SET_FLEX_SERVED * mh, nh) : 0.0;
        const double firm_mwh = has_firm ? lane_sum(set + SET_FIRM_SERVED * mh, nh) : 0.0;
        const double intr_mwh = has_intr ? lane_sum(set + SET_INTR_SERVED * mh, nh) : 0.0;
        const double gen_mwh = served_mwh - unmet_mwh;
        /* the miners' revenue less cost on all they would mine (mining
         * is decided by day), less on what they lost */
        double profit_usd = 0.0;
        for (size_t d0 = 0; d0 < nh; d0 += 24) {
            const double flex = w->m_flex[d0];
            if (flex > 0.0)
                profit_usd += 24.0 * flex * (w->frev[(ha0 + d0) / 24] - flex_cost_usd);
        }
        acc[PK_THERMAL_MWH] += lane_sum(set + SET_THERMAL * mh, nh);
        acc[PK_HYDRO_MWH] += hyd_mwh;
        acc[PK_DEMAND_MWH] += base_mwh;
        acc[PK_MINER_PROFIT_USD] += profit_usd - sf_usd;
        const double hyd_max = dispatch_max(set + SET_HYD * mh, nh);
        acc[PK_HYDRO_MAX_MW] = hyd_max > acc[PK_HYDRO_MAX_MW] ? hyd_max : acc[PK_HYDRO_MAX_MW];
        /* hydro in the year's hour of peak base demand (its first, a
         * blackout's excepted: prepare_year) */
        if (w->peak_ha[y] - ha0 < nh)
            acc[PK_HYDRO_PEAK_HOUR_MW] = set[SET_HYD * mh + (w->peak_ha[y] - ha0)];
        t_x += harness_now_s() - tx2 + (tx1 - tx0);
        /* month's fiscal flows: the fuel cost adjustment on the base
         * tariff is the cost of supplying base consumers without the
         * allocation: the baseline's (the first scenario, simulated
         * first) mix-average cost of the month, in every scenario
         * (fca_basis: baseline). The allocation's energy and marginal
         * fuel, which its own tariff pays, are then never charged to
         * base consumers as well (docs/MODEL.md s.7) */
        const double cost_pkr = cost_usd * fx;
        const double own_pkr_per_kwh = fiscal_fuel_pkr_per_kwh(cost_pkr, gen_mwh);
        if (si == 0)
            w->fca_pkr_per_kwh[m] = own_pkr_per_kwh;
        /* fca_basis all: NEPRA's rule as written, the scenario's own mix
         * cost, the allocation's fuel included */
        const double fuel_pkr_per_kwh =
            fi->fca_basis == FCA_ALL ? own_pkr_per_kwh : w->fca_pkr_per_kwh[m];
        const double spill = budget > 0.0 ? 1.0 - hyd_mwh / budget : 0.0;
        acc[PK_HYDRO_SPILL_SHARE] =
            spill > acc[PK_HYDRO_SPILL_SHARE] ? spill : acc[PK_HYDRO_SPILL_SHARE];
        double th_mwh[GR_MAX_TECHS]; /* the month's thermal output, class pl->thermal[k] */
        for (size_t k = 0; k < NT; ++k)
            th_mwh[k] = lane_sum(set_gen + (size_t)pl->thermal[k] * mh, nh);
        /* the fixed sources hours leave unused, in hour order (none
         * where demand is above them all, as in the Pakistan default) */
        for (size_t i = 0; curtailed && i < nh; ++i) {
            const double fsh = set[SET_FSH * mh + i];
            const double u = w->fixed[hm0 + i] > 0.0 ? 1.0 - fsh : 0.0;
            if (u != 0.0)
                fixed_by_class(pl, w->avail + (size_t)w->row_of[hm0 + i] * T, u,
                               u * e->wind_cf[hm0 + i], u * e->solar_cf[hm0 + i], unused);
        }
        if (nh) /* (a profile of fewer than 12 days has empty months) */
            tech_month(pl, w, m, hm0, nh, unused, set + SET_HYD * mh, hyd_mwh - split_hyd_mwh,
                       th_mwh, mc, tech_mwh, tech_usd);
        for (size_t k = 0; k < T; ++k)
            tech_pkr[k] += tech_usd[k] * fx;
        /* the month's accounts, kept by month as well (by_month) */
        double mo[PK_N_MONTH_Q];
        mo[PK_M_GEN_COST_PKR] = cost_pkr;
        mo[PK_M_CAPACITY_PKR] =
            fiscal_capacity_pkr(fi, fx, e->fx.start_pkr_per_usd, (double)nh, (double)H);
        mo[PK_M_BASE_REVENUE_PKR] = fiscal_base_revenue_pkr(
            fi, base_served, fiscal_base_tariff_pkr_per_kwh(fi, fb, fuel_pkr_per_kwh));
        mo[PK_M_ALLOC_REVENUE_PKR] =
            fiscal_block_revenue_pkr(flex_mwh, flex_tariff_pkr_per_mwh, bl.flex_recovery) +
            fiscal_block_revenue_pkr(firm_mwh, firm_tariff_pkr_per_mwh, bl.firm.recovery) +
            fiscal_block_revenue_pkr(intr_mwh, intr_tariff_pkr_per_mwh, bl.intr.recovery);
        mo[PK_M_SERVED_MWH] = served_mwh;
        mo[PK_M_ALLOC_MWH] = flex_mwh + firm_mwh + intr_mwh;
        mo[PK_M_MINER_MWH] = flex_mwh;
        mo[PK_M_UNSERVED_MWH] = unserved_mwh;
        for (size_t q = 0; q < PK_N_MONTH_Q; ++q) {
            acc[pk_month_metric[q]] += mo[q];
            results_split_at(r, &r->month, q, si, t)[y * 12 + mi] = mo[q];
        }
    }
    if (!pl->net) { /* one region: everything is in the north */
        acc[PK_SHED_HOURS_NORTH] = acc[PK_SHED_HOURS];
        acc[PK_SHED_CONSUMER_HOURS_NORTH] = acc[PK_SHED_CONSUMER_HOURS];
    }
    const double fx_year = fx_sum / (double)H;
    acc[PK_NET_FISCAL_PKR] =
        fiscal_net_cost_pkr(acc[PK_GEN_COST_PKR], acc[PK_CAPACITY_PKR], acc[PK_BASE_REVENUE_PKR],
                            acc[PK_ALLOC_REVENUE_PKR]);
    acc[PK_NET_FISCAL_USD] = acc[PK_NET_FISCAL_PKR] / fx_year;
    /* the IMF's test is full cost recovery, capacity included: the
     * allocation's energy at the average cost of supplying this year's
     * load, less what the allocation pays for it */
    const double avg_pkr_per_mwh =
        fiscal_avg_cost_pkr_per_mwh(acc[PK_GEN_COST_PKR], acc[PK_CAPACITY_PKR], acc[PK_SERVED_MWH]);
    acc[PK_IMF_SUBSIDY_PKR] =
        fiscal_imf_subsidy_pkr(acc[PK_ALLOC_MWH], avg_pkr_per_mwh, acc[PK_ALLOC_REVENUE_PKR]);
    acc[PK_BREAKEVEN_IMF] = avg_pkr_per_mwh / 1000.0;
    /* the cash view's break-even, against the baseline's net cost in
     * the same trial and year (scenario 0, simulated first) */
    if (si > 0)
        acc[PK_BREAKEVEN_CASH] = fiscal_breakeven_cash_pkr_per_kwh(
            acc[PK_ALLOC_REVENUE_PKR], acc[PK_NET_FISCAL_PKR],
            results_at(r, 0, PK_NET_FISCAL_PKR, t)[y], acc[PK_ALLOC_MWH]);
    if (bl.flex_mw > 0.0) {
        const double idle_usd = e->bitcoin.idle_cost_usd_per_mw_day * (double)pl->D;
        acc[PK_MINER_PROFIT_USD] -= idle_usd * bl.flex_mw;
        acc[PK_MINING_BREAKEVEN] = mining_breakeven(pl, w, y, opex, idle_usd, w->day_cost);
        acc[PK_MINING_BREAKEVEN_BTC] =
            mining_breakeven_btc(pl, w, y, opex, idle_usd, flex_tariff_pkr_per_mwh, w->day_cost);
    }
    acc[PK_UNSERVED_COST_USD] = fiscal_lost_load_usd(fi, acc[PK_UNSERVED_MWH]);
    acc[PK_MINER_UPTIME] = bl.flex_mw > 0 ? acc[PK_MINER_MWH] / (bl.flex_mw * (double)H) : 0.0;
    for (size_t k = 0; k < PK_N_METRICS; ++k)
        results_at(r, si, k, t)[y] = acc[k];
    memcpy(results_tech_at(r, RESULTS_TECH_GEN_MWH, si, t) + y * T, tech_mwh, T * sizeof *tech_mwh);
    memcpy(results_tech_at(r, RESULTS_TECH_COST_PKR, si, t) + y * T, tech_pkr,
           T * sizeof *tech_pkr);
    w->last_short_ha[si] = last_short_ha;
    w->times.hydro_s += t_h;
    w->times.hourly_s += t_x;
    w->times.hours += (double)pl->H;
    w->times.settled_hours += settled_h;
    w->times.settleable_hours += settleable_h;
    w->times.ledger_hours += ledger_h;
}

static void store_drivers(const plan_t *pl, const pk_ws_t *w, double efficiency_j_per_th,
                          results_t *r, uint64_t t)
{
    for (size_t y = 0; y < pl->Y; ++y) {
        double s[PK_N_DRIVERS] = {0};
        for (size_t mi = 0; mi < 12; ++mi) {
            const size_t m = y * 12 + mi;
            s[PK_D_BRENT] += w->brent[m] / 12.0;
            s[PK_D_COAL] += w->coal[m] / 12.0;
            s[PK_D_RLNG] += w->rlng[m] / 12.0;
            s[PK_D_RFO] += w->rfo[m] / 12.0;
            s[PK_D_FX] += w->fx[m] / 12.0;
        }
        const double nd = (double)pl->D;
        for (size_t d = y * pl->D; d < (y + 1) * pl->D; ++d) {
            s[PK_D_BTC] += w->btc[d] / nd;
            s[PK_D_HASHRATE] += w->hash[d] / nd;
            s[PK_D_MINING_REVENUE] += w->rev[d] / nd;
        }
        /* hashprice in USD/(PH/s)/day, the inverse of the revenue formula:
         * revenue per MWh x 24 x J/TH / 1e6 gives USD/TH/day, x 1000 per PH */
        s[PK_D_HASHPRICE] = s[PK_D_MINING_REVENUE] * 24.0 * efficiency_j_per_th / 1e6 * 1000.0;
        s[PK_D_HYDRO] = w->hydro[y];
        s[PK_D_DEMAND] = w->level[y];
        /* counted in an integer (vector adds, where a double's would be
         * a chain of dependent ones): the same value */
        size_t bo = 0;
        for (size_t h = y * pl->H; h < (y + 1) * pl->H; ++h)
            bo += w->blackout[h];
        s[PK_D_BLACKOUT_H] = (double)bo;
        /* the draws, whether a mechanism is relaxed or not (economics.relax
         * in the stored scenario text says which were applied) */
        s[PK_D_HYDRO_PEAK_MW] = w->sd.drawn_hydro_peak_mw;
        s[PK_D_HYDRO_ROR] = w->sd.drawn_ror_share;
        const double old = w->sd.drawn_unavailable_mw;
        double gas = 0.0, gas_peak = 0.0, gas_rated = 0.0;
        for (size_t c = 0; c < pl->n_tech; ++c) {
            const double g = w->sd.drawn_mmcfd[c] * pl->fuel_growth[c][y];
            gas += g;
            gas_peak += g * w->sd.drawn_fuel_peak_ratio[c];
            gas_rated += w->sd.drawn_fuel_peak_ratio[c] > 0.0 ? g : 0.0;
        }
        s[PK_D_OLD_PLANTS_MW] = old;
        s[PK_D_GAS_MMCFD] = gas;
        s[PK_D_HEAT_DERATE_MAX] = w->derate_max[y];
        s[PK_D_CORRIDOR_MW] = pl->net ? w->sd.drawn_corridor_mw + pl->additions_mw[y] : 0.0;
        s[PK_D_SOUTH_SHARE] = w->sd.south_share;
        s[PK_D_GAS_PEAK_RATIO] = gas_rated > 0.0 ? gas_peak / gas_rated : 0.0;
        double b = 0.0;
        for (size_t d = y * pl->D; d < (y + 1) * pl->D; ++d)
            b += drivers_breakeven(&w->hash_p, d) / nd;
        s[PK_D_NETWORK_COST] = b;
        for (size_t k = 0; k < PK_N_DRIVERS; ++k)
            results_driver_at(r, k, t)[y] = s[k];
    }
}

static int make_plan(const scenario_t *sc, plan_t *pl, gr_err_t *err)
{
    memset(pl, 0, sizeof *pl);
    /* test hook: GRIDRISK_TEST_SETTLE_ISA=portable|avx2|avx512 runs the
     * settling pass at that width, if the processor has it, so that
     * tests/test_pakistan.c checks every copy. Never set it outside tests. */
    pl->settle_isa = rng_isa_best();
    const char *isa = getenv("GRIDRISK_TEST_SETTLE_ISA");
    for (int k = RNG_ISA_PORTABLE; isa && k <= RNG_ISA_AVX512; ++k)
        if (!strcmp(isa, rng_isa_name((rng_isa_t)k)) && (rng_isa_t)k < pl->settle_isa)
            pl->settle_isa = (rng_isa_t)k;
    for (size_t c = 0; c < GR_MAX_TECHS; ++c)
        pl->whole[c] = 1.0;
    const econ_t *e = sc->econ;
    pl->Y = sc->horizon_years;
    pl->H = sc->hours;
    pl->D = pl->H / 24;
    pl->HY = pl->H * pl->Y;
    pl->DY = pl->D * pl->Y;
    pl->MY = 12 * pl->Y;
    pl->m0 = sc->start_month ? sc->start_month - 1u : 0u;
    month_starts(pl->H, pl->m0, pl->ms);
    for (int m = 0; m < 12; ++m) {
        const size_t n = pl->ms[m + 1] - pl->ms[m];
        pl->month_max_h = n > pl->month_max_h ? n : pl->month_max_h;
    }
    double ssum = 0;
    for (int m = 0; m < 12; ++m)
        ssum += e->hydro.monthly_share[m];
    for (size_t m = 0; m < 12; ++m) {
        const size_t cal = (pl->m0 + m) % 12; /* inputs are by calendar month */
        pl->hydro_share[m] = e->hydro.monthly_share[cal] / ssum;
        pl->temp_c[m] = e->demand.temperature_c_count ? e->demand.temperature_c[cal] : 0.0;
    }
    for (size_t u = 0; u < sc->n_units; ++u)
        pl->installed_mw[sc->units[u].tech] += sc->units[u].capacity_mw;
    const econ_network_t *nw = &e->network;
    pl->net = nw->corridor_mw_count > 0;
    for (size_t y = 0; nw->additions_mw_count && y < pl->Y; ++y)
        pl->additions_mw[y] =
            nw->additions_mw[y < nw->additions_mw_count ? y : nw->additions_mw_count - 1];
    double smax = 0.0;
    for (size_t h = 0; h < pl->H; ++h)
        smax = e->solar_cf[h] > smax ? e->solar_cf[h] : smax;
    pl->solar_norm = smax > 0.0 ? 1.0 / smax : 0.0;
    for (size_t j = 0; j < 24; ++j)
        pl->heat_gain[j] = j >= 18 || j == 0 ? 1.0 + sc->econ->demand.evening_heat_gain : 1.0;
    pl->n_tech = e->technologies_count;
    if (pl->n_tech > GR_MAX_TECHS)
        return gr_err_set(err, GR_EINPUT, "%s: at most %d technologies", sc->path, GR_MAX_TECHS);
    for (size_t c = 0; c < pl->n_tech; ++c) {
        pl->floor_share[c] = e->technologies[c].must_take_share;
        pl->has_floors |= pl->floor_share[c] != 0.0;
        const econ_tech_t *tc = &e->technologies[c];
        pl->has_refuel[c] = tc->refuel_interval_d_count > 0;
        pl->heat_rate[c] = tc->heat_rate_mmbtu_per_mwh;
        if (tc->unavailable_before_mw_count) {
            const int64_t k =
                tc->unavailable_from_month - ((int64_t)sc->start_year * 12 + (int64_t)pl->m0);
            pl->unavail_from_k[c] = k > 0 ? (size_t)k : 0;
        }
        for (size_t m = 0; m < 12; ++m)
            pl->season[m][c] =
                tc->monthly_availability_count ? tc->monthly_availability[(pl->m0 + m) % 12] : 1.0;
        /* a relaxed fuel limit puts the class back in the merit order */
        pl->is_limited[c] = tc->fuel_mmcfd_count > 0 && !supply_relaxed(e, SUPPLY_FUEL);
        pl->lim_slot[c] = pl->n_limited;
        pl->n_limited += (size_t)pl->is_limited[c];
        for (size_t y = 0; y < pl->Y; ++y)
            pl->fuel_growth[c][y] = pow(1.0 + tc->fuel_change_per_year, (double)y);
        switch (tc->kind) {
        case TECH_THERMAL:
            pl->thermal[pl->n_thermal++] = (int)c;
            break;
        case TECH_MUST_RUN:
            pl->must_run[pl->n_must_run++] = (int)c;
            break;
        case TECH_HYDRO:
            pl->hydro[pl->n_hydro++] = (int)c;
            break;
        case TECH_WIND:
            pl->wind[pl->n_wind++] = (int)c;
            break;
        case TECH_SOLAR:
            pl->solar[pl->n_solar++] = (int)c;
            break;
        }
    }
    return GR_OK;
}

static int pk_trial(const void *model, void *ws, results_t *r, uint64_t t)
{
    const pk_model_t *pm = model;
    const scenario_t *sc = pm->sc;
    const plan_t *pl = &pm->pl;
    pk_ws_t *w = ws;
    uint64_t key[SENS_N_GROUPS];
    for (unsigned g = 0; g < SENS_N_GROUPS; ++g)
        key[g] = pm->design_base ? sens_design_key(pm->design_base, t, g) : t;
    const double a = harness_now_s();
    int ok = sample_drivers(sc, pl, pm->seed, key, w) == 0;
    supply_draw(sc->econ, pl->installed_mw, pm->seed, key[SENS_G_SUPPLY], &w->sd);
    const double b = harness_now_s();
    ok = ok && sample_availability(sc, pl, pm->seed, key[SENS_G_OUTAGES], w) == 0;
    if (ok)
        prepare_months(sc, pl, w);
    w->times.drivers_s += b - a;
    w->times.outages_s += harness_now_s() - b;
    if (!ok)
        return -1;
    /* a year prepared, then every scenario's year (scenario 0 first: the
     * others read its fuel cost and net cost) */
    prep_state_t ps = {{0}, {0}};
    for (size_t s = 0; s < sc->n_scen; ++s)
        w->last_short_ha[s] = SIZE_MAX;
    for (size_t y = 0; y < pl->Y; ++y) {
        const double c = harness_now_s();
        prepare_year(sc, pl, w, y, &ps);
        w->times.outages_s += harness_now_s() - c;
        for (size_t s = 0; s < sc->n_scen; ++s)
            simulate_scenario(sc, pl, pm->kernel, s, w, r, t, y);
    }
    /* after the years: it reads each year's hottest-day derating (prepare_year) */
    store_drivers(pl, w, sc->econ->bitcoin.efficiency_j_per_th, r, t);
    return 0;
}

static int64_t *ws_lol(void *ws) { return ((pk_ws_t *)ws)->lol; }

/* Timings and hour counts only: nothing a checkpoint must keep. */
static void ws_merge(void *sum, void *ws)
{
    pk_times_t *ts = sum;
    pk_times_t *wt = &((pk_ws_t *)ws)->times;
    ts->drivers_s += wt->drivers_s;
    ts->outages_s += wt->outages_s;
    ts->hydro_s += wt->hydro_s;
    ts->hourly_s += wt->hourly_s;
    ts->hours += wt->hours;
    ts->settled_hours += wt->settled_hours;
    ts->settleable_hours += wt->settleable_hours;
    ts->ledger_hours += wt->ledger_hours;
    *wt = (pk_times_t){0};
}

/* Costly trials (tens of ms each): small chunks balance the threads. */
static const harness_model_t pk_harness = {
    .ws_size = sizeof(pk_ws_t),
    .chunk = SIM_CHUNK_ECONOMIC,
    .ws_init = ws_init,
    .ws_free = ws_free,
    .trial = pk_trial,
    .lol = ws_lol,
    .ws_merge = ws_merge,
};

/* The results of `rows` rows of the scenario's run, with the
 * technology and month splits; NULL when out of memory. */
static results_t *pk_results(const scenario_t *sc, const plan_t *pl, uint64_t rows)
{
    const char *names[GR_MAX_RUN_SCENARIOS];
    for (size_t s = 0; s < sc->n_scen; ++s)
        names[s] = sc->scen[s].name;
    results_t *r = results_new(rows, pl->Y, pl->H, sc->n_scen, names, PK_N_METRICS, pk_metrics,
                               PK_N_DRIVERS, pk_drivers);
    const char *tech_names[GR_MAX_TECHS];
    for (size_t k = 0; k < pl->n_tech; ++k)
        tech_names[k] = sc->econ->technologies[k].name;
    if (r && (results_add_tech(r, pl->n_tech, tech_names) ||
              results_add_months(r, sc->start_month, PK_N_MONTH_Q, pk_month_info))) {
        results_free(r);
        r = NULL;
    }
    return r;
}

/* The design's rows into *out (pm's plan made). */
static int design_rows(const pk_model_t *pm, const sim_opts_t *opts, uint64_t n_base,
                       results_t **out, gr_err_t *err)
{
    *out = pk_results(pm->sc, &pm->pl, n_base * SENS_N_GROUPS);
    if (!*out)
        return harness_agree(gr_err_set(err, GR_ERUNTIME,
                                        "out of memory for the Sobol design (%llu trials)",
                                        (unsigned long long)(n_base * SENS_N_GROUPS)),
                             err);
    pk_model_t dm = *pm;
    dm.design_base = n_base;
    sim_opts_t dopts = *opts;
    dopts.trials = n_base * SENS_N_GROUPS;
    dopts.ckpt = NULL; /* the design is cheap to redo; the checkpoint keeps the run's trials */
    dopts.enough = NULL;
    dopts.sink = NULL; /* its rows are read whole, never written */
    pk_times_t tsum = {0};
    int rc = harness_agree(GR_OK, err);
    if (!rc)
        rc = harness_run(&pk_harness, &dm, &tsum, &dopts, *out, err);
    if (rc == GR_ESTOPPED) /* its trials are not the run's: say what is kept */
        rc = gr_err_set(err, GR_ESTOPPED,
                        "stopped by a signal in the Sobol design, after all %llu trials of the "
                        "run",
                        (unsigned long long)opts->trials);
    if (rc) {
        results_free(*out);
        *out = NULL;
    }
    return rc;
}

int pk_run_design(const scenario_t *sc, const sim_opts_t *opts, uint64_t n_base, results_t **out,
                  gr_err_t *err)
{
    *out = NULL;
    if (n_base < 1)
        return gr_err_set(err, GR_EINPUT, "a design needs base points");
    pk_model_t pm = {.sc = sc, .seed = opts->seed, .kernel = opts->kernel};
    const int rc = make_plan(sc, &pm.pl, err);
    return rc ? rc : design_rows(&pm, opts, n_base, out, err);
}

/* The Sobol design's rows (AB: N x SENS_N_GROUPS trials on the run's
 * streams, regrouped), then the indices from them and r's first 2N trials. */
static int pk_sobol(const pk_model_t *pm, const sim_opts_t *opts, results_t *r, gr_err_t *err)
{
    const uint64_t n_base = opts->sobol_base;
    results_t *d = NULL;
    int rc = design_rows(pm, opts, n_base, &d, err);
    if (!rc && sens_sobol_run(r, d, n_base, opts->seed, opts->threads))
        rc = gr_err_set(err, GR_ERUNTIME, "out of memory for the Sobol indices");
    if (!rc)
        r->sens.sobol_wall_s = d->wall_s;
    results_free(d);
    return rc;
}

int pk_run(const scenario_t *sc, const sim_opts_t *opts, results_t **out, pk_times_t *times,
           gr_err_t *err)
{
    *out = NULL;
    if (opts->trials < 1)
        return gr_err_set(err, GR_EINPUT, "trials must be >= 1");
    if (opts->sobol_base &&
        (opts->sobol_base < SENS_MIN_BASE || opts->sobol_base > opts->trials / 2))
        return gr_err_set(err, GR_EINPUT,
                          "--sobol %llu: the base points must be at least %d and at most half "
                          "the trials (%llu): the design's A and B are the run's first 2N trials",
                          (unsigned long long)opts->sobol_base, SENS_MIN_BASE,
                          (unsigned long long)opts->trials);
    pk_model_t pm = {.sc = sc, .seed = opts->seed, .kernel = opts->kernel};
    int rc = make_plan(sc, &pm.pl, err);
    if (rc)
        return harness_agree(rc, err);
    results_t *r = pk_results(sc, &pm.pl, harness_rows(pk_harness.chunk, opts));
    if (!r)
        return harness_agree(gr_err_set(err, GR_ERUNTIME, "out of memory for %llu trials",
                                        (unsigned long long)opts->trials),
                             err);
    harness_stream(r, opts);
    pk_times_t tsum = {0};
    rc = harness_agree(GR_OK, err);
    if (!rc)
        rc = harness_run(&pk_harness, &pm, &tsum, opts, r, err);
    /* a streamed run's sensitivity comes from its file's columns (main) */
    if (!rc && !opts->skip_sensitivity && !opts->sink && sens_rank_results(r))
        rc = gr_err_set(err, GR_ERUNTIME, "out of memory for the rank correlations");
    if (!rc && opts->sobol_base)
        rc = pk_sobol(&pm, opts, r, err);
    if (rc) {
        results_free(r);
        return rc;
    }
    if (times)
        *times = tsum;
    *out = r;
    return GR_OK;
}
