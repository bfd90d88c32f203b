/*
 * par.c - see par.h.
 */
#include "par.h"

#include <stdlib.h>

#ifdef GR_MPI

#include <limits.h>
#include <mpi.h>
#include <stdint.h>
#include <stdio.h>

int par_init(int *argc, char ***argv)
{
    int provided;
    return MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) == MPI_SUCCESS &&
                   provided >= MPI_THREAD_FUNNELED
               ? 0
               : -1;
}

void par_finalize(void) { MPI_Finalize(); }

void par_abort(int code) { MPI_Abort(MPI_COMM_WORLD, code); }

int par_rank(void)
{
    int r = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &r);
    return r;
}

int par_size(void)
{
    int n = 1;
    MPI_Comm_size(MPI_COMM_WORLD, &n);
    return n;
}

int par_max_int(int v)
{
    int m = v;
    MPI_Allreduce(&v, &m, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    return m;
}

int par_agree_err(int rc, gr_err_t *e)
{
    const int all = par_max_int(rc), rank = par_rank();
    if (!all)
        return 0;
    int me = rc ? rank : INT_MAX, first = me;
    MPI_Allreduce(&me, &first, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    if (first > 0 && rank == first)
        MPI_Send(e->msg, (int)sizeof e->msg, MPI_CHAR, 0, 19, MPI_COMM_WORLD);
    else if (first > 0 && rank == 0) {
        if (MPI_Recv(e->msg, (int)sizeof e->msg, MPI_CHAR, first, 19, MPI_COMM_WORLD,
                     MPI_STATUS_IGNORE) != MPI_SUCCESS)
            snprintf(e->msg, sizeof e->msg, "MPI rank %d failed", first);
        e->msg[sizeof e->msg - 1] = '\0';
        e->code = all;
    } else if (!rc)
        gr_err_set(e, all, "another MPI rank failed");
    return all;
}

/* MPI counts are ints: large arrays go in pieces. */
#define PAR_PIECE ((size_t)1 << 28)

static int allreduce(void *v, size_t n, MPI_Datatype type, size_t size, MPI_Op op)
{
    unsigned char *p = v;
    for (size_t at = 0; at < n; at += PAR_PIECE) {
        const size_t k = n - at < PAR_PIECE ? n - at : PAR_PIECE;
        if (MPI_Allreduce(MPI_IN_PLACE, p + at * size, (int)k, type, op, MPI_COMM_WORLD) !=
            MPI_SUCCESS)
            return -1;
    }
    return 0;
}

/* doubles as their 64 bits */
static int or_bits(double *v, size_t n)
{
    return v && n ? allreduce(v, n, MPI_UINT64_T, sizeof *v, MPI_BOR) : 0;
}

int par_combine(results_t *r)
{
    if (par_size() < 2)
        return 0;
    results_rows_t a[RESULTS_MAX_ROW_ARRAYS];
    const size_t k = results_row_arrays(r, a);
    for (size_t i = 0; i < k; ++i)
        if (or_bits(a[i].v, a[i].blocks * r->trials * a[i].row))
            return -1;
    return par_sum_i64(r->lol_count, r->n_scen * r->years * r->hours);
}

int par_sum_i64(int64_t *v, size_t n)
{
    return par_size() < 2 || !n ? 0 : allreduce(v, n, MPI_INT64_T, sizeof *v, MPI_SUM);
}

/* Each contiguous run of trials [from, to) of r's window, in
 * results_row_arrays' order, sent to or received from peer (messages between
 * two ranks arrive in the order sent). */
static int rows_xfer(const results_t *r, int peer, uint64_t from, uint64_t to, int send)
{
    results_rows_t a[RESULTS_MAX_ROW_ARRAYS];
    const size_t k = results_row_arrays(r, a);
    for (size_t i = 0; i < k; ++i)
        for (size_t b = 0; b < a[i].blocks; ++b) {
            double *p = a[i].v + (b * r->cap + (from - r->t0)) * a[i].row;
            const size_t n = (to - from) * a[i].row;
            for (size_t at = 0; at < n; at += PAR_PIECE) {
                const int c = (int)(n - at < PAR_PIECE ? n - at : PAR_PIECE);
                const int e = send ? MPI_Send(p + at, c, MPI_DOUBLE, peer, 18, MPI_COMM_WORLD)
                                   : MPI_Recv(p + at, c, MPI_DOUBLE, peer, 18, MPI_COMM_WORLD,
                                              MPI_STATUS_IGNORE);
                if (e != MPI_SUCCESS)
                    return -1;
            }
        }
    return 0;
}

int par_send_rows(const results_t *r, int dst, uint64_t from, uint64_t to)
{
    return rows_xfer(r, dst, from, to, 1);
}

int par_recv_rows(results_t *r, int src, uint64_t from, uint64_t to)
{
    return rows_xfer(r, src, from, to, 0);
}

/* Bytes in pieces of at most PAR_PIECE, to or from peer, in the order sent. */
static int bytes_xfer(void *p, size_t n, int peer, int send)
{
    unsigned char *b = p;
    for (size_t at = 0; at < n; at += PAR_PIECE) {
        const int c = (int)(n - at < PAR_PIECE ? n - at : PAR_PIECE);
        const int e =
            send ? MPI_Send(b + at, c, MPI_BYTE, peer, 18, MPI_COMM_WORLD)
                 : MPI_Recv(b + at, c, MPI_BYTE, peer, 18, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        if (e != MPI_SUCCESS)
            return -1;
    }
    return 0;
}

int par_send_bytes(const void *p, size_t n, int dst)
{
    return bytes_xfer((void *)(uintptr_t)p, n, dst, 1);
}

int par_recv_bytes(void *p, size_t n, int src) { return bytes_xfer(p, n, src, 0); }

/* in pieces of at most PAR_PIECE */
int par_bcast_bytes(void *p, size_t n)
{
    unsigned char *b = p;
    for (size_t at = 0; at < n; at += PAR_PIECE) {
        const int c = (int)(n - at < PAR_PIECE ? n - at : PAR_PIECE);
        if (MPI_Bcast(b + at, c, MPI_BYTE, 0, MPI_COMM_WORLD) != MPI_SUCCESS)
            return -1;
    }
    return 0;
}

int par_bcast_u64(uint64_t *v)
{
    return MPI_Bcast(v, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD) == MPI_SUCCESS ? 0 : -1;
}

/* A 128-bit unsigned sum: MPI has no such type; a user operation on pairs
 * of 64-bit words. */
static void add_u128(void *in, void *inout, int *len, MPI_Datatype *type)
{
    (void)type;
    const par_u128 *a = in;
    par_u128 *b = inout;
    for (int i = 0; i < *len; ++i)
        b[i] += a[i];
}

int par_sum_u128(par_u128 *v, size_t n)
{
    if (par_size() < 2 || !n)
        return 0;
    MPI_Datatype t;
    MPI_Op op;
    if (MPI_Type_contiguous(2, MPI_UINT64_T, &t) != MPI_SUCCESS)
        return -1;
    MPI_Type_commit(&t);
    MPI_Op_create(add_u128, 1, &op);
    const int rc = allreduce(v, n, t, sizeof *v, op);
    MPI_Op_free(&op);
    MPI_Type_free(&t);
    return rc;
}

#else /* one rank */

int par_init(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

void par_finalize(void) {}

void par_abort(int code) { exit(code); }

int par_rank(void) { return 0; }

int par_size(void) { return 1; }

int par_max_int(int v) { return v; }

int par_agree_err(int rc, gr_err_t *e)
{
    (void)e;
    return rc;
}

int par_combine(results_t *r)
{
    (void)r;
    return 0;
}

int par_sum_i64(int64_t *v, size_t n)
{
    (void)v;
    (void)n;
    return 0;
}

/* one rank has no other to send to */
int par_send_rows(const results_t *r, int dst, uint64_t from, uint64_t to)
{
    (void)r;
    (void)dst;
    (void)from;
    (void)to;
    return -1;
}

int par_recv_rows(results_t *r, int src, uint64_t from, uint64_t to)
{
    (void)r;
    (void)src;
    (void)from;
    (void)to;
    return -1;
}

int par_send_bytes(const void *p, size_t n, int dst)
{
    (void)p;
    (void)n;
    (void)dst;
    return -1;
}

int par_recv_bytes(void *p, size_t n, int src)
{
    (void)p;
    (void)n;
    (void)src;
    return -1;
}

int par_bcast_u64(uint64_t *v)
{
    (void)v;
    return 0;
}

int par_bcast_bytes(void *p, size_t n)
{
    (void)p;
    (void)n;
    return 0;
}

int par_sum_u128(par_u128 *v, size_t n)
{
    (void)v;
    (void)n;
    return 0;
}

#endif
