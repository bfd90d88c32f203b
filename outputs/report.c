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
#include "../model/limits.h"
#include "h5out.h"
#include "h5read.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *metric;
    const char *label;
    double scale; /* multiply stored values by this */
    int optional; /* skipped when the file lacks it (files of earlier releases) */
} row_t;

/* An adequacy run (units and load only): the reliability indices. */
static const row_t ADEQUACY_ROWS[] = {
    {"shed_hours", "loss-of-load hours (LOLE), h/yr", 1.0, 0},
    {"unserved_mwh", "unserved energy (EUE), MWh/yr", 1.0, 0},
    {"shed_events", "loss-of-load events (LOLF), 1/yr", 1.0, 0},
};

/* The consumer-equivalent hours lead: what an average consumer loses. The
 * system hours (an hour counts if anyone is shed) are an order of magnitude
 * larger and read as if they were a consumer's, so they are labelled as
 * what they are. */
static const row_t ROWS[] = {
    {"net_fiscal_cost_pkr", "net fiscal cost, PKR bn/yr", 1e-9, 0},
    {"net_fiscal_cost_usd", "  in USD at each year's rate, USD m/yr", 1e-6, 0},
    {"shed_consumer_hours", "consumer-equivalent shed hours, h/yr", 1.0, 1},
    {"shed_hours", "system hours (any consumer shed), h/yr", 1.0, 0},
    {"unserved_mwh", "unserved energy, GWh/yr", 1e-3, 0},
    {"unserved_cost_usd", "unserved energy at VOLL, USD m/yr", 1e-6, 0},
    {"miner_uptime", "miner uptime, %", 100.0, 0},
    {"alloc_revenue_pkr", "allocation tariff revenue, PKR bn/yr", 1e-9, 0},
    {"alloc_energy_mwh", "energy to allocation, GWh/yr", 1e-3, 0},
};

/* What every report needs, read from the file and checked: the format,
 * the run's shape, the scenario coordinate and the metrics (the root's
 * data variables). */
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

static int is_coordinate(const char *name)
{
    return !strcmp(name, "scenario") || !strcmp(name, "trial") || !strcmp(name, "year");
}

static int hdr_open(hdr_t *hd, const char *path, gr_err_t *err)
{
    *hd = (hdr_t){.h = {-1, -1, path}};
    int64_t version = 0, trials = 0, years = 0;
    h5read_names_t all = {NULL, NULL, 0};
    int rc = h5read_open(&hd->h, path, err);
    if (!rc && (rc = h5read_attr_int(&hd->h, "format_version", 0, INT32_MAX, &version, err))) {
        char why[sizeof err->msg];
        snprintf(why, sizeof why, "%s", err->msg);
        rc = gr_err_set(err, GR_EINPUT, "%s (not a gridrisk result of format %d)", why,
                        H5OUT_FORMAT_VERSION);
    }
    if (!rc && version != H5OUT_FORMAT_VERSION)
        rc = gr_err_set(err, GR_EINPUT, "%s: format_version %lld; this gridrisk reads %d", path,
                        (long long)version, H5OUT_FORMAT_VERSION);
    if (!rc)
        rc = h5read_attr_str(&hd->h, "scenario_name", &hd->name, err);
    if (!rc && !h5read_printable(hd->name))
        rc = gr_err_set(err, GR_EINPUT, "%s: attribute 'scenario_name': not printable UTF-8", path);
    if (!rc)
        rc = h5read_attr_int(&hd->h, "trials", 1, INT32_MAX, &trials, err);
    /* the attribute sizes the reports' buffers: it must be the count the
     * file holds (the trial coordinate's length, which has its data), or a
     * crafted 2^31 - 1 asks for gigabytes before any shape is checked */
    if (!rc)
        rc = h5read_f64(&hd->h, "trial", 1, (const uint64_t[]){(uint64_t)trials}, NULL, 0, err);
    if (rc == GR_EINPUT && trials > 0) {
        char why[sizeof err->msg];
        snprintf(why, sizeof why, "%s", err->msg);
        rc = gr_err_set(err, GR_EINPUT, "%s (the attribute 'trials' says %lld)", why,
                        (long long)trials);
    }
    if (!rc)
        rc = h5read_attr_int(&hd->h, "years", 1, SCENARIO_MAX_YEARS, &years, err);
    if (!rc)
        rc = h5read_strings(&hd->h, "scenario", REPORT_MAX_SCENARIOS, &hd->scen, err);
    /* the metrics: every data variable of the root, i.e. every dataset but
     * the coordinates */
    if (!rc)
        rc = h5read_list(&hd->h, "/", REPORT_MAX_METRICS + 3, &all, err);
    if (!rc && !(hd->met.v = malloc((all.n ? all.n : 1) * sizeof *hd->met.v)))
        rc = gr_err_set(err, GR_ERUNTIME, "out of memory");
    for (size_t i = 0; !rc && i < all.n; ++i)
        if (!is_coordinate(all.v[i]))
            hd->met.v[hd->met.n++] = all.v[i];
    hd->met.text = all.text; /* met.v points into it */
    free(all.v);
    if (!rc && !hd->met.n)
        rc = gr_err_set(err, GR_EINPUT, "%s: no metrics at the root", path);
    hd->trials = (uint64_t)trials;
    hd->years = (uint64_t)years;
    if (rc)
        hdr_close(hd);
    return rc;
}

