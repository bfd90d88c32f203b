/* test_scenario.c - loading scenarios and CSV files; every bad input stops
 * with a message naming the file, the field and (where there is one) the
 * line. */
#include "testutil.h"

#include "../inputs/csv.h"
#include "../inputs/scenario.h"
#include "../model/utf8.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *GOOD_UNITS = "name,type,capacity_mw,for,mttf_h,mttr_h\n"
                                "g1,Thermal,40,0.03,1460,45.1546\n"
                                "g2,Hydro,20,,3650,55.5838\n";
static const char *GOOD_LOAD_HDR = "load_mw\n";

static void write_load(const char *name, int hours)
{
    char text[65536] = "load_mw\n";
    for (int h = 0; h < hours; ++h) {
        char row[32];
        snprintf(row, sizeof row, "%d\n", 20 + h % 24);
        strcat(text, row);
    }
    tu_write(tu_dir(), name, text, NULL, 0);
}

/* Writes a scenario with the given body and loads it; returns the code and
 * leaves the message in err. */
static int load_yaml(const char *body, gr_err_t *err, scenario_t **sc)
{
    char path[512];
    tu_write(tu_dir(), "s.yaml", body, path, sizeof path);
    scenario_t *tmp = NULL;
    const int rc = scenario_load(path, sc ? sc : &tmp, err);
    if (!sc)
        scenario_free(tmp);
    return rc;
}

static const char *BASE = "name: t\nhorizon_years: 2\nload:\n  profile_csv: load.csv\n"
                          "units:\n  csv: units.csv\n";

static void expect_error(const char *body, const char *needle1, const char *needle2)
{
    gr_err_t err = {0, {0}};
    assert_int_equal(load_yaml(body, &err, NULL), GR_EINPUT);
    if (!strstr(err.msg, needle1) || (needle2 && !strstr(err.msg, needle2)))
        fail_msg("message '%s' lacks '%s' / '%s'", err.msg, needle1, needle2 ? needle2 : "");
}

static void test_good_scenario(void **st)
{
    (void)st;
    write_load("load.csv", 48);
    tu_write(tu_dir(), "units.csv", GOOD_UNITS, NULL, 0);
    gr_err_t err = {0, {0}};
    scenario_t *sc;
    assert_int_equal(load_yaml("name: t\nhorizon_years: 2\nload:\n  profile_csv: load.csv\n"
                               "  peak_mw: 86\nunits:\n  csv: units.csv\n  list:\n"
                               "    - {name: extra, capacity_mw: 5, for: 0.1, mttr_h: 10, "
                               "count: 2}\nrun: {trials: 77, seed: 5}\n",
                               &err, &sc),
                     GR_OK);
    assert_int_equal(sc->hours, 48);
    assert_int_equal(sc->horizon_years, 2);
    assert_int_equal(sc->n_units, 4);
    assert_true(fabs(sc->peak_mw - 86.0) < 1e-12);
    assert_true(fabs(sc->load_mw[23] - 86.0) < 1e-12); /* 43 scaled by 2 */
    assert_true(fabs(sc->capacity_mw - 70.0) < 1e-12);
    /* FOR derived from MTTF and MTTR; MTTF derived from FOR and MTTR */
    assert_true(fabs(sc->units[1].for_ - 55.5838 / (3650 + 55.5838)) < 1e-15);
    assert_true(fabs(sc->units[2].mttf_h - 90.0) < 1e-12);
    assert_string_equal(sc->units[3].name, "extra#2");
    assert_int_equal(sc->trials, 77);
    assert_int_equal(sc->seed, 5);
    assert_int_not_equal(sc->units[2].stream, sc->units[3].stream);
    scenario_free(sc);
}

/* The recorded digest is of the file as on disk, byte-order mark included
 * (what sha256sum prints), not of the text after the mark is dropped. The
 * expected digest was computed with sha256sum. */
static void test_input_digest_includes_bom(void **st)
{
    (void)st;
    write_load("load.csv", 48);
    tu_write(tu_dir(), "units.csv", GOOD_UNITS, NULL, 0);
    char path[512];
    tu_write(tu_dir(), "bom.yaml",
             "\xEF\xBB\xBFname: t\nhorizon_years: 1\nload: {profile_csv: load.csv}\n"
             "units: {csv: units.csv}\n",
             path, sizeof path);
    scenario_t *sc = NULL;
    gr_err_t err = {0, {0}};
    assert_int_equal(scenario_load(path, &sc, &err), GR_OK);
    assert_string_equal(sc->input_sha256[0],
                        "311b17a0d65c43da451c78baf6439c0df56482fd5cbe845ea23a8e9ba891ac1f");
    scenario_free(sc);
}

