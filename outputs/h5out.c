/* h5out.c - see h5out.h. */
#include "h5out.h"

#include "../kernels/stats.h"

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
} wctx_t;

static int fail(wctx_t *c, const char *what)
{
    return gr_err_set(c->err, GR_ERUNTIME, "%s: HDF5 write failed: %s", c->path, what);
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
    if (a >= 0)
        H5Aclose(a);
    H5Sclose(sp);
    H5Tclose(t);
    return rc < 0 ? -1 : 0;
}

static int attr_num(hid_t loc, const char *name, hid_t type, const void *val)
{
    hid_t sp = H5Screate(H5S_SCALAR);
    hid_t a = H5Acreate2(loc, name, type, sp, H5P_DEFAULT, H5P_DEFAULT);
    herr_t rc = a < 0 ? -1 : H5Awrite(a, type, val);
    if (a >= 0)
        H5Aclose(a);
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
    if (d >= 0)
        H5Dclose(d);
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
 * Writes one group of metrics (a scenario, or a paired difference): the
 * T x Y arrays, their summaries and the LOLP profile. src(m) gives metric
 * m's T x Y array, lol the Y x H loss-of-load probabilities.
 */
static int write_group(wctx_t *c, hid_t g, const results_t *r, const double *const *src,
                       const double *lolp, double *scratch)
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
        rc = write_2d(c, g, r->metrics[m].name, src[m], T, Y, &r->metrics[m]);
        if (rc)
            break;
        for (size_t t = 0; t < T; ++t) {
            double s = 0.0;
            for (size_t y = 0; y < Y; ++y)
                s += src[m][t * Y + y];
            avg[t] = s / (double)Y;
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
    H5Gclose(sg);
    return rc;
}

void h5out_delta_group(char *buf, size_t n, size_t n_scen, const char *scenario)
{
    if (n_scen == 2)
        snprintf(buf, n, "delta");
    else
        snprintf(buf, n, "delta/%s", scenario);
}

static int write_all(wctx_t *c, hid_t f, const results_t *r)
{
    const size_t T = r->trials, Y = r->years, H = r->hours, M = r->n_metrics;
    int rc = root_attrs(c, f, r);
    double *scratch = malloc((T > Y * H ? T : Y * H) * sizeof *scratch);
    double *lolp = malloc(Y * H * sizeof *lolp);
    double *lolp0 = malloc(Y * H * sizeof *lolp0);
    double *diff = malloc(M * T * Y * sizeof *diff + 1);
    const double **src = malloc((M + 1) * sizeof *src);
    if (!scratch || !lolp || !lolp0 || !diff || !src)
        rc = rc ? rc : gr_err_set(c->err, GR_ERUNTIME, "out of memory");
    for (size_t s = 0; !rc && s < r->n_scen; ++s) {
        hid_t g = H5Gcreate2(f, r->scen_names[s], H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        if (g < 0) {
            rc = fail(c, r->scen_names[s]);
            break;
        }
        for (size_t m = 0; m < M; ++m)
            src[m] = results_at(r, s, m, 0);
        const int64_t *lc = r->lol_count + s * Y * H;
        for (size_t i = 0; i < Y * H; ++i)
            lolp[i] = (double)lc[i] / (double)T;
        if (s == 0)
            memcpy(lolp0, lolp, Y * H * sizeof *lolp);
        rc = write_group(c, g, r, src, lolp, scratch);
        H5Gclose(g);
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
        for (size_t m = 0; m < M; ++m) {
            const double *a = results_at(r, s, m, 0), *b = results_at(r, 0, m, 0);
            double *d = diff + m * T * Y;
            for (size_t i = 0; i < T * Y; ++i)
                d[i] = a[i] - b[i];
            src[m] = d;
        }
        for (size_t i = 0; i < Y * H; ++i)
            lolp[i] -= lolp0[i];
        rc = write_group(c, dg, r, src, lolp, scratch);
        H5Gclose(dg);
    }
    if (!rc && r->n_drivers) {
        hid_t g = H5Gcreate2(f, "drivers", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        if (g < 0)
            rc = fail(c, "drivers");
        for (size_t d = 0; !rc && d < r->n_drivers; ++d)
            rc = write_2d(c, g, r->drivers[d].name, results_driver_at(r, d, 0), T, Y,
                          &r->drivers[d]);
        if (g >= 0)
            H5Gclose(g);
    }
    free(scratch);
    free(lolp);
    free(lolp0);
    free(diff);
    free(src);
    return rc;
}

int h5out_write(const char *path, const results_t *r, const h5out_meta_t *meta, gr_err_t *err)
{
    char tmp[4096];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid()) >= sizeof tmp)
        return gr_err_set(err, GR_EINPUT, "%s: path too long", path);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL); /* we report errors ourselves */
    hid_t f = H5Fcreate(tmp, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    if (f < 0)
        return gr_err_set(err, GR_ERUNTIME, "%s: cannot create: %s", tmp, strerror(errno));
    wctx_t c = {meta, 0, err, path};
    int rc = write_all(&c, f, r);
    if (H5Fclose(f) < 0 && !rc)
        rc = fail(&c, "close");
    if (!rc && rename(tmp, path) != 0)
        rc = gr_err_set(err, GR_ERUNTIME, "%s: cannot rename %s into place: %s", path, tmp,
                        strerror(errno));
    if (rc)
        unlink(tmp);
    return rc;
}
