/*
 * fuzz_pras.c - structure-aware fuzzing of the PRAS system file reader.
 *
 * HDF5's own parser is not ours to fix, so the fuzz input is not a file:
 * it is a list of edits to the small valid system of tests/pras_small.h.
 * Each edit picks a target (a root attribute, a group, a `_core` table, a
 * [timestep][entity] dataset) and what to do to it: another encoding
 * (integer width and byte order, fixed or variable-length strings of any
 * width, pad and character set, field order, chunked or compact storage),
 * another shape, rank or type class, other values (NaN, infinities,
 * negatives, 2^32, zeros that leave a unit no steady state), other names
 * (empty, repeated, not UTF-8, control characters, too long, unknown
 * regions, interfaces and lines turned round or joining other regions),
 * or the target deleted, replaced by a dataset or a link. The empty input
 * is the valid system. The file is built in memory (core driver, no
 * backing store) and read through pras_load_image, the same code as
 * pras_load.
 *
 * The generator keeps a model of what it wrote (every table's strings,
 * every dataset's values as HDF5 stored them, which parts are encoded in a
 * way the reader must accept) and decides from it, independently of the
 * reader, whether the file is valid. Then:
 *   - the reader returns GR_OK or GR_EINPUT, with a message naming the file;
 *   - it leaves no HDF5 identifier open;
 *   - whatever it accepts satisfies net.h's invariants;
 *   - it accepts every file the model calls valid, with the model's counts,
 *     loads, capacities, interface directions and line homes.
 *
 * Run with `make fuzz`; seeds in tests/fuzz/corpus/fuzz_pras/.
 */
#include "../../inputs/pras.h"
#include "../../model/limits.h"
#include "../../model/utf8.h"
#include "../pras_small.h"

#include <hdf5.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { G_REG, G_GEN, G_STOR, G_GSTOR, G_IFACE, G_LINE, G_NGROUPS, G_DR = G_NGROUPS };
enum { NAME_CAP = 320, MAX_ROWS = 5, MAX_FIELDS = 4, MAX_EDITS = 12 };

static const char *const GROUP[] = {"regions",           "generators", "storages",
                                    "generatorstorages", "interfaces", "lines",
                                    "demandresponses"};
static const char *const *const FIELDS[G_NGROUPS] = {PS_REGION_FIELDS, PS_ASSET_FIELDS,
                                                     PS_ASSET_FIELDS,  PS_ASSET_FIELDS,
                                                     PS_IFACE_FIELDS,  PS_LINE_FIELDS};
static const int NFIELDS[G_NGROUPS] = {1, 3, 3, 3, 2, 4};
static const char *const *const BASE_ROWS[G_NGROUPS] = {PS_REGIONS,  PS_GENS,   PS_STORS,
                                                        PS_GENSTORS, PS_IFACES, PS_LINES};
static const uint32_t BASE_N[G_NGROUPS] = {3, 3, 1, 1, 2, 3};

/* The [timestep][entity] datasets, as inputs/pras.c reads them. */
typedef struct {
    int g;
    const char *name;
    int frac; /* 0: integers in [0, 2^32 - 1]; 1: floats in [0, 1]; 2: in (0, 1] */
} series_def_t;

static const series_def_t SERIES[] = {
    {G_REG, "load", 0},
    {G_GEN, "capacity", 0},
    {G_GEN, "failureprobability", 1},
    {G_GEN, "repairprobability", 1},
    {G_STOR, "chargecapacity", 0},
    {G_STOR, "dischargecapacity", 0},
    {G_STOR, "energycapacity", 0},
    {G_STOR, "chargeefficiency", 2},
    {G_STOR, "dischargeefficiency", 2},
    {G_STOR, "carryoverefficiency", 1},
    {G_STOR, "failureprobability", 1},
    {G_STOR, "repairprobability", 1},
    {G_GSTOR, "inflow", 0},
    {G_GSTOR, "gridwithdrawalcapacity", 0},
    {G_GSTOR, "gridinjectioncapacity", 0},
    {G_GSTOR, "chargecapacity", 0},
    {G_GSTOR, "dischargecapacity", 0},
    {G_GSTOR, "energycapacity", 0},
    {G_GSTOR, "chargeefficiency", 2},
    {G_GSTOR, "dischargeefficiency", 2},
    {G_GSTOR, "carryoverefficiency", 1},
    {G_GSTOR, "failureprobability", 1},
    {G_GSTOR, "repairprobability", 1},
    {G_IFACE, "forwardcapacity", 0},
    {G_IFACE, "backwardcapacity", 0},
    {G_LINE, "forwardcapacity", 0},
    {G_LINE, "backwardcapacity", 0},
    {G_LINE, "failureprobability", 1},
    {G_LINE, "repairprobability", 1},
};
enum { N_SERIES = sizeof SERIES / sizeof *SERIES };

enum { A_VERSION, A_TIMESTAMP, A_COUNT, A_LENGTH, A_TUNIT, A_PUNIT, A_EUNIT, N_ATTRS };
static const char *const ATTR[N_ATTRS] = {"pras_dataversion", "start_timestamp", "timestep_count",
                                          "timestep_length",  "timestep_unit",   "power_unit",
                                          "energy_unit"};

/* What the generator wrote. */
typedef struct {
    const uint8_t *p;
    size_t n;
    hid_t f;
    int unknown; /* something whose validity the model cannot tell */
    int attr_bad[N_ATTRS];
    int64_t count, length;
    double unit_h;              /* hours in one timestep_unit (0: not a unit) */
    int present[G_NGROUPS + 1]; /* 1 present, 0 absent, -1 something else there */
    int dr_rows;
    char cell[G_NGROUPS][MAX_ROWS][MAX_FIELDS][NAME_CAP];
    uint32_t rows[G_NGROUPS];
    int core_bad[G_NGROUPS];
    int series_bad[N_SERIES];
    int64_t iv[N_SERIES][PS_T * MAX_ROWS];
    double fv[N_SERIES][PS_T * MAX_ROWS];
} gen_t;

static unsigned take(gen_t *g)
{
    if (!g->n)
        return 0;
    --g->n;
    return *g->p++;
}

