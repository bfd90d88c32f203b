/* csv.c - see csv.h. */
#include "csv.h"

#include "../model/limits.h"
#include "infile.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        ++s;
    char *e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
        *--e = '\0';
    return s;
}

static size_t count_fields(const char *s)
{
    size_t n = 1;
    for (; *s; ++s)
        n += *s == ',';
    return n;
}

/* Splits line in place into exactly n fields stored at dst. */
static void split(char *line, char **dst, size_t n)
{
    for (size_t i = 0; i < n; ++i) {
        char *c = strchr(line, ',');
        if (c)
            *c = '\0';
        dst[i] = trim(line);
        line = c ? c + 1 : line + strlen(line);
    }
}

static int skip_line(const char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\r')
        ++s;
    return *s == '\0' || *s == '#';
}

typedef struct {
    const char *name;
    size_t col;
} named_col_t;

static int cmp_named_col(const void *a, const void *b)
{
    const named_col_t *x = a, *y = b;
    const int c = strcmp(x->name, y->name);
    return c ? c : (x->col > y->col) - (x->col < y->col);
}

/* The first column, in header order, whose name appeared before it, or n_cols if none:
 * the names are sorted with their positions, so that a header of n columns costs n log n
 * (comparing every pair took 95 s for 300,000 columns). In each run of equal names the
 * second is the first repeat; the earliest of those is the one a pairwise scan finds. */
static int first_repeat(const csv_table_t *t, size_t *out)
{
    named_col_t *v = malloc(t->n_cols * sizeof *v);
    if (!v)
        return -1;
    for (size_t c = 0; c < t->n_cols; ++c)
        v[c] = (named_col_t){t->header[c], c};
    qsort(v, t->n_cols, sizeof *v, cmp_named_col);
    *out = t->n_cols;
    for (size_t i = 1; i < t->n_cols; ++i)
        if (v[i].col < *out && !strcmp(v[i].name, v[i - 1].name))
            *out = v[i].col;
    free(v);
    return 0;
}

/* Column names must be non-empty and distinct; of several faults the leftmost is reported. */
static int check_header(const csv_table_t *t, gr_err_t *err)
{
    size_t empty = 0, repeat;
    while (empty < t->n_cols && *t->header[empty])
        ++empty;
    if (first_repeat(t, &repeat))
        return gr_err_set(err, GR_ERUNTIME, "out of memory");
    if (empty < t->n_cols && empty <= repeat)
        return gr_err_set(err, GR_EINPUT, "%s:%zu: empty column name (column %zu)", t->path,
                          t->header_line, empty + 1);
    if (repeat < t->n_cols)
        return gr_err_set(err, GR_EINPUT, "%s:%zu: duplicate column '%s'", t->path, t->header_line,
                          t->header[repeat]);
    return GR_OK;
}

