/*
 * fuzz_summary.c - structure-aware fuzzing of `gridrisk summary`.
 *
 * HDF5's own parser is not robust to byte-level garbage, and its crashes are
 * not ours to fix, so the fuzz input is not a file: it is a stream of
 * choices that drive a generator writing a well-formed HDF5 file shaped like
 * a result file. Each part can be present or absent, of the right or a wrong
 * rank, extent, type class (float, integer, string, compound, enum) or
 * storage (chunked, compact, unwritten, external, a link); each attribute of
 * the right or a wrong type, rank or value; names can be empty, hold '/' or
 * ',', be very long. A zero byte is always the plain choice, so the empty
 * input gives a valid two-scenario economic result.
 *
 * The reader (report_print) must then return GR_OK or GR_EINPUT with a
 * message that starts with the file's name, never crash or leak; and it must
 * accept every file the generator knows to be valid (g->valid), so checks
 * that are too strict are caught too.
 *
 * Run with `make fuzz`; seeds in tests/fuzz/corpus/fuzz_summary/.
 */
#include "../../outputs/h5out.h"
#include "../../outputs/report.h"

#include <hdf5.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The generator's read position in the fuzz input, and what it knows. */
typedef struct {
    const uint8_t *p;
    size_t n;
    int valid; /* every choice so far leaves a file the reader must accept */
    hid_t f;
    uint64_t trials, years;
} gen_t;

/* Next byte of the input; zeros once it is used up. */
static unsigned take(gen_t *g)
{
    if (!g->n)
        return 0;
    --g->n;
    return *g->p++;
}

static unsigned pick(gen_t *g, unsigned n) { return take(g) % n; }

/* One scratch file, rewritten by every input: set up once per process. */
static char dir_path[256], file_path[300];
static FILE *devnull;

static void cleanup(void)
{
    unlink(file_path);
    rmdir(dir_path);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *tmp = getenv("TMPDIR");
    snprintf(dir_path, sizeof dir_path, "%s/gridrisk-fuzz-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir_path)) {
        perror("mkdtemp");
        abort();
    }
    snprintf(file_path, sizeof file_path, "%s/out.h5", dir_path);
    devnull = fopen("/dev/null", "w");
    if (!devnull)
        abort();
    atexit(cleanup);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    return 0;
}

/* --- names ------------------------------------------------------------- */

/* the policy report's, then what its break-evens in words and the
 * consumer hours read (be_horizon reads the per-trial values) */
static const char *const ECON_METRICS[] = {
    "net_fiscal_cost_pkr",
    "net_fiscal_cost_usd",
    "shed_hours",
    "unserved_mwh",
    "unserved_cost_usd",
    "miner_uptime",
    "alloc_revenue_pkr",
    "alloc_energy_mwh",
    "shed_consumer_hours",
    "breakeven_tariff_cash_pkr_per_kwh",
    "breakeven_tariff_imf_pkr_per_kwh",
    "mining_breakeven_tariff_pkr_per_kwh",
};
static const char *const ADEQ_METRICS[] = {"shed_hours", "unserved_mwh", "shed_events"};
/* Good names after the first ("baseline"); a few unusual but legal. */
static const char *const GOOD_NAMES[] = {"allocation", "mining_only", "ai only",   "caf\xc3\xa9",
                                         "s-4",        "x",           "demand_mwh"};
enum { N_GOOD = sizeof GOOD_NAMES / sizeof *GOOD_NAMES };

enum { MAX_SCEN = 5, MAX_METRICS = 16, NAME_CAP = 400 };

/* A name for list position i: the plain one (byte 0), another legal one
 * (if alt), or a bad one (empty, '/', '.', a comma inside, too long, a
 * control character), which makes the file invalid. */
static void make_name(gen_t *g, char *out, const char *plain, size_t i, int alt)
{
    const unsigned c = pick(g, 16);
    if (c == 0 || c > 9 || (!alt && c <= 3)) {
        snprintf(out, NAME_CAP, "%s", plain);
        return;
    }
    if (c <= 3) {
        snprintf(out, NAME_CAP, "%s%zu", GOOD_NAMES[(c + i) % N_GOOD], i);
        return;
    }
    g->valid = 0;
    switch (c) {
    case 4:
        out[0] = '\0';
        break;
    case 5:
        snprintf(out, NAME_CAP, "a/%s", plain);
        break;
    case 6:
        snprintf(out, NAME_CAP, ".");
        break;
    case 7:
        snprintf(out, NAME_CAP, "%s,", plain);
        break; /* an empty name after it */
    case 8:
        memset(out, 'n', 256); /* one more than the limit */
        out[256] = '\0';
        break;
    default:
        snprintf(out, NAME_CAP, "%s\t", plain);
        break;
    }
}

