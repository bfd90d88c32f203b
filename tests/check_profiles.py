#!/usr/bin/python3
"""The Pakistan hourly profiles (inputs/pakistan/make_profiles.py) against their sources.

1. Regenerates the four CSVs into a temporary folder and requires them byte for byte equal
   to the committed ones (load_hourly.csv, renewables.csv, fy25/load_hourly.csv,
   fy25/renewables.csv): the committed files are what the script makes.
2. Monthly energies against the sourced monthly generation, each within 0.5%, and the year
   totals within 0.5%: the FY25 replay against July 2024 - June 2025 and FY25's 127,160 GWh;
   the 2026 file against calendar 2025 x (1 + 2.8%). The sourced numbers are written out
   below again, independently of the generator, so that a changed constant there fails here.
3. The shape against the sourced facts it claims, with the tolerance stated in each check:
   September 2025 (NPCC: daytime ~15,000 MW, after sunset > 21,000 MW, peak near midnight),
   summer peaks near midnight, winter morning and evening peaks, the week, Eid and Ramadan,
   and FY25 wind at 3.02% of generation.
Prints one line per check and `profiles: N passed, M failed`; exit 1 on any failure.
Usage: /usr/bin/python3 tests/check_profiles.py
"""
import csv
import datetime as dt
import filecmp
import importlib.util
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
PK = os.path.join(os.path.dirname(HERE), "inputs", "pakistan")
GEN = os.path.join(PK, "make_profiles.py")
FILES = ["load_hourly.csv", "renewables.csv", os.path.join("fy25", "load_hourly.csv"),
         os.path.join("fy25", "renewables.csv")]
results = []

# Monthly generation, GWh (sources: SOURCE.md 'Demand'; AHL/Topline monthly reviews).
FY25 = {(2024, 7): 14880, (2024, 8): 13179, (2024, 9): 12487, (2024, 10): 10262,
        (2024, 11): 8032, (2024, 12): 7800, (2025, 1): 8153, (2025, 2): 6945,
        (2025, 3): 8409, (2025, 4): 10513, (2025, 5): 12755, (2025, 6): 13744}
FY25_TOTAL = 127160
CY2025 = {1: 8153, 2: 6945, 3: 8409, 4: 10513, 5: 12755, 6: 13744, 7: 14123, 8: 14218,
          9: 12592, 10: 9886, 11: 8050, 12: 8487}
GROWTH_2026 = 0.0  # the file is calendar 2025; the model grows it from the first simulated year
FY25_WIND_SHARE, WIND_MW = 0.0302, 1850
TOL = 0.005


def check(ok, what):
    results.append(bool(ok))
    print(("ok   " if ok else "FAIL ") + what)


def read(path, col):
    with open(path, newline="") as f:
        return [float(r[col]) for r in csv.DictReader(f)]


def hours_of(first_day):
    start = dt.datetime.combine(first_day, dt.time())
    return [start + dt.timedelta(hours=i) for i in range(8760)]


def monthly_gwh(load, first_day):
    out = {}
    for t, x in zip(hours_of(first_day), load):
        out[(t.year, t.month)] = out.get((t.year, t.month), 0.0) + x / 1000.0
    return out


def typical_day(load, first_day, ym, mp, weekdays=(0, 1, 2, 3)):
    """Mean 24-h profile of the ordinary weekdays (Mon-Thu, no holiday, Eid or Ramadan)."""
    prof, n = [0.0] * 24, 0
    for i in range(365):
        d = first_day + dt.timedelta(days=i)
        if ((d.year, d.month) != ym or d.weekday() not in weekdays or d in mp.HOLIDAYS
                or d in mp.EID_DAYS or d in mp.RAMADAN_DAYS):
            continue
        n += 1
        for h in range(24):
            prof[h] += load[24 * i + h]
    return [p / n for p in prof]


def day_mwh(load, first_day, d):
    i = (d - first_day).days
    return sum(load[24 * i:24 * i + 24])


def _days(a, b):
    a, b = dt.date.fromisoformat(a), dt.date.fromisoformat(b)
    return [a + dt.timedelta(days=i) for i in range((b - a).days + 1)]


def load_generator():
    spec = importlib.util.spec_from_file_location("make_profiles", GEN)
    mp = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mp)
    return mp


