/* schema.c - see schema.h. The YAML side uses libyaml's document API: every
 * node keeps its line, aliases stay references (no expansion), and the walk
 * below follows the tables, so its depth and work are bounded by the schema
 * and by GR_MAX_YAML_NODES, not by the input. */
#include "schema.h"

#include "../model/limits.h"
#include "../model/utf8.h"
#include "csv.h"
#include "infile.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

struct schema_doc {
    yaml_document_t doc;
    arena_t *arena;
    const char *path; /* arena copy */
    char *text;       /* malloc'd */
    size_t visits;    /* nodes filled, bounded by GR_MAX_YAML_NODES */
    char sha256[65];  /* of the file as on disk */
};

/* --- loading ------------------------------------------------------------ */

static int yaml_error(const yaml_parser_t *p, const char *path, gr_err_t *err)
{
    const char *prob = p->problem ? p->problem : "malformed YAML";
    if (p->context)
        return gr_err_set(err, GR_EINPUT, "%s:%zu: YAML: %s %s (line %zu)", path,
                          p->problem_mark.line + 1, prob, p->context, p->context_mark.line + 1);
    return gr_err_set(err, GR_EINPUT, "%s:%zu: YAML: %s", path, p->problem_mark.line + 1, prob);
}

/*
 * One linear pass over the events refuses, before the document is built,
 * what the document API would make slow or hide:
 * - nesting deeper than GR_MAX_YAML_DEPTH: libyaml's document loader is
 *   quadratic in it (a 400 KB line of `{a: ` runs for minutes), and no
 *   scenario nests more than a few levels;
 * - more than GR_MAX_YAML_ANCHORS anchors or GR_MAX_YAML_ALIASES aliases: the
 *   loader checks each anchor against every earlier one and looks each alias
 *   up among them all (100,000 of each took 31 s); a scenario names a few;
 * - a scalar, key or value, holding a NUL (written "\0" in quotes): the
 *   document API hands scalars on as C strings, so "units.csv\0junk" would
 *   be read as units.csv;
 * - explicit tags (`!!str 1`): the document API resolves `!!str` to the
 *   default tag, so the rules for numbers could not see it, and no scenario
 *   needs one;
 * - and any syntax error.
 * It keeps the key path of the node at hand, as fill_map writes it, so that
 * its messages name the field.
 */
typedef struct {
    size_t base;  /* path length of the list or mapping itself */
    size_t keyed; /* path length with the key of the pending value */
    size_t index; /* next item of a list */
    int map;      /* a mapping, not a list */
    int key;      /* a mapping whose next node is a key */
} frame_t;

typedef struct {
    const char *file;
    gr_err_t *err;
    frame_t stack[GR_MAX_YAML_DEPTH];
    int depth;
    size_t anchors, aliases;
    char path[256];
    size_t len;
} prepass_t;

/* Appends n bytes of s to the path, control characters escaped, cut at the buffer's end. */
static void path_append(prepass_t *pp, const char *s, size_t n)
{
    for (size_t i = 0; i < n; ++i) {
        char b[8];
        const unsigned char ch = (unsigned char)s[i];
        const int w = !ch                       ? snprintf(b, sizeof b, "\\0")
                      : ch < 0x20 || ch == 0x7f ? snprintf(b, sizeof b, "\\x%02x", ch)
                                                : snprintf(b, sizeof b, "%c", ch);
        if (pp->len + (size_t)w >= sizeof pp->path)
            break;
        memcpy(pp->path + pp->len, b, (size_t)w);
        pp->len += (size_t)w;
    }
    pp->path[pp->len] = '\0';
}

static void path_cut(prepass_t *pp, size_t len)
{
    pp->len = len;
    pp->path[len] = '\0';
}

