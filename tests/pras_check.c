/*
 * pras_check.c - a test-only command: loads one PRAS system file with
 * pras_load and prints a one-line summary, so that the bad-input catalogue
 * (tests/bad/run.sh, command kind `pras_check`) can drive the reader before
 * `gridrisk run X.pras` exists.
 *
 *   pras_check FILE     exit 0 and a summary line, or the message on
 *                       stderr and exit 2 (bad file) or 1 (runtime)
 */
#include "../inputs/pras.h"

#include <stdio.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: pras_check FILE.pras\n");
        return 2;
    }
    net_sys_t *s = NULL;
    gr_err_t err = {0, {0}};
    const int rc = pras_load(argv[1], &s, &err);
    if (rc) {
        fprintf(stderr, "pras_check: %s\n", err.msg);
        return rc == GR_EINPUT ? 2 : 1;
    }
    printf("%s: %s, %u steps of %u %s (%g h), %s/%s: %u regions, %u generators, %u storages, "
           "%u generator-storages, %u interfaces, %u lines\n",
           argv[1], s->version, s->steps, s->step_length, s->step_unit, s->step_h, s->power_unit,
           s->energy_unit, s->n_regions, s->gens.a.n, s->stors.a.n, s->genstors.a.n, s->ifaces.n,
           s->lines.a.n);
    net_free(s);
    return 0;
}
