#!/usr/bin/python3
"""Compares the headline numbers of examples/analysis.ipynb (executed), examples/analysis.R and
`gridrisk summary`, each to the precision it prints.

  compare_headlines.py NOTEBOOK.ipynb R.out SUMMARY.out
  compare_headlines.py --network PRAS.out R.out SUMMARY.out

--network: a PRAS system's run. examples/pras.py (xarray) and examples/analysis.R print
`reliability | area | LOLE | se | EUE | se | NEUE | se` lines and a `peak | system | lolp |
time` line; the reliability rows must be the same areas and agree, the peak lines must be
identical (the step axis decoded to the same time), and every area must agree with the row
`gridrisk summary` prints for it (`<area> <LOLE> +- <se> <EUE> +- <se> <NEUE> +- <se>`).

The notebook and R print `headline | scenario | metric | unit | mean | P5 | P50 | P95 | P(>0)%`
lines; a metric ending in `_delta` is the paired difference scenario - baseline. Two printed
numbers agree when some true value rounds to both: |a - b| <= (half a unit in a's last digit)
+ (half a unit in b's last digit). Every notebook row must be in R's output and agree; every
notebook row whose metric `gridrisk summary` prints must be found there and agree.
Exit 0 when all agree, 1 on any difference (each one listed).
"""
import json
import re
import sys

NUM = r"[-+]?\d+(?:\.\d+)?"
# ---------------------------------------------------------------------------------------------
# `gridrisk summary`: ADAPT HERE when its format changes. One regex for a row: an optional
# metric label (on a block's first row; later rows of the block leave it blank), the row's
# scenario ("baseline", "allocation" or "delta allocation"), then mean, P5, P50, P95 and
# optionally P(>0) in percent.
SUMMARY_ROW = re.compile(
    rf"^(?P<label>.*?)\s*(?<!\S)(?P<scen>(?:delta )?[A-Za-z_][\w.-]*)\s+(?P<mean>{NUM})\s+"
    rf"(?P<p5>{NUM})\s+(?P<p50>{NUM})\s+(?P<p95>{NUM})(?:\s+(?P<ppos>{NUM})%)?\s*$")
# A block's label names the metric and the unit printed ("<what>, <unit>"), e.g.
# "net fiscal cost, PKR bn/yr"; which metric each label is:
SUMMARY_METRICS = [
    (re.compile(r"net fiscal cost.*PKR|net_fiscal_cost_pkr"), "net_fiscal_cost_pkr"),
    (re.compile(r"consumer-equivalent shed hours|shed_consumer_hours"), "shed_consumer_hours"),
    (re.compile(r"system hours|load-shedding hours|loss-of-load hours|shed_hours"), "shed_hours"),
    (re.compile(r"unserved energy(?: \(EUE\))?,|unserved_mwh"), "unserved_mwh"),
]
# ---------------------------------------------------------------------------------------------
# Each printed unit in the base unit the file stores (PKR/yr, h/yr, MWh/yr).
UNITS = {"PKR bn/yr": 1e9, "PKR/yr": 1.0, "h/yr": 1.0, "MWh/yr": 1.0, "GWh/yr": 1e3,
         "TWh/yr": 1e6}
COLS = ("mean", "p5", "p50", "p95", "ppos")


class Num:
    """A printed number: its value and half a unit in its last digit."""

    def __init__(self, text, factor=1.0):
        text = text.strip().rstrip("%")
        decimals = len(text.split(".")[1]) if "." in text else 0
        self.text, self.value = text, float(text) * factor
        self.half = 0.5 * 10.0 ** -decimals * factor

    def agrees(self, other):
        return abs(self.value - other.value) <= (self.half + other.half) * (1 + 1e-12)


def headlines(lines, source):
    rows = {}
    for line in lines:
        if not line.startswith("headline |"):
            continue
        cells = [c.strip() for c in line.split("|")[1:]]
        if len(cells) != 8 or cells[3] == "mean":
            continue
        scen, metric, unit = cells[:3]
        f = UNITS.get(unit)
        if f is None:
            raise SystemExit(f"{source}: unknown unit {unit!r} in: {line}")
        nums = dict(zip(COLS, [Num(c, f) for c in cells[3:7]] + [Num(cells[7], 0.01)]))
        rows[(scen, metric)] = (unit, nums)
    return rows


def notebook_lines(path):
    nb = json.load(open(path, encoding="utf-8"))
    out = []
    for cell in nb["cells"]:
        for o in cell.get("outputs", []):
            if o.get("output_type") == "stream":
                text = o["text"] if isinstance(o["text"], str) else "".join(o["text"])
                out += text.splitlines()
    return out


