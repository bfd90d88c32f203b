/*
 * runmem.h - will a run fit in memory? Asked before the first trial.
 *
 * A run kept whole (under MPI, or with a precision target or a Sobol design)
 * holds every trial's results until the file is written, a streamed run a
 * block of them, but its sensitivity pass still ranks every trial; a run
 * that does not fit would fail only after all its work (or be killed by the
 * kernel's OOM killer). runmem_estimate sizes a run of a scenario from the
 * same shapes the simulator allocates (results_estimate, plus each thread's
 * scratch as sim.c and pakistan.c size it in their ws_init); main compares
 * it with runmem_available and refuses a run that would not fit.
 */
#ifndef GR_RUNMEM_H
#define GR_RUNMEM_H

#include "../inputs/scenario.h"
#include "results.h"

#include <stdint.h>

/* threads 0: OpenMP's default (as sim_run); stream: the run is streamed
 * (sim_opts_t.sink), holding two blocks of trials (harness_window). */
void runmem_estimate(const scenario_t *sc, uint64_t trials, int threads, int stream,
                     results_mem_t *m);

/* Bytes this process can still use: MemAvailable from meminfo_path
 * (normally /proc/meminfo), lowered to the cgroup v2 limit's headroom when
 * cgroup_dir (normally /sys/fs/cgroup) sets one. 0 on success; -1 if
 * neither source could be read (the caller then skips the check). */
int runmem_available(const char *meminfo_path, const char *cgroup_dir, uint64_t *bytes);

#endif
