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

#define CKPT_FORMAT 4
#define CKPT_MAX_TEXT (1u << 20) /* a header is a few hundred bytes */
#define CKPT_HEAD 32             /* a record's magic, from, to and n */

static const char HEADER_MAGIC[8] = {'G', 'R', 'I', 'D', 'C', 'K', 'P', 'T'};
static const char RECORD_MAGIC[8] = {'G', 'R', 'I', 'D', 'B', 'L', 'K', '3'};

/* A record's words (the rows' doubles, the loss-of-load counts) go in
 * groups of GROUP: a u64 mask whose bit i says the group's word i is not
 * all zero bits, then those words, in order. A word is kept bit for bit
 * (-0.0 is not zero bits). Groups start again at each contiguous run of
 * words (for_each_row's, then the loss-of-load table): a run's last group
 * is short, its mask's bits past its end zero. Most trials of a reliable
 * system shed nothing: an RBTS run's 56 MB of records for 2 million trials
 * (87% of its rows zero), whose writing took 0.04 s of its 2 s, become
 * 12 MB (the loss-of-load tables included); a run whose rows are not zero
 * pays one mask in 64 words. */
#define GROUP 64
/* Bytes the writer stages (and the reader buffers) between system calls. */
#define STAGE_BYTES (64u << 10)

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
    char *text;           /* the header's text */
    unsigned char *stage; /* [STAGE_BYTES]: a record's coded words on their way */
    /* [n_lol]: the loss-of-load counts as the last record left them, and a
     * record's own (the counts less those): a record holds its block's
     * counts, not the run's totals, which grow dense as the run goes on (an
     * RBTS run's tables went from 27% of their hours not zero to 67%) */
    int64_t *lol_prev, *lol_step;
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
 * about 20 GB/s here) of its head and coded payload: it finds a write the
 * process did not finish, a power cut's zeros and a damaged sector, as
 * zlib's and PNG's CRC-32 do. The SHA-256 of the first format took 0.035 s
 * of a 2.1 s RBTS run (56 MB of records). */

/* Bytes of nw words coded with kept of them not all zero bits: a mask for
 * each group, and the kept words. */
static uint64_t coded_size(uint64_t nw, uint64_t kept)
{
    return 8 * ((nw + GROUP - 1) / GROUP + kept);
}

/* Bytes of the nw words at p coded. */
static uint64_t coded_bytes(const unsigned char *p, size_t nw)
{
    uint64_t kept = 0;
    for (size_t i = 0; i < nw; ++i) {
        uint64_t u;
        memcpy(&u, p + 8 * i, 8);
        kept += u != 0;
    }
    return coded_size(nw, kept);
}

static int count_seg(void *ctx, void *p, size_t bytes)
{
    *(uint64_t *)ctx += coded_bytes(p, bytes / 8);
    return 0;
}

/* The writer: coded words staged, then written with their CRC-32. */
typedef struct {
    int fd;
    uint32_t crc;
    unsigned char *stage;
    size_t fill;
    uint64_t written; /* payload bytes written */
} io_t;

static int io_flush(io_t *io)
{
    io->crc = libdeflate_crc32(io->crc, io->stage, io->fill);
    const int rc = write_all(io->fd, io->stage, io->fill);
    io->written += io->fill;
    io->fill = 0;
    return rc;
}

/* Codes the segment's words (bytes / 8 of them) into the stage. */
static int write_seg(void *ctx, void *p, size_t bytes)
{
    io_t *io = ctx;
    const unsigned char *w = p;
    const size_t nw = bytes / 8;
    for (size_t g0 = 0; g0 < nw; g0 += GROUP) {
        if (io->fill + 8 * (GROUP + 1) > STAGE_BYTES && io_flush(io))
            return -1;
        const size_t len = nw - g0 < GROUP ? nw - g0 : GROUP;
        unsigned char *out = io->stage + io->fill + 8;
        uint64_t mask = 0;
        size_t k = 0;
        for (size_t i = 0; i < len; ++i) { /* every word stored, the kept ones kept */
            uint64_t u;
            memcpy(&u, w + 8 * (g0 + i), 8);
            memcpy(out + 8 * k, &u, 8);
            mask |= (uint64_t)(u != 0) << i;
            k += u != 0;
        }
        memcpy(io->stage + io->fill, &mask, 8);
        io->fill += 8 * (k + 1);
    }
    return 0;
}

