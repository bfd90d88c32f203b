/*
 * report.h - the policy summary of a result file, for people.
 *
 * For an economic run: per scenario and for the paired difference, the
 * mean and P5/P50/P95 over trials of each trial's annual average of net
 * fiscal cost (PKR bn, USD m), load-shedding hours, unserved energy, miner
 * uptime and allocation tariff revenue, plus the probabilities that the
 * allocation raises the fiscal cost and the shedding hours. For an
 * adequacy run: the per-metric tables of h5out_print_summary.
 */
#ifndef GR_REPORT_H
#define GR_REPORT_H

#include "../model/err.h"

#include <stdio.h>

int report_print(const char *path, int all, FILE *out, gr_err_t *err);

#endif
