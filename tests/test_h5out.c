/* test_h5out.c - HDF5 output: round trip, layout, and no partial file on
 * failure (injected write failure, unwritable target). */
#include "testutil.h"

#include "../kernels/stats.h"
#include "../model/sens.h"
#include "../outputs/h5out.h"
#include "../outputs/report.h"

#include <dirent.h>
#include <hdf5.h>
#include <hdf5_hl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const metric_info_t M[] = {{"a_mwh", "MWh/yr", "first"}, {"b_h", "h/yr", "second"}};
static const metric_info_t D[] = {{"brent_usd_per_bbl", "USD/bbl", "driver"}};

/* Two scenarios, 5 trials, 3 years, 4 hours, values from a formula. */
static results_t *make_results(void)
{
    const char *names[] = {"baseline", "allocation"};
    results_t *r = results_new(5, 3, 4, 2, names, 2, M, 1, D);
    assert_non_null(r);
    for (size_t s = 0; s < 2; ++s)
        for (size_t m = 0; m < 2; ++m)
            for (uint64_t t = 0; t < 5; ++t)
                for (size_t y = 0; y < 3; ++y)
                    results_at(r, s, m, t)[y] =
                        100.0 * (double)s + 10.0 * (double)m + (double)t + 0.25 * (double)y;
    for (uint64_t t = 0; t < 5; ++t)
        for (size_t y = 0; y < 3; ++y)
            results_driver_at(r, 0, t)[y] = 60.0 + (double)t;
    for (size_t i = 0; i < 2 * 3 * 4; ++i)
        r->lol_count[i] = (int64_t)(i % 5);
    r->seed = 42;
    r->threads = 2;
    r->ranks = 1;
    r->wall_s = 0.5;
    return r;
}

static const h5out_meta_t META = {
    .scenario_name = "unit-test", .scenario_yaml = "name: unit-test\n", .version = "9.9.9"};

static void read_ds(hid_t f, const char *path, double *buf, hsize_t *dims)
{
    hid_t d = H5Dopen2(f, path, H5P_DEFAULT);
    if (d < 0)
        fail_msg("missing dataset %s", path);
    hid_t sp = H5Dget_space(d);
    H5Sget_simple_extent_dims(sp, dims, NULL);
    assert_true(H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) >= 0);
    H5Sclose(sp);
    H5Dclose(d);
}

/* Reads a 1-D int32 dataset into buf (n values). */
static void read_i32(hid_t f, const char *path, int32_t *buf, hsize_t n)
{
    hid_t d = H5Dopen2(f, path, H5P_DEFAULT);
    if (d < 0)
        fail_msg("missing dataset %s", path);
    hid_t sp = H5Dget_space(d);
    hsize_t dims[1] = {0};
    assert_int_equal(H5Sget_simple_extent_ndims(sp), 1);
    H5Sget_simple_extent_dims(sp, dims, NULL);
    assert_int_equal(dims[0], n);
    assert_true(H5Dread(d, H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) >= 0);
    H5Sclose(sp);
    H5Dclose(d);
}

/* Asserts that axis i of dataset path carries the dimension scale named
 * dim (what netCDF and xarray read as the dimension's name). */
static void assert_scale(hid_t f, const char *path, unsigned axis, const char *dim)
{
    hid_t d = H5Dopen2(f, path, H5P_DEFAULT);
    assert_true(d >= 0);
    assert_int_equal(H5DSget_num_scales(d, axis), 1);
    char grp[256];
    snprintf(grp, sizeof grp, "%s", path);
    char *slash = strrchr(grp, '/');
    snprintf(slash + 1, sizeof grp - (size_t)(slash + 1 - grp), "%s", dim);
    hid_t sc = H5Dopen2(f, grp, H5P_DEFAULT);
    assert_true(sc >= 0);
    assert_true(H5DSis_attached(d, sc, axis) > 0);
    char name[64] = "";
    assert_true(H5DSget_scale_name(sc, name, sizeof name) > 0);
    assert_string_equal(name, dim);
    H5Dclose(sc);
    H5Dclose(d);
}

/* A year from July (start_month 7, the FY2024-25 replay): /profiles/month
 * labels each hour with its calendar month, July first, and the root says
 * where the year starts. */
static void test_start_month(void **st)
{
    (void)st;
    const char *names[] = {"baseline"};
    results_t *r = results_new(2, 1, 8760, 1, names, 2, M, 1, D);
    assert_non_null(r);
    r->seed = 1;
    r->threads = r->ranks = 1;
    char path[512];
    snprintf(path, sizeof path, "%s/july.h5", tu_dir());
    gr_err_t err = {0, {0}};
    h5out_meta_t meta = META;
    meta.start_year = 2024;
    meta.start_month = 7;
    assert_int_equal(h5out_write(path, r, &meta, &err), GR_OK);
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    assert_true(f >= 0);
    static int32_t month[8760];
    read_i32(f, "/profiles/month", month, 8760);
    assert_int_equal(month[0], 7);               /* 1 July 00:00 */
    assert_int_equal(month[184 * 24 - 1], 12);   /* 31 December 23:00 */
    assert_int_equal(month[184 * 24], 1);        /* 1 January 00:00 */
    assert_int_equal(month[(184 + 31) * 24], 2); /* 1 February */
    assert_int_equal(month[8759], 6);            /* 30 June 23:00 */
    int32_t v = 0;
    hid_t a = H5Aopen(f, "start_month", H5P_DEFAULT);
    assert_true(a >= 0);
    H5Aread(a, H5T_NATIVE_INT32, &v);
    H5Aclose(a);
    assert_int_equal(v, 7);
    H5Fclose(f);
    results_free(r);
}

/* Layout v2 (docs/LAYOUT.md): every value where the layout says, with its
 * coordinates and scales. */
