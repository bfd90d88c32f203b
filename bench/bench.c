/*
 * bench.c - the kernel benchmark suite (in the spirit of XSBench).
 *
 * Each kernel runs alone on fixed inputs, `-r` times (5 by default). After
 * each run, outside the timed region, a checksum of what it computed is
 * taken (FNV-1a over the results' bytes). A row reports the median time and
 * the spread (min, max), the rate in the kernel's natural unit, the
 * checksum, and whether the variant reproduces its reference (the same
 * checksum; for hydro, whose two solvers agree to a tolerance and not to the
 * bit, every hour within 1e-6 of the month's budget). A checksum that changes
 * between repeats, a variant that differs from its reference or a reference
 * that is not there fails the run (exit 1).
 *
 * Bounds: the first rows measure what this machine does for the parts every
 * kernel is made of (a random word, an exponential, a pass over data in
 * cache and from memory, a copy); each later row's bound is the least time
 * those parts allow for its work (e.g. outage sampling cannot beat its random
 * words), and `distance` is bound / median (1 = at the bound).
 *
 *   gridrisk-bench [-r REPEATS] [-n TRIALS] [-m PK_TRIALS] [-q] [--csv FILE]
 *
 * -q (quick): small inputs and 2 repeats, for tests/check_bench.py.
 * --csv FILE: the rows (columns in bench/README.md); an existing FILE is
 * kept and FILE-2.csv (-3, ...) written instead.
 */
#include "../inputs/pras.h"
#include "../inputs/scenario.h"
#include "../kernels/adequacy.h"
#include "../kernels/dispatch.h"
#include "../kernels/mcf.h"
#include "../kernels/outage.h"
#include "../kernels/rng.h"
#include "../kernels/stats.h"
#include "../kernels/zrun.h"
#include "../model/net.h"
#include "../model/netsim.h"
#include "../model/pakistan.h"
#include "../model/sim.h"
#include "../model/spans.h"
#include "../outputs/h5out.h"
#include "gitrev.h"

#include <errno.h>
#include <gnu/libc-version.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <gsl/gsl_version.h>
#include <hdf5.h>
#include <hdf5_hl.h>
#include <libdeflate.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Order-sensitive checksum of bytes (FNV-1a). */
static uint64_t fnv(const void *p, size_t bytes, uint64_t h)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < bytes; ++i)
        h = (h ^ b[i]) * 1099511628211ULL;
    return h;
}

#define FNV0 1469598103934665603ULL
#define MAX_ROWS 64

typedef struct {
    char kernel[32], variant[32], reference[32];
    const char *unit; /* of rate: "ns/word", "trial-years/s", "MB/s", ... */
    int per_item;     /* 1: rate is ns per item (lower is better); 0: items per second */
    double work;      /* items per run */
    int threads;      /* as the run reports them (end to end), else 1 */
    double median_s, min_s, max_s;
    uint64_t checksum;
    int verified;   /* -1: no reference; 1: reproduces it; 0: does not */
    double bound_s; /* least time the measured parts allow; 0: none stated */
    const char *bound_from;
} row_t;

typedef struct {
    int repeats;
    size_t n;
    row_t rows[MAX_ROWS];
    int bad;
} suite_t;

/* A kernel: run is timed; sum, after it, checksums what run computed. */
typedef struct {
    void (*run)(void *ctx);
    uint64_t (*sum)(void *ctx);
} kernel_t;

static double rate_of(const row_t *r, double s)
{
    return r->per_item ? s * 1e9 / r->work : r->work / s;
}

