/*
 * fuzz_ckpt.c - libFuzzer harness for the checkpoint reader (outputs/ckpt.h),
 * which `gridrisk run --resume` points at a file it must treat as untrusted.
 *
 * The first byte picks what the reader is given:
 *   0  the rest of the input, as the whole file;
 *   1  a valid checkpoint of a small run (a fixed shape, a model total, the
 *      number of blocks from the second byte), written by the writer, with
 *      the rest of the input applied as edits: (offset u16, xor byte) triples;
 *   2  the same valid file cut at the offset in bytes 2-3.
 * The reader either fails with a message, or succeeds with a whole number of
 * blocks and (untouched file) exactly the rows, counts and totals written.
 * When the first byte / 3 is odd, the reader reads as a streamed run does:
 * into a window of one block, each block handed to a sink that checks it
 * comes in order, from the window, and keeps its rows for the comparison.
 */
#include "../../outputs/ckpt.h"
#include "fuzz_common.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { T = 10, B = 3, BLOB = 16 };

static const metric_info_t metric[3] = {{"a", "1", "a"}, {"b", "1", "b"}, {"c", "1", "c"}};
static const metric_info_t driver[2] = {{"d", "1", "d"}, {"e", "1", "e"}};
static const char IDENT[] = "build=fuzz\nseed=1\ntrials=10\n";

static results_t *shape(void)
{
    const char *const names[] = {"baseline", "alloc"};
    const char *const tech[] = {"gas", "coal"};
    results_t *r = results_new(T, 2, 4, 2, names, 3, metric, 2, driver);
    if (!r || results_add_tech(r, 2, tech))
        abort();
    return r;
}

/* Every per-trial value is a function of its place, so that a round trip
 * can be checked; two in three zero, as a reliable system's trials mostly
 * are (the records' coding keeps only the words that are not zero). */
static double value(size_t i) { return i % 3 ? 0.0 : 0.5 * (double)i - 3.0; }

static void fill(results_t *r)
{
    const size_t nv = r->n_scen * r->n_metrics * T * r->years;
    for (size_t i = 0; i < nv; ++i)
        r->values[i] = value(i);
    for (size_t i = 0; i < r->n_drivers * T * r->years; ++i)
        r->drivers_v[i] = value(i + 7);
    for (size_t i = 0; i < RESULTS_N_TECH_Q * r->n_scen * T * r->years * r->tech.n; ++i)
        r->tech.v[i] = value(i + 11);
}

/* A valid checkpoint of `blocks` blocks at path. */
static void write_valid(const char *path, unsigned blocks)
{
    remove(path);
    ckpt_t *c;
    gr_err_t err = {0, {0}};
    if (ckpt_open(&c, path, IDENT, 0, &err))
        abort();
    results_t *r = shape();
    fill(r);
    const sim_ckpt_t *k = ckpt_iface(c);
    uint64_t done;
    unsigned char blob[BLOB];
    if (k->begin(k->ctx, r, B, BLOB, &done, blob, NULL, &err) || done != 0)
        abort();
    for (uint64_t b0 = 0, i = 0; b0 < T && i < blocks; b0 += B, ++i) {
        const uint64_t b1 = b0 + B < T ? b0 + B : T;
        for (size_t j = 0; j < r->n_scen * r->years * r->hours; ++j)
            r->lol_count[j] = j % 4 == 1 ? (int64_t)b1 - 1 : 0; /* mostly zero; a block's count at
                                                                 * most its trials */
        memset(blob, (int)b1, sizeof blob);
        if (k->flush(k->ctx, r, b0, b1, blob, BLOB, 0, &err))
            abort();
    }
    results_free(r);
    if (ckpt_close(c, 0, &err))
        abort();
}

/* A streamed run's sink: each block once, in order, from the window, its
 * rows copied into whole. */
typedef struct {
    results_t *whole;
    uint64_t next;
} fz_sink_t;

static int fz_write(void *ctx, const results_t *r, uint64_t from, uint64_t to, gr_err_t *err)
{
    (void)err;
    fz_sink_t *s = ctx;
    if (from != s->next || to <= from || from != r->t0 || to - from > r->cap)
        abort();
    results_rows_t a[RESULTS_MAX_ROW_ARRAYS], b[RESULTS_MAX_ROW_ARRAYS];
    const size_t k = results_row_arrays(r, a);
    if (results_row_arrays(s->whole, b) != k)
        abort();
    for (size_t i = 0; i < k; ++i)
        for (size_t j = 0; j < a[i].blocks; ++j)
            memcpy(b[i].v + (j * T + from) * b[i].row, a[i].v + j * r->cap * a[i].row,
                   (to - from) * a[i].row * sizeof(double));
    s->next = to;
    return 0;
}