static void test_round_trip(void **st)
{
    (void)st;
    results_t *r = make_results();
    char path[512];
    snprintf(path, sizeof path, "%s/out.h5", tu_dir());
    gr_err_t err = {0, {0}};
    h5out_meta_t meta = META;
    meta.start_year = 2026;
    assert_int_equal(h5out_write(path, r, &meta, &err), GR_OK);
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    assert_true(f >= 0);
    double buf[128];
    hsize_t dims[3] = {0, 0, 0};
    read_ds(f, "/b_h", buf, dims);
    assert_int_equal(dims[0], 2);
    assert_int_equal(dims[1], 5);
    assert_int_equal(dims[2], 3);
    assert_memory_equal(buf, results_at(r, 0, 1, 0), 15 * sizeof(double));
    assert_memory_equal(buf + 15, results_at(r, 1, 1, 0), 15 * sizeof(double));
    assert_scale(f, "/b_h", 0, "scenario");
    assert_scale(f, "/b_h", 1, "trial");
    assert_scale(f, "/b_h", 2, "year");
    int32_t iv[16];
    read_i32(f, "/year", iv, 3);
    assert_int_equal(iv[0], 2026);
    assert_int_equal(iv[2], 2028);
    read_i32(f, "/trial", iv, 5);
    assert_int_equal(iv[4], 4);
    /* LOLP: counts / trials, scenario-major */
    read_ds(f, "/profiles/lolp", buf, dims);
    assert_int_equal(dims[0], 2);
    assert_int_equal(dims[1], 3);
    assert_int_equal(dims[2], 4);
    for (int i = 0; i < 24; ++i)
        assert_true(buf[i] == (double)(i % 5) / 5.0);
    assert_scale(f, "/profiles/lolp", 2, "hour");
    read_i32(f, "/profiles/month", iv, 4);
    assert_int_equal(iv[3], 1);
    read_i32(f, "/profiles/hour_of_day", iv, 4);
    assert_int_equal(iv[3], 3);
    read_ds(f, "/parameters/brent_usd_per_bbl", buf, dims);
    assert_true(buf[3] == 61.0);
    assert_scale(f, "/parameters/brent_usd_per_bbl", 0, "trial");
    /* summary of per-trial horizon averages: baseline a_mwh = t + 0.25,
     * allocation t + 100.25; the paired difference exactly 100 */
    read_ds(f, "/summary/a_mwh", buf, dims);
    assert_int_equal(dims[0], 2);
    assert_int_equal(dims[1], H5OUT_N_STATS);
    assert_true(fabs(buf[H5OUT_STAT_MEAN] - 2.25) < 1e-12);
    assert_true(fabs(buf[H5OUT_STAT_P50] - 2.25) < 1e-12);
    assert_true(fabs(buf[H5OUT_N_STATS + H5OUT_STAT_MEAN] - 102.25) < 1e-12);
    /* trial 0 averages 0.25 > 0: all five positive */
    assert_true(buf[H5OUT_STAT_P_POSITIVE] == 1.0);
    read_ds(f, "/summary/a_mwh_delta", buf, dims);
    assert_true(buf[H5OUT_STAT_MEAN] == 0.0 && buf[H5OUT_STAT_P_POSITIVE] == 0.0);
    assert_true(buf[H5OUT_N_STATS + H5OUT_STAT_MEAN] == 100.0);
    assert_true(buf[H5OUT_N_STATS + H5OUT_STAT_SD] == 0.0);
    assert_true(buf[H5OUT_N_STATS + H5OUT_STAT_P_POSITIVE] == 1.0);
    assert_scale(f, "/summary/a_mwh_delta", 1, "stat");
    int32_t v = 0;
    hid_t a = H5Aopen(f, "trials", H5P_DEFAULT);
    H5Aread(a, H5T_NATIVE_INT32, &v);
    H5Aclose(a);
    assert_int_equal(v, 5);
    a = H5Aopen(f, "format_version", H5P_DEFAULT);
    H5Aread(a, H5T_NATIVE_INT32, &v);
    H5Aclose(a);
    assert_int_equal(v, H5OUT_FORMAT_VERSION);
    H5Fclose(f);
    FILE *out = fopen("/dev/null", "w");
    assert_int_equal(report_print(path, 1, out, &err), GR_OK);
    fclose(out);
    results_free(r);
}

/* A network run's period is `steps` steps of `step_hours` (docs/LAYOUT.md,
 * Network runs): 6 steps of 5 minutes are half an hour, so the root has
 * steps = 6 and step_hours = 1/12 and no hours_per_year (which would be 6). */
static void test_network_period_shape(void **st)
{
    (void)st;
    static const metric_info_t NM[] = {{"shed_steps", "1", "steps"}};
    const char *scen[] = {"network"}, *regions[] = {"A", "B"};
    results_t *r = results_new(3, 1, 6, 1, scen, 1, NM, 0, NULL);
    assert_non_null(r);
    assert_int_equal(results_add_regions(r, 2, regions, 1, NM), 0);
    assert_int_equal(results_add_steps(r, 6, 3), 0);
    for (size_t k = 0; k < 3; ++k)
        r->area_demand_mwh[k] = 1.0;
    r->threads = r->ranks = 1;
    char path[512];
    snprintf(path, sizeof path, "%s/net.h5", tu_dir());
    gr_err_t err = {0, {0}};
    h5out_meta_t meta = META;
    meta.step_h = 1.0 / 12.0;
    meta.step_units = "hours since 2020-01-01 00:00:00+00:00";
    assert_int_equal(h5out_write(path, r, &meta, &err), GR_OK);
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    assert_true(f >= 0);
    int32_t n = 0;
    double h = 0;
    hid_t a = H5Aopen(f, "steps", H5P_DEFAULT);
    assert_true(a >= 0 && H5Aread(a, H5T_NATIVE_INT32, &n) >= 0);
    H5Aclose(a);
    a = H5Aopen(f, "step_hours", H5P_DEFAULT);
    assert_true(a >= 0 && H5Aread(a, H5T_NATIVE_DOUBLE, &h) >= 0);
    H5Aclose(a);
    assert_int_equal(n, 6);
    assert_true(h == 1.0 / 12.0);
    assert_int_equal(H5Aexists(f, "hours_per_year"), 0);
    double buf[8];
    hsize_t dims[1] = {0};
    read_ds(f, "/by_step/step", buf, dims);
    assert_int_equal(dims[0], 6);
    assert_true(buf[5] == 5.0 * (1.0 / 12.0)); /* step i starts at i x step_hours */
    H5Fclose(f);
    results_free(r);
}

