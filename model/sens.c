/*
 * sens.c - rank correlations, tornado and Sobol indices (sens.h).
 */
#include "sens.h"

#include "../kernels/rng.h"

#include <math.h>
#include <omp.h>
#include <stdlib.h>

const metric_info_t sens_groups[SENS_N_GROUPS] = {
    {"fuel_fx", "", "fuel prices and the rupee (Brent, coal, RLNG spot noise, PKR/USD)"},
    {"bitcoin", "", "the Bitcoin price and the network's costs and hashrate"},
    {"rivers", "", "annual river inflow"},
    {"demand", "", "demand growth, captive-gas load moving to the grid, behind-the-meter solar"},
    {"weather", "", "daily temperature anomaly (demand swing, heat derating)"},
    {"outages", "", "every unit's forced outages and refuelling"},
    {"blackouts", "", "grid-wide blackouts"},
    {"supply", "",
     "supply draws: gas, hydro peak and run-of-river share, old plants, heat derating slope, "
     "corridor limit, south's demand share"},
};

static int pair_cmp(const void *a, const void *b)
{
    const sens_pair_t *x = a, *y = b;
    const int nx = isnan(x->v), ny = isnan(y->v);
    if (nx || ny) /* NaN last, so the order stays total */
        return nx != ny ? nx - ny : (x->i > y->i) - (x->i < y->i);
    if (x->v != y->v)
        return x->v < y->v ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i); /* a total order: equal values by index */
}

static void sort_pairs(const double *x, size_t n, sens_pair_t *p)
{
    for (size_t i = 0; i < n; ++i)
        p[i] = (sens_pair_t){x[i], i};
    qsort(p, n, sizeof *p, pair_cmp);
}

void sens_ranks(const double *x, size_t n, sens_pair_t *scratch, double *rank)
{
    sort_pairs(x, n, scratch);
    for (size_t a = 0; a < n;) {
        size_t b = a + 1;
        while (b < n && scratch[b].v == scratch[a].v)
            ++b;
        /* positions a..b-1 (0-based) share rank mean(a+1..b) */
        const double r = 0.5 * (double)(a + 1 + b);
        for (size_t i = a; i < b; ++i)
            rank[scratch[i].i] = r;
        a = b;
    }
}

double sens_pearson(const double *a, const double *b, size_t n)
{
    double ma = 0.0, mb = 0.0;
    for (size_t i = 0; i < n; ++i) {
        ma += a[i];
        mb += b[i];
    }
    ma /= (double)n;
    mb /= (double)n;
    double sab = 0.0, saa = 0.0, sbb = 0.0;
    for (size_t i = 0; i < n; ++i) {
        const double da = a[i] - ma, db = b[i] - mb;
        sab += da * db;
        saa += da * da;
        sbb += db * db;
    }
    /* not finite inputs leave NaN here too */
    return saa > 0.0 && sbb > 0.0 ? sab / sqrt(saa * sbb) : NAN;
}

static int all_finite(const double *x, size_t n)
{
    for (size_t i = 0; i < n; ++i)
        if (!isfinite(x[i]))
            return 0;
    return 1;
}

double sens_spearman(const double *x, const double *y, size_t n, sens_pair_t *scratch, double *ra,
                     double *rb)
{
    if (n < 2 || !all_finite(x, n) || !all_finite(y, n))
        return NAN;
    sens_ranks(x, n, scratch, ra);
    sens_ranks(y, n, scratch, rb);
    return sens_pearson(ra, rb, n);
}

int sens_tails(const sens_pair_t *sorted, size_t n, uint32_t *tails)
{
    const size_t k = n / 10;
    for (size_t i = 0; i < k; ++i) {
        tails[i] = (uint32_t)sorted[i].i;
        tails[k + i] = (uint32_t)sorted[n - 1 - i].i;
    }
    return k && isfinite(sorted[0].v) && isfinite(sorted[n - 1].v) &&
           sorted[0].v != sorted[n - 1].v;
}

void sens_tornado(const uint32_t *tails, size_t k, int has_ends, const double *f, double *low,
                  double *high)
{
    *low = *high = NAN;
    if (!k || !has_ends)
        return;
    double lo = 0.0, hi = 0.0;
    for (size_t i = 0; i < k; ++i) {
        lo += f[tails[i]];
        hi += f[tails[k + i]];
    }
    *low = lo / (double)k;
    *high = hi / (double)k;
}

