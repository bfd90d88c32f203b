/* scenario.c - see scenario.h. */
#include "scenario.h"

#include "csv.h"
#include "econ_load.h"
#include "infile.h"
#include "sweep.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* --- the tables ---------------------------------------------------------- */

typedef struct {
    char *profile_csv;
    double peak_mw; /* NAN: keep the profile's own peak */
} raw_load_t;

typedef struct {
    char *name;
    char *type;
    double capacity_mw;
    double for_, mttf_h; /* NAN when absent */
    double mttr_h;
    uint32_t count;
    int region; /* GR_REGION_* */
    gr_src_t src;
} raw_unit_t;

typedef struct {
    char *csv; /* NULL when absent */
    raw_unit_t *list;
    unsigned list_count;
    gr_src_t src;
} raw_units_t;

typedef struct {
    uint64_t trials;
    uint32_t seed;
} raw_run_t;

typedef struct {
    char *name;
    char *description;
    char *base;
    uint32_t horizon_years;
    uint32_t start_year;
    uint32_t start_month;
    raw_load_t load;
    raw_units_t units;
    raw_run_t run;
    econ_t *economics;
    econ_scenario_t *scenarios;
    unsigned scenarios_count;
    econ_sweep_t *sweep;
    econ_frontier_t *frontier;
} raw_scenario_t;

/* The tables read best one row per field, whatever their width. */
// clang-format off
#define D SCHEMA_DBL
#define R SF_REQ
#define LO SF_MIN_OPEN
#define HI SF_MAX_OPEN

/* The same rows serve units.list entries and units.csv columns. Bounds keep
 * the outage process finite: a unit fails at most about every hour and is
 * repaired in no less than six minutes. */
static const schema_field_t unit_fields[] = {
    SCHEMA_STR("name", raw_unit_t, name, R, SS_LABEL, 0, NULL, "unit name (its random stream is keyed by it)"),
    SCHEMA_STR("type", raw_unit_t, type, 0, SS_LABEL, 0, "", "technology (economic runs: one of economics.technologies)"),
    D("capacity_mw", raw_unit_t, capacity_mw, R | LO, "MW", 0, 1e5, 0, "capacity"),
    D("for", raw_unit_t, for_, SF_OPT | HI, "-", 0, 1, 0, "forced outage rate MTTR/(MTTF+MTTR); give it or mttf_h"),
    D("mttf_h", raw_unit_t, mttf_h, SF_OPT, "h", 1, 1e7, 0, "mean time to failure"),
    D("mttr_h", raw_unit_t, mttr_h, R, "h", 0.1, 1e5, 0, "mean time to repair"),
    SCHEMA_U32("count", raw_unit_t, count, 0, "", 1, GR_MAX_UNIT_COUNT, 1, "identical units named name#1..name#count"),
    SCHEMA_ENUM("region", raw_unit_t, region, 0, gr_region_names, "north", "the region the unit sits in (economic runs with economics.network: north or south)"),
};
static const schema_section_t unit_sec = SCHEMA_SECTION("units.list[]", raw_unit_t, offsetof(raw_unit_t, src), unit_fields, "a unit");

static const schema_field_t load_fields[] = {
    SCHEMA_STR("profile_csv", raw_load_t, profile_csv, R, SS_PATH, 0, NULL, "hourly load, column load_mw (24..8784 rows)"),
    D("peak_mw", raw_load_t, peak_mw, SF_OPT | LO, "MW", 0, 1e6, 0, "scale the profile to this peak"),
};
static const schema_section_t load_sec = SCHEMA_SECTION("load", raw_load_t, SCHEMA_NO_SRC, load_fields, "the load profile");

static const schema_field_t units_fields[] = {
    SCHEMA_STR("csv", raw_units_t, csv, 0, SS_PATH, 0, NULL, "units table: columns as in units.list"),
    SCHEMA_SEQ("list", raw_units_t, list, list_count, 0, unit_sec, 0, GR_MAX_UNITS, "units written inline"),
};
static const schema_section_t units_sec = SCHEMA_SECTION("units", raw_units_t, offsetof(raw_units_t, src), units_fields, "generating units");

