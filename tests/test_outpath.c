/* test_outpath.c - the output path is refused before a run when writing it
 * would fail or destroy an input, and the check leaves no file behind. */
#include "testutil.h"

#include "../model/outpath.h"

#include <dirent.h>
#include <errno.h>
#include <hdf5.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* An HDF5 signature and nothing of a file after it: passes a check of the
 * first bytes alone. */
static const char HDF5_HEAD[] = "\x89HDF\r\n\x1a\n rest of a result file";

static void path_in(char *buf, size_t n, const char *name)
{
    snprintf(buf, n, "%s/%s", tu_dir(), name);
}

/* How a test file's root attribute format_version is written. */
typedef enum { VERSION_NONE, VERSION_INT, VERSION_STR } version_t;

static void root_str(hid_t f, const char *name, const char *value)
{
    const hid_t t = H5Tcopy(H5T_C_S1), sp = H5Screate(H5S_SCALAR);
    assert_true(t >= 0 && sp >= 0 && H5Tset_size(t, H5T_VARIABLE) >= 0);
    const hid_t a = H5Acreate2(f, name, t, sp, H5P_DEFAULT, H5P_DEFAULT);
    assert_true(a >= 0 && H5Awrite(a, t, &value) >= 0);
    H5Aclose(a);
    H5Sclose(sp);
    H5Tclose(t);
}

/* Writes the HDF5 file tu_dir()/name (its path into out[n]) with the root
 * attributes a gridrisk result carries (outputs/h5out.c, root_attrs):
 * format_version as version says (integer 2 or the string "2"), source
 * (NULL: none), after a user block of userblock bytes (0: none). */
static void write_h5(const char *name, version_t version, const char *source, hsize_t userblock,
                     char *out, size_t n)
{
    path_in(out, n, name);
    const hid_t fcpl = H5Pcreate(H5P_FILE_CREATE);
    assert_true(fcpl >= 0);
    if (userblock)
        assert_true(H5Pset_userblock(fcpl, userblock) >= 0);
    const hid_t f = H5Fcreate(out, H5F_ACC_TRUNC, fcpl, H5P_DEFAULT);
    H5Pclose(fcpl);
    assert_true(f >= 0);
    if (version == VERSION_INT) {
        const int v = 2;
        const hid_t sp = H5Screate(H5S_SCALAR);
        const hid_t a =
            H5Acreate2(f, "format_version", H5T_STD_I32LE, sp, H5P_DEFAULT, H5P_DEFAULT);
        assert_true(a >= 0 && H5Awrite(a, H5T_NATIVE_INT, &v) >= 0);
        H5Aclose(a);
        H5Sclose(sp);
    } else if (version == VERSION_STR) {
        root_str(f, "format_version", "2");
    }
    if (source)
        root_str(f, "source", source);
    assert_true(H5Fclose(f) >= 0);
}

/* A gridrisk result as outputs/h5out.c marks it. */
static void write_result(const char *name, char *out, size_t n)
{
    write_h5(name, VERSION_INT, "gridrisk 0.9.0", 0, out, n);
}

/* Entries of dir whose name contains needle. */
static int count_entries(const char *dir, const char *needle)
{
    DIR *d = opendir(dir);
    if (!d)
        fail_msg("cannot list %s", dir);
    int n = 0;
    for (struct dirent *e; (e = readdir(d));)
        n += strstr(e->d_name, needle) != NULL;
    closedir(d);
    return n;
}

/* outpath_check for a run's HDF5 (kind_of: for kind) */
static void expect_kind(const char *out, const char *const *in, size_t n_in, outpath_kind_t kind,
                        int code, const char *fragment)
{
    gr_err_t err = {0, {0}};
    const int rc = outpath_check(out, in, n_in, kind, &err);
    if (rc != code)
        fail_msg("outpath_check('%s') = %d, expected %d (%s)", out, rc, code, err.msg);
    if (fragment && !strstr(err.msg, fragment))
        fail_msg("outpath_check('%s'): message '%s' lacks '%s'", out, err.msg, fragment);
}

static void expect(const char *out, const char *const *in, size_t n_in, int code,
                   const char *fragment)
{
    expect_kind(out, in, n_in, OUTPATH_HDF5, code, fragment);
}

static void test_tmp_name(void **st)
{
    (void)st;
    char buf[64], want[64];
    assert_int_equal(outpath_tmp(buf, sizeof buf, "a/b.h5"), 0);
    snprintf(want, sizeof want, "a/b.h5.tmp.%ld", (long)getpid());
    assert_string_equal(buf, want);
    assert_int_equal(outpath_tmp(buf, 12, "a/b.h5"), -1);
}

