/*
 * par.h - a run across MPI ranks (`make MPI=1`: mpicc, Open MPI), hybrid
 * with OpenMP inside each rank.
 *
 * The harness deals the blocks of trials out to the ranks in turn (rank k
 * runs blocks k, k + P, k + 2P, ...). A streamed run (sim_opts_t.sink)
 * writes each round's blocks into one file every rank writes (parallel
 * HDF5: outputs/h5out.h, h5out_open_shared) and sends them to rank 0
 * (par_send_rows), which keeps the trials' averages, in order, and only
 * the counts are summed at the end. With a checkpoint, which
 * is rank 0's, each block's loss-of-load counts and model totals go with its
 * rows (par_send_bytes), so that rank 0 keeps every block with the totals so
 * far, as a run on one rank does. Otherwise each rank
 * fills only its trials' rows of a zeroed results_t, and par_combine makes
 * every rank's copy whole:
 * a bitwise OR of the rows (each element is written by exactly one rank and
 * is zero bits elsewhere, so the OR is the owner's value to the bit, -0.0
 * and NaN payloads included, which no floating-point sum guarantees) and
 * integer sums of the counts. Trial t's streams depend only on (seed, t), so
 * the combined results equal a one-rank run's bit for bit, whatever the
 * ranks and threads; everything computed from them afterwards (summaries,
 * sensitivity) is computed alike on every rank, and rank 0 writes the file.
 *
 * Without GR_MPI (the default build) these are the one-rank case: rank 0 of
 * 1, and the combinations do nothing.
 */
#ifndef GR_PAR_H
#define GR_PAR_H

#include "err.h"
#include "results.h"

#include <stddef.h>
#include <stdint.h>

__extension__ typedef unsigned __int128 par_u128;

/* MPI_Init_thread (MPI_THREAD_FUNNELED: only the thread that called it talks
 * to MPI, outside the OpenMP regions); 0 or -1. */
int par_init(int *argc, char ***argv);
void par_finalize(void);
/* Ends every rank's process with exit status code at once (MPI_Abort;
 * without MPI, exit): for a state MPI_Finalize could wait in forever. */
void par_abort(int code);
int par_rank(void);
int par_size(void);

/* The largest of every rank's v (collective: an error on any rank is an error
 * on all, so no rank waits alone in a later collective). */
int par_max_int(int v);

/* Every rank's status rc agreed (collective): the worst code on every rank.
 * Rank 0 alone is heard (the others' stderr is closed), so when it did not
 * fail itself, its e becomes the message of the lowest rank that failed;
 * another rank that did not fail gets "another MPI rank failed". */
int par_agree_err(int rc, gr_err_t *e);

/* r's per-trial rows (values, drivers, splits) ORed and its loss-of-load
 * counts summed over the ranks, on every rank; 0 or -1. */
int par_combine(results_t *r);

/* A streamed run's block of trials [from, to), held in r's window: sent to
 * rank dst, or received from rank src into r's window (at from); 0 or -1. */
int par_send_rows(const results_t *r, int dst, uint64_t from, uint64_t to);
int par_recv_rows(results_t *r, int src, uint64_t from, uint64_t to);

/* n bytes sent to rank dst, or received from rank src, in the order sent
 * (a checkpointed run's totals travel with its rows); 0 or -1. */
int par_send_bytes(const void *p, size_t n, int dst);
int par_recv_bytes(void *p, size_t n, int src);

/* Rank 0's *v, or its n bytes at p, on every rank (collective); 0 or -1. */
int par_bcast_u64(uint64_t *v);
int par_bcast_bytes(void *p, size_t n);

/* Sums over the ranks, on every rank, in place; 0 or -1. */
int par_sum_i64(int64_t *v, size_t n);
int par_sum_u128(par_u128 *v, size_t n);

#endif
