/*
 * econ_load.h - loading and checking a scenario's `economics:` and
 * `scenarios:` sections (the Pakistan model's inputs). Used by scenario.c;
 * the rest of the program sees only the resolved econ_t (econ.h).
 */
#ifndef GR_ECON_LOAD_H
#define GR_ECON_LOAD_H

#include "scenario.h"

#include "schema.h"

#include <stdio.h>

/* The tables of `economics:` and of one `scenarios:` entry. */
extern const schema_section_t econ_section;
extern const schema_section_t econ_scenario_section;

/* The checks that look at several fields at once (hydro shares, technology
 * fuels, scenario and block names), unit types mapped to technologies, the
 * renewables profile read and the fuel correlation factored. Every single
 * value was range-checked by its table when it was read. */
int econ_resolve(scenario_t *s, gr_err_t *err);
/* GR_EINPUT with "file:line: message" at a mapping's source. */
__attribute__((format(printf, 3, 4))) int econ_at_src(gr_err_t *err, const gr_src_t *src,
                                                      const char *fmt, ...);
/* The economic part of `gridrisk validate`. */
void econ_print(const scenario_t *s, FILE *f);

#endif
