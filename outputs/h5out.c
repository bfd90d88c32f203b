/* h5out.c - see h5out.h. */
#include "h5out.h"

#include "../kernels/stats.h"
#include "../model/outpath.h"

#include <errno.h>
#include <hdf5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct {
    const h5out_meta_t *meta;
    int datasets; /* written so far, for the fault-injection hook */
    gr_err_t *err;
    const char *path;
    int sys_errno; /* first errno an HDF5 driver reported (ENOSPC, EFBIG...) */
} wctx_t;

static int fail(wctx_t *c, const char *what)
{
    if (c->sys_errno)
        return gr_err_set(c->err, GR_ERUNTIME, "%s: write failed: %s (at %s)", c->path,
                          strerror(c->sys_errno), what);
    return gr_err_set(c->err, GR_ERUNTIME, "%s: HDF5 write failed: %s", c->path, what);
}

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

static int attr_str(hid_t loc, const char *name, const char *val)
{
    /* Variable-length UTF-8: h5py reads it as str, R's hdf5r as character. */
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, H5T_VARIABLE);
    H5Tset_cset(t, H5T_CSET_UTF8);
    hid_t sp = H5Screate(H5S_SCALAR);
    hid_t a = H5Acreate2(loc, name, t, sp, H5P_DEFAULT, H5P_DEFAULT);
    herr_t rc = a < 0 ? -1 : H5Awrite(a, t, &val);
    if (a >= 0 && H5Aclose(a) < 0)
        rc = -1;
    H5Sclose(sp);
    H5Tclose(t);
    return rc < 0 ? -1 : 0;
}

static int attr_num(hid_t loc, const char *name, hid_t type, const void *val)
{
    hid_t sp = H5Screate(H5S_SCALAR);
    hid_t a = H5Acreate2(loc, name, type, sp, H5P_DEFAULT, H5P_DEFAULT);
    herr_t rc = a < 0 ? -1 : H5Awrite(a, type, val);
    if (a >= 0 && H5Aclose(a) < 0)
        rc = -1;
    H5Sclose(sp);
    return rc < 0 ? -1 : 0;
}

/* Writes a rows x cols float64 dataset, chunked by row blocks, compressed. */
static int write_2d(wctx_t *c, hid_t loc, const char *name, const double *data, hsize_t rows,
                    hsize_t cols, const metric_info_t *info)
{
    if (c->meta->fail_at_dataset && ++c->datasets == c->meta->fail_at_dataset)
        return fail(c, "injected failure");
    hsize_t dims[2] = {rows, cols};
    hsize_t chunk_rows = 65536 / (cols ? cols : 1);
    chunk_rows = chunk_rows < 1 ? 1 : chunk_rows > rows ? rows : chunk_rows;
    hsize_t chunk[2] = {chunk_rows, cols};
    hid_t sp = H5Screate_simple(cols ? 2 : 1, dims, NULL);
    hid_t pl = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_chunk(pl, cols ? 2 : 1, chunk);
    H5Pset_shuffle(pl);
    H5Pset_deflate(pl, 4);
    hid_t d = H5Dcreate2(loc, name, H5T_IEEE_F64LE, sp, H5P_DEFAULT, pl, H5P_DEFAULT);
    int rc = d < 0 || H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0;
    if (!rc && info)
        rc = attr_str(d, "units", info->unit) || attr_str(d, "description", info->desc);
    /* closing flushes the dataset's last chunks: a full disk shows here */
    if (d >= 0 && H5Dclose(d) < 0)
        rc = 1;
    H5Pclose(pl);
    H5Sclose(sp);
    return rc ? fail(c, name) : GR_OK;
}

static char *join_names(size_t n, const char *(*get)(const void *, size_t), const void *ctx)
{
    size_t len = 1;
    for (size_t i = 0; i < n; ++i)
        len += strlen(get(ctx, i)) + 1;
    char *s = calloc(len, 1);
    for (size_t i = 0; s && i < n; ++i) {
        if (i)
            strcat(s, ",");
        strcat(s, get(ctx, i));
    }
    return s;
}