/* Points the path at the node e opens: a list item, a key or a key's value. */
static void path_enter(prepass_t *pp, const yaml_event_t *e)
{
    if (!pp->depth) {
        path_cut(pp, 0);
        return;
    }
    frame_t *f = &pp->stack[pp->depth - 1];
    if (!f->map) {
        char b[32];
        path_cut(pp, f->base);
        path_append(pp, b, (size_t)snprintf(b, sizeof b, "[%zu]", f->index++));
    } else if (f->key) {
        path_cut(pp, f->base);
        /* a list or mapping as a key is refused later (keys must be plain words) */
        if (e->type == YAML_SCALAR_EVENT) {
            if (f->base)
                path_append(pp, ".", 1);
            path_append(pp, (const char *)e->data.scalar.value, e->data.scalar.length);
        }
        f->keyed = pp->len;
    } else {
        path_cut(pp, f->keyed);
    }
}

/* After a whole node: a mapping's next node is a value if this was a key, and the reverse. */
static void node_done(prepass_t *pp)
{
    if (pp->depth && pp->stack[pp->depth - 1].map)
        pp->stack[pp->depth - 1].key ^= 1;
}

static int prepass_error(prepass_t *pp, size_t line, const char *what)
{
    return gr_err_set(pp->err, GR_EINPUT, "%s:%zu: %s: %s", pp->file, line,
                      pp->len ? pp->path : "the top level", what);
}

/* The checks of one node event: its tag, its anchor, an alias, a scalar's NUL. */
static int check_node(prepass_t *pp, const yaml_event_t *e, size_t line)
{
    const yaml_char_t *tag = NULL, *anchor = NULL;
    if (e->type == YAML_SCALAR_EVENT) {
        tag = e->data.scalar.tag;
        anchor = e->data.scalar.anchor;
        if (strlen((const char *)e->data.scalar.value) != e->data.scalar.length)
            return prepass_error(pp, line, "contains a NUL character");
    } else if (e->type == YAML_SEQUENCE_START_EVENT) {
        tag = e->data.sequence_start.tag;
        anchor = e->data.sequence_start.anchor;
    } else if (e->type == YAML_MAPPING_START_EVENT) {
        tag = e->data.mapping_start.tag;
        anchor = e->data.mapping_start.anchor;
    } else if (e->type == YAML_ALIAS_EVENT && ++pp->aliases > GR_MAX_YAML_ALIASES) {
        return gr_err_set(pp->err, GR_EINPUT, "%s:%zu: more than %d YAML aliases (*name)", pp->file,
                          line, GR_MAX_YAML_ALIASES);
    }
    if (tag)
        return prepass_error(pp, line,
                             "YAML tags such as !!str are not supported; write the value plainly");
    if (anchor && ++pp->anchors > GR_MAX_YAML_ANCHORS)
        return gr_err_set(pp->err, GR_EINPUT, "%s:%zu: more than %d YAML anchors (&name)", pp->file,
                          line, GR_MAX_YAML_ANCHORS);
    return GR_OK;
}

/* One event: a node is placed and checked, a list or mapping opens or closes a frame. */
static int prepass_event(prepass_t *pp, const yaml_event_t *e)
{
    const size_t line = e->start_mark.line + 1;
    switch (e->type) {
    case YAML_SCALAR_EVENT:
    case YAML_ALIAS_EVENT:
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT: {
        path_enter(pp, e);
        const int rc = check_node(pp, e, line);
        if (rc)
            return rc;
        if (e->type == YAML_SCALAR_EVENT || e->type == YAML_ALIAS_EVENT) {
            node_done(pp);
            return GR_OK;
        }
        if (pp->depth == GR_MAX_YAML_DEPTH)
            return gr_err_set(pp->err, GR_EINPUT, "%s:%zu: nested more than %d levels deep",
                              pp->file, line, GR_MAX_YAML_DEPTH);
        pp->stack[pp->depth++] = (frame_t){.base = pp->len,
                                           .keyed = pp->len,
                                           .map = e->type == YAML_MAPPING_START_EVENT,
                                           .key = 1};
        return GR_OK;
    }
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        --pp->depth;
        node_done(pp);
        return GR_OK;
    default:
        return GR_OK;
    }
}