/* --- attributes -------------------------------------------------------- */

/* Writes attribute name of file type ftype from val, in memory type mtype. */
static void write_attr_as(gen_t *g, const char *name, hid_t ftype, hid_t mtype, hid_t space,
                          const void *val)
{
    const hid_t a = H5Acreate2(g->f, name, ftype, space, H5P_DEFAULT, H5P_DEFAULT);
    if (a < 0 || H5Awrite(a, mtype, val) < 0)
        g->valid = 0;
    if (a >= 0)
        H5Aclose(a);
}

static void write_attr(gen_t *g, const char *name, hid_t type, hid_t space, const void *val)
{
    write_attr_as(g, name, type, type, space, val);
}

static hid_t str_type(size_t size, H5T_cset_t cset, H5T_str_t pad)
{
    const hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, size);
    H5Tset_cset(t, cset);
    if (size != H5T_VARIABLE)
        H5Tset_strpad(t, pad);
    return t;
}

typedef struct {
    const char *s;
    double x;
} str_num_t;

/* A string attribute holding val, encoded as the input chooses. */
static void put_str_attr(gen_t *g, const char *name, const char *val)
{
    const size_t len = strlen(val);
    const hid_t scalar = H5Screate(H5S_SCALAR);
    const unsigned c = pick(g, 13);
    hid_t t = -1, sp = -1;
    switch (c) {
    case 0: /* what gridrisk writes */
    case 1: /* ASCII, as some writers do */
        t = str_type(H5T_VARIABLE, c ? H5T_CSET_ASCII : H5T_CSET_UTF8, H5T_STR_NULLTERM);
        write_attr(g, name, t, scalar, &val);
        break;
    case 2: /* fixed length, NUL-terminated */
    case 3: /* fixed length, NUL-padded, no terminator (h5py's bytes) */
        t = str_type(c == 2 ? len + 1
                     : len  ? len
                            : 1,
                     H5T_CSET_ASCII, c == 2 ? H5T_STR_NULLTERM : H5T_STR_NULLPAD);
        write_attr(g, name, t, scalar, val);
        break;
    case 4:
        g->valid = 0;
        break; /* absent */
    case 5: {  /* an array of strings */
        const hsize_t n = 1 + pick(g, 4);
        const char *v[4] = {val, val, val, val};
        t = str_type(H5T_VARIABLE, H5T_CSET_UTF8, H5T_STR_NULLTERM);
        sp = H5Screate_simple(1, &n, NULL);
        write_attr(g, name, t, sp, v);
        g->valid = 0;
        break;
    }
    case 6: {
        const int x = 7;
        write_attr_as(g, name, H5T_STD_I32LE, H5T_NATIVE_INT32, scalar, &x);
        g->valid = 0;
        break;
    }
    case 7: {
        const double x = 7.5;
        write_attr_as(g, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, scalar, &x);
        g->valid = 0;
        break;
    }
    case 8: { /* a compound of a string and a number */
        const str_num_t v = {val, 1.0};
        const hid_t vs = str_type(H5T_VARIABLE, H5T_CSET_UTF8, H5T_STR_NULLTERM);
        t = H5Tcreate(H5T_COMPOUND, sizeof v);
        H5Tinsert(t, "s", offsetof(str_num_t, s), vs);
        H5Tinsert(t, "x", offsetof(str_num_t, x), H5T_NATIVE_DOUBLE);
        H5Tclose(vs);
        write_attr(g, name, t, scalar, &v);
        g->valid = 0;
        break;
    }
    case 9: /* a null dataspace: a string type, no value */
        t = str_type(H5T_VARIABLE, H5T_CSET_UTF8, H5T_STR_NULLTERM);
        sp = H5Screate(H5S_NULL);
        write_attr(g, name, t, sp, &val);
        g->valid = 0;
        break;
    case 10: { /* raw input bytes: commas, NULs, control characters */
        char raw[65];
        const size_t n = pick(g, 65);
        for (size_t i = 0; i < n; ++i)
            raw[i] = (char)take(g);
        raw[n] = '\0';
        const char *r = raw;
        t = str_type(H5T_VARIABLE, H5T_CSET_UTF8, H5T_STR_NULLTERM);
        write_attr(g, name, t, scalar, &r);
        g->valid = 0;
        break;
    }
    case 11: { /* longer than the reader's limit (global heap, not the header) */
        static char big[(1 << 20) + 2];
        if (!big[0])
            memset(big, 'b', sizeof big - 1);
        const char *b = big;
        t = str_type(H5T_VARIABLE, H5T_CSET_UTF8, H5T_STR_NULLTERM);
        write_attr(g, name, t, scalar, &b);
        g->valid = 0;
        break;
    }
    default: /* fixed length, space-padded */
        t = str_type(len ? len : 1, H5T_CSET_ASCII, H5T_STR_SPACEPAD);
        write_attr(g, name, t, scalar, len ? val : " ");
        g->valid = 0; /* trailing spaces are the writer's business */
        break;
    }
    if (t >= 0)
        H5Tclose(t);
    if (sp >= 0)
        H5Sclose(sp);
    H5Sclose(scalar);
}