static const char *get_scen(const void *r, size_t i) { return ((const results_t *)r)->scen_names[i]; }
static const char *get_metric(const void *r, size_t i) { return ((const results_t *)r)->metrics[i].name; }
static const char *get_driver(const void *r, size_t i) { return ((const results_t *)r)->drivers[i].name; }
static const char *get_stat(const void *r, size_t i) { (void)r; return stats_names[i]; }

static int root_attrs(wctx_t *c, hid_t f, const results_t *r)
{
    const h5out_meta_t *m = c->meta;
    const unsigned long long trials = r->trials, years = r->years, hours = r->hours;
    const unsigned seed = r->seed;
    const int threads = r->threads, ranks = r->ranks;
    char *scen = join_names(r->n_scen, get_scen, r);
    char *met = join_names(r->n_metrics, get_metric, r);
    char *drv = join_names(r->n_drivers, get_driver, r);
    char *st = join_names(STATS_N, get_stat, NULL);
    int rc = !scen || !met || !drv || !st || attr_str(f, "tool", "gridrisk") ||
             attr_str(f, "version", m->version) ||
             attr_str(f, "scenario_name", m->scenario_name) ||
             attr_str(f, "scenario_yaml", m->scenario_yaml) ||
             attr_num(f, "seed", H5T_NATIVE_UINT, &seed) ||
             attr_num(f, "trials", H5T_NATIVE_ULLONG, &trials) ||
             attr_num(f, "years", H5T_NATIVE_ULLONG, &years) ||
             attr_num(f, "hours_per_year", H5T_NATIVE_ULLONG, &hours) ||
             attr_num(f, "threads", H5T_NATIVE_INT, &threads) ||
             attr_num(f, "ranks", H5T_NATIVE_INT, &ranks) ||
             attr_num(f, "wall_time_s", H5T_NATIVE_DOUBLE, &r->wall_s) ||
             attr_str(f, "scenarios", scen) || attr_str(f, "metrics", met) ||
             attr_str(f, "drivers", drv) || attr_str(f, "stats", st);
    free(scen);
    free(met);
    free(drv);
    free(st);
    return rc ? fail(c, "root attributes") : GR_OK;
}

/*
 * Metric m's T x Y array for a group: scenario s's own results, or (delta)
 * the paired difference s - baseline, computed into diff[T x Y] just before
 * it is written, so the writer never holds a second copy of the results.
 */
static const double *metric_src(const results_t *r, size_t s, int delta, size_t m, double *diff)
{
    const double *a = results_at(r, s, m, 0);
    if (!delta)
        return a;
    const double *b = results_at(r, 0, m, 0);
    for (size_t i = 0; i < r->trials * r->years; ++i)
        diff[i] = a[i] - b[i];
    return diff;
}

/*
 * Writes one group of metrics (scenario s, or its paired difference when
 * delta): the T x Y arrays, their summaries and the LOLP profile lolp
 * [Y x H]. scratch holds max(T, Y x H) doubles, diff T x Y (delta only).
 */