static int check_events(const char *text, size_t len, const char *path, gr_err_t *err)
{
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p))
        return gr_err_set(err, GR_ERUNTIME, "out of memory");
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    prepass_t pp = {.file = path, .err = err};
    int rc = GR_OK;
    while (!rc) {
        yaml_event_t e;
        if (!yaml_parser_parse(&p, &e)) {
            rc = yaml_error(&p, path, err);
            break;
        }
        rc = prepass_event(&pp, &e);
        const int end = e.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&e);
        if (end)
            break;
    }
    yaml_parser_delete(&p);
    return rc;
}

int schema_doc_load(const char *path, arena_t *a, schema_doc_t **out, gr_err_t *err)
{
    *out = NULL;
    schema_doc_t *d = calloc(1, sizeof *d);
    if (!d)
        return gr_err_set(err, GR_ERUNTIME, "out of memory");
    d->arena = a;
    d->path = arena_strdup(a, path);
    size_t len;
    int rc = d->path ? infile_read(path, GR_MAX_YAML_BYTES, &d->text, &len, d->sha256, err)
                     : gr_err_set(err, GR_ERUNTIME, "out of memory");
    if (rc) {
        free(d);
        return rc;
    }
    if ((rc = check_events(d->text, len, path, err))) {
        free(d->text);
        free(d);
        return rc;
    }
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p)) {
        free(d->text);
        free(d);
        return gr_err_set(err, GR_ERUNTIME, "out of memory");
    }
    yaml_parser_set_input_string(&p, (const unsigned char *)d->text, len);
    if (!yaml_parser_load(&p, &d->doc)) {
        rc = yaml_error(&p, path, err);
        yaml_parser_delete(&p);
        free(d->text);
        free(d);
        return rc;
    }
    const yaml_node_t *root = yaml_document_get_root_node(&d->doc);
    if (!root)
        rc = gr_err_set(err, GR_EINPUT, "%s: no YAML content (empty or comments only)", path);
    else if (root->type != YAML_MAPPING_NODE)
        rc = gr_err_set(err, GR_EINPUT, "%s:%zu: the top level must be a mapping of keys", path,
                        root->start_mark.line + 1);
    if (!rc) {
        /* A second document would be ignored silently by a loader that
         * stops after one; say so instead. */
        yaml_document_t next;
        if (!yaml_parser_load(&p, &next)) {
            rc = yaml_error(&p, path, err);
        } else {
            const yaml_node_t *r2 = yaml_document_get_root_node(&next);
            if (r2)
                rc = gr_err_set(err, GR_EINPUT,
                                "%s:%zu: a second YAML document; a scenario file holds one", path,
                                r2->start_mark.line + 1);
            yaml_document_delete(&next);
        }
    }
    yaml_parser_delete(&p);
    if (rc) {
        schema_doc_free(d);
        return rc;
    }
    *out = d;
    return GR_OK;
}

void schema_doc_free(schema_doc_t *d)
{
    if (!d)
        return;
    yaml_document_delete(&d->doc);
    free(d->text);
    free(d);
}

const char *schema_doc_text(const schema_doc_t *d) { return d->text; }
const char *schema_doc_path(const schema_doc_t *d) { return d->path; }
const char *schema_doc_sha256(const schema_doc_t *d) { return d->sha256; }

