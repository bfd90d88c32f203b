/*
 * main.c - the gridrisk command line.
 *
 *   gridrisk run SCENARIO.yaml -o OUT.h5 [-n TRIALS] [-s SEED] [-t THREADS]
 *   gridrisk validate SCENARIO.yaml
 *   gridrisk summary OUT.h5
 *
 * Exit status: 0 success, 1 runtime failure, 2 usage or input error. Only
 * this file prints errors and chooses exit codes.
 */
#include "../inputs/scenario.h"
#include "../outputs/h5out.h"
#include "../outputs/report.h"
#include "err.h"
#include "limits.h"
#include "outpath.h"
#include "runmem.h"
#include "sim.h"
#include "version.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void usage(FILE *f)
{
    fprintf(f,
            "usage: gridrisk run SCENARIO.yaml -o OUT.h5 [-n TRIALS] [-s SEED] [-t THREADS]\n"
            "       gridrisk validate SCENARIO.yaml\n"
            "       gridrisk schema\n"
            "       gridrisk summary [--all] OUT.h5\n"
            "       gridrisk --help | --version\n"
            "\n"
            "run       simulate TRIALS Monte Carlo trials of the scenario and write HDF5\n"
            "  -o, --output FILE    result file (written to a temporary name, then renamed)\n"
            "  -n, --trials N       trials (default: the scenario's run.trials, else %d)\n"
            "  -s, --seed S         random seed, 0..4294967295 (default: run.seed)\n"
            "  -t, --threads T      OpenMP threads (default: OMP_NUM_THREADS or all cores)\n"
            "  -q, --quiet          no progress bar and no summary table\n"
            "      --kernel K       adequacy kernel: fast (default) or ref\n"
            "validate  check the scenario and print it resolved\n"
            "schema    print every input field: type, unit, bounds, default, meaning\n"
            "summary   print the summary of a result file (--all: every metric)\n"
            "\n"
            "Results are a pure function of (scenario, seed, trials): identical for any\n"
            "thread count. Exit status: 0 ok, 1 runtime error, 2 usage or input error.\n",
            SCENARIO_DEFAULT_TRIALS);
}

static int parse_u64(const char *s, unsigned long long max, unsigned long long *v)
{
    char *end;
    errno = 0;
    if (!*s || *s == '-')
        return -1;
    const unsigned long long x = strtoull(s, &end, 10);
    if (errno || *end || x > max)
        return -1;
    *v = x;
    return 0;
}

static void progress(void *ctx, uint64_t done, uint64_t total)
{
    const double *t0 = ctx;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    const double el = (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec - *t0;
    const double frac = (double)done / (double)total;
    const double rate = el > 0 ? (double)done / el : 0.0;
    const double eta = rate > 0 ? (double)(total - done) / rate : 0.0;
    char bar[31];
    const int fill = (int)(frac * 30.0);
    for (int i = 0; i < 30; ++i)
        bar[i] = i < fill ? '#' : '.';
    bar[30] = '\0';
    fprintf(stderr, "\r[%s] %5.1f%%  %llu/%llu trials  %.0f trials/s  ETA %.0fs ", bar,
            100.0 * frac, (unsigned long long)done, (unsigned long long)total, rate, eta);
    if (done == total)
        fputc('\n', stderr);
    fflush(stderr);
}

static int fail(const gr_err_t *e)
{
    fprintf(stderr, "gridrisk: %s\n", e->msg);
    return e->code ? e->code : GR_ERUNTIME;
}

/*
 * The program's one mutable global, for its one signal handler: the path of
 * the temporary result file, which SIGINT, SIGTERM or SIGHUP must not leave
 * behind. sig_tmp_path is written once, before the handlers are installed;
 * afterwards only the flag changes, and the handler calls only
 * async-signal-safe functions (unlink, raise).
 */
static char sig_tmp_path[OUTPATH_MAX];
static volatile sig_atomic_t sig_tmp_armed;

static void on_fatal_signal(int sig)
{
    const int saved = errno; /* the interrupted code may be reading it */
    if (sig_tmp_armed)
        unlink(sig_tmp_path);
    errno = saved;
    /* SA_RESETHAND restored the default action; the re-raised signal is
     * delivered when this handler returns and ends the process, so the exit
     * status says "killed by sig" (130 or 143 in a shell), as without us */
    raise(sig);
}

/* From here until disarm, a fatal signal removes tmp (if it exists). */
static void arm_signal_cleanup(const char *tmp)
{
    snprintf(sig_tmp_path, sizeof sig_tmp_path, "%s", tmp);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_fatal_signal;
    sa.sa_flags = SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; ++i)
        sigaddset(&sa.sa_mask, sigs[i]); /* one cleanup at a time */
    sig_tmp_armed = 1;
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; ++i) {
        struct sigaction old;
        /* a signal the caller ignores stays ignored (nohup, background
         * jobs): catching it would let it kill the run */
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
            sigaction(sigs[i], &sa, NULL);
    }
}

