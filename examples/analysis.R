#!/usr/bin/env Rscript
# analysis.R - a gridrisk result in R: the tidy national table and the headline numbers that
# examples/analysis.ipynb prints, in the same format (tests/check_examples.sh compares them).
#
#   Rscript examples/analysis.R [FILE]     FILE: $GRIDRISK_RESULT, else results/pakistan.h5
#
# Needs only ncdf4 (Debian: r-cran-ncdf4). The file is HDF5 in layout v2 (docs/LAYOUT.md), which
# netCDF-4 readers open directly: named dimensions, coordinate variables, groups.
#
# COLUMN-MAJOR ORDER. The file, C, NumPy and xarray are row-major: shed_hours(scenario, trial,
# year) has the LAST axis, year, varying fastest in memory. R is column-major: the FIRST index
# varies fastest. ncdf4 (and hdf5r, rhdf5) therefore hand R the same bytes as an array
# indexed [year, trial, scenario]: the same data with the axes in reverse order, not transposed
# values. Index it as x[year, trial, scenario], and when flattening with as.vector() the year
# varies fastest, then the trial, then the scenario - which is exactly expand.grid()'s order
# with the arguments (year, trial, scenario). That is the whole trick of the tidy table below.
suppressPackageStartupMessages(library(ncdf4))

args <- commandArgs(trailingOnly = TRUE)
path <- if (length(args) >= 1) args[1] else Sys.getenv("GRIDRISK_RESULT", "results/pakistan.h5")
nc <- nc_open(path)

# Coordinates: each is a variable of its own, read like any other.
scenario <- ncvar_get(nc, "scenario")  # character: "baseline", "allocation", ...
trial <- ncvar_get(nc, "trial")        # 0 .. T-1, the index that keys the random streams
year <- ncvar_get(nc, "year")          # calendar years
model <- ncatt_get(nc, 0, "model")$value
cat(sprintf("%s: %s\nmodel %s; scenarios %s; %d trials x %d year(s) from %d; seed %s\n", path,
            ncatt_get(nc, 0, "title")$value, model, paste(scenario, collapse = ", "),
            length(trial), length(year), min(year), ncatt_get(nc, 0, "seed")$value))

# National metrics: the root's variables (groups' variables are named "group/name").
metrics <- Filter(function(v) !grepl("/", v), names(nc$var))

# collapse_degen = FALSE keeps axes of length 1 (a one-year or one-scenario run), so every
# metric is always [year, trial, scenario].
get3 <- function(m) ncvar_get(nc, m, collapse_degen = FALSE)

# The tidy national table: one row per (scenario, trial, year), one column per metric.
tidy <- data.frame(expand.grid(year = year, trial = trial, scenario = scenario,
                               stringsAsFactors = FALSE),
                   sapply(metrics, function(m) as.vector(get3(m))))
cat(sprintf("tidy table: %d rows x %d columns\n", nrow(tidy), ncol(tidy)))
print(head(tidy[, c("scenario", "trial", "year", intersect(c("net_fiscal_cost_pkr", "shed_hours"),
                                                          metrics))], 3), row.names = FALSE)

# Headline numbers: statistics over trials of each trial's average year; a _delta row is the
# paired difference scenario - baseline on the same trial (same random draws). Quantiles of
# type 7 are NumPy's default and gridrisk's own.
shown <- list(net_fiscal_cost_pkr = list(unit = "PKR bn/yr", k = 1e-9),
              shed_hours = list(unit = "h/yr", k = 1),
              unserved_mwh = list(unit = "MWh/yr", k = 1))
headline_metrics <- if (model == "pakistan") c("net_fiscal_cost_pkr", "shed_hours") else
    c("shed_hours", "unserved_mwh")
alternatives <- setdiff(scenario, "baseline")

headline <- function(scen, metric, unit, x) {
    q <- quantile(x, c(0.05, 0.50, 0.95), type = 7, names = FALSE)
    cat(sprintf("headline | %-16s | %-26s | %-10s | %12.3f | %12.3f | %12.3f | %12.3f | %5.1f%%\n",
                scen, metric, unit, mean(x), q[1], q[2], q[3], 100 * mean(x > 0)))
}

cat(sprintf("headline | %-16s | %-26s | %-10s | %12s | %12s | %12s | %12s | P(>0)\n",
            "scenario", "metric", "unit", "mean", "P5", "P50", "P95"))
for (m in headline_metrics) {
    u <- shown[[m]]
    # average over the year axis (the first, in R's order): a [trial, scenario] matrix
    avg <- apply(get3(m), c(2, 3), mean)
    colnames(avg) <- scenario
    for (s in scenario) headline(s, m, u$unit, avg[, s] * u$k)
    for (s in alternatives)
        headline(s, paste0(m, "_delta"), u$unit, (avg[, s] - avg[, "baseline"]) * u$k)
}
nc_close(nc)
