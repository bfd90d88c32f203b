/*
 * mcf.c - see mcf.h.
 *
 * The supplies become arcs from a super source (injections) and to a super
 * sink (withdrawals); a least-cost maximum flow from source to sink is then
 * a least-cost flow meeting the supplies. Successive shortest paths keep the
 * residual network free of negative cycles, so each shortest path (found by
 * the queue-based Bellman-Ford, which allows negative arc costs) extends an
 * optimal flow to a larger optimal flow.
 */
#include "mcf.h"

#include <string.h>

#define ALIGN8(n) (((n) + 7u) & ~(size_t)7u)

size_t mcf_bytes(int32_t n_nodes, int32_t n_edges)
{
    const size_t N = (size_t)n_nodes + 2, E = (size_t)n_edges;
    const size_t A = 2 * E + 2 * (size_t)n_nodes;
    return ALIGN8(A * sizeof(int32_t)) * 2                      /* arc_to, arc_next */
           + ALIGN8(N * sizeof(int32_t)) * 3                    /* first, pred, queue */
           + A * sizeof(int64_t) * 2                            /* arc_res, arc_cost */
           + E * sizeof(int64_t) * 3                            /* cap, cost, flow */
           + ALIGN8(E * sizeof(int32_t)) * 2                    /* from, to */
           + (size_t)n_nodes * sizeof(int64_t)                  /* supply */
           + N * sizeof(int64_t) + ALIGN8(N * sizeof(uint8_t)); /* dist, in_queue */
}

void mcf_init(mcf_t *g, void *mem, int32_t n_nodes, int32_t n_edges)
{
    memset(mem, 0, mcf_bytes(n_nodes, n_edges));
    const size_t N = (size_t)n_nodes + 2, E = (size_t)n_edges;
    const size_t A = 2 * E + 2 * (size_t)n_nodes;
    char *p = mem;
    /* 8-byte members first so every pointer stays aligned */
    g->arc_res = (int64_t *)(void *)p, p += A * sizeof(int64_t);
    g->arc_cost = (int64_t *)(void *)p, p += A * sizeof(int64_t);
    g->cap = (int64_t *)(void *)p, p += E * sizeof(int64_t);
    g->cost = (int64_t *)(void *)p, p += E * sizeof(int64_t);
    g->flow = (int64_t *)(void *)p, p += E * sizeof(int64_t);
    g->supply = (int64_t *)(void *)p, p += (size_t)n_nodes * sizeof(int64_t);
    g->dist = (int64_t *)(void *)p, p += N * sizeof(int64_t);
    g->arc_to = (int32_t *)(void *)p, p += ALIGN8(A * sizeof(int32_t));
    g->arc_next = (int32_t *)(void *)p, p += ALIGN8(A * sizeof(int32_t));
    g->first = (int32_t *)(void *)p, p += ALIGN8(N * sizeof(int32_t));
    g->pred = (int32_t *)(void *)p, p += ALIGN8(N * sizeof(int32_t));
    g->queue = (int32_t *)(void *)p, p += ALIGN8(N * sizeof(int32_t));
    g->from = (int32_t *)(void *)p, p += ALIGN8(E * sizeof(int32_t));
    g->to = (int32_t *)(void *)p, p += ALIGN8(E * sizeof(int32_t));
    g->in_queue = (uint8_t *)p;
    g->n_nodes = n_nodes;
    g->n_edges = n_edges;
    g->n_arcs = (int32_t)A;
}

/* Shortest distances from src over arcs with residual capacity; returns 0,
 * or -1 if a negative cycle is reachable (a node relaxed more often than
 * there are nodes). */
