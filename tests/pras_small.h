/*
 * pras_small.h - a small valid PRAS system file built in memory with the
 * HDF5 C API, and the helpers that build it, for test_pras_read.c and the
 * fuzzer (tests/fuzz/fuzz_pras.c), which both start from it and change
 * one part at a time. Header-only (static functions): each includer is one
 * translation unit.
 *
 * The system (PS_T = 4 hourly steps, MW/MWh, format v0.8.0):
 *   regions     north, south, east; load 100 + 10t, 200 + 10t, 300 + 10t
 *   generators  g1 (north, coal, 150), g2 (south, gas, 250), g3 (east,
 *               wind, 60 + t); failure 0.01, 0.02, 0; repair 0.1, 0.2, 1
 *   storages    s1 (south): charge 20, discharge 25, energy 100,
 *               efficiencies 0.9, 0.95, 1; failure 0.001, repair 0.5
 *   generatorstorages  h1 (east): inflow 10, withdrawal 0, injection 40,
 *               charge 5, discharge 40, energy 500, efficiencies 1, 1,
 *               0.99; failure 0.002, repair 0.25
 *   interfaces  north -> south (forward 100, backward 90), east -> south
 *               (forward 70, backward 60: given the other way round from
 *               region order, so the reader swaps it to south -> east)
 *   lines       l1 north -> south (60, 50), l2 south -> north (45, 40),
 *               l3 east -> south (70, 60); failure 0.005, repair 0.5
 * with t = 0 .. PS_T - 1. Strings are fixed-length (PS_WIDTH bytes),
 * NUL-terminated ASCII in compound `_core` tables, as PRAS writes them.
 */
#ifndef GR_PRAS_SMALL_H
#define GR_PRAS_SMALL_H

#include <hdf5.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { PS_T = 4, PS_WIDTH = 16, PS_MAX_FIELDS = 6 };

/* A new empty HDF5 file in memory (core driver, nothing written to disk). */
static hid_t ps_create(const char *name)
{
    const hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    H5Pset_fapl_core(fapl, 1 << 16, 0);
    const hid_t f = H5Fcreate(name, H5F_ACC_TRUNC, H5P_DEFAULT, fapl);
    H5Pclose(fapl);
    return f;
}

/* The file's bytes (malloc'd) and their count. */
static void *ps_image(hid_t f, size_t *len)
{
    H5Fflush(f, H5F_SCOPE_GLOBAL);
    const ssize_t n = H5Fget_file_image(f, NULL, 0);
    void *buf = n > 0 ? malloc((size_t)n) : NULL;
    if (!buf || H5Fget_file_image(f, buf, (size_t)n) != n) {
        free(buf);
        *len = 0;
        return NULL;
    }
    *len = (size_t)n;
    return buf;
}

/* Removes the link at path (an object) if it is there. */
static void ps_del(hid_t f, const char *path)
{
    if (H5Lexists(f, path, H5P_DEFAULT) > 0)
        H5Ldelete(f, path, H5P_DEFAULT);
}

static void ps_attr_del(hid_t f, const char *name)
{
    if (H5Aexists(f, name) > 0)
        H5Adelete(f, name);
}

/* Root attribute name := value, of file type ftype written from memory
 * type mtype (replacing any attribute of that name). */
static void ps_attr_raw(hid_t f, const char *name, hid_t ftype, hid_t mtype, const void *value)
{
    ps_attr_del(f, name);
    const hid_t sp = H5Screate(H5S_SCALAR);
    const hid_t a = H5Acreate2(f, name, ftype, sp, H5P_DEFAULT, H5P_DEFAULT);
    H5Awrite(a, mtype, value);
    H5Aclose(a);
    H5Sclose(sp);
}

/* A string type: fixed length size (or H5T_VARIABLE), character set, pad. */
static hid_t ps_str_type(size_t size, H5T_cset_t cset, H5T_str_t pad)
{
    const hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, size);
    H5Tset_cset(t, cset);
    if (size != H5T_VARIABLE)
        H5Tset_strpad(t, pad);
    return t;
}

/* A string attribute as PRAS (HDF5.jl) writes one: fixed length, exactly
 * the string's bytes, no terminating NUL stored. */
static void ps_attr_str(hid_t f, const char *name, const char *value)
{
    const size_t n = strlen(value);
    const hid_t t = ps_str_type(n ? n : 1, H5T_CSET_UTF8, H5T_STR_NULLTERM);
    ps_attr_raw(f, name, t, t, value);
    H5Tclose(t);
}

static void ps_attr_vstr(hid_t f, const char *name, const char *value)
{
    const hid_t t = ps_str_type(H5T_VARIABLE, H5T_CSET_ASCII, H5T_STR_NULLTERM);
    ps_attr_raw(f, name, t, t, &value);
    H5Tclose(t);
}

static void ps_attr_i64(hid_t f, const char *name, int64_t v)
{
    ps_attr_raw(f, name, H5T_STD_I64LE, H5T_NATIVE_INT64, &v);
}

