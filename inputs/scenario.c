/* scenario.c - see scenario.h. */
#include "scenario.h"

#include "csv.h"
#include "econ_load.h"

#include <cyaml/cyaml.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* --- Raw YAML, as libcyaml fills it ----------------------------------- */

typedef struct {
    char *profile_csv;
    double *peak_mw; /* optional */
} raw_load_t;

typedef struct {
    char *name;
    char *type;
    double capacity_mw;
    double *for_;   /* optional */
    double *mttf_h; /* optional */
    double *mttr_h; /* optional */
    unsigned *count; /* optional, default 1 */
} raw_unit_t;

typedef struct {
    char *csv;        /* optional */
    raw_unit_t *list; /* optional */
    unsigned list_count;
} raw_units_t;

typedef struct {
    unsigned long long *trials;
    unsigned long long *seed;
} raw_run_t;

typedef struct {
    char *name;
    char *description;
    char *base; /* another scenario file this one extends */
    unsigned horizon_years;
    raw_load_t load;
    raw_units_t units;
    raw_run_t *run;
    econ_t *economics;
    econ_scenario_t *scenarios;
    unsigned scenarios_count;
} raw_scenario_t;

#define OPT (CYAML_FLAG_OPTIONAL | CYAML_FLAG_POINTER)

static const cyaml_schema_field_t load_fields[] = {
    CYAML_FIELD_STRING_PTR("profile_csv", CYAML_FLAG_POINTER, raw_load_t, profile_csv, 1,
                           CYAML_UNLIMITED),
    CYAML_FIELD_FLOAT_PTR("peak_mw", OPT, raw_load_t, peak_mw),
    CYAML_FIELD_END};

static const cyaml_schema_field_t unit_fields[] = {
    CYAML_FIELD_STRING_PTR("name", CYAML_FLAG_POINTER, raw_unit_t, name, 1, CYAML_UNLIMITED),
    CYAML_FIELD_STRING_PTR("type", OPT, raw_unit_t, type, 0, CYAML_UNLIMITED),
    CYAML_FIELD_FLOAT("capacity_mw", CYAML_FLAG_DEFAULT, raw_unit_t, capacity_mw),
    CYAML_FIELD_FLOAT_PTR("for", OPT, raw_unit_t, for_),
    CYAML_FIELD_FLOAT_PTR("mttf_h", OPT, raw_unit_t, mttf_h),
    CYAML_FIELD_FLOAT_PTR("mttr_h", OPT, raw_unit_t, mttr_h),
    CYAML_FIELD_UINT_PTR("count", OPT, raw_unit_t, count),
    CYAML_FIELD_END};

static const cyaml_schema_value_t unit_entry = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, raw_unit_t, unit_fields)};

static const cyaml_schema_field_t units_fields[] = {
    CYAML_FIELD_STRING_PTR("csv", OPT, raw_units_t, csv, 1, CYAML_UNLIMITED),
    CYAML_FIELD_SEQUENCE("list", OPT, raw_units_t, list, &unit_entry, 0, CYAML_UNLIMITED),
    CYAML_FIELD_END};

static const cyaml_schema_field_t run_fields[] = {
    CYAML_FIELD_UINT_PTR("trials", OPT, raw_run_t, trials),
    CYAML_FIELD_UINT_PTR("seed", OPT, raw_run_t, seed),
    CYAML_FIELD_END};


static const cyaml_schema_field_t top_fields[] = {
    CYAML_FIELD_STRING_PTR("name", CYAML_FLAG_POINTER, raw_scenario_t, name, 1, 63),
    CYAML_FIELD_STRING_PTR("description", OPT, raw_scenario_t, description, 0, CYAML_UNLIMITED),
    CYAML_FIELD_STRING_PTR("base", OPT, raw_scenario_t, base, 1, CYAML_UNLIMITED),
    /* required unless `base` is given; checked in scenario_load */
    CYAML_FIELD_UINT("horizon_years", CYAML_FLAG_OPTIONAL, raw_scenario_t, horizon_years),
    CYAML_FIELD_MAPPING("load", CYAML_FLAG_OPTIONAL, raw_scenario_t, load, load_fields),
    CYAML_FIELD_MAPPING("units", CYAML_FLAG_OPTIONAL, raw_scenario_t, units, units_fields),
    CYAML_FIELD_MAPPING_PTR("run", OPT, raw_scenario_t, run, run_fields),
    CYAML_FIELD_MAPPING_PTR("economics", OPT, raw_scenario_t, economics, econ_schema_fields),
    CYAML_FIELD_SEQUENCE("scenarios", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, raw_scenario_t,
                         scenarios, &econ_scenario_entry, 1, 16),
    CYAML_FIELD_END};

