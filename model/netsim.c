/*
 * netsim.c - see netsim.h.
 *
 * The dispatch of one step is PRAS's (PRASCore.jl, Simulations/
 * DispatchProblem.jl, v0.8.1), demand response left out. Nodes: one per
 * region (its supply is available generation minus load), per storage a
 * discharge and a charge node, per generator-storage an inflow, discharge,
 * to-grid and charge node, and a slack node that balances the supplies.
 * Edges and costs:
 *   slack -> region       unserved load        cost = shortage penalty
 *   region -> slack       unused generation    0
 *   interface, each way   transfer             1 (a hurdle: keep power and
 *                                               shortfall local, no loops)
 *   discharge -> region   storage discharge    D - time to discharge
 *   region -> charge      storage charge       C + time to discharge (< 0)
 *   (and the generator-storage equivalents, inflow free to the grid)
 * with C = -(longest charge time) - 1 and D = -C + longest discharge time
 * + 1, so that generation serves load first, storage discharges only to
 * cover shortfall (the fullest relative to its power first), charges from
 * surplus (the emptiest first) but never from another storage, and
 * unserved energy outweighs every other cost (penalty = 10 x (interfaces +
 * D + 77), PRAS's value with no demand response). Energies are integers,
 * rounded as PRAS rounds them: carryover by round-half-even, discharge
 * drops by ceil(flow / efficiency), charge adds ceil(flow x efficiency).
 *
 * Where flows tie (equal cost), the solution follows edge order (mcf.h);
 * PRAS's solver may pick another among equally good flows. That can move
 * shortfall between regions, and, through storage energies (two storages
 * with the same time to discharge but different efficiencies), the
 * system's shortfall in later steps too; a step's system total is the
 * same for every optimum.
 *
 * Outages: PRAS's sampler, with one uniform per transition: the step of a
 * unit's next transition is found by inverting its distribution, walking
 * the per-step probabilities (the reference kernel, and units whose
 * probabilities vary) or in closed form as a geometric variable (units with
 * constant probabilities, the fast kernel). The fast kernel also skips the
 * flow solve in steps where every region covers its load, no storage can
 * charge and none has a discharge cost <= 0: the solve's answer there is
 * known (nothing unserved, nothing moves). Both kernels give the same results
 * (tests/test_netsim.c).
 */
#include "netsim.h"

#include "par.h"

#include "../kernels/mcf.h"
#include "../kernels/rng.h"
#include "harness.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

__extension__ typedef unsigned __int128 u128;

/* Every unit draws from its own stream, (class << 28) + its index in the
 * file, so adding a unit (a line, a region's generator) never moves another
 * unit's draws: results of two systems that differ by a unit are paired. */
static uint32_t unit_stream(const uint32_t *first, uint32_t u)
{
    uint32_t cls = 0;
    while (cls < 3 && u >= first[cls + 1])
        ++cls;
    return ((cls + 1) << 28) + (u - first[cls]);
}

const metric_info_t netsim_metrics[NETSIM_N_METRICS] = {
    {"shed_steps", "1", "time steps with unserved load in the simulated period (PRAS's LOLE)"},
    {"shed_hours", "h", "hours with unserved load in the simulated period"},
    {"unserved_mwh", "MWh", "unserved energy in the simulated period (PRAS's EUE)"},
};

enum { Q_COUNT = 3 }; /* the by-region quantities are the metrics */

typedef struct {
    const net_sys_t *sys;
    int copper;
    uint32_t seed;
    sim_kernel_t kernel;
    uint32_t N, R, I, S, GS, L, G;
    uint32_t *gen_r, *stor_r, *gs_r; /* regions as simulated */
    int64_t *full;                   /* [N][R] generation if every unit is up */
    int64_t *load;                   /* [N][R] */
    uint32_t n_units;                /* generators, storages, generator-storages, lines */
    const double **u_fail, **u_rep;  /* column of each unit */
    uint32_t *u_stride;
    uint8_t *u_const;  /* probabilities constant over the period */
    uint32_t first[4]; /* first unit of each class */
    /* Generators whose capacity never changes: that capacity, else -1. An
     * outage of such a unit moves a per-region sum, so a step never reads
     * the [steps][generators] capacity table (megabytes: a cache miss per
     * read) for them. */
    int64_t *fixed_cap;
    uint32_t *iface_first; /* [I + 1]: interface k's lines are */
    uint32_t *iface_lines; /* iface_lines[iface_first[k] .. iface_first[k + 1]) */
    int32_t n_nodes, n_edges;
    int64_t min_charge_cost, max_discharge_cost, penalty;
    double p2e, e2p; /* energy per power-step and back, as PRAS computes them */
} nsm_t;

/* node and edge numbering (DispatchProblem.jl's order, no demand response) */
static inline int32_t n_region(uint32_t r) { return (int32_t)r; }
static inline int32_t n_sdis(const nsm_t *m, uint32_t i) { return (int32_t)(m->R + i); }
static inline int32_t n_sch(const nsm_t *m, uint32_t i) { return (int32_t)(m->R + m->S + i); }
static inline int32_t n_gin(const nsm_t *m, uint32_t j) { return (int32_t)(m->R + 2 * m->S + j); }
static inline int32_t n_gdis(const nsm_t *m, uint32_t j)
{
    return (int32_t)(m->R + 2 * m->S + m->GS + j);
}
static inline int32_t n_ggrid(const nsm_t *m, uint32_t j)
{
    return (int32_t)(m->R + 2 * m->S + 2 * m->GS + j);
}
static inline int32_t n_gch(const nsm_t *m, uint32_t j)
{
    return (int32_t)(m->R + 2 * m->S + 3 * m->GS + j);
}
static inline int32_t n_slack(const nsm_t *m) { return (int32_t)(m->R + 2 * m->S + 4 * m->GS); }