static const char *scalar(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

const char *schema_doc_root_scalar(const schema_doc_t *d, const char *key, size_t *line)
{
    yaml_document_t *doc = (yaml_document_t *)&d->doc;
    const yaml_node_t *root = yaml_document_get_root_node(doc);
    for (const yaml_node_pair_t *p = root->data.mapping.pairs.start;
         p < root->data.mapping.pairs.top; ++p) {
        const char *k = scalar(yaml_document_get_node(doc, p->key));
        if (k && !strcmp(k, key)) {
            const yaml_node_t *v = yaml_document_get_node(doc, p->value);
            if (line)
                *line = v->start_mark.line + 1;
            return scalar(v);
        }
    }
    return NULL;
}

/* --- scalars ------------------------------------------------------------ */

char *schema_resolve_path(arena_t *a, const char *file, const char *rel)
{
    if (rel[0] == '/')
        return arena_strdup(a, rel);
    const char *slash = strrchr(file, '/');
    const size_t dl = slash ? (size_t)(slash - file + 1) : 0;
    char *out = arena_alloc(a, dl + strlen(rel) + 1);
    if (out) {
        memcpy(out, file, dl);
        strcpy(out + dl, rel);
    }
    return out;
}

static int parse_uint(const char *s, unsigned long long *v)
{
    /* digits only; no leading zero (other YAML readers take 010 as octal 8) */
    if (!*s || strspn(s, "0123456789") != strlen(s) || (s[0] == '0' && s[1]))
        return -1;
    errno = 0;
    const unsigned long long x = strtoull(s, NULL, 10);
    if (errno == ERANGE)
        return -1;
    *v = x;
    return 0;
}

/* "[0, 1]", "(0, 1e+06]": the accepted interval of a number field. */
static void fmt_bounds(const schema_field_t *f, char *buf, size_t n)
{
    if (f->type == SF_UINT)
        snprintf(buf, n, "%.0f..%.0f", f->min, f->max);
    else
        snprintf(buf, n, "%c%g, %g%c", f->flags & SF_MIN_OPEN ? '(' : '[', f->min, f->max,
                 f->flags & SF_MAX_OPEN ? ')' : ']');
}

static int in_bounds(const schema_field_t *f, double x)
{
    const int lo = f->flags & SF_MIN_OPEN ? x > f->min : x >= f->min;
    const int hi = f->flags & SF_MAX_OPEN ? x < f->max : x <= f->max;
    return lo && hi;
}

static int check_string(const schema_field_t *f, const char *s, const char **why)
{
    const size_t n = strlen(s);
    const size_t max = f->max > 0 ? (size_t)f->max : GR_MAX_TEXT_LEN;
    switch (f->kind) {
    case SS_TEXT:
        if (n > max)
            return *why = "is too long", -1;
        /* `validate` prints it: an escape sequence would reach the terminal */
        if (!utf8_text(s))
            return *why = "must be UTF-8 text without control characters (but tabs and line "
                          "feeds)",
                   -1;
        return 0;
    case SS_PATH:
        if (!n || n > 4095)
            return *why = "must be a file path of 1..4095 bytes", -1;
        return 0;
    case SS_LABEL:
        if (!n || n > GR_MAX_NAME_LEN)
            return *why = "must be 1..63 bytes long", -1;
        /* the rule the summary reader applies to names in a result file */
        if (strchr(s, ',') || !utf8_printable(s))
            return *why = "must be printable UTF-8 without control characters or commas", -1;
        return 0;
    case SS_NAME:
        if (!n || n > GR_MAX_NAME_LEN)
            return *why = "must be 1..63 characters long", -1;
        if (strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-") != n ||
            s[0] == '.' || s[0] == '-')
            return *why = "may hold only letters, digits, '_', '.' and '-' (not first)", -1;
        return 0;
    }
    return 0;
}

int schema_set_scalar(const schema_field_t *f, const char *text, const char *file, size_t line,
                      const char *path, void *base, arena_t *a, gr_err_t *err)
{
    char *at = (char *)base + f->offset;
    char b[96];
    switch (f->type) {
    case SF_DOUBLE: {
        double x;
        const int rc = csv_parse_double(text, &x);
        if (rc)
            return gr_err_set(err, GR_EINPUT, "%s:%zu: %s: '%.40s' %s", file, line, path, text,
                              csv_number_why(rc));
        if (!in_bounds(f, x)) {
            fmt_bounds(f, b, sizeof b);
            {
                /* "-" marks a share or ratio in the docs; a message reads better without it */
                const int unit = *f->unit && strcmp(f->unit, "-");
                return gr_err_set(err, GR_EINPUT, "%s:%zu: %s: must be in %s%s%s (got %g)", file,
                                  line, path, b, unit ? " " : "", unit ? f->unit : "", x);
            }
        }
        memcpy(at, &x, sizeof x);
        return GR_OK;
    }
    case SF_UINT: {
        unsigned long long x;
        fmt_bounds(f, b, sizeof b);
        if (parse_uint(text, &x) || (double)x < f->min || (double)x > f->max)
            return gr_err_set(err, GR_EINPUT,
                              "%s:%zu: %s: must be a whole number in %s, written "
                              "in digits (got '%.40s')",
                              file, line, path, b, text);
        if (f->width == 4) {
            const uint32_t v = (uint32_t)x;
            memcpy(at, &v, sizeof v);
        } else {
            const uint64_t v = x;
            memcpy(at, &v, sizeof v);
        }
        return GR_OK;
    }
    case SF_STRING: {
        const char *why = NULL;
        if (check_string(f, text, &why)) {
            /* the refused text may hold control characters: show them escaped */
            char shown[41 * 4 + 1];
            size_t k = 0;
            for (const unsigned char *q = (const unsigned char *)text; *q && k < 40 * 4; ++q)
                k += (size_t)snprintf(shown + k, sizeof shown - k,
                                      *q < 0x20 || *q >= 0x7f ? "\\x%02x" : "%c", *q);
            shown[k] = '\0';
            return gr_err_set(err, GR_EINPUT, "%s:%zu: %s: '%s' %s", file, line, path, shown, why);
        }
        char *s = f->kind == SS_PATH ? schema_resolve_path(a, file, text) : arena_strdup(a, text);
        if (!s)
            return gr_err_set(err, GR_ERUNTIME, "out of memory");
        memcpy(at, &s, sizeof s);
        return GR_OK;
    }
    case SF_ENUM:
        for (unsigned i = 0; i < f->n_names; ++i)
            if (!strcmp(text, f->names[i])) {
                const int v = (int)i;
                memcpy(at, &v, sizeof v);
                return GR_OK;
            }
        {
            char list[256] = "";
            for (unsigned i = 0; i < f->n_names; ++i)
                snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "",
                         f->names[i]);
            return gr_err_set(err, GR_EINPUT, "%s:%zu: %s: '%.40s' is not one of: %s", file, line,
                              path, text, list);
        }
    default:
        return gr_err_set(err, GR_EINPUT, "%s:%zu: %s: expected a %s, not a single value", file,
                          line, path,
                          f->type == SF_MAP || f->type == SF_MAP_PTR ? "mapping" : "list");
    }
}