static const schema_field_t run_fields[] = {
    SCHEMA_U64("trials", raw_run_t, trials, 0, "", 1, (double)GR_MAX_TRIALS, SCENARIO_DEFAULT_TRIALS, "trials when the command line gives none"),
    SCHEMA_U32("seed", raw_run_t, seed, 0, "", 0, 4294967295.0, SCENARIO_DEFAULT_SEED, "random seed when the command line gives none"),
};
static const schema_section_t run_sec = SCHEMA_SECTION("run", raw_run_t, SCHEMA_NO_SRC, run_fields, "run defaults");

static const schema_field_t top_fields[] = {
    SCHEMA_STR("name", raw_scenario_t, name, R, SS_LABEL, 0, NULL, "the scenario's name"),
    SCHEMA_STR("description", raw_scenario_t, description, 0, SS_TEXT, GR_MAX_TEXT_LEN, "", "one paragraph"),
    SCHEMA_STR("base", raw_scenario_t, base, 0, SS_PATH, 0, NULL, "a scenario file this one is laid over"),
    SCHEMA_U32("horizon_years", raw_scenario_t, horizon_years, R, "yr", 1, GR_MAX_YEARS, 0, "years simulated per trial"),
    SCHEMA_U32("start_year", raw_scenario_t, start_year, 0, "", 1, 9999, 1, "calendar year of the first simulated year (labels the output's year axis)"),
    SCHEMA_U32("start_month", raw_scenario_t, start_month, 0, "", 1, 12, 1, "calendar month of the first simulated hour (7: fiscal years from July); the profiles start there"),
    SCHEMA_MAP("load", raw_scenario_t, load, R, load_sec, "the load profile"),
    SCHEMA_MAP("units", raw_scenario_t, units, R, units_sec, "generating units (csv, list or both)"),
    SCHEMA_MAP("run", raw_scenario_t, run, 0, run_sec, "run defaults"),
    SCHEMA_MAP_PTR("economics", raw_scenario_t, economics, 0, econ_section, "the economic model (Pakistan runs)"),
    SCHEMA_SEQ("scenarios", raw_scenario_t, scenarios, scenarios_count, 0, econ_scenario_section, 1, GR_MAX_SCENARIOS, "scenarios on common random numbers; the first is the baseline"),
    SCHEMA_MAP_PTR("sweep", raw_scenario_t, sweep, 0, sweep_section, "a grid of allocations run after the scenarios, on the same draws: each variant at each total MW (and tariff)"),
    SCHEMA_MAP_PTR("frontier", raw_scenario_t, frontier, 0, frontier_section, "gridrisk frontier: the largest MW of each sweep variant that meets every limit"),
};
static const schema_section_t top_sec = SCHEMA_SECTION("", raw_scenario_t, SCHEMA_NO_SRC, top_fields, "a scenario file");

#undef D
#undef R
#undef LO
#undef HI
// clang-format on

void scenario_print_schema(FILE *f) { schema_print(&top_sec, f); }

/* --- helpers ------------------------------------------------------------ */

static int oom(gr_err_t *err) { return gr_err_set(err, GR_ERUNTIME, "out of memory"); }

static int add_input(scenario_t *s, const char *path, const char *sha256, gr_err_t *err)
{
    const size_t n = s->n_input_paths;
    const char **p = arena_calloc(s->arena, n + 1, sizeof *p);
    const char **h = arena_calloc(s->arena, n + 1, sizeof *h);
    char *copy = arena_strdup(s->arena, path), *hash = arena_strdup(s->arena, sha256);
    if (!p || !h || !copy || !hash)
        return oom(err);
    if (n) {
        memcpy(p, s->input_paths, n * sizeof *p);
        memcpy(h, s->input_sha256, n * sizeof *h);
    }
    p[n] = copy;
    h[n] = hash;
    s->input_paths = p;
    s->input_sha256 = h;
    s->n_input_paths = n + 1;
    return GR_OK;
}

int scenario_read_csv(scenario_t *s, const char *path, csv_table_t **t, gr_err_t *err)
{
    int rc = csv_read(path, t, err);
    if (!rc && (rc = add_input(s, path, (*t)->sha256, err))) {
        csv_free(*t);
        *t = NULL;
    }
    return rc;
}

