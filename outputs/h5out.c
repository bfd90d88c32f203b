/* h5out.c - see h5out.h. The layout is docs/LAYOUT.md; tests/check_layout.py
 * walks every file the tests write against it. */
#include "h5out.h"

#include "../kernels/stats.h"
#include "../kernels/wpack.h"
#include "../kernels/zrun.h"
#include "../model/outpath.h"
#include "../model/par.h"

#include <errno.h>
#include <fcntl.h>
#include <hdf5.h>
#include <hdf5_hl.h>
#include <libdeflate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Datasets smaller than this are contiguous: a chunk index costs more than
 * it saves (the first layout spent half of a small file on chunk indexes). */
enum { CONTIGUOUS_BYTES = 64 * 1024, CHUNK_BYTES = 64 * 1024 };

/* The deflate level every chunked dataset records (and that libdeflate
 * compresses the tables' chunks at: its level 2 gives files as small as
 * zlib's level 4, the level of the files before it, RBTS 5.56 MB, RTS-79
 * 2.78 against 2.83 MB on 400,000 trials). */
enum { DEFLATE_LEVEL = 2 };

/* the writer's run buffers, as results_estimate counts them (in doubles) */
_Static_assert(RESULTS_WRITER_BUF == 3 * STATS_RUN + STATS_RUN / 64 + H5OUT_TRIAL_RUN / 2,
               "RESULTS_WRITER_BUF is the summary's and the columns' runs, a column's page "
               "coded and the trial axis's");

/* kernels/stats.h's statistics come first, in its order */
_Static_assert((int)STATS_N == (int)H5OUT_STAT_P_POSITIVE &&
                   (int)STATS_MEAN == (int)H5OUT_STAT_MEAN &&
                   (int)STATS_P95 == (int)H5OUT_STAT_P95 && (int)STATS_MAX == (int)H5OUT_STAT_MAX,
               "h5out statistics extend stats.h's");

const char *const h5out_stat_names[H5OUT_N_STATS] = {
    "mean", "se", "sd", "p5", "p50", "p95", "p99", "var95", "cvar95", "min", "max", "p_positive"};

typedef struct {
    const h5out_meta_t *meta;
    int datasets; /* written so far, for the fault-injection hook */
    gr_err_t *err;
    const char *path;
    int sys_errno; /* first errno an HDF5 driver reported (ENOSPC, EFBIG...) */
    hid_t xfer;    /* the blocks' transfer: H5P_DEFAULT, or collective across ranks */
    /* A file that MPI ranks will share: its chunks are allocated when the
     * datasets are created, by rank 0 alone (a full disk shows there), not
     * when every rank opens them (a collective allocation, whose failure on
     * one rank can leave the others waiting). */
    int early;
    /* the chunks of the per-trial tables are shuffled and deflated here and
     * written whole (dset_put): libdeflate at DEFLATE_LEVEL makes the same
     * format as HDF5's deflate filter (zlib's, which any reader inflates),
     * as small as zlib's level 4 and 2.4-2.5x faster (RBTS and RTS-79
     * chunks); HDF5's filters would run zlib on every chunk as it leaves
     * the cache. NULL: a shared file's collective writes go through HDF5.
     * A chunk whose elements repeat whole (most of an adequacy run's trials
     * shed nothing) goes first to zrun, unshuffled: the chunk's filter mask
     * says its shuffle (an optional filter) was skipped. */
    struct libdeflate_compressor *z;
    zrun_t *zr;
    unsigned char *shuf, *zout; /* [shuf_cap] a chunk, shuffled; [zcap] deflated */
    size_t shuf_cap, zcap;
} wctx_t;

static int fail(wctx_t *c, const char *what)
{
    if (c->sys_errno)
        return gr_err_set(c->err, GR_ERUNTIME, "%s: write failed: %s (at %s)", c->path,
                          strerror(c->sys_errno), what);
    return gr_err_set(c->err, GR_ERUNTIME, "%s: HDF5 write failed: %s", c->path, what);
}

static int oom(wctx_t *c) { return gr_err_set(c->err, GR_ERUNTIME, "out of memory"); }

/* The file drivers put the system's errno into their error text
 * ("..., errno = 28, error message = 'No space left on device', ..."). */
static herr_t find_errno(unsigned n, const H5E_error2_t *e, void *ctx)
{
    (void)n;
    wctx_t *c = ctx;
    const char *p = e->desc ? strstr(e->desc, "errno = ") : NULL;
    if (p && !c->sys_errno)
        c->sys_errno = atoi(p + 8);
    return 0;
}

/* Installed as HDF5's automatic error handler while writing: HDF5 calls it
 * when an API call fails, before the next call clears the error stack, so
 * the cause (disk full, file too large, I/O error) reaches the message. */
static herr_t on_h5_error(hid_t estack, void *ctx)
{
    H5Ewalk2(estack, H5E_WALK_UPWARD, find_errno, ctx);
    return 0;
}

/* --- attributes ----------------------------------------------------------- */

/* Variable-length UTF-8 strings: h5py and xarray read str, R character. */
static hid_t vlen_utf8(void)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, H5T_VARIABLE);
    H5Tset_cset(t, H5T_CSET_UTF8);
    return t;
}

static int attr_strs(hid_t loc, const char *name, const char *const *vals, hsize_t n, int scalar)
{
    hid_t t = vlen_utf8();
    hid_t sp = scalar ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &n, NULL);
    hid_t a = H5Acreate2(loc, name, t, sp, H5P_DEFAULT, H5P_DEFAULT);
    herr_t rc = a < 0 ? -1 : H5Awrite(a, t, vals);
    if (a >= 0 && H5Aclose(a) < 0)
        rc = -1;
    H5Sclose(sp);
    H5Tclose(t);
    return rc < 0 ? -1 : 0;
}

static int attr_str(hid_t loc, const char *name, const char *val)
{
    return attr_strs(loc, name, &val, 1, 1);
}

static int attr_num(hid_t loc, const char *name, hid_t file_type, hid_t mem_type, const void *val)
{
    hid_t sp = H5Screate(H5S_SCALAR);
    hid_t a = H5Acreate2(loc, name, file_type, sp, H5P_DEFAULT, H5P_DEFAULT);
    herr_t rc = a < 0 ? -1 : H5Awrite(a, mem_type, val);
    if (a >= 0 && H5Aclose(a) < 0)
        rc = -1;
    H5Sclose(sp);
    return rc < 0 ? -1 : 0;
}

static int attr_i32(hid_t loc, const char *name, long long v)
{
    const int32_t x = v > INT32_MAX ? INT32_MAX : (int32_t)v;
    return attr_num(loc, name, H5T_STD_I32LE, H5T_NATIVE_INT32, &x);
}

/* --- datasets ------------------------------------------------------------- */

/* A dataset under construction: created, then written (whole or by
 * hyperslabs), then closed with its scales attached. */
enum { DSET_MAX_RANK = 4 };

typedef struct {
    hid_t id, space;
    int rank;
    hsize_t dims[DSET_MAX_RANK];
    /* chunked: a chunk is one index of each axis before `block` (`lead`
     * such indices), `rows` rows of axis block and all of the axes after it
     * (`row_bytes` a row); `stage` holds each leading index's chunk being
     * filled (allocated at its first block), `next` its next row */
    int block;
    hsize_t rows;
    size_t row_bytes, lead, esz;
    hid_t mem; /* chunked, and the native type whose bytes are the file's (else 0) */
    unsigned char *stage;
    hsize_t *next;
    /* per leading index, two counts: chunks to give libdeflate without
     * trying zrun on the elements [2 s], on the shuffled bytes [2 s + 1],
     * after that could not halve one (data without whole repeats: each try
     * costs a fraction of a deflate) */
    unsigned *zskip;
} dset_t;

/* Creates a rank-n dataset of type: contiguous when small, else chunked,
 * shuffled and deflated, a chunk holding one index of every axis before
 * `block`, a block of rows of axis `block` and all of the axes after it:
 * one scenario and a block of trials for (scenario, trial, year), a block
 * of trials for (trial, year). */
static int dset_create(wctx_t *c, hid_t loc, const char *name, hid_t type, int rank,
                       const hsize_t *dims, int block, dset_t *d)
{
    if (c->meta->fail_at_dataset && ++c->datasets == c->meta->fail_at_dataset)
        return fail(c, "injected failure");
    memset(d, 0, sizeof *d);
    d->rank = rank;
    d->lead = 1;
    hsize_t elems = 1;
    for (int i = 0; i < rank; ++i)
        elems *= (d->dims[i] = dims[i]);
    d->space = H5Screate_simple(rank, dims, NULL);
    hid_t pl = H5Pcreate(H5P_DATASET_CREATE), apl = H5Pcreate(H5P_DATASET_ACCESS);
    const size_t esz = H5Tget_size(type);
    if (elems * esz > CONTIGUOUS_BYTES && H5Tget_class(type) != H5T_STRING) {
        hsize_t chunk[DSET_MAX_RANK], inner = esz;
        for (int i = 0; i < rank; ++i) {
            chunk[i] = i < block ? 1 : dims[i];
            inner *= i > block ? dims[i] : 1;
            d->lead *= i < block ? (size_t)dims[i] : 1;
        }
        const hsize_t rows = CHUNK_BYTES / inner;
        chunk[block] = rows < 1 ? 1 : rows > dims[block] ? dims[block] : rows;
        H5Pset_chunk(pl, rank, chunk);
        d->block = block;
        d->rows = chunk[block];
        d->row_bytes = (size_t)inner;
        d->esz = esz;
        d->mem = H5Tequal(type, H5T_NATIVE_DOUBLE) > 0  ? H5T_NATIVE_DOUBLE
                 : H5Tequal(type, H5T_NATIVE_INT32) > 0 ? H5T_NATIVE_INT32
                                                        : 0;
        /* A streamed run writes a block of trials of every scenario at a
         * time, so each scenario has a partly written chunk: in the dataset's
         * stage (dset_put, a chunk per leading index) when the writer makes
         * the chunks, else (a file MPI ranks share) in HDF5's cache.
         * Room for those and half a chunk more: a chunk the block completes
         * is written out (w0 1: whole chunks go first) as the next one comes
         * in, instead of lingering up to HDF5's default 1 MiB a dataset
         * (80 MB over a Pakistan run's 68 datasets). Chunks of 64 kB, not
         * the 256 of the first layout, keep those partial chunks to 10 MB
         * for the Pakistan default (its files grow 0.5-2.6%). */
        const size_t cbytes = d->rows * d->row_bytes;
        H5Pset_chunk_cache(apl, 521, d->lead * cbytes + cbytes / 2, 1.0);
        H5Pset_shuffle(pl);
        H5Pset_deflate(pl, DEFLATE_LEVEL);
        if (c->early)
            H5Pset_alloc_time(pl, H5D_ALLOC_TIME_EARLY);
    }
    d->id = H5Dcreate2(loc, name, type, d->space, H5P_DEFAULT, pl, apl);
    H5Pclose(apl);
    H5Pclose(pl);
    if (d->id < 0) {
        H5Sclose(d->space);
        return fail(c, name);
    }
    return GR_OK;
}