/* 1 if the scratch directory holds a temporary ("*.tmp.*"); fails the
 * test if the directory cannot be listed (so it cannot pass by accident). */
static int dir_has_tmp(void)
{
    DIR *d = opendir(tu_dir());
    if (!d)
        fail_msg("cannot list %s", tu_dir());
    int found = 0;
    for (struct dirent *e; (e = readdir(d));)
        found |= strstr(e->d_name, ".tmp.") != NULL;
    closedir(d);
    return found;
}

/* An injected failure at each dataset leaves neither the output nor a
 * temporary file behind. */
static void test_injected_failure_leaves_nothing(void **st)
{
    (void)st;
    results_t *r = make_results();
    char path[512];
    snprintf(path, sizeof path, "%s/fail.h5", tu_dir());
    for (int k = 1; k <= 6; ++k) {
        h5out_meta_t m = META;
        m.fail_at_dataset = k;
        gr_err_t err = {0, {0}};
        assert_int_equal(h5out_write(path, r, &m, &err), GR_ERUNTIME);
        assert_non_null(strstr(err.msg, "fail.h5"));
        assert_false(tu_exists(path));
        assert_false(dir_has_tmp());
    }
    results_free(r);
}

/* A failure must not clobber an existing good file either. */
static void test_failure_keeps_previous_file(void **st)
{
    (void)st;
    results_t *r = make_results();
    char path[512];
    snprintf(path, sizeof path, "%s/keep.h5", tu_dir());
    gr_err_t err = {0, {0}};
    assert_int_equal(h5out_write(path, r, &META, &err), GR_OK);
    h5out_meta_t m = META;
    m.fail_at_dataset = 3;
    assert_int_equal(h5out_write(path, r, &m, &err), GR_ERUNTIME);
    FILE *out = fopen("/dev/null", "w");
    assert_int_equal(report_print(path, 1, out, &err), GR_OK);
    fclose(out);
    results_free(r);
}

/* Unwritable directory and a target that is a directory: clean errors. */
static void test_unwritable_targets(void **st)
{
    (void)st;
    results_t *r = make_results();
    gr_err_t err = {0, {0}};
    assert_int_equal(h5out_write("/nonexistent-dir/x.h5", r, &META, &err), GR_ERUNTIME);
    char sub[512];
    snprintf(sub, sizeof sub, "%s/adir", tu_dir());
    assert_int_equal(system(NULL) != 0, 1);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "mkdir -p %s/adir/inner", tu_dir());
    assert_int_equal(system(cmd), 0);
    assert_int_equal(h5out_write(sub, r, &META, &err), GR_ERUNTIME);
    assert_non_null(strstr(err.msg, "rename"));
    assert_false(dir_has_tmp());
    results_free(r);
}

/* A NaN or an infinity is refused, naming where it first occurs, and
 * nothing is written. */
static void test_refuses_non_finite(void **st)
{
    (void)st;
    results_t *r = make_results();
    char path[512];
    snprintf(path, sizeof path, "%s/nan.h5", tu_dir());
    gr_err_t err = {0, {0}};
    results_at(r, 1, 0, 4)[0] = -INFINITY;
    results_at(r, 1, 0, 3)[1] = NAN;
    assert_int_equal(h5out_write(path, r, &META, &err), GR_ERUNTIME);
    assert_non_null(strstr(err.msg, "metric 'a_mwh' of scenario 'allocation'"));
    assert_non_null(strstr(err.msg, "trial 3, year 2"));
    assert_false(tu_exists(path));
    assert_false(dir_has_tmp());
    results_at(r, 1, 0, 4)[0] = 0.0;
    results_at(r, 1, 0, 3)[1] = 0.0;
    results_driver_at(r, 0, 1)[2] = INFINITY;
    assert_int_equal(h5out_write(path, r, &META, &err), GR_ERUNTIME);
    assert_non_null(strstr(err.msg, "driver 'brent_usd_per_bbl'"));
    assert_non_null(strstr(err.msg, "trial 1, year 3"));
    assert_false(tu_exists(path));
    results_driver_at(r, 0, 1)[2] = 61.0;
    assert_int_equal(h5out_write(path, r, &META, &err), GR_OK);
    results_free(r);
}

/* Runs fn in a forked child and returns its raw wait status. */
static int in_child(int (*fn)(void *), void *ctx)
{
    fflush(NULL);
    const pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        /* cmocka's handlers would turn a crash into the parent's next test */
        static const int sigs[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT};
        for (size_t i = 0; i < sizeof sigs / sizeof *sigs; ++i)
            signal(sigs[i], SIG_DFL);
        exit(fn(ctx)); /* exit, not _exit: HDF5's exit handlers must survive */
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return status;
}

typedef struct {
    const results_t *r;
    const char *path;
    rlim_t limit; /* bytes */
} limited_t;

/* A disk that fills (here: a file size limit, so writes fail with EFBIG
 * as they would with ENOSPC) fails the write cleanly. */
static int write_with_fsize_limit(void *ctx)
{
    const limited_t *l = ctx;
    signal(SIGXFSZ, SIG_IGN);
    const struct rlimit rl = {l->limit, l->limit};
    if (setrlimit(RLIMIT_FSIZE, &rl))
        return 98;
    gr_err_t err = {0, {0}};
    const int rc = h5out_write(l->path, l->r, &META, &err);
    return rc == GR_ERUNTIME && strstr(err.msg, "File too large") ? 1 : 10 + rc;
}

