/* results.c - see results.h. */
#include "results.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* a * b, or UINT64_MAX if that overflows */
static uint64_t mul_sat(uint64_t a, uint64_t b)
{
    return b && a > UINT64_MAX / b ? UINT64_MAX : a * b;
}

static uint64_t add_sat(uint64_t a, uint64_t b) { return a > UINT64_MAX - b ? UINT64_MAX : a + b; }

results_t *results_new(uint64_t trials, size_t years, size_t hours, size_t n_scen,
                       const char *const *scen_names, size_t n_metrics,
                       const metric_info_t *metrics, size_t n_drivers, const metric_info_t *drivers)
{
    results_t *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->trials = trials;
    r->cap = trials;
    r->years = years;
    r->hours = hours;
    r->n_scen = n_scen;
    r->n_metrics = n_metrics;
    r->metrics = metrics;
    r->n_drivers = n_drivers;
    r->drivers = drivers;
    /* counts that would wrap size_t fail here instead of allocating a
     * short array that the trial loop then overruns */
    const uint64_t n_values = mul_sat(mul_sat(mul_sat(n_scen, n_metrics), trials), years);
    const uint64_t n_drv = add_sat(mul_sat(mul_sat(n_drivers, trials), years), 1);
    const uint64_t n_lol = mul_sat(mul_sat(n_scen, years), hours);
    const uint64_t max_elems = SIZE_MAX / sizeof(double);
    int ok = n_values < max_elems && n_drv < max_elems && n_lol < max_elems;
    r->scen_names = calloc(n_scen, sizeof *r->scen_names);
    r->values = ok ? calloc((size_t)n_values, sizeof *r->values) : NULL;
    r->drivers_v = ok ? calloc((size_t)n_drv, sizeof *r->drivers_v) : NULL;
    r->lol_count = ok ? calloc((size_t)n_lol, sizeof *r->lol_count) : NULL;
    ok = r->scen_names && r->values && r->drivers_v && r->lol_count;
    for (size_t s = 0; ok && s < n_scen; ++s)
        ok = (r->scen_names[s] = strdup(scen_names[s])) != NULL;
    if (!ok) {
        results_free(r);
        return NULL;
    }
    return r;
}

const metric_info_t results_tech_info[RESULTS_N_TECH_Q] = {
    {"generation_mwh", "MWh/yr", "generation by technology"},
    {"variable_cost_pkr", "PKR/yr",
     "variable generation cost (fuel + VOM) by technology at the sampled PKR/USD"},
};

static int add_split(results_t *r, results_split_t *sp, const char *group, const char *dim,
                     const char *dim_desc, size_t n_q, const metric_info_t *info, size_t n,
                     const char *const *names)
{
    const uint64_t len = mul_sat(mul_sat(mul_sat(mul_sat(n_q, r->n_scen), r->cap), r->years), n);
    if (len >= SIZE_MAX / sizeof(double) || !n)
        return -1;
    *sp = (results_split_t){
        .group = group, .dim = dim, .dim_desc = dim_desc, .n_q = n_q, .info = info};
    sp->names = calloc(n, sizeof *sp->names);
    sp->v = calloc((size_t)len, sizeof *sp->v);
    if (!sp->names || !sp->v)
        return -1;
    sp->n = n;
    for (size_t k = 0; k < n; ++k)
        if (!(sp->names[k] = strdup(names[k])))
            return -1;
    return 0;
}

int results_add_tech(results_t *r, size_t n_tech, const char *const *names)
{
    return add_split(r, &r->tech, "by_technology", "technology",
                     "technology (economics.technologies)", RESULTS_N_TECH_Q, results_tech_info,
                     n_tech, names);
}

int results_add_regions(results_t *r, size_t n_regions, const char *const *names, size_t n_q,
                        const metric_info_t *info)
{
    return add_split(r, &r->region, "by_region", "region", "region of the system", n_q, info,
                     n_regions, names);
}

int results_add_months(results_t *r, unsigned start_month, size_t n_q, const metric_info_t *info)
{
    static const char *const cal[12] = {"jan", "feb", "mar", "apr", "may", "jun",
                                        "jul", "aug", "sep", "oct", "nov", "dec"};
    const char *names[12];
    for (unsigned k = 0; k < 12; ++k)
        names[k] = cal[((start_month ? start_month - 1u : 0u) + k) % 12];
    return add_split(r, &r->month, "by_month", "month",
                     "month of the simulated year (its calendar month), from start_month", n_q,
                     info, 12, names);
}