static int cmp_double(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* A new row of the suite (measure, measure_pair). */
static row_t *row_new(suite_t *s, const char *kernel, const char *variant, const char *reference,
                      const char *unit, int per_item, double work)
{
    if (s->n == MAX_ROWS) {
        fprintf(stderr, "gridrisk-bench: more than %d rows\n", MAX_ROWS);
        exit(1);
    }
    row_t *r = &s->rows[s->n++];
    *r = (row_t){.unit = unit,
                 .per_item = per_item,
                 .work = work,
                 .threads = 1,
                 .verified = -1,
                 .bound_from = ""};
    snprintf(r->kernel, sizeof r->kernel, "%s", kernel);
    snprintf(r->variant, sizeof r->variant, "%s", variant);
    snprintf(r->reference, sizeof r->reference, "%s", reference ? reference : "");
    return r;
}

/* Repeat i of row r: k timed once into t[i], its checksum the same as the
 * repeats' before. */
static void row_repeat(suite_t *s, row_t *r, kernel_t k, void *ctx, int i, double *t)
{
    const double t0 = now_s();
    k.run(ctx);
    t[i] = now_s() - t0;
    const uint64_t ck = k.sum(ctx);
    if (i && ck != r->checksum) {
        printf("NOT REPRODUCIBLE: %s/%s gave checksum %016llx, then %016llx\n", r->kernel,
               r->variant, (unsigned long long)r->checksum, (unsigned long long)ck);
        s->bad = 1;
    }
    r->checksum = ck;
}

/* Row r from its n times: median, min, max; its checksum against its
 * reference's (exact). */
static void row_end(suite_t *s, row_t *r, double *t, int n, int exact)
{
    qsort(t, (size_t)n, sizeof *t, cmp_double);
    r->median_s = n % 2 ? t[n / 2] : 0.5 * (t[n / 2 - 1] + t[n / 2]);
    r->min_s = t[0];
    r->max_s = t[n - 1];
    if (*r->reference && exact) {
        const row_t *ref = NULL;
        for (size_t i = 0; s->rows + i < r; ++i)
            if (!strcmp(s->rows[i].kernel, r->kernel) && !strcmp(s->rows[i].variant, r->reference))
                ref = &s->rows[i];
        r->verified = ref && ref->checksum == r->checksum;
        if (!r->verified) {
            printf("CHECKSUM MISMATCH: %s/%s differs from %s%s\n", r->kernel, r->variant,
                   r->reference, ref ? "" : " (no such variant)");
            s->bad = 1;
        }
    }
}

static int repeats_of(const suite_t *s) { return s->repeats < 64 ? s->repeats : 64; }

/* Times kernel k on ctx s->repeats times as the row (kernel, variant): the
 * median, min and max, and its checksum, which must be the same every
 * repeat and, when exact and a reference is named, equal the reference
 * row's; without exact the caller sets verified (a comparison within a
 * tolerance). */
static row_t *measure(suite_t *s, const char *kernel, const char *variant, const char *reference,
                      int exact, const char *unit, int per_item, double work, kernel_t k, void *ctx)
{
    row_t *r = row_new(s, kernel, variant, reference, unit, per_item, work);
    double t[64];
    const int n = repeats_of(s);
    for (int i = 0; i < n; ++i)
        row_repeat(s, r, k, ctx, i, t);
    row_end(s, r, t, n, exact);
    return r;
}

static void bound(row_t *r, double s, const char *from)
{
    r->bound_s = s;
    r->bound_from = from;
}

static void *xmalloc(size_t bytes)
{
    void *p = malloc(bytes ? bytes : 1);
    if (!p) {
        fprintf(stderr, "gridrisk-bench: out of memory\n");
        exit(1);
    }
    return p;
}

/* --- the parts: what the hardware does -------------------------------- */

enum { STREAM_DRAWS = 4096 };

typedef struct {
    size_t n;
    int exponential; /* 0: 32-bit words; 1: exponentials of mean 1, one at a time;
                        2: the same in batches of 16 (rng_exponentials); 3: with libm's log */
    int many;        /* 1: the words (exponential 0) or exponentials (1) of rng_philox_many
                        and rng_neglog_words on path isa, a stream's blocks as its jobs */
    rng_isa_t isa;
    uint32_t *key1, *w; /* [STREAM_DRAWS / 2] jobs' streams, [2 STREAM_DRAWS] words */
    uint64_t *blk;      /* [STREAM_DRAWS / 2] their blocks */
    double *e;          /* [STREAM_DRAWS] */
    uint32_t x;
    double total;
} draws_t;

/* draws_t.many: the same numbers from one stream's blocks made as jobs of
 * rng_philox_many (the words, then their exponentials) */
static void draws_many(draws_t *d, uint64_t i, uint32_t *x, double *total)
{
    const size_t m = d->n - i < STREAM_DRAWS ? d->n - i : STREAM_DRAWS;
    /* local sums: through the pointers every step would wait for the last
     * one's store (they may alias the buffers) */
    if (!d->exponential) {
        rng_philox_many_isa(d->isa, 1, i, (m + 3) / 4, d->key1, d->blk, d->w);
        uint32_t v = *x;
        for (size_t k = 0; k < m; ++k)
            v ^= d->w[k] + (uint32_t)k;
        *x = v;
        return;
    }
    rng_philox_many_isa(d->isa, 1, i, (m + 1) / 2, d->key1, d->blk, d->w);
    rng_neglog_words_isa(d->isa, d->w, m, d->e);
    double sum = *total;
    for (size_t k = 0; k < m; ++k)
        sum += d->e[k];
    *total = sum;
}

/* n draws from streams of 4,096 (a unit's outage times are a few per trial). */
static void k_draws(void *ctx)
{
    draws_t *d = ctx;
    uint32_t x = 0;
    double total = 0.0;
    for (size_t i = 0; i < d->n; i += STREAM_DRAWS) {
        if (d->many) {
            draws_many(d, i, &x, &total);
            continue;
        }
        rng_stream_t rs;
        rng_init(&rs, 1, 7, i);
        if (d->exponential == 2) {
            double e[16];
            for (size_t k = 0; k < STREAM_DRAWS && i + k < d->n; k += 16) {
                const size_t m = d->n - i - k < 16 ? d->n - i - k : 16;
                rng_exponentials(&rs, e, m);
                for (size_t j = 0; j < m; ++j)
                    total += e[j];
            }
            continue;
        }
        for (size_t k = 0; k < STREAM_DRAWS && i + k < d->n; ++k) {
            if (d->exponential == 1)
                total += rng_exponential(&rs, 1.0);
            else if (d->exponential == 3)
                total -= log(rng_uniform(&rs));
            else
                x ^= rng_u32(&rs) + (uint32_t)k;
        }
    }
    d->x = x;
    d->total = total;
}

static uint64_t s_draws(void *ctx)
{
    const draws_t *d = ctx;
    return d->exponential ? fnv(&d->total, sizeof d->total, FNV0) : fnv(&d->x, sizeof d->x, FNV0);
}

typedef struct {
    const double *x;
    size_t n, passes;
    double total;
} pass_t;

/* passes x sequential sums of x[0..n): in cache when n is small. */
static void k_pass(void *ctx)
{
    pass_t *p = ctx;
    double s[4] = {0, 0, 0, 0};
    for (size_t k = 0; k < p->passes; ++k)
        for (size_t i = 0; i + 3 < p->n; i += 4) {
            s[0] += p->x[i];
            s[1] += p->x[i + 1];
            s[2] += p->x[i + 2];
            s[3] += p->x[i + 3];
        }
    p->total = (s[0] + s[1]) + (s[2] + s[3]);
}

static uint64_t s_pass(void *ctx)
{
    const pass_t *p = ctx;
    return fnv(&p->total, sizeof p->total, FNV0);
}

typedef struct {
    double *dst;
    const double *src;
    size_t n;
} copy_t;

static void k_copy(void *ctx)
{
    const copy_t *c = ctx;
    memcpy(c->dst, c->src, c->n * sizeof *c->src);
}

static uint64_t s_copy(void *ctx)
{
    const copy_t *c = ctx;
    return fnv(c->dst, c->n * sizeof *c->dst, FNV0);
}

/* --- outages, events, adequacy (RBTS) ---------------------------------- */

enum { MAX_SPANS = 4096 }; /* per unit and trial; RBTS units have a few */

/* model/sim.c's sample_events for every trial at once: each unit's outage
 * spans from its stream, as capacity events, sorted per trial. */
typedef struct {
    const scenario_t *sc;
    uint64_t trials;
    int32_t horizon;
    outage_span_t *sp; /* [cap_spans] every span of every trial (sample) */
    adequacy_event_t *ev, *tmp;
    size_t *first, cap_spans, cap, n_ev, n_spans;
    uint64_t words; /* random words the sampling drew */
    int build;      /* 1: build and sort the events; 0: only sample the outages */
    int libm_walk;  /* 1: the draw-by-draw walk with libm's log (walk_libm) */
    int unsorted;   /* 1: build the events in unit order, without the sort */
    /* non-NULL: the fleet's first draws together, then each unit's walk
     * (model/sim.c's way), with these buffers */
    const spans_fleet_t *fleet;
    uint32_t *fleet_w;
    double *fleet_e;
    spans_t fleet_spans;
    uint64_t words_before_fleet;
} events_t;

/* outage_sample as it was before its draws came in batches: one uniform,
 * one libm log, one step of the walk at a time. The baseline of the
 * outage rows. Its spans could differ only where libm's log and rng_neglog
 * differ in the last bit at an hour's boundary; on the bench's trials they
 * are the same, and the checksums must say so. */
static size_t walk_libm(rng_stream_t *s, double mttf_h, double mttr_h, int32_t horizon_h,
                        outage_span_t *restrict spans, size_t cap)
{
    if (!(mttr_h > 0.0) || !isfinite(mttf_h) || !(mttf_h >= 0.0))
        return 0;
    const double horizon = (double)horizon_h;
    size_t n = 0;
    double t = 0.0, down_start = 0.0;
    int up = rng_uniform(s) < mttf_h / (mttf_h + mttr_h);
    for (;;) {
        t += -(up ? mttf_h : mttr_h) * log(rng_uniform(s));
        if (up) {
            if (t >= horizon)
                break;
            down_start = t;
        } else {
            const double h0 = ceil(down_start), h1 = ceil(t < horizon ? t : horizon);
            if (h1 > h0) {
                if (n < cap)
                    spans[n] = (outage_span_t){(int32_t)h0, (int32_t)h1};
                ++n;
            }
            if (t >= horizon)
                break;
        }
        up = !up;
    }
    return n;
}

static void k_outages(void *ctx)
{
    events_t *e = ctx;
    outage_span_t spans[MAX_SPANS];
    size_t n_all = 0, n_spans = 0;
    uint64_t words = 0;
    for (uint64_t t = 0; t < e->trials; ++t) {
        e->first[t] = n_all;
        if (e->fleet)
            spans_fleet_draw(e->fleet, 1, t, e->fleet_w, e->fleet_e);
        for (size_t u = 0; u < e->sc->n_units; ++u) {
            const scen_unit_t *un = &e->sc->units[u];
            rng_stream_t rs;
            rng_init(&rs, 1, un->stream, t);
            size_t n;
            if (e->fleet) {
                n = spans_walk_unit(&e->fleet_spans, e->fleet, u, un, e->fleet_w, e->fleet_e, 1, t,
                                    e->horizon);
                if (n <= MAX_SPANS)
                    memcpy(spans, e->fleet_spans.v, n * sizeof *spans);
            } else
                n = (e->libm_walk ? walk_libm : outage_sample)(&rs, un->mttf_h, un->mttr_h,
                                                               e->horizon, spans, MAX_SPANS);
            if (n > MAX_SPANS || (e->sp && n_spans + n > e->cap_spans) ||
                (e->build && n_all + 2 * n > e->cap)) {
                fprintf(stderr, "gridrisk-bench: more outages than room for them\n");
                exit(1);
            }
            words += rng_words_drawn(&rs);
            if (!e->build) {
                if (e->sp) /* NULL: only count */
                    memcpy(e->sp + n_spans, spans, n * sizeof *spans);
                n_spans += n;
                continue;
            }
            n_spans += n;
            for (size_t i = 0; i < n; ++i) {
                e->ev[n_all++] = (adequacy_event_t){spans[i].down_h, -un->capacity_mw};
                if (spans[i].up_h < e->horizon)
                    e->ev[n_all++] = (adequacy_event_t){spans[i].up_h, un->capacity_mw};
            }
        }
        if (e->build && !e->unsorted)
            adequacy_sort_events(e->ev + e->first[t], e->tmp, n_all - e->first[t]);
    }
    e->first[e->trials] = n_all;
    e->n_ev = n_all;
    e->n_spans = n_spans;
    e->words = words;
}

/* e's fleet mode on f (laid out here); fleet_end frees it. */
static void fleet_begin(events_t *e, spans_fleet_t *f)
{
    if (spans_fleet_init(f, e->sc->units, e->sc->n_units, e->horizon) ||
        spans_init(&e->fleet_spans, MAX_SPANS)) {
        fprintf(stderr, "gridrisk-bench: out of memory\n");
        exit(1);
    }
    e->fleet = f;
    e->words_before_fleet = e->words; /* the fleet rows count no words */
    e->fleet_w = xmalloc(4 * f->n_jobs * sizeof *e->fleet_w + 1);
    e->fleet_e = xmalloc((f->off[f->n_units] + 1) * sizeof *e->fleet_e);
}

static void fleet_end(events_t *e, spans_fleet_t *f)
{
    spans_free(&e->fleet_spans);
    free(e->fleet_w);
    free(e->fleet_e);
    spans_fleet_free(f);
    e->fleet = NULL;
    e->words = e->words_before_fleet;
}

/* h folded with every event's hour and change (the fields, not the padding). */
static uint64_t fnv_events(const adequacy_event_t *ev, size_t n, uint64_t h)
{
    for (size_t i = 0; i < n; ++i) {
        h = fnv(&ev[i].hour, sizeof ev[i].hour, h);
        h = fnv(&ev[i].delta_mw, sizeof ev[i].delta_mw, h);
    }
    return h;
}

static uint64_t s_outages(void *ctx)
{
    const events_t *e = ctx;
    uint64_t h = FNV0;
    for (size_t i = 0; !e->build && i < e->n_spans; ++i) {
        h = fnv(&e->sp[i].down_h, sizeof e->sp[i].down_h, h);
        h = fnv(&e->sp[i].up_h, sizeof e->sp[i].up_h, h);
    }
    return e->build ? fnv_events(e->ev, e->n_ev, h) : h;
}

typedef struct {
    const events_t *e;
    const adequacy_load_t *load;
    size_t years;
    adequacy_year_t *yr; /* [trials][years] */
    int64_t *lol;        /* [years][hours] */
    int fast;            /* 0 ref, 1 fast (sorted events), 2 diff */
    adequacy_diff_t diff;
} adequacy_t;

static void k_adequacy(void *ctx)
{
    adequacy_t *a = ctx;
    const events_t *e = a->e;
    memset(a->lol, 0, a->years * a->load->hours * sizeof *a->lol);
    for (uint64_t t = 0; t < e->trials; ++t) {
        const adequacy_event_t *x = e->ev + e->first[t];
        const size_t n = e->first[t + 1] - e->first[t];
        if (a->fast == 2) { /* the changes into the difference array, then its walk */
            for (size_t i = 0; i < n; ++i)
                adequacy_diff_add(&a->diff, (size_t)x[i].hour, x[i].delta_mw);
            adequacy_run_diff(a->load, e->sc->capacity_mw, &a->diff, a->yr + t * a->years, a->lol);
        } else {
            (a->fast ? adequacy_run_fast : adequacy_run_ref)(a->load, a->years, e->sc->capacity_mw,
                                                             x, n, a->yr + t * a->years, a->lol);
        }
    }
}

static uint64_t s_adequacy(void *ctx)
{
    const adequacy_t *a = ctx;
    const uint64_t h = fnv(a->yr, a->e->trials * a->years * sizeof *a->yr, FNV0);
    return fnv(a->lol, a->years * a->load->hours * sizeof *a->lol, h);
}

typedef struct {
    const events_t *e;
    double total;
} event_pass_t;

/* The sort rows: every trial's events, in unit order as sample_events
 * builds them, copied and sorted by hour. The copy is in both variants. */
typedef struct {
    const events_t *e;
    const adequacy_event_t *in; /* [e->n_ev] unsorted */
    adequacy_event_t *out, *tmp;
    int merge; /* 1: the merge sort adequacy_sort_events was before (sort_merge) */
} sort_t;

/* adequacy_sort_events as it was before its radix sort: insertion sort of
 * runs of 16, then bottom-up merges. The baseline of the sort rows. */
static void sort_merge(adequacy_event_t *ev, adequacy_event_t *tmp, size_t n)
{
    enum { RUN = 16 };
    for (size_t lo = 0; lo < n; lo += RUN) {
        const size_t hi = lo + RUN < n ? lo + RUN : n;
        for (size_t i = lo + 1; i < hi; ++i) {
            const adequacy_event_t x = ev[i];
            size_t j = i;
            for (; j > lo && ev[j - 1].hour > x.hour; --j)
                ev[j] = ev[j - 1];
            ev[j] = x;
        }
    }
    adequacy_event_t *src = ev, *dst = tmp;
    for (size_t w = RUN; w < n; w *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * w) {
            const size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                dst[k++] = src[j].hour < src[i].hour ? src[j++] : src[i++];
            while (i < mid)
                dst[k++] = src[i++];
            while (j < hi)
                dst[k++] = src[j++];
        }
        adequacy_event_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != ev)
        memcpy(ev, src, n * sizeof *ev);
}

