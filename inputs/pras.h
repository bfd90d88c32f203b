/*
 * pras.h - reading a PRAS system file (.pras, HDF5) into a net_sys_t.
 *
 * The file is untrusted input: every attribute, group, table and dataset
 * is checked for presence, kind, type class, shape and value before it is
 * used, every count against model/limits.h before anything is allocated,
 * and every error names the file, the object (`generators/capacity`,
 * attribute 'timestep_unit'), the entity and timestep where it applies,
 * and the reason. Format versions v0.5.0 to v0.8.x are read, as PRAS's
 * own reader (PRASFiles.jl, read.jl) reads them; docs/PRAS.md lists what
 * is read, what is refused and where this reader differs from PRAS's.
 *
 * Entities keep their file order. Interfaces and lines are stored from
 * the region that comes first in regions/_core to the later one (PRAS's
 * convention): one given the other way round has its forward and
 * backward capacities swapped. Groups absent from the file leave n = 0
 * and their arrays NULL.
 *
 * Errors: GR_EINPUT for a bad or unsupported file, GR_ERUNTIME when memory
 * or the HDF5 library fails. On error *out is NULL and nothing is leaked
 * (no memory, no HDF5 identifier).
 */
#ifndef GR_PRAS_H
#define GR_PRAS_H

#include "../model/err.h"
#include "../model/net.h"

#include <stddef.h>
#include <stdint.h>

/* Reads the file at path, which must be a regular file; free the result
 * with net_free. */
int pras_load(const char *path, net_sys_t **out, gr_err_t *err);

/* The same reader on an HDF5 file image held in memory (the fuzzer and the
 * tests build files in memory); name stands for the file in messages. */
int pras_load_image(const void *image, size_t len, const char *name, net_sys_t **out,
                    gr_err_t *err);

/* The same reader on an HDF5 file already open (a hid_t), which stays the
 * caller's to close. */
int pras_load_hid(int64_t file, const char *name, net_sys_t **out, gr_err_t *err);

#endif
