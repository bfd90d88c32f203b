/*
 * schema.h - declarative input tables and the one path that fills them.
 *
 * Every section of a scenario file is a table of fields (key, type, unit,
 * bounds, default, one line of doc) bound to a C struct by offsetof, as
 * Redis's config.c declares each option once. One function walks a YAML
 * mapping against a table; the same scalar parser serves CSV cells, so a
 * unit row in units.csv and one in units.list pass the same checks, and a
 * `base:` overlay is filled through the same rows as a plain file (it only
 * skips defaults and required-field checks, which the base already passed).
 *
 * Numbers are parsed strictly: a double is the whole scalar as strtod reads
 * it and finite (no hex, inf or nan); a whole number is digits only, so
 * `1e12`, `1.5` and `10abc` are errors, never 1 or 10. Every error names the
 * file, the line and the dotted field path.
 */
#ifndef GR_SCHEMA_H
#define GR_SCHEMA_H

#include "../model/err.h"
#include "arena.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef enum {
    SF_DOUBLE,  /* double; bounds min/max */
    SF_UINT,    /* uint32_t (width 4) or uint64_t (width 8); bounds min/max */
    SF_STRING,  /* char *, from the arena; kind says what is allowed */
    SF_ENUM,    /* int; one of names[] */
    SF_MAP,     /* an embedded struct described by sub */
    SF_MAP_PTR, /* a pointer to a struct described by sub, NULL when absent */
    SF_SEQ,     /* pointer to an array of sub structs + unsigned count */
    SF_DOUBLES  /* pointer to an array of doubles + unsigned count */
} sf_type_t;

typedef enum {
    SS_TEXT,  /* any text up to max bytes */
    SS_LABEL, /* 1..GR_MAX_NAME_LEN printable bytes, no comma */
    SS_NAME,  /* 1..GR_MAX_NAME_LEN of [A-Za-z0-9_.-], not starting with '.' or '-':
               * safe as an HDF5 group name and in comma-joined lists */
    SS_PATH   /* a file path, resolved against the directory of the file naming it */
} ss_kind_t;

enum {
    SF_REQ = 1u << 0,      /* must be given (in the file a `base:` chain starts from) */
    SF_OPT = 1u << 1,      /* SF_DOUBLE with no default: NAN when absent */
    SF_MIN_OPEN = 1u << 2, /* value > min, not >= */
    SF_MAX_OPEN = 1u << 3  /* value < max, not <= */
};

struct schema_section;

typedef struct {
    const char *key;
    sf_type_t type;
    unsigned flags;
    size_t offset;
    const char *unit;    /* "MW", "h", "1/yr", "-" for a share, "" for none */
    double min, max;     /* numbers: value bounds; SF_SEQ/SF_DOUBLES: count bounds */
    double def;          /* SF_DOUBLE/SF_UINT default */
    const char *def_str; /* SF_STRING/SF_ENUM default (NULL: none) */
    const char *doc;
    unsigned width;           /* SF_UINT: 4 or 8 bytes */
    ss_kind_t kind;           /* SF_STRING */
    const char *const *names; /* SF_ENUM */
    unsigned n_names;
    const struct schema_section *sub; /* SF_MAP, SF_MAP_PTR, SF_SEQ */
    size_t count_offset;              /* SF_SEQ, SF_DOUBLES: unsigned member */
    double vmin, vmax;                /* SF_DOUBLES: bounds of each value */
} schema_field_t;

/* Where a mapping (a unit, a block, a scenario) was written, for checks that
 * look at several fields at once. */
typedef struct {
    const char *file;
    size_t line;
} gr_src_t;

typedef struct schema_section {
    const char *name;  /* dotted path in docs: "economics.fuel" */
    size_t size;       /* sizeof the struct */
    size_t src_offset; /* a gr_src_t member, or SCHEMA_NO_SRC */
    const schema_field_t *fields;
    size_t n_fields;
    const char *doc;
} schema_section_t;

#define SCHEMA_NO_SRC ((size_t)-1)
#define SCHEMA_N(a) (sizeof(a) / sizeof *(a))

/* Row builders: keep each table to one line per field. */
#define SCHEMA_DBL(k, T, m, fl, u, lo, hi, d, doc_)                                                \
    {                                                                                              \
        .key = k, .type = SF_DOUBLE, .flags = fl, .offset = offsetof(T, m), .unit = u, .min = lo,  \
        .max = hi, .def = d, .doc = doc_                                                           \
    }
#define SCHEMA_U32(k, T, m, fl, u, lo, hi, d, doc_)                                                \
    {                                                                                              \
        .key = k, .type = SF_UINT, .flags = fl, .offset = offsetof(T, m), .unit = u, .min = lo,    \
        .max = hi, .def = d, .doc = doc_, .width = 4                                               \
    }