int results_add_steps(results_t *r, size_t n_steps, size_t n_area)
{
    const size_t n = n_steps * n_area;
    if (!n_steps || !n_area || n / n_area != n_steps)
        return -1;
    r->step_lolp = calloc(n, sizeof(double));
    r->step_lolp_se = calloc(n, sizeof(double));
    r->step_eue = calloc(n, sizeof(double));
    r->step_eue_se = calloc(n, sizeof(double));
    r->area_demand_mwh = calloc(n_area, sizeof(double));
    if (!r->step_lolp || !r->step_lolp_se || !r->step_eue || !r->step_eue_se || !r->area_demand_mwh)
        return -1;
    r->n_steps = n_steps;
    r->n_area = n_area;
    return 0;
}

static void split_free(results_split_t *sp)
{
    for (size_t k = 0; sp->names && k < sp->n; ++k)
        free(sp->names[k]);
    free(sp->names);
    free(sp->v);
}

/* Keeps trials [0, n) of the [blocks][T][row] array v: each block moves to
 * where it starts with n trials, lower addresses first (never overlapping a
 * block not yet moved). */
static void shrink_rows(double *v, size_t blocks, uint64_t T, uint64_t n, size_t row)
{
    for (size_t b = 1; v && b < blocks; ++b)
        memmove(v + b * n * row, v + b * T * row, n * row * sizeof *v);
}

size_t results_row_arrays(const results_t *r, results_rows_t out[RESULTS_MAX_ROW_ARRAYS])
{
    size_t k = 0;
    out[k++] = (results_rows_t){r->values, r->n_scen * r->n_metrics, r->years};
    if (r->n_drivers)
        out[k++] = (results_rows_t){r->drivers_v, r->n_drivers, r->years};
    const results_split_t *const sp[] = {&r->tech, &r->region, &r->month};
    for (size_t i = 0; i < sizeof sp / sizeof *sp; ++i)
        if (sp[i]->n)
            out[k++] = (results_rows_t){sp[i]->v, sp[i]->n_q * r->n_scen, r->years * sp[i]->n};
    return k;
}

void results_shrink(results_t *r, uint64_t n)
{
    if (n >= r->trials)
        return;
    results_rows_t a[RESULTS_MAX_ROW_ARRAYS];
    const size_t k = results_row_arrays(r, a);
    for (size_t i = 0; i < k; ++i)
        shrink_rows(a[i].v, a[i].blocks, r->cap, n, a[i].row);
    r->trials = r->cap = n;
}

void results_stream(results_t *r, uint64_t total)
{
    r->trials = total;
    r->t0 = 0;
}

void results_window(results_t *r, uint64_t t0)
{
    results_rows_t a[RESULTS_MAX_ROW_ARRAYS];
    const size_t k = results_row_arrays(r, a);
    for (size_t i = 0; i < k; ++i)
        memset(a[i].v, 0, a[i].blocks * r->cap * a[i].row * sizeof *a[i].v);
    r->t0 = t0;
}

void results_free(results_t *r)
{
    if (!r)
        return;
    split_free(&r->tech);
    split_free(&r->region);
    split_free(&r->month);
    double *const sens[] = {r->sens.rank_corr, r->sens.tornado_low, r->sens.tornado_high,
                            r->sens.s1,        r->sens.s1_lo,       r->sens.s1_hi,
                            r->sens.st,        r->sens.st_lo,       r->sens.st_hi};
    for (size_t i = 0; i < sizeof sens / sizeof *sens; ++i)
        free(sens[i]);
    free(r->step_lolp);
    free(r->step_lolp_se);
    free(r->step_eue);
    free(r->step_eue_se);
    free(r->area_demand_mwh);
    for (size_t s = 0; r->scen_names && s < r->n_scen; ++s)
        free(r->scen_names[s]);
    free(r->scen_names);
    free(r->values);
    free(r->drivers_v);
    free(r->lol_count);
    free(r);
}

