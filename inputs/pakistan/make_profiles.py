#!/usr/bin/env python3
"""Builds the hourly demand and renewables profiles of the Pakistan scenarios.

Usage: make_profiles.py [--outdir DIR]   (default: this script's folder)
Writes, each 8760 rows after a header:
  DIR/load_hourly.csv, DIR/renewables.csv          calendar 2026, 1 Jan 00:00 first
  DIR/fy25/load_hourly.csv, DIR/fy25/renewables.csv FY2024-25 replay, 1 Jul 2024 00:00 first
The CSVs are committed; the build never runs this script. tests/check_profiles.py
regenerates them and compares byte for byte. Python 3 standard library only.

Row i is the hour starting at local time (PKT, UTC+5) i mod 24 of its day. Marks: S = stated
in a source, D = derived from sourced numbers (working in the comment), E = estimate (reason
given). Sources are in SOURCE.md (demand rows) and shared/data/pakistan/sources/supply-2026.md.

What a profile is
-----------------
load_mw is generation sent to the grid as the monthly AHL/Topline/NEPRA figures report it
(probably the CPPA-G/NTDC system including its supply to K-Electric but not KE's own plants;
SOURCE.md gives the working). It is *served* generation: it does not contain the load that
was shed or suppressed ("computed demand" in NPCC news items is higher). For the FY25 replay
that is the point (the replay calibrates the mix of what was generated). For 2026 it is the
base the model grows and perturbs; see "what the model must add" below.

Features (each a function below)
--------------------------------
1. Monthly energy. FY25 replay: the 12 sourced months of July 2024 - June 2025 (11 S, July D),
   summing to 127,159 GWh against the sourced FY25 total 127,160 GWh. 2026: the 12 sourced
   months of calendar 2025 (11 S, October D; 127,875 GWh) x (1 + 2.8%), NEPRA's FY26 demand
   growth (S; also the model's growth_mean) = 131,455 GWh. Each month's hours sum exactly to
   its energy (the calendar and solar features below only move energy within a month).
2. Underlying daily shape (before behind-the-meter solar), a blend of a cooling-season and a
   winter shape, E, each anchored on sourced facts: official peak hours 18-22 (Mar-May,
   winter) and 19-23 (Jun-Aug) (S: APTMA letter, Business Recorder 2025-11-03; Pakistan Solar
   Association, energyupdate.com.pk 2023-07-22); the cooling-season peak near midnight (S:
   same APTMA letter, DISCO and KE demand over the past year; record generation 25,516 MW at
   24:00 on 21 Aug 2023, Ministry of Energy via ProPakistani); winter morning and evening
   peaks (E: lighting, water heating and the start of work; no Pakistani hourly data found).
   Magnitudes are calibrated so that a September 2025 weekday gives the NPCC figures of
   feature 3 (tests/check_profiles.py checks it on year_cy2025()). The blend weight of a
   month is where its average MW sits between the year's lowest and highest monthly average
   (D from feature 1): cooling load is what lifts a month above the winter base (LESCO:
   summer maximum 4,805 MW incl. 1,500 MW air conditioning, winter 2,400 MW, S: Business
   Recorder 2020-11-29).
3. Behind-the-meter (BTM) solar dip, subtracted in MW: the output of a south-facing panel
   tilted at the latitude (30 N, standard solar geometry; E) times a monthly clearness (E:
   monsoon, winter haze) times a BTM level. Level: 6,000 MW at noon on a September 2025 day
   (S: NPCC at the NEPRA FCA hearing for Sep 2025, thepakfeed.com 2025-10-31: daytime demand
   falls by nearly 6,000 MW, to about 15,000 MW; after sunset above 21,000 MW). It grows
   with net-metered output: 70.35 GWh in Sep 2024 -> 142.67 GWh in Sep 2025, x2.028/yr (S:
   AHL via world-economist.com), applied month by month in the replay (D); the 2026 profile
   holds the level of 1 January 2026 (D: the same growth 3.5 months past Sep 2025, x1.23,
   close to net metering's 6,035 MW in Nov 2025 -> ~7,000 MW in Dec 2025, S), because
   further erosion is the model's BTM drift (README row). Outside the cooling season only
   part of BTM output displaces grid load (off-grid systems cannot offset more than their
   owners' own small winter load): factor 0.5 + 0.5 x the month's blend weight (E),
   normalised so that September 2025 gives the sourced 6,000 MW.
4. Week: Sunday is the weekly holiday (S: Cabinet Division practice, e.g. 22 Mar 2026
   "weekly holiday", helm.news 2026-03-15); Sunday x0.95 in 08-18 h and x0.98 otherwise;
   Saturday x0.98 in 08-18 h (offices closed, most industry working); Friday x0.96 in
   13-15 h (Jumu'ah prayers). Magnitudes E (no Pakistani weekday data found): commercial
   8.6% and industry 26.3% of consumption (S: Economic Survey 2024-25, Jul-Mar FY25), much of
   industry running through the week.
5. Public holidays as notified by the Cabinet Division (S, dates below): like a Sunday; the
   three Eid days of each Eid x0.88 all day (E: industry and markets close; industry is ~26%
   of consumption and runs flat, so roughly half of it stopping is -13%; households at home
   offset a little). Qualitative S: Eid lowers demand as factories, offices and shops close
   (geo.tv 426114, 2022).
6. Ramadan (S dates): sehri (2.5 to 0.5 h before sunrise) x1.08; the iftar hour (sunset) x0.96;
   the 3 hours after it x1.03; 10-16 h x0.96 (shorter office hours); then rescaled so the day
   keeps its energy. E, shaped on the generic pattern (a pre-dawn and a post-iftar bump, a
   deeper daytime valley: Turkey +~2 GW in the first four hours of the day, wattsight 2017;
   Gulf utilities' "double bump"); no MW quantification for Pakistan was found (supply-2026.md
   s.9). Energy-neutral because the monthly energies are sourced.
Renewables: wind_cf and solar_cf keep the 2026 shapes of the first model (E: solar from day
length at 30 N with a monsoon dip, annual CF 0.18; wind with the Jhimpir-Gharo summer
maximum, annual CF 0.30); the 2026 file is byte-identical to the one it replaces. The replay
re-times them to July-June and sets wind month by month to FY25's sourced wind generation
(see FY25_WIND_GWH), annual 3.02% of 127,160 GWh on the 1,850 MW of units.csv (CF 0.237, D).

What the model must add (not in these files)
--------------------------------------------
- Day-to-day variation: the daily weather anomaly (AR(1)), and (MODEL.md v2) hot days that
  deepen the evening/night peak more than the day, with heat waves clustering. These profiles
  are a typical day of each kind within each month; their peaks are not the year's peaks
  (the record day, 21 Aug 2023, generated 25,516 MW at 24:00 against an August mean of
  21,450 MW, x1.19, S/D; the profiles' summer maxima are x1.13-1.28 of their month's mean).
- Growth: the 2026 file already carries one year of growth (2.8%) over calendar 2025; if the
  model samples the first year's growth itself, set GROWTH_2026 to 0 (the file then holds
  127,875 GWh). The replay takes zero growth.
- Load that was not served: computed demand exceeded generation by 4.5-6.2 GW at summer 2024
  evening peaks (S, partly revenue-based shedding and suppressed load). A 2026 base demand
  that includes it is a model input (E), not in this file.
- The regional split (SOURCE.md gives South ~26% of national demand, D), further BTM erosion
  (README: -1%/yr of daytime demand, E) and the captive-gas levy shift (+0.5 GW, E).
"""
import argparse
import datetime as dt
import math
import os

