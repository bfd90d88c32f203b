/* h5read.c - see h5read.h. */
#include "h5read.h"

#include "../model/utf8.h"

#include <errno.h>
#include <hdf5.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Refuses to follow an external link: the file must not make us open
 * another (which could be a FIFO, a device, or someone else's data). */
static herr_t refuse_elink(const char *parent_file, const char *parent_group,
                           const char *child_file, const char *child_obj, unsigned *flags,
                           hid_t fapl, void *ctx)
{
    (void)parent_file, (void)parent_group, (void)child_file, (void)child_obj;
    (void)flags, (void)fapl, (void)ctx;
    return -1;
}

int h5read_open(h5read_t *h, const char *path, gr_err_t *err)
{
    h->file = h->lapl = -1;
    h->path = path;
    struct stat sb;
    if (stat(path, &sb) != 0)
        return gr_err_set(err, GR_EINPUT, "%s: cannot open: %s", path, strerror(errno));
    /* A FIFO or a device would block or never end. */
    if (!S_ISREG(sb.st_mode))
        return gr_err_set(err, GR_EINPUT, "%s: not a regular file", path);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL); /* we report errors ourselves */
    h->lapl = H5Pcreate(H5P_LINK_ACCESS);
    if (h->lapl < 0 || H5Pset_elink_cb(h->lapl, refuse_elink, NULL) < 0) {
        h5read_close(h);
        return gr_err_set(err, GR_ERUNTIME, "%s: HDF5 property list failed", path);
    }
    h->file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (h->file < 0) {
        h5read_close(h);
        return gr_err_set(err, GR_EINPUT, "%s: cannot open as HDF5", path);
    }
    return GR_OK;
}

void h5read_close(h5read_t *h)
{
    if (h->file >= 0)
        H5Fclose(h->file);
    if (h->lapl >= 0)
        H5Pclose(h->lapl);
    h->file = h->lapl = -1;
}

static const char *class_name(H5T_class_t c)
{
    switch (c) {
    case H5T_INTEGER:
        return "an integer";
    case H5T_FLOAT:
        return "a floating-point number";
    case H5T_STRING:
        return "a string";
    case H5T_COMPOUND:
        return "a compound";
    case H5T_ENUM:
        return "an enumeration";
    case H5T_ARRAY:
        return "an array type";
    case H5T_VLEN:
        return "a variable-length sequence";
    case H5T_REFERENCE:
        return "a reference";
    case H5T_OPAQUE:
        return "an opaque type";
    case H5T_BITFIELD:
        return "a bitfield";
    case H5T_TIME:
        return "a time";
    default:
        return "an unknown type";
    }
}

/* Writes "d0, d1, ..." into buf (empty for rank 0). */
static void fmt_dims(char *buf, size_t n, int rank, const hsize_t *d)
{
    size_t k = 0;
    buf[0] = '\0';
    for (int i = 0; i < rank && k < n; ++i) {
        const int w = snprintf(buf + k, n - k, "%s%llu", i ? ", " : "", (unsigned long long)d[i]);
        k += w > 0 ? (size_t)w : 0;
    }
}

/*
 * The shape of a dataspace: rank (0 for a scalar, -1 for a null
 * dataspace, which holds nothing) and extents. dims holds H5S_MAX_RANK,
 * the most any dataspace can have, so no file can overflow it.
 */
static int space_shape(hid_t sp, hsize_t dims[H5S_MAX_RANK])
{
    switch (H5Sget_simple_extent_type(sp)) {
    case H5S_SCALAR:
        return 0;
    case H5S_SIMPLE: {
        const int r = H5Sget_simple_extent_ndims(sp);
        if (r < 0 || r > H5S_MAX_RANK || H5Sget_simple_extent_dims(sp, dims, NULL) != r)
            return -1;
        return r;
    }
    default:
        return -1;
    }
}

/* Describes a shape found, for messages: "[d0, d1]" (after word) or "a
 * null dataspace". */