static int shortest_paths(mcf_t *g, int32_t src)
{
    const int32_t N = g->n_nodes + 2;
    for (int32_t v = 0; v < N; ++v) {
        g->dist[v] = INT64_MAX;
        g->pred[v] = -1;
        g->in_queue[v] = 0;
    }
    int32_t head = 0, count = 0;
    int64_t pops = 0;
    const int64_t max_pops = (int64_t)N * (int64_t)(g->n_arcs + 1);
    g->dist[src] = 0;
    g->queue[0] = src;
    g->in_queue[src] = 1;
    count = 1;
    while (count > 0) {
        const int32_t u = g->queue[head];
        head = head + 1 == N ? 0 : head + 1;
        --count;
        g->in_queue[u] = 0;
        if (++pops > max_pops)
            return -1;
        const int64_t du = g->dist[u];
        for (int32_t a = g->first[u]; a >= 0; a = g->arc_next[a]) {
            if (g->arc_res[a] <= 0)
                continue;
            const int32_t v = g->arc_to[a];
            const int64_t dv = du + g->arc_cost[a];
            if (dv < g->dist[v]) {
                g->dist[v] = dv;
                g->pred[v] = a;
                if (!g->in_queue[v]) {
                    int32_t tail = head + count;
                    if (tail >= N)
                        tail -= N;
                    g->queue[tail] = v;
                    g->in_queue[v] = 1;
                    ++count;
                }
            }
        }
    }
    return 0;
}

/* The node an arc leaves: the head of its partner arc. */
static inline int32_t arc_from(const mcf_t *g, int32_t a) { return g->arc_to[a ^ 1]; }

int mcf_solve(mcf_t *g)
{
    const int32_t E = g->n_edges, Nn = g->n_nodes;
    const int32_t src = Nn, snk = Nn + 1;
    int64_t balance = 0, wanted = 0;
    for (int32_t e = 0; e < E; ++e) {
        g->arc_to[2 * e] = g->to[e];
        g->arc_to[2 * e + 1] = g->from[e];
        g->arc_res[2 * e] = g->cap[e];
        g->arc_res[2 * e + 1] = 0;
        g->arc_cost[2 * e] = g->cost[e];
        g->arc_cost[2 * e + 1] = -g->cost[e];
        g->flow[e] = 0;
    }
    for (int32_t v = 0; v < Nn; ++v) {
        const int64_t s = g->supply[v];
        const int32_t a = 2 * E + 2 * v;
        balance += s;
        if (s > 0)
            wanted += s;
        /* injections: source -> v; withdrawals: v -> sink */
        g->arc_to[a] = s >= 0 ? v : snk;
        g->arc_to[a + 1] = s >= 0 ? src : v;
        g->arc_res[a] = s >= 0 ? s : -s;
        g->arc_res[a + 1] = 0;
        g->arc_cost[a] = g->arc_cost[a + 1] = 0;
    }
    /* adjacency lists, built back to front so each list runs in arc order
     * (the tie-breaking order) */
    for (int32_t v = 0; v < Nn + 2; ++v)
        g->first[v] = -1;
    for (int32_t a = g->n_arcs - 1; a >= 0; --a) {
        const int32_t u = arc_from(g, a);
        g->arc_next[a] = g->first[u];
        g->first[u] = a;
    }
    int64_t routed = 0;
    while (routed < wanted) {
        if (shortest_paths(g, src) || g->pred[snk] < 0)
            break;
        int64_t push = INT64_MAX;
        for (int32_t v = snk; v != src; v = arc_from(g, g->pred[v]))
            if (g->arc_res[g->pred[v]] < push)
                push = g->arc_res[g->pred[v]];
        for (int32_t v = snk; v != src; v = arc_from(g, g->pred[v])) {
            g->arc_res[g->pred[v]] -= push;
            g->arc_res[g->pred[v] ^ 1] += push;
        }
        routed += push;
    }
    for (int32_t e = 0; e < E; ++e)
        g->flow[e] = g->arc_res[2 * e + 1];
    return balance == 0 && routed == wanted ? 0 : -1;
}

int64_t mcf_cost(const mcf_t *g)
{
    int64_t c = 0;
    for (int32_t e = 0; e < g->n_edges; ++e)
        c += g->flow[e] * g->cost[e];
    return c;
}
