/*
 * fuzz_common.h - a scratch directory with small valid data files for the
 * scenario fuzzers, so that a fuzzed YAML file can name real CSVs and a
 * fuzzed CSV can sit behind a real scenario. Header-only: each harness is
 * one translation unit linked with libFuzzer.
 */
#ifndef GR_FUZZ_COMMON_H
#define GR_FUZZ_COMMON_H

#include "../bitcoin_yaml.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char fuzz_dir[256];

static void fuzz_put(const char *name, const char *text, size_t n)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", fuzz_dir, name);
    FILE *f = fopen(p, "wb");
    if (!f)
        abort();
    if (n && fwrite(text, 1, n, f) != n)
        abort();
    fclose(f);
}

static void fuzz_setup(void)
{
    if (fuzz_dir[0])
        return;
    const char *tmp = getenv("TMPDIR"); /* run.sh keeps scratch in the build tree */
    snprintf(fuzz_dir, sizeof fuzz_dir, "%s/gridrisk-fuzz-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(fuzz_dir))
        abort();
    char buf[4096] = "load_mw\n", re[4096] = "wind_cf,solar_cf\n";
    for (int h = 0; h < 48; ++h) {
        snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%d\n", 40 + (h * 7) % 13);
        snprintf(re + strlen(re), sizeof re - strlen(re), "0.%d,0.%d\n", h % 9, (h * 3) % 7);
    }
    fuzz_put("load.csv", buf, strlen(buf));
    fuzz_put("renewables.csv", re, strlen(re));
    static const char units[] = "name,type,capacity_mw,for,mttf_h,mttr_h,count\n"
                                "g1,gas,20,,500,50,\ng2,coal,30,0.05,,40,2\nh,hydro,10,0,,5,\n";
    fuzz_put("units.csv", units, sizeof units - 1);
    /* a replay's observed months (economics.observed_csv): one year from
     * July 2024, as a scenario with start_year 2024, start_month 7 reads it */
    char obs[1024] = "month,brent_usd_per_bbl,coal_usd_per_t,pkr_per_usd,hydro_gwh\n";
    for (int m = 0; m < 12; ++m)
        snprintf(obs + strlen(obs), sizeof obs - strlen(obs), "%d-%02d,%d.5,%d,27%d.4,%d\n",
                 m < 6 ? 2024 : 2025, (6 + m) % 12 + 1, 70 + m, 100 - m, m % 10, 60 + 5 * m);
    fuzz_put("observed.csv", obs, strlen(obs));
    static const char base[] =
        "name: base\nhorizon_years: 1\nload: {profile_csv: load.csv, peak_mw: 60}\n"
        "units: {csv: units.csv}\nrun: {trials: 10, seed: 1}\n"
        "economics:\n  renewables_csv: renewables.csv\n  technologies:\n"
        "    - {name: gas, kind: thermal, fuel: gas, heat_rate_mmbtu_per_mwh: 9}\n"
        "    - {name: coal, kind: thermal, fuel: coal, heat_rate_mmbtu_per_mwh: 9}\n"
        "    - {name: hydro, kind: hydro}\n"
        "  fuel:\n    brent_usd_per_bbl: {start: 65, long_run: 65, kappa: 1, sigma: 0.3}\n"
        "    coal_usd_per_t: {start: 100, long_run: 100, kappa: 1, sigma: 0.3}\n"
        "    corr_brent_coal: 0.5\n    rlng_slope_per_brent: 0.12\n"
        "    rlng_adder_usd_per_mmbtu: 1\n    rlng_spot_sd: 0.05\n"
        "    rfo_usd_per_t_per_brent: 6\n    gas_usd_per_mmbtu: 6\n    thar_usd_per_mwh: 30\n"
        "    nuclear_usd_per_mwh: 7\n    coal_mmbtu_per_t: 22\n    rfo_mmbtu_per_t: 38\n"
        "  fx: {start_pkr_per_usd: 280, drift: 0.05, vol: 0.1, corr_brent: 0.2}\n" TEST_BITCOIN_YAML
        "  hydro: {annual_mwh: 1000, monthly_share: [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1,\n"
        "          0.1, 0.05, 0.05, 0.05, 0.05], cv: 0.1, ar1: 0.3}\n"
        "  demand: {growth_mean: 0.03, growth_sd: 0.02, weather_ar1: 0.8, weather_sd: 0.03}\n"
        "  blackouts: {rate_per_year: 0.5, median_h: 10, log_sd: 0.4}\n"
        "  fiscal: {capacity_payments_pkr: 1e9, capacity_usd_share: 0.7,\n"
        "           tariff_pkr_per_kwh: 30, fuel_passthrough: 0.7,\n"
        "           ref_fuel_cost_pkr_per_kwh: 7, td_losses: 0.18, recovery: 0.9,\n"
        "           voll_usd_per_kwh: 1.5, tariff_indexation: usd,\n"
        "           alloc_tariff_indexation: cpi, cpi_per_year: 0.05, fca_basis: all}\n"
        "scenarios:\n  - {name: baseline, priority: miners_first}\n"
        "  - name: alloc\n    priority: pro_rata\n    blocks:\n"
        "      - {name: m, kind: flexible, mw: 5, tariff_pkr_per_kwh: 20, recovery: 1}\n";
    fuzz_put("base.yaml", base, sizeof base - 1);
}

#endif
