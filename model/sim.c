/*
 * sim.c - see sim.h.
 *
 * Per trial (adequacy run): every unit's first draws are made at once
 * (spans_fleet_draw: many streams' Philox blocks in vector lanes), then each
 * unit's outage spans are walked from them over the whole horizon, from its
 * own stream; the spans go into the difference array (or become capacity-
 * change events, sorted by hour) and the adequacy kernel fills the trial's
 * rows of shed hours, unserved energy and events and the thread's
 * loss-of-load counters.
 *
 * Heap data a trial touches (all thread-private but the read-only inputs):
 *   scenario load_mw[H], block maxima[H/32], units[U],
 *   the fleet's jobs (spans_fleet_t)                        (read only)
 *   first words and draws, spans (spans_t), the difference
 *   array or events[ev_cap] and sort tmp[ev_cap]            (thread scratch)
 *   lol[Y*H] int64                                          (thread private)
 *   results rows values[s][m][t][0..Y)                      (trial's own)
 * Scratch is sized from the expected outage count with a wide margin; on the
 * rare trial that needs more, it grows (amortised, never shrinks).
 */
#include "sim.h"

#include "../kernels/adequacy.h"
#include "../kernels/outage.h"
#include "../kernels/rng.h"
#include "harness.h"
#include "pakistan.h"
#include "spans.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

const metric_info_t sim_adequacy_metrics[SIM_N_ADEQUACY] = {
    {"shed_hours", "h/yr", "hours with available capacity strictly below load (LOLE)"},
    {"unserved_mwh", "MWh/yr", "energy not served (EUE/EENS)"},
    {"shed_events", "1/yr", "entries into shortfall (LOLF, hour-start sampling)"},
};

/* The adequacy model as the harness sees it: the scenario, its load in the
 * kernels' form, and the run's seed and kernel. */
typedef struct {
    const scenario_t *sc;
    adequacy_load_t load;
    uint32_t seed;
    sim_kernel_t kernel; /* fast only when every capacity sum is exact */
    spans_fleet_t fleet; /* every unit's first draws, made together */
    int direct;          /* fast kernel, spans straight into its array */
} adequacy_model_t;

static const char *const kernel_names[] = {"fast", "ref", "events"};

const char *sim_kernel_name(sim_kernel_t k)
{
    return (size_t)k < sizeof kernel_names / sizeof *kernel_names ? kernel_names[k] : "?";
}

int sim_kernel_parse(const char *name, sim_kernel_t *k)
{
    for (size_t i = 0; i < sizeof kernel_names / sizeof *kernel_names; ++i)
        if (!strcmp(name, kernel_names[i])) {
            *k = (sim_kernel_t)i;
            return 0;
        }
    return -1;
}

/* The difference-array kernel adds an hour's changes in block order as well
 * as hour order: it needs every sum of capacities exact (kernels/adequacy.h).
 * Whole-MW fleets (RBTS, RTS-79, PRAS files) always are. The largest sum is
 * a block's decreases: a unit's spans are disjoint and at least an hour
 * long, so it fails at most ADEQUACY_BLOCK_H times in a block, and the
 * capacity plus every unit's failures stays within (ADEQUACY_BLOCK_H + 1)
 * totals. */
static int capacity_sums_exact(const scenario_t *sc)
{
    double total = fabs(sc->capacity_mw);
    int ok = adequacy_exact_mw(sc->capacity_mw);
    for (size_t u = 0; ok && u < sc->n_units; ++u) {
        ok = adequacy_exact_mw(sc->units[u].capacity_mw);
        total += fabs(sc->units[u].capacity_mw);
    }
    return ok && total * (ADEQUACY_BLOCK_H + 1) < ADEQUACY_EXACT_TOTAL_MW;
}

typedef struct {
    spans_t spans;
    adequacy_diff_t diff; /* the fast kernel's (exact sums only) */
    adequacy_event_t *ev;
    adequacy_event_t *tmp;
    size_t ev_cap;
    int64_t *lol;    /* [Y*H] */
    uint32_t *words; /* [4 x fleet.n_jobs] a trial's first Philox words */
    double *draws;   /* [fleet.off[n_units]] and their exponentials */
    adequacy_year_t yr[SCENARIO_MAX_YEARS];
} workspace_t;

