/* zrun.c - see zrun.h. */
#include "zrun.h"

#include <assert.h>
#include <libdeflate.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum {
    HASH_BITS = 12,       /* 4096 recent values: a 64 kB chunk holds 8192 doubles */
    WINDOW_BYTES = 32768, /* deflate's farthest match */
    MAX_MATCH = 258,      /* deflate's longest match */
    N_LITLEN = 286,       /* literal bytes, end of block (256), lengths (257..285) */
    N_LENSYM = 29,        /* length symbols */
    N_DIST = 30,          /* distance symbols */
    N_CLEN = 19,          /* the alphabet of code lengths */
    SYM_END = 256,
    MAX_BITS = 15,        /* longest literal/length or distance code */
    MAX_CLEN_BITS = 7,    /* longest code of a code length */
    BLOCK_DYNAMIC = 5,    /* BFINAL 1, BTYPE 10: one block, its own Huffman codes */
    ZLIB_CMF = 0x78,      /* deflate, 32 kB window */
    ZLIB_FLG = 0x01,      /* (CMF 256 + FLG) % 31 == 0, no dictionary */
    TOKEN_LEN_SHIFT = 16, /* a match's token: length << 16 | (distance - 1) */
};

/* Length symbols' base lengths and extra bits (RFC 1951 3.2.5). */
static const uint16_t len_base[N_LENSYM] = {3,  4,  5,  6,   7,   8,   9,   10,  11, 13,
                                            15, 17, 19, 23,  27,  31,  35,  43,  51, 59,
                                            67, 83, 99, 115, 131, 163, 195, 227, 258};
static const uint8_t len_extra[N_LENSYM] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                            2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
/* The order in which the code lengths' own code lengths are sent. */
static const uint8_t clen_order[N_CLEN] = {16, 17, 18, 0, 8,  7, 9,  6, 10, 5,
                                           11, 4,  12, 3, 13, 2, 14, 1, 15};

typedef struct {
    uint16_t code[N_LITLEN]; /* bit-reversed: deflate sends a code from its top bit */
    uint8_t bits[N_LITLEN];
} code_t;

struct zrun {
    uint8_t len_sym[MAX_MATCH + 1]; /* a match length's symbol - 257 */
    uint32_t head[1u << HASH_BITS]; /* element index + 1 of the last element of that hash */
    uint32_t *tok;                  /* [cap] the block's symbols: a byte, or a match */
    size_t cap;
    uint32_t lfreq[N_LITLEN], dfreq[N_DIST];
};

zrun_t *zrun_alloc(void)
{
    zrun_t *z = calloc(1, sizeof *z);
    if (!z)
        return NULL;
    for (unsigned n = 3, k = 0; n <= MAX_MATCH; ++n) {
        while (k + 1 < N_LENSYM && len_base[k + 1] <= n)
            ++k;
        z->len_sym[n] = (uint8_t)k;
    }
    return z;
}

void zrun_free(zrun_t *z)
{
    if (z)
        free(z->tok);
    free(z);
}

static uint32_t reverse_bits(uint32_t c, unsigned n)
{
    uint32_t r = 0;
    for (unsigned i = 0; i < n; ++i)
        r = r << 1 | (c >> i & 1);
    return r;
}

/* Distance symbol of a match dist = v + 1 bytes back: 0..3 for 1..4, then
 * two symbols per power of two, each with *eb extra bits holding *ev. */
static inline unsigned dist_sym(unsigned v, unsigned *eb, unsigned *ev)
{
    if (v < 4) {
        *eb = *ev = 0;
        return v;
    }
    const unsigned lg = 31u - (unsigned)__builtin_clz(v);
    *eb = lg - 1;
    *ev = v & ((1u << *eb) - 1);
    return 2 * lg + (v >> *eb & 1);
}

/* --- Huffman code lengths ------------------------------------------------- */

/* key[0..m) (distinct, below 2^48) in increasing order: a radix sort of
 * their bytes, least significant first, skipping a byte every key shares.
 * qsort took a fifth of zrun's time on a chunk of continuous values (286
 * symbols, three codes a chunk). */