int csv_read(const char *path, csv_table_t **out, gr_err_t *err)
{
    *out = NULL;
    csv_table_t *t = calloc(1, sizeof *t);
    if (!t)
        return gr_err_set(err, GR_ERUNTIME, "out of memory");
    t->path = strdup(path);
    size_t len;
    int rc = t->path ? infile_read(path, GR_MAX_INPUT_BYTES, &t->buf, &len, t->sha256, err)
                     : gr_err_set(err, GR_ERUNTIME, "out of memory");
    if (rc) {
        csv_free(t);
        return rc;
    }
    /* Split into lines; remember line numbers. */
    size_t n_lines = 1;
    for (const char *p = t->buf; *p; ++p)
        n_lines += *p == '\n';
    char **lines = malloc(n_lines * sizeof *lines);
    size_t *lno = malloc(n_lines * sizeof *lno);
    if (!lines || !lno) {
        free(lines);
        free(lno);
        csv_free(t);
        return gr_err_set(err, GR_ERUNTIME, "out of memory");
    }
    size_t n_used = 0;
    char *p = t->buf;
    for (size_t i = 0; i < n_lines; ++i) {
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = '\0';
        if (!skip_line(p)) {
            /* a lone CR inside a line: line ends of CR alone (classic Mac OS), which
             * made the whole file one header line without data */
            const char *cr = strchr(p, '\r');
            if (cr && cr[1] != '\0') {
                rc = gr_err_set(err, GR_EINPUT,
                                "%s:%zu: a carriage return inside a line: line ends of CR "
                                "alone? save the file with LF or CRLF line ends",
                                path, i + 1);
                goto done;
            }
            if (strchr(p, '"')) {
                rc = gr_err_set(err, GR_EINPUT, "%s:%zu: quoted fields are not supported", path,
                                i + 1);
                goto done;
            }
            lines[n_used] = p;
            lno[n_used++] = i + 1;
        }
        p = nl ? nl + 1 : p + strlen(p);
    }
    if (n_used == 0) {
        rc = gr_err_set(err, GR_EINPUT, "%s: empty file (no header)", path);
        goto done;
    }
    t->header_line = lno[0];
    t->n_cols = count_fields(lines[0]);
    t->n_rows = n_used - 1;
    if (t->n_rows == 0) {
        rc = gr_err_set(err, GR_EINPUT, "%s:%zu: header but no data rows", path, lno[0]);
        goto done;
    }
    t->header = malloc(t->n_cols * sizeof *t->header);
    t->cell = malloc(t->n_rows * t->n_cols * sizeof *t->cell);
    t->line = malloc(t->n_rows * sizeof *t->line);
    if (!t->header || !t->cell || !t->line) {
        rc = gr_err_set(err, GR_ERUNTIME, "out of memory");
        goto done;
    }
    split(lines[0], t->header, t->n_cols);
    if ((rc = check_header(t, err)))
        goto done;
    for (size_t r = 0; r < t->n_rows; ++r) {
        const size_t nf = count_fields(lines[r + 1]);
        t->line[r] = lno[r + 1];
        if (nf != t->n_cols) {
            rc = gr_err_set(err, GR_EINPUT, "%s:%zu: ragged row: %zu fields, header has %zu", path,
                            lno[r + 1], nf, t->n_cols);
            goto done;
        }
        split(lines[r + 1], t->cell + r * t->n_cols, t->n_cols);
    }
done:
    free(lines);
    free(lno);
    if (rc)
        csv_free(t);
    else
        *out = t;
    return rc;
}

void csv_free(csv_table_t *t)
{
    if (!t)
        return;
    free(t->path);
    free(t->buf);
    free(t->header);
    free(t->cell);
    free(t->line);
    free(t);
}

long csv_col(const csv_table_t *t, const char *name)
{
    for (size_t c = 0; c < t->n_cols; ++c)
        if (!strcmp(t->header[c], name))
            return (long)c;
    return -1;
}

const char *csv_number_why(int rc)
{
    return rc == -2 ? "is beyond the range of a double (magnitude at most 1.8e308, and 0 or at "
                      "least 2.2e-308)"
                    : "is not a finite number";
}

int csv_parse_double(const char *s, double *v)
{
    /* strtod also reads hex floats, "inf" and "nan", and skips leading
     * blanks: none of them is a number in an input file. */
    if (!*s || strpbrk(s, "xXnN") || isspace((unsigned char)*s))
        return -1;
    /* no leading zero before a digit: other readers take 0185 as octal or
     * as text, so the same file would mean different numbers */
    const char *d = *s == '-' || *s == '+' ? s + 1 : s;
    if (d[0] == '0' && isdigit((unsigned char)d[1]))
        return -1;
    char *end;
    errno = 0;
    const double x = strtod(s, &end);
    if (*end != '\0')
        return -1;
    /* a decimal number beyond a double (1e309) or below its normal range
     * (1e-320, 1e-400): it would be stored as infinity, a subnormal or 0 */
    if (errno == ERANGE)
        return -2;
    if (!isfinite(x))
        return -1;
    *v = x;
    return 0;
}

int csv_double(const csv_table_t *t, size_t row, size_t col, double *v, gr_err_t *err)
{
    const char *s = t->cell[row * t->n_cols + col];
    const int rc = csv_parse_double(s, v);
    if (rc)
        return gr_err_set(err, GR_EINPUT, "%s:%zu: column '%s': '%s' %s", t->path, t->line[row],
                          t->header[col], s, csv_number_why(rc));
    return GR_OK;
}

int csv_number(const csv_table_t *t, size_t row, size_t col, double lo, double hi, double *v,
               gr_err_t *err)
{
    const int rc = csv_double(t, row, col, v, err);
    if (!rc && !(*v >= lo && *v <= hi))
        return gr_err_set(err, GR_EINPUT, "%s:%zu: column '%s': must be in [%g, %g] (got %g)",
                          t->path, t->line[row], t->header[col], lo, hi, *v);
    return rc;
}