static void k_sort(void *ctx)
{
    sort_t *q = ctx;
    memcpy(q->out, q->in, q->e->n_ev * sizeof *q->out);
    for (uint64_t t = 0; t < q->e->trials; ++t) {
        const size_t a = q->e->first[t], n = q->e->first[t + 1] - a;
        (q->merge ? sort_merge : adequacy_sort_events)(q->out + a, q->tmp, n);
    }
}

static uint64_t s_sort(void *ctx)
{
    const sort_t *q = ctx;
    return fnv_events(q->out, q->e->n_ev, FNV0);
}

/* The least loop work per event: one pass over the events, summing deltas. */
static void k_event_pass(void *ctx)
{
    event_pass_t *p = ctx;
    double s = 0.0;
    for (size_t i = 0; i < p->e->n_ev; ++i)
        s += p->e->ev[i].delta_mw;
    p->total = s;
}

static uint64_t s_event_pass(void *ctx)
{
    const event_pass_t *p = ctx;
    return fnv(&p->total, sizeof p->total, FNV0);
}

/* --- the hourly balance's parts (Pakistan's dispatch, the network) ---- */

/* Inputs made before the timing: `hours` hours of random needs, availability
 * and costs of n classes (merit), two regions' supplies, corridor and loads
 * (two_region). Each hour's own data, so nothing is hoisted out of the loop. */
enum { MERIT_CLASSES = 12 };
typedef struct {
    size_t hours;
    double *need, *avail, *mc; /* [hours], [hours][classes] x 2 */
    int *order;                /* [hours][classes] */
    double *sup, *imp;         /* [hours][2] */
    dispatch_loads2_t *load;   /* [hours] */
    double total;
} hourly_t;

static void k_merit(void *ctx)
{
    hourly_t *p = ctx;
    double gen[MERIT_CLASSES], total = 0.0;
    for (size_t h = 0; h < p->hours; ++h) {
        double unmet;
        const size_t o = h * MERIT_CLASSES;
        total += dispatch_merit(p->need[h], p->avail + o, NULL, p->mc + o, p->order + o,
                                MERIT_CLASSES, gen, &unmet);
        total += unmet + gen[h % MERIT_CLASSES];
    }
    p->total = total;
}

static void k_two_region(void *ctx)
{
    hourly_t *p = ctx;
    double total = 0.0;
    for (size_t h = 0; h < p->hours; ++h) {
        dispatch_loads2_t shed;
        int at;
        total += dispatch_shed_two((dispatch_policy_t)(h % 3), p->sup + 2 * h, p->imp + 2 * h,
                                   &p->load[h], &shed, &at);
        total += shed.base[0] + shed.flex[1] + at;
    }
    p->total = total;
}

static uint64_t s_hourly(void *ctx) { return fnv(&((hourly_t *)ctx)->total, sizeof(double), FNV0); }

/* A network of PRAS's shape per step: r regions in a ring with their
 * generation and load, solved for its least-cost flow. */
enum { MCF_REGIONS = 5 };
typedef struct {
    size_t steps;
    void *mem;
    int64_t cost;
} mcf_bench_t;

static void k_mcf(void *ctx)
{
    mcf_bench_t *p = ctx;
    /* nodes: regions, then a slack node; edges: generation, the ring both
     * ways, the slack (unserved load) */
    const int32_t R = MCF_REGIONS, N = R + 1, E = 4 * R;
    int64_t cost = 0;
    rng_stream_t rs;
    rng_init(&rs, 3, 5, 0);
    for (size_t t = 0; t < p->steps; ++t) {
        mcf_t g;
        mcf_init(&g, p->mem, N, E);
        int64_t load_total = 0;
        for (int32_t r = 0; r < R; ++r) {
            const int64_t load = 100 + (int64_t)(rng_u32(&rs) % 400);
            const int64_t gen = (int64_t)(rng_u32(&rs) % 600);
            g.supply[r] = -load;
            load_total += load;
            mcf_edge(&g, 4 * r, R, r, gen, 1);                     /* generation */
            mcf_edge(&g, 4 * r + 1, r, (r + 1) % R, 150, 2);       /* ring, on */
            mcf_edge(&g, 4 * r + 2, (r + 1) % R, r, 150, 2);       /* and back */
            mcf_edge(&g, 4 * r + 3, R, r, MCF_UNLIMITED, 1000000); /* unserved */
        }
        g.supply[R] = load_total;
        if (mcf_solve(&g)) {
            fprintf(stderr, "gridrisk-bench: a flow the slack should always allow failed\n");
            exit(1);
        }
        cost += mcf_cost(&g);
    }
    p->cost = cost;
}

static uint64_t s_mcf(void *ctx) { return fnv(&((mcf_bench_t *)ctx)->cost, sizeof(int64_t), FNV0); }

/* The mining drivers of a trial (pk_mining_paths): daily Bitcoin price,
 * reward and network hashrate over the Pakistan default's horizon. */
typedef struct {
    const econ_btc_t *btc;
    size_t days;
    uint64_t trials;
    gsl_rng *g;
    double *price, *reward, *hash;
    double total;
} mining_t;

