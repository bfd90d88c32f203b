/* test_dispatch.c - merit order vs brute force, hydro budget conservation
 * and peak shaving, shedding policies on a hand-made day. */
#include "testutil.h"

#include "../kernels/dispatch.h"
#include "../kernels/mcf.h"
#include "../kernels/rng.h"

#include <math.h>
#include <string.h>

/* Cost of loading classes in a given order, floors first (the only
 * feasible dispatches with floors respect them). */
static double order_cost(double need, const double *avail, const double *floor, const double *mc,
                         const int *ord, size_t n)
{
    double gen[8] = {0}, unmet;
    return dispatch_merit(need, avail, floor, mc, ord, n, gen, &unmet);
}

static int next_perm(int *a, size_t n)
{
    size_t i = n - 1;
    while (i > 0 && a[i - 1] >= a[i])
        --i;
    if (i == 0)
        return 0;
    size_t j = n - 1;
    while (a[j] <= a[i - 1])
        --j;
    int t = a[i - 1];
    a[i - 1] = a[j];
    a[j] = t;
    for (size_t l = i, r = n - 1; l < r; ++l, --r) {
        t = a[l];
        a[l] = a[r];
        a[r] = t;
    }
    return 1;
}

/* On 500 random systems of 2-6 classes (with and without floors), merit
 * order costs no more than any other loading order (all n! searched), and
 * its output meets min(need, total) within each class's availability. */
static void test_merit_vs_brute_force(void **st)
{
    (void)st;
    rng_stream_t s;
    for (uint64_t t = 0; t < 500; ++t) {
        rng_init(&s, 9, 1, t);
        const size_t n = 2 + (size_t)(rng_uniform(&s) * 5);
        double avail[8], mc[8], floor[8], total = 0;
        for (size_t c = 0; c < n; ++c) {
            avail[c] = 10 + 90 * rng_uniform(&s);
            mc[c] = 5 + 100 * rng_uniform(&s);
            floor[c] = t % 2 && rng_uniform(&s) < 0.3 ? rng_uniform(&s) : 0.0; /* share */
            total += avail[c];
        }
        const double need = total * 1.2 * rng_uniform(&s);
        int ord[8];
        ord[n] = -7; /* nothing is written past n */
        dispatch_sort_order(mc, ord, n);
        assert_int_equal(ord[n], -7);
        for (size_t k = 1; k < n; ++k)
            assert_true(mc[ord[k - 1]] <= mc[ord[k]]);
        double gen[8], unmet;
        const double best = dispatch_merit(need, avail, floor, mc, ord, n, gen, &unmet);
        double sum = 0, floors = 0;
        for (size_t c = 0; c < n; ++c)
            floors += floor[c] * avail[c];
        for (size_t c = 0; c < n; ++c) {
            assert_true(gen[c] >= 0 && gen[c] <= avail[c] + 1e-12);
            if (floors <= need)
                assert_true(gen[c] >= floor[c] * avail[c] - 1e-12);

            sum += gen[c];
        }
        assert_true(fabs(sum - fmin(need, total)) < 1e-9 * (1 + total));
        assert_true(fabs(unmet - fmax(need - total, 0)) < 1e-9 * (1 + total));
        int p[8];
        for (size_t c = 0; c < n; ++c)
            p[c] = (int)c;
        do {
            const double cst = order_cost(need, avail, floor, mc, p, n);
            if (cst < best - 1e-9 * (1 + best))
                fail_msg("order beats merit: %g < %g", cst, best);
        } while (next_perm(p, n));
    }
}

/* A class loaded to its availability gets exactly its availability, not
 * floor + (availability - floor), which rounds above it: 0.03 + 0.27 is
 * 0.30000000000000004. */
static void test_merit_saturates_exactly(void **st)
{
    (void)st;
    const double avail[1] = {0.3}, floor[1] = {0.1}, mc[1] = {10};
    const int ord[1] = {0};
    double gen[1], unmet;
    const double cost = dispatch_merit(0.3, avail, floor, mc, ord, 1, gen, &unmet);
    assert_true(gen[0] == 0.3);
    assert_true(unmet == 0.0);
    assert_true(cost == 0.3 * 10);
}