/* Reads summary/<metric>[_delta], [S x stats], into st; first checks that
 * the per-trial metric it summarises has the shape the attributes say. */
static int read_stats(const hdr_t *hd, const char *metric, int delta, double *st, gr_err_t *err)
{
    char obj[H5READ_MAX_NAME + 32];
    const uint64_t sty[3] = {hd->scen.n, hd->trials, hd->years};
    const uint64_t dims[2] = {hd->scen.n, H5OUT_N_STATS};
    int rc = h5read_f64(&hd->h, metric, 3, sty, NULL, 0, err);
    snprintf(obj, sizeof obj, "summary/%s%s", metric, delta ? "_delta" : "");
    if (!rc)
        rc = h5read_f64(&hd->h, obj, 2, dims, st, hd->scen.n * H5OUT_N_STATS, err);
    return rc;
}

/* The statistics of one metric: st[s * H5OUT_N_STATS + k] for the levels,
 * dt[...] for the paired differences. */
static int read_metric(const hdr_t *hd, const char *metric, double **st, double **dt, gr_err_t *err)
{
    const size_t n = hd->scen.n * H5OUT_N_STATS;
    *st = malloc(n * sizeof **st);
    *dt = malloc(n * sizeof **dt);
    if (!*st || !*dt)
        return gr_err_set(err, GR_ERUNTIME, "out of memory");
    const int rc = read_stats(hd, metric, 0, *st, err);
    return rc ? rc : read_stats(hd, metric, 1, *dt, err);
}

/*
 * The table both reports share: for each row's metric, one line per
 * scenario and per paired difference with the mean and P5/P50/P95 over
 * trials (scaled to the row's unit, with `decimals` digits), and with_se
 * adds the Monte Carlo standard error of the first scenario's mean.
 */
static int print_rows(const hdr_t *hd, const row_t *rows, size_t n_rows, int decimals, int with_se,
                      FILE *out, gr_err_t *err)
{
    fprintf(out,
            "%s: %llu trials x %llu year(s). Per year, averaged over the horizon;\n"
            "statistics over trials%s.\n\n",
            hd->h.path, (unsigned long long)hd->trials, (unsigned long long)hd->years,
            hd->scen.n > 1 ? " (delta = scenario - baseline on the same draws)" : "");
    const size_t ns = hd->scen.n;
    /* the scenario column fits its longest label ("delta " + name) */
    int wid = 18;
    for (size_t s = 0; s < ns; ++s) {
        const size_t len = (s ? strlen("delta ") : 0) + strlen(hd->scen.v[s]);
        wid = len > (size_t)wid ? (int)len : wid;
    }
    fprintf(out, "%-38s %-*s %10s %10s %10s %10s\n", "", wid, "", "mean", "P5", "P50", "P95");
    int rc = GR_OK;
    for (size_t r = 0; r < n_rows && !rc; ++r) {
        int have = !rows[r].optional;
        for (size_t m = 0; !have && m < hd->met.n; ++m)
            have = !strcmp(hd->met.v[m], rows[r].metric);
        if (!have)
            continue;
        double *st = NULL, *dt = NULL;
        rc = read_metric(hd, rows[r].metric, &st, &dt, err);
        const double k = rows[r].scale;
        for (size_t s = 0; !rc && s < 2 * ns - 1; ++s) {
            const size_t si = s < ns ? s : s - ns + 1;
            const double *v = (s < ns ? st : dt) + si * H5OUT_N_STATS;
            char lab[H5READ_MAX_NAME + 8];
            snprintf(lab, sizeof lab, s < ns ? "%s" : "delta %s", hd->scen.v[si]);
            fprintf(out, "%-38s %-*s %10.*f %10.*f %10.*f %10.*f\n", s ? "" : rows[r].label, wid,
                    lab, decimals, v[H5OUT_STAT_MEAN] * k, decimals, v[H5OUT_STAT_P5] * k, decimals,
                    v[H5OUT_STAT_P50] * k, decimals, v[H5OUT_STAT_P95] * k);
        }
        if (!rc && with_se)
            fprintf(out, "%-38s %-*s %10s +- %.*f (1 standard error of the mean)\n", "", wid, "",
                    "", decimals, st[H5OUT_STAT_SE] * k);
        free(st);
        free(dt);
    }
    return rc;
}

