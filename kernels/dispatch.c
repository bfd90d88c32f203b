/* dispatch.c - see dispatch.h. */
#include "dispatch.h"

#include <assert.h>
#include <math.h>

#include "rng.h"

/* Output at water level lvl into out, returning its sum (in hour order: the
 * energy used is the plain sum of the output). */
static double shave(const double *restrict net, const double *restrict cap, size_t n, double lvl,
                    double *restrict out)
{
    double s = 0.0;
    for (size_t h = 0; h < n; ++h) {
        double x = net[h] - lvl;
        x = x > 0.0 ? x : 0.0;
        x = x < cap[h] ? x : cap[h];
        out[h] = x;
        s += x;
    }
    return s;
}

double dispatch_max(const double *x, size_t n)
{
    double m[8] = {0};
    size_t h = 0;
    for (; h + 8 <= n; h += 8)
        for (size_t j = 0; j < 8; ++j)
            m[j] = x[h + j] > m[j] ? x[h + j] : m[j];
    for (size_t j = 0; h < n; ++h, ++j)
        m[j] = x[h] > m[j] ? x[h] : m[j];
    double top = 0.0;
    for (size_t j = 0; j < 8; ++j)
        top = m[j] > top ? m[j] : top;
    return top;
}

/*
 * The search's evaluation of a level: f(lvl) = sum_h clamp(net_h - lvl, 0,
 * cap_h) and, in *active, how many hours are strictly inside the clamp (f's
 * slope there is -active). Eight running sums, one per hour of each group of
 * eight, not one: a single sum is a chain of dependent additions, which was
 * the whole cost of the search when it had one. Every path keeps the same
 * eight sums (one 8-wide, two 4-wide or four 2-wide vectors) and combines
 * them in the same order, so all give the same bits; they differ from the
 * hour-order sum in the last bits, so the level found is shaved once more,
 * in hour order, for the output and the energy returned. x86's max and min
 * are x > 0 ? x : 0 and y < c ? y : c, as the scalar code writes them.
 */
#define LEVEL_LANES 8

static double level_combine(const double *t, const double *a, double *active)
{
    *active = ((a[0] + a[4]) + (a[1] + a[5])) + ((a[2] + a[6]) + (a[3] + a[7]));
    return ((t[0] + t[4]) + (t[1] + t[5])) + ((t[2] + t[6]) + (t[3] + t[7]));
}