/* Ties keep index order (a stable sort): technologies of equal cost run in
 * the order the scenario lists them, so by-technology output does not
 * depend on the sort's internals. */
static void test_sort_order_stable(void **st)
{
    (void)st;
    const double mc[6] = {5, 3, 5, 3, 1, 5};
    const int want[6] = {4, 1, 3, 0, 2, 5};
    int ord[6];
    dispatch_sort_order(mc, ord, 6);
    assert_memory_equal(ord, want, sizeof want);
}

/* Hydro: output within [0, cap], sums to the budget (within 1e-9
 * relative), is flat at the water level where it is neither 0 nor at cap
 * (peak shaving), never runs in an hour whose net load is below the level,
 * and matches the bisection reference. The fast solver (Newton steps
 * safeguarded by bisection) is the fast kernel because it needs few levels:
 * at most 7 in a month and 1000 over the 200 months here (at most 6 seen,
 * 922 in all; the Illinois method took up to 9 and 1424, plain regula falsi
 * up to 12, bisection about 40), so a change that only slows it down fails
 * too. */
static void test_hydro_conservation_and_shaving(void **st)
{
    (void)st;
    enum { N = 720 };
    double net[N], cap[N], out[N], ref[N];
    rng_stream_t s;
    int all_levels = 0;
    for (uint64_t t = 0; t < 200; ++t) {
        rng_init(&s, 10, 2, t);
        double room = 0;
        for (int h = 0; h < N; ++h) {
            net[h] = 15000 + 6000 * sin(2 * M_PI * h / 24.0) + 2000 * rng_uniform(&s) -
                     (t % 3 == 0 ? 12000 : 0);
            cap[h] = 5000 + 6000 * rng_uniform(&s);
            room += fmax(fmin(net[h], cap[h]), 0);
        }
        const double budget = room * (0.05 + 0.9 * rng_uniform(&s));
        int levels = 0;
        const double used = dispatch_hydro_counted(net, cap, N, budget, out, &levels);
        if (levels > 7)
            fail_msg("month %d: %d water levels tried, more than 7", (int)t, levels);
        all_levels += levels;
        dispatch_hydro_ref(net, cap, N, budget, ref);
        double sum = 0, level = -1;
        for (int h = 0; h < N; ++h) {
            assert_true(out[h] >= 0 && out[h] <= cap[h]);
            sum += out[h];
            if (out[h] > 1e-6 && out[h] < cap[h] - 1e-6) {
                const double l = net[h] - out[h];
                if (level < 0)
                    level = l;
                assert_true(fabs(l - level) < 1e-3);
            }
            assert_true(fabs(out[h] - ref[h]) < 1e-3);
        }
        assert_true(fabs(sum - budget) < 1e-9 * budget);
        assert_true(fabs(used - budget) < 1e-9 * budget);
        for (int h = 0; level >= 0 && h < N; ++h)
            if (out[h] == 0)
                assert_true(net[h] <= level + 1e-3);
    }
    if (all_levels > 1000)
        fail_msg("%d water levels tried over 200 months, more than 1000", all_levels);
}

/* A month of net load and hydro capacity in whole MW (sums exact): the
 * daily swing of test_hydro_conservation_and_shaving around base_mw. */
static void whole_mw_month(uint64_t t, double base_mw, double *net, double *cap, int n)
{
    rng_stream_t s;
    rng_init(&s, 10, 3, t);
    for (int h = 0; h < n; ++h) {
        net[h] = floor(base_mw + 6000 * sin(2 * M_PI * h / 24.0) + 2000 * rng_uniform(&s));
        cap[h] = floor(5000 + 6000 * rng_uniform(&s));
    }
}

/* A budget equal to everything the month can use (the sum of min(net, cap)
 * over hours with net load > 0) needs no search: one level (0) is tried,
 * every hour runs at min(net, cap) and the budget is used exactly. */