static void disarm_signal_cleanup(void) { sig_tmp_armed = 0; }

static double gib(uint64_t bytes) { return (double)bytes / (double)(1ULL << 30); }

/* Refuses a run whose estimated peak memory exceeds what the machine has
 * available, before any trial runs. */
static int check_memory(const scenario_t *sc, uint64_t trials, int threads, gr_err_t *err)
{
    results_mem_t m;
    runmem_estimate(sc, trials, threads, &m);
    uint64_t avail;
    if (runmem_available("/proc/meminfo", "/sys/fs/cgroup", &avail))
        return GR_OK; /* cannot tell: let the run try */
    if (m.total_bytes <= avail)
        return GR_OK;
    return gr_err_set(err, GR_ERUNTIME,
                      "%llu trials need ~%.2f GiB (results %.2f, threads %.2f, writer %.2f), "
                      "the machine has %.2f GiB available; lower --trials",
                      (unsigned long long)trials, gib(m.total_bytes), gib(m.results_bytes),
                      gib(m.threads_bytes), gib(m.writer_bytes), gib(avail));
}

static void print_memory(const scenario_t *sc, FILE *f)
{
    results_mem_t m;
    runmem_estimate(sc, sc->trials, 0, &m);
    uint64_t avail;
    fprintf(f, "memory: ~%.3f GiB for %llu trials (results %.3f, threads %.3f, writer %.3f, "
               "program %.3f)",
            gib(m.total_bytes), (unsigned long long)sc->trials, gib(m.results_bytes),
            gib(m.threads_bytes), gib(m.writer_bytes), gib(m.base_bytes));
    if (!runmem_available("/proc/meminfo", "/sys/fs/cgroup", &avail))
        fprintf(f, "; %.2f GiB available", gib(avail));
    fputc('\n', f);
}