#define SCHEMA_U64(k, T, m, fl, u, lo, hi, d, doc_)                                                \
    {                                                                                              \
        .key = k, .type = SF_UINT, .flags = fl, .offset = offsetof(T, m), .unit = u, .min = lo,    \
        .max = hi, .def = d, .doc = doc_, .width = 8                                               \
    }
#define SCHEMA_STR(k, T, m, fl, kd, maxlen, d, doc_)                                               \
    {                                                                                              \
        .key = k, .type = SF_STRING, .flags = fl, .offset = offsetof(T, m), .unit = "",            \
        .max = maxlen, .def_str = d, .doc = doc_, .kind = kd                                       \
    }
#define SCHEMA_ENUM(k, T, m, fl, nm, d, doc_)                                                      \
    {                                                                                              \
        .key = k, .type = SF_ENUM, .flags = fl, .offset = offsetof(T, m), .unit = "",              \
        .def_str = d, .doc = doc_, .names = nm, .n_names = SCHEMA_N(nm)                            \
    }
#define SCHEMA_MAP(k, T, m, fl, sec, doc_)                                                         \
    {                                                                                              \
        .key = k, .type = SF_MAP, .flags = fl, .offset = offsetof(T, m), .unit = "", .doc = doc_,  \
        .sub = &sec                                                                                \
    }
#define SCHEMA_MAP_PTR(k, T, m, fl, sec, doc_)                                                     \
    {                                                                                              \
        .key = k, .type = SF_MAP_PTR, .flags = fl, .offset = offsetof(T, m), .unit = "",           \
        .doc = doc_, .sub = &sec                                                                   \
    }
#define SCHEMA_SEQ(k, T, m, cnt, fl, sec, lo, hi, doc_)                                            \
    {                                                                                              \
        .key = k, .type = SF_SEQ, .flags = fl, .offset = offsetof(T, m), .unit = "", .min = lo,    \
        .max = hi, .doc = doc_, .sub = &sec, .count_offset = offsetof(T, cnt)                      \
    }
#define SCHEMA_DBLS(k, T, m, cnt, fl, u, lo, hi, vlo, vhi, doc_)                                   \
    {                                                                                              \
        .key = k, .type = SF_DOUBLES, .flags = fl, .offset = offsetof(T, m), .unit = u, .min = lo, \
        .max = hi, .doc = doc_, .count_offset = offsetof(T, cnt), .vmin = vlo, .vmax = vhi         \
    }
#define SCHEMA_SECTION(nm, T, srcm, tbl, doc_)                                                     \
    {                                                                                              \
        .name = nm, .size = sizeof(T), .src_offset = srcm, .fields = tbl,                          \
        .n_fields = SCHEMA_N(tbl), .doc = doc_                                                     \
    }

/* One YAML file being filled into structs. */
typedef struct schema_doc schema_doc_t;

/* Reads and parses path (one YAML document whose root is a mapping; empty,
 * comment-only and multi-document files are errors). */
int schema_doc_load(const char *path, arena_t *a, schema_doc_t **out, gr_err_t *err);
void schema_doc_free(schema_doc_t *d);
/* The file's text (for the result file) and its path as an arena string. */
const char *schema_doc_text(const schema_doc_t *d);
const char *schema_doc_path(const schema_doc_t *d);
/* SHA-256 of the file as on disk (64 hex digits). */
const char *schema_doc_sha256(const schema_doc_t *d);
/* The root mapping's scalar value for key, or NULL (used to find `base:`
 * before filling); *line (if line is not NULL) receives its line. */
const char *schema_doc_root_scalar(const schema_doc_t *d, const char *key, size_t *line);

/* Fills the struct at base from the document's root mapping. overlay = 0:
 * every field first takes its default, required fields must be present.
 * overlay = 1: only the keys present change (nested mappings merge key by
 * key; a sequence is replaced whole). */
int schema_fill(schema_doc_t *d, const schema_section_t *sec, void *base, int overlay,
                gr_err_t *err);

/* Sets the defaults of every field of sec in base (a CSV row starts so). */
int schema_defaults(const schema_section_t *sec, void *base, arena_t *a, gr_err_t *err);
/* Parses text into field f of base, with its checks; file:line and the
 * dotted path name the place in messages. Strings are copied to a. Paths
 * resolve against file's directory. */
int schema_set_scalar(const schema_field_t *f, const char *text, const char *file, size_t line,
                      const char *path, void *base, arena_t *a, gr_err_t *err);
/* The field of sec named key, or NULL. */
const schema_field_t *schema_find(const schema_section_t *sec, const char *key);

/* `gridrisk schema`: every field of the tree under root, one row each, as
 * a Markdown table (the input reference in docs/ is this output). */
void schema_print(const schema_section_t *root, FILE *out);

/* rel against the directory of file (rel if absolute); arena string. */
char *schema_resolve_path(arena_t *a, const char *file, const char *rel);

#endif