uint32_t scenario_unit_stream(const char *name)
{
    uint32_t h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)name; *p; ++p)
        h = (h ^ *p) * 16777619u;
    return h | 0x80000000u;
}

/* --- units --------------------------------------------------------------- */

/* Completes one unit's reliability data: (mttf_h, mttr_h), or (for, mttr_h);
 * if all three are given they must agree within 0.1%. */
static int resolve_unit(scen_unit_t *u, const raw_unit_t *r, gr_err_t *err)
{
    const char *f = r->src.file;
    const size_t l = r->src.line;
    u->mttr_h = r->mttr_h;
    if (!isnan(r->mttf_h)) {
        u->mttf_h = r->mttf_h;
        u->for_ = r->mttr_h / (r->mttf_h + r->mttr_h);
        if (!isnan(r->for_) && fabs(r->for_ - u->for_) > 1e-3 * u->for_)
            return gr_err_set(err, GR_EINPUT,
                              "%s:%zu: unit '%s': for = %g disagrees with "
                              "mttr_h/(mttf_h+mttr_h) = %.6g",
                              f, l, r->name, r->for_, u->for_);
    } else if (!isnan(r->for_)) {
        u->for_ = r->for_;
        u->mttf_h = r->for_ > 0.0 ? r->mttr_h * (1.0 - r->for_) / r->for_ : INFINITY;
        if (r->for_ > 0.0 && u->mttf_h < 1.0)
            return gr_err_set(err, GR_EINPUT,
                              "%s:%zu: unit '%s': for = %g with mttr_h = %g "
                              "means a failure every %.3g h; the least mttf_h is 1 h",
                              f, l, r->name, r->for_, r->mttr_h, u->mttf_h);
    } else {
        return gr_err_set(err, GR_EINPUT, "%s:%zu: unit '%s': give mttf_h, or for (with mttr_h)", f,
                          l, r->name);
    }
    return GR_OK;
}

static int expand_units(scenario_t *s, const raw_unit_t *rows, size_t n_rows, gr_err_t *err)
{
    size_t total = s->n_units;
    for (size_t i = 0; i < n_rows; ++i)
        total += rows[i].count;
    if (total > GR_MAX_UNITS)
        return gr_err_set(err, GR_EINPUT, "%s:%zu: units: %zu units after `count`; at most %d",
                          rows[n_rows - 1].src.file, rows[n_rows - 1].src.line, total,
                          GR_MAX_UNITS);
    scen_unit_t *u = arena_calloc(s->arena, total ? total : 1, sizeof *u);
    if (!u)
        return oom(err);
    if (s->n_units)
        memcpy(u, s->units, s->n_units * sizeof *u);
    s->units = u;
    for (size_t i = 0; i < n_rows; ++i) {
        const raw_unit_t *r = &rows[i];
        for (uint32_t k = 0; k < r->count; ++k) {
            scen_unit_t *x = &s->units[s->n_units];
            x->capacity_mw = r->capacity_mw;
            x->region = r->region;
            x->src = r->src;
            int rc = resolve_unit(x, r, err);
            if (rc)
                return rc;
            char nm[GR_MAX_NAME_LEN + 16];
            snprintf(nm, sizeof nm, "%s#%u", r->name, k + 1);
            x->name = arena_strdup(s->arena, r->count > 1 ? nm : r->name);
            x->type = arena_strdup(s->arena, r->type ? r->type : "");
            if (!x->name || !x->type)
                return oom(err);
            ++s->n_units;
        }
    }
    return GR_OK;
}

