/* testutil.c - see testutil.h. */
#define _XOPEN_SOURCE 700
#include "testutil.h"

#include <errno.h>
#include <ftw.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

void tu_mkdtemp(char *buf, size_t n)
{
    snprintf(buf, n, "/tmp/gridrisk-test-XXXXXX");
    if (!mkdtemp(buf))
        fail_msg("mkdtemp failed");
}

void tu_write(const char *dir, const char *name, const char *text, char *out, size_t n)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f)
        fail_msg("cannot write %s", path);
    fputs(text, f);
    fclose(f);
    if (out)
        snprintf(out, n, "%s", path);
}

static int rm_one(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(p);
}

void tu_rmtree(const char *dir) { nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS); }

void tu_cli_argv(const char *const *args, const char **argv, size_t cap)
{
    const char *bin = getenv("GRIDRISK_BIN");
    size_t n = 0;
    argv[n++] = bin ? bin : "build/rel/bin/gridrisk";
    for (; args[n - 1] && n < cap - 1; ++n)
        argv[n] = args[n - 1];
    argv[n] = NULL;
}

int tu_run_cli(const char *const *args)
{
    const char *argv[32];
    tu_cli_argv(args, argv, sizeof argv / sizeof *argv);
    const pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        FILE *nul = freopen("/dev/null", "w", stdout);
        FILE *nul2 = freopen("/dev/null", "w", stderr);
        (void)nul;
        (void)nul2;
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    int st;
    if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st))
        return -1;
    return WEXITSTATUS(st);
}

int tu_exists(const char *path) { return access(path, F_OK) == 0; }

int tu_drop_privileges(char *why, size_t n)
{
    if (geteuid() != 0)
        return 0;
    const struct passwd *pw = getpwnam("nobody");
    const struct group *gr = getgrnam("nogroup");
    if (!pw) {
        snprintf(why, n, "running as root and there is no user 'nobody'");
        return -1;
    }
    const gid_t gid = gr ? gr->gr_gid : pw->pw_gid;
    if (setgroups(0, NULL) || setgid(gid) || setuid(pw->pw_uid)) {
        snprintf(why, n, "running as root and cannot become nobody: %s", strerror(errno));
        return -1;
    }
    if (geteuid() == 0 || setuid(0) == 0) {
        snprintf(why, n, "still privileged after setuid(nobody)");
        return -1;
    }
    return 0;
}

int tu_quick(void) { return getenv("GRIDRISK_TEST_QUICK") != NULL; }

uint64_t tu_scaled(uint64_t n) { return tu_quick() ? (n / 20 ? n / 20 : 1) : n; }

/* The suite's scratch directory: set by tu_setup_dir, read-only after. */
static char scratch_dir[256];

int tu_setup_dir(void **state)
{
    (void)state;
    tu_mkdtemp(scratch_dir, sizeof scratch_dir);
    return 0;
}

int tu_teardown_dir(void **state)
{
    (void)state;
    tu_rmtree(scratch_dir);
    return 0;
}

const char *tu_dir(void) { return scratch_dir; }

uint64_t tu_mix(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}
