/* outpath.c - see outpath.h. */
#include "outpath.h"

#include "../outputs/h5read.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <hdf5.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int outpath_tmp(char *buf, size_t n, const char *out)
{
    const int len = snprintf(buf, n, "%s.tmp.%ld", out, (long)getpid());
    return len < 0 || (size_t)len >= n ? -1 : 0;
}

/* Whether process pid has ended: no such process, or a zombie (it has
 * exited and closed its files; a container whose init does not reap its
 * orphans keeps such a zombie, e.g. a rank killed under mpirun, for good). */
static int pid_gone(long pid)
{
    if (kill((pid_t)pid, 0) != 0)
        return errno == ESRCH; /* else not ours to tell */
    char path[64], stat[512];
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    const size_t n = fread(stat, 1, sizeof stat - 1, f);
    fclose(f);
    stat[n] = '\0';
    const char *end = strrchr(stat, ')'); /* the name may hold spaces and parentheses */
    return end && end[1] == ' ' && end[2] == 'Z';
}

int outpath_remove_stale(const char *out)
{
    char dir[OUTPATH_MAX], path[OUTPATH_MAX + 256];
    const char *slash = strrchr(out, '/');
    const char *base = slash ? slash + 1 : out;
    if (slash)
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - out) + (slash == out), out);
    else
        snprintf(dir, sizeof dir, ".");
    DIR *d = opendir(dir);
    const size_t blen = strlen(base);
    int removed = 0;
    for (struct dirent *e; d && (e = readdir(d));) {
        const char *n = e->d_name;
        if (strncmp(n, base, blen) || strncmp(n + blen, ".tmp.", 5))
            continue;
        /* digits only, a pid that fits */
        const char *digits = n + blen + 5;
        long pid = 0;
        size_t nd = 0;
        while (digits[nd] >= '0' && digits[nd] <= '9' && pid <= INT_MAX)
            pid = 10 * pid + (digits[nd++] - '0');
        if (!nd || digits[nd] || pid <= 0 || pid > INT_MAX || pid == (long)getpid())
            continue;
        if (!pid_gone(pid)) /* alive, or not ours to tell */
            continue;
        /* a regular file of ours, not a link nor another user's */
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, n);
        if (lstat(path, &st) || !S_ISREG(st.st_mode) || st.st_uid != geteuid())
            continue;
        removed += unlink(path) == 0;
    }
    if (d)
        closedir(d);
    return removed;
}

/* The HDF5 signature sits at byte 0 or, after a user block, at 512, 1024,
 * 2048, ... (HDF5 file format spec, "Format Signature"). */