/* Where v is (scenario, metric, k) of S x M x k values, its (s, m) row. */
static const double *row_of(const double *v, size_t M, size_t k, size_t s, size_t m)
{
    return v + (s * M + m) * k;
}

/* The index of name in names, or names->n. */
static size_t name_index(const h5read_names_t *names, const char *name)
{
    size_t i = 0;
    while (i < names->n && strcmp(names->v[i], name))
        ++i;
    return i;
}

/* The sensitivity group's values (docs/LAYOUT.md /sensitivity), read and
 * checked against the file's scenarios. */
typedef struct {
    h5read_names_t met, drv, grp;
    double *rc, *lo, *hi;       /* (scenario, metric, driver) */
    double *st, *st_lo, *st_hi; /* (scenario, metric, group); NULL without a design */
} sens_read_t;

static void sens_read_free(sens_read_t *z)
{
    h5read_names_free(&z->met);
    h5read_names_free(&z->drv);
    h5read_names_free(&z->grp);
    double *const v[] = {z->rc, z->lo, z->hi, z->st, z->st_lo, z->st_hi};
    for (size_t i = 0; i < sizeof v / sizeof *v; ++i)
        free(v[i]);
}

/* Reads obj, (scenario, metric, k) of dims, into a new array: its shape
 * checked before anything is allocated, so a file cannot ask for more
 * memory than it holds in data. */
static int read_cube(const hdr_t *hd, const char *obj, const uint64_t dims[3], double **out,
                     gr_err_t *err)
{
    const size_t n = (size_t)(dims[0] * dims[1] * dims[2]);
    int rc = h5read_f64(&hd->h, obj, 3, dims, NULL, 0, err);
    if (!rc && !(*out = malloc((n ? n : 1) * sizeof **out)))
        rc = gr_err_set(err, GR_ERUNTIME, "out of memory");
    return rc ? rc : h5read_f64(&hd->h, obj, 3, dims, *out, n, err);
}

static int sens_read(const hdr_t *hd, sens_read_t *z, gr_err_t *err)
{
    *z = (sens_read_t){0};
    int rc = h5read_strings(&hd->h, "sensitivity/metric", 1024, &z->met, err);
    if (!rc)
        rc = h5read_strings(&hd->h, "sensitivity/driver", 1024, &z->drv, err);
    const uint64_t dd[3] = {hd->scen.n, z->met.n, z->drv.n};
    if (!rc)
        rc = read_cube(hd, "sensitivity/rank_corr", dd, &z->rc, err);
    if (!rc)
        rc = read_cube(hd, "sensitivity/tornado_low", dd, &z->lo, err);
    if (!rc)
        rc = read_cube(hd, "sensitivity/tornado_high", dd, &z->hi, err);
    if (rc || !h5read_exists(&hd->h, "sensitivity/group"))
        return rc;
    rc = h5read_strings(&hd->h, "sensitivity/group", 64, &z->grp, err);
    const uint64_t dg[3] = {hd->scen.n, z->met.n, z->grp.n};
    if (!rc)
        rc = read_cube(hd, "sensitivity/sobol_total", dg, &z->st, err);
    if (!rc)
        rc = read_cube(hd, "sensitivity/sobol_total_lo", dg, &z->st_lo, err);
    if (!rc)
        rc = read_cube(hd, "sensitivity/sobol_total_hi", dg, &z->st_hi, err);
    return rc;
}

/* In words, what moves scenario s's paired effect on metric m: the three
 * drivers with the largest rank correlation, with the tornado's two means,
 * then the groups' shares of the variance when the file has a design. */
