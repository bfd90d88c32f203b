/*
 * ckpt.c - see ckpt.h.
 */
#include "ckpt.h"

#include <errno.h>
#include <fcntl.h>
#include <libdeflate.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define CKPT_FORMAT 2
#define CKPT_MAX_TEXT (1u << 20) /* a header is a few hundred bytes */
#define CKPT_HEAD 32             /* a record's magic, from, to and n */

static const char HEADER_MAGIC[8] = {'G', 'R', 'I', 'D', 'C', 'K', 'P', 'T'};
static const char RECORD_MAGIC[8] = {'G', 'R', 'I', 'D', 'B', 'L', 'K', '2'};

struct ckpt {
    sim_ckpt_t iface;
    char path[4096];
    char *ident;
    int fd;
    int resume;
    int locked;                         /* flock succeeded (not a file system without locks) */
    uint64_t resumed, dropped, flushed; /* trials read back, bytes dropped, records written */
    char why[160];                      /* why they were dropped */
    /* set by begin: the run's shape */
    uint64_t trials, block;
    size_t n_lol, blob_len;
    char *text; /* the header's text */
};

/* --- plain I/O that survives signals (EINTR) and short transfers --------- */

static int write_all(int fd, const void *buf, size_t n)
{
    const unsigned char *p = buf;
    while (n > 0) {
        const ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Bytes read (less than n only at the end of the file), or -1. */
static ssize_t read_all(int fd, void *buf, size_t n)
{
    unsigned char *p = buf;
    size_t got = 0;
    while (got < n) {
        const ssize_t r = read(fd, p + got, n - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -1;
        if (r == 0)
            break;
        got += (size_t)r;
    }
    return (ssize_t)got;
}

/* --- the rows of a block --------------------------------------------------- */

/* Calls fn on each contiguous run of the per-trial arrays of r for trials
 * [from, to), in the record's order; stops at fn's first nonzero return. */
typedef int (*seg_fn)(void *ctx, void *p, size_t bytes);

static int for_each_row(const results_t *r, uint64_t from, uint64_t to, seg_fn fn, void *ctx)
{
    results_rows_t a[RESULTS_MAX_ROW_ARRAYS];
    const size_t k = results_row_arrays(r, a);
    int rc = 0;
    for (size_t i = 0; !rc && i < k; ++i)
        for (size_t b = 0; !rc && b < a[i].blocks; ++b)
            rc = fn(ctx, a[i].v + (b * r->cap + (from - r->t0)) * a[i].row,
                    (to - from) * a[i].row * sizeof(double));
    return rc;
}

/* Bytes of one trial's rows, from the shape alone (a streamed run's window
 * may not hold trial 0). */
static uint64_t row_bytes(const results_t *r)
{
    results_rows_t a[RESULTS_MAX_ROW_ARRAYS];
    const size_t k = results_row_arrays(r, a);
    uint64_t b = 0;
    for (size_t i = 0; i < k; ++i)
        b += a[i].blocks * a[i].row * sizeof(double);
    return b;
}

/* A record's check is a CRC-32 (libdeflate's, by carry-less multiplication:
 * about 20 GB/s here): it finds a write the process did not finish, a power
 * cut's zeros and a damaged sector, as zlib's and PNG's CRC-32 do. The
 * SHA-256 of the first format took 0.035 s of a 2.1 s RBTS run (56 MB of
 * records). */
typedef struct {
    int fd;
    uint32_t crc;
} io_t;

static int write_seg(void *ctx, void *p, size_t bytes)
{
    io_t *io = ctx;
    io->crc = libdeflate_crc32(io->crc, p, bytes);
    return write_all(io->fd, p, bytes);
}

/* 1 at the end of the file */
static int read_seg(void *ctx, void *p, size_t bytes)
{
    io_t *io = ctx;
    const ssize_t got = read_all(io->fd, p, bytes);
    if (got < 0)
        return -1;
    if ((size_t)got < bytes)
        return 1;
    io->crc = libdeflate_crc32(io->crc, p, bytes);
    return 0;
}

static int zero_seg(void *ctx, void *p, size_t bytes)
{
    (void)ctx;
    memset(p, 0, bytes);
    return 0;
}

/* --- the header -------------------------------------------------------------- */

static char *header_text(const ckpt_t *c, const results_t *r)
{
    const uint16_t probe = 1;
    const char *order = *(const unsigned char *)&probe ? "little" : "big";
    char shape[1024];
    snprintf(shape, sizeof shape,
             "block=%llu\nscenarios=%zu\nmetrics=%zu\nyears=%zu\nhours=%zu\ndrivers=%zu\n"
             "by_technology=%zu x %zu\nby_region=%zu x %zu\nby_month=%zu x %zu\n"
             "row_bytes=%llu\nloss_of_load_counts=%zu\nmodel_totals_bytes=%zu\n",
             (unsigned long long)c->block, r->n_scen, r->n_metrics, r->years, r->hours,
             r->n_drivers, r->tech.n_q, r->tech.n, r->region.n_q, r->region.n, r->month.n_q,
             r->month.n, (unsigned long long)row_bytes(r), c->n_lol, c->blob_len);
    const size_t n = strlen(c->ident) + strlen(shape) + 128;
    char *t = malloc(n);
    if (t)
        snprintf(t, n, "format=gridrisk checkpoint %d\nbyte_order=%s\n%s%s", CKPT_FORMAT, order,
                 c->ident, shape);
    return t;
}

/* The first line where the stored text differs from the run's, in words. */
static void text_mismatch(const ckpt_t *c, const char *stored, size_t n, gr_err_t *err)
{
    const char *a = stored, *ae = stored + n, *b = c->text;
    while (a < ae || *b) {
        const char *al = memchr(a, '\n', (size_t)(ae - a));
        const size_t alen = al ? (size_t)(al - a) : (size_t)(ae - a);
        const size_t blen = strcspn(b, "\n");
        if (alen != blen || memcmp(a, b, alen)) {
            char have[201];
            const size_t h = alen > 200 ? 200 : alen;
            for (size_t i = 0; i < h; ++i) /* the file's bytes, shown: no control characters */
                have[i] = a[i] >= 0x20 && a[i] < 0x7f ? a[i] : '?';
            have[h] = '\0';
            gr_err_set(err, GR_EINPUT,
                       "%s: a checkpoint of another run: it has '%s' where this run has '%.*s' "
                       "(resume with the same inputs, seed, trials, kernel and build, or remove "
                       "the file to start again)",
                       c->path, have, (int)blen, b);
            return;
        }
        a += alen + (al != NULL);
        b += blen + (b[blen] == '\n');
    }
    gr_err_set(err, GR_EINPUT, "%s: header differs from this run's", c->path);
}

static int write_header(ckpt_t *c, gr_err_t *err)
{
    const uint64_t n = strlen(c->text);
    uint8_t digest[SHA256_DIGEST_SIZE];
    struct sha256_ctx h;
    sha256_init(&h);
    sha256_update(&h, n, (const uint8_t *)c->text);
    sha256_digest(&h, sizeof digest, digest);
    if (write_all(c->fd, HEADER_MAGIC, 8) || write_all(c->fd, &n, 8) ||
        write_all(c->fd, c->text, n) || write_all(c->fd, digest, sizeof digest))
        return gr_err_set(err, GR_ERUNTIME, "%s: cannot write: %s", c->path, strerror(errno));
    return GR_OK;
}

static int read_header(ckpt_t *c, gr_err_t *err)
{
    char magic[8];
    uint64_t n = 0;
    if (read_all(c->fd, magic, 8) != 8 || memcmp(magic, HEADER_MAGIC, 8))
        return gr_err_set(err, GR_EINPUT, "%s: not a gridrisk checkpoint (no GRIDCKPT header)",
                          c->path);
    if (read_all(c->fd, &n, 8) != 8 || n == 0 || n > CKPT_MAX_TEXT)
        return gr_err_set(err, GR_EINPUT, "%s: header length missing or out of range (%llu)",
                          c->path, (unsigned long long)n);
    char *t = malloc(n);
    uint8_t want[SHA256_DIGEST_SIZE], got[SHA256_DIGEST_SIZE];
    if (!t)
        return gr_err_set(err, GR_ERUNTIME, "out of memory");
    int rc = GR_OK;
    if (read_all(c->fd, t, n) != (ssize_t)n || read_all(c->fd, want, sizeof want) != sizeof want)
        rc = gr_err_set(err, GR_EINPUT, "%s: header cut short", c->path);
    if (!rc) {
        struct sha256_ctx h;
        sha256_init(&h);
        sha256_update(&h, n, (const uint8_t *)t);
        sha256_digest(&h, sizeof got, got);
        if (memcmp(want, got, sizeof got))
            rc = gr_err_set(err, GR_EINPUT, "%s: header fails its SHA-256 (corrupt)", c->path);
    }
    if (!rc && (n != strlen(c->text) || memcmp(t, c->text, n)))
        text_mismatch(c, t, n, err), rc = GR_EINPUT;
    free(t);
    return rc;
}

/* --- records ------------------------------------------------------------------ */

static uint32_t head_crc(uint64_t from, uint64_t to, uint64_t n)
{
    const uint64_t v[3] = {from, to, n};
    return libdeflate_crc32(0, v, sizeof v);
}

static uint64_t payload_bytes(const ckpt_t *c, const results_t *r, uint64_t n_trials)
{
    return n_trials * row_bytes(r) + c->n_lol * sizeof(int64_t) + c->blob_len;
}

static int flush(void *ctx, const results_t *r, uint64_t from, uint64_t to,
                 const unsigned char *blob, size_t blob_len, int sync, gr_err_t *err)
{
    ckpt_t *c = ctx;
    const uint64_t n = payload_bytes(c, r, to - from);
    const uint64_t head[3] = {from, to, n};
    io_t io = {.fd = c->fd, .crc = head_crc(from, to, n)};
    int bad = write_all(c->fd, RECORD_MAGIC, 8) || write_all(c->fd, head, sizeof head) ||
              for_each_row(r, from, to, write_seg, &io) ||
              write_seg(&io, r->lol_count, c->n_lol * sizeof(int64_t)) ||
              (blob_len && write_seg(&io, (void *)(uintptr_t)blob, blob_len));
    if (!bad) {
        bad = write_all(c->fd, &io.crc, sizeof io.crc) || (sync && fdatasync(c->fd));
    }
    if (bad)
        return gr_err_set(err, GR_ERUNTIME, "%s: cannot write the checkpoint: %s", c->path,
                          strerror(errno));
    ++c->flushed;
    return GR_OK;
}

/* Reads the records into r; sets *done. The first record that is cut
 * short, is not where the next block should be or fails its CRC-32 ends
 * the log: it and everything after it are dropped (the file truncated
 * there, c->why says why), and their trials run again. A record is a block's
 * rows with the totals so far, so what comes before it is whole, and what
 * is dropped only costs time: a write the process did not finish, a tail of
 * zeros after a power cut, a damaged sector. */
static int read_records(ckpt_t *c, results_t *r, uint64_t *done, unsigned char *blob,
                        const sim_sink_t *sink, gr_err_t *err)
{
    struct stat st;
    if (fstat(c->fd, &st))
        return gr_err_set(err, GR_ERUNTIME, "%s: %s", c->path, strerror(errno));
    const uint64_t size = (uint64_t)st.st_size;
    int64_t *lol = malloc(c->n_lol * sizeof *lol + 1);
    unsigned char *sums = malloc(c->blob_len + 1);
    if (!lol || !sums) {
        free(lol);
        free(sums);
        return gr_err_set(err, GR_ERUNTIME, "out of memory");
    }
    off_t good = lseek(c->fd, 0, SEEK_CUR);
    uint64_t at = 0, k = 0;
    int rc = GR_OK;
    while (!rc && !c->why[0] && (uint64_t)good < size) {
        unsigned char head[CKPT_HEAD];
        const ssize_t got = read_all(c->fd, head, sizeof head);
        if (got < 0) {
            rc = gr_err_set(err, GR_ERUNTIME, "%s: %s", c->path, strerror(errno));
            break;
        }
        uint64_t v[3];
        memcpy(v, head + 8, sizeof v);
        const uint64_t from = v[0], to = v[1], n = v[2];
        const uint64_t want_to = c->trials - at > c->block ? at + c->block : c->trials;
        if ((size_t)got < sizeof head)
            snprintf(c->why, sizeof c->why, "record %llu is cut short", (unsigned long long)k);
        else if (memcmp(head, RECORD_MAGIC, 8))
            snprintf(c->why, sizeof c->why, "record %llu is not a record", (unsigned long long)k);
        else if (from != at || to != want_to || at >= c->trials ||
                 n != payload_bytes(c, r, to - from))
            snprintf(c->why, sizeof c->why,
                     "record %llu is not the block [%llu, %llu) of %llu bytes",
                     (unsigned long long)k, (unsigned long long)at, (unsigned long long)want_to,
                     (unsigned long long)payload_bytes(c, r, want_to - at));
        if (c->why[0])
            break;
        io_t io = {.fd = c->fd, .crc = head_crc(from, to, n)};
        uint32_t want;
        if (sink) /* a streamed run holds one block: this one */
            results_window(r, from);
        int e = for_each_row(r, from, to, read_seg, &io);
        if (!e)
            e = read_seg(&io, lol, c->n_lol * sizeof *lol);
        if (!e && c->blob_len)
            e = read_seg(&io, sums, c->blob_len);
        if (e < 0) {
            rc = gr_err_set(err, GR_ERUNTIME, "%s: %s", c->path, strerror(errno));
            break;
        }
        if (!e && read_all(c->fd, &want, sizeof want) != sizeof want)
            e = 1;
        if (!e && want != io.crc)
            e = 2;
        if (e) {
            snprintf(c->why, sizeof c->why, "record %llu %s", (unsigned long long)k,
                     e == 1 ? "is cut short" : "fails its CRC-32");
            for_each_row(r, from, to, zero_seg, NULL); /* as a fresh run has them */
            break;
        }
        /* a CRC finds accidental damage, not bytes written by something
         * other than gridrisk: counts outside [0, trials] would make the
         * run's sums overflow */
        for (size_t i = 0; i < c->n_lol && !rc; ++i)
            if (lol[i] < 0 || (uint64_t)lol[i] > to)
                rc = gr_err_set(err, GR_EINPUT,
                                "%s: byte %lld: record %llu counts %lld hours of loss of load in "
                                "%llu trials (not written by gridrisk)",
                                c->path, (long long)good, (unsigned long long)k, (long long)lol[i],
                                (unsigned long long)to);
        if (!rc && sink)
            rc = sink->write(sink->ctx, r, from, to, err);
        if (rc)
            break;
        memcpy(r->lol_count, lol, c->n_lol * sizeof *lol);
        if (c->blob_len)
            memcpy(blob, sums, c->blob_len);
        at = to;
        good = lseek(c->fd, 0, SEEK_CUR);
        ++k;
    }
    free(lol);
    free(sums);
    if (rc)
        return rc;
    c->dropped = size - (uint64_t)good;
    if (c->dropped && (ftruncate(c->fd, good) || lseek(c->fd, good, SEEK_SET) != good))
        return gr_err_set(err, GR_ERUNTIME, "%s: cannot drop the damaged tail: %s", c->path,
                          strerror(errno));
    *done = at;
    return GR_OK;
}

static int begin(void *ctx, results_t *r, uint64_t block, size_t blob_len, uint64_t *done,
                 unsigned char *blob, const sim_sink_t *sink, gr_err_t *err)
{
    ckpt_t *c = ctx;
    c->trials = r->trials;
    c->block = block;
    c->n_lol = r->n_scen * r->years * r->hours;
    c->blob_len = blob_len;
    free(c->text);
    c->text = header_text(c, r);
    if (!c->text)
        return gr_err_set(err, GR_ERUNTIME, "out of memory");
    *done = 0;
    if (!c->resume)
        return write_header(c, err);
    int rc = read_header(c, err);
    if (!rc)
        rc = read_records(c, r, done, blob, sink, err);
    if (!rc)
        c->resumed = *done;
    return rc;
}

/* --- the handle ------------------------------------------------------------- */

int ckpt_path(char *buf, size_t n, const char *out)
{
    const int w = snprintf(buf, n, "%s%s", out, CKPT_SUFFIX);
    return w < 0 || (size_t)w >= n ? -1 : 0;
}

int ckpt_open(ckpt_t **out, const char *path, const char *ident, int resume, gr_err_t *err)
{
    *out = NULL;
    ckpt_t *c = calloc(1, sizeof *c);
    if (!c || strlen(path) >= sizeof c->path || !(c->ident = strdup(ident))) {
        free(c);
        return gr_err_set(err, GR_ERUNTIME, "out of memory");
    }
    snprintf(c->path, sizeof c->path, "%s", path);
    c->resume = resume;
    c->fd = resume ? open(path, O_RDWR | O_CLOEXEC)
                   : open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (c->fd < 0) {
        const int e = errno;
        free(c->ident);
        free(c);
        if (resume && e == EISDIR)
            return gr_err_set(err, GR_EINPUT, "--resume: %s is not a regular file", path);
        if (resume && e == ENOENT)
            return gr_err_set(err, GR_EINPUT,
                              "--resume: no checkpoint %s (it is removed when a run completes)",
                              path);
        if (!resume && e == EEXIST)
            return gr_err_set(err, GR_EINPUT,
                              "%s exists: the checkpoint of a stopped run. --resume continues it; "
                              "remove it to start again",
                              path);
        return gr_err_set(err, GR_ERUNTIME, "%s: %s", path, strerror(e));
    }
    /* one run per checkpoint: a requeued job started while the stopped one is
     * still in its grace period must not append to the same file. A file
     * system without locks (Lustre or GPFS mounted without flock) fails the
     * call otherwise: the run goes on unguarded, as it would have anyway. */
    const int lk = flock(c->fd, LOCK_EX | LOCK_NB);
    c->locked = lk == 0;
    if (lk && errno == EWOULDBLOCK) {
        close(c->fd);
        if (!resume)
            unlink(path);
        free(c->ident);
        free(c);
        return gr_err_set(err, GR_EINPUT, "%s is in use by another gridrisk run", path);
    }
    struct stat st;
    if (resume && (fstat(c->fd, &st) || !S_ISREG(st.st_mode))) {
        close(c->fd);
        free(c->ident);
        free(c);
        return gr_err_set(err, GR_EINPUT, "--resume: %s is not a regular file", path);
    }
    c->iface = (sim_ckpt_t){.ctx = c, .begin = begin, .flush = flush};
    *out = c;
    return GR_OK;
}

const sim_ckpt_t *ckpt_iface(const ckpt_t *c) { return &c->iface; }

const char *ckpt_file(const ckpt_t *c) { return c->path; }

uint64_t ckpt_resumed_trials(const ckpt_t *c) { return c->resumed; }

uint64_t ckpt_dropped_bytes(const ckpt_t *c) { return c->dropped; }

const char *ckpt_dropped_why(const ckpt_t *c) { return c->why; }

int ckpt_kept(const ckpt_t *c) { return c->resume || c->flushed > 0; }

int ckpt_locked(const ckpt_t *c) { return c->locked; }

int ckpt_close(ckpt_t *c, int complete, gr_err_t *err)
{
    if (!c)
        return GR_OK;
    /* a file this run created and never put a trial in is litter; one it
     * was asked to resume is the user's until the output is complete */
    const int remove_file = complete || (!c->resume && !c->flushed);
    int rc = GR_OK;
    if (!remove_file && fdatasync(c->fd))
        rc = gr_err_set(err, GR_ERUNTIME, "%s: %s", c->path, strerror(errno));
    close(c->fd);
    if (remove_file && unlink(c->path) && errno != ENOENT)
        rc = gr_err_set(err, GR_ERUNTIME, "%s: cannot remove: %s", c->path, strerror(errno));
    free(c->text);
    free(c->ident);
    free(c);
    return rc;
}
