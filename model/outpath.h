/*
 * outpath.h - the result file's path: checked before a run, and the name of
 * its temporary.
 *
 * A run can take hours; everything about the output that can fail must fail
 * before the first trial, not after the last. outpath_check refuses a path
 * that could not be written, or whose writing would destroy an input:
 *   - empty, or naming a directory (or ending in '/')         GR_EINPUT
 *   - the same file as one of the inputs (same device and
 *     inode, so hard and symbolic links are caught)          GR_EINPUT
 *   - a symbolic link: the final rename replaces the link,
 *     not its target (-o /dev/stdout as root had replaced
 *     /dev/stdout with the result)                           GR_EINPUT
 *   - an existing, non-empty file that is not a result (a
 *     gridrisk HDF5 result, root attributes format_version and
 *     source "gridrisk ...", or a frontier's CSV, first line
 *     "variant,mw,verdict..."): a scenario, another CSV, a PRAS
 *     system or any other HDF5 file, anything else the user
 *     would lose; and a result of the other command's kind    GR_EINPUT
 *   - a parent directory that is missing or not writable;
 *     proved by creating and removing the temporary itself   GR_ERUNTIME
 * It cannot foresee a disk that fills during the write; the writer handles
 * that (h5out.h).
 *
 * The temporary is "<path>.tmp.<pid>" in the same directory, so the final
 * rename(2) is atomic and never crosses file systems.
 */
#ifndef GR_OUTPATH_H
#define GR_OUTPATH_H

#include "err.h"

#include <stddef.h>

/* Longest temporary path, including the terminating NUL. */
enum { OUTPATH_MAX = 4096 };

/* Writes "<out>.tmp.<pid>" into buf[n]; -1 if it does not fit. */
int outpath_tmp(char *buf, size_t n, const char *out);

/* Removes the temporaries "<out>.tmp.<pid>" of runs that are gone (a
 * streamed run killed by SIGKILL leaves one, up to the output's size):
 * regular files of this user whose process does not exist on this machine.
 * Call it only while holding out's checkpoint lock: no other one-rank run
 * writes out then (a run across MPI ranks keeps no checkpoint: one writing
 * the same out from another machine at that moment would lose its
 * temporary). Returns how many were removed. */
int outpath_remove_stale(const char *out);

/* What the command writes: a result replaces only a result of its own kind
 * (a frontier's CSV does not replace a run's HDF5, nor the reverse: a typo
 * would lose hours of work). */
typedef enum { OUTPATH_HDF5, OUTPATH_FRONTIER_CSV } outpath_kind_t;

/* GR_OK if out can be written without replacing any of inputs[n_inputs]
 * (paths as given; missing ones are skipped) or a file not of kind;
 * otherwise the code above with a message naming the path. Leaves no file
 * behind. */
int outpath_check(const char *out, const char *const *inputs, size_t n_inputs, outpath_kind_t kind,
                  gr_err_t *err);

#endif
