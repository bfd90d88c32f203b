/* test_netsim.c - the min-cost flow kernel and the network simulation, on
 * systems built here by hand:
 *  - mcf: random networks, checked against the optimality certificate (no
 *    negative-cost cycle in the residual network), conservation and limits;
 *  - PRAS's published single-region values (TestData.jl, singlenode_a and
 *    test2 with storage) within 4 standard errors, per step too;
 *  - identities of every step: transfers within the interface limits left by
 *    the lines that are up, energy balance per region, unserved load only
 *    where no power is left unused;
 *  - one region equals the same system with an unlimited interface to an
 *    empty region (bit for bit: every unit has its own stream);
 *  - copper plate never sheds more than the network, trial by trial;
 *  - the fast kernel equals the reference, and one thread equals two. */
#include "testutil.h"

#include "../inputs/arena.h"
#include "../kernels/mcf.h"
#include "../model/netsim.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* --- min-cost flow ------------------------------------------------------------ */

static uint64_t lcg(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return *s >> 33;
}

/* 1 if the residual network of g's flow has a cycle of negative cost. */
static int has_negative_cycle(const mcf_t *g)
{
    const int N = g->n_nodes;
    int64_t d[16] = {0};
    for (int it = 0; it <= N; ++it) {
        int changed = 0;
        for (int e = 0; e < g->n_edges; ++e) {
            const int u = g->from[e], v = g->to[e];
            if (g->flow[e] < g->cap[e] && d[u] + g->cost[e] < d[v])
                d[v] = d[u] + g->cost[e], changed = 1;
            if (g->flow[e] > 0 && d[v] - g->cost[e] < d[u])
                d[u] = d[v] - g->cost[e], changed = 1;
        }
        if (!changed)
            return 0;
    }
    return 1;
}

static void test_mcf_random(void **st)
{
    (void)st;
    uint64_t seed = 42;
    for (int rep = 0; rep < 2000; ++rep) {
        const int N = 3 + (int)(lcg(&seed) % 8), E = N + (int)(lcg(&seed) % 12);
        void *mem = malloc(mcf_bytes(N, E + 2 * N));
        mcf_t g;
        mcf_init(&g, mem, N, E + 2 * N);
        /* node N-1 is a slack joined both ways to every node at a high
         * cost, so every supply vector is feasible; other costs lie in
         * [-3, 9]: negative only on edges into node 0, which has no edge
         * out, so no cycle can be negative */
        int e = 0;
        for (int v = 0; v < N - 1; ++v) {
            mcf_edge(&g, e++, N - 1, v, MCF_UNLIMITED, 1000);
            mcf_edge(&g, e++, v, N - 1, MCF_UNLIMITED, 0);
        }
        while (e < E + 2 * N) {
            int u = 1 + (int)(lcg(&seed) % (uint64_t)(N - 2)),
                v = (int)(lcg(&seed) % (uint64_t)(N - 1));
            if (u == v)
                v = 0;
            const int64_t c = v == 0 ? -(int64_t)(lcg(&seed) % 4) : (int64_t)(lcg(&seed) % 10);
            mcf_edge(&g, e++, u, v, (int64_t)(lcg(&seed) % 11), c);
        }
        int64_t total = 0;
        for (int v = 0; v < N - 1; ++v) {
            g.supply[v] = (int64_t)(lcg(&seed) % 21) - 10;
            total += g.supply[v];
        }
        g.supply[N - 1] = -total;
        assert_int_equal(mcf_solve(&g), 0);
        int64_t net[16] = {0};
        for (int k = 0; k < g.n_edges; ++k) {
            assert_true(g.flow[k] >= 0 && g.flow[k] <= g.cap[k]);
            net[g.from[k]] += g.flow[k];
            net[g.to[k]] -= g.flow[k];
        }
        for (int v = 0; v < N; ++v)
            assert_int_equal(net[v], g.supply[v]);
        assert_false(has_negative_cycle(&g));
        free(mem);
    }
}

/* A hand-solved network: two sources, one sink, a cheap capacity-limited
 * path and a dear unlimited one. */
static void test_mcf_hand_solved(void **st)
{
    (void)st;
    void *mem = malloc(mcf_bytes(4, 4));
    mcf_t g;
    mcf_init(&g, mem, 4, 4);
    mcf_edge(&g, 0, 0, 2, 3, 1);             /* cheap, 3 units */
    mcf_edge(&g, 1, 0, 2, MCF_UNLIMITED, 5); /* dear */
    mcf_edge(&g, 2, 1, 2, 4, 2);
    mcf_edge(&g, 3, 2, 3, MCF_UNLIMITED, 0);
    g.supply[0] = 6, g.supply[1] = 4, g.supply[2] = 0, g.supply[3] = -10;
    assert_int_equal(mcf_solve(&g), 0);
    assert_int_equal(g.flow[0], 3);
    assert_int_equal(g.flow[1], 3);
    assert_int_equal(g.flow[2], 4);
    assert_int_equal(mcf_cost(&g), 3 * 1 + 3 * 5 + 4 * 2);
    g.supply[3] = -9; /* unbalanced */
    assert_int_equal(mcf_solve(&g), -1);
    /* more withdrawn than injected: every injection can be routed, which
     * must not pass for a solution */
    g.supply[3] = -11;
    assert_int_equal(mcf_solve(&g), -1);
    free(mem);
}

/* A node that no flow can reach (supply 0, edges out only: its source arc
 * has no capacity) is left alone: its distance stays unknown, and is never
 * used to relax its edges. */
static void test_mcf_unreachable_node(void **st)
{
    (void)st;
    void *mem = malloc(mcf_bytes(3, 2));
    mcf_t g;
    mcf_init(&g, mem, 3, 2);
    mcf_edge(&g, 0, 0, 1, 5, 1); /* from the unreachable node */
    mcf_edge(&g, 1, 1, 2, 10, 2);
    g.supply[0] = 0, g.supply[1] = 3, g.supply[2] = -3;
    assert_int_equal(mcf_solve(&g), 0);
    assert_int_equal(g.flow[0], 0);
    assert_int_equal(g.flow[1], 3);
    assert_int_equal(mcf_cost(&g), 6);
    free(mem);
}

/* netsim solves one graph step after step: a solve must not depend on the
 * one before. First 5 units from node 0 to node 2 (the last node, whose
 * sink arc then carries them), then on the same graph 5 units from node 0,
 * 4 to node 1 and 1 to node 2, the cheapest route to node 1 running through
 * node 2 (0 -> 2 -> 1, cost -1 a unit): the same flows as on a fresh
 * graph. */