/* Chunk `row0 / rows` of leading index s of d, from stage: by zrun if that
 * halves it (its shuffle skipped: filter mask bit 0; taken without trying
 * libdeflate too, whose stream may be smaller: zrun's are half the size on
 * RBTS's unserved energy and 7-12% larger on its shed hours and events, a
 * third larger on the RTS-79's (that file 4% larger), at a fifth of the
 * time), else shuffled as
 * HDF5's shuffle filter does (byte k of every element together, element
 * size esz) and deflated: by zrun, its bytes taken 4 at a time, if that
 * halves it (a table whose bytes repeat though its values do not: the
 * trial axis, 0, 1, 2, ..., whose low bytes cycle and high bytes run; 0.7
 * against libdeflate's 4 ns a trial, 106 kB against 72 kB for 2 million),
 * else by libdeflate; written as it is (H5Dwrite_chunk: no filter runs). A
 * chunk at the dataset's end is whole, its rows beyond the end zero. */
static int chunk_out(wctx_t *c, dset_t *d, size_t s, hsize_t row0, const unsigned char *stage)
{
    enum { ZRUN_RETRY = 15 }; /* chunks of libdeflate after zrun's miss */
    const size_t esz = d->esz, bytes = (size_t)d->rows * d->row_bytes, n = bytes / esz;
    size_t z = 0;
    uint32_t mask = 0;
    unsigned *skip = d->zskip + 2 * s;
    if (skip[0])
        --skip[0];
    else if ((z = zrun_zlib(c->zr, stage, bytes, esz, c->zout, bytes / 2)))
        mask = 1; /* filter 0, the shuffle */
    else
        skip[0] = ZRUN_RETRY;
    if (!z) {
        for (size_t k = 0; k < esz; ++k)
            for (size_t i = 0; i < n; ++i)
                c->shuf[k * n + i] = stage[i * esz + k];
        if (skip[1])
            --skip[1];
        else if (!(z = zrun_zlib(c->zr, c->shuf, bytes, 4, c->zout, bytes / 2)))
            skip[1] = ZRUN_RETRY;
    }
    if (!z)
        z = libdeflate_zlib_compress(c->z, c->shuf, bytes, c->zout, c->zcap);
    hsize_t off[DSET_MAX_RANK] = {0};
    for (int i = d->block - 1, q = (int)s; i >= 0; --i) { /* s over the leading axes */
        off[i] = (hsize_t)q % d->dims[i];
        q /= (int)d->dims[i];
    }
    off[d->block] = row0;
    if (!z || H5Dwrite_chunk(d->id, H5P_DEFAULT, mask, off, z, c->zout) < 0)
        return fail(c, "dataset chunk");
    return GR_OK;
}

/* Frees d's stage (its chunks are all out, or the file is dropped). */
static void dset_unstage(dset_t *d)
{
    free(d->stage);
    free(d->next);
    free(d->zskip);
    d->stage = NULL;
    d->next = NULL;
    d->zskip = NULL;
}

/* Rows [from, to) of leading index s of d (to - from rows of row_bytes at
 * src), the next rows of it (blocks come in order): into its stage, and
 * every chunk they complete out. */
static int dset_put(wctx_t *c, dset_t *d, size_t s, hsize_t from, hsize_t to, const void *src)
{
    const size_t chunk_bytes = (size_t)d->rows * d->row_bytes;
    if (chunk_bytes > c->shuf_cap) { /* the first chunk, or a larger one (a row > CHUNK_BYTES) */
        free(c->shuf);
        free(c->zout);
        c->zcap = libdeflate_zlib_compress_bound(c->z, chunk_bytes);
        c->shuf = malloc(chunk_bytes);
        c->zout = malloc(c->zcap);
        if (!c->shuf || !c->zout) {
            c->shuf_cap = c->zcap = 0;
            return oom(c);
        }
        c->shuf_cap = chunk_bytes;
    }
    if (!d->stage) {
        d->stage = malloc(d->lead * chunk_bytes);
        d->next = calloc(d->lead, sizeof *d->next);
        d->zskip = calloc(2 * d->lead, sizeof *d->zskip);
        if (!d->stage || !d->next || !d->zskip) {
            dset_unstage(d); /* all or none: a later block must not find half */
            return oom(c);
        }
    }
    if (s >= d->lead || from != d->next[s])
        return gr_err_set(c->err, GR_ERUNTIME, "%s: internal: rows [%llu, %llu) out of order",
                          c->path, (unsigned long long)from, (unsigned long long)to);
    unsigned char *st = d->stage + s * chunk_bytes;
    const unsigned char *p = src;
    const hsize_t end = d->dims[d->block];
    for (hsize_t r = from; r < to;) {
        const hsize_t c0 = r / d->rows * d->rows, c1 = c0 + d->rows < end ? c0 + d->rows : end;
        const hsize_t e = to < c1 ? to : c1;
        memcpy(st + (r - c0) * d->row_bytes, p + (r - from) * d->row_bytes,
               (size_t)(e - r) * d->row_bytes);
        r = e;
        if (e < c1)
            break;
        memset(st + (c1 - c0) * d->row_bytes, 0, (size_t)(c0 + d->rows - c1) * d->row_bytes);
        const int rc = chunk_out(c, d, s, c0, st);
        if (rc)
            return rc;
    }
    d->next[s] = to;
    return GR_OK;
}

/* d's chunks are ours to compress and write (dset_put) for data in mem_type:
 * a chunked dataset of a file one process writes, whose memory bytes are
 * the file's. */
static int direct(const wctx_t *c, const dset_t *d, hid_t mem_type)
{
    return c->z && d->mem == mem_type;
}

/* Writes block [lead, ...] (the whole trailing extent) from data. */
static int dset_write_block(wctx_t *c, dset_t *d, hsize_t lead, const double *data)
{
    if (direct(c, d, H5T_NATIVE_DOUBLE) && d->block == 1)
        return dset_put(c, d, (size_t)lead, 0, d->dims[1], data);
    hsize_t start[DSET_MAX_RANK] = {lead, 0, 0, 0}, count[DSET_MAX_RANK];
    count[0] = 1;
    for (int i = 1; i < d->rank; ++i)
        count[i] = d->dims[i];
    hid_t mem = H5Screate_simple(d->rank - 1, count + 1, NULL);
    H5Sselect_hyperslab(d->space, H5S_SELECT_SET, start, NULL, count, NULL);
    const herr_t rc = H5Dwrite(d->id, H5T_NATIVE_DOUBLE, mem, d->space, H5P_DEFAULT, data);
    H5Sclose(mem);
    return rc < 0 ? fail(c, "dataset block") : GR_OK;
}

