/* test_pras_read.c - the PRAS system file reader (inputs/pras.c).
 *
 * PRAS's own files (RTS-GMLC, v0.8.0; the toy model, v0.7.0, 5-minute
 * steps) load with their published counts and values. A small valid
 * system (tests/pras_small.h) is built in memory, one part of it changed
 * with the HDF5 C API, and the reader must either refuse it with
 * GR_EINPUT and a message naming the file, the object and the reason, or
 * (for the variants PRAS accepts: other integer types, string kinds and
 * widths, field order, chunking) load it with the same values. Every load
 * must leave no HDF5 identifier open and HDF5's error printing as it was. */
#include "testutil.h"

#include "../inputs/pras.h"
#include "../model/limits.h"
#include "pras_small.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { LEN_S = 600 };

/* --- the real files ---------------------------------------------------- */

/* The copies bundled in inputs/pras (tests run from the repository's
 * root), or GRIDRISK_PRAS_DATA. */
static const char *data_path(const char *file)
{
    static char path[1024];
    const char *dirs[] = {getenv("GRIDRISK_PRAS_DATA"), "inputs/pras"};
    for (size_t i = 0; i < sizeof dirs / sizeof *dirs; ++i) {
        if (!dirs[i])
            continue;
        snprintf(path, sizeof path, "%s/%s", dirs[i], file);
        if (tu_exists(path))
            return path;
    }
    fail_msg("%s not found (set GRIDRISK_PRAS_DATA to the directory of PRAS's files)", file);
    return NULL;
}

/* Open HDF5 identifiers of every kind a reader could leak. */
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

static void test_rts(void **state)
{
    (void)state;
    net_sys_t *s = NULL;
    gr_err_t err = {0, {0}};
    const long ids = open_ids();
    const int rc = pras_load(data_path("rts.pras"), &s, &err);
    if (rc)
        fail_msg("%s", err.msg);
    assert_int_equal(open_ids(), ids);
    assert_string_equal(s->version, "v0.8.0");
    assert_string_equal(s->start_timestamp, "2020-01-01T00:00:00+00:00");
    assert_int_equal(s->steps, 8784);
    assert_int_equal(s->step_length, 1);
    assert_string_equal(s->step_unit, "h");
    assert_true(s->step_h == 1.0 && s->energy_per_power_step == 1.0);
    assert_true(s->mw_per_unit == 1.0 && s->mwh_per_unit == 1.0);
    assert_int_equal(s->n_regions, 3);
    assert_string_equal(s->region_name[0], "1");
    assert_string_equal(s->region_name[2], "3");
    assert_int_equal(s->gens.a.n, 153);
    assert_int_equal(s->stors.a.n, 1);
    assert_int_equal(s->genstors.a.n, 1);
    assert_int_equal(s->ifaces.n, 3);
    assert_int_equal(s->lines.a.n, 6);
    /* loads at the first hour, and every region's peak is 2,850 MW */
    assert_int_equal(s->load[0], 985);
    assert_int_equal(s->load[1], 1103);
    assert_int_equal(s->load[2], 1250);
    for (uint32_t r = 0; r < 3; ++r) {
        int64_t peak = 0;
        for (uint32_t t = 0; t < s->steps; ++t)
            peak = s->load[(size_t)t * 3 + r] > peak ? s->load[(size_t)t * 3 + r] : peak;
        assert_int_equal(peak, 2850);
    }
    /* generators in file order, with their regions */
    assert_string_equal(s->gens.a.name[0], "101_STEAM_3");
    assert_string_equal(s->gens.a.category[0], "Coal");
    assert_int_equal(s->gens.a.home[0], 0);
    const int64_t cap100[5] = {76, 76, 76, 76, 155};
    for (int j = 0; j < 5; ++j)
        assert_int_equal(s->gens.cap[100 * 153 + j], cap100[j]);
    assert_true(fabs(s->gens.a.fail[0] - 0.0005102) < 1e-7);
    assert_true(s->gens.a.repair[0] == 0.025);
    /* probabilities: constant over time per unit, failure 0 to 0.0022,
     * repair 0.0067 to 1 */
    double fmin = 1, fmax = 0, rmin = 1, rmax = 0;
    for (size_t k = 0; k < (size_t)s->steps * 153; ++k) {
        const double f = s->gens.a.fail[k], r = s->gens.a.repair[k];
        fmin = fmin < f ? fmin : f;
        fmax = fmax > f ? fmax : f;
        rmin = rmin < r ? rmin : r;
        rmax = rmax > r ? rmax : r;
        if (f != s->gens.a.fail[k % 153] || r != s->gens.a.repair[k % 153])
            fail_msg("generator %zu: probabilities change at timestep %zu", k % 153 + 1,
                     k / 153 + 1);
    }
    assert_true(fmin == 0.0 && rmax == 1.0);
    assert_true(fabs(fmax - 0.0022222222222222222) < 1e-15);
    assert_true(fabs(rmin - 0.006666666666666667) < 1e-15);
    assert_string_equal(s->stors.a.name[0], "313_STORAGE_1");
    assert_int_equal(s->stors.a.home[0], 2);
    assert_int_equal(s->stors.energy_cap[0], 150);
    assert_int_equal(s->stors.charge_cap[0], 50);
    assert_null(s->stors.inflow);
    assert_string_equal(s->genstors.a.name[0], "212_CSP_1");
    assert_int_equal(s->genstors.energy_cap[0], 1200);
    assert_int_equal(s->genstors.inject_cap[0], 200);
    /* interfaces are unlimited; the lines carry the limits */
    for (uint32_t i = 0; i < 3; ++i) {
        assert_int_equal(s->ifaces.fwd_cap[i], 4294967295LL);
        assert_int_equal(s->ifaces.bwd_cap[i], 4294967295LL);
    }
    assert_int_equal(s->ifaces.from[2], 1);
    assert_int_equal(s->ifaces.to[2], 2);
    const int64_t line_cap[6] = {175, 500, 500, 500, 100, 500};
    const uint32_t line_iface[6] = {0, 0, 0, 1, 1, 2};
    for (uint32_t i = 0; i < 6; ++i) {
        assert_int_equal(s->lines.fwd_cap[i], line_cap[i]);
        assert_int_equal(s->lines.bwd_cap[i], line_cap[i]);
        assert_int_equal(s->lines.a.home[i], line_iface[i]);
    }
    for (size_t k = 0; k < (size_t)s->steps * 6; ++k) /* lines never fail here */
        assert_true(s->lines.a.fail[k] == 0.0 && s->lines.a.repair[k] > 0);
    assert_string_equal(s->lines.a.name[4], "113_316_1");
    net_free(s);
}