static void print_moves(const sens_read_t *z, const hdr_t *hd, size_t s, size_t m, const char *what,
                        const char *unit, double scale, FILE *out)
{
    const size_t M = z->met.n, D = z->drv.n, G = z->grp.n;
    const double *rc = row_of(z->rc, M, D, s, m), *lo = row_of(z->lo, M, D, s, m),
                 *hi = row_of(z->hi, M, D, s, m);
    size_t top[3];
    size_t n = 0;
    for (; n < 3; ++n) {
        size_t best = D;
        for (size_t d = 0; d < D; ++d) {
            /* a driver that ranks exactly as one already named (Brent, RFO and
             * RLNG move together) adds nothing */
            int used = 0;
            for (size_t k = 0; k < n; ++k)
                used |= top[k] == d || fabs(rc[top[k]] - rc[d]) < 1e-12;
            if (!used && isfinite(rc[d]) && (best == D || fabs(rc[d]) > fabs(rc[best])))
                best = d;
        }
        if (best == D)
            break;
        top[n] = best;
    }
    if (!n)
        return;
    fprintf(out, "\nWhat moves %s's %s (over futures, paired with the baseline):\n", hd->scen.v[s],
            what);
    for (size_t k = 0; k < n; ++k) {
        const size_t d = top[k];
        fprintf(out, "  %s %s (rank correlation %+.2f)", k ? "then" : "most", z->drv.v[d], rc[d]);
        if (isfinite(lo[d]) && isfinite(hi[d]))
            fprintf(out,
                    ": %+.1f %s on average in the tenth of futures where it is lowest, %+.1f "
                    "where highest",
                    lo[d] * scale, unit, hi[d] * scale);
        fputc('\n', out);
    }
    if (!z->st)
        return;
    const double *st = row_of(z->st, M, G, s, m), *sl = row_of(z->st_lo, M, G, s, m),
                 *sh = row_of(z->st_hi, M, G, s, m);
    fprintf(out, "  the share of its variance over futures each group of inputs explains with its "
                 "interactions\n  (Sobol total index, 95%% interval; interactions count in "
                 "every group they join, so these overlap):\n   ");
    unsigned char done[64] = {0};
    int any = 0, small = 0;
    for (size_t pass = 0; pass < G && pass < 64; ++pass) {
        size_t best = G;
        for (size_t g = 0; g < G && g < 64; ++g)
            if (!done[g] && isfinite(st[g]) && st[g] >= 0.05 && (best == G || st[g] > st[best]))
                best = g;
        if (best == G)
            break;
        done[best] = 1;
        fprintf(out, "%s %s %.2f (%.2f to %.2f)", any ? "," : "", z->grp.v[best], st[best],
                sl[best], sh[best]);
        any = 1;
    }
    for (size_t g = 0; g < G && g < 64; ++g)
        small += !done[g] && isfinite(st[g]);
    fprintf(out, "%s%s\n", any ? "" : " none reaches 0.05",
            small ? "; every other under 0.05" : "");
}

/* The allocation's break-even tariffs over the horizon, one scenario's:
 * each trial's is its years' weighted by the allocation's energy in each
 * (docs/MODEL.md s.7), the tariff on all of its energy. A year without
 * allocated energy (mining that never runs) has no break-even (the cash
 * view's is stored as 0, the IMF view's is the year's cost of supply all
 * the same) and carries no weight; a trial without any has none at all and
 * is left out. The file's /summary averages the years plainly, so it is not
 * read for these. */
typedef struct {
    double be[2][STATS_N]; /* the cash and the IMF break-even's statistics */
    double paid[STATS_N];  /* what it collects per kWh of all its energy */
    size_t n, covered[2];  /* trials with energy; those whose tariff covers each */
} be_horizon_t;

/* Scenario s's [trials x years] values of root metric name into buf. */
static int read_scenario(const hdr_t *hd, const char *name, size_t s, double *buf, gr_err_t *err)
{
    const uint64_t dims[3] = {hd->scen.n, hd->trials, hd->years};
    h5read_ds_t ds;
    int rc = h5read_ds_open(&hd->h, name, 3, dims, &ds, err);
    if (!rc)
        rc = h5read_ds_rows(&hd->h, &ds, s, 1, buf, (size_t)(hd->trials * hd->years), err);
    h5read_ds_close(&ds);
    return rc;
}