static void test_mcf_reused_graph(void **st)
{
    (void)st;
    void *mem = malloc(mcf_bytes(3, 3)), *fresh_mem = malloc(mcf_bytes(3, 3));
    mcf_t g, fresh;
    mcf_init(&g, mem, 3, 3);
    mcf_init(&fresh, fresh_mem, 3, 3);
    mcf_t *both[2] = {&g, &fresh};
    for (int k = 0; k < 2; ++k) {
        mcf_edge(both[k], 0, 0, 1, MCF_UNLIMITED, 10);
        mcf_edge(both[k], 1, 0, 2, MCF_UNLIMITED, 0);
        mcf_edge(both[k], 2, 2, 1, MCF_UNLIMITED, -1);
    }
    g.supply[0] = 5, g.supply[1] = 0, g.supply[2] = -5;
    assert_int_equal(mcf_solve(&g), 0);
    assert_int_equal(g.flow[1], 5);
    for (int k = 0; k < 2; ++k) {
        both[k]->supply[0] = 5, both[k]->supply[1] = -4, both[k]->supply[2] = -1;
        assert_int_equal(mcf_solve(both[k]), 0);
        assert_int_equal(both[k]->flow[0], 0);
        assert_int_equal(both[k]->flow[1], 5);
        assert_int_equal(both[k]->flow[2], 4);
        assert_int_equal(mcf_cost(both[k]), -4);
    }
    free(mem);
    free(fresh_mem);
}

/* --- systems built by hand ------------------------------------------------------- */

typedef struct {
    uint32_t N, R, G, S, GS, I, L;
} shape_t;

/* count zeroed entries of a class of n units, NULL if n is 0 */
static void *per_unit(arena_t *a, uint32_t n, size_t count, size_t size)
{
    return n ? arena_calloc(a, count + 1, size) : NULL;
}

/* A class with no units has no arrays (NULL), as the reader leaves a group
 * the file does not have: a loop that runs one past its count reads NULL
 * here rather than padding. */
static void assets(arena_t *a, net_assets_t *x, uint32_t n, uint32_t N)
{
    x->n = n;
    if (!n)
        return;
    x->name = arena_calloc(a, n + 1, sizeof *x->name);
    x->category = arena_calloc(a, n + 1, sizeof *x->category);
    x->home = arena_calloc(a, n + 1, sizeof *x->home);
    x->fail = arena_calloc(a, (size_t)N * n + 1, sizeof(double));
    x->repair = arena_calloc(a, (size_t)N * n + 1, sizeof(double));
    for (size_t i = 0; i < (size_t)N * n; ++i)
        x->repair[i] = 1; /* never fails unless the test says so */
}

static void stors(arena_t *a, net_stors_t *x, uint32_t n, uint32_t N, int gs)
{
    const size_t k = (size_t)N * n + 1;
    assets(a, &x->a, n, N);
    if (!n)
        return;
    x->charge_cap = arena_calloc(a, k, 8);
    x->discharge_cap = arena_calloc(a, k, 8);
    x->energy_cap = arena_calloc(a, k, 8);
    x->charge_eff = arena_calloc(a, k, 8);
    x->discharge_eff = arena_calloc(a, k, 8);
    x->carryover_eff = arena_calloc(a, k, 8);
    for (size_t i = 0; i + 1 < k; ++i)
        x->charge_eff[i] = x->discharge_eff[i] = x->carryover_eff[i] = 1;
    if (gs) {
        x->inflow = arena_calloc(a, k, 8);
        x->withdraw_cap = arena_calloc(a, k, 8);
        x->inject_cap = arena_calloc(a, k, 8);
    }
}

/* A system of the given shape in MW, MWh and 1-hour steps, every value 0
 * (probabilities: never fails), to be filled by the test. */
static net_sys_t *sys_new(arena_t *a, shape_t sh)
{
    net_sys_t *s = arena_calloc(a, 1, sizeof *s);
    strcpy(s->version, "v0.8.0");
    strcpy(s->start_timestamp, "2020-01-01T00:00:00+00:00");
    strcpy(s->step_unit, "h");
    strcpy(s->power_unit, "MW");
    strcpy(s->energy_unit, "MWh");
    s->steps = sh.N;
    s->step_length = 1;
    s->step_h = s->mw_per_unit = s->mwh_per_unit = s->energy_per_power_step = 1;
    s->n_regions = sh.R;
    s->region_name = arena_calloc(a, sh.R, sizeof *s->region_name);
    static const char *names[] = {"A", "B", "C", "D"};
    for (uint32_t r = 0; r < sh.R; ++r)
        s->region_name[r] = names[r];
    s->load = arena_calloc(a, (size_t)sh.N * sh.R, 8);
    assets(a, &s->gens.a, sh.G, sh.N);
    s->gens.cap = per_unit(a, sh.G, sh.N * sh.G, 8);
    stors(a, &s->stors, sh.S, sh.N, 0);
    stors(a, &s->genstors, sh.GS, sh.N, 1);
    s->ifaces.n = sh.I;
    s->ifaces.from = per_unit(a, sh.I, sh.I, 4);
    s->ifaces.to = per_unit(a, sh.I, sh.I, 4);
    s->ifaces.fwd_cap = per_unit(a, sh.I, sh.N * sh.I, 8);
    s->ifaces.bwd_cap = per_unit(a, sh.I, sh.N * sh.I, 8);
    assets(a, &s->lines.a, sh.L, sh.N);
    s->lines.fwd_cap = per_unit(a, sh.L, sh.N * sh.L, 8);
    s->lines.bwd_cap = per_unit(a, sh.L, sh.N * sh.L, 8);
    return s;
}

/* Sets column i of a [N][n] array to one value. */
static void col_d(double *x, uint32_t N, uint32_t n, uint32_t i, double v)
{
    for (uint32_t t = 0; t < N; ++t)
        x[(size_t)t * n + i] = v;
}
static void col_i(int64_t *x, uint32_t N, uint32_t n, uint32_t i, int64_t v)
{
    for (uint32_t t = 0; t < N; ++t)
        x[(size_t)t * n + i] = v;
}

static void outage(net_assets_t *x, uint32_t N, uint32_t i, double fail, double repair)
{
    col_d(x->fail, N, x->n, i, fail);
    col_d(x->repair, N, x->n, i, repair);
}

/* N steps and one region holding n devices of one kind, storages or (gs)
 * generator-storages, whose class is *d, a generator of gen_mw in every
 * step if gen_mw > 0, and the loads load[N] (if not NULL; else 0). */
static net_sys_t *devices_new(arena_t *a, uint32_t N, int gs, uint32_t n, int64_t gen_mw,
                              const int64_t *load, net_stors_t **d)
{
    net_sys_t *x = sys_new(
        a, (shape_t){.N = N, .R = 1, .G = gen_mw > 0 ? 1 : 0, .S = gs ? 0 : n, .GS = gs ? n : 0});
    if (gen_mw > 0)
        col_i(x->gens.cap, N, 1, 0, gen_mw);
    if (load)
        memcpy(x->load, load, N * sizeof *load);
    *d = gs ? &x->genstors : &x->stors;
    return x;
}

/* Device j of the n in class d, in each of N steps: its charge and
 * discharge limits, its energy capacity and, a generator-storage (gs),
 * grid_mw to and from the grid. */
static void device_caps(net_stors_t *d, int gs, uint32_t N, uint32_t n, uint32_t j,
                        int64_t charge_mw, int64_t discharge_mw, int64_t energy_mwh,
                        int64_t grid_mw)
{
    col_i(d->charge_cap, N, n, j, charge_mw);
    col_i(d->discharge_cap, N, n, j, discharge_mw);
    col_i(d->energy_cap, N, n, j, energy_mwh);
    if (gs) {
        col_i(d->inject_cap, N, n, j, grid_mw);
        col_i(d->withdraw_cap, N, n, j, grid_mw);
    }
}

