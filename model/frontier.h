/*
 * frontier.h - the safe-allocation frontier (docs/MODEL.md s.1c): for each
 * variant of a scenario's sweep, the largest total MW whose paired effects
 * meet every limit of its `frontier:` section, found by bisection on common
 * random numbers, as PRAS finds an ELCC.
 *
 * An evaluation at M MW runs the baseline and the variant scaled to M on
 * the run's seed and trials (the same draws at every M, so the bisection
 * compares paired samples). For each limit it takes, per trial, the worst
 * year's paired difference of the limit's metric, and the quantile of
 * those over trials; a limit is met when the quantile's confidence interval
 * (order statistics: ranks n q -+ z sqrt(n q (1 - q)); a rank beyond the
 * sample leaves that side unbounded) lies at or below its max, missed when
 * it lies above, and undecided otherwise. The bracket [lo, hi] starts at
 * [0, mw_max] (0 MW meets every limit with max >= 0: its differences are
 * exactly 0); if mw_max meets every limit the frontier is at least mw_max
 * ([mw_max, inf]), if it is undecided the bracket stays [0, mw_max];
 * otherwise it halves until it is gap_mw wide, and an undecided evaluation
 * stops it there, since more bisection could not be told from noise with
 * these trials. The frontier lies in [lo, hi]. Each variant's blocks are
 * billed at their own tariffs (the sweep's tariff list is not used).
 */
#ifndef GR_FRONTIER_H
#define GR_FRONTIER_H

#include "../inputs/scenario.h"
#include "err.h"
#include "sim.h"

#include <stdio.h>

enum { FRONTIER_MET, FRONTIER_MISSED, FRONTIER_UNDECIDED };
extern const char *const frontier_verdict_names[3];

/* One limit at one evaluation. */
typedef struct {
    double q;      /* the quantile's estimate */
    double lo, hi; /* its confidence interval */
    int verdict;   /* FRONTIER_* */
} frontier_limit_eval_t;

/* The quantile q of x[0..n) (sorted in place, type 7 as kernels/stats.h)
 * and its distribution-free confidence interval at the normal quantile z:
 * the order statistics at ranks n q - z sqrt(n q (1 - q)) and n q + z
 * sqrt(n q (1 - q)), rounded outwards; -INFINITY or INFINITY where a rank
 * falls outside 1..n. */
void frontier_quantile_ci(double *x, size_t n, double q, double z, frontier_limit_eval_t *out);

/* Every variant's frontier: each evaluation a line on report and a row of
 * csv (variant, mw, verdict, then per limit its quantile, interval and
 * verdict: <metric>_p<100 q>, _lo, _hi, <metric>_verdict),
 * then a line per variant with its bracket on report; either may be NULL.
 * lo_mw and hi_mw (NULL, or one per variant) receive the brackets (hi
 * INFINITY when mw_max itself is not missed). GR_EINPUT when the scenario
 * has no frontier. */
int frontier_run(const scenario_t *sc, const sim_opts_t *opts, FILE *report, FILE *csv,
                 double *lo_mw, double *hi_mw, gr_err_t *err);

#endif
