/*
 * precision.h - precision on demand (`gridrisk run --target-rse X`): the run
 * adds blocks of trials until the relative standard error of its headline
 * quantities is below X, or its trials (-n, the cap) are done.
 *
 * The headline quantities, each a trial's mean over the horizon: for a run of
 * one scenario, its shed_hours and unserved_mwh (LOLE and EUE); for a run
 * with an allocation, each scenario's paired difference against the baseline
 * in consumer-equivalent shed hours and net fiscal cost (the two questions
 * the model answers). The relative standard error of a quantity over n
 * trials is sd / sqrt(n) / |mean|: 0 when every trial agrees on a value
 * other than 0, and infinite when the mean is 0 (no loss of load in any
 * trial yet, or a 0 MW allocation), so that a rare event or a quantity whose
 * mean is near 0 runs to the cap rather than "converging" on too few trials.
 *
 * It is checked at the end of each block of trials (harness.h), whose size
 * depends only on the cap and the model: the trials run, the block where the
 * run stops and so the whole result are a pure function of (scenario, seed,
 * cap, target), and the result equals a fixed run of the trials it stopped at.
 */
#ifndef GR_PRECISION_H
#define GR_PRECISION_H

#include "results.h"

#include <stddef.h>
#include <stdint.h>

/* The most headline quantities: two per scenario. */
#define PREC_MAX_Q 64

/* A quantity's running mean and sum of squared deviations (Welford). */
typedef struct {
    double mean, m2;
} prec_acc_t;

typedef struct {
    double target;       /* the relative standard error to reach, in (0, 1) */
    uint64_t min_trials; /* never stop before (the Sobol design needs 2N) */
    double rse;          /* the last one computed */
    uint64_t trials;     /* after this many trials: the accumulators' */
    prec_acc_t acc[PREC_MAX_Q];
} prec_t;

/* The largest relative standard error of r's headline quantities over
 * trials [0, n); 0 if it has none. */
double prec_rse(const results_t *r, uint64_t n);

/* sim_opts_t.enough: ctx is a prec_t, which keeps running sums, so each
 * call adds only the trials since the last (the blocks come in order). */
int prec_enough(void *ctx, const results_t *r, uint64_t done);

#endif
