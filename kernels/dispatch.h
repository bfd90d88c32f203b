/*
 * dispatch.h - one hour's (and one month's hydro) balance of supply and
 * demand (docs/MODEL.md s.5).
 *
 * Hydro is energy-limited: in a month with budget E it shaves the highest
 * net-load hours first. With net load n_h and available hydro capacity c_h
 * it runs h_h = clamp(n_h - L, 0, c_h), where the water level L solves
 * sum_h h_h = E. If even L = 0 cannot use E (sum_h clamp(n_h, 0, c_h) <= E),
 * the rest is spilled. f(L) = sum_h clamp(n_h - L, 0, c_h) is continuous,
 * piecewise linear and non-increasing, so the level is unique where f is
 * strictly decreasing. The fast solver takes Newton steps on f (exact on the
 * segment that holds the root; f's slope is minus the hours strictly inside
 * their clamp), safeguarded by bisection of a bracket; the reference is
 * plain bisection.
 *
 * Thermal classes are loaded in merit order (sorted once a month by the
 * caller) until the need is met: for linear costs and capacity bounds that
 * is the least-cost dispatch (tests compare it with a brute-force search).
 * A class may carry a floor (must-take output, e.g. take-or-pay LNG): all
 * floors are loaded first (in merit order, up to the need), then the rest
 * of every class in merit order: the least-cost dispatch given the floors.
 *
 * Shortfall is shed by policy (flexible = Bitcoin mining, firm = AI data
 * centres, base = all other consumers):
 *   MINERS_FIRST     flexible first, then base and firm pro rata;
 *   PRO_RATA         everyone in proportion to load;
 *   FIRM_ALLOCATION  base first (allocated blocks served first), then
 *                    flexible and firm pro rata.
 */
#ifndef GR_DISPATCH_H
#define GR_DISPATCH_H

#include <stddef.h>

#include "rng.h"

typedef enum {
    DISPATCH_MINERS_FIRST = 0,
    DISPATCH_PRO_RATA = 1,
    DISPATCH_FIRM_ALLOCATION = 2
} dispatch_policy_t;

/* The largest of x[0..n), at least +0: eight running maxima, not one chain
 * of dependent comparisons; a maximum is the same whatever the order (NaN
 * is never taken, and +0 is never replaced by -0), so this is the
 * one-chain result bit for bit. */
double dispatch_max(const double *x, size_t n);

/* Hydro output out[n] for budget energy_mwh (1-hour steps); returns the
 * energy used, the plain sum of out: energy_mwh unless spilled, to 1e-9 of
 * it (as the search sums the hours; the returned sum, added in hour order,
 * may differ from that by rounding, about n ulps), or as close as a level
 * bracketed to 1e-9 MW gives (tiny budgets), or after 101 levels (loads so
 * large that doubles near them are further apart than that). */
double dispatch_hydro(const double *restrict net_mw, const double *restrict cap_mw, size_t n,
                      double energy_mwh, double *restrict out_mw);
double dispatch_hydro_ref(const double *restrict net_mw, const double *restrict cap_mw, size_t n,
                          double energy_mwh, double *restrict out_mw);
/* dispatch_hydro, also storing in *levels (if not NULL) how many water
 * levels it tried, each a pass over the month: the fast solver's cost, which
 * its test bounds (bisection, the reference, tries about 200). */
double dispatch_hydro_counted(const double *restrict net_mw, const double *restrict cap_mw,
                              size_t n, double energy_mwh, double *restrict out_mw, int *levels);
/* The same on a given vector path (isa <= rng_isa_best()): tests and bench.
 * Every path gives the same bits. */
double dispatch_hydro_isa(rng_isa_t isa, const double *restrict net_mw,
                          const double *restrict cap_mw, size_t n, double energy_mwh,
                          double *restrict out_mw, int *levels);