static void test_hydro_budget_uses_everything(void **st)
{
    (void)st;
    enum { N = 720 };
    double net[N], cap[N], out[N];
    for (uint64_t t = 0; t < 5; ++t) {
        whole_mw_month(t, t % 2 ? 15000 : 3000, net, cap, N);
        double room = 0;
        for (int h = 0; h < N; ++h)
            room += fmax(fmin(net[h], cap[h]), 0);
        int levels = 0;
        const double used = dispatch_hydro_counted(net, cap, N, room, out, &levels);
        if (used != room || levels != 1)
            fail_msg("month %d: used %.17g of %.17g in %d levels, want all in 1", (int)t, used,
                     room, levels);
        for (int h = 0; h < N; ++h)
            assert_true(out[h] == fmax(fmin(net[h], cap[h]), 0));
    }
}

/* The search stops once the level is bracketed to 1e-9 MW, or after 100
 * levels past the first (101 in all). With a budget of 1e-6 MWh against
 * about 20 GW of net load the relative tolerance (1e-15 MWh) is out of
 * reach and the bracket decides: the energy used is within 720 hours x
 * 1e-9 MW of the budget, in at most 50 levels (bisection from a bracket of
 * at most 23 GW needs 45; 21 seen). At 1e5 times those loads doubles near
 * 2e9 MW are 4.8e-7 MW apart, wider than the bracket, so only the count
 * stops the search for a budget of 0.3 MWh: 101 levels, and the energy
 * used is within 720 x 4.8e-7 MWh of the budget (4e-7 seen). */
static void test_hydro_tiny_budget(void **st)
{
    (void)st;
    enum { N = 720 };
    double net[N], cap[N], out[N];
    for (uint64_t t = 0; t < 20; ++t) {
        whole_mw_month(t, 15000, net, cap, N);
        int levels = 0;
        const double used = dispatch_hydro_counted(net, cap, N, 1e-6, out, &levels);
        double sum = 0;
        for (int h = 0; h < N; ++h) {
            assert_true(out[h] >= 0 && out[h] <= cap[h]);
            sum += out[h];
        }
        if (!(fabs(used - 1e-6) <= N * 1e-9 && sum == used && levels <= 50))
            fail_msg("month %d: used %g MWh of 1e-6 in %d levels", (int)t, used, levels);
    }
    for (uint64_t t = 0; t < 5; ++t) {
        whole_mw_month(t, 15000, net, cap, N);
        for (int h = 0; h < N; ++h)
            net[h] *= 1e5, cap[h] *= 1e5;
        int levels = 0;
        const double used = dispatch_hydro_counted(net, cap, N, 0.3, out, &levels);
        if (!(fabs(used - 0.3) <= N * 4.8e-7 && levels == 101))
            fail_msg("month %d at 1e5 x: used %g MWh of 0.3 in %d levels", (int)t, used, levels);
    }
}

/* A budget larger than what the hours can absorb runs every hour at
 * min(net, cap) and spills the rest; no budget, no hydro. */
static void test_hydro_spill_and_zero(void **st)
{
    (void)st;
    const double net[4] = {100, -50, 300, 80}, cap[4] = {150, 150, 150, 50};
    double out[4];
    const double used = dispatch_hydro(net, cap, 4, 1e6, out);
    assert_true(out[0] == 100 && out[1] == 0 && out[2] == 150 && out[3] == 50);
    assert_true(used == 300);
    assert_true(dispatch_hydro(net, cap, 4, 0.0, out) == 0.0);
    assert_true(out[0] == 0 && out[2] == 0);
}

/* Where f is mostly flat, Newton has no slope to follow and bisection does
 * much of the work: each hour's capacity is 1 MW and the net loads are
 * spread over 8 GW, so at most levels no hour is inside its clamp. The
 * budget is still met to 1e-9, and the levels stay few: at most 22 in a
 * month and 1000 over the 60 months (at most 20 seen, 950 in all); bisection
 * alone needs about 45 a month. */
