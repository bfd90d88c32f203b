/* test_report.c - `gridrisk summary` on files it did not write.
 *
 * Each test writes a valid result with h5out_write, then damages one thing
 * with the HDF5 C API (a dataset deleted and recreated with another shape,
 * rank or type; an attribute removed or retyped) and checks that the report
 * fails with GR_EINPUT and a message naming the file and the object, without
 * touching memory it does not own (run under `make asan` to see that). */
#include "testutil.h"

#include "../outputs/h5out.h"
#include "../outputs/report.h"

#include <hdf5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { T = 5, Y = 3, H = 4, STATS_LEN = 11 /* kernels/stats.h STATS_N, stated by hand */ };

/* The metrics of an economic run, as the report expects them. */
static const metric_info_t ECON[] = {
    {"net_fiscal_cost_pkr", "PKR/yr", "m0"}, {"net_fiscal_cost_usd", "USD/yr", "m1"},
    {"shed_hours", "h/yr", "m2"},            {"unserved_mwh", "MWh/yr", "m3"},
    {"unserved_cost_usd", "USD/yr", "m4"},   {"miner_uptime", "share", "m5"},
    {"alloc_revenue_pkr", "PKR/yr", "m6"},   {"alloc_energy_mwh", "MWh/yr", "m7"},
};
enum { N_ECON = sizeof ECON / sizeof *ECON };

static const h5out_meta_t META = {"report-test", "name: report-test\n", "9.9.9", 0};

/* Writes a result with n_scen scenarios ("baseline", "s1", ...) and the
 * given metrics to dir/name; values rise with scenario, metric and trial. */
static void write_result(const char *name, size_t n_scen, const metric_info_t *m, size_t nm,
                         char *path, size_t n)
{
    char *names[32];
    assert_true(n_scen <= 32);
    for (size_t s = 0; s < n_scen; ++s) {
        names[s] = malloc(16);
        assert_non_null(names[s]);
        snprintf(names[s], 16, s ? "s%zu" : "baseline", s);
    }
    results_t *r = results_new(T, Y, H, n_scen, (const char *const *)names, nm, m, 0, NULL);
    assert_non_null(r);
    for (size_t s = 0; s < n_scen; ++s)
        for (size_t k = 0; k < nm; ++k)
            for (uint64_t t = 0; t < T; ++t)
                for (size_t y = 0; y < Y; ++y)
                    results_at(r, s, k, t)[y] = 10.0 * (double)s + (double)k + (double)t +
                                                0.25 * (double)y - 1.0;
    r->threads = 1;
    r->ranks = 1;
    snprintf(path, n, "%s/%s", tu_dir(), name);
    gr_err_t err = {0, {0}};
    assert_int_equal(h5out_write(path, r, &META, &err), GR_OK);
    results_free(r);
    for (size_t s = 0; s < n_scen; ++s)
        free(names[s]);
}

/* A fresh copy of a valid two-scenario economic result, to damage. */
static void econ_copy(const char *name, char *path, size_t n)
{
    write_result(name, 2, ECON, N_ECON, path, n);
}

static hid_t open_rw(const char *path)
{
    const hid_t f = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
    assert_true(f >= 0);
    return f;
}

/* Replaces dataset obj with one of the given rank, dims and file type,
 * filled with 1.0 (or left unwritten for a non-numeric type). */
