/*
 * csv.h - a small, strict CSV table reader for scenario data.
 *
 * The file is read by infile_read (a regular file of bounded size; a UTF-8
 * byte-order mark is dropped). Comma-separated, first line a header, no quoting (a quote character
 * is an error, not silently misread), blank lines and lines starting with '#' skipped, CRLF
 * accepted, fields trimmed. Every error names the file and the line, and the column where there is
 * one: "load.csv:17: column 'load_mw': 'abc' is not a number".
 */
#ifndef GR_CSV_H
#define GR_CSV_H

#include "../model/err.h"

#include <stddef.h>

typedef struct csv_table {
    char *path;         /* as given, for messages */
    char *buf;          /* file contents, split in place */
    size_t n_cols;      /* header fields */
    size_t n_rows;      /* data rows */
    char **header;      /* [n_cols] */
    char **cell;        /* [n_rows * n_cols] */
    size_t *line;       /* [n_rows] 1-based line number of each row */
    size_t header_line; /* 1-based line of the header */
    char sha256[65];    /* digest of the file as read */
} csv_table_t;

/* Reads path; an empty table (no data rows) is an error. */
int csv_read(const char *path, csv_table_t **out, gr_err_t *err);
void csv_free(csv_table_t *t);

/* Column index of name, or -1. */
long csv_col(const csv_table_t *t, const char *name);

/* Parses a finite decimal number from the whole of s (no hex, inf, nan or
 * blanks); 0 on success, -2 for a number beyond a double's normal range
 * (overflow, or a nonzero value that underflows), -1 otherwise. The
 * scenario schema uses it too. */
int csv_parse_double(const char *s, double *v);

/* What a failure of csv_parse_double means, for a message: "is not a
 * finite number" or the range. */
const char *csv_number_why(int rc);

/* Parses cell (row, col) as a finite double; empty cell is an error. */
int csv_double(const csv_table_t *t, size_t row, size_t col, double *v, gr_err_t *err);
/* csv_double, and the value must lie in [lo, hi]. */
int csv_number(const csv_table_t *t, size_t row, size_t col, double lo, double hi, double *v,
               gr_err_t *err);

#endif