static void test_toymodel(void **state)
{
    (void)state;
    net_sys_t *s = NULL;
    gr_err_t err = {0, {0}};
    if (pras_load(data_path("toymodel.pras"), &s, &err))
        fail_msg("%s", err.msg);
    assert_string_equal(s->version, "v0.7.0");
    assert_int_equal(s->steps, 288);
    assert_int_equal(s->step_length, 5);
    assert_string_equal(s->step_unit, "min");
    assert_true(fabs(s->step_h - 5.0 / 60) < 1e-15);
    /* PRAS's conversionfactor for 5-minute MW steps to MWh */
    assert_true(s->energy_per_power_step == 1.0 * (1.0 / 60) * 5);
    assert_int_equal(s->n_regions, 1);
    assert_string_equal(s->region_name[0], "The Region");
    assert_int_equal(s->gens.a.n, 3);
    assert_string_equal(s->gens.a.name[0], "Baseload");
    assert_string_equal(s->gens.a.name[2], "Wind");
    assert_string_equal(s->gens.a.category[1], "-");
    assert_int_equal(s->gens.cap[0], 150);
    assert_int_equal(s->gens.cap[1], 50);
    assert_int_equal(s->load[0], 90);
    assert_int_equal(s->stors.a.n + s->genstors.a.n + s->ifaces.n + s->lines.a.n, 0);
    assert_null(s->ifaces.fwd_cap);
    net_free(s);
}

/* --- the small system, changed one part at a time ----------------------- */

typedef void (*mutate_fn)(hid_t f);

/* Builds the small system, applies m (NULL: none), loads the image. */
static int load_small(mutate_fn m, net_sys_t **out, gr_err_t *err)
{
    const hid_t f = ps_create("small-build.pras");
    assert_true(f >= 0);
    ps_write_valid(f);
    if (m)
        m(f);
    size_t len = 0;
    void *img = ps_image(f, &len);
    H5Fclose(f);
    assert_non_null(img);
    const int rc = pras_load_image(img, len, "small.pras", out, err);
    free(img);
    return rc;
}

static net_sys_t *load_ok(mutate_fn m)
{
    net_sys_t *s = NULL;
    gr_err_t err = {0, {0}};
    const long ids = open_ids();
    if (load_small(m, &s, &err))
        fail_msg("refused: %s", err.msg);
    assert_int_equal(open_ids(), ids);
    return s;
}

/* What the small system holds, as pras_small.h describes it. */
static void check_small(const net_sys_t *s)
{
    assert_int_equal(s->steps, PS_T);
    assert_int_equal(s->n_regions, 3);
    assert_string_equal(s->region_name[1], "south");
    assert_int_equal(s->load[1 * 3 + 2], 310);
    assert_int_equal(s->gens.a.n, 3);
    assert_string_equal(s->gens.a.name[2], "g3");
    assert_string_equal(s->gens.a.category[2], "wind");
    assert_int_equal(s->gens.a.home[2], 2);
    assert_int_equal(s->gens.cap[3 * 3 + 2], 63);
    assert_true(s->gens.a.fail[1] == 0.02 && s->gens.a.repair[2] == 1.0);
    assert_int_equal(s->stors.a.n, 1);
    assert_int_equal(s->stors.discharge_cap[0], 25);
    assert_true(s->stors.charge_eff[0] == 0.9);
    assert_int_equal(s->genstors.a.home[0], 2);
    assert_int_equal(s->genstors.inflow[0], 10);
    assert_int_equal(s->genstors.energy_cap[0], 500);
    assert_true(s->genstors.carryover_eff[0] == 0.99);
    /* interface 2 was given east -> south: stored south -> east, swapped */
    assert_int_equal(s->ifaces.n, 2);
    assert_int_equal(s->ifaces.from[0], 0);
    assert_int_equal(s->ifaces.to[0], 1);
    assert_int_equal(s->ifaces.fwd_cap[0], 100);
    assert_int_equal(s->ifaces.bwd_cap[0], 90);
    assert_int_equal(s->ifaces.from[1], 1);
    assert_int_equal(s->ifaces.to[1], 2);
    assert_int_equal(s->ifaces.fwd_cap[2 + 1], 60);
    assert_int_equal(s->ifaces.bwd_cap[2 + 1], 70);
    /* lines keep file order; l2 (south -> north) and l3 (east -> south)
     * are turned to their interface's direction, capacities swapped */
    assert_int_equal(s->lines.a.n, 3);
    const uint32_t home[3] = {0, 0, 1};
    const int64_t fwd[3] = {60, 40, 60}, bwd[3] = {50, 45, 70};
    for (uint32_t i = 0; i < 3; ++i) {
        assert_int_equal(s->lines.a.home[i], home[i]);
        assert_int_equal(s->lines.fwd_cap[PS_T * 3 - 3 + i], fwd[i]);
        assert_int_equal(s->lines.bwd_cap[PS_T * 3 - 3 + i], bwd[i]);
    }
    assert_string_equal(s->lines.a.name[1], "l2");
}

static void test_small_valid(void **state)
{
    (void)state;
    net_sys_t *s = load_ok(NULL);
    check_small(s);
    assert_string_equal(s->version, "v0.8.0");
    assert_string_equal(s->start_timestamp, "2024-01-01T00:00:00+05:00");
    assert_string_equal(s->power_unit, "MW");
    assert_string_equal(s->energy_unit, "MWh");
    net_free(s);
}

/* -- accepted variants -- */

static void m_vlen_utf8(hid_t f)
{
    const hid_t t = ps_str_type(H5T_VARIABLE, H5T_CSET_UTF8, H5T_STR_NULLTERM);
    ps_core_typed(f, "regions", 1, PS_REGION_FIELDS, 3, PS_REGIONS, t);
    ps_core_typed(f, "generators", 3, PS_ASSET_FIELDS, 3, PS_GENS, t);
    ps_core_typed(f, "interfaces", 2, PS_IFACE_FIELDS, 2, PS_IFACES, t);
    ps_core_typed(f, "lines", 4, PS_LINE_FIELDS, 3, PS_LINES, t);
    H5Tclose(t);
    ps_attr_vstr(f, "pras_dataversion", "v0.8.1");
    ps_attr_vstr(f, "timestep_unit", "h");
}

static void m_wide_nullpad(hid_t f)
{
    const hid_t t = ps_str_type(128, H5T_CSET_ASCII, H5T_STR_NULLPAD);
    ps_core_typed(f, "storages", 3, PS_ASSET_FIELDS, 1, PS_STORS, t);
    ps_core_typed(f, "lines", 4, PS_LINE_FIELDS, 3, PS_LINES, t);
    H5Tclose(t);
    /* and 6-byte strings for regions: a name that just fits */
    const hid_t n = ps_str_type(5, H5T_CSET_ASCII, H5T_STR_NULLPAD);
    ps_core_typed(f, "regions", 1, PS_REGION_FIELDS, 3, PS_REGIONS, n);
    H5Tclose(n);
}