HOURS = 8760
DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

# --- 1. Monthly generation, GWh, {(year, month): gwh} ------------------------------------
# FY2024-25. Cross-checks against sourced cumulative totals (all S): Jul-Aug 28,059; Q1
# 40,546; Jul-Oct 50,808; Jul-Nov 58,840; H1 66,641; Jul-Feb 81,739; Jul-Apr 100,661;
# Jul-May 113,415; year 127,160 (the months sum to 127,159).
FY25_GWH = {
    (2024, 7): 14880,   # D: 28,059 (Jul-Aug, AHL via Bloom Pakistan/ARY) - 13,179 (Aug)
    (2024, 8): 13179,   # S: AHL (ARY, Bloom Pakistan, Business Recorder 40328553)
    (2024, 9): 12487,   # S: AHL (Profit ?p=174836; Business Recorder 40328553)
    (2024, 10): 10262,  # S: AHL (theindustrialist.today)
    (2024, 11): 8032,   # S: AHL (The News 1263004)
    (2024, 12): 7800,   # S: AHL (Business Recorder 40343586)
    (2025, 1): 8153,    # S: Profit 2025-03-17 (Topline)
    (2025, 2): 6945,    # S: same
    (2025, 3): 8409,    # S: AHL ("March's figure of 8,409 GWh", theheraldtoday.com)
    (2025, 4): 10513,   # S: AHL (README 'monthly generation (check)')
    (2025, 5): 12755,   # S: Topline (Profit 2025-06-25; README)
    (2025, 6): 13744,   # S: AHL (Profit 2025-07-19; README)
}
FY25_TOTAL_GWH = 127160  # S: AHL FY25 (Profit 2025-07-19; supply-2026.md s.9)
# Calendar 2025: Jan-Jun as above, then FY26 months.
CY2025_GWH = {
    **{k: v for k, v in FY25_GWH.items() if k[0] == 2025},
    (2025, 7): 14123,   # S: The News 1373326 (AHL), "14,123 GWh in July 2025"
    (2025, 8): 14218,   # S: same (Jul-Aug FY26 28,341 = 14,123 + 14,218)
    (2025, 9): 12592,   # S: AHL (infosunrise 2025-10-24; Q1 FY26 40,933)
    (2025, 10): 9886,   # D: 58,869 (Jul-Nov FY26) - 40,933 (Q1 FY26) - 8,050 (Nov)
    (2025, 11): 8050,   # S: Profit ?p=221457 (Jul-Nov FY26 58,869 GWh)
    (2025, 12): 8487,   # S: AHL (psmunews ?p=6117)
}
GROWTH_2026 = 0.0  # the model samples the first year's growth itself (growth from the first
# simulated year, docs/MODEL.md s.4): the 2026 file is calendar 2025's sourced energy