/* PRAS TestData.jl singlenode_a: three 10 MW units (fail 0.1, repair 0.9)
 * and a variable 5..8 MW unit against loads 25, 28, 27, 24. */
static net_sys_t *singlenode_a(arena_t *a)
{
    net_sys_t *s = sys_new(a, (shape_t){.N = 4, .R = 1, .G = 4});
    const int64_t vg[4] = {5, 6, 7, 8}, load[4] = {25, 28, 27, 24};
    for (uint32_t i = 0; i < 3; ++i) {
        col_i(s->gens.cap, 4, 4, i, 10);
        outage(&s->gens.a, 4, i, 0.1, 0.9);
    }
    for (uint32_t t = 0; t < 4; ++t) {
        s->gens.cap[t * 4 + 3] = vg[t];
        s->load[t] = load[t];
    }
    return s;
}

/* PRAS TestData.jl test2: a 10 MW unit and a 10 MW / 10 MWh storage (both
 * fail 0.1, repair 0.9) against loads 8 and 9. */
static net_sys_t *test2(arena_t *a)
{
    net_sys_t *s = sys_new(a, (shape_t){.N = 2, .R = 1, .G = 1, .S = 1});
    col_i(s->gens.cap, 2, 1, 0, 10);
    outage(&s->gens.a, 2, 0, 0.1, 0.9);
    col_i(s->stors.charge_cap, 2, 1, 0, 10);
    col_i(s->stors.discharge_cap, 2, 1, 0, 10);
    col_i(s->stors.energy_cap, 2, 1, 0, 10);
    outage(&s->stors.a, 2, 0, 0.1, 0.9);
    s->load[0] = 8;
    s->load[1] = 9;
    return s;
}

/* PRAS TestData.jl threenode: three regions, 100 MW interfaces each made of
 * one 8 MW line that never fails. */
static net_sys_t *threenode(arena_t *a)
{
    net_sys_t *s = sys_new(a, (shape_t){.N = 4, .R = 3, .G = 8, .I = 3, .L = 3});
    const int64_t cap[8][4] = {{10, 10, 10, 10}, {4, 3, 2, 3}, {10, 10, 10, 10},
                               {10, 10, 10, 10}, {6, 5, 3, 4}, {10, 10, 15, 10},
                               {20, 20, 25, 20}, {2, 1, 2, 1}};
    const uint32_t home[8] = {0, 0, 1, 1, 1, 2, 2, 2};
    const int vg[8] = {0, 1, 0, 0, 1, 0, 0, 1};
    const int64_t load[3][4] = {{19, 20, 21, 20}, {20, 21, 21, 22}, {22, 21, 23, 22}};
    for (uint32_t i = 0; i < 8; ++i) {
        s->gens.a.home[i] = home[i];
        for (uint32_t t = 0; t < 4; ++t)
            s->gens.cap[t * 8 + i] = cap[i][t];
        if (!vg[i])
            outage(&s->gens.a, 4, i, 0.1, 0.9);
    }
    for (uint32_t t = 0; t < 4; ++t)
        for (uint32_t r = 0; r < 3; ++r)
            s->load[t * 3 + r] = load[r][t];
    const uint32_t from[3] = {0, 0, 1}, to[3] = {1, 2, 2};
    for (uint32_t k = 0; k < 3; ++k) {
        s->ifaces.from[k] = from[k];
        s->ifaces.to[k] = to[k];
        col_i(s->ifaces.fwd_cap, 4, 3, k, 100);
        col_i(s->ifaces.bwd_cap, 4, 3, k, 100);
        s->lines.a.home[k] = k;
        col_i(s->lines.fwd_cap, 4, 3, k, 8);
        col_i(s->lines.bwd_cap, 4, 3, k, 8);
    }
    return s;
}

static results_t *run(const net_sys_t *s, int copper, uint64_t trials, uint32_t seed, int threads,
                      sim_kernel_t kernel)
{
    const sim_opts_t so = {.seed = seed, .trials = trials, .threads = threads, .kernel = kernel};
    const netsim_opts_t no = {.copper_plate = copper};
    results_t *r;
    gr_err_t err = {0, {0}};
    assert_int_equal(netsim_run(s, &no, &so, &r, &err), 0);
    return r;
}

static void mean_se(const results_t *r, size_t q, double *mean, double *se)
{
    double s1 = 0, s2 = 0;
    const double T = (double)r->trials;
    for (uint64_t t = 0; t < r->trials; ++t) {
        const double v = *results_at(r, 0, q, t);
        s1 += v;
        s2 += v * v;
    }
    *mean = s1 / T;
    *se = sqrt(fmax(0, s2 / T - *mean * *mean) / (T - 1));
}

/* value within 4 standard errors, and the standard error below 1% of it */
static void near(double mean, double se, double want)
{
    if (fabs(mean - want) > 4 * se || se > 0.01 * want)
        fail_msg("%.5f +- %.5f vs published %.5f", mean, se, want);
}

static void test_singlenode_a(void **st)
{
    (void)st;
    arena_t *a = arena_new();
    const net_sys_t *s = singlenode_a(a);
    results_t *r = run(s, 0, tu_scaled(200000), 7, 0, SIM_KERNEL_FAST);
    double m, se;
    mean_se(r, NETSIM_M_SHED_STEPS, &m, &se);
    near(m, se, 0.355);
    mean_se(r, NETSIM_M_UNSERVED_MWH, &m, &se);
    near(m, se, 1.59);
    const double lolp[4] = {0.028, 0.271, 0.028, 0.028}, eue[4] = {0.29, 0.832, 0.29, 0.178};
    for (size_t t = 0; t < 4; ++t) {
        const size_t sys = t * r->n_area + 1; /* areas: region A, system */
        assert_true(fabs(r->step_lolp[sys] - lolp[t]) <= 4 * r->step_lolp_se[sys]);
        assert_true(fabs(r->step_eue[sys] - eue[t]) <= 4 * r->step_eue_se[sys]);
        /* one region: the region is the system */
        assert_true(r->step_lolp[t * r->n_area] == r->step_lolp[sys]);
    }
    assert_true(r->area_demand_mwh[1] == 25 + 28 + 27 + 24);
    results_free(r);
    arena_free(a);
}

static void test_storage_test2(void **st)
{
    (void)st;
    arena_t *a = arena_new();
    const net_sys_t *s = test2(a);
    results_t *r = run(s, 0, tu_scaled(400000), 11, 0, SIM_KERNEL_FAST);
    double m, se;
    mean_se(r, NETSIM_M_SHED_STEPS, &m, &se);
    near(m, se, 0.2);
    mean_se(r, NETSIM_M_UNSERVED_MWH, &m, &se);
    near(m, se, 1.5542);
    const double eue[2] = {0.8, 0.7542};
    for (size_t t = 0; t < 2; ++t)
        assert_true(fabs(r->step_eue[t * 2 + 1] - eue[t]) <= 4 * r->step_eue_se[t * 2 + 1]);
    results_free(r);
    arena_free(a);
}