/* Values an integer attribute can be given instead of the true one. */
static const uint64_t ODD_COUNTS[] = {
    0, 101, (uint64_t)1 << 32, ((uint64_t)1 << 32) + 1, (uint64_t)1 << 62, UINT64_MAX};

/* An integer attribute holding val (trials, years), encoded as chosen. */
static void put_int_attr(gen_t *g, const char *name, uint64_t val)
{
    const hid_t scalar = H5Screate(H5S_SCALAR);
    const unsigned c = pick(g, 12);
    switch (c) {
    case 0:
        write_attr_as(g, name, H5T_STD_U64LE, H5T_NATIVE_UINT64, scalar, &val);
        break;
    case 1: { /* narrower, signed, big-endian, as other writers may use */
        const int32_t v = (int32_t)val;
        write_attr_as(g, name, H5T_STD_I32BE, H5T_NATIVE_INT32, scalar, &v);
        break;
    }
    case 2: {
        const uint8_t v = (uint8_t)val; /* trials and years stay below 256 here */
        write_attr_as(g, name, H5T_STD_U8LE, H5T_NATIVE_UINT8, scalar, &v);
        break;
    }
    case 3:
        g->valid = 0;
        break; /* absent */
    case 4: {  /* an array */
        uint64_t v[1000];
        const hsize_t n = 1 + pick(g, 250) * 4;
        for (size_t i = 0; i < n; ++i)
            v[i] = val;
        const hid_t sp = H5Screate_simple(1, &n, NULL);
        write_attr_as(g, name, H5T_STD_U64LE, H5T_NATIVE_UINT64, sp, v);
        H5Sclose(sp);
        g->valid = 0;
        break;
    }
    case 5: {
        const double v = (double)val;
        write_attr_as(g, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, scalar, &v);
        g->valid = 0;
        break;
    }
    case 6: {
        const char *s = "5";
        const hid_t t = str_type(H5T_VARIABLE, H5T_CSET_UTF8, H5T_STR_NULLTERM);
        write_attr(g, name, t, scalar, &s);
        H5Tclose(t);
        g->valid = 0;
        break;
    }
    case 7: {
        const uint64_t v = ODD_COUNTS[pick(g, sizeof ODD_COUNTS / sizeof *ODD_COUNTS)];
        write_attr_as(g, name, H5T_STD_U64LE, H5T_NATIVE_UINT64, scalar, &v);
        g->valid = 0;
        break;
    }
    case 8: {
        const int64_t v = -(int64_t)pick(g, 3) - 1;
        write_attr_as(g, name, H5T_STD_I64LE, H5T_NATIVE_INT64, scalar, &v);
        g->valid = 0;
        break;
    }
    case 9: { /* the value off by one: shapes no longer agree */
        const uint64_t v = val + 1;
        write_attr_as(g, name, H5T_STD_U64LE, H5T_NATIVE_UINT64, scalar, &v);
        g->valid = 0;
        break;
    }
    case 10: { /* an enumeration, not an integer */
        const hid_t t = H5Tenum_create(H5T_NATIVE_INT);
        const int v = (int)val;
        H5Tenum_insert(t, "v", &v);
        write_attr(g, name, t, scalar, &v);
        H5Tclose(t);
        g->valid = 0;
        break;
    }
    default: { /* a null dataspace */
        const hid_t sp = H5Screate(H5S_NULL);
        write_attr_as(g, name, H5T_STD_U64LE, H5T_NATIVE_UINT64, sp, &val);
        H5Sclose(sp);
        g->valid = 0;
        break;
    }
    }
    H5Sclose(scalar);
}

