/*
 * report.h - the policy summary of a result file, for people.
 *
 * For an economic run: per scenario and for the paired difference, the
 * mean and P5/P50/P95 over trials of each trial's annual average of net
 * fiscal cost (PKR bn, USD m), load-shedding hours, unserved energy, miner
 * uptime and allocation tariff revenue, plus the probabilities that the
 * allocation raises the fiscal cost and the shedding hours. For an
 * adequacy run, or with all set: per scenario and paired difference, a table
 * of every metric's mean, standard error and P5/P50/P95/P99.
 *
 * The file is untrusted: its attributes and every dataset's type and shape
 * are checked before reading (h5read.h), and any mismatch is a GR_EINPUT
 * error naming the file and the object, with nothing printed to out.
 */
#ifndef GR_REPORT_H
#define GR_REPORT_H

#include "../model/err.h"

#include <stdio.h>

/* The most scenarios and metrics a file may list for the report to read it. */
enum { REPORT_MAX_SCENARIOS = 4096, REPORT_MAX_METRICS = 1024 };

/* The scenarios whose break-evens and drivers the policy report puts in
 * words, the baseline's place included (a sweep's points can be hundreds;
 * theirs are in the file's /summary and /sensitivity): policies.yaml's six
 * fit. */
enum { REPORT_WORDS_SCENARIOS = 12 };

int report_print(const char *path, int all, FILE *out, gr_err_t *err);

#endif