static int is_hdf5(int fd, off_t size)
{
    static const unsigned char sig[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    for (off_t at = 0; at + 8 <= size; at = at ? 2 * at : 512) {
        unsigned char b[8];
        if (pread(fd, b, sizeof b, at) != (ssize_t)sizeof b)
            return 0;
        if (!memcmp(b, sig, sizeof sig))
            return 1;
    }
    return 0;
}

/* Whether the HDF5 file out is a gridrisk result: its root holds the
 * integer format_version and a source "gridrisk <version>" (outputs/h5out.c,
 * root_attrs). The signature alone would pass a PRAS system file, or any
 * other program's data. Read through h5read (external links refused), with
 * HDF5's error printing off for the check only: a file that is not ours is
 * refused with our message, not HDF5's error stack. Returns 1 if it is, 0 if
 * not, -1 if HDF5 cannot open it (damaged, or locked by a writer). */
static int is_gridrisk_result(const char *out)
{
    /* this can be the library's first use in a run (an -o that exists):
     * the writer's protection against HDF5 1.10's atexit crash
     * (outputs/h5out.c, open_file) only takes before it */
    H5dont_atexit();
    H5E_auto2_t fn;
    void *data;
    H5Eget_auto2(H5E_DEFAULT, &fn, &data);
    h5read_t h;
    gr_err_t ignored = {0, {0}};
    int ok = -1;
    if (!h5read_open(&h, out, &ignored)) {
        int64_t version;
        char *source = NULL;
        ok = !h5read_attr_int(&h, "format_version", 0, INT32_MAX, &version, &ignored) &&
             !h5read_attr_str(&h, "source", &source, &ignored) && !strncmp(source, "gridrisk ", 9);
        free(source);
        /* a result of format 1 (before 2026-11) said so in a root 'tool' */
        char *tool = NULL;
        if (!ok && !h5read_attr_str(&h, "tool", &tool, &ignored) && !strcmp(tool, "gridrisk"))
            ok = 1;
        free(tool);
        h5read_close(&h);
    }
    H5Eset_auto2(H5E_DEFAULT, fn, data);
    return ok;
}

/* A frontier's CSV (model/frontier.c) starts with this header. */
static int is_frontier_csv(int fd)
{
    static const char head[] = "variant,mw,verdict";
    char b[sizeof head - 1];
    return pread(fd, b, sizeof b, 0) == (ssize_t)sizeof b && !memcmp(b, head, sizeof b);
}

/* An existing target may only be replaced if it is a result file (or empty):
 * a scenario, another CSV, a PRAS system or any other file of the user's is
 * not ours to lose. */
static int check_existing(const char *out, const struct stat *st, outpath_kind_t kind,
                          gr_err_t *err)
{
    if (!S_ISREG(st->st_mode))
        return gr_err_set(err, GR_EINPUT,
                          "%s: exists and is not a regular file; refusing to "
                          "replace it",
                          out);
    if (st->st_size == 0)
        return GR_OK;
    const int fd = open(out, O_RDONLY | O_NOCTTY);
    if (fd < 0)
        return gr_err_set(err, GR_EINPUT,
                          "%s: exists and cannot be read to check that it is a "
                          "result file: %s",
                          out, strerror(errno));
    const int hdf5 = is_hdf5(fd, st->st_size), csv = !hdf5 && is_frontier_csv(fd);
    close(fd);
    const int ours = hdf5 ? is_gridrisk_result(out) : 0;
    if (ours < 0)
        return gr_err_set(err, GR_EINPUT,
                          "%s: exists with an HDF5 signature, but HDF5 cannot open it (damaged, "
                          "or in use by another program) to check that it is a result file of "
                          "gridrisk's; refusing to replace it (remove it first)",
                          out);
    if (hdf5 && !ours)
        return gr_err_set(err, GR_EINPUT,
                          "%s: exists and is an HDF5 file but not a result file of gridrisk's "
                          "(no root attributes format_version and source \"gridrisk ...\": a "
                          "PRAS system, say); refusing to replace it (remove it first)",
                          out);
    if (hdf5 && kind == OUTPATH_FRONTIER_CSV)
        return gr_err_set(err, GR_EINPUT,
                          "%s: exists and is a gridrisk run's result (HDF5); a frontier writes "
                          "CSV: refusing to replace it (give another name, e.g. frontier.csv)",
                          out);
    if (csv && kind == OUTPATH_HDF5)
        return gr_err_set(err, GR_EINPUT,
                          "%s: exists and is a frontier's CSV; a run writes HDF5: refusing to "
                          "replace it (give another name, e.g. out.h5)",
                          out);
    return hdf5 || csv ? GR_OK
                       : gr_err_set(err, GR_EINPUT,
                                    "%s: exists and is not a result file (HDF5 or a frontier's "
                                    "CSV); refusing to replace it (remove it first)",
                                    out);
}

/* Creates and removes the temporary itself: the only sure test that the
 * directory exists and that this process may create files in it. */
static int probe_dir(const char *out, const char *tmp, gr_err_t *err)
{
    char dir[OUTPATH_MAX];
    snprintf(dir, sizeof dir, "%s", out);
    char *slash = strrchr(dir, '/');
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else
        slash[slash == dir] = '\0'; /* keep "/" for a file in the root */
    for (int attempt = 0; attempt < 2; ++attempt) {
        const int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOCTTY, 0644);
        if (fd >= 0) {
            close(fd);
            unlink(tmp);
            return GR_OK;
        }
        if (errno != EEXIST)
            break;
        /* a temporary left by a dead process that had our pid */
        unlink(tmp);
    }
    if (errno == ENOENT || errno == ENOTDIR)
        return gr_err_set(err, GR_ERUNTIME, "%s: directory %s does not exist", out, dir);
    return gr_err_set(err, GR_ERUNTIME, "%s: cannot create files in directory %s: %s", out, dir,
                      strerror(errno));
}

int outpath_check(const char *out, const char *const *inputs, size_t n_inputs, outpath_kind_t kind,
                  gr_err_t *err)
{
    if (!out || !*out)
        return gr_err_set(err, GR_EINPUT, "output path is empty");
    /* the convention for standard output, which a file written in place
     * and renamed at the end cannot be: a file named '-' was made instead */
    if (!strcmp(out, "-"))
        return gr_err_set(err, GR_EINPUT,
                          "-: output to standard output is not supported (the result is written "
                          "to a temporary file and renamed); give a file name, or ./- for a file "
                          "named '-'");
    const size_t len = strlen(out);
    char tmp[OUTPATH_MAX];
    if (outpath_tmp(tmp, sizeof tmp, out))
        return gr_err_set(err, GR_EINPUT, "%.64s...: output path too long", out);
    struct stat st;
    const int exists = stat(out, &st) == 0;
    if (out[len - 1] == '/' || (exists && S_ISDIR(st.st_mode)))
        return gr_err_set(err, GR_EINPUT, "%s: is a directory; give a file name, e.g. %s%sout.h5",
                          out, out, out[len - 1] == '/' ? "" : "/");
    for (size_t i = 0; exists && i < n_inputs; ++i) {
        struct stat in;
        if (inputs[i] && stat(inputs[i], &in) == 0 && in.st_dev == st.st_dev &&
            in.st_ino == st.st_ino)
            return gr_err_set(err, GR_EINPUT, "%s: is the input file %s; refusing to replace it",
                              out, inputs[i]);
    }
    struct stat lst;
    if (lstat(out, &lst) == 0 && S_ISLNK(lst.st_mode))
        return gr_err_set(err, GR_EINPUT,
                          "%s: is a symbolic link; refusing to write through it (the result is "
                          "renamed over the path, which would replace the link, not its "
                          "target): give the target's own path",
                          out);
    if (exists) {
        const int rc = check_existing(out, &st, kind, err);
        if (rc)
            return rc;
    }
    return probe_dir(out, tmp, err);
}
