/*
 * hand_system.h - a system small enough to solve by hand, shared by the
 * tests that solve it (test_pakistan's fiscal accounts, test_frontier's
 * known margin): one 600 MW gas unit (10 MMBtu/MWh x 6 USD/MMBtu = 60
 * USD/MWh) and one 800 MW coal unit (10 MMBtu/MWh x 100 USD/t / 25 MMBtu/t
 * = 40 USD/MWh) that never fail, a flat load (peak_mw scales it), no wind
 * or sun, fuel prices that hold still, no hydro, growth, weather or
 * blackouts: every hour of a year is the same.
 */
#ifndef GR_TEST_HAND_SYSTEM_H
#define GR_TEST_HAND_SYSTEM_H

#include "testutil.h"

#include <stdlib.h>
#include <string.h>

/* Writes hand_load.csv (8,760 rows of 1), hand_ren.csv (8,760 rows of 0,0)
 * and hand_units.csv (the two units) into dir. */
static inline void hand_system_files(const char *dir)
{
    char path[512];
    char *load = malloc(16 + 2 * 8760), *ren = malloc(32 + 4 * 8760);
    assert_true(load && ren);
    strcpy(load, "load_mw\n");
    strcpy(ren, "wind_cf,solar_cf\n");
    for (size_t h = 0, nl = strlen(load), nr = strlen(ren); h < 8760; ++h, nl += 2, nr += 4) {
        memcpy(load + nl, "1\n", 3);
        memcpy(ren + nr, "0,0\n", 5);
    }
    tu_write(dir, "hand_load.csv", load, path, sizeof path);
    tu_write(dir, "hand_ren.csv", ren, path, sizeof path);
    free(load);
    free(ren);
    tu_write(dir, "hand_units.csv",
             "name,type,capacity_mw,for,mttf_h,mttr_h,count\ng,gas,600,0,,10,\nc,coal,800,0,,10,\n",
             path, sizeof path);
}

/* economics: the technologies and fuel prices (after renewables_csv). */
#define HAND_TECHS_YAML                                                                            \
    "  technologies:\n"                                                                            \
    "    - {name: gas, kind: thermal, fuel: gas, heat_rate_mmbtu_per_mwh: 10}\n"                   \
    "    - {name: coal, kind: thermal, fuel: coal, heat_rate_mmbtu_per_mwh: 10}\n"                 \
    "  fuel:\n    brent_usd_per_bbl: {start: 65, long_run: 65, kappa: 1, sigma: 0}\n"              \
    "    coal_usd_per_t: {start: 100, long_run: 100, kappa: 1, sigma: 0}\n"                        \
    "    corr_brent_coal: 0\n    rlng_slope_per_brent: 0.12\n"                                     \
    "    rlng_adder_usd_per_mmbtu: 1\n    rlng_spot_sd: 0\n"                                       \
    "    rfo_usd_per_t_per_brent: 6\n    gas_usd_per_mmbtu: 6\n    thar_usd_per_mwh: 30\n"         \
    "    nuclear_usd_per_mwh: 7\n    coal_mmbtu_per_t: 25\n    rfo_mmbtu_per_t: 38\n"              \
    "  fx: {start_pkr_per_usd: 280, drift: 0, vol: 0, corr_brent: 0}\n"

/* economics: no hydro, growth, weather or blackouts (before fiscal:). */
#define HAND_STILL_YAML                                                                            \
    "  hydro: {annual_mwh: 0, monthly_share: [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1,\n"                \
    "          0.1, 0.05, 0.05, 0.05, 0.05], cv: 0, ar1: 0}\n"                                     \
    "  demand: {growth_mean: 0, growth_sd: 0, weather_ar1: 0, weather_sd: 0}\n"                    \
    "  blackouts: {rate_per_year: 0, median_h: 10, log_sd: 0.4}\n"

/* economics: fiscal terms (after HAND_STILL_YAML) that the tests solving
 * the system's shedding do not look at. */
#define HAND_FISCAL_YAML                                                                           \
    "  fiscal: {capacity_payments_pkr: 1e9, capacity_usd_share: 0.5,\n"                            \
    "           tariff_pkr_per_kwh: 30, fuel_passthrough: 0.5,\n"                                  \
    "           ref_fuel_cost_pkr_per_kwh: 10, td_losses: 0.2, recovery: 0.9,\n"                   \
    "           voll_usd_per_kwh: 1.5}\n"

#endif
