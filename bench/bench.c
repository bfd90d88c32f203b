/*
 * bench.c - kernel benchmarks with verification checksums (XSBench style).
 *
 * Every kernel variant runs on the same inputs; each prints its time, its
 * rate and a checksum of its results. The program exits 1 if a fast variant's
 * checksum differs from its reference, so a speed-up is accepted only when it
 * reproduces the baseline, and the work cannot be optimised away.
 *
 *   gridrisk-bench [-n TRIALS] [-s SCENARIO.yaml] [-p PAKISTAN.yaml] [-m PK_TRIALS]
 *
 * Measures (RBTS by default):
 *   outage      event sampling of all units, trial-years/s
 *   adequacy    ref (hour by hour) vs fast (event segments), same events
 *   sim         the whole trial loop on 1 and on 2 threads, trial-years/s per
 *               core and the 1 -> 2 thread speed-up (results must be identical)
 * and for the Pakistan model (default inputs/pakistan/pakistan.yaml):
 *   hydro       Illinois solver vs bisection reference on random months (the
 *               levels agree to 1e-6 of the budget; checksums of rounded output)
 *   pakistan    the whole model on 1 and 2 threads (identical checksums), with
 *               the time per kernel summed over threads
 */
#include "../inputs/scenario.h"
#include "../kernels/adequacy.h"
#include "../kernels/dispatch.h"
#include "../kernels/outage.h"
#include "../kernels/rng.h"
#include "../model/pakistan.h"
#include "../model/sim.h"

#include <math.h>

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Order-sensitive checksum of a double array (FNV-1a over the bits). */
static uint64_t checksum(const void *p, size_t bytes, uint64_t h)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < bytes; ++i)
        h = (h ^ b[i]) * 1099511628211ULL;
    return h;
}

#define FNV0 1469598103934665603ULL

/*
 * The whole model on 1 and on 2 threads: one row each, named label_N_thread[s],
 * with a checksum of every result value; the two must agree. rate[th] gets
 * trial-years/s; times (economic runs, may be NULL) the 1-thread kernel
 * times. Returns 0, 1 on a checksum mismatch, or -1 when a run fails.
 */
static int bench_threads(const scenario_t *sc, unsigned long long trials, const char *label,
                         double rate[3], pk_times_t *times)
{
    uint64_t ck[3] = {0};
    for (int th = 1; th <= 2; ++th) {
        const sim_opts_t o = {.seed = 1, .trials = trials, .threads = th};
        results_t *r;
        gr_err_t err = {0, {0}};
        const double t0 = now_s();
        const int rc = sc->econ && times ? pk_run(sc, &o, &r, th == 1 ? times : NULL, &err)
                                         : sim_run(sc, &o, &r, &err);
        if (rc) {
            fprintf(stderr, "gridrisk-bench: %s\n", err.msg);
            return -1;
        }
        const double el = now_s() - t0;
        rate[th] = (double)(trials * sc->horizon_years) / el;
        ck[th] = checksum(r->values,
                          r->n_scen * r->n_metrics * r->trials * r->years * sizeof(double), FNV0);
        char name[32];
        snprintf(name, sizeof name, "%s_%d_thread%s", label, th, th > 1 ? "s" : "");
        printf("%-22s %10.3f %16.0f %18llx\n", name, el, rate[th], (unsigned long long)ck[th]);
        results_free(r);
    }
    if (ck[1] != ck[2]) {
        printf("CHECKSUM MISMATCH: %s on 2 threads differs from 1 thread\n", label);
        return 1;
    }
    return 0;
}