def summary_rows(lines):
    rows, metric, unit = {}, None, None
    for line in lines:
        m = SUMMARY_ROW.match(line)
        if not m:
            continue
        label = m.group("label").strip()
        if label:
            metric = next((k for rx, k in SUMMARY_METRICS if rx.search(label)), None)
            unit = label.rsplit(", ", 1)[-1] if ", " in label else None
        if metric is None:
            continue
        f = UNITS.get(unit, 1.0)
        scen = m.group("scen")
        key = (scen[6:], metric + "_delta") if scen.startswith("delta ") else (scen, metric)
        nums = {c: Num(m.group(c), f) for c in COLS[:4]}
        if m.group("ppos") is not None:
            nums["ppos"] = Num(m.group("ppos"), 0.01)
        rows[key] = (line.strip(), nums)
    return rows


def compare(a, b, name_a, name_b, key, problems, cols=COLS):
    for c in cols:
        if c in a and c in b and not a[c].agrees(b[c]):
            problems.append(f"{key[0]} {key[1]} {c}: {name_a} {a[c].text}, {name_b} {b[c].text}")


# `gridrisk summary` of a network run: ADAPT HERE when its format changes. The area (names
# truncated to 20 characters), then LOLE, EUE and NEUE, each "<value> +- <standard error>".
NETWORK_ROW = re.compile(r"^(?P<area>\S.*?)\s+" + r"\s+".join(
    rf"(?P<{k}>{NUM}) \+- (?P<{k}_se>{NUM})" for k in ("lole", "eue", "neue")) + r"\s*$")
NETWORK_COLS = ("lole", "lole_se", "eue", "eue_se", "neue", "neue_se")


def network_rows(lines, source):
    rows, peaks = {}, []
    for line in lines:
        cells = [c.strip() for c in line.split("|")]
        if cells[0] == "peak":
            peaks.append(line.strip())
        if cells[0] != "reliability" or cells[1] == "area":
            continue
        if len(cells) != 8:
            raise SystemExit(f"{source}: not a reliability row: {line}")
        rows[cells[1][:20]] = dict(zip(NETWORK_COLS, (Num(c) for c in cells[2:])))
    return rows, peaks


def compare_network(argv):
    lines = [open(p, encoding="utf-8").read().splitlines() for p in argv]
    py, py_peak = network_rows(lines[0], argv[0])
    r, r_peak = network_rows(lines[1], argv[1])
    summ = {}
    for line in lines[2]:
        m = NETWORK_ROW.match(line)
        if m:
            summ[m.group("area").strip()[:20]] = {c: Num(m.group(c)) for c in NETWORK_COLS}
    problems = []
    if not py:
        problems.append("examples/pras.py printed no reliability lines")
    if list(py) != list(r):
        problems.append(f"areas differ: pras.py {list(py)}, R {list(r)}")
    if py_peak != r_peak or not py_peak:
        problems.append(f"peak differs: pras.py {py_peak}, R {r_peak}")
    if list(py) != list(summ):
        problems.append(f"areas differ: pras.py {list(py)}, `gridrisk summary` {list(summ)} "
                        "(tests/compare_headlines.py NETWORK_ROW: has its format changed?)")
    for area, nums in py.items():
        for other, name in ((r, "R"), (summ, "summary")):
            if area in other:
                compare(nums, other[area], "pras.py", name, (area, ""), problems,
                        cols=NETWORK_COLS)
    for p in problems:
        print(f"  reliability differs: {p}")
    if not problems:
        print(f"reliability agrees: {len(py)} areas (pras.py = R = `gridrisk summary`), "
              f"{py_peak[0]}")
    return 1 if problems else 0


def main(argv):
    if len(argv) == 4 and argv[0] == "--network":
        return compare_network(argv[1:])
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    nb = headlines(notebook_lines(argv[0]), argv[0])
    r = headlines(open(argv[1], encoding="utf-8").read().splitlines(), argv[1])
    summ = summary_rows(open(argv[2], encoding="utf-8").read().splitlines())
    problems = []
    if not nb:
        problems.append("the notebook printed no headline lines")
    if set(nb) != set(r):
        problems.append(f"rows differ: notebook only {sorted(set(nb) - set(r))}, "
                        f"R only {sorted(set(r) - set(nb))}")
    if not summ:
        problems.append("no row of `gridrisk summary` matched SUMMARY_ROW "
                        "(tests/compare_headlines.py): has its format changed?")
    matched = 0
    for key, (_, nums) in sorted(nb.items()):
        if key in r:
            compare(nums, r[key][1], "notebook", "R", key, problems)
        if summ and key not in summ:
            problems.append(f"{key[0]} {key[1]}: not in `gridrisk summary`")
        elif key in summ:
            matched += 1
            compare(nums, summ[key][1], "notebook", "summary", key, problems)
    for p in problems:
        print(f"  headline differs: {p}")
    if not problems:
        print(f"headlines agree: {len(nb)} rows (notebook = R), {matched} of them with "
              "`gridrisk summary`")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