/* Bytes written as they are (the model's totals). */
static int write_raw(io_t *io, const void *p, size_t bytes)
{
    if (io_flush(io))
        return -1;
    if (!bytes)
        return 0;
    io->crc = libdeflate_crc32(io->crc, p, bytes);
    io->written += bytes;
    return write_all(io->fd, p, bytes);
}

/* The reader: the record's n payload bytes through a buffer, never past
 * them; what the payload's coding allows is checked as it is read. */
typedef struct {
    int fd;
    uint32_t crc;
    unsigned char *buf;
    size_t pos, len;
    uint64_t unread; /* payload bytes not yet read from the file */
    int bad;         /* 1: the file ends inside the payload; 2: the coding is broken */
} rd_t;

/* The buffer refilled with the payload's next bytes (those in it are
 * dropped), their CRC-32 taken; 0, or -1 (a read failed) or 1 (rd->bad
 * set: the file ends, or nothing of the payload is left to read). */
static int rd_fill(rd_t *rd)
{
    if (!rd->unread) {
        rd->bad = 2; /* the coding asks for more than the record holds */
        return 1;
    }
    const size_t want = rd->unread < STAGE_BYTES ? (size_t)rd->unread : STAGE_BYTES;
    const ssize_t got = read_all(rd->fd, rd->buf, want);
    if (got < 0)
        return -1;
    rd->crc = libdeflate_crc32(rd->crc, rd->buf, (size_t)got);
    rd->unread -= (uint64_t)got;
    rd->pos = 0;
    rd->len = (size_t)got;
    if ((size_t)got < want) {
        rd->bad = 1;
        return 1;
    }
    return 0;
}

/* n bytes of the payload into dst; 0, or rd_fill's -1 or 1. */
static int rd_bytes(rd_t *rd, unsigned char *dst, size_t n)
{
    while (n > 0) {
        if (rd->pos == rd->len) {
            const int e = rd_fill(rd);
            if (e)
                return e;
        }
        const size_t k = rd->len - rd->pos < n ? rd->len - rd->pos : n;
        memcpy(dst, rd->buf + rd->pos, k);
        rd->pos += k;
        dst += k;
        n -= k;
    }
    return 0;
}

/* Decodes the segment's words: each group's mask (no bits past the group's
 * words), its kept words read into the group's first places, then moved to
 * theirs from the last down (a kept word's place is never below its rank). */