/* --- datasets ---------------------------------------------------------- */

/* Creates a group (and its parents); an existing one is reused. */
static void make_group(gen_t *g, const char *path)
{
    if (H5Lexists(g->f, path, H5P_DEFAULT) > 0)
        return;
    const hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
    H5Pset_create_intermediate_group(lcpl, 1);
    const hid_t gr = H5Gcreate2(g->f, path, lcpl, H5P_DEFAULT, H5P_DEFAULT);
    H5Pclose(lcpl);
    if (gr < 0)
        g->valid = 0;
    else
        H5Gclose(gr);
}

/* Values for n elements: a pattern, or NaN, infinities, huge numbers. */
static void fill_values(gen_t *g, double *v, size_t n)
{
    const unsigned c = pick(g, 8), k = 2 * pick(g, 8) + 1;
    for (size_t i = 0; i < n; ++i) {
        switch (c) {
        case 5:
            v[i] = __builtin_nan("");
            break;
        case 6:
            v[i] = i % 2 ? __builtin_inf() : -__builtin_inf();
            break;
        case 7:
            v[i] = i % 3 ? 1e308 : -1e308;
            break;
        default:
            v[i] = (double)((i * k) % 11) - 5.0 + 0.25 * (double)c;
            break;
        }
    }
}

/* Big extents a dataset can declare without holding any data. */
static const hsize_t BIG_DIMS[] = {(hsize_t)1 << 32, ((hsize_t)1 << 32) + 1, (hsize_t)1 << 40,
                                   (hsize_t)1 << 62};

/*
 * Writes dataset path, whose valid form is rank (1 or 2) and dims, as the
 * input chooses: valid (contiguous, compact, chunked + deflate like
 * gridrisk, integer or single-precision types), or absent, another rank or
 * extent, a type that is not numbers, a group, a link, storage outside the
 * file, declared but unwritten.
 */