/* The one rule for names in and out of result files (model/utf8.c). */
static void test_utf8_printable(void **st)
{
    (void)st;
    /* the neighbours of the invisible ranges are fine: U+00AC, U+200A (hair
     * space), U+2027, U+202F, U+205F, U+206A, U+FEFE */
    static const char *const good[] = {
        "baseline",         "caf\xc3\xa9",  "\xe6\x97\xa5\xe6\x9c\xac",
        "\xf0\x9f\x98\x80", "\xc2\xa0",     "",
        "a b-c_d.e",        "\xc2\xac",     "\xe2\x80\x8a",
        "\xe2\x80\xa7",     "\xe2\x80\xaf", "\xe2\x81\x9f",
        "\xe2\x81\xaa",     "\xef\xbb\xbe"};
    /* then the invisible and direction-changing: U+00AD soft hyphen, U+200B
     * zero-width space, U+200F, U+2028 line separator, U+202E right-to-left
     * override, U+2060 word joiner, U+2069, U+FEFF byte-order mark */
    static const char *const bad[] = {"a\x1b[2J",
                                      "del\x7f",
                                      "\xc2\x85",
                                      "\xc0\xaf",
                                      "\xe0\x80\xaf",
                                      "\xed\xa0\x80",
                                      "\xf4\x90\x80\x80",
                                      "\xe6\x97",
                                      "\xff",
                                      "\xf5\x80\x80\x80",
                                      "x\xc3",
                                      "a\xc2\xad"
                                      "b",
                                      "gen\xe2\x80\x8b",
                                      "\xe2\x80\x8f",
                                      "\xe2\x80\xa8",
                                      "\xe2\x80\xae"
                                      "abc",
                                      "\xe2\x81\xa0",
                                      "\xe2\x81\xa9",
                                      "\xef\xbb\xbfname"};
    for (size_t i = 0; i < sizeof good / sizeof *good; ++i)
        if (!utf8_printable(good[i]) || !utf8_text(good[i]))
            fail_msg("good[%zu] refused", i);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; ++i)
        if (utf8_printable(bad[i]) || utf8_text(bad[i]))
            fail_msg("bad[%zu] accepted", i);
    /* free text may have lines and tabs, no other control character */
    assert_true(utf8_text("two\nlines\tand a tab"));
    assert_false(utf8_printable("two\nlines"));
    assert_false(utf8_text("a\rb"));
    assert_false(utf8_text("bell\a"));
}

static void test_bundled_rbts(void **st)
{
    (void)st;
    gr_err_t err = {0, {0}};
    scenario_t *sc;
    assert_int_equal(scenario_load("inputs/rbts/rbts.yaml", &sc, &err), GR_OK);
    assert_int_equal(sc->n_units, 11);
    assert_int_equal(sc->hours, 8736);
    assert_true(fabs(sc->capacity_mw - 240.0) < 1e-9);
    assert_true(fabs(sc->peak_mw - 185.0) < 1e-9);
    /* README: energy 992,968.0 MWh, load factor 0.6144 */
    assert_true(fabs(sc->energy_mwh - 992968.0) < 0.5);
    scenario_free(sc);
}

static void test_missing_scenario_file(void **st)
{
    (void)st;
    gr_err_t err = {0, {0}};
    scenario_t *sc;
    assert_int_equal(scenario_load("/nonexistent/x.yaml", &sc, &err), GR_EINPUT);
    assert_non_null(strstr(err.msg, "/nonexistent/x.yaml"));
    assert_null(sc);
}

static void test_missing_csv_file(void **st)
{
    (void)st;
    write_load("load.csv", 48);
    expect_error("name: t\nhorizon_years: 1\nload:\n  profile_csv: nope.csv\n"
                 "units:\n  csv: units.csv\n",
                 "nope.csv", "cannot open");
}

static void test_unknown_key(void **st)
{
    (void)st;
    expect_error("name: t\nhorizon_years: 1\nhorizon_yeers: 2\n", "horizon_yeers",
                 "s.yaml:3: unknown key");
}