/* Values that compress poorly, so the file is about as large as the data. */
static results_t *make_big_results(uint64_t T, size_t n_metrics)
{
    static const metric_info_t many[12] = {{"m0", "u", "d"}, {"m1", "u", "d"},  {"m2", "u", "d"},
                                           {"m3", "u", "d"}, {"m4", "u", "d"},  {"m5", "u", "d"},
                                           {"m6", "u", "d"}, {"m7", "u", "d"},  {"m8", "u", "d"},
                                           {"m9", "u", "d"}, {"m10", "u", "d"}, {"m11", "u", "d"}};
    assert_true(n_metrics <= 12);
    const char *names[] = {"baseline", "allocation"};
    results_t *r = results_new(T, 1, 24, 2, names, n_metrics, many, 0, NULL);
    assert_non_null(r);
    uint64_t x = 88172645463325252ULL; /* xorshift64 */
    for (size_t s = 0; s < 2; ++s)
        for (size_t m = 0; m < n_metrics; ++m)
            for (uint64_t t = 0; t < T; ++t) {
                x ^= x << 13, x ^= x >> 7, x ^= x << 17;
                results_at(r, s, m, t)[0] = (double)(x >> 11);
            }
    return r;
}

/* The trial axis is written H5OUT_TRIAL_RUN at a time: across two runs it
 * must still read 0, 1, ..., T - 1, and the summary (read STATS_RUN at a
 * time) must see every trial: its max is the last trial's value. */
static void test_trial_axis_in_runs(void **st)
{
    (void)st;
    const uint64_t T = H5OUT_TRIAL_RUN + 7;
    results_t *r = make_big_results(T, 1);
    double top = 0.0;
    for (uint64_t t = 0; t < T; ++t)
        top = fmax(top, results_at(r, 0, 0, t)[0]);
    results_at(r, 0, 0, T - 1)[0] = top + 1.0;
    char path[512];
    snprintf(path, sizeof path, "%s/runs.h5", tu_dir());
    gr_err_t err = {0, {0}};
    assert_int_equal(h5out_write(path, r, &META, &err), GR_OK);
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    assert_true(f >= 0);
    int32_t *trial = malloc(T * sizeof *trial);
    assert_non_null(trial);
    hid_t d = H5Dopen2(f, "/trial", H5P_DEFAULT);
    assert_true(H5Dread(d, H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, trial) >= 0);
    H5Dclose(d);
    for (uint64_t t = 0; t < T; ++t)
        if (trial[t] != (int32_t)t)
            fail_msg("trial[%llu] = %d", (unsigned long long)t, trial[t]);
    double stats[2][H5OUT_N_STATS];
    d = H5Dopen2(f, "/summary/m0", H5P_DEFAULT);
    assert_true(H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, stats) >= 0);
    H5Dclose(d);
    H5Fclose(f);
    assert_true(stats[0][H5OUT_STAT_MAX] == top + 1.0);
    free(trial);
    results_free(r);
    unlink(path);
}

/* The summary of a multi-year run of more trials than one run of the
 * summary's reader (STATS_RUN): each trial's horizon average and paired
 * difference, read a run at a time, must give the statistics of the
 * averages computed here, bit for bit (the same sums in the same order). */
static void test_summary_over_years_and_runs(void **st)
{
    (void)st;
    enum { Y = 3 };
    const uint64_t T = 2 * STATS_RUN + 901;
    const char *names[] = {"baseline", "allocation"};
    static const metric_info_t one[1] = {{"m", "u", "d"}};
    results_t *r = results_new(T, Y, 24, 2, names, 1, one, 0, NULL);
    assert_non_null(r);
    uint64_t x = 88172645463325252ULL;
    for (size_t s = 0; s < 2; ++s)
        for (uint64_t t = 0; t < T; ++t)
            for (size_t y = 0; y < Y; ++y) {
                x ^= x << 13, x ^= x >> 7, x ^= x << 17;
                /* values of both signs, the year and trial visible in each */
                results_at(r, s, 0, t)[y] =
                    (double)(x >> 40) - 8e6 + (double)(t % 97) * (double)(y + 1);
            }
    char path[512];
    snprintf(path, sizeof path, "%s/years.h5", tu_dir());
    gr_err_t err = {0, {0}};
    assert_int_equal(h5out_write(path, r, &META, &err), GR_OK);
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    assert_true(f >= 0);
    double *avg = malloc(T * sizeof *avg);
    assert_non_null(avg);
    for (int delta = 0; delta < 2; ++delta) {
        double got[2][H5OUT_N_STATS];
        hid_t d = H5Dopen2(f, delta ? "/summary/m_delta" : "/summary/m", H5P_DEFAULT);
        assert_true(d >= 0);
        assert_true(H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, got) >= 0);
        H5Dclose(d);
        for (size_t s = 0; s < 2; ++s) {
            size_t pos = 0;
            for (uint64_t t = 0; t < T; ++t) {
                double sum = 0.0;
                for (size_t y = 0; y < Y; ++y)
                    sum += delta ? results_at(r, s, 0, t)[y] - results_at(r, 0, 0, t)[y]
                                 : results_at(r, s, 0, t)[y];
                avg[t] = sum / Y;
                pos += avg[t] > 0.0;
            }
            double want[STATS_N];
            assert_int_equal(stats_summarize(avg, T, want), 0);
            for (int k = 0; k < STATS_N; ++k)
                if (memcmp(&got[s][k], &want[k], sizeof want[k]))
                    fail_msg("delta %d scenario %zu: %s %.17g, the averages give %.17g", delta, s,
                             stats_names[k], got[s][k], want[k]);
            assert_true(got[s][H5OUT_STAT_P_POSITIVE] == (double)pos / (double)T);
        }
    }
    H5Fclose(f);
    free(avg);
    results_free(r);
    unlink(path);
}