# --- 2. Underlying daily shapes (relative, hour-beginning 0..23 PKT), E -------------------
# Cooling season: flat through the hot day, evening rise in and past the official 19-23 h
# window, peak at 23-00 h (S: "around midnight"), trough at 05-07 h when it is coolest.
COOL_SHAPE = [1.08, 1.03, 0.96, 0.89, 0.83, 0.79, 0.78, 0.82, 0.90, 0.98, 1.03, 1.04,
              1.04, 1.04, 1.04, 1.03, 1.01, 1.00, 0.99, 1.00, 1.02, 1.05, 1.08, 1.10]
# Winter: no cooling load; a morning peak (08-10 h) and an evening peak inside the official
# 18-22 h window; night trough. Flatter than a northern European winter day because industry
# (~26% of consumption, S) runs around the clock.
WINTER_SHAPE = [0.84, 0.80, 0.78, 0.77, 0.78, 0.82, 0.90, 1.00, 1.06, 1.07, 1.05, 1.03,
                1.02, 1.01, 1.00, 1.00, 1.03, 1.09, 1.13, 1.13, 1.10, 1.04, 0.96, 0.89]

# --- 3. Behind-the-meter solar -------------------------------------------------------------
BTM_SEP2025_NOON_MW = 6000.0  # S: NPCC, Sep 2025 (thepakfeed.com 2025-10-31)
BTM_GROWTH_PER_YEAR = 142.67 / 70.35  # D: net-metered GWh Sep 2025 / Sep 2024 (AHL), 2.028
BTM_REF_DATE = dt.date(2025, 9, 15)
BTM_2026_DATE = dt.date(2026, 1, 1)  # the 2026 profile holds this level (see docstring)
LATITUDE_DEG = 30.0     # E: between Lahore (31.5) and Karachi (24.9), weighted to Punjab
SOLAR_NOON_H = 12.17    # E: 72.5 E load centre against the 75 E meridian of PKT (+10 min)
# Monthly clearness, Jan..Dec (E, as the solar CF shape): monsoon dip Jul-Aug, winter haze.
SOLAR_MONTH = [0.85, 0.95, 1.0, 1.05, 1.05, 1.0, 0.82, 0.82, 0.95, 1.0, 0.92, 0.85]

