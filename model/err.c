/* err.c - see err.h. */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>

int gr_err_set(gr_err_t *err, int code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        err->code = code;
    }
    return code;
}