enum {
    E_UNSERVED,
    E_UNUSED,
    E_FWD,
    E_BWD,
    E_SDIS,
    E_SDIS_UNUSED,
    E_SCH,
    E_SCH_UNUSED,
    E_GDIS,
    E_GDIS_UNUSED,
    E_GIN_GRID,
    E_GGRID,
    E_GCH_GRID,
    E_GCH_IN,
    E_GCH_UNUSED,
    E_GIN_UNUSED,
    E_N_SETS
};

/* First edge of a set; sets of R, I, S or GS edges follow one another. */
static int32_t edge0(const nsm_t *m, int set)
{
    const uint32_t size[E_N_SETS] = {m->R,  m->R,  m->I,  m->I,  m->S,  m->S,  m->S,  m->S,
                                     m->GS, m->GS, m->GS, m->GS, m->GS, m->GS, m->GS, m->GS};
    uint32_t e = 0;
    for (int k = 0; k < set; ++k)
        e += size[k];
    return (int32_t)e;
}

/* PRAS's unit conversions (Systems/units.jl), floating point as there. */
static double power_conv(const char *from, const char *to)
{
    const char *u[4] = {"kW", "MW", "GW", "TW"};
    const double to_mw[4] = {1.0 / 1000, 1, 1000, 1000000};
    const double from_mw[4] = {1000, 1, 1.0 / 1000, 1.0 / 1000000};
    double a = 1, b = 1;
    for (int k = 0; k < 4; ++k) {
        if (!strncmp(from, u[k], 2))
            a = to_mw[k];
        if (!strncmp(to, u[k], 2))
            b = from_mw[k];
    }
    return a * b;
}

static double hours_per_unit(const char *unit) /* T -> Hour */
{
    return !strcmp(unit, "min")   ? 1.0 / 60
           : !strcmp(unit, "d")   ? 24
           : !strcmp(unit, "sec") ? 1.0 / 3600
                                  : 1;
}

static double units_per_hour(const char *unit) /* Hour -> T */
{
    return !strcmp(unit, "min")   ? 60
           : !strcmp(unit, "d")   ? 1.0 / 24
           : !strcmp(unit, "sec") ? 3600
                                  : 1;
}

/* The longest time to fully charge (or discharge) any device at any step,
 * as PRAS's maxtimetocharge_discharge: N + 1 if some power limit is 0. */
static void longest_times(const nsm_t *m, int64_t *charge, int64_t *discharge)
{
    const net_sys_t *s = m->sys;
    const net_stors_t *set[2] = {&s->stors, &s->genstors};
    int64_t c = 0, d = 0;
    for (int k = 0; k < 2; ++k) {
        const net_stors_t *st = set[k];
        const size_t n = (size_t)m->N * st->a.n;
        if (!st->a.n)
            continue;
        int64_t ck = 0, dk = 0;
        int czero = 0, dzero = 0;
        double cmax = 0, dmax = 0;
        for (size_t i = 0; i < n; ++i) {
            czero |= st->charge_cap[i] == 0;
            dzero |= st->discharge_cap[i] == 0;
            if (st->charge_cap[i])
                cmax = fmax(cmax, (double)st->energy_cap[i] / (double)st->charge_cap[i]);
            if (st->discharge_cap[i])
                dmax = fmax(dmax, (double)st->energy_cap[i] / (double)st->discharge_cap[i]);
        }
        ck = czero ? (int64_t)m->N + 1 : (int64_t)ceil(cmax);
        dk = dzero ? (int64_t)m->N + 1 : (int64_t)ceil(dmax);
        c = ck > c ? ck : c;
        d = dk > d ? dk : d;
    }
    *charge = c;
    *discharge = d;
}

static void nsm_free(nsm_t *m)
{
    free(m->gen_r);
    free(m->stor_r);
    free(m->gs_r);
    free(m->full);
    free(m->load);
    free(m->u_fail);
    free(m->u_rep);
    free(m->u_stride);
    free(m->u_const);
    free(m->fixed_cap);
    free(m->iface_first);
    free(m->iface_lines);
}

static void add_units(nsm_t *m, const net_assets_t *a, uint32_t *k)
{
    for (uint32_t i = 0; i < a->n; ++i, ++*k) {
        m->u_fail[*k] = a->fail + i;
        m->u_rep[*k] = a->repair + i;
        m->u_stride[*k] = a->n;
        m->u_const[*k] = 1;
    }
    /* a unit whose rates never change: the steps row by row, as stored (a
     * unit's column, a step apart, touched a cache line per step: 9 ms of
     * the RTS-GMLC's setup, serial on any number of threads). A class
     * without units has no arrays (NULL, where even + 0 is undefined) */
    if (!a->n)
        return;
    uint8_t *restrict c = m->u_const + (*k - a->n);
    for (uint32_t t = 1; t < m->N; ++t) {
        const double *f = a->fail + (size_t)t * a->n, *r = a->repair + (size_t)t * a->n;
        for (uint32_t i = 0; i < a->n; ++i)
            c[i] &= (uint8_t)((f[i] == a->fail[i]) & (r[i] == a->repair[i]));
    }
}