/*
 * A dataset at path (replacing any): file type ftype, rank 0..3 with
 * extents dims, values written from memory type mtype (NULL: never
 * written). dcpl H5P_DEFAULT or a creation property list. Returns 0, or
 * -1 if HDF5 refused.
 */
static int ps_dataset(hid_t f, const char *path, hid_t ftype, int rank, const hsize_t *dims,
                      hid_t mtype, const void *values, hid_t dcpl)
{
    ps_del(f, path);
    const hid_t sp = rank ? H5Screate_simple(rank, dims, NULL) : H5Screate(H5S_SCALAR);
    const hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
    H5Pset_create_intermediate_group(lcpl, 1);
    const hid_t d = H5Dcreate2(f, path, ftype, sp, lcpl, dcpl, H5P_DEFAULT);
    int rc = d < 0 ? -1 : 0;
    if (d >= 0 && values && H5Sget_simple_extent_npoints(sp) > 0 &&
        H5Dwrite(d, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, values) < 0)
        rc = -1;
    if (d >= 0)
        H5Dclose(d);
    H5Pclose(lcpl);
    H5Sclose(sp);
    return rc;
}

/* A [rows][cols] integer dataset, stored as PRAS writes them (int64). */
static void ps_i64(hid_t f, const char *path, hsize_t rows, hsize_t cols, const int64_t *v)
{
    const hsize_t d[2] = {rows, cols};
    ps_dataset(f, path, H5T_STD_I64LE, 2, d, H5T_NATIVE_INT64, v, H5P_DEFAULT);
}

static void ps_f64(hid_t f, const char *path, hsize_t rows, hsize_t cols, const double *v)
{
    const hsize_t d[2] = {rows, cols};
    ps_dataset(f, path, H5T_IEEE_F64LE, 2, d, H5T_NATIVE_DOUBLE, v, H5P_DEFAULT);
}

/* A `_core` table: nf string fields named fields[], rows x nf values
 * (row-major), each field of string type stype (fixed-length: stype's
 * size, values copied and cut to fit; variable-length: pointers). */
static int ps_core_typed(hid_t f, const char *group, size_t nf, const char *const *fields,
                         size_t rows, const char *const *vals, hid_t stype)
{
    char path[128];
    snprintf(path, sizeof path, "%s/_core", group);
    const int vlen = H5Tis_variable_str(stype) > 0;
    const size_t w = vlen ? sizeof(char *) : H5Tget_size(stype);
    const hid_t ct = H5Tcreate(H5T_COMPOUND, w * nf);
    for (size_t k = 0; k < nf; ++k)
        H5Tinsert(ct, fields[k], k * w, stype);
    unsigned char *buf = calloc(rows ? rows : 1, w * nf);
    for (size_t r = 0; r < rows; ++r)
        for (size_t k = 0; k < nf; ++k) {
            unsigned char *at = buf + (r * nf + k) * w;
            const char *s = vals[r * nf + k];
            if (vlen)
                memcpy(at, &s, sizeof s);
            else
                memcpy(at, s, strlen(s) < w ? strlen(s) : w);
        }
    const hsize_t n = rows;
    const int rc = ps_dataset(f, path, ct, 1, &n, ct, buf, H5P_DEFAULT);
    free(buf);
    H5Tclose(ct);
    return rc;
}

static int ps_core(hid_t f, const char *group, size_t nf, const char *const *fields, size_t rows,
                   const char *const *vals)
{
    const hid_t st = ps_str_type(PS_WIDTH, H5T_CSET_ASCII, H5T_STR_NULLTERM);
    const int rc = ps_core_typed(f, group, nf, fields, rows, vals, st);
    H5Tclose(st);
    return rc;
}

/* --- the system -------------------------------------------------------- */

static const char *const PS_ASSET_FIELDS[] = {"name", "category", "region"};
static const char *const PS_IFACE_FIELDS[] = {"region_from", "region_to"};
static const char *const PS_LINE_FIELDS[] = {"name", "category", "region_from", "region_to"};
static const char *const PS_REGION_FIELDS[] = {"name"};

static const char *const PS_REGIONS[] = {"north", "south", "east"};
static const char *const PS_GENS[] = {"g1",    "coal", "north", "g2",  "gas",
                                      "south", "g3",   "wind",  "east"};
static const char *const PS_STORS[] = {"s1", "battery", "south"};
static const char *const PS_GENSTORS[] = {"h1", "hydro", "east"};
static const char *const PS_IFACES[] = {"north", "south", "east", "south"};
static const char *const PS_LINES[] = {"l1",    "ac",    "north", "south", "l2",   "ac",
                                       "south", "north", "l3",    "dc",    "east", "south"};

/* A [PS_T][n] array whose column j holds base[j] + slope[j] * t. */
static void ps_fill_i(int64_t *v, size_t n, const int64_t *base, const int64_t *slope)
{
    for (size_t t = 0; t < PS_T; ++t)
        for (size_t j = 0; j < n; ++j)
            v[t * n + j] = base[j] + (slope ? slope[j] * (int64_t)t : 0);
}

