/*
 * bitcoin_yaml.h - the economics.bitcoin section of the small complete
 * scenarios the tests write (the fuzzers' base and test_pakistan's system
 * solved by hand), one copy for both: a change to the section's schema is
 * made here once. Two-space indent under `economics:`.
 */
#ifndef GR_TESTS_BITCOIN_YAML_H
#define GR_TESTS_BITCOIN_YAML_H

#define TEST_BITCOIN_YAML                                                                          \
    "  bitcoin: {start_usd: 90000, drift: 0, vol: 0.5, jumps_per_year: 4, jump_mean: 0,\n"         \
    "            jump_sd: 0.1, hashrate_start_ehs: 1000,\n"                                        \
    "            network_efficiency_j_per_th: [24, 30], network_power_usd_per_mwh: [45, 60],\n"    \
    "            network_efficiency_gain: [0.08, 0.16], hashrate_lag_days: 30,\n"                  \
    "            network_capital_usd_per_ph_day: [10, 18],\n"                                      \
    "            hashrate_grow_days: 240, hashrate_shrink_days: 45, hashrate_vol: 0.15,\n"         \
    "            subsidy_btc: 3.125, halving_day: 800, fee_share: 0.02,\n"                         \
    "            efficiency_j_per_th: 20, opex_usd_per_mwh: 5, idle_cost_usd_per_mw_day: 400}\n"

#endif