static void replace_ds(const char *path, const char *obj, int rank, const hsize_t *dims,
                       hid_t type)
{
    const hid_t f = open_rw(path);
    assert_true(H5Ldelete(f, obj, H5P_DEFAULT) >= 0);
    const hid_t sp = rank ? H5Screate_simple(rank, dims, NULL) : H5Screate(H5S_SCALAR);
    const hid_t d = H5Dcreate2(f, obj, type, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    assert_true(d >= 0);
    const H5T_class_t cls = H5Tget_class(type);
    if (cls == H5T_FLOAT || cls == H5T_INTEGER) {
        hssize_t n = H5Sget_simple_extent_npoints(sp);
        double *v = malloc((size_t)n * sizeof *v + 1);
        assert_non_null(v);
        for (hssize_t i = 0; i < n; ++i)
            v[i] = 1.0;
        assert_true(H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0);
        free(v);
    }
    H5Dclose(d);
    H5Sclose(sp);
    H5Fclose(f);
}

static void delete_attr(const char *path, const char *name)
{
    const hid_t f = open_rw(path);
    assert_true(H5Adelete(f, name) >= 0);
    H5Fclose(f);
}

/* Replaces root attribute name with one of the given type and rank (0:
 * scalar, 1: n elements), its bytes taken from val. */
static void replace_attr(const char *path, const char *name, hid_t type, hsize_t n,
                         const void *val)
{
    const hid_t f = open_rw(path);
    if (H5Aexists(f, name) > 0)
        assert_true(H5Adelete(f, name) >= 0);
    const hid_t sp = n ? H5Screate_simple(1, &n, NULL) : H5Screate(H5S_SCALAR);
    const hid_t a = H5Acreate2(f, name, type, sp, H5P_DEFAULT, H5P_DEFAULT);
    assert_true(a >= 0);
    assert_true(H5Awrite(a, type, val) >= 0);
    H5Aclose(a);
    H5Sclose(sp);
    H5Fclose(f);
}

static hid_t vl_string_type(void)
{
    const hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, H5T_VARIABLE);
    H5Tset_cset(t, H5T_CSET_UTF8);
    return t;
}

static void replace_attr_str(const char *path, const char *name, const char *val)
{
    const hid_t t = vl_string_type();
    replace_attr(path, name, t, 0, &val);
    H5Tclose(t);
}

/* Runs the report (all = 1: every metric's table) and expects an input
 * error whose message names the file and contains fragment. */
static void expect_input_error(const char *path, int all, const char *fragment)
{
    FILE *out = fopen("/dev/null", "w");
    assert_non_null(out);
    gr_err_t err = {0, {0}};
    const int rc = report_print(path, all, out, &err);
    fclose(out);
    if (rc != GR_EINPUT || !strstr(err.msg, fragment) || strncmp(err.msg, path, strlen(path)))
        fail_msg("report_print(%s, all=%d) = %d, \"%s\"; expected %d, \"%s\"", path, all, rc,
                 err.msg, GR_EINPUT, fragment);
}

/* The report's text, for a valid file; NULL-terminated, free() it. */
static char *report_text(const char *path, int all)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    assert_non_null(out);
    gr_err_t err = {0, {0}};
    const int rc = report_print(path, all, out, &err);
    fclose(out);
    if (rc)
        fail_msg("report_print(%s): %s", path, err.msg);
    return text;
}

/* Asserts that text contains the line printf(fmt, ...) gives. */
static void expect_line(const char *text, const char *fmt, ...)
{
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (!strstr(text, line))
        fail_msg("missing line \"%s\" in:\n%s", line, text);
}

/* The policy report's row format, and the per-metric tables'. */
#define ROW "%-38s %-18s %10.1f %10.1f %10.1f %10.1f\n"
#define TABLE_ROW "  %-24s %14.6g %12.4g"

static void test_valid_file_reads(void **st)
{
    (void)st;
    char path[512];
    econ_copy("valid.h5", path, sizeof path);
    char *text = report_text(path, 0);
    /* Metric k of scenario s, trial t: 10 s + k + t + 0.25 y - 1. Every
     * delta is 10 on every trial: shed_hours (scale 1) shows 10.0 at every
     * quantile and P(more) = 100%. */
    expect_line(text, ROW, "", "delta s1", 10.0, 10.0, 10.0, 10.0);
    expect_line(text, "  P(more load-shedding hours)          100.0%%\n");
    free(text);
    text = report_text(path, 1);
    /* baseline shed_hours (k = 2): horizon averages 1.25 + t, t = 0..4:
     * mean 3.25, sd sqrt(2.5), se sqrt(2.5 / 5) = 0.7071. */
    expect_line(text, "\n[baseline]  ");
    expect_line(text, TABLE_ROW, "shed_hours", 3.25, 0.7071);
    expect_line(text, "\n[delta]  ");
    expect_line(text, TABLE_ROW, "alloc_energy_mwh", 10.0, 0.0);
    free(text);
}

/* The probabilities read the per-trial arrays in blocks of rows (65,536
 * values: 655 trials of 100 years): trials at the start of a block and in
 * the last, partial block must all count. 1,400 trials, 100 years. */
