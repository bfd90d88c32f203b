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
 * trials is sd / sqrt(n) / |mean|: 0 when every trial agrees (sd 0), and
 * infinite when the mean is 0 and the trials are not all 0, so that a
 * quantity whose mean is near 0 runs to the cap rather than "converging".
 *
 * It is checked at the end of each block of trials (harness.h), whose size
 * depends only on the cap and the model: the trials run, the block where the
 * run stops and so the whole result are a pure function of (scenario, seed,
 * cap, target), and the result equals a fixed run of the trials it stopped at.
 */
#ifndef GR_PRECISION_H
#define GR_PRECISION_H

#include "results.h"

#include <stdint.h>

typedef struct {
    double target;       /* the relative standard error to reach, in (0, 1) */
    uint64_t min_trials; /* never stop before (the Sobol design needs 2N) */
    double rse;          /* the last one computed */
    uint64_t trials;     /* after this many trials */
} prec_t;

/* The largest relative standard error of r's headline quantities over
 * trials [0, n); 0 if it has none. */
double prec_rse(const results_t *r, uint64_t n);

/* sim_opts_t.enough: ctx is a prec_t. */
int prec_enough(void *ctx, const results_t *r, uint64_t done);

#endif
