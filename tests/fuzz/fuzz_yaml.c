/*
 * fuzz_yaml.c - libFuzzer harness for the scenario loader: the input is a
 * scenario file (it may name load.csv, units.csv, renewables.csv or
 * `base: base.yaml`, all valid, in the same directory). Whatever the bytes,
 * scenario_load must return GR_OK or an error with a message, never crash,
 * hang, leak or read out of bounds; a loaded scenario must satisfy the
 * invariants the simulator relies on.
 */
#include "../../inputs/scenario.h"
#include "fuzz_common.h"

#include <math.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_setup();
    fuzz_put("s.yaml", (const char *)data, size);
    char path[512];
    snprintf(path, sizeof path, "%s/s.yaml", fuzz_dir);
    scenario_t *sc = NULL;
    gr_err_t err = {0, {0}};
    const int rc = scenario_load(path, &sc, &err);
    if (rc) {
        if (sc || !err.msg[0] || (rc != GR_EINPUT && rc != GR_ERUNTIME))
            abort();
        return 0;
    }
    /* what the simulator takes for granted */
    if (sc->horizon_years < 1 || sc->horizon_years > GR_MAX_YEARS || sc->trials < 1 ||
        sc->hours < GR_MIN_HOURS || sc->hours > GR_MAX_HOURS || sc->n_units < 1 ||
        sc->n_units > GR_MAX_UNITS || !(sc->peak_mw > 0) || !isfinite(sc->energy_mwh))
        abort();
    for (size_t u = 0; u < sc->n_units; ++u)
        if (!(sc->units[u].capacity_mw > 0) || !(sc->units[u].mttr_h > 0) ||
            !(sc->units[u].mttf_h >= 1) || !(sc->units[u].for_ >= 0 && sc->units[u].for_ < 1))
            abort();
    if (sc->econ && (sc->n_scen < 1 || sc->n_scen > GR_MAX_SCENARIOS))
        abort();
    scenario_free(sc);
    return 0;
}
