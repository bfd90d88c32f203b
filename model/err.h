/*
 * err.h - one error record for the whole program.
 *
 * Library code never prints and never exits: it fills a gr_err_t and returns
 * its code. Only main() decides what to print and which exit status to use
 * (2 for usage and input errors, 1 for runtime failures).
 */
#ifndef GR_ERR_H
#define GR_ERR_H

#include <stddef.h>

enum {
    GR_OK = 0,
    GR_ERUNTIME = 1, /* I/O, memory, library failure: exit status 1 */
    GR_EINPUT = 2,   /* bad scenario, CSV or command line: exit status 2 */
    /* stopped by SIGTERM, SIGINT, SIGHUP, SIGUSR1/2 or SIGXCPU with the finished trials in the
     * checkpoint (outputs/ckpt.h): exit status 75, EX_TEMPFAIL of sysexits.h,
     * "try again", which `--resume` does */
    GR_ESTOPPED = 75
};

typedef struct {
    int code;
    char msg[1024];
} gr_err_t;

/* Sets err (if not NULL) and returns code; printf-style message. */
int gr_err_set(gr_err_t *err, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