static int nsm_init(nsm_t *m, const net_sys_t *s, int copper)
{
    memset(m, 0, sizeof *m);
    m->sys = s;
    m->copper = copper;
    m->N = s->steps;
    m->R = copper ? 1 : s->n_regions;
    m->I = copper ? 0 : s->ifaces.n;
    m->S = s->stors.a.n;
    m->GS = s->genstors.a.n;
    m->L = copper ? 0 : s->lines.a.n;
    m->G = s->gens.a.n;
    m->n_units = m->G + m->S + m->GS + m->L;
    const size_t NR = (size_t)m->N * m->R;
    m->gen_r = calloc(m->G + 1, sizeof *m->gen_r);
    m->stor_r = calloc(m->S + 1, sizeof *m->stor_r);
    m->gs_r = calloc(m->GS + 1, sizeof *m->gs_r);
    m->full = calloc(NR, sizeof *m->full);
    m->load = calloc(NR, sizeof *m->load);
    m->u_fail = calloc(m->n_units + 1, sizeof *m->u_fail);
    m->u_rep = calloc(m->n_units + 1, sizeof *m->u_rep);
    m->u_stride = calloc(m->n_units + 1, sizeof *m->u_stride);
    m->u_const = calloc(m->n_units + 1, sizeof *m->u_const);
    m->fixed_cap = calloc(m->G + 1, sizeof *m->fixed_cap);
    m->iface_first = calloc(m->I + 2, sizeof *m->iface_first);
    m->iface_lines = calloc(m->L + 1, sizeof *m->iface_lines);
    if (!m->fixed_cap || !m->iface_first || !m->iface_lines || !m->gen_r || !m->stor_r ||
        !m->gs_r || !m->full || !m->load || !m->u_fail || !m->u_rep || !m->u_stride ||
        !m->u_const) {
        nsm_free(m);
        return -1;
    }
    for (uint32_t i = 0; i < m->G; ++i) {
        m->gen_r[i] = copper ? 0 : s->gens.a.home[i];
        m->fixed_cap[i] = s->gens.cap[i];
    }
    for (uint32_t i = 0; i < m->S; ++i)
        m->stor_r[i] = copper ? 0 : s->stors.a.home[i];
    for (uint32_t j = 0; j < m->GS; ++j)
        m->gs_r[j] = copper ? 0 : s->genstors.a.home[j];
    for (uint32_t t = 0; t < m->N; ++t) {
        for (uint32_t r = 0; r < s->n_regions; ++r)
            m->load[(size_t)t * m->R + (copper ? 0 : r)] += s->load[(size_t)t * s->n_regions + r];
        /* row by row, as add_units: one pass gives the totals and which
         * generators never change capacity */
        for (uint32_t i = 0; i < m->G; ++i) {
            const int64_t cap = s->gens.cap[(size_t)t * m->G + i];
            m->full[(size_t)t * m->R + m->gen_r[i]] += cap;
            if (cap != s->gens.cap[i])
                m->fixed_cap[i] = -1;
        }
    }
    /* each interface's lines, in file order (a counting sort) */
    for (uint32_t l = 0; l < m->L; ++l)
        ++m->iface_first[s->lines.a.home[l] + 2];
    for (uint32_t k = 0; k < m->I; ++k)
        m->iface_first[k + 2] += m->iface_first[k + 1];
    for (uint32_t l = 0; l < m->L; ++l)
        m->iface_lines[m->iface_first[s->lines.a.home[l] + 1]++] = l;
    uint32_t k = 0;
    m->first[0] = 0;
    m->first[1] = m->G;
    m->first[2] = m->G + m->S;
    m->first[3] = m->G + m->S + m->GS;
    add_units(m, &s->gens.a, &k);
    add_units(m, &s->stors.a, &k);
    add_units(m, &s->genstors.a, &k);
    if (!copper)
        add_units(m, &s->lines.a, &k);
    m->n_nodes = n_slack(m) + 1;
    m->n_edges = edge0(m, E_N_SETS);
    int64_t tc, td;
    longest_times(m, &tc, &td);
    m->min_charge_cost = -tc - 1;
    m->max_discharge_cost = -m->min_charge_cost + td + 1;
    /* DispatchProblem.jl with no demand response: payback cost
     * -D - 0 - 1 - 75, borrow cost -payback + 0 + 1 */
    const int64_t max_borrow = m->max_discharge_cost + 1 + 75 + 1;
    m->penalty = 10 * ((int64_t)m->I + max_borrow);
    const double L = (double)s->step_length;
    const char *epow = s->energy_unit; /* "MWh" -> "MW" */
    m->p2e = power_conv(s->power_unit, epow) * hours_per_unit(s->step_unit) * L;
    m->e2p = power_conv(epow, s->power_unit) * units_per_hour(s->step_unit) / L;
    return 0;
}

/* --- workspace -------------------------------------------------------------- */

typedef struct {
    int64_t *cnt; /* [(R + 1)][N] trials with shortfall in the step */
    u128 *usum;   /* [(R + 1)][N] unserved power, summed over trials (the
                   * system row sums every region: 64 bits could wrap) */
    u128 *usq;    /* [(R + 1)][N] its square, summed */
} nsums_t;

/* Totals of n entries each, fresh from calloc, that nws_merge will read and
 * then write: their pages written first (harness_touch). */
static void nsums_touch(const nsums_t *a, size_t n)
{
    harness_touch(a->cnt, n * sizeof *a->cnt);
    harness_touch(a->usum, n * sizeof *a->usum);
    harness_touch(a->usq, n * sizeof *a->usq);
}

typedef struct {
    const nsm_t *m;
    rng_stream_t *rng; /* [n_units] */
    uint8_t *up;       /* [n_units] */
    int32_t *bucket;   /* [N] first unit changing state at the step, -1 */
    int32_t *link;     /* [n_units] next unit in the same bucket */
    uint32_t *down;    /* generators out whose capacity varies, in any order */
    uint32_t *pos;     /* [G] index in down */
    uint32_t n_down;
    int64_t *down_fixed; /* [R] capacity out of generators of fixed capacity */
    int64_t *avail;      /* [R] */
    int64_t *se, *ge;    /* storage energies */
    int64_t *unserved;   /* [R] */
    void *mcf_mem;
    mcf_t g;
    nsums_t sums;
    int64_t *trial_steps; /* [R + 1] this trial */
    int64_t *trial_units; /* [R + 1] unserved power summed over the trial */
} nws_t;

static void nws_free(void *p)
{
    nws_t *w = p;
    free(w->rng);
    free(w->up);
    free(w->bucket);
    free(w->link);
    free(w->down);
    free(w->pos);
    free(w->down_fixed);
    free(w->avail);
    free(w->se);
    free(w->ge);
    free(w->unserved);
    free(w->mcf_mem);
    free(w->sums.cnt);
    free(w->sums.usum);
    free(w->sums.usq);
    free(w->trial_steps);
    free(w->trial_units);
}

