/*
 * bench.c - the kernel benchmark suite (in the spirit of XSBench).
 *
 * Each kernel runs alone on fixed inputs, `-r` times (5 by default); each
 * run returns a checksum of its results. A row reports the median time and
 * the spread (min, max), the rate in the kernel's natural unit, the
 * checksum, and whether it equals its reference variant's (a fast kernel is
 * accepted only when it reproduces the baseline, and the work cannot be
 * optimised away); a checksum that changes between repeats fails too. The
 * program exits 1 on any mismatch.
 *
 * Bounds: the first rows measure what the hardware does for the parts every
 * kernel is made of (a random word, an exponential, a pass over data in
 * cache and from memory, a copy); each later row's bound is the least time
 * those parts allow for its work (e.g. outage sampling cannot beat its
 * exponentials), and `distance` is bound / median (1 = at the bound).
 *
 *   gridrisk-bench [-r REPEATS] [-n TRIALS] [-m PK_TRIALS] [-q] [--csv FILE]
 *
 * -q (quick): small inputs and 2 repeats, for tests/check_bench.py.
 * CSV columns: bench/README.md.
 */
#include "../inputs/pras.h"
#include "../inputs/scenario.h"
#include "../kernels/adequacy.h"
#include "../kernels/dispatch.h"
#include "../kernels/outage.h"
#include "../kernels/rng.h"
#include "../kernels/stats.h"
#include "../model/net.h"
#include "../model/netsim.h"
#include "../model/pakistan.h"
#include "../model/sim.h"
#include "../outputs/h5out.h"
#include "gitrev.h"

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
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
#define MAX_ROWS 40

typedef struct {
    char kernel[24], variant[24], reference[24];
    const char *unit; /* of rate: "ns/word", "trial-years/s", "MB/s", ... */
    int per_item;     /* 1: rate is ns per item (lower is better); 0: items per second */
    double work;      /* items per run */
    int threads;
    double median_s, min_s, max_s;
    uint64_t checksum;
    int verified;   /* -1: no reference; 1: equal to it; 0: differs */
    double bound_s; /* least time the measured parts allow; 0: none stated */
    const char *bound_from;
} row_t;

typedef struct {
    int repeats;
    size_t n;
    row_t rows[MAX_ROWS];
    int bad;
} suite_t;

static double rate_of(const row_t *r, double s)
{
    return r->per_item ? s * 1e9 / r->work : r->work / s;
}

