/*
 * scenario.h - a scenario file, loaded, checked and resolved.
 *
 * The YAML is read against the tables in scenario.c and econ_load.c (one
 * row per field: type, unit, bounds, default, meaning; `gridrisk schema`
 * prints them). Unknown keys, wrong types, numbers out of bounds and missing
 * fields are errors naming file, line and field. A file with `base: other.yaml`
 * is that file with this one's keys laid over it, through the same rows.
 * Paths inside a file are relative to that file's directory. After
 * scenario_load succeeds, everything in scenario_t is valid: the simulator
 * checks nothing again.
 *
 * Units: name, type, capacity_mw and either (mttf_h, mttr_h) or (for,
 * mttr_h); if all three are given they must agree (FOR = MTTR/(MTTF+MTTR)
 * within 0.1%). A unit with for = 0 never fails. Each unit's random stream is
 * keyed by a hash of its (unique) name, so adding, removing or reordering
 * units never changes another unit's outage history.
 */
#ifndef GR_SCENARIO_H
#define GR_SCENARIO_H

#include "../model/err.h"
#include "../model/limits.h"
#include "arena.h"
#include "econ.h"

#include <stdint.h>
#include <stdio.h>

typedef struct {
    char *name;
    char *type;
    double capacity_mw;
    double for_;   /* forced outage rate, MTTR / (MTTF + MTTR) */
    double mttf_h; /* INFINITY for a unit that never fails */
    double mttr_h;
    uint32_t stream; /* random stream id, from the name */
    int tech;        /* index into econ->technologies (economic runs), else -1 */
    int region;      /* GR_REGION_*: where it sits (economic runs with a network) */
    gr_src_t src;    /* the CSV row or YAML entry it came from */
} scen_unit_t;

typedef struct {
    char *path;      /* scenario file as given */
    char *yaml_text; /* its full text, stored in the output */
    char *name;
    char *description;
    uint32_t horizon_years;
    size_t hours;             /* hours per year: the length of the load profile */
    const char *profile_path; /* the load profile's CSV */
    double *load_mw;          /* [hours], after peak scaling */
    double peak_mw;
    double energy_mwh; /* one year of the profile */
    size_t n_units;
    scen_unit_t *units;
    double capacity_mw; /* installed total */
    uint64_t trials;    /* default when the command line gives none */
    uint32_t seed;
    /* Economic model (NULL for an adequacy-only run). */
    econ_t *econ;
    econ_scenario_t *scen; /* [n_scen]; scen[0] is the baseline */
    size_t n_scen;
    size_t n_declared;         /* scenarios before a sweep's points */
    const econ_sweep_t *sweep; /* as written (NULL: none) */
    econ_frontier_t *frontier; /* as written (NULL: none) */
    /* Every file the scenario read (itself, its `base:` chain, its CSVs):
     * an output must never overwrite one of them. */
    const char **input_paths;
    const char **input_sha256; /* [n_input_paths] hex digests of what was read */
    size_t n_input_paths;
    uint32_t start_year;  /* calendar label of the first simulated year */
    uint32_t start_month; /* 1-12: calendar month of the first simulated hour */
    arena_t *arena;       /* owns everything above except the struct itself */
} scenario_t;

enum {
    SCENARIO_DEFAULT_TRIALS = 1000,
    SCENARIO_DEFAULT_SEED = 20250525,
    SCENARIO_MAX_YEARS = GR_MAX_YEARS
};

int scenario_load(const char *path, scenario_t **out, gr_err_t *err);
void scenario_free(scenario_t *s);

/* Prints the resolved scenario (for `gridrisk validate`). */
void scenario_print(const scenario_t *s, FILE *f);

/* `gridrisk schema`: the reference table of every input field. */
void scenario_print_schema(FILE *f);

struct csv_table;
/* Reads the CSV file at path (already resolved) into *t and records it
 * (path and digest) as an input of s. */
int scenario_read_csv(scenario_t *s, const char *path, struct csv_table **t, gr_err_t *err);

/* 32-bit FNV-1a of a string, with the top bit set (driver streams use ids
 * below 2^31, so unit and driver streams never collide). */
uint32_t scenario_unit_stream(const char *name);

#endif
