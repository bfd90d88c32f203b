/* report.c - see report.h. */
#include "report.h"

#include "../kernels/stats.h"
#include "h5out.h"

#include <hdf5.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *metric;
    const char *label;
    double scale; /* multiply stored values by this */
} row_t;

static const row_t ROWS[] = {
    {"net_fiscal_cost_pkr", "net fiscal cost, PKR bn/yr", 1e-9},
    {"net_fiscal_cost_usd", "net fiscal cost, USD m/yr", 1e-6},
    {"shed_hours", "load-shedding hours, h/yr", 1.0},
    {"unserved_mwh", "unserved energy, GWh/yr", 1e-3},
    {"unserved_cost_usd", "unserved energy at VOLL, USD m/yr", 1e-6},
    {"miner_uptime", "miner uptime, %", 100.0},
    {"alloc_revenue_pkr", "allocation tariff revenue, PKR bn/yr", 1e-9},
    {"alloc_energy_mwh", "energy to allocation, GWh/yr", 1e-3},
};

static int read_stats(hid_t f, const char *group, const char *metric, double *st)
{
    char path[512];
    snprintf(path, sizeof path, "%s/summary/%s", group, metric);
    hid_t d = H5Dopen2(f, path, H5P_DEFAULT);
    if (d < 0)
        return -1;
    const herr_t rc = H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, st);
    H5Dclose(d);
    return rc < 0 ? -1 : 0;
}

/* Share of trials whose horizon-average of group/metric is > 0. */
static double prob_positive(hid_t f, const char *group, const char *metric)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", group, metric);
    hid_t d = H5Dopen2(f, path, H5P_DEFAULT);
    if (d < 0)
        return NAN;
    hid_t sp = H5Dget_space(d);
    hsize_t dims[2] = {0, 0};
    H5Sget_simple_extent_dims(sp, dims, NULL);
    H5Sclose(sp);
    double *v = malloc(dims[0] * dims[1] * sizeof *v);
    double p = NAN;
    if (v && H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0) {
        size_t pos = 0;
        for (hsize_t t = 0; t < dims[0]; ++t) {
            double s = 0;
            for (hsize_t y = 0; y < dims[1]; ++y)
                s += v[t * dims[1] + y];
            pos += s > 0;
        }
        p = (double)pos / (double)dims[0];
    }
    free(v);
    H5Dclose(d);
    return p;
}

int report_print(const char *path, int all, FILE *out, gr_err_t *err)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0)
        return gr_err_set(err, GR_EINPUT, "%s: cannot open as HDF5", path);
    double st[STATS_N];
    const int econ = read_stats(f, "baseline", "net_fiscal_cost_pkr", st) == 0;
    char *scen = econ ? h5out_attr_str(f, "scenarios") : NULL;
    H5Fclose(f);
    if (!econ || all) {
        free(scen);
        return h5out_print_summary(path, out, err);
    }
    f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    char *names[17];
    size_t ns = 0;
    for (char *tok = scen ? strtok(scen, ",") : NULL; tok && ns < 16; tok = strtok(NULL, ","))
        names[ns++] = tok;
    const unsigned long long trials = h5out_attr_u64(f, "trials");
    const unsigned long long years = h5out_attr_u64(f, "years");
    fprintf(out,
            "%s: %llu trials x %llu years. Per year, averaged over the horizon;\n"
            "statistics over trials (delta = scenario - baseline on the same draws).\n\n",
            path, trials, years);
    fprintf(out, "%-38s %-18s %10s %10s %10s %10s\n", "", "", "mean", "P5", "P50", "P95");
    int rc = GR_OK;
    for (size_t r = 0; r < sizeof ROWS / sizeof *ROWS && !rc; ++r) {
        for (size_t s = 0; s < 2 * ns - 1 && !rc; ++s) {
            char group[300];
            const size_t si = s < ns ? s : s - ns + 1;
            if (s < ns)
                snprintf(group, sizeof group, "%s", names[si]);
            else
                h5out_delta_group(group, sizeof group, ns, names[si]);
            if (read_stats(f, group, ROWS[r].metric, st)) {
                rc = gr_err_set(err, GR_EINPUT, "%s: missing %s/summary/%s", path, group,
                                ROWS[r].metric);
                break;
            }
            char lab[320];
            snprintf(lab, sizeof lab, s < ns ? "%s" : "delta %s", names[si]);
            const double k = ROWS[r].scale;
            fprintf(out, "%-38s %-18s %10.1f %10.1f %10.1f %10.1f\n", s ? "" : ROWS[r].label, lab,
                    st[STATS_MEAN] * k, st[STATS_P5] * k, st[STATS_P50] * k, st[STATS_P95] * k);
        }
    }
    for (size_t s = 1; s < ns && !rc; ++s) {
        char group[300];
        h5out_delta_group(group, sizeof group, ns, names[s]);
        fprintf(out, "\n%s vs baseline:\n", names[s]);
        fprintf(out, "  P(net fiscal cost is higher)        %6.1f%%\n",
                100.0 * prob_positive(f, group, "net_fiscal_cost_pkr"));
        fprintf(out, "  P(more load-shedding hours)         %6.1f%%\n",
                100.0 * prob_positive(f, group, "shed_hours"));
        fprintf(out, "  P(more unserved energy)             %6.1f%%\n",
                100.0 * prob_positive(f, group, "unserved_mwh"));
    }
    free(scen);
    H5Fclose(f);
    return rc;
}
