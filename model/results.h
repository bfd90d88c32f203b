/*
 * results.h - everything a run produces, in flat arrays ready for HDF5.
 *
 * Per scenario s, metric m, trial t and year y: values[((s * M + m) * T + t) * Y + y].
 * Per driver d: drivers[(d * T + t) * Y + y] (annual means, scenario-free:
 * every scenario sees the same draws). Loss-of-load counts per scenario,
 * year and hour: lol_count[(s * Y + y) * H + h] (divide by trials for LOLP).
 * Scenario 0 is the baseline; paired differences are scenario s - scenario 0.
 */
#ifndef GR_RESULTS_H
#define GR_RESULTS_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    const char *name; /* dataset name, snake_case with its unit */
    const char *unit;
    const char *desc;
} metric_info_t;

typedef struct {
    uint64_t trials;
    size_t years;
    size_t hours;
    size_t n_scen;
    char **scen_names; /* [n_scen], owned */
    size_t n_metrics;
    const metric_info_t *metrics; /* static table, not owned */
    double *values;
    size_t n_drivers;
    const metric_info_t *drivers; /* static table, not owned */
    double *drivers_v;
    int64_t *lol_count;
    /* run facts, for the output's attributes */
    uint32_t seed;
    int threads;
    int ranks;
    double wall_s;
} results_t;

results_t *results_new(uint64_t trials, size_t years, size_t hours, size_t n_scen,
                       const char *const *scen_names, size_t n_metrics,
                       const metric_info_t *metrics, size_t n_drivers,
                       const metric_info_t *drivers);
void results_free(results_t *r);

/* The Y values of (scenario, metric, trial). */
static inline double *results_at(const results_t *r, size_t s, size_t m, uint64_t t)
{
    return r->values + ((s * r->n_metrics + m) * r->trials + t) * r->years;
}

static inline double *results_driver_at(const results_t *r, size_t d, uint64_t t)
{
    return r->drivers_v + (d * r->trials + t) * r->years;
}

#endif