/* units.csv: each row goes through the unit table, column by column. */
static int load_units_csv(scenario_t *s, const char *path, gr_err_t *err)
{
    csv_table_t *t;
    int rc = scenario_read_csv(s, path, &t, err);
    if (rc)
        return rc;
    const schema_field_t **col = calloc(t->n_cols, sizeof *col);
    raw_unit_t *rows = calloc(t->n_rows, sizeof *rows);
    if (!col || !rows)
        rc = oom(err);
    const char *file = arena_strdup(s->arena, t->path);
    if (!rc && !file)
        rc = oom(err);
    for (size_t c = 0; !rc && c < t->n_cols; ++c)
        if (!(col[c] = schema_find(&unit_sec, t->header[c])))
            rc = gr_err_set(err, GR_EINPUT,
                            "%s:%zu: unknown column '%s' (known: name, type, "
                            "capacity_mw, for, mttf_h, mttr_h, count)",
                            path, t->header_line, t->header[c]);
    for (size_t r = 0; !rc && r < t->n_rows; ++r) {
        raw_unit_t *u = &rows[r];
        if ((rc = schema_defaults(&unit_sec, u, s->arena, err)))
            break;
        u->src.file = file;
        u->src.line = t->line[r];
        unsigned seen = 0;
        for (size_t c = 0; !rc && c < t->n_cols; ++c) {
            const char *cell = t->cell[r * t->n_cols + c];
            if (!*cell)
                continue;
            char where[96];
            snprintf(where, sizeof where, "column '%s'", col[c]->key);
            rc = schema_set_scalar(col[c], cell, file, t->line[r], where, u, s->arena, err);
            seen |= 1u << (col[c] - unit_fields);
        }
        for (size_t i = 0; !rc && i < SCHEMA_N(unit_fields); ++i)
            if ((unit_fields[i].flags & SF_REQ) && !(seen & (1u << i)))
                rc = gr_err_set(err, GR_EINPUT, "%s:%zu: column '%s' is required and empty", path,
                                t->line[r], unit_fields[i].key);
    }
    if (!rc)
        rc = expand_units(s, rows, t->n_rows, err);
    free(col);
    free(rows);
    csv_free(t);
    return rc;
}

static int cmp_unit_name(const void *a, const void *b)
{
    const scen_unit_t *const *x = a, *const *y = b;
    return strcmp((*x)->name, (*y)->name);
}

static int cmp_unit_stream(const void *a, const void *b)
{
    const scen_unit_t *const *x = a, *const *y = b;
    return (*x)->stream < (*y)->stream ? -1 : (*x)->stream > (*y)->stream;
}

/* Names must be unique and their stream hashes distinct: sorted, so that
 * GR_MAX_UNITS units cost n log n, not n^2. */
static int check_units(scenario_t *s, const gr_src_t *units_src, gr_err_t *err)
{
    if (s->n_units == 0)
        return gr_err_set(err, GR_EINPUT, "%s:%zu: units: no units (give units.csv or units.list)",
                          units_src->file, units_src->line);
    const scen_unit_t **by = malloc(s->n_units * sizeof *by);
    if (!by)
        return oom(err);
    s->capacity_mw = 0.0;
    for (size_t i = 0; i < s->n_units; ++i) {
        s->units[i].stream = scenario_unit_stream(s->units[i].name);
        s->capacity_mw += s->units[i].capacity_mw;
        by[i] = &s->units[i];
    }
    int rc = GR_OK;
    qsort(by, s->n_units, sizeof *by, cmp_unit_name);
    for (size_t i = 1; !rc && i < s->n_units; ++i)
        if (!strcmp(by[i]->name, by[i - 1]->name)) {
            const scen_unit_t *a = by[i - 1] < by[i] ? by[i - 1] : by[i];
            const scen_unit_t *b = a == by[i] ? by[i - 1] : by[i];
            rc = gr_err_set(err, GR_EINPUT, "%s:%zu: duplicate unit name '%s' (first at %s:%zu)",
                            b->src.file, b->src.line, b->name, a->src.file, a->src.line);
        }
    qsort(by, s->n_units, sizeof *by, cmp_unit_stream);
    for (size_t i = 1; !rc && i < s->n_units; ++i)
        if (by[i]->stream == by[i - 1]->stream)
            rc = gr_err_set(err, GR_EINPUT,
                            "%s:%zu: units '%s' and '%s' hash to the same random "
                            "stream; rename one",
                            by[i]->src.file, by[i]->src.line, by[i - 1]->name, by[i]->name);
    free(by);
    return rc;
}

/* --- the load profile ---------------------------------------------------- */