static void fmt_found(char *buf, size_t n, const char *word, int rank, const hsize_t *dims)
{
    if (rank < 0) {
        snprintf(buf, n, "a null dataspace");
        return;
    }
    char d[800];
    fmt_dims(d, sizeof d, rank, dims);
    snprintf(buf, n, "%s[%s]", word, d);
}

/* Opens root attribute name and checks it is a scalar of class cls.
 * Returns the attribute and its file type, or an error. */
static int attr_open(const h5read_t *h, const char *name, H5T_class_t cls, hid_t *a, hid_t *t,
                     gr_err_t *err)
{
    *a = *t = -1;
    if (H5Aexists(h->file, name) <= 0)
        return gr_err_set(err, GR_EINPUT, "%s: attribute '%s': missing", h->path, name);
    *a = H5Aopen(h->file, name, H5P_DEFAULT);
    *t = *a >= 0 ? H5Aget_type(*a) : -1;
    const hid_t sp = *a >= 0 ? H5Aget_space(*a) : -1;
    int rc = GR_OK;
    if (*t < 0 || sp < 0) {
        rc = gr_err_set(err, GR_EINPUT, "%s: attribute '%s': cannot open", h->path, name);
    } else if (H5Tget_class(*t) != cls) {
        rc = gr_err_set(err, GR_EINPUT, "%s: attribute '%s': expected %s, found %s", h->path, name,
                        class_name(cls), class_name(H5Tget_class(*t)));
    } else {
        hsize_t dims[H5S_MAX_RANK];
        const int rank = space_shape(sp, dims);
        if (rank != 0) {
            char found[900];
            fmt_found(found, sizeof found, "shape ", rank, dims);
            rc = gr_err_set(err, GR_EINPUT, "%s: attribute '%s': expected a scalar, found %s",
                            h->path, name, found);
        }
    }
    if (sp >= 0)
        H5Sclose(sp);
    if (rc) {
        if (*t >= 0)
            H5Tclose(*t);
        if (*a >= 0)
            H5Aclose(*a);
        *a = *t = -1;
    }
    return rc;
}

/* Reads scalar string attribute a of file type ft into a new string. */
static char *read_str(hid_t a, hid_t ft, size_t *too_long)
{
    *too_long = 0;
    const hid_t mt = H5Tcopy(H5T_C_S1);
    if (mt < 0)
        return NULL;
    H5Tset_cset(mt, H5Tget_cset(ft)); /* HDF5 converts no character sets */
    char *s = NULL;
    if (H5Tis_variable_str(ft) > 0) {
        char *v = NULL;
        if (H5Tset_size(mt, H5T_VARIABLE) >= 0 && H5Aread(a, mt, &v) >= 0) {
            const size_t n = v ? strnlen(v, (size_t)H5READ_MAX_STR + 1) : 0;
            if (n > H5READ_MAX_STR)
                *too_long = n;
            else
                s = strdup(v ? v : "");
            /* H5free_memory, not H5Dvlen_reclaim: one scalar, allocated by HDF5. */
            H5free_memory(v);
        }
    } else {
        /* Fixed length: the size is known before reading; one more byte
         * for the NUL, which HDF5 writes for a NULLTERM memory type. */
        const size_t n = H5Tget_size(ft);
        if (n > H5READ_MAX_STR) {
            *too_long = n;
        } else if (n > 0 && (s = calloc(n + 1, 1)) != NULL) {
            if (H5Tset_size(mt, n + 1) < 0 || H5Tset_strpad(mt, H5T_STR_NULLTERM) < 0 ||
                H5Aread(a, mt, s) < 0) {
                free(s);
                s = NULL;
            } else {
                s[n] = '\0';
            }
        }
    }
    H5Tclose(mt);
    return s;
}