static void test_empty_and_directories(void **st)
{
    (void)st;
    expect("", NULL, 0, GR_EINPUT, "empty");
    expect(tu_dir(), NULL, 0, GR_EINPUT, "is a directory");
    char slash[512];
    snprintf(slash, sizeof slash, "%s/", tu_dir());
    expect(slash, NULL, 0, GR_EINPUT, "is a directory");
    /* a name that is not there yet, with a trailing slash */
    snprintf(slash, sizeof slash, "%s/newdir/", tu_dir());
    expect(slash, NULL, 0, GR_EINPUT, "is a directory");
}

static void test_missing_directory(void **st)
{
    (void)st;
    char out[512];
    path_in(out, sizeof out, "no-such-dir/x.h5");
    expect(out, NULL, 0, GR_ERUNTIME, "does not exist");
    expect("/nonexistent-dir/x.h5", NULL, 0, GR_ERUNTIME, "does not exist");
}

/* A writable directory passes and the probe file is gone afterwards. */
static void test_writable_passes_and_leaves_nothing(void **st)
{
    (void)st;
    char out[600], dir[512];
    path_in(dir, sizeof dir, "clean");
    assert_int_equal(mkdir(dir, 0755), 0);
    snprintf(out, sizeof out, "%s/r.h5", dir);
    expect(out, NULL, 0, GR_OK, NULL);
    assert_int_equal(count_entries(dir, "r.h5"), 0);
    /* a stale temporary with our pid does not block the check */
    char tmp[OUTPATH_MAX];
    assert_int_equal(outpath_tmp(tmp, sizeof tmp, out), 0);
    tu_write(dir, strrchr(tmp, '/') + 1, "stale", NULL, 0);
    expect(out, NULL, 0, GR_OK, NULL);
    assert_int_equal(count_entries(dir, "r.h5"), 0);
}

/* The same file as an input, by name, hard link or symbolic link. */
static void test_refuses_an_input(void **st)
{
    (void)st;
    char yaml[512], csv[512], hard[512], sym[512];
    /* inputs that are gridrisk results, so only the same-file rule can
     * refuse */
    write_result("scen.yaml", yaml, sizeof yaml);
    write_result("units.csv", csv, sizeof csv);
    path_in(hard, sizeof hard, "hard.h5");
    path_in(sym, sizeof sym, "sym.h5");
    assert_int_equal(link(csv, hard), 0);
    assert_int_equal(symlink(yaml, sym), 0);
    const char *in[] = {yaml, "/no/such/input.csv", csv};
    expect(yaml, in, 3, GR_EINPUT, "is the input file");
    expect(csv, in, 3, GR_EINPUT, "units.csv");
    expect(hard, in, 3, GR_EINPUT, "is the input file");
    expect(sym, in, 3, GR_EINPUT, "is the input file");
    /* the same files are fine when they are not inputs */
    expect(yaml, in + 1, 1, GR_OK, NULL);
    /* but never through a symbolic link, which the final rename would
     * replace (-o /dev/stdout had replaced /dev/stdout), dangling or not */
    expect(sym, in + 1, 1, GR_EINPUT, "is a symbolic link");
    char dangling[512];
    path_in(dangling, sizeof dangling, "dangling.h5");
    assert_int_equal(symlink("/no/such/target.h5", dangling), 0);
    expect(dangling, NULL, 0, GR_EINPUT, "is a symbolic link");
}

/* An existing file that is not a result is not ours to replace. */
static void test_refuses_non_hdf5_existing(void **st)
{
    (void)st;
    char csv[512], h5[512], empty[512], ublock[512];
    tu_write(tu_dir(), "data.csv", "hour,load_mw\n0,1\n", csv, sizeof csv);
    tu_write(tu_dir(), "old.h5", HDF5_HEAD, h5, sizeof h5);
    tu_write(tu_dir(), "empty.h5", "", empty, sizeof empty);
    expect(csv, NULL, 0, GR_EINPUT, "not a result file");
    /* the HDF5 signature alone is not a result: the file must open */
    expect(h5, NULL, 0, GR_EINPUT, "HDF5 cannot open it");
    expect(h5, NULL, 0, GR_EINPUT, "refusing to replace it");
    /* a frontier's CSV is a result: a rerun replaces it; one whose header
     * only starts like it does not pass */
    char fr[512], near[512];
    tu_write(tu_dir(), "fr.csv", "variant,mw,verdict,x_p95\nv,0,met,0\n", fr, sizeof fr);
    tu_write(tu_dir(), "near.csv", "variant,mw\n", near, sizeof near);
    expect_kind(fr, NULL, 0, OUTPATH_FRONTIER_CSV, GR_OK, NULL);
    expect(near, NULL, 0, GR_EINPUT, "not a result file");
    /* but a run does not replace a frontier's CSV, nor a frontier a run's
     * HDF5: one typo would lose the other's work */
    expect(fr, NULL, 0, GR_EINPUT, "is a frontier's CSV; a run writes HDF5");
    char res[512];
    write_result("run.h5", res, sizeof res);
    expect(res, NULL, 0, GR_OK, NULL);
    expect_kind(res, NULL, 0, OUTPATH_FRONTIER_CSV, GR_EINPUT,
                "is a gridrisk run's result (HDF5); a frontier writes CSV");
    expect(empty, NULL, 0, GR_OK, NULL);
    expect("/dev/null", NULL, 0, GR_EINPUT, "not a regular file");
    /* nor is it after a 512-byte user block */
    char block[512 + sizeof HDF5_HEAD];
    memset(block, ' ', 512);
    memcpy(block + 512, HDF5_HEAD, sizeof HDF5_HEAD);
    tu_write(tu_dir(), "ublock.h5", block, ublock, sizeof ublock);
    expect(ublock, NULL, 0, GR_EINPUT, "HDF5 cannot open it");
}

