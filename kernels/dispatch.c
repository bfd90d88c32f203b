/* dispatch.c - see dispatch.h. */
#include "dispatch.h"

#include <assert.h>
#include <math.h>

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

/* Upper end of the bracket: no hour runs above the highest net load. */
static double max_net(const double *net, size_t n)
{
    double m = 0.0;
    for (size_t h = 0; h < n; ++h)
        m = net[h] > m ? net[h] : m;
    return m;
}

double dispatch_hydro(const double *restrict net_mw, const double *restrict cap_mw, size_t n,
                      double energy_mwh, double *restrict out_mw)
{
    return dispatch_hydro_counted(net_mw, cap_mw, n, energy_mwh, out_mw, NULL);
}

double dispatch_hydro_counted(const double *restrict net_mw, const double *restrict cap_mw,
                              size_t n, double energy_mwh, double *restrict out_mw, int *levels)
{
    int unused;
    int *tried = levels ? levels : &unused;
    *tried = 1;
    if (!(energy_mwh > 0.0))
        return shave(net_mw, cap_mw, n, INFINITY, out_mw);
    double lo = 0.0, flo = shave(net_mw, cap_mw, n, lo, out_mw);
    if (flo <= energy_mwh)
        return flo; /* everything usable is used; the rest spills */
    double hi = max_net(net_mw, n), fhi = 0.0;
    const double tol = 1e-9 * energy_mwh;
    int side = 0;
    double f = flo;
    for (int it = 0; it < 100 && hi - lo > 1e-9; ++it) {
        /* Illinois: regula falsi, halving the stale end's weight */
        double lvl = hi - (fhi - energy_mwh) * (hi - lo) / (fhi - flo);
        if (!(lvl > lo && lvl < hi))
            lvl = 0.5 * (lo + hi);
        f = shave(net_mw, cap_mw, n, lvl, out_mw);
        ++*tried;
        if (fabs(f - energy_mwh) <= tol)
            return f;
        if (f > energy_mwh) {
            lo = lvl;
            flo = f;
            if (side == -1)
                fhi = energy_mwh + 0.5 * (fhi - energy_mwh);
            side = -1;
        } else {
            hi = lvl;
            fhi = f;
            if (side == 1)
                flo = energy_mwh + 0.5 * (flo - energy_mwh);
            side = 1;
        }
    }
    return f;
}

double dispatch_hydro_ref(const double *restrict net_mw, const double *restrict cap_mw, size_t n,
                          double energy_mwh, double *restrict out_mw)
{
    if (!(energy_mwh > 0.0))
        return shave(net_mw, cap_mw, n, INFINITY, out_mw);
    const double f0 = shave(net_mw, cap_mw, n, 0.0, out_mw);
    if (f0 <= energy_mwh)
        return f0;
    double lo = 0.0, hi = max_net(net_mw, n);
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
    for (size_t k = 0; k < n; ++k) {
        const int c = order[k];
        const double f = floor_share ? floor_share[c] * avail_mw[c] : 0.0;
        const double g = rem < f ? rem : f;
        gen_mw[c] = g;
        rem -= g;
    }
    for (size_t k = 0; k < n; ++k) {
        const int c = order[k];
        const double room = avail_mw[c] - gen_mw[c];
        if (rem >= room) { /* saturated: exactly its availability, no rounding above it */
            gen_mw[c] = avail_mw[c];
            rem -= room;
        } else {
            gen_mw[c] += rem;
            rem = 0.0;
        }
        assert(gen_mw[c] >= 0.0 && gen_mw[c] <= avail_mw[c]); /* dispatch <= available */
        cost += gen_mw[c] * mc_usd_per_mwh[c];
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