int h5read_attr_str(const h5read_t *h, const char *name, char **out, gr_err_t *err)
{
    *out = NULL;
    hid_t a, t;
    int rc = attr_open(h, name, H5T_STRING, &a, &t, err);
    if (rc)
        return rc;
    size_t too_long;
    char *s = read_str(a, t, &too_long);
    H5Tclose(t);
    H5Aclose(a);
    if (too_long)
        return gr_err_set(err, GR_EINPUT, "%s: attribute '%s': longer than %d bytes", h->path, name,
                          H5READ_MAX_STR);
    if (!s)
        return gr_err_set(err, GR_EINPUT, "%s: attribute '%s': cannot read", h->path, name);
    *out = s;
    return GR_OK;
}

int h5read_attr_int(const h5read_t *h, const char *name, int64_t lo, int64_t hi, int64_t *out,
                    gr_err_t *err)
{
    hid_t a, t;
    int rc = attr_open(h, name, H5T_INTEGER, &a, &t, err);
    if (rc)
        return rc;
    /* Read in the attribute's own signedness: a negative value must not
     * become a huge unsigned one (HDF5 would clip it to 0). */
    const int is_signed = H5Tget_sign(t) != H5T_SGN_NONE;
    long long sv = 0;
    unsigned long long uv = 0;
    const herr_t r =
        is_signed ? H5Aread(a, H5T_NATIVE_LLONG, &sv) : H5Aread(a, H5T_NATIVE_ULLONG, &uv);
    H5Tclose(t);
    H5Aclose(a);
    if (r < 0)
        return gr_err_set(err, GR_EINPUT, "%s: attribute '%s': cannot read", h->path, name);
    if (is_signed ? sv < lo || sv > hi : uv > (unsigned long long)hi || (int64_t)uv < lo) {
        if (is_signed)
            return gr_err_set(err, GR_EINPUT,
                              "%s: attribute '%s': %lld is out of range [%lld, %lld]", h->path,
                              name, sv, (long long)lo, (long long)hi);
        return gr_err_set(err, GR_EINPUT, "%s: attribute '%s': %llu is out of range [%lld, %lld]",
                          h->path, name, uv, (long long)lo, (long long)hi);
    }
    *out = is_signed ? (int64_t)sv : (int64_t)uv;
    return GR_OK;
}

int h5read_printable(const char *s) { return utf8_printable(s); }

int h5read_attr_names(const h5read_t *h, const char *name, h5read_names_t *out, gr_err_t *err)
{
    *out = (h5read_names_t){NULL, NULL, 0};
    char *s;
    int rc = h5read_attr_str(h, name, &s, err);
    if (rc)
        return rc;
    size_t n = 1;
    for (const char *p = s; *p; ++p)
        n += *p == ',';
    char **v = malloc(n * sizeof *v);
    if (!v) {
        free(s);
        return gr_err_set(err, GR_ERUNTIME, "out of memory");
    }
    /* Split by hand: strtok would merge ",," and hide an empty name. */
    char *p = s;
    for (size_t i = 0; i < n && !rc; ++i) {
        v[i] = p;
        const size_t len = strcspn(p, ",");
        const int last = p[len] == '\0';
        p[len] = '\0';
        if (len == 0)
            rc = gr_err_set(err, GR_EINPUT, "%s: attribute '%s': empty name", h->path, name);
        else if (len > H5READ_MAX_NAME)
            rc = gr_err_set(err, GR_EINPUT, "%s: attribute '%s': a name is longer than %d bytes",
                            h->path, name, H5READ_MAX_NAME);
        else if (strchr(v[i], '/'))
            rc = gr_err_set(err, GR_EINPUT, "%s: attribute '%s': name '%s' contains '/'", h->path,
                            name, v[i]);
        else if (!strcmp(v[i], "."))
            rc = gr_err_set(err, GR_EINPUT, "%s: attribute '%s': name '.' is not a group name",
                            h->path, name);
        else if (!h5read_printable(v[i]))
            rc = gr_err_set(err, GR_EINPUT, "%s: attribute '%s': a name is not printable UTF-8",
                            h->path, name);
        p += len + !last;
    }
    if (rc) {
        free(v);
        free(s);
        return rc;
    }
    *out = (h5read_names_t){s, v, n};
    return GR_OK;
}