/* Every value of dataset path in both files, bit for bit (dims included). */
static void assert_same_dataset(hid_t a, hid_t b, const char *path)
{
    hid_t da = H5Dopen2(a, path, H5P_DEFAULT), db = H5Dopen2(b, path, H5P_DEFAULT);
    if (da < 0 || db < 0)
        fail_msg("missing dataset %s", path);
    hid_t sa = H5Dget_space(da), sb = H5Dget_space(db);
    const hssize_t na = H5Sget_simple_extent_npoints(sa), nb = H5Sget_simple_extent_npoints(sb);
    assert_true(na > 0 && na == nb);
    double *va = malloc((size_t)na * sizeof *va), *vb = malloc((size_t)na * sizeof *vb);
    assert_true(va && vb);
    assert_true(H5Dread(da, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, va) >= 0);
    assert_true(H5Dread(db, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, vb) >= 0);
    if (memcmp(va, vb, (size_t)na * sizeof *va))
        fail_msg("%s differs between the whole and the streamed file", path);
    free(va);
    free(vb);
    H5Sclose(sa);
    H5Sclose(sb);
    H5Dclose(da);
    H5Dclose(db);
}

/* Copies trials [from, to) of every per-trial array of src (held whole) into
 * dst's window. */
static void copy_rows(results_t *dst, const results_t *src, uint64_t from, uint64_t to)
{
    results_rows_t a[RESULTS_MAX_ROW_ARRAYS], b[RESULTS_MAX_ROW_ARRAYS];
    const size_t k = results_row_arrays(src, a);
    assert_int_equal(results_row_arrays(dst, b), k);
    for (size_t i = 0; i < k; ++i)
        for (size_t j = 0; j < a[i].blocks; ++j)
            memcpy(b[i].v + (j * dst->cap + (from - dst->t0)) * b[i].row,
                   a[i].v + (j * src->cap + from) * a[i].row,
                   (to - from) * a[i].row * sizeof(double));
}

/* Every chunk of ds was written with filter mask `mask`: 1, its shuffle
 * skipped (zrun's chunks), or 0 (shuffled and deflated). */
static void assert_chunk_masks(hid_t ds, unsigned mask)
{
    hid_t space = H5Dget_space(ds);
    hsize_t n = 0;
    assert_true(H5Dget_num_chunks(ds, space, &n) >= 0 && n > 1);
    for (hsize_t i = 0; i < n; ++i) {
        hsize_t off[3];
        unsigned got = 99;
        haddr_t addr;
        hsize_t size;
        assert_true(H5Dget_chunk_info(ds, space, i, off, &got, &addr, &size) >= 0);
        if (got != mask)
            fail_msg("chunk %llu: filter mask %u, want %u", (unsigned long long)i, got, mask);
    }
    H5Sclose(space);
}

/* A file of 40,000 trials: its trial axis (int32, chunks of 16,384) and a
 * metric (chunks of 8,192 rows), whose chunks the writer compresses itself,
 * read back through HDF5's filters as written, the last chunks partial; the
 * metric's chunks by zrun, the trial axis's by libdeflate. */
static void test_own_chunks_read_back(void **st)
{
    (void)st;
    enum { T = 40000 };
    const char *names[] = {"baseline"};
    results_t *r = results_new(T, 1, 24, 1, names, 1, M, 0, NULL);
    assert_non_null(r);
    for (uint64_t t = 0; t < T; ++t)
        results_at(r, 0, 0, t)[0] = t % 3 ? 0.0 : 1.0 / (double)(t + 1);
    char path[512];
    snprintf(path, sizeof path, "%s/chunks.h5", tu_dir());
    gr_err_t err = {0, {0}};
    assert_int_equal(h5out_write(path, r, &META, &err), GR_OK);
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    assert_true(f >= 0);
    double *v = malloc(T * sizeof *v);
    int32_t *trial = malloc(T * sizeof *trial);
    assert_true(v && trial);
    hid_t ds = H5Dopen2(f, "/a_mwh", H5P_DEFAULT), pl = H5Dget_create_plist(ds);
    assert_true(H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0);
    assert_int_equal(H5Pget_layout(pl), H5D_CHUNKED);
    assert_chunk_masks(ds, 1); /* two trials in three shed nothing: zrun, unshuffled */
    H5Pclose(pl);
    H5Dclose(ds);
    ds = H5Dopen2(f, "/trial", H5P_DEFAULT);
    pl = H5Dget_create_plist(ds);
    assert_true(H5Dread(ds, H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, trial) >= 0);
    assert_int_equal(H5Pget_layout(pl), H5D_CHUNKED);
    assert_chunk_masks(ds, 0); /* no value twice: shuffled, by libdeflate */
    H5Pclose(pl);
    H5Dclose(ds);
    H5Fclose(f);
    for (uint64_t t = 0; t < T; ++t) {
        assert_true(v[t] == results_at(r, 0, 0, t)[0]);
        assert_int_equal(trial[t], t);
    }
    free(v);
    free(trial);
    unlink(path);
    results_free(r);
}

/* Reads trials [t0, t0 + n) of column (s, m, delta) into a buffer of
 * exactly n values (a read past it is ASan's) and compares them with
 * want[t0..). */
static void assert_col(h5out_t *w, size_t s, size_t m, int delta, uint64_t t0, size_t n,
                       const double *want)
{
    double *col = malloc((n ? n : 1) * sizeof *col);
    assert_non_null(col);
    assert_int_equal(h5out_cols_read(w, s, m, delta, t0, n, col), 0);
    assert_memory_equal(col, want + t0, n * sizeof *col);
    free(col);
}

/* The trials' averages kept on disk (outputs/h5out.c, coded in pages of
 * STATS_RUN trials without their +0.0 values) read back as
 * results_horizon_avg of the rows, bit for bit: columns mostly zero, all
 * zero and never zero, written in blocks that end within a page (1, 2 and
 * 700 trials, and one of a page and a half), each page then read back and
 * coded again, longer; read after every block whole, a page at a time,
 * from trial 5 to 3 before the end, and a few trials either side of each
 * page's end. */