static const cyaml_schema_value_t top_schema = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, raw_scenario_t, top_fields)};

/* libcyaml reports an error over several log calls ("Unexpected key: x",
 * "Backtrace:", "in mapping field 'y' (line: 3, column: 5)"); collect them
 * into one line for the error message. */
typedef struct {
    char text[768];
} yaml_log_t;

__attribute__((format(printf, 3, 0))) static void yaml_log(cyaml_log_t level, void *ctx,
                                                         const char *fmt, va_list args)
{
    (void)level;
    yaml_log_t *log = ctx;
    char line[256];
    vsnprintf(line, sizeof line, fmt, args);
    char *s = line;
    if (!strncmp(s, "Load: ", 6))
        s += 6;
    while (*s == ' ')
        ++s;
    s[strcspn(s, "\n")] = '\0';
    if (!*s || !strcmp(s, "Backtrace:"))
        return;
    const size_t used = strlen(log->text);
    snprintf(log->text + used, sizeof log->text - used, "%s%s", used ? "; " : "", s);
}

/* --- helpers ------------------------------------------------------------ */

static char *xstrdup(const char *s) { return s ? strdup(s) : NULL; }

char *scenario_resolve_path(const char *path, const char *rel)
{
    if (rel[0] == '/')
        return strdup(rel);
    const char *slash = strrchr(path, '/');
    const size_t dl = slash ? (size_t)(slash - path + 1) : 0;
    char *out = malloc(dl + strlen(rel) + 1);
    if (out) {
        memcpy(out, path, dl);
        strcpy(out + dl, rel);
    }
    return out;
}

static int read_text(const char *path, char **out, gr_err_t *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return gr_err_set(err, GR_EINPUT, "%s: cannot open: %s", path, strerror(errno));
    fseek(f, 0, SEEK_END);
    const long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        fclose(f);
        return gr_err_set(err, GR_EINPUT, "%s: cannot read", path);
    }
    buf[n] = '\0';
    fclose(f);
    *out = buf;
    return GR_OK;
}

/* libcyaml places an unknown key at its parent mapping; find the line on
 * which the key itself stands ("key:" as the first token), or 0. */
static size_t find_key_line(const char *text, const char *key_end_at_semicolon)
{
    const size_t klen = strcspn(key_end_at_semicolon, ";");
    size_t line = 1;
    for (const char *p = text; *p; ++line) {
        const char *q = p;
        while (*q == ' ' || *q == '-' || *q == '\t')
            ++q;
        if (!strncmp(q, key_end_at_semicolon, klen) && q[klen] == ':')
            return line;
        p = strchr(p, '\n');
        if (!p)
            break;
        ++p;
    }
    return 0;
}

int scenario_read_csv(const scenario_t *s, const char *rel, csv_table_t **t, gr_err_t *err)
{
    char *path = scenario_resolve_path(s->path, rel);
    if (!path)
        return gr_err_set(err, GR_ERUNTIME, "out of memory");
    const int rc = csv_read(path, t, err);
    free(path);
    return rc;
}

uint32_t scenario_unit_stream(const char *name)
{
    uint32_t h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)name; *p; ++p)
        h = (h ^ *p) * 16777619u;
    return h | 0x80000000u;
}