static int cmp_double(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Runs fn(ctx) s->repeats times as kernel/variant and adds its row. */
static row_t *measure(suite_t *s, const char *kernel, const char *variant, const char *reference,
                      const char *unit, int per_item, double work, int threads,
                      uint64_t (*fn)(void *ctx), void *ctx)
{
    if (s->n == MAX_ROWS) {
        fprintf(stderr, "gridrisk-bench: more than %d rows\n", MAX_ROWS);
        exit(1);
    }
    row_t *r = &s->rows[s->n++];
    *r = (row_t){.unit = unit,
                 .per_item = per_item,
                 .work = work,
                 .threads = threads,
                 .verified = -1,
                 .bound_from = ""};
    snprintf(r->kernel, sizeof r->kernel, "%s", kernel);
    snprintf(r->variant, sizeof r->variant, "%s", variant);
    snprintf(r->reference, sizeof r->reference, "%s", reference ? reference : "");
    double t[64];
    const int n = s->repeats < 64 ? s->repeats : 64;
    for (int k = 0; k < n; ++k) {
        const double t0 = now_s();
        const uint64_t ck = fn(ctx);
        t[k] = now_s() - t0;
        if (k && ck != r->checksum) {
            printf("NOT REPRODUCIBLE: %s/%s gave checksum %016llx, then %016llx\n", kernel, variant,
                   (unsigned long long)r->checksum, (unsigned long long)ck);
            s->bad = 1;
        }
        r->checksum = ck;
    }
    qsort(t, (size_t)n, sizeof *t, cmp_double);
    r->median_s = n % 2 ? t[n / 2] : 0.5 * (t[n / 2 - 1] + t[n / 2]);
    r->min_s = t[0];
    r->max_s = t[n - 1];
    for (size_t i = 0; reference && i + 1 < s->n; ++i)
        if (!strcmp(s->rows[i].kernel, kernel) && !strcmp(s->rows[i].variant, reference)) {
            r->verified = s->rows[i].checksum == r->checksum;
            if (!r->verified) {
                printf("CHECKSUM MISMATCH: %s/%s differs from %s\n", kernel, variant, reference);
                s->bad = 1;
            }
        }
    return r;
}

static void bound(row_t *r, double s, const char *from)
{
    r->bound_s = s;
    r->bound_from = from;
}

/* --- the parts: what the hardware does -------------------------------- */

typedef struct {
    size_t n;
    int exponential; /* 0: 32-bit words; 1: exponentials of mean 1 */
} draws_t;

/* n draws from streams of 4,096 (a unit's outage times are a few per trial). */
static uint64_t k_draws(void *ctx)
{
    const draws_t *d = ctx;
    uint32_t x = 0;
    double sum = 0.0;
    for (size_t i = 0; i < d->n; i += 4096) {
        rng_stream_t rs;
        rng_init(&rs, 1, 7, i);
        for (size_t k = 0; k < 4096 && i + k < d->n; ++k) {
            if (d->exponential)
                sum += rng_exponential(&rs, 1.0);
            else
                x ^= rng_u32(&rs) + (uint32_t)k;
        }
    }
    return d->exponential ? fnv(&sum, sizeof sum, FNV0) : fnv(&x, sizeof x, FNV0);
}

typedef struct {
    const double *x;
    size_t n, passes;
} pass_t;

/* passes x sequential sums of x[0..n): in cache when n is small. */
static uint64_t k_pass(void *ctx)
{
    const pass_t *p = ctx;
    double s[4] = {0, 0, 0, 0};
    for (size_t k = 0; k < p->passes; ++k)
        for (size_t i = 0; i + 3 < p->n; i += 4) {
            s[0] += p->x[i];
            s[1] += p->x[i + 1];
            s[2] += p->x[i + 2];
            s[3] += p->x[i + 3];
        }
    const double t = (s[0] + s[1]) + (s[2] + s[3]);
    return fnv(&t, sizeof t, FNV0);
}

typedef struct {
    double *dst;
    const double *src;
    size_t n;
} copy_t;

static uint64_t k_copy(void *ctx)
{
    const copy_t *c = ctx;
    memcpy(c->dst, c->src, c->n * sizeof *c->src);
    return fnv(c->dst + c->n / 2, sizeof *c->dst, FNV0);
}

/* --- outages, events, adequacy (RBTS) ---------------------------------- */

typedef struct {
    const scenario_t *sc;
    uint64_t trials;
    int32_t horizon;
    adequacy_event_t *ev, *tmp;
    size_t *first, cap, n_ev, n_spans;
    int sort; /* 1: build and sort the events; 0: only sample the outages */
} events_t;

static uint64_t k_outages(void *ctx)
{
    events_t *e = ctx;
    outage_span_t spans[4096];
    uint64_t h = FNV0;
    size_t n_all = 0, n_spans = 0;
    for (uint64_t t = 0; t < e->trials; ++t) {
        e->first[t] = n_all;
        for (size_t u = 0; u < e->sc->n_units; ++u) {
            const scen_unit_t *un = &e->sc->units[u];
            rng_stream_t rs;
            rng_init(&rs, 1, un->stream, t);
            size_t n = outage_sample(&rs, un->mttf_h, un->mttr_h, e->horizon, spans, 4096);
            n = n < 4096 ? n : 4096;
            n_spans += n;
            if (!e->sort) {
                h = fnv(spans, n * sizeof *spans, h);
                continue;
            }
            for (size_t i = 0; i < n; ++i) { /* cap: 2 per span, counted before */
                e->ev[n_all++] = (adequacy_event_t){spans[i].down_h, -un->capacity_mw};
                if (spans[i].up_h < e->horizon)
                    e->ev[n_all++] = (adequacy_event_t){spans[i].up_h, un->capacity_mw};
            }
        }
        if (e->sort)
            adequacy_sort_events(e->ev + e->first[t], e->tmp, n_all - e->first[t]);
    }
    e->first[e->trials] = n_all;
    e->n_ev = n_all;
    e->n_spans = n_spans;
    return e->sort ? fnv(e->ev, n_all * sizeof *e->ev, FNV0) : h;
}

typedef struct {
    const events_t *e;
    const adequacy_load_t *load;
    size_t years;
    adequacy_year_t *yr;
    int64_t *lol;
    int fast;
} adequacy_t;

static uint64_t k_adequacy(void *ctx)
{
    adequacy_t *a = ctx;
    const events_t *e = a->e;
    const size_t H = a->load->hours;
    memset(a->lol, 0, a->years * H * sizeof *a->lol);
    uint64_t h = FNV0;
    for (uint64_t t = 0; t < e->trials; ++t) {
        (a->fast ? adequacy_run_fast
                 : adequacy_run_ref)(a->load, a->years, e->sc->capacity_mw, e->ev + e->first[t],
                                     e->first[t + 1] - e->first[t], a->yr, a->lol);
        h = fnv(a->yr, a->years * sizeof *a->yr, h);
    }
    return fnv(a->lol, a->years * H * sizeof *a->lol, h);
}

/* The least loop work per event: one pass over the events, summing deltas. */
static uint64_t k_event_pass(void *ctx)
{
    const events_t *e = ctx;
    double s = 0.0;
    for (size_t i = 0; i < e->n_ev; ++i)
        s += e->ev[i].delta_mw;
    return fnv(&s, sizeof s, FNV0);
}

/* --- hydro (Pakistan's monthly peak shaving) --------------------------- */

enum { HYDRO_H = 744 };

typedef struct {
    int months, fast;
    double *net, *cap, *out; /* [HYDRO_H] */
} hydro_t;

static uint64_t k_hydro(void *ctx)
{
    hydro_t *p = ctx;
    uint64_t h = FNV0;
    for (int m = 0; m < p->months; ++m) {
        rng_stream_t rs;
        rng_init(&rs, 3, 3, (uint64_t)m);
        double room = 0;
        for (int i = 0; i < HYDRO_H; ++i) {
            p->net[i] = 15000 + 6000 * sin(i * 0.2618) + 3000 * rng_uniform(&rs);
            p->cap[i] = 8000 + 3000 * rng_uniform(&rs);
            room += fmin(p->net[i], p->cap[i]);
        }
        const double budget = room * (0.1 + 0.8 * rng_uniform(&rs));
        (p->fast ? dispatch_hydro : dispatch_hydro_ref)(p->net, p->cap, HYDRO_H, budget, p->out);
        double sum = 0;
        for (int i = 0; i < HYDRO_H; ++i)
            sum += p->out[i];
        const double rounded = round(sum / budget * 1e6); /* the solvers agree to 1e-6 */
        h = fnv(&rounded, sizeof rounded, h);
    }
    return h;
}

/* --- summaries: the radix select against sorting ----------------------- */

typedef struct {
    const double *x;
    double *scratch;
    size_t n;
    int sorted; /* 1: the reference, a sort and GSL's quantiles */
} summary_t;

static uint64_t k_summary(void *ctx)
{
    const summary_t *p = ctx;
    double q[6];
    if (p->sorted) {
        memcpy(p->scratch, p->x, p->n * sizeof *p->x);
        gsl_sort(p->scratch, 1, p->n);
        static const double f[4] = {0.05, 0.50, 0.95, 0.99};
        for (int k = 0; k < 4; ++k)
            q[k] = gsl_stats_quantile_from_sorted_data(p->scratch, 1, p->n, f[k]);
        q[4] = p->scratch[0];
        q[5] = p->scratch[p->n - 1];
    } else {
        double out[STATS_N];
        if (stats_summarize(p->x, p->n, out))
            return 0;
        const double v[6] = {out[STATS_P5],  out[STATS_P50], out[STATS_P95],
                             out[STATS_P99], out[STATS_MIN], out[STATS_MAX]};
        memcpy(q, v, sizeof q);
    }
    return fnv(q, sizeof q, FNV0); /* the order statistics, which must be the same doubles */
}

/* --- the HDF5 write ----------------------------------------------------- */

typedef struct {
    const results_t *r;
    char path[512];
} write_t;

static uint64_t k_write(void *ctx)
{
    const write_t *w = ctx;
    const h5out_meta_t meta = {.scenario_name = "bench", .scenario_yaml = "", .version = "bench"};
    gr_err_t err = {0, {0}};
    if (h5out_write(w->path, w->r, &meta, &err)) {
        fprintf(stderr, "gridrisk-bench: %s\n", err.msg);
        exit(1);
    }
    unlink(w->path);
    /* the data written (the writer must leave it as it was) */
    return fnv(w->r->values,
               w->r->n_scen * w->r->n_metrics * w->r->trials * w->r->years * sizeof(double), FNV0);
}

/* --- end to end ----------------------------------------------------------- */

typedef struct {
    const scenario_t *sc; /* a YAML scenario, or */
    const net_sys_t *sys; /* a PRAS system */
    uint64_t trials;
    int threads;
    pk_times_t *times; /* the economic model's time per kernel (1 thread), or NULL */
} e2e_t;

static uint64_t k_e2e(void *ctx)
{
    const e2e_t *p = ctx;
    const sim_opts_t o = {
        .seed = 1, .trials = p->trials, .threads = p->threads, .skip_sensitivity = 1};
    results_t *r;
    gr_err_t err = {0, {0}};
    const netsim_opts_t no = {0};
    const int rc = p->sys ? netsim_run(p->sys, &no, &o, &r, &err)
                   : p->sc->econ && p->times
                       ? pk_run(p->sc, &o, &r, p->threads == 1 ? p->times : NULL, &err)
                       : sim_run(p->sc, &o, &r, &err);
    if (rc) {
        fprintf(stderr, "gridrisk-bench: %s\n", err.msg);
        exit(1);
    }
    uint64_t h =
        fnv(r->values, r->n_scen * r->n_metrics * r->trials * r->years * sizeof(double), FNV0);
    h = fnv(r->lol_count, r->n_scen * r->years * r->hours * sizeof *r->lol_count, h);
    results_free(r);
    return h;
}

static void e2e_pair(suite_t *s, const char *kernel, e2e_t *p, double trial_years)
{
    p->threads = 1;
    measure(s, kernel, "1_thread", NULL, "trial-years/s", 0, trial_years, 1, k_e2e, p);
    p->threads = 2;
    measure(s, kernel, "2_threads", "1_thread", "trial-years/s", 0, trial_years, 2, k_e2e, p);
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
            buf[strcspn(buf, "\n,")] = 0;
            break;
        }
    if (f)
        fclose(f);
}

