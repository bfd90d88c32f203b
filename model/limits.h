/*
 * limits.h - every hard limit of gridrisk, named once.
 *
 * Each bound keeps an accepted input from overflowing an array size, hanging
 * the simulator or exhausting memory before the memory estimate can speak.
 * The input schema (inputs/schema_*.c) and the HDF5 reader refer to these
 * names; `gridrisk schema` prints them.
 */
#ifndef GR_LIMITS_H
#define GR_LIMITS_H

enum {
    GR_MAX_NAME_LEN = 63,       /* scenario, block, technology and unit names (bytes) */
    GR_MAX_TEXT_LEN = 4096,     /* free text such as description */
    GR_MAX_YEARS = 100,         /* horizon_years */
    GR_MIN_HOURS = 24,          /* rows of a load profile */
    GR_MAX_HOURS = 8784,        /* rows of a load profile: one leap year */
    GR_MAX_UNITS = 100000,      /* generating units after `count` expansion */
    GR_MAX_UNIT_COUNT = 10000,  /* `count` of one unit row */
    GR_MAX_TECHS = 64,          /* economics.technologies */
    GR_MAX_SCENARIOS = 16,      /* scenarios declared in a file (scenarios:, sweep.variants) */
    GR_MAX_SWEEP_POINTS = 240,  /* points of one sweep: variants x tariffs x MW values */
    GR_MAX_RUN_SCENARIOS = 256, /* scenarios of one run: the declared and the sweep's points */
    GR_MAX_BLOCKS = 16,         /* allocated blocks of one scenario */
    GR_MAX_BASE_DEPTH = 8,      /* chain of `base:` files */
    GR_MAX_YAML_NODES = 200000, /* YAML nodes visited (bounds alias expansion) */
    GR_MAX_YAML_DEPTH = 32,     /* nesting of YAML lists and mappings */
    GR_MAX_YAML_ANCHORS = 1000, /* YAML anchors (&name) of one file */
    GR_MAX_YAML_ALIASES = 1000, /* YAML aliases (*name) of one file */
    GR_MAX_METRICS = 64         /* metrics or drivers named in a result file */
};

/* Trials of one run: the command line and run.trials share this bound; the
 * memory estimate refuses most runs long before it. */
#define GR_MAX_TRIALS 1000000000ULL
/* Largest CSV file read, in bytes. A profile of 8,784 rows is under 1 MiB
 * and 100,000 units about 5 MiB; the reader's index costs up to 16 bytes per
 * input byte, so this also bounds its memory. */
#define GR_MAX_INPUT_BYTES (16L * 1024 * 1024)
/* Largest scenario (YAML) file: libyaml holds every node in memory (about
 * 100 bytes each), so 4 MiB bounds a parse at a few hundred MB; long unit
 * lists belong in units.csv. */
#define GR_MAX_YAML_BYTES (4L * 1024 * 1024)

/* PRAS system files (.pras, inputs/pras.c). Timesteps: a million is over a
 * century of hours or nine years of 5-minute steps; what bounds memory is
 * GR_MAX_PRAS_VALUES. */
#define GR_MAX_PRAS_STEPS 1000000L
/* Regions, generators, storages, ... lines: each at most this many. */
#define GR_MAX_PRAS_ENTITIES 100000L
/* Time-varying values of one system, all datasets together (8 bytes each:
 * 2 GiB). RTS-GMLC has 4.5 million. Checked before any is allocated. */
#define GR_MAX_PRAS_VALUES (1LL << 28)
/* Bytes of a name or category (the spec's fields are 128 bytes; 255 keeps
 * every name writable as a result file's coordinate). */
#define GR_MAX_PRAS_NAME_LEN 255
/* Longest timestep, in hours: one leap year. */
#define GR_MAX_PRAS_STEP_H 8784.0

#endif