/*
 * An energy-limited source over one month (hydro; a gas-fired class with a
 * fuel budget): out[h] in [0, cap[h]], sum out <= energy_mwh. It first
 * covers need[h] = clamp(resid[h] - other[h], 0, cap[h]), the residual load
 * that the sources dispatched after it (other[h] MW) cannot serve, where
 * need is largest (shortage hours first: they decide shedding; if the energy
 * cannot cover them all, the shortfalls resid - other are levelled, so the
 * largest falls first even where the cap keeps this source from covering
 * it); what is left
 * shaves the highest residual hours, as dispatch_hydro does, displacing the
 * costliest generation. With other = INFINITY everywhere this is
 * dispatch_hydro. ref selects the bisection solver. scratch: 3n doubles.
 * Returns the energy used (less than energy_mwh only if it cannot be used).
 */
double dispatch_limited(const double *restrict resid_mw, const double *restrict other_mw,
                        const double *restrict cap_mw, size_t n, double energy_mwh, int ref,
                        double *restrict scratch, double *restrict out_mw);

/* Loads classes in the given order (order[k] = class index) up to need_mw,
 * floors first: class c's floor is floor_share[c] x avail_mw[c] (floor_share
 * may be NULL: no floors);
 * gen_mw[class] receives each output; returns the cost (sum gen x mc) and
 * stores the energy left unmet (need beyond total availability) in *unmet. */
double dispatch_merit(double need_mw, const double *restrict avail_mw,
                      const double *restrict floor_share, const double *restrict mc_usd_per_mwh,
                      const int *restrict order, size_t n, double *restrict gen_mw,
                      double *unmet_mw);

/* Splits shortfall_mw between base, flexible and firm loads. */
void dispatch_shed(dispatch_policy_t p, double shortfall_mw, double base_mw, double flex_mw,
                   double firm_mw, double *shed_base, double *shed_flex, double *shed_firm);

/* One hour's loads in two regions (index 0 north, 1 south), or what each
 * loses. */
typedef struct {
    double base[2], flex[2], firm[2];
    double intr[2]; /* interruptible blocks: shed before every other load, under any policy */
} dispatch_loads2_t;

/*
 * Two regions joined by one corridor (docs/MODEL.md s.2b): load tiers are
 * served in order, most protected first. supply_mw[r] is what region r can
 * generate, import_mw[r] the most the corridor can bring into it. Amounts
 * (x0, x1) can be delivered exactly when x_r <= supply_r + import_r and
 * x0 + x1 <= supply0 + supply1 (the other region's surplus carries the
 * import), so each tier takes the most these bounds leave after the tiers
 * before it; a tier that cannot be served whole loses in proportion to its
 * load in each region, as far as each region's bound allows. That is
 * lexicographically optimal: no other flow serves a tier more without
 * serving an earlier one less. load_mw[k][r] in, served_mw[k][r] out.
 * Returns 1 when the corridor is at its limit: some load is not served and
 * a region takes all it can import (the corridor then decides who is
 * shed), else 0.
 */
int dispatch_two_region(const double supply_mw[2], const double import_mw[2],
                        const double (*load_mw)[2], size_t n_tiers, double (*served_mw)[2]);

/*
 * Sheds what two regions cannot serve, system-wide by policy p: its tiers
 * (miners_first: base and firm, then flexible; pro_rata: all one tier;
 * firm_allocation: the blocks, then base; interruptible blocks after all
 * of them, under every policy) through dispatch_two_region, so a
 * block is curtailed before base consumers only where its curtailment can
 * reach them through the corridor. Loads of one tier in one region lose the
 * same share. Writes each load's shed MW into shed and dispatch_two_region's
 * verdict on the corridor into *at_limit; returns the MW served.
 */
double dispatch_shed_two(dispatch_policy_t p, const double supply_mw[2], const double import_mw[2],
                         const dispatch_loads2_t *load, dispatch_loads2_t *shed, int *at_limit);

/* Sorts order[0..n) by mc ascending (insertion sort: n is small); ties keep
 * index order, so classes of equal cost run in the order they are listed. */
void dispatch_sort_order(const double *mc, int *order, size_t n);

#endif