/* Checks and completes one unit's reliability data; where names the unit. */
static int resolve_unit(scen_unit_t *u, const double *for_, const double *mttf, const double *mttr,
                        const char *where, gr_err_t *err)
{
    if (!(u->capacity_mw > 0.0) || !isfinite(u->capacity_mw))
        return gr_err_set(err, GR_EINPUT, "%s: capacity_mw must be a finite number > 0 (got %g)",
                          where, u->capacity_mw);
    if (for_ && (!isfinite(*for_) || *for_ < 0.0 || *for_ >= 1.0))
        return gr_err_set(err, GR_EINPUT, "%s: for must be in [0, 1) (got %g)", where, *for_);
    if (mttf && (!isfinite(*mttf) || *mttf <= 0.0))
        return gr_err_set(err, GR_EINPUT, "%s: mttf_h must be a finite number > 0 (got %g)",
                          where, *mttf);
    if (mttr && (!isfinite(*mttr) || *mttr <= 0.0))
        return gr_err_set(err, GR_EINPUT, "%s: mttr_h must be a finite number > 0 (got %g)",
                          where, *mttr);
    if (!mttr)
        return gr_err_set(err, GR_EINPUT, "%s: mttr_h is required", where);
    u->mttr_h = *mttr;
    if (mttf) {
        u->mttf_h = *mttf;
        u->for_ = *mttr / (*mttf + *mttr);
        if (for_ && fabs(*for_ - u->for_) > 1e-3 * u->for_)
            return gr_err_set(err, GR_EINPUT,
                              "%s: for = %g disagrees with mttr_h/(mttf_h+mttr_h) = %.6g", where,
                              *for_, u->for_);
    } else if (for_) {
        u->for_ = *for_;
        u->mttf_h = *for_ > 0.0 ? *mttr * (1.0 - *for_) / *for_ : INFINITY;
    } else {
        return gr_err_set(err, GR_EINPUT, "%s: give mttf_h, or for (with mttr_h)", where);
    }
    return GR_OK;
}

static int push_unit(scenario_t *s, size_t *cap, scen_unit_t *u, gr_err_t *err)
{
    if (s->n_units == *cap) {
        *cap = *cap ? 2 * *cap : 16;
        scen_unit_t *nu = realloc(s->units, *cap * sizeof *nu);
        if (!nu)
            return gr_err_set(err, GR_ERUNTIME, "out of memory");
        s->units = nu;
    }
    s->units[s->n_units++] = *u;
    return GR_OK;
}

static const char *const unit_csv_cols[] = {"name", "type", "capacity_mw", "for", "mttf_h",
                                             "mttr_h", "count"};

static int load_units_csv(scenario_t *s, size_t *cap, const char *path, gr_err_t *err)
{
    csv_table_t *t;
    int rc = csv_read(path, &t, err);
    if (rc)
        return rc;
    const size_t ncols = sizeof unit_csv_cols / sizeof *unit_csv_cols;
    long col[sizeof unit_csv_cols / sizeof *unit_csv_cols];
    for (size_t c = 0; c < ncols; ++c)
        col[c] = csv_col(t, unit_csv_cols[c]);
    for (size_t c = 0; c < t->n_cols; ++c) {
        size_t k = 0;
        while (k < ncols && strcmp(t->header[c], unit_csv_cols[k]))
            ++k;
        if (k == ncols) {
            rc = gr_err_set(err, GR_EINPUT, "%s:%zu: unknown column '%s'", path,
                            t->line[0] - 1, t->header[c]);
            goto done;
        }
    }
    if (col[0] < 0 || col[2] < 0) {
        rc = gr_err_set(err, GR_EINPUT, "%s: columns 'name' and 'capacity_mw' are required",
                        path);
        goto done;
    }
    for (size_t r = 0; r < t->n_rows && !rc; ++r) {
        double v[7];
        int have[7] = {0};
        for (size_t c = 2; c < ncols; ++c) {
            if (col[c] < 0 || !*t->cell[r * t->n_cols + (size_t)col[c]])
                continue;
            rc = csv_double(t, r, (size_t)col[c], &v[c], err);
            if (rc)
                goto done;
            have[c] = 1;
        }
        char where[512];
        const char *name = t->cell[r * t->n_cols + (size_t)col[0]];
        snprintf(where, sizeof where, "%s:%zu: unit '%s'", path, t->line[r], name);
        if (!*name) {
            rc = gr_err_set(err, GR_EINPUT, "%s:%zu: column 'name' is empty", path, t->line[r]);
            goto done;
        }
        if (!have[2]) {
            rc = gr_err_set(err, GR_EINPUT, "%s: capacity_mw is empty", where);
            goto done;
        }
        double count = have[6] ? v[6] : 1.0;
        if (count < 1.0 || count != floor(count) || count > 1e6) {
            rc = gr_err_set(err, GR_EINPUT, "%s: count must be a whole number >= 1", where);
            goto done;
        }
        for (unsigned k = 0; k < (unsigned)count && !rc; ++k) {
            scen_unit_t u = {0};
            u.capacity_mw = v[2];
            rc = resolve_unit(&u, have[3] ? &v[3] : NULL, have[4] ? &v[4] : NULL,
                              have[5] ? &v[5] : NULL, where, err);
            if (rc)
                break;
            char nm[300];
            if (count > 1.0)
                snprintf(nm, sizeof nm, "%s#%u", name, k + 1);
            u.name = strdup(count > 1.0 ? nm : name);
            u.type = strdup(col[1] >= 0 ? t->cell[r * t->n_cols + (size_t)col[1]] : "");
            rc = push_unit(s, cap, &u, err);
        }
    }
done:
    csv_free(t);
    return rc;
}