static void test_prob_positive_across_blocks(void **st)
{
    (void)st;
    enum { TB = 1400, YB = 100 };
    const char *names[] = {"baseline", "alloc"};
    results_t *r = results_new(TB, YB, H, 2, names, N_ECON, ECON, 0, NULL);
    assert_non_null(r);
    for (uint64_t t = 0; t < TB; ++t)
        for (size_t y = 0; y < YB; ++y) {
            results_at(r, 1, 0, t)[y] = t >= 1310 ? 1.0 : -1.0;     /* last block: 90 */
            results_at(r, 1, 2, t)[y] = t % 655 == 0 ? 1.0 : -1.0; /* block starts: 3 */
            results_at(r, 1, 3, t)[y] = t == TB - 1 ? 1.0 : -1.0;  /* the last trial */
        }
    r->threads = r->ranks = 1;
    char path[512];
    snprintf(path, sizeof path, "%s/blocks.h5", tu_dir());
    gr_err_t err = {0, {0}};
    assert_int_equal(h5out_write(path, r, &META, &err), GR_OK);
    results_free(r);
    char *text = report_text(path, 0);
    /* 90 / 1400 = 6.43%, 3 / 1400 = 0.21%, 1 / 1400 = 0.07% */
    expect_line(text, "  P(net fiscal cost is higher)           6.4%%\n");
    expect_line(text, "  P(more load-shedding hours)            0.2%%\n");
    expect_line(text, "  P(more unserved energy)                0.1%%\n");
    free(text);
}

/* Defect: a 100,000-element summary overflowed `double st[STATS_N]` on the
 * stack, in both the policy report and the per-metric tables. */
static void test_summary_too_long(void **st)
{
    (void)st;
    char path[512];
    econ_copy("long-summary.h5", path, sizeof path);
    const hsize_t n = 100000;
    replace_ds(path, "baseline/summary/shed_hours", 1, &n, H5T_IEEE_F64LE);
    expect_input_error(path, 0, ": baseline/summary/shed_hours: expected shape [11], found [100000]");
    expect_input_error(path, 1, ": baseline/summary/shed_hours: expected shape [11], found [100000]");
    assert_int_equal(tu_run_cli((const char *[]){"summary", path, NULL}), 2);
    assert_int_equal(tu_run_cli((const char *[]){"summary", "--all", path, NULL}), 2);
}

static void test_summary_short_or_rank_2(void **st)
{
    (void)st;
    char path[512];
    econ_copy("short-summary.h5", path, sizeof path);
    const hsize_t n = STATS_LEN - 1;
    replace_ds(path, "delta/summary/miner_uptime", 1, &n, H5T_IEEE_F64LE);
    expect_input_error(path, 0, ": delta/summary/miner_uptime: expected shape [11], found [10]");
    econ_copy("rank2-summary.h5", path, sizeof path);
    const hsize_t d2[2] = {STATS_LEN, 1};
    replace_ds(path, "s1/summary/net_fiscal_cost_pkr", 2, d2, H5T_IEEE_F64LE);
    expect_input_error(path, 1, ": s1/summary/net_fiscal_cost_pkr: expected shape [11], found [11, 1]");
    econ_copy("scalar-summary.h5", path, sizeof path);
    replace_ds(path, "baseline/summary/unserved_mwh", 0, NULL, H5T_IEEE_F64LE);
    expect_input_error(path, 0, ": baseline/summary/unserved_mwh: expected shape [11], found []");
}

/* Defect: a 1-D delta array was read into a zero-byte buffer and a 3-D one
 * wrote three extents into hsize_t[2] (heap and stack overflows in
 * prob_positive). */
static void test_delta_wrong_rank(void **st)
{
    (void)st;
    char path[512];
    econ_copy("delta-1d.h5", path, sizeof path);
    const hsize_t d1 = T * Y;
    replace_ds(path, "delta/shed_hours", 1, &d1, H5T_IEEE_F64LE);
    expect_input_error(path, 0, ": delta/shed_hours: expected shape [5, 3], found [15]");
    econ_copy("delta-3d.h5", path, sizeof path);
    const hsize_t d3[3] = {T, Y, 2};
    replace_ds(path, "delta/net_fiscal_cost_pkr", 3, d3, H5T_IEEE_F64LE);
    expect_input_error(path, 0, ": delta/net_fiscal_cost_pkr: expected shape [5, 3], found [5, 3, 2]");
}

