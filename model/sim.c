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
 * Whole-MW fleets (RBTS, RTS-79, PRAS files) always are. */
static int capacity_sums_exact(const scenario_t *sc)
{
    double total = fabs(sc->capacity_mw);
    int ok = adequacy_exact_mw(sc->capacity_mw);
    for (size_t u = 0; ok && u < sc->n_units; ++u) {
        ok = adequacy_exact_mw(sc->units[u].capacity_mw);
        total += fabs(sc->units[u].capacity_mw);
    }
    return ok && total < ADEQUACY_EXACT_TOTAL_MW;
}

typedef struct {
    spans_t spans;
    adequacy_diff_t diff; /* the fast kernel's (exact sums only) */
    adequacy_event_t *ev;
    adequacy_event_t *tmp;
    size_t ev_cap;
    int64_t *lol; /* [Y*H] */
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
    const scenario_t *sc = ((const adequacy_model_t *)model)->sc;
    memset(w, 0, sizeof *w);
    double expect, expect_max;
    sim_expected_spans(sc, &expect, &expect_max);
    w->ev_cap = (size_t)(4.0 * expect) * 2 + 128;
    const int spans_ok = spans_init(&w->spans, (size_t)(4.0 * expect_max) + 64) == 0;
    w->ev = malloc(w->ev_cap * sizeof *w->ev);
    w->tmp = malloc(w->ev_cap * sizeof *w->tmp);
    w->lol = calloc(sc->hours * sc->horizon_years, sizeof *w->lol);
    const int diff_ok = ((const adequacy_model_t *)model)->kernel != SIM_KERNEL_FAST ||
                        adequacy_diff_init(&w->diff, sc->hours, sc->horizon_years) == 0;
    return spans_ok && diff_ok && w->ev && w->tmp && w->lol ? 0 : -1;
}

static void ws_free(void *ws)
{
    workspace_t *w = ws;
    spans_free(&w->spans);
    adequacy_diff_free(&w->diff);
    free(w->ev);
    free(w->tmp);
    free(w->lol);
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

/* Samples every unit's outages for one trial into w->ev, in unit order (not
 * sorted). Returns the number of events, or (size_t)-1 when out of memory. */
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
    return n_ev;
}

/* A trial with more capacity changes than this per year takes the
 * difference array; fewer, the sorted events. On RBTS's events (about 73 a
 * year) the array's walk is 7x slower than the sorted segments (bench:
 * adequacy diff against fast, 877k against 6.0M trial-years/s), more than
 * their sort costs; on the RTS-79's (about 460) the array was 2.1x faster
 * end to end with the merge sort, and the two are level since the sort
 * became a radix sort (rts79 1_thread against events_1_thread, 128k and
 * 124k trial-years/s, the array still ahead in every run), so the switch
 * stays where it was. Both give the same bits, so the choice is only a
 * matter of speed. */
#define DIFF_MIN_EVENTS_PER_YEAR 200

static int adequacy_trial(const void *model, void *ws, results_t *r, uint64_t t)
{
    const adequacy_model_t *am = model;
    const scenario_t *sc = am->sc;
    workspace_t *w = ws;
    const size_t Y = sc->horizon_years;
    const size_t n_ev = sample_events(sc, am->seed, t, w);
    if (n_ev == (size_t)-1)
        return -1;
    if (am->kernel == SIM_KERNEL_FAST && n_ev > DIFF_MIN_EVENTS_PER_YEAR * Y) {
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
    if (adequacy_load_init(&am.load, sc->load_mw, sc->hours)) {
        results_free(r);
        return harness_agree(gr_err_set(err, GR_ERUNTIME, "out of memory"), err);
    }
    int rc = harness_agree(GR_OK, err);
    if (!rc)
        rc = harness_run(&adequacy_harness, &am, NULL, opts, r, err);
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
