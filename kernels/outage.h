/*
 * outage.h - two-state Markov unit outages, sampled event by event.
 *
 * A unit alternates up (exponential, mean MTTF hours) and down (exponential,
 * mean MTTR hours). Its initial state is drawn from the stationary law,
 * P(up) = MTTF / (MTTF + MTTR), so every hour is stationary and the forced
 * outage rate FOR = MTTR / (MTTF + MTTR) is the probability of being down at
 * any instant. The process runs continuously across years.
 *
 * An hour's state is the state at its start (docs/MODEL.md s.3): a down
 * interval [t0, t1) in continuous time covers hours h with t0 <= h < t1,
 * i.e. h in [ceil(t0), ceil(t1)). Outages that start and end within one hour
 * touch no hour start and leave no span.
 *
 * Cost grows with the number of transitions, not with units x hours.
 *
 * Draws per span: one uniform for the initial state, then one exponential
 * per transition, all from the unit's own stream.
 */
#ifndef GR_OUTAGE_H
#define GR_OUTAGE_H

#include "rng.h"

#include <stddef.h>
#include <stdint.h>

/* Unit unavailable for the hours [down_h, up_h) of the horizon. */
typedef struct {
    int32_t down_h;
    int32_t up_h;
} outage_span_t;

/*
 * Samples one unit's outage spans over hours [0, horizon_h) from stream s
 * (freshly initialised for this unit and trial). Writes at most cap spans and
 * returns how many there are; a return value > cap means the buffer was too
 * small and nothing beyond cap was written (re-initialise s, grow, call
 * again: the result is the same). A unit with mttr_h == 0 or an infinite
 * mttf_h never fails and draws nothing; so does one with a negative or NaN
 * MTTF or MTTR, which the loaders reject (a negative MTTF could make the
 * walk run backwards for ever). The stream is left somewhere after the
 * draws used (draws come in batches), so it serves this unit only.
 */
size_t outage_sample(rng_stream_t *s, double mttf_h, double mttr_h, int32_t horizon_h,
                     outage_span_t *restrict spans, size_t cap);

/*
 * outage_sample in two parts, so that a fleet's first draws can be made
 * together (rng_philox_many, rng_neglog_words):
 *  - outage_first_draws: how many uniforms outage_sample takes first, a
 *    multiple of four (whole refills, so the stream stands after them at
 *    block n / 2 with nothing buffered), or 0 for a unit that never fails;
 *  - outage_walk: the walk from those draws: u0 the first uniform (the
 *    initial state), e[0, n_e) the exponentials of the next n_e = n - 1,
 *    then refills from s, which must stand where the n draws left it
 *    (rng_init_at(s, seed, stream, trial, n / 2)). e is only read, so a
 *    walk can be repeated with a larger span buffer.
 * outage_sample(s, ...) is exactly these two on s's own draws.
 */
size_t outage_first_draws(double mttf_h, double mttr_h, int32_t horizon_h);
size_t outage_walk(double u0, const double *e, size_t n_e, rng_stream_t *s, double mttf_h,
                   double mttr_h, int32_t horizon_h, outage_span_t *restrict spans, size_t cap);

/* Expected changes of one unit's state over horizon_h hours, a failure and
 * a repair per cycle: 2 horizon_h / (mttf_h + mttr_h), 0 for a unit that
 * never fails (as outage_sample defines it). */
double outage_expected_changes(double mttf_h, double mttr_h, double horizon_h);

/* Expected number of spans of one unit over horizon_h hours (for sizing). */
double outage_expected_spans(double mttf_h, double mttr_h, double horizon_h);

#endif
