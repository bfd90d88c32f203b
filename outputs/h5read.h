/*
 * h5read.h - reading an HDF5 file that may have been crafted to do harm.
 *
 * `gridrisk summary` reads files it did not write. Every reader here checks
 * an object before reading a byte of it: that it exists and is what it should
 * be (a dataset, a scalar attribute), its type class, its rank and every
 * extent; and it bounds what it reads. Any mismatch is a GR_EINPUT error that
 * names the file and the object, e.g.
 *     OUT.h5: baseline/summary/shed_hours: expected shape [11], found [100000]
 * so that no file, whatever it holds, makes a reader write past a buffer,
 * read another file (external links and storage, virtual datasets are
 * refused) or loop over data that is not there (a dataset must have its
 * storage allocated: a huge declared shape with no data is refused).
 *
 * HDF5's own parsing of the bytes is libhdf5's business; what is checked here
 * is the structure the bytes describe.
 */
#ifndef GR_H5READ_H
#define GR_H5READ_H

#include "../model/err.h"

#include <stddef.h>
#include <stdint.h>

enum {
    H5READ_MAX_STR = 1 << 20,          /* bytes in a string attribute */
    H5READ_MAX_NAME = 255,             /* bytes in one name of a comma list (a group, a dataset) */
    H5READ_MAX_CHUNK_BYTES = 64 << 20, /* one chunk, decompressed; gridrisk writes <= 1 MiB */
    H5READ_MAX_RANK = 4                /* of a dataset a caller asks for */
};
/* Elements in one dataset: no result that fits in memory has more. */
#define H5READ_MAX_ELEMS ((uint64_t)1 << 32)

typedef struct {
    int64_t file;     /* hid_t of the open file */
    int64_t lapl;     /* link access: external links refused */
    const char *path; /* the file's name, for messages */
} h5read_t;

/* Opens path (a regular file) read-only. On failure h is left closed. */
int h5read_open(h5read_t *h, const char *path, gr_err_t *err);
void h5read_close(h5read_t *h);
/* Reads a file already open (an in-memory image, say): h borrows file,
 * which stays the caller's to close after h5read_detach. path names the
 * file in messages. */
int h5read_attach(h5read_t *h, int64_t file, const char *path, gr_err_t *err);
void h5read_detach(h5read_t *h);

/* Opens obj (following no external link) and checks that it is a group
 * (group = 1) or a dataset (group = 0); *id is closed with H5Oclose. */
/* 1 when obj (a group or dataset path, each part of it) exists, else 0. */
int h5read_exists(const h5read_t *h, const char *obj);

int h5read_obj_open(const h5read_t *h, const char *obj, int group, int64_t *id, gr_err_t *err);
/* Checks that dataset d (opened as obj) holds at most H5READ_MAX_ELEMS
 * values, all written, in this file, with built-in filters only and
 * chunks of at most H5READ_MAX_CHUNK_BYTES: what h5read_ds_open checks
 * of a dataset's storage, for datasets of any type. */
int h5read_ds_storage(const h5read_t *h, const char *obj, int64_t d, gr_err_t *err);

/* Reads the root attribute name, a scalar string (variable or fixed length,
 * at most H5READ_MAX_STR bytes), into a new string (free() it). Absent is an
 * error. */
int h5read_attr_str(const h5read_t *h, const char *name, char **out, gr_err_t *err);

/* 1 if s is UTF-8 without control characters (C0, DEL, C1): text that is
 * safe to print to a terminal. */
int h5read_printable(const char *s);

/* Reads the root attribute name, a scalar integer in [lo, hi]. */
int h5read_attr_int(const h5read_t *h, const char *name, int64_t lo, int64_t hi, int64_t *out,
                    gr_err_t *err);

/* A comma-separated list of names, each non-empty, without '/', not ".",
 * printable (h5read_printable), at most H5READ_MAX_NAME bytes. */
typedef struct {
    char *text; /* the attribute, commas replaced by NULs */
    char **v;   /* [n] pointers into text */
    size_t n;
} h5read_names_t;

int h5read_attr_names(const h5read_t *h, const char *name, h5read_names_t *out, gr_err_t *err);
void h5read_names_free(h5read_names_t *names);

/* An open dataset whose type, shape and storage have been checked. */
typedef struct {
    int64_t id; /* hid_t */
    const char *obj;
    int rank;
    uint64_t dims[H5READ_MAX_RANK];
} h5read_ds_t;

/*
 * Opens obj and checks that it is a dataset of numbers (floating point, or
 * integers converted to double) of the given rank (0..H5READ_MAX_RANK) and
 * extents dims[0..rank), at most H5READ_MAX_ELEMS values, whose storage is
 * allocated and held in this file. obj must outlive ds.
 */
int h5read_ds_open(const h5read_t *h, const char *obj, int rank, const uint64_t *dims,
                   h5read_ds_t *ds, gr_err_t *err);
/* Reads rows [row0, row0 + nrows) of ds (rank 0: row0 = 0, nrows = 1) into
 * buf, which holds buf_n doubles. */
int h5read_ds_rows(const h5read_t *h, const h5read_ds_t *ds, uint64_t row0, uint64_t nrows,
                   double *buf, size_t buf_n, gr_err_t *err);
void h5read_ds_close(h5read_ds_t *ds);

/* Reads obj, a 1-D dataset of 1..max_n variable-length strings (a
 * coordinate such as /scenario), each checked as a name is above. */
int h5read_strings(const h5read_t *h, const char *obj, size_t max_n, h5read_names_t *out,
                   gr_err_t *err);

/* The names of the datasets in group (hard links only), in creation order
 * when the file tracks it, at most max_n. */
int h5read_list(const h5read_t *h, const char *group, size_t max_n, h5read_names_t *out,
                gr_err_t *err);

/* Opens, checks and reads all of obj into buf (buf_n doubles); with buf
 * NULL, only checks. */
int h5read_f64(const h5read_t *h, const char *obj, int rank, const uint64_t *dims, double *buf,
               size_t buf_n, gr_err_t *err);

#endif