/* The edges whose ends and costs never change. */
static void build_network(const nsm_t *m, mcf_t *g)
{
    const net_sys_t *s = m->sys;
    const int32_t slack = n_slack(m);
    for (uint32_t r = 0; r < m->R; ++r) {
        mcf_edge(g, edge0(m, E_UNSERVED) + (int32_t)r, slack, n_region(r), MCF_UNLIMITED,
                 m->penalty);
        mcf_edge(g, edge0(m, E_UNUSED) + (int32_t)r, n_region(r), slack, MCF_UNLIMITED, 0);
    }
    for (uint32_t k = 0; k < m->I; ++k) {
        mcf_edge(g, edge0(m, E_FWD) + (int32_t)k, (int32_t)s->ifaces.from[k],
                 (int32_t)s->ifaces.to[k], 0, 1);
        mcf_edge(g, edge0(m, E_BWD) + (int32_t)k, (int32_t)s->ifaces.to[k],
                 (int32_t)s->ifaces.from[k], 0, 1);
    }
    for (uint32_t i = 0; i < m->S; ++i) {
        const int32_t r = n_region(m->stor_r[i]);
        mcf_edge(g, edge0(m, E_SDIS) + (int32_t)i, n_sdis(m, i), r, MCF_UNLIMITED, 0);
        mcf_edge(g, edge0(m, E_SDIS_UNUSED) + (int32_t)i, n_sdis(m, i), slack, MCF_UNLIMITED, 0);
        mcf_edge(g, edge0(m, E_SCH) + (int32_t)i, r, n_sch(m, i), MCF_UNLIMITED, 0);
        mcf_edge(g, edge0(m, E_SCH_UNUSED) + (int32_t)i, slack, n_sch(m, i), MCF_UNLIMITED, 0);
    }
    for (uint32_t j = 0; j < m->GS; ++j) {
        const int32_t r = n_region(m->gs_r[j]), o = (int32_t)j;
        mcf_edge(g, edge0(m, E_GDIS) + o, n_gdis(m, j), n_ggrid(m, j), MCF_UNLIMITED, 0);
        mcf_edge(g, edge0(m, E_GDIS_UNUSED) + o, n_gdis(m, j), slack, MCF_UNLIMITED, 0);
        mcf_edge(g, edge0(m, E_GIN_GRID) + o, n_gin(m, j), n_ggrid(m, j), MCF_UNLIMITED, 0);
        mcf_edge(g, edge0(m, E_GGRID) + o, n_ggrid(m, j), r, 0, 0);
        mcf_edge(g, edge0(m, E_GCH_GRID) + o, r, n_gch(m, j), 0, 0);
        mcf_edge(g, edge0(m, E_GCH_IN) + o, n_gin(m, j), n_gch(m, j), MCF_UNLIMITED, 0);
        mcf_edge(g, edge0(m, E_GCH_UNUSED) + o, slack, n_gch(m, j), MCF_UNLIMITED, 0);
        mcf_edge(g, edge0(m, E_GIN_UNUSED) + o, n_gin(m, j), slack, MCF_UNLIMITED, 0);
    }
}

static int nws_init(void *p, const void *model)
{
    nws_t *w = p;
    const nsm_t *m = model;
    const size_t A = (size_t)m->R + 1, NA = A * m->N;
    w->m = m;
    w->rng = calloc(m->n_units + 1, sizeof *w->rng);
    w->up = calloc(m->n_units + 1, 1);
    w->bucket = malloc(((size_t)m->N + 1) * sizeof *w->bucket);
    w->link = calloc(m->n_units + 1, sizeof *w->link);
    w->down = calloc(m->G + 1, sizeof *w->down);
    w->pos = calloc(m->G + 1, sizeof *w->pos);
    w->down_fixed = calloc(m->R, sizeof *w->down_fixed);
    w->avail = calloc(m->R, sizeof *w->avail);
    w->se = calloc(m->S + 1, sizeof *w->se);
    w->ge = calloc(m->GS + 1, sizeof *w->ge);
    w->unserved = calloc(m->R, sizeof *w->unserved);
    w->mcf_mem = malloc(mcf_bytes(m->n_nodes, m->n_edges));
    w->sums.cnt = calloc(NA, sizeof *w->sums.cnt);
    w->sums.usum = calloc(NA, sizeof *w->sums.usum);
    w->sums.usq = calloc(NA, sizeof *w->sums.usq);
    w->trial_steps = calloc(A, sizeof *w->trial_steps);
    w->trial_units = calloc(A, sizeof *w->trial_units);
    if (!w->rng || !w->up || !w->bucket || !w->link || !w->down || !w->pos || !w->down_fixed ||
        !w->avail || !w->se || !w->ge || !w->unserved || !w->mcf_mem || !w->sums.cnt ||
        !w->sums.usum || !w->sums.usq || !w->trial_steps || !w->trial_units)
        return -1;
    nsums_touch(&w->sums, NA); /* nws_merge reads then zeroes them; most steps no trial touches */
    mcf_init(&w->g, w->mcf_mem, m->n_nodes, m->n_edges);
    build_network(m, &w->g);
    return 0;
}

/* --- outages ----------------------------------------------------------------- */

/* Draws the step at which unit u next changes state, after step now, and
 * files it in that step's bucket (or nowhere if it does not change again
 * within the period). PRAS's randtransitiontime, one uniform per call. */
static void schedule(nws_t *w, uint32_t u, uint32_t now)
{
    const nsm_t *m = w->m;
    const double *p = w->up[u] ? m->u_fail[u] : m->u_rep[u];
    const size_t stride = m->u_stride[u];
    const double x = rng_uniform(&w->rng[u]);
    uint32_t at = m->N; /* never */
    if (m->u_const[u] && m->kernel != SIM_KERNEL_REF) {
        /* smallest k >= 1 with x < 1 - (1 - p)^k */
        const double q = p[0];
        if (q >= 1)
            at = now + 1;
        else if (q > 0) {
            const double k = floor(log1p(-x) / log1p(-q)) + 1;
            if (k < (double)(m->N - now))
                at = now + (uint32_t)k;
        }
    } else {
        double cdf = 0, none = 1;
        for (uint32_t t = now + 1; t < m->N; ++t) {
            const double q = p[(size_t)t * stride];
            cdf += none * q;
            if (x < cdf) {
                at = t;
                break;
            }
            none *= 1 - q;
        }
    }
    if (at < m->N) {
        w->link[u] = w->bucket[at];
        w->bucket[at] = (int32_t)u;
    }
}

