/* test_cli.c - the command line: exit statuses, no output on errors, and
 * faults (disk full, unwritable or missing directories, an output naming an
 * input, too little memory, signals) that leave no partial or stale file. */
#include "testutil.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

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
    assert_int_equal(tu_run_cli((const char *[]){"run", "inputs/rbts/rbts.yaml", "-o", out, "-n",
                                                 "500", "-s", "3", "-t", "2", NULL}),
                     0);
    assert_true(tu_exists(out));
    assert_int_equal(tu_run_cli((const char *[]){"summary", out, NULL}), 0);
    /* --all before or after the file; anything else that looks like an
     * option is refused, as are arguments to --help and --version */
    assert_int_equal(tu_run_cli((const char *[]){"summary", "--all", out, NULL}), 0);
    assert_int_equal(tu_run_cli((const char *[]){"summary", out, "--all", NULL}), 0);
    assert_int_equal(tu_run_cli((const char *[]){"summary", out, "--al", NULL}), 2);
    assert_int_equal(tu_run_cli((const char *[]){"summary", out, out, NULL}), 2);
    assert_int_equal(tu_run_cli((const char *[]){"--help", "run", NULL}), 2);
    assert_int_equal(tu_run_cli((const char *[]){"--version", "x", NULL}), 2);
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
    assert_int_equal(
        tu_run_cli((const char *[]){"run", "inputs/rbts/rbts.yaml", "-o", out, "-n", "12x", NULL}),
        2);
    assert_int_equal(
        tu_run_cli((const char *[]){"run", "inputs/rbts/rbts.yaml", "-o", out, "-s", "-1", NULL}),
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

/* --- running the binary as a child with faults set up ---------------- */

typedef struct {
    const char *env;  /* "NAME=value" to add, or NULL */
    rlim_t fsize;     /* RLIMIT_FSIZE in bytes (SIGXFSZ ignored), 0: none */
    int unprivileged; /* run as nobody when root; exit 77 if impossible */
} child_opts_t;

enum { CHILD_SKIP = 77 };

static void scratch_path(char *buf, size_t n, const char *name)
{
    snprintf(buf, n, "%s/%s", tu_dir(), name);
}

/* Starts GRIDRISK_BIN with args, stdout and stderr into the scratch files
 * out.txt and err.txt. */
static pid_t spawn(const char *const *args, const child_opts_t *o)
{
    const char *argv[32];
    tu_cli_argv(args, argv, sizeof argv / sizeof *argv);
    char out[512], err[512];
    scratch_path(out, sizeof out, "out.txt");
    scratch_path(err, sizeof err, "err.txt");
    fflush(NULL);
    const pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid > 0)
        return pid;
    if (!freopen(out, "w", stdout) || !freopen(err, "w", stderr))
        _exit(126);
    /* the signals the tests send must not be ignored (exec keeps SIG_IGN) */
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    if (o && o->fsize) {
        signal(SIGXFSZ, SIG_IGN); /* writes then fail with EFBIG, like ENOSPC */
        const struct rlimit rl = {o->fsize, o->fsize};
        if (setrlimit(RLIMIT_FSIZE, &rl))
            _exit(125);
    }
    char why[256];
    if (o && o->unprivileged && tu_drop_privileges(why, sizeof why)) {
        fprintf(stderr, "%s\n", why);
        _exit(CHILD_SKIP);
    }
    if (o && o->env)
        putenv((char *)o->env);
    execv(argv[0], (char *const *)argv);
    _exit(127);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void nap_ms(long ms)
{
    const struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Waits for pid; after timeout_s seconds kills it and fails the test.
 * Returns the raw wait status. */
static int wait_for(pid_t pid, double timeout_s, const char *what)
{
    const double t0 = now_s();
    for (;;) {
        int st;
        const pid_t w = waitpid(pid, &st, WNOHANG);
        if (w == pid)
            return st;
        assert_true(w == 0);
        if (now_s() - t0 > timeout_s) {
            kill(pid, SIGKILL);
            waitpid(pid, &st, 0);
            fail_msg("%s: still running after %.0f s (the check must come before the run)", what,
                     timeout_s);
        }
        nap_ms(10);
    }
}

/* The whole of a (small) file, NUL-terminated; free() it. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot read %s", path);
    size_t cap = 4096, n = 0;
    char *b = malloc(cap);
    for (size_t got; b && (got = fread(b + n, 1, cap - n - 1, f)) > 0;) {
        n += got;
        if (n + 1 == cap) {
            char *nb = realloc(b, cap *= 2);
            if (!nb)
                free(b);
            b = nb;
        }
    }
    fclose(f);
    assert_non_null(b);
    b[n] = '\0';
    if (len)
        *len = n;
    return b;
}

static void assert_stderr_has(const char *fragment)
{
    char err[512];
    scratch_path(err, sizeof err, "err.txt");
    char *text = slurp(err, NULL);
    if (!strstr(text, fragment))
        fail_msg("stderr lacks '%s':\n%s", fragment, text);
    free(text);
}

/* Runs the CLI with faults; returns its exit status, failing the test if
 * it died of a signal or took longer than timeout_s. */
static int run_faulty(const char *const *args, const child_opts_t *o, double timeout_s)
{
    const int st = wait_for(spawn(args, o), timeout_s, args[0]);
    if (WIFSIGNALED(st))
        fail_msg("gridrisk %s died of signal %d", args[0], WTERMSIG(st));
    assert_true(WIFEXITED(st));
    return WEXITSTATUS(st);
}

/* Temporaries ("*.tmp.*") in dir; fails if dir cannot be listed. */
static int count_tmp(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        fail_msg("cannot list %s", dir);
    int n = 0;
    for (struct dirent *e; (e = readdir(d));)
        n += strstr(e->d_name, ".tmp.") != NULL;
    closedir(d);
    return n;
}

static void copy_file(const char *from, const char *to)
{
    size_t n;
    char *b = slurp(from, &n);
    FILE *f = fopen(to, "wb");
    if (!f || fwrite(b, 1, n, f) != n)
        fail_msg("cannot write %s", to);
    fclose(f);
    free(b);
}

static void assert_same_content(const char *path, const char *expect, size_t n)
{
    size_t m;
    char *b = slurp(path, &m);
    if (m != n || memcmp(b, expect, n))
        fail_msg("%s was changed", path);
    free(b);
}

/* A good result file at dir/name, for the tests that must leave one intact;
 * its content is returned (free() it). */
static char *good_result(const char *path, size_t *len)
{
    assert_int_equal(tu_run_cli((const char *[]){"run", "inputs/rbts/rbts.yaml", "-o", path, "-n",
                                                 "50", "-q", NULL}),
                     0);
    return slurp(path, len);
}

/* Trials enough for a run of tens of seconds: a check that waits for the
 * run's end shows as a timeout. */
#define LONG_RUN_TRIALS "20000000"
#define PRE_RUN_TIMEOUT_S 10.0

/* A disk that fills during the write: exit 1 with the cause, no crash in
 * HDF5's exit handler, no temporary, the previous result intact. */
static void test_disk_full_exit_1(void **st)
{
    (void)st;
    char out[512];
    scratch_path(out, sizeof out, "full.h5");
    size_t n;
    char *before = good_result(out, &n);
    const child_opts_t o = {NULL, 64 * 1024, 0};
    assert_int_equal(run_faulty((const char *[]){"run", "inputs/rbts/rbts.yaml", "-o", out, "-n",
                                                 "20000", "-q", NULL},
                                &o, 120),
                     1);
    assert_stderr_has("File too large");
    assert_int_equal(count_tmp(tu_dir()), 0);
    assert_same_content(out, before, n);
    free(before);
}

/* Bad -o values are refused before a long run starts (else: timeout). */
static void test_output_checked_before_run(void **st)
{
    (void)st;
    char dir[512], slash[600], missing[600];
    scratch_path(dir, sizeof dir, "rbts");
    assert_int_equal(mkdir(dir, 0755), 0);
    static const char *const files[] = {"rbts.yaml", "units.csv", "load_hourly.csv"};
    char copies[3][600];
    for (size_t i = 0; i < 3; ++i) {
        char from[256];
        snprintf(from, sizeof from, "inputs/rbts/%s", files[i]);
        snprintf(copies[i], sizeof copies[i], "%s/%s", dir, files[i]);
        copy_file(from, copies[i]);
    }
    snprintf(slash, sizeof slash, "%s/", dir);
    snprintf(missing, sizeof missing, "%s/no-such-dir/x.h5", dir);
    const struct {
        const char *out;
        int code;
        const char *msg;
    } cases[] = {
        {"", 2, "output path is empty"},     {dir, 2, "is a directory"},
        {slash, 2, "is a directory"},        {missing, 1, "does not exist"},
        {copies[0], 2, "is the input file"}, /* the scenario itself */
        {copies[1], 2, "is the input file"}, /* a CSV it reads */
        {copies[2], 2, "is the input file"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; ++i) {
        size_t n = 0;
        /* the inputs named by -o must come through unchanged */
        char *before = i >= 4 ? slurp(cases[i].out, &n) : NULL;
        const int code = run_faulty((const char *[]){"run", copies[0], "-o", cases[i].out, "-n",
                                                     LONG_RUN_TRIALS, "-q", NULL},
                                    NULL, PRE_RUN_TIMEOUT_S);
        if (code != cases[i].code)
            fail_msg("-o '%s': exit %d, expected %d", cases[i].out, code, cases[i].code);
        assert_stderr_has(cases[i].msg);
        if (before) {
            assert_same_content(cases[i].out, before, n);
            free(before);
        }
    }
    assert_int_equal(count_tmp(dir), 0);
}

/* A read-only directory, as an unprivileged user (CI runs as root, who
 * could write there): refused before the run, the old result intact. */
static void test_read_only_directory(void **st)
{
    (void)st;
    char ro[512], keep[600], fresh[600];
    scratch_path(ro, sizeof ro, "ro");
    assert_int_equal(mkdir(ro, 0755), 0);
    snprintf(keep, sizeof keep, "%s/keep.h5", ro);
    snprintf(fresh, sizeof fresh, "%s/new.h5", ro);
    size_t n;
    char *before = good_result(keep, &n);
    assert_int_equal(chmod(ro, 0555), 0);
    assert_int_equal(chmod(tu_dir(), 0755), 0); /* mkdtemp made it 0700 */
    const child_opts_t o = {NULL, 0, 1};
    const char *const outs[] = {keep, fresh};
    for (size_t i = 0; i < 2; ++i) {
        const int code = run_faulty((const char *[]){"run", "inputs/rbts/rbts.yaml", "-o", outs[i],
                                                     "-n", LONG_RUN_TRIALS, "-q", NULL},
                                    &o, PRE_RUN_TIMEOUT_S);
        if (code == CHILD_SKIP) {
            char err[512];
            scratch_path(err, sizeof err, "err.txt");
            char *why = slurp(err, NULL);
            printf("skipped: %s", why);
            free(why);
            free(before);
            skip();
        }
        assert_int_equal(code, 1);
        assert_stderr_has("cannot create files in directory");
        assert_stderr_has("Permission denied");
    }
    assert_same_content(keep, before, n);
    assert_false(tu_exists(fresh));
    assert_int_equal(count_tmp(ro), 0);
    free(before);
    assert_int_equal(chmod(ro, 0755), 0);
}

/* A run whose results cannot fit is refused before it starts, saying so. */
static void test_memory_refused_before_run(void **st)
{
    (void)st;
    char out[512];
    scratch_path(out, sizeof out, "huge.h5");
    /* 10^9 Pakistan trials: streamed, their rows never held, but the
     * sensitivity's ranks of every trial take about 140 bytes each, 140 GB,
     * more than any machine this runs on has available (a streamed RBTS run
     * holds a block of trials whatever their number: nothing to refuse) */
    assert_int_equal(run_faulty((const char *[]){"run", "inputs/pakistan/pakistan.yaml", "-o", out,
                                                 "-n", "1000000000", "-q", NULL},
                                NULL, PRE_RUN_TIMEOUT_S),
                     1);
    assert_stderr_has("lower --trials");
    assert_stderr_has("GiB available");
    assert_false(tu_exists(out));
    /* validate prints the estimate for the scenario's default trials */
    assert_int_equal(run_faulty((const char *[]){"validate", "inputs/rbts/rbts.yaml", NULL}, NULL,
                                PRE_RUN_TIMEOUT_S),
                     0);
    char path[512];
    scratch_path(path, sizeof path, "out.txt");
    char *text = slurp(path, NULL);
    assert_non_null(strstr(text, "memory: ~"));
    assert_non_null(strstr(text, "for 100000 trials"));
    free(text);
}

/* Waits (up to 120 s, polling every 10 ms) until ready(arg) holds, failing
 * the test if gridrisk (pid) ends first; `what` names the moment. */
static void wait_until(int (*ready)(const char *), const char *arg, pid_t pid, const char *what)
{
    const double t0 = now_s();
    while (!ready(arg)) {
        int st;
        if (waitpid(pid, &st, WNOHANG) == pid)
            fail_msg("gridrisk ended (status %d) before %s", st, what);
        if (now_s() - t0 > 120) {
            kill(pid, SIGKILL);
            waitpid(pid, &st, 0);
            fail_msg("not at %s after 120 s", what);
        }
        nap_ms(10);
    }
}

/* The checkpoint at path holds a block of trials (more than its header: a
 * record is tens of kB), so that a stop has something to keep. */
static int has_block(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && sb.st_size >= 4096;
}

/* The run is in its write phase: the test hook (GRIDRISK_TEST_PAUSE_IN_WRITE)
 * said so on the child's stderr, at path, once every trial was kept. The
 * temporary alone does not tell: a streamed run writes it from the start. */
static int writing(const char *path)
{
    FILE *f = fopen(path, "r");
    char line[256];
    int at = 0;
    while (f && !at && fgets(line, sizeof line, f))
        at = strstr(line, "test hook: pausing in the write") != NULL;
    if (f)
        fclose(f);
    return at;
}

/* SIGTERM or SIGINT during the run: the trials in flight finish, the run
 * exits 75 (EX_TEMPFAIL) keeping its finished trials in OUT.h5.partial, no
 * temporary remains and the previous result is untouched. During the write
 * (every trial done and kept) the signal ends the process at once, as
 * without handlers, leaving no temporary, the previous result untouched and
 * the checkpoint kept. */
static void signal_case(int sig, int in_write)
{
    char dir[512], out[600], partial[640];
    snprintf(dir, sizeof dir, "%s/sig%d%s", tu_dir(), sig, in_write ? "w" : "r");
    assert_int_equal(mkdir(dir, 0755), 0);
    snprintf(out, sizeof out, "%s/out.h5", dir);
    snprintf(partial, sizeof partial, "%s.partial", out);
    size_t n;
    char *before = good_result(out, &n);
    const child_opts_t o = {in_write ? "GRIDRISK_TEST_PAUSE_IN_WRITE=600" : NULL, 0, 0};
    char err[512]; /* the child's stderr: none of an earlier child's lines */
    scratch_path(err, sizeof err, "err.txt");
    unlink(err);
    const pid_t pid = spawn((const char *[]){"run", "inputs/rbts/rbts.yaml", "-o", out, "-n",
                                             in_write ? "1000" : LONG_RUN_TRIALS, "-q", NULL},
                            &o);
    if (in_write)
        wait_until(writing, err, pid, "its write phase");
    else /* simulating, a block kept; the run takes far longer */
        wait_until(has_block, partial, pid, "its first block");
    assert_int_equal(kill(pid, sig), 0);
    const int st = wait_for(pid, 30, "signalled run");
    if (in_write && !WIFSIGNALED(st))
        fail_msg("signal %d during the write: exit status %d, expected death by it", sig,
                 WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    if (in_write)
        assert_int_equal(WTERMSIG(st), sig);
    else if (!WIFEXITED(st) || WEXITSTATUS(st) != 75)
        fail_msg("signal %d during the run: %s %d, expected exit status 75", sig,
                 WIFEXITED(st) ? "exit status" : "killed by",
                 WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
    if (count_tmp(dir))
        fail_msg("signal %d during the %s left a temporary file", sig, in_write ? "write" : "run");
    struct stat sb;
    if (stat(partial, &sb) || sb.st_size == 0)
        fail_msg("signal %d during the %s: no checkpoint kept", sig, in_write ? "write" : "run");
    assert_same_content(out, before, n);
    free(before);
}

static void test_signal_during_run(void **st)
{
    (void)st;
    signal_case(SIGTERM, 0);
    signal_case(SIGINT, 0);
}

static void test_signal_during_write(void **st)
{
    (void)st;
    signal_case(SIGTERM, 1);
    signal_case(SIGINT, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_help_and_version),
        cmocka_unit_test(test_run_writes_file),
        cmocka_unit_test(test_bad_input_exit_2_no_output),
        cmocka_unit_test(test_runtime_error_exit_1),
        cmocka_unit_test(test_disk_full_exit_1),
        cmocka_unit_test(test_output_checked_before_run),
        cmocka_unit_test(test_read_only_directory),
        cmocka_unit_test(test_memory_refused_before_run),
        cmocka_unit_test(test_signal_during_run),
        cmocka_unit_test(test_signal_during_write),
    };
    return cmocka_run_group_tests_name("cli", tests, tu_setup_dir, tu_teardown_dir);
}