static unsigned pick(gen_t *g, unsigned n) { return take(g) % n; }

/* --- writing ----------------------------------------------------------- */

static void write_core(gen_t *g, int grp, hid_t stype)
{
    const char *vals[MAX_ROWS * MAX_FIELDS];
    for (uint32_t r = 0; r < g->rows[grp]; ++r)
        for (int k = 0; k < NFIELDS[grp]; ++k)
            vals[r * (unsigned)NFIELDS[grp] + (unsigned)k] = g->cell[grp][r][k];
    if (ps_core_typed(g->f, GROUP[grp], (size_t)NFIELDS[grp], FIELDS[grp], g->rows[grp], vals,
                      stype))
        g->unknown = 1;
}

/* Rewrites dataset k from the model with file type ftype and layout (0
 * contiguous, 1 compact, 2 chunked + shuffle + deflate), then reads back
 * what HDF5 stored (a narrower type clips). */
static void write_series(gen_t *g, int k, hid_t ftype, int layout)
{
    const series_def_t *s = &SERIES[k];
    const uint32_t n = BASE_N[s->g];
    char path[80];
    snprintf(path, sizeof path, "%s/%s", GROUP[s->g], s->name);
    const hsize_t d[2] = {PS_T, n};
    const hid_t pl = H5Pcreate(H5P_DATASET_CREATE);
    if (layout == 1) {
        H5Pset_layout(pl, H5D_COMPACT);
    } else if (layout == 2) {
        const hsize_t c[2] = {1 + take(g) % PS_T, n};
        H5Pset_chunk(pl, 2, c);
        H5Pset_shuffle(pl);
        H5Pset_deflate(pl, 1);
    }
    const hid_t mt = s->frac ? H5T_NATIVE_DOUBLE : H5T_NATIVE_INT64;
    const void *v = s->frac ? (const void *)g->fv[k] : (const void *)g->iv[k];
    if (ps_dataset(g->f, path, ftype, 2, d, mt, v, pl))
        g->unknown = 1;
    H5Pclose(pl);
    const hid_t ds = H5Dopen2(g->f, path, H5P_DEFAULT);
    if (ds < 0 || H5Dread(ds, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                          s->frac ? (void *)g->fv[k] : (void *)g->iv[k]) < 0)
        g->unknown = 1;
    if (ds >= 0)
        H5Dclose(ds);
    g->series_bad[k] = 0;
}

/* --- edits ------------------------------------------------------------- */

static const struct {
    const char *s;
    int ok;
} VERSIONS[] = {{"v0.5.0", 1},   {"v0.7.9", 1},  {"v0.8.12", 1}, {"v0.08.0", 1},
                {"v0.9.0", 0},   {"v0.4.99", 0}, {"v1.0.0", 0},  {"0.8.0", 0},
                {"v0.8", 0},     {"v0.8.0 ", 0}, {"", 0},        {"V0.8.0", 0},
                {"v0.8.0\n", 0}, {"v0.8.x", 0},  {"v-0.8.0", 0}, {"v0.8.0.1", 0}},
  TIMESTAMPS[] = {{"2020-12-31T23:59:59-07:00", 1}, {"2024-02-29T12:00:00+00:00", 1},
                  {"0000-01-01T00:00:00+14:00", 1}, {"2023-02-29T00:00:00+00:00", 0},
                  {"2024-01-01 00:00:00+00:00", 0}, {"2024-01-01T00:00:00Z", 0},
                  {"2024-01-01T00:00:60+00:00", 0}, {"2024-04-31T00:00:00+00:00", 0},
                  {"2024-01-01T00:00:00+15:00", 0}, {"", 0},
                  {"2024-01-01T00:00:00+05:00 ", 0}},
  TUNITS[] = {{"sec", 1}, {"min", 1}, {"h", 1}, {"d", 1}, {"s", 0},
              {"hr", 0},  {"y", 0},   {"H", 0}, {"", 0},  {"hours", 0}},
  PUNITS[] = {{"kW", 1}, {"MW", 1}, {"GW", 1}, {"TW", 1}, {"mw", 0}, {"MVA", 0}, {"W", 0}},
  EUNITS[] = {{"kWh", 1}, {"MWh", 1}, {"GWh", 1}, {"TWh", 1}, {"MW", 0}, {"Wh", 0}};

static double unit_hours(const char *u)
{
    return !strcmp(u, "sec")   ? 1.0 / 3600
           : !strcmp(u, "min") ? 1.0 / 60
           : !strcmp(u, "h")   ? 1
           : !strcmp(u, "d")   ? 24
                               : 0;
}

/* A string attribute holding s, encoded as the input chooses. */
static void put_str_attr(gen_t *g, int a, const char *s, int ok)
{
    const char *name = ATTR[a];
    g->attr_bad[a] = !ok;
    const size_t len = strlen(s);
    switch (pick(g, 6)) {
    case 0:
        ps_attr_str(g->f, name, s);
        if (!len)
            g->unknown = 1; /* stored as one NUL byte */
        break;
    case 1:
        ps_attr_vstr(g->f, name, s);
        break;
    case 2: { /* NUL-padded, wider than needed */
        const hid_t t = ps_str_type(len + 1 + pick(g, 40), H5T_CSET_ASCII, H5T_STR_NULLPAD);
        char buf[128] = {0};
        memcpy(buf, s, len < sizeof buf ? len : sizeof buf - 1);
        ps_attr_raw(g->f, name, t, t, buf);
        H5Tclose(t);
        break;
    }
    case 3: { /* variable-length UTF-8 */
        const hid_t t = ps_str_type(H5T_VARIABLE, H5T_CSET_UTF8, H5T_STR_NULLTERM);
        ps_attr_raw(g->f, name, t, t, &s);
        H5Tclose(t);
        break;
    }
    case 4: { /* space-padded: trailing blanks are the writer's business */
        const hid_t t = ps_str_type(len + 2, H5T_CSET_ASCII, H5T_STR_SPACEPAD);
        char buf[128];
        memset(buf, ' ', sizeof buf);
        memcpy(buf, s, len < sizeof buf ? len : sizeof buf - 1);
        ps_attr_raw(g->f, name, t, t, buf);
        H5Tclose(t);
        g->unknown = 1;
        break;
    }
    default: { /* an array of two */
        const hid_t t = ps_str_type(H5T_VARIABLE, H5T_CSET_UTF8, H5T_STR_NULLTERM);
        const hsize_t two = 2;
        const hid_t sp = H5Screate_simple(1, &two, NULL);
        ps_attr_del(g->f, name);
        const hid_t at = H5Acreate2(g->f, name, t, sp, H5P_DEFAULT, H5P_DEFAULT);
        const char *v[2] = {s, s};
        H5Awrite(at, t, v);
        H5Aclose(at);
        H5Sclose(sp);
        H5Tclose(t);
        g->attr_bad[a] = 1;
        break;
    }
    }
}

