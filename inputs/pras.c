/*
 * pras.c - see pras.h. The reader runs in four passes, so that nothing
 * big is allocated before the file has said how big it is and the small
 * parts agree:
 *
 *   1. the root attributes (version first: a file that is not PRAS's, or
 *      not a version we read, is refused before anything else is said);
 *   2. which groups there are;
 *   3. the `_core` tables: names, categories, regions, interface pairs,
 *      read field by field BY NAME (writers differ in field order, string
 *      size and kind), checked for uniqueness and cross-references;
 *   4. once the total of time-varying values is known to be under
 *      GR_MAX_PRAS_VALUES, the [timestep][entity] datasets, each checked
 *      for type class, exact shape and range.
 *
 * Every read goes through outputs/h5read.c, which refuses external links,
 * external or virtual storage, unknown filters and datasets never written.
 * Rows, columns and timesteps in messages count from 1, as PRAS does.
 */
#include "pras.h"

#include "../model/limits.h"
#include "../model/utf8.h"
#include "../outputs/h5out.h"
#include "../outputs/h5read.h"
#include "arena.h"

#include <errno.h>
#include <fcntl.h>
#include <hdf5.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Rows of a `_core` table are read in batches of at most this many bytes
 * (a fixed-length string field may be wide). */
enum { CORE_BATCH_BYTES = 1 << 24 };
/* Widest `_core` row and widest fixed-length string field read: HDF5
 * allocates a whole row to convert it, whatever fields are asked for. */
enum { CORE_MAX_ROW_BYTES = 1 << 24, CORE_MAX_FIELD_BYTES = 1 << 20 };
/* Variable-length strings are read this many rows at a time, after HDF5
 * has said how many bytes they take (so a huge string is refused unread). */
enum { CORE_VLEN_BATCH = 1024 };
/* Bytes of HDF5's conversion buffer when reading a `_core` field. */
enum { CORE_XFER_BYTES = 1 << 16 };

/* --- the loader's state ------------------------------------------------ */

/* A name and its row, for sorting (uniqueness, look-ups). */
typedef struct {
    const char *s;
    uint32_t i;
} named_t;

/* Interface pairs sorted for look-ups: (lo, hi) region indices, lo < hi. */
typedef struct {
    uint32_t lo, hi, i;
} pair_t;

typedef struct {
    h5read_t h;
    const char *path;
    arena_t *ar;
    net_sys_t *sys;
    gr_err_t *err;
    named_t *regions_sorted; /* [n_regions] by name */
    pair_t *ifaces_sorted;   /* [n_ifaces] by (lo, hi) */
    uint8_t *iface_swapped;  /* [n_ifaces] 1: given to -> from in the file */
    uint8_t *line_swapped;   /* [n_lines] */
    int has[8];              /* groups present, by group_id_t */
} ld_t;

typedef enum { G_REGIONS, G_GENS, G_STORS, G_GENSTORS, G_IFACES, G_LINES, G_N } group_id_t;

/* --- messages ---------------------------------------------------------- */

/* Text from the file, fit to be shown: printable UTF-8 as it is (cut to
 * 80 bytes at a character boundary), anything else with its bytes outside
 * printable ASCII escaped as \xNN (cut to 40 bytes). */
static const char *shown(const char *s, char *buf, size_t n)
{
    if (utf8_printable(s)) {
        size_t len = strlen(s);
        if (len <= 80) {
            snprintf(buf, n, "%s", s);
        } else {
            len = 80;
            while (len && ((unsigned char)s[len] & 0xc0) == 0x80)
                --len;
            snprintf(buf, n, "%.*s...", (int)len, s);
        }
        return buf;
    }
    size_t k = 0;
    const unsigned char *p = (const unsigned char *)s;
    for (size_t j = 0; p[j] && j < 40 && k + 5 < n; ++j)
        k += (size_t)snprintf(buf + k, n - k, p[j] < 0x20 || p[j] >= 0x7f ? "\\x%02x" : "%c", p[j]);
    if (p[0] && strlen(s) > 40 && k + 4 < n)
        k += (size_t)snprintf(buf + k, n - k, "...");
    buf[k < n ? k : n - 1] = '\0';
    return buf;
}

/* --- root attributes --------------------------------------------------- */

/* Reads a string attribute into out[n], refusing one that does not fit. */
static int attr_text(ld_t *L, const char *name, char *out, size_t n, char **whole)
{
    char *s = NULL;
    int rc = h5read_attr_str(&L->h, name, &s, L->err);
    if (rc)
        return rc;
    snprintf(out, n, "%s", s);
    if (whole)
        *whole = s;
    else
        free(s);
    return GR_OK;
}

/* Parses "vX.Y.Z" (digits only, as read.jl's ^v(\d+)\.(\d+)\.(\d+)$);
 * components saturate at 10^9. Returns 0 if s has that form. */
static int parse_version(const char *s, long v[3])
{
    if (*s++ != 'v')
        return -1;
    for (int k = 0; k < 3; ++k) {
        if (*s < '0' || *s > '9')
            return -1;
        v[k] = 0;
        while (*s >= '0' && *s <= '9') {
            v[k] = v[k] * 10 + (*s++ - '0');
            if (v[k] > 1000000000L)
                v[k] = 1000000000L;
        }
        if (k < 2 && *s++ != '.')
            return -1;
    }
    return *s ? -1 : 0;
}

static int read_version(ld_t *L)
{
    char *s = NULL, buf[200];
    if (H5Aexists(L->h.file, "pras_dataversion") <= 0)
        return gr_err_set(L->err, GR_EINPUT,
                          "%s: attribute 'pras_dataversion': missing (not a PRAS system file?)",
                          L->path);
    int rc = h5read_attr_str(&L->h, "pras_dataversion", &s, L->err);
    if (rc)
        return rc;
    long v[3];
    if (parse_version(s, v))
        rc = gr_err_set(L->err, GR_EINPUT,
                        "%s: attribute 'pras_dataversion': '%s' is not a version vX.Y.Z", L->path,
                        shown(s, buf, sizeof buf));
    /* read.jl: (0,5,0) <= version < (0,9,0) */
    else if (v[0] != 0 || v[1] < 5 || v[1] > 8)
        rc = gr_err_set(L->err, GR_EINPUT,
                        "%s: attribute 'pras_dataversion': PRAS file format %s is not supported "
                        "(versions v0.5.0 to v0.8.x are read)",
                        L->path, shown(s, buf, sizeof buf));
    else if (strlen(s) >= sizeof L->sys->version)
        rc = gr_err_set(L->err, GR_EINPUT,
                        "%s: attribute 'pras_dataversion': '%s' is longer than %zu characters",
                        L->path, shown(s, buf, sizeof buf), sizeof L->sys->version - 1);
    else
        snprintf(L->sys->version, sizeof L->sys->version, "%s", s);
    free(s);
    return rc;
}