static void gen_down(nws_t *w, uint32_t i)
{
    if (w->m->fixed_cap[i] >= 0) {
        w->down_fixed[w->m->gen_r[i]] += w->m->fixed_cap[i];
        return;
    }
    w->pos[i] = w->n_down;
    w->down[w->n_down++] = i;
}

static void gen_up(nws_t *w, uint32_t i)
{
    if (w->m->fixed_cap[i] >= 0) {
        w->down_fixed[w->m->gen_r[i]] -= w->m->fixed_cap[i];
        return;
    }
    const uint32_t last = w->down[--w->n_down];
    w->down[w->pos[i]] = last;
    w->pos[last] = w->pos[i];
}

static void start_trial(nws_t *w, uint64_t trial)
{
    const nsm_t *m = w->m;
    for (uint32_t t = 0; t < m->N; ++t)
        w->bucket[t] = -1;
    w->n_down = 0;
    memset(w->down_fixed, 0, m->R * sizeof *w->down_fixed);
    for (uint32_t u = 0; u < m->n_units; ++u) {
        const double l = m->u_fail[u][0], mu = m->u_rep[u][0];
        rng_init(&w->rng[u], m->seed, unit_stream(m->first, u), trial);
        w->up[u] = rng_uniform(&w->rng[u]) < mu / (l + mu);
        schedule(w, u, 0);
        if (u < m->G && !w->up[u])
            gen_down(w, u);
    }
    memset(w->se, 0, (m->S + 1) * sizeof *w->se);
    memset(w->ge, 0, (m->GS + 1) * sizeof *w->ge);
}

/* Applies the state changes filed for step t. */
static void advance(nws_t *w, uint32_t t)
{
    const nsm_t *m = w->m;
    int32_t u = w->bucket[t];
    w->bucket[t] = -1;
    while (u >= 0) {
        const int32_t next = w->link[u];
        const uint32_t uu = (uint32_t)u;
        w->up[uu] ^= 1;
        if (uu < m->G) {
            if (w->up[uu])
                gen_up(w, uu);
            else
                gen_down(w, uu);
        }
        schedule(w, uu, t);
        u = next;
    }
}

/* --- dispatch ---------------------------------------------------------------- */

/* Charge and discharge limits and costs of one device this step (PRAS's
 * update_problem!): power it can give, power it can take, and the time it
 * would take to empty at full power. */
typedef struct {
    int64_t dis, ch, ttd;
} devlim_t;

static devlim_t device_limits(const nsm_t *m, const net_stors_t *st, size_t at, int online,
                              int64_t energy)
{
    devlim_t d;
    const int64_t maxdis = online ? st->discharge_cap[at] : 0;
    const double dischargeable = (double)energy * st->discharge_eff[at];
    d.ttd = maxdis == 0 ? (int64_t)m->N + 1 : (int64_t)nearbyint(dischargeable / (double)maxdis);
    const double dpow = floor(dischargeable * m->e2p);
    d.dis = (double)maxdis < dpow ? maxdis : (int64_t)dpow;
    const int64_t maxch = online ? st->charge_cap[at] : 0;
    const int64_t room = st->energy_cap[at] - energy;
    if (maxch == 0 || room <= 0)
        d.ch = 0;
    else if (st->charge_eff[at] <= 0)
        d.ch = maxch; /* stores nothing; the loader refuses an efficiency of 0
                       * (PRAS would divide by it), hand-built systems get this */
    else {
        const double cpow = floor((double)room / st->charge_eff[at] * m->e2p);
        d.ch = (double)maxch < cpow ? maxch : (int64_t)cpow;
    }
    return d;
}

/* One step's dispatch. avail and unit states in w; energies updated. With
 * skip set, the flow solve is skipped when its answer is known. Returns 0,
 * or -1 if the flow problem had no solution (cannot happen: every node can
 * balance through the slack). */
