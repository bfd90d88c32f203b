/*
 * testutil.h - helpers shared by the cmocka suites: scratch directories,
 * files written from strings, and running the gridrisk binary.
 */
#ifndef GR_TESTUTIL_H
#define GR_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* cmocka needs the four headers above first */
#include <cmocka.h>

/* Creates a fresh directory under /tmp; returns its path (static storage
 * owned by the caller's buffer). */
void tu_mkdtemp(char *buf, size_t n);
/* Group fixture: a fresh scratch directory for a suite (tu_dir() names it),
 * removed with everything in it by tu_teardown_dir. */
int tu_setup_dir(void **state);
int tu_teardown_dir(void **state);
const char *tu_dir(void);
/* Writes text to dir/name and returns the full path in out. */
void tu_write(const char *dir, const char *name, const char *text, char *out, size_t n);
/* Removes a directory tree (tests' scratch only). */
void tu_rmtree(const char *dir);
/* Runs GRIDRISK_BIN (default build/rel/bin/gridrisk) with args, output to
 * /dev/null; returns its exit status, or -1. */
int tu_run_cli(const char *const *args);
/* argv for GRIDRISK_BIN with args (NULL-ended), at most cap entries. */
void tu_cli_argv(const char *const *args, const char **argv, size_t cap);
/* n, or n / 20 when GRIDRISK_TEST_QUICK is set (slow sanitizer builds run
 * the same assertions on smaller samples; tolerances are in standard
 * errors, so they stay valid). */
uint64_t tu_scaled(uint64_t n);
int tu_quick(void);
/* 1 if path exists. */
int tu_exists(const char *path);
/* For a forked child about to test permissions: CI runs as root, which may
 * write anywhere, so a root child becomes nobody:nogroup (no supplementary
 * groups). 0 when the process is now unprivileged (or was already); -1 with
 * the reason in why[n] when it cannot drop (the test should skip). */
int tu_drop_privileges(char *why, size_t n);

/* Asserts |x - expect| <= k * se, printing the figures on failure. */
#define TU_WITHIN_SE(x, expect, se, k)                                                             \
    do {                                                                                           \
        const double x_ = (x), e_ = (expect), s_ = (se), k_ = (k);                                 \
        if (!(fabs(x_ - e_) <= k_ * s_))                                                           \
            fail_msg("%s = %.6g, expected %.6g within %.1f x se %.4g (off by %.2f se)", #x, x_,    \
                     e_, k_, s_, (x_ - e_) / s_);                                                  \
    } while (0)

/* The next of a deterministic sequence from *s (splitmix64): the tests'
 * samples, the same on every machine. */
uint64_t tu_mix(uint64_t *s);

#endif
