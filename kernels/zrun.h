/*
 * zrun.h - a zlib stream (RFC 1950/1951) for data whose elements repeat
 * whole: a Monte Carlo table where most trials shed nothing (runs of the
 * same value) and the rest take a few values again and again (a discrete
 * fleet's unserved energy).
 *
 * Why not libdeflate alone: it looks for matches at every byte, about
 * 1.5 ns a byte on such a table, which made deflate most of the cost of
 * writing an RBTS run (0.15 of 0.25 s, 2 million trials). This encoder looks
 * only at whole elements: a run of equal elements is one match at distance
 * esz, an element seen before (a hash of its value) a match at a multiple of
 * esz, anything else literal bytes; then one block in Huffman codes made
 * for those symbols (deflate's dynamic block). Any inflater reads it (HDF5's deflate filter, zlib,
 * libdeflate). On data without such repeats it gives up early (limit) and the caller compresses
 * otherwise.
 */
#ifndef GR_ZRUN_H
#define GR_ZRUN_H

#include <stddef.h>
#include <stdint.h>

typedef struct zrun zrun_t; /* the code tables and a hash of recent values */

zrun_t *zrun_alloc(void); /* NULL: out of memory */
void zrun_free(zrun_t *z);

/* Compresses in (n bytes: n / esz elements of esz bytes) as a zlib stream
 * into out, which holds limit bytes: the stream's exact size is known before
 * a byte of it is written. Returns that size, or 0 (out's contents then
 * undefined) when it would exceed limit, when more than three quarters of
 * the bytes would go as literals (too few whole repeats), when esz is
 * neither 4 nor 8, n is not a multiple of esz or n >= 2^32 - 1, or when its
 * symbol buffer cannot grow to n entries. */
size_t zrun_zlib(zrun_t *restrict z, const void *restrict in, size_t n, size_t esz,
                 unsigned char *restrict out, size_t limit);

/* The code lengths zrun gives the n (<= 286) symbols of freq, at least two
 * of them used (0 for the unused), none above max_bits (<= 15): a Huffman
 * code's, folded under max_bits when it is longer. For tests. */
void zrun_code_lengths(const uint32_t *freq, size_t n, unsigned max_bits, uint8_t *len);

#endif