/* The hours after the last whole group of eight, into lanes 0.. */
static void level_tail(const double *restrict net, const double *restrict cap, size_t h, size_t n,
                       double lvl, double *t, double *a)
{
    for (size_t j = 0; h < n; ++h, ++j) {
        const double x = net[h] - lvl, c = cap[h];
        const double y = x > 0.0 ? x : 0.0;
        t[j] += y < c ? y : c;
        a[j] += (double)((x > 0.0) & (y < c));
    }
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

static double level_sum_sse2(const double *restrict net, const double *restrict cap, size_t n,
                             double lvl, double *active)
{
    const __m128d L = _mm_set1_pd(lvl), zero = _mm_setzero_pd(), one = _mm_set1_pd(1.0);
    __m128d s[4] = {zero, zero, zero, zero}, k[4] = {zero, zero, zero, zero};
    size_t h = 0;
    for (; h + LEVEL_LANES <= n; h += LEVEL_LANES)
        for (int v = 0; v < 4; ++v) {
            const __m128d x = _mm_sub_pd(_mm_loadu_pd(net + h + 2 * v), L);
            const __m128d c = _mm_loadu_pd(cap + h + 2 * v);
            const __m128d y = _mm_max_pd(x, zero);
            s[v] = _mm_add_pd(s[v], _mm_min_pd(y, c));
            const __m128d in = _mm_and_pd(_mm_cmpgt_pd(x, zero), _mm_cmplt_pd(y, c));
            k[v] = _mm_add_pd(k[v], _mm_and_pd(in, one));
        }
    double t[LEVEL_LANES], a[LEVEL_LANES];
    for (int v = 0; v < 4; ++v) {
        _mm_storeu_pd(t + 2 * v, s[v]);
        _mm_storeu_pd(a + 2 * v, k[v]);
    }
    level_tail(net, cap, h, n, lvl, t, a);
    return level_combine(t, a, active);
}
#define LEVEL_SUM_PORTABLE level_sum_sse2

#ifdef RNG_ISA_WIDE
/* The wider paths, chosen at run time as kernels/rng.c chooses its own
 * (rng_isa_best; -DGR_RNG_PORTABLE leaves only SSE2). */
__attribute__((target("avx2"))) static double level_sum_avx2(const double *restrict net,
                                                             const double *restrict cap, size_t n,
                                                             double lvl, double *active)
{
    const __m256d L = _mm256_set1_pd(lvl), zero = _mm256_setzero_pd(), one = _mm256_set1_pd(1.0);
    __m256d s[2] = {zero, zero}, k[2] = {zero, zero};
    size_t h = 0;
    for (; h + LEVEL_LANES <= n; h += LEVEL_LANES)
        for (int v = 0; v < 2; ++v) {
            const __m256d x = _mm256_sub_pd(_mm256_loadu_pd(net + h + 4 * v), L);
            const __m256d c = _mm256_loadu_pd(cap + h + 4 * v);
            const __m256d y = _mm256_max_pd(x, zero);
            s[v] = _mm256_add_pd(s[v], _mm256_min_pd(y, c));
            const __m256d in =
                _mm256_and_pd(_mm256_cmp_pd(x, zero, _CMP_GT_OQ), _mm256_cmp_pd(y, c, _CMP_LT_OQ));
            k[v] = _mm256_add_pd(k[v], _mm256_and_pd(in, one));
        }
    double t[LEVEL_LANES], a[LEVEL_LANES];
    for (int v = 0; v < 2; ++v) {
        _mm256_storeu_pd(t + 4 * v, s[v]);
        _mm256_storeu_pd(a + 4 * v, k[v]);
    }
    level_tail(net, cap, h, n, lvl, t, a);
    return level_combine(t, a, active);
}

__attribute__((target("avx512f"))) static double level_sum_avx512(const double *restrict net,
                                                                  const double *restrict cap,
                                                                  size_t n, double lvl,
                                                                  double *active)
{
    const __m512d L = _mm512_set1_pd(lvl), zero = _mm512_setzero_pd(), one = _mm512_set1_pd(1.0);
    __m512d s = zero, k = zero;
    size_t h = 0;
    for (; h + LEVEL_LANES <= n; h += LEVEL_LANES) {
        const __m512d x = _mm512_sub_pd(_mm512_loadu_pd(net + h), L);
        const __m512d c = _mm512_loadu_pd(cap + h);
        const __m512d y = _mm512_max_pd(x, zero);
        s = _mm512_add_pd(s, _mm512_min_pd(y, c));
        const __mmask8 in =
            _mm512_cmp_pd_mask(x, zero, _CMP_GT_OQ) & _mm512_cmp_pd_mask(y, c, _CMP_LT_OQ);
        k = _mm512_mask_add_pd(k, in, k, one);
    }
    double t[LEVEL_LANES], a[LEVEL_LANES];
    _mm512_storeu_pd(t, s);
    _mm512_storeu_pd(a, k);
    level_tail(net, cap, h, n, lvl, t, a);
    return level_combine(t, a, active);
}
#define LEVEL_DISPATCH 1
#endif
#else
/* Elsewhere: the same eight sums in plain C. */
static double level_sum_lanes(const double *restrict net, const double *restrict cap, size_t n,
                              double lvl, double *active)
{
    double t[LEVEL_LANES] = {0}, a[LEVEL_LANES] = {0};
    const size_t whole = n / LEVEL_LANES * LEVEL_LANES;
    for (size_t h = 0; h < whole; h += LEVEL_LANES)
        level_tail(net, cap, h, h + LEVEL_LANES, lvl, t, a);
    level_tail(net, cap, whole, n, lvl, t, a);
    return level_combine(t, a, active);
}
#define LEVEL_SUM_PORTABLE level_sum_lanes
#endif

typedef double (*level_fn)(const double *restrict, const double *restrict, size_t, double,
                           double *);

static level_fn level_of(rng_isa_t isa)
{
#ifdef LEVEL_DISPATCH
    if (isa == RNG_ISA_AVX512)
        return level_sum_avx512;
    if (isa == RNG_ISA_AVX2)
        return level_sum_avx2;
#endif
    (void)isa;
    return LEVEL_SUM_PORTABLE;
}

double dispatch_hydro(const double *restrict net_mw, const double *restrict cap_mw, size_t n,
                      double energy_mwh, double *restrict out_mw)
{
    return dispatch_hydro_counted(net_mw, cap_mw, n, energy_mwh, out_mw, NULL);
}

double dispatch_hydro_counted(const double *restrict net_mw, const double *restrict cap_mw,
                              size_t n, double energy_mwh, double *restrict out_mw, int *levels)
{
    return dispatch_hydro_isa(rng_isa_best(), net_mw, cap_mw, n, energy_mwh, out_mw, levels);
}

/*
 * Newton's method on the piecewise-linear f, safeguarded by bisection: from
 * the last level tried, the step to where f's current segment (slope
 * -active) meets the budget, exact once the level's segment holds the root;
 * a step that leaves the bracket [lo, hi] (f(lo) > E > f(hi)), or that f's
 * flat piece cannot give, is replaced by the bracket's midpoint. On the
 * Pakistan default's months this tries 4.9 levels a month (at most 14; each
 * a vector pass), then one hour-order pass for the output; the Illinois
 * method (regula falsi) made 7.3 single-sum passes, its last the output,
 * and Newton steps with Illinois as the fallback 5.3 levels (at most 21):
 * a halved bracket brings Newton close sooner than a regula falsi step.
 */
double dispatch_hydro_isa(rng_isa_t isa, const double *restrict net_mw,
                          const double *restrict cap_mw, size_t n, double energy_mwh,
                          double *restrict out_mw, int *levels)
{
    int unused;
    int *tried = levels ? levels : &unused;
    *tried = 1;
    if (!(energy_mwh > 0.0))
        return shave(net_mw, cap_mw, n, INFINITY, out_mw);
    const level_fn level = level_of(isa);
    double act, lvl = 0.0;
    double f = level(net_mw, cap_mw, n, lvl, &act);
    if (f <= energy_mwh)
        return shave(net_mw, cap_mw, n, lvl, out_mw); /* all usable is used; the rest spills */
    double lo = 0.0, hi = dispatch_max(net_mw, n);    /* no hour above the highest net load */
    const double tol = 1e-9 * energy_mwh;
    for (int it = 0; it < 100 && hi - lo > 1e-9; ++it) {
        double next = act > 0.0 ? lvl + (f - energy_mwh) / act : NAN;
        if (!(next > lo && next < hi))
            next = 0.5 * (lo + hi);
        lvl = next;
        f = level(net_mw, cap_mw, n, lvl, &act);
        ++*tried;
        if (fabs(f - energy_mwh) <= tol)
            break;
        if (f > energy_mwh)
            lo = lvl;
        else
            hi = lvl;
    }
    return shave(net_mw, cap_mw, n, lvl, out_mw);
}

double dispatch_hydro_ref(const double *restrict net_mw, const double *restrict cap_mw, size_t n,
                          double energy_mwh, double *restrict out_mw)
{
    if (!(energy_mwh > 0.0))
        return shave(net_mw, cap_mw, n, INFINITY, out_mw);
    const double f0 = shave(net_mw, cap_mw, n, 0.0, out_mw);
    if (f0 <= energy_mwh)
        return f0;
    double lo = 0.0, hi = dispatch_max(net_mw, n);
    for (int it = 0; it < 200; ++it) {
        const double mid = 0.5 * (lo + hi);
        if (shave(net_mw, cap_mw, n, mid, out_mw) > energy_mwh)
            lo = mid;
        else
            hi = mid;
    }
    return shave(net_mw, cap_mw, n, 0.5 * (lo + hi), out_mw);
}

double dispatch_limited(const double *restrict resid_mw, const double *restrict other_mw,
                        const double *restrict cap_mw, size_t n, double energy_mwh, int ref,
                        double *restrict scratch, double *restrict out_mw)
{
    double *restrict need = scratch, *restrict r2 = scratch + n, *restrict c2 = scratch + 2 * n;
    double f = 0.0;
    for (size_t h = 0; h < n; ++h) {
        double x = resid_mw[h] - other_mw[h];
        x = x > 0.0 ? x : 0.0;
        r2[h] = x;
        x = x < cap_mw[h] ? x : cap_mw[h];
        need[h] = x;
        f += x;
    }
    const double e = energy_mwh > 0.0 ? energy_mwh : 0.0;
    /* not even the shortage hours can all be covered: the largest shortfall
     * first, levelled on the whole shortfall (r2), not on the part the cap
     * lets this source cover, so an hour short by more than the cap still
     * ranks above one short by exactly the cap */
    if (f >= e)
        return ref ? dispatch_hydro_ref(r2, need, n, e, out_mw)
                   : dispatch_hydro(r2, need, n, e, out_mw);
    for (size_t h = 0; h < n; ++h) {
        r2[h] = resid_mw[h] - need[h];
        c2[h] = cap_mw[h] - need[h];
    }
    const double used = ref ? dispatch_hydro_ref(r2, c2, n, e - f, out_mw)
                            : dispatch_hydro(r2, c2, n, e - f, out_mw);
    for (size_t h = 0; h < n; ++h)
        out_mw[h] += need[h];
    return used + f;
}

double dispatch_merit(double need_mw, const double *restrict avail_mw,
                      const double *restrict floor_share, const double *restrict mc_usd_per_mwh,
                      const int *restrict order, size_t n, double *restrict gen_mw,
                      double *unmet_mw)
{
    double cost = 0.0, rem = need_mw > 0.0 ? need_mw : 0.0;
    for (size_t k = 0; floor_share && k < n; ++k) {
        const int c = order[k];
        const double f = floor_share[c] * avail_mw[c];
        const double g = rem < f ? rem : f;
        gen_mw[c] = g;
        rem -= g;
    }
    /* which class is the marginal one changes from hour to hour, so the
     * saturated / marginal choice is a select, not a branch */
    for (size_t k = 0; k < n; ++k) {
        const int c = order[k];
        const double g0 = floor_share ? gen_mw[c] : 0.0;
        const double room = avail_mw[c] - g0;
        const int full = rem >= room;
        /* saturated: exactly its availability, no rounding above it */
        const double g = full ? avail_mw[c] : g0 + rem;
        rem = full ? rem - room : 0.0;
        gen_mw[c] = g;
        assert(g >= 0.0 && g <= avail_mw[c]); /* dispatch <= available */
        cost += g * mc_usd_per_mwh[c];
    }
    *unmet_mw = rem;
    return cost;
}

void dispatch_shed(dispatch_policy_t p, double shortfall_mw, double base_mw, double flex_mw,
                   double firm_mw, double *shed_base, double *shed_flex, double *shed_firm)
{
    double sb = 0.0, sf = 0.0, sr = 0.0, s = shortfall_mw > 0.0 ? shortfall_mw : 0.0;
    const double total = base_mw + flex_mw + firm_mw;
    s = s < total ? s : total;
    if (s > 0.0) {
        switch (p) {
        case DISPATCH_MINERS_FIRST: {
            sf = s < flex_mw ? s : flex_mw;
            const double rem = s - sf, bf = base_mw + firm_mw;
            sb = bf > 0.0 ? rem * base_mw / bf : 0.0;
            sr = rem - sb;
            break;
        }
        case DISPATCH_PRO_RATA:
            sb = s * base_mw / total;
            sf = s * flex_mw / total;
            sr = s - sb - sf;
            break;
        case DISPATCH_FIRM_ALLOCATION: {
            sb = s < base_mw ? s : base_mw;
            const double rem = s - sb, ff = flex_mw + firm_mw;
            sf = ff > 0.0 ? rem * flex_mw / ff : 0.0;
            sr = rem - sf;
            break;
        }
        }
    }
    *shed_base = sb;
    *shed_flex = sf;
    *shed_firm = sr > 0.0 ? sr : 0.0;
}

int dispatch_two_region(const double supply_mw[2], const double import_mw[2],
                        const double (*load_mw)[2], size_t n_tiers, double (*served_mw)[2])
{
    double used0 = 0.0, used1 = 0.0, load = 0.0;
    for (size_t k = 0; k < n_tiers; ++k) {
        const double l0 = load_mw[k][0], l1 = load_mw[k][1];
        load += l0 + l1;
        double c0 = supply_mw[0] + import_mw[0] - used0, c1 = supply_mw[1] + import_mw[1] - used1;
        c0 = c0 < l0 ? c0 : l0;
        c1 = c1 < l1 ? c1 : l1;
        c0 = c0 > 0.0 ? c0 : 0.0;
        c1 = c1 > 0.0 ? c1 : 0.0;
        double tot = supply_mw[0] + supply_mw[1] - used0 - used1;
        tot = tot > 0.0 ? tot : 0.0;
        double x0 = c0, x1 = c1;
        if (c0 + c1 > tot) { /* short: the loss in proportion to load, within the bounds */
            const double q = tot * (l0 / (l0 + l1));
            x0 = q < c0 ? q : c0;
            x1 = tot - x0;
            if (x1 > c1) { /* the south at its bound: give it exactly that */
                x1 = c1;
                x0 = tot - c1;
            }
        }
        served_mw[k][0] = x0;
        served_mw[k][1] = x1;
        used0 += x0;
        used1 += x1;
    }
    const double tol = 1e-9 * (1.0 + load);
    return used0 + used1 < load - tol && (used0 >= supply_mw[0] + import_mw[0] - tol ||
                                          used1 >= supply_mw[1] + import_mw[1] - tol);
}

/* Which loads form each tier of a policy, most protected first. */
enum { L_BASE = 1, L_FLEX = 2, L_FIRM = 4, L_INTR = 8 };

double dispatch_shed_two(dispatch_policy_t p, const double supply_mw[2], const double import_mw[2],
                         const dispatch_loads2_t *load, dispatch_loads2_t *shed, int *at_limit)
{
    int tiers[3] = {L_BASE | L_FIRM, L_FLEX, L_INTR};
    size_t nt = 2;
    if (p == DISPATCH_PRO_RATA) {
        tiers[0] = L_BASE | L_FLEX | L_FIRM;
        tiers[1] = L_INTR;
        nt = 1;
    } else if (p == DISPATCH_FIRM_ALLOCATION) {
        tiers[0] = L_FLEX | L_FIRM;
        tiers[1] = L_BASE;
    }
    /* interruptible load, when there is any, is the last tier served */
    nt += load->intr[0] > 0.0 || load->intr[1] > 0.0;
    shed->intr[0] = shed->intr[1] = 0.0;
    double l[3][2], x[3][2];
    for (size_t k = 0; k < nt; ++k)
        for (int r = 0; r < 2; ++r)
            l[k][r] = ((tiers[k] & L_BASE) ? load->base[r] : 0.0) +
                      ((tiers[k] & L_FLEX) ? load->flex[r] : 0.0) +
                      ((tiers[k] & L_FIRM) ? load->firm[r] : 0.0) +
                      ((tiers[k] & L_INTR) ? load->intr[r] : 0.0);
    *at_limit = dispatch_two_region(supply_mw, import_mw, (const double(*)[2])l, nt, x);
    double served = 0.0;
    for (size_t k = 0; k < nt; ++k)
        for (int r = 0; r < 2; ++r) {
            /* the tier's unserved share, the same for each of its loads */
            double lost = l[k][r] > 0.0 ? 1.0 - x[k][r] / l[k][r] : 0.0;
            lost = lost > 0.0 ? lost : 0.0; /* x <= l, but tot - c can round an ulp above */
            if (tiers[k] & L_BASE)
                shed->base[r] = load->base[r] * lost;
            if (tiers[k] & L_FLEX)
                shed->flex[r] = load->flex[r] * lost;
            if (tiers[k] & L_FIRM)
                shed->firm[r] = load->firm[r] * lost;
            if (tiers[k] & L_INTR)
                shed->intr[r] = load->intr[r] * lost;
            served += x[k][r];
        }
    return served;
}

void dispatch_sort_order(const double *mc, int *order, size_t n)
{
    for (size_t i = 0; i < n; ++i)
        order[i] = (int)i;
    for (size_t i = 1; i < n; ++i) {
        const int x = order[i];
        size_t j = i;
        while (j > 0 && mc[order[j - 1]] > mc[x]) {
            order[j] = order[j - 1];
            --j;
        }
        order[j] = x;
    }
}
