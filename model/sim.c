/*
 * sim.c - see sim.h.
 *
 * Per trial (adequacy run): each unit's outage spans are sampled from its
 * own stream over the whole horizon, turned into capacity-change events,
 * sorted by hour, and handed to the adequacy kernel, which fills the trial's
 * rows of shed hours, unserved energy and events and the thread's
 * loss-of-load counters.
 *
 * Heap data a trial touches (all thread-private but the read-only inputs):
 *   scenario load_mw[H], block maxima[H/32], units[U]      (read only)
 *   spans (spans_t), events[ev_cap], sort tmp[ev_cap]      (thread scratch)
 *   lol[Y*H] int64                                          (thread private)
 *   results rows values[s][m][t][0..Y)                      (trial's own)
 * Scratch is sized from the expected outage count with a wide margin; on the
 * rare trial that needs more, it grows (amortised, never shrinks).
 */
#include "sim.h"

#include "../kernels/adequacy.h"
#include "../kernels/outage.h"
#include "../kernels/rng.h"
#include "pakistan.h"
#include "spans.h"

#include <assert.h>
#include <omp.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const metric_info_t sim_adequacy_metrics[SIM_N_ADEQUACY] = {
    {"shed_hours", "h/yr", "hours with available capacity strictly below load (LOLE)"},
    {"unserved_mwh", "MWh/yr", "energy not served (EUE/EENS)"},
    {"shed_events", "1/yr", "entries into shortfall (LOLF, hour-start sampling)"},
};

typedef struct {
    spans_t spans;
    adequacy_event_t *ev;
    adequacy_event_t *tmp;
    size_t ev_cap;
    int64_t *lol; /* [Y*H] */
    int failed;   /* out of memory while growing */
} workspace_t;

static int ws_init(workspace_t *w, const scenario_t *sc)
{
    memset(w, 0, sizeof *w);
    const double horizon = (double)sc->hours * sc->horizon_years;
    double expect = 0.0, expect_max = 0.0;
    for (size_t u = 0; u < sc->n_units; ++u) {
        const double e = outage_expected_spans(sc->units[u].mttf_h, sc->units[u].mttr_h, horizon);
        expect += e;
        expect_max = e > expect_max ? e : expect_max;
    }
    w->ev_cap = (size_t)(4.0 * expect) * 2 + 128;
    const int spans_ok = spans_init(&w->spans, (size_t)(4.0 * expect_max) + 64) == 0;
    w->ev = malloc(w->ev_cap * sizeof *w->ev);
    w->tmp = malloc(w->ev_cap * sizeof *w->tmp);
    w->lol = calloc(sc->hours * sc->horizon_years, sizeof *w->lol);
    return spans_ok && w->ev && w->tmp && w->lol ? 0 : -1;
}

static void ws_free(workspace_t *w)
{
    spans_free(&w->spans);
    free(w->ev);
    free(w->tmp);
    free(w->lol);
}

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
    size_t c = *cap;
    while (c < need)
        c *= 2;
    void *np = realloc(*p, c * elem);
    if (!np)
        return -1;
    *p = np;
    *cap = c;
    return 0;
}

/* Samples every unit's outages for one trial into w->ev (sorted). Returns
 * the number of events, or (size_t)-1 when out of memory. */