# --- 4-6. Calendar -------------------------------------------------------------------------
SUNDAY_DAY, SUNDAY_OTHER = 0.95, 0.98   # E: 08-18 h and other hours
SATURDAY_DAY = 0.98                      # E: 08-18 h
FRIDAY_PRAYER = 0.96                     # E: 13-15 h
EID_DAY = 0.88                           # E: all hours of the three Eid days
DAYTIME_HOURS = range(8, 18)
PRAYER_HOURS = (13, 14)
RAMADAN_SEHRI, RAMADAN_IFTAR, RAMADAN_EVENING, RAMADAN_WORK = 1.08, 0.96, 1.03, 0.96  # E


def _d(s):
    return dt.date.fromisoformat(s)


def _span(a, b):
    a, b = _d(a), _d(b)
    return [a + dt.timedelta(days=i) for i in range((b - a).days + 1)]


# Public holidays (Cabinet Division notifications, S; Islamic dates subject to the moon).
HOLIDAYS = [_d(s) for s in (
    "2024-07-16", "2024-07-17",  # Ashura (Business Recorder 40313037)
    "2024-08-14",                # Independence Day (2024 list, The News 1140200)
    "2024-09-17",                # Eid Milad-un-Nabi (Business Recorder 40321202)
    "2024-11-09", "2024-12-25",  # Iqbal Day, Quaid-e-Azam Day (2024 list)
    "2025-02-05", "2025-03-23", "2025-05-01",  # Kashmir, Pakistan, Labour Day (2025 list)
    "2025-06-06",                # Eid ul Adha holidays 6-9 Jun 2025 (lahorenews 109548)
    "2026-02-05", "2026-03-20", "2026-03-23", "2026-05-01", "2026-05-28",
    "2026-06-24", "2026-06-25", "2026-08-14", "2026-08-25", "2026-11-09", "2026-12-25",
    # 2026 list, Cabinet Division 2026-01-19 (Daily Pakistan); 20 Mar: helm.news 2026-03-15
)]
EID_DAYS = (_span("2025-03-31", "2025-04-02")    # Eid ul Fitr (Cabinet Division 2025-03-19)
            + _span("2025-06-07", "2025-06-09")  # Eid ul Adha (lahorenews 109548)
            + _span("2026-03-21", "2026-03-23")  # Eid ul Fitr (2026 list)
            + _span("2026-05-27", "2026-05-29"))  # Eid ul Adha (2026 list)
RAMADAN_DAYS = (_span("2025-03-02", "2025-03-30")  # S: Ruet-e-Hilal, first fast 2 Mar;
                                                   # D: last fast the day before Eid
                + _span("2026-02-19", "2026-03-20"))  # S: first fast 19 Feb (DNA 2026-02-19)

