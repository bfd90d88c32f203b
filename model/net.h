/*
 * net.h - a multi-region system in PRAS's terms (the SystemModel of NREL's
 * Probabilistic Resource Adequacy Suite): regions with loads, generators,
 * storages and generator-storages in regions, interfaces between regions
 * made of lines. Every time-varying property is a [steps][entities]
 * row-major array, as in the .pras file, so a trial walks memory forward.
 *
 * Quantities stay in the file's integer units: power in `power_unit` per
 * step, energy in `energy_unit`. PRAS dispatches in integers and rounds
 * storage energy to integers (see netsim.c); keeping its units keeps its
 * rounding. mw_per_unit and step_h convert for the output.
 *
 * Invariants a loader guarantees (pras.c checks each and refuses the file
 * otherwise): every count and index is in range, every integer is in
 * [0, NET_CAP_MAX], every probability and efficiency in [0, 1], every
 * region index < n_regions, every line's interface index < n_ifaces, and
 * each interface joins two different regions. pras.c also stores every
 * interface from the lower region index to the higher (from < to) and
 * every line's capacities in its interface's direction, as PRAS does.
 */
#ifndef GR_NET_H
#define GR_NET_H

#include <stddef.h>
#include <stdint.h>

/* The spec stores powers and energies as unsigned 32-bit integers; PRAS's
 * "unlimited" interface is 2^32 - 1. */
#define NET_CAP_MAX 4294967295LL

/* What every resource has: names, a home (region, or interface for lines)
 * and two-state Markov outages with per-step transition probabilities. */
typedef struct {
    uint32_t n;
    const char **name;     /* [n] */
    const char **category; /* [n] */
    uint32_t *home;        /* [n] region index (lines: interface index) */
    double *fail;          /* [steps][n] P(up -> down) during a step */
    double *repair;        /* [steps][n] P(down -> up) during a step */
} net_assets_t;

typedef struct {
    net_assets_t a;
    int64_t *cap; /* [steps][n] power */
} net_gens_t;

/* Storages and generator-storages; the last three arrays are NULL for
 * plain storages. */
typedef struct {
    net_assets_t a;
    int64_t *charge_cap;    /* [steps][n] power */
    int64_t *discharge_cap; /* [steps][n] power */
    int64_t *energy_cap;    /* [steps][n] energy */
    double *charge_eff;     /* [steps][n] */
    double *discharge_eff;  /* [steps][n] */
    double *carryover_eff;  /* [steps][n] */
    int64_t *inflow;        /* [steps][n] power (generator-storages) */
    int64_t *withdraw_cap;  /* [steps][n] power from the grid (generator-storages) */
    int64_t *inject_cap;    /* [steps][n] power to the grid (generator-storages) */
} net_stors_t;

typedef struct {
    uint32_t n;
    uint32_t *from, *to; /* [n] region indices */
    int64_t *fwd_cap;    /* [steps][n] from -> to */
    int64_t *bwd_cap;    /* [steps][n] to -> from */
} net_ifaces_t;

typedef struct {
    net_assets_t a;   /* a.home: interface index */
    int64_t *fwd_cap; /* [steps][n] its interface's from -> to */
    int64_t *bwd_cap; /* [steps][n] to -> from */
} net_lines_t;

typedef struct net_sys {
    char version[16];         /* pras_dataversion, e.g. "v0.8.0" */
    char start_timestamp[32]; /* ISO-8601 as in the file */
    uint32_t steps;
    uint32_t step_length; /* in step_unit */
    char step_unit[8];    /* "sec", "min", "h" or "d" */
    double step_h;        /* one step in hours */
    char power_unit[8];   /* "kW", "MW", "GW", "TW" */
    char energy_unit[8];  /* "kWh", ... */
    double mw_per_unit;   /* MW in one power unit */
    double mwh_per_unit;  /* MWh in one energy unit */
    /* Energy units delivered by one power unit over one step (PRAS's
     * conversionfactor): 1 for MW, 1 h, MWh; 1/12 for 5-minute steps. */
    double energy_per_power_step;

    uint32_t n_regions;
    const char **region_name; /* [n_regions] */
    int64_t *load;            /* [steps][n_regions] power */

    net_gens_t gens;
    net_stors_t stors;
    net_stors_t genstors;
    net_ifaces_t ifaces;
    net_lines_t lines;

    void *owner; /* the loader's arena; net_free releases everything */
} net_sys_t;

/* Frees a system built by a loader (NULL is fine). */
void net_free(net_sys_t *sys);

#endif