void h5read_names_free(h5read_names_t *names)
{
    free(names->v);
    free(names->text);
    *names = (h5read_names_t){NULL, NULL, 0};
}

/* 1 if obj names an object (following no external link), else 0. */
static int exists(const h5read_t *h, const char *obj)
{
    return H5Oexists_by_name(h->file, obj, h->lapl) > 0;
}

int h5read_exists(const h5read_t *h, const char *obj)
{
    /* part by part: H5Oexists_by_name fails on a missing intermediate group */
    char buf[H5READ_MAX_NAME + 1];
    const size_t n = strlen(obj);
    if (n > H5READ_MAX_NAME)
        return 0;
    memcpy(buf, obj, n + 1);
    for (char *p = buf; (p = strchr(p, '/')) != NULL; ++p) {
        *p = '\0';
        const int ok = exists(h, buf);
        *p = '/';
        if (!ok)
            return 0;
    }
    return exists(h, buf);
}

/* Opens obj (following no external link) and checks that it is an object
 * of kind (H5I_DATASET or H5I_GROUP); *id is closed with H5Oclose. */
static int open_as(const h5read_t *h, const char *obj, H5I_type_t kind, hid_t *id, gr_err_t *err)
{
    *id = -1;
    if (!exists(h, obj))
        return gr_err_set(err, GR_EINPUT, "%s: %s: missing", h->path, obj);
    const hid_t o = H5Oopen(h->file, obj, h->lapl);
    if (o < 0)
        return gr_err_set(err, GR_EINPUT, "%s: %s: cannot open", h->path, obj);
    if (H5Iget_type(o) != kind) {
        H5Oclose(o);
        return gr_err_set(err, GR_EINPUT, "%s: %s: not a %s", h->path, obj,
                          kind == H5I_GROUP ? "group" : "dataset");
    }
    *id = o;
    return GR_OK;
}

/*
 * Checks that dataset d's storage is plain and in this file, its filters
 * built in, a chunk of it not too big to decompress, and all of it written:
 * HDF5 would return fill values for data never written, so a tiny file could
 * declare 2^32 values and keep a reader busy for nothing.
 */
static int check_storage(const h5read_t *h, const char *obj, hid_t d, hid_t type, int rank,
                         const uint64_t *dims, uint64_t elems, gr_err_t *err)
{
    const hid_t pl = H5Dget_create_plist(d);
    if (pl < 0)
        return gr_err_set(err, GR_EINPUT, "%s: %s: cannot read its properties", h->path, obj);
    const char *bad = NULL;
    const H5D_layout_t layout = H5Pget_layout(pl);
    if (layout != H5D_COMPACT && layout != H5D_CONTIGUOUS && layout != H5D_CHUNKED)
        bad = "layout not read (virtual or unknown)";
    else if (H5Pget_external_count(pl) != 0)
        bad = "data in an external file not read";
    const int nf = bad ? 0 : H5Pget_nfilters(pl);
    for (int i = 0; !bad && i < nf; ++i) {
        unsigned flags;
        size_t nv = 0;
        /* Only HDF5's predefined filters: an unknown one would make HDF5
         * search its plugin path for a library to load. */
        const H5Z_filter_t id = H5Pget_filter2(pl, (unsigned)i, &flags, &nv, NULL, 0, NULL, NULL);
        if (id < 0 || id > H5Z_FILTER_SCALEOFFSET)
            bad = "filter not built into HDF5";
    }
    uint64_t chunks = 1; /* chunks a fully written dataset has */
    if (!bad && layout == H5D_CHUNKED) {
        hsize_t c[H5S_MAX_RANK];
        const int cr = H5Pget_chunk(pl, H5S_MAX_RANK, c);
        uint64_t bytes = H5Tget_size(type);
        for (int i = 0; i < cr && bytes <= H5READ_MAX_CHUNK_BYTES; ++i)
            bytes =
                c[i] > H5READ_MAX_CHUNK_BYTES ? (uint64_t)H5READ_MAX_CHUNK_BYTES + 1 : bytes * c[i];
        if (cr != rank || bytes > H5READ_MAX_CHUNK_BYTES)
            bad = "chunks too large";
        /* at most elems (each chunk has at least one value) */
        for (int i = 0; !bad && i < rank; ++i)
            chunks *= c[i] ? (dims[i] + c[i] - 1) / c[i] : 0;
    }
    H5Pclose(pl);
    if (bad)
        return gr_err_set(err, GR_EINPUT, "%s: %s: %s", h->path, obj, bad);
    if (!elems)
        return GR_OK;
    /* HDF5 calls a compressed dataset "partly allocated" even when complete
     * (its storage is smaller than its values): count its chunks instead. */
    int written;
    if (layout == H5D_CHUNKED) {
        hsize_t n = 0;
        const hid_t sp = H5Dget_space(d); /* HDF5 1.10.8 refuses H5S_ALL here */
        written = sp >= 0 && H5Dget_num_chunks(d, sp, &n) >= 0 && n == chunks;
        if (sp >= 0)
            H5Sclose(sp);
    } else {
        H5D_space_status_t st;
        written = H5Dget_space_status(d, &st) >= 0 && st == H5D_SPACE_STATUS_ALLOCATED;
    }
    return written ? GR_OK
                   : gr_err_set(err, GR_EINPUT, "%s: %s: not all of it written", h->path, obj);
}