static void test_hydro_flat_pieces(void **st)
{
    (void)st;
    enum { N = 720 };
    double net[N], cap[N], out[N];
    rng_stream_t s;
    int all_levels = 0;
    for (uint64_t t = 0; t < 60; ++t) {
        rng_init(&s, 10, 5, t);
        double room = 0;
        for (int h = 0; h < N; ++h) {
            net[h] = 10000 + 8000 * rng_uniform(&s);
            cap[h] = 1.0;
            room += fmax(fmin(net[h], cap[h]), 0);
        }
        const double budget = room * (0.05 + 0.9 * rng_uniform(&s));
        int levels = 0;
        const double used = dispatch_hydro_counted(net, cap, N, budget, out, &levels);
        assert_true(fabs(used - budget) <= 1e-9 * budget);
        if (levels > 22)
            fail_msg("month %d: %d water levels tried, more than 22", (int)t, levels);
        all_levels += levels;
    }
    if (all_levels > 1000)
        fail_msg("%d water levels tried over 60 flat months, more than 1000", all_levels);
}

/* Every vector path of the water-level search (SSE2, and AVX2 and AVX-512
 * where this processor has them) gives the same output, energy and number of
 * levels, bit for bit: each keeps the same eight running sums. Month lengths
 * that are not a multiple of 8 exercise the tail, lengths under 8 (and 0)
 * the tail alone, and a month with negative net load and zero capacity the
 * clamp's ends. */
static void test_hydro_every_path(void **st)
{
    (void)st;
    enum { N = 745 };
    double net[N], cap[N], out[N], got[N];
    rng_stream_t s;
    static const size_t short_n[] = {0, 1, 5, 7, 8, 9, 13};
    const size_t n_short = sizeof short_n / sizeof *short_n;
    for (uint64_t t = 0; t < 40 + n_short; ++t) {
        rng_init(&s, 10, 4, t);
        const size_t n = t < 40 ? N - (size_t)(t % 9) : short_n[t - 40];
        double room = 0;
        for (size_t h = 0; h < n; ++h) {
            net[h] = 9000 + 8000 * sin(2 * M_PI * (double)h / 24.0) + 3000 * rng_uniform(&s) -
                     (t % 4 == 0 ? 9000 : 0);
            cap[h] = h % 50 == 7 ? 0.0 : 4000 + 6000 * rng_uniform(&s);
            room += fmax(fmin(net[h], cap[h]), 0);
        }
        const double budget = room * (0.02 + 0.96 * rng_uniform(&s));
        int want_levels = 0;
        const double want =
            dispatch_hydro_isa(RNG_ISA_PORTABLE, net, cap, n, budget, out, &want_levels);
        assert_true(fabs(want - budget) <= 1e-9 * budget + 1e-12 * room);
        for (int isa = RNG_ISA_PORTABLE + 1; isa <= (int)rng_isa_best(); ++isa) {
            int levels = 0;
            const double used =
                dispatch_hydro_isa((rng_isa_t)isa, net, cap, n, budget, got, &levels);
            if (used != want || levels != want_levels || memcmp(got, out, n * sizeof *out))
                fail_msg("month %d on %s: %.17g MWh in %d levels, portable %.17g in %d", (int)t,
                         rng_isa_name((rng_isa_t)isa), used, levels, want, want_levels);
        }
    }
    printf("hydro: paths up to %s compared\n", rng_isa_name(rng_isa_best()));
}