static int load_units_list(scenario_t *s, size_t *cap, const raw_units_t *ru, gr_err_t *err)
{
    for (unsigned i = 0; i < ru->list_count; ++i) {
        const raw_unit_t *r = &ru->list[i];
        char where[512];
        snprintf(where, sizeof where, "%s: units.list[%u] '%s'", s->path, i, r->name);
        const unsigned count = r->count ? *r->count : 1;
        if (count < 1)
            return gr_err_set(err, GR_EINPUT, "%s: count must be >= 1", where);
        for (unsigned k = 0; k < count; ++k) {
            scen_unit_t u = {0};
            u.capacity_mw = r->capacity_mw;
            int rc = resolve_unit(&u, r->for_, r->mttf_h, r->mttr_h, where, err);
            if (rc)
                return rc;
            char nm[300];
            snprintf(nm, sizeof nm, "%s#%u", r->name, k + 1);
            u.name = strdup(count > 1 ? nm : r->name);
            u.type = strdup(r->type ? r->type : "");
            if ((rc = push_unit(s, cap, &u, err)))
                return rc;
        }
    }
    return GR_OK;
}

static int load_profile(scenario_t *s, const raw_load_t *rl, gr_err_t *err)
{
    csv_table_t *t;
    int rc = scenario_read_csv(s, rl->profile_csv, &t, err);
    if (rc)
        return rc;
    const char *path = t->path;
    const long c = csv_col(t, "load_mw");
    if (c < 0) {
        rc = gr_err_set(err, GR_EINPUT, "%s: no column 'load_mw'", path);
        goto done;
    }
    s->hours = t->n_rows;
    if (s->hours < 24) {
        rc = gr_err_set(err, GR_EINPUT, "%s: %zu hours; a year needs at least 24", path,
                        s->hours);
        goto done;
    }
    s->load_mw = malloc(s->hours * sizeof *s->load_mw);
    if (!s->load_mw) {
        rc = gr_err_set(err, GR_ERUNTIME, "out of memory");
        goto done;
    }
    double peak = 0.0;
    for (size_t h = 0; h < s->hours; ++h) {
        if ((rc = csv_double(t, h, (size_t)c, &s->load_mw[h], err)))
            goto done;
        if (s->load_mw[h] < 0.0) {
            rc = gr_err_set(err, GR_EINPUT, "%s:%zu: column 'load_mw': negative load %g", path,
                            t->line[h], s->load_mw[h]);
            goto done;
        }
        peak = s->load_mw[h] > peak ? s->load_mw[h] : peak;
    }
    if (!(peak > 0.0)) {
        rc = gr_err_set(err, GR_EINPUT, "%s: load is zero in every hour", path);
        goto done;
    }
    if (rl->peak_mw) {
        if (!(*rl->peak_mw > 0.0) || !isfinite(*rl->peak_mw)) {
            rc = gr_err_set(err, GR_EINPUT, "%s: load.peak_mw must be a finite number > 0",
                            s->path);
            goto done;
        }
        const double k = *rl->peak_mw / peak;
        for (size_t h = 0; h < s->hours; ++h)
            s->load_mw[h] *= k;
        peak = *rl->peak_mw;
    }
    s->peak_mw = peak;
    s->energy_mwh = 0.0;
    for (size_t h = 0; h < s->hours; ++h)
        s->energy_mwh += s->load_mw[h];
done:
    csv_free(t);
    return rc;
}

static int check_units(scenario_t *s, gr_err_t *err)
{
    if (s->n_units == 0)
        return gr_err_set(err, GR_EINPUT, "%s: units: no units (give units.csv or units.list)",
                          s->path);
    s->capacity_mw = 0.0;
    for (size_t i = 0; i < s->n_units; ++i) {
        s->units[i].stream = scenario_unit_stream(s->units[i].name);
        s->capacity_mw += s->units[i].capacity_mw;
        for (size_t j = 0; j < i; ++j) {
            if (!strcmp(s->units[i].name, s->units[j].name))
                return gr_err_set(err, GR_EINPUT, "%s: units: duplicate unit name '%s'",
                                  s->path, s->units[i].name);
            if (s->units[i].stream == s->units[j].stream)
                return gr_err_set(err, GR_EINPUT,
                                  "%s: units '%s' and '%s' hash to the same random stream; "
                                  "rename one",
                                  s->path, s->units[i].name, s->units[j].name);
        }
    }
    return GR_OK;
}


