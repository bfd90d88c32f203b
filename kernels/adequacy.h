/*
 * adequacy.h - hour-by-hour adequacy of a generating system against a load.
 *
 * Input: the system's available capacity as a step function, given by its
 * full capacity and a list of changes sorted by hour (a unit failing gives a
 * negative change at its first down hour, its repair a positive change at its
 * first up hour). Output per year: loss-of-load hours (available capacity
 * strictly below load), unserved energy (MWh, the sum of the hourly
 * shortfalls over 1-hour steps), shortfall events (entries into shortfall;
 * an event that runs across New Year counts in the year it started), and a
 * per-hour loss-of-load count for the year x hour LOLP profile.
 *
 * Two kernels with identical results (tests and bench check this):
 *  - adequacy_run_ref: the plain baseline, every hour compared.
 *  - adequacy_run_fast: walks the constant-capacity segments between events
 *    and skips every 32-hour block whose peak load the capacity covers, so a
 *    reliable system costs O(events) instead of O(hours).
 */
#ifndef GR_ADEQUACY_H
#define GR_ADEQUACY_H

#include <stddef.h>
#include <stdint.h>

#define ADEQUACY_BLOCK_H 32

typedef struct {
    int32_t hour;    /* absolute hour of the horizon */
    double delta_mw; /* change of available capacity at the start of hour */
} adequacy_event_t;

typedef struct {
    double shed_h;       /* hours with load > available capacity */
    double unserved_mwh; /* sum of (load - capacity)+ */
    double events;       /* entries into shortfall */
} adequacy_year_t;

/* One year's load and its block maxima (built once per load, read only). */
typedef struct {
    size_t hours;
    const double *load_mw; /* [hours] */
    double *block_max_mw;  /* [ceil(hours / ADEQUACY_BLOCK_H)] */
    double max_mw;
} adequacy_load_t;

/* Builds the block maxima; returns 0 or -1 when out of memory. */
int adequacy_load_init(adequacy_load_t *l, const double *load_mw, size_t hours);
void adequacy_load_free(adequacy_load_t *l);

/*
 * Runs `years` consecutive years of the same load. ev must be sorted by hour
 * (stable order of equal hours is the order deltas are summed in).
 * out[years] is overwritten; lol_count[years * hours] is incremented.
 */
void adequacy_run_ref(const adequacy_load_t *load, size_t years, double cap_mw,
                      const adequacy_event_t *ev, size_t n_ev, adequacy_year_t *out,
                      int64_t *lol_count);
void adequacy_run_fast(const adequacy_load_t *load, size_t years, double cap_mw,
                       const adequacy_event_t *ev, size_t n_ev, adequacy_year_t *out,
                       int64_t *lol_count);

/* Stable sort by hour (merge sort; tmp has room for n events). */
void adequacy_sort_events(adequacy_event_t *ev, adequacy_event_t *tmp, size_t n);

#endif