/* Hand-made hour: base 100 MW, flexible (mining) 30, firm (AI) 20. */
static void test_shedding_policies_hand_day(void **st)
{
    (void)st;
    double b, f, r;
    /* 10 MW short: miners absorb it all under miners_first */
    dispatch_shed(DISPATCH_MINERS_FIRST, 10, 100, 30, 20, &b, &f, &r);
    assert_true(b == 0 && f == 10 && r == 0);
    /* 40 MW short: miners lose 30, then 10 split 100:20 between base and firm */
    dispatch_shed(DISPATCH_MINERS_FIRST, 40, 100, 30, 20, &b, &f, &r);
    assert_true(f == 30 && fabs(b - 10 * 100 / 120.0) < 1e-12 && fabs(r - 10 * 20 / 120.0) < 1e-12);
    /* pro rata: 30 MW short over 150 MW, 20% each */
    dispatch_shed(DISPATCH_PRO_RATA, 30, 100, 30, 20, &b, &f, &r);
    assert_true(fabs(b - 20) < 1e-12 && fabs(f - 6) < 1e-12 && fabs(r - 4) < 1e-12);
    /* firm allocation: base consumers lose everything first */
    dispatch_shed(DISPATCH_FIRM_ALLOCATION, 40, 100, 30, 20, &b, &f, &r);
    assert_true(b == 40 && f == 0 && r == 0);
    dispatch_shed(DISPATCH_FIRM_ALLOCATION, 125, 100, 30, 20, &b, &f, &r);
    assert_true(b == 100 && fabs(f - 15) < 1e-12 && fabs(r - 10) < 1e-12);
    /* a class of size 0 takes nothing (no 0 / 0): miners only, base only,
     * nothing at all */
    dispatch_shed(DISPATCH_MINERS_FIRST, 10, 0, 30, 0, &b, &f, &r);
    assert_true(b == 0 && f == 10 && r == 0);
    dispatch_shed(DISPATCH_FIRM_ALLOCATION, 10, 100, 0, 0, &b, &f, &r);
    assert_true(b == 10 && f == 0 && r == 0);
    for (int p = 0; p < 3; ++p) {
        dispatch_shed((dispatch_policy_t)p, 0, 0, 0, 0, &b, &f, &r);
        assert_true(b == 0 && f == 0 && r == 0);
    }
    /* no shortfall, nothing shed; more than total, everything shed */
    for (int p = 0; p < 3; ++p) {
        dispatch_shed((dispatch_policy_t)p, 0, 100, 30, 20, &b, &f, &r);
        assert_true(b == 0 && f == 0 && r == 0);
        dispatch_shed((dispatch_policy_t)p, 500, 100, 30, 20, &b, &f, &r);
        assert_true(fabs(b - 100) < 1e-12 && fabs(f - 30) < 1e-12 && fabs(r - 20) < 1e-12);
    }
}

/* A day of 24 hours through each policy: shed sums to the shortfall each
 * hour (served + shed = demand), and base consumers lose least under
 * miners_first, most under firm_allocation. */
static void test_shedding_policies_day_balance(void **st)
{
    (void)st;
    double base_lost[3] = {0, 0, 0};
    for (int p = 0; p < 3; ++p) {
        for (int h = 0; h < 24; ++h) {
            const double base = 20000 + 5000 * sin(M_PI * (h - 8) / 12.0);
            const double supply = 23000, flex = 1500, firm = 400;
            const double demand = base + flex + firm;
            const double short_mw = fmax(demand - supply, 0);
            double b, f, r;
            dispatch_shed((dispatch_policy_t)p, short_mw, base, flex, firm, &b, &f, &r);
            assert_true(fabs(b + f + r - short_mw) < 1e-9 * demand);
            assert_true(b <= base && f <= flex && r <= firm);
            base_lost[p] += b;
        }
    }
    assert_true(base_lost[DISPATCH_MINERS_FIRST] < base_lost[DISPATCH_PRO_RATA]);
    assert_true(base_lost[DISPATCH_PRO_RATA] < base_lost[DISPATCH_FIRM_ALLOCATION]);
}

static dispatch_loads2_t loads2(double bn, double bs, double fn, double fs, double rn, double rs)
{
    dispatch_loads2_t l = {{bn, bs}, {fn, fs}, {rn, rs}, {0, 0}};
    return l;
}

static int near(double a, double b) { return fabs(a - b) < 1e-12 * (1.0 + fabs(b)); }