/* Every metric of two runs, bit for bit. */
static void same_results(const results_t *x, const results_t *y)
{
    assert_int_equal(x->trials, y->trials);
    for (size_t q = 0; q < NETSIM_N_METRICS; ++q)
        assert_memory_equal(results_at(x, 0, q, 0), results_at(y, 0, q, 0),
                            x->trials * sizeof(double));
}

/* Three 10 MW units with their own constant probabilities over 24 steps
 * against a load of 22: more steps than units, so a unit's probabilities
 * are read at steps past its class's unit count (the walked distribution
 * must read its own column at every step). */
static net_sys_t *mixed_units(arena_t *a)
{
    net_sys_t *s = sys_new(a, (shape_t){.N = 24, .R = 1, .G = 3});
    const double fail[3] = {0.1, 0.3, 0.05}, repair[3] = {0.5, 0.2, 0.9};
    for (uint32_t i = 0; i < 3; ++i) {
        col_i(s->gens.cap, 24, 3, i, 10);
        outage(&s->gens.a, 24, i, fail[i], repair[i]);
    }
    for (uint32_t t = 0; t < 24; ++t)
        s->load[t] = 22;
    return s;
}

/* mixed_units with rates that change over the period: unit 0's repair
 * (its failure constant), unit 1's failure (its repair constant), unit 2
 * constant. Only unit 2 may take the constant-rate sojourns. */
static net_sys_t *varying_units(arena_t *a)
{
    net_sys_t *s = mixed_units(a);
    for (uint32_t t = 0; t < 24; ++t) {
        s->gens.a.repair[(size_t)t * 3] = t % 2 ? 0.05 : 0.5;
        s->gens.a.fail[(size_t)t * 3 + 1] = t % 3 ? 0.02 : 0.3;
    }
    return s;
}

static void test_kernels_and_threads_agree(void **st)
{
    (void)st;
    arena_t *a = arena_new();
    const net_sys_t *sys[5] = {threenode(a), test2(a), singlenode_a(a), mixed_units(a),
                               varying_units(a)};
    for (int k = 0; k < 5; ++k) {
        results_t *fast = run(sys[k], 0, 20000, 3, 1, SIM_KERNEL_FAST);
        results_t *ref = run(sys[k], 0, 20000, 3, 1, SIM_KERNEL_REF);
        results_t *two = run(sys[k], 0, 20000, 3, 2, SIM_KERNEL_FAST);
        same_results(fast, ref);
        same_results(fast, two);
        assert_memory_equal(fast->step_eue_se, two->step_eue_se,
                            fast->n_steps * fast->n_area * sizeof(double));
        results_free(fast);
        results_free(ref);
        results_free(two);
    }
    arena_free(a);
}

/* The same region twice: alone, and with an unlimited interface (a line
 * that never fails) to a region with no load and no units. */
static void test_empty_neighbour_changes_nothing(void **st)
{
    (void)st;
    arena_t *a = arena_new();
    const net_sys_t *one = test2(a);
    net_sys_t *two = sys_new(a, (shape_t){.N = 2, .R = 2, .G = 1, .S = 1, .I = 1, .L = 1});
    net_stors_t keep = two->stors;
    two->gens = one->gens;
    two->stors = one->stors;
    (void)keep;
    for (uint32_t t = 0; t < 2; ++t)
        two->load[t * 2] = one->load[t];
    two->ifaces.from[0] = 0;
    two->ifaces.to[0] = 1;
    col_i(two->ifaces.fwd_cap, 2, 1, 0, NET_CAP_MAX);
    col_i(two->ifaces.bwd_cap, 2, 1, 0, NET_CAP_MAX);
    col_i(two->lines.fwd_cap, 2, 1, 0, NET_CAP_MAX);
    col_i(two->lines.bwd_cap, 2, 1, 0, NET_CAP_MAX);
    results_t *r1 = run(one, 0, 50000, 5, 0, SIM_KERNEL_FAST);
    results_t *r2 = run(two, 0, 50000, 5, 0, SIM_KERNEL_FAST);
    same_results(r1, r2);
    /* region A carries the whole system's shortfall, region B none */
    for (uint64_t t = 0; t < r2->trials; ++t) {
        const double *reg = results_region_at(r2, NETSIM_M_UNSERVED_MWH, 0, t);
        assert_true(reg[0] == *results_at(r2, 0, NETSIM_M_UNSERVED_MWH, t) && reg[1] == 0);
    }
    results_free(r1);
    results_free(r2);
    arena_free(a);
}

/* Copper plate sees the same generator draws as the network (lines draw
 * from their own streams), and pooling can only help: per trial it never
 * sheds more. With the published values of both. */
static void test_copper_plate_threenode(void **st)
{
    (void)st;
    arena_t *a = arena_new();
    const net_sys_t *s = threenode(a);
    const uint64_t T = tu_scaled(300000);
    results_t *net = run(s, 0, T, 9, 0, SIM_KERNEL_FAST);
    results_t *cu = run(s, 1, T, 9, 0, SIM_KERNEL_FAST);
    int fewer = 0;
    for (uint64_t t = 0; t < T; ++t) {
        const double n = *results_at(net, 0, NETSIM_M_UNSERVED_MWH, t),
                     c = *results_at(cu, 0, NETSIM_M_UNSERVED_MWH, t);
        assert_true(c <= n);
        fewer += c < n;
    }
    assert_true(fewer > 0);
    double m, se;
    mean_se(net, NETSIM_M_SHED_STEPS, &m, &se);
    near(m, se, 1.3756);
    mean_se(net, NETSIM_M_UNSERVED_MWH, &m, &se);
    near(m, se, 12.12885);
    mean_se(cu, NETSIM_M_SHED_STEPS, &m, &se);
    near(m, se, 1.17877);
    mean_se(cu, NETSIM_M_UNSERVED_MWH, &m, &se);
    near(m, se, 11.73276);
    results_free(net);
    results_free(cu);
    arena_free(a);
}

/* The identities of one step, over random unit states of threenode with a
 * storage and a generator-storage added: transfers within the limits the
 * lines that are up leave, energy balance per region (generation + imports
 * + storage + unserved = load + unused), unserved load only in a region
 * whose own power is all used, and shortfall never worse than copper. */