static int printed; /* calls of count_prints */

static herr_t count_prints(hid_t stack, void *data)
{
    (void)stack, (void)data;
    ++printed;
    return 0;
}

/* An HDF5 file is replaced only if it is a gridrisk result (root attributes
 * format_version, an integer, and source "gridrisk ..."): a PRAS system
 * file or another program's HDF5 is the user's to lose, not ours. The check
 * prints no HDF5 error stack and leaves the caller's error handler as it
 * was. */
static void test_hdf5_only_gridrisk_results(void **st)
{
    (void)st;
    char p[512];
    H5E_auto2_t old_fn;
    void *old_data;
    H5Eget_auto2(H5E_DEFAULT, &old_fn, &old_data);
    H5Eset_auto2(H5E_DEFAULT, count_prints, NULL);
    printed = 0;
    write_result("result.h5", p, sizeof p);
    expect(p, NULL, 0, GR_OK, NULL);
    /* after a user block, as h5jam leaves it */
    write_h5("ublock_result.h5", VERSION_INT, "gridrisk 0.9.0", 512, p, sizeof p);
    expect(p, NULL, 0, GR_OK, NULL);
    /* a result of format 1, which named its writer in 'tool'; another
     * 'tool' is not ours */
    static const char *const tool[] = {"gridrisk", "gridrisk2"};
    for (int k = 0; k < 2; ++k) {
        write_h5(k ? "tool_other.h5" : "tool_v1.h5", VERSION_NONE, NULL, 0, p, sizeof p);
        const hid_t f = H5Fopen(p, H5F_ACC_RDWR, H5P_DEFAULT);
        assert_true(f >= 0);
        root_str(f, "tool", tool[k]);
        assert_true(H5Fclose(f) >= 0);
        expect(p, NULL, 0, k ? GR_EINPUT : GR_OK, k ? "not a result file of gridrisk's" : NULL);
    }
    static const struct {
        const char *name;
        version_t version;
        const char *source;
    } refused[] = {
        {"bare.h5", VERSION_NONE, NULL},     /* a PRAS system, say */
        {"no_source.h5", VERSION_INT, NULL}, /* another writer's version */
        {"no_version.h5", VERSION_NONE, "gridrisk 0.9.0"},
        {"str_version.h5", VERSION_STR, "gridrisk 0.9.0"},
        {"h5py.h5", VERSION_INT, "h5py 3.10"},
        {"prefix.h5", VERSION_INT, "gridrisky 1.0"}, /* not "gridrisk " */
        {"bare_source.h5", VERSION_INT, "gridrisk"},
    };
    for (size_t i = 0; i < sizeof refused / sizeof *refused; ++i) {
        write_h5(refused[i].name, refused[i].version, refused[i].source, 0, p, sizeof p);
        expect(p, NULL, 0, GR_EINPUT, "is an HDF5 file but not a result file of gridrisk's");
        expect(p, NULL, 0, GR_EINPUT, refused[i].name);
        expect(p, NULL, 0, GR_EINPUT, "refusing to replace it");
    }
    H5E_auto2_t fn;
    void *data;
    H5Eget_auto2(H5E_DEFAULT, &fn, &data);
    H5Eset_auto2(H5E_DEFAULT, old_fn, old_data);
    assert_int_equal(printed, 0);
    assert_true(fn == count_prints);
    assert_int_equal(count_entries(tu_dir(), ".tmp."), 0);
}

/* A read-only directory, checked as an unprivileged user in a child (root
 * could write there anyway). */