/* Checks d's type, shape and storage. */
static int check_dataset(const h5read_t *h, const char *obj, hid_t d, int rank,
                         const uint64_t *dims, gr_err_t *err)
{
    const hid_t type = H5Dget_type(d);
    const hid_t sp = H5Dget_space(d);
    int rc = GR_OK;
    if (type < 0 || sp < 0) {
        rc = gr_err_set(err, GR_EINPUT, "%s: %s: cannot read its type or shape", h->path, obj);
        goto done;
    }
    const H5T_class_t cls = H5Tget_class(type);
    if (cls != H5T_FLOAT && cls != H5T_INTEGER) {
        rc = gr_err_set(err, GR_EINPUT, "%s: %s: expected numbers, found %s", h->path, obj,
                        class_name(cls));
        goto done;
    }
    hsize_t found[H5S_MAX_RANK];
    const int frank = space_shape(sp, found);
    int same = frank == rank;
    for (int i = 0; same && i < rank; ++i)
        same = found[i] == dims[i];
    if (!same) {
        char want[800], got[900];
        hsize_t w[H5S_MAX_RANK];
        for (int i = 0; i < rank; ++i)
            w[i] = dims[i];
        fmt_dims(want, sizeof want, rank, w);
        fmt_found(got, sizeof got, "", frank, found);
        rc = gr_err_set(err, GR_EINPUT, "%s: %s: expected shape [%s], found %s", h->path, obj, want,
                        got);
        goto done;
    }
    uint64_t n = 1;
    for (int i = 0; i < rank && n <= H5READ_MAX_ELEMS; ++i)
        n = dims[i] > H5READ_MAX_ELEMS ? H5READ_MAX_ELEMS + 1 : n * dims[i];
    if (n > H5READ_MAX_ELEMS) {
        rc = gr_err_set(err, GR_EINPUT, "%s: %s: more than %llu values", h->path, obj,
                        (unsigned long long)H5READ_MAX_ELEMS);
        goto done;
    }
    rc = check_storage(h, obj, d, type, rank, dims, n, err);
done:
    if (type >= 0)
        H5Tclose(type);
    if (sp >= 0)
        H5Sclose(sp);
    return rc;
}