/* An integer attribute holding v, encoded as the input chooses. */
static void put_int_attr(gen_t *g, int a, int64_t v)
{
    const char *name = ATTR[a];
    switch (pick(g, 6)) {
    case 0:
        ps_attr_i64(g->f, name, v);
        break;
    case 1: {
        const uint64_t u = (uint64_t)v;
        ps_attr_raw(g->f, name, H5T_STD_U64BE, H5T_NATIVE_UINT64, &u);
        if (v < 0)
            g->attr_bad[a] = 1;
        break;
    }
    case 2: {
        const int32_t x = (int32_t)v;
        ps_attr_raw(g->f, name, H5T_STD_I32BE, H5T_NATIVE_INT32, &x);
        if (x != v)
            g->unknown = 1;
        break;
    }
    case 3: {
        const uint16_t x = (uint16_t)v;
        ps_attr_raw(g->f, name, H5T_STD_U16LE, H5T_NATIVE_UINT16, &x);
        if (x != v)
            g->unknown = 1;
        break;
    }
    case 4: {
        const double x = (double)v;
        ps_attr_raw(g->f, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &x);
        g->attr_bad[a] = 1;
        break;
    }
    default: {
        char s[32];
        snprintf(s, sizeof s, "%lld", (long long)v);
        ps_attr_vstr(g->f, name, s);
        g->attr_bad[a] = 1;
        break;
    }
    }
}

static void edit_attr(gen_t *g)
{
    const int a = (int)pick(g, N_ATTRS);
    const unsigned how = pick(g, 8);
    if (how == 0) {
        ps_attr_del(g->f, ATTR[a]);
        g->attr_bad[a] = 1;
        return;
    }
    if (how == 1) { /* raw bytes from the input */
        char raw[33];
        const size_t n = pick(g, 33);
        for (size_t i = 0; i < n; ++i)
            raw[i] = (char)take(g);
        raw[n] = '\0';
        ps_attr_vstr(g->f, ATTR[a], raw);
        g->attr_bad[a] = 1;
        g->unknown = 1; /* may by chance be a valid value */
        return;
    }
    if (how == 2) { /* a type that is no string and no integer */
        const hid_t t = H5Tenum_create(H5T_NATIVE_INT);
        const int v = 1;
        H5Tenum_insert(t, "one", &v);
        ps_attr_raw(g->f, ATTR[a], t, t, &v);
        H5Tclose(t);
        g->attr_bad[a] = 1;
        return;
    }
    g->attr_bad[a] = 0;
    switch (a) {
    case A_VERSION: {
        const unsigned i = pick(g, sizeof VERSIONS / sizeof *VERSIONS);
        put_str_attr(g, a, VERSIONS[i].s, VERSIONS[i].ok);
        break;
    }
    case A_TIMESTAMP: {
        const unsigned i = pick(g, sizeof TIMESTAMPS / sizeof *TIMESTAMPS);
        put_str_attr(g, a, TIMESTAMPS[i].s, TIMESTAMPS[i].ok);
        break;
    }
    case A_COUNT:
    case A_LENGTH: {
        static const int64_t V[] = {PS_T,
                                    1,
                                    2,
                                    3,
                                    5,
                                    0,
                                    -1,
                                    60,
                                    8784,
                                    8785,
                                    366,
                                    GR_MAX_PRAS_STEPS,
                                    GR_MAX_PRAS_STEPS + 1,
                                    4294967295LL,
                                    4294967296LL,
                                    INT64_MAX};
        const int64_t v = V[pick(g, sizeof V / sizeof *V)];
        const int64_t hi = a == A_COUNT ? GR_MAX_PRAS_STEPS : 4294967295LL;
        g->attr_bad[a] = v < 1 || v > hi;
        if (a == A_COUNT)
            g->count = v;
        else
            g->length = v;
        put_int_attr(g, a, v);
        break;
    }
    case A_TUNIT: {
        const unsigned i = pick(g, sizeof TUNITS / sizeof *TUNITS);
        g->unit_h = unit_hours(TUNITS[i].s);
        put_str_attr(g, a, TUNITS[i].s, TUNITS[i].ok);
        break;
    }
    case A_PUNIT: {
        const unsigned i = pick(g, sizeof PUNITS / sizeof *PUNITS);
        put_str_attr(g, a, PUNITS[i].s, PUNITS[i].ok);
        break;
    }
    default: {
        const unsigned i = pick(g, sizeof EUNITS / sizeof *EUNITS);
        put_str_attr(g, a, EUNITS[i].s, EUNITS[i].ok);
        break;
    }
    }
}

static void edit_group(gen_t *g)
{
    const int grp = (int)pick(g, G_NGROUPS + 1);
    const char *name = GROUP[grp];
    switch (pick(g, 5)) {
    case 0:
    case 1:
        ps_del(g->f, name);
        g->present[grp] = 0;
        break;
    case 2: /* a dataset where the group should be */
        ps_del(g->f, name);
        ps_i64(g->f, name, 1, 1, (const int64_t[]){1});
        g->present[grp] = -1;
        break;
    case 3: /* a link to nowhere, or to another file */
        ps_del(g->f, name);
        if (take(g) % 2)
            H5Lcreate_soft("/nowhere", g->f, name, H5P_DEFAULT, H5P_DEFAULT);
        else
            H5Lcreate_external("other.pras", "/regions", g->f, name, H5P_DEFAULT, H5P_DEFAULT);
        g->present[grp] = -1;
        break;
    default: /* demand response devices, none or some */
        if (grp == G_DR) {
            ps_del(g->f, name);
            g->dr_rows = (int)pick(g, 3);
            if (ps_core(g->f, name, 3, PS_ASSET_FIELDS, (size_t)g->dr_rows, PS_GENS))
                g->unknown = 1;
            g->present[grp] = 1;
        }
        break;
    }
}