static void print_table(const suite_t *s)
{
    printf("\n%-12s %-10s %10s %15s %-14s %8s %9s %4s %9s\n", "kernel", "variant", "median_s",
           "rate", "unit", "spread", "checksum", "ok", "distance");
    for (size_t i = 0; i < s->n; ++i) {
        const row_t *r = &s->rows[i];
        char dist[16] = "-";
        if (r->bound_s > 0)
            snprintf(dist, sizeof dist, "%.2f", r->bound_s / r->median_s);
        printf("%-12s %-10s %10.4f %15.4g %-14s %7.1f%% %08llx %4s %9s\n", r->kernel, r->variant,
               r->median_s, rate_of(r, r->median_s), r->unit,
               100.0 * (r->max_s - r->min_s) / r->median_s, (unsigned long long)(r->checksum >> 32),
               r->verified < 0 ? "-"
               : r->verified   ? "yes"
                               : "NO",
               dist);
    }
}

static int write_csv(const suite_t *s, const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        return -1;
    }
    char host[64] = "unknown", cpu[128], date[16];
    gethostname(host, sizeof host - 1);
    cpu_name(cpu, sizeof cpu);
    const time_t now = time(NULL);
    strftime(date, sizeof date, "%Y-%m-%d", gmtime(&now));
    fprintf(f, "host,date,cpu,cores,compiler,flags,git_revision,kernel,variant,reference,threads,"
               "unit,work,repeats,median_s,min_s,max_s,rate,rate_min,rate_max,checksum,verified,"
               "bound_rate,distance,bound_from\n");
    for (size_t i = 0; i < s->n; ++i) {
        const row_t *r = &s->rows[i];
        const double lo = rate_of(r, r->per_item ? r->min_s : r->max_s),
                     hi = rate_of(r, r->per_item ? r->max_s : r->min_s);
        fprintf(f,
                "%s,%s,\"%s\",%d,\"gcc %s\",\"%s\",%s,%s,%s,%s,%d,%s,%.17g,%d,%.9g,%.9g,%.9g,"
                "%.9g,%.9g,%.9g,%016llx,%d,",
                host, date, cpu, omp_get_num_procs(), __VERSION__, GRIDRISK_CFLAGS,
                GRIDRISK_GIT_REV, r->kernel, r->variant, r->reference, r->threads, r->unit, r->work,
                s->repeats, r->median_s, r->min_s, r->max_s, rate_of(r, r->median_s), lo, hi,
                (unsigned long long)r->checksum, r->verified);
        if (r->bound_s > 0)
            fprintf(f, "%.9g,%.4f,\"%s\"\n", rate_of(r, r->bound_s), r->bound_s / r->median_s,
                    r->bound_from);
        else
            fprintf(f, ",,\n");
    }
    return fclose(f) ? -1 : 0;
}