static int read_seg(void *ctx, void *p, size_t bytes)
{
    rd_t *rd = ctx;
    unsigned char *w = p;
    const size_t nw = bytes / 8;
    for (size_t g0 = 0; g0 < nw; g0 += GROUP) {
        const size_t len = nw - g0 < GROUP ? nw - g0 : GROUP;
        uint64_t mask = 0;
        int e = rd_bytes(rd, (unsigned char *)&mask, 8);
        if (!e && len < GROUP && mask >> len) {
            rd->bad = 2;
            e = 1;
        }
        size_t k = (size_t)__builtin_popcountll(mask);
        if (!e)
            e = rd_bytes(rd, w + 8 * g0, 8 * k);
        if (e)
            return e;
        for (size_t i = len; i-- > 0;) {
            if (mask >> i & 1)
                memmove(w + 8 * (g0 + i), w + 8 * (g0 + --k), 8);
            else
                memset(w + 8 * (g0 + i), 0, 8);
        }
    }
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

/* The most bytes a record's payload can take: every word kept, and a mask
 * for each group of each segment. */
static uint64_t payload_max(const ckpt_t *c, const results_t *r, uint64_t n_trials)
{
    results_rows_t a[RESULTS_MAX_ROW_ARRAYS];
    const size_t k = results_row_arrays(r, a);
    uint64_t b = coded_size(c->n_lol, c->n_lol) + c->blob_len;
    for (size_t i = 0; i < k; ++i) {
        const uint64_t nw = n_trials * a[i].row;
        b += a[i].blocks * coded_size(nw, nw);
    }
    return b;
}

static int flush(void *ctx, const results_t *r, uint64_t from, uint64_t to,
                 const unsigned char *blob, size_t blob_len, int sync, gr_err_t *err)
{
    ckpt_t *c = ctx;
    /* the payload's size first, for the head: a pass counting the words
     * not all zero bits */
    uint64_t n = blob_len;
    for (size_t i = 0; i < c->n_lol; ++i)
        c->lol_step[i] = r->lol_count[i] - c->lol_prev[i];
    for_each_row(r, from, to, count_seg, &n);
    count_seg(&n, c->lol_step, c->n_lol * sizeof(int64_t));
    const uint64_t head[3] = {from, to, n};
    io_t io = {.fd = c->fd, .crc = head_crc(from, to, n), .stage = c->stage};
    int bad = write_all(c->fd, RECORD_MAGIC, 8) || write_all(c->fd, head, sizeof head) ||
              for_each_row(r, from, to, write_seg, &io) ||
              write_seg(&io, c->lol_step, c->n_lol * sizeof(int64_t)) ||
              write_raw(&io, blob, blob_len);
    if (!bad && io.written != n) /* the count and the coding disagree: a record no
                                  * resume could read */
        return gr_err_set(err, GR_ERUNTIME,
                          "%s: internal: a checkpoint record of %llu bytes said %llu", c->path,
                          (unsigned long long)io.written, (unsigned long long)n);
    if (!bad) {
        bad = write_all(c->fd, &io.crc, sizeof io.crc) || (sync && fdatasync(c->fd));
    }
    if (bad)
        return gr_err_set(err, GR_ERUNTIME, "%s: cannot write the checkpoint: %s", c->path,
                          strerror(errno));
    memcpy(c->lol_prev, r->lol_count, c->n_lol * sizeof *c->lol_prev);
    ++c->flushed;
    return GR_OK;
}

/* Reads the records into r; sets *done. The first record that is cut
 * short, is not where the next block should be or fails its CRC-32 ends
 * the log: it and everything after it are dropped (the file truncated
 * there, c->why says why), and their trials run again. A record is a block's
 * rows and loss-of-load counts with the model's totals so far, so what comes before it is whole,
 * and what is dropped only costs time: a write the process did not finish, a tail of zeros after a
 * power cut, a damaged sector. */
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
        else if (from != at || to != want_to || at >= c->trials || n > payload_max(c, r, to - from))
            snprintf(c->why, sizeof c->why,
                     "record %llu is not the block [%llu, %llu) of at most %llu bytes",
                     (unsigned long long)k, (unsigned long long)at, (unsigned long long)want_to,
                     (unsigned long long)payload_max(c, r, want_to - at));
        if (c->why[0])
            break;
        rd_t rd = {.fd = c->fd, .crc = head_crc(from, to, n), .buf = c->stage, .unread = n};
        uint32_t want;
        if (sink) /* a streamed run holds one block: this one */
            results_window(r, from);
        int e = for_each_row(r, from, to, read_seg, &rd);
        if (!e)
            e = read_seg(&rd, lol, c->n_lol * sizeof *lol);
        if (!e && c->blob_len)
            e = rd_bytes(&rd, sums, c->blob_len);
        if (!e && (rd.pos != rd.len || rd.unread)) {
            rd.bad = 2; /* the coding ends before the record does */
            e = 1;
        }
        /* a broken coding: the rest of the payload read for the CRC-32,
         * which tells accidental damage from a file gridrisk did not write */
        while (e > 0 && rd.bad == 2 && rd.unread) {
            const int d = rd_fill(&rd);
            if (d < 0 || rd.bad == 1)
                e = d;
        }
        if (e < 0) {
            rc = gr_err_set(err, GR_ERUNTIME, "%s: %s", c->path, strerror(errno));
            break;
        }
        const ssize_t got_crc = rd.bad == 1 ? 0 : read_all(c->fd, &want, sizeof want);
        if (got_crc < 0) { /* an I/O error is the system's, not a torn record to drop */
            rc = gr_err_set(err, GR_ERUNTIME, "%s: %s", c->path, strerror(errno));
            break;
        }
        const int cut = rd.bad == 1 || got_crc != sizeof want;
        if (!cut && want == rd.crc && rd.bad == 2) {
            rc = gr_err_set(err, GR_EINPUT,
                            "%s: byte %lld: record %llu passes its CRC-32 but its words are "
                            "not coded as gridrisk codes them (not written by gridrisk)",
                            c->path, (long long)good, (unsigned long long)k);
            break;
        }
        if (cut || want != rd.crc) {
            snprintf(c->why, sizeof c->why, "record %llu %s", (unsigned long long)k,
                     cut ? "is cut short" : "fails its CRC-32");
            for_each_row(r, from, to, zero_seg, NULL); /* as a fresh run has them */
            break;
        }
        /* a CRC finds accidental damage, not bytes written by something
         * other than gridrisk: a block's count of an hour outside [0, its
         * trials] would make the run's sums overflow */
        for (size_t i = 0; i < c->n_lol && !rc; ++i)
            if ((uint64_t)lol[i] > to - from) /* below 0 too: as unsigned, above 2^63 */
                rc = gr_err_set(err, GR_EINPUT,
                                "%s: byte %lld: record %llu counts %lld trials with loss of load "
                                "in an hour of its %llu (not written by gridrisk)",
                                c->path, (long long)good, (unsigned long long)k, (long long)lol[i],
                                (unsigned long long)(to - from));
        if (!rc && sink)
            rc = sink->write(sink->ctx, r, from, to, err);
        if (rc)
            break;
        for (size_t i = 0; i < c->n_lol; ++i) /* the block's counts into the run's */
            r->lol_count[i] += lol[i];
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
    memcpy(c->lol_prev, r->lol_count, c->n_lol * sizeof(int64_t)); /* the next record's base */
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
    free(c->lol_prev);
    free(c->lol_step);
    c->lol_prev = calloc(c->n_lol + 1, sizeof *c->lol_prev);
    c->lol_step = malloc((c->n_lol + 1) * sizeof *c->lol_step);
    if (!c->lol_prev || !c->lol_step)
        return gr_err_set(err, GR_ERUNTIME, "out of memory");
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

/* Frees c and what it holds (its file is closed by the caller); NULL is a
 * no-op. */
static void handle_free(ckpt_t *c)
{
    if (!c)
        return;
    free(c->text);
    free(c->stage);
    free(c->lol_prev);
    free(c->lol_step);
    free(c->ident);
    free(c);
}

int ckpt_path(char *buf, size_t n, const char *out)
{
    const int w = snprintf(buf, n, "%s%s", out, CKPT_SUFFIX);
    return w < 0 || (size_t)w >= n ? -1 : 0;
}

int ckpt_open(ckpt_t **out, const char *path, const char *ident, int resume, gr_err_t *err)
{
    *out = NULL;
    ckpt_t *c = calloc(1, sizeof *c);
    if (!c || strlen(path) >= sizeof c->path || !(c->ident = strdup(ident)) ||
        !(c->stage = malloc(STAGE_BYTES))) {
        handle_free(c);
        return gr_err_set(err, GR_ERUNTIME, "out of memory");
    }
    snprintf(c->path, sizeof c->path, "%s", path);
    c->resume = resume;
    /* never through a symbolic link: the run would append to its target and,
     * once done, remove only the link, leaving the grown target behind */
    c->fd = resume ? open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW)
                   : open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (c->fd < 0) {
        const int e = errno;
        handle_free(c);
        if (resume && e == ELOOP)
            return gr_err_set(err, GR_EINPUT,
                              "--resume: %s is not a regular file but a symbolic link (move "
                              "the checkpoint itself to its place beside the output)",
                              path);
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
        handle_free(c);
        return gr_err_set(err, GR_EINPUT, "%s is in use by another gridrisk run", path);
    }
    struct stat st;
    if (resume && (fstat(c->fd, &st) || !S_ISREG(st.st_mode))) {
        close(c->fd);
        handle_free(c);
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
    handle_free(c);
    return rc;
}