static void test_read_only_directory(void **st)
{
    (void)st;
    char ro[512], out[600];
    path_in(ro, sizeof ro, "ro");
    assert_int_equal(mkdir(ro, 0555), 0);
    assert_int_equal(chmod(ro, 0555), 0); /* mkdir's mode is masked by umask */
    assert_int_equal(chmod(tu_dir(), 0755), 0);
    snprintf(out, sizeof out, "%s/x.h5", ro);
    int pipefd[2];
    assert_int_equal(pipe(pipefd), 0);
    const pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        gr_err_t err = {0, {0}};
        char why[sizeof err.msg] = "";
        int code = 77; /* cannot drop privileges: skip */
        if (!tu_drop_privileges(why, sizeof why)) {
            code = outpath_check(out, NULL, 0, OUTPATH_HDF5, &err);
            snprintf(why, sizeof why, "%s", err.msg);
        }
        if (write(pipefd[1], why, strlen(why)) < 0)
            _exit(99);
        _exit(code);
    }
    close(pipefd[1]);
    char msg[1024] = "";
    const ssize_t got = read(pipefd[0], msg, sizeof msg - 1);
    msg[got > 0 ? got : 0] = '\0';
    close(pipefd[0]);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    if (WEXITSTATUS(status) == 77) {
        printf("skipped: %s\n", msg);
        skip();
    }
    assert_int_equal(WEXITSTATUS(status), GR_ERUNTIME);
    assert_non_null(strstr(msg, "cannot create files in directory"));
    assert_non_null(strstr(msg, "Permission denied"));
    assert_int_equal(count_entries(ro, ""), 2); /* . and .. */
}

/* Creates an empty file dir/name. */
static void touch(const char *name)
{
    char p[1024];
    path_in(p, sizeof p, name);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fclose(f);
}

static int present(const char *name)
{
    char p[1024];
    struct stat st;
    path_in(p, sizeof p, name);
    return lstat(p, &st) == 0;
}

/* --resume's cleanup removes a killed run's temporary, "<out>.tmp.<pid>"
 * with no such process, and nothing else: not a live process's (its own),
 * not a name that is not digits or a pid too large, not another output's,
 * not a symbolic link. */
static void test_remove_stale(void **st)
{
    (void)st;
    long dead = 4194000; /* below Linux's largest pid, above any this test sees in use */
    while (kill((pid_t)dead, 0) == 0 || errno != ESRCH)
        --dead;
    char out[1024], name[64], own[64], link_name[64], target[1024];
    path_in(out, sizeof out, "stale.h5");
    snprintf(name, sizeof name, "stale.h5.tmp.%ld", dead);
    snprintf(own, sizeof own, "stale.h5.tmp.%ld", (long)getpid());
    snprintf(link_name, sizeof link_name, "stale.h5.tmp.%ld", dead - 1);
    const char *keep[] = {own,
                          "stale.h5.tmp.+12",
                          "stale.h5.tmp.12x",
                          "stale.h5.tmp.99999999999",
                          "stale.h5.tmp.",
                          "stale.h5x.tmp.12",
                          "other.h5.tmp.12"};
    /* a zombie (exited, not yet reaped: what a container's init leaves of
     * a rank killed under mpirun) has ended too */
    const pid_t zombie = fork();
    if (zombie == 0)
        _exit(0);
    assert_true(zombie > 0);
    char zname[64];
    snprintf(zname, sizeof zname, "stale.h5.tmp.%ld", (long)zombie);
    siginfo_t si;
    memset(&si, 0, sizeof si);
    /* waits for the exit and leaves the child unreaped */
    assert_int_equal(waitid(P_PID, (id_t)zombie, &si, WEXITED | WNOWAIT), 0);
    touch(name);
    touch(zname);
    for (size_t i = 0; i < sizeof keep / sizeof *keep; ++i)
        touch(keep[i]);
    path_in(target, sizeof target, "other.h5.tmp.12");
    char lp[1024];
    path_in(lp, sizeof lp, link_name);
    assert_int_equal(symlink(target, lp), 0);
    assert_int_equal(outpath_remove_stale(out), 2);
    assert_int_equal(waitpid(zombie, NULL, 0), zombie);
    assert_false(present(name));
    assert_false(present(zname));
    for (size_t i = 0; i < sizeof keep / sizeof *keep; ++i)
        if (!present(keep[i]))
            fail_msg("%s was removed", keep[i]);
    assert_true(present(link_name));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tmp_name),
        cmocka_unit_test(test_empty_and_directories),
        cmocka_unit_test(test_missing_directory),
        cmocka_unit_test(test_writable_passes_and_leaves_nothing),
        cmocka_unit_test(test_refuses_an_input),
        cmocka_unit_test(test_refuses_non_hdf5_existing),
        cmocka_unit_test(test_hdf5_only_gridrisk_results),
        cmocka_unit_test(test_read_only_directory),
        cmocka_unit_test(test_remove_stale),
    };
    return cmocka_run_group_tests_name("outpath", tests, tu_setup_dir, tu_teardown_dir);
}