static void test_step_identities(void **st)
{
    (void)st;
    arena_t *a = arena_new();
    net_sys_t *s = threenode(a);
    net_sys_t *x = sys_new(a, (shape_t){.N = 4, .R = 3, .G = 8, .S = 1, .GS = 1, .I = 3, .L = 3});
    x->gens = s->gens;
    x->ifaces = s->ifaces;
    x->lines = s->lines;
    memcpy(x->load, s->load, 4 * 3 * sizeof *x->load);
    x->stors.a.home[0] = 1;
    col_i(x->stors.charge_cap, 4, 1, 0, 6);
    col_i(x->stors.discharge_cap, 4, 1, 0, 6);
    col_i(x->stors.energy_cap, 4, 1, 0, 12);
    x->genstors.a.home[0] = 2;
    col_i(x->genstors.charge_cap, 4, 1, 0, 5);
    col_i(x->genstors.discharge_cap, 4, 1, 0, 5);
    col_i(x->genstors.energy_cap, 4, 1, 0, 10);
    col_i(x->genstors.inflow, 4, 1, 0, 3);
    col_i(x->genstors.inject_cap, 4, 1, 0, 7);
    col_i(x->genstors.withdraw_cap, 4, 1, 0, 4);
    uint64_t seed = 1;
    for (int rep = 0; rep < 3000; ++rep) {
        const uint32_t t = (uint32_t)(lcg(&seed) % 4);
        int64_t avail[3], un[3], flow[3], lf[3], lb[3], se[1], ge[1], sn[1], gn[1];
        uint8_t lu[3], su[1] = {(uint8_t)(lcg(&seed) % 4 != 0)},
                       gu[1] = {(uint8_t)(lcg(&seed) % 4 != 0)};
        for (int r = 0; r < 3; ++r)
            avail[r] = (int64_t)(lcg(&seed) % 35);
        for (int l = 0; l < 3; ++l)
            lu[l] = (uint8_t)(lcg(&seed) % 3 != 0);
        se[0] = (int64_t)(lcg(&seed) % 13);
        ge[0] = (int64_t)(lcg(&seed) % 11);
        const int64_t se0 = se[0], ge0 = ge[0];
        netsim_step_io_t io = {avail, lu, su, gu, se, ge, un, flow, lf, lb, sn, gn};
        assert_int_equal(netsim_step(x, 0, t, &io), 0);
        int64_t imp[3] = {0}, total_un = 0;
        for (int k = 0; k < 3; ++k) {
            assert_int_equal(lf[k], lu[k] ? 8 : 0);
            assert_true(flow[k] <= lf[k] && -flow[k] <= lb[k]);
            imp[x->ifaces.to[k]] += flow[k];
            imp[x->ifaces.from[k]] -= flow[k];
        }
        int64_t stor_in[3] = {0};
        stor_in[1] = sn[0];
        stor_in[2] = gn[0];
        for (int r = 0; r < 3; ++r) {
            const int64_t unused = avail[r] + imp[r] + stor_in[r] + un[r] - x->load[t * 3 + r];
            assert_true(unused >= 0);
            assert_true(un[r] == 0 || unused == 0);
            assert_true(un[r] >= 0);
            total_un += un[r];
        }
        /* storage energy moves as its flow says (efficiencies 1) */
        assert_int_equal(se[0], se0 - sn[0]);
        assert_true(se[0] >= 0 && se[0] <= 12 && ge[0] >= 0 && ge[0] <= 10);
        (void)ge0;
        /* the system can never do better than all power pooled */
        int64_t pool = 0;
        for (int r = 0; r < 3; ++r)
            pool += avail[r] - x->load[t * 3 + r];
        pool += (su[0] ? (se0 < 6 ? se0 : 6) : 0) + (gu[0] ? 7 : 0);
        assert_true(total_un >= -pool || pool >= 0);
    }
    arena_free(a);
}

/* A storage and a generator-storage whose discharge efficiency is 0 in a
 * step cannot discharge then (their discharge power is 0), so the step
 * must leave their energy alone: drop = ceil(0 / 0) was NaN converted to
 * an integer (undefined; on x86 it wiped the energy). */
static void test_zero_discharge_efficiency_keeps_energy(void **st)
{
    (void)st;
    arena_t *a = arena_new();
    net_sys_t *x = sys_new(a, (shape_t){.N = 1, .R = 1, .G = 1, .S = 1, .GS = 1});
    col_i(x->gens.cap, 1, 1, 0, 10);
    x->load[0] = 10;
    net_stors_t *d[2] = {&x->stors, &x->genstors};
    for (int k = 0; k < 2; ++k) {
        col_i(d[k]->charge_cap, 1, 1, 0, 5);
        col_i(d[k]->discharge_cap, 1, 1, 0, 5);
        col_i(d[k]->energy_cap, 1, 1, 0, 10);
        col_d(d[k]->discharge_eff, 1, 1, 0, 0.0);
    }
    int64_t avail[1] = {10}, un[1], se[1] = {7}, ge[1] = {9}, sn[1], gn[1];
    uint8_t su[1] = {1}, gu[1] = {1};
    netsim_step_io_t io = {avail, NULL, su, gu, se, ge, un, NULL, NULL, NULL, sn, gn};
    assert_int_equal(netsim_step(x, 0, 0, &io), 0);
    assert_int_equal(un[0], 0);
    assert_int_equal(sn[0], 0);
    assert_int_equal(se[0], 7);
    assert_int_equal(ge[0], 9);
    arena_free(a);
}

/* Runs a device test's case for a storage (gs 0), then for a
 * generator-storage (gs 1), each system in an arena of its own. */
static void for_both_kinds(void (*device_case_fn)(arena_t *a, int gs))
{
    for (int gs = 0; gs < 2; ++gs) {
        arena_t *a = arena_new();
        device_case_fn(a, gs);
        arena_free(a);
    }
}

/* Once some device has no discharge power (D then uses N + 1), a storage
 * whose time to discharge exceeds D has a negative discharge cost, and
 * PRAS's flow (the reference kernel) discharges it into unused generation
 * even when every load is covered. The fast kernel must not skip that
 * step: storage A (100 MWh, 10 MW out) fills in step 1, drains 10 MWh in
 * step 2 (covered) in PRAS, so after step 3's carryover of 0.05 it holds 4
 * MWh, not 5, and step 3's 5 MW shortfall leaves 1 MWh unserved. The same
 * with both devices as generator-storages (no inflow). */
static void negative_discharge_cost_case(arena_t *a, int gs)
{
    net_stors_t *d;
    const int64_t load[4] = {0, 100, 105, 100};
    net_sys_t *x = devices_new(a, 4, gs, 2, 100, load, &d);
    device_caps(d, gs, 4, 2, 0, 100, 10, 100, 100);
    d->carryover_eff[2 * 2 + 0] = 0.05;
    device_caps(d, gs, 4, 2, 1, 1, 0, 0, 100); /* B: no energy, no discharge power */
    results_t *fast = run(x, 0, 3, 1, 1, SIM_KERNEL_FAST);
    results_t *ref = run(x, 0, 3, 1, 1, SIM_KERNEL_REF);
    for (uint64_t t = 0; t < 3; ++t) {
        assert_true(*results_at(ref, 0, NETSIM_M_UNSERVED_MWH, t) == 1.0);
        assert_true(*results_at(fast, 0, NETSIM_M_UNSERVED_MWH, t) == 1.0);
    }
    results_free(fast);
    results_free(ref);
}

static void test_fast_path_keeps_negative_discharge_cost(void **st)
{
    (void)st;
    for_both_kinds(negative_discharge_cost_case);
}

/* Step t of system x, whose one region holds one or two devices of one
 * kind (storages, or generator-storages if gs), all up: energy[] in and
 * out, net[] their output (discharge - charge, to the grid), the unserved
 * power out. */