static int leap(long y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

/* 1 if s is yyyy-mm-ddTHH:MM:SS+hh:mm (or -hh:mm), a real date and time:
 * the 25-character form the spec fixes and read.jl parses. */
static int timestamp_ok(const char *s)
{
    static const char FORM[] = "dddd-dd-ddTdd:dd:dd?dd:dd";
    if (strlen(s) != sizeof FORM - 1)
        return 0;
    for (size_t i = 0; FORM[i]; ++i) {
        const char c = s[i];
        if (FORM[i] == 'd'   ? c < '0' || c > '9'
            : FORM[i] == '?' ? c != '+' && c != '-'
                             : c != FORM[i])
            return 0;
    }
#define NUM2(at) ((s[at] - '0') * 10 + (s[(at) + 1] - '0'))
    const long year = NUM2(0) * 100 + NUM2(2);
    const int month = NUM2(5), day = NUM2(8), hour = NUM2(11), minute = NUM2(14), second = NUM2(17),
              tzh = NUM2(20), tzm = NUM2(23);
#undef NUM2
    static const int DAYS[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12)
        return 0;
    const int mdays = DAYS[month - 1] + (month == 2 && leap(year));
    /* UTC offsets run from -12:00 to +14:00 */
    return day >= 1 && day <= mdays && hour <= 23 && minute <= 59 && second <= 59 && tzh <= 14 &&
           tzm <= 59;
}

/* A unit and PRAS's conversion factors (PRASCore.jl, Systems/units.jl):
 * to = conversionfactor(unit, MW) and from = conversionfactor(MW, unit)
 * for powers (an energy unit: its power part); to = conversionfactor(unit,
 * Hour) for times. */
typedef struct {
    const char *name;
    double to, from;
} unit_t;

/* "sec" is the spec's name for seconds, which PRAS's own table lacks
 * (see docs/PRAS.md). */
static const unit_t TIME_UNITS[] = {
    {"sec", 1.0 / 3600, 3600}, {"min", 1.0 / 60, 60}, {"h", 1, 1}, {"d", 24, 1.0 / 24}};
static const unit_t POWER_UNITS[] = {{"kW", 1.0 / 1000, 1000},
                                     {"MW", 1, 1},
                                     {"GW", 1000, 1.0 / 1000},
                                     {"TW", 1000000, 1.0 / 1000000}};
static const unit_t ENERGY_UNITS[] = {{"kWh", 1.0 / 1000, 1000},
                                      {"MWh", 1, 1},
                                      {"GWh", 1000, 1.0 / 1000},
                                      {"TWh", 1000000, 1.0 / 1000000}};

static int read_unit(ld_t *L, const char *attr, const unit_t *u, size_t nu, char *out, size_t n,
                     const unit_t **found)
{
    char *s = NULL, buf[200];
    int rc = h5read_attr_str(&L->h, attr, &s, L->err);
    if (rc)
        return rc;
    for (size_t i = 0; i < nu; ++i)
        if (!strcmp(s, u[i].name)) {
            snprintf(out, n, "%s", s);
            *found = &u[i];
            free(s);
            return GR_OK;
        }
    char list[64] = "";
    for (size_t i = 0; i < nu; ++i)
        snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "", u[i].name);
    rc = gr_err_set(L->err, GR_EINPUT, "%s: attribute '%s': unknown unit '%s' (expected one of %s)",
                    L->path, attr, shown(s, buf, sizeof buf), list);
    free(s);
    return rc;
}

static int read_attrs(ld_t *L)
{
    net_sys_t *sys = L->sys;
    int rc = read_version(L);
    if (rc)
        return rc;
    char *ts = NULL, buf[200];
    rc = attr_text(L, "start_timestamp", sys->start_timestamp, sizeof sys->start_timestamp, &ts);
    if (rc)
        return rc;
    if (!timestamp_ok(ts)) {
        rc = gr_err_set(L->err, GR_EINPUT,
                        "%s: attribute 'start_timestamp': '%s' is not a timestamp of the form "
                        "2020-12-31T23:59:59-07:00",
                        L->path, shown(ts, buf, sizeof buf));
        free(ts);
        return rc;
    }
    free(ts);
    int64_t count, length;
    rc = h5read_attr_int(&L->h, "timestep_count", 1, GR_MAX_PRAS_STEPS, &count, L->err);
    if (!rc)
        rc = h5read_attr_int(&L->h, "timestep_length", 1, UINT32_MAX, &length, L->err);
    const unit_t *tu = NULL, *pu = NULL, *eu = NULL;
    if (!rc)
        rc = read_unit(L, "timestep_unit", TIME_UNITS, sizeof TIME_UNITS / sizeof *TIME_UNITS,
                       sys->step_unit, sizeof sys->step_unit, &tu);
    if (!rc)
        rc = read_unit(L, "power_unit", POWER_UNITS, sizeof POWER_UNITS / sizeof *POWER_UNITS,
                       sys->power_unit, sizeof sys->power_unit, &pu);
    if (!rc)
        rc = read_unit(L, "energy_unit", ENERGY_UNITS, sizeof ENERGY_UNITS / sizeof *ENERGY_UNITS,
                       sys->energy_unit, sizeof sys->energy_unit, &eu);
    if (rc)
        return rc;
    sys->steps = (uint32_t)count;
    sys->step_length = (uint32_t)length;
    sys->step_h = tu->to * (double)length;
    if (sys->step_h > GR_MAX_PRAS_STEP_H)
        return gr_err_set(L->err, GR_EINPUT,
                          "%s: attribute 'timestep_length': %lld %s is longer than %.0f hours",
                          L->path, (long long)length, sys->step_unit, GR_MAX_PRAS_STEP_H);
    sys->mw_per_unit = pu->to;
    sys->mwh_per_unit = eu->to;
    /* PRAS's conversionfactor(L, T, P, E) = conversionfactor(P, E's power
     * unit) * conversionfactor(T, Hour) * L, the first through MW:
     * computed in the same order, so it is PRAS's value to the last bit. */
    sys->energy_per_power_step = pu->to * eu->from * tu->to * (double)length;
    return GR_OK;
}

/* --- groups ------------------------------------------------------------ */

static const char *const GROUP_NAMES[G_N] = {"regions",           "generators", "storages",
                                             "generatorstorages", "interfaces", "lines"};

/* 1 if the root has a link called name that opens as a group; an error if
 * it is there and something else. */
static int group_present(ld_t *L, const char *name, int *present)
{
    *present = 0;
    const htri_t e = H5Lexists(L->h.file, name, H5P_DEFAULT);
    if (e < 0)
        return gr_err_set(L->err, GR_EINPUT, "%s: cannot look up group '%s'", L->path, name);
    if (!e)
        return GR_OK;
    int64_t g;
    const int rc = h5read_obj_open(&L->h, name, 1, &g, L->err);
    if (rc)
        return rc;
    H5Oclose(g);
    *present = 1;
    return GR_OK;
}

