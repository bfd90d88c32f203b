/* test_cli.c - the command line: exit statuses and no output on errors. */
#include "testutil.h"

#include <stdio.h>


static void test_help_and_version(void **st)
{
    (void)st;
    assert_int_equal(tu_run_cli((const char *[]){"--help", NULL}), 0);
    assert_int_equal(tu_run_cli((const char *[]){"--version", NULL}), 0);
    assert_int_equal(tu_run_cli((const char *[]){NULL}), 2);
    assert_int_equal(tu_run_cli((const char *[]){"frobnicate", NULL}), 2);
}

static void test_run_writes_file(void **st)
{
    (void)st;
    char out[512];
    snprintf(out, sizeof out, "%s/ok.h5", tu_dir());
    assert_int_equal(tu_run_cli((const char *[]){"run", "inputs/rbts/rbts.yaml", "-o", out,
                                                 "-n", "500", "-s", "3", "-t", "2", NULL}),
                     0);
    assert_true(tu_exists(out));
    assert_int_equal(tu_run_cli((const char *[]){"summary", out, NULL}), 0);
    assert_int_equal(tu_run_cli((const char *[]){"validate", "inputs/rbts/rbts.yaml", NULL}), 0);
}

/* Usage and input errors exit 2 and create no output file. */
static void test_bad_input_exit_2_no_output(void **st)
{
    (void)st;
    char out[512], yaml[512];
    snprintf(out, sizeof out, "%s/bad.h5", tu_dir());
    tu_write(tu_dir(), "bad.yaml", "name: x\nhorizon_years: 1\nbogus: 1\n", yaml, sizeof yaml);
    assert_int_equal(tu_run_cli((const char *[]){"run", yaml, "-o", out, NULL}), 2);
    assert_int_equal(
        tu_run_cli((const char *[]){"run", "inputs/rbts/rbts.yaml", "-o", out, "-n", "0", NULL}),
        2);
    assert_int_equal(tu_run_cli((const char *[]){"run", "inputs/rbts/rbts.yaml", "-o", out, "-n",
                                                 "12x", NULL}),
                     2);
    assert_int_equal(tu_run_cli((const char *[]){"run", "inputs/rbts/rbts.yaml", "-o", out, "-s",
                                                 "-1", NULL}),
                     2);
    assert_int_equal(tu_run_cli((const char *[]){"run", "inputs/rbts/rbts.yaml", NULL}), 2);
    assert_int_equal(tu_run_cli((const char *[]){"validate", yaml, NULL}), 2);
    assert_false(tu_exists(out));
}

/* A runtime failure (unwritable output) exits 1. */
static void test_runtime_error_exit_1(void **st)
{
    (void)st;
    assert_int_equal(tu_run_cli((const char *[]){"run", "inputs/rbts/rbts.yaml", "-o",
                                                 "/nonexistent-dir/x.h5", "-n", "10", NULL}),
                     1);
    assert_int_equal(tu_run_cli((const char *[]){"summary", "/nonexistent.h5", NULL}), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_help_and_version),
        cmocka_unit_test(test_run_writes_file),
        cmocka_unit_test(test_bad_input_exit_2_no_output),
        cmocka_unit_test(test_runtime_error_exit_1),
    };
    return cmocka_run_group_tests_name("cli", tests, tu_setup_dir, tu_teardown_dir);
}