int h5read_ds_open(const h5read_t *h, const char *obj, int rank, const uint64_t *dims,
                   h5read_ds_t *ds, gr_err_t *err)
{
    ds->id = -1;
    ds->obj = obj;
    ds->rank = rank;
    if (rank < 0 || rank > H5READ_MAX_RANK)
        return gr_err_set(err, GR_ERUNTIME, "%s: %s: rank %d asked for", h->path, obj, rank);
    for (int i = 0; i < rank; ++i)
        ds->dims[i] = dims[i];
    hid_t o;
    int rc = open_as(h, obj, H5I_DATASET, &o, err);
    if (rc)
        return rc;
    rc = check_dataset(h, obj, o, rank, dims, err);
    if (rc)
        H5Oclose(o);
    else
        ds->id = o;
    return rc;
}

void h5read_ds_close(h5read_ds_t *ds)
{
    if (ds->id >= 0)
        H5Oclose(ds->id);
    ds->id = -1;
}

int h5read_ds_rows(const h5read_t *h, const h5read_ds_t *ds, uint64_t row0, uint64_t nrows,
                   double *buf, size_t buf_n, gr_err_t *err)
{
    /* The caller's request, checked against the shape now known. */
    uint64_t per_row = 1;
    for (int i = 1; i < ds->rank; ++i)
        per_row *= ds->dims[i];
    if (ds->id < 0 || (ds->rank == 0 ? row0 != 0 || nrows != 1
                                     : row0 > ds->dims[0] || nrows > ds->dims[0] - row0 ||
                                           nrows * per_row > buf_n))
        return gr_err_set(err, GR_ERUNTIME, "%s: %s: rows %llu + %llu asked for", h->path, ds->obj,
                          (unsigned long long)row0, (unsigned long long)nrows);
    const hsize_t n = (hsize_t)(nrows * per_row);
    if (n == 0)
        return GR_OK;
    const hid_t fs = H5Dget_space(ds->id);
    const hid_t ms = H5Screate_simple(1, &n, NULL);
    herr_t r = fs < 0 || ms < 0 ? -1 : 0;
    if (r >= 0 && ds->rank > 0) {
        hsize_t start[H5READ_MAX_RANK], count[H5READ_MAX_RANK];
        for (int i = 0; i < ds->rank; ++i) {
            start[i] = 0;
            count[i] = ds->dims[i];
        }
        start[0] = row0;
        count[0] = nrows;
        r = H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL);
    }
    if (r >= 0)
        r = H5Dread(ds->id, H5T_NATIVE_DOUBLE, ms, fs, H5P_DEFAULT, buf);
    if (ms >= 0)
        H5Sclose(ms);
    if (fs >= 0)
        H5Sclose(fs);
    return r < 0 ? gr_err_set(err, GR_EINPUT, "%s: %s: cannot read", h->path, ds->obj) : GR_OK;
}

int h5read_f64(const h5read_t *h, const char *obj, int rank, const uint64_t *dims, double *buf,
               size_t buf_n, gr_err_t *err)
{
    h5read_ds_t ds;
    int rc = h5read_ds_open(h, obj, rank, dims, &ds, err);
    if (!rc && buf)
        rc = h5read_ds_rows(h, &ds, 0, rank ? dims[0] : 1, buf, buf_n, err);
    h5read_ds_close(&ds);
    return rc;
}

/* A name read from a file, checked as h5read_attr_names checks each name. */
static int check_name(const h5read_t *h, const char *where, const char *name, gr_err_t *err)
{
    const size_t len = strlen(name);
    if (len == 0)
        return gr_err_set(err, GR_EINPUT, "%s: %s: empty name", h->path, where);
    if (len > H5READ_MAX_NAME)
        return gr_err_set(err, GR_EINPUT, "%s: %s: a name is longer than %d bytes", h->path, where,
                          H5READ_MAX_NAME);
    if (strchr(name, '/') || !strcmp(name, "."))
        return gr_err_set(err, GR_EINPUT, "%s: %s: '%s' is not a valid name", h->path, where, name);
    if (!h5read_printable(name))
        return gr_err_set(err, GR_EINPUT, "%s: %s: a name is not printable UTF-8", h->path, where);
    return GR_OK;
}