/* Fields in another order, an extra integer field: read by name. */
static void m_field_order(hid_t f)
{
    typedef struct {
        int32_t extra;
        char region[8], category[12], name[4];
    } row_t;
    const hid_t ct = H5Tcreate(H5T_COMPOUND, sizeof(row_t));
    const hid_t s8 = ps_str_type(8, H5T_CSET_ASCII, H5T_STR_NULLPAD);
    const hid_t s12 = ps_str_type(12, H5T_CSET_ASCII, H5T_STR_NULLTERM);
    const hid_t s4 = ps_str_type(4, H5T_CSET_UTF8, H5T_STR_NULLTERM);
    H5Tinsert(ct, "extra", offsetof(row_t, extra), H5T_NATIVE_INT32);
    H5Tinsert(ct, "region", offsetof(row_t, region), s8);
    H5Tinsert(ct, "category", offsetof(row_t, category), s12);
    H5Tinsert(ct, "name", offsetof(row_t, name), s4);
    const row_t rows[3] = {
        {7, "north", "coal", "g1"}, {8, "south", "gas", "g2"}, {9, "east", "wind", "g3"}};
    const hsize_t n = 3;
    ps_dataset(f, "generators/_core", ct, 1, &n, ct, rows, H5P_DEFAULT);
    H5Tclose(s4);
    H5Tclose(s12);
    H5Tclose(s8);
    H5Tclose(ct);
}

/* Other integer and float encodings, chunked and compressed storage. */
static void m_types(hid_t f)
{
    const hsize_t d[2] = {PS_T, 3};
    int64_t cap[PS_T * 3], load[PS_T * 3];
    ps_fill_i(cap, 3, (const int64_t[]){150, 250, 60}, (const int64_t[]){0, 0, 1});
    ps_fill_i(load, 3, (const int64_t[]){100, 200, 300}, (const int64_t[]){10, 10, 10});
    ps_dataset(f, "generators/capacity", H5T_STD_U32BE, 2, d, H5T_NATIVE_INT64, cap, H5P_DEFAULT);
    const hid_t pl = H5Pcreate(H5P_DATASET_CREATE);
    const hsize_t chunk[2] = {2, 3};
    H5Pset_chunk(pl, 2, chunk);
    H5Pset_shuffle(pl);
    H5Pset_deflate(pl, 4);
    ps_dataset(f, "regions/load", H5T_STD_I16LE, 2, d, H5T_NATIVE_INT64, load, pl);
    H5Pclose(pl);
    double fail[PS_T * 3];
    ps_fill_f(fail, 3, (const double[]){0.01, 0.02, 0});
    ps_dataset(f, "generators/failureprobability", H5T_IEEE_F64BE, 2, d, H5T_NATIVE_DOUBLE, fail,
               H5P_DEFAULT);
    const uint8_t count = PS_T;
    ps_attr_raw(f, "timestep_count", H5T_STD_U8LE, H5T_NATIVE_UINT8, &count);
    const int32_t length = 1;
    ps_attr_raw(f, "timestep_length", H5T_STD_I32BE, H5T_NATIVE_INT32, &length);
}

static void test_small_variants(void **state)
{
    (void)state;
    const mutate_fn M[] = {m_vlen_utf8, m_wide_nullpad, m_field_order, m_types};
    for (size_t i = 0; i < sizeof M / sizeof *M; ++i) {
        net_sys_t *s = load_ok(M[i]);
        check_small(s);
        net_free(s);
    }
}

static void m_f32(hid_t f)
{
    const hsize_t d[2] = {PS_T, 3};
    double rep[PS_T * 3];
    ps_fill_f(rep, 3, (const double[]){0.1, 0.2, 1});
    ps_dataset(f, "generators/repairprobability", H5T_IEEE_F32LE, 2, d, H5T_NATIVE_DOUBLE, rep,
               H5P_DEFAULT);
}

static void test_small_f32(void **state)
{
    (void)state;
    net_sys_t *s = load_ok(m_f32);
    assert_true(s->gens.a.repair[0] == (double)0.1f);
    assert_true(s->gens.a.repair[2] == 1.0);
    net_free(s);
}

static void m_units(hid_t f)
{
    ps_attr_i64(f, "timestep_length", 5);
    ps_attr_str(f, "timestep_unit", "min");
    ps_attr_str(f, "power_unit", "kW");
    ps_attr_str(f, "energy_unit", "GWh");
}

static void m_seconds_v05(hid_t f)
{
    ps_attr_i64(f, "timestep_length", 30);
    ps_attr_str(f, "timestep_unit", "sec");
    ps_attr_str(f, "power_unit", "GW");
    ps_attr_str(f, "pras_dataversion", "v0.5.0");
}

static void m_days_v07(hid_t f)
{
    ps_attr_i64(f, "timestep_length", 2);
    ps_attr_str(f, "timestep_unit", "d");
    ps_attr_str(f, "energy_unit", "TWh");
    ps_attr_str(f, "pras_dataversion", "v0.7.3");
}

static void test_small_units(void **state)
{
    (void)state;
    net_sys_t *s = load_ok(m_units);
    assert_true(s->step_h == 5.0 / 60);
    assert_true(s->mw_per_unit == 0.001 && s->mwh_per_unit == 1000.0);
    /* 1 kW for 5 minutes is 1/12 kWh = 1/12e6 GWh */
    assert_true(fabs(s->energy_per_power_step - 1.0 / 12e6) < 1e-21);
    assert_string_equal(s->step_unit, "min");
    net_free(s);
    s = load_ok(m_seconds_v05);
    assert_true(fabs(s->step_h - 30.0 / 3600) < 1e-15);
    assert_true(fabs(s->energy_per_power_step - 1000.0 * 30 / 3600) < 1e-12);
    assert_string_equal(s->version, "v0.5.0");
    net_free(s);
    s = load_ok(m_days_v07);
    assert_true(s->step_h == 48.0);
    assert_true(fabs(s->energy_per_power_step - 48e-6) < 1e-18);
    assert_true(s->mwh_per_unit == 1e6);
    net_free(s);
}