static void k_mining(void *ctx)
{
    mining_t *p = ctx;
    double total = 0.0;
    for (uint64_t t = 0; t < p->trials; ++t) {
        drv_hash_t hp;
        pk_mining_paths(p->btc, 1, t, p->days, p->g, p->price, p->reward, p->hash, &hp);
        total += p->price[p->days - 1] + p->hash[p->days - 1] + p->reward[t % p->days];
    }
    p->total = total;
}

static uint64_t s_mining(void *ctx) { return fnv(&((mining_t *)ctx)->total, sizeof(double), FNV0); }

/* --- hydro (Pakistan's monthly peak shaving) --------------------------- */

enum { HYDRO_H = 744 };

/* Months made before the timing (a ring of HYDRO_INPUTS, solved in turn). */
enum { HYDRO_INPUTS = 256 };

typedef struct {
    int months, fast;
    double *net, *cap, *budget; /* [HYDRO_INPUTS][HYDRO_H], [HYDRO_INPUTS] */
    double *out[2];             /* [months][HYDRO_H]: the reference's, the fast solver's */
} hydro_t;

static void k_hydro(void *ctx)
{
    hydro_t *p = ctx;
    for (int m = 0; m < p->months; ++m) {
        const size_t i = (size_t)(m % HYDRO_INPUTS) * HYDRO_H;
        (p->fast ? dispatch_hydro : dispatch_hydro_ref)(p->net + i, p->cap + i, HYDRO_H,
                                                        p->budget[m % HYDRO_INPUTS],
                                                        p->out[p->fast] + (size_t)m * HYDRO_H);
    }
}

static uint64_t s_hydro(void *ctx)
{
    const hydro_t *p = ctx;
    return fnv(p->out[p->fast], (size_t)p->months * HYDRO_H * sizeof(double), FNV0);
}

/* The largest difference of an hour between the two solvers, over its month's budget. */
static double hydro_disagreement(const hydro_t *p)
{
    double worst = 0.0;
    for (int m = 0; m < p->months; ++m)
        for (size_t h = 0; h < HYDRO_H; ++h) {
            const size_t i = (size_t)m * HYDRO_H + h;
            worst = fmax(worst, fabs(p->out[0][i] - p->out[1][i]) / p->budget[m % HYDRO_INPUTS]);
        }
    return worst;
}

/* --- summaries: the radix select against sorting ----------------------- */

typedef struct {
    const double *x;
    double *scratch;
    size_t n;
    int sorted; /* 1: the reference, a sort and GSL's quantiles */
    double q[6];
} summary_t;

static void k_summary(void *ctx)
{
    summary_t *p = ctx;
    if (p->sorted) {
        memcpy(p->scratch, p->x, p->n * sizeof *p->x);
        gsl_sort(p->scratch, 1, p->n);
        static const double f[4] = {0.05, 0.50, 0.95, 0.99};
        for (int k = 0; k < 4; ++k)
            p->q[k] = gsl_stats_quantile_from_sorted_data(p->scratch, 1, p->n, f[k]);
        p->q[4] = p->scratch[0];
        p->q[5] = p->scratch[p->n - 1];
    } else {
        double out[STATS_N];
        if (stats_summarize(p->x, p->n, out)) {
            fprintf(stderr, "gridrisk-bench: out of memory\n");
            exit(1);
        }
        const double v[6] = {out[STATS_P5],  out[STATS_P50], out[STATS_P95],
                             out[STATS_P99], out[STATS_MIN], out[STATS_MAX]};
        memcpy(p->q, v, sizeof p->q);
    }
}

/* the order statistics, which must be the same doubles */
static uint64_t s_summary(void *ctx)
{
    const summary_t *p = ctx;
    return fnv(p->q, sizeof p->q, FNV0);
}

/* --- deflate: the writer's chunks ----------------------------------------- */

/* An adequacy table's chunks (64 kB: 8,192 doubles) compressed as the
 * writer does: zrun (whole elements), or libdeflate after the byte shuffle
 * (the writer's other path, and the only one before zrun). */
typedef struct {
    const double *x;
    size_t n; /* doubles, a multiple of CHUNK */
    int zrun; /* else libdeflate */
    zrun_t *z;
    struct libdeflate_compressor *c;
    struct libdeflate_decompressor *d;
    unsigned char *shuf, *out; /* a chunk; the streams, ZCAP bytes a chunk */
    size_t *len;               /* each chunk's stream */
    double *back;              /* the chunks inflated (and unshuffled) */
} deflate_t;

enum { DEFLATE_CHUNK = 8192, DEFLATE_ZCAP = 8 * DEFLATE_CHUNK + 1024 };

static void k_deflate(void *ctx)
{
    deflate_t *p = ctx;
    for (size_t k = 0; k * DEFLATE_CHUNK < p->n; ++k) {
        const double *x = p->x + k * DEFLATE_CHUNK;
        unsigned char *o = p->out + k * DEFLATE_ZCAP;
        const size_t bytes = 8 * DEFLATE_CHUNK;
        if (p->zrun) {
            p->len[k] = zrun_zlib(p->z, x, bytes, 8, o, bytes / 2);
            continue;
        }
        const unsigned char *b = (const unsigned char *)x;
        for (size_t j = 0; j < 8; ++j)
            for (size_t i = 0; i < DEFLATE_CHUNK; ++i)
                p->shuf[j * DEFLATE_CHUNK + i] = b[8 * i + j];
        p->len[k] = libdeflate_zlib_compress(p->c, p->shuf, bytes, o, DEFLATE_ZCAP);
    }
}

/* The chunks inflated (libdeflate) and unshuffled back: the same table from
 * both; a chunk either path could not compress sums as nothing. */
static uint64_t s_deflate(void *ctx)
{
    deflate_t *p = ctx;
    uint64_t h = FNV0;
    for (size_t k = 0; k * DEFLATE_CHUNK < p->n; ++k) {
        size_t got = 0;
        unsigned char *b = (unsigned char *)(p->back + k * DEFLATE_CHUNK);
        if (!p->len[k] ||
            libdeflate_zlib_decompress(p->d, p->out + k * DEFLATE_ZCAP, p->len[k], p->shuf,
                                       8 * DEFLATE_CHUNK, &got) ||
            got != 8 * DEFLATE_CHUNK)
            return 0;
        for (size_t j = 0; j < 8; ++j)
            for (size_t i = 0; i < DEFLATE_CHUNK; ++i)
                b[8 * i + j] = p->zrun ? p->shuf[8 * i + j] : p->shuf[j * DEFLATE_CHUNK + i];
    }
    return fnv(p->back, p->n * sizeof *p->back, h);
}

/* --- the HDF5 write ----------------------------------------------------- */

typedef struct {
    const results_t *r;
    char path[512];
} write_t;

static void k_write(void *ctx)
{
    const write_t *w = ctx;
    const h5out_meta_t meta = {.scenario_name = "bench", .scenario_yaml = "", .version = "bench"};
    gr_err_t err = {0, {0}};
    if (h5out_write(w->path, w->r, &meta, &err)) {
        fprintf(stderr, "gridrisk-bench: %s\n", err.msg);
        exit(1);
    }
}

/* What the file holds: every metric and its summary, read back. */
static uint64_t s_write(void *ctx)
{
    const write_t *w = ctx;
    const results_t *r = w->r;
    const size_t n = r->n_scen * r->trials * r->years;
    double *v = malloc(n * sizeof *v), st[2 * 2 * H5OUT_N_STATS];
    hid_t f = H5Fopen(w->path, H5F_ACC_RDONLY, H5P_DEFAULT);
    uint64_t h = FNV0;
    for (size_t m = 0; v && f >= 0 && m < r->n_metrics; ++m) {
        char name[64];
        snprintf(name, sizeof name, "/summary/%s", r->metrics[m].name);
        if (H5LTread_dataset_double(f, r->metrics[m].name, v) < 0 ||
            H5LTread_dataset_double(f, name, st) < 0) {
            h = 0;
            break;
        }
        h = fnv(v, n * sizeof *v, h);
        h = fnv(st, r->n_scen * H5OUT_N_STATS * sizeof *st, h);
    }
    if (f >= 0)
        H5Fclose(f);
    free(v);
    unlink(w->path);
    return h;
}

/* --- end to end ----------------------------------------------------------- */

typedef struct {
    const scenario_t *sc; /* a YAML scenario, or */
    const net_sys_t *sys; /* a PRAS system */
    uint64_t trials;
    int threads;
    pk_times_t *times; /* the economic model's time per kernel (1 thread), or NULL */
    sim_kernel_t kernel;
    results_t *r; /* the last run's */
} e2e_t;

