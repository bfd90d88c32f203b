/* report.c - see report.h.
 *
 * The file may not be one we wrote: everything is read through h5read, which
 * checks each object's type and shape before reading it, and the report is
 * built in memory and printed only once all of it has been read, so a bad
 * file gives one error message and no half-printed table.
 */
#include "report.h"

#include "../inputs/scenario.h"
#include "../kernels/stats.h"
#include "h5out.h"
#include "h5read.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *metric;
    const char *label;
    double scale; /* multiply stored values by this */
} row_t;

static const row_t ROWS[] = {
    {"net_fiscal_cost_pkr", "net fiscal cost, PKR bn/yr", 1e-9},
    {"net_fiscal_cost_usd", "net fiscal cost, USD m/yr", 1e-6},
    {"shed_hours", "load-shedding hours, h/yr", 1.0},
    {"unserved_mwh", "unserved energy, GWh/yr", 1e-3},
    {"unserved_cost_usd", "unserved energy at VOLL, USD m/yr", 1e-6},
    {"miner_uptime", "miner uptime, %", 100.0},
    {"alloc_revenue_pkr", "allocation tariff revenue, PKR bn/yr", 1e-9},
    {"alloc_energy_mwh", "energy to allocation, GWh/yr", 1e-3},
};

/* The root attributes every report needs, checked. */
typedef struct {
    h5read_t h;
    h5read_names_t scen, met;
    char *name;
    uint64_t trials, years;
} hdr_t;

static void hdr_close(hdr_t *hd)
{
    h5read_names_free(&hd->scen);
    h5read_names_free(&hd->met);
    free(hd->name);
    hd->name = NULL;
    h5read_close(&hd->h);
}

static int hdr_open(hdr_t *hd, const char *path, gr_err_t *err)
{
    *hd = (hdr_t){.h = {-1, -1, path}};
    int64_t trials = 0, years = 0;
    int rc = h5read_open(&hd->h, path, err);
    if (!rc)
        rc = h5read_attr_names(&hd->h, "scenarios", &hd->scen, err);
    if (!rc)
        rc = h5read_attr_names(&hd->h, "metrics", &hd->met, err);
    if (!rc)
        rc = h5read_attr_str(&hd->h, "scenario_name", &hd->name, err);
    if (!rc && !h5read_printable(hd->name))
        rc = gr_err_set(err, GR_EINPUT, "%s: attribute 'scenario_name': not printable UTF-8",
                        path);
    if (!rc)
        rc = h5read_attr_int(&hd->h, "trials", 1, (int64_t)H5READ_MAX_ELEMS, &trials, err);
    if (!rc)
        rc = h5read_attr_int(&hd->h, "years", 1, SCENARIO_MAX_YEARS, &years, err);
    hd->trials = (uint64_t)trials;
    hd->years = (uint64_t)years;
    if (rc)
        hdr_close(hd);
    return rc;
}

/* Names fit: groups are at most "delta/" + a name, names H5READ_MAX_NAME. */
enum { OBJ_PATH_MAX = 3 * H5READ_MAX_NAME + 32 };

/* Joins group/metric or group/summary/metric into buf (obj). */
static int obj_path(const hdr_t *hd, char *buf, size_t n, const char *group, const char *sub,
                    const char *metric, gr_err_t *err)
{
    const int w = snprintf(buf, n, "%s/%s%s%s", group, sub, *sub ? "/" : "", metric);
    if (w < 0 || (size_t)w >= n)
        return gr_err_set(err, GR_EINPUT, "%s: %s/%s: name too long", hd->h.path, group, metric);
    return GR_OK;
}

/*
 * Reads group/summary/metric, the STATS_N statistics, into st; first checks
 * that group/metric, the per-trial values they summarise, has the shape the
 * trials and years attributes say.
 */
