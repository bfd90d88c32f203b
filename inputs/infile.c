/* infile.c - see infile.h. */
#include "infile.h"

#include <errno.h>
#include <fcntl.h>
#include <nettle/sha2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int infile_read(const char *path, long max_bytes, char **out, size_t *len, char *sha256,
                gr_err_t *err)
{
    *out = NULL;
    *len = 0;
    if (!*path)
        return gr_err_set(err, GR_EINPUT, "empty file name");
    /* O_NONBLOCK: opening a FIFO with no writer must not hang; the S_ISREG
     * check below then refuses it. */
    const int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return gr_err_set(err, GR_EINPUT, "%s: cannot open: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0) {
        const int e = errno;
        close(fd);
        return gr_err_set(err, GR_EINPUT, "%s: cannot stat: %s", path, strerror(e));
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return gr_err_set(err, GR_EINPUT, "%s: not a regular file (%s)", path,
                          S_ISDIR(st.st_mode) ? "a directory" : "a device, FIFO or socket");
    }
    if (st.st_size > max_bytes) {
        close(fd);
        return gr_err_set(err, GR_EINPUT, "%s: %lld bytes; this kind of input is limited to %ld",
                          path, (long long)st.st_size, max_bytes);
    }
    /* Read up to one byte past the limit: a file that grows while we read
     * is still bounded. */
    const size_t cap = (size_t)st.st_size + 1;
    char *buf = malloc(cap + 1);
    if (!buf) {
        close(fd);
        return gr_err_set(err, GR_ERUNTIME, "%s: out of memory", path);
    }
    size_t n = 0;
    while (n < cap) {
        const ssize_t k = read(fd, buf + n, cap - n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0) {
            const int e = errno;
            free(buf);
            close(fd);
            return gr_err_set(err, GR_EINPUT, "%s: read error: %s", path, strerror(e));
        }
        if (k == 0)
            break;
        n += (size_t)k;
    }
    close(fd);
    if (n > (size_t)st.st_size) {
        free(buf);
        return gr_err_set(err, GR_EINPUT, "%s: the file changed while it was read", path);
    }
    buf[n] = '\0';
    if (memchr(buf, '\0', n)) {
        free(buf);
        return gr_err_set(err, GR_EINPUT, "%s: not a text file (NUL byte)", path);
    }
    if (sha256)
        infile_sha256_hex(buf, n, sha256);
    if (n >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3)) {
        memmove(buf, buf + 3, n - 2);
        n -= 3;
    }
    *out = buf;
    *len = n;
    return GR_OK;
}

void infile_sha256_hex(const char *buf, size_t len, char out[65])
{
    struct sha256_ctx ctx;
    uint8_t d[SHA256_DIGEST_SIZE];
    sha256_init(&ctx);
    sha256_update(&ctx, len, (const uint8_t *)buf);
    sha256_digest(&ctx, sizeof d, d);
    for (size_t i = 0; i < sizeof d; ++i)
        snprintf(out + 2 * i, 3, "%02x", d[i]);
}

int infile_sha256_file(const char *path, char out[65], gr_err_t *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return gr_err_set(err, GR_EINPUT, "%s: %s", path, strerror(errno));
    struct sha256_ctx ctx;
    uint8_t d[SHA256_DIGEST_SIZE], buf[65536];
    sha256_init(&ctx);
    size_t k;
    while ((k = fread(buf, 1, sizeof buf, f)) > 0)
        sha256_update(&ctx, k, buf);
    const int bad = ferror(f);
    fclose(f);
    if (bad)
        return gr_err_set(err, GR_EINPUT, "%s: read error", path);
    sha256_digest(&ctx, sizeof d, d);
    for (size_t i = 0; i < sizeof d; ++i)
        snprintf(out + 2 * i, 3, "%02x", d[i]);
    return GR_OK;
}