# --- Renewables ----------------------------------------------------------------------------
WIND_MONTH = [0.15, 0.17, 0.20, 0.28, 0.42, 0.50, 0.52, 0.48, 0.35, 0.20, 0.14, 0.14]  # E
WIND_CF_2026, SOLAR_CF_2026 = 0.30, 0.18  # E (first model; unchanged)
WIND_MW = 1850  # units.csv: 37 x 50 MW (E)
# FY25 wind generation, GWh (month -> value): S where a report gives GWh or a share of the
# month's generation; D/E otherwise. Missing months are the mean of their neighbours, scaled
# together so the year is 3.02% x 127,160 = 3,840 GWh (S share, README calibration row).
FY25_WIND_GWH = {
    7: 398 / (1 - 0.106),   # D: Aug 398 GWh was -10.6% MoM (augaf.com 2024-09-20) -> 445
    8: 398,                 # S: augaf.com (NEPRA data)
    9: 0.032 * 12487,       # S share: 3.2% (Profit ?p=174836)
    10: 0.019 * 10262,      # S share: 1.9% (theindustrialist.today)
    12: 0.034 * 7800,       # S share: 3.4% (Business Recorder 40343586)
    2: 0.025 * 6945,        # S share: 2.5% (Profit 2025-03-17)
    4: 0.046 * 10513,       # S share: 4.6% (theheraldtoday.com, AHL)
    5: 0.03 * 12755,        # S share: "3%" (Profit 2025-06-25, Topline; rounded)
}
FY25_WIND_TOTAL_GWH = 0.0302 * FY25_TOTAL_GWH  # S share 3.02% (README calibration targets)


# --- Features ------------------------------------------------------------------------------
def declination(day):
    """Solar declination, radians (Cooper 1969)."""
    doy = day.timetuple().tm_yday
    return math.radians(23.44) * math.sin(2 * math.pi * (284 + doy) / 365)


def sin_elevation(day, hour_mid):
    """Sine of the sun's elevation at LATITUDE_DEG; <= 0 at night."""
    decl, lat = declination(day), math.radians(LATITUDE_DEG)
    hour_angle = math.radians(15.0 * (hour_mid - SOLAR_NOON_H))
    return (math.sin(lat) * math.sin(decl)
            + math.cos(lat) * math.cos(decl) * math.cos(hour_angle))


def rooftop_pv(day, hour_mid):
    """Relative output of a south-facing panel tilted at the latitude (E: rooftop frames
    are tilted; a tilt of the latitude is the usual rule): cos(incidence) = cos(decl) x
    cos(hour angle), counted only while the sun is above the horizon. Unlike a flat panel
    its noon output hardly changes with the season; day length still does."""
    if sin_elevation(day, hour_mid) <= 0.0:
        return 0.0
    hour_angle = math.radians(15.0 * (hour_mid - SOLAR_NOON_H))
    return max(0.0, math.cos(declination(day)) * math.cos(hour_angle))


def sun_times(day):
    """(sunrise, sunset) in PKT hours from sin_elevation = 0."""
    decl, lat = declination(day), math.radians(LATITUDE_DEG)
    half_h = math.degrees(math.acos(-math.tan(lat) * math.tan(decl))) / 15.0
    return SOLAR_NOON_H - half_h, SOLAR_NOON_H + half_h


def cooling_weight(mean_mw, lo_mw, hi_mw):
    """Blend weight of the cooling shape: where the month sits between the year's lowest
    and highest monthly average."""
    return min(1.0, max(0.0, (mean_mw - lo_mw) / (hi_mw - lo_mw)))


def month_mean_mw(gwh_by_month):
    return {k: v * 1000.0 / (DAYS_IN_MONTH[k[1] - 1] * 24) for k, v in gwh_by_month.items()}


# Reference for the BTM level: September 2025 in calendar 2025's own blend.
_CY25_MEAN = month_mean_mw(CY2025_GWH)
W_SEP2025 = cooling_weight(_CY25_MEAN[(2025, 9)], min(_CY25_MEAN.values()),
                           max(_CY25_MEAN.values()))
PV_NOON_REF = rooftop_pv(BTM_REF_DATE, SOLAR_NOON_H)


def btm_noon_mw(level_date):
    """BTM dip at noon of a mid-September day, at the BTM level of level_date."""
    years = (level_date - BTM_REF_DATE).days / 365.0
    return BTM_SEP2025_NOON_MW * BTM_GROWTH_PER_YEAR ** years


def btm_dip_mw(day, hour, noon_mw, weight):
    """MW of grid demand displaced by behind-the-meter solar in this hour."""
    pv = rooftop_pv(day, hour + 0.5)
    if pv <= 0.0:
        return 0.0
    displace = (0.5 + 0.5 * weight) / (0.5 + 0.5 * W_SEP2025)
    clear = SOLAR_MONTH[day.month - 1] / SOLAR_MONTH[8]
    return noon_mw * clear * displace * pv / PV_NOON_REF