/* The estimates of every group on the rows idx (NULL: 0..n-1). */
static void sobol_point(size_t n, size_t k, const double *fA, const double *fB, const double *fAB,
                        const uint32_t *idx, double *s1, double *st)
{
    double m = 0.0;
    for (size_t j = 0; j < n; ++j) {
        const size_t r = idx ? idx[j] : j;
        m += fA[r] + fB[r];
    }
    m /= (double)(2 * n);
    double v = 0.0;
    for (size_t j = 0; j < n; ++j) {
        const size_t r = idx ? idx[j] : j;
        v += (fA[r] - m) * (fA[r] - m) + (fB[r] - m) * (fB[r] - m);
    }
    v /= (double)(2 * n); /* population variance of A and B together, as SALib's np.var */
    for (size_t i = 0; i < k; ++i) {
        const double *ab = fAB + i * n;
        double a = 0.0, b = 0.0;
        for (size_t j = 0; j < n; ++j) {
            const size_t r = idx ? idx[j] : j;
            a += (fB[r] - m) * (ab[r] - fA[r]);
            b += (fA[r] - ab[r]) * (fA[r] - ab[r]);
        }
        s1[i] = v > 0.0 ? a / (double)n / v : NAN;
        st[i] = v > 0.0 ? b / (2.0 * (double)n) / v : NAN;
    }
}

void sens_sobol(size_t n, size_t k, const double *fA, const double *fB, const double *fAB,
                unsigned n_boot, uint32_t seed, double z, uint32_t *scratch, sens_index_t *out)
{
    double s1[SENS_MAX_K], st[SENS_MAX_K];
    double sum1[SENS_MAX_K] = {0}, sq1[SENS_MAX_K] = {0}, sumt[SENS_MAX_K] = {0},
           sqt[SENS_MAX_K] = {0};
    if (k > SENS_MAX_K || !n || !all_finite(fA, n) || !all_finite(fB, n) ||
        !all_finite(fAB, n * k)) {
        for (size_t i = 0; i < k; ++i)
            out[i] = (sens_index_t){NAN, NAN, NAN, NAN, NAN, NAN};
        return;
    }
    sobol_point(n, k, fA, fB, fAB, NULL, s1, st);
    for (size_t i = 0; i < k; ++i)
        out[i] = (sens_index_t){s1[i], s1[i], s1[i], st[i], st[i], st[i]};
    if (n_boot < 2)
        return;
    for (unsigned b = 0; b < n_boot; ++b) {
        rng_stream_t s;
        rng_init(&s, seed, SENS_STREAM_BOOT, b);
        /* a uniform index by multiply-shift (bias below n / 2^32) */
        for (size_t j = 0; j < n; ++j)
            scratch[j] = (uint32_t)(((uint64_t)rng_u32(&s) * (uint64_t)n) >> 32);
        double b1[SENS_MAX_K], bt[SENS_MAX_K];
        sobol_point(n, k, fA, fB, fAB, scratch, b1, bt);
        for (size_t i = 0; i < k; ++i) {
            sum1[i] += b1[i];
            sq1[i] += b1[i] * b1[i];
            sumt[i] += bt[i];
            sqt[i] += bt[i] * bt[i];
        }
    }
    const double nb = (double)n_boot;
    for (size_t i = 0; i < k; ++i) {
        /* standard deviation over resamples (n - 1), as SALib's std(ddof=1) */
        const double v1 = (sq1[i] - sum1[i] * sum1[i] / nb) / (nb - 1.0);
        const double vt = (sqt[i] - sumt[i] * sumt[i] / nb) / (nb - 1.0);
        const double h1 = z * sqrt(v1 > 0.0 ? v1 : 0.0), ht = z * sqrt(vt > 0.0 ? vt : 0.0);
        out[i].s1_lo = s1[i] - h1;
        out[i].s1_hi = s1[i] + h1;
        out[i].st_lo = st[i] - ht;
        out[i].st_hi = st[i] + ht;
    }
}

