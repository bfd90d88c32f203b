/* utf8.c - see utf8.h. */
#include "utf8.h"

/* Characters that show nothing, or reorder what follows them: two names
 * that print alike ("gen" and "gen" with a zero-width space) would be two
 * units, and a right-to-left override turns the rest of a terminal line
 * around. The soft hyphen, the zero-width and directional marks, the line
 * and paragraph separators, the directional embeddings, overrides and
 * isolates, the invisible operators and the byte-order mark. */
static int invisible(unsigned cp)
{
    return cp == 0xad || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202e) ||
           (cp >= 0x2060 && cp <= 0x2069) || cp == 0xfeff;
}

/* lines: tabs and line feeds are allowed (free text of several lines) */
static int check(const char *s, int lines)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        const unsigned c = *p++;
        if (c < 0x80) {
            if ((c < 0x20 && !(lines && (c == '\t' || c == '\n'))) || c == 0x7f)
                return 0;
            continue;
        }
        /* lead byte of 2, 3 or 4 bytes (0xc0, 0xc1 and above 0xf4 never lead) */
        const int more = c >= 0xc2 && c <= 0xdf   ? 1
                         : c >= 0xe0 && c <= 0xef ? 2
                         : c >= 0xf0 && c <= 0xf4 ? 3
                                                  : -1;
        if (more < 0)
            return 0;
        /* the second byte's range excludes C1 controls (U+0080..U+009F),
         * overlong forms, surrogates (U+D800..U+DFFF) and > U+10FFFF */
        const unsigned lo = c == 0xc2 ? 0xa0 : c == 0xe0 ? 0xa0 : c == 0xf0 ? 0x90 : 0x80;
        const unsigned hi = c == 0xed ? 0x9f : c == 0xf4 ? 0x8f : 0xbf;
        if (*p < lo || *p > hi)
            return 0;
        unsigned cp = c & (0x3fu >> more);
        for (int k = 0; k < more; ++k) { /* the NUL terminator fails this too */
            if ((*p & 0xc0) != 0x80)
                return 0;
            cp = cp << 6 | (*p++ & 0x3fu);
        }
        if (invisible(cp))
            return 0;
    }
    return 1;
}

int utf8_printable(const char *s) { return check(s, 0); }

int utf8_text(const char *s) { return check(s, 1); }
