/*
 * econ_load.h - loading and checking a scenario's `economics:` and
 * `scenarios:` sections (the Pakistan model's inputs). Used by scenario.c;
 * the rest of the program sees only the resolved econ_t (econ.h).
 */
#ifndef GR_ECON_LOAD_H
#define GR_ECON_LOAD_H

#include "scenario.h"

#include <cyaml/cyaml.h>
#include <stdio.h>

/* libcyaml schema of `economics:` and of one `scenarios:` entry. */
extern const cyaml_schema_field_t econ_schema_fields[];
extern const cyaml_schema_value_t econ_scenario_entry;

/* Range-checks s->econ and s->scen, maps unit types to technologies, loads
 * the renewables profile and factors the fuel correlation. */
int econ_resolve(scenario_t *s, gr_err_t *err);
/* Checks the scenarios alone (names, blocks); also used for `base:` files. */
int econ_check_scenarios(scenario_t *s, gr_err_t *err);
/* The economic part of `gridrisk validate`. */
void econ_print(const scenario_t *s, FILE *f);

#endif