static void k_e2e(void *ctx)
{
    e2e_t *p = ctx;
    const sim_opts_t o = {.seed = 1,
                          .trials = p->trials,
                          .threads = p->threads,
                          .kernel = p->kernel,
                          .skip_sensitivity = 1};
    gr_err_t err = {0, {0}};
    const netsim_opts_t no = {0};
    results_free(p->r);
    p->r = NULL;
    const int rc = p->sys ? netsim_run(p->sys, &no, &o, &p->r, &err)
                   : p->sc->econ && p->times
                       ? pk_run(p->sc, &o, &p->r, p->threads == 1 ? p->times : NULL, &err)
                       : sim_run(p->sc, &o, &p->r, &err);
    if (rc) {
        fprintf(stderr, "gridrisk-bench: %s\n", err.msg);
        exit(1);
    }
}

/* Every per-trial array, the loss-of-load counts and the per-step tables. */
static uint64_t s_e2e(void *ctx)
{
    const results_t *r = ((const e2e_t *)ctx)->r;
    results_rows_t a[RESULTS_MAX_ROW_ARRAYS];
    const size_t k = results_row_arrays(r, a);
    uint64_t h = FNV0;
    for (size_t i = 0; i < k; ++i)
        h = fnv(a[i].v, a[i].blocks * r->trials * a[i].row * sizeof(double), h);
    h = fnv(r->lol_count, r->n_scen * r->years * r->hours * sizeof *r->lol_count, h);
    const size_t ns = r->n_steps * r->n_area;
    const double *steps[4] = {r->step_lolp, r->step_lolp_se, r->step_eue, r->step_eue_se};
    for (int i = 0; i < 4 && ns; ++i)
        h = fnv(steps[i], ns * sizeof(double), h);
    return h;
}

/* 1 and 2 threads of the default kernels; with_events: first 1 thread of
 * --kernel events, the baseline the 1-thread row must reproduce (adequacy:
 * sorted events, the fast kernel until 2026-11; the economic model: every
 * hour by the hourly loop's full path, none settled a month at a time). */
static row_t *e2e_pair(suite_t *s, const char *kernel, e2e_t *p, double trial_years,
                       int with_events)
{
    const kernel_t k = {k_e2e, s_e2e};
    p->threads = 1;
    if (with_events) {
        p->kernel = SIM_KERNEL_EVENTS;
        row_t *ev =
            measure(s, kernel, "events_1_thread", NULL, 1, "trial-years/s", 0, trial_years, k, p);
        ev->threads = p->r->threads;
        p->kernel = SIM_KERNEL_FAST;
    }
    /* 1 and 2 threads in turn (A B A B ...), so that a drift of the
     * machine's speed during the suite moves both rows alike, not their
     * ratio (the RTS-GMLC's 1-thread runs, 0.16 s, moved by 10% between
     * bench runs when the five of each came one after the other) */
    row_t *one = row_new(s, kernel, "1_thread", with_events ? "events_1_thread" : NULL,
                         "trial-years/s", 0, trial_years);
    row_t *two = row_new(s, kernel, "2_threads", "1_thread", "trial-years/s", 0, trial_years);
    double t1[64], t2[64];
    const int n = repeats_of(s);
    for (int i = 0; i < n; ++i) {
        p->threads = 1;
        row_repeat(s, one, k, p, i, t1);
        one->threads = p->r->threads;
        p->threads = 2;
        row_repeat(s, two, k, p, i, t2);
        two->threads = p->r->threads;
    }
    row_end(s, one, t1, n, 1);
    row_end(s, two, t2, n, 1);
    results_free(p->r);
    p->r = NULL;
    return one;
}

/* --- output ------------------------------------------------------------- */

static void cpu_name(char *buf, size_t len)
{
    snprintf(buf, len, "unknown");
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[256];
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, "model name", 10) && strchr(line, ':')) {
            snprintf(buf, len, "%s", strchr(line, ':') + 2);
            buf[strcspn(buf, "\n")] = 0;
            break;
        }
    if (f)
        fclose(f);
}

/* The machine's physical memory in GiB (0 if unknown). */
static double mem_gib(void)
{
    const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
    return pages > 0 && page > 0 ? (double)pages * (double)page / (double)(1UL << 30) : 0.0;
}

/* The run-time libraries the kernels' speed depends on: the C library (libm's
 * log and exp), GSL, HDF5 (the write) and the OpenMP version compiled for. */
static void libraries(char *buf, size_t len)
{
    unsigned maj = 0, min = 0, rel = 0;
    H5get_libversion(&maj, &min, &rel);
    snprintf(buf, len, "glibc %s; GSL %s; HDF5 %u.%u.%u; OpenMP %d", gnu_get_libc_version(),
             gsl_version, maj, min, rel, _OPENMP);
}

/* A CSV field, quoted, its quotes doubled. */
static void csv_field(FILE *f, const char *v, const char *sep)
{
    fputc('"', f);
    for (; *v; ++v) {
        if (*v == '"')
            fputc('"', f);
        fputc(*v, f);
    }
    fprintf(f, "\"%s", sep);
}

static void print_table(const suite_t *s)
{
    printf("\n%-12s %-25s %10s %15s %-14s %8s %8s %4s %9s\n", "kernel", "variant", "median_s",
           "rate", "unit", "spread", "checksum", "ok", "distance");
    for (size_t i = 0; i < s->n; ++i) {
        const row_t *r = &s->rows[i];
        char dist[16] = "-";
        if (r->bound_s > 0)
            snprintf(dist, sizeof dist, "%.2f", r->bound_s / r->median_s);
        printf("%-12s %-25s %10.4f %15.4g %-14s %7.1f%% %08llx %4s %9s\n", r->kernel, r->variant,
               r->median_s, rate_of(r, r->median_s), r->unit,
               100.0 * (r->max_s - r->min_s) / r->median_s, (unsigned long long)(r->checksum >> 32),
               r->verified < 0 ? "-"
               : r->verified   ? "yes"
                               : "NO",
               dist);
    }
}

/* path, or path-2.csv, path-3.csv, ... if it exists: a run never replaces another's. */
static FILE *create_new(const char *path, char *used, size_t len)
{
    snprintf(used, len, "%s", path);
    const size_t stem = strlen(path) > 4 && !strcmp(path + strlen(path) - 4, ".csv")
                            ? strlen(path) - 4
                            : strlen(path);
    for (int k = 2; k < 1000; ++k) {
        FILE *f = fopen(used, "wx");
        if (f || errno != EEXIST)
            return f;
        snprintf(used, len, "%.*s-%d.csv", (int)stem, path, k);
    }
    return NULL;
}

static int write_csv(const suite_t *s, const char *path)
{
    char used[1024];
    FILE *f = create_new(path, used, sizeof used);
    if (!f) {
        perror(path);
        return -1;
    }
    char host[64] = "unknown", cpu[128], date[16], libs[256];
    gethostname(host, sizeof host - 1);
    cpu_name(cpu, sizeof cpu);
    libraries(libs, sizeof libs);
    const time_t now = time(NULL);
    strftime(date, sizeof date, "%Y-%m-%d", gmtime(&now));
#ifdef __clang__
    const char *cc = "clang " __clang_version__;
#else
    const char *cc = "gcc " __VERSION__;
#endif
    fprintf(f, "host,date,cpu,cores,mem_gib,libraries,compiler,flags,git_revision,kernel,variant,"
               "reference,threads,"
               "unit,work,repeats,median_s,min_s,max_s,rate,rate_min,rate_max,checksum,verified,"
               "bound_rate,distance,bound_from\n");
    for (size_t i = 0; i < s->n; ++i) {
        const row_t *r = &s->rows[i];
        const double lo = rate_of(r, r->per_item ? r->min_s : r->max_s),
                     hi = rate_of(r, r->per_item ? r->max_s : r->min_s);
        csv_field(f, host, ",");
        fprintf(f, "%s,", date);
        csv_field(f, cpu, ",");
        fprintf(f, "%d,%.1f,", omp_get_num_procs(), mem_gib());
        csv_field(f, libs, ",");
        csv_field(f, cc, ",");
        csv_field(f, GRIDRISK_CFLAGS, ",");
        fprintf(f, "%s,%s,%s,%s,%d,%s,%.12g,%d,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g,%016llx,%d,",
                GRIDRISK_GIT_REV, r->kernel, r->variant, r->reference, r->threads, r->unit, r->work,
                s->repeats, r->median_s, r->min_s, r->max_s, rate_of(r, r->median_s), lo, hi,
                (unsigned long long)r->checksum, r->verified);
        if (r->bound_s > 0) {
            fprintf(f, "%.9g,%.4f,", rate_of(r, r->bound_s), r->bound_s / r->median_s);
            csv_field(f, r->bound_from, "\n");
        } else
            fprintf(f, ",,\n");
    }
    if (fclose(f))
        return -1;
    printf("wrote %s\n", used);
    return 0;
}
static void usage(void)
{
    fprintf(stderr, "usage: gridrisk-bench [-r REPEATS] [-n TRIALS] [-m PK_TRIALS] [-q] "
                    "[--csv FILE]\n");
    exit(2);
}

