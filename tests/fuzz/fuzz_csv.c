/*
 * fuzz_csv.c - libFuzzer harness for the CSV readers. The first byte picks
 * where the rest of the input goes: the generic reader and its number
 * parser, or a scenario's units.csv, load profile, renewables profile or
 * observed months (economics.observed_csv of a replay), so the unit-row
 * table, the profile checks and the observed-month reader are fuzzed too.
 */
#include "../../inputs/csv.h"
#include "../../inputs/scenario.h"
#include "fuzz_common.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Overlays of base.yaml (fuzz_common.h) that read the fuzzed file in place
 * of one of its CSVs. */
static const char *const files[] = {"any.csv", "f_units.csv", "f_load.csv", "f_renew.csv",
                                    "f_obs.csv"};
static const char *const overlays[] = {
    NULL, "name: v\nbase: base.yaml\nunits: {csv: f_units.csv}\n",
    "name: v\nbase: base.yaml\nload: {profile_csv: f_load.csv}\n",
    "name: v\nbase: base.yaml\neconomics: {renewables_csv: f_renew.csv}\n",
    "name: v\nbase: base.yaml\nstart_year: 2024\nstart_month: 7\n"
    "economics: {observed_csv: f_obs.csv}\n"};
#define N_MODES (sizeof files / sizeof *files)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_setup();
    if (size < 1)
        return 0;
    const unsigned mode = data[0] % N_MODES;
    char path[512];
    gr_err_t err = {0, {0}};
    fuzz_put(files[mode], (const char *)data + 1, size - 1);
    if (mode == 0) {
        snprintf(path, sizeof path, "%s/any.csv", fuzz_dir);
        csv_table_t *t = NULL;
        if (csv_read(path, &t, &err) == GR_OK) {
            for (size_t r = 0; r < t->n_rows; ++r)
                for (size_t c = 0; c < t->n_cols; ++c) {
                    double v;
                    (void)csv_number(t, r, c, -1e300, 1e300, &v, &err);
                }
            (void)csv_col(t, "load_mw");
            csv_free(t);
        } else if (t || !err.msg[0]) {
            abort();
        }
        return 0;
    }
    char yname[32];
    snprintf(yname, sizeof yname, "v%u.yaml", mode);
    fuzz_put(yname, overlays[mode], strlen(overlays[mode]));
    snprintf(path, sizeof path, "%s/%s", fuzz_dir, yname);
    scenario_t *sc = NULL;
    const int rc = scenario_load(path, &sc, &err);
    if (rc && (sc || !err.msg[0]))
        abort();
    scenario_free(sc);
    return 0;
}