/*
 * A two-region day solved by hand (docs/MODEL.md s.2b): north can generate
 * 10 MW, south 8, and the corridor carries 3 MW north (100 MW south).
 */
/* Interruptible blocks on the same two regions (north 10 MW, south 8, the
 * corridor 3 MW north): they are the last tier served under every policy.
 * 1. North base 11 and a 2 MW interruptible block, south base 4: the
 *    north's 13 MW are exactly what it can take (10 + 3): nothing is shed.
 *    With base 12 the north is 1 MW short: the block loses 1, base
 *    nothing, under each policy.
 * 2. North base 14 and the block: 3 MW short in the north; the block loses
 *    its 2 and base the other 1.
 * 3. A block in the south cannot relieve the north: north base 14 alone,
 *    the block (2 MW) in the south: the north loses 1 of base; the south's
 *    8 MW serve its base 4, the export 3 and 1 of the block. */
static void test_two_region_interruptible(void **st)
{
    (void)st;
    const double g[2] = {10, 8}, imp[2] = {3, 100};
    const dispatch_policy_t pols[3] = {DISPATCH_MINERS_FIRST, DISPATCH_PRO_RATA,
                                       DISPATCH_FIRM_ALLOCATION};
    for (int p = 0; p < 3; ++p) {
        dispatch_loads2_t l = loads2(11, 4, 0, 0, 0, 0), sh;
        int lim;
        l.intr[0] = 2;
        double served = dispatch_shed_two(pols[p], g, imp, &l, &sh, &lim);
        assert_true(near(served, 17) && near(sh.intr[0], 0) && near(sh.base[0], 0));
        l.base[0] = 12;
        served = dispatch_shed_two(pols[p], g, imp, &l, &sh, &lim);
        assert_true(near(served, 17) && near(sh.intr[0], 1) && near(sh.base[0], 0) &&
                    near(sh.base[1], 0) && lim);
        l.base[0] = 14;
        served = dispatch_shed_two(pols[p], g, imp, &l, &sh, &lim);
        assert_true(near(served, 17) && near(sh.intr[0], 2) && near(sh.base[0], 1));
        l.intr[0] = 0;
        l.intr[1] = 2;
        served = dispatch_shed_two(pols[p], g, imp, &l, &sh, &lim);
        assert_true(near(sh.base[0], 1) && near(sh.base[1], 0) && near(sh.intr[1], 1) &&
                    near(served, 18));
        /* without interruptible load its shed is 0, not a copy of the loads */
        sh.intr[0] = sh.intr[1] = 5;
        l = loads2(15, 4, 0, 0, 0, 0);
        dispatch_shed_two(pols[p], g, imp, &l, &sh, &lim);
        assert_true(sh.intr[0] == 0.0 && sh.intr[1] == 0.0);
    }
}