def calendar_factors(day):
    """Hourly multipliers of the underlying demand for the week, holidays and Ramadan."""
    f = [1.0] * 24
    wd = day.weekday()  # Monday 0 .. Sunday 6
    if day in EID_DAYS:
        f = [EID_DAY] * 24
    elif wd == 6 or day in HOLIDAYS:
        f = [SUNDAY_DAY if h in DAYTIME_HOURS else SUNDAY_OTHER for h in range(24)]
    elif wd == 5:
        f = [SATURDAY_DAY if h in DAYTIME_HOURS else 1.0 for h in range(24)]
    elif wd == 4:
        f = [FRIDAY_PRAYER if h in PRAYER_HOURS else 1.0 for h in range(24)]
    if day in RAMADAN_DAYS:
        f = ramadan(day, f)
    return f


def ramadan(day, f):
    rise, sett = sun_times(day)
    g = list(f)
    for h in range(24):
        t = h + 0.5
        if rise - 2.5 <= t < rise - 0.5:
            g[h] *= RAMADAN_SEHRI
        elif sett <= t < sett + 1.0:
            g[h] *= RAMADAN_IFTAR
        elif sett + 1.0 <= t < sett + 4.0:
            g[h] *= RAMADAN_EVENING
        elif 10 <= h < 16:
            g[h] *= RAMADAN_WORK
        # (each hour gets one Ramadan factor; the windows do not overlap in Feb-Apr)
    k = sum(f) / sum(g)  # energy-neutral within the day
    return [x * k for x in g]


