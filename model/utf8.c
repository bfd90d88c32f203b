/* utf8.c - see utf8.h. */
#include "utf8.h"

int utf8_printable(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        const unsigned c = *p++;
        if (c < 0x80) {
            if (c < 0x20 || c == 0x7f)
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
        for (int k = 0; k < more; ++k) /* the NUL terminator fails this too */
            if ((*p++ & 0xc0) != 0x80)
                return 0;
    }
    return 1;
}