/* Strings cell (grp, row, k) can be given instead of its own. */
static void odd_name(gen_t *g, int grp, uint32_t row, int k)
{
    char *out = g->cell[grp][row][k];
    switch (pick(g, 10)) {
    case 9: /* the first row's: a name given twice */
        memmove(out, g->cell[grp][0][k], NAME_CAP);
        break;
    case 0:
        out[0] = '\0';
        break;
    case 1:
        snprintf(out, NAME_CAP, "g\xff%u", row);
        break;
    case 2:
        snprintf(out, NAME_CAP, "x\x1b[2J%u", row);
        break;
    case 3:
        snprintf(out, NAME_CAP, "c1\xc2\x85%u", row);
        break;
    case 4:
        memset(out, 'n', 256);
        out[256] = '\0';
        break;
    case 5:
        memset(out, 'm', 255);
        out[255] = '\0';
        break;
    case 6:
        snprintf(out, NAME_CAP, "caf\xc3\xa9 %u", row);
        break;
    case 7:
        snprintf(out, NAME_CAP, "west");
        break;
    default: /* a region's name */
        snprintf(out, NAME_CAP, "%s", PS_REGIONS[take(g) % 3]);
        break;
    }
}

static void edit_core(gen_t *g)
{
    const int grp = (int)pick(g, G_NGROUPS);
    if (g->present[grp] != 1)
        return; /* writing into it would make the group again */
    const unsigned how = pick(g, 12);
    hid_t st = -1;
    switch (how) {
    case 0: /* variable-length strings */
        st = ps_str_type(H5T_VARIABLE, take(g) % 2 ? H5T_CSET_UTF8 : H5T_CSET_ASCII,
                         H5T_STR_NULLTERM);
        break;
    case 1: { /* fixed length, wide enough, NUL-terminated or -padded */
        static const size_t W[] = {258, 300, 64, 128, 1000};
        st = ps_str_type(W[pick(g, 5)], take(g) % 2 ? H5T_CSET_UTF8 : H5T_CSET_ASCII,
                         take(g) % 2 ? H5T_STR_NULLPAD : H5T_STR_NULLTERM);
        break;
    }
    case 2: /* too narrow: names cut */
        st = ps_str_type(1 + pick(g, 4), H5T_CSET_ASCII, H5T_STR_NULLPAD);
        g->unknown = 1;
        break;
    case 3: { /* a cell changed */
        const uint32_t r = pick(g, g->rows[grp] ? g->rows[grp] : 1);
        const int k = (int)pick(g, (unsigned)NFIELDS[grp]);
        if (r < g->rows[grp])
            odd_name(g, grp, r, k);
        st = ps_str_type(H5T_VARIABLE, H5T_CSET_UTF8, H5T_STR_NULLTERM);
        break;
    }
    case 4: /* interfaces and lines turned round */
        for (uint32_t r = 0; r < g->rows[grp]; ++r)
            if (take(g) % 2 && (grp == G_IFACE || grp == G_LINE)) {
                const int k = grp == G_IFACE ? 0 : 2;
                char tmp[NAME_CAP];
                memcpy(tmp, g->cell[grp][r][k], NAME_CAP);
                memcpy(g->cell[grp][r][k], g->cell[grp][r][k + 1], NAME_CAP);
                memcpy(g->cell[grp][r][k + 1], tmp, NAME_CAP);
            }
        st = ps_str_type(H5T_VARIABLE, H5T_CSET_UTF8, H5T_STR_NULLTERM);
        break;
    case 5: /* a row repeated at the end: one row too many for the datasets */
        if (g->rows[grp] && g->rows[grp] < MAX_ROWS) {
            memcpy(g->cell[grp][g->rows[grp]], g->cell[grp][pick(g, g->rows[grp])],
                   sizeof g->cell[grp][0]);
            ++g->rows[grp];
            g->core_bad[grp] = 1;
        }
        st = ps_str_type(PS_WIDTH, H5T_CSET_ASCII, H5T_STR_NULLTERM);
        break;
    case 6: /* no rows */
        g->rows[grp] = 0;
        g->core_bad[grp] = 1;
        st = ps_str_type(PS_WIDTH, H5T_CSET_ASCII, H5T_STR_NULLTERM);
        break;
    case 7: { /* fields in another order, plus an integer field */
        char path[64];
        snprintf(path, sizeof path, "%s/_core", GROUP[grp]);
        const size_t w = 300, nf = (size_t)NFIELDS[grp];
        const hid_t s = ps_str_type(w, H5T_CSET_ASCII, H5T_STR_NULLTERM);
        const hid_t ct = H5Tcreate(H5T_COMPOUND, 8 + w * nf);
        H5Tinsert(ct, "extra", 0, H5T_NATIVE_INT64);
        for (size_t k = 0; k < nf; ++k)
            H5Tinsert(ct, FIELDS[grp][nf - 1 - k], 8 + k * w, s);
        unsigned char *buf = calloc(MAX_ROWS, 8 + w * nf);
        for (uint32_t r = 0; r < g->rows[grp]; ++r)
            for (size_t k = 0; k < nf; ++k) {
                const char *v = g->cell[grp][r][nf - 1 - k];
                memcpy(buf + r * (8 + w * nf) + 8 + k * w, v, strlen(v) < w ? strlen(v) : w - 1);
            }
        const hsize_t n = g->rows[grp];
        if (ps_dataset(g->f, path, ct, 1, &n, ct, buf, H5P_DEFAULT))
            g->unknown = 1;
        free(buf);
        H5Tclose(ct);
        H5Tclose(s);
        g->core_bad[grp] = g->rows[grp] != BASE_N[grp];
        return;
    }
    case 8: { /* a field missing, or an integer */
        char path[64];
        snprintf(path, sizeof path, "%s/_core", GROUP[grp]);
        const size_t nf = (size_t)NFIELDS[grp];
        const size_t drop = pick(g, (unsigned)nf);
        const int as_int = (int)(take(g) % 2);
        const hid_t s = ps_str_type(PS_WIDTH, H5T_CSET_ASCII, H5T_STR_NULLTERM);
        const hid_t ct = H5Tcreate(H5T_COMPOUND, PS_WIDTH * nf);
        for (size_t k = 0; k < nf; ++k)
            if (k != drop || as_int)
                H5Tinsert(ct, FIELDS[grp][k], k * PS_WIDTH, k == drop ? H5T_NATIVE_INT64 : s);
        const hsize_t n = g->rows[grp];
        static const unsigned char zero[MAX_ROWS * MAX_FIELDS * PS_WIDTH];
        ps_dataset(g->f, path, ct, 1, &n, ct, zero, H5P_DEFAULT);
        H5Tclose(ct);
        H5Tclose(s);
        g->core_bad[grp] = 1;
        return;
    }
    case 9: { /* strings of another class: a table of integers, rank 2 */
        char path[64];
        snprintf(path, sizeof path, "%s/_core", GROUP[grp]);
        const hsize_t d[2] = {g->rows[grp], 1};
        const int64_t v[MAX_ROWS] = {0};
        ps_dataset(g->f, path, H5T_STD_I64LE, 1 + (int)(take(g) % 2), d, H5T_NATIVE_INT64, v,
                   H5P_DEFAULT);
        g->core_bad[grp] = 1;
        return;
    }
    case 10: { /* space-padded: trailing blanks kept or not is HDF5's business */
        st = ps_str_type(PS_WIDTH, H5T_CSET_ASCII, H5T_STR_SPACEPAD);
        g->unknown = 1;
        break;
    }
    default: { /* chunked and compressed */
        char path[64];
        snprintf(path, sizeof path, "%s/_core", GROUP[grp]);
        const size_t nf = (size_t)NFIELDS[grp];
        const hid_t s = ps_str_type(PS_WIDTH, H5T_CSET_ASCII, H5T_STR_NULLTERM);
        const hid_t ct = H5Tcreate(H5T_COMPOUND, PS_WIDTH * nf);
        for (size_t k = 0; k < nf; ++k)
            H5Tinsert(ct, FIELDS[grp][k], k * PS_WIDTH, s);
        unsigned char buf[MAX_ROWS * MAX_FIELDS * PS_WIDTH] = {0};
        for (uint32_t r = 0; r < g->rows[grp]; ++r)
            for (size_t k = 0; k < nf; ++k) {
                const char *v = g->cell[grp][r][k];
                memcpy(buf + (r * nf + k) * PS_WIDTH, v,
                       strlen(v) < PS_WIDTH ? strlen(v) : PS_WIDTH);
                if (strlen(v) > PS_WIDTH)
                    g->unknown = 1;
            }
        const hid_t pl = H5Pcreate(H5P_DATASET_CREATE);
        const hsize_t n = g->rows[grp], c = n < 2 ? 1 : 2;
        if (n) {
            H5Pset_chunk(pl, 1, &c);
            H5Pset_deflate(pl, 1);
        }
        if (ps_dataset(g->f, path, ct, 1, &n, ct, buf, pl))
            g->unknown = 1;
        H5Pclose(pl);
        H5Tclose(ct);
        H5Tclose(s);
        g->core_bad[grp] = g->rows[grp] != BASE_N[grp];
        return;
    }
    }
    /* fixed-length strings cut what does not fit */
    if (H5Tis_variable_str(st) <= 0)
        for (uint32_t r = 0; r < g->rows[grp]; ++r)
            for (int k = 0; k < NFIELDS[grp]; ++k)
                if (strlen(g->cell[grp][r][k]) >
                    H5Tget_size(st) - (H5Tget_strpad(st) == H5T_STR_NULLTERM))
                    g->unknown = 1;
    write_core(g, grp, st);
    H5Tclose(st);
    g->core_bad[grp] = g->rows[grp] != BASE_N[grp];
}