static int dispatch(nws_t *w, uint32_t t, int skip)
{
    const nsm_t *m = w->m;
    const net_sys_t *s = m->sys;
    mcf_t *g = &w->g;
    const int64_t *load = m->load + (size_t)t * m->R;
    /* the solve's answer is known only if no device would charge and none
     * would discharge unprompted: a discharge cost D - ttd <= 0 (possible
     * once some device has no discharge power, so that D uses N + 1) makes
     * PRAS's flow drain it into unused generation */
    int all_covered = 1, can_charge = 0, free_discharge = 0;
    for (uint32_t r = 0; r < m->R; ++r) {
        g->supply[n_region(r)] = w->avail[r] - load[r];
        all_covered &= w->avail[r] >= load[r];
    }
    const uint32_t u_stor = m->G, u_gs = m->G + m->S, u_line = m->G + m->S + m->GS;
    for (uint32_t i = 0; i < m->S; ++i) {
        const size_t at = (size_t)t * m->S + i;
        const devlim_t d = device_limits(m, &s->stors, at, w->up[u_stor + i], w->se[i]);
        g->supply[n_sdis(m, i)] = d.dis;
        g->supply[n_sch(m, i)] = -d.ch;
        g->cost[edge0(m, E_SDIS) + (int32_t)i] = m->max_discharge_cost - d.ttd;
        g->cost[edge0(m, E_SCH) + (int32_t)i] = m->min_charge_cost + d.ttd;
        can_charge |= d.ch > 0;
        free_discharge |= d.dis > 0 && m->max_discharge_cost - d.ttd <= 0;
    }
    for (uint32_t j = 0; j < m->GS; ++j) {
        const size_t at = (size_t)t * m->GS + j;
        const int on = w->up[u_gs + j];
        const devlim_t d = device_limits(m, &s->genstors, at, on, w->ge[j]);
        const int32_t o = (int32_t)j;
        g->supply[n_gin(m, j)] = on ? s->genstors.inflow[at] : 0;
        g->supply[n_gdis(m, j)] = d.dis;
        g->supply[n_ggrid(m, j)] = 0;
        g->supply[n_gch(m, j)] = -d.ch;
        g->cap[edge0(m, E_GGRID) + o] = s->genstors.inject_cap[at];
        g->cap[edge0(m, E_GCH_GRID) + o] = s->genstors.withdraw_cap[at];
        g->cost[edge0(m, E_GDIS) + o] = m->max_discharge_cost - d.ttd;
        g->cost[edge0(m, E_GCH_GRID) + o] = m->min_charge_cost + d.ttd;
        g->cost[edge0(m, E_GCH_IN) + o] = m->min_charge_cost + d.ttd;
        can_charge |= d.ch > 0;
        free_discharge |= d.dis > 0 && m->max_discharge_cost - d.ttd <= 0;
    }
    if (skip && all_covered && !can_charge && !free_discharge) {
        memset(w->unserved, 0, m->R * sizeof *w->unserved);
        return 0;
    }
    if (skip && m->R == 1 && m->S == 0 && m->GS == 0) {
        w->unserved[0] = load[0] - w->avail[0];
        return 0;
    }
    for (uint32_t k = 0; k < m->I; ++k) {
        int64_t f = 0, b = 0;
        for (uint32_t j = m->iface_first[k]; j < m->iface_first[k + 1]; ++j) {
            const uint32_t l = m->iface_lines[j];
            if (w->up[u_line + l]) {
                f += s->lines.fwd_cap[(size_t)t * m->L + l];
                b += s->lines.bwd_cap[(size_t)t * m->L + l];
            }
        }
        const size_t at = (size_t)t * m->I + k;
        g->cap[edge0(m, E_FWD) + (int32_t)k] =
            f < s->ifaces.fwd_cap[at] ? f : s->ifaces.fwd_cap[at];
        g->cap[edge0(m, E_BWD) + (int32_t)k] =
            b < s->ifaces.bwd_cap[at] ? b : s->ifaces.bwd_cap[at];
    }
    int64_t total = 0;
    for (int32_t v = 0; v < n_slack(m); ++v)
        total += g->supply[v];
    g->supply[n_slack(m)] = -total;
    if (mcf_solve(g))
        return -1;
    for (uint32_t r = 0; r < m->R; ++r)
        w->unserved[r] = g->flow[edge0(m, E_UNSERVED) + (int32_t)r];
    /* PRAS's update_state! */
    for (uint32_t i = 0; i < m->S; ++i) {
        const size_t at = (size_t)t * m->S + i;
        /* no flow, no drop: with a discharge efficiency of 0 (no discharge
         * power) the quotient would be 0 / 0 */
        const double out = (double)g->flow[edge0(m, E_SDIS) + (int32_t)i];
        const int64_t drop = out > 0 ? (int64_t)ceil(out * m->p2e / s->stors.discharge_eff[at]) : 0;
        w->se[i] = w->se[i] - drop > 0 ? w->se[i] - drop : 0;
        const double in = (double)g->flow[edge0(m, E_SCH) + (int32_t)i];
        w->se[i] += (int64_t)ceil(in * m->p2e * s->stors.charge_eff[at]);
    }
    for (uint32_t j = 0; j < m->GS; ++j) {
        const size_t at = (size_t)t * m->GS + j;
        const int32_t o = (int32_t)j;
        const double out = (double)g->flow[edge0(m, E_GDIS) + o];
        const int64_t drop =
            out > 0 ? (int64_t)ceil(out * m->p2e / s->genstors.discharge_eff[at]) : 0;
        w->ge[j] = w->ge[j] - drop > 0 ? w->ge[j] - drop : 0;
        const double in =
            (double)(g->flow[edge0(m, E_GCH_GRID) + o] + g->flow[edge0(m, E_GCH_IN) + o]);
        w->ge[j] += (int64_t)ceil(in * m->p2e * s->genstors.charge_eff[at]);
    }
    return 0;
}

/* Storage losses between steps and energy above this step's capacity
 * (PRAS's update_energy!). */
static void carry_over(nws_t *w, uint32_t t)
{
    const nsm_t *m = w->m;
    const net_sys_t *s = m->sys;
    for (uint32_t i = 0; i < m->S; ++i) {
        const size_t at = (size_t)t * m->S + i;
        const int64_t e = (int64_t)nearbyint((double)w->se[i] * s->stors.carryover_eff[at]);
        w->se[i] = e < s->stors.energy_cap[at] ? e : s->stors.energy_cap[at];
    }
    for (uint32_t j = 0; j < m->GS; ++j) {
        const size_t at = (size_t)t * m->GS + j;
        const int64_t e = (int64_t)nearbyint((double)w->ge[j] * s->genstors.carryover_eff[at]);
        w->ge[j] = e < s->genstors.energy_cap[at] ? e : s->genstors.energy_cap[at];
    }
}

static void available(nws_t *w, uint32_t t)
{
    const nsm_t *m = w->m;
    const int64_t *cap = m->sys->gens.cap + (size_t)t * m->G;
    const int64_t *full = m->full + (size_t)t * m->R;
    for (uint32_t r = 0; r < m->R; ++r)
        w->avail[r] = full[r] - w->down_fixed[r];
    for (uint32_t k = 0; k < w->n_down; ++k) {
        const uint32_t i = w->down[k];
        w->avail[m->gen_r[i]] -= cap[i];
    }
}