static int dset_write_all(wctx_t *c, dset_t *d, hid_t mem_type, const void *data)
{
    if (direct(c, d, mem_type)) { /* every leading index's rows in turn */
        const size_t bytes = (size_t)d->dims[d->block] * d->row_bytes;
        int rc = GR_OK;
        for (size_t s = 0; !rc && s < d->lead; ++s)
            rc = dset_put(c, d, s, 0, d->dims[d->block], (const unsigned char *)data + s * bytes);
        return rc;
    }
    return H5Dwrite(d->id, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0 ? fail(c, "dataset")
                                                                              : GR_OK;
}

/* Attaches scales[i] to axis i, sets units and long_name, closes. Closing
 * flushes the last chunks: a full disk shows here. */
static int dset_close(wctx_t *c, dset_t *d, const hid_t *scales, const char *units,
                      const char *long_name, int rc)
{
    for (int i = 0; !rc && scales && i < d->rank; ++i)
        if (H5DSattach_scale(d->id, scales[i], (unsigned)i) < 0)
            rc = fail(c, "dimension scale");
    if (!rc && units && attr_str(d->id, "units", units))
        rc = fail(c, "units attribute");
    if (!rc && long_name && attr_str(d->id, "long_name", long_name))
        rc = fail(c, "long_name attribute");
    if (H5Dclose(d->id) < 0 && !rc)
        rc = fail(c, "dataset close");
    H5Sclose(d->space);
    dset_unstage(d);
    return rc;
}

/* --- coordinates ---------------------------------------------------------- */

/* A coordinate variable: a 1-D dataset that is also the dimension scale
 * `name`, so netCDF and xarray see a named dimension with its labels. */
typedef struct {
    hid_t id;
} coord_t;

/* v[i] = first + i for i < n, as int32. */
static void count_from(int32_t *v, size_t n, long first)
{
    for (size_t i = 0; i < n; ++i)
        v[i] = (int32_t)(first + (long)i);
}

/* first, first + 1, ..., first + n - 1 as int32; NULL when out of memory. */
static int32_t *iota32(size_t n, long first)
{
    int32_t *v = malloc((n ? n : 1) * sizeof *v);
    if (v)
        count_from(v, n, first);
    return v;
}

/* Writes 0, 1, ..., n - 1 into the int32 1-D dataset d a run at a time: the
 * trial axis, which needs no array of the trials' size. */
static int write_counting(wctx_t *c, dset_t *d)
{
    enum { RUN = H5OUT_TRIAL_RUN };
    _Static_assert(RUN * sizeof(int32_t) == CHUNK_BYTES, "a run is one chunk of the axis");
    int32_t *v = malloc(RUN * sizeof *v);
    if (!v)
        return oom(c);
    int rc = GR_OK;
    for (hsize_t i = 0; !rc && i < d->dims[0]; i += RUN) {
        hsize_t len = d->dims[0] - i < RUN ? d->dims[0] - i : RUN;
        count_from(v, (size_t)len, (long)i);
        if (direct(c, d, H5T_NATIVE_INT32)) {
            rc = dset_put(c, d, 0, i, i + len, v);
            continue;
        }
        hid_t mem = H5Screate_simple(1, &len, NULL);
        if (mem < 0 || H5Sselect_hyperslab(d->space, H5S_SELECT_SET, &i, NULL, &len, NULL) < 0 ||
            H5Dwrite(d->id, H5T_NATIVE_INT32, mem, d->space, H5P_DEFAULT, v) < 0)
            rc = fail(c, "dataset");
        if (mem >= 0)
            H5Sclose(mem);
    }
    free(v);
    return rc;
}

/* vals NULL: 0, 1, ..., n - 1 (only for an int32 axis: the trials). */
static int coord_make(wctx_t *c, hid_t loc, const char *name, hid_t file_type, hid_t mem_type,
                      hsize_t n, const void *vals, const char *units, const char *long_name,
                      coord_t *out)
{
    dset_t d;
    int rc = dset_create(c, loc, name, file_type, 1, &n, 0, &d);
    if (rc)
        return rc;
    rc = vals ? dset_write_all(c, &d, mem_type, vals) : write_counting(c, &d);
    if (!rc && H5DSset_scale(d.id, name) < 0)
        rc = fail(c, "dimension scale");
    if (!rc && units && attr_str(d.id, "units", units))
        rc = fail(c, "units attribute");
    if (!rc && long_name && attr_str(d.id, "long_name", long_name))
        rc = fail(c, "long_name attribute");
    H5Sclose(d.space);
    dset_unstage(&d);
    if (rc) {
        H5Dclose(d.id);
        return rc;
    }
    out->id = d.id;
    return GR_OK;
}

static int coord_strings(wctx_t *c, hid_t loc, const char *name, const char *const *vals, hsize_t n,
                         const char *long_name, coord_t *out)
{
    hid_t t = vlen_utf8();
    const int rc = coord_make(c, loc, name, t, t, n, vals, NULL, long_name, out);
    H5Tclose(t);
    return rc;
}

static int coord_ints(wctx_t *c, hid_t loc, const char *name, const int32_t *vals, hsize_t n,
                      const char *units, const char *long_name, coord_t *out)
{
    return coord_make(c, loc, name, H5T_STD_I32LE, H5T_NATIVE_INT32, n, vals, units, long_name,
                      out);
}

static int coord_close(wctx_t *c, coord_t *k, int rc)
{
    if (k->id > 0 && H5Dclose(k->id) < 0 && !rc)
        rc = fail(c, "coordinate close");
    k->id = 0;
    return rc;
}

/* Groups track link and attribute creation order, so netCDF, xarray and R
 * list variables in the order written, not alphabetically. */
static hid_t group_create(hid_t loc, const char *name)
{
    hid_t pl = H5Pcreate(H5P_GROUP_CREATE);
    H5Pset_link_creation_order(pl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
    H5Pset_attr_creation_order(pl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
    hid_t g = H5Gcreate2(loc, name, H5P_DEFAULT, pl, H5P_DEFAULT);
    H5Pclose(pl);
    return g;
}

/* --- groups --------------------------------------------------------------- */

/* A sweep's coordinates on the scenario axis (named in each variable's
 * `coordinates` attribute, as CF asks for non-dimension coordinates). */
#define SWEEP_COORDS "sweep_variant sweep_mw sweep_tariff_pkr_per_kwh"

static int write_sweep_coords(wctx_t *c, hid_t loc, hid_t scen_scale, size_t S)
{
    const h5out_meta_t *m = c->meta;
    if (!m->sweep_variant)
        return GR_OK;
    const hsize_t n = S;
    dset_t d;
    hid_t t = vlen_utf8();
    int rc = dset_create(c, loc, "sweep_variant", t, 1, &n, 0, &d);
    if (!rc) {
        rc = dset_write_all(c, &d, t, m->sweep_variant);
        rc = dset_close(c, &d, &scen_scale, NULL,
                        "the sweep variant a point scales (empty: a declared scenario)", rc);
    }
    H5Tclose(t);
    const struct {
        const char *name, *unit, *desc;
        const double *v;
    } num[2] = {{"sweep_mw", "MW", "the point's total allocated MW (NaN: a declared scenario)",
                 m->sweep_mw},
                {"sweep_tariff_pkr_per_kwh", "PKR/kWh",
                 "the tariff the point bills every block at (NaN: the blocks' own)",
                 m->sweep_tariff_pkr_per_kwh}};
    for (int k = 0; !rc && k < 2; ++k)
        if (!(rc = dset_create(c, loc, num[k].name, H5T_IEEE_F64LE, 1, &n, 0, &d))) {
            rc = dset_write_all(c, &d, H5T_NATIVE_DOUBLE, num[k].v);
            rc = dset_close(c, &d, &scen_scale, num[k].unit, num[k].desc, rc);
        }
    return rc;
}

/* Names the sweep's coordinates on a variable with a scenario axis. */
static int sweep_coords_attr(wctx_t *c, hid_t dset, int rc)
{
    if (!rc && c->meta->sweep_variant && attr_str(dset, "coordinates", SWEEP_COORDS))
        rc = fail(c, "coordinates attribute");
    return rc;
}

/* Calendar month (1..12) and hour of day of each hour of a simulated year
 * that starts in calendar month m0 (0 = January), on a 365-day calendar
 * (profiles of 8,736 or 8,784 hours end in the twelfth month). */
static void hour_labels(size_t H, size_t m0, int32_t *month, int32_t *hod)
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    for (size_t h = 0; h < H; ++h) {
        size_t day = h / 24, k = 0;
        while (k < 11 && day >= (size_t)mdays[(m0 + k) % 12])
            day -= (size_t)mdays[(m0 + k++) % 12];
        month[h] = (int32_t)((m0 + k) % 12 + 1);
        hod[h] = (int32_t)(h % 24);
    }
}

static int write_profiles(wctx_t *c, hid_t f, const results_t *r, const int32_t *year)
{
    const size_t Y = r->years, H = r->hours;
    hid_t g = group_create(f, "profiles");
    if (g < 0)
        return fail(c, "profiles");
    int32_t *hour = iota32(H, 0), *month = malloc(H * sizeof *month),
            *hod = malloc(H * sizeof *hod);
    double *lolp = malloc(Y * H * sizeof *lolp);
    coord_t ks = {0}, ky = {0}, kh = {0};
    int rc = hour && month && hod && lolp ? GR_OK : oom(c);
    if (!rc) {
        const int sm = c->meta->start_month;
        hour_labels(H, sm >= 1 && sm <= 12 ? (size_t)sm - 1 : 0, month, hod);
        rc = coord_strings(c, g, "scenario", (const char *const *)r->scen_names, r->n_scen,
                           "scenario", &ks);
    }
    if (!rc)
        rc = coord_ints(c, g, "year", year, Y, "1", "calendar year", &ky);
    if (!rc)
        rc = coord_ints(c, g, "hour", hour, H, "h", "hour of the simulated year", &kh);
    /* month and hour_of_day label the hour axis: non-dimension coordinates,
     * named in lolp's `coordinates` attribute as CF asks */
    const char *aux[2][3] = {{"month", "1", "month of the year (365-day calendar)"},
                             {"hour_of_day", "h", "hour of the day"}};
    const int32_t *auxv[2] = {month, hod};
    for (int k = 0; !rc && k < 2; ++k) {
        dset_t d;
        const hsize_t n = H;
        if ((rc = dset_create(c, g, aux[k][0], H5T_STD_I32LE, 1, &n, 0, &d)))
            break;
        rc = dset_write_all(c, &d, H5T_NATIVE_INT32, auxv[k]);
        rc = dset_close(c, &d, &kh.id, aux[k][1], aux[k][2], rc);
    }
    if (!rc) {
        const hid_t scales[3] = {ks.id, ky.id, kh.id};
        const hsize_t dims[3] = {r->n_scen, Y, H};
        dset_t d;
        if (!(rc = dset_create(c, g, "lolp", H5T_IEEE_F64LE, 3, dims, 1, &d))) {
            for (size_t s = 0; !rc && s < r->n_scen; ++s) {
                const int64_t *lc = r->lol_count + s * Y * H;
                for (size_t i = 0; i < Y * H; ++i)
                    lolp[i] = (double)lc[i] / (double)r->trials;
                rc = dset_write_block(c, &d, s, lolp);
            }
            if (!rc && attr_str(d.id, "coordinates", "month hour_of_day"))
                rc = fail(c, "coordinates attribute");
            rc = dset_close(c, &d, scales, "1",
                            "loss-of-load probability: share of trials "
                            "with loss of load in the hour",
                            rc);
        }
    }
    rc = coord_close(c, &ks, rc);
    rc = coord_close(c, &ky, rc);
    rc = coord_close(c, &kh, rc);
    free(hour);
    free(month);
    free(hod);
    free(lolp);
    if (H5Gclose(g) < 0 && !rc)
        rc = fail(c, "profiles");
    return rc;
}

int h5out_summarize(const stats_src_t *src, double *out)
{
    size_t pos = 0;
    if (stats_summarize_src(src, out, &pos))
        return -1;
    out[H5OUT_STAT_P_POSITIVE] = (double)pos / (double)src->n;
    return 0;
}

/* --- the trials' horizon averages ---------------------------------------- */

/* Each trial's horizon average (results_horizon_avg) of every metric of
 * every scenario, of its paired difference for every scenario but the
 * baseline, and of every driver: a column of T values each, kept as the
 * blocks arrive in an unlinked scratch file beside the output. The summary
 * (three or four passes; up to eleven below 65,536 trials) and the sensitivity read them back a run
 * at a time, so neither needs the trials in memory: the file's pages are the kernel's to keep or
 * drop, and the file goes with the process, whatever ends it.
 *
 * A column is kept in pages of COL_PAGE trials (page k: trials [k P,
 * (k + 1) P), the summary's runs), each coded without its +0.0 values
 * (kernels/wpack.h) in a slot of its own at (col pages + k) COL_SLOT bytes.
 * Only the coded bytes are written: the rest of a slot stays a hole, which
 * takes neither disk nor page cache, so a column of mostly zeros (RBTS's)
 * costs a fifth of its 8 bytes a trial (RBTS's three: 9 MB for 2 million trials). A block that ends
 * within a page leaves the page coded as far as it goes; the next block reads it back and writes it
 * again, longer. So page k's slot always codes min(P, written - k P) values, and a reader knows its
 * length. */
enum {
    COL_PAGE = STATS_RUN,
    COL_CODE = COL_PAGE / 64 + COL_PAGE, /* a page's words coded at most */
    COL_SLOT = (COL_CODE * 8 + 4095) / 4096 * 4096,
};

/* The column of metric m of scenario s (its paired difference when delta),
 * of driver m when s == SIZE_MAX; SIZE_MAX for the baseline's difference,
 * which is 0 in every trial (a - a), and kept nowhere. */
static size_t col_index(size_t S, size_t M, size_t s, size_t m, int delta)
{
    if (s == SIZE_MAX)
        return (2 * S - 1) * M + m;
    if (delta)
        return s ? S * M + (s - 1) * M + m : SIZE_MAX;
    return s * M + m;
}

/* Reads (write: writes) n bytes at off, through EINTR and short transfers;
 * the bytes moved, short only when a read meets the file's end, or -1. */
static ssize_t pio_all(int fd, void *buf, size_t n, uint64_t off, int write)
{
    unsigned char *p = buf;
    size_t done = 0;
    while (done < n) {
        const ssize_t k = write ? pwrite(fd, p + done, n - done, (off_t)(off + done))
                                : pread(fd, p + done, n - done, (off_t)(off + done));
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0 || (k == 0 && write))
            return -1;
        if (k == 0)
            break;
        done += (size_t)k;
    }
    return (ssize_t)done;
}

/* The columns' scratch file and the buffers of one page. */
typedef struct {
    int fd;
    double *page;   /* COL_PAGE values */
    uint64_t *code; /* COL_CODE words: a page coded */
    uint64_t pages; /* a column's: its slots */
    size_t guess;   /* values a page keeps, read with its masks: the last page's and a margin */
} cols_t;

static uint64_t slot_off(const cols_t *w, size_t col, uint64_t k)
{
    return ((uint64_t)col * w->pages + k) * COL_SLOT;
}

/* Values of the page from trial p0 that come before trial end (> p0). */
static size_t page_len(uint64_t p0, uint64_t end)
{
    return end - p0 < COL_PAGE ? (size_t)(end - p0) : COL_PAGE;
}

/* Page k of column col, coded as its first n values, into w->code (its
 * masks, then the values it kept); how many values it kept, or -1. */
static ssize_t page_read(cols_t *w, size_t col, uint64_t k, size_t n)
{
    const uint64_t off = slot_off(w, col, k);
    /* the masks, and as many values as the last page read kept and a
     * sixteenth more (a column's pages are read in turn, and alike): most
     * pages in one read, without reading a page's whole slot; the slot's
     * end may be the file's, so that read may come short */
    const size_t nm = wpack_masks(n), first = nm + (w->guess < n ? w->guess : n);
    const ssize_t got = pio_all(w->fd, w->code, first * 8, off, 0);
    if (got < 0 || (size_t)got < nm * 8)
        return -1;
    const size_t kept = wpack_kept(w->code, n), words = nm + kept;
    if (words * 8 > (size_t)got) {
        const size_t rest = words * 8 - (size_t)got;
        if (pio_all(w->fd, (unsigned char *)w->code + got, rest, off + (uint64_t)got, 0) !=
            (ssize_t)rest)
            return -1;
    }
    w->guess = kept + kept / 16 + 16;
    return (ssize_t)kept;
}

/* Page k of column col, coded as its first n values, into x[0..n). */
static int page_load(cols_t *w, size_t col, uint64_t k, size_t n, double *x)
{
    if (page_read(w, col, k, n) < 0)
        return -1;
    wpack_decode(w->code, n, x);
    return 0;
}

static int page_store(cols_t *w, size_t col, uint64_t k, size_t n, const double *x)
{
    const size_t bytes = wpack_encode(x, n, w->code) * 8;
    return pio_all(w->fd, w->code, bytes, slot_off(w, col, k), 1) == (ssize_t)bytes ? 0 : -1;
}

/* Trials [t0, t0 + n) of column col into out, of the written trials [0,
 * written). */
static int col_read(cols_t *w, uint64_t written, size_t col, uint64_t t0, size_t n, double *out)
{
    if (col == SIZE_MAX) {
        for (size_t i = 0; i < n; ++i)
            out[i] = 0.0;
        return 0;
    }
    while (n > 0) {
        const uint64_t k = t0 / COL_PAGE, p0 = k * COL_PAGE;
        const size_t len = page_len(p0, written);
        const size_t a = (size_t)(t0 - p0), m = n < len - a ? n : len - a;
        if (a == 0 && m == len) { /* a whole page: the summary's runs */
            if (page_load(w, col, k, len, out))
                return -1;
        } else {
            if (page_load(w, col, k, len, w->page))
                return -1;
            memcpy(out, w->page + a, m * sizeof *out);
        }
        out += m;
        t0 += m;
        n -= m;
    }
    return 0;
}

typedef struct {
    cols_t *w;
    uint64_t written;
    size_t col;
    int failed; /* a read failed: the summary is void */
} col_src_t;

/* The summary's source (stats_src_t.fill_kept): a run of the summary is a
 * page (STATS_RUN == COL_PAGE), whose kept values are copied straight from
 * its coding: the passes take its +0.0 values in bulk. */
static size_t col_kept(void *ctx, size_t i0, size_t len, double *buf)
{
    col_src_t *h = ctx;
    const uint64_t k = i0 / COL_PAGE, p0 = k * COL_PAGE;
    const size_t n = page_len(p0, h->written);
    const ssize_t kept = i0 == p0 && len == n ? page_read(h->w, h->col, k, n) : -1;
    if (kept < 0) { /* a failed read (or a run that is not a page): the summary is void */
        h->failed = 1;
        return 0;
    }
    memcpy(buf, h->w->code + wpack_masks(n), (size_t)kept * sizeof *buf);
    return (size_t)kept;
}

/* Appends trials [from, to) (the written trials being [0, from)) of every
 * column, from r's rows: each page they reach is coded again from its
 * start, a page begun by the last block read back first. */
static int col_write(cols_t *w, const results_t *r, uint64_t from, uint64_t to)
{
    const size_t S = r->n_scen, M = r->n_metrics, Y = r->years;
    double *page = w->page;
    for (size_t s = 0; s <= S; ++s) /* s == S: the drivers */
        for (size_t m = 0; m < (s < S ? M : r->n_drivers); ++m)
            for (int delta = 0; delta <= (s > 0 && s < S); ++delta) {
                const size_t col = col_index(S, M, s < S ? s : SIZE_MAX, m, delta);
                for (uint64_t t = from; t < to;) {
                    const uint64_t k = t / COL_PAGE, p0 = k * COL_PAGE;
                    const size_t a = (size_t)(t - p0), b = page_len(p0, to);
                    if (a && page_load(w, col, k, a, page))
                        return -1;
                    /* trial t's rows, and the baseline's (read only for a
                     * paired difference): Y values a trial, trials in order */
                    const double *x = s < S ? results_at(r, s, m, t) : results_driver_at(r, m, t);
                    const double *x0 = s < S ? results_at(r, 0, m, t) : x;
                    if (Y == 1) /* the same call with Y a constant: a vector loop */
                        for (size_t j = a; j < b; ++j)
                            page[j] = results_horizon_avg(x + (j - a), x0 + (j - a), 1, delta);
                    else
                        for (size_t j = a; j < b; ++j)
                            page[j] =
                                results_horizon_avg(x + (j - a) * Y, x0 + (j - a) * Y, Y, delta);
                    if (page_store(w, col, k, b, page))
                        return -1;
                    t = p0 + b;
                }
            }
    return 0;
}

static int write_summary(wctx_t *c, hid_t f, const results_t *r, cols_t *cols)
{
    const size_t T = r->trials, S = r->n_scen;
    hid_t g = group_create(f, "summary");
    if (g < 0)
        return fail(c, "summary");
    double *st = malloc(S * H5OUT_N_STATS * sizeof *st);
    coord_t ks = {0}, kst = {0};
    int rc = st ? GR_OK : oom(c);
    if (!rc)
        rc =
            coord_strings(c, g, "scenario", (const char *const *)r->scen_names, S, "scenario", &ks);
    if (!rc)
        rc = coord_strings(c, g, "stat", h5out_stat_names, H5OUT_N_STATS,
                           "statistic over "
                           "trials of each trial's horizon average",
                           &kst);
    if (!rc)
        rc = write_sweep_coords(c, g, ks.id, S);
    const hid_t scales[2] = {ks.id, kst.id};
    const hsize_t dims[2] = {S, H5OUT_N_STATS};
    for (size_t m = 0; !rc && m < r->n_metrics; ++m)
        for (int delta = 0; !rc && delta < 2; ++delta) {
            for (size_t s = 0; !rc && s < S; ++s) {
                col_src_t h = {cols, T, col_index(S, r->n_metrics, s, m, delta), 0};
                const stats_src_t src = {&h, NULL, T, NULL, col_kept};
                if (h.col == SIZE_MAX) /* the baseline's difference, 0 in every trial: each
                                          statistic is +0, what the passes over its T zeros
                                          would give (an RBTS run's summary spent a third
                                          of its time there) */
                    memset(st + s * H5OUT_N_STATS, 0, H5OUT_N_STATS * sizeof *st);
                else if (h5out_summarize(&src, st + s * H5OUT_N_STATS))
                    rc = oom(c);
                else if (h.failed)
                    rc = fail(c, "reading the trials' horizon averages back");
            }
            if (rc)
                break;
            char name[128], desc[512];
            snprintf(name, sizeof name, "%s%s", r->metrics[m].name, delta ? "_delta" : "");
            snprintf(desc, sizeof desc, "%s%s", r->metrics[m].desc,
                     delta ? " (paired difference: scenario - baseline)" : "");
            dset_t d;
            if ((rc = dset_create(c, g, name, H5T_IEEE_F64LE, 2, dims, 0, &d)))
                break;
            rc = dset_write_all(c, &d, H5T_NATIVE_DOUBLE, st);
            rc = sweep_coords_attr(c, d.id, rc);
            rc = dset_close(c, &d, scales, r->metrics[m].unit, desc, rc);
        }
    rc = coord_close(c, &ks, rc);
    rc = coord_close(c, &kst, rc);
    free(st);
    if (H5Gclose(g) < 0 && !rc)
        rc = fail(c, "summary");
    return rc;
}

static int root_attrs(wctx_t *c, hid_t f, const results_t *r)
{
    const h5out_meta_t *m = c->meta;
    char source[128], history[1024], created[32], seed[16];
    const time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", &tm);
    snprintf(source, sizeof source, "gridrisk %s", m->version);
    snprintf(history, sizeof history, "%s %s", created,
             m->history ? m->history : "gridrisk (library call)");
    snprintf(seed, sizeof seed, "%u", r->seed);
    const char *none = "";
    int rc =
        attr_i32(f, "format_version", H5OUT_FORMAT_VERSION) ||
        attr_str(f, "Conventions", "CF-1.8") ||
        attr_str(f, "title", m->title ? m->title : m->scenario_name) ||
        attr_str(f, "source", source) || attr_str(f, "history", history) ||
        attr_str(f, "git_revision", m->git_revision ? m->git_revision : "unknown") ||
        attr_str(f, "creation_time", created) ||
        attr_str(f, "model",
                 r->n_drivers ? "pakistan"
                 : r->n_steps ? "network"
                              : "adequacy") ||
        attr_str(f, "scenario_name", m->scenario_name) ||
        attr_str(f, "scenario_yaml", m->scenario_yaml) ||
        attr_strs(f, "input_files", m->n_inputs ? m->input_files : &none,
                  m->n_inputs ? m->n_inputs : 1, 0) ||
        attr_strs(f, "input_sha256", m->n_inputs ? m->input_sha256 : &none,
                  m->n_inputs ? m->n_inputs : 1, 0) ||
        attr_str(f, "seed", seed) || attr_i32(f, "trials", (long long)r->trials) ||
        attr_i32(f, "years", (long long)r->years) ||
        /* a network run's period is steps of any length (PRAS's toy
         * system: 5 minutes), so its step count is not hours per year */
        (r->n_steps ? attr_i32(f, "steps", (long long)r->n_steps) ||
                          attr_num(f, "step_hours", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &m->step_h)
                    : attr_i32(f, "hours_per_year", (long long)r->hours)) ||
        attr_i32(f, "start_year", m->start_year ? m->start_year : 1) ||
        (!r->n_steps && attr_i32(f, "start_month", m->start_month ? m->start_month : 1)) ||
        attr_i32(f, "threads", r->threads) || attr_i32(f, "ranks", r->ranks) ||
        attr_num(f, "wall_time_s", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &r->wall_s);
    return rc ? fail(c, "root attributes") : GR_OK;
}

/* Per step and area (network runs): shortfall probability and expected
 * unserved energy with their standard errors, (scenario, step, area); the
 * step coordinate is the time since the period's start, in hours. */
static int write_by_step(wctx_t *c, hid_t f, const results_t *r)
{
    const size_t N = r->n_steps, A = r->n_area;
    hid_t g = group_create(f, "by_step");
    if (g < 0)
        return fail(c, "by_step");
    double *hours = malloc(N * sizeof *hours);
    const char **areas = malloc(A * sizeof *areas);
    coord_t ks = {0}, kn = {0}, ka = {0};
    int rc = hours && areas ? GR_OK : oom(c);
    if (!rc) {
        for (size_t t = 0; t < N; ++t)
            hours[t] = (double)t * c->meta->step_h;
        for (size_t k = 0; k + 1 < A; ++k)
            areas[k] = r->region.names[k];
        areas[A - 1] = H5OUT_SYSTEM_AREA;
        rc = coord_strings(c, g, "scenario", (const char *const *)r->scen_names, r->n_scen,
                           "scenario", &ks);
    }
    if (!rc)
        rc = coord_make(c, g, "step", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, N, hours,
                        c->meta->step_units ? c->meta->step_units : "h", "start of the time step",
                        &kn);
    if (!rc)
        rc = coord_strings(c, g, "area", areas, A, "region, or the whole system", &ka);
    const hid_t scales[3] = {ks.id, kn.id, ka.id};
    const hsize_t dims[3] = {r->n_scen, N, A};
    const struct {
        const char *name, *unit, *desc;
        const double *v;
    } sets[4] = {
        {"lolp", "1", "share of trials with unserved load in the step", r->step_lolp},
        {"lolp_se", "1", "standard error of lolp", r->step_lolp_se},
        {"eue_mwh", "MWh", "expected unserved energy in the step", r->step_eue},
        {"eue_mwh_se", "MWh", "standard error of eue_mwh", r->step_eue_se},
    };
    for (int k = 0; !rc && k < 4; ++k) {
        dset_t d;
        if ((rc = dset_create(c, g, sets[k].name, H5T_IEEE_F64LE, 3, dims, 1, &d)))
            break;
        rc = dset_write_block(c, &d, 0, sets[k].v);
        rc = dset_close(c, &d, scales, sets[k].unit, sets[k].desc, rc);
    }
    if (!rc) {
        const hsize_t n = A;
        dset_t d;
        if (!(rc = dset_create(c, g, "demand_mwh", H5T_IEEE_F64LE, 1, &n, 0, &d))) {
            rc = dset_write_all(c, &d, H5T_NATIVE_DOUBLE, r->area_demand_mwh);
            rc =
                dset_close(c, &d, &ka.id, "MWh", "demand over the simulated period (for NEUE)", rc);
        }
    }
    rc = coord_close(c, &ks, rc);
    rc = coord_close(c, &kn, rc);
    rc = coord_close(c, &ka, rc);
    free(hours);
    free(areas);
    if (H5Gclose(g) < 0 && !rc)
        rc = fail(c, "by_step");
    return rc;
}

/* Names of a static metric table, for a coordinate; NULL when out of memory. */
static const char **info_names(const metric_info_t *info, size_t n)
{
    const char **v = malloc((n ? n : 1) * sizeof *v);
    for (size_t i = 0; v && i < n; ++i)
        v[i] = info[i].name;
    return v;
}

/* What drives the results (model/sens.h): rank correlations and the
 * tornado by (scenario, metric, driver); with a Sobol design, the indices
 * and their intervals by (scenario, metric, group). NaN where an index is
 * undefined (a constant quantity, e.g. the baseline's paired difference). */
static int write_sensitivity(wctx_t *c, hid_t f, const results_t *r)
{
    const results_sens_t *z = &r->sens;
    const size_t S = r->n_scen, M = r->n_metrics;
    hid_t g = group_create(f, "sensitivity");
    if (g < 0)
        return fail(c, "sensitivity");
    const char **mn = info_names(r->metrics, M), **dn = info_names(r->drivers, z->n_drivers);
    const char **gn = info_names(z->groups, z->n_groups);
    coord_t ks = {0}, km = {0}, kd = {0}, kg = {0};
    int rc = mn && dn && gn ? GR_OK : oom(c);
    if (!rc)
        rc =
            coord_strings(c, g, "scenario", (const char *const *)r->scen_names, S, "scenario", &ks);
    if (!rc)
        rc = coord_strings(c, g, "metric", mn, M,
                           "the metric (each trial's horizon mean; paired difference against "
                           "the baseline but for the baseline itself)",
                           &km);
    if (!rc)
        rc = coord_strings(c, g, "driver", dn, z->n_drivers,
                           "sampled input (each trial's horizon mean, /parameters)", &kd);
    if (!rc && z->sobol_base)
        rc = coord_strings(c, g, "group", gn, z->n_groups,
                           "independent group of random streams (model/sens.h)", &kg);
    if (!rc)
        rc = write_sweep_coords(c, g, ks.id, S);
    const struct {
        const char *name, *desc;
        const double *v;
        int sobol;
    } sets[] = {
        {"rank_corr", "Spearman's rank correlation of the metric with the driver over trials",
         z->rank_corr, 0},
        /* no units attribute: the metric axis mixes them */
        {"tornado_low",
         "mean of the metric over the trials with the driver in its lowest tenth, in the "
         "metric's own units (its variable's at the root)",
         z->tornado_low, 0},
        {"tornado_high",
         "mean of the metric over the trials with the driver in its highest tenth, in the "
         "metric's own units (its variable's at the root)",
         z->tornado_high, 0},
        {"sobol_first", "first-order Sobol index: share of the variance the group explains alone",
         z->s1, 1},
        {"sobol_first_lo", "lower end of sobol_first's confidence interval", z->s1_lo, 1},
        {"sobol_first_hi", "upper end of sobol_first's confidence interval", z->s1_hi, 1},
        {"sobol_total",
         "total Sobol index: share of the variance the group explains with its "
         "interactions",
         z->st, 1},
        {"sobol_total_lo", "lower end of sobol_total's confidence interval", z->st_lo, 1},
        {"sobol_total_hi", "upper end of sobol_total's confidence interval", z->st_hi, 1},
    };
    for (size_t k = 0; !rc && k < sizeof sets / sizeof *sets; ++k) {
        if (sets[k].sobol && !z->sobol_base)
            continue;
        const hsize_t dims[3] = {S, M, sets[k].sobol ? z->n_groups : z->n_drivers};
        const hid_t scales[3] = {ks.id, km.id, sets[k].sobol ? kg.id : kd.id};
        dset_t d;
        if ((rc = dset_create(c, g, sets[k].name, H5T_IEEE_F64LE, 3, dims, 0, &d)))
            break;
        rc = dset_write_all(c, &d, H5T_NATIVE_DOUBLE, sets[k].v);
        rc = sweep_coords_attr(c, d.id, rc);
        rc = dset_close(c, &d, scales, sets[k].sobol || k == 0 ? "1" : NULL, sets[k].desc, rc);
    }
    if (!rc && z->sobol_base &&
        (attr_i32(g, "sobol_base_points", (long long)z->sobol_base) ||
         attr_i32(g, "sobol_bootstrap_resamples", z->sobol_boot) ||
         attr_num(g, "sobol_confidence", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &z->sobol_conf) ||
         attr_num(g, "sobol_wall_s", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &z->sobol_wall_s) ||
         attr_str(g, "sobol_design",
                  "Saltelli pick-freeze on the run's random streams: A and B are trials "
                  "[0, N) and [N, 2N); AB_i takes group i from B and the rest from A "
                  "(docs/MODEL.md s.8b)")))
        rc = fail(c, "sensitivity attributes");
    rc = coord_close(c, &ks, rc);
    rc = coord_close(c, &km, rc);
    rc = coord_close(c, &kd, rc);
    rc = coord_close(c, &kg, rc);
    free(mn);
    free(dn);
    free(gn);
    if (H5Gclose(g) < 0 && !rc)
        rc = fail(c, "sensitivity");
    return rc;
}

/* --- the writer ----------------------------------------------------------- */

/* A group of per-trial datasets, open from h5out_open to h5out_finish: the
 * root's metrics (scenario, trial, year), /parameters' drivers (trial,
 * year), or a split (scenario, trial, year, member). */
enum { TAB_MAX = 5 };

typedef struct {
    hid_t g;                   /* its group (the file, for the root) */
    const char *group;         /* its group's name (NULL: the root) */
    const char *name;          /* the group's, for messages */
    coord_t k[DSET_MAX_RANK];  /* its axes' scales, in axis order */
    int rank;                  /* of its datasets */
    int lead;                  /* 1: a scenario axis first */
    const results_split_t *sp; /* a split's (else NULL) */
    const metric_info_t *info; /* [n] */
    size_t n, n_open;          /* datasets, and how many are created */
    dset_t *d;
} table_t;

struct h5out {
    wctx_t c;
    char path[OUTPATH_MAX], tmp[OUTPATH_MAX];
    hid_t f;
    H5E_auto2_t old_fn;
    void *old_data;
    int32_t *year;
    table_t tab[TAB_MAX];
    size_t n_tab;
    cols_t cols;
    size_t n_scen, n_metrics;
    uint64_t trials;  /* the run's: the columns' length */
    uint64_t written; /* trials [0, written) are in the file (across ranks: rank 0's columns) */
    /* Across MPI ranks (h5out_sink_t.shared): the file is open on every rank
     * and each writes its own blocks; owner: this process renames or removes
     * the temporary (rank 0; on one rank, always). */
    int shared, owner;
    int made;       /* the temporary exists (this process created it) */
    int failed;     /* across ranks: an HDF5 call of this rank failed on the shared file */
    int *left_open; /* across ranks: set to 1 when share_close leaves the file open
                     * (h5out_sink_t.left_open) */
};

/* HDF5's automatic error handler belongs to the calling thread (in a
 * threadsafe build), and a streamed run's blocks are written from whichever
 * thread the harness's single picks: each entry point installs ours for its
 * own calls (we report errors ourselves, with their system cause) and puts
 * the caller's back. */
static void h5_enter(h5out_t *w)
{
    H5Eget_auto2(H5E_DEFAULT, &w->old_fn, &w->old_data);
    H5Eset_auto2(H5E_DEFAULT, on_h5_error, &w->c);
}

static void h5_leave(const h5out_t *w) { H5Eset_auto2(H5E_DEFAULT, w->old_fn, w->old_data); }

static const double *tab_rows(const table_t *t, const results_t *r, size_t q, size_t s,
                              uint64_t from)
{
    if (t->sp)
        return results_split_at(r, t->sp, q, s, from);
    return t->lead ? results_at(r, s, q, from) : results_driver_at(r, q, from);
}

/* Creates a table's group (unless root), its coordinates and datasets. */
static int tab_open(h5out_t *w, table_t *t, const results_t *r)
{
    wctx_t *c = &w->c;
    const char *group = t->group;
    t->name = group ? group : "/";
    t->g = group ? group_create(w->f, group) : w->f;
    if (t->g < 0) {
        t->g = 0;
        return fail(c, group);
    }
    t->d = calloc(t->n ? t->n : 1, sizeof *t->d);
    if (!t->d)
        return oom(c);
    int rc = GR_OK, a = 0;
    const char *trial_desc =
        t->lead && !t->sp ? "trial index (keys its random streams)" : "trial index";
    if (t->lead)
        rc = coord_strings(c, t->g, "scenario", (const char *const *)r->scen_names, r->n_scen,
                           "scenario", &t->k[a++]);
    if (!rc)
        rc = coord_ints(c, t->g, "trial", NULL, r->trials, "1", trial_desc, &t->k[a++]);
    if (!rc)
        rc = coord_ints(c, t->g, "year", w->year, r->years, "1", "calendar year", &t->k[a++]);
    if (!rc && t->sp)
        rc = coord_strings(c, t->g, t->sp->dim, (const char *const *)t->sp->names, t->sp->n,
                           t->sp->dim_desc, &t->k[a++]);
    if (!rc && t->lead && !t->sp)
        rc = write_sweep_coords(c, t->g, t->k[0].id, r->n_scen);
    hsize_t dims[DSET_MAX_RANK];
    a = 0;
    if (t->lead)
        dims[a++] = r->n_scen;
    dims[a++] = r->trials;
    dims[a++] = r->years;
    if (t->sp)
        dims[a++] = t->sp->n;
    t->rank = a;
    while (!rc && t->n_open < t->n)
        if (!(rc = dset_create(c, t->g, t->info[t->n_open].name, H5T_IEEE_F64LE, t->rank, dims,
                               t->lead, &t->d[t->n_open])))
            ++t->n_open; /* only a created one is closed */
    return rc;
}

/* Trials [from, to) of every dataset of t: one hyperslab per scenario,
 * straight from the results' rows. */
static int tab_write(wctx_t *c, const table_t *t, const results_t *r, uint64_t from, uint64_t to)
{
    const size_t S = t->lead ? r->n_scen : 1;
    int rc = GR_OK;
    for (size_t q = 0; q < t->n; ++q)
        for (size_t s = 0; s < S; ++s) {
            dset_t *d = &t->d[q];
            if (direct(c, d, H5T_NATIVE_DOUBLE)) { /* whole chunks of our own */
                if (from < to && (rc = dset_put(c, d, s, from, to, tab_rows(t, r, q, s, from))))
                    return rc;
                continue;
            }
            hsize_t start[DSET_MAX_RANK] = {0}, count[DSET_MAX_RANK];
            for (int i = 0; i < d->rank; ++i)
                count[i] = d->dims[i];
            const int ax = t->lead; /* the trial axis */
            if (t->lead) {
                start[0] = s;
                count[0] = 1;
            }
            start[ax] = from;
            count[ax] = to - from;
            /* The rows in memory have the selection's shape, so HDF5 maps
             * them to chunks a hyperslab at a time; a flat memory space (the
             * first layout) made it visit every element (H5S_select_iterate:
             * 0.15 s of a 4 s RBTS run of 2,000,000 trials). No trials: a rank's part in a
             * collective write it has nothing for. */
            const hsize_t one = 1;
            const hid_t mem = from < to ? H5Screate_simple(d->rank, count, NULL)
                                        : H5Screate_simple(1, &one, NULL);
            const herr_t sel =
                from < to ? H5Sselect_hyperslab(d->space, H5S_SELECT_SET, start, NULL, count, NULL)
                          : H5Sselect_none(d->space) | H5Sselect_none(mem);
            const herr_t e = mem < 0 || sel < 0 ||
                                     H5Dwrite(d->id, H5T_NATIVE_DOUBLE, mem, d->space, c->xfer,
                                              from < to ? tab_rows(t, r, q, s, from) : NULL) < 0
                                 ? -1
                                 : 0;
            if (mem >= 0)
                H5Sclose(mem);
            /* across ranks every rank makes every collective call, even
             * after a failure of its own (the first one is reported) */
            if (e && !rc)
                rc = fail(c, t->info[q].name);
            if (rc && c->xfer == H5P_DEFAULT)
                return rc;
        }
    return rc;
}

/* Closes t's datasets (their scales, units and names attached), its
 * coordinates and its group; every id is closed whatever rc. t keeps its
 * datasets' array (tab_close frees it). */
static int tab_shut(wctx_t *c, table_t *t, int rc)
{
    for (size_t q = 0; q < t->n_open; ++q) {
        hid_t scales[DSET_MAX_RANK];
        for (int i = 0; i < t->rank; ++i)
            scales[i] = t->k[i].id;
        if (t->lead && !t->sp)
            rc = sweep_coords_attr(c, t->d[q].id, rc);
        rc = dset_close(c, &t->d[q], scales, t->info[q].unit, t->info[q].desc, rc);
    }
    t->n_open = 0;
    for (int i = 0; i < DSET_MAX_RANK; ++i)
        rc = coord_close(c, &t->k[i], rc);
    if (t->g > 0 && t->group && H5Gclose(t->g) < 0 && !rc)
        rc = fail(c, t->name);
    t->g = 0;
    return rc;
}

static int tab_close(wctx_t *c, table_t *t, int rc)
{
    rc = tab_shut(c, t, rc);
    free(t->d);
    t->d = NULL;
    return rc;
}

/* Closes everything w holds and frees it; removes the temporary unless
 * rc is 0, then renames it over the path. Returns rc or the close's error. */
static int writer_end(h5out_t *w, int rc)
{
    for (size_t i = 0; i < w->n_tab; ++i)
        rc = tab_close(&w->c, &w->tab[i], rc);
    if (w->f > 0 && H5Fclose(w->f) < 0 && !rc)
        rc = fail(&w->c, "close");
    h5_leave(w);
    libdeflate_free_compressor(w->c.z);
    zrun_free(w->c.zr);
    free(w->c.shuf);
    free(w->c.zout);
    if (!rc && w->owner && rename(w->tmp, w->path) != 0)
        rc = gr_err_set(w->c.err, GR_ERUNTIME, "%s: cannot rename %s into place: %s", w->path,
                        w->tmp, strerror(errno));
    if (rc && w->made && w->owner)
        unlink(w->tmp);
    if (w->cols.fd >= 0)
        close(w->cols.fd);
    free(w->year);
    free(w->cols.page);
    free(w->cols.code);
    free(w);
    return rc;
}

/* Seconds to sleep before the last writes, from the test hook
 * GRIDRISK_TEST_PAUSE_IN_WRITE (tests/test_cli.c signals the process then);
 * 0 when unset. Never set it outside tests. */
static unsigned test_pause_s(void)
{
    const char *s = getenv("GRIDRISK_TEST_PAUSE_IN_WRITE");
    const long v = s ? strtol(s, NULL, 10) : 0;
    return v > 0 && v < 3600 ? (unsigned)v : 0;
}

/* The root's metrics, the drivers, the splits: the file's order. */
static void tables_init(h5out_t *w, const results_t *r)
{
    w->tab[w->n_tab++] = (table_t){.lead = 1, .info = r->metrics, .n = r->n_metrics};
    if (r->n_drivers)
        w->tab[w->n_tab++] =
            (table_t){.group = "parameters", .info = r->drivers, .n = r->n_drivers};
    const results_split_t *const sp[] = {&r->tech, &r->region, &r->month};
    for (size_t i = 0; i < sizeof sp / sizeof *sp; ++i)
        if (sp[i]->n)
            w->tab[w->n_tab++] = (table_t){.group = sp[i]->group,
                                           .lead = 1,
                                           .sp = sp[i],
                                           .info = sp[i]->info,
                                           .n = sp[i]->n_q};
}

/* h5out_open; early: for a file MPI ranks will share (wctx_t.early). */
static int open_file(h5out_t **out, const char *path, const results_t *r, const h5out_meta_t *meta,
                     int early, gr_err_t *err)
{
    *out = NULL;
    h5out_t *w = calloc(1, sizeof *w);
    if (!w)
        return gr_err_set(err, GR_ERUNTIME, "out of memory");
    w->cols.fd = -1;
    w->owner = 1;
    if (outpath_tmp(w->tmp, sizeof w->tmp, path) ||
        snprintf(w->path, sizeof w->path, "%s", path) >= (int)sizeof w->path) {
        free(w);
        return gr_err_set(err, GR_EINPUT, "%s: path too long", path);
    }
    if (r->trials > INT32_MAX || r->hours > INT32_MAX) {
        free(w);
        return gr_err_set(err, GR_EINPUT, "%s: more than 2^31 trials or hours", path);
    }
    /*
     * HDF5 1.10 (up to 1.14.0) frees a file's state when H5Fclose fails to
     * flush it (disk full, file too large, I/O error) but leaves its id in
     * the id table; the library's atexit handler then closes that id again
     * and crashes (SIGSEGV after our error message, exit 139 instead of 1;
     * HDFGroup/hdf5 issue 2257, fixed in 1.14.1 by PR 2291). No call can
     * remove the dangling id, so the handler must never run: H5dont_atexit
     * before the library's first use. Nothing is lost: every id is closed
     * on every path below, and the process's exit frees the rest. A no-op
     * if the library is already in use (then this protection is missing).
     */
    H5dont_atexit();
    w->c = (wctx_t){meta, 0, err, w->path, 0, H5P_DEFAULT, early, NULL, NULL, NULL, NULL, 0, 0};
    h5_enter(w);
    if (!early &&
        (!(w->c.z = libdeflate_alloc_compressor(DEFLATE_LEVEL)) || !(w->c.zr = zrun_alloc())))
        return writer_end(w, oom(&w->c));
    /* HDF5 1.8-1.10 object formats: readable by HDF5 1.10 and netCDF-C 4.7 */
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    H5Pset_libver_bounds(fapl, H5F_LIBVER_V18, H5F_LIBVER_V110);
    hid_t fcpl = H5Pcreate(H5P_FILE_CREATE);
    H5Pset_link_creation_order(fcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
    H5Pset_attr_creation_order(fcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
    w->f = H5Fcreate(w->tmp, H5F_ACC_TRUNC, fcpl, fapl);
    H5Pclose(fapl);
    H5Pclose(fcpl);
    if (w->f < 0) {
        const int rc = gr_err_set(err, GR_ERUNTIME, "%s: cannot create: %s", w->tmp,
                                  strerror(w->c.sys_errno ? w->c.sys_errno : errno));
        w->f = 0;
        return writer_end(w, rc);
    }
    w->made = 1;
    /* the columns' scratch, unlinked at once: nothing of it outlives the
     * process, however it ends */
    char cols[OUTPATH_MAX + 8];
    snprintf(cols, sizeof cols, "%s.cols", w->tmp);
    w->cols.fd = open(cols, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (w->cols.fd < 0)
        return writer_end(
            w, gr_err_set(err, GR_ERUNTIME, "%s: cannot create: %s", cols, strerror(errno)));
    unlink(cols);
    w->n_scen = r->n_scen;
    w->n_metrics = r->n_metrics;
    w->trials = r->trials;
    w->year = iota32(r->years, meta->start_year ? meta->start_year : 1);
    w->cols.pages = r->trials / COL_PAGE + (r->trials % COL_PAGE != 0);
    w->cols.page = malloc(COL_PAGE * sizeof *w->cols.page);
    w->cols.code = malloc(COL_CODE * sizeof *w->cols.code);
    if (!w->year || !w->cols.page || !w->cols.code)
        return writer_end(w, oom(&w->c));
    tables_init(w, r);
    int rc = GR_OK;
    for (size_t i = 0; !rc && i < w->n_tab; ++i)
        rc = tab_open(w, &w->tab[i], r);
    if (rc)
        return writer_end(w, rc);
    *out = w;
    return GR_OK;
}

int h5out_open(h5out_t **out, const char *path, const results_t *r, const h5out_meta_t *meta,
               gr_err_t *err)
{
    return open_file(out, path, r, meta, 0, err);
}

/* Refuses a NaN or an infinity: a number that absurd input produced must
 * not reach a result file, where it would read as an answer. */
static int check_finite(const h5out_t *w, const results_t *r, uint64_t from, uint64_t to)
{
    const metric_info_t *what;
    size_t s, y;
    uint64_t t;
    if (!results_find_nonfinite(r, from, to, &what, &s, &t, &y))
        return GR_OK;
    if (s == SIZE_MAX)
        return gr_err_set(w->c.err, GR_ERUNTIME,
                          "%s: not written: driver '%s' is not finite, first at trial %llu, "
                          "year %zu (check the scenario's inputs for absurd values)",
                          w->path, what->name, (unsigned long long)t, y + 1);
    return gr_err_set(w->c.err, GR_ERUNTIME,
                      "%s: not written: metric '%s' of scenario '%s' is not finite, first at "
                      "trial %llu, year %zu (check the scenario's inputs for absurd values)",
                      w->path, what->name, r->scen_names[s], (unsigned long long)t, y + 1);
}

/* The block's place (the next, held in r) and its values (finite); GR_OK
 * or the error. */
static int block_check(h5out_t *w, const results_t *r, uint64_t from, uint64_t to, gr_err_t *err)
{
    w->c.err = err;
    if (from != w->written || to > r->trials || from > to || from < r->t0 || to - r->t0 > r->cap)
        return gr_err_set(err, GR_ERUNTIME, "%s: internal: block [%llu, %llu) out of order",
                          w->path, (unsigned long long)from, (unsigned long long)to);
    return check_finite(w, r, from, to);
}

/* The block's trials' averages into the columns; then it counts as written. */
static int block_cols(h5out_t *w, const results_t *r, uint64_t from, uint64_t to)
{
    if (col_write(&w->cols, r, from, to))
        return gr_err_set(w->c.err, GR_ERUNTIME, "%s: cannot write the trials' averages: %s",
                          w->path, strerror(errno));
    w->written = to;
    return GR_OK;
}

int h5out_block(h5out_t *w, const results_t *r, uint64_t from, uint64_t to, gr_err_t *err)
{
    int rc = block_check(w, r, from, to, err);
    h5_enter(w);
    for (size_t i = 0; !rc && i < w->n_tab; ++i)
        rc = tab_write(&w->c, &w->tab[i], r, from, to);
    h5_leave(w);
    return rc ? rc : block_cols(w, r, from, to);
}

/* --- a file shared by MPI ranks ------------------------------------------ */

/* A streamed run across ranks (h5out_sink_t.shared): rank 0 creates the
 * file as on one rank (h5out_open: every dataset, coordinate, scale and
 * attribute), closes it, and then every rank opens it with HDF5's MPI-IO
 * driver and writes its own blocks of each round into it (collective
 * transfers: the datasets are deflated, and HDF5 compresses each chunk on
 * one of the ranks writing into it); rank 0 writes the trials' averages of
 * every block (the rows still come to it, for the checkpoint). At the end
 * every rank closes the file and rank 0 reopens it alone for the profiles,
 * summary, sensitivity and attributes. Only raw numbers are written in
 * parallel: the structure, the variable-length strings (which HDF5 cannot
 * write in parallel) and the scales are all rank 0's, written alone. */

/* Rank 0, after h5out_open: the tables' scales and attributes attached and
 * every id closed, the datasets' arrays kept for share_open. */
static int park(h5out_t *w)
{
    int rc = GR_OK;
    for (size_t i = 0; i < w->n_tab; ++i)
        rc = tab_shut(&w->c, &w->tab[i], rc);
    if (H5Fclose(w->f) < 0 && !rc)
        rc = fail(&w->c, "close");
    w->f = 0;
    return rc;
}

/* Every rank: the file opened with the MPI-IO driver and the tables'
 * datasets by name. */
static int share_open(h5out_t *w)
{
#ifdef GR_MPI
    wctx_t *c = &w->c;
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    H5Pset_libver_bounds(fapl, H5F_LIBVER_V18, H5F_LIBVER_V110);
    H5Pset_fapl_mpio(fapl, MPI_COMM_WORLD, MPI_INFO_NULL);
    w->f = H5Fopen(w->tmp, H5F_ACC_RDWR, fapl);
    H5Pclose(fapl);
    if (w->f < 0) {
        w->f = 0;
        return fail(c, "opening it on every MPI rank");
    }
    c->xfer = H5Pcreate(H5P_DATASET_XFER);
    if (c->xfer < 0 || H5Pset_dxpl_mpio(c->xfer, H5FD_MPIO_COLLECTIVE) < 0)
        return fail(c, "collective transfer");
    /* every rank opens every dataset (collective), even after a failure */
    int rc = GR_OK;
    for (size_t i = 0; i < w->n_tab; ++i) {
        table_t *t = &w->tab[i];
        for (size_t q = 0; q < t->n; ++q) {
            dset_t *d = &t->d[t->n_open];
            char name[512];
            snprintf(name, sizeof name, "/%s%s%s", t->group ? t->group : "", t->group ? "/" : "",
                     t->info[q].name);
            d->id = H5Dopen2(w->f, name, H5P_DEFAULT);
            d->space = d->id < 0 ? -1 : H5Dget_space(d->id);
            d->rank = d->space < 0 ? -1 : H5Sget_simple_extent_dims(d->space, d->dims, NULL);
            if (d->rank >= 1 && d->rank <= DSET_MAX_RANK) {
                ++t->n_open; /* only an open one is written and closed */
                continue;
            }
            if (d->space >= 0)
                H5Sclose(d->space);
            if (d->id >= 0)
                H5Dclose(d->id);
            rc = rc ? rc : fail(c, t->info[q].name);
        }
    }
    return rc;
#else
    return gr_err_set(w->c.err, GR_ERUNTIME, "%s: internal: a shared file needs the MPI build",
                      w->path);
#endif
}

/* Every rank: whether any rank's HDF5 call on the shared file failed,
 * agreed, then, if none did, the datasets and the file closed (collective);
 * 0 or the error (this rank's, or another's). After a failure nothing is
 * closed (*left_open): a write that failed on one rank can leave the ranks'
 * HDF5 states apart (measured with a file size limit: one rank's H5Fclose
 * waited in a metadata flush's barrier while the other's waited in a
 * truncation's broadcast, forever), so the file stays open (*w->left_open),
 * rank 0 removes its temporary, and the ranks must leave through par_abort
 * (HDF5 would close it in MPI_Finalize, and wait as long). */
static int share_close(h5out_t *w)
{
    int rc = GR_OK, all = par_max_int(w->failed);
    *w->left_open = all != 0;
    if (!all) {
        /* a close that fails on a rank (its last flush: a full disk) leaves
         * an id HDF5 would close again when MPI_Finalize ends it: left open
         * too */
        for (size_t i = 0; i < w->n_tab; ++i) {
            table_t *t = &w->tab[i];
            for (size_t q = 0; q < t->n_open; ++q) {
                if (H5Dclose(t->d[q].id) < 0 && !rc)
                    rc = fail(&w->c, t->info[q].name);
                H5Sclose(t->d[q].space);
            }
        }
        H5Pclose(w->c.xfer);
        if (H5Fclose(w->f) < 0 && !rc)
            rc = fail(&w->c, "close");
        all = par_agree_err(rc, w->c.err);
        *w->left_open = all != 0;
    }
    for (size_t i = 0; i < w->n_tab; ++i)
        w->tab[i].n_open = 0;
    w->c.xfer = H5P_DEFAULT;
    w->f = 0;
    w->shared = 0;
    return all;
}

/* Rank 0, every rank's blocks in: the file reopened by this process alone. */
static int reopen_alone(h5out_t *w)
{
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    H5Pset_libver_bounds(fapl, H5F_LIBVER_V18, H5F_LIBVER_V110);
    w->f = H5Fopen(w->tmp, H5F_ACC_RDWR, fapl);
    H5Pclose(fapl);
    if (w->f >= 0)
        return GR_OK;
    w->f = 0;
    return fail(&w->c, "reopening it after the MPI ranks' writes");
}

int h5out_open_shared(h5out_t **out, const char *path, const results_t *r, const h5out_meta_t *meta,
                      int *left_open, gr_err_t *err)
{
    *out = NULL;
    h5out_t *w = NULL;
    int rc = GR_OK;
    if (par_rank() == 0) {
        rc = open_file(&w, path, r, meta, 1, err);
        if (!rc && (rc = park(w)) != GR_OK) {
            writer_end(w, rc);
            w = NULL;
        }
    } else if (!(w = calloc(1, sizeof *w)))
        rc = gr_err_set(err, GR_ERUNTIME, "out of memory");
    else {
        w->cols.fd = -1;
        snprintf(w->path, sizeof w->path, "%s", path);
        w->c = (wctx_t){meta, 0, err, w->path, 0, H5P_DEFAULT, 1, NULL, NULL, NULL, NULL, 0, 0};
        H5dont_atexit(); /* as in open_file */
        h5_enter(w);
        tables_init(w, r);
        for (size_t i = 0; !rc && i < w->n_tab; ++i)
            if (!(w->tab[i].d = calloc(w->tab[i].n ? w->tab[i].n : 1, sizeof *w->tab[i].d)))
                rc = oom(&w->c);
    }
    /* rank 0 speaks: it takes the first failing rank's message */
    int all = par_agree_err(rc, err);
    if (!all) {
        w->shared = 1; /* from here every rank's w ends with share_close */
        w->left_open = left_open;
        if (par_bcast_bytes(w->tmp, sizeof w->tmp))
            rc = gr_err_set(err, GR_ERUNTIME, "MPI: broadcasting the file's name failed");
        if (!rc)
            w->failed = (rc = share_open(w)) != GR_OK;
        all = par_agree_err(rc, err);
    }
    if (all && !(w && w->shared)) { /* before any collective HDF5 call */
        h5out_abort(w);
        return all;
    }
    /* after one, w goes to h5out_abort, which says whether it was left open */
    *out = w;
    return all;
}

int h5out_block_cols(h5out_t *w, const results_t *r, uint64_t from, uint64_t to, gr_err_t *err)
{
    const int rc = block_check(w, r, from, to, err);
    return rc ? rc : block_cols(w, r, from, to);
}

/* The rank named by the test hook GRIDRISK_TEST_FAIL_SHARED_WRITE, else -1.
 * Never set it outside tests. */
static int test_fail_rank(void)
{
    const char *s = getenv("GRIDRISK_TEST_FAIL_SHARED_WRITE");
    return s && *s ? atoi(s) : -1;
}

int h5out_block_own(h5out_t *w, const results_t *r, uint64_t from, uint64_t to, gr_err_t *err)
{
    w->c.err = err;
    const metric_info_t *what;
    size_t s, y;
    uint64_t t;
    /* a value that is not finite in any rank's block: no rank writes the
     * round (rank 0's h5out_block_cols of that block names it) */
    if (par_max_int(from < to && results_find_nonfinite(r, from, to, &what, &s, &t, &y)))
        return GR_OK;
    h5_enter(w);
    int rc = GR_OK;
    /* every rank makes the same calls, even after a failure of its own */
    for (size_t i = 0; i < w->n_tab; ++i) {
        const int e = tab_write(&w->c, &w->tab[i], r, from, to);
        rc = rc ? rc : e;
    }
    h5_leave(w);
    /* the test hook: a block's write fails on that rank, after its part in
     * the collective calls, as a real failure's can */
    if (!rc && from < to && test_fail_rank() == par_rank())
        rc = gr_err_set(err, GR_ERUNTIME,
                        "%s: HDF5 write failed: test hook GRIDRISK_TEST_FAIL_SHARED_WRITE on MPI "
                        "rank %d",
                        w->path, par_rank());
    w->failed |= rc != GR_OK;
    return rc;
}

int h5out_cols_read(void *ctx, size_t s, size_t m, int delta, uint64_t t0, size_t n, double *out)
{
    h5out_t *w = ctx;
    if (t0 > w->written || n > w->written - t0)
        return -1; /* not written yet */
    return col_read(&w->cols, w->written, col_index(w->n_scen, w->n_metrics, s, m, delta), t0, n,
                    out);
}

int h5out_finish(h5out_t *w, const results_t *r, gr_err_t *err)
{
    wctx_t *c = &w->c;
    c->err = err;
    h5_enter(w);
    if (w->shared) {
        /* every rank's blocks are in: rank 0 goes on with the file alone */
        int rc = share_close(w);
        if (!rc && w->owner)
            rc = reopen_alone(w);
        if (rc || !w->owner)
            return writer_end(w, rc);
    }
    if (w->written != r->trials)
        return writer_end(
            w, gr_err_set(err, GR_ERUNTIME, "%s: internal: %llu of %llu trials written", w->path,
                          (unsigned long long)w->written, (unsigned long long)r->trials));
    /* the whole pause, in tenths of a second: a signal that ThreadSanitizer's
     * runtime defers (it arrived between an interceptor's entry and the
     * system call) is delivered at the next call's exit, so one long sleep
     * could hold it for the whole pause; the line tells the test the run is
     * here */
    const unsigned pause_s = test_pause_s();
    if (pause_s) {
        fprintf(stderr, "gridrisk: test hook: pausing in the write\n");
        fflush(stderr);
    }
    for (unsigned tenth = 0; tenth < 10 * pause_s; ++tenth)
        nanosleep(&(const struct timespec){0, 100000000L}, NULL);
    int rc = GR_OK;
    for (size_t i = 0; i < w->n_tab; ++i)
        rc = tab_close(c, &w->tab[i], rc);
    if (!rc && r->n_steps)
        rc = write_by_step(c, w->f, r);
    else if (!rc)
        rc = write_profiles(c, w->f, r, w->year);
    if (!rc)
        rc = write_summary(c, w->f, r, &w->cols);
    if (!rc && r->sens.n_drivers)
        rc = write_sensitivity(c, w->f, r);
    if (!rc)
        rc = root_attrs(c, w->f, r);
    return writer_end(w, rc);
}

void h5out_abort(h5out_t *w)
{
    if (!w)
        return;
    gr_err_t ignored = {0, {0}};
    w->c.err = &ignored;
    h5_enter(w);
    if (w->shared)
        share_close(w);
    writer_end(w, GR_ERUNTIME);
}

int h5out_write(const char *path, const results_t *r, const h5out_meta_t *meta, gr_err_t *err)
{
    h5out_t *w;
    int rc = h5out_open(&w, path, r, meta, err);
    if (!rc)
        rc = h5out_block(w, r, 0, r->trials, err);
    if (rc) {
        h5out_abort(w);
        return rc;
    }
    return h5out_finish(w, r, err);
}

/* --- the sink of a streamed run ------------------------------------------- */

static int sink_open(void *ctx, const results_t *r, gr_err_t *err)
{
    h5out_sink_t *s = ctx;
    return s->shared ? h5out_open_shared(&s->w, s->path, r, s->meta, &s->left_open, err)
                     : h5out_open(&s->w, s->path, r, s->meta, err);
}

static int sink_write(void *ctx, const results_t *r, uint64_t from, uint64_t to, gr_err_t *err)
{
    h5out_sink_t *s = ctx;
    return s->shared ? h5out_block_cols(s->w, r, from, to, err)
                     : h5out_block(s->w, r, from, to, err);
}

static int sink_write_own(void *ctx, const results_t *r, uint64_t from, uint64_t to, gr_err_t *err)
{
    h5out_sink_t *s = ctx;
    return h5out_block_own(s->w, r, from, to, err);
}

void h5out_sink_init(h5out_sink_t *s, const char *path, const h5out_meta_t *meta)
{
    *s = (h5out_sink_t){.path = path, .meta = meta, .shared = par_size() > 1};
    s->iface = (sim_sink_t){.ctx = s,
                            .open = sink_open,
                            .write = sink_write,
                            .write_own = s->shared ? sink_write_own : NULL};
}