static void sort_keys(uint64_t *key, size_t m)
{
    if (m <= 32) { /* a few symbols (a chunk of a few repeated values): by insertion */
        for (size_t i = 1; i < m; ++i) {
            const uint64_t k = key[i];
            size_t j = i;
            for (; j > 0 && key[j - 1] > k; --j)
                key[j] = key[j - 1];
            key[j] = k;
        }
        return;
    }
    uint64_t tmp[N_LITLEN], *a = key, *b = tmp;
    for (unsigned shift = 0; shift < 48; shift += 8) {
        size_t count[256] = {0};
        for (size_t i = 0; i < m; ++i)
            ++count[a[i] >> shift & 255];
        if (count[a[0] >> shift & 255] == m)
            continue; /* one byte for all: the order stays */
        for (size_t d = 0, sum = 0; d < 256; ++d) {
            const size_t c = count[d];
            count[d] = sum;
            sum += c;
        }
        for (size_t i = 0; i < m; ++i)
            b[count[a[i] >> shift & 255]++] = a[i];
        uint64_t *t = a;
        a = b;
        b = t;
    }
    if (a != key)
        memcpy(key, a, m * sizeof *key);
}

/* Code lengths (at most max_bits) for the n symbols of freq, at least two of
 * them used: a Huffman code's lengths (two queues over the symbols sorted by
 * frequency), the longest then folded under max_bits (the Kraft sum kept at
 * one by lengthening the longest codes that fit, as miniz does) and handed
 * out again, shortest to the most frequent. */
static void huff_lengths(const uint32_t *freq, size_t n, unsigned max_bits, uint8_t *len)
{
    uint64_t key[N_LITLEN];    /* frequency << 16 | symbol */
    uint64_t w[2 * N_LITLEN];  /* node weights: leaves, then the internal nodes */
    uint16_t up[2 * N_LITLEN]; /* parents */
    uint8_t depth[2 * N_LITLEN];
    size_t m = 0;
    for (size_t s = 0; s < n; ++s) {
        len[s] = 0;
        if (freq[s])
            key[m++] = (uint64_t)freq[s] << 16 | s;
    }
    sort_keys(key, m);
    for (size_t i = 0; i < m; ++i)
        w[i] = key[i] >> 16;
    size_t leaf = 0, inner = m;
    for (size_t k = m; k < 2 * m - 1; ++k) {
        size_t pick[2];
        for (int t = 0; t < 2; ++t)
            pick[t] = leaf < m && (inner >= k || w[leaf] <= w[inner]) ? leaf++ : inner++;
        w[k] = w[pick[0]] + w[pick[1]];
        up[pick[0]] = up[pick[1]] = (uint16_t)k;
    }
    unsigned count[33] = {0};
    depth[2 * m - 2] = 0;
    for (size_t k = 2 * m - 2; k-- > 0;) {
        depth[k] = (uint8_t)(depth[up[k]] + 1);
        if (k < m)
            ++count[depth[k] < 32 ? depth[k] : 32];
    }
    for (unsigned d = max_bits + 1; d <= 32; ++d) {
        count[max_bits] += count[d];
        count[d] = 0;
    }
    uint64_t kraft = 0;
    for (unsigned d = 1; d <= max_bits; ++d)
        kraft += (uint64_t)count[d] << (max_bits - d);
    for (; kraft > (1u << max_bits); --kraft) {
        --count[max_bits];
        for (unsigned d = max_bits - 1; d > 0; --d)
            if (count[d]) {
                --count[d];
                count[d + 1] += 2;
                break;
            }
    }
    size_t i = 0; /* the least frequent first: the longest codes */
    for (unsigned d = max_bits; d > 0; --d)
        for (unsigned c = 0; c < count[d]; ++c)
            len[key[i++] & 0xffff] = (uint8_t)d;
}

void zrun_code_lengths(const uint32_t *freq, size_t n, unsigned max_bits, uint8_t *len)
{
    huff_lengths(freq, n, max_bits, len);
}