/* metric: the cash and the IMF break-even's names */
static int be_horizon(const hdr_t *hd, size_t s, const char *const *metric, be_horizon_t *b,
                      gr_err_t *err)
{
    const size_t T = (size_t)hd->trials, Y = (size_t)hd->years;
    /* the trials with allocated energy (at), found once: their energy (mwh),
     * what they collect per kWh (paid) and a break-even's value (v), the
     * j-th of each for trial at[j] */
    double *e = malloc(T * Y * sizeof *e), *x = malloc(T * Y * sizeof *x),
           *mwh = malloc(T * sizeof *mwh), *paid = malloc(T * sizeof *paid),
           *v = malloc(T * sizeof *v);
    size_t *at = malloc(T * sizeof *at);
    int rc =
        e && x && mwh && paid && v && at ? GR_OK : gr_err_set(err, GR_ERUNTIME, "out of memory");
    if (!rc)
        rc = read_scenario(hd, "alloc_energy_mwh", s, e, err);
    if (!rc)
        rc = read_scenario(hd, "alloc_revenue_pkr", s, x, err);
    b->n = 0;
    for (size_t t = 0; !rc && t < T; ++t) {
        double sum = 0.0, pkr = 0.0;
        for (size_t y = 0; y < Y; ++y) {
            sum += e[t * Y + y];
            pkr += x[t * Y + y];
        }
        if (sum > 0.0) {
            at[b->n] = t;
            mwh[b->n] = sum;
            paid[b->n++] = pkr / (sum * 1000.0); /* PKR per kWh */
        }
    }
    const stats_src_t src_paid = {.n = b->n, .x = paid}, src_v = {.n = b->n, .x = v};
    if (!rc && b->n && stats_summarize_src(&src_paid, b->paid, NULL))
        rc = gr_err_set(err, GR_ERUNTIME, "out of memory");
    for (int k = 0; k < 2 && !rc; ++k) {
        rc = read_scenario(hd, metric[k], s, x, err);
        b->covered[k] = 0;
        for (size_t j = 0; !rc && j < b->n; ++j) {
            const double *xt = x + at[j] * Y, *et = e + at[j] * Y;
            double pkr = 0.0;
            for (size_t y = 0; y < Y; ++y)
                pkr += xt[y] * et[y];
            v[j] = pkr / mwh[j];
            b->covered[k] += paid[j] >= v[j];
        }
        if (!rc && b->n && stats_summarize_src(&src_v, b->be[k], NULL))
            rc = gr_err_set(err, GR_ERUNTIME, "out of memory");
    }
    free(e);
    free(x);
    free(mwh);
    free(paid);
    free(v);
    free(at);
    return rc;
}

/* Scenario s's break-even tariffs in words: the state's over the horizon
 * (be_horizon), the miners' (mine: its /summary statistics, the years'
 * plain mean, as the miners' accounts are a year's) and the Bitcoin price at
 * which they break even (btc, or NULL). */
static void print_breakevens(const hdr_t *hd, size_t s, const be_horizon_t *b, const double *mine,
                             const double *btc, FILE *out)
{
    static const char *const VIEW[2] = {"covers the state's cash cost",
                                        "covers the average cost of supply (the IMF's view)"};
    fprintf(out, "\n%s's tariff, in the median future (P5-P95 over futures):\n", hd->scen.v[s]);
    const size_t T = (size_t)hd->trials;
    for (int k = 0; k < 2 && b->n; ++k)
        fprintf(out,
                "  %s if it is at least %.2f PKR/kWh (%.2f-%.2f); it collects %.2f: enough "
                "in %.0f%%\n",
                VIEW[k], b->be[k][STATS_P50], b->be[k][STATS_P5], b->be[k][STATS_P95],
                b->paid[STATS_P50], 100.0 * (double)b->covered[k] / (double)b->n);
    if (!b->n)
        fprintf(out, "  no allocated energy in any future: no break-even tariff for the state\n");
    else
        fprintf(out, "  (the state's break-evens over the horizon: each year's weighted by the "
                     "allocation's energy that year)\n");
    if (b->n && b->n < T)
        fprintf(out,
                "  no allocated energy in %zu of %zu futures (%.0f%%), which have no break-even; "
                "the figures above are the others'\n",
                T - b->n, T, 100.0 * (double)(T - b->n) / (double)T);
    /* a scenario without mining has no miners' break-even (0) */
    if (mine[H5OUT_STAT_MAX] == 0.0 && mine[H5OUT_STAT_MIN] == 0.0)
        return;
    fprintf(
        out,
        "  lets its miners break even if it is at most %.2f PKR/kWh (%.2f-%.2f; the years' mean)\n",
        mine[H5OUT_STAT_P50], mine[H5OUT_STAT_P5], mine[H5OUT_STAT_P95]);
    if (btc)
        fprintf(out,
                "  at its own tariff, its miners break even at a Bitcoin price of %.0f "
                "USD (%.0f-%.0f; the network's hashrate as it was)\n",
                btc[H5OUT_STAT_P50], btc[H5OUT_STAT_P5], btc[H5OUT_STAT_P95]);
}