static void edit_series(gen_t *g)
{
    const int k = (int)pick(g, N_SERIES);
    const series_def_t *s = &SERIES[k];
    if (g->present[s->g] != 1)
        return;
    const uint32_t n = BASE_N[s->g];
    char path[80];
    snprintf(path, sizeof path, "%s/%s", GROUP[s->g], s->name);
    switch (pick(g, 8)) {
    case 0: { /* another integer or float encoding */
        const hid_t ints[] = {H5T_STD_U32LE, H5T_STD_U32BE, H5T_STD_I32LE, H5T_STD_U16LE,
                              H5T_STD_I64BE, H5T_STD_U64LE, H5T_STD_I8LE};
        const hid_t floats[] = {H5T_IEEE_F32LE, H5T_IEEE_F64BE, H5T_IEEE_F32BE};
        write_series(g, k, s->frac ? floats[pick(g, 3)] : ints[pick(g, 7)], 0);
        break;
    }
    case 1: /* the other class */
        write_series(g, k, s->frac ? H5T_STD_I64LE : H5T_IEEE_F64LE, 0);
        g->series_bad[k] = 1;
        break;
    case 2:
        write_series(g, k, s->frac ? H5T_IEEE_F64LE : H5T_STD_I64LE, 1 + (int)pick(g, 2));
        break;
    case 3: { /* another shape */
        hsize_t d[3] = {PS_T, n, 2};
        int rank = 2;
        switch (pick(g, 6)) {
        case 0:
            d[0] += 1;
            break;
        case 1:
            d[0] -= 1;
            break;
        case 2:
            d[1] += 1;
            break;
        case 3:
            d[0] = n;
            d[1] = PS_T;
            break;
        case 4:
            rank = 1;
            d[0] *= n;
            break;
        default:
            rank = 3;
            break;
        }
        static int64_t zero[PS_T * (MAX_ROWS + 1) * 2];
        ps_dataset(g->f, path, H5T_STD_I64LE, rank, d, H5T_NATIVE_INT64, zero, H5P_DEFAULT);
        g->series_bad[k] = 1;
        break;
    }
    case 4: /* never written, or a string type */
        if (take(g) % 2) {
            const hsize_t d[2] = {PS_T, n};
            ps_dataset(g->f, path, s->frac ? H5T_IEEE_F64LE : H5T_STD_I64LE, 2, d, H5T_NATIVE_INT64,
                       NULL, H5P_DEFAULT);
        } else {
            const hid_t t = ps_str_type(8, H5T_CSET_ASCII, H5T_STR_NULLTERM);
            const hsize_t d[2] = {PS_T, n};
            ps_dataset(g->f, path, t, 2, d, t, NULL, H5P_DEFAULT);
            H5Tclose(t);
        }
        g->series_bad[k] = 1;
        break;
    case 5: /* deleted */
        ps_del(g->f, path);
        g->series_bad[k] = 1;
        break;
    default: { /* one value changed */
        const size_t at = pick(g, PS_T * n);
        if (s->frac) {
            static const double V[] = {NAN, -NAN,        INFINITY, -INFINITY, -0.0,   1.0, 0.0,
                                       0.0, 1.0 + 1e-15, -1e-300,  1e308,     5e-324, 0.5};
            g->fv[k][at] = V[pick(g, sizeof V / sizeof *V)];
        } else {
            static const int64_t V[] = {-1, INT64_MIN, 4294967295LL, 4294967296LL, INT64_MAX, 0,
                                        1,  7};
            g->iv[k][at] = V[pick(g, sizeof V / sizeof *V)];
        }
        write_series(g, k, s->frac ? H5T_IEEE_F64LE : H5T_STD_I64LE, 0);
        break;
    }
    }
}