/* The extent of obj, a one-dimensional dataset, into *n. */
static int table_rows(ld_t *L, const char *obj, hid_t d, uint64_t *n)
{
    const hid_t sp = H5Dget_space(d);
    hsize_t dims[H5S_MAX_RANK];
    const int rank = sp >= 0 && H5Sget_simple_extent_type(sp) == H5S_SIMPLE
                         ? H5Sget_simple_extent_ndims(sp)
                         : -1;
    const int ok = rank == 1 && H5Sget_simple_extent_dims(sp, dims, NULL) == 1;
    if (sp >= 0)
        H5Sclose(sp);
    if (!ok)
        return gr_err_set(L->err, GR_EINPUT, "%s: %s: expected a one-dimensional table", L->path,
                          obj);
    *n = dims[0];
    return GR_OK;
}

/* demandresponses: PRAS v0.8 added demand response devices; gridrisk does
 * not simulate them, and dropping them would understate the system's
 * flexibility, so a file that has any is refused. An empty table is
 * nothing to drop. */
static int check_demand_response(ld_t *L)
{
    int present;
    int rc = group_present(L, "demandresponses", &present);
    if (rc || !present)
        return rc;
    int64_t d;
    rc = h5read_obj_open(&L->h, "demandresponses/_core", 0, &d, L->err);
    if (rc)
        return rc;
    uint64_t n = 0;
    rc = table_rows(L, "demandresponses/_core", d, &n);
    H5Oclose(d);
    if (!rc && n > 0)
        rc = gr_err_set(L->err, GR_EINPUT,
                        "%s: demandresponses: %llu demand response device%s: demand response is "
                        "not supported (remove the group or leave it empty)",
                        L->path, (unsigned long long)n, n == 1 ? "" : "s");
    return rc;
}

static int read_groups(ld_t *L)
{
    for (int g = 0; g < G_N; ++g) {
        const int rc = group_present(L, GROUP_NAMES[g], &L->has[g]);
        if (rc)
            return rc;
    }
    if (!L->has[G_REGIONS])
        return gr_err_set(L->err, GR_EINPUT, "%s: group 'regions' is missing", L->path);
    if (!L->has[G_GENS] && !L->has[G_GENSTORS])
        return gr_err_set(L->err, GR_EINPUT,
                          "%s: neither group 'generators' nor 'generatorstorages' is present "
                          "(a system needs one or both)",
                          L->path);
    if (L->has[G_IFACES] != L->has[G_LINES])
        return gr_err_set(L->err, GR_EINPUT,
                          "%s: group '%s' without group '%s' (give both interfaces and lines, or "
                          "neither)",
                          L->path, L->has[G_IFACES] ? "interfaces" : "lines",
                          L->has[G_IFACES] ? "lines" : "interfaces");
    return check_demand_response(L);
}

/* --- `_core` tables ---------------------------------------------------- */

/* An open `_core` table: its dataset, its compound type and its rows. */
typedef struct {
    char obj[40];
    hid_t d, type;
    uint32_t n;
} table_t;

static void table_close(table_t *t)
{
    if (t->type >= 0)
        H5Tclose(t->type);
    if (t->d >= 0)
        H5Oclose(t->d);
    t->type = t->d = -1;
}

static int table_open(ld_t *L, const char *group, table_t *t)
{
    t->d = t->type = -1;
    t->n = 0;
    snprintf(t->obj, sizeof t->obj, "%s/_core", group);
    int64_t d;
    int rc = h5read_obj_open(&L->h, t->obj, 0, &d, L->err);
    if (rc)
        return rc;
    t->d = d;
    t->type = H5Dget_type(t->d);
    uint64_t n = 0;
    if (t->type < 0)
        rc = gr_err_set(L->err, GR_EINPUT, "%s: %s: cannot read its type", L->path, t->obj);
    else if (H5Tget_class(t->type) != H5T_COMPOUND)
        rc = gr_err_set(L->err, GR_EINPUT, "%s: %s: expected a table of compound rows", L->path,
                        t->obj);
    else if (H5Tget_size(t->type) > CORE_MAX_ROW_BYTES)
        rc = gr_err_set(L->err, GR_EINPUT, "%s: %s: a row of %zu bytes (at most %d are read)",
                        L->path, t->obj, H5Tget_size(t->type), CORE_MAX_ROW_BYTES);
    else if (!(rc = table_rows(L, t->obj, t->d, &n)) && n > (uint64_t)GR_MAX_PRAS_ENTITIES)
        rc = gr_err_set(L->err, GR_EINPUT, "%s: %s: %llu rows (at most %ld)", L->path, t->obj,
                        (unsigned long long)n, GR_MAX_PRAS_ENTITIES);
    if (!rc)
        rc = h5read_ds_storage(&L->h, t->obj, t->d, L->err);
    if (rc) {
        table_close(t);
        return rc;
    }
    t->n = (uint32_t)n;
    return GR_OK;
}

/* Checks one string read from field `field` of row r and keeps a copy. */
static int keep_string(ld_t *L, const table_t *t, const char *field, uint32_t r, const char *s,
                       const char **out)
{
    char buf[200];
    if (strlen(s) > GR_MAX_PRAS_NAME_LEN)
        return gr_err_set(L->err, GR_EINPUT, "%s: %s: row %u: %s '%s' is longer than %d bytes",
                          L->path, t->obj, r + 1, field, shown(s, buf, sizeof buf),
                          GR_MAX_PRAS_NAME_LEN);
    if (!utf8_printable(s))
        return gr_err_set(L->err, GR_EINPUT, "%s: %s: row %u: %s '%s' is not printable UTF-8",
                          L->path, t->obj, r + 1, field, shown(s, buf, sizeof buf));
    if (!(*out = arena_strdup(L->ar, s)))
        return gr_err_set(L->err, GR_ERUNTIME, "%s: out of memory", L->path);
    return GR_OK;
}

/* Reads rows [r0, r0 + cnt) of field `field` (memory type mem, a compound
 * of that one field) into buf. */
static int read_rows(ld_t *L, const table_t *t, const char *field, hid_t mem, uint32_t r0,
                     uint32_t cnt, int vlen, void *buf)
{
    const hsize_t start = r0, count = cnt;
    const hid_t fs = H5Dget_space(t->d), ms = H5Screate_simple(1, &count, NULL);
    herr_t r =
        fs < 0 || ms < 0 ? -1 : H5Sselect_hyperslab(fs, H5S_SELECT_SET, &start, NULL, &count, NULL);
    int rc = GR_OK;
    if (r >= 0 && vlen) {
        /* what the strings would take, known before any is read */
        hsize_t bytes = 0;
        r = H5Dvlen_get_buf_size(t->d, mem, fs, &bytes);
        if (r >= 0 && bytes > (hsize_t)cnt * (GR_MAX_PRAS_NAME_LEN + 1))
            rc = gr_err_set(L->err, GR_EINPUT,
                            "%s: %s: rows %u to %u: field '%s' holds a string longer than %d bytes",
                            L->path, t->obj, r0 + 1, r0 + cnt, field, GR_MAX_PRAS_NAME_LEN);
    }
    /* HDF5 converts rows through a buffer of H5Pset_buffer's size (1 MiB
     * and zeroed, by default): a few rows' worth is plenty here. */
    const hid_t dxpl = r >= 0 && !rc ? H5Pcreate(H5P_DATASET_XFER) : -1;
    const size_t row = H5Tget_size(t->type) + H5Tget_size(mem);
    if (dxpl < 0 ||
        H5Pset_buffer(dxpl, row > CORE_XFER_BYTES ? row : CORE_XFER_BYTES, NULL, NULL) < 0)
        r = -1;
    if (!rc && r >= 0)
        r = H5Dread(t->d, mem, ms, fs, dxpl, buf);
    if (dxpl >= 0)
        H5Pclose(dxpl);
    if (!rc && r < 0)
        rc = gr_err_set(L->err, GR_EINPUT, "%s: %s: cannot read field '%s' of rows %u to %u",
                        L->path, t->obj, field, r0 + 1, r0 + cnt);
    if (ms >= 0)
        H5Sclose(ms);
    if (fs >= 0)
        H5Sclose(fs);
    return rc;
}

