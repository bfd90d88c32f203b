/*
 * wpack.h - a page of doubles without its all-zero words: what the streamed
 * writer keeps of each trial's horizon averages (outputs/h5out.c).
 *
 * Why: nine RBTS trials in ten shed nothing, so most of a column's values are
 * +0.0. Written whole, the columns of a 2-million-trial RBTS run were 48 MB
 * through the scratch file and back, several times over for the summary's
 * passes (about 0.05 s of a 2 s run, a third of its output); coded, 9 MB of
 * disk.
 *
 * A page of n values is coded as masks(n) 64-bit masks, bit i of mask g set
 * when value 64 g + i has any bit set (so -0.0 and every other value is kept,
 * only +0.0 is dropped), then the kept values' bits in order. The masks come
 * first so that a reader learns the page's coded length from them alone.
 */
#ifndef GR_WPACK_H
#define GR_WPACK_H

#include <stddef.h>
#include <stdint.h>

/* The masks of a page of n values. */
static inline size_t wpack_masks(size_t n) { return (n + 63) / 64; }

/* Codes x[0..n) into code (room for wpack_masks(n) + n words); returns the
 * words written: the masks, then the kept values. */
size_t wpack_encode(const double *restrict x, size_t n, uint64_t *restrict code);

/* The values a page of n kept, from its masks (bits past n ignored). */
size_t wpack_kept(const uint64_t *mask, size_t n);

/* The n values of a coded page (its masks, then wpack_kept's values) into
 * x, the dropped ones +0.0. */
void wpack_decode(const uint64_t *restrict code, size_t n, double *restrict x);

#endif