double sens_metric_scale(const results_t *r, size_t s, size_t m, uint64_t t0, size_t n)
{
    const size_t Y = r->years;
    double sum = 0.0;
    for (size_t j = 0; j < n; ++j) {
        const double *a = results_at(r, s, m, t0 + j), *b = results_at(r, 0, m, t0 + j);
        sum += fabs(results_horizon_avg(a, NULL, Y, 0)) +
               (s ? fabs(results_horizon_avg(b, NULL, Y, 0)) : 0.0);
    }
    return n ? sum / (double)n : 0.0;
}

int sens_varies(const double *f, size_t n, double scale)
{
    if (!n || !all_finite(f, n))
        return 0;
    double lo = f[0], hi = f[0];
    for (size_t i = 1; i < n; ++i) {
        lo = f[i] < lo ? f[i] : lo;
        hi = f[i] > hi ? f[i] : hi;
    }
    return hi - lo > SENS_REL_NOISE * scale;
}

void sens_metric_rows(const results_t *r, size_t s, size_t m, uint64_t t0, size_t n, double *f)
{
    for (size_t j = 0; j < n; ++j)
        f[j] = results_horizon_avg(results_at(r, s, m, t0 + j), results_at(r, 0, m, t0 + j),
                                   r->years, s > 0);
}

static double *zalloc(size_t n) { return calloc(n ? n : 1, sizeof(double)); }

/* The mean of |a[0..n)|. */
static double mean_abs(const double *a, size_t n)
{
    double sum = 0.0;
    for (size_t j = 0; j < n; ++j)
        sum += fabs(a[j]);
    return n ? sum / (double)n : 0.0;
}

int sens_rank_run(results_t *r, const sens_cols_t *cols)
{
    results_sens_t *z = &r->sens;
    const size_t S = r->n_scen, M = r->n_metrics, D = r->n_drivers, T = (size_t)r->trials;
    const size_t len = S * M * D, k = T / 10;
    z->rank_corr = zalloc(len);
    z->tornado_low = zalloc(len);
    z->tornado_high = zalloc(len);
    /* Each driver's ranks and ends once, each metric's ranks once: S M + D
     * sorts, not S M D. Per trial, a driver keeps its rank doubled (a
     * uint32: ties share a half-integer rank) and a fifth of a trial index
     * (the trials of its lowest and highest tenths, all the tornado reads):
     * 4.8 bytes, where its sorted (value, trial) pairs and double ranks took
     * 24 (55 MB of a 100,000-trial Pakistan run's peak). */
    double *f = zalloc(T), *fr = zalloc(T), *xd = zalloc(T);
    uint32_t *xr2 = malloc((D * T > 0 ? D * T : 1) * sizeof *xr2);
    uint32_t *ends = malloc((D * k > 0 ? 2 * D * k : 1) * sizeof *ends);
    sens_pair_t *p = malloc((T ? T : 1) * sizeof *p);
    unsigned char *xok = calloc(D ? D : 1, 1), *xend = calloc(D ? D : 1, 1);
    int rc = z->rank_corr && z->tornado_low && z->tornado_high && f && fr && xd && xr2 && ends &&
                     p && xok && xend
                 ? 0
                 : -1;
    for (size_t d = 0; !rc && d < D; ++d) {
        if ((rc = cols->read(cols->ctx, SIZE_MAX, d, 0, 0, T, f)))
            break;
        xok[d] = (unsigned char)sens_varies(f, T, mean_abs(f, T));
        sens_ranks(f, T, p, xd); /* p: the driver's values in order */
        for (size_t t = 0; t < T; ++t)
            xr2[d * T + t] = (uint32_t)(2.0 * xd[t]);
        xend[d] = (unsigned char)sens_tails(p, T, ends + 2 * d * k);
    }
    for (size_t s = 0; !rc && s < S; ++s)
        for (size_t m = 0; !rc && m < M; ++m) {
            /* the levels for the scale, then the quantity */
            double scale = 0.0;
            for (size_t l = 0; !rc && l <= (s > 0); ++l)
                if (!(rc = cols->read(cols->ctx, l ? 0 : s, m, 0, 0, T, fr)))
                    scale += mean_abs(fr, T);
            if (rc || (rc = cols->read(cols->ctx, s, m, s > 0, 0, T, f)))
                break;
            const int fok = T > 1 && sens_varies(f, T, scale);
            if (fok)
                sens_ranks(f, T, p, fr);
            for (size_t d = 0; d < D; ++d) {
                const size_t o = (s * M + m) * D + d;
                z->rank_corr[o] = NAN;
                if (fok && xok[d]) {
                    for (size_t t = 0; t < T; ++t)
                        xd[t] = 0.5 * (double)xr2[d * T + t];
                    z->rank_corr[o] = sens_pearson(xd, fr, T);
                }
                /* a driver that varies by rounding alone has no ends */
                sens_tornado(ends + 2 * d * k, k, xend[d] && xok[d], f, &z->tornado_low[o],
                             &z->tornado_high[o]);
            }
        }
    if (!rc)
        z->n_drivers = D;
    free(f);
    free(fr);
    free(xd);
    free(xr2);
    free(ends);
    free(p);
    free(xok);
    free(xend);
    return rc ? -1 : 0;
}