static void test_wrong_type(void **st)
{
    (void)st;
    expect_error("name: t\nhorizon_years: many\n", "many", "s.yaml:2: horizon_years");
}

static void test_negative_capacity(void **st)
{
    (void)st;
    write_load("load.csv", 48);
    tu_write(tu_dir(), "units.csv", "name,capacity_mw,for,mttr_h\ng1,-5,0.1,10\n", NULL, 0);
    expect_error(BASE, "units.csv:2", "capacity_mw");
}

static void test_negative_capacity_inline(void **st)
{
    (void)st;
    write_load("load.csv", 48);
    expect_error("name: t\nhorizon_years: 1\nload:\n  profile_csv: load.csv\nunits:\n  list:\n"
                 "    - {name: a, capacity_mw: -1, for: 0.1, mttr_h: 5}\n",
                 "units.list[0]", "capacity_mw");
}

static void test_mttf_not_positive(void **st)
{
    (void)st;
    write_load("load.csv", 48);
    tu_write(tu_dir(), "units.csv", "name,capacity_mw,mttf_h,mttr_h\ng1,5,100,10\ng2,5,0,10\n",
             NULL, 0);
    expect_error(BASE, "units.csv:3", "mttf_h");
}

static void test_for_inconsistent(void **st)
{
    (void)st;
    write_load("load.csv", 48);
    tu_write(tu_dir(), "units.csv", "name,capacity_mw,for,mttf_h,mttr_h\ng1,5,0.5,100,10\n", NULL,
             0);
    expect_error(BASE, "units.csv:2", "disagrees");
}

static void test_empty_csv(void **st)
{
    (void)st;
    write_load("load.csv", 48);
    tu_write(tu_dir(), "units.csv", "", NULL, 0);
    expect_error(BASE, "units.csv", "empty");
    tu_write(tu_dir(), "units.csv", "name,capacity_mw,for,mttr_h\n", NULL, 0);
    expect_error(BASE, "units.csv:1", "no data rows");
}

static void test_ragged_csv(void **st)
{
    (void)st;
    write_load("load.csv", 48);
    tu_write(tu_dir(), "units.csv", "name,capacity_mw,for,mttr_h\ng1,5,0.1,10\ng2,5,0.1\n", NULL,
             0);
    expect_error(BASE, "units.csv:3", "ragged");
}

static void test_nan_in_csv(void **st)
{
    (void)st;
    tu_write(tu_dir(), "units.csv", GOOD_UNITS, NULL, 0);
    char text[4096];
    strcpy(text, GOOD_LOAD_HDR);
    for (int h = 0; h < 30; ++h)
        strcat(text, h == 9 ? "nan\n" : "12.5\n");
    tu_write(tu_dir(), "load.csv", text, NULL, 0);
    expect_error(BASE, "load.csv:11", "load_mw");
}

static void test_nan_in_yaml(void **st)
{
    (void)st;
    write_load("load.csv", 48);
    tu_write(tu_dir(), "units.csv", GOOD_UNITS, NULL, 0);
    expect_error("name: t\nhorizon_years: 1\nload:\n  profile_csv: load.csv\n  peak_mw: .nan\n"
                 "units:\n  csv: units.csv\n",
                 "s.yaml:5: load.peak_mw", "not a finite number");
}

static void test_trials_zero(void **st)
{
    (void)st;
    write_load("load.csv", 48);
    tu_write(tu_dir(), "units.csv", GOOD_UNITS, NULL, 0);
    char body[512];
    snprintf(body, sizeof body, "%srun:\n  trials: 0\n", BASE);
    expect_error(body, "run.trials", NULL);
}

static void test_duplicate_unit_names(void **st)
{
    (void)st;
    write_load("load.csv", 48);
    tu_write(tu_dir(), "units.csv", "name,capacity_mw,for,mttr_h\ng1,5,0.1,10\ng1,6,0.1,10\n", NULL,
             0);
    expect_error(BASE, "duplicate", "g1");
}

static void test_unknown_csv_column(void **st)
{
    (void)st;
    write_load("load.csv", 48);
    tu_write(tu_dir(), "units.csv", "name,capacity_mw,for,mttr_h,colour\ng1,5,0.1,10,red\n", NULL,
             0);
    expect_error(BASE, "units.csv:1", "colour");
}

static void test_short_profile(void **st)
{
    (void)st;
    write_load("load.csv", 10);
    tu_write(tu_dir(), "units.csv", GOOD_UNITS, NULL, 0);
    expect_error(BASE, "load.csv", "24");
}

