/*
 * frontier.c - the safe-allocation frontier by bisection (frontier.h).
 */
#include "frontier.h"

#include "../inputs/sweep.h"
#include "limits.h"
#include "results.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const frontier_verdict_names[3] = {"met", "missed", "undecided"};

void frontier_quantile_ci(double *x, size_t n, double q, double z, frontier_limit_eval_t *out)
{
    gsl_sort(x, 1, n);
    out->q = gsl_stats_quantile_from_sorted_data(x, 1, n, q);
    const double nd = (double)n, half = z * sqrt(nd * q * (1.0 - q));
    /* ranks are 1-based: the k-th smallest is x[k - 1]. A rank beyond the
     * sample leaves that side of the interval unbounded: the sample cannot
     * say how far the quantile may lie past its extreme, and clamping to it
     * would call a limit met (or missed) far more often than the confidence
     * level allows. */
    const double klo = floor(nd * q - half), khi = ceil(nd * q + half);
    out->lo = klo < 1.0 ? -INFINITY : x[(size_t)klo - 1];
    out->hi = khi > nd ? INFINITY : x[(size_t)khi - 1];
    out->verdict = FRONTIER_UNDECIDED;
}

/* Runs the baseline and v at mw; fills ev[limit] and returns the verdict
 * over all limits (missed if any is missed, met if all are met). */
static int evaluate(const scenario_t *sc, const sim_opts_t *opts, const econ_scenario_t *v,
                    double mw, double z, double *scratch, frontier_limit_eval_t *ev, int *verdict,
                    gr_err_t *err)
{
    econ_block_t blk[GR_MAX_BLOCKS];
    /* the variant at mw, as a sweep's point is made (its own tariffs) */
    econ_scenario_t pair[2] = {sc->scen[0], *v};
    pair[1].blocks = blk;
    sweep_scale_blocks(v, sweep_total_mw(v), mw, NAN, blk);
    scenario_t s2 = *sc;
    s2.scen = pair;
    s2.n_scen = 2;
    results_t *r;
    sim_opts_t o = *opts;
    o.skip_sensitivity = 1; /* the bisection reads quantiles only */
    o.sobol_base = 0;
    o.ckpt = NULL; /* every evaluation is a fixed run of its own */
    o.enough = NULL;
    int rc = sim_run(&s2, &o, &r, err);
    if (rc)
        return rc;
    const econ_frontier_t *fr = sc->frontier;
    int missed = 0, undecided = 0;
    for (unsigned k = 0; k < fr->limits_count; ++k) {
        const econ_limit_t *l = &fr->limits[k];
        for (uint64_t t = 0; t < r->trials; ++t) {
            const double *a = results_at(r, 1, (size_t)l->index, t);
            const double *b = results_at(r, 0, (size_t)l->index, t);
            double worst = -INFINITY;
            for (size_t y = 0; y < r->years; ++y)
                worst = a[y] - b[y] > worst ? a[y] - b[y] : worst;
            scratch[t] = worst;
        }
        frontier_quantile_ci(scratch, r->trials, l->quantile, z, &ev[k]);
        ev[k].verdict = ev[k].hi <= l->max  ? FRONTIER_MET
                        : ev[k].lo > l->max ? FRONTIER_MISSED
                                            : FRONTIER_UNDECIDED;
        missed |= ev[k].verdict == FRONTIER_MISSED;
        undecided |= ev[k].verdict == FRONTIER_UNDECIDED;
    }
    results_free(r);
    *verdict = missed ? FRONTIER_MISSED : undecided ? FRONTIER_UNDECIDED : FRONTIER_MET;
    return GR_OK;
}

static void print_eval(FILE *report, FILE *csv, const scenario_t *sc, const char *variant,
                       double mw, int verdict, const frontier_limit_eval_t *ev)
{
    const econ_frontier_t *fr = sc->frontier;
    if (report) {
        fprintf(report, "  %-24s %8.1f MW  %-9s", variant, mw, frontier_verdict_names[verdict]);
        for (unsigned k = 0; k < fr->limits_count; ++k) {
            char p[32];
            sweep_quantile_label(fr->limits[k].quantile, p, sizeof p);
            fprintf(report, "  %s P%s %.4g [%.4g, %.4g] (max %g)", fr->limits[k].metric, p, ev[k].q,
                    ev[k].lo, ev[k].hi, fr->limits[k].max);
        }
        fputc('\n', report);
    }
    if (!csv)
        return;
    fprintf(csv, "%s,%.17g,%s", variant, mw, frontier_verdict_names[verdict]);
    for (unsigned k = 0; k < fr->limits_count; ++k)
        fprintf(csv, ",%.17g,%.17g,%.17g,%s", ev[k].q, ev[k].lo, ev[k].hi,
                frontier_verdict_names[ev[k].verdict]);
    fputc('\n', csv);
}

