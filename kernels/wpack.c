/* wpack.c - see wpack.h. */
#include "wpack.h"

#include <string.h>

/* The bits of group g that belong to a page of n values. */
static uint64_t group_bits(size_t g, size_t n)
{
    const size_t len = n - 64 * g;
    return len >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << len) - 1;
}

size_t wpack_encode(const double *restrict x, size_t n, uint64_t *restrict code)
{
    const size_t nm = wpack_masks(n);
    uint64_t *restrict kept = code + nm;
    size_t j = 0;
    for (size_t g = 0; g < nm; ++g) {
        const size_t len = n - 64 * g < 64 ? n - 64 * g : 64;
        uint64_t m = 0;
        /* every value is stored and the place moves on only for one kept:
         * no branch on the data */
        for (size_t i = 0; i < len; ++i) {
            uint64_t b;
            memcpy(&b, &x[64 * g + i], sizeof b);
            const uint64_t nz = b != 0;
            kept[j] = b;
            m |= nz << i;
            j += nz;
        }
        code[g] = m;
    }
    return nm + j;
}

size_t wpack_kept(const uint64_t *mask, size_t n)
{
    size_t k = 0;
    for (size_t g = 0; g < wpack_masks(n); ++g)
        k += (size_t)__builtin_popcountll(mask[g] & group_bits(g, n));
    return k;
}

void wpack_decode(const uint64_t *restrict code, size_t n, double *restrict x)
{
    const size_t nm = wpack_masks(n);
    const uint64_t *restrict kept = code + nm;
    size_t j = 0;
    for (size_t g = 0; g < nm; ++g) {
        const uint64_t all = group_bits(g, n);
        uint64_t m = code[g] & all;
        double *restrict d = x + 64 * g;
        const size_t len = n - 64 * g < 64 ? n - 64 * g : 64;
        if (m == all) { /* every value kept: a dense column's pages */
            memcpy(d, kept + j, len * sizeof *d);
            j += len;
            continue;
        }
        memset(d, 0, len * sizeof *d); /* all zero bits: +0.0 */
        for (; m; m &= m - 1)
            memcpy(&d[__builtin_ctzll(m)], &kept[j++], sizeof *d);
    }
}