void results_estimate(const results_shape_t *sh, int threads, uint64_t thread_scratch_bytes,
                      results_mem_t *m)
{
    const uint64_t D = sizeof(double), T = sh->trials, Y = sh->years, YH = mul_sat(Y, sh->hours);
    /* the rows held: a streamed run's window, else every trial */
    const uint64_t TY = mul_sat(sh->window && sh->window < T ? sh->window : T, Y);
    /* results_new: values[S][M][T][Y], drivers[D][T][Y], lol_count[S][Y][H] */
    m->results_bytes = add_sat(add_sat(mul_sat(mul_sat(mul_sat(sh->n_scen, sh->n_metrics), TY), D),
                                       mul_sat(mul_sat(sh->n_drivers, TY), D)),
                               mul_sat(mul_sat(sh->n_scen, YH), sizeof(int64_t)));
    /* by technology: two quantities per scenario, trial, year, technology */
    m->results_bytes =
        add_sat(m->results_bytes, mul_sat(mul_sat(mul_sat(2 * sh->n_scen, TY), sh->n_tech), D));
    /* by month: n_month_q flows per scenario, trial, year and month */
    m->results_bytes = add_sat(
        m->results_bytes, mul_sat(mul_sat(mul_sat(mul_sat(sh->n_month_q, sh->n_scen), TY), 12), D));
    /* what drives the results (model/sens.c, runs with drivers): three
     * [S][M][D] arrays kept for the writer, and the rank pass's scratch (3 T
     * doubles, T (value, trial) pairs, each driver's T uint32 ranks and 2 T /
     * 10 uint32 trials of its tails, model/sens.c), freed before the
     * file's last writes but counted with them to stay on the safe side */
    if (sh->n_drivers) {
        const uint64_t out =
            mul_sat(mul_sat(mul_sat(3 * sh->n_scen, sh->n_metrics), sh->n_drivers), D);
        const uint64_t scratch = add_sat(mul_sat(T, 3 * D + 16 + 4 * sh->n_drivers),
                                         mul_sat(sh->n_drivers, 8 * (T / 10)));
        m->results_bytes = add_sat(m->results_bytes, add_sat(out, scratch));
    }
    m->threads_bytes = mul_sat(threads > 0 ? (uint64_t)threads : 1, thread_scratch_bytes);
    /* h5out write_all, in doubles: its buffers for runs of trials
     * (RESULTS_WRITER_BUF, whatever T), one scenario's LOLP [YH], the
     * summary [S x 12], and int32 labels (year Y, three per hour H) at half
     * a double each; and the checkpoint's loss-of-load counts as its last
     * record left them, a block's own, and a record's read back on resume
     * (outputs/ckpt.c: 3 S YH int64).
     * Metric blocks go from the results to the file with no copy. */
    const uint64_t w =
        add_sat(add_sat(add_sat(RESULTS_WRITER_BUF, YH), mul_sat(3 * sh->n_scen, YH)),
                add_sat(mul_sat(sh->n_scen, 12), (Y + 3 * sh->hours + 1) / 2));
    m->writer_bytes = mul_sat(w, D);
    /* HDF5's chunk cache of each per-trial dataset (h5out.c's dset_create):
     * S + 1/2 chunks of at most 64 kB for the metrics, the technology and
     * month flows, 1 + 1/2 for each driver and each group's trial axis */
    const uint64_t half = 32u << 10;
    const uint64_t lead_sets = sh->n_metrics + (sh->n_tech ? 2 : 0) + sh->n_month_q;
    const uint64_t plain_sets =
        sh->n_drivers + 1 + (sh->n_drivers > 0) + (sh->n_tech > 0) + (sh->n_month_q > 0);
    m->writer_bytes =
        add_sat(m->writer_bytes, add_sat(mul_sat(lead_sets, mul_sat(2 * sh->n_scen + 1, half)),
                                         mul_sat(plain_sets, 3 * half)));
    m->base_bytes = RESULTS_BASE_BYTES;
    m->total_bytes = add_sat(add_sat(m->results_bytes, m->threads_bytes),
                             add_sat(m->writer_bytes, m->base_bytes));
}

int results_find_nonfinite(const results_t *r, uint64_t from, uint64_t to,
                           const metric_info_t **what, size_t *scen, uint64_t *trial, size_t *year)
{
    const uint64_t n = (to - from) * r->years;
    for (size_t s = 0; s <= r->n_scen; ++s) /* s == n_scen: the drivers */
        for (size_t m = 0; m < (s < r->n_scen ? r->n_metrics : r->n_drivers); ++m) {
            const double *v =
                s < r->n_scen ? results_at(r, s, m, from) : results_driver_at(r, m, from);
            /* a piece at a time, without a branch per value (all exponent
             * bits set: infinite or NaN), so that the scan is a vector loop;
             * a piece that has one is searched again for the first */
            enum { PIECE = 1024 };
            for (uint64_t i0 = 0; i0 < n; i0 += PIECE) {
                const uint64_t i1 = n - i0 < PIECE ? n : i0 + PIECE;
                /* the exponent plus one in its lowest bit carries into bit 63
                 * only from all ones: and, add, or, which SSE2 has */
                uint64_t bad = 0;
                for (uint64_t i = i0; i < i1; ++i) {
                    uint64_t b;
                    memcpy(&b, &v[i], sizeof b);
                    bad |= (b & 0x7ff0000000000000ULL) + 0x0010000000000000ULL;
                }
                for (uint64_t i = i0; bad >> 63 && i < i1; ++i)
                    if (!isfinite(v[i])) {
                        *what = s < r->n_scen ? &r->metrics[m] : &r->drivers[m];
                        *scen = s < r->n_scen ? s : SIZE_MAX;
                        *trial = from + i / r->years;
                        *year = (size_t)(i % r->years);
                        return 1;
                    }
            }
        }
    return 0;
}
