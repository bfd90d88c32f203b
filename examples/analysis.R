#!/usr/bin/env Rscript
# analysis.R - a gridrisk result in R: the tidy national table and the headline numbers that
# examples/analysis.ipynb prints, in the same format (tests/check_examples.sh compares them).
#
#   Rscript examples/analysis.R [FILE]     FILE: $GRIDRISK_RESULT, else results/pakistan.h5
#
# A network run (`gridrisk run SYSTEM.pras`, model "network") gets PRAS's reliability table
# instead: LOLE, EUE and NEUE per region and for the system with standard errors, in the lines
# examples/pras.py prints from xarray (tests/check_examples.sh compares them).
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

# A PRAS system's run (docs/LAYOUT.md, "Network runs"): one simulated period of time steps, one
# scenario ("network" or "copper_plate"), per-trial totals for the system (root) and each region
# (/by_region), and per-step results (/by_step). Nothing is annualised: LOLE is in steps of the
# period, EUE in MWh over it.
if (model == "network") {
    region <- ncvar_get(nc, "by_region/region")
    area <- c(region, "system")
    n <- length(trial)
    # by_region/m is [region, year, trial, scenario] in R's order: with one year and one
    # scenario, as.vector() runs over the regions of trial 1, then of trial 2, ... so a
    # [trial, region] matrix is filled by rows; the system's per-trial values are the root's.
    per_trial <- function(m)
        cbind(matrix(as.vector(ncvar_get(nc, paste0("by_region/", m), collapse_degen = FALSE)),
                     nrow = n, byrow = TRUE),
              as.vector(ncvar_get(nc, m, collapse_degen = FALSE)))
    steps <- per_trial("shed_steps")
    mwh <- per_trial("unserved_mwh")
    demand <- ncvar_get(nc, "by_step/demand_mwh")
    se <- function(x) sd(x) / sqrt(length(x))  # Monte Carlo standard error of the mean
    cat(sprintf("%d trials of one period: %d steps of %g h; not annualised\n", n,
                ncatt_get(nc, 0, "steps")$value, ncatt_get(nc, 0, "step_hours")$value))
    cat(sprintf("reliability | %-20s | %10s | %10s | %12s | %10s | %12s | %10s\n", "area",
                "LOLE, steps", "se", "EUE, MWh", "se", "NEUE, ppm", "se"))
    for (k in seq_along(area)) {
        eue <- mean(mwh[, k])
        cat(sprintf("reliability | %-20s | %10.4f | %10.4f | %12.2f | %10.2f | %12.3f | %10.3f\n",
                    substr(area[k], 1, 20), mean(steps[, k]), se(steps[, k]), eue, se(mwh[, k]),
                    1e6 * eue / demand[k], 1e6 * se(mwh[, k]) / demand[k]))
    }
    # The step axis holds hours since the period's start, with CF units "hours since <start>":
    # R turns them into times by hand (ncdf4 does not decode), honouring a UTC offset.
    units <- ncatt_get(nc, "by_step/step", "units")$value
    origin <- sub("^hours since ", "", units)
    t0 <- as.POSIXct(substr(origin, 1, 19), tz = "UTC", tryFormats = c("%Y-%m-%d %H:%M:%S",
                                                                        "%Y-%m-%dT%H:%M:%S"))
    zone <- substr(origin, 20, 99)  # "", "Z", "+00:00", " -07:00" ...
    off <- regmatches(zone, regexec("([+-])(\\d\\d?):?(\\d\\d)$", zone))[[1]]
    if (length(off) == 4)
        t0 <- t0 - (if (off[2] == "-") -1 else 1) *
            (as.numeric(off[3]) * 3600 + as.numeric(off[4]) * 60)
    when <- t0 + ncvar_get(nc, "by_step/step") * 3600
    # lolp is [area, step, scenario]: the system is the last area
    lolp <- ncvar_get(nc, "by_step/lolp", collapse_degen = FALSE)[length(area), , 1]
    k <- which.max(lolp)  # the first of equally risky steps
    cat(sprintf("peak | system | %.6f | %s\n", lolp[k],
                format(when[k], "%Y-%m-%dT%H:%M", tz = "UTC")))
    nc_close(nc)
    quit(save = "no")
}

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
              shed_consumer_hours = list(unit = "h/yr", k = 1),
              shed_hours = list(unit = "h/yr", k = 1),
              unserved_mwh = list(unit = "MWh/yr", k = 1))
# consumer-equivalent hours (what an average consumer loses) before system hours (an hour
# counts if anyone is shed, however few): quote the former
headline_metrics <- if (model == "pakistan")
    intersect(c("net_fiscal_cost_pkr", "shed_consumer_hours", "shed_hours"), metrics) else
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