/* The break-even tariffs and what drives each scenario's effects, in words
 * (the latter when the file has a /sensitivity group). */
static int print_words(const hdr_t *hd, FILE *out, gr_err_t *err)
{
    const size_t ns = hd->scen.n;
    /* the state's cash and IMF break-evens (be_horizon), the miners' */
    static const char *const BE[] = {
        "breakeven_tariff_cash_pkr_per_kwh", "breakeven_tariff_imf_pkr_per_kwh",
        "mining_breakeven_tariff_pkr_per_kwh", "alloc_energy_mwh", "alloc_revenue_pkr"};
    double *mine = NULL, *btc = NULL;
    int rc = GR_OK;
    int have = 1;
    for (size_t i = 0; i < sizeof BE / sizeof *BE; ++i)
        have &= name_index(&hd->met, BE[i]) < hd->met.n;
    /* files of earlier releases lack the price */
    if (have && name_index(&hd->met, "mining_breakeven_btc_usd") < hd->met.n) {
        double *dl = NULL;
        rc = read_metric(hd, "mining_breakeven_btc_usd", &btc, &dl, err);
        free(dl);
    }
    if (have && !rc) {
        double *dl = NULL;
        rc = read_metric(hd, BE[2], &mine, &dl, err);
        free(dl);
    }
    /* a sweep's points can be many: their break-evens are in the file */
    const size_t shown = ns > REPORT_WORDS_SCENARIOS ? REPORT_WORDS_SCENARIOS : ns;
    for (size_t s = 1; have && !rc && s < shown; ++s) {
        be_horizon_t b;
        rc = be_horizon(hd, s, BE, &b, err);
        if (!rc)
            print_breakevens(hd, s, &b, mine + s * H5OUT_N_STATS,
                             btc ? btc + s * H5OUT_N_STATS : NULL, out);
    }
    free(mine);
    free(btc);
    /* the file's /summary averages the years plainly: not the horizon's
     * break-even (be_horizon), so the note gives the recipe */
    if (!rc && ns > shown)
        fprintf(out,
                "\n(%zu more scenarios, not put in words here: their statistics are in "
                "/summary, their drivers in /sensitivity; the horizon's break-even tariffs "
                "weight each year by alloc_energy_mwh, as docs/LAYOUT.md shows)\n",
                ns - shown);
    if (rc || !h5read_exists(&hd->h, "sensitivity/rank_corr"))
        return rc;
    if (hd->trials < 100) {
        fprintf(out,
                "\n(What drives the results is in /sensitivity; with %llu trials, too few "
                "to say in words: a tenth of them is %llu futures.)\n",
                (unsigned long long)hd->trials, (unsigned long long)(hd->trials / 10));
        return rc;
    }
    sens_read_t z;
    rc = sens_read(hd, &z, err);
    const size_t mc = name_index(&z.met, "shed_consumer_hours"),
                 mf = name_index(&z.met, "net_fiscal_cost_pkr");
    for (size_t s = 1; !rc && s < shown; ++s) {
        if (mc < z.met.n)
            print_moves(&z, hd, s, mc, "extra consumer-equivalent shed hours", "h/yr", 1.0, out);
        if (mf < z.met.n)
            print_moves(&z, hd, s, mf, "extra net fiscal cost", "PKR bn/yr", 1e-9, out);
    }
    sens_read_free(&z);
    return rc;
}

/* The policy report of an economic run: the table, what its money and hours
 * mean, then per scenario the probabilities that it raises the fiscal cost,
 * the shedding and the unserved energy. */