static size_t sample_events(const scenario_t *sc, uint32_t seed, uint64_t trial, workspace_t *w)
{
    const int32_t horizon = (int32_t)(sc->hours * sc->horizon_years);
    size_t n_ev = 0;
    for (size_t u = 0; u < sc->n_units; ++u) {
        const scen_unit_t *unit = &sc->units[u];
        const size_t n = spans_sample_unit(&w->spans, unit, seed, trial, horizon);
        if (n == (size_t)-1)
            return (size_t)-1;
        const outage_span_t *sp = w->spans.v;
        if (n_ev + 2 * n > w->ev_cap) {
            size_t cap2 = w->ev_cap;
            if (grow((void **)&w->ev, &w->ev_cap, n_ev + 2 * n, sizeof *w->ev) ||
                grow((void **)&w->tmp, &cap2, w->ev_cap, sizeof *w->tmp))
                return (size_t)-1;
        }
        for (size_t i = 0; i < n; ++i) {
            w->ev[n_ev++] = (adequacy_event_t){sp[i].down_h, -unit->capacity_mw};
            if (sp[i].up_h < horizon)
                w->ev[n_ev++] = (adequacy_event_t){sp[i].up_h, unit->capacity_mw};
        }
    }
    adequacy_sort_events(w->ev, w->tmp, n_ev);
    return n_ev;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int sim_run(const scenario_t *sc, const sim_opts_t *opts, results_t **out, gr_err_t *err)
{
    *out = NULL;
    if (opts->trials < 1)
        return gr_err_set(err, GR_EINPUT, "trials must be >= 1");
    if (sc->econ)
        return pk_run(sc, opts, out, NULL, err);
    assert(sc->horizon_years <= SCENARIO_MAX_YEARS);
    const double t0 = now_s();
    const char *const names[] = {"baseline"};
    results_t *r = results_new(opts->trials, sc->horizon_years, sc->hours, 1, names, SIM_N_ADEQUACY,
                               sim_adequacy_metrics, 0, NULL);
    if (!r)
        return gr_err_set(err, GR_ERUNTIME, "out of memory for %llu trials",
                          (unsigned long long)opts->trials);
    adequacy_load_t load;
    if (adequacy_load_init(&load, sc->load_mw, sc->hours)) {
        results_free(r);
        return gr_err_set(err, GR_ERUNTIME, "out of memory");
    }
    if (!getenv("OMP_SCHEDULE"))
        omp_set_schedule(omp_sched_dynamic, 64);
    const int nthreads = opts->threads > 0 ? opts->threads : omp_get_max_threads();
    const size_t Y = sc->horizon_years, H = sc->hours;
    const uint64_t T = opts->trials;
    atomic_uint_fast64_t done = 0;
    int failed = 0;
    int used_threads = 1;

#pragma omp parallel num_threads(nthreads) reduction(| : failed)
    {
        workspace_t w;
        int ok = ws_init(&w, sc) == 0;
#pragma omp single
        used_threads = omp_get_num_threads();
        adequacy_year_t yr[SCENARIO_MAX_YEARS];
        double last = now_s();
        uint64_t mine = 0;
#pragma omp for schedule(runtime)
        for (uint64_t t = 0; t < T; ++t) {
            if (!ok)
                continue;
            const size_t n_ev = sample_events(sc, opts->seed, t, &w);
            if (n_ev == (size_t)-1) {
                ok = 0;
                continue;
            }
            if (opts->kernel == SIM_KERNEL_REF)
                adequacy_run_ref(&load, Y, sc->capacity_mw, w.ev, n_ev, yr, w.lol);
            else
                adequacy_run_fast(&load, Y, sc->capacity_mw, w.ev, n_ev, yr, w.lol);
            double *sh = results_at(r, 0, SIM_M_SHED_HOURS, t);
            double *ue = results_at(r, 0, SIM_M_UNSERVED_MWH, t);
            double *se = results_at(r, 0, SIM_M_SHED_EVENTS, t);
            for (size_t y = 0; y < Y; ++y) {
                sh[y] = yr[y].shed_h;
                ue[y] = yr[y].unserved_mwh;
                se[y] = yr[y].events;
            }
            /* progress: one shared add per 64 trials, not per trial, so the
             * counter's cache line does not bounce between cores */
            if (++mine == 64) {
                const uint64_t d =
                    atomic_fetch_add_explicit(&done, mine, memory_order_relaxed) + mine;
                mine = 0;
                if (opts->progress && omp_get_thread_num() == 0 && now_s() - last > 0.2) {
                    opts->progress(opts->progress_ctx, d, T);
                    last = now_s();
                }
            }
        }
        failed |= !ok;
        /* Integer sums: the total is the same in any order. */
#pragma omp critical(gr_lol_sum)
        for (size_t i = 0; ok && i < Y * H; ++i)
            r->lol_count[i] += w.lol[i];
        ws_free(&w);
    }
    adequacy_load_free(&load);
    if (failed) {
        results_free(r);
        return gr_err_set(err, GR_ERUNTIME, "out of memory in a worker thread");
    }
    if (opts->progress)
        opts->progress(opts->progress_ctx, T, T);
    r->seed = opts->seed;
    r->threads = used_threads;
    r->ranks = 1;
    r->wall_s = now_s() - t0;
    *out = r;
    return GR_OK;
}