/*
 * Reads string field `field` of every row of t into out[t->n], by name:
 * fixed-length strings of any width (NUL-terminated, NUL- or
 * space-padded) or variable-length ones, ASCII or UTF-8. Each is checked
 * (length, printable UTF-8), not for emptiness: the caller knows whether
 * the field may be empty.
 */
static int read_field(ld_t *L, const table_t *t, const char *field, const char **out)
{
    const int idx = H5Tget_member_index(t->type, field);
    if (idx < 0)
        return gr_err_set(L->err, GR_EINPUT, "%s: %s: no field '%s'", L->path, t->obj, field);
    const hid_t ft = H5Tget_member_type(t->type, (unsigned)idx);
    if (ft < 0)
        return gr_err_set(L->err, GR_EINPUT, "%s: %s: cannot read the type of field '%s'", L->path,
                          t->obj, field);
    int rc = GR_OK;
    const int vlen = H5Tget_class(ft) == H5T_STRING ? H5Tis_variable_str(ft) : -1;
    const size_t width = vlen == 0 ? H5Tget_size(ft) : 0;
    const H5T_cset_t cset = vlen >= 0 ? H5Tget_cset(ft) : H5T_CSET_ERROR;
    H5Tclose(ft);
    if (vlen < 0 || cset < 0)
        return gr_err_set(L->err, GR_EINPUT, "%s: %s: field '%s' is not a string", L->path, t->obj,
                          field);
    if (width > CORE_MAX_FIELD_BYTES)
        return gr_err_set(L->err, GR_EINPUT,
                          "%s: %s: field '%s' is %zu bytes wide (at most %d are read)", L->path,
                          t->obj, field, width, CORE_MAX_FIELD_BYTES);
    /* The memory type: the same kind of string in the same character set
     * (HDF5 converts neither between fixed and variable length nor between
     * character sets), one byte wider so that it always ends in a NUL. */
    const size_t esz = vlen ? sizeof(char *) : width + 1;
    const hid_t ms = H5Tcopy(H5T_C_S1);
    hid_t mem = -1;
    if (ms >= 0 && H5Tset_cset(ms, cset) >= 0 &&
        (vlen                        ? H5Tset_size(ms, H5T_VARIABLE)
         : H5Tset_size(ms, esz) >= 0 ? H5Tset_strpad(ms, H5T_STR_NULLTERM)
                                     : -1) >= 0) {
        mem = H5Tcreate(H5T_COMPOUND, esz);
        if (mem >= 0 && H5Tinsert(mem, field, 0, ms) < 0) {
            H5Tclose(mem);
            mem = -1;
        }
    }
    if (ms >= 0)
        H5Tclose(ms);
    const uint32_t batch =
        vlen ? CORE_VLEN_BATCH : (uint32_t)(CORE_BATCH_BYTES / esz ? CORE_BATCH_BYTES / esz : 1);
    char *buf = t->n ? malloc((size_t)(t->n < batch ? t->n : batch) * esz) : NULL;
    if (mem < 0 || (t->n && !buf))
        rc = gr_err_set(L->err, GR_ERUNTIME, "%s: %s: out of memory (or HDF5 failed)", L->path,
                        t->obj);
    for (uint32_t r0 = 0; !rc && r0 < t->n; r0 += batch) {
        const uint32_t cnt = t->n - r0 < batch ? t->n - r0 : batch;
        rc = read_rows(L, t, field, mem, r0, cnt, vlen, buf);
        if (rc)
            break;
        for (uint32_t k = 0; !rc && k < cnt; ++k) {
            const char *s;
            if (vlen) {
                char *p;
                memcpy(&p, buf + k * esz, sizeof p);
                s = p ? p : "";
            } else {
                buf[k * esz + width] = '\0';
                s = buf + k * esz;
            }
            rc = keep_string(L, t, field, r0 + k, s, &out[r0 + k]);
        }
        if (vlen) {
            /* HDF5 allocated the strings of this batch; give them back */
            const hsize_t c = cnt;
            const hid_t sp = H5Screate_simple(1, &c, NULL);
            if (sp < 0 || H5Dvlen_reclaim(mem, sp, H5P_DEFAULT, buf) < 0)
                rc = rc ? rc
                        : gr_err_set(L->err, GR_ERUNTIME, "%s: %s: HDF5 failed to free strings",
                                     L->path, t->obj);
            if (sp >= 0)
                H5Sclose(sp);
        }
    }
    free(buf);
    if (mem >= 0)
        H5Tclose(mem);
    return rc;
}

static int cmp_named(const void *a, const void *b)
{
    const named_t *x = a, *y = b;
    const int c = strcmp(x->s, y->s);
    return c ? c : (x->i > y->i) - (x->i < y->i);
}

/* Checks that the n names are non-empty and unique; returns them sorted
 * (for look-ups) in *sorted when it is not NULL. */
static int check_names(ld_t *L, const table_t *t, const char *field, const char *const *names,
                       uint32_t n, named_t **sorted)
{
    char buf[200];
    for (uint32_t i = 0; i < n; ++i)
        if (!names[i][0])
            return gr_err_set(L->err, GR_EINPUT, "%s: %s: row %u: %s is empty", L->path, t->obj,
                              i + 1, field);
    named_t *v = arena_calloc(L->ar, n, sizeof *v);
    if (!v && n)
        return gr_err_set(L->err, GR_ERUNTIME, "%s: out of memory", L->path);
    for (uint32_t i = 0; i < n; ++i)
        v[i] = (named_t){names[i], i};
    if (n > 1)
        qsort(v, n, sizeof *v, cmp_named);
    for (uint32_t i = 1; i < n; ++i)
        if (!strcmp(v[i - 1].s, v[i].s))
            return gr_err_set(L->err, GR_EINPUT, "%s: %s: rows %u and %u: %s '%s' given twice",
                              L->path, t->obj, v[i - 1].i + 1, v[i].i + 1, field,
                              shown(v[i].s, buf, sizeof buf));
    if (sorted)
        *sorted = v;
    return GR_OK;
}