static void test_missing_required_field(void **st)
{
    (void)st;
    expect_error("name: t\nload:\n  profile_csv: load.csv\nunits:\n  csv: units.csv\n",
                 "horizon_years", NULL);
}

static void test_csv_quoted_and_text(void **st)
{
    (void)st;
    char path[512];
    csv_table_t *t;
    gr_err_t err = {0, {0}};
    tu_write(tu_dir(), "q.csv", "a,b\n1,\"x\"\n", path, sizeof path);
    assert_int_equal(csv_read(path, &t, &err), GR_EINPUT);
    assert_non_null(strstr(err.msg, "q.csv:2"));
    tu_write(tu_dir(), "c.csv", "# comment\na, b\r\n\n1.5 ,abc\r\n", path, sizeof path);
    assert_int_equal(csv_read(path, &t, &err), GR_OK);
    assert_int_equal(t->n_rows, 1);
    assert_int_equal(t->line[0], 4);
    assert_int_equal(csv_col(t, "b"), 1);
    double v;
    assert_int_equal(csv_double(t, 0, 0, &v, &err), GR_OK);
    assert_true(v == 1.5);
    assert_int_equal(csv_double(t, 0, 1, &v, &err), GR_EINPUT);
    assert_non_null(strstr(err.msg, "c.csv:4: column 'b'"));
    csv_free(t);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Column names: the leftmost fault is reported, as the pairwise check did. */
static void test_csv_header_faults(void **st)
{
    (void)st;
    static const struct {
        const char *text, *want;
    } cases[] = {
        {"a,b,,a\n1,2,3,4\n", "h.csv:1: empty column name (column 3)"},
        {"a,b,b,,a\n1,2,3,4,5\n", "h.csv:1: duplicate column 'b'"},
        {"x,y,x,y\n1,2,3,4\n", "h.csv:1: duplicate column 'x'"},
        {"# note\ny,x,x,y\n1,2,3,4\n", "h.csv:2: duplicate column 'x'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i) {
        char path[512];
        csv_table_t *t = NULL;
        gr_err_t err = {0, {0}};
        tu_write(tu_dir(), "h.csv", cases[i].text, path, sizeof path);
        assert_int_equal(csv_read(path, &t, &err), GR_EINPUT);
        if (!strstr(err.msg, cases[i].want))
            fail_msg("case %zu: '%s' lacks '%s'", i, err.msg, cases[i].want);
    }
}

/* A header of 300,000 names, the last a repeat of the first: checking every pair took 95 s. */
static void test_csv_wide_header(void **st)
{
    (void)st;
    enum { N = 300000 };
    char *text = malloc((size_t)N * 8 + 16);
    assert_non_null(text);
    size_t k = 0;
    for (int c = 0; c < N - 1; ++c)
        k += (size_t)sprintf(text + k, "c%x,", c);
    k += (size_t)sprintf(text + k, "c0\n1\n");
    char path[512];
    tu_write(tu_dir(), "wide.csv", text, path, sizeof path);
    free(text);
    csv_table_t *t = NULL;
    gr_err_t err = {0, {0}};
    const double t0 = now_s();
    assert_int_equal(csv_read(path, &t, &err), GR_EINPUT);
    const double dt = now_s() - t0;
    assert_non_null(strstr(err.msg, "wide.csv:1: duplicate column 'c0'"));
    if (dt > 5)
        fail_msg("csv_read took %.1f s for a 300,000-column header", dt);
}

/* A NUL written as an escape would end the C string the loader hands on. */
static void test_yaml_nul(void **st)
{
    (void)st;
    write_load("load.csv", 48);
    tu_write(tu_dir(), "units.csv", GOOD_UNITS, NULL, 0);
    expect_error("name: t\nhorizon_years: 1\nload:\n  profile_csv: \"load.csv\\0junk\"\n"
                 "units:\n  csv: units.csv\n",
                 "s.yaml:4: load.profile_csv: contains a NUL character", NULL);
    expect_error("name: \"t\\x00hidden\"\nhorizon_years: 1\n", "s.yaml:1: name: contains a NUL",
                 NULL);
    expect_error("name: t\nhorizon_years: 1\nload: {profile_csv: load.csv}\nunits:\n  list:\n"
                 "    - {name: a, capacity_mw: 5, for: 0.1, mttr_h: 10}\n"
                 "    - {name: \"b\\u0000c\", capacity_mw: 5, for: 0.1, mttr_h: 10}\n",
                 "s.yaml:7: units.list[1].name: contains a NUL character", NULL);
    /* a key: the path shows where the NUL is */
    expect_error("name: t\n\"horizon\\0_years\": 1\n",
                 "s.yaml:2: horizon\\0_years: contains a NUL character", NULL);
}

/* !!str 1 would reach the number rules as a plain 1; no scenario needs a tag. */
static void test_yaml_tags(void **st)
{
    (void)st;
    write_load("load.csv", 48);
    tu_write(tu_dir(), "units.csv", GOOD_UNITS, NULL, 0);
    char body[512];
    snprintf(body, sizeof body, "%shorizon_years: !!str 1\n", BASE);
    /* BASE gives horizon_years too; the tag is refused before the duplicate key */
    expect_error(body, "s.yaml:7: horizon_years: YAML tags", "not supported");
    expect_error("name: t\nhorizon_years: 1\nload: {profile_csv: load.csv, peak_mw: !!float 5}\n",
                 "s.yaml:3: load.peak_mw: YAML tags", NULL);
    expect_error("name: t\nhorizon_years: 1\nunits: !!map {csv: units.csv}\n",
                 "s.yaml:3: units: YAML tags", NULL);
    expect_error("name: ! t\n", "s.yaml:1: name: YAML tags", NULL);
}

/* Writes a scenario whose key junk holds n anchored items and then m aliases of the first. */
static void expect_anchors(int n, int m, const char *needle)
{
    char *body = malloc((size_t)(n + m) * 16 + 256);
    assert_non_null(body);
    size_t k = (size_t)sprintf(body, "%sjunk: [", BASE);
    for (int i = 0; i < n; ++i)
        k += (size_t)sprintf(body + k, "&a%d 1,", i);
    for (int i = 0; i < m; ++i)
        k += (size_t)sprintf(body + k, "*a0,");
    sprintf(body + k, "end]\n");
    const double t0 = now_s();
    expect_error(body, needle, NULL);
    const double dt = now_s() - t0;
    free(body);
    if (dt > 5)
        fail_msg("%d anchors and %d aliases took %.1f s", n, m, dt);
}

/* libyaml looks every alias up among every anchor: 100,000 of each took 31 s. */
static void test_yaml_anchor_limits(void **st)
{
    (void)st;
    write_load("load.csv", 48);
    tu_write(tu_dir(), "units.csv", GOOD_UNITS, NULL, 0);
    expect_anchors(100000, 100000, "s.yaml:7: more than 1000 YAML anchors");
    expect_anchors(1, 100000, "s.yaml:7: more than 1000 YAML aliases");
    /* at the limits the file gets as far as its unknown key */
    expect_anchors(1000, 1000, "unknown key 'junk'");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_scenario),
        cmocka_unit_test(test_input_digest_includes_bom),
        cmocka_unit_test(test_utf8_printable),
        cmocka_unit_test(test_bundled_rbts),
        cmocka_unit_test(test_missing_scenario_file),
        cmocka_unit_test(test_missing_csv_file),
        cmocka_unit_test(test_unknown_key),
        cmocka_unit_test(test_wrong_type),
        cmocka_unit_test(test_negative_capacity),
        cmocka_unit_test(test_negative_capacity_inline),
        cmocka_unit_test(test_mttf_not_positive),
        cmocka_unit_test(test_for_inconsistent),
        cmocka_unit_test(test_empty_csv),
        cmocka_unit_test(test_ragged_csv),
        cmocka_unit_test(test_nan_in_csv),
        cmocka_unit_test(test_nan_in_yaml),
        cmocka_unit_test(test_trials_zero),
        cmocka_unit_test(test_duplicate_unit_names),
        cmocka_unit_test(test_unknown_csv_column),
        cmocka_unit_test(test_short_profile),
        cmocka_unit_test(test_missing_required_field),
        cmocka_unit_test(test_csv_quoted_and_text),
        cmocka_unit_test(test_csv_header_faults),
        cmocka_unit_test(test_csv_wide_header),
        cmocka_unit_test(test_yaml_nul),
        cmocka_unit_test(test_yaml_tags),
        cmocka_unit_test(test_yaml_anchor_limits),
    };
    return cmocka_run_group_tests_name("scenario", tests, tu_setup_dir, tu_teardown_dir);
}