static void m_drop_gens(hid_t f) { ps_del(f, "generators"); }
static void m_drop_network(hid_t f)
{
    ps_del(f, "interfaces");
    ps_del(f, "lines");
    ps_del(f, "storages");
}
static void m_dr_empty(hid_t f) { ps_core(f, "demandresponses", 3, PS_ASSET_FIELDS, 0, NULL); }
/* fail = repair = 0 at the second step only: the first gives a steady state */
static void m_steady_later(hid_t f)
{
    double v[PS_T * 3];
    ps_fill_f(v, 3, (const double[]){0.01, 0.02, 0});
    v[3 + 2] = 0;
    ps_f64(f, "generators/failureprobability", PS_T, 3, v);
    ps_fill_f(v, 3, (const double[]){0.1, 0.2, 1});
    v[3 + 2] = 0;
    ps_f64(f, "generators/repairprobability", PS_T, 3, v);
}
static void m_cap_max(hid_t f)
{
    int64_t v[PS_T * 2];
    ps_fill_i(v, 2, (const int64_t[]){4294967295LL, 0}, NULL);
    ps_i64(f, "interfaces/forwardcapacity", PS_T, 2, v);
}

static void test_small_structure(void **state)
{
    (void)state;
    net_sys_t *s = load_ok(m_drop_gens);
    assert_int_equal(s->gens.a.n, 0);
    assert_null(s->gens.cap);
    assert_int_equal(s->genstors.a.n, 1);
    net_free(s);
    s = load_ok(m_drop_network);
    assert_int_equal(s->ifaces.n + s->lines.a.n + s->stors.a.n, 0);
    assert_int_equal(s->gens.a.n, 3);
    net_free(s);
    s = load_ok(m_dr_empty);
    check_small(s);
    net_free(s);
    s = load_ok(m_steady_later);
    assert_true(s->gens.a.fail[3 + 2] == 0 && s->gens.a.repair[3 + 2] == 0);
    net_free(s);
    s = load_ok(m_cap_max);
    assert_int_equal(s->ifaces.fwd_cap[0], 4294967295LL);
    assert_int_equal(s->ifaces.bwd_cap[1], 0); /* interface 2 swapped */
    net_free(s);
}

/* -- refused files -- */

/* attributes */
static void m_no_version(hid_t f) { ps_attr_del(f, "pras_dataversion"); }
static void m_version_09(hid_t f) { ps_attr_str(f, "pras_dataversion", "v0.9.0"); }
static void m_version_04(hid_t f) { ps_attr_str(f, "pras_dataversion", "v0.4.2"); }
static void m_version_1(hid_t f) { ps_attr_str(f, "pras_dataversion", "v1.8.0"); }
static void m_version_form(hid_t f) { ps_attr_str(f, "pras_dataversion", "0.8.0"); }
static void m_version_short(hid_t f) { ps_attr_str(f, "pras_dataversion", "v0.8"); }
static void m_version_int(hid_t f) { ps_attr_i64(f, "pras_dataversion", 8); }
static void m_version_ctrl(hid_t f) { ps_attr_str(f, "pras_dataversion", "v0.8.0\x1b[2J"); }
static void m_no_count(hid_t f) { ps_attr_del(f, "timestep_count"); }
static void m_count_zero(hid_t f) { ps_attr_i64(f, "timestep_count", 0); }
static void m_count_big(hid_t f) { ps_attr_i64(f, "timestep_count", GR_MAX_PRAS_STEPS + 1); }
static void m_count_mismatch(hid_t f) { ps_attr_i64(f, "timestep_count", PS_T + 1); }
static void m_count_float(hid_t f)
{
    const double x = PS_T;
    ps_attr_raw(f, "timestep_count", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &x);
}
static void m_length_neg(hid_t f) { ps_attr_i64(f, "timestep_length", -1); }
static void m_length_year(hid_t f)
{
    ps_attr_i64(f, "timestep_length", 367);
    ps_attr_str(f, "timestep_unit", "d");
}
static void m_no_unit(hid_t f) { ps_attr_del(f, "timestep_unit"); }
static void m_unit_s(hid_t f) { ps_attr_str(f, "timestep_unit", "s"); }
static void m_unit_y(hid_t f) { ps_attr_str(f, "timestep_unit", "y"); }
static void m_power_mw(hid_t f) { ps_attr_str(f, "power_unit", "mw"); }
static void m_energy_mw(hid_t f) { ps_attr_str(f, "energy_unit", "MW"); }
static void m_ts_short(hid_t f) { ps_attr_str(f, "start_timestamp", "2024-01-01T00:00:00"); }
static void m_ts_feb29(hid_t f) { ps_attr_str(f, "start_timestamp", "2023-02-29T00:00:00+00:00"); }
static void m_ts_zulu(hid_t f) { ps_attr_str(f, "start_timestamp", "2024-01-01T00:00:00Z"); }
static void m_ts_hour(hid_t f) { ps_attr_str(f, "start_timestamp", "2024-01-01T24:00:00+00:00"); }