/* The index of region name, or -1. */
static long region_index(const ld_t *L, const char *name)
{
    size_t lo = 0, hi = L->sys->n_regions;
    while (lo < hi) {
        const size_t mid = lo + (hi - lo) / 2;
        const int c = strcmp(L->regions_sorted[mid].s, name);
        if (!c)
            return (long)L->regions_sorted[mid].i;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* Looks up every name of refs (field `field` of t) among the regions. */
static int resolve_regions(ld_t *L, const table_t *t, const char *field, const char *const *refs,
                           const char *const *who, const char *noun, uint32_t *out)
{
    char buf[200], wbuf[200];
    for (uint32_t i = 0; i < t->n; ++i) {
        const long r = region_index(L, refs[i]);
        if (r < 0) {
            char whom[300] = "";
            if (who)
                snprintf(whom, sizeof whom, " (%s '%s')", noun, shown(who[i], wbuf, sizeof wbuf));
            return gr_err_set(L->err, GR_EINPUT,
                              "%s: %s: row %u%s: %s '%s' is not a region of regions/_core", L->path,
                              t->obj, i + 1, whom, field, shown(refs[i], buf, sizeof buf));
        }
        out[i] = (uint32_t)r;
    }
    return GR_OK;
}

static int read_regions(ld_t *L)
{
    table_t t;
    int rc = table_open(L, "regions", &t);
    if (rc)
        return rc;
    net_sys_t *sys = L->sys;
    const char **names = arena_calloc(L->ar, t.n, sizeof *names);
    if (!t.n)
        rc = gr_err_set(L->err, GR_EINPUT, "%s: regions/_core: no regions", L->path);
    else if (!names)
        rc = gr_err_set(L->err, GR_ERUNTIME, "%s: out of memory", L->path);
    else if (!(rc = read_field(L, &t, "name", names)))
        rc = check_names(L, &t, "name", names, t.n, &L->regions_sorted);
    /* Region names become a coordinate of the result file, whose readers
     * (gridrisk summary, h5read) take no '/' and no "." in a name; and its
     * areas are the regions and then the whole system, "system", which a
     * region of that name would make ambiguous. */
    for (uint32_t r = 0; !rc && r < t.n; ++r)
        if (strchr(names[r], '/') || !strcmp(names[r], "."))
            rc = gr_err_set(L->err, GR_EINPUT,
                            "%s: regions/_core: row %u: region name '%s' (a result file's region "
                            "names may not contain '/' or be '.')",
                            L->path, r + 1, names[r]);
        else if (!strcmp(names[r], H5OUT_SYSTEM_AREA))
            rc = gr_err_set(L->err, GR_EINPUT,
                            "%s: regions/_core: row %u: region name '%s' is reserved (the result "
                            "file's areas are the regions and then the whole system, named '%s'; "
                            "rename the region)",
                            L->path, r + 1, names[r], H5OUT_SYSTEM_AREA);
    table_close(&t);
    if (rc)
        return rc;
    sys->n_regions = t.n;
    sys->region_name = names;
    return GR_OK;
}

/* Generators, storages, generator-storages: name, category, region. Lines:
 * name, category, region_from, region_to (the regions into *from, *to). */
static int read_assets(ld_t *L, group_id_t g, const char *noun, net_assets_t *a, uint32_t **from,
                       uint32_t **to)
{
    if (!L->has[g])
        return GR_OK;
    table_t t;
    int rc = table_open(L, GROUP_NAMES[g], &t);
    if (rc)
        return rc;
    const int line = g == G_LINES;
    const uint32_t n = t.n;
    const char **names = arena_calloc(L->ar, n, sizeof *names);
    const char **cats = arena_calloc(L->ar, n, sizeof *cats);
    const char **r1 = arena_calloc(L->ar, n, sizeof *r1);
    const char **r2 = line ? arena_calloc(L->ar, n, sizeof *r2) : NULL;
    uint32_t *home = arena_calloc(L->ar, n, sizeof *home);
    uint32_t *home2 = line ? arena_calloc(L->ar, n, sizeof *home2) : NULL;
    if (!names || !cats || !r1 || !home || (line && (!r2 || !home2)))
        rc = gr_err_set(L->err, GR_ERUNTIME, "%s: out of memory", L->path);
    if (!rc)
        rc = read_field(L, &t, "name", names);
    if (!rc)
        rc = check_names(L, &t, "name", names, n, NULL);
    if (!rc)
        rc = read_field(L, &t, "category", cats);
    if (!rc)
        rc = read_field(L, &t, line ? "region_from" : "region", r1);
    if (!rc && line)
        rc = read_field(L, &t, "region_to", r2);
    if (!rc)
        rc = resolve_regions(L, &t, line ? "region_from" : "region", r1, names, noun, home);
    if (!rc && line)
        rc = resolve_regions(L, &t, "region_to", r2, names, noun, home2);
    table_close(&t);
    if (rc)
        return rc;
    a->n = n;
    a->name = names;
    a->category = cats;
    a->home = home;
    if (line) {
        *from = home;
        *to = home2;
    }
    return GR_OK;
}

static int cmp_pair(const void *a, const void *b)
{
    const pair_t *x = a, *y = b;
    if (x->lo != y->lo)
        return (x->lo > y->lo) - (x->lo < y->lo);
    if (x->hi != y->hi)
        return (x->hi > y->hi) - (x->hi < y->hi);
    return (x->i > y->i) - (x->i < y->i);
}

/*
 * Interfaces: region_from, region_to. As read.jl does, each is stored
 * from the earlier region (in regions/_core order) to the later, its
 * capacities swapped if the file gives it the other way round; an
 * interface from a region to itself is refused (read.jl: "Cannot have an
 * interface to and from the same region"), and so are two interfaces
 * joining the same two regions (read.jl would keep the last one for its
 * lines silently).
 */
static int read_ifaces(ld_t *L)
{
    if (!L->has[G_IFACES])
        return GR_OK;
    table_t t;
    int rc = table_open(L, "interfaces", &t);
    if (rc)
        return rc;
    const uint32_t n = t.n;
    net_ifaces_t *f = &L->sys->ifaces;
    const char **r1 = arena_calloc(L->ar, n, sizeof *r1);
    const char **r2 = arena_calloc(L->ar, n, sizeof *r2);
    f->from = arena_calloc(L->ar, n, sizeof *f->from);
    f->to = arena_calloc(L->ar, n, sizeof *f->to);
    L->iface_swapped = arena_calloc(L->ar, n, 1);
    L->ifaces_sorted = arena_calloc(L->ar, n, sizeof *L->ifaces_sorted);
    if (!r1 || !r2 || !f->from || !f->to || !L->iface_swapped || !L->ifaces_sorted)
        rc = gr_err_set(L->err, GR_ERUNTIME, "%s: out of memory", L->path);
    if (!rc)
        rc = read_field(L, &t, "region_from", r1);
    if (!rc)
        rc = read_field(L, &t, "region_to", r2);
    if (!rc)
        rc = resolve_regions(L, &t, "region_from", r1, NULL, NULL, f->from);
    if (!rc)
        rc = resolve_regions(L, &t, "region_to", r2, NULL, NULL, f->to);
    char b1[200], b2[200];
    for (uint32_t i = 0; !rc && i < n; ++i) {
        if (f->from[i] == f->to[i]) {
            rc = gr_err_set(L->err, GR_EINPUT,
                            "%s: %s: row %u: interface from region '%s' to itself", L->path, t.obj,
                            i + 1, shown(r1[i], b1, sizeof b1));
            break;
        }
        if (f->from[i] > f->to[i]) {
            const uint32_t x = f->from[i];
            f->from[i] = f->to[i];
            f->to[i] = x;
            L->iface_swapped[i] = 1;
        }
        L->ifaces_sorted[i] = (pair_t){f->from[i], f->to[i], i};
    }
    if (!rc && n > 1)
        qsort(L->ifaces_sorted, n, sizeof *L->ifaces_sorted, cmp_pair);
    for (uint32_t k = 1; !rc && k < n; ++k) {
        const pair_t *p = &L->ifaces_sorted[k - 1], *q = &L->ifaces_sorted[k];
        if (p->lo == q->lo && p->hi == q->hi)
            rc = gr_err_set(L->err, GR_EINPUT,
                            "%s: %s: rows %u and %u both join regions '%s' and '%s' (one "
                            "interface per pair of regions)",
                            L->path, t.obj, p->i + 1, q->i + 1,
                            shown(L->sys->region_name[p->lo], b1, sizeof b1),
                            shown(L->sys->region_name[p->hi], b2, sizeof b2));
    }
    table_close(&t);
    if (!rc)
        f->n = n;
    return rc;
}

/*
 * Lines: each belongs to the interface joining its two regions, in either
 * orientation. read.jl turns every line to run from the earlier region to
 * the later, swapping its capacities if needed, exactly as it turns the
 * interfaces, then finds the interface with the same (from, to): so a line
 * given the other way round from its interface is accepted, with its
 * forward and backward capacities swapped. This does the same. read.jl
 * also re-sorts lines by interface; here they keep their file order and
 * lines.a.home names the interface.
 */
static int read_lines(ld_t *L)
{
    if (!L->has[G_LINES])
        return GR_OK;
    net_lines_t *ln = &L->sys->lines;
    uint32_t *from = NULL, *to = NULL;
    int rc = read_assets(L, G_LINES, "line", &ln->a, &from, &to);
    if (rc)
        return rc;
    const uint32_t n = ln->a.n;
    L->line_swapped = arena_calloc(L->ar, n, 1);
    if (!L->line_swapped)
        return gr_err_set(L->err, GR_ERUNTIME, "%s: out of memory", L->path);
    char b1[200], b2[200], b3[200];
    const net_ifaces_t *f = &L->sys->ifaces;
    for (uint32_t i = 0; i < n; ++i) {
        if (from[i] == to[i])
            return gr_err_set(L->err, GR_EINPUT,
                              "%s: lines/_core: row %u: line '%s' runs from region '%s' to itself",
                              L->path, i + 1, shown(ln->a.name[i], b1, sizeof b1),
                              shown(L->sys->region_name[from[i]], b2, sizeof b2));
        const uint32_t lo = from[i] < to[i] ? from[i] : to[i], hi = from[i] ^ to[i] ^ lo;
        L->line_swapped[i] = from[i] > to[i];
        size_t a = 0, b = f->n;
        long found = -1;
        while (a < b) {
            const size_t mid = a + (b - a) / 2;
            const pair_t *p = &L->ifaces_sorted[mid];
            if (p->lo == lo && p->hi == hi) {
                found = (long)p->i;
                break;
            }
            if (p->lo < lo || (p->lo == lo && p->hi < hi))
                a = mid + 1;
            else
                b = mid;
        }
        if (found < 0)
            return gr_err_set(L->err, GR_EINPUT,
                              "%s: lines/_core: row %u: line '%s' joins regions '%s' and '%s', "
                              "which no interface of interfaces/_core joins",
                              L->path, i + 1, shown(ln->a.name[i], b1, sizeof b1),
                              shown(L->sys->region_name[from[i]], b2, sizeof b2),
                              shown(L->sys->region_name[to[i]], b3, sizeof b3));
        ln->a.home[i] = (uint32_t)found;
    }
    return GR_OK;
}

/* --- time-varying datasets --------------------------------------------- */

/* V_EFFICIENCY: charge and discharge efficiencies, in (0, 1]: PRAS divides
 * by them (an efficiency of 0 makes its simulation throw), so 0 is refused
 * rather than given a meaning PRAS does not have. */
typedef enum { V_POWER, V_FRACTION, V_EFFICIENCY } value_kind_t;

/* One [timestep][entity] dataset and where it goes in net_sys_t: an
 * int64_t * (V_POWER: power or energy, integers in [0, NET_CAP_MAX]) or a
 * double * (V_FRACTION: probabilities and efficiencies in [0, 1]). */
typedef struct {
    group_id_t g;
    const char *name;
    value_kind_t kind;
    size_t off;
} series_t;

#define AT(field) offsetof(net_sys_t, field)
/* Every dataset read, in the spec's order (SystemModel_HDF5_spec.md). */
static const series_t SERIES[] = {
    {G_REGIONS, "load", V_POWER, AT(load)},
    {G_GENS, "capacity", V_POWER, AT(gens.cap)},
    {G_GENS, "failureprobability", V_FRACTION, AT(gens.a.fail)},
    {G_GENS, "repairprobability", V_FRACTION, AT(gens.a.repair)},
    {G_STORS, "chargecapacity", V_POWER, AT(stors.charge_cap)},
    {G_STORS, "dischargecapacity", V_POWER, AT(stors.discharge_cap)},
    {G_STORS, "energycapacity", V_POWER, AT(stors.energy_cap)},
    {G_STORS, "chargeefficiency", V_EFFICIENCY, AT(stors.charge_eff)},
    {G_STORS, "dischargeefficiency", V_EFFICIENCY, AT(stors.discharge_eff)},
    {G_STORS, "carryoverefficiency", V_FRACTION, AT(stors.carryover_eff)},
    {G_STORS, "failureprobability", V_FRACTION, AT(stors.a.fail)},
    {G_STORS, "repairprobability", V_FRACTION, AT(stors.a.repair)},
    {G_GENSTORS, "inflow", V_POWER, AT(genstors.inflow)},
    {G_GENSTORS, "gridwithdrawalcapacity", V_POWER, AT(genstors.withdraw_cap)},
    {G_GENSTORS, "gridinjectioncapacity", V_POWER, AT(genstors.inject_cap)},
    {G_GENSTORS, "chargecapacity", V_POWER, AT(genstors.charge_cap)},
    {G_GENSTORS, "dischargecapacity", V_POWER, AT(genstors.discharge_cap)},
    {G_GENSTORS, "energycapacity", V_POWER, AT(genstors.energy_cap)},
    {G_GENSTORS, "chargeefficiency", V_EFFICIENCY, AT(genstors.charge_eff)},
    {G_GENSTORS, "dischargeefficiency", V_EFFICIENCY, AT(genstors.discharge_eff)},
    {G_GENSTORS, "carryoverefficiency", V_FRACTION, AT(genstors.carryover_eff)},
    {G_GENSTORS, "failureprobability", V_FRACTION, AT(genstors.a.fail)},
    {G_GENSTORS, "repairprobability", V_FRACTION, AT(genstors.a.repair)},
    {G_IFACES, "forwardcapacity", V_POWER, AT(ifaces.fwd_cap)},
    {G_IFACES, "backwardcapacity", V_POWER, AT(ifaces.bwd_cap)},
    {G_LINES, "forwardcapacity", V_POWER, AT(lines.fwd_cap)},
    {G_LINES, "backwardcapacity", V_POWER, AT(lines.bwd_cap)},
    {G_LINES, "failureprobability", V_FRACTION, AT(lines.a.fail)},
    {G_LINES, "repairprobability", V_FRACTION, AT(lines.a.repair)},
};
#undef AT
enum { N_SERIES = sizeof SERIES / sizeof *SERIES };

static uint32_t group_count(const net_sys_t *s, group_id_t g)
{
    switch (g) {
    case G_REGIONS:
        return s->n_regions;
    case G_GENS:
        return s->gens.a.n;
    case G_STORS:
        return s->stors.a.n;
    case G_GENSTORS:
        return s->genstors.a.n;
    case G_IFACES:
        return s->ifaces.n;
    default:
        return s->lines.a.n;
    }
}

/* "generator 'X' (column 3)" for messages about column i of group g. */
static const char *entity(const ld_t *L, group_id_t g, uint32_t i, char *buf, size_t n)
{
    static const char *const NOUN[G_N] = {"region",    "generator", "storage", "generator-storage",
                                          "interface", "line"};
    const net_sys_t *s = L->sys;
    char b1[200], b2[200];
    if (g == G_IFACES) {
        const int sw = L->iface_swapped[i];
        snprintf(buf, n, "interface '%s' -> '%s' (column %u)",
                 shown(s->region_name[sw ? s->ifaces.to[i] : s->ifaces.from[i]], b1, sizeof b1),
                 shown(s->region_name[sw ? s->ifaces.from[i] : s->ifaces.to[i]], b2, sizeof b2),
                 i + 1);
        return buf;
    }
    const char *name = g == G_REGIONS    ? s->region_name[i]
                       : g == G_GENS     ? s->gens.a.name[i]
                       : g == G_STORS    ? s->stors.a.name[i]
                       : g == G_GENSTORS ? s->genstors.a.name[i]
                                         : s->lines.a.name[i];
    snprintf(buf, n, "%s '%s' (column %u)", NOUN[g], shown(name, b1, sizeof b1), i + 1);
    return buf;
}

/* Reads one dataset: exactly [steps][n], integers for powers and
 * energies (a floating-point capacity is refused, not rounded), floating
 * point for fractions, every value in range. */
static int read_series(ld_t *L, const series_t *sr)
{
    net_sys_t *sys = L->sys;
    const uint32_t n = group_count(sys, sr->g);
    char obj[64], who[400];
    snprintf(obj, sizeof obj, "%s/%s", GROUP_NAMES[sr->g], sr->name);
    const uint64_t dims[2] = {sys->steps, n};
    h5read_ds_t ds;
    int rc = h5read_ds_open(&L->h, obj, 2, dims, &ds, L->err);
    if (rc)
        return rc;
    const hid_t type = H5Dget_type(ds.id);
    const H5T_class_t cls = type >= 0 ? H5Tget_class(type) : H5T_NO_CLASS;
    if (type >= 0)
        H5Tclose(type);
    const int ints = sr->kind == V_POWER;
    if (cls != (ints ? H5T_INTEGER : H5T_FLOAT)) {
        h5read_ds_close(&ds);
        return gr_err_set(L->err, GR_EINPUT, "%s: %s: expected %s, found %s", L->path, obj,
                          ints ? "integers (PRAS stores powers and energies as integers)"
                               : "floating-point numbers",
                          cls == H5T_FLOAT ? "floating-point numbers" : "integers");
    }
    const size_t count = (size_t)sys->steps * n;
    void *buf = arena_calloc(L->ar, count, 8);
    if (!buf) {
        h5read_ds_close(&ds);
        return gr_err_set(L->err, GR_ERUNTIME, "%s: %s: out of memory", L->path, obj);
    }
    /* Integers are converted by HDF5, which saturates: an unsigned 64-bit
     * value past INT64_MAX arrives as INT64_MAX and is refused below. */
    if (count && H5Dread(ds.id, ints ? H5T_NATIVE_INT64 : H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL,
                         H5P_DEFAULT, buf) < 0)
        rc = gr_err_set(L->err, GR_EINPUT, "%s: %s: cannot read", L->path, obj);
    h5read_ds_close(&ds);
    if (rc)
        return rc;
    for (size_t k = 0; k < count; ++k) {
        const uint32_t t = (uint32_t)(k / n), i = (uint32_t)(k % n);
        if (ints) {
            const int64_t v = ((const int64_t *)buf)[k];
            if (v < 0 || v > NET_CAP_MAX)
                return gr_err_set(L->err, GR_EINPUT, "%s: %s: %s, timestep %u: %lld is %s", L->path,
                                  obj, entity(L, sr->g, i, who, sizeof who), t + 1, (long long)v,
                                  v < 0 ? "negative" : "larger than 4294967295 (2^32 - 1)");
        } else {
            const double v = ((const double *)buf)[k];
            if (!(v >= 0.0 && v <= 1.0))
                return gr_err_set(L->err, GR_EINPUT, "%s: %s: %s, timestep %u: %g is not in [0, 1]",
                                  L->path, obj, entity(L, sr->g, i, who, sizeof who), t + 1, v);
            if (sr->kind == V_EFFICIENCY && v == 0.0)
                return gr_err_set(
                    L->err, GR_EINPUT,
                    "%s: %s: %s, timestep %u: an efficiency of 0 (PRAS divides by it; "
                    "use a capacity of 0 to disable the device)",
                    L->path, obj, entity(L, sr->g, i, who, sizeof who), t + 1);
        }
    }
    if (ints) {
        int64_t *dst;
        memcpy(&dst, &buf, sizeof dst);
        memcpy((char *)sys + sr->off, &dst, sizeof dst);
    } else {
        double *dst;
        memcpy(&dst, &buf, sizeof dst);
        memcpy((char *)sys + sr->off, &dst, sizeof dst);
    }
    return GR_OK;
}

/* Forward and backward capacities of the columns given the other way
 * round in the file trade places (see read_ifaces, read_lines). */
static void swap_columns(int64_t *fwd, int64_t *bwd, const uint8_t *swapped, uint32_t n,
                         uint32_t steps)
{
    for (uint32_t i = 0; i < n; ++i)
        if (swapped[i])
            for (size_t t = 0; t < steps; ++t) {
                const int64_t x = fwd[t * n + i];
                fwd[t * n + i] = bwd[t * n + i];
                bwd[t * n + i] = x;
            }
}

/* A unit that can neither fail nor be repaired at the first step has no
 * stationary state to start from: PRAS draws its initial state with
 * probability repair / (fail + repair), here 0 / 0. */
static int check_steady(ld_t *L, group_id_t g, const net_assets_t *a)
{
    char who[400];
    for (uint32_t i = 0; i < a->n && L->sys->steps; ++i)
        if (a->fail[i] == 0.0 && a->repair[i] == 0.0)
            return gr_err_set(L->err, GR_EINPUT,
                              "%s: %s/failureprobability and %s/repairprobability: %s, timestep "
                              "1: both are 0, so the unit has no steady state to start from "
                              "(PRAS would divide 0 by 0)",
                              L->path, GROUP_NAMES[g], GROUP_NAMES[g],
                              entity(L, g, i, who, sizeof who));
    return GR_OK;
}

static int read_all_series(ld_t *L)
{
    net_sys_t *sys = L->sys;
    /* Everything about to be allocated, before any of it is. */
    uint64_t total = 0;
    for (int k = 0; k < N_SERIES; ++k)
        if (L->has[SERIES[k].g])
            total += (uint64_t)sys->steps * group_count(sys, SERIES[k].g);
    if (total > (uint64_t)GR_MAX_PRAS_VALUES)
        return gr_err_set(L->err, GR_EINPUT,
                          "%s: %llu time-varying values (%u timesteps); at most %lld are read",
                          L->path, (unsigned long long)total, sys->steps, GR_MAX_PRAS_VALUES);
    for (int k = 0; k < N_SERIES; ++k) {
        if (!L->has[SERIES[k].g])
            continue;
        const int rc = read_series(L, &SERIES[k]);
        if (rc)
            return rc;
    }
    if (L->has[G_IFACES]) {
        swap_columns(sys->ifaces.fwd_cap, sys->ifaces.bwd_cap, L->iface_swapped, sys->ifaces.n,
                     sys->steps);
        swap_columns(sys->lines.fwd_cap, sys->lines.bwd_cap, L->line_swapped, sys->lines.a.n,
                     sys->steps);
    }
    const struct {
        group_id_t g;
        const net_assets_t *a;
    } UNITS[] = {{G_GENS, &sys->gens.a},
                 {G_STORS, &sys->stors.a},
                 {G_GENSTORS, &sys->genstors.a},
                 {G_LINES, &sys->lines.a}};
    for (size_t k = 0; k < sizeof UNITS / sizeof *UNITS; ++k) {
        if (!L->has[UNITS[k].g])
            continue;
        const int rc = check_steady(L, UNITS[k].g, UNITS[k].a);
        if (rc)
            return rc;
    }
    return GR_OK;
}

/* --- entry points ------------------------------------------------------ */

static int load(ld_t *L)
{
    int rc = read_attrs(L);
    if (!rc)
        rc = read_groups(L);
    if (!rc)
        rc = read_regions(L);
    if (!rc)
        rc = read_assets(L, G_GENS, "generator", &L->sys->gens.a, NULL, NULL);
    if (!rc)
        rc = read_assets(L, G_STORS, "storage", &L->sys->stors.a, NULL, NULL);
    if (!rc)
        rc = read_assets(L, G_GENSTORS, "generator-storage", &L->sys->genstors.a, NULL, NULL);
    if (!rc)
        rc = read_ifaces(L);
    if (!rc)
        rc = read_lines(L);
    if (!rc)
        rc = read_all_series(L);
    return rc;
}

/* HDF5 prints its own error stack unless told not to; the reader reports
 * errors itself, and restores whatever handler the caller had. */
typedef struct {
    H5E_auto2_t fn;
    void *data;
} quiet_t;

static quiet_t quiet_on(void)
{
    quiet_t q = {NULL, NULL};
    H5Eget_auto2(H5E_DEFAULT, &q.fn, &q.data);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    return q;
}

static void quiet_off(quiet_t q) { H5Eset_auto2(H5E_DEFAULT, q.fn, q.data); }

int pras_load_hid(int64_t file, const char *name, net_sys_t **out, gr_err_t *err)
{
    *out = NULL;
    const quiet_t q = quiet_on();
    ld_t L = {.path = name, .err = err};
    int rc = h5read_attach(&L.h, file, name, err);
    if (!rc) {
        L.ar = arena_new();
        L.sys = L.ar ? arena_calloc(L.ar, 1, sizeof *L.sys) : NULL;
        if (!L.sys)
            rc = gr_err_set(err, GR_ERUNTIME, "%s: out of memory", name);
        else {
            L.sys->owner = L.ar;
            rc = load(&L);
        }
        h5read_detach(&L.h);
    }
    if (rc)
        arena_free(L.ar);
    else
        *out = L.sys;
    quiet_off(q);
    return rc;
}

int pras_load_image(const void *image, size_t len, const char *name, net_sys_t **out, gr_err_t *err)
{
    *out = NULL;
    if (!len)
        return gr_err_set(err, GR_EINPUT, "%s: empty file (not an HDF5 file)", name);
    const quiet_t q = quiet_on();
    /* The core driver reads the image in memory; no file is opened. */
    const hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    int rc = GR_OK;
    if (fapl < 0 || H5Pset_fapl_core(fapl, 1 << 16, 0) < 0 ||
        H5Pset_file_image(fapl, (void *)(uintptr_t)image, len) < 0)
        rc = gr_err_set(err, GR_ERUNTIME, "%s: HDF5 could not take the file image", name);
    const hid_t f = rc ? -1 : H5Fopen(name, H5F_ACC_RDONLY, fapl);
    if (fapl >= 0)
        H5Pclose(fapl);
    if (!rc && f < 0)
        rc = gr_err_set(err, GR_EINPUT, "%s: cannot open as HDF5 (not an HDF5 file, or damaged)",
                        name);
    if (!rc) {
        rc = pras_load_hid(f, name, out, err);
        H5Fclose(f);
    }
    quiet_off(q);
    return rc;
}

int pras_load(const char *path, net_sys_t **out, gr_err_t *err)
{
    *out = NULL;
    if (!*path)
        return gr_err_set(err, GR_EINPUT, "empty file name");
    /* As inputs/infile.c: O_NONBLOCK so that a FIFO with no writer does not
     * hang the open, then only a regular file goes on to HDF5. */
    const int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return gr_err_set(err, GR_EINPUT, "%s: cannot open: %s", path, strerror(errno));
    struct stat st;
    const int st_rc = fstat(fd, &st);
    const int st_errno = errno;
    close(fd);
    if (st_rc != 0)
        return gr_err_set(err, GR_EINPUT, "%s: cannot stat: %s", path, strerror(st_errno));
    if (!S_ISREG(st.st_mode))
        return gr_err_set(err, GR_EINPUT, "%s: not a regular file (%s)", path,
                          S_ISDIR(st.st_mode) ? "a directory" : "a device, FIFO or socket");
    if (st.st_size == 0)
        return gr_err_set(err, GR_EINPUT, "%s: empty file (not an HDF5 file)", path);
    const quiet_t q = quiet_on();
    const hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    int rc;
    if (f < 0) {
        rc = gr_err_set(err, GR_EINPUT, "%s: cannot open as HDF5 (not an HDF5 file, or damaged)",
                        path);
    } else {
        rc = pras_load_hid(f, path, out, err);
        H5Fclose(f);
    }
    quiet_off(q);
    return rc;
}