static int load_profile(scenario_t *s, const raw_load_t *rl, gr_err_t *err)
{
    csv_table_t *t;
    int rc = scenario_read_csv(s, rl->profile_csv, &t, err);
    if (rc)
        return rc;
    const char *path = t->path;
    const long c = csv_col(t, "load_mw");
    s->hours = t->n_rows;
    if (c < 0)
        rc = gr_err_set(err, GR_EINPUT, "%s: no column 'load_mw'", path);
    else if (!(s->profile_path = arena_strdup(s->arena, path)))
        rc = oom(err);
    else if (s->hours < GR_MIN_HOURS || s->hours > GR_MAX_HOURS)
        rc = gr_err_set(err, GR_EINPUT, "%s: %zu hours; a year has %d to %d", path, s->hours,
                        GR_MIN_HOURS, GR_MAX_HOURS);
    else if (!(s->load_mw = arena_calloc(s->arena, s->hours, sizeof *s->load_mw)))
        rc = oom(err);
    double peak = 0.0;
    for (size_t h = 0; !rc && h < s->hours; ++h) {
        rc = csv_number(t, h, (size_t)c, 0.0, 1e6, &s->load_mw[h], err);
        peak = !rc && s->load_mw[h] > peak ? s->load_mw[h] : peak;
    }
    if (!rc && !(peak > 0.0))
        rc = gr_err_set(err, GR_EINPUT, "%s: load is zero in every hour", path);
    csv_free(t);
    if (rc)
        return rc;
    if (!isnan(rl->peak_mw)) {
        const double k = rl->peak_mw / peak;
        for (size_t h = 0; h < s->hours; ++h)
            s->load_mw[h] *= k;
        peak = rl->peak_mw;
    }
    s->peak_mw = peak;
    s->energy_mwh = 0.0;
    for (size_t h = 0; h < s->hours; ++h)
        s->energy_mwh += s->load_mw[h];
    return GR_OK;
}

/* --- files and `base:` chains --------------------------------------------- */

/*
 * Fills raw from path. A file with `base:` first fills raw from its base
 * (recursively), then lays its own keys over it through the same tables, so
 * an overlay is checked exactly as a plain file is. *text receives the
 * file's text followed by its bases' texts (stored in the result file).
 */
static int load_chain(scenario_t *s, const char *path, int depth, raw_scenario_t *raw, char **text,
                      gr_err_t *err)
{
    schema_doc_t *d;
    int rc = schema_doc_load(path, s->arena, &d, err);
    if (rc)
        return rc;
    if ((rc = add_input(s, path, schema_doc_sha256(d), err))) {
        schema_doc_free(d);
        return rc;
    }
    size_t base_line = 0;
    const char *base = schema_doc_root_scalar(d, "base", &base_line);
    char *base_text = NULL;
    const char *bpath = NULL;
    if (base) {
        /* the base: row's own check first, so a bad path is named at its line */
        raw_scenario_t probe;
        rc = schema_set_scalar(schema_find(&top_sec, "base"), base, schema_doc_path(d), base_line,
                               "base", &probe, s->arena, err);
        bpath = rc ? NULL : schema_resolve_path(s->arena, path, base);
        if (rc)
            ;
        else if (!bpath)
            rc = oom(err);
        else if (depth >= GR_MAX_BASE_DEPTH)
            rc = gr_err_set(err, GR_EINPUT, "%s: base: more than %d files deep (a cycle?)", path,
                            GR_MAX_BASE_DEPTH);
        else
            rc = load_chain(s, bpath, depth + 1, raw, &base_text, err);
        if (!rc && !schema_doc_root_scalar(d, "name", NULL))
            rc =
                gr_err_set(err, GR_EINPUT, "%s: a file with 'base' must give its own 'name'", path);
    }
    if (!rc)
        rc = schema_fill(d, &top_sec, raw, base != NULL, err);
    if (!rc) {
        const char *own = schema_doc_text(d);
        const size_t n = strlen(own) + (base_text ? strlen(base_text) + strlen(bpath) + 32 : 0) + 1;
        if (!(*text = malloc(n)))
            rc = oom(err);
        else if (base_text)
            snprintf(*text, n, "%s\n# --- base: %s ---\n%s", own, bpath, base_text);
        else
            memcpy(*text, own, n);
    }
    free(base_text);
    schema_doc_free(d);
    return rc;
}