/* --- defaults ----------------------------------------------------------- */

int schema_defaults(const schema_section_t *sec, void *base, arena_t *a, gr_err_t *err)
{
    for (size_t i = 0; i < sec->n_fields; ++i) {
        const schema_field_t *f = &sec->fields[i];
        char *at = (char *)base + f->offset;
        switch (f->type) {
        case SF_DOUBLE: {
            const double v = f->flags & SF_OPT ? NAN : f->def;
            memcpy(at, &v, sizeof v);
            break;
        }
        case SF_UINT:
            if (f->width == 4) {
                const uint32_t v = (uint32_t)f->def;
                memcpy(at, &v, sizeof v);
            } else {
                const uint64_t v = (uint64_t)f->def;
                memcpy(at, &v, sizeof v);
            }
            break;
        case SF_STRING: {
            char *s = f->def_str ? arena_strdup(a, f->def_str) : NULL;
            if (f->def_str && !s)
                return gr_err_set(err, GR_ERUNTIME, "out of memory");
            memcpy(at, &s, sizeof s);
            break;
        }
        case SF_ENUM: {
            int v = 0;
            for (unsigned k = 0; f->def_str && k < f->n_names; ++k)
                v = strcmp(f->def_str, f->names[k]) ? v : (int)k;
            memcpy(at, &v, sizeof v);
            break;
        }
        case SF_MAP: {
            const int rc = schema_defaults(f->sub, at, a, err);
            if (rc)
                return rc;
            break;
        }
        case SF_MAP_PTR:
        case SF_SEQ:
        case SF_DOUBLES: {
            void *null = NULL;
            memcpy(at, &null, sizeof null);
            if (f->type != SF_MAP_PTR) {
                const unsigned zero = 0;
                memcpy((char *)base + f->count_offset, &zero, sizeof zero);
            }
            break;
        }
        }
    }
    return GR_OK;
}