static void record(nws_t *w, uint32_t t)
{
    const nsm_t *m = w->m;
    const size_t N = m->N;
    int64_t sys = 0;
    for (uint32_t r = 0; r <= m->R; ++r) {
        const int64_t u = r < m->R ? w->unserved[r] : sys;
        sys += r < m->R ? u : 0;
        if (u <= 0)
            continue;
        const size_t at = r * N + t;
        w->sums.cnt[at] += 1;
        w->sums.usum[at] += (u128)u;
        w->sums.usq[at] += (u128)u * (u128)u;
        w->trial_steps[r] += 1;
        w->trial_units[r] += u;
    }
}

static int nsm_trial(const void *model, void *ws, results_t *res, uint64_t trial)
{
    const nsm_t *m = model;
    nws_t *w = ws;
    const int skip = m->kernel != SIM_KERNEL_REF;
    start_trial(w, trial);
    memset(w->trial_steps, 0, (m->R + 1) * sizeof *w->trial_steps);
    memset(w->trial_units, 0, (m->R + 1) * sizeof *w->trial_units);
    for (uint32_t t = 0; t < m->N; ++t) {
        if (t)
            advance(w, t);
        carry_over(w, t);
        available(w, t);
        if (dispatch(w, t, skip))
            return -1;
        record(w, t);
    }
    const net_sys_t *s = m->sys;
    const double mwh = s->mw_per_unit * s->step_h;
    for (uint32_t r = 0; r <= m->R; ++r) {
        const double v[NETSIM_N_METRICS] = {(double)w->trial_steps[r],
                                            (double)w->trial_steps[r] * s->step_h,
                                            (double)w->trial_units[r] * mwh};
        for (size_t q = 0; q < NETSIM_N_METRICS; ++q) {
            if (r == m->R)
                *results_at(res, 0, q, trial) = v[q];
            else
                results_region_at(res, q, 0, trial)[r] = v[q];
        }
    }
    return 0;
}

static int64_t *nws_lol(void *ws)
{
    nws_t *w = ws;
    return w->sums.cnt + (size_t)w->m->R * w->m->N; /* the system row */
}

/* The harness calls this before it zeroes nws_lol's system row of cnt. */
static void nws_merge(void *sum, void *ws)
{
    nsums_t *a = sum;
    nws_t *w = ws;
    const size_t n = ((size_t)w->m->R + 1) * w->m->N;
    for (size_t i = 0; i < n; ++i) {
        a->cnt[i] += w->sums.cnt[i];
        a->usum[i] += w->sums.usum[i];
        a->usq[i] += w->sums.usq[i];
    }
    memset(w->sums.cnt, 0, n * sizeof *w->sums.cnt);
    memset(w->sums.usum, 0, n * sizeof *w->sums.usum);
    memset(w->sums.usq, 0, n * sizeof *w->sums.usq);
}

/* The totals a checkpoint keeps: cnt, usum and usq, one after another. */
static size_t nsums_n(const void *model)
{
    const nsm_t *m = model;
    return ((size_t)m->R + 1) * m->N;
}

static size_t nsums_bytes(const void *model)
{
    return nsums_n(model) * (sizeof(int64_t) + 2 * sizeof(u128));
}

static void nsums_save(const void *sum, const void *model, unsigned char *buf)
{
    const nsums_t *a = sum;
    const size_t n = nsums_n(model);
    memcpy(buf, a->cnt, n * sizeof *a->cnt);
    memcpy(buf + n * sizeof *a->cnt, a->usum, n * sizeof *a->usum);
    memcpy(buf + n * (sizeof *a->cnt + sizeof *a->usum), a->usq, n * sizeof *a->usq);
}

static int nsums_reduce(void *sum, const void *model)
{
    nsums_t *a = sum;
    const size_t n = nsums_n(model);
    return par_sum_i64(a->cnt, n) || par_sum_u128(a->usum, n) || par_sum_u128(a->usq, n) ? -1 : 0;
}

static void nsums_load(void *sum, const void *model, const unsigned char *buf)
{
    nsums_t *a = sum;
    const size_t n = nsums_n(model);
    memcpy(a->cnt, buf, n * sizeof *a->cnt);
    memcpy(a->usum, buf + n * sizeof *a->cnt, n * sizeof *a->usum);
    memcpy(a->usq, buf + n * (sizeof *a->cnt + sizeof *a->usum), n * sizeof *a->usq);
}

static void nsums_add(void *sum, const void *model, const unsigned char *buf)
{
    nsums_t *a = sum;
    const size_t n = nsums_n(model);
    for (size_t i = 0; i < n; ++i) {
        int64_t c;
        u128 u, q;
        memcpy(&c, buf + i * sizeof c, sizeof c);
        memcpy(&u, buf + n * sizeof c + i * sizeof u, sizeof u);
        memcpy(&q, buf + n * (sizeof c + sizeof u) + i * sizeof q, sizeof q);
        a->cnt[i] += c;
        a->usum[i] += u;
        a->usq[i] += q;
    }
}

static const harness_model_t net_harness = {
    .ws_size = sizeof(nws_t),
    .chunk = NETSIM_CHUNK,
    .ws_init = nws_init,
    .ws_free = nws_free,
    .trial = nsm_trial,
    .lol = nws_lol,
    .ws_merge = nws_merge,
    .sum_bytes = nsums_bytes,
    .sum_save = nsums_save,
    .sum_load = nsums_load,
    .sum_reduce = nsums_reduce,
    .sum_add = nsums_add,
};

size_t netsim_thread_bytes(const net_sys_t *sys, int copper_plate)
{
    const size_t R = copper_plate ? 1 : sys->n_regions;
    const size_t NA = (R + 1) * sys->steps;
    const size_t units = (size_t)sys->gens.a.n + sys->stors.a.n + sys->genstors.a.n +
                         (copper_plate ? 0 : sys->lines.a.n);
    return sizeof(nws_t) + NA * (8 + 16 + 16) + sys->steps * 4 +
           units * (5 + sizeof(rng_stream_t)) + R * 64 + 4096;
}

/* Per-step probabilities and expected unserved energy with their standard
 * errors, from the integer sums. */
