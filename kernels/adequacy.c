/* adequacy.c - see adequacy.h. */
#include "adequacy.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int adequacy_load_init(adequacy_load_t *l, const double *load_mw, size_t hours)
{
    const size_t nb = (hours + ADEQUACY_BLOCK_H - 1) / ADEQUACY_BLOCK_H;
    l->hours = hours;
    l->load_mw = load_mw;
    l->block_max_mw = malloc((nb ? nb : 1) * sizeof *l->block_max_mw);
    if (!l->block_max_mw)
        return -1;
    l->max_mw = -1.0 / 0.0;
    for (size_t b = 0; b < nb; ++b) {
        double m = -1.0 / 0.0;
        const size_t end = (b + 1) * ADEQUACY_BLOCK_H < hours ? (b + 1) * ADEQUACY_BLOCK_H : hours;
        for (size_t h = b * ADEQUACY_BLOCK_H; h < end; ++h)
            m = load_mw[h] > m ? load_mw[h] : m;
        l->block_max_mw[b] = m;
        l->max_mw = m > l->max_mw ? m : l->max_mw;
    }
    return 0;
}

void adequacy_load_free(adequacy_load_t *l)
{
    free(l->block_max_mw);
    l->block_max_mw = NULL;
}

/* Shortfall state carried from hour to hour (events span segment ends). */
typedef struct {
    int prev_short;
} scan_state_t;

static inline void account_hour(double load_mw, double avail_mw, adequacy_year_t *y, int64_t *lol,
                                scan_state_t *st)
{
    const double d = load_mw - avail_mw;
    if (d > 0.0) {
        y->shed_h += 1.0;
        y->unserved_mwh += d;
        y->events += st->prev_short ? 0.0 : 1.0;
        st->prev_short = 1;
        ++*lol;
    } else {
        st->prev_short = 0;
    }
}

void adequacy_run_ref(const adequacy_load_t *load, size_t years, double cap_mw,
                      const adequacy_event_t *ev, size_t n_ev, adequacy_year_t *out,
                      int64_t *lol_count)
{
    const size_t H = load->hours;
    double avail = cap_mw;
    size_t e = 0;
    scan_state_t st = {0};
    for (size_t y = 0; y < years; ++y) {
        adequacy_year_t acc = {0, 0, 0};
        for (size_t h = 0; h < H; ++h) {
            const size_t abs_h = y * H + h;
            while (e < n_ev && (size_t)ev[e].hour == abs_h)
                avail += ev[e++].delta_mw;
            account_hour(load->load_mw[h], avail, &acc, &lol_count[abs_h], &st);
        }
        out[y] = acc;
    }
}

/* Scans hours [a, b) of one year at constant available capacity. */
static void scan_segment(const adequacy_load_t *restrict load, size_t a, size_t b, double avail,
                         adequacy_year_t *restrict y, int64_t *restrict lol, scan_state_t *st)
{
    if (a >= b)
        return;
    if (avail >= load->max_mw) {
        st->prev_short = 0;
        return;
    }
    const double *restrict l = load->load_mw;
    size_t h = a;
    while (h < b) {
        const size_t blk = h / ADEQUACY_BLOCK_H;
        const size_t blk_end = (blk + 1) * ADEQUACY_BLOCK_H;
        const size_t end = blk_end < b ? blk_end : b;
        if (avail >= load->block_max_mw[blk]) {
            st->prev_short = 0;
            h = end;
            continue;
        }
        for (; h < end; ++h)
            account_hour(l[h], avail, y, &lol[h], st);
    }
}

void adequacy_run_fast(const adequacy_load_t *load, size_t years, double cap_mw,
                       const adequacy_event_t *ev, size_t n_ev, adequacy_year_t *out,
                       int64_t *lol_count)
{
    const size_t H = load->hours;
    double avail = cap_mw;
    size_t e = 0;
    scan_state_t st = {0};
    for (size_t y = 0; y < years; ++y) {
        adequacy_year_t acc = {0, 0, 0};
        const size_t y0 = y * H;
        size_t h = 0; /* hour within year */
        while (h < H) {
            while (e < n_ev && (size_t)ev[e].hour == y0 + h)
                avail += ev[e++].delta_mw;
            size_t next = e < n_ev ? (size_t)ev[e].hour - y0 : H;
            next = next < H ? next : H;
            scan_segment(load, h, next, avail, &acc, lol_count + y0, &st);
            h = next;
        }
        out[y] = acc;
    }
}

/* Insertion sort of ev[0, n): the fastest for a few events, and stable. */
static void sort_few(adequacy_event_t *ev, size_t n)
{
    for (size_t i = 1; i < n; ++i) {
        const adequacy_event_t x = ev[i];
        size_t j = i;
        while (j > 0 && ev[j - 1].hour > x.hour) {
            ev[j] = ev[j - 1];
            --j;
        }
        ev[j] = x;
    }
}