void sim_expected_spans(const scenario_t *sc, double *total, double *max)
{
    const double horizon = (double)sc->hours * sc->horizon_years;
    *total = *max = 0.0;
    for (size_t u = 0; u < sc->n_units; ++u) {
        const double e = outage_expected_spans(sc->units[u].mttf_h, sc->units[u].mttr_h, horizon);
        *total += e;
        *max = e > *max ? e : *max;
    }
}

static int ws_init(void *ws, const void *model)
{
    workspace_t *w = ws;
    const adequacy_model_t *am = model;
    const scenario_t *sc = am->sc;
    memset(w, 0, sizeof *w);
    double expect, expect_max;
    sim_expected_spans(sc, &expect, &expect_max);
    w->ev_cap = (size_t)(4.0 * expect) * 2 + 128;
    const int spans_ok = spans_init(&w->spans, (size_t)(4.0 * expect_max) + 64) == 0;
    w->ev = malloc(w->ev_cap * sizeof *w->ev);
    w->tmp = malloc(w->ev_cap * sizeof *w->tmp);
    w->lol = calloc(sc->hours * sc->horizon_years, sizeof *w->lol);
    const int diff_ok = am->kernel != SIM_KERNEL_FAST ||
                        adequacy_diff_init(&w->diff, sc->hours, sc->horizon_years) == 0;
    w->words = malloc((4 * am->fleet.n_jobs + 1) * sizeof *w->words);
    w->draws = malloc((am->fleet.off[am->fleet.n_units] + 1) * sizeof *w->draws);
    return spans_ok && diff_ok && w->ev && w->tmp && w->lol && w->words && w->draws ? 0 : -1;
}

static void ws_free(void *ws)
{
    workspace_t *w = ws;
    spans_free(&w->spans);
    adequacy_diff_free(&w->diff);
    free(w->ev);
    free(w->tmp);
    free(w->lol);
    free(w->words);
    free(w->draws);
}

static int64_t *ws_lol(void *ws) { return ((workspace_t *)ws)->lol; }

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

/* A run whose units are expected to make more capacity changes than this
 * per year puts every trial's spans straight into the difference array
 * (adequacy_model_t.direct); otherwise each trial builds events, and takes
 * the array when it has more than this many, the sorted events when fewer.
 * Every kernel gives the same bits, so the choice is only a matter of
 * speed. Since the array's pass over the blocks carries the capacity by
 * the blocks' sums (no hour-by-hour walk where no hour can be short) it is
 * ahead of the sort and the segments even on RBTS's 73 changes a year:
 * 838,000 trial-years/s direct against 760,000 with the events (one
 * thread, 2,000,000 trials, three runs each); on the RTS-79's 460, 248,000
 * against 237,000 with the events put into the array. With far fewer
 * changes the pass over a year's 273 blocks would dominate. */
#define DIFF_MIN_EVENTS_PER_YEAR 50

/* Samples every unit's outages for one trial: every unit's first draws
 * together, then each unit's walk, its spans into the difference array
 * (direct) or as events into w->ev, in unit order (not sorted). Returns the
 * number of events (0 when direct), or (size_t)-1 when out of memory. */