static void usage(void)
{
    fprintf(stderr, "usage: gridrisk-bench [-r REPEATS] [-n TRIALS] [-m PK_TRIALS] [-q] "
                    "[--csv FILE]\n");
    exit(2);
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
    unsigned long long trials = 200000, pk_trials = 400, net_trials = 400;
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
    if (quick) {
        trials = 2000;
        pk_trials = 8;
        net_trials = 40;
        repeats = 2;
    }
    if (repeats < 1 || repeats > 64 || trials < 1 || pk_trials < 1)
        usage();
    suite_t *s = calloc(1, sizeof *s);
    if (!s)
        return 1;
    s->repeats = repeats;
    printf("gridrisk-bench: %d repeats per kernel, median and spread; %d processors; gcc %s; "
           "%s\n",
           repeats, omp_get_num_procs(), __VERSION__, GRIDRISK_CFLAGS);

    /* the parts */
    draws_t words = {quick ? 1u << 20 : 1u << 24, 0};
    const row_t *w =
        measure(s, "rng", "philox_word", NULL, "ns/word", 1, (double)words.n, 1, k_draws, &words);
    const double t_word = w->median_s / (double)words.n;
    words.exponential = 1;
    row_t *r =
        measure(s, "rng", "exponential", NULL, "ns/draw", 1, (double)words.n, 1, k_draws, &words);
    bound(r, 2.0 * t_word * (double)words.n, "2 Philox words per draw (53-bit uniform)");
    const double t_exp = r->median_s / (double)words.n;
    const size_t big = quick ? 1u << 20 : 1u << 23, small = 4096;
    double *x = xmalloc(big * sizeof *x), *y = xmalloc(big * sizeof *y);
    for (size_t i = 0; i < big; ++i)
        x[i] = (double)(i % 977) * 0.25;
    pass_t cache = {x, small, big / small}, memory = {x, big, 1};
    r = measure(s, "pass", "in_cache", NULL, "ns/double", 1, (double)big, 1, k_pass, &cache);
    const double t_cached = r->median_s / (double)big;
    r = measure(s, "pass", "from_memory", NULL, "MB/s", 0, 8e-6 * (double)big, 1, k_pass, &memory);
    const double t_mem_byte = r->median_s / (8.0 * (double)big);
    memset(y, 0, big * sizeof *y); /* the pages exist before the copy is timed */
    copy_t cp = {y, x, big};
    r = measure(s, "copy", "memcpy", NULL, "MB/s", 0, 8e-6 * (double)big, 1, k_copy, &cp);
    const double t_copy_byte = r->median_s / (8.0 * (double)big);

    /* outages and adequacy on RBTS */
    scenario_t *rbts = load("inputs/rbts/rbts.yaml");
    const size_t Y = rbts->horizon_years, H = rbts->hours;
    const uint64_t TA = trials / 10 ? trials / 10 : 1;
    events_t ev = {.sc = rbts, .trials = TA, .horizon = (int32_t)(Y * H)};
    ev.first = xmalloc((TA + 1) * sizeof *ev.first);
    k_outages(&ev); /* the span count: the rate's work and the events' room */
    ev.cap = 2 * ev.n_spans;
    ev.ev = xmalloc(ev.cap * sizeof *ev.ev);
    ev.tmp = xmalloc(ev.cap * sizeof *ev.tmp);
    const double spans = (double)ev.n_spans, units_tr = (double)(rbts->n_units * TA);
    /* each span takes two exponentials; each unit's sequence one more past the horizon */
    const double draws = 2.0 * spans + units_tr;
    r = measure(s, "outage", "sample", NULL, "ns/draw", 1, draws, 1, k_outages, &ev);
    bound(r, draws * t_exp, "its exponentials");
    ev.sort = 1;
    r = measure(s, "events", "build_sort", NULL, "ns/event", 1, 0.0, 1, k_outages, &ev);
    r->work = (double)ev.n_ev;
    bound(r, draws * t_exp + (double)ev.n_ev * 16.0 * t_copy_byte,
          "its exponentials and one copy of each event");
    r = measure(s, "events", "pass", NULL, "ns/event", 1, (double)ev.n_ev, 1, k_event_pass, &ev);
    const double t_event = r->median_s / (double)ev.n_ev;
    adequacy_load_t ld;
    if (adequacy_load_init(&ld, rbts->load_mw, H))
        return 1;
    adequacy_t aq = {.e = &ev,
                     .load = &ld,
                     .years = Y,
                     .yr = xmalloc(Y * sizeof *aq.yr),
                     .lol = xmalloc(Y * H * sizeof *aq.lol)};
    const double ty = (double)(TA * Y);
    r = measure(s, "adequacy", "ref", NULL, "trial-years/s", 0, ty, 1, k_adequacy, &aq);
    bound(r, ty * (double)H * t_cached, "a look at every hour (a pass in cache)");
    aq.fast = 1;
    r = measure(s, "adequacy", "fast", "ref", "trial-years/s", 0, ty, 1, k_adequacy, &aq);
    bound(r, (double)ev.n_ev * t_event, "a pass over its events");

    /* hydro */
    hydro_t hy = {.months = quick ? 200 : 2000,
                  .net = xmalloc(HYDRO_H * sizeof(double)),
                  .cap = xmalloc(HYDRO_H * sizeof(double)),
                  .out = xmalloc(HYDRO_H * sizeof(double))};
    r = measure(s, "hydro", "ref", NULL, "months/s", 0, hy.months, 1, k_hydro, &hy);
    hy.fast = 1;
    r = measure(s, "hydro", "fast", "ref", "months/s", 0, hy.months, 1, k_hydro, &hy);
    bound(r, hy.months * HYDRO_H * 3.0 * t_cached, "three passes over a month in cache");

    /* summaries */
    const size_t ns = quick ? 1u << 16 : 1u << 20;
    rng_stream_t rs;
    rng_init(&rs, 5, 5, 0);
    for (size_t i = 0; i < ns; ++i) /* a loss-like sample: many ties at 0, a long tail */
        x[i] = rng_uniform(&rs) < 0.6 ? 0.0 : rng_exponential(&rs, 40.0);
    summary_t su = {x, y, ns, 1};
    r = measure(s, "summary", "sort", NULL, "ns/value", 1, (double)ns, 1, k_summary, &su);
    su.sorted = 0;
    r = measure(s, "summary", "radix", "sort", "ns/value", 1, (double)ns, 1, k_summary, &su);
    bound(r, (double)ns * 8.0 * t_mem_byte, "one read of the sample from memory");

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
    r = measure(s, "hdf5", "write", NULL, "MB/s", 0, 8e-6 * (double)nv, 1, k_write, &wr);
    bound(r, 8.0 * (double)nv * t_copy_byte, "one copy of the data");
    results_free(res);

    /* end to end */
    e2e_t e = {.sc = rbts, .trials = trials};
    e2e_pair(s, "rbts", &e, (double)(trials * Y));
    row_t *one = &s->rows[s->n - 2];
    bound(one, (double)trials / (double)TA * (draws * t_exp + (double)ev.n_ev * t_event),
          "outage draws and a pass over events");
    scenario_t *pk = load("inputs/pakistan/pakistan.yaml");
    pk_times_t tm = {0, 0, 0, 0};
    e = (e2e_t){.sc = pk, .trials = pk_trials, .times = &tm};
    e2e_pair(s, "pakistan", &e, (double)(pk_trials * pk->horizon_years));
    net_sys_t *sys;
    gr_err_t err = {0, {0}};
    if (pras_load("inputs/pras/rts.pras", &sys, &err)) {
        fprintf(stderr, "gridrisk-bench: %s\n", err.msg);
        return 2;
    }
    e = (e2e_t){.sys = sys, .trials = net_trials};
    e2e_pair(s, "rts_gmlc", &e, (double)net_trials);

    print_table(s);
    for (size_t i = 1; i < s->n; ++i)
        if (s->rows[i].threads == 2)
            printf("%s: 1 -> 2 threads %.2fx\n", s->rows[i].kernel,
                   s->rows[i - 1].median_s / s->rows[i].median_s);
    const double tot = tm.drivers_s + tm.outages_s + tm.hydro_s + tm.hourly_s;
    if (tot > 0)
        printf("pakistan by kernel (1 thread, all repeats): drivers %.1f%%, outages and "
               "availability %.1f%%, hydro %.1f%%, hourly balance and dispatch %.1f%%\n",
               100 * tm.drivers_s / tot, 100 * tm.outages_s / tot, 100 * tm.hydro_s / tot,
               100 * tm.hourly_s / tot);
    int rc = s->bad;
    if (csv && write_csv(s, csv))
        rc = 1;
    else if (csv)
        printf("wrote %s\n", csv);
    net_free(sys);
    scenario_free(pk);
    scenario_free(rbts);
    adequacy_load_free(&ld);
    free(aq.yr);
    free(aq.lol);
    free(ev.ev);
    free(ev.tmp);
    free(ev.first);
    free(hy.net);
    free(hy.cap);
    free(hy.out);
    free(x);
    free(y);
    free(s);
    return rc;
}