static int print_policy(const hdr_t *hd, FILE *out, gr_err_t *err)
{
    int rc = print_rows(hd, ROWS, sizeof ROWS / sizeof *ROWS, 1, 0, out, err);
    if (!rc)
        fprintf(
            out,
            "\nMoney is nominal (each year's rupees or dollars, not discounted). The USD row\n"
            "converts each trial-year at its own sampled PKR/USD, and a weak rupee comes with\n"
            "high costs in rupees, so its mean is not the PKR mean converted and may differ in\n"
            "sign. Consumer-equivalent hours: the share of base demand shed, summed over the\n"
            "hours (what an average consumer loses); system hours count an hour if any\n"
            "consumer is shed in it.\n");
    static const struct {
        const char *label, *metric;
        int optional; /* files of earlier releases lack it */
    } PROBS[] = {
        {"P(net fiscal cost is higher)", "net_fiscal_cost_pkr", 0},
        {"P(more consumer-equivalent hours)", "shed_consumer_hours", 1},
        {"P(more system hours of shedding)", "shed_hours", 0},
        {"P(more unserved energy)", "unserved_mwh", 0},
    };
    enum { N_PROBS = sizeof PROBS / sizeof *PROBS };
    double *p[N_PROBS] = {NULL};
    for (size_t i = 0; i < N_PROBS && !rc; ++i) {
        if (PROBS[i].optional && name_index(&hd->met, PROBS[i].metric) >= hd->met.n)
            continue;
        double *st = NULL;
        rc = read_metric(hd, PROBS[i].metric, &st, &p[i], err);
        free(st);
    }
    for (size_t s = 1; s < hd->scen.n && !rc; ++s) {
        fprintf(out, "\n%s vs baseline:\n", hd->scen.v[s]);
        for (size_t i = 0; i < N_PROBS; ++i)
            if (p[i])
                fprintf(out, "  %-37s%6.1f%%\n", PROBS[i].label,
                        100.0 * p[i][s * H5OUT_N_STATS + H5OUT_STAT_P_POSITIVE]);
    }
    for (size_t i = 0; i < N_PROBS; ++i)
        free(p[i]);
    return rc ? rc : print_words(hd, out, err);
}

/* The reliability report of an adequacy run: LOLE, EUE and LOLF with their
 * standard errors. */
static int print_adequacy(const hdr_t *hd, FILE *out, gr_err_t *err)
{
    return print_rows(hd, ADEQUACY_ROWS, sizeof ADEQUACY_ROWS / sizeof *ADEQUACY_ROWS, 4, 1, out,
                      err);
}

/* Mean and standard error of each column of x[n][k]. */
static void col_mean_se(const double *x, uint64_t n, size_t k, size_t c, double *mean, double *se)
{
    double s1 = 0, s2 = 0;
    for (uint64_t t = 0; t < n; ++t) {
        const double v = x[t * k + c];
        s1 += v;
        s2 += v * v;
    }
    const double N = (double)n, m = s1 / N;
    *mean = m;
    *se = n > 1 ? sqrt(fmax(0, s2 / N - m * m) / (N - 1)) : 0;
}

/* The reliability report of a network (PRAS) run, as PRAS reports it: per
 * region and for the system, LOLE (steps with shortfall in the simulated
 * period), EUE and NEUE (unserved energy per million of demand), each with
 * its standard error. */
