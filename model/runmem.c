/* runmem.c - see runmem.h. */
#include "runmem.h"

#include "../kernels/adequacy.h"
#include "../kernels/outage.h"
#include "harness.h"
#include "pakistan.h"
#include "sim.h"

#include <inttypes.h>
#include <omp.h>
#include <stdio.h>
#include <string.h>

/* The most first draws a fleet's layout holds (spans_fleet_init): at most
 * 4 per expected span (expect, over the horizon) and 9 per unit, and 16
 * jobs of padding. */
static double fleet_draws(const scenario_t *sc, double expect)
{
    return 4.0 * expect + 9.0 * (double)sc->n_units + 32.0;
}

/* One thread's scratch in sim.c's ws_init: events and their sort buffer
 * (twice the expected outage count per unit, x2 margin), the spans buffer,
 * loss-of-load counters [Y x H], the difference array (a double per hour,
 * two per 32-hour block, the list of changed hours) and the fleet's first
 * words and draws (16 bytes a draw; at most 4 per expected span and 9 per
 * unit, and 16 jobs of padding). */
static uint64_t adequacy_thread_bytes(const scenario_t *sc)
{
    const double horizon_h = (double)sc->hours * sc->horizon_years;
    double expect, expect_max;
    sim_expected_spans(sc, &expect, &expect_max);
    const double ev = 8.0 * expect + 128.0, spans = 4.0 * expect_max + 64.0;
    const double diff = horizon_h * (sizeof(double) + 2.0 * sizeof(double) / 32.0 + 0.25) + 64.0;
    const double fleet = 16.0 * fleet_draws(sc, expect);
    const double bytes = 2.0 * ev * sizeof(adequacy_event_t) + spans * sizeof(outage_span_t) +
                         horizon_h * sizeof(int64_t) + diff + fleet;
    /* absurd outage rates give absurd (even infinite) counts: saturate
     * rather than convert an out-of-range double */
    return bytes < 0x1p63 ? (uint64_t)bytes : UINT64_MAX;
}

/* One thread's scratch in pakistan.c's ws_init:
 * - per hour of a year: the rows of available MW by technology and the
 *   year's table of their changes (both twice with two regions), six
 *   hourly series and each fuel-budget class's hourly limit, with two
 *   regions three more, and a row offset;
 * - per hour of the horizon (HY): a flag for a unit's change and one for
 *   a blackout; loss-of-load counters per scenario;
 * - the trial's list of availability changes, twice (16 bytes each, a
 *   unit's capacity and two a span, with room up to twice the need);
 * - per month (12 Y): costs, merit order and fixed output by technology,
 *   seven fuel, FX and fuel-cost series; per day: six series;
 * - per hour of the longest month: the ledger (PK_LEDGER_ROWS_MAX rows and
 *   one a technology), eight rows of scratch and one a fuel-budget class,
 *   and a few index rows (four per hour, counted as doubles);
 * - the spans buffer, the fleet's first words and draws (16 bytes a draw,
 *   bounded as adequacy_thread_bytes bounds them) and the thread's own copy
 *   of the fleet's layout (a key and a block index per two draws, 6 bytes a
 *   draw, and an offset per unit). */
static uint64_t pakistan_thread_bytes(const scenario_t *sc)
{
    const econ_t *e = sc->econ;
    const uint64_t D = sizeof(double), H = (uint64_t)sc->hours, HY = H * sc->horizon_years;
    const uint64_t MY = 12ULL * sc->horizon_years, DY = HY / 24, mh = 31 * 24;
    const uint64_t n_tech = e->technologies_count;
    const uint64_t regions = e->network.corridor_mw_count > 0 ? 2 : 1;
    uint64_t n_limited = 0; /* (fuel budgets relaxed or not: a bound) */
    for (size_t c = 0; c < e->technologies_count; ++c)
        n_limited += e->technologies[c].fuel_mmcfd_count > 0;
    double expect, expect_max;
    sim_expected_spans(sc, &expect, &expect_max);
    const double fleet = 22.0 * fleet_draws(sc, expect) + 8.0 * (double)sc->n_units;
    const double changes = 64.0 * (2.0 * expect + (double)sc->n_units);
    const uint64_t hourly = (regions * n_tech * 2 + 6 + n_limited + 3 * (regions - 1)) * H * D +
                            4 * H + sc->n_scen * HY * D + 2 * HY;
    const uint64_t rest = MY * (2 * n_tech * D + (n_tech + 1) * sizeof(int) + 7 * D) + 6 * DY * D +
                          mh * D * (PK_LEDGER_ROWS_MAX + n_tech + 8 + n_limited + 4) +
                          4096 * sizeof(outage_span_t);
    const double bytes = fleet + changes + (double)hourly + (double)rest;
    /* (absurd outage rates: saturate, as adequacy_thread_bytes does) */
    return bytes < 0x1p63 ? (uint64_t)bytes : UINT64_MAX;
}

void runmem_estimate(const scenario_t *sc, uint64_t trials, int threads, int stream,
                     results_mem_t *m)
{
    const int chunk = sc->econ ? SIM_CHUNK_ECONOMIC : SIM_CHUNK_ADEQUACY;
    results_shape_t sh = {.trials = trials,
                          .window = stream ? harness_window(chunk, trials) : 0,
                          .years = sc->horizon_years,
                          .hours = sc->hours,
                          .n_scen = 1,
                          .n_metrics = SIM_N_ADEQUACY};
    if (sc->econ) {
        sh.n_scen = sc->n_scen;
        sh.n_metrics = PK_N_METRICS;
        sh.n_drivers = PK_N_DRIVERS;
        sh.n_tech = sc->econ->technologies_count;
        sh.n_month_q = PK_N_MONTH_Q;
    }
    const uint64_t per_thread = sc->econ ? pakistan_thread_bytes(sc) : adequacy_thread_bytes(sc);
    results_estimate(&sh, threads > 0 ? threads : omp_get_max_threads(), per_thread, m);
}

/* The value of "key: N kB" in a /proc/meminfo-style file, in bytes. */
static int meminfo_kb(const char *path, const char *key, uint64_t *bytes)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char line[256];
    int rc = -1;
    const size_t klen = strlen(key);
    while (rc && fgets(line, sizeof line, f)) {
        uint64_t kb;
        if (!strncmp(line, key, klen) && line[klen] == ':' &&
            sscanf(line + klen + 1, "%" SCNu64, &kb) == 1) {
            *bytes = kb * 1024;
            rc = 0;
        }
    }
    fclose(f);
    return rc;
}

/* A cgroup v2 file holding one number ("max" reads as no limit). */
static int cgroup_u64(const char *dir, const char *name, uint64_t *v)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    const int rc = fscanf(f, "%" SCNu64, v) == 1 ? 0 : -1;
    fclose(f);
    return rc;
}

int runmem_available(const char *meminfo_path, const char *cgroup_dir, uint64_t *bytes)
{
    uint64_t avail = 0, limit, used;
    int have = meminfo_kb(meminfo_path, "MemAvailable", &avail) == 0;
    /* a container's limit can be far below the host's free memory */
    if (cgroup_dir && cgroup_u64(cgroup_dir, "memory.max", &limit) == 0 &&
        cgroup_u64(cgroup_dir, "memory.current", &used) == 0) {
        const uint64_t room = limit > used ? limit - used : 0;
        avail = have && avail < room ? avail : room;
        have = 1;
    }
    if (!have)
        return -1;
    *bytes = avail;
    return 0;
}