/* Hydro solvers on random months, then the whole Pakistan model. */
static int bench_pakistan(const char *path, unsigned long long trials)
{
    int bad = 0;
    enum { N = 744, MONTHS = 2000 };
    static double net[N], cap[N], out[N];
    double el[2], maxdiff = 0.0, sums[2][MONTHS];
    uint64_t ck[2];
    for (int k = 0; k < 2; ++k) {
        uint64_t h = FNV0;
        const double t0 = now_s();
        for (int m = 0; m < MONTHS; ++m) {
            rng_stream_t rs;
            rng_init(&rs, 3, 3, (uint64_t)m);
            double room = 0;
            for (int i = 0; i < N; ++i) {
                net[i] = 15000 + 6000 * sin(i * 0.2618) + 3000 * rng_uniform(&rs);
                cap[i] = 8000 + 3000 * rng_uniform(&rs);
                room += fmin(net[i], cap[i]);
            }
            const double budget = room * (0.1 + 0.8 * rng_uniform(&rs));
            (k ? dispatch_hydro : dispatch_hydro_ref)(net, cap, N, budget, out);
            double sum = 0;
            for (int i = 0; i < N; ++i)
                sum += out[i];
            sums[k][m] = sum;
            const double rounded = round(sum / budget * 1e6); /* agree to 1e-6 */
            h = checksum(&rounded, sizeof rounded, h);
        }
        el[k] = now_s() - t0;
        ck[k] = h;
    }
    for (int m = 0; m < MONTHS; ++m)
        maxdiff = fmax(maxdiff, fabs(sums[0][m] - sums[1][m]) / sums[0][m]);
    printf("%-22s %10.3f %16.0f %18llx\n", "hydro_ref (months)", el[0], MONTHS / el[0],
           (unsigned long long)ck[0]);
    printf("%-22s %10.3f %16.0f %18llx\n", "hydro_fast (months)", el[1], MONTHS / el[1],
           (unsigned long long)ck[1]);
    printf("hydro: fast/ref speed-up %.1fx, largest relative energy difference %.2g\n",
           el[0] / el[1], maxdiff);
    if (ck[0] != ck[1]) {
        printf("CHECKSUM MISMATCH: hydro_fast differs from hydro_ref\n");
        bad = 1;
    }

    gr_err_t err = {0, {0}};
    scenario_t *sc;
    if (scenario_load(path, &sc, &err)) {
        fprintf(stderr, "gridrisk-bench: %s\n", err.msg);
        return 1;
    }
    printf("\nscenario %s: %zu units, %zu scenarios, %u years, %llu trials\n", sc->name,
           sc->n_units, sc->n_scen, sc->horizon_years, trials);
    double rate[3] = {0};
    pk_times_t tm = {0, 0, 0, 0};
    const int rc = bench_threads(sc, trials, "pakistan", rate, &tm);
    if (rc < 0)
        return 1;
    bad |= rc;
    const pk_times_t *t = &tm;
    const double tot = t->drivers_s + t->outages_s + t->hydro_s + t->hourly_s;
    printf("pakistan: %.0f trial-years/s on 1 core, speed-up 1 -> 2 threads %.2fx\n", rate[1],
           rate[2] / rate[1]);
    printf("kernel breakdown (1 thread): drivers %.1f%%, outages+availability %.1f%%, "
           "hydro %.1f%%, hourly balance+dispatch %.1f%%\n",
           100 * t->drivers_s / tot, 100 * t->outages_s / tot, 100 * t->hydro_s / tot,
           100 * t->hourly_s / tot);
    scenario_free(sc);
    return bad;
}