static void columns_read_back(size_t Y)
{
    enum { W = 2 * STATS_RUN }; /* the largest block: a page and a half */
    const uint64_t T = 3 * STATS_RUN + 77;
    const char *names[] = {"baseline", "allocation"};
    results_t *whole = results_new(T, Y, 24, 2, names, 2, M, 1, D);
    results_t *win = results_new(W, Y, 24, 2, names, 2, M, 1, D);
    assert_true(whole && win);
    results_stream(win, T);
    uint64_t x = 88172645463325252ULL;
    for (uint64_t t = 0; t < T; ++t)
        for (size_t y = 0; y < Y; ++y) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            /* a: one trial in eight not zero (the allocation's more often,
             * so the paired difference is neither), b: never zero, the
             * driver: zero in every trial */
            results_at(whole, 0, 0, t)[y] = x % 8 ? 0.0 : (double)(x >> 50);
            results_at(whole, 1, 0, t)[y] = x % 4 ? 0.0 : (double)(x >> 52) + 0.5;
            results_at(whole, 0, 1, t)[y] = (double)(x >> 40) + 1.0;
            results_at(whole, 1, 1, t)[y] = (double)(x >> 41) + 2.0;
            results_driver_at(whole, 0, t)[y] = 0.0;
        }
    char path[512];
    snprintf(path, sizeof path, "%s/cols.h5", tu_dir());
    gr_err_t err = {0, {0}};
    h5out_t *w;
    assert_int_equal(h5out_open(&w, path, win, &META, &err), GR_OK);
    const uint64_t ends[] = {1, 3, 703, 703 + STATS_RUN + STATS_RUN / 2, T};
    double *want = malloc(T * sizeof *want);
    assert_non_null(want);
    uint64_t from = 0;
    for (size_t b = 0; b < sizeof ends / sizeof *ends; ++b) {
        const uint64_t to = ends[b];
        results_window(win, from);
        copy_rows(win, whole, from, to);
        assert_int_equal(h5out_block(w, win, from, to, &err), GR_OK);
        from = to;
        /* c: (s, m) 0-3, the allocation's differences 4-5, the driver 6,
         * the baseline's difference (0 in every trial, kept nowhere) 7 */
        for (size_t c = 0; c < 8; ++c) {
            const size_t s = c < 4 ? c / 2 : c < 6 ? 1 : c == 6 ? SIZE_MAX : 0;
            const size_t m = c < 6 ? c % 2 : 0;
            const int delta = c >= 4 && c != 6;
            for (uint64_t t = 0; t < to; ++t)
                want[t] = s == SIZE_MAX
                              ? results_horizon_avg(results_driver_at(whole, 0, t), NULL, Y, 0)
                              : results_horizon_avg(results_at(whole, s, m, t),
                                                    results_at(whole, 0, m, t), Y, delta);
            assert_col(w, s, m, delta, 0, to, want);
            if (to > 8)
                assert_col(w, s, m, delta, 5, to - 8, want);
            for (uint64_t t0 = 0; t0 < to; t0 += STATS_RUN) {
                const uint64_t e = t0 + STATS_RUN; /* the page's end */
                assert_col(w, s, m, delta, t0, to - t0 < STATS_RUN ? to - t0 : STATS_RUN, want);
                if (t0 + 1 < to) /* within the page, from its second trial */
                    assert_col(w, s, m, delta, t0 + 1, to - t0 - 1 < 4 ? to - t0 - 1 : 4, want);
                if (e < to) /* across its end: 3 trials before, then 1 to 4 after */
                    for (uint64_t after = 1; after <= 4 && e + after <= to; ++after)
                        assert_col(w, s, m, delta, e - 3, 3 + after, want);
            }
        }
        /* past what is written: refused */
        double one[2];
        assert_int_equal(h5out_cols_read(w, 0, 0, 0, to - 1, 2, one), -1);
    }
    /* the columns' summary equals the one of the rows in memory */
    assert_int_equal(h5out_finish(w, win, &err), GR_OK);
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    assert_true(f >= 0);
    double got[2 * H5OUT_N_STATS];
    hsize_t dims[2];
    for (int k = 0; k < 2; ++k) {
        read_ds(f, k ? "/summary/a_mwh_delta" : "/summary/a_mwh", got, dims);
        for (size_t s = (size_t)k; s < 2; ++s) {
            for (uint64_t t = 0; t < T; ++t)
                want[t] = results_horizon_avg(results_at(whole, s, 0, t),
                                              results_at(whole, 0, 0, t), Y, k);
            double st2[STATS_N];
            assert_int_equal(stats_summarize(want, T, st2), 0);
            assert_memory_equal(got + s * H5OUT_N_STATS, st2, STATS_N * sizeof *st2);
        }
    }
    H5Fclose(f);
    free(want);
    unlink(path);
    results_free(whole);
    results_free(win);
}

/* with two years a trial (a general horizon average), and one (the
 * writer's vector loop for it) */
static void test_columns_read_back(void **st)
{
    (void)st;
    columns_read_back(2);
    columns_read_back(1);
}

/* A run written a block at a time from a window of 700 rows (the streamed
 * writer) gives the file of the same results written whole, every dataset bit
 * for bit: the metrics, drivers and splits (12 years: blocks cross the
 * chunks of every dataset, 2,730 trials of a metric, 227 of a month's flow,
 * so HDF5's cache of S + 1/2 chunks must write out the whole ones as it
 * goes), the summary and the rank sensitivity, which the streamed writer
 * computes from the trials' averages it kept on disk; those averages read
 * back as results_horizon_avg of the rows. Blocks out of order are refused,
 * and an aborted file leaves no temporary. */