int frontier_run(const scenario_t *sc, const sim_opts_t *opts, FILE *report, FILE *csv,
                 double *lo_out, double *hi_out, gr_err_t *err)
{
    const econ_frontier_t *fr = sc->frontier;
    if (!sc->econ || !fr || !sc->sweep)
        return gr_err_set(err, GR_EINPUT,
                          "%s: no frontier: section (with a sweep whose variants it bisects)",
                          sc->path);
    const double z = gsl_cdf_ugaussian_Pinv(0.5 + 0.5 * fr->confidence);
    double *scratch = malloc(opts->trials * sizeof *scratch);
    if (!scratch)
        return gr_err_set(err, GR_ERUNTIME, "out of memory for %llu trials",
                          (unsigned long long)opts->trials);
    if (csv) {
        fputs("variant,mw,verdict", csv);
        for (unsigned k = 0; k < fr->limits_count; ++k) {
            const char *m = fr->limits[k].metric;
            char p[32];
            sweep_quantile_label(fr->limits[k].quantile, p, sizeof p);
            fprintf(csv, ",%s_p%s,%s_p%s_lo,%s_p%s_hi,%s_p%s_verdict", m, p, m, p, m, p, m, p);
        }
        fputc('\n', csv);
    }
    if (report)
        fprintf(report, "frontier: %llu trials, seed %u, %.0f%% confidence; every evaluation:\n",
                (unsigned long long)opts->trials, opts->seed, 100.0 * fr->confidence);
    frontier_limit_eval_t ev[8];
    int rc = GR_OK;
    double lo_mw[GR_MAX_SCENARIOS], hi_mw[GR_MAX_SCENARIOS];
    const char *why[GR_MAX_SCENARIOS];
    for (unsigned v = 0; !rc && v < sc->sweep->variants_count; ++v) {
        const econ_scenario_t *var = &sc->sweep->variants[v];
        double lo = 0.0, hi = fr->mw_max;
        int verdict = FRONTIER_UNDECIDED;
        why[v] = "the bracket reached gap_mw";
        rc = evaluate(sc, opts, var, hi, z, scratch, ev, &verdict, err);
        if (!rc)
            print_eval(report, csv, sc, var->name, hi, verdict, ev);
        if (!rc && verdict == FRONTIER_MET) { /* at least mw_max */
            lo = hi;
            hi = INFINITY;
            why[v] = "mw_max meets every limit";
        } else if (!rc && verdict == FRONTIER_UNDECIDED) {
            why[v] = "mw_max cannot be told from a limit: the frontier is below it, or at it";
        }
        /* bisect only below a miss: [lo, hi] holds the frontier */
        const int bisect = verdict == FRONTIER_MISSED;
        while (!rc && bisect && hi - lo > fr->gap_mw) {
            const double mid = 0.5 * (lo + hi);
            rc = evaluate(sc, opts, var, mid, z, scratch, ev, &verdict, err);
            if (rc)
                break;
            print_eval(report, csv, sc, var->name, mid, verdict, ev);
            if (verdict == FRONTIER_MET)
                lo = mid;
            else if (verdict == FRONTIER_MISSED)
                hi = mid;
            else {
                why[v] = "a limit could not be told from its estimate here";
                break;
            }
        }
        lo_mw[v] = lo, hi_mw[v] = hi;
        if (lo_out)
            lo_out[v] = lo;
        if (hi_out)
            hi_out[v] = hi;
    }
    free(scratch);
    if (rc || !report)
        return rc;
    fprintf(report, "frontier: the largest allocation meeting every limit, by variant:\n");
    /* the bracket as evaluated, as the CSV gives it: a bisection's midpoints
     * can be fractional (62.5 MW), which %.0f had printed as 62 */
    for (unsigned v = 0; v < sc->sweep->variants_count; ++v)
        if (isinf(hi_mw[v]))
            fprintf(report, "  %-24s at least %.10g MW (%s)\n", sc->sweep->variants[v].name,
                    lo_mw[v], why[v]);
        else
            fprintf(report, "  %-24s between %.10g and %.10g MW (%s)\n",
                    sc->sweep->variants[v].name, lo_mw[v], hi_mw[v], why[v]);
    return GR_OK;
}