static void put_dataset(gen_t *g, const char *path, int rank, const hsize_t *dims)
{
    enum { MAX_VALUES = 64 * 101 * 2 };
    static double v[MAX_VALUES];
    hsize_t d[4] = {dims[0], rank > 1 ? dims[1] : 1, rank > 2 ? dims[2] : 2, 2};
    int r = rank;
    hid_t type = H5T_IEEE_F64LE, owned_type = -1;
    int layout = 0; /* 0 contiguous, 1 compact, 2 chunked + shuffle + deflate */
    int write = 1, external = 0;
    const unsigned c = pick(g, 24);
    switch (c) {
    case 0:
    case 1:
    case 2:
        layout = (int)c;
        break;
    case 3:
        type = H5T_STD_I32LE;
        break; /* integers, converted */
    case 4:
        type = H5T_IEEE_F32BE;
        break; /* single, big-endian */
    case 5:
        g->valid = 0;
        return; /* absent */
    case 6: {   /* another rank: a scalar, [n] (n all the values), [n, 1], [d0, d1, 2] */
        static const int OTHER[3][3] = {{0, 2, 3}, {0, 1, 3}, {0, 1, 2}};
        r = OTHER[rank - 1][pick(g, 3)];
        if (r == 1)
            d[0] *= d[1];
        g->valid = 0;
        break;
    }
    case 7: /* one extent off: +1, -1 or times 10,000 */
    {
        const unsigned which = pick(g, (unsigned)rank), how = pick(g, 3);
        d[which] = how == 0 ? d[which] + 1 : how == 1 ? d[which] - 1 : d[which] * 10000;
        g->valid = 0;
        break;
    }
    case 8: { /* strings */
        owned_type = type = str_type(H5T_VARIABLE, H5T_CSET_UTF8, H5T_STR_NULLTERM);
        write = 0;
        g->valid = 0;
        break;
    }
    case 9: { /* a compound of two numbers */
        owned_type = type = H5Tcreate(H5T_COMPOUND, 16);
        H5Tinsert(type, "a", 0, H5T_NATIVE_DOUBLE);
        H5Tinsert(type, "b", 8, H5T_NATIVE_DOUBLE);
        write = 0;
        g->valid = 0;
        break;
    }
    case 10: /* a group where the dataset should be */
        make_group(g, path);
        g->valid = 0;
        return;
    case 11: /* an external link */
        H5Lcreate_external("elsewhere.h5", "/x", g->f, path, H5P_DEFAULT, H5P_DEFAULT);
        g->valid = 0;
        return;
    case 12: /* a dangling soft link, or one that loops */
        H5Lcreate_soft(pick(g, 2) ? path : "/nowhere", g->f, path, H5P_DEFAULT, H5P_DEFAULT);
        g->valid = 0;
        return;
    case 13: /* raw data in another file (not written: HDF5 would create it) */
        external = 1;
        write = 0;
        g->valid = 0;
        break;
    case 14:
        write = 0;
        layout = 2;
        g->valid = 0;
        break; /* never written */
    case 15:   /* huge and unwritten */
        d[0] = BIG_DIMS[pick(g, sizeof BIG_DIMS / sizeof *BIG_DIMS)];
        write = 0;
        layout = 2;
        g->valid = 0;
        break;
    case 16:
        r = 0;
        g->valid = 0;
        break; /* a scalar */
    case 17:
        r = -1;
        g->valid = 0;
        break; /* a null dataspace */
    case 18: { /* an enumeration */
        owned_type = type = H5Tenum_create(H5T_NATIVE_INT);
        const int a = 0, b = 1;
        H5Tenum_insert(type, "a", &a);
        H5Tenum_insert(type, "b", &b);
        write = 0;
        g->valid = 0;
        break;
    }
    case 19: /* half the chunks written */
        layout = 2;
        write = 2;
        g->valid = 0;
        break;
    default:
        break; /* plain, like 0 */
    }
    hid_t sp;
    if (r < 0)
        sp = H5Screate(H5S_NULL);
    else if (r == 0)
        sp = H5Screate(H5S_SCALAR);
    else
        sp = H5Screate_simple(r, d, NULL);
    const hid_t pl = H5Pcreate(H5P_DATASET_CREATE);
    hsize_t n = r < 0 ? 0 : (hsize_t)H5Sget_simple_extent_npoints(sp);
    if (layout == 1 && r >= 0 && n * 8 < 60000) {
        H5Pset_layout(pl, H5D_COMPACT);
    } else if (layout == 2 && r > 0) {
        hsize_t ch[4];
        for (int i = 0; i < r; ++i)
            ch[i] = d[i] > 4 ? (i == 0 ? (d[i] + 1) / 2 : d[i]) : (d[i] ? d[i] : 1);
        if (ch[0] > 4096)
            ch[0] = 4096;
        H5Pset_chunk(pl, r, ch);
        H5Pset_shuffle(pl);
        H5Pset_deflate(pl, 1);
    }
    if (external)
        H5Pset_external(pl, "/nonexistent-gridrisk-fuzz", 0, H5F_UNLIMITED);
    const hid_t ds = H5Dcreate2(g->f, path, type, sp, H5P_DEFAULT, pl, H5P_DEFAULT);
    if (ds < 0) {
        g->valid = 0;
    } else if (write && n <= MAX_VALUES) {
        fill_values(g, v, (size_t)n);
        if (write == 2 && r > 0) { /* the first row only */
            hsize_t start[4] = {0, 0, 0, 0}, count[4] = {1, d[1], d[2], d[3]};
            const hsize_t m = n / d[0];
            const hid_t ms = H5Screate_simple(1, &m, NULL);
            H5Sselect_hyperslab(sp, H5S_SELECT_SET, start, NULL, count, NULL);
            if (H5Dwrite(ds, H5T_NATIVE_DOUBLE, ms, sp, H5P_DEFAULT, v) < 0)
                g->valid = 0;
            H5Sclose(ms);
        } else if (n && H5Dwrite(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) < 0) {
            g->valid = 0;
        }
    }
    if (ds >= 0)
        H5Dclose(ds);
    H5Pclose(pl);
    H5Sclose(sp);
    if (owned_type >= 0)
        H5Tclose(owned_type);
}

/* --- the file ---------------------------------------------------------- */

/* The scenario coordinate: a 1-D variable-length string dataset, or
 * (invalid) absent, integers, two-dimensional. */