static int write_group(wctx_t *c, hid_t g, const results_t *r, size_t s, int delta,
                       const double *lolp, double *scratch, double *diff)
{
    const size_t T = r->trials, Y = r->years;
    hid_t sg = H5Gcreate2(g, "summary", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (sg < 0)
        return fail(c, "summary group");
    char *st = join_names(STATS_N, get_stat, NULL);
    int rc = GR_OK;
    double *avg = malloc(T * sizeof *avg);
    if (!avg || !st)
        rc = gr_err_set(c->err, GR_ERUNTIME, "out of memory");
    for (size_t m = 0; !rc && m < r->n_metrics; ++m) {
        const double *src = metric_src(r, s, delta, m, diff);
        rc = write_2d(c, g, r->metrics[m].name, src, T, Y, &r->metrics[m]);
        if (rc)
            break;
        for (size_t t = 0; t < T; ++t) {
            double sum = 0.0;
            for (size_t y = 0; y < Y; ++y)
                sum += src[t * Y + y];
            avg[t] = sum / (double)Y;
        }
        double stats[STATS_N];
        stats_summarize(avg, T, scratch, stats);
        rc = write_2d(c, sg, r->metrics[m].name, stats, STATS_N, 0, &r->metrics[m]);
        if (!rc) {
            hid_t d = H5Dopen2(sg, r->metrics[m].name, H5P_DEFAULT);
            rc = d < 0 || attr_str(d, "stats", st) ? fail(c, "stats attribute") : GR_OK;
            if (d >= 0)
                H5Dclose(d);
        }
    }
    static const metric_info_t lolp_info = {"lolp_hourly", "probability",
                                            "share of trials with loss of load at each hour"};
    if (!rc)
        rc = write_2d(c, g, "lolp_hourly", lolp, Y, r->hours, &lolp_info);
    free(avg);
    free(st);
    if (H5Gclose(sg) < 0 && !rc)
        rc = fail(c, "summary group");
    return rc;
}

void h5out_delta_group(char *buf, size_t n, size_t n_scen, const char *scenario)
{
    if (n_scen == 2)
        snprintf(buf, n, "delta");
    else
        snprintf(buf, n, "delta/%s", scenario);
}

/* Heap use beyond the results (results_estimate counts the same buffers):
 * scratch max(T, Y x H), lolp and lolp0 Y x H, diff T x Y when there is a
 * second scenario, and write_group's avg T. */
static int write_all(wctx_t *c, hid_t f, const results_t *r)
{
    const size_t T = r->trials, Y = r->years, H = r->hours;
    int rc = root_attrs(c, f, r);
    double *scratch = malloc((T > Y * H ? T : Y * H) * sizeof *scratch);
    double *lolp = malloc(Y * H * sizeof *lolp);
    double *lolp0 = malloc(Y * H * sizeof *lolp0);
    double *diff = r->n_scen > 1 ? malloc(T * Y * sizeof *diff) : NULL;
    if (!scratch || !lolp || !lolp0 || (r->n_scen > 1 && !diff))
        rc = rc ? rc : gr_err_set(c->err, GR_ERUNTIME, "out of memory");
    for (size_t s = 0; !rc && s < r->n_scen; ++s) {
        hid_t g = H5Gcreate2(f, r->scen_names[s], H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        if (g < 0) {
            rc = fail(c, r->scen_names[s]);
            break;
        }
        const int64_t *lc = r->lol_count + s * Y * H;
        for (size_t i = 0; i < Y * H; ++i)
            lolp[i] = (double)lc[i] / (double)T;
        if (s == 0)
            memcpy(lolp0, lolp, Y * H * sizeof *lolp);
        rc = write_group(c, g, r, s, 0, lolp, scratch, diff);
        if (H5Gclose(g) < 0 && !rc)
            rc = fail(c, r->scen_names[s]);
        if (rc || s == 0)
            continue;
        /* Paired difference against the baseline (scenario 0). */
        char name[300];
        h5out_delta_group(name, sizeof name, r->n_scen, r->scen_names[s]);
        hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
        H5Pset_create_intermediate_group(lcpl, 1);
        hid_t dg = H5Gcreate2(f, name, lcpl, H5P_DEFAULT, H5P_DEFAULT);
        H5Pclose(lcpl);
        if (dg < 0) {
            rc = fail(c, name);
            break;
        }
        for (size_t i = 0; i < Y * H; ++i)
            lolp[i] -= lolp0[i];
        rc = write_group(c, dg, r, s, 1, lolp, scratch, diff);
        if (H5Gclose(dg) < 0 && !rc)
            rc = fail(c, name);
    }
    if (!rc && r->n_drivers) {
        hid_t g = H5Gcreate2(f, "drivers", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        if (g < 0)
            rc = fail(c, "drivers");
        for (size_t d = 0; !rc && d < r->n_drivers; ++d)
            rc = write_2d(c, g, r->drivers[d].name, results_driver_at(r, d, 0), T, Y,
                          &r->drivers[d]);
        if (g >= 0 && H5Gclose(g) < 0 && !rc)
            rc = fail(c, "drivers");
    }
    free(scratch);
    free(lolp);
    free(lolp0);
    free(diff);
    return rc;
}

/* Refuses results with a NaN or an infinity: a number that absurd input
 * produced must not reach a result file, where it would read as an answer. */
static int check_finite(const char *path, const results_t *r, gr_err_t *err)
{
    const metric_info_t *what;
    size_t s, y;
    uint64_t t;
    if (!results_find_nonfinite(r, &what, &s, &t, &y))
        return GR_OK;
    if (s == SIZE_MAX)
        return gr_err_set(err, GR_ERUNTIME,
                          "%s: not written: driver '%s' is not finite, first at trial %llu, "
                          "year %zu (check the scenario's inputs for absurd values)",
                          path, what->name, (unsigned long long)t, y + 1);
    return gr_err_set(err, GR_ERUNTIME,
                      "%s: not written: metric '%s' of scenario '%s' is not finite, first at "
                      "trial %llu, year %zu (check the scenario's inputs for absurd values)",
                      path, what->name, r->scen_names[s], (unsigned long long)t, y + 1);
}

/* Seconds to sleep once the temporary exists, from the test hook
 * GRIDRISK_TEST_PAUSE_IN_WRITE (tests/test_cli.c signals the process then);
 * 0 when unset. Never set it outside tests. */
static unsigned test_pause_s(void)
{
    const char *s = getenv("GRIDRISK_TEST_PAUSE_IN_WRITE");
    const long v = s ? strtol(s, NULL, 10) : 0;
    return v > 0 && v < 3600 ? (unsigned)v : 0;
}

int h5out_write(const char *path, const results_t *r, const h5out_meta_t *meta, gr_err_t *err)
{
    char tmp[OUTPATH_MAX];
    if (outpath_tmp(tmp, sizeof tmp, path))
        return gr_err_set(err, GR_EINPUT, "%s: path too long", path);
    int rc = check_finite(path, r, err);
    if (rc)
        return rc;
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
    wctx_t c = {meta, 0, err, path, 0};
    H5E_auto2_t old_fn;
    void *old_data;
    H5Eget_auto2(H5E_DEFAULT, &old_fn, &old_data);
    H5Eset_auto2(H5E_DEFAULT, on_h5_error, &c); /* we report errors ourselves */
    hid_t f = H5Fcreate(tmp, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    if (f < 0) {
        rc = gr_err_set(err, GR_ERUNTIME, "%s: cannot create: %s", tmp,
                        strerror(c.sys_errno ? c.sys_errno : errno));
        H5Eset_auto2(H5E_DEFAULT, old_fn, old_data);
        return rc;
    }
    const unsigned pause_s = test_pause_s();
    if (pause_s)
        sleep(pause_s);
    rc = write_all(&c, f, r);
    if (H5Fclose(f) < 0 && !rc)
        rc = fail(&c, "close");
    H5Eset_auto2(H5E_DEFAULT, old_fn, old_data);
    if (!rc && rename(tmp, path) != 0)
        rc = gr_err_set(err, GR_ERUNTIME, "%s: cannot rename %s into place: %s", path, tmp,
                        strerror(errno));
    if (rc)
        unlink(tmp);
    return rc;
}

/* --- reading ------------------------------------------------------------ */

char *h5out_attr_str(hid_t loc, const char *name)
{
    hid_t a = H5Aopen(loc, name, H5P_DEFAULT);
    if (a < 0)
        return NULL;
    hid_t mt = H5Tcopy(H5T_C_S1);
    H5Tset_size(mt, H5T_VARIABLE);
    H5Tset_cset(mt, H5T_CSET_UTF8);
    char *v = NULL, *s = NULL;
    if (H5Aread(a, mt, &v) >= 0 && v) {
        s = strdup(v);
        H5free_memory(v);
    }
    H5Tclose(mt);
    H5Aclose(a);
    return s;
}

unsigned long long h5out_attr_u64(hid_t loc, const char *name)
{
    unsigned long long v = 0;
    hid_t a = H5Aopen(loc, name, H5P_DEFAULT);
    if (a >= 0) {
        if (H5Aread(a, H5T_NATIVE_ULLONG, &v) < 0)
            v = 0;
        H5Aclose(a);
    }
    return v;
}

/* Splits a comma list in place into at most max parts; returns the count. */
static size_t split_list(char *s, char **parts, size_t max)
{
    size_t n = 0;
    for (char *tok = strtok(s, ","); tok && n < max; tok = strtok(NULL, ","))
        parts[n++] = tok;
    return n;
}

static int print_group(hid_t f, const char *group, char **metrics, size_t nm, FILE *out)
{
    fprintf(out, "\n[%s]  (statistics over trials of each trial's annual average)\n", group);
    fprintf(out, "  %-24s %14s %12s %14s %14s %14s %14s\n", "metric", "mean", "se", "p5", "p50",
            "p95", "p99");
    for (size_t m = 0; m < nm; ++m) {
        char path[512];
        snprintf(path, sizeof path, "%s/summary/%s", group, metrics[m]);
        hid_t d = H5Dopen2(f, path, H5P_DEFAULT);
        double st[STATS_N];
        if (d < 0 || H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, st) < 0) {
            if (d >= 0)
                H5Dclose(d);
            return -1;
        }
        H5Dclose(d);
        fprintf(out, "  %-24s %14.6g %12.4g %14.6g %14.6g %14.6g %14.6g\n", metrics[m],
                st[STATS_MEAN], st[STATS_SE], st[STATS_P5], st[STATS_P50], st[STATS_P95],
                st[STATS_P99]);
    }
    return 0;
}

int h5out_print_summary(const char *path, FILE *out, gr_err_t *err)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0)
        return gr_err_set(err, GR_EINPUT, "%s: cannot open as HDF5", path);
    char *scen = h5out_attr_str(f, "scenarios");
    char *met = h5out_attr_str(f, "metrics");
    char *name = h5out_attr_str(f, "scenario_name");
    int rc = GR_OK;
    if (!scen || !met || !name) {
        rc = gr_err_set(err, GR_EINPUT, "%s: not a gridrisk result file (attributes missing)",
                        path);
        goto done;
    }
    const unsigned long long trials = h5out_attr_u64(f, "trials");
    const unsigned long long years = h5out_attr_u64(f, "years");
    fprintf(out, "%s: scenario '%s', %llu trials x %llu year(s)\n", path, name, trials, years);
    char *sp[64], *mp[64];
    const size_t ns = split_list(scen, sp, 64), nm = split_list(met, mp, 64);
    for (size_t s = 0; s < ns && !rc; ++s) {
        if (print_group(f, sp[s], mp, nm, out))
            rc = gr_err_set(err, GR_EINPUT, "%s: cannot read summary of '%s'", path, sp[s]);
        if (rc || s == 0)
            continue;
        char g[300];
        h5out_delta_group(g, sizeof g, ns, sp[s]);
        if (print_group(f, g, mp, nm, out))
            rc = gr_err_set(err, GR_EINPUT, "%s: cannot read summary of '%s'", path, g);
    }
done:
    free(scen);
    free(met);
    free(name);
    H5Fclose(f);
    return rc;
}