static int resolve(scenario_t *s, raw_scenario_t *raw, gr_err_t *err)
{
    int rc;
    if (!(s->name = arena_strdup(s->arena, raw->name)) ||
        !(s->description = arena_strdup(s->arena, raw->description ? raw->description : "")))
        return oom(err);
    s->horizon_years = raw->horizon_years;
    s->start_year = raw->start_year;
    s->start_month = raw->start_month;
    s->trials = raw->run.trials;
    s->seed = raw->run.seed;
    if ((rc = load_profile(s, &raw->load, err)))
        return rc;
    if (raw->units.csv && (rc = load_units_csv(s, raw->units.csv, err)))
        return rc;
    if ((rc = expand_units(s, raw->units.list, raw->units.list_count, err)) ||
        (rc = check_units(s, &raw->units.src, err)))
        return rc;
    if (raw->economics) {
        s->econ = raw->economics;
        s->scen = raw->scenarios;
        s->n_scen = s->n_declared = raw->scenarios_count;
        s->sweep = raw->sweep;
        s->frontier = raw->frontier;
        if ((rc = sweep_expand(s, raw->sweep, err)) || (rc = sweep_check_frontier(s, err)))
            return rc;
        return econ_resolve(s, err);
    }
    if (raw->scenarios_count)
        return gr_err_set(err, GR_EINPUT, "%s:%zu: scenarios need an economics section",
                          raw->scenarios[0].src.file, raw->scenarios[0].src.line);
    if (raw->sweep)
        return gr_err_set(err, GR_EINPUT, "%s:%zu: a sweep needs an economics section",
                          raw->sweep->src.file, raw->sweep->src.line);
    if (raw->frontier)
        return gr_err_set(err, GR_EINPUT, "%s:%zu: a frontier needs an economics section",
                          raw->frontier->src.file, raw->frontier->src.line);
    return GR_OK;
}

int scenario_load(const char *path, scenario_t **out, gr_err_t *err)
{
    *out = NULL;
    scenario_t *s = calloc(1, sizeof *s);
    if (!s || !(s->arena = arena_new())) {
        free(s);
        return oom(err);
    }
    raw_scenario_t *raw = arena_alloc(s->arena, sizeof *raw);
    s->path = arena_strdup(s->arena, path);
    int rc = raw && s->path ? load_chain(s, path, 0, raw, &s->yaml_text, err) : oom(err);
    if (!rc)
        rc = resolve(s, raw, err);
    if (rc) {
        scenario_free(s);
        return rc;
    }
    *out = s;
    return GR_OK;
}

void scenario_free(scenario_t *s)
{
    if (!s)
        return;
    free(s->yaml_text);
    arena_free(s->arena);
    free(s);
}

void scenario_print(const scenario_t *s, FILE *f)
{
    fprintf(f, "scenario      %s (%s)\n", s->name, s->path);
    if (s->description && *s->description)
        fprintf(f, "description   %s\n", s->description);
    fprintf(f, "horizon       %u year(s) of %zu hours\n", s->horizon_years, s->hours);
    fprintf(f, "load          peak %.1f MW, energy %.1f MWh/yr, load factor %.4f\n", s->peak_mw,
            s->energy_mwh, s->energy_mwh / (s->peak_mw * (double)s->hours));
    fprintf(f, "units         %zu, installed %.1f MW\n", s->n_units, s->capacity_mw);
    fprintf(f, "  %-28s %-10s %10s %8s %10s %8s\n", "name", "type", "cap_mw", "for", "mttf_h",
            "mttr_h");
    for (size_t i = 0; i < s->n_units; ++i) {
        const scen_unit_t *u = &s->units[i];
        fprintf(f, "  %-28s %-10s %10.1f %8.4f %10.1f %8.1f\n", u->name, u->type, u->capacity_mw,
                u->for_, u->mttf_h, u->mttr_h);
    }
    if (s->econ)
        econ_print(s, f);
    fprintf(f, "run defaults  trials %llu, seed %u\n", (unsigned long long)s->trials, s->seed);
}