static int read_results(void *ctx, size_t s, size_t m, int delta, uint64_t t0, size_t n,
                        double *out)
{
    const results_t *r = ctx;
    for (size_t j = 0; j < n; ++j)
        out[j] = s == SIZE_MAX
                     ? results_horizon_avg(results_driver_at(r, m, t0 + j), NULL, r->years, 0)
                     : results_horizon_avg(results_at(r, s, m, t0 + j), results_at(r, 0, m, t0 + j),
                                           r->years, delta);
    return 0;
}

int sens_rank_results(results_t *r)
{
    const sens_cols_t cols = {r, read_results};
    return sens_rank_run(r, &cols);
}

int sens_sobol_run(results_t *r, const results_t *design, uint64_t n_base, uint32_t seed,
                   int threads)
{
    results_sens_t *z = &r->sens;
    const size_t S = r->n_scen, M = r->n_metrics, G = SENS_N_GROUPS, N = (size_t)n_base;
    const size_t len = S * M * G;
    double **const dst[] = {&z->s1, &z->s1_lo, &z->s1_hi, &z->st, &z->st_lo, &z->st_hi};
    int rc = 0;
    for (size_t i = 0; i < 6; ++i)
        rc |= !(*dst[i] = zalloc(len));
    if (rc)
        return -1;
    z->sobol_base = n_base;
    z->sobol_boot = 1000;
    z->sobol_conf = 0.95;
    z->n_groups = G;
    z->groups = sens_groups;
    const double zq = 1.959963984540054; /* the normal quantile at 0.975 */
    int bad = 0;
    const int nt = threads > 0 ? threads : omp_get_max_threads();
#pragma omp parallel for schedule(dynamic) reduction(| : bad) num_threads(nt)
    for (size_t sm = 0; sm < S * M; ++sm) {
        const size_t s = sm / M, m = sm % M;
        double *f = malloc((2 + G) * N * sizeof *f);
        uint32_t *idx = malloc(N * sizeof *idx);
        if (!f || !idx) {
            bad = 1;
        } else {
            sens_metric_rows(r, s, m, 0, N, f);
            sens_metric_rows(r, s, m, N, N, f + N);
            sens_metric_rows(design, s, m, 0, G * N, f + 2 * N);
            sens_index_t ix[SENS_N_GROUPS];
            /* a quantity that differs by rounding alone has no variance to
             * share: decided before the bootstrap, not after it */
            if (sens_varies(f, (2 + G) * N, sens_metric_scale(r, s, m, 0, 2 * N)))
                sens_sobol(N, G, f, f + N, f + 2 * N, z->sobol_boot, seed, zq, idx, ix);
            else
                for (size_t g = 0; g < G; ++g)
                    ix[g] = (sens_index_t){NAN, NAN, NAN, NAN, NAN, NAN};
            for (size_t g = 0; g < G; ++g) {
                const size_t o = sm * G + g;
                z->s1[o] = ix[g].s1;
                z->s1_lo[o] = ix[g].s1_lo;
                z->s1_hi[o] = ix[g].s1_hi;
                z->st[o] = ix[g].st;
                z->st_lo[o] = ix[g].st_lo;
                z->st_hi[o] = ix[g].st_hi;
            }
        }
        free(f);
        free(idx);
    }
    return bad ? -1 : 0;
}