static int read_stats(const hdr_t *hd, const char *group, const char *metric, double *st,
                      gr_err_t *err)
{
    char obj[OBJ_PATH_MAX];
    const uint64_t ty[2] = {hd->trials, hd->years}, n_stats = STATS_N;
    int rc = obj_path(hd, obj, sizeof obj, group, "", metric, err);
    if (!rc)
        rc = h5read_f64(&hd->h, obj, 2, ty, NULL, 0, err);
    if (!rc)
        rc = obj_path(hd, obj, sizeof obj, group, "summary", metric, err);
    if (!rc)
        rc = h5read_f64(&hd->h, obj, 1, &n_stats, st, STATS_N, err);
    return rc;
}

/* Values read at a time: as many rows as the writer puts in a chunk
 * (h5out.c, write_2d), so that each read decompresses one chunk. */
enum { BLOCK_VALUES = 65536 };

/* Share of trials whose horizon-average of group/metric is > 0. */
static int prob_positive(const hdr_t *hd, const char *group, const char *metric, double *p,
                         gr_err_t *err)
{
    char obj[OBJ_PATH_MAX];
    const uint64_t T = hd->trials, Y = hd->years, dims[2] = {T, Y};
    const uint64_t rows = Y >= BLOCK_VALUES ? 1 : BLOCK_VALUES / Y;
    h5read_ds_t ds = {.id = -1};
    int rc = obj_path(hd, obj, sizeof obj, group, "", metric, err);
    if (!rc)
        rc = h5read_ds_open(&hd->h, obj, 2, dims, &ds, err);
    double *v = rc ? NULL : malloc(rows * Y * sizeof *v);
    if (!rc && !v)
        rc = gr_err_set(err, GR_ERUNTIME, "out of memory");
    uint64_t pos = 0;
    for (uint64_t t0 = 0; !rc && t0 < T; t0 += rows) {
        const uint64_t nr = T - t0 < rows ? T - t0 : rows;
        rc = h5read_ds_rows(&hd->h, &ds, t0, nr, v, rows * Y, err);
        for (uint64_t t = 0; !rc && t < nr; ++t) {
            double s = 0;
            for (uint64_t y = 0; y < Y; ++y)
                s += v[t * Y + y];
            pos += s > 0;
        }
    }
    free(v);
    h5read_ds_close(&ds);
    *p = (double)pos / (double)T;
    return rc;
}

/* The group of scenario i (i < ns) or of the paired difference of
 * scenario i - ns + 1 (ns <= i < 2 ns - 1), and its label. */
static void group_of(const hdr_t *hd, size_t i, char *group, size_t gn, char *lab, size_t ln)
{
    const size_t ns = hd->scen.n, si = i < ns ? i : i - ns + 1;
    if (i < ns)
        snprintf(group, gn, "%s", hd->scen.v[si]);
    else
        h5out_delta_group(group, gn, ns, hd->scen.v[si]);
    snprintf(lab, ln, i < ns ? "%s" : "delta %s", hd->scen.v[si]);
}