static void test_two_region_hand_day(void **st)
{
    (void)st;
    const double g[2] = {10, 8}, imp[2] = {3, 100};
    dispatch_loads2_t sh;
    int lim;
    /* 1. north base 15, south base 4, miners 2 MW in the south: 21 MW of
     * demand on 18 of supply. The national balance would shed the miners
     * (2) and 1 MW of base. Through the corridor the north gets at most
     * 13 MW: its base loses 2, and the south's 8 MW serve its base (4), the
     * export (3) and 1 MW of mining. Curtailing the southern miners cannot
     * reach the north, so they run, and northern consumers are shed. */
    dispatch_loads2_t l = loads2(15, 4, 0, 2, 0, 0);
    double served = dispatch_shed_two(DISPATCH_MINERS_FIRST, g, imp, &l, &sh, &lim);
    assert_true(near(sh.base[0], 2) && near(sh.base[1], 0) && near(sh.flex[1], 1));
    assert_true(near(served, 18) && lim); /* the north takes its 10 + 3: at the limit */
    /* 2. the miners in the north instead (north base 13 + 2 mining, south
     * base 4: 19 MW on 18): the north's 13 MW reach its base first, so all
     * northern mining is curtailed, 1 MW more than the national balance
     * would shed; 1 MW of southern supply is stranded. */
    l = loads2(13, 4, 2, 0, 0, 0);
    served = dispatch_shed_two(DISPATCH_MINERS_FIRST, g, imp, &l, &sh, &lim);
    assert_true(near(sh.base[0], 0) && near(sh.base[1], 0) && near(sh.flex[0], 2));
    assert_true(near(served, 17) && lim);
    /* 3. a national shortage with a corridor that does not bind: base 13 +
     * 6 on 18 MW (the north imports 3, at the limit, but no more is needed):
     * 1 MW shed in proportion to load, 13:6 */
    l = loads2(13, 6, 0, 0, 0, 0);
    served = dispatch_shed_two(DISPATCH_MINERS_FIRST, g, imp, &l, &sh, &lim);
    assert_true(near(sh.base[0], 13.0 / 19.0) && near(sh.base[1], 6.0 / 19.0));
    assert_true(near(served, 18) && !lim); /* the north imports 2.3 of its 3 */
    /* 4. the proportional split meets the north's bound: base 16 + 1 on 18:
     * pro rata would serve the north 16.94, but it can take only 13, so the
     * south is served whole */
    l = loads2(16, 1, 0, 0, 0, 0);
    served = dispatch_shed_two(DISPATCH_PRO_RATA, g, imp, &l, &sh, &lim);
    assert_true(near(sh.base[0], 3) && near(sh.base[1], 0) && near(served, 14) && lim);
    /* 5. firm_allocation: the firm blocks in the south (3 MW) come first;
     * base (15 + 4) then shares the 15 MW left in proportion to load, which
     * the north's bound (13) allows: 15 x 15/19 north, 15 x 4/19 south */
    l = loads2(15, 4, 0, 0, 0, 3);
    served = dispatch_shed_two(DISPATCH_FIRM_ALLOCATION, g, imp, &l, &sh, &lim);
    assert_true(near(sh.firm[1], 0) && near(sh.base[0], 15 - 15 * 15 / 19.0));
    assert_true(near(sh.base[1], 4 - 15 * 4 / 19.0) && near(served, 18));
    /* 7. the north reaches its bound over two tiers (base 3,496.3, then
     * mining): 3,496.3 + (12,984.1 - 3,496.3) is one ulp below 11,872.2 +
     * 1,111.9 in doubles; the corridor is still at its limit */
    {
        const double g7[2] = {11872.2, 50000}, imp7[2] = {1111.9, 100};
        l = loads2(3496.3, 0, 20000, 0, 0, 0);
        served = dispatch_shed_two(DISPATCH_MINERS_FIRST, g7, imp7, &l, &sh, &lim);
        assert_true(lim && near(sh.base[0], 0) && near(sh.flex[0], 20000 - (12984.1 - 3496.3)));
    }
    /* 6. an unlimited corridor is one region: dispatch_shed's answer */
    const double inf[2] = {INFINITY, INFINITY};
    l = loads2(15, 4, 1, 2, 0.5, 0.5);
    for (int p = 0; p < 3; ++p) {
        double b, f, r;
        dispatch_shed((dispatch_policy_t)p, 23 - 18, 19, 3, 1, &b, &f, &r);
        served = dispatch_shed_two((dispatch_policy_t)p, g, inf, &l, &sh, &lim);
        assert_true(near(sh.base[0] + sh.base[1], b) && near(sh.flex[0] + sh.flex[1], f));
        assert_true(near(sh.firm[0] + sh.firm[1], r) && near(served, 18) && !lim);
    }
}

/*
 * dispatch_two_region against the network engine's min-cost flow on 2,000
 * random hours with integer MW: the flow serves each tier at a reward 10^6
 * times the next tier's, so it maximises tier 0, then tier 1; the tiers'
 * totals must agree, and the greedy's amounts must be deliverable (each
 * region within supply + import, both within total supply).
 */
