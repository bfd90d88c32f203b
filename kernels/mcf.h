/*
 * mcf.h - minimum-cost flow on a small network, in integers, without
 * allocating once built.
 *
 * The network simulation solves one of these per time step (a handful of
 * regions and storage devices, so tens of nodes and edges): PRAS's dispatch
 * problem (see netsim.c), whose costs make it serve load before anything
 * else, keep power local, and charge and discharge storage in a set order.
 *
 * Nodes have supplies (positive: injection, negative: withdrawal) summing to
 * zero; edges have a capacity and a cost per unit of flow. mcf_solve finds
 * a feasible flow of least total cost by successive shortest paths
 * (Bellman-Ford queue variant, since costs may be negative): it is exact for
 * integer data and needs only that no cycle of negative cost exists in the
 * network as built, which PRAS's costs guarantee. Ties are broken by edge
 * order, so the solution is a pure function of the inputs.
 */
#ifndef GR_MCF_H
#define GR_MCF_H

#include <stddef.h>
#include <stdint.h>

/* A capacity no flow can reach (the flows are sums of 32-bit values). */
#define MCF_UNLIMITED (INT64_C(1) << 62)

typedef struct {
    int32_t n_nodes, n_edges;
    int32_t n_arcs;     /* residual arcs: 2 per edge plus 2 per node (source/sink) */
    int32_t *arc_to;    /* [n_arcs] */
    int32_t *arc_next;  /* [n_arcs] next arc leaving the same node, -1 ends */
    int32_t *first;     /* [n_nodes + 2] first arc leaving the node, -1 if none */
    int64_t *arc_res;   /* [n_arcs] residual capacity */
    int64_t *arc_cost;  /* [n_arcs] */
    int64_t *cap;       /* [n_edges] */
    int64_t *cost;      /* [n_edges] */
    int32_t *from, *to; /* [n_edges] */
    int64_t *supply;    /* [n_nodes] */
    int64_t *flow;      /* [n_edges] the solution */
    int64_t *dist;      /* [n_nodes + 2] */
    int32_t *pred;      /* [n_nodes + 2] arc into the node on the shortest path */
    int32_t *queue;     /* [n_nodes + 2] ring */
    uint8_t *in_queue;  /* [n_nodes + 2] */
} mcf_t;

/* Bytes mcf_init needs for a network of this size. */
size_t mcf_bytes(int32_t n_nodes, int32_t n_edges);

/* Lays the network out in mem (mcf_bytes(n_nodes, n_edges) bytes, aligned
 * for int64_t, owned by the caller); every edge starts as node 0 -> node 0
 * with no capacity and no cost, every supply at 0. */
void mcf_init(mcf_t *g, void *mem, int32_t n_nodes, int32_t n_edges);

static inline void mcf_edge(mcf_t *g, int32_t e, int32_t from, int32_t to, int64_t cap,
                            int64_t cost)
{
    g->from[e] = from;
    g->to[e] = to;
    g->cap[e] = cap;
    g->cost[e] = cost;
}

/* Finds a least-cost flow meeting every supply within the capacities; the
 * flow of edge e is then g->flow[e]. Returns 0, or -1 when no flow meets
 * the supplies (g->flow then holds the largest part that could be routed)
 * or the supplies do not sum to zero. */
int mcf_solve(mcf_t *g);

/* Total cost of the current flow. */
int64_t mcf_cost(const mcf_t *g);

#endif