/* The policy report of an economic run. */
static int print_policy(const hdr_t *hd, FILE *out, gr_err_t *err)
{
    fprintf(out,
            "%s: %llu trials x %llu years. Per year, averaged over the horizon;\n"
            "statistics over trials (delta = scenario - baseline on the same draws).\n\n",
            hd->h.path, (unsigned long long)hd->trials, (unsigned long long)hd->years);
    fprintf(out, "%-38s %-18s %10s %10s %10s %10s\n", "", "", "mean", "P5", "P50", "P95");
    const size_t ns = hd->scen.n;
    int rc = GR_OK;
    for (size_t r = 0; r < sizeof ROWS / sizeof *ROWS && !rc; ++r) {
        for (size_t s = 0; s < 2 * ns - 1 && !rc; ++s) {
            char group[OBJ_PATH_MAX], lab[OBJ_PATH_MAX];
            group_of(hd, s, group, sizeof group, lab, sizeof lab);
            double st[STATS_N];
            rc = read_stats(hd, group, ROWS[r].metric, st, err);
            if (rc)
                break;
            const double k = ROWS[r].scale;
            fprintf(out, "%-38s %-18s %10.1f %10.1f %10.1f %10.1f\n", s ? "" : ROWS[r].label, lab,
                    st[STATS_MEAN] * k, st[STATS_P5] * k, st[STATS_P50] * k, st[STATS_P95] * k);
        }
    }
    static const struct {
        const char *label, *metric;
    } PROBS[] = {
        {"  P(net fiscal cost is higher)        ", "net_fiscal_cost_pkr"},
        {"  P(more load-shedding hours)         ", "shed_hours"},
        {"  P(more unserved energy)             ", "unserved_mwh"},
    };
    for (size_t s = 1; s < ns && !rc; ++s) {
        char group[OBJ_PATH_MAX];
        h5out_delta_group(group, sizeof group, ns, hd->scen.v[s]);
        fprintf(out, "\n%s vs baseline:\n", hd->scen.v[s]);
        for (size_t i = 0; i < sizeof PROBS / sizeof *PROBS && !rc; ++i) {
            double p;
            rc = prob_positive(hd, group, PROBS[i].metric, &p, err);
            if (!rc)
                fprintf(out, "%s%6.1f%%\n", PROBS[i].label, 100.0 * p);
        }
    }
    return rc;
}

/* One group's table of every metric's statistics. */
static int print_group(const hdr_t *hd, const char *group, FILE *out, gr_err_t *err)
{
    fprintf(out, "\n[%s]  (statistics over trials of each trial's annual average)\n", group);
    fprintf(out, "  %-24s %14s %12s %14s %14s %14s %14s\n", "metric", "mean", "se", "p5", "p50",
            "p95", "p99");
    for (size_t m = 0; m < hd->met.n; ++m) {
        double st[STATS_N];
        const int rc = read_stats(hd, group, hd->met.v[m], st, err);
        if (rc)
            return rc;
        fprintf(out, "  %-24s %14.6g %12.4g %14.6g %14.6g %14.6g %14.6g\n", hd->met.v[m],
                st[STATS_MEAN], st[STATS_SE], st[STATS_P5], st[STATS_P50], st[STATS_P95],
                st[STATS_P99]);
    }
    return GR_OK;
}

/* Every group's table: each scenario, then its difference from the baseline. */
static int print_tables(const hdr_t *hd, FILE *out, gr_err_t *err)
{
    fprintf(out, "%s: scenario '%s', %llu trials x %llu year(s)\n", hd->h.path, hd->name,
            (unsigned long long)hd->trials, (unsigned long long)hd->years);
    int rc = GR_OK;
    for (size_t s = 0; s < hd->scen.n && !rc; ++s) {
        rc = print_group(hd, hd->scen.v[s], out, err);
        if (rc || s == 0)
            continue;
        char g[OBJ_PATH_MAX];
        h5out_delta_group(g, sizeof g, hd->scen.n, hd->scen.v[s]);
        rc = print_group(hd, g, out, err);
    }
    return rc;
}

int report_print(const char *path, int all, FILE *out, gr_err_t *err)
{
    hdr_t hd;
    int rc = hdr_open(&hd, path, err);
    if (rc)
        return rc;
    int econ = 0;
    for (size_t m = 0; m < hd.met.n; ++m)
        econ |= !strcmp(hd.met.v[m], "net_fiscal_cost_pkr");
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    if (!mem) {
        hdr_close(&hd);
        return gr_err_set(err, GR_ERUNTIME, "out of memory");
    }
    rc = econ && !all ? print_policy(&hd, mem, err) : print_tables(&hd, mem, err);
    if (fclose(mem) != 0 && !rc)
        rc = gr_err_set(err, GR_ERUNTIME, "out of memory");
    if (!rc && fwrite(text, 1, len, out) != len)
        rc = gr_err_set(err, GR_ERUNTIME, "cannot write the report");
    free(text);
    hdr_close(&hd);
    return rc;
}
