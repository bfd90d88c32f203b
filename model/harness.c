/*
 * harness.c - see harness.h.
 */
#include "harness.h"

#include <omp.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int harness_run(const harness_model_t *m, const void *model, void *sum, const sim_opts_t *opts,
                results_t *r, gr_err_t *err)
{
    const double t0 = now_s();
    if (!getenv("OMP_SCHEDULE"))
        omp_set_schedule(omp_sched_dynamic, m->chunk);
    const int nthreads = opts->threads > 0 ? opts->threads : omp_get_max_threads();
    const uint64_t T = opts->trials;
    const uint64_t batch = m->chunk > 0 ? (uint64_t)m->chunk : 1;
    const size_t n_lol = r->n_scen * r->years * r->hours;
    atomic_uint_fast64_t done = 0;
    int failed = 0, used_threads = 1;

#pragma omp parallel num_threads(nthreads) reduction(| : failed)
    {
        void *ws = calloc(1, m->ws_size);
        int ok = ws && m->ws_init(ws, model) == 0;
#pragma omp single
        used_threads = omp_get_num_threads();
        double last = now_s();
        uint64_t mine = 0;
#pragma omp for schedule(runtime)
        for (uint64_t t = 0; t < T; ++t) {
            if (!ok)
                continue;
            if (m->trial(model, ws, r, t)) {
                ok = 0;
                continue;
            }
            /* progress: one shared add per chunk of trials, not per trial,
             * so the counter's cache line does not bounce between cores */
            if (++mine == batch) {
                const uint64_t d =
                    atomic_fetch_add_explicit(&done, mine, memory_order_relaxed) + mine;
                mine = 0;
                if (opts->progress && omp_get_thread_num() == 0 && now_s() - last > 0.2) {
                    opts->progress(opts->progress_ctx, d, T);
                    last = now_s();
                }
            }
        }
        failed |= !ok;
        /* Integer sums: the total is the same in any order. */
#pragma omp critical(gr_harness_sum)
        if (ok) {
            const int64_t *lol = m->lol(ws);
            for (size_t i = 0; i < n_lol; ++i)
                r->lol_count[i] += lol[i];
            if (m->ws_merge)
                m->ws_merge(sum, ws);
        }
        if (ws)
            m->ws_free(ws);
        free(ws);
    }
    if (failed)
        return gr_err_set(err, GR_ERUNTIME, "out of memory in a worker thread");
    if (opts->progress)
        opts->progress(opts->progress_ctx, T, T);
    r->seed = opts->seed;
    r->threads = used_threads;
    r->ranks = 1;
    r->wall_s = now_s() - t0;
    return GR_OK;
}