/* Canonical codes for lengths len[0..n) (RFC 1951 3.2.2), bit-reversed. */
static void huff_codes(const uint8_t *len, size_t n, uint16_t *code)
{
    unsigned count[MAX_BITS + 1] = {0}, next[MAX_BITS + 1];
    for (size_t s = 0; s < n; ++s)
        ++count[len[s]];
    count[0] = 0;
    for (unsigned b = 1, c = 0; b <= MAX_BITS; ++b) {
        c = (c + count[b - 1]) << 1;
        next[b] = c;
    }
    for (size_t s = 0; s < n; ++s)
        code[s] = len[s] ? (uint16_t)reverse_bits(next[len[s]]++, len[s]) : 0;
}

/* At least two symbols with a code, as zlib makes them: a complete code
 * that every inflater takes. */
static void two_used(uint32_t *freq, size_t n)
{
    size_t used = 0;
    for (size_t s = 0; s < n; ++s)
        used += freq[s] > 0;
    for (size_t s = 0; used < 2; ++s)
        if (!freq[s]) {
            freq[s] = 1;
            ++used;
        }
}

/* --- the header's code lengths ----------------------------------------- */

typedef struct {
    uint8_t sym[N_LITLEN + N_DIST], extra[N_LITLEN + N_DIST];
    size_t n;
    uint32_t freq[N_CLEN];
} clen_t;

static void clen_put(clen_t *c, unsigned sym, unsigned extra)
{
    c->sym[c->n] = (uint8_t)sym;
    c->extra[c->n++] = (uint8_t)extra;
    ++c->freq[sym];
}

/* len[0..n) as code-length symbols: 16 repeats the last length 3-6 times,
 * 17 and 18 give 3-10 and 11-138 zeros. */
static void clen_rle(clen_t *c, const uint8_t *len, size_t n)
{
    for (size_t i = 0; i < n;) {
        const unsigned l = len[i];
        size_t run = 1;
        while (i + run < n && len[i + run] == l)
            ++run;
        i += run;
        if (l == 0) {
            for (; run >= 11; run -= run < 138 ? run : 138)
                clen_put(c, 18, (unsigned)(run < 138 ? run : 138) - 11);
            if (run >= 3) {
                clen_put(c, 17, (unsigned)run - 3);
                run = 0;
            }
        } else {
            clen_put(c, l, 0);
            for (--run; run >= 3; run -= run < 6 ? run : 6)
                clen_put(c, 16, (unsigned)(run < 6 ? run : 6) - 3);
        }
        for (; run > 0; --run)
            clen_put(c, l, 0);
    }
}

static const uint8_t clen_extra_bits[N_CLEN] = {[16] = 2, [17] = 3, [18] = 7};

/* --- bits out --------------------------------------------------------------- */

typedef struct {
    uint64_t bits; /* the next bits, the first in bit 0 */
    unsigned nb;   /* how many (< 8 between calls) */
    unsigned char *out;
    size_t o;    /* bytes written */
    size_t room; /* out's size */
} bitw_t;

/* Appends the low n (<= 56) bits of v, and every whole byte out: eight
 * bytes stored at once (on a little-endian machine, with room for them),
 * as many kept as are whole, without a branch on how many. */
static inline void put(bitw_t *w, uint64_t v, unsigned n)
{
    w->bits |= v << w->nb;
    w->nb += n;
    const unsigned whole = w->nb >> 3;
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (w->o + 8 <= w->room)
        memcpy(w->out + w->o, &w->bits, 8);
    else
#endif
        for (unsigned k = 0; k < whole; ++k)
            w->out[w->o + k] = (unsigned char)(w->bits >> (8 * k));
    w->o += whole;
    w->bits >>= 8 * whole; /* whole <= 7: nb was < 8, n <= 56 */
    w->nb &= 7;
}

/* --- the symbols -------------------------------------------------------------- */