/* --- the model's verdict ------------------------------------------------ */

static int region_of(const gen_t *g, const char *name)
{
    for (uint32_t r = 0; r < g->rows[G_REG]; ++r)
        if (!strcmp(g->cell[G_REG][r][0], name))
            return (int)r;
    return -1;
}

static int text_ok(const char *s, int name)
{
    return (!name || s[0]) && strlen(s) <= GR_MAX_PRAS_NAME_LEN && utf8_printable(s);
}

/* Names non-empty, printable, unique in column 0 (tables that have names). */
static int names_ok(const gen_t *g, int grp)
{
    for (uint32_t r = 0; r < g->rows[grp]; ++r) {
        for (int k = 0; k < NFIELDS[grp]; ++k)
            if (!text_ok(g->cell[grp][r][k], k == 0))
                return 0;
        for (uint32_t q = 0; q < r; ++q)
            if (!strcmp(g->cell[grp][r][0], g->cell[grp][q][0]))
                return 0;
    }
    return 1;
}

/* The interface joining regions a and b (either way), or -1. */
static int iface_of(const gen_t *g, int a, int b)
{
    for (uint32_t i = 0; i < g->rows[G_IFACE]; ++i) {
        const int x = region_of(g, g->cell[G_IFACE][i][0]),
                  y = region_of(g, g->cell[G_IFACE][i][1]);
        if ((x == a && y == b) || (x == b && y == a))
            return (int)i;
    }
    return -1;
}

static int series_index(int grp, const char *name)
{
    for (int k = 0; k < N_SERIES; ++k)
        if (SERIES[k].g == grp && !strcmp(SERIES[k].name, name))
            return k;
    return -1;
}

/* 1 if the file is valid; else 0 and *why says what the model saw. */
static int model_valid(const gen_t *g, const char **why)
{
#define NO(reason) return (*why = (reason), 0)
    if (g->unknown)
        NO("unknown encoding");
    for (int a = 0; a < N_ATTRS; ++a)
        if (g->attr_bad[a])
            NO("attribute");
    if (g->count != PS_T || g->unit_h <= 0 || g->unit_h * (double)g->length > GR_MAX_PRAS_STEP_H)
        NO("count, length or unit");
    const int *p = g->present;
    if (p[G_REG] != 1 || (p[G_GEN] != 1 && p[G_GSTOR] != 1) || p[G_IFACE] != p[G_LINE])
        NO("groups");
    for (int grp = 0; grp <= G_DR; ++grp)
        if (p[grp] < 0)
            NO("broken group");
    if (p[G_DR] == 1 && g->dr_rows > 0)
        NO("demand response");
    if (!g->rows[G_REG])
        NO("no regions");
    for (int grp = 0; grp < G_NGROUPS; ++grp) {
        if (p[grp] != 1)
            continue;
        if (g->core_bad[grp])
            NO("core table");
        if (grp != G_IFACE && !names_ok(g, grp))
            NO("names");
        for (uint32_t r = 0; r < g->rows[grp]; ++r)
            for (int k = 0; k < NFIELDS[grp]; ++k)
                if (!text_ok(g->cell[grp][r][k], 0))
                    NO("text");
    }
    for (int grp = G_GEN; grp <= G_GSTOR; ++grp)
        for (uint32_t r = 0; p[grp] == 1 && r < g->rows[grp]; ++r)
            if (region_of(g, g->cell[grp][r][2]) < 0)
                NO("asset region");
    if (p[G_IFACE] == 1) {
        for (uint32_t i = 0; i < g->rows[G_IFACE]; ++i) {
            const int x = region_of(g, g->cell[G_IFACE][i][0]);
            const int y = region_of(g, g->cell[G_IFACE][i][1]);
            if (x < 0 || y < 0 || x == y)
                NO("interface regions");
            for (uint32_t j = 0; j < i; ++j) {
                const int u = region_of(g, g->cell[G_IFACE][j][0]);
                const int v = region_of(g, g->cell[G_IFACE][j][1]);
                if ((u == x && v == y) || (u == y && v == x))
                    NO("interface twice");
            }
        }
        for (uint32_t l = 0; l < g->rows[G_LINE]; ++l) {
            const int x = region_of(g, g->cell[G_LINE][l][2]);
            const int y = region_of(g, g->cell[G_LINE][l][3]);
            if (x < 0 || y < 0 || x == y || iface_of(g, x, y) < 0)
                NO("line");
        }
    }
    for (int k = 0; k < N_SERIES; ++k) {
        const series_def_t *s = &SERIES[k];
        if (p[s->g] != 1)
            continue;
        if (g->series_bad[k])
            NO("series bad");
        for (uint32_t i = 0; i < PS_T * BASE_N[s->g]; ++i)
            if (s->frac
                    ? !(g->fv[k][i] >= 0 && g->fv[k][i] <= 1) || (s->frac == 2 && g->fv[k][i] == 0)
                    : g->iv[k][i] < 0 || g->iv[k][i] > NET_CAP_MAX)
                NO("value");
    }
    for (int grp = G_GEN; grp <= G_LINE; ++grp) {
        if (grp == G_IFACE || p[grp] != 1)
            continue;
        const int kf = series_index(grp, "failureprobability");
        const int kr = series_index(grp, "repairprobability");
        for (uint32_t j = 0; j < BASE_N[grp]; ++j)
            if (g->fv[kf][j] == 0 && g->fv[kr][j] == 0)
                NO("steady state");
    }
    return 1;
#undef NO
}