/* Packs n checked names into one allocation of out. */
static int names_pack(const h5read_t *h, const char *where, char *const *names, size_t n,
                      h5read_names_t *out, gr_err_t *err)
{
    size_t bytes = 1;
    for (size_t i = 0; i < n; ++i) {
        const int rc = check_name(h, where, names[i] ? names[i] : "", err);
        if (rc)
            return rc;
        bytes += strlen(names[i]) + 1;
    }
    char *text = malloc(bytes);
    char **v = malloc((n ? n : 1) * sizeof *v);
    if (!text || !v) {
        free(text);
        free(v);
        return gr_err_set(err, GR_ERUNTIME, "out of memory");
    }
    char *p = text;
    for (size_t i = 0; i < n; ++i) {
        const size_t l = strlen(names[i]) + 1;
        memcpy(p, names[i], l);
        v[i] = p;
        p += l;
    }
    *out = (h5read_names_t){text, v, n};
    return GR_OK;
}

int h5read_strings(const h5read_t *h, const char *obj, size_t max_n, h5read_names_t *out,
                   gr_err_t *err)
{
    *out = (h5read_names_t){NULL, NULL, 0};
    hid_t d;
    int rc = open_as(h, obj, H5I_DATASET, &d, err);
    if (rc)
        return rc;
    const hid_t type = H5Dget_type(d), sp = H5Dget_space(d);
    hsize_t dims[H5S_MAX_RANK];
    const int rank = sp >= 0 ? space_shape(sp, dims) : -1;
    if (type < 0 || H5Tget_class(type) != H5T_STRING || !H5Tis_variable_str(type))
        rc = gr_err_set(err, GR_EINPUT, "%s: %s: expected variable-length strings", h->path, obj);
    else if (rank != 1 || dims[0] < 1 || dims[0] > max_n)
        rc = gr_err_set(err, GR_EINPUT, "%s: %s: expected 1 to %zu names in one dimension", h->path,
                        obj, max_n);
    else {
        const uint64_t n64 = dims[0];
        rc = check_storage(h, obj, d, type, 1, &n64, n64, err);
    }
    if (!rc) {
        const size_t n = (size_t)dims[0];
        char **raw = calloc(n, sizeof *raw);
        const hid_t mt = H5Tcopy(H5T_C_S1);
        H5Tset_size(mt, H5T_VARIABLE);
        H5Tset_cset(mt, H5T_CSET_UTF8);
        if (!raw)
            rc = gr_err_set(err, GR_ERUNTIME, "out of memory");
        else if (H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, raw) < 0)
            rc = gr_err_set(err, GR_EINPUT, "%s: %s: cannot read", h->path, obj);
        else {
            rc = names_pack(h, obj, raw, n, out, err);
            H5Dvlen_reclaim(mt, sp, H5P_DEFAULT, raw);
        }
        H5Tclose(mt);
        free(raw);
    }
    if (type >= 0)
        H5Tclose(type);
    if (sp >= 0)
        H5Sclose(sp);
    H5Oclose(d);
    return rc;
}

typedef struct {
    char **names;
    size_t n, max;
    int too_many;
} list_ctx_t;

static herr_t collect_dataset(hid_t g, const char *name, const H5L_info_t *info, void *ctx)
{
    list_ctx_t *c = ctx;
    H5O_info_t oi;
    /* only hard links to datasets: soft and external links are not data */
    if (info->type != H5L_TYPE_HARD ||
        H5Oget_info_by_name2(g, name, &oi, H5O_INFO_BASIC, H5P_DEFAULT) < 0 ||
        oi.type != H5O_TYPE_DATASET)
        return 0;
    if (c->n == c->max) {
        c->too_many = 1;
        return 1;
    }
    c->names[c->n] = strdup(name);
    return c->names[c->n++] ? 0 : -1;
}

