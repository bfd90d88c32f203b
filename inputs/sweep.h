/*
 * sweep.h - a scenario file's `sweep:` made into scenarios (docs/MODEL.md
 * s.1b): every variant at every total MW of the grid (and every tariff of
 * the list, if one is given) becomes a scenario after the declared ones, so
 * the whole sweep runs on the same draws and every point is paired with the
 * baseline and with every other point.
 */
#ifndef GR_SWEEP_H
#define GR_SWEEP_H

#include "../model/err.h"
#include "scenario.h"

/* The tables of `sweep:` (its variants are `scenarios[]` entries) and of
 * `frontier:`. */
extern const schema_section_t sweep_section;
extern const schema_section_t frontier_section;

/* Appends the sweep's points to s->scen (from s->arena) and marks the
 * declared scenarios as no point (variant NULL, MW and tariff NAN). A point
 * is named "<variant>_<MW>mw" ("_<tariff>pkr" added with a tariff list); its
 * blocks are the variant's, each MW scaled by the point's total over the
 * variant's and, with a tariff list, billed at the point's tariff. Errors
 * name the file and line: a grid that is not [from, to, step] with step > 0
 * and to >= from, a variant without MW, a point name over GR_MAX_NAME_LEN,
 * more than GR_MAX_SWEEP_POINTS points. */
int sweep_expand(scenario_t *s, const econ_sweep_t *sw, gr_err_t *err);

/* The MW a variant's blocks add up to: the shares a point's total is split
 * in. */
double sweep_total_mw(const econ_scenario_t *v);

/* v's blocks at total mw into blk[v->blocks_count]: each block's MW scaled
 * by mw / sweep_total_mw(v) (total_mw), billed at tariff t (NAN: its own). */
void sweep_scale_blocks(const econ_scenario_t *v, double total_mw, double mw, double t,
                        econ_block_t *blk);

/* A frontier's checks across fields: it needs sweep.variants (the
 * allocations it bisects), each limit names a metric of the economic model
 * (its index is filled in), and gap_mw is below mw_max. */
int sweep_check_frontier(scenario_t *s, gr_err_t *err);

/* A frontier limit's quantile as its CSV columns and the report name it:
 * 100 q with %g ("95" for 0.95), into buf. sweep_check_frontier refuses two
 * limits on one metric with the same label, and labels "100" and "0". */
void sweep_quantile_label(double quantile, char *buf, size_t n);

#endif