static const cyaml_config_t free_cfg = {.mem_fn = cyaml_mem, .log_level = CYAML_LOG_ERROR};

static int load_at_depth(const char *path, int depth, scenario_t **out, gr_err_t *err);

/*
 * A file with `base: other.yaml` takes everything from that file (its path
 * relative to this one) and may set only name, description, horizon_years,
 * run and scenarios: a policy experiment without copying the data.
 */
static int load_overlay(scenario_t *s, raw_scenario_t *raw, int depth, gr_err_t *err)
{
    if (raw->load.profile_csv || raw->units.csv || raw->units.list_count || raw->economics)
        return gr_err_set(err, GR_EINPUT,
                          "%s: a file with 'base' may set only name, description, "
                          "horizon_years, run and scenarios",
                          s->path);
    if (depth > 8)
        return gr_err_set(err, GR_EINPUT, "%s: 'base' nested too deeply (a cycle?)", s->path);
    char *bpath = scenario_resolve_path(s->path, raw->base);
    if (!bpath)
        return gr_err_set(err, GR_ERUNTIME, "out of memory");
    scenario_t *b;
    int rc = load_at_depth(bpath, depth + 1, &b, err);
    free(bpath);
    if (rc)
        return rc;
    /* take the base's resolved content, keep this file's identity */
    char *path = s->path, *text = s->yaml_text;
    const size_t tl = strlen(text) + strlen(b->yaml_text) + strlen(b->path) + 64;
    char *joined = malloc(tl);
    if (!joined) {
        scenario_free(b);
        return gr_err_set(err, GR_ERUNTIME, "out of memory");
    }
    snprintf(joined, tl, "%s\n# --- base: %s ---\n%s", text, b->path, b->yaml_text);
    free(b->path);
    free(b->yaml_text);
    free(text);
    b->path = path;
    b->yaml_text = joined;
    free(b->name);
    b->name = xstrdup(raw->name);
    if (raw->description) {
        free(b->description);
        b->description = xstrdup(raw->description);
    }
    if (raw->horizon_years)
        b->horizon_years = raw->horizon_years;
    if (raw->run && raw->run->trials)
        b->trials = *raw->run->trials;
    if (raw->run && raw->run->seed)
        b->seed = (uint32_t)*raw->run->seed;
    if (raw->scenarios_count) {
        b->scen = raw->scenarios;
        b->n_scen = raw->scenarios_count;
        b->raw_overlay = raw; /* the new scenarios live in this tree */
    }
    *s = *b; /* s now owns everything b owned */
    free(b);
    return GR_OK;
}

int scenario_load(const char *path, scenario_t **out, gr_err_t *err)
{
    return load_at_depth(path, 0, out, err);
}