static void devices_step(const net_sys_t *x, int gs, uint32_t t, int64_t avail, int64_t *energy,
                         int64_t *net, int64_t *unserved)
{
    assert_true((gs ? x->genstors.a.n : x->stors.a.n) <= 2);
    int64_t av[1] = {avail}, un[1];
    uint8_t up[2] = {1, 1};
    netsim_step_io_t io = {
        av, NULL, gs ? NULL : up, gs ? up : NULL, gs ? NULL : energy, gs ? energy : NULL,
        un, NULL, NULL,           NULL,           gs ? NULL : net,    gs ? net : NULL};
    assert_int_equal(netsim_step(x, 0, t, &io), 0);
    *unserved = un[0];
}

/* Fails case k of a device test unless its net output, unserved power and
 * energy are the wanted ones. */
static void device_case(int gs, size_t k, int64_t net, int64_t unserved, int64_t energy,
                        int64_t want_net, int64_t want_unserved, int64_t want_energy)
{
    if (net != want_net || unserved != want_unserved || energy != want_energy)
        fail_msg("%s, case %zu: net %lld, unserved %lld, energy %lld; want %lld, %lld, %lld",
                 gs ? "generator-storage" : "storage", k, (long long)net, (long long)unserved,
                 (long long)energy, (long long)want_net, (long long)want_unserved,
                 (long long)want_energy);
}

/* A lossy storage rounds as PRAS does (update_problem!, update_state!):
 * discharge power floor(energy x efficiency), charge power floor(room /
 * efficiency), energy down by ceil(flow / efficiency) but never below 0, up
 * by ceil(flow x efficiency). Values worked by hand; one region, no
 * generators (avail is given), 100 MW / 100 MWh; a storage, then a
 * generator-storage (no inflow, grid limits 100 MW). */
static void losses_case(arena_t *a, int gs)
{
    static const struct {
        double dis_eff, ch_eff;
        int64_t load, avail, e0, net, unserved, e1;
    } c[] = {
        /* 10 MWh deliver 9.5: 9 MW (not 10), drop ceil(9 / 0.95) = 10 */
        {0.95, 0.9, 20, 0, 10, 9, 11, 0},
        /* 10 MW from 40 MWh: drop ceil(10.53) = 11 (not 10) */
        {0.95, 0.9, 20, 10, 40, 10, 0, 29},
        /* 10 MWh of room take floor(10 / 0.9) = 11 MW (not 10), which store
         * ceil(9.9) = 10 MWh */
        {0.95, 0.9, 20, 50, 90, -11, 0, 100},
        /* 5 MW store ceil(4.5) = 5 MWh (not 4) */
        {0.95, 0.9, 20, 25, 50, -5, 0, 55},
        /* 30 MWh at 0.7 deliver 21 MW, whose drop ceil(21 / 0.7) is 31 in
         * floating point (30.000000000000004): the energy stops at 0 */
        {0.7, 1.0, 30, 0, 30, 21, 9, 0},
    };
    net_stors_t *d;
    net_sys_t *x = devices_new(a, 1, gs, 1, 0, NULL, &d);
    device_caps(d, gs, 1, 1, 0, 100, 100, 100, 100);
    for (size_t k = 0; k < sizeof c / sizeof *c; ++k) {
        d->discharge_eff[0] = c[k].dis_eff;
        d->charge_eff[0] = c[k].ch_eff;
        x->load[0] = c[k].load;
        int64_t e = c[k].e0, net, un;
        devices_step(x, gs, 0, c[k].avail, &e, &net, &un);
        device_case(gs, k, net, un, e, c[k].net, c[k].unserved, c[k].e1);
    }
}

static void test_storage_losses_rounded_as_pras(void **st)
{
    (void)st;
    for_both_kinds(losses_case);
}

/* Two-hour steps (power x 2 = energy): a device (storage, then
 * generator-storage) second in its class after one of no capacity, with
 * losses (charge 0.9, discharge 0.8) in step 1 only, so every [step][device]
 * entry is found by both indices. In step 1: 10 MWh deliver floor(8 / 2) =
 * 4 MW; 3 MW for two hours drop ceil(6 / 0.8) = 8 MWh; 20 MWh of room take
 * floor(20 / 0.9 / 2) = 11 MW, which store ceil(11 x 2 x 0.9) = 20 MWh. */
static void two_hour_case(arena_t *a, int gs)
{
    static const struct {
        int64_t load, avail, e0, net, unserved, e1;
    } c[] = {{10, 0, 10, 4, 6, 0}, {10, 7, 50, 3, 0, 42}, {0, 20, 80, -11, 0, 100}};
    net_stors_t *d;
    net_sys_t *x = devices_new(a, 2, gs, 2, 0, NULL, &d);
    x->step_length = 2;
    x->step_h = 2;
    device_caps(d, gs, 2, 2, 1, 100, 100, 100, 100);
    d->charge_eff[1 * 2 + 1] = 0.9;
    d->discharge_eff[1 * 2 + 1] = 0.8;
    for (size_t k = 0; k < sizeof c / sizeof *c; ++k) {
        x->load[1] = c[k].load;
        int64_t un, e[2] = {0, c[k].e0}, n[2];
        devices_step(x, gs, 1, c[k].avail, e, n, &un);
        device_case(gs, k, n[1], un, e[1], c[k].net, c[k].unserved, c[k].e1);
    }
}

static void test_two_hour_steps(void **st)
{
    (void)st;
    for_both_kinds(two_hour_case);
}

/* One step of two storages of 10 MW and 100 MWh, both up, in one region
 * with avail_mw of generation against load_mw: energy[] in and out, net[]
 * their output; fails if any load goes unserved. */
static void two_storages_step(int64_t load_mw, int64_t avail_mw, int64_t *energy, int64_t *net)
{
    arena_t *a = arena_new();
    net_stors_t *d;
    const int64_t load[1] = {load_mw};
    net_sys_t *x = devices_new(a, 1, 0, 2, 0, load, &d);
    for (uint32_t i = 0; i < 2; ++i)
        device_caps(d, 0, 1, 2, i, 10, 10, 100, 0);
    int64_t un;
    devices_step(x, 0, 0, avail_mw, energy, net, &un);
    arena_free(a);
    assert_int_equal(un, 0);
}

/* Two storages of 10 MW: the one with the longer time to discharge,
 * round(energy x efficiency / power) half to even as PRAS's round, goes
 * first. 25 MWh -> 2 (2.5 to even), 29 MWh -> 3: the 29 MWh storage covers
 * a 5 MW shortfall alone, whichever comes first in the file (ceil, floor
 * or round half away from zero would make them tie, and the tie follows
 * file order). */
static void test_fullest_storage_discharges_first(void **st)
{
    (void)st;
    for (int k = 0; k < 2; ++k) {
        int64_t se[2], sn[2];
        se[k] = 29, se[1 - k] = 25;
        two_storages_step(5, 0, se, sn);
        assert_int_equal(sn[k], 5);
        assert_int_equal(sn[1 - k], 0);
        assert_int_equal(se[k], 24);
        assert_int_equal(se[1 - k], 25);
    }
}

/* PRAS never moves energy from one storage into another: with load
 * covered, a full storage (time to discharge 10 = the longest, D = 22) and
 * an empty one (C = -11) stay as they are; the path between them costs
 * D - 10 + C = 1, more than leaving both alone. */