static void ps_fill_f(double *v, size_t n, const double *base)
{
    for (size_t t = 0; t < PS_T; ++t)
        for (size_t j = 0; j < n; ++j)
            v[t * n + j] = base[j];
}

/* Writes the time-varying datasets of one group: ints[] then fracs[],
 * each with constant columns from a table of n values. */
static void ps_series_i(hid_t f, const char *path, size_t n, const int64_t *base,
                        const int64_t *slope)
{
    int64_t v[PS_T * 8];
    ps_fill_i(v, n, base, slope);
    ps_i64(f, path, PS_T, n, v);
}

static void ps_series_f(hid_t f, const char *path, size_t n, const double *base)
{
    double v[PS_T * 8];
    ps_fill_f(v, n, base);
    ps_f64(f, path, PS_T, n, v);
}

static void ps_root_attrs(hid_t f)
{
    ps_attr_str(f, "pras_dataversion", "v0.8.0");
    ps_attr_str(f, "start_timestamp", "2024-01-01T00:00:00+05:00");
    ps_attr_i64(f, "timestep_count", PS_T);
    ps_attr_i64(f, "timestep_length", 1);
    ps_attr_str(f, "timestep_unit", "h");
    ps_attr_str(f, "power_unit", "MW");
    ps_attr_str(f, "energy_unit", "MWh");
}

static void ps_write_valid(hid_t f)
{
    ps_root_attrs(f);

    ps_core(f, "regions", 1, PS_REGION_FIELDS, 3, PS_REGIONS);
    ps_series_i(f, "regions/load", 3, (const int64_t[]){100, 200, 300},
                (const int64_t[]){10, 10, 10});

    ps_core(f, "generators", 3, PS_ASSET_FIELDS, 3, PS_GENS);
    ps_series_i(f, "generators/capacity", 3, (const int64_t[]){150, 250, 60},
                (const int64_t[]){0, 0, 1});
    ps_series_f(f, "generators/failureprobability", 3, (const double[]){0.01, 0.02, 0});
    ps_series_f(f, "generators/repairprobability", 3, (const double[]){0.1, 0.2, 1});

    ps_core(f, "storages", 3, PS_ASSET_FIELDS, 1, PS_STORS);
    ps_series_i(f, "storages/chargecapacity", 1, (const int64_t[]){20}, NULL);
    ps_series_i(f, "storages/dischargecapacity", 1, (const int64_t[]){25}, NULL);
    ps_series_i(f, "storages/energycapacity", 1, (const int64_t[]){100}, NULL);
    ps_series_f(f, "storages/chargeefficiency", 1, (const double[]){0.9});
    ps_series_f(f, "storages/dischargeefficiency", 1, (const double[]){0.95});
    ps_series_f(f, "storages/carryoverefficiency", 1, (const double[]){1});
    ps_series_f(f, "storages/failureprobability", 1, (const double[]){0.001});
    ps_series_f(f, "storages/repairprobability", 1, (const double[]){0.5});

    ps_core(f, "generatorstorages", 3, PS_ASSET_FIELDS, 1, PS_GENSTORS);
    ps_series_i(f, "generatorstorages/inflow", 1, (const int64_t[]){10}, NULL);
    ps_series_i(f, "generatorstorages/gridwithdrawalcapacity", 1, (const int64_t[]){0}, NULL);
    ps_series_i(f, "generatorstorages/gridinjectioncapacity", 1, (const int64_t[]){40}, NULL);
    ps_series_i(f, "generatorstorages/chargecapacity", 1, (const int64_t[]){5}, NULL);
    ps_series_i(f, "generatorstorages/dischargecapacity", 1, (const int64_t[]){40}, NULL);
    ps_series_i(f, "generatorstorages/energycapacity", 1, (const int64_t[]){500}, NULL);
    ps_series_f(f, "generatorstorages/chargeefficiency", 1, (const double[]){1});
    ps_series_f(f, "generatorstorages/dischargeefficiency", 1, (const double[]){1});
    ps_series_f(f, "generatorstorages/carryoverefficiency", 1, (const double[]){0.99});
    ps_series_f(f, "generatorstorages/failureprobability", 1, (const double[]){0.002});
    ps_series_f(f, "generatorstorages/repairprobability", 1, (const double[]){0.25});

    ps_core(f, "interfaces", 2, PS_IFACE_FIELDS, 2, PS_IFACES);
    ps_series_i(f, "interfaces/forwardcapacity", 2, (const int64_t[]){100, 70}, NULL);
    ps_series_i(f, "interfaces/backwardcapacity", 2, (const int64_t[]){90, 60}, NULL);

    ps_core(f, "lines", 4, PS_LINE_FIELDS, 3, PS_LINES);
    ps_series_i(f, "lines/forwardcapacity", 3, (const int64_t[]){60, 45, 70}, NULL);
    ps_series_i(f, "lines/backwardcapacity", 3, (const int64_t[]){50, 40, 60}, NULL);
    ps_series_f(f, "lines/failureprobability", 3, (const double[]){0.005, 0.005, 0.005});
    ps_series_f(f, "lines/repairprobability", 3, (const double[]){0.5, 0.5, 0.5});
}

#endif
