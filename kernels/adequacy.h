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
 * Three kernels with identical results (tests and bench check this); the
 * third, adequacy_run_diff, is below:
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

/*
 * The third kernel, adequacy_run_diff, takes no event list: a trial's
 * changes of capacity go straight into a difference array over the horizon
 * (no sort), with two sums per 32-hour block of each year: all its changes,
 * and its decreases alone. One pass over the blocks carries the capacity
 * from block to block by the blocks' sums; a block whose starting capacity
 * plus its decreases covers its peak load cannot be short at any hour and
 * costs that O(1) step, whether it has changes or not; the others are
 * walked hour by hour. The hours that received a change are listed as they
 * come, so the array is cleared at those hours alone.
 *
 * Its results equal the other kernels' bit for bit when every partial sum
 * of capacities is exact in a double (adequacy_exact_mw below): the block
 * sums add the same changes in another order. Callers use the event
 * kernels otherwise.
 */
typedef struct {
    size_t hours;        /* the horizon: years x load hours */
    size_t year_h;       /* load hours (a year) */
    size_t year_blocks;  /* ceil(year_h / ADEQUACY_BLOCK_H) */
    double *delta_mw;    /* [hours] change of available capacity at each hour */
    double *blk_sum_mw;  /* [years x year_blocks] a block's changes */
    double *blk_drop_mw; /* [years x year_blocks] its decreases (<= 0) */
    uint32_t *set_h;     /* [cap_set] the hours given a change, in call order */
    size_t n_set;        /* changes since the last run (> cap_set: clear all) */
    size_t cap_set;
} adequacy_diff_t;

/* All zero, for a horizon of `years` years of year_h hours; 0 or -1 when
 * out of memory. */
int adequacy_diff_init(adequacy_diff_t *d, size_t year_h, size_t years);
void adequacy_diff_free(adequacy_diff_t *d);

/* Hour h's change delta_mw, of which drop_mw (delta_mw or 0) decreases. */
static inline void adequacy_diff_put(adequacy_diff_t *restrict d, size_t h, double delta_mw,
                                     double drop_mw)
{
    const size_t y = d->year_h == d->hours ? 0 : h / d->year_h;
    const size_t k = y * d->year_blocks + (h - y * d->year_h) / ADEQUACY_BLOCK_H;
    d->delta_mw[h] += delta_mw;
    d->blk_sum_mw[k] += delta_mw;
    d->blk_drop_mw[k] += drop_mw;
    if (d->n_set < d->cap_set)
        d->set_h[d->n_set] = (uint32_t)h;
    ++d->n_set;
}

/* Capacity delta_mw (> 0 back, < 0 lost) changes at the start of hour h
 * (0 <= h < hours). Changes at one hour add up in call order. */
static inline void adequacy_diff_add(adequacy_diff_t *restrict d, size_t h, double delta_mw)
{
    adequacy_diff_put(d, h, delta_mw, delta_mw < 0.0 ? delta_mw : 0.0);
}

/* A unit of cap_mw (>= 0) out for hours [down_h, up_h), up_h <= hours:
 * adequacy_diff_add(d, down_h, -cap_mw), then adequacy_diff_add(d, up_h,
 * cap_mw) unless up_h is the horizon's end. The signs are known, so there is
 * no test of them to mispredict (half of a fleet's changes are decreases,
 * in no order). */
static inline void adequacy_diff_outage(adequacy_diff_t *restrict d, size_t down_h, size_t up_h,
                                        double cap_mw)
{
    adequacy_diff_put(d, down_h, -cap_mw, -cap_mw);
    if (up_h < d->hours)
        adequacy_diff_put(d, up_h, cap_mw, 0.0);
}

/* Runs the years of d's horizon as adequacy_run_fast does and leaves d all
 * zero again for the next trial. */
void adequacy_run_diff(const adequacy_load_t *load, double cap_mw, adequacy_diff_t *d,
                       adequacy_year_t *out, int64_t *lol_count);

/* Sums of numbers that are multiples of 2^-20 MW are exact in a double
 * while the numbers' sizes add up to less than ADEQUACY_EXACT_TOTAL_MW (52
 * bits of 2^-20 MW): then the order of the additions cannot change a
 * result. adequacy_exact_mw(x): x is such a number. */
#define ADEQUACY_EXACT_TOTAL_MW 0x1p32
int adequacy_exact_mw(double x);

/* Stable sort by hour (insertion sort for a few, else radix; tmp has room
 * for n events). */
void adequacy_sort_events(adequacy_event_t *ev, adequacy_event_t *tmp, size_t n);

#endif