/* --- checks ------------------------------------------------------------ */

static void die(const char *what, const char *msg)
{
    fprintf(stderr, "fuzz_pras: %s: %s\n", what, msg);
    abort();
}

static void check_assets(const net_sys_t *s, const net_assets_t *a, uint32_t homes)
{
    for (uint32_t i = 0; i < a->n; ++i) {
        if (!a->name[i] || !a->name[i][0] || !utf8_printable(a->name[i]) || !a->category[i] ||
            !utf8_printable(a->category[i]) || a->home[i] >= homes)
            die("accepted", "an asset's name, category or home is out of range");
        for (uint32_t t = 0; t < s->steps; ++t) {
            const double f = a->fail[(size_t)t * a->n + i], r = a->repair[(size_t)t * a->n + i];
            if (!(f >= 0 && f <= 1 && r >= 0 && r <= 1))
                die("accepted", "a probability out of [0, 1]");
        }
        if (s->steps && a->fail[i] == 0 && a->repair[i] == 0)
            die("accepted", "a unit without a steady state");
    }
}

static void check_ints(const int64_t *v, size_t n)
{
    for (size_t i = 0; i < n; ++i)
        if (v[i] < 0 || v[i] > NET_CAP_MAX)
            die("accepted", "a power or energy out of [0, 2^32 - 1]");
}

static void check_fracs(const double *v, size_t n)
{
    for (size_t i = 0; i < n; ++i)
        if (!(v[i] >= 0 && v[i] <= 1))
            die("accepted", "an efficiency out of [0, 1]");
}

static void check_stors(const net_sys_t *s, const net_stors_t *st, int gen)
{
    check_assets(s, &st->a, s->n_regions);
    const size_t n = (size_t)s->steps * st->a.n;
    check_ints(st->charge_cap, n);
    check_ints(st->discharge_cap, n);
    check_ints(st->energy_cap, n);
    check_fracs(st->charge_eff, n);
    check_fracs(st->discharge_eff, n);
    check_fracs(st->carryover_eff, n);
    if (gen) {
        check_ints(st->inflow, n);
        check_ints(st->withdraw_cap, n);
        check_ints(st->inject_cap, n);
    }
}

/* net.h's invariants, for any file the reader accepts. */
static void check_invariants(const net_sys_t *s)
{
    if (!s->steps || s->steps > GR_MAX_PRAS_STEPS || !s->n_regions || !(s->step_h > 0) ||
        !(s->energy_per_power_step > 0) || !(s->mw_per_unit > 0) || !(s->mwh_per_unit > 0))
        die("accepted", "counts or units out of range");
    for (uint32_t r = 0; r < s->n_regions; ++r)
        if (!s->region_name[r][0] || !utf8_printable(s->region_name[r]))
            die("accepted", "a region name empty or not printable");
    check_ints(s->load, (size_t)s->steps * s->n_regions);
    if (s->gens.a.n) {
        check_assets(s, &s->gens.a, s->n_regions);
        check_ints(s->gens.cap, (size_t)s->steps * s->gens.a.n);
    }
    if (s->stors.a.n)
        check_stors(s, &s->stors, 0);
    if (s->genstors.a.n)
        check_stors(s, &s->genstors, 1);
    for (uint32_t i = 0; i < s->ifaces.n; ++i)
        if (s->ifaces.from[i] >= s->ifaces.to[i] || s->ifaces.to[i] >= s->n_regions)
            die("accepted", "an interface not from a region to a later one");
    if (s->ifaces.n) {
        check_ints(s->ifaces.fwd_cap, (size_t)s->steps * s->ifaces.n);
        check_ints(s->ifaces.bwd_cap, (size_t)s->steps * s->ifaces.n);
    }
    if (s->lines.a.n) {
        check_assets(s, &s->lines.a, s->ifaces.n);
        check_ints(s->lines.fwd_cap, (size_t)s->steps * s->lines.a.n);
        check_ints(s->lines.bwd_cap, (size_t)s->steps * s->lines.a.n);
    }
}