static size_t sample_events(const adequacy_model_t *am, uint64_t trial, workspace_t *w)
{
    const scenario_t *sc = am->sc;
    const int32_t horizon = (int32_t)(sc->hours * sc->horizon_years);
    size_t n_ev = 0;
    spans_fleet_draw(&am->fleet, am->seed, trial, w->words, w->draws);
    for (size_t u = 0; u < sc->n_units; ++u) {
        const scen_unit_t *unit = &sc->units[u];
        const size_t n = spans_walk_unit(&w->spans, &am->fleet, u, unit, w->words, w->draws,
                                         am->seed, trial, horizon);
        if (n == (size_t)-1)
            return (size_t)-1;
        const outage_span_t *sp = w->spans.v;
        if (am->direct) {
            for (size_t i = 0; i < n; ++i)
                adequacy_diff_outage(&w->diff, (size_t)sp[i].down_h, (size_t)sp[i].up_h,
                                     unit->capacity_mw);
            continue;
        }
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
    return n_ev;
}

static int adequacy_trial(const void *model, void *ws, results_t *r, uint64_t t)
{
    const adequacy_model_t *am = model;
    const scenario_t *sc = am->sc;
    workspace_t *w = ws;
    const size_t Y = sc->horizon_years;
    const size_t n_ev = sample_events(am, t, w);
    if (n_ev == (size_t)-1)
        return -1;
    if (am->direct)
        adequacy_run_diff(&am->load, sc->capacity_mw, &w->diff, w->yr, w->lol);
    else if (am->kernel == SIM_KERNEL_FAST && n_ev > DIFF_MIN_EVENTS_PER_YEAR * Y) {
        for (size_t i = 0; i < n_ev; ++i) /* unit order: an hour's changes add up as sorted */
            adequacy_diff_add(&w->diff, (size_t)w->ev[i].hour, w->ev[i].delta_mw);
        adequacy_run_diff(&am->load, sc->capacity_mw, &w->diff, w->yr, w->lol);
    } else {
        adequacy_sort_events(w->ev, w->tmp, n_ev);
        (am->kernel == SIM_KERNEL_REF ? adequacy_run_ref : adequacy_run_fast)(
            &am->load, Y, sc->capacity_mw, w->ev, n_ev, w->yr, w->lol);
    }
    double *sh = results_at(r, 0, SIM_M_SHED_HOURS, t);
    double *ue = results_at(r, 0, SIM_M_UNSERVED_MWH, t);
    double *se = results_at(r, 0, SIM_M_SHED_EVENTS, t);
    for (size_t y = 0; y < Y; ++y) {
        sh[y] = w->yr[y].shed_h;
        ue[y] = w->yr[y].unserved_mwh;
        se[y] = w->yr[y].events;
    }
    return 0;
}

/* Cheap trials (RBTS: a few microseconds): chunks of 64 keep scheduling and the
 * progress counter off the profile. */
static const harness_model_t adequacy_harness = {
    .ws_size = sizeof(workspace_t),
    .chunk = SIM_CHUNK_ADEQUACY,
    .ws_init = ws_init,
    .ws_free = ws_free,
    .trial = adequacy_trial,
    .lol = ws_lol,
    .ws_merge = NULL,
};

static int adequacy_run(const scenario_t *sc, const sim_opts_t *opts, results_t **out,
                        gr_err_t *err)
{
    assert(sc->horizon_years <= SCENARIO_MAX_YEARS);
    const char *const names[] = {"baseline"};
    results_t *r = results_new(harness_rows(adequacy_harness.chunk, opts), sc->horizon_years,
                               sc->hours, 1, names, SIM_N_ADEQUACY, sim_adequacy_metrics, 0, NULL);
    if (!r)
        return harness_agree(gr_err_set(err, GR_ERUNTIME, "out of memory for %llu trials",
                                        (unsigned long long)opts->trials),
                             err);
    harness_stream(r, opts);
    adequacy_model_t am = {.sc = sc, .seed = opts->seed, .kernel = opts->kernel};
    if (am.kernel == SIM_KERNEL_FAST && !capacity_sums_exact(sc))
        am.kernel = SIM_KERNEL_EVENTS; /* the same results, in event order */
    double changes = 0.0;              /* a year's expected capacity changes */
    for (size_t u = 0; u < sc->n_units; ++u)
        changes +=
            outage_expected_changes(sc->units[u].mttf_h, sc->units[u].mttr_h, (double)sc->hours);
    am.direct = am.kernel == SIM_KERNEL_FAST && changes > DIFF_MIN_EVENTS_PER_YEAR;
    if (adequacy_load_init(&am.load, sc->load_mw, sc->hours)) {
        results_free(r);
        return harness_agree(gr_err_set(err, GR_ERUNTIME, "out of memory"), err);
    }
    int rc = spans_fleet_init(&am.fleet, sc->units, sc->n_units,
                              (int32_t)(sc->hours * sc->horizon_years))
                 ? gr_err_set(err, GR_ERUNTIME, "out of memory")
                 : GR_OK;
    rc = harness_agree(rc, err);
    if (!rc)
        rc = harness_run(&adequacy_harness, &am, NULL, opts, r, err);
    spans_fleet_free(&am.fleet);
    adequacy_load_free(&am.load);
    if (rc) {
        results_free(r);
        return rc;
    }
    *out = r;
    return GR_OK;
}

int sim_run(const scenario_t *sc, const sim_opts_t *opts, results_t **out, gr_err_t *err)
{
    *out = NULL;
    if (opts->trials < 1)
        return gr_err_set(err, GR_EINPUT, "trials must be >= 1");
    /* the model is chosen by the scenario: an econ section makes it economic */
    if (sc->econ)
        return pk_run(sc, opts, out, NULL, err);
    return adequacy_run(sc, opts, out, err);
}