static int cmd_run(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'}, {"trials", required_argument, NULL, 'n'},
        {"seed", required_argument, NULL, 's'},   {"threads", required_argument, NULL, 't'},
        {"quiet", no_argument, NULL, 'q'},        {"kernel", required_argument, NULL, 'k'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0}};
    const char *out = NULL;
    unsigned long long trials = 0, seed = 0, threads = 0;
    int have_trials = 0, have_seed = 0, quiet = 0;
    sim_kernel_t kernel = SIM_KERNEL_FAST;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:n:s:t:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'o':
            out = optarg;
            break;
        case 'n':
            if (parse_u64(optarg, GR_MAX_TRIALS, &trials) || trials < 1) {
                fprintf(stderr, "gridrisk: --trials: '%s' is not a whole number in 1..%llu\n",
                        optarg, (unsigned long long)GR_MAX_TRIALS);
                return GR_EINPUT;
            }
            have_trials = 1;
            break;
        case 's':
            if (parse_u64(optarg, UINT32_MAX, &seed)) {
                fprintf(stderr, "gridrisk: --seed: '%s' is not in 0..4294967295\n", optarg);
                return GR_EINPUT;
            }
            have_seed = 1;
            break;
        case 't':
            if (parse_u64(optarg, 4096, &threads) || threads < 1) {
                fprintf(stderr, "gridrisk: --threads: '%s' is not in 1..4096\n", optarg);
                return GR_EINPUT;
            }
            break;
        case 'q':
            quiet = 1;
            break;
        case 'k':
            if (!strcmp(optarg, "ref"))
                kernel = SIM_KERNEL_REF;
            else if (strcmp(optarg, "fast")) {
                fprintf(stderr, "gridrisk: --kernel: '%s' is not fast or ref\n", optarg);
                return GR_EINPUT;
            }
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return GR_EINPUT;
        }
    }
    if (optind != argc - 1 || !out) {
        fprintf(stderr, "gridrisk run: need one SCENARIO.yaml and -o OUT.h5\n");
        usage(stderr);
        return GR_EINPUT;
    }
    gr_err_t err = {0, {0}};
    char tmp[OUTPATH_MAX];
    if (outpath_tmp(tmp, sizeof tmp, out)) {
        fprintf(stderr, "gridrisk: -o: path too long\n");
        return GR_EINPUT;
    }
    /* outpath_check's probe creates the temporary too */
    arm_signal_cleanup(tmp);
    scenario_t *sc;
    if (scenario_load(argv[optind], &sc, &err))
        return fail(&err);
    /* Everything that can fail after the run is checked before it: the
     * output may not replace any file the scenario read (itself, its base:
     * chain, its CSVs). */
    const uint64_t n_trials = have_trials ? trials : sc->trials;
    if (outpath_check(out, sc->input_paths, sc->n_input_paths, &err) ||
        check_memory(sc, n_trials, (int)threads, &err)) {
        scenario_free(sc);
        return fail(&err);
    }
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    double t0 = (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
    const sim_opts_t so = {
        .seed = have_seed ? (uint32_t)seed : sc->seed,
        .trials = n_trials,
        .threads = (int)threads,
        .kernel = kernel,
        .progress = !quiet && isatty(STDERR_FILENO) ? progress : NULL,
        .progress_ctx = &t0,
    };
    results_t *r;
    int rc = sim_run(sc, &so, &r, &err);
    if (!rc) {
        const h5out_meta_t meta = {sc->name, sc->yaml_text, GRIDRISK_VERSION, 0};
        rc = h5out_write(out, r, &meta, &err);
        disarm_signal_cleanup();
        if (!rc && !quiet) {
            fprintf(stderr, "%llu trials x %zu year(s) on %d thread(s) in %.2f s (%.0f "
                            "trial-years/s)\n",
                    (unsigned long long)r->trials, r->years, r->threads, r->wall_s,
                    (double)r->trials * (double)r->years / r->wall_s);
            rc = report_print(out, 0, stdout, &err);
        }
        results_free(r);
    }
    scenario_free(sc);
    return rc ? fail(&err) : 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return GR_EINPUT;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
        printf("gridrisk %s\n", GRIDRISK_VERSION);
        return 0;
    }
    if (!strcmp(cmd, "run"))
        return cmd_run(argc - 1, argv + 1);
    if (!strcmp(cmd, "schema") && argc == 2) {
        scenario_print_schema(stdout);
        return 0;
    }
    if (!strcmp(cmd, "summary") && argc == 4 && !strcmp(argv[2], "--all")) {
        gr_err_t err = {0, {0}};
        return report_print(argv[3], 1, stdout, &err) ? fail(&err) : 0;
    }
    if (!strcmp(cmd, "validate") || !strcmp(cmd, "summary")) {
        if (argc != 3) {
            fprintf(stderr, "gridrisk %s: need exactly one file\n", cmd);
            return GR_EINPUT;
        }
        gr_err_t err = {0, {0}};
        if (!strcmp(cmd, "summary"))
            return report_print(argv[2], 0, stdout, &err) ? fail(&err) : 0;
        scenario_t *sc;
        if (scenario_load(argv[2], &sc, &err))
            return fail(&err);
        scenario_print(sc, stdout);
        print_memory(sc, stdout);
        scenario_free(sc);
        return 0;
    }
    fprintf(stderr, "gridrisk: unknown command '%s'\n", cmd);
    usage(stderr);
    return GR_EINPUT;
}