static void test_streamed_equals_whole(void **st)
{
    (void)st;
    enum { Y = 12, W = 700 };
    const uint64_t T = 2 * STATS_RUN + 901;
    const char *names[] = {"baseline", "allocation"}, *techs[] = {"coal", "hydro"};
    static const metric_info_t flows[1] = {{"f_pkr", "PKR", "a flow"}};
    results_t *whole = results_new(T, Y, 24, 2, names, 2, M, 1, D);
    results_t *win = results_new(W, Y, 24, 2, names, 2, M, 1, D);
    assert_true(whole && win);
    assert_int_equal(results_add_tech(whole, 2, techs), 0);
    assert_int_equal(results_add_tech(win, 2, techs), 0);
    assert_int_equal(results_add_months(whole, 7, 1, flows), 0);
    assert_int_equal(results_add_months(win, 7, 1, flows), 0);
    results_stream(win, T);
    assert_true(win->trials == T && win->cap == W && win->t0 == 0);
    uint64_t x = 88172645463325252ULL;
    results_rows_t a[RESULTS_MAX_ROW_ARRAYS];
    const size_t k = results_row_arrays(whole, a);
    for (size_t i = 0; i < k; ++i)
        for (size_t j = 0; j < a[i].blocks * T * a[i].row; ++j) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            a[i].v[j] = (double)(x >> 40) - 8e6;
        }
    for (size_t i = 0; i < 2 * Y * 24; ++i)
        win->lol_count[i] = whole->lol_count[i] = (int64_t)(i % 7);
    char pw[512], ps[512];
    snprintf(pw, sizeof pw, "%s/whole.h5", tu_dir());
    snprintf(ps, sizeof ps, "%s/streamed.h5", tu_dir());
    gr_err_t err = {0, {0}};
    assert_int_equal(sens_rank_results(whole), 0);
    assert_int_equal(h5out_write(pw, whole, &META, &err), GR_OK);
    h5out_t *w;
    assert_int_equal(h5out_open(&w, ps, win, &META, &err), GR_OK);
    for (uint64_t from = 0; from < T; from += W) {
        const uint64_t to = T - from < W ? T : from + W;
        results_window(win, from);
        copy_rows(win, whole, from, to);
        assert_int_equal(h5out_block(w, win, from, to, &err), GR_OK);
        /* the same block again, or one skipped, is refused */
        assert_int_equal(h5out_block(w, win, from, to, &err), GR_ERUNTIME);
        if (to < T)
            assert_int_equal(h5out_block(w, win, to + 1, to + 2, &err), GR_ERUNTIME);
    }
    double col[64];
    assert_int_equal(h5out_cols_read(w, 1, 0, 1, 1000, 64, col), 0);
    for (size_t j = 0; j < 64; ++j)
        assert_true(col[j] == results_horizon_avg(results_at(whole, 1, 0, 1000 + j),
                                                  results_at(whole, 0, 0, 1000 + j), Y, 1));
    assert_int_equal(h5out_cols_read(w, SIZE_MAX, 0, 0, T - 64, 64, col), 0);
    for (size_t j = 0; j < 64; ++j)
        assert_true(col[j] ==
                    results_horizon_avg(results_driver_at(whole, 0, T - 64 + j), NULL, Y, 0));
    /* the rank sensitivity from the columns equals the one from the rows */
    const sens_cols_t cols = {w, h5out_cols_read};
    assert_int_equal(sens_rank_run(win, &cols), 0);
    const size_t ns = 2 * 2 * 1;
    assert_memory_equal(win->sens.rank_corr, whole->sens.rank_corr, ns * sizeof(double));
    assert_memory_equal(win->sens.tornado_low, whole->sens.tornado_low, ns * sizeof(double));
    assert_memory_equal(win->sens.tornado_high, whole->sens.tornado_high, ns * sizeof(double));
    assert_true(isfinite(whole->sens.rank_corr[0]) && isfinite(whole->sens.tornado_high[3]));
    assert_int_equal(h5out_finish(w, win, &err), GR_OK);
    hid_t fw = H5Fopen(pw, H5F_ACC_RDONLY, H5P_DEFAULT),
          fs = H5Fopen(ps, H5F_ACC_RDONLY, H5P_DEFAULT);
    assert_true(fw >= 0 && fs >= 0);
    const char *sets[] = {"/a_mwh",
                          "/b_h",
                          "/parameters/brent_usd_per_bbl",
                          "/by_technology/generation_mwh",
                          "/by_technology/variable_cost_pkr",
                          "/by_month/f_pkr",
                          "/profiles/lolp",
                          "/summary/a_mwh",
                          "/summary/a_mwh_delta",
                          "/summary/b_h",
                          "/summary/b_h_delta",
                          "/sensitivity/rank_corr",
                          "/sensitivity/tornado_low",
                          "/sensitivity/tornado_high"};
    for (size_t i = 0; i < sizeof sets / sizeof *sets; ++i)
        assert_same_dataset(fw, fs, sets[i]);
    /* and the values are the results': the writer compresses the chunks
     * itself (shuffle and deflate, then H5Dwrite_chunk), HDF5's filters
     * read them back - blocks of 700 rows across chunks of 682, the last
     * chunk partial, two scenarios, the drivers' */
    double *v = malloc(2 * T * Y * sizeof *v);
    int32_t *trial = malloc(T * sizeof *trial);
    assert_true(v && trial);
    hid_t ds = H5Dopen2(fs, "/b_h", H5P_DEFAULT);
    assert_true(ds >= 0 && H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0);
    H5Dclose(ds);
    for (size_t sc = 0; sc < 2; ++sc)
        for (uint64_t t = 0; t < T; t += 97)
            assert_memory_equal(v + (sc * T + t) * Y, results_at(whole, sc, 1, t), Y * sizeof *v);
    ds = H5Dopen2(fs, "/parameters/brent_usd_per_bbl", H5P_DEFAULT);
    assert_true(ds >= 0 && H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0);
    H5Dclose(ds);
    assert_memory_equal(v + (T - 1) * Y, results_driver_at(whole, 0, T - 1), Y * sizeof *v);
    ds = H5Dopen2(fs, "/trial", H5P_DEFAULT);
    assert_true(ds >= 0 &&
                H5Dread(ds, H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, trial) >= 0);
    H5Dclose(ds);
    for (uint64_t t = 0; t < T; ++t)
        assert_int_equal(trial[t], t);
    free(v);
    free(trial);
    H5Fclose(fw);
    H5Fclose(fs);
    /* an aborted writer leaves neither the file nor its temporary */
    char pa[512];
    snprintf(pa, sizeof pa, "%s/aborted.h5", tu_dir());
    assert_int_equal(h5out_open(&w, pa, win, &META, &err), GR_OK);
    results_window(win, 0);
    copy_rows(win, whole, 0, W);
    assert_int_equal(h5out_block(w, win, 0, W, &err), GR_OK);
    h5out_abort(w);
    assert_false(tu_exists(pa));
    assert_false(dir_has_tmp());
    /* a block with a NaN is refused naming its trial */
    results_window(win, 0);
    copy_rows(win, whole, 0, W);
    results_at(win, 1, 1, 123)[2] = NAN;
    assert_int_equal(h5out_open(&w, pa, win, &META, &err), GR_OK);
    assert_int_equal(h5out_block(w, win, 0, W, &err), GR_ERUNTIME);
    assert_non_null(strstr(err.msg, "trial 123, year 3"));
    h5out_abort(w);
    assert_false(tu_exists(pa));
    unlink(pw);
    unlink(ps);
    results_free(whole);
    results_free(win);
}