static scenario_t *load(const char *path)
{
    scenario_t *sc;
    gr_err_t err = {0, {0}};
    if (scenario_load(path, &sc, &err)) {
        fprintf(stderr, "gridrisk-bench: %s\n", err.msg);
        exit(2);
    }
    return sc;
}

int main(int argc, char **argv)
{
    const char *csv = NULL;
    unsigned long long trials = 200000, pk_trials = 400, net_trials = 1600;
    int repeats = 5, quick = 0;
    for (int i = 1; i < argc; ++i) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "-q"))
            quick = 1;
        else if (!strcmp(a, "--csv") && v)
            csv = argv[++i];
        else if (!strcmp(a, "-r") && v)
            repeats = atoi(argv[++i]);
        else if (!strcmp(a, "-n") && v)
            trials = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(a, "-m") && v)
            pk_trials = strtoull(argv[++i], NULL, 10);
        else
            usage();
    }
    if (quick) { /* small inputs; -r, -n and -m give way */
        trials = 2000;
        pk_trials = 8;
        net_trials = 40;
        repeats = 2;
    }
    if (repeats < 1 || repeats > 64 || trials < 10 || pk_trials < 1)
        usage();
    suite_t *s = calloc(1, sizeof *s);
    if (!s)
        return 1;
    s->repeats = repeats;
    char libs[256];
    libraries(libs, sizeof libs);
    printf("gridrisk-bench: %d repeats per kernel, median and spread; %d processors, %.1f GiB; "
           "%s; %s; vector paths: %s\n",
           repeats, omp_get_num_procs(), mem_gib(), libs, GRIDRISK_CFLAGS,
           rng_isa_name(rng_isa_best()));

    /* the parts */
    draws_t words = {.n = quick ? 1u << 20 : 1u << 24};
    const kernel_t kd = {k_draws, s_draws};
    const row_t *w =
        measure(s, "rng", "philox_word", NULL, 1, "ns/word", 1, (double)words.n, kd, &words);
    const double t_word = w->median_s / (double)words.n;
    words.exponential = 1;
    row_t *r = measure(s, "rng", "exponential", NULL, 1, "ns/draw", 1, (double)words.n, kd, &words);
    bound(r, 2.0 * t_word * (double)words.n, "2 Philox words per draw (53-bit uniform)");
    words.exponential = 2;
    r = measure(s, "rng", "exponential_batch", "exponential", 1, "ns/draw", 1, (double)words.n, kd,
                &words);
    bound(r, 2.0 * t_word * (double)words.n, "2 Philox words per draw (53-bit uniform)");
    words.exponential = 3;
    r = measure(s, "rng", "exponential_libm", NULL, 1, "ns/draw", 1, (double)words.n, kd, &words);
    bound(r, 2.0 * t_word * (double)words.n, "2 Philox words per draw (53-bit uniform)");
    /* the same words and exponentials as many streams' blocks at once (a
     * fleet's first draws): on the portable path and on the widest the
     * processor has (rng_isa_best, in the header line) */
    words.many = 1;
    words.key1 = xmalloc(STREAM_DRAWS / 2 * sizeof *words.key1);
    words.blk = xmalloc(STREAM_DRAWS / 2 * sizeof *words.blk);
    words.w = xmalloc(2 * STREAM_DRAWS * sizeof *words.w);
    words.e = xmalloc(STREAM_DRAWS * sizeof *words.e);
    for (size_t j = 0; j < STREAM_DRAWS / 2; ++j) {
        words.key1[j] = 7;
        words.blk[j] = j;
    }
    words.exponential = 0;
    words.isa = RNG_ISA_PORTABLE;
    measure(s, "rng", "philox_many_portable", "philox_word", 1, "ns/word", 1, (double)words.n, kd,
            &words);
    words.isa = rng_isa_best();
    w = measure(s, "rng", "philox_many", "philox_word", 1, "ns/word", 1, (double)words.n, kd,
                &words);
    const double t_word_many = w->median_s / (double)words.n;
    words.exponential = 1;
    words.isa = RNG_ISA_PORTABLE;
    r = measure(s, "rng", "exponential_many_portable", "exponential", 1, "ns/draw", 1,
                (double)words.n, kd, &words);
    bound(r, 2.0 * t_word * (double)words.n, "2 Philox words per draw (53-bit uniform)");
    words.isa = rng_isa_best();
    r = measure(s, "rng", "exponential_many", "exponential", 1, "ns/draw", 1, (double)words.n, kd,
                &words);
    bound(r, 2.0 * t_word_many * (double)words.n, "2 Philox words per draw, many at once");
    words.many = 0;
    free(words.key1);
    free(words.blk);
    free(words.w);
    free(words.e);
    const size_t big = quick ? 1u << 20 : 1u << 23, small = 4096;
    double *x = xmalloc(big * sizeof *x), *y = xmalloc(big * sizeof *y);
    for (size_t i = 0; i < big; ++i)
        x[i] = (double)(i % 977) * 0.25;
    const kernel_t kp = {k_pass, s_pass};
    pass_t cache = {x, small, big / small, 0.0}, memory = {x, big, 1, 0.0};
    r = measure(s, "pass", "in_cache", NULL, 1, "ns/double", 1, (double)big, kp, &cache);
    const double t_cached = r->median_s / (double)big;
    r = measure(s, "pass", "from_memory", NULL, 1, "MB/s", 0, 8e-6 * (double)big, kp, &memory);
    memset(y, 0, big * sizeof *y); /* the pages exist before the copy is timed */
    copy_t cp = {y, x, big};
    r = measure(s, "copy", "memcpy", NULL, 1, "MB/s", 0, 8e-6 * (double)big,
                (kernel_t){k_copy, s_copy}, &cp);
    const double t_copy_byte = r->median_s / (8.0 * (double)big);

    /* outages and adequacy on RBTS */
    scenario_t *rbts = load("inputs/rbts/rbts.yaml");
    const size_t Y = rbts->horizon_years, H = rbts->hours;
    const uint64_t TA = trials / 10;
    events_t ev = {.sc = rbts, .trials = TA, .horizon = (int32_t)(Y * H)};
    ev.first = xmalloc((TA + 1) * sizeof *ev.first);
    ev.libm_walk = 1; /* the draws the walk uses: the outage rows' work */
    k_outages(&ev);
    const double drawn = (double)ev.words / 2.0; /* uniforms, each of two words */
    ev.libm_walk = 0;
    k_outages(&ev); /* with no span array, a count: the arrays' size and the words drawn */
    ev.cap_spans = ev.n_spans;
    ev.cap = 2 * ev.n_spans;
    ev.sp = xmalloc(ev.cap_spans * sizeof *ev.sp);
    ev.ev = xmalloc(ev.cap * sizeof *ev.ev);
    ev.tmp = xmalloc(ev.cap * sizeof *ev.tmp);
    const kernel_t ko = {k_outages, s_outages};
    ev.libm_walk = 1;
    r = measure(s, "outage", "walk_libm", NULL, 1, "ns/draw", 1, drawn, ko, &ev);
    bound(r, 2.0 * drawn * t_word, "its random words");
    ev.libm_walk = 0;
    r = measure(s, "outage", "sample", "walk_libm", 1, "ns/draw", 1, drawn, ko, &ev);
    bound(r, 2.0 * drawn * t_word, "its random words");
    spans_fleet_t fleet;
    fleet_begin(&ev, &fleet);
    r = measure(s, "outage", "fleet", "walk_libm", 1, "ns/draw", 1, drawn, ko, &ev);
    bound(r, 2.0 * drawn * t_word_many, "its random words, many at once");
    fleet_end(&ev, &fleet);
    ev.build = 1;
    r = measure(s, "events", "build_sort", NULL, 1, "ns/event", 1, 1.0, ko, &ev);
    r->work = (double)ev.n_ev;
    bound(r, (double)ev.words * t_word + (double)ev.n_ev * sizeof(adequacy_event_t) * t_copy_byte,
          "its random words and one copy of each event");
    /* the sort alone: the events in unit order, then the sorted ones back */
    sort_t so = {.e = &ev, .out = xmalloc(ev.n_ev * sizeof *so.out), .tmp = ev.tmp, .merge = 1};
    memcpy(so.out, ev.ev, ev.n_ev * sizeof *so.out);
    ev.unsorted = 1;
    k_outages(&ev);
    ev.unsorted = 0;
    adequacy_event_t *unsorted = xmalloc(ev.n_ev * sizeof *unsorted);
    memcpy(unsorted, ev.ev, ev.n_ev * sizeof *unsorted);
    memcpy(ev.ev, so.out, ev.n_ev * sizeof *so.out);
    so.in = unsorted;
    const kernel_t ksort = {k_sort, s_sort};
    r = measure(s, "sort", "merge", NULL, 1, "ns/event", 1, (double)ev.n_ev, ksort, &so);
    bound(r, 2.0 * (double)ev.n_ev * sizeof(adequacy_event_t) * t_copy_byte,
          "two copies of each event");
    so.merge = 0;
    r = measure(s, "sort", "radix", "merge", 1, "ns/event", 1, (double)ev.n_ev, ksort, &so);
    bound(r, 2.0 * (double)ev.n_ev * sizeof(adequacy_event_t) * t_copy_byte,
          "two copies of each event");
    free(unsorted);
    free(so.out);
    event_pass_t ep = {&ev, 0.0};
    r = measure(s, "events", "pass", NULL, 1, "ns/event", 1, (double)ev.n_ev,
                (kernel_t){k_event_pass, s_event_pass}, &ep);
    const double t_event = r->median_s / (double)ev.n_ev;
    adequacy_load_t ld;
    if (adequacy_load_init(&ld, rbts->load_mw, H))
        return 1;
    adequacy_t aq = {.e = &ev,
                     .load = &ld,
                     .years = Y,
                     .yr = xmalloc(TA * Y * sizeof *aq.yr),
                     .lol = xmalloc(Y * H * sizeof *aq.lol)};
    const double ty = (double)(TA * Y);
    const kernel_t ka = {k_adequacy, s_adequacy};
    r = measure(s, "adequacy", "ref", NULL, 1, "trial-years/s", 0, ty, ka, &aq);
    bound(r, ty * (double)H * t_cached, "a look at every hour (a pass in cache)");
    aq.fast = 1;
    r = measure(s, "adequacy", "fast", "ref", 1, "trial-years/s", 0, ty, ka, &aq);
    bound(r, (double)ev.n_ev * t_event, "a pass over its events");
    if (adequacy_diff_init(&aq.diff, H, Y))
        return 1;
    aq.fast = 2;
    r = measure(s, "adequacy", "diff", "ref", 1, "trial-years/s", 0, ty, ka, &aq);
    bound(r, (double)ev.n_ev * t_event, "a pass over its events");
    adequacy_diff_free(&aq.diff);

    /* hydro: the months are made before the timing */
    hydro_t hy = {.months = quick ? 200 : 2000};
    hy.net = xmalloc((size_t)HYDRO_INPUTS * HYDRO_H * sizeof(double));
    hy.cap = xmalloc((size_t)HYDRO_INPUTS * HYDRO_H * sizeof(double));
    hy.budget = xmalloc(HYDRO_INPUTS * sizeof(double));
    /* the outputs' pages touched before the timing: the fast solver's first
     * repeat otherwise paid for 12 MB of page faults (its spread was 160%) */
    for (int k = 0; k < 2; ++k) {
        hy.out[k] = xmalloc((size_t)hy.months * HYDRO_H * sizeof(double));
        memset(hy.out[k], 0, (size_t)hy.months * HYDRO_H * sizeof(double));
    }
    for (int m = 0; m < HYDRO_INPUTS; ++m) {
        rng_stream_t rs;
        rng_init(&rs, 3, 3, (uint64_t)m);
        double room = 0;
        double *net = hy.net + (size_t)m * HYDRO_H, *cap = hy.cap + (size_t)m * HYDRO_H;
        for (int i = 0; i < HYDRO_H; ++i) {
            net[i] = 15000 + 6000 * sin(i * 0.2618) + 3000 * rng_uniform(&rs);
            cap[i] = 8000 + 3000 * rng_uniform(&rs);
            room += fmin(net[i], cap[i]);
        }
        hy.budget[m] = room * (0.1 + 0.8 * rng_uniform(&rs));
    }
    const kernel_t kh = {k_hydro, s_hydro};
    measure(s, "hydro", "ref", NULL, 1, "months/s", 0, hy.months, kh, &hy);
    hy.fast = 1;
    r = measure(s, "hydro", "fast", "ref", 0, "months/s", 0, hy.months, kh, &hy);
    bound(r, hy.months * HYDRO_H * 3.0 * t_cached, "three passes over a month in cache");
    const double off = hydro_disagreement(&hy);
    r->verified = off <= 1e-6;
    printf("hydro: fast vs ref, largest difference of an hour %.2g of the month's budget\n", off);
    if (!r->verified) {
        printf("MISMATCH: hydro/fast differs from ref by %.2g of a budget (> 1e-6)\n", off);
        s->bad = 1;
    }

    /* summaries: a paired-difference-like sample, both signs, a fifth exactly 0 */
    const size_t ns = quick ? 1u << 16 : 1u << 20;
    rng_stream_t rs;
    rng_init(&rs, 5, 5, 0);
    for (size_t i = 0; i < ns; ++i) {
        const double u = rng_uniform(&rs);
        x[i] = u < 0.2 ? 0.0 : (u < 0.6 ? -1.0 : 1.0) * rng_exponential(&rs, 40.0);
    }
    summary_t su = {x, y, ns, 1, {0}};
    const kernel_t ks = {k_summary, s_summary};
    measure(s, "summary", "sort", NULL, 1, "ns/value", 1, (double)ns, ks, &su);
    su.sorted = 0;
    r = measure(s, "summary", "radix", "sort", 1, "ns/value", 1, (double)ns, ks, &su);
    bound(r, (double)ns * t_cached, "one pass over the sample in cache");

    /* deflate: an RBTS-like table of unserved energy, 2^20 trials: nine in
     * ten 0, the rest a few values again and again */
    {
        deflate_t df = {.n = quick ? 1u << 16 : 1u << 20};
        double *t = xmalloc(df.n * sizeof *t);
        for (size_t i = 0; i < df.n; ++i) {
            const double u = rng_uniform(&rs);
            t[i] = u < 0.9 ? 0.0 : 25.0 * (double)(1 + (size_t)(40.0 * (u - 0.9)));
        }
        const size_t nk = df.n / DEFLATE_CHUNK;
        df.x = t;
        df.z = zrun_alloc();
        df.c = libdeflate_alloc_compressor(2); /* h5out.c's DEFLATE_LEVEL */
        df.d = libdeflate_alloc_decompressor();
        df.shuf = xmalloc(8 * DEFLATE_CHUNK);
        df.out = xmalloc(nk * DEFLATE_ZCAP);
        df.len = xmalloc(nk * sizeof *df.len);
        df.back = xmalloc(df.n * sizeof *df.back);
        if (!df.z || !df.c || !df.d)
            return 1;
        const kernel_t kz = {k_deflate, s_deflate};
        const double mb = 8e-6 * (double)df.n;
        measure(s, "deflate", "libdeflate", NULL, 1, "MB/s", 0, mb, kz, &df);
        size_t zl = 0, zz = 0;
        for (size_t k = 0; k < nk; ++k)
            zl += df.len[k];
        df.zrun = 1;
        r = measure(s, "deflate", "zrun", "libdeflate", 1, "MB/s", 0, mb, kz, &df);
        for (size_t k = 0; k < nk; ++k)
            zz += df.len[k];
        bound(r, 8.0 * (double)df.n * t_copy_byte, "one copy of the table");
        printf("deflate: %.2f MB of table to %.3f MB (libdeflate, shuffled) and %.3f MB (zrun)\n",
               mb, 1e-6 * (double)zl, 1e-6 * (double)zz);
        zrun_free(df.z);
        libdeflate_free_compressor(df.c);
        libdeflate_free_decompressor(df.d);
        free(df.shuf);
        free(df.out);
        free(df.len);
        free(df.back);
        free(t);
    }

    /* the HDF5 write: 2 scenarios x 4 metrics x 5 years of poorly compressible values */
    const uint64_t tw = quick ? 2000 : 50000;
    static const metric_info_t wm[4] = {
        {"a", "u", "a"}, {"b", "u", "b"}, {"c", "u", "c"}, {"d", "u", "d"}};
    const char *names[2] = {"baseline", "other"};
    results_t *res = results_new(tw, 5, 24, 2, names, 4, wm, 0, NULL);
    if (!res)
        return 1;
    const size_t nv = 2 * 4 * tw * 5;
    for (size_t i = 0; i < nv; ++i)
        res->values[i] = rng_uniform(&rs) * 1e6;
    write_t wr = {res, ""};
    snprintf(wr.path, sizeof wr.path, "%s/gridrisk-bench-%ld.h5",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (long)getpid());
    r = measure(s, "hdf5", "write", NULL, 1, "MB/s", 0, 8e-6 * (double)nv,
                (kernel_t){k_write, s_write}, &wr);
    bound(r, 8.0 * (double)nv * t_copy_byte, "one copy of the data");
    results_free(res);

    /* the hourly balance's parts, on an hour's random data each */
    hourly_t hr = {.hours = quick ? 8760 : 8760 * 20};
    hr.need = xmalloc(hr.hours * sizeof *hr.need);
    hr.avail = xmalloc(hr.hours * MERIT_CLASSES * sizeof *hr.avail);
    hr.mc = xmalloc(hr.hours * MERIT_CLASSES * sizeof *hr.mc);
    hr.order = xmalloc(hr.hours * MERIT_CLASSES * sizeof *hr.order);
    hr.sup = xmalloc(2 * hr.hours * sizeof *hr.sup);
    hr.imp = xmalloc(2 * hr.hours * sizeof *hr.imp);
    hr.load = xmalloc(hr.hours * sizeof *hr.load);
    {
        rng_stream_t hs;
        rng_init(&hs, 9, 9, 0);
        for (size_t h = 0; h < hr.hours; ++h) {
            double sum = 0.0;
            for (int c = 0; c < MERIT_CLASSES; ++c) {
                const size_t o = h * MERIT_CLASSES + (size_t)c;
                hr.avail[o] = 3000.0 * rng_uniform(&hs);
                hr.mc[o] = 20.0 + 200.0 * rng_uniform(&hs);
                hr.order[o] = c;
                sum += hr.avail[o];
            }
            dispatch_sort_order(hr.mc + h * MERIT_CLASSES, hr.order + h * MERIT_CLASSES,
                                MERIT_CLASSES);
            hr.need[h] = sum * (0.3 + 0.8 * rng_uniform(&hs)); /* sometimes short */
            for (int g = 0; g < 2; ++g) {
                hr.sup[2 * h + (size_t)g] = 20000.0 * rng_uniform(&hs);
                hr.imp[2 * h + (size_t)g] = 4000.0 * rng_uniform(&hs);
                hr.load[h].base[g] = 12000.0 * rng_uniform(&hs);
                hr.load[h].flex[g] = 1000.0 * rng_uniform(&hs);
                hr.load[h].firm[g] = 500.0 * rng_uniform(&hs);
                hr.load[h].intr[g] = 200.0 * rng_uniform(&hs);
            }
        }
    }
    r = measure(s, "dispatch", "merit", NULL, 1, "ns/hour", 1, (double)hr.hours,
                (kernel_t){k_merit, s_hourly}, &hr);
    bound(r, (double)hr.hours * 3.0 * MERIT_CLASSES * t_cached,
          "three passes over its classes in cache");
    r = measure(s, "dispatch", "two_region", NULL, 1, "ns/hour", 1, (double)hr.hours,
                (kernel_t){k_two_region, s_hourly}, &hr);
    mcf_bench_t mb = {.steps = quick ? 2000 : 200000};
    mb.mem = xmalloc(mcf_bytes(MCF_REGIONS + 1, 4 * MCF_REGIONS));
    measure(s, "mcf", "solve", NULL, 1, "ns/step", 1, (double)mb.steps, (kernel_t){k_mcf, s_mcf},
            &mb);
    free(mb.mem);
    scenario_t *pk0 = load("inputs/pakistan/pakistan.yaml");
    mining_t mn = {.btc = &pk0->econ->bitcoin,
                   .days = 365 * pk0->horizon_years,
                   .trials = quick ? 20 : 400,
                   .g = gsl_rng_alloc(&rng_gsl_type)};
    mn.price = xmalloc(mn.days * sizeof *mn.price);
    mn.reward = xmalloc(mn.days * sizeof *mn.reward);
    mn.hash = xmalloc(mn.days * sizeof *mn.hash);
    if (!mn.g)
        return 1;
    measure(s, "mining", "paths", NULL, 1, "ns/day", 1, (double)(mn.trials * mn.days),
            (kernel_t){k_mining, s_mining}, &mn);
    gsl_rng_free(mn.g);
    free(mn.price);
    free(mn.reward);
    free(mn.hash);
    scenario_free(pk0);
    free(hr.need);
    free(hr.avail);
    free(hr.mc);
    free(hr.order);
    free(hr.sup);
    free(hr.imp);
    free(hr.load);

    /* end to end */
    e2e_t e = {.sc = rbts, .trials = trials};
    row_t *one = e2e_pair(s, "rbts", &e, (double)(trials * Y), 1);
    bound(one,
          (double)trials / (double)TA *
              ((double)ev.words * t_word_many + (double)ev.n_ev * t_event),
          "its random words (many at once) and a pass over its events");
    /* the IEEE RTS-79 (32 units, about 490 draws and 460 events a year): its
     * words and events counted on a sample of its trials, for the bound */
    scenario_t *rts79 = load("inputs/rts79/rts79.yaml");
    events_t ev79 = {.sc = rts79, .trials = TA / 10 + 1, .horizon = (int32_t)rts79->hours};
    ev79.first = xmalloc((ev79.trials + 1) * sizeof *ev79.first);
    ev79.libm_walk = 1;
    k_outages(&ev79); /* counts only (no span array) */
    const double drawn79 = (double)ev79.words / 2.0;
    ev79.cap_spans = 2 * ev79.n_spans + MAX_SPANS; /* room for the spans, for the checksum */
    ev79.sp = xmalloc(ev79.cap_spans * sizeof *ev79.sp);
    const kernel_t ko79 = {k_outages, s_outages};
    r = measure(s, "outage", "rts79_walk_libm", NULL, 1, "ns/draw", 1, drawn79, ko79, &ev79);
    bound(r, 2.0 * drawn79 * t_word, "its random words");
    ev79.libm_walk = 0;
    r = measure(s, "outage", "rts79", "rts79_walk_libm", 1, "ns/draw", 1, drawn79, ko79, &ev79);
    bound(r, 2.0 * drawn79 * t_word, "its random words");
    fleet_begin(&ev79, &fleet);
    r = measure(s, "outage", "rts79_fleet", "rts79_walk_libm", 1, "ns/draw", 1, drawn79, ko79,
                &ev79);
    bound(r, 2.0 * drawn79 * t_word_many, "its random words, many at once");
    fleet_end(&ev79, &fleet);
    const uint64_t rts_trials = trials / 2;
    e = (e2e_t){.sc = rts79, .trials = rts_trials};
    one = e2e_pair(s, "rts79", &e, (double)rts_trials, 1);
    bound(one,
          (double)rts_trials / (double)ev79.trials *
              ((double)ev79.words * t_word_many + 2.0 * (double)ev79.n_spans * t_event),
          "its random words (many at once) and a pass over its events");
    free(ev79.first);
    free(ev79.sp);
    scenario_free(rts79);
    scenario_t *pk = load("inputs/pakistan/pakistan.yaml");
    pk_times_t tm = {0};
    e = (e2e_t){.sc = pk, .trials = pk_trials, .times = &tm};
    e2e_pair(s, "pakistan", &e, (double)(pk_trials * pk->horizon_years), 1);
    net_sys_t *sys;
    gr_err_t err = {0, {0}};
    if (pras_load("inputs/pras/rts.pras", &sys, &err)) {
        fprintf(stderr, "gridrisk-bench: %s\n", err.msg);
        return 2;
    }
    e = (e2e_t){.sys = sys, .trials = net_trials};
    e2e_pair(s, "rts_gmlc", &e, (double)net_trials * sys->steps * sys->step_h / 8760.0, 0);

    print_table(s);
    for (size_t i = 1; i < s->n; ++i)
        if (!strcmp(s->rows[i].variant, "2_threads"))
            printf("%s: 1 -> 2 threads %.2fx\n", s->rows[i].kernel,
                   s->rows[i - 1].median_s / s->rows[i].median_s);
    const double tot = tm.drivers_s + tm.outages_s + tm.hydro_s + tm.hourly_s;
    if (tot > 0)
        printf("pakistan by kernel (1 thread, its last run): drivers %.1f%%, outages and "
               "availability %.1f%%, hydro %.1f%%, hourly balance and dispatch %.1f%%\n",
               100 * tm.drivers_s / tot, 100 * tm.outages_s / tot, 100 * tm.hydro_s / tot,
               100 * tm.hourly_s / tot);
    if (tm.hours > 0)
        printf("pakistan: %.1f%% of the scenario-hours settled a month at a time, the rest by "
               "the full path (%.1f%% of the hours with the pass's national dispatch)\n",
               100 * tm.settled_hours / tm.hours, 100 * tm.ledger_hours / tm.hours);
    int rc = s->bad;
    if (csv && write_csv(s, csv))
        rc = 1;
    net_free(sys);
    scenario_free(pk);
    scenario_free(rbts);
    adequacy_load_free(&ld);
    free(aq.yr);
    free(aq.lol);
    free(ev.sp);
    free(ev.ev);
    free(ev.tmp);
    free(ev.first);
    free(hy.net);
    free(hy.cap);
    free(hy.budget);
    free(hy.out[0]);
    free(hy.out[1]);
    free(x);
    free(y);
    free(s);
    return rc;
}