/* The trials and years attributes must agree with the arrays' shapes. */
static void test_trials_years_disagree(void **st)
{
    (void)st;
    char path[512];
    econ_copy("trials6.h5", path, sizeof path);
    const unsigned long long six = 6;
    replace_attr(path, "trials", H5T_STD_U64LE, 0, &six);
    expect_input_error(path, 0, "expected shape [6, 3], found [5, 3]");
    expect_input_error(path, 1, "expected shape [6, 3], found [5, 3]");
    econ_copy("years0.h5", path, sizeof path);
    const unsigned long long zero = 0;
    replace_attr(path, "years", H5T_STD_U64LE, 0, &zero);
    expect_input_error(path, 0, ": attribute 'years': 0 is out of range [1, ");
    econ_copy("delta-rows.h5", path, sizeof path);
    const hsize_t d[2] = {T + 1, Y};
    replace_ds(path, "delta/unserved_mwh", 2, d, H5T_IEEE_F64LE);
    expect_input_error(path, 0, ": delta/unserved_mwh: expected shape [5, 3], found [6, 3]");
}

/* Defect: without the scenarios attribute the report walked an
 * uninitialised array of names. */
static void test_attribute_missing(void **st)
{
    (void)st;
    static const char *const attrs[] = {"scenarios", "metrics", "scenario_name", "trials",
                                        "years"};
    for (size_t i = 0; i < sizeof attrs / sizeof *attrs; ++i) {
        char path[512], frag[128];
        econ_copy("no-attr.h5", path, sizeof path);
        delete_attr(path, attrs[i]);
        snprintf(frag, sizeof frag, ": attribute '%s': missing", attrs[i]);
        expect_input_error(path, 0, frag);
        expect_input_error(path, 1, frag);
    }
}

/* Defect: attributes were read without looking at their type or shape; a
 * 1,000-element trials or a 3-element scenarios attribute was read into one
 * scalar on the stack. */
static void test_attribute_wrong_type_or_rank(void **st)
{
    (void)st;
    char path[512];
    econ_copy("trials-array.h5", path, sizeof path);
    unsigned long long many[1000];
    for (size_t i = 0; i < 1000; ++i)
        many[i] = T;
    replace_attr(path, "trials", H5T_STD_U64LE, 1000, many);
    expect_input_error(path, 0, ": attribute 'trials': expected a scalar, found shape [1000]");

    econ_copy("scen-array.h5", path, sizeof path);
    const hid_t vl = vl_string_type();
    const char *three[3] = {"baseline", "s1", "s2"};
    replace_attr(path, "scenarios", vl, 3, three);
    H5Tclose(vl);
    expect_input_error(path, 0, ": attribute 'scenarios': expected a scalar, found shape [3]");
    expect_input_error(path, 1, ": attribute 'scenarios': expected a scalar, found shape [3]");

    econ_copy("trials-string.h5", path, sizeof path);
    replace_attr_str(path, "trials", "5");
    expect_input_error(path, 0, ": attribute 'trials': expected an integer, found a string");

    econ_copy("scen-int.h5", path, sizeof path);
    const int one = 1;
    replace_attr(path, "scenarios", H5T_STD_I32LE, 0, &one);
    expect_input_error(path, 1, ": attribute 'scenarios': expected a string, found an integer");

    econ_copy("years-negative.h5", path, sizeof path);
    const int minus = -3;
    replace_attr(path, "years", H5T_STD_I32LE, 0, &minus);
    expect_input_error(path, 0, ": attribute 'years': -3 is out of range [1, ");
}

/* Names in the lists must be usable as group names: no empty name (two
 * commas were silently merged), none with '/' (read another group). */
static void test_bad_names(void **st)
{
    (void)st;
    char path[512];
    econ_copy("empty-name.h5", path, sizeof path);
    replace_attr_str(path, "scenarios", "baseline,,s1");
    expect_input_error(path, 0, ": attribute 'scenarios': empty name");
    econ_copy("slash-name.h5", path, sizeof path);
    replace_attr_str(path, "scenarios", "baseline,s1/summary");
    expect_input_error(path, 0, ": attribute 'scenarios': name 's1/summary' contains '/'");
    econ_copy("empty-metrics.h5", path, sizeof path);
    replace_attr_str(path, "metrics", "");
    expect_input_error(path, 1, ": attribute 'metrics': empty name");
}

/* Datasets of the wrong kind: a string array, a group, an integer array
 * (accepted: converted to double, like h5py would). */
