/*
 * infile.h - reading an input file whole, safely.
 *
 * Scenario and CSV paths come from users: a path may name a FIFO, a device
 * (/dev/zero never ends), a directory or a file far larger than any input.
 * infile_read accepts only a regular file of at most max_bytes,
 * opens it without blocking, refuses NUL bytes (not text), and drops a
 * leading UTF-8 byte-order mark so YAML and CSV treat it alike.
 */
#ifndef GR_INFILE_H
#define GR_INFILE_H

#include "../model/err.h"

#include <stddef.h>

/* *out: malloc'd, NUL-terminated text (free() it); *len its length.
 * sha256 (65 bytes, or NULL) receives the digest of the file's bytes as
 * they are on disk, byte-order mark included, so it matches sha256sum. */
int infile_read(const char *path, long max_bytes, char **out, size_t *len, char *sha256,
                gr_err_t *err);

/* SHA-256 of buf[0..len) as 64 lowercase hex digits and a NUL (the result
 * file records each input's digest, so a result can be traced to its data). */
void infile_sha256_hex(const char *buf, size_t len, char out[65]);

/* SHA-256 of a regular file's bytes (binary inputs such as .pras files),
 * streamed so the file is never held whole. */
int infile_sha256_file(const char *path, char out[65], gr_err_t *err);

#endif