static void test_storage_never_charges_storage(void **st)
{
    (void)st;
    int64_t se[2] = {100, 0}, sn[2];
    two_storages_step(10, 10, se, sn);
    assert_int_equal(sn[0], 0);
    assert_int_equal(sn[1], 0);
    assert_int_equal(se[0], 100);
    assert_int_equal(se[1], 0);
}

/* Carryover between steps, by hand, for a storage and then the same device
 * as a generator-storage (no inflow): a 10 MW unit, loads 3, 20, 0, 20.
 * Step 0 charges 7; step 1's carryover of 0.5 leaves round(3.5) = 4 (half
 * to even; floor would leave 3), so 6 of its 20 go unserved; step 2 fills
 * the 10 MWh; step 3's capacity of 6 MWh cuts the energy to 6, so 4 go
 * unserved. The device is the second of its kind (the first has no
 * capacity), so its [step][device] entries are found by both indices.
 * Both kernels. */
static void carryover_case(arena_t *a, int gs)
{
    net_stors_t *d;
    const int64_t load[4] = {3, 20, 0, 20};
    net_sys_t *x = devices_new(a, 4, gs, 2, 10, load, &d);
    device_caps(d, gs, 4, 2, 1, 10, 10, 10, 10);
    d->energy_cap[3 * 2 + 1] = 6;
    d->carryover_eff[1 * 2 + 1] = 0.5;
    const double want[4] = {0, 6, 0, 4};
    for (int k = 0; k < 2; ++k) {
        results_t *r = run(x, 0, 2, 1, 1, k ? SIM_KERNEL_REF : SIM_KERNEL_FAST);
        for (size_t t = 0; t < 4; ++t)
            if (r->step_eue[t * r->n_area + 1] != want[t])
                fail_msg("%s, %s kernel: step %zu unserved %g MWh, want %g",
                         gs ? "generator-storage" : "storage", k ? "ref" : "fast", t,
                         r->step_eue[t * r->n_area + 1], want[t]);
        results_free(r);
    }
}

static void test_carryover_and_capacity_by_hand(void **st)
{
    (void)st;
    for_both_kinds(carryover_case);
}

/* What a storage may charge: a full one nothing, even with a charge
 * efficiency of 0 (hand-built systems: it would take power and store
 * nothing); one with no discharge power this step has time to discharge
 * N + 1 as in PRAS, so its charge cost C + N + 1 = -2 + 3 is positive and
 * surplus is left unused rather than stored. */
static void test_charge_limits(void **st)
{
    (void)st;
    arena_t *a = arena_new();
    net_stors_t *d;
    net_sys_t *x = devices_new(a, 2, 0, 1, 0, NULL, &d);
    device_caps(d, 0, 2, 1, 0, 5, 5, 10, 0);
    d->charge_eff[0] = 0.0;
    x->load[0] = 10;
    int64_t un, se = 10, sn;
    devices_step(x, 0, 0, 15, &se, &sn, &un);
    assert_int_equal(sn, 0);
    assert_int_equal(se, 10);
    /* no discharge power: 5 MW of surplus stay unused */
    d->charge_eff[0] = 1.0;
    device_caps(d, 0, 2, 1, 0, 10, 0, 10, 0);
    se = 0;
    devices_step(x, 0, 0, 15, &se, &sn, &un);
    assert_int_equal(un, 0);
    assert_int_equal(sn, 0);
    assert_int_equal(se, 0);
    arena_free(a);
}

/* A generator-storage stores its own inflow when load is covered (charge
 * cost < 0), and on outage it has none: 4 MW of inflow, empty, 10 MW up. */
static void test_genstor_inflow(void **st)
{
    (void)st;
    arena_t *a = arena_new();
    net_sys_t *x = sys_new(a, (shape_t){.N = 1, .R = 1, .GS = 1});
    net_stors_t *d = &x->genstors;
    d->charge_cap[0] = d->discharge_cap[0] = d->inject_cap[0] = d->withdraw_cap[0] = 10;
    d->energy_cap[0] = 100;
    d->inflow[0] = 4;
    x->load[0] = 10;
    int64_t avail[1] = {10}, un[1], ge[1] = {0}, gn[1];
    uint8_t gu[1] = {1};
    netsim_step_io_t io = {avail, NULL, NULL, gu, NULL, ge, un, NULL, NULL, NULL, NULL, gn};
    assert_int_equal(netsim_step(x, 0, 0, &io), 0);
    assert_int_equal(un[0], 0);
    assert_int_equal(gn[0], 0);
    assert_int_equal(ge[0], 4);
    /* short by 3: the inflow serves it, the rest is stored */
    avail[0] = 7, ge[0] = 0;
    assert_int_equal(netsim_step(x, 0, 0, &io), 0);
    assert_int_equal(un[0], 0);
    assert_int_equal(gn[0], 3);
    assert_int_equal(ge[0], 1);
    /* on outage: no inflow, nothing stored or served */
    gu[0] = 0, ge[0] = 0;
    assert_int_equal(netsim_step(x, 0, 0, &io), 0);
    assert_int_equal(un[0], 3);
    assert_int_equal(gn[0], 0);
    assert_int_equal(ge[0], 0);
    arena_free(a);
}

/* A generator-storage second in its class (after one of no capacity),
 * beside a storage, in one region; both 10 MW / 100 MWh. The emptiest
 * device charges first (cost C + time to discharge), from surplus or from
 * the generator-storage's own inflow alike (PRAS); the generator-storage's
 * own state, edges and costs are its own. The generator-storage holds 50
 * MWh (time to discharge 5), the storage none or 80 MWh (8). */
static void test_genstor_beside_storage(void **st)
{
    (void)st;
    arena_t *a = arena_new();
    net_sys_t *x = sys_new(a, (shape_t){.N = 1, .R = 1, .S = 1, .GS = 2});
    x->stors.charge_cap[0] = x->stors.discharge_cap[0] = 10;
    x->stors.energy_cap[0] = 100;
    net_stors_t *d = &x->genstors;
    d->charge_cap[1] = d->discharge_cap[1] = d->inject_cap[1] = d->withdraw_cap[1] = 10;
    d->energy_cap[1] = 100;
    x->load[0] = 10;
    const struct {
        const char *what;
        int64_t inflow, withdraw, avail;
        uint8_t stor_up;
        int64_t stor_e0, stor_net, gs_net, stor_e, gs_e;
    } c[] = {
        {"inflow charges the emptier storage", 4, 10, 10, 1, 0, -4, 4, 4, 50},
        {"surplus charges the emptier storage", 0, 10, 14, 1, 0, -4, 0, 4, 50},
        {"surplus charges the generator-storage", 0, 10, 14, 0, 0, 0, -4, 0, 54},
        {"the generator-storage stores its inflow", 4, 10, 10, 0, 0, 0, 0, 0, 54},
        /* with no grid withdrawal, only by its inflow edge */
        {"the emptier generator-storage keeps its inflow", 4, 0, 10, 1, 80, 0, 0, 80, 54},
        {"the generator-storage discharges", 0, 10, 7, 0, 0, 0, 3, 0, 47},
    };
    for (size_t k = 0; k < sizeof c / sizeof *c; ++k) {
        d->inflow[1] = c[k].inflow;
        d->withdraw_cap[1] = c[k].withdraw;
        int64_t avail[1] = {c[k].avail}, un[1], se[1] = {c[k].stor_e0}, ge[2] = {0, 50}, sn[1],
                gn[2];
        uint8_t su[1] = {c[k].stor_up}, gu[2] = {1, 1};
        netsim_step_io_t io = {avail, NULL, su, gu, se, ge, un, NULL, NULL, NULL, sn, gn};
        assert_int_equal(netsim_step(x, 0, 0, &io), 0);
        if (un[0] != 0 || sn[0] != c[k].stor_net || gn[1] != c[k].gs_net || se[0] != c[k].stor_e ||
            ge[1] != c[k].gs_e)
            fail_msg("%s: unserved %lld, net %lld and %lld, energy %lld and %lld", c[k].what,
                     (long long)un[0], (long long)sn[0], (long long)gn[1], (long long)se[0],
                     (long long)ge[1]);
    }
    arena_free(a);
}