static void test_wrong_type(void **st)
{
    (void)st;
    char path[512];
    econ_copy("string-summary.h5", path, sizeof path);
    const hsize_t n = STATS_LEN;
    const hid_t vl = vl_string_type();
    replace_ds(path, "baseline/summary/shed_hours", 1, &n, vl);
    H5Tclose(vl);
    expect_input_error(path, 0, ": baseline/summary/shed_hours: expected numbers, found a string");

    econ_copy("group-summary.h5", path, sizeof path);
    hid_t f = open_rw(path);
    assert_true(H5Ldelete(f, "s1/summary/shed_hours", H5P_DEFAULT) >= 0);
    H5Gclose(H5Gcreate2(f, "s1/summary/shed_hours", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
    H5Fclose(f);
    expect_input_error(path, 0, ": s1/summary/shed_hours: not a dataset");

    econ_copy("missing-delta.h5", path, sizeof path);
    f = open_rw(path);
    assert_true(H5Ldelete(f, "delta/unserved_mwh", H5P_DEFAULT) >= 0);
    H5Fclose(f);
    expect_input_error(path, 0, ": delta/unserved_mwh: missing");

    econ_copy("int-summary.h5", path, sizeof path);
    replace_ds(path, "baseline/summary/shed_hours", 1, &n, H5T_STD_I32LE);
    char *text = report_text(path, 0);
    expect_line(text, ROW, "load-shedding hours, h/yr", "baseline", 1.0, 1.0, 1.0, 1.0);
    free(text);
}

/* Data that is not there or not in this file: a dataset declared but never
 * written (HDF5 would invent fill values), raw data in an external file. */
static void test_storage_refused(void **st)
{
    (void)st;
    char path[512];
    econ_copy("unwritten.h5", path, sizeof path);
    hid_t f = open_rw(path);
    assert_true(H5Ldelete(f, "delta/shed_hours", H5P_DEFAULT) >= 0);
    const hsize_t dims[2] = {T, Y}, chunk[2] = {1, Y};
    hid_t sp = H5Screate_simple(2, dims, NULL);
    hid_t pl = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_chunk(pl, 2, chunk);
    H5Dclose(H5Dcreate2(f, "delta/shed_hours", H5T_IEEE_F64LE, sp, H5P_DEFAULT, pl, H5P_DEFAULT));
    H5Pclose(pl);
    /* raw data in /dev/zero: reading it would print statistics of zeros */
    assert_true(H5Ldelete(f, "delta/unserved_mwh", H5P_DEFAULT) >= 0);
    pl = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_external(pl, "/dev/zero", 0, T * Y * sizeof(double));
    H5Dclose(H5Dcreate2(f, "delta/unserved_mwh", H5T_IEEE_F64LE, sp, H5P_DEFAULT, pl, H5P_DEFAULT));
    H5Pclose(pl);
    H5Sclose(sp);
    H5Fclose(f);
    expect_input_error(path, 0, ": delta/shed_hours: not all of it written");
    econ_copy("unwritten2.h5", path, sizeof path);
    f = open_rw(path);
    assert_true(H5Ldelete(f, "delta/shed_hours", H5P_DEFAULT) >= 0);
    assert_true(H5Lcreate_soft("/delta/unserved_mwh", f, "delta/shed_hours", H5P_DEFAULT,
                               H5P_DEFAULT) >= 0);
    assert_true(H5Ldelete(f, "delta/unserved_mwh", H5P_DEFAULT) >= 0);
    sp = H5Screate_simple(2, dims, NULL);
    pl = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_external(pl, "/dev/zero", 0, T * Y * sizeof(double));
    H5Dclose(H5Dcreate2(f, "delta/unserved_mwh", H5T_IEEE_F64LE, sp, H5P_DEFAULT, pl, H5P_DEFAULT));
    H5Pclose(pl);
    H5Sclose(sp);
    H5Fclose(f);
    expect_input_error(path, 0, ": delta/shed_hours: data in an external file not read");
}

/* Strings as other writers store them (fixed length, as h5py does for
 * bytes) are read; over-long ones, control characters (a terminal escape)
 * and bytes that are not UTF-8 are refused. */
static void test_string_attributes(void **st)
{
    (void)st;
    char path[512];
    econ_copy("fixed-string.h5", path, sizeof path);
    const char fixed[16] = "baseline,s1"; /* NUL-padded to 16 bytes */
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, sizeof fixed);
    H5Tset_strpad(t, H5T_STR_NULLPAD);
    replace_attr(path, "scenarios", t, 0, fixed);
    H5Tclose(t);
    char *text = report_text(path, 0);
    expect_line(text, ROW, "", "delta s1", 10.0, 10.0, 10.0, 10.0);
    free(text);

    econ_copy("huge-string.h5", path, sizeof path);
    char *big = malloc((1 << 20) + 2);
    assert_non_null(big);
    memset(big, 'a', (1 << 20) + 1);
    big[(1 << 20) + 1] = '\0';
    replace_attr_str(path, "scenario_name", big);
    expect_input_error(path, 1, ": attribute 'scenario_name': longer than 1048576 bytes");
    free(big);

    econ_copy("escape-name.h5", path, sizeof path);
    replace_attr_str(path, "scenario_name", "x\033[2Jy");
    expect_input_error(path, 1, ": attribute 'scenario_name': not printable UTF-8");
    econ_copy("latin1-name.h5", path, sizeof path);
    replace_attr_str(path, "scenarios", "baseline,caf\xe9"); /* Latin-1, not UTF-8 */
    expect_input_error(path, 0, ": attribute 'scenarios': a name is not printable UTF-8");
    econ_copy("utf8-name.h5", path, sizeof path);
    replace_attr_str(path, "scenario_name", "caf\xc3\xa9 \xe2\x80\x94 2 GW"); /* é, em dash */
    char *ok = report_text(path, 1);
    expect_line(ok, "scenario 'caf\xc3\xa9 \xe2\x80\x94 2 GW', 5 trials x 3 year(s)\n");
    free(ok);
    econ_copy("long-name.h5", path, sizeof path);
    char name[300];
    memset(name, 'n', sizeof name - 1);
    name[sizeof name - 1] = '\0';
    replace_attr_str(path, "metrics", name);
    expect_input_error(path, 1, ": attribute 'metrics': a name is longer than 255 bytes");
}

/* Defect: the policy report kept 16 scenarios and the tables 64 metrics and
 * silently dropped the rest. */
static void test_long_lists_not_cut(void **st)
{
    (void)st;
    char path[512];
    write_result("17-scenarios.h5", 17, ECON, N_ECON, path, sizeof path);
    char *text = report_text(path, 0);
    assert_non_null(strstr(text, "delta s16"));
    assert_non_null(strstr(text, "\ns16 vs baseline:\n"));
    free(text);

    enum { NM = 65 };
    static char names[NM][16];
    static metric_info_t m[NM];
    for (size_t i = 0; i < NM; ++i) {
        snprintf(names[i], sizeof names[i], "m%02zu_mwh", i);
        m[i] = (metric_info_t){names[i], "MWh", "x"};
    }
    write_result("65-metrics.h5", 1, m, NM, path, sizeof path);
    text = report_text(path, 1);
    assert_non_null(strstr(text, "\n  m64_mwh "));
    free(text);
}

static void test_not_a_result_file(void **st)
{
    (void)st;
    char path[512];
    tu_write(tu_dir(), "plain.txt", "not hdf5\n", path, sizeof path);
    expect_input_error(path, 0, ": cannot open as HDF5");
    expect_input_error(tu_dir(), 0, ": not a regular file");
    assert_int_equal(tu_run_cli((const char *[]){"summary", tu_dir(), NULL}), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_file_reads),
        cmocka_unit_test(test_prob_positive_across_blocks),
        cmocka_unit_test(test_summary_too_long),
        cmocka_unit_test(test_summary_short_or_rank_2),
        cmocka_unit_test(test_delta_wrong_rank),
        cmocka_unit_test(test_trials_years_disagree),
        cmocka_unit_test(test_attribute_missing),
        cmocka_unit_test(test_attribute_wrong_type_or_rank),
        cmocka_unit_test(test_bad_names),
        cmocka_unit_test(test_wrong_type),
        cmocka_unit_test(test_storage_refused),
        cmocka_unit_test(test_string_attributes),
        cmocka_unit_test(test_long_lists_not_cut),
        cmocka_unit_test(test_not_a_result_file),
    };
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    return cmocka_run_group_tests_name("report", tests, tu_setup_dir, tu_teardown_dir);
}
