#!/usr/bin/env python3
"""Builds the hourly profiles of the default Pakistan scenario (8760 h, 2026).

Run from this folder: python3 make_profiles.py. Writes load_hourly.csv and
renewables.csv. Every number below is marked S (sourced) or E (estimate) with
its source in SOURCE.md; the output CSVs are committed, so the build never
runs this script.

load_hourly.csv: base-consumer demand, MW. Monthly energies: S for Apr, May,
Jun, Sep 2025 (AHL via Profit), E for the other months, filled in so that
served energy lands near FY25's 127,159 GWh (S) after supply-shortfall
shedding; diurnal shapes E (summer evening peak 20:00-23:00, S for the
timing; winter morning + evening peaks). Peak ~27-28 GW before the weather
anomaly (S-range: June 2023 heatwave demand 27,000-28,000 MW).
renewables.csv: wind and solar capacity factors (E): solar from day length
at 30 deg N with a monsoon dip, scaled to an annual CF of 0.18; wind with the
Jhimpir-Gharo summer monsoon maximum, scaled to 0.30.
"""
import math

DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
# GWh per month: S = Apr 10,513; May 12,755; Jun 13,744; Sep 12,592; rest E.
MONTH_GWH = [8000, 7400, 8700, 10513, 12755, 13744, 14000, 13800, 12592, 10500, 8100, 7800]
SUMMER = [1.10, 1.05, 1.00, 0.95, 0.90, 0.86, 0.83, 0.84, 0.88, 0.93, 0.98, 1.02,
          1.05, 1.07, 1.08, 1.08, 1.07, 1.06, 1.06, 1.10, 1.20, 1.25, 1.22, 1.16]
WINTER = [0.80, 0.75, 0.72, 0.71, 0.72, 0.78, 0.90, 1.02, 1.08, 1.08, 1.05, 1.02,
          1.00, 0.98, 0.97, 0.98, 1.03, 1.15, 1.28, 1.30, 1.25, 1.15, 1.02, 0.90]
AMP_SUMMER = 2.0  # E: deepens the summer daily swing so the peak lands near 27 GW
AMP_WINTER = 1.0  # E: winter shape as given (winter level 12-13 GW at peak, S)
SUMMER_WEIGHT = [0.0, 0.0, 0.2, 0.5, 0.9, 1.0, 1.0, 1.0, 0.9, 0.6, 0.2, 0.0]
SOLAR_MONTH = [0.85, 0.95, 1.0, 1.05, 1.05, 1.0, 0.82, 0.82, 0.95, 1.0, 0.92, 0.85]  # E
WIND_MONTH = [0.15, 0.17, 0.20, 0.28, 0.42, 0.50, 0.52, 0.48, 0.35, 0.20, 0.14, 0.14]  # E


def norm(v):
    m = sum(v) / len(v)
    return [x / m for x in v]


def main():
    s, w = norm(SUMMER), norm(WINTER)
    load, solar, wind = [], [], []
    for m, nd in enumerate(DAYS):
        k = SUMMER_WEIGHT[m]
        shape = [1 + k * AMP_SUMMER * (s[h] - 1) + (1 - k) * AMP_WINTER * (w[h] - 1)
                 for h in range(24)]
        shape = norm(shape)
        mean_mw = MONTH_GWH[m] * 1000.0 / (nd * 24)
        doy0 = sum(DAYS[:m])
        for d in range(nd):
            doy = doy0 + d
            # day length at 30 N: 10.2 h (Dec) to 13.9 h (Jun)
            dl = 12.05 - 1.85 * math.cos(2 * math.pi * (doy + 10) / 365)
            rise, sett = 12.2 - dl / 2, 12.2 + dl / 2
            for h in range(24):
                load.append(mean_mw * shape[h])
                t = h + 0.5
                sol = math.sin(math.pi * (t - rise) / dl) if rise < t < sett else 0.0
                solar.append(max(sol, 0.0) ** 1.3 * SOLAR_MONTH[m])
                wind.append(WIND_MONTH[m] * (1 + 0.25 * math.cos(2 * math.pi * (h - 16) / 24)))
    ks = 0.18 * len(solar) / sum(solar)
    kw = 0.30 * len(wind) / sum(wind)
    solar = [min(1.0, x * ks) for x in solar]
    wind = [min(1.0, x * kw) for x in wind]
    with open("load_hourly.csv", "w") as f:
        f.write("load_mw\n")
        f.writelines(f"{x:.1f}\n" for x in load)
    with open("renewables.csv", "w") as f:
        f.write("wind_cf,solar_cf\n")
        f.writelines(f"{a:.4f},{b:.4f}\n" for a, b in zip(wind, solar))
    print(f"load: {sum(load)/1e6:.2f} TWh, peak {max(load):.0f} MW, min {min(load):.0f} MW; "
          f"solar CF {sum(solar)/len(solar):.3f}, wind CF {sum(wind)/len(wind):.3f}")


if __name__ == "__main__":
    main()