static void put_scenarios(gen_t *g, char names[][NAME_CAP], size_t ns)
{
    const char *v[MAX_SCEN];
    for (size_t s = 0; s < ns; ++s)
        v[s] = names[s];
    const unsigned c = pick(g, 10);
    if (c == 1) { /* absent */
        g->valid = 0;
        return;
    }
    if (c == 2) { /* numbers */
        const hsize_t n = ns;
        put_dataset(g, "scenario", 1, &n);
        g->valid = 0;
        return;
    }
    const hsize_t dims[2] = {ns, 1};
    const hid_t t = str_type(H5T_VARIABLE, H5T_CSET_UTF8, H5T_STR_NULLTERM);
    const hid_t sp = H5Screate_simple(c == 3 ? 2 : 1, dims, NULL);
    const hid_t d = H5Dcreate2(g->f, "scenario", t, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (d < 0 || H5Dwrite(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) < 0 || c == 3)
        g->valid = 0;
    if (d >= 0)
        H5Dclose(d);
    H5Sclose(sp);
    H5Tclose(t);
}

/* A coordinate of names at path: valid, or (invalid) absent or numbers. */
static void put_names(gen_t *g, const char *path, const char *const *v, size_t n)
{
    const unsigned c = pick(g, 8);
    const hsize_t dim = n;
    if (c == 1) {
        g->valid = 0;
        return;
    }
    if (c == 2) {
        put_dataset(g, path, 1, &dim);
        g->valid = 0;
        return;
    }
    const hid_t t = str_type(H5T_VARIABLE, H5T_CSET_UTF8, H5T_STR_NULLTERM);
    const hid_t sp = H5Screate_simple(1, &dim, NULL);
    const hid_t d = H5Dcreate2(g->f, path, t, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (d < 0 || H5Dwrite(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) < 0)
        g->valid = 0;
    if (d >= 0)
        H5Dclose(d);
    H5Sclose(sp);
    H5Tclose(t);
}

/* /sensitivity (economic runs): absent, or its coordinates and cubes
 * (scenario, metric, driver), and with a Sobol design (scenario, metric,
 * group), each as put_names and put_dataset vary them. */
static void put_sensitivity(gen_t *g, size_t ns)
{
    static const char *const MET[] = {"shed_consumer_hours", "net_fiscal_cost_pkr", "x"};
    static const char *const DRV[] = {"demand_level", "pkr_per_usd"};
    static const char *const GRP[] = {"demand", "fuel_fx", "rivers"};
    if (pick(g, 4) == 0)
        return;
    make_group(g, "sensitivity");
    const size_t nm = 1 + pick(g, 3), nd = 1 + pick(g, 2), ng = 1 + pick(g, 3);
    put_names(g, "sensitivity/metric", MET, nm);
    put_names(g, "sensitivity/driver", DRV, nd);
    const hsize_t dd[3] = {ns, nm, nd}, dg[3] = {ns, nm, ng};
    put_dataset(g, "sensitivity/rank_corr", 3, dd);
    put_dataset(g, "sensitivity/tornado_low", 3, dd);
    put_dataset(g, "sensitivity/tornado_high", 3, dd);
    if (pick(g, 2))
        return;
    put_names(g, "sensitivity/group", GRP, ng);
    static const char *const SOB[] = {"sensitivity/sobol_total", "sensitivity/sobol_total_lo",
                                      "sensitivity/sobol_total_hi", "sensitivity/sobol_first"};
    for (size_t i = 0; i < 4; ++i)
        put_dataset(g, SOB[i], 3, dg);
}

/* The layout gridrisk writes (docs/LAYOUT.md), as the input varies it. */
static void generate(gen_t *g, int *all)
{
    const int econ = pick(g, 2) == 0;
    *all = (int)pick(g, 2);
    const size_t ns = econ ? 1 + (pick(g, MAX_SCEN) + 1) % MAX_SCEN : 1 + pick(g, 3);
    g->trials = 5 + pick(g, 60);
    g->years = econ ? 1 + (pick(g, 5) + 2) % 5 : 1;
    if (pick(g, 16) == 15) { /* more years than a scenario may have */
        g->years = 101;
        g->valid = 0;
    }

    static char scen[MAX_SCEN][NAME_CAP], met[MAX_METRICS][NAME_CAP];
    for (size_t s = 0; s < ns; ++s)
        make_name(g, scen[s], s ? GOOD_NAMES[(s - 1) % N_GOOD] : "baseline", s, 1);
    const char *const *base = econ ? ECON_METRICS : ADEQ_METRICS;
    const size_t nbase = econ ? sizeof ECON_METRICS / sizeof *ECON_METRICS
                              : sizeof ADEQ_METRICS / sizeof *ADEQ_METRICS;
    const size_t nm = nbase + pick(g, 3); /* a few more metrics than the report shows */
    for (size_t m = 0; m < nm; ++m) {
        /* The policy report reads its metrics by name: only the extra
         * ones may be renamed and stay valid. */
        char plain[32];
        if (m < nbase)
            snprintf(plain, sizeof plain, "%s", base[m]);
        else
            snprintf(plain, sizeof plain, "extra%zu_mwh", m);
        make_name(g, met[m], plain, m, m >= nbase);
    }
    for (size_t i = 0; i < nm; ++i) /* a repeated metric would be written twice */
        for (size_t j = 0; j < i; ++j)
            if (!strcmp(met[i], met[j]))
                g->valid = 0;

    put_int_attr(g, "format_version", H5OUT_FORMAT_VERSION);
    static const char *const TITLES[] = {"fuzz", "", "pakistan 2 GW", "caf\xc3\xa9"};
    if (pick(g, 8) == 7) {
        put_str_attr(g, "scenario_name", "bad\x1b[2Jname");
        g->valid = 0;
    } else {
        put_str_attr(g, "scenario_name", TITLES[pick(g, 4)]);
    }
    put_int_attr(g, "trials", g->trials);
    /* the trial coordinate, whose length the report checks the attribute
     * against before it sizes anything by it */
    const hsize_t n_trial = pick(g, 16) == 15 ? g->trials + 1 : g->trials;
    if (n_trial != g->trials)
        g->valid = 0;
    put_dataset(g, "trial", 1, &n_trial);
    put_int_attr(g, "years", g->years);
    put_scenarios(g, scen, ns);

    /* Metrics (scenario, trial, year) at the root, their summaries and the
     * summaries of their paired differences (scenario, stat). */
    const hsize_t sty[3] = {ns, g->trials, g->years}, sst[2] = {ns, H5OUT_N_STATS};
    make_group(g, "summary");
    for (size_t m = 0; m < nm; ++m) {
        if (!met[m][0] || strchr(met[m], '/') || !strcmp(met[m], ".") || strlen(met[m]) > 255) {
            g->valid = 0; /* not a usable dataset name */
            continue;
        }
        if (H5Lexists(g->f, met[m], H5P_DEFAULT) > 0)
            continue;
        put_dataset(g, met[m], 3, sty);
        char path[NAME_CAP + 32];
        snprintf(path, sizeof path, "summary/%s", met[m]);
        put_dataset(g, path, 2, sst);
        snprintf(path, sizeof path, "summary/%s_delta", met[m]);
        put_dataset(g, path, 2, sst);
    }
    if (econ)
        put_sensitivity(g, ns);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gen_t g = {data, size, 1, -1, 0, 0};
    /* The core driver builds the file in memory and writes it once, on close. */
    const hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    H5Pset_fapl_core(fapl, 1 << 16, 1);
    g.f = H5Fcreate(file_path, H5F_ACC_TRUNC, H5P_DEFAULT, fapl);
    H5Pclose(fapl);
    if (g.f < 0)
        abort();
    int all = 0;
    generate(&g, &all);
    if (H5Fclose(g.f) < 0)
        abort();

    gr_err_t err = {0, {0}};
    const int rc = report_print(file_path, all, devnull, &err);
    if (getenv("FUZZ_SUMMARY_VERBOSE")) /* to see what a seed or a finding makes */
        fprintf(stderr, "valid %d, all %d: rc %d %s\n", g.valid, all, rc, err.msg);
    if (rc != GR_OK && rc != GR_EINPUT) {
        fprintf(stderr, "report_print returned %d: %s\n", rc, err.msg);
        abort();
    }
    if (rc && strncmp(err.msg, file_path, strlen(file_path))) {
        fprintf(stderr, "error message does not name the file: %s\n", err.msg);
        abort();
    }
    if (g.valid && rc) {
        fprintf(stderr, "a valid file was refused: %s\n", err.msg);
        abort();
    }
    return 0;
}