def build_load(first_day, gwh_by_month, btm_level):
    """Hourly MW for 365 days from first_day. btm_level(day) gives the noon MW of the BTM
    dip for that day. Each month's MWh equal gwh_by_month exactly (before rounding)."""
    days = [first_day + dt.timedelta(days=i) for i in range(HOURS // 24)]
    means = month_mean_mw(gwh_by_month)
    lo, hi = min(means.values()), max(means.values())
    load = []
    for key in sorted(gwh_by_month, key=lambda k: (k[0], k[1])):
        mdays = [d for d in days if (d.year, d.month) == key]
        assert len(mdays) == DAYS_IN_MONTH[key[1] - 1], key
        w = cooling_weight(means[key], lo, hi)
        shape = [w * c + (1 - w) * v for c, v in zip(COOL_SHAPE, WINTER_SHAPE)]
        under, dip = [], []
        for d in mdays:
            cal = calendar_factors(d)
            noon = btm_level(d)
            under.extend(shape[h] * cal[h] for h in range(24))
            dip.extend(btm_dip_mw(d, h, noon, w) for h in range(24))
        # scale the underlying demand so that (scale x under - dip) has the month's energy
        scale = (gwh_by_month[key] * 1000.0 + sum(dip)) / sum(under)
        month = [scale * u - b for u, b in zip(under, dip)]
        assert min(month) > 0.0, key
        load.extend(month)
    assert len(load) == HOURS
    return load


def fy25_wind_cf_by_month():
    """Monthly wind CF of the replay from FY25_WIND_GWH, gaps filled (see the table)."""
    order = [7, 8, 9, 10, 11, 12, 1, 2, 3, 4, 5, 6]
    gwh = dict(FY25_WIND_GWH)
    missing = [m for m in order if m not in gwh]
    for m in missing:
        i = order.index(m)
        gwh[m] = 0.5 * (FY25_WIND_GWH[order[i - 1]] + FY25_WIND_GWH[order[(i + 1) % 12]])
    k = (FY25_WIND_TOTAL_GWH - sum(FY25_WIND_GWH.values())) / sum(gwh[m] for m in missing)
    for m in missing:
        gwh[m] *= k
    return {m: gwh[m] * 1000.0 / (WIND_MW * DAYS_IN_MONTH[m - 1] * 24) for m in order}


def build_renewables(first_month, wind_cf_month=None):
    """wind_cf, solar_cf for a 365-day year starting on the first of first_month. Shapes of
    the first model (E); wind scaled per month when wind_cf_month is given, else to 0.30."""
    months = [(first_month - 1 + i) % 12 for i in range(12)]
    solar, wind, wmonth = [], [], []
    for m in months:
        doy0 = sum(DAYS_IN_MONTH[:m])
        for d in range(DAYS_IN_MONTH[m]):
            doy = doy0 + d
            # day length at 30 N: 10.2 h (Dec) to 13.9 h (Jun)
            dl = 12.05 - 1.85 * math.cos(2 * math.pi * (doy + 10) / 365)
            rise, sett = 12.2 - dl / 2, 12.2 + dl / 2
            for h in range(24):
                t = h + 0.5
                sol = math.sin(math.pi * (t - rise) / dl) if rise < t < sett else 0.0
                solar.append(max(sol, 0.0) ** 1.3 * SOLAR_MONTH[m])
                wind.append(WIND_MONTH[m] * (1 + 0.25 * math.cos(2 * math.pi * (h - 16) / 24)))
                wmonth.append(m)
    ks = SOLAR_CF_2026 * len(solar) / sum(solar)
    solar = [min(1.0, x * ks) for x in solar]
    if wind_cf_month is None:
        kw = WIND_CF_2026 * len(wind) / sum(wind)
        wind = [min(1.0, x * kw) for x in wind]
    else:
        # each month's mean CF is the sourced one (the diurnal cosine averages to 1)
        wind = [min(1.0, wind_cf_month[m + 1] * (1 + 0.25 * math.cos(2 * math.pi * (i % 24 - 16)
                                                                        / 24)))
                for i, m in enumerate(wmonth)]
    return wind, solar


def year_2026():
    gwh = {(2026, m): v * (1 + GROWTH_2026) for (_, m), v in CY2025_GWH.items()}
    noon = btm_noon_mw(BTM_2026_DATE)
    return build_load(dt.date(2026, 1, 1), gwh, lambda d: noon), build_renewables(
        1, fy25_wind_cf_by_month())  # wind at FY25's sourced monthly output (CF 0.237, D)


def year_fy25():
    def level(d):  # the BTM level of the month's middle day
        return btm_noon_mw(d.replace(day=15))
    load = build_load(dt.date(2024, 7, 1), FY25_GWH, level)
    return load, build_renewables(7, fy25_wind_cf_by_month())


def year_cy2025():
    """Calendar 2025 with its month-by-month BTM level: the calibration year of the Sep 2025
    NPCC figures (not written out; tests/check_profiles.py checks it)."""
    return build_load(dt.date(2025, 1, 1), CY2025_GWH, lambda d: btm_noon_mw(d.replace(day=15)))


def write(outdir, load, wind, solar):
    os.makedirs(outdir, exist_ok=True)
    with open(os.path.join(outdir, "load_hourly.csv"), "w") as f:
        f.write("load_mw\n")
        f.writelines(f"{x:.1f}\n" for x in load)
    with open(os.path.join(outdir, "renewables.csv"), "w") as f:
        f.write("wind_cf,solar_cf\n")
        f.writelines(f"{a:.4f},{b:.4f}\n" for a, b in zip(wind, solar))


def summary(name, first_day, load):
    i = max(range(HOURS), key=load.__getitem__)
    when = dt.datetime.combine(first_day, dt.time()) + dt.timedelta(hours=i)
    return (f"{name}: {sum(load) / 1e6:.3f} TWh, peak {load[i]:.0f} MW at {when:%Y-%m-%d %H}:00, "
            f"min {min(load):.0f} MW")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--outdir", default=os.path.dirname(os.path.abspath(__file__)))
    a = ap.parse_args()
    load, (wind, solar) = year_2026()
    write(a.outdir, load, wind, solar)
    print(summary("2026", dt.date(2026, 1, 1), load))
    load, (wind, solar) = year_fy25()
    write(os.path.join(a.outdir, "fy25"), load, wind, solar)
    print(summary("fy25", dt.date(2024, 7, 1), load))


if __name__ == "__main__":
    main()