static inline uint64_t elem_at(const unsigned char *p, size_t esz)
{
    if (esz == 8) {
        uint64_t v;
        memcpy(&v, p, 8);
        return v;
    }
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

static inline uint32_t hash_of(uint64_t v)
{
    return (uint32_t)((v * 0x9e3779b97f4a7c15ULL) >> (64 - HASH_BITS));
}

static inline void add_match(zrun_t *z, size_t *nt, size_t len, size_t dist)
{
    unsigned eb, ev;
    z->tok[(*nt)++] = (uint32_t)(len << TOKEN_LEN_SHIFT | (dist - 1));
    ++z->lfreq[257 + z->len_sym[len]];
    ++z->dfreq[dist_sym((unsigned)(dist - 1), &eb, &ev)];
}

/* The symbols of nel elements of esz bytes (a constant where this is
 * inlined, so that each size gets its own loads) into z->tok, their counts
 * into z->lfreq and z->dfreq; the number of symbols, or 0 when more than
 * max_lit bytes would go as literals (or nel is 0). */
static inline size_t tokens(zrun_t *restrict z, const unsigned char *restrict in, size_t nel,
                            size_t esz, size_t max_lit)
{
    const size_t max_el = MAX_MATCH / esz, window_el = WINDOW_BYTES / esz;
    size_t nt = 0, lit = 0;
    memset(z->head, 0, sizeof z->head);
    for (size_t i = 0; i < nel;) {
        const uint64_t v = elem_at(in + i * esz, esz);
        const uint32_t h = hash_of(v);
        const size_t j = z->head[h] ? (size_t)z->head[h] - 1 : 0;
        size_t m = 0;
        if (i > 0 && elem_at(in + (i - 1) * esz, esz) == v) { /* a run */
            m = 1;
            while (i + m < nel && elem_at(in + (i + m) * esz, esz) == v)
                ++m;
            for (size_t left = m; left;) {
                const size_t k = left < max_el ? left : max_el;
                add_match(z, &nt, k * esz, esz);
                left -= k;
            }
            z->head[h] = (uint32_t)(i + m); /* the run's last element */
        } else if (z->head[h] && i - j <= window_el && elem_at(in + j * esz, esz) == v) {
            m = 1;
            while (m < max_el && i + m < nel &&
                   elem_at(in + (j + m) * esz, esz) == elem_at(in + (i + m) * esz, esz))
                ++m;
            add_match(z, &nt, m * esz, (i - j) * esz);
            z->head[h] = (uint32_t)(i + 1);
        } else {
            for (size_t k = 0; k < esz; ++k) {
                const unsigned char b = in[i * esz + k];
                z->tok[nt++] = b;
                ++z->lfreq[b];
            }
            if ((lit += esz) > max_lit)
                return 0;
            m = 1;
            z->head[h] = (uint32_t)(i + 1);
        }
        i += m;
    }
    return nt;
}

size_t zrun_zlib(zrun_t *restrict z, const void *restrict in, size_t n, size_t esz,
                 unsigned char *restrict out, size_t limit)
{
    if ((esz != 4 && esz != 8) || n % esz || n >= UINT32_MAX)
        return 0;
    if (n > z->cap) { /* a symbol per byte at most */
        uint32_t *t = realloc(z->tok, n * sizeof *t);
        if (!t)
            return 0;
        z->tok = t;
        z->cap = n;
    }
    memset(z->lfreq, 0, sizeof z->lfreq);
    memset(z->dfreq, 0, sizeof z->dfreq);
    const size_t max_lit = n - n / 4; /* beyond: whole repeats are too few */
    const size_t nt =
        esz == 8 ? tokens(z, in, n / 8, 8, max_lit) : tokens(z, in, n / 4, 4, max_lit);
    if (!nt && n)
        return 0;
    z->lfreq[SYM_END] = 1;
    /* the counts sent, before two_used adds codes that are never sent */
    uint32_t lsent[N_LITLEN], dsent[N_DIST];
    memcpy(lsent, z->lfreq, sizeof lsent);
    memcpy(dsent, z->dfreq, sizeof dsent);
    two_used(z->lfreq, N_LITLEN);
    two_used(z->dfreq, N_DIST);

    code_t lc, dc;
    huff_lengths(z->lfreq, N_LITLEN, MAX_BITS, lc.bits);
    huff_lengths(z->dfreq, N_DIST, MAX_BITS, dc.bits);
    huff_codes(lc.bits, N_LITLEN, lc.code);
    huff_codes(dc.bits, N_DIST, dc.code);
    size_t hlit = N_LITLEN, hdist = N_DIST;
    while (!lc.bits[hlit - 1])
        --hlit;
    while (!dc.bits[hdist - 1])
        --hdist;
    clen_t cl = {.n = 0};
    clen_rle(&cl, lc.bits, hlit);
    clen_rle(&cl, dc.bits, hdist);
    uint8_t cbits[N_CLEN];
    uint16_t ccode[N_CLEN];
    two_used(cl.freq, N_CLEN);
    huff_lengths(cl.freq, N_CLEN, MAX_CLEN_BITS, cbits);
    huff_codes(cbits, N_CLEN, ccode);
    size_t hclen = N_CLEN;
    while (hclen > 4 && !cbits[clen_order[hclen - 1]])
        --hclen;

    /* the stream's exact size first (the symbols sent, at their codes'
     * lengths): over limit, nothing is written */
    uint64_t bits = 3 + 5 + 5 + 4 + 3 * hclen;
    for (size_t i = 0; i < cl.n; ++i)
        bits += cbits[cl.sym[i]] + clen_extra_bits[cl.sym[i]];
    for (size_t s = 0; s < N_LITLEN; ++s)
        bits += (uint64_t)lsent[s] * (lc.bits[s] + (s > SYM_END ? len_extra[s - 257] : 0));
    for (unsigned s = 0; s < N_DIST; ++s)
        bits += (uint64_t)dsent[s] * (dc.bits[s] + (s < 4 ? 0 : s / 2 - 1));
    if (2 + (bits + 7) / 8 + 4 > limit)
        return 0;

    out[0] = ZLIB_CMF;
    out[1] = ZLIB_FLG;
    bitw_t w = {.out = out, .o = 2, .room = limit};
    put(&w, BLOCK_DYNAMIC, 3);
    put(&w, hlit - 257, 5);
    put(&w, hdist - 1, 5);
    put(&w, hclen - 4, 4);
    for (size_t i = 0; i < hclen; ++i)
        put(&w, cbits[clen_order[i]], 3);
    for (size_t i = 0; i < cl.n; ++i) {
        const unsigned s = cl.sym[i];
        put(&w, ccode[s] | (uint64_t)cl.extra[i] << cbits[s], cbits[s] + clen_extra_bits[s]);
    }
    for (size_t i = 0; i < nt; ++i) {
        const uint32_t t = z->tok[i];
        if (t < 256) {
            put(&w, lc.code[t], lc.bits[t]);
            continue;
        }
        /* a match: its length's code and extra bits, then its distance's,
         * in one put (at most 15 + 5 + 15 + 13 bits) */
        const unsigned len = t >> TOKEN_LEN_SHIFT, k = z->len_sym[len], s = 257 + k;
        unsigned eb, ev;
        const unsigned d = dist_sym(t & 0xffff, &eb, &ev);
        const unsigned nl = lc.bits[s] + len_extra[k];
        put(&w,
            (lc.code[s] | (uint64_t)(len - len_base[k]) << lc.bits[s]) |
                (dc.code[d] | (uint64_t)ev << dc.bits[d]) << nl,
            nl + dc.bits[d] + eb);
    }
    put(&w, lc.code[SYM_END], lc.bits[SYM_END]);
    for (; w.nb > 0; w.nb = w.nb > 8 ? w.nb - 8 : 0, w.bits >>= 8)
        out[w.o++] = (unsigned char)w.bits;
    assert(w.o + 4 == 2 + (bits + 7) / 8 + 4); /* the size promised */
    const uint32_t a = libdeflate_adler32(1, in, n);
    for (int k = 3; k >= 0; --k) /* big-endian */
        out[w.o++] = (unsigned char)(a >> (8 * k));
    return w.o;
}
