/* test_ckpt.c - the checkpoint's records round trip bit for bit
 * (outputs/ckpt.h): segments of words that are not a multiple of the coding's
 * groups of 64, mostly zero (a reliable system's trials shed nothing), with
 * values that are not zero right after each segment in memory, so that a
 * coder that reads or counts one word past a segment, or treats a last short
 * group as whole, writes a record its head does not describe (the writer's
 * own check refuses it) or reads past an allocation (the ASan build). The
 * damaged and hostile records are tests/check_resume.py's and the fuzzer's. */
#include "testutil.h"

#include "../outputs/ckpt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { T = 300, B = 100, Y = 2, H = 100, BLOB = 11 };

static const metric_info_t metric[2] = {{"a", "u", "a"}, {"b", "u", "b"}};
static const char IDENT[] = "build=test\nseed=1\n";

static results_t *shape(void)
{
    const char *const names[] = {"baseline", "alloc"};
    results_t *r = results_new(T, Y, H, 2, names, 2, metric, 0, NULL);
    assert_non_null(r);
    return r;
}

/* Word i of the rows: one in five not zero, -0.0 among them (its bits are
 * not zero: it must come back as -0.0). */
static double value(uint64_t i) { return i % 5 ? 0.0 : i % 3 ? 0.25 * (double)i : -0.0; }

static void fill(results_t *r)
{
    for (size_t i = 0; i < r->n_scen * r->n_metrics * T * Y; ++i)
        r->values[i] = value(i);
}

/* A fresh checkpoint at path, begun for results *r (shape(), filled). */
static const sim_ckpt_t *start_fresh(const char *path, ckpt_t **c, results_t **r)
{
    unlink(path);
    gr_err_t err = {0, {0}};
    assert_int_equal(ckpt_open(c, path, IDENT, 0, &err), GR_OK);
    *r = shape();
    fill(*r);
    const sim_ckpt_t *k = ckpt_iface(*c);
    uint64_t done = 7;
    unsigned char blob[BLOB] = {0};
    assert_int_equal(k->begin(k->ctx, *r, B, BLOB, &done, blob, NULL, &err), GR_OK);
    assert_int_equal(done, 0);
    return k;
}

static void test_round_trip(void **st)
{
    (void)st;
    char path[512];
    snprintf(path, sizeof path, "%s/run.h5" CKPT_SUFFIX, tu_dir());
    gr_err_t err = {0, {0}};
    ckpt_t *c;
    results_t *r;
    const sim_ckpt_t *k = start_fresh(path, &c, &r);
    uint64_t done;
    unsigned char blob[BLOB];
    int64_t lol[3][2 * Y * H]; /* the run's totals after each block: 100 a year and scenario */
    unsigned char blobs[3][BLOB];
    for (uint64_t b0 = 0, j = 0; b0 < T; b0 += B, ++j) {
        for (size_t i = 0; i < 2 * Y * H; ++i) /* the block's counts most zero, the last word of
                                                * each group not; at most the block's trials */
            lol[j][i] = (j ? lol[j - 1][i] : 0) +
                        (i % 64 == 63 || i % 7 == (size_t)j ? (int64_t)(1 + (i + j) % B) : 0);
        memcpy(r->lol_count, lol[j], sizeof lol[j]);
        memset(blobs[j], (int)(0xa0 + j), BLOB);
        assert_int_equal(k->flush(k->ctx, r, b0, b0 + B, blobs[j], BLOB, 0, &err), GR_OK);
    }
    assert_int_equal(ckpt_close(c, 0, &err), GR_OK);
    results_free(r);

    assert_int_equal(ckpt_open(&c, path, IDENT, 1, &err), GR_OK);
    r = shape();
    k = ckpt_iface(c);
    memset(blob, 0, sizeof blob);
    if (k->begin(k->ctx, r, B, BLOB, &done, blob, NULL, &err) != GR_OK)
        fail_msg("resume: %s", err.msg);
    assert_int_equal(done, T);
    assert_int_equal(ckpt_resumed_trials(c), T);
    assert_int_equal(ckpt_dropped_bytes(c), 0);
    for (size_t i = 0; i < r->n_scen * r->n_metrics * T * Y; ++i) {
        const double want = value(i);
        if (memcmp(&r->values[i], &want, sizeof want))
            fail_msg("word %zu: %g, written %g", i, r->values[i], want);
    }
    assert_memory_equal(r->lol_count, lol[2], sizeof lol[2]); /* the last block's totals */
    assert_memory_equal(blob, blobs[2], BLOB);
    assert_int_equal(ckpt_close(c, 1, &err), GR_OK);
    assert_false(tu_exists(path));
    results_free(r);
}

/* Writes blocks [0, B) and [B, 2B) whose totals after each are first[]
 * and second[] (every hour alike), at path. */