static int fill_by_step(results_t *r, const nsm_t *m, const nsums_t *a)
{
    const size_t A = (size_t)m->R + 1, N = m->N;
    const double T = (double)r->trials, mwh = m->sys->mw_per_unit * m->sys->step_h;
    if (results_add_steps(r, N, A))
        return -1;
    for (size_t k = 0; k < A; ++k)
        for (size_t t = 0; t < N; ++t) {
            const size_t src = k * N + t, dst = t * A + k;
            const double c = (double)a->cnt[src], s1 = (double)a->usum[src],
                         s2 = (double)a->usq[src];
            const double p = c / T, mean = s1 / T;
            const double var_p = T > 1 ? (c - c * c / T) / (T - 1) : 0;
            const double var_u = T > 1 ? fmax(0, s2 - s1 * s1 / T) / (T - 1) : 0;
            r->step_lolp[dst] = p;
            r->step_lolp_se[dst] = sqrt(fmax(0, var_p) / T);
            r->step_eue[dst] = mean * mwh;
            r->step_eue_se[dst] = sqrt(var_u / T) * mwh;
        }
    return 0;
}

int netsim_run(const net_sys_t *sys, const netsim_opts_t *nopts, const sim_opts_t *opts,
               results_t **out, gr_err_t *err)
{
    *out = NULL;
    nsm_t m;
    if (nsm_init(&m, sys, nopts->copper_plate))
        return harness_agree(gr_err_set(err, GR_ERUNTIME, "out of memory"), err);
    m.seed = opts->seed;
    m.kernel = opts->kernel;
    const char *scen = nopts->copper_plate ? "copper_plate" : "network";
    results_t *r = results_new(harness_rows(net_harness.chunk, opts), 1, m.N, 1, &scen,
                               NETSIM_N_METRICS, netsim_metrics, 0, NULL);
    const char *merged = "all_regions";
    const char *const *names = nopts->copper_plate ? &merged : sys->region_name;
    const size_t A = (size_t)m.R + 1, NA = A * m.N;
    nsums_t sums = {calloc(NA, sizeof(int64_t)), calloc(NA, sizeof(u128)),
                    calloc(NA, sizeof(u128))};
    int rc = r && sums.cnt && sums.usum && sums.usq &&
                     !results_add_regions(r, m.R, names, NETSIM_N_METRICS, netsim_metrics)
                 ? GR_OK
                 : gr_err_set(err, GR_ERUNTIME, "out of memory");
    if (!rc)
        nsums_touch(&sums, NA); /* the threads add into them (nws_merge) */
    rc = harness_agree(rc, err);
    if (!rc) {
        harness_stream(r, opts);
        rc = harness_run(&net_harness, &m, &sums, opts, r, err);
    }
    if (!rc && fill_by_step(r, &m, &sums))
        rc = gr_err_set(err, GR_ERUNTIME, "out of memory");
    if (!rc) {
        /* demand per region and for the system, for NEUE */
        for (size_t k = 0; k < A; ++k)
            r->area_demand_mwh[k] = 0;
        const double mwh = sys->mw_per_unit * sys->step_h;
        for (uint32_t t = 0; t < m.N; ++t)
            for (uint32_t k = 0; k < m.R; ++k) {
                const double d = (double)m.load[(size_t)t * m.R + k] * mwh;
                r->area_demand_mwh[k] += d;
                r->area_demand_mwh[m.R] += d;
            }
    }
    free(sums.cnt);
    free(sums.usum);
    free(sums.usq);
    nsm_free(&m);
    if (rc) {
        results_free(r);
        return rc;
    }
    *out = r;
    return GR_OK;
}

int netsim_step(const net_sys_t *sys, int copper_plate, uint32_t t, netsim_step_io_t *io)
{
    nsm_t m;
    nws_t w;
    memset(&w, 0, sizeof w);
    if (t >= sys->steps || nsm_init(&m, sys, copper_plate))
        return -1;
    int rc = nws_init(&w, &m);
    if (!rc) {
        const uint32_t u_stor = m.G, u_gs = m.G + m.S, u_line = m.G + m.S + m.GS;
        memcpy(w.avail, io->avail, m.R * sizeof *w.avail);
        for (uint32_t i = 0; i < m.S; ++i) {
            w.up[u_stor + i] = io->stor_up[i];
            w.se[i] = io->stor_energy[i];
        }
        for (uint32_t j = 0; j < m.GS; ++j) {
            w.up[u_gs + j] = io->gs_up[j];
            w.ge[j] = io->gs_energy[j];
        }
        for (uint32_t l = 0; l < m.L; ++l)
            w.up[u_line + l] = io->line_up[l];
        rc = dispatch(&w, t, 0);
    }
    if (!rc) {
        memcpy(io->unserved, w.unserved, m.R * sizeof *w.unserved);
        for (uint32_t k = 0; k < m.I; ++k) {
            io->iface_flow[k] =
                w.g.flow[edge0(&m, E_FWD) + (int32_t)k] - w.g.flow[edge0(&m, E_BWD) + (int32_t)k];
            io->iface_limit_fwd[k] = w.g.cap[edge0(&m, E_FWD) + (int32_t)k];
            io->iface_limit_bwd[k] = w.g.cap[edge0(&m, E_BWD) + (int32_t)k];
        }
        for (uint32_t i = 0; i < m.S; ++i) {
            io->stor_net[i] =
                w.g.flow[edge0(&m, E_SDIS) + (int32_t)i] - w.g.flow[edge0(&m, E_SCH) + (int32_t)i];
            io->stor_energy[i] = w.se[i];
        }
        for (uint32_t j = 0; j < m.GS; ++j) {
            io->gs_net[j] = w.g.flow[edge0(&m, E_GGRID) + (int32_t)j] -
                            w.g.flow[edge0(&m, E_GCH_GRID) + (int32_t)j];
            io->gs_energy[j] = w.ge[j];
        }
    }
    nws_free(&w);
    nsm_free(&m);
    return rc;
}