static int load_at_depth(const char *path, int depth, scenario_t **out, gr_err_t *err)
{
    *out = NULL;
    scenario_t *s = calloc(1, sizeof *s);
    if (!s)
        return gr_err_set(err, GR_ERUNTIME, "out of memory");
    s->path = strdup(path);
    int rc = read_text(path, &s->yaml_text, err);
    if (rc) {
        scenario_free(s);
        return rc;
    }
    yaml_log_t log = {{0}};
    const cyaml_config_t cfg = {
        .log_fn = yaml_log, .log_ctx = &log, .mem_fn = cyaml_mem, .log_level = CYAML_LOG_ERROR};
    raw_scenario_t *raw = NULL;
    const cyaml_err_t ce = cyaml_load_file(path, &cfg, &top_schema, (cyaml_data_t **)&raw, NULL);
    if (ce != CYAML_OK) {
        const char *key = strstr(log.text, "Unexpected key: ");
        const size_t key_line = key ? find_key_line(s->yaml_text, key + 16) : 0;
        if (key_line)
            rc = gr_err_set(err, GR_EINPUT, "%s:%zu: unknown key '%.*s' (%s)", path, key_line,
                            (int)strcspn(key + 16, ";"), key + 16, log.text);
        else
            rc = gr_err_set(err, GR_EINPUT, "%s: %s", path,
                            log.text[0] ? log.text : cyaml_strerror(ce));
        scenario_free(s);
        return rc;
    }
    if (raw->base) {
        rc = load_overlay(s, raw, depth, err);
        if (rc) {
            cyaml_free(&cfg, &top_schema, raw, 0);
            scenario_free(s);
            return rc;
        }
        if (!s->raw_overlay)
            cyaml_free(&cfg, &top_schema, raw, 0);
        if (s->horizon_years < 1 || s->horizon_years > SCENARIO_MAX_YEARS ||
            s->trials < 1 || (s->econ && (rc = econ_check_scenarios(s, err)))) {
            rc = rc ? rc : gr_err_set(err, GR_EINPUT, "%s: horizon_years must be 1..%d and "
                                      "run.trials >= 1", path, SCENARIO_MAX_YEARS);
            scenario_free(s);
            return rc;
        }
        if (!s->econ && s->raw_overlay) {
            scenario_free(s);
            return gr_err_set(err, GR_EINPUT, "%s: scenarios need an economics section", path);
        }
        *out = s;
        return GR_OK;
    }
    if (!raw->load.profile_csv) {
        /* (a missing units section is caught by check_units: "no units") */
        rc = gr_err_set(err, GR_EINPUT, "%s: missing required field 'load' (or give 'base')",
                        path);
        cyaml_free(&cfg, &top_schema, raw, 0);
        scenario_free(s);
        return rc;
    }
    s->name = xstrdup(raw->name);
    s->description = xstrdup(raw->description ? raw->description : "");
    s->horizon_years = raw->horizon_years;
    s->trials = SCENARIO_DEFAULT_TRIALS;
    s->seed = SCENARIO_DEFAULT_SEED;
    size_t cap = 0;
    if (raw->horizon_years < 1 || raw->horizon_years > SCENARIO_MAX_YEARS) {
        rc = gr_err_set(err, GR_EINPUT, "%s: horizon_years must be 1..%d (got %u)", path,
                        SCENARIO_MAX_YEARS, raw->horizon_years);
        goto done;
    }
    if (raw->run && raw->run->trials) {
        if (*raw->run->trials < 1) {
            rc = gr_err_set(err, GR_EINPUT, "%s: run.trials must be >= 1", path);
            goto done;
        }
        s->trials = *raw->run->trials;
    }
    if (raw->run && raw->run->seed) {
        if (*raw->run->seed > UINT32_MAX) {
            rc = gr_err_set(err, GR_EINPUT, "%s: run.seed must be < 2^32", path);
            goto done;
        }
        s->seed = (uint32_t)*raw->run->seed;
    }
    if ((rc = load_profile(s, &raw->load, err)))
        goto done;
    if (s->hours * s->horizon_years > INT32_MAX) {
        rc = gr_err_set(err, GR_EINPUT, "%s: horizon too long", path);
        goto done;
    }
    if (raw->units.csv) {
        char *upath = scenario_resolve_path(path, raw->units.csv);
        rc = upath ? load_units_csv(s, &cap, upath, err) : gr_err_set(err, GR_ERUNTIME, "oom");
        free(upath);
        if (rc)
            goto done;
    }
    if ((rc = load_units_list(s, &cap, &raw->units, err)))
        goto done;
    if ((rc = check_units(s, err)))
        goto done;
    if (raw->economics) {
        s->econ = raw->economics;
        s->scen = raw->scenarios;
        s->n_scen = raw->scenarios_count;
        rc = econ_resolve(s, err);
    } else if (raw->scenarios_count) {
        rc = gr_err_set(err, GR_EINPUT, "%s: scenarios need an economics section", path);
    }
done:
    /* The tree stays alive while econ/scen point into it. */
    s->raw = raw;
    if (rc)
        scenario_free(s);
    else
        *out = s;
    return rc;
}

void scenario_free(scenario_t *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n_units; ++i) {
        free(s->units[i].name);
        free(s->units[i].type);
    }
    free(s->units);
    free(s->load_mw);
    if (s->econ) {
        free(s->econ->wind_cf);
        free(s->econ->solar_cf);
    }
    if (s->raw)
        cyaml_free(&free_cfg, &top_schema, s->raw, 0);
    if (s->raw_overlay)
        cyaml_free(&free_cfg, &top_schema, s->raw_overlay, 0);
    free(s->name);
    free(s->description);
    free(s->yaml_text);
    free(s->path);
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