static void test_two_region_vs_mcf(void **st)
{
    (void)st;
    rng_stream_t s;
    rng_init(&s, 7, 0, 0);
    /* nodes: N, S, 4 loads (2 + 2 tier + region), sink 6; edges: 2 corridor,
     * 4 region -> load, 4 load -> sink, 2 spills */
    enum { NN = 7, NE = 12 };
    void *mem = malloc(mcf_bytes(NN, NE));
    assert_non_null(mem);
    for (int it = 0; it < 2000; ++it) {
        const double g[2] = {floor(rng_uniform(&s) * 20), floor(rng_uniform(&s) * 20)};
        const double imp[2] = {floor(rng_uniform(&s) * 8), floor(rng_uniform(&s) * 8)};
        const size_t nt = 1 + (size_t)(rng_uniform(&s) * 2);
        double load[2][2], x[2][2];
        for (size_t k = 0; k < 2; ++k)
            for (int r = 0; r < 2; ++r)
                load[k][r] = k < nt ? floor(rng_uniform(&s) * 15) : 0.0;
        (void)dispatch_two_region(g, imp, (const double(*)[2])load, nt, x);
        mcf_t m;
        mcf_init(&m, mem, NN, NE);
        const int64_t big = 1000000;
        mcf_edge(&m, 0, 1, 0, (int64_t)imp[0], 0); /* S -> N */
        mcf_edge(&m, 1, 0, 1, (int64_t)imp[1], 0); /* N -> S */
        for (int k = 0; k < 2; ++k)
            for (int r = 0; r < 2; ++r) {
                const int node = 2 + 2 * k + r;
                mcf_edge(&m, node, r, node, (int64_t)load[k][r], k ? -1 : -big);
                mcf_edge(&m, 4 + node, node, 6, MCF_UNLIMITED, 0);
            }
        m.supply[0] = (int64_t)g[0];
        m.supply[1] = (int64_t)g[1];
        m.supply[6] = -(int64_t)(g[0] + g[1]);
        /* spill: what no load takes goes straight to the sink */
        mcf_edge(&m, 10, 0, 6, MCF_UNLIMITED, 0);
        mcf_edge(&m, 11, 1, 6, MCF_UNLIMITED, 0);
        assert_int_equal(mcf_solve(&m), 0);
        for (size_t k = 0; k < nt; ++k) {
            const double flow = (double)(m.flow[2 + 2 * k] + m.flow[3 + 2 * k]);
            assert_true(fabs(x[k][0] + x[k][1] - flow) < 1e-9);
        }
        double u0 = 0, u1 = 0;
        for (size_t k = 0; k < nt; ++k) {
            assert_true(x[k][0] <= load[k][0] + 1e-9 && x[k][1] <= load[k][1] + 1e-9);
            u0 += x[k][0];
            u1 += x[k][1];
        }
        assert_true(u0 <= g[0] + imp[0] + 1e-9 && u1 <= g[1] + imp[1] + 1e-9);
        assert_true(u0 + u1 <= g[0] + g[1] + 1e-9);
    }
    free(mem);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_merit_vs_brute_force),
        cmocka_unit_test(test_merit_saturates_exactly),
        cmocka_unit_test(test_sort_order_stable),
        cmocka_unit_test(test_hydro_conservation_and_shaving),
        cmocka_unit_test(test_hydro_spill_and_zero),
        cmocka_unit_test(test_hydro_every_path),
        cmocka_unit_test(test_hydro_flat_pieces),
        cmocka_unit_test(test_hydro_budget_uses_everything),
        cmocka_unit_test(test_hydro_tiny_budget),
        cmocka_unit_test(test_shedding_policies_hand_day),
        cmocka_unit_test(test_shedding_policies_day_balance),
        cmocka_unit_test(test_two_region_hand_day),
        cmocka_unit_test(test_two_region_interruptible),
        cmocka_unit_test(test_two_region_vs_mcf),
    };
    return cmocka_run_group_tests_name("dispatch", tests, NULL, NULL);
}