static void write_two(const char *path, int64_t first, int64_t second)
{
    gr_err_t err = {0, {0}};
    ckpt_t *c;
    results_t *r;
    const sim_ckpt_t *k = start_fresh(path, &c, &r);
    unsigned char blob[BLOB] = {0};
    const int64_t tot[2] = {first, second};
    for (int j = 0; j < 2; ++j) {
        for (size_t i = 0; i < 2 * Y * H; ++i)
            r->lol_count[i] = tot[j];
        assert_int_equal(
            k->flush(k->ctx, r, (uint64_t)j * B, (uint64_t)(j + 1) * B, blob, BLOB, 0, &err),
            GR_OK);
    }
    assert_int_equal(ckpt_close(c, 0, &err), GR_OK);
    results_free(r);
}

/* Resumes from path: the status, the trials read back and the totals. */
static int resume(const char *path, uint64_t *done, int64_t *total, gr_err_t *err)
{
    ckpt_t *c;
    assert_int_equal(ckpt_open(&c, path, IDENT, 1, err), GR_OK);
    results_t *r = shape();
    const sim_ckpt_t *k = ckpt_iface(c);
    unsigned char blob[BLOB];
    const int rc = k->begin(k->ctx, r, B, BLOB, done, blob, NULL, err);
    *total = r->lol_count[2 * Y * H - 1];
    gr_err_t ignored = {0, {0}};
    ckpt_close(c, 0, &ignored);
    results_free(r);
    return rc;
}

/* A record holds its block's loss-of-load counts, which the reader adds up:
 * a block's count of an hour above its trials, or below 0 (totals that
 * fall), is refused as a file gridrisk did not write (its CRC-32 holds); a
 * run resumed and continued writes its next record from the totals it read
 * back, so a second resume reads the same totals as one run would. */
static void test_loss_of_load_counts(void **st)
{
    (void)st;
    char path[512];
    snprintf(path, sizeof path, "%s/lol.h5" CKPT_SUFFIX, tu_dir());
    gr_err_t err = {0, {0}};
    uint64_t done;
    int64_t total;
    write_two(path, B, 2 * B); /* every trial short in every hour: the most there is */
    assert_int_equal(resume(path, &done, &total, &err), GR_OK);
    assert_int_equal(done, 2 * B);
    assert_int_equal(total, 2 * B);
    write_two(path, 1, B + 2); /* the second block counts B + 1 of its B trials */
    assert_int_equal(resume(path, &done, &total, &err), GR_EINPUT);
    assert_non_null(strstr(err.msg, "record 1 counts 101 trials with loss of load in an hour of "
                                    "its 100 (not written by gridrisk)"));
    write_two(path, 5, 4); /* totals that fall: the second block counts -1 */
    assert_int_equal(resume(path, &done, &total, &err), GR_EINPUT);
    assert_non_null(strstr(err.msg, "record 1 counts -1 trials"));

    /* resumed after two blocks, a third written, resumed again */
    write_two(path, 3, 7);
    ckpt_t *c;
    assert_int_equal(ckpt_open(&c, path, IDENT, 1, &err), GR_OK);
    results_t *r = shape();
    fill(r);
    const sim_ckpt_t *k = ckpt_iface(c);
    unsigned char blob[BLOB] = {0};
    assert_int_equal(k->begin(k->ctx, r, B, BLOB, &done, blob, NULL, &err), GR_OK);
    assert_int_equal(done, 2 * B);
    for (size_t i = 0; i < 2 * Y * H; ++i)
        r->lol_count[i] += 50; /* the third block's 50 */
    assert_int_equal(k->flush(k->ctx, r, 2 * B, 3 * B, blob, BLOB, 0, &err), GR_OK);
    assert_int_equal(ckpt_close(c, 0, &err), GR_OK);
    results_free(r);
    assert_int_equal(resume(path, &done, &total, &err), GR_OK);
    assert_int_equal(done, 3 * B);
    assert_int_equal(total, 57);
    unlink(path);
}

/* Defect: --resume through a symbolic link appended every remaining trial
 * to the link's target and, once done, removed only the link: the grown
 * target stayed behind, unannounced. The link is refused, both untouched. */
static void test_resume_refuses_a_link(void **st)
{
    (void)st;
    char target[512], link_path[512];
    /* what the target holds does not matter: the link is refused first */
    tu_write(tu_dir(), "elsewhere.ckpt", "GRIDCKPT and the rest of a checkpoint", target,
             sizeof target);
    snprintf(link_path, sizeof link_path, "%s/run.h5" CKPT_SUFFIX, tu_dir());
    unlink(link_path);
    assert_int_equal(symlink(target, link_path), 0);
    ckpt_t *c;
    gr_err_t err = {0, {0}};
    assert_int_equal(ckpt_open(&c, link_path, IDENT, 1, &err), GR_EINPUT);
    assert_non_null(strstr(err.msg, "is not a regular file but a symbolic link"));
    assert_true(tu_exists(link_path) && tu_exists(target));
    FILE *f = fopen(target, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    assert_int_equal(ftell(f), (long)strlen("GRIDCKPT and the rest of a checkpoint"));
    fclose(f);
    unlink(link_path);
    unlink(target);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_loss_of_load_counts),
        cmocka_unit_test(test_resume_refuses_a_link),
    };
    return cmocka_run_group_tests_name("ckpt", tests, tu_setup_dir, tu_teardown_dir);
}