/* A unit that fails and is repaired with probability 1 changes state every
 * step: against a load of half its capacity, exactly 2 of 4 steps fall
 * short in every trial, whatever its first state. A unit whose failure
 * probability is 1 in step 2 only and repair probability 1 is out in step
 * 2 alone (its probabilities vary: both kernels walk them). */
static void test_certain_transitions(void **st)
{
    (void)st;
    arena_t *a = arena_new();
    net_sys_t *x = sys_new(a, (shape_t){.N = 4, .R = 1, .G = 1});
    col_i(x->gens.cap, 4, 1, 0, 10);
    for (uint32_t t = 0; t < 4; ++t)
        x->load[t] = 5;
    outage(&x->gens.a, 4, 0, 1.0, 1.0);
    net_sys_t *y = sys_new(a, (shape_t){.N = 4, .R = 1, .G = 1});
    col_i(y->gens.cap, 4, 1, 0, 10);
    for (uint32_t t = 0; t < 4; ++t)
        y->load[t] = 10;
    outage(&y->gens.a, 4, 0, 0.0, 1.0);
    y->gens.a.fail[2] = 1.0;
    for (int k = 0; k < 2; ++k) {
        const sim_kernel_t kern = k ? SIM_KERNEL_REF : SIM_KERNEL_FAST;
        results_t *r = run(x, 0, 50, 2, 1, kern);
        for (uint64_t t = 0; t < r->trials; ++t)
            assert_true(*results_at(r, 0, NETSIM_M_SHED_STEPS, t) == 2.0);
        results_free(r);
        r = run(y, 0, 50, 2, 1, kern);
        for (uint64_t t = 0; t < r->trials; ++t)
            assert_true(*results_at(r, 0, NETSIM_M_SHED_STEPS, t) == 1.0);
        for (size_t t = 0; t < 4; ++t)
            assert_true(r->step_lolp[t * r->n_area + 1] == (t == 2 ? 1.0 : 0.0));
        results_free(r);
    }
    arena_free(a);
}

/* An interface carries at most its own limit and what its lines that are
 * up carry, each direction on its own: interface 5 forward / 7 back, its
 * one line 8 forward / 3 back, so 5 and 3 apply. */
static void test_interface_limits_each_way(void **st)
{
    (void)st;
    arena_t *a = arena_new();
    net_sys_t *x = sys_new(a, (shape_t){.N = 1, .R = 2, .I = 1, .L = 1});
    x->ifaces.from[0] = 0;
    x->ifaces.to[0] = 1;
    x->ifaces.fwd_cap[0] = 5;
    x->ifaces.bwd_cap[0] = 7;
    x->lines.fwd_cap[0] = 8;
    x->lines.bwd_cap[0] = 3;
    for (int k = 0; k < 2; ++k) {
        /* k = 0: A exports to B; k = 1: B to A */
        int64_t avail[2] = {k ? 0 : 20, k ? 20 : 0}, un[2], flow[1], lf[1], lb[1];
        x->load[0] = k ? 10 : 0;
        x->load[1] = k ? 0 : 10;
        uint8_t lu[1] = {1};
        netsim_step_io_t io = {avail, lu, NULL, NULL, NULL, NULL, un, flow, lf, lb, NULL, NULL};
        assert_int_equal(netsim_step(x, 0, 0, &io), 0);
        assert_int_equal(lf[0], 5);
        assert_int_equal(lb[0], 3);
        assert_int_equal(flow[0], k ? -3 : 5);
        assert_int_equal(un[0], k ? 7 : 0);
        assert_int_equal(un[1], k ? 0 : 5);
    }
    /* three regions in a row, two interfaces of one line each, limits of 0
     * in step 0: step 1 uses its own (interface k: 5 + k forward, 7 + k
     * back; its line 8 + k forward, 3 + k back) */
    net_sys_t *y = sys_new(a, (shape_t){.N = 2, .R = 3, .I = 2, .L = 2});
    for (uint32_t k = 0; k < 2; ++k) {
        y->ifaces.from[k] = k;
        y->ifaces.to[k] = k + 1;
        y->lines.a.home[k] = k;
        y->ifaces.fwd_cap[2 + k] = 5 + k;
        y->ifaces.bwd_cap[2 + k] = 7 + k;
        y->lines.fwd_cap[2 + k] = 8 + k;
        y->lines.bwd_cap[2 + k] = 3 + k;
    }
    int64_t avail[3] = {0, 0, 0}, un[3], flow[2], lf[2], lb[2];
    uint8_t lu[2] = {1, 1};
    netsim_step_io_t io = {avail, lu, NULL, NULL, NULL, NULL, un, flow, lf, lb, NULL, NULL};
    assert_int_equal(netsim_step(y, 0, 1, &io), 0);
    for (int k = 0; k < 2; ++k) {
        assert_int_equal(lf[k], 5 + k);
        assert_int_equal(lb[k], 3 + k);
    }
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mcf_hand_solved),
        cmocka_unit_test(test_mcf_random),
        cmocka_unit_test(test_mcf_unreachable_node),
        cmocka_unit_test(test_mcf_reused_graph),
        cmocka_unit_test(test_singlenode_a),
        cmocka_unit_test(test_storage_test2),
        cmocka_unit_test(test_kernels_and_threads_agree),
        cmocka_unit_test(test_empty_neighbour_changes_nothing),
        cmocka_unit_test(test_copper_plate_threenode),
        cmocka_unit_test(test_step_identities),
        cmocka_unit_test(test_zero_discharge_efficiency_keeps_energy),
        cmocka_unit_test(test_fast_path_keeps_negative_discharge_cost),
        cmocka_unit_test(test_storage_losses_rounded_as_pras),
        cmocka_unit_test(test_two_hour_steps),
        cmocka_unit_test(test_fullest_storage_discharges_first),
        cmocka_unit_test(test_storage_never_charges_storage),
        cmocka_unit_test(test_carryover_and_capacity_by_hand),
        cmocka_unit_test(test_charge_limits),
        cmocka_unit_test(test_genstor_inflow),
        cmocka_unit_test(test_genstor_beside_storage),
        cmocka_unit_test(test_certain_transitions),
        cmocka_unit_test(test_interface_limits_each_way),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
