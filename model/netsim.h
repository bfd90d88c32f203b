/*
 * netsim.h - sequential Monte Carlo of a multi-region system (net.h), as
 * PRAS's SequentialMonteCarlo does it: per trial, every generator, storage,
 * generator-storage and line follows a two-state Markov chain with the
 * file's per-step failure and repair probabilities, started from the steady
 * state of the first step; each step the power transfers and storage
 * actions that minimise unserved energy are found by PRAS's own min-cost
 * flow (netsim.c documents it) and the shortfall is recorded per region.
 *
 * Results (results.h): per trial, for the system (root metrics) and per
 * region (by_region): steps with shortfall, their hours and the unserved
 * energy, over the simulated period (not annualised, as PRAS reports LOLE);
 * per step and area (regions, then the system): shortfall probability and
 * expected unserved energy with standard errors (by_step). Every sum behind
 * them is an integer sum, so results are bit-identical for any thread count.
 */
#ifndef GR_NETSIM_H
#define GR_NETSIM_H

#include "err.h"
#include "net.h"
#include "results.h"
#include "sim.h"

enum { NETSIM_M_SHED_STEPS, NETSIM_M_SHED_HOURS, NETSIM_M_UNSERVED_MWH, NETSIM_N_METRICS };
extern const metric_info_t netsim_metrics[NETSIM_N_METRICS];

typedef struct {
    /* Merge every region into one and ignore interfaces and lines (PRAS's
     * copper-plate assessment). */
    int copper_plate;
} netsim_opts_t;

/* Simulates trials [0, opts->trials) of sys; *out gets the results (free
 * with results_free). */
int netsim_run(const net_sys_t *sys, const netsim_opts_t *nopts, const sim_opts_t *opts,
               results_t **out, gr_err_t *err);

/* Bytes one thread's scratch needs (for the memory estimate). */
size_t netsim_thread_bytes(const net_sys_t *sys, int copper_plate);

/* One step of the dispatch, for tests of its identities: given the
 * available generation per region avail_mw[R] and the line, storage and
 * generator-storage states of step t, solve and report unserved power per
 * region and the flow on each interface (positive from -> to). Storage
 * energies are in and out (energy units). Returns 0 or -1 (no flow). */
typedef struct {
    const int64_t *avail;     /* [R] available generation (power units) */
    const uint8_t *line_up;   /* [lines] */
    const uint8_t *stor_up;   /* [storages] */
    const uint8_t *gs_up;     /* [generator-storages] */
    int64_t *stor_energy;     /* [storages] in/out */
    int64_t *gs_energy;       /* [generator-storages] in/out */
    int64_t *unserved;        /* [R] out */
    int64_t *iface_flow;      /* [interfaces] out */
    int64_t *iface_limit_fwd; /* [interfaces] out: the limits applied */
    int64_t *iface_limit_bwd; /* [interfaces] out */
    int64_t *stor_net;        /* [storages] out: discharge - charge (power) */
    int64_t *gs_net;          /* [generator-storages] out: grid injection - withdrawal */
} netsim_step_io_t;
int netsim_step(const net_sys_t *sys, int copper_plate, uint32_t t, netsim_step_io_t *io);

/* Trials per scheduling chunk of the network model (a streamed run holds
 * harness_window of it: two blocks). */
enum { NETSIM_CHUNK = 16 };

#endif