static int fz_open(void *ctx, const results_t *r, gr_err_t *err)
{
    (void)ctx;
    (void)r;
    (void)err;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_setup();
    if (size < 1)
        return 0;
    char path[512];
    snprintf(path, sizeof path, "%s/run.h5" CKPT_SUFFIX, fuzz_dir);
    const unsigned mode = data[0] % 3;
    const unsigned blocks = size > 1 ? data[1] % 5 : 4; /* 4 blocks: every trial */
    int pristine = 0;
    if (mode == 0) {
        fuzz_put("run.h5" CKPT_SUFFIX, (const char *)data + 1, size - 1);
    } else {
        write_valid(path, blocks);
        FILE *f = fopen(path, "r+b");
        if (!f && !blocks)
            return 0; /* a checkpoint with no trial in it is not kept (ckpt_close) */
        if (!f)
            abort();
        fseek(f, 0, SEEK_END);
        const long len = ftell(f);
        if (mode == 1) {
            pristine = size <= 2;
            for (size_t i = 2; i + 2 < size; i += 3) {
                const long at = ((long)data[i] << 8 | data[i + 1]) % (len ? len : 1);
                fseek(f, at, SEEK_SET);
                const int old = fgetc(f);
                fseek(f, at, SEEK_SET);
                fputc(old ^ data[i + 2], f);
                pristine &= data[i + 2] == 0;
            }
        }
        fclose(f);
        if (mode == 2 && size >= 4 && truncate(path, ((long)data[2] << 8 | data[3]) % (len + 1)))
            abort();
    }
    ckpt_t *c;
    gr_err_t err = {0, {0}};
    if (ckpt_open(&c, path, IDENT, 1, &err)) {
        if (!err.msg[0])
            abort();
        return 0;
    }
    /* streamed: the reader fills a window of one block; the sink keeps the rows */
    const int streamed = (data[0] / 3) & 1;
    results_t *win = NULL, *r = shape();
    fz_sink_t fs = {r, 0};
    const sim_sink_t sink = {&fs, fz_open, fz_write};
    if (streamed) {
        const char *const names[] = {"baseline", "alloc"};
        const char *const tech[] = {"gas", "coal"};
        win = results_new(B, 2, 4, 2, names, 3, metric, 2, driver);
        if (!win || results_add_tech(win, 2, tech))
            abort();
        results_stream(win, T);
    }
    const sim_ckpt_t *k = ckpt_iface(c);
    uint64_t done = 99;
    unsigned char blob[BLOB] = {0};
    const int rc =
        k->begin(k->ctx, streamed ? win : r, B, BLOB, &done, blob, streamed ? &sink : NULL, &err);
    if (rc && !err.msg[0])
        abort();
    if (!rc && (done > T || (done % B && done != T)))
        abort();           /* a part of a block */
    if (!rc && streamed) { /* every kept block reached the sink, and no other */
        if (fs.next != done)
            abort();
        memcpy(r->lol_count, win->lol_count, r->n_scen * r->years * r->hours * sizeof(int64_t));
    }
    /* the trials to run again are as a fresh run has them: zero */
    for (size_t s = 0; !rc && s < r->n_scen; ++s)
        for (size_t m = 0; m < r->n_metrics; ++m)
            for (uint64_t t = done; t < T; ++t)
                for (size_t y = 0; y < r->years; ++y)
                    if (results_at(r, s, m, t)[y] != 0.0)
                        abort();
    if (!rc && pristine) {
        const uint64_t want = blocks * B < T ? blocks * B : T;
        results_t *w = shape();
        fill(w);
        if (done != want || ckpt_resumed_trials(c) != want)
            abort();
        for (size_t s = 0; s < r->n_scen; ++s) {
            for (size_t m = 0; m < r->n_metrics; ++m)
                if (memcmp(results_at(r, s, m, 0), results_at(w, s, m, 0),
                           want * r->years * sizeof(double)))
                    abort();
            for (size_t q = 0; q < RESULTS_N_TECH_Q; ++q)
                if (memcmp(results_tech_at(r, q, s, 0), results_tech_at(w, q, s, 0),
                           want * r->years * r->tech.n * sizeof(double)))
                    abort();
        }
        for (size_t d = 0; d < r->n_drivers; ++d)
            if (memcmp(results_driver_at(r, d, 0), results_driver_at(w, d, 0),
                       want * r->years * sizeof(double)))
                abort();
        if (want && (blob[0] != (unsigned char)want || r->lol_count[1] != (int64_t)want - 1))
            abort();
        results_free(w);
    }
    results_free(r);
    results_free(win);
    if (ckpt_close(c, 0, &err) && !err.msg[0])
        abort();
    return 0;
}
