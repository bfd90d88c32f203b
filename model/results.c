/* results.c - see results.h. */
#include "results.h"

#include <stdlib.h>
#include <string.h>

results_t *results_new(uint64_t trials, size_t years, size_t hours, size_t n_scen,
                       const char *const *scen_names, size_t n_metrics,
                       const metric_info_t *metrics, size_t n_drivers,
                       const metric_info_t *drivers)
{
    results_t *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->trials = trials;
    r->years = years;
    r->hours = hours;
    r->n_scen = n_scen;
    r->n_metrics = n_metrics;
    r->metrics = metrics;
    r->n_drivers = n_drivers;
    r->drivers = drivers;
    r->scen_names = calloc(n_scen, sizeof *r->scen_names);
    r->values = calloc(n_scen * n_metrics * trials * years, sizeof *r->values);
    r->drivers_v = calloc(n_drivers * trials * years + 1, sizeof *r->drivers_v);
    r->lol_count = calloc(n_scen * years * hours, sizeof *r->lol_count);
    int ok = r->scen_names && r->values && r->drivers_v && r->lol_count;
    for (size_t s = 0; ok && s < n_scen; ++s)
        ok = (r->scen_names[s] = strdup(scen_names[s])) != NULL;
    if (!ok) {
        results_free(r);
        return NULL;
    }
    return r;
}

void results_free(results_t *r)
{
    if (!r)
        return;
    for (size_t s = 0; r->scen_names && s < r->n_scen; ++s)
        free(r->scen_names[s]);
    free(r->scen_names);
    free(r->values);
    free(r->drivers_v);
    free(r->lol_count);
    free(r);
}
