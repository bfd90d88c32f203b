/*
 * fuzz_zrun.c - libFuzzer harness for the result file's chunk encoder
 * (kernels/zrun.h): whatever the table, a stream zrun makes inflates
 * (libdeflate, another implementation) to that table, within the limit it
 * was given, and the same table gives the same bytes.
 *
 * The first byte picks the element size (bit 0: 8 bytes, else 4) and the
 * limit (the remaining bits, in eighths of the table, 1..32: from giving up
 * on most tables to never); the rest, cut to whole elements, is the table,
 * repeated (byte 1, times 1..16) so that runs and matches beyond one
 * window's reach are found.
 */
#include "../../kernels/zrun.h"

#include <libdeflate.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    const size_t esz = data[0] & 1 ? 8 : 4, eighths = 1 + (size_t)(data[0] >> 1) % 32;
    const size_t times = 1 + data[1] % 16, one = (size - 2) / esz * esz, n = one * times;
    unsigned char *in = malloc(n ? n : 1), *back = malloc(n ? n : 1);
    const size_t limit = n * eighths / 8 + 16;
    unsigned char *out = malloc(limit), *again = malloc(limit);
    zrun_t *z = zrun_alloc();
    struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
    if (!in || !back || !out || !again || !z || !d)
        abort();
    for (size_t k = 0; k < times; ++k)
        memcpy(in + k * one, data + 2, one);
    const size_t len = zrun_zlib(z, in, n, esz, out, limit);
    if (len) {
        size_t got = 0;
        if (len > limit ||
            libdeflate_zlib_decompress(d, out, len, back, n, &got) != LIBDEFLATE_SUCCESS ||
            got != n || memcmp(back, in, n))
            abort();
        if (zrun_zlib(z, in, n, esz, again, limit) != len || memcmp(out, again, len))
            abort();
    }
    libdeflate_free_decompressor(d);
    zrun_free(z);
    free(again);
    free(out);
    free(back);
    free(in);
    return 0;
}