const schema_field_t *schema_find(const schema_section_t *sec, const char *key)
{
    for (size_t i = 0; i < sec->n_fields; ++i)
        if (!strcmp(sec->fields[i].key, key))
            return &sec->fields[i];
    return NULL;
}

/* --- filling from YAML -------------------------------------------------- */

typedef struct {
    schema_doc_t *d;
    gr_err_t *err;
} fill_t;

static size_t line_of(const yaml_node_t *n) { return n->start_mark.line + 1; }

static int fill_map(fill_t *c, const schema_section_t *sec, yaml_node_t *node, void *base,
                    const char *path, int overlay);

static int is_null(const yaml_node_t *n)
{
    if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return 0;
    const char *s = (const char *)n->data.scalar.value;
    return !*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") || !strcmp(s, "NULL");
}

static int node_kind_error(fill_t *c, const yaml_node_t *n, const char *path, const char *want)
{
    return gr_err_set(c->err, GR_EINPUT, "%s:%zu: %s: expected %s", c->d->path, line_of(n), path,
                      want);
}

static int visit(fill_t *c, const yaml_node_t *n)
{
    if (++c->d->visits > GR_MAX_YAML_NODES)
        return gr_err_set(c->err, GR_EINPUT,
                          "%s:%zu: more than %d values (aliases nested too "
                          "deeply?)",
                          c->d->path, line_of(n), GR_MAX_YAML_NODES);
    return GR_OK;
}