def main():
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, GEN, "--outdir", tmp], check=True,
                       stdout=subprocess.DEVNULL)
        for f in FILES:
            check(filecmp.cmp(os.path.join(tmp, f), os.path.join(PK, f), shallow=False),
                  f"regenerated {f} equals the committed file byte for byte")

    y26, f25 = dt.date(2026, 1, 1), dt.date(2024, 7, 1)
    l26 = read(os.path.join(PK, "load_hourly.csv"), "load_mw")
    l25 = read(os.path.join(PK, "fy25", "load_hourly.csv"), "load_mw")
    w25 = read(os.path.join(PK, "fy25", "renewables.csv"), "wind_cf")
    check(len(l26) == len(l25) == len(w25) == 8760, "8760 rows in each file")

    # 2. energies
    m25 = monthly_gwh(l25, f25)
    worst = max(abs(m25[k] / v - 1) for k, v in FY25.items())
    check(worst <= TOL,
          f"FY25 replay: 12 months within 0.5% of the sourced GWh (worst {worst:.2e})")
    tot = sum(m25.values())
    check(abs(tot / FY25_TOTAL - 1) <= TOL,
          f"FY25 replay: year {tot:,.0f} GWh within 0.5% of 127,160 (FY25, S)")
    m26 = monthly_gwh(l26, y26)
    worst = max(abs(m26[(2026, m)] / (v * (1 + GROWTH_2026)) - 1) for m, v in CY2025.items())
    check(worst <= TOL, f"2026: 12 months within 0.5% of calendar 2025 (worst {worst:.2e})")
    want = sum(CY2025.values()) * (1 + GROWTH_2026)
    tot = sum(m26.values())
    check(abs(tot / want - 1) <= TOL, f"2026: year {tot:,.0f} GWh within 0.5% of {want:,.0f}")
    wind = sum(w25) * WIND_MW / 1000.0
    check(abs(wind / (FY25_WIND_SHARE * FY25_TOTAL) - 1) <= TOL,
          f"FY25 wind {wind:,.0f} GWh within 0.5% of 3.02% of 127,160 GWh")
    aug = sum(w for t, w in zip(hours_of(f25), w25) if t.month == 8) * WIND_MW / 1000.0
    check(abs(aug / 398 - 1) <= 0.01, f"FY25 wind in Aug 2024 {aug:.0f} GWh within 1% of 398 (S)")

    # 3. shape
    mp = load_generator()
    c25 = mp.year_cy2025()
    sep = typical_day(c25, dt.date(2025, 1, 1), (2025, 9), mp)
    day_min = min(sep[8:17])
    night = sep[18:24] + sep[:2]
    peak_h = max(range(24), key=sep.__getitem__)
    check(abs(day_min / 15000 - 1) <= 0.07,
          f"Sep 2025 weekday daytime minimum {day_min:,.0f} MW within 7% of ~15,000 (NPCC, S)")
    check(21000 <= max(night) <= 23000,
          f"Sep 2025 weekday maximum after sunset {max(night):,.0f} MW in 21,000-23,000 "
          "(NPCC: above 21,000, S)")
    check(peak_h in (22, 23, 0), f"Sep 2025 weekday peak at {peak_h}:00, near midnight (S)")
    for name, load, first, months in (("2026", l26, y26, [(2026, m) for m in (6, 7, 8)]),
                                      ("FY25", l25, f25, [(2024, 7), (2024, 8), (2025, 6)])):
        hours = [max(range(24), key=typical_day(load, first, ym, mp).__getitem__)
                 for ym in months]
        check(all(h in (22, 23, 0, 1) for h in hours),
              f"{name}: Jun-Aug weekday peaks at {hours} h, near midnight (S)")
        wm = [(2026, 1)] if name == "2026" else [(2025, 1)]
        jan = typical_day(load, first, wm[0], mp)
        morning = max(range(6, 12), key=jan.__getitem__)
        evening = max(range(16, 22), key=jan.__getitem__)
        dip = min(jan[morning:evening])
        check(jan[morning] > dip * 1.03 and jan[evening] > jan[morning],
              f"{name}: January has a morning peak ({morning}:00) above the midday by >3% and "
              f"a higher evening peak ({evening}:00) (E feature)")
    # the week, on the replay's October 2024 (no holiday, no Ramadan)
    octo = [dt.date(2024, 10, d) for d in range(1, 32)]
    mean = lambda ds: sum(day_mwh(l25, f25, d) for d in ds) / len(ds)  # noqa: E731
    sun = mean([d for d in octo if d.weekday() == 6])
    wkd = mean([d for d in octo if d.weekday() < 4])
    check(0.95 <= sun / wkd <= 0.985, f"Oct 2024 Sunday energy {sun / wkd:.3f} of a Mon-Thu day "
          "(Sunday factors 0.95/0.98, E)")
    eid = mean(_days("2025-06-07", "2025-06-09"))  # Eid ul Adha 2025, Sat-Mon
    ref = mean(_days("2025-06-02", "2025-06-05"))  # the Mon-Thu before it
    check(0.84 <= eid / ref <= 0.92, f"Eid ul Adha 2025 days {eid / ref:.3f} of the Mon-Thu "
          "before (x0.88, E; Eid lowers demand, S)")
    ram, out = dt.date(2025, 3, 12), dt.date(2025, 2, 26)  # Wednesdays in and before Ramadan
    rise = mp.sun_times(ram)[0]
    h = int(rise - 1.5)
    i_r, i_o = 24 * (ram - f25).days, 24 * (out - f25).days
    ratio = (l25[i_r + h] / day_mwh(l25, f25, ram)) / (l25[i_o + h] / day_mwh(l25, f25, out))
    check(ratio >= 1.03, f"Ramadan 2025: sehri hour {h}:00 share of the day x{ratio:.3f} of a "
          "February day's (x1.08 before rescaling, E)")

    print(f"profiles: {sum(results)} passed, {len(results) - sum(results)} failed")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