int h5read_list(const h5read_t *h, const char *group, size_t max_n, h5read_names_t *out,
                gr_err_t *err)
{
    *out = (h5read_names_t){NULL, NULL, 0};
    hid_t g;
    int rc = open_as(h, group, H5I_GROUP, &g, err);
    if (rc)
        return rc;
    list_ctx_t c = {calloc(max_n ? max_n : 1, sizeof(char *)), 0, max_n, 0};
    if (!c.names)
        rc = gr_err_set(err, GR_ERUNTIME, "out of memory");
    else {
        /* creation order when the file tracks it (ours does), else by name */
        unsigned order = 0;
        const hid_t gcpl = H5Gget_create_plist(g);
        if (gcpl >= 0) {
            if (H5Pget_link_creation_order(gcpl, &order) < 0)
                order = 0;
            H5Pclose(gcpl);
        }
        const int crt = (order & H5P_CRT_ORDER_INDEXED) != 0;
        hsize_t idx = 0;
        const herr_t it = H5Literate(g, crt ? H5_INDEX_CRT_ORDER : H5_INDEX_NAME, H5_ITER_INC, &idx,
                                     collect_dataset, &c);
        if (c.too_many)
            rc =
                gr_err_set(err, GR_EINPUT, "%s: %s: more than %zu datasets", h->path, group, max_n);
        else if (it < 0)
            rc = gr_err_set(err, GR_EINPUT, "%s: %s: cannot list its members", h->path, group);
        else
            rc = names_pack(h, group, c.names, c.n, out, err);
    }
    for (size_t i = 0; c.names && i < c.n; ++i)
        free(c.names[i]);
    free(c.names);
    H5Oclose(g);
    return rc;
}

int h5read_attach(h5read_t *h, int64_t file, const char *path, gr_err_t *err)
{
    h->file = -1;
    h->path = path;
    h->lapl = H5Pcreate(H5P_LINK_ACCESS);
    if (h->lapl < 0 || H5Pset_elink_cb(h->lapl, refuse_elink, NULL) < 0) {
        h5read_detach(h);
        return gr_err_set(err, GR_ERUNTIME, "%s: HDF5 property list failed", path);
    }
    h->file = file;
    return GR_OK;
}

void h5read_detach(h5read_t *h)
{
    if (h->lapl >= 0)
        H5Pclose(h->lapl);
    h->file = h->lapl = -1;
}

int h5read_obj_open(const h5read_t *h, const char *obj, int group, int64_t *id, gr_err_t *err)
{
    hid_t o;
    const int rc = open_as(h, obj, group ? H5I_GROUP : H5I_DATASET, &o, err);
    *id = rc ? -1 : o;
    return rc;
}

int h5read_ds_storage(const h5read_t *h, const char *obj, int64_t d, gr_err_t *err)
{
    const hid_t type = H5Dget_type(d);
    const hid_t sp = H5Dget_space(d);
    hsize_t found[H5S_MAX_RANK];
    const int rank = sp >= 0 ? space_shape(sp, found) : -1;
    int rc = GR_OK;
    if (type < 0 || rank < 0) {
        rc = gr_err_set(err, GR_EINPUT, "%s: %s: cannot read its type or shape", h->path, obj);
    } else {
        uint64_t dims[H5S_MAX_RANK], n = 1;
        for (int i = 0; i < rank; ++i) {
            dims[i] = found[i];
            /* saturates at H5READ_MAX_ELEMS + 1 (2^32 * 2^32 would wrap to 0) */
            n = dims[i] && n > H5READ_MAX_ELEMS / dims[i] ? H5READ_MAX_ELEMS + 1 : n * dims[i];
        }
        if (n > H5READ_MAX_ELEMS)
            rc = gr_err_set(err, GR_EINPUT, "%s: %s: more than %llu values", h->path, obj,
                            (unsigned long long)H5READ_MAX_ELEMS);
        else
            rc = check_storage(h, obj, d, type, rank, dims, n, err);
    }
    if (type >= 0)
        H5Tclose(type);
    if (sp >= 0)
        H5Sclose(sp);
    return rc;
}