/* A valid file's contents against the model. */
static void check_model(const gen_t *g, const net_sys_t *s)
{
    const uint32_t want[G_NGROUPS] = {g->rows[G_REG],
                                      g->present[G_GEN] == 1 ? g->rows[G_GEN] : 0,
                                      g->present[G_STOR] == 1 ? g->rows[G_STOR] : 0,
                                      g->present[G_GSTOR] == 1 ? g->rows[G_GSTOR] : 0,
                                      g->present[G_IFACE] == 1 ? g->rows[G_IFACE] : 0,
                                      g->present[G_LINE] == 1 ? g->rows[G_LINE] : 0};
    const uint32_t got[G_NGROUPS] = {s->n_regions,    s->gens.a.n, s->stors.a.n,
                                     s->genstors.a.n, s->ifaces.n, s->lines.a.n};
    for (int grp = 0; grp < G_NGROUPS; ++grp)
        if (want[grp] != got[grp])
            die("valid file", "a count differs from the file's");
    for (uint32_t i = 0; i < PS_T * s->n_regions; ++i)
        if (s->load[i] != g->iv[0][i])
            die("valid file", "a load differs from the file's");
    for (uint32_t i = 0; s->gens.a.n && i < PS_T * s->gens.a.n; ++i)
        if (s->gens.cap[i] != g->iv[1][i] || s->gens.a.fail[i] != g->fv[2][i])
            die("valid file", "a generator's capacity or probability differs from the file's");
    for (uint32_t r = 0; r < s->n_regions; ++r)
        if (strcmp(s->region_name[r], g->cell[G_REG][r][0]))
            die("valid file", "a region's name differs from the file's");
    const int kf = series_index(G_IFACE, "forwardcapacity");
    const int kb = series_index(G_IFACE, "backwardcapacity");
    for (uint32_t i = 0; i < s->ifaces.n; ++i) {
        const int x = region_of(g, g->cell[G_IFACE][i][0]),
                  y = region_of(g, g->cell[G_IFACE][i][1]);
        const int sw = x > y;
        if ((int)s->ifaces.from[i] != (sw ? y : x) || (int)s->ifaces.to[i] != (sw ? x : y))
            die("valid file", "an interface's regions differ from the file's");
        for (uint32_t t = 0; t < PS_T; ++t) {
            const size_t at = (size_t)t * s->ifaces.n + i;
            if (s->ifaces.fwd_cap[at] != g->iv[sw ? kb : kf][at] ||
                s->ifaces.bwd_cap[at] != g->iv[sw ? kf : kb][at])
                die("valid file", "an interface's capacities are not the file's, turned");
        }
    }
    const int lf = series_index(G_LINE, "forwardcapacity");
    const int lb = series_index(G_LINE, "backwardcapacity");
    for (uint32_t l = 0; l < s->lines.a.n; ++l) {
        const int x = region_of(g, g->cell[G_LINE][l][2]), y = region_of(g, g->cell[G_LINE][l][3]);
        const int sw = x > y;
        if ((int)s->lines.a.home[l] != iface_of(g, x, y))
            die("valid file", "a line's interface is not the one joining its regions");
        for (uint32_t t = 0; t < PS_T; ++t) {
            const size_t at = (size_t)t * s->lines.a.n + l;
            if (s->lines.fwd_cap[at] != g->iv[sw ? lb : lf][at] ||
                s->lines.bwd_cap[at] != g->iv[sw ? lf : lb][at])
                die("valid file", "a line's capacities are not the file's, turned");
        }
    }
}

static long open_ids(void)
{
    static const H5I_type_t KINDS[] = {H5I_FILE,    H5I_GROUP, H5I_DATATYPE,   H5I_DATASPACE,
                                       H5I_DATASET, H5I_ATTR,  H5I_GENPROP_LST};
    long n = 0;
    for (size_t i = 0; i < sizeof KINDS / sizeof *KINDS; ++i) {
        hsize_t k = 0;
        H5Inmembers(KINDS[i], &k);
        n += (long)k;
    }
    return n;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    return 0;
}

static gen_t gen; /* large: not on the stack */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gen_t *g = &gen;
    memset(g, 0, sizeof *g);
    g->p = data;
    g->n = size;
    g->count = PS_T;
    g->length = 1;
    g->unit_h = 1;
    for (int grp = 0; grp < G_NGROUPS; ++grp) {
        g->present[grp] = 1;
        g->rows[grp] = BASE_N[grp];
        for (uint32_t r = 0; r < BASE_N[grp]; ++r)
            for (int k = 0; k < NFIELDS[grp]; ++k)
                snprintf(g->cell[grp][r][k], NAME_CAP, "%s",
                         BASE_ROWS[grp][r * (unsigned)NFIELDS[grp] + (unsigned)k]);
    }
    g->f = ps_create("fuzz-build.pras");
    if (g->f < 0)
        abort();
    ps_write_valid(g->f);
    /* the model's values: what the file holds */
    for (int k = 0; k < N_SERIES; ++k) {
        char path[80];
        snprintf(path, sizeof path, "%s/%s", GROUP[SERIES[k].g], SERIES[k].name);
        const hid_t ds = H5Dopen2(g->f, path, H5P_DEFAULT);
        if (ds < 0 ||
            H5Dread(ds, SERIES[k].frac ? H5T_NATIVE_DOUBLE : H5T_NATIVE_INT64, H5S_ALL, H5S_ALL,
                    H5P_DEFAULT, SERIES[k].frac ? (void *)g->fv[k] : (void *)g->iv[k]) < 0)
            abort();
        H5Dclose(ds);
    }
    for (int e = 0; e < MAX_EDITS && g->n; ++e) {
        switch (pick(g, 4)) {
        case 0:
            edit_attr(g);
            break;
        case 1:
            edit_group(g);
            break;
        case 2:
            edit_core(g);
            break;
        default:
            edit_series(g);
            break;
        }
    }
    size_t len = 0;
    void *img = ps_image(g->f, &len);
    H5Fclose(g->f);
    if (!img)
        abort();
    const char *why = "";
    const int valid = model_valid(g, &why);

    const long ids = open_ids();
    net_sys_t *s = NULL;
    gr_err_t err = {0, {0}};
    const int rc = pras_load_image(img, len, "fuzz.pras", &s, &err);
    free(img);
    if (getenv("FUZZ_PRAS_VERBOSE")) /* to see what a seed or a finding makes */
        fprintf(stderr, "valid %d (%s): rc %d %s\n", valid, why, rc, rc ? err.msg : "");
    if (open_ids() != ids)
        die("HDF5 identifiers left open", rc ? err.msg : "(accepted)");
    if (rc != GR_OK && rc != GR_EINPUT)
        die("unexpected return code", err.msg);
    if (rc && strncmp(err.msg, "fuzz.pras: ", 11))
        die("error message does not name the file", err.msg);
    if (rc && valid)
        die("a valid file was refused", err.msg);
    if (!rc) {
        check_invariants(s);
        if (valid)
            check_model(g, s);
        net_free(s);
    }
    return 0;
}