static void test_file_size_limit_fails_cleanly(void **st)
{
    (void)st;
    results_t *r = make_big_results(20000, 2);
    char path[512];
    snprintf(path, sizeof path, "%s/full.h5", tu_dir());
    gr_err_t err = {0, {0}};
    assert_int_equal(h5out_write(path, r, &META, &err), GR_OK);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    const rlim_t size = (rlim_t)sb.st_size;
    assert_int_equal(unlink(path), 0);
    /* in the first dataset, in the middle, and in the metadata that only
     * the final close flushes (the last bytes of the file) */
    const rlim_t limits[] = {4096, size / 2, size - 4096, size - 1};
    for (size_t i = 0; i < sizeof limits / sizeof *limits; ++i) {
        limited_t l = {r, path, limits[i]};
        const int status = in_child(write_with_fsize_limit, &l);
        if (!WIFEXITED(status))
            fail_msg("limit %lu of %lu bytes: the writer died of signal %d",
                     (unsigned long)limits[i], (unsigned long)size,
                     WIFSIGNALED(status) ? WTERMSIG(status) : -1);
        if (WEXITSTATUS(status) != 1)
            fail_msg("limit %lu of %lu bytes: child status %d (1: clean EFBIG failure)",
                     (unsigned long)limits[i], (unsigned long)size, WEXITSTATUS(status));
        assert_false(tu_exists(path));
        assert_false(dir_has_tmp());
    }
    results_free(r);
}

/* VmData of this process, in bytes (what RLIMIT_DATA limits). */
static rlim_t vm_data_bytes(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    unsigned long kb = 0;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "VmData: %lu kB", &kb) == 1)
            break;
    if (f)
        fclose(f);
    return (rlim_t)kb * 1024;
}

static int write_with_data_limit(void *ctx)
{
    const limited_t *l = ctx;
    const struct rlimit rl = {vm_data_bytes() + l->limit, vm_data_bytes() + l->limit};
    if (setrlimit(RLIMIT_DATA, &rl))
        return 98;
    gr_err_t err = {0, {0}};
    return h5out_write(l->path, l->r, &META, &err);
}

/* The writer's heap stays within its run buffers (RESULTS_WRITER_BUF
 * doubles, whatever T) plus 10 MiB for HDF5 (chunk buffers and caches): no
 * array of the trials' size, let alone a second copy of the results. At
 * 1,500,000 trials one array of T doubles is 12 MB, more than that slack, so
 * a writer that copied one metric, or kept per-trial averages or a sort
 * scratch, fails here. */
static void test_writer_needs_no_second_copy(void **st)
{
    (void)st;
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    printf("skipped: sanitizer allocators do not honour RLIMIT_DATA budgets\n");
    skip();
#else
    const uint64_t T = 1500000;
    results_t *r = make_big_results(T, 1);
    char path[512];
    snprintf(path, sizeof path, "%s/lean.h5", tu_dir());
    limited_t l = {r, path, (rlim_t)(RESULTS_WRITER_BUF * sizeof(double)) + (10u << 20)};
    const int status = in_child(write_with_data_limit, &l);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), GR_OK);
    assert_true(tu_exists(path));
    results_free(r);
#endif
}

static void test_summary_rejects_non_gridrisk(void **st)
{
    (void)st;
    char path[512];
    tu_write(tu_dir(), "plain.txt", "not hdf5\n", path, sizeof path);
    gr_err_t err = {0, {0}};
    FILE *out = fopen("/dev/null", "w");
    assert_int_equal(report_print(path, 1, out, &err), GR_EINPUT);
    fclose(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_start_month),
        cmocka_unit_test(test_network_period_shape),
        cmocka_unit_test(test_injected_failure_leaves_nothing),
        cmocka_unit_test(test_failure_keeps_previous_file),
        cmocka_unit_test(test_unwritable_targets),
        cmocka_unit_test(test_refuses_non_finite),
        cmocka_unit_test(test_trial_axis_in_runs),
        cmocka_unit_test(test_streamed_equals_whole),
        cmocka_unit_test(test_columns_read_back),
        cmocka_unit_test(test_own_chunks_read_back),
        cmocka_unit_test(test_summary_over_years_and_runs),
        cmocka_unit_test(test_file_size_limit_fails_cleanly),
        cmocka_unit_test(test_writer_needs_no_second_copy),
        cmocka_unit_test(test_summary_rejects_non_gridrisk),
    };
    return cmocka_run_group_tests_name("h5out", tests, tu_setup_dir, tu_teardown_dir);
}