static int print_network(const hdr_t *hd, FILE *out, gr_err_t *err)
{
    h5read_names_t reg = {0};
    int rc = h5read_strings(&hd->h, "by_region/region", GR_MAX_PRAS_ENTITIES, &reg, err);
    const size_t R = reg.n, A = R + 1;
    const uint64_t T = hd->trials;
    double *dem = malloc(A * sizeof *dem), *steps = malloc(T * A * sizeof *steps),
           *mwh = malloc(T * A * sizeof *mwh), *tmp = malloc(T * (R ? R : 1) * sizeof *tmp);
    if (!rc && (!dem || !steps || !mwh || !tmp))
        rc = gr_err_set(err, GR_ERUNTIME, "out of memory");
    const uint64_t da[1] = {A}, dr[4] = {1, T, 1, R}, ds[3] = {1, T, 1};
    if (!rc)
        rc = h5read_f64(&hd->h, "by_step/demand_mwh", 1, da, dem, A, err);
    const char *what[2] = {"shed_steps", "unserved_mwh"};
    double *dst[2] = {steps, mwh};
    for (int q = 0; q < 2 && !rc; ++q) {
        char obj[64];
        snprintf(obj, sizeof obj, "by_region/%s", what[q]);
        rc = h5read_f64(&hd->h, obj, 4, dr, tmp, T * R, err);
        for (uint64_t t = 0; !rc && t < T; ++t)
            memcpy(dst[q] + t * A, tmp + t * R, R * sizeof *tmp);
        if (!rc)
            rc = h5read_f64(&hd->h, what[q], 3, ds, tmp, T, err);
        for (uint64_t t = 0; !rc && t < T; ++t)
            dst[q][t * A + R] = tmp[t];
    }
    if (!rc) {
        fprintf(out,
                "%s: %s, %llu trials of the simulated period (%s).\n"
                "LOLE: time steps with unserved load in the period; EUE: unserved energy;\n"
                "NEUE: EUE per million MWh of demand. +- one standard error.\n\n",
                hd->h.path, hd->name, (unsigned long long)T, hd->scen.v[0]);
        fprintf(out, "%-16s  %-23s  %-25s  %-23s\n", "area", "LOLE, steps", "EUE, MWh",
                "NEUE, ppm");
        for (size_t k = 0; k < A; ++k) {
            double l, ls, e, es;
            col_mean_se(steps, T, A, k, &l, &ls);
            col_mean_se(mwh, T, A, k, &e, &es);
            const double n = dem[k] > 0 ? 1e6 / dem[k] : 0;
            fprintf(out, "%-16.16s  %10.4f +- %-9.4f  %12.2f +- %-9.2f  %10.3f +- %-9.3f\n",
                    k < R ? reg.v[k] : H5OUT_SYSTEM_AREA, l, ls, e, es, e * n, es * n);
        }
    }
    free(dem);
    free(steps);
    free(mwh);
    free(tmp);
    h5read_names_free(&reg);
    return rc;
}

/* Every metric's statistics, per scenario and per paired difference. */
static int print_tables(const hdr_t *hd, FILE *out, gr_err_t *err)
{
    fprintf(out, "%s: scenario '%s', %llu trials x %llu year(s)\n", hd->h.path, hd->name,
            (unsigned long long)hd->trials, (unsigned long long)hd->years);
    const size_t ns = hd->scen.n, nm = hd->met.n;
    double **st = calloc(nm, sizeof *st), **dt = calloc(nm, sizeof *dt);
    int rc = st && dt ? GR_OK : gr_err_set(err, GR_ERUNTIME, "out of memory");
    for (size_t m = 0; !rc && m < nm; ++m)
        rc = read_metric(hd, hd->met.v[m], &st[m], &dt[m], err);
    for (size_t s = 0; !rc && s < 2 * ns - 1; ++s) {
        const size_t si = s < ns ? s : s - ns + 1;
        fprintf(out, "\n[%s%s]  (statistics over trials of each trial's annual average)\n",
                s < ns ? "" : "delta ", hd->scen.v[si]);
        fprintf(out, "  %-24s %14s %12s %14s %14s %14s %14s\n", "metric", "mean", "se", "p5", "p50",
                "p95", "p99");
        for (size_t m = 0; m < nm; ++m) {
            const double *v = (s < ns ? st[m] : dt[m]) + si * H5OUT_N_STATS;
            fprintf(out, "  %-24s %14.6g %12.4g %14.6g %14.6g %14.6g %14.6g\n", hd->met.v[m],
                    v[H5OUT_STAT_MEAN], v[H5OUT_STAT_SE], v[H5OUT_STAT_P5], v[H5OUT_STAT_P50],
                    v[H5OUT_STAT_P95], v[H5OUT_STAT_P99]);
        }
    }
    for (size_t m = 0; m < nm; ++m) {
        free(st ? st[m] : NULL);
        free(dt ? dt[m] : NULL);
    }
    free(st);
    free(dt);
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
    int adequacy = 0, network = 0;
    for (size_t m = 0; m < hd.met.n; ++m) {
        adequacy |= !strcmp(hd.met.v[m], "shed_events");
        network |= !strcmp(hd.met.v[m], "shed_steps");
    }
    rc = all                                          ? print_tables(&hd, mem, err)
         : econ                                       ? print_policy(&hd, mem, err)
         : adequacy                                   ? print_adequacy(&hd, mem, err)
         : network && hd.scen.n == 1 && hd.years == 1 ? print_network(&hd, mem, err)
                                                      : print_tables(&hd, mem, err);
    if (fclose(mem) != 0 && !rc)
        rc = gr_err_set(err, GR_ERUNTIME, "out of memory");
    if (!rc && fwrite(text, 1, len, out) != len)
        rc = gr_err_set(err, GR_ERUNTIME, "cannot write the report");
    free(text);
    hdr_close(&hd);
    return rc;
}