int main(int argc, char **argv)
{
    const char *path = "inputs/rbts/rbts.yaml", *pk_path = "inputs/pakistan/pakistan.yaml";
    unsigned long long trials = 200000, pk_trials = 400;
    int c;
    while ((c = getopt(argc, argv, "n:s:p:m:h")) != -1) {
        if (c == 'n')
            trials = strtoull(optarg, NULL, 10);
        else if (c == 's')
            path = optarg;
        else if (c == 'p')
            pk_path = optarg;
        else if (c == 'm')
            pk_trials = strtoull(optarg, NULL, 10);
        else {
            fprintf(stderr, "usage: gridrisk-bench [-n TRIALS] [-s SCENARIO.yaml] "
                            "[-p PAKISTAN.yaml] [-m PK_TRIALS]\n");
            return 2;
        }
    }
    gr_err_t err = {0, {0}};
    scenario_t *sc;
    if (scenario_load(path, &sc, &err)) {
        fprintf(stderr, "gridrisk-bench: %s\n", err.msg);
        return 2;
    }
    const size_t Y = sc->horizon_years, H = sc->hours;
    const int32_t horizon = (int32_t)(Y * H);
    int bad = 0;
    printf("scenario %s: %zu units, %zu h x %zu yr, %llu trials\n", sc->name, sc->n_units, H, Y,
           trials);
    printf("%-22s %10s %16s %18s\n", "kernel", "time_s", "trial-years/s", "checksum");

    /* --- outage sampling + event build, kept for the adequacy kernels --- */
    const uint64_t TA = trials / 10 ? trials / 10 : 1; /* events kept in memory */
    size_t ev_cap = 1 << 20, n_all = 0;
    adequacy_event_t *ev = malloc(ev_cap * sizeof *ev), *tmp = malloc(ev_cap * sizeof *tmp);
    size_t *first = malloc((TA + 1) * sizeof *first);
    if (!ev || !tmp || !first) {
        fprintf(stderr, "gridrisk-bench: out of memory\n");
        return 1;
    }
    outage_span_t spans[4096];
    double t0 = now_s();
    uint64_t ck = FNV0;
    for (uint64_t t = 0; t < TA; ++t) {
        first[t] = n_all;
        for (size_t u = 0; u < sc->n_units; ++u) {
            rng_stream_t rs;
            rng_init(&rs, 1, sc->units[u].stream, t);
            const size_t n =
                outage_sample(&rs, sc->units[u].mttf_h, sc->units[u].mttr_h, horizon, spans, 4096);
            while (n_all + 2 * n > ev_cap) {
                ev_cap *= 2;
                adequacy_event_t *ne = realloc(ev, ev_cap * sizeof *ev);
                if (ne)
                    ev = ne;
                adequacy_event_t *nt = ne ? realloc(tmp, ev_cap * sizeof *tmp) : NULL;
                if (!nt) {
                    fprintf(stderr, "gridrisk-bench: out of memory\n");
                    free(ev);
                    free(tmp);
                    return 1;
                }
                tmp = nt;
            }
            for (size_t i = 0; i < n && i < 4096; ++i) {
                ev[n_all++] = (adequacy_event_t){spans[i].down_h, -sc->units[u].capacity_mw};
                if (spans[i].up_h < horizon)
                    ev[n_all++] = (adequacy_event_t){spans[i].up_h, sc->units[u].capacity_mw};
            }
        }
        adequacy_sort_events(ev + first[t], tmp, n_all - first[t]);
    }
    first[TA] = n_all;
    double el = now_s() - t0;
    ck = checksum(ev, n_all * sizeof *ev, ck);
    printf("%-22s %10.3f %16.0f %18llx\n", "outage+sort", el, (double)(TA * Y) / el,
           (unsigned long long)ck);

    /* --- adequacy: ref vs fast on the same events --- */
    adequacy_load_t load;
    adequacy_load_init(&load, sc->load_mw, H);
    adequacy_year_t *yr = malloc(Y * sizeof *yr);
    int64_t *lol = calloc(Y * H, sizeof *lol);
    uint64_t cks[2];
    for (int k = 0; k < 2; ++k) {
        memset(lol, 0, Y * H * sizeof *lol);
        uint64_t h = FNV0;
        t0 = now_s();
        for (uint64_t t = 0; t < TA; ++t) {
            (k ? adequacy_run_fast : adequacy_run_ref)(&load, Y, sc->capacity_mw, ev + first[t],
                                                       first[t + 1] - first[t], yr, lol);
            h = checksum(yr, Y * sizeof *yr, h);
        }
        el = now_s() - t0;
        cks[k] = checksum(lol, Y * H * sizeof *lol, h);
        printf("%-22s %10.3f %16.0f %18llx\n", k ? "adequacy_fast" : "adequacy_ref", el,
               (double)(TA * Y) / el, (unsigned long long)cks[k]);
    }
    if (cks[0] != cks[1]) {
        printf("CHECKSUM MISMATCH: adequacy_fast differs from adequacy_ref\n");
        bad = 1;
    }

    /* --- whole trial loop on 1 and 2 threads --- */
    double rate[3] = {0};
    const int rc = bench_threads(sc, trials, "sim", rate, NULL);
    if (rc < 0)
        return 1;
    bad |= rc;
    printf("sim: %.0f trial-years/s per core (1 thread); speed-up 1 -> 2 threads %.2fx\n", rate[1],
           rate[2] / rate[1]);

    free(ev);
    free(tmp);
    free(first);
    free(yr);
    free(lol);
    adequacy_load_free(&load);
    scenario_free(sc);
    return bad | bench_pakistan(pk_path, pk_trials);
}