void adequacy_sort_events(adequacy_event_t *ev, adequacy_event_t *tmp, size_t n)
{
    /* Up to this many events, insertion sort; above, a least-significant-
     * digit radix sort on hour - the lowest hour: stable, no comparisons to
     * mispredict (the merge sort it replaced spent 29% of an RBTS run in
     * them), two passes of 7-bit digits for a year's 8,736 hours (of 8
     * bits for five years'). */
    enum { FEW = 24 };
    if (n <= FEW) {
        sort_few(ev, n);
        return;
    }
    int32_t lo = ev[0].hour, hi = ev[0].hour;
    for (size_t i = 1; i < n; ++i) {
        lo = ev[i].hour < lo ? ev[i].hour : lo;
        hi = ev[i].hour > hi ? ev[i].hour : hi;
    }
    const uint32_t span = (uint32_t)hi - (uint32_t)lo; /* exact for any two int32 */
    const unsigned bits = span ? 32u - (unsigned)__builtin_clz(span) : 0u;
    const unsigned passes = (bits + 7u) / 8u; /* digits of at most 8 bits, as few as may be */
    const unsigned width = passes ? (bits + passes - 1u) / passes : 0u;
    const uint32_t mask = ((uint32_t)1 << width) - 1u;
    adequacy_event_t *src = ev, *dst = tmp;
    for (unsigned p = 0; p < passes; ++p) {
        const unsigned shift = p * width;
        size_t at[256];
        memset(at, 0, (mask + 1u) * sizeof *at);
        for (size_t i = 0; i < n; ++i)
            ++at[(((uint32_t)src[i].hour - (uint32_t)lo) >> shift) & mask];
        size_t sum = 0;
        for (uint32_t d = 0; d <= mask; ++d) {
            const size_t c = at[d];
            at[d] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; ++i)
            dst[at[(((uint32_t)src[i].hour - (uint32_t)lo) >> shift) & mask]++] = src[i];
        adequacy_event_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != ev)
        memcpy(ev, src, n * sizeof *ev);
}

int adequacy_diff_init(adequacy_diff_t *d, size_t year_h, size_t years)
{
    memset(d, 0, sizeof *d);
    d->year_h = year_h;
    d->hours = year_h * years;
    d->year_blocks = (year_h + ADEQUACY_BLOCK_H - 1) / ADEQUACY_BLOCK_H;
    const size_t nb = d->year_blocks * years;
    /* listing more changes than a sixteenth of the hours costs more than
     * clearing every hour */
    d->cap_set = d->hours / 16 + 1;
    d->delta_mw = calloc(d->hours ? d->hours : 1, sizeof *d->delta_mw);
    d->blk_sum_mw = calloc(nb ? nb : 1, sizeof *d->blk_sum_mw);
    d->blk_drop_mw = calloc(nb ? nb : 1, sizeof *d->blk_drop_mw);
    d->set_h = malloc(d->cap_set * sizeof *d->set_h);
    if (d->delta_mw && d->blk_sum_mw && d->blk_drop_mw && d->set_h && d->hours <= UINT32_MAX)
        return 0;
    adequacy_diff_free(d);
    return -1;
}

void adequacy_diff_free(adequacy_diff_t *d)
{
    free(d->delta_mw);
    free(d->blk_sum_mw);
    free(d->blk_drop_mw);
    free(d->set_h);
    d->delta_mw = d->blk_sum_mw = d->blk_drop_mw = NULL;
    d->set_h = NULL;
}

void adequacy_run_diff(const adequacy_load_t *load, double cap_mw, adequacy_diff_t *d,
                       adequacy_year_t *out, int64_t *lol_count)
{
    const size_t H = d->year_h, NB = d->year_blocks, Y = H ? d->hours / H : 0;
    double *restrict bsum = d->blk_sum_mw, *restrict bdrop = d->blk_drop_mw;
    const double *restrict l = load->load_mw, *restrict bmax = load->block_max_mw;
    double avail = cap_mw;
    scan_state_t st = {0};
    for (size_t y = 0; y < Y; ++y) {
        adequacy_year_t acc = {0, 0, 0};
        const double *restrict dy = d->delta_mw + y * H;
        int64_t *restrict lol = lol_count + y * H;
        double *restrict bs = bsum + y * NB, *restrict bd = bdrop + y * NB;
        for (size_t b = 0; b < NB; ++b) {
            /* the lowest capacity block b can reach: every decrease in
             * it, none of its increases (exact sums: no rounding to fear) */
            const double start = avail;
            const int covered = start + bd[b] >= bmax[b];
            avail = start + bs[b];
            bs[b] = bd[b] = 0.0;
            if (covered) {
                st.prev_short = 0;
                continue;
            }
            const size_t h0 = b * ADEQUACY_BLOCK_H;
            const size_t h1 = h0 + ADEQUACY_BLOCK_H < H ? h0 + ADEQUACY_BLOCK_H : H;
            double c = start;
            for (size_t h = h0; h < h1; ++h) {
                c += dy[h];
                account_hour(l[h], c, &acc, &lol[h], &st);
            }
        }
        out[y] = acc;
    }
    /* the changes, spent */
    if (d->n_set <= d->cap_set)
        for (size_t i = 0; i < d->n_set; ++i)
            d->delta_mw[d->set_h[i]] = 0.0;
    else
        memset(d->delta_mw, 0, d->hours * sizeof *d->delta_mw);
    d->n_set = 0;
}

int adequacy_exact_mw(double x)
{
    const double q = 0x1p20 * x;
    return fabs(x) < ADEQUACY_EXACT_TOTAL_MW && nearbyint(q) == q;
}