/* groups */
static void m_no_regions(hid_t f) { ps_del(f, "regions"); }
static void m_no_generation(hid_t f)
{
    ps_del(f, "generators");
    ps_del(f, "generatorstorages");
}
static void m_no_lines(hid_t f) { ps_del(f, "lines"); }
static void m_no_ifaces(hid_t f) { ps_del(f, "interfaces"); }
static void m_regions_dataset(hid_t f)
{
    ps_del(f, "regions");
    ps_i64(f, "regions", 1, 1, (const int64_t[]){1});
}
static void m_dr(hid_t f) { ps_core(f, "demandresponses", 3, PS_ASSET_FIELDS, 1, PS_GENS); }
static void m_dr_no_core(hid_t f)
{
    H5Gclose(H5Gcreate2(f, "demandresponses", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
}

/* `_core` tables */
static void m_core_missing(hid_t f) { ps_del(f, "generators/_core"); }
static void m_core_ints(hid_t f)
{
    const hsize_t n = 3;
    ps_dataset(f, "generators/_core", H5T_STD_I64LE, 1, &n, H5T_NATIVE_INT64,
               (const int64_t[]){1, 2, 3}, H5P_DEFAULT);
}
static void m_core_rank2(hid_t f)
{
    const hid_t st = ps_str_type(PS_WIDTH, H5T_CSET_ASCII, H5T_STR_NULLTERM);
    const hid_t ct = H5Tcreate(H5T_COMPOUND, PS_WIDTH);
    H5Tinsert(ct, "name", 0, st);
    const hsize_t d[2] = {3, 1};
    ps_dataset(f, "regions/_core", ct, 2, d, ct, NULL, H5P_DEFAULT);
    H5Tclose(ct);
    H5Tclose(st);
}
static void m_no_category(hid_t f)
{
    static const char *const FIELDS[] = {"name", "region"};
    static const char *const V[] = {"g1", "north", "g2", "south", "g3", "east"};
    ps_core(f, "generators", 2, FIELDS, 3, V);
}
static void m_region_int(hid_t f)
{
    typedef struct {
        char name[8], category[8];
        int32_t region;
    } row_t;
    const hid_t ct = H5Tcreate(H5T_COMPOUND, sizeof(row_t));
    const hid_t s8 = ps_str_type(8, H5T_CSET_ASCII, H5T_STR_NULLTERM);
    H5Tinsert(ct, "name", offsetof(row_t, name), s8);
    H5Tinsert(ct, "category", offsetof(row_t, category), s8);
    H5Tinsert(ct, "region", offsetof(row_t, region), H5T_NATIVE_INT32);
    const row_t rows[1] = {{"s1", "battery", 1}};
    const hsize_t n = 1;
    ps_dataset(f, "storages/_core", ct, 1, &n, ct, rows, H5P_DEFAULT);
    H5Tclose(s8);
    H5Tclose(ct);
}
static void gens_named(hid_t f, const char *a, const char *b, const char *c)
{
    const char *const V[] = {a, "coal", "north", b, "gas", "south", c, "wind", "east"};
    ps_core(f, "generators", 3, PS_ASSET_FIELDS, 3, V);
}
static void m_dup_gen(hid_t f) { gens_named(f, "g1", "g2", "g1"); }
static void m_empty_name(hid_t f) { gens_named(f, "g1", "", "g3"); }
static void m_bad_utf8(hid_t f) { gens_named(f, "g1", "g\xff", "g3"); }
static void m_control(hid_t f) { gens_named(f, "g1", "g\x1b[2J", "g3"); }
static void m_dup_region(hid_t f)
{
    static const char *const V[] = {"north", "south", "north"};
    ps_core(f, "regions", 1, PS_REGION_FIELDS, 3, V);
}
/* The small system's region 'east' named name in every table that names
 * it. */
static void east_as(hid_t f, const char *name)
{
    const char *r[3], *g[9], *gs[3], *i[4], *l[12];
    const struct {
        const char *group, *const *from;
        const char **to;
        size_t nf, rows;
        const char *const *fields;
    } T[] = {
        {"regions", PS_REGIONS, r, 1, 3, PS_REGION_FIELDS},
        {"generators", PS_GENS, g, 3, 3, PS_ASSET_FIELDS},
        {"generatorstorages", PS_GENSTORS, gs, 3, 1, PS_ASSET_FIELDS},
        {"interfaces", PS_IFACES, i, 2, 2, PS_IFACE_FIELDS},
        {"lines", PS_LINES, l, 4, 3, PS_LINE_FIELDS},
    };
    for (size_t k = 0; k < sizeof T / sizeof *T; ++k) {
        for (size_t j = 0; j < T[k].nf * T[k].rows; ++j)
            T[k].to[j] = strcmp(T[k].from[j], "east") ? T[k].from[j] : name;
        ps_core(f, T[k].group, T[k].nf, T[k].fields, T[k].rows, T[k].to);
    }
}
/* the result file's last area is the whole system, "system" */
static void m_region_system(hid_t f) { east_as(f, "system"); }
static void m_region_system_case(hid_t f) { east_as(f, "System"); }
static void m_no_region_rows(hid_t f) { ps_core(f, "regions", 1, PS_REGION_FIELDS, 0, NULL); }
static void m_unknown_region(hid_t f)
{
    static const char *const V[] = {"g1",    "coal", "north", "g2",  "gas",
                                    "south", "g3",   "wind",  "west"};
    ps_core(f, "generators", 3, PS_ASSET_FIELDS, 3, V);
}
static char LONG_NAME[300];
static void m_long_vlen(hid_t f)
{
    memset(LONG_NAME, 'x', 299);
    const char *const W[] = {LONG_NAME, "hydro", "east"};
    const hid_t t = ps_str_type(H5T_VARIABLE, H5T_CSET_UTF8, H5T_STR_NULLTERM);
    ps_core_typed(f, "generatorstorages", 3, PS_ASSET_FIELDS, 1, W, t);
    H5Tclose(t);
}
static void m_long_fixed(hid_t f)
{
    memset(LONG_NAME, 'y', 299);
    const char *const W[] = {LONG_NAME, "hydro", "east"};
    const hid_t t = ps_str_type(400, H5T_CSET_ASCII, H5T_STR_NULLTERM);
    ps_core_typed(f, "generatorstorages", 3, PS_ASSET_FIELDS, 1, W, t);
    H5Tclose(t);
}
static void m_wide_field(hid_t f)
{
    const hid_t t = ps_str_type((1 << 20) + 1, H5T_CSET_ASCII, H5T_STR_NULLTERM);
    ps_core_typed(f, "regions", 1, PS_REGION_FIELDS, 3, PS_REGIONS, t);
    H5Tclose(t);
}
static void m_many_rows(hid_t f)
{
    const size_t n = (size_t)GR_MAX_PRAS_ENTITIES + 1;
    const char **v = calloc(n, sizeof *v);
    for (size_t i = 0; i < n; ++i)
        v[i] = "r";
    ps_core(f, "regions", 1, PS_REGION_FIELDS, n, v);
    free(v);
}
/* 300 regions over a million steps: 3 x 10^8 values, over the limit */
static void m_many_values(hid_t f)
{
    static char names[300][16];
    const char *v[300];
    for (int i = 0; i < 300; ++i) {
        snprintf(names[i], sizeof names[i], "%s%d", i < 3 ? "" : "r", i);
        v[i] = i < 3 ? PS_REGIONS[i] : names[i];
    }
    ps_core(f, "regions", 1, PS_REGION_FIELDS, 300, v);
    ps_attr_i64(f, "timestep_count", GR_MAX_PRAS_STEPS);
}
static void m_iface_self(hid_t f)
{
    static const char *const V[] = {"north", "north", "east", "south"};
    ps_core(f, "interfaces", 2, PS_IFACE_FIELDS, 2, V);
}
static void m_iface_dup(hid_t f)
{
    static const char *const V[] = {"north", "south", "south", "north"};
    ps_core(f, "interfaces", 2, PS_IFACE_FIELDS, 2, V);
}
static void m_iface_unknown(hid_t f)
{
    static const char *const V[] = {"north", "south", "east", "west"};
    ps_core(f, "interfaces", 2, PS_IFACE_FIELDS, 2, V);
}
static void m_line_no_iface(hid_t f)
{
    static const char *const V[] = {"l1",    "ac",    "north", "south", "l2",    "ac",
                                    "south", "north", "l3",    "dc",    "north", "east"};
    ps_core(f, "lines", 4, PS_LINE_FIELDS, 3, V);
}
static void m_line_self(hid_t f)
{
    static const char *const V[] = {"l1",    "ac",    "north", "north", "l2",   "ac",
                                    "south", "north", "l3",    "dc",    "east", "south"};
    ps_core(f, "lines", 4, PS_LINE_FIELDS, 3, V);
}
static void m_dup_line(hid_t f)
{
    static const char *const V[] = {"l1",    "ac",    "north", "south", "l2",   "ac",
                                    "south", "north", "l2",    "dc",    "east", "south"};
    ps_core(f, "lines", 4, PS_LINE_FIELDS, 3, V);
}

/* datasets */
static void cap_with(hid_t f, size_t at, int64_t v)
{
    int64_t c[PS_T * 3];
    ps_fill_i(c, 3, (const int64_t[]){150, 250, 60}, (const int64_t[]){0, 0, 1});
    c[at] = v;
    ps_i64(f, "generators/capacity", PS_T, 3, c);
}
static void m_cap_negative(hid_t f) { cap_with(f, 2 * 3 + 1, -5); }
static void m_cap_2_32(hid_t f) { cap_with(f, 0, 4294967296LL); }
static void m_cap_u64_max(hid_t f)
{
    uint64_t c[PS_T * 3] = {0};
    c[4] = UINT64_MAX;
    const hsize_t d[2] = {PS_T, 3};
    ps_dataset(f, "generators/capacity", H5T_STD_U64LE, 2, d, H5T_NATIVE_UINT64, c, H5P_DEFAULT);
}
static void m_cap_float(hid_t f)
{
    double c[PS_T * 3];
    ps_fill_f(c, 3, (const double[]){150, 250, 60});
    ps_f64(f, "generators/capacity", PS_T, 3, c);
}
static void m_cap_shape(hid_t f)
{
    ps_i64(f, "generators/capacity", PS_T, 2, (int64_t[PS_T * 2]){0});
}
static void m_cap_transposed(hid_t f)
{
    ps_i64(f, "generators/capacity", 3, PS_T, (int64_t[PS_T * 3]){0});
}
static void m_cap_rank1(hid_t f)
{
    const hsize_t n = PS_T * 3;
    ps_dataset(f, "generators/capacity", H5T_STD_I64LE, 1, &n, H5T_NATIVE_INT64,
               (int64_t[PS_T * 3]){0}, H5P_DEFAULT);
}
static void m_cap_strings(hid_t f)
{
    const hid_t t = ps_str_type(H5T_VARIABLE, H5T_CSET_UTF8, H5T_STR_NULLTERM);
    const hsize_t d[2] = {PS_T, 3};
    ps_dataset(f, "generators/capacity", t, 2, d, t, NULL, H5P_DEFAULT);
    H5Tclose(t);
}
static void m_cap_unwritten(hid_t f)
{
    const hsize_t d[2] = {PS_T, 3};
    ps_dataset(f, "generators/capacity", H5T_STD_I64LE, 2, d, H5T_NATIVE_INT64, NULL, H5P_DEFAULT);
}
static void m_cap_elink(hid_t f)
{
    ps_del(f, "generators/capacity");
    H5Lcreate_external("/etc/passwd", "/x", f, "generators/capacity", H5P_DEFAULT, H5P_DEFAULT);
}
static void m_no_load(hid_t f) { ps_del(f, "regions/load"); }
static void m_prob_ints(hid_t f)
{
    ps_i64(f, "lines/repairprobability", PS_T, 3, (int64_t[PS_T * 3]){1, 1, 1});
}
static void fail_with(hid_t f, size_t at, double v)
{
    double c[PS_T * 3];
    ps_fill_f(c, 3, (const double[]){0.01, 0.02, 0});
    c[at] = v;
    ps_f64(f, "generators/failureprobability", PS_T, 3, c);
}
static void m_prob_above(hid_t f) { fail_with(f, 3, 1.5); }
static void m_prob_negative(hid_t f) { fail_with(f, 5, -0.25); }
static void m_prob_nan(hid_t f) { fail_with(f, 1, NAN); }
static void m_eff_inf(hid_t f)
{
    ps_f64(f, "storages/chargeefficiency", PS_T, 1, (const double[PS_T]){1, 1, 1, INFINITY});
}
static void m_steady(hid_t f)
{
    double v[PS_T * 3];
    ps_fill_f(v, 3, (const double[]){0.01, 0.02, 0});
    ps_f64(f, "generators/failureprobability", PS_T, 3, v);
    ps_fill_f(v, 3, (const double[]){0.1, 0.2, 0});
    ps_f64(f, "generators/repairprobability", PS_T, 3, v);
}
static void m_steady_line(hid_t f)
{
    ps_f64(f, "lines/failureprobability", PS_T, 3, (double[PS_T * 3]){0});
    ps_f64(f, "lines/repairprobability", PS_T, 3, (double[PS_T * 3]){1, 0, 1});
}

typedef struct {
    const char *name;
    mutate_fn m;
    const char *frag;
} refusal_t;

static const refusal_t REFUSALS[] = {
    {"no version", m_no_version, "attribute 'pras_dataversion': missing (not a PRAS system file?)"},
    {"v0.9.0", m_version_09,
     "attribute 'pras_dataversion': PRAS file format v0.9.0 is not supported (versions v0.5.0 "
     "to v0.8.x are read)"},
    {"v0.4.2", m_version_04, "PRAS file format v0.4.2 is not supported"},
    {"v1.8.0", m_version_1, "PRAS file format v1.8.0 is not supported"},
    {"0.8.0", m_version_form, "attribute 'pras_dataversion': '0.8.0' is not a version vX.Y.Z"},
    {"v0.8", m_version_short, "'v0.8' is not a version vX.Y.Z"},
    {"version integer", m_version_int,
     "attribute 'pras_dataversion': expected a string, found an integer"},
    {"version control", m_version_ctrl, "'v0.8.0\\x1b[2J' is not a version"},
    {"no timestep_count", m_no_count, "attribute 'timestep_count': missing"},
    {"timestep_count 0", m_count_zero,
     "attribute 'timestep_count': 0 is out of range [1, 1000000]"},
    {"timestep_count big", m_count_big, "attribute 'timestep_count': 1000001 is out of range"},
    {"timestep_count float", m_count_float,
     "attribute 'timestep_count': expected an integer, found a floating-point number"},
    {"timestep_count 5", m_count_mismatch, "regions/load: expected shape [5, 3], found [4, 3]"},
    {"timestep_length -1", m_length_neg, "attribute 'timestep_length': -1 is out of range"},
    {"timestep 367 d", m_length_year,
     "attribute 'timestep_length': 367 d is longer than 8784 hours"},
    {"no timestep_unit", m_no_unit, "attribute 'timestep_unit': missing"},
    {"unit s", m_unit_s,
     "attribute 'timestep_unit': unknown unit 's' (expected one of sec, min, h, d)"},
    {"unit y", m_unit_y, "attribute 'timestep_unit': unknown unit 'y'"},
    {"power mw", m_power_mw,
     "attribute 'power_unit': unknown unit 'mw' (expected one of kW, MW, GW, TW)"},
    {"energy MW", m_energy_mw, "attribute 'energy_unit': unknown unit 'MW'"},
    {"timestamp no zone", m_ts_short,
     "attribute 'start_timestamp': '2024-01-01T00:00:00' is not a timestamp of the form "
     "2020-12-31T23:59:59-07:00"},
    {"timestamp 29 Feb 2023", m_ts_feb29, "'2023-02-29T00:00:00+00:00' is not a timestamp"},
    {"timestamp Z", m_ts_zulu, "'2024-01-01T00:00:00Z' is not a timestamp"},
    {"timestamp 24:00", m_ts_hour, "'2024-01-01T24:00:00+00:00' is not a timestamp"},
    {"no regions", m_no_regions, "small.pras: group 'regions' is missing"},
    {"no generation", m_no_generation,
     "neither group 'generators' nor 'generatorstorages' is present"},
    {"interfaces without lines", m_no_lines,
     "group 'interfaces' without group 'lines' (give both interfaces and lines, or neither)"},
    {"lines without interfaces", m_no_ifaces, "group 'lines' without group 'interfaces'"},
    {"regions a dataset", m_regions_dataset, "small.pras: regions: not a group"},
    {"demand response", m_dr,
     "demandresponses: 1 demand response device: demand response is not supported"},
    {"demand response no table", m_dr_no_core, "demandresponses/_core: missing"},
    {"no generators/_core", m_core_missing, "small.pras: generators/_core: missing"},
    {"_core of integers", m_core_ints, "generators/_core: expected a table of compound rows"},
    {"_core rank 2", m_core_rank2, "regions/_core: expected a one-dimensional table"},
    {"no category", m_no_category, "generators/_core: no field 'category'"},
    {"region an integer", m_region_int, "storages/_core: field 'region' is not a string"},
    {"duplicate generator", m_dup_gen, "generators/_core: rows 1 and 3: name 'g1' given twice"},
    {"duplicate region", m_dup_region, "regions/_core: rows 1 and 3: name 'north' given twice"},
    {"duplicate line", m_dup_line, "lines/_core: rows 2 and 3: name 'l2' given twice"},
    {"empty name", m_empty_name, "generators/_core: row 2: name is empty"},
    {"bad UTF-8", m_bad_utf8, "generators/_core: row 2: name 'g\\xff' is not printable UTF-8"},
    {"control characters", m_control, "row 2: name 'g\\x1b[2J' is not printable UTF-8"},
    {"region named system", m_region_system,
     "small.pras: regions/_core: row 3: region name 'system' is reserved"},
    {"no regions in table", m_no_region_rows, "regions/_core: no regions"},
    {"unknown region", m_unknown_region,
     "generators/_core: row 3 (generator 'g3'): region 'west' is not a region of regions/_core"},
    {"long vlen name", m_long_vlen,
     "generatorstorages/_core: rows 1 to 1: field 'name' holds a string longer than 255 bytes"},
    {"long fixed name", m_long_fixed, "generatorstorages/_core: row 1: name 'yyyy"},
    {"field 1 MiB wide", m_wide_field,
     "regions/_core: field 'name' is 1048577 bytes wide (at most 1048576 are read)"},
    {"100001 regions", m_many_rows, "regions/_core: 100001 rows (at most 100000)"},
    {"too many values", m_many_values,
     "small.pras: 344000000 time-varying values (1000000 timesteps); at most 268435456 are read"},
    {"interface to itself", m_iface_self,
     "interfaces/_core: row 1: interface from region 'north' to itself"},
    {"interfaces both ways", m_iface_dup,
     "interfaces/_core: rows 1 and 2 both join regions 'north' and 'south'"},
    {"interface to unknown region", m_iface_unknown,
     "interfaces/_core: row 2: region_to 'west' is not a region of regions/_core"},
    {"line without interface", m_line_no_iface,
     "lines/_core: row 3: line 'l3' joins regions 'north' and 'east', which no interface of "
     "interfaces/_core joins"},
    {"line to itself", m_line_self,
     "lines/_core: row 1: line 'l1' runs from region 'north' to itself"},
    {"negative capacity", m_cap_negative,
     "generators/capacity: generator 'g2' (column 2), timestep 3: -5 is negative"},
    {"capacity 2^32", m_cap_2_32,
     "generators/capacity: generator 'g1' (column 1), timestep 1: 4294967296 is larger than "
     "4294967295 (2^32 - 1)"},
    {"capacity u64 max", m_cap_u64_max,
     "generator 'g2' (column 2), timestep 2: 9223372036854775807 is larger than 4294967295"},
    {"capacity float", m_cap_float,
     "generators/capacity: expected integers (PRAS stores powers and energies as integers), "
     "found floating-point numbers"},
    {"capacity [T][2]", m_cap_shape, "generators/capacity: expected shape [4, 3], found [4, 2]"},
    {"capacity transposed", m_cap_transposed,
     "generators/capacity: expected shape [4, 3], found [3, 4]"},
    {"capacity rank 1", m_cap_rank1, "generators/capacity: expected shape [4, 3], found [12]"},
    {"capacity strings", m_cap_strings, "generators/capacity: expected numbers, found a string"},
    {"capacity unwritten", m_cap_unwritten, "generators/capacity: not all of it written"},
    {"capacity external link", m_cap_elink, "small.pras: generators/capacity: missing"},
    {"no load", m_no_load, "small.pras: regions/load: missing"},
    {"probability integers", m_prob_ints,
     "lines/repairprobability: expected floating-point numbers, found integers"},
    {"probability 1.5", m_prob_above,
     "generators/failureprobability: generator 'g1' (column 1), timestep 2: 1.5 is not in [0, 1]"},
    {"probability -0.25", m_prob_negative, "generator 'g3' (column 3), timestep 2: -0.25 is not"},
    {"probability NaN", m_prob_nan, "generator 'g2' (column 2), timestep 1: nan is not in [0, 1]"},
    {"efficiency inf", m_eff_inf,
     "storages/chargeefficiency: storage 's1' (column 1), timestep 4: inf is not in [0, 1]"},
    {"no steady state", m_steady,
     "generators/failureprobability and generators/repairprobability: generator 'g3' (column "
     "3), timestep 1: both are 0, so the unit has no steady state"},
    {"line no steady state", m_steady_line, "lines/repairprobability: line 'l2' (column 2)"},
};
enum { N_REFUSALS = sizeof REFUSALS / sizeof *REFUSALS };

/* Names are compared as written: 'System' is not the reserved 'system'. */
static void test_region_system_case(void **state)
{
    (void)state;
    net_sys_t *s = load_ok(m_region_system_case);
    assert_int_equal(s->n_regions, 3);
    assert_string_equal(s->region_name[2], "System");
    net_free(s);
}

static void test_refused(void **state)
{
    const refusal_t *c = *state;
    net_sys_t *s = (net_sys_t *)&s; /* must be set to NULL */
    gr_err_t err = {0, {0}};
    const long ids = open_ids();
    const int rc = load_small(c->m, &s, &err);
    if (rc != GR_EINPUT || !strstr(err.msg, c->frag))
        fail_msg("%s: rc %d, message\n  %s\nwanted\n  %s", c->name, rc, err.msg, c->frag);
    assert_null(s);
    assert_true(!strncmp(err.msg, "small.pras: ", 12));
    if (open_ids() != ids)
        fail_msg("%s: %ld HDF5 identifiers left open", c->name, open_ids() - ids);
}

/* --- paths ------------------------------------------------------------- */

static void expect_path_refused(const char *path, const char *frag)
{
    net_sys_t *s = NULL;
    gr_err_t err = {0, {0}};
    const long ids = open_ids();
    const int rc = pras_load(path, &s, &err);
    if (rc != GR_EINPUT || !strstr(err.msg, frag))
        fail_msg("%s: rc %d: %s (wanted '%s')", path, rc, err.msg, frag);
    assert_null(s);
    assert_int_equal(open_ids(), ids);
}

static void copy_prefix(const char *from, const char *to, long n)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    assert_non_null(in);
    assert_non_null(out);
    char buf[4096];
    size_t k;
    while (n > 0 && (k = fread(buf, 1, n < (long)sizeof buf ? (size_t)n : sizeof buf, in)) > 0) {
        fwrite(buf, 1, k, out);
        n -= (long)k;
    }
    fclose(in);
    fclose(out);
}

static void test_paths(void **state)
{
    (void)state;
    char p[LEN_S];
    expect_path_refused(tu_dir(), "not a regular file (a directory)");
    snprintf(p, sizeof p, "%s/fifo.pras", tu_dir());
    assert_int_equal(mkfifo(p, 0600), 0);
    expect_path_refused(p, "fifo.pras: not a regular file (a device, FIFO or socket)");
    expect_path_refused("/dev/zero", "/dev/zero: not a regular file");
    tu_write(tu_dir(), "empty.pras", "", p, sizeof p);
    expect_path_refused(p, "empty.pras: empty file (not an HDF5 file)");
    tu_write(tu_dir(), "text.pras", "pras_dataversion = v0.8.0\n", p, sizeof p);
    expect_path_refused(p, "text.pras: cannot open as HDF5 (not an HDF5 file, or damaged)");
    snprintf(p, sizeof p, "%s/half.pras", tu_dir());
    copy_prefix(data_path("toymodel.pras"), p, 17368 / 2);
    expect_path_refused(p, "half.pras: cannot open as HDF5");
    snprintf(p, sizeof p, "%s/no-such.pras", tu_dir());
    expect_path_refused(p, "no-such.pras: cannot open: No such file or directory");
    expect_path_refused("", "empty file name");
    net_sys_t *s = NULL;
    gr_err_t err = {0, {0}};
    assert_int_equal(pras_load_image("", 0, "zero.pras", &s, &err), GR_EINPUT);
    assert_non_null(strstr(err.msg, "zero.pras: empty file"));
    assert_int_equal(pras_load_image("not HDF5", 8, "junk.pras", &s, &err), GR_EINPUT);
    assert_non_null(strstr(err.msg, "junk.pras: cannot open as HDF5"));
}

/* --- HDF5's error printing --------------------------------------------- */

static int printed;
static herr_t count_prints(hid_t stack, void *data)
{
    (void)stack;
    (void)data;
    ++printed;
    return 0;
}

/* The reader silences HDF5 for its duration only: the caller's handler is
 * back afterwards, and was not called for the errors HDF5 met inside. */
static void test_error_printing_restored(void **state)
{
    (void)state;
    /* a file whose reading makes HDF5 fail inside (an external link) */
    const hid_t f = ps_create("elink-build.pras");
    ps_write_valid(f);
    m_cap_elink(f);
    size_t len = 0;
    void *img = ps_image(f, &len);
    H5Fclose(f);
    assert_non_null(img);
    char p[LEN_S];
    tu_write(tu_dir(), "junk.pras", "not HDF5", p, sizeof p);

    H5E_auto2_t old_fn;
    void *old_data;
    H5Eget_auto2(H5E_DEFAULT, &old_fn, &old_data);
    H5Eset_auto2(H5E_DEFAULT, count_prints, NULL);
    printed = 0;
    net_sys_t *s = NULL;
    gr_err_t err = {0, {0}};
    const int rc1 = pras_load_image(img, len, "elink.pras", &s, &err);
    const int rc2 = pras_load(p, &s, &err);
    const int rc3 = pras_load_image("not HDF5", 8, "junk.pras", &s, &err);
    H5E_auto2_t fn;
    void *data;
    H5Eget_auto2(H5E_DEFAULT, &fn, &data);
    H5Eset_auto2(H5E_DEFAULT, old_fn, old_data);
    free(img);
    assert_int_equal(rc1, GR_EINPUT);
    assert_int_equal(rc2, GR_EINPUT);
    assert_int_equal(rc3, GR_EINPUT);
    assert_int_equal(printed, 0);
    assert_true(fn == count_prints);
}

int main(void)
{
    /* the builder and H5Inmembers make HDF5 fail on purpose: quiet */
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    static struct CMUnitTest tests[N_REFUSALS + 16];
    size_t n = 0;
    tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_rts);
    tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_toymodel);
    tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_small_valid);
    tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_small_variants);
    tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_small_f32);
    tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_region_system_case);
    tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_small_units);
    tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_small_structure);
    tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_paths);
    tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_error_printing_restored);
    for (size_t i = 0; i < N_REFUSALS; ++i)
        tests[n++] = (struct CMUnitTest){REFUSALS[i].name, test_refused, NULL, NULL,
                                         (void *)(uintptr_t)&REFUSALS[i]};
    return _cmocka_run_group_tests("pras_read", tests, n, tu_setup_dir, tu_teardown_dir);
}