static int fill_value(fill_t *c, const schema_field_t *f, yaml_node_t *v, void *base,
                      const char *path, int overlay)
{
    yaml_document_t *doc = &c->d->doc;
    arena_t *a = c->d->arena;
    char *at = (char *)base + f->offset;
    int rc = visit(c, v);
    if (rc)
        return rc;
    switch (f->type) {
    case SF_DOUBLE:
    case SF_UINT:
    case SF_STRING:
    case SF_ENUM:
        if (v->type != YAML_SCALAR_NODE)
            return node_kind_error(c, v, path, "a single value, not a list or mapping");
        if (is_null(v))
            return gr_err_set(c->err, GR_EINPUT, "%s:%zu: %s: has no value", c->d->path, line_of(v),
                              path);
        if ((f->type == SF_DOUBLE || f->type == SF_UINT) &&
            v->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
            return gr_err_set(c->err, GR_EINPUT, "%s:%zu: %s: a number must not be quoted",
                              c->d->path, line_of(v), path);
        return schema_set_scalar(f, (const char *)v->data.scalar.value, c->d->path, line_of(v),
                                 path, base, a, c->err);
    case SF_MAP:
        return fill_map(c, f->sub, v, at, path, overlay);
    case SF_MAP_PTR: {
        void *p;
        memcpy(&p, at, sizeof p);
        const int fresh = !p || !overlay;
        if (fresh && !(p = arena_alloc(a, f->sub->size)))
            return gr_err_set(c->err, GR_ERUNTIME, "out of memory");
        memcpy(at, &p, sizeof p);
        return fill_map(c, f->sub, v, p, path, !fresh);
    }
    case SF_SEQ:
    case SF_DOUBLES: {
        if (v->type != YAML_SEQUENCE_NODE)
            return node_kind_error(c, v, path, "a list");
        const size_t n = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
        if ((double)n < f->min || (double)n > f->max) {
            if (f->min == f->max)
                return gr_err_set(c->err, GR_EINPUT,
                                  "%s:%zu: %s: needs exactly %.0f entries "
                                  "(got %zu)",
                                  c->d->path, line_of(v), path, f->min, n);
            return gr_err_set(c->err, GR_EINPUT,
                              "%s:%zu: %s: needs %.0f to %.0f entries (got "
                              "%zu)",
                              c->d->path, line_of(v), path, f->min, f->max, n);
        }
        const size_t esz = f->type == SF_SEQ ? f->sub->size : sizeof(double);
        char *arr = n ? arena_calloc(a, n, esz) : NULL;
        if (n && !arr)
            return gr_err_set(c->err, GR_ERUNTIME, "out of memory");
        /* one synthetic field for the items of a list of numbers */
        const schema_field_t item = {.key = f->key,
                                     .type = SF_DOUBLE,
                                     .unit = f->unit,
                                     .min = f->vmin,
                                     .max = f->vmax,
                                     .flags = f->flags & (SF_MIN_OPEN | SF_MAX_OPEN)};
        for (size_t i = 0; i < n && !rc; ++i) {
            yaml_node_t *it = yaml_document_get_node(doc, v->data.sequence.items.start[i]);
            char ipath[320];
            snprintf(ipath, sizeof ipath, "%s[%zu]", path, i);
            if (f->type == SF_SEQ)
                rc = fill_map(c, f->sub, it, arr + i * esz, ipath, 0);
            else if ((rc = visit(c, it)) == GR_OK) {
                if (it->type != YAML_SCALAR_NODE || is_null(it) ||
                    it->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
                    rc = node_kind_error(c, it, ipath, "a number");
                else
                    rc = schema_set_scalar(&item, (const char *)it->data.scalar.value, c->d->path,
                                           line_of(it), ipath, arr + i * esz, a, c->err);
            }
        }
        if (rc)
            return rc;
        const unsigned cnt = (unsigned)n;
        memcpy(at, &arr, sizeof arr);
        memcpy((char *)base + f->count_offset, &cnt, sizeof cnt);
        return GR_OK;
    }
    }
    return GR_OK;
}

static int fill_map(fill_t *c, const schema_section_t *sec, yaml_node_t *node, void *base,
                    const char *path, int overlay)
{
    yaml_document_t *doc = &c->d->doc;
    if (node->type != YAML_MAPPING_NODE)
        return node_kind_error(c, node, *path ? path : "the top level", "a mapping of keys");
    int rc;
    if (!overlay && (rc = schema_defaults(sec, base, c->d->arena, c->err)))
        return rc;
    if (sec->src_offset != SCHEMA_NO_SRC) {
        const gr_src_t src = {c->d->path, line_of(node)};
        memcpy((char *)base + sec->src_offset, &src, sizeof src);
    }
    uint64_t seen = 0; /* tables have at most 64 fields */
    for (yaml_node_pair_t *p = node->data.mapping.pairs.start; p < node->data.mapping.pairs.top;
         ++p) {
        yaml_node_t *k = yaml_document_get_node(doc, p->key);
        yaml_node_t *v = yaml_document_get_node(doc, p->value);
        const char *key = scalar(k);
        if (!key)
            return gr_err_set(c->err, GR_EINPUT, "%s:%zu: %s: keys must be plain words", c->d->path,
                              line_of(k), *path ? path : "the top level");
        const schema_field_t *f = schema_find(sec, key);
        if (!f) {
            char known[512] = "";
            for (size_t i = 0; i < sec->n_fields; ++i)
                snprintf(known + strlen(known), sizeof known - strlen(known), "%s%s", i ? ", " : "",
                         sec->fields[i].key);
            return gr_err_set(c->err, GR_EINPUT, "%s:%zu: unknown key '%.64s' in %s (known: %s)",
                              c->d->path, line_of(k), key, *path ? path : "the top level", known);
        }
        const uint64_t bit = 1ULL << (f - sec->fields);
        if (seen & bit)
            return gr_err_set(c->err, GR_EINPUT, "%s:%zu: key '%s' given twice", c->d->path,
                              line_of(k), key);
        seen |= bit;
        char fpath[256];
        snprintf(fpath, sizeof fpath, "%s%s%s", path, *path ? "." : "", key);
        if ((rc = fill_value(c, f, v, base, fpath, overlay)))
            return rc;
    }
    for (size_t i = 0; !overlay && i < sec->n_fields; ++i)
        if ((sec->fields[i].flags & SF_REQ) && !(seen & (1ULL << i)))
            return gr_err_set(c->err, GR_EINPUT, "%s:%zu: %s: missing required field '%s'",
                              c->d->path, line_of(node), *path ? path : "the top level",
                              sec->fields[i].key);
    return GR_OK;
}

int schema_fill(schema_doc_t *d, const schema_section_t *sec, void *base, int overlay,
                gr_err_t *err)
{
    fill_t c = {d, err};
    return fill_map(&c, sec, yaml_document_get_root_node(&d->doc), base, "", overlay);
}

/* --- the reference table ------------------------------------------------ */

static void print_rows(const schema_section_t *sec, const char *prefix, FILE *out)
{
    for (size_t i = 0; i < sec->n_fields; ++i) {
        const schema_field_t *f = &sec->fields[i];
        char path[256], type[300] = "", allowed[96] = "", def[64] = "";
        snprintf(path, sizeof path, "%s%s%s", prefix, *prefix ? "." : "", f->key);
        switch (f->type) {
        case SF_DOUBLE:
            snprintf(type, sizeof type, "number");
            fmt_bounds(f, allowed, sizeof allowed);
            if (f->flags & SF_OPT)
                snprintf(def, sizeof def, "(absent)");
            else
                snprintf(def, sizeof def, "%g", f->def);
            break;
        case SF_UINT:
            snprintf(type, sizeof type, "whole number");
            fmt_bounds(f, allowed, sizeof allowed);
            snprintf(def, sizeof def, "%.0f", f->def);
            break;
        case SF_STRING:
            snprintf(type, sizeof type, "%s",
                     (const char *[]){"text", "label", "name", "path"}[f->kind]);
            snprintf(def, sizeof def, "%s", f->def_str ? f->def_str : "");
            break;
        case SF_ENUM:
            for (unsigned k = 0; k < f->n_names; ++k)
                snprintf(type + strlen(type), sizeof type - strlen(type), "%s`%s`",
                         k ? ", " : "one of ", f->names[k]);
            snprintf(def, sizeof def, "%s", f->def_str ? f->def_str : "");
            break;
        case SF_MAP:
        case SF_MAP_PTR:
            snprintf(type, sizeof type, "mapping");
            break;
        case SF_SEQ:
            snprintf(type, sizeof type, "list of mappings");
            snprintf(allowed, sizeof allowed, "%.0f..%.0f entries", f->min, f->max);
            break;
        case SF_DOUBLES:
            snprintf(type, sizeof type, "list of numbers");
            snprintf(allowed, sizeof allowed, "%.0f..%.0f entries, each in [%g, %g]", f->min,
                     f->max, f->vmin, f->vmax);
            break;
        }
        fprintf(out, "| `%s` | %s | %s | %s | %s | %s%s |\n", path, type, f->unit, allowed,
                f->flags & SF_REQ ? "required" : def, f->doc, "");
        if (f->type == SF_MAP || f->type == SF_MAP_PTR || f->type == SF_SEQ) {
            char sub[260];
            snprintf(sub, sizeof sub, "%s%s", path, f->type == SF_SEQ ? "[]" : "");
            print_rows(f->sub, sub, out);
        }
    }
}

void schema_print(const schema_section_t *root, FILE *out)
{
    fprintf(out, "| field | type | unit | allowed | default | meaning |\n");
    fprintf(out, "|---|---|---|---|---|---|\n");
    print_rows(root, "", out);
}
