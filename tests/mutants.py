#!/usr/bin/python3
"""The mutants of tests/mutate.sh: hand-written ones from a table, and operator swaps generated
over named hot functions. Writes every mutated file, so that the runner only copies files.

  mutants.py prepare ROOT OUT --hand TSV --hot SPEC [--per-function N] [--quick]

ROOT is the source tree (read only). OUT receives list.tsv, one selected mutant a line:
    id  file  line  tests  description
OUT/<id>, the whole mutated file, and ids.txt, the id of every mutant there is (unsampled
generated ones too: what an entry of the equivalence table may name). Exit 0, or 2 with a message when the table is wrong (a
fixed string that does not occur exactly once, a replacement equal to it, a duplicate id, a
function that is not found): a broken table must not pass as "no mutants".

The hand table (tests/mutations.tsv): tab-separated id, file, fixed string (must occur exactly
once in the file), replacement, test commands (separated by " ; "), why it matters. In the two
strings \\n is a newline, \\t a tab and \\\\ a backslash. Blank lines and lines starting with #
are ignored.

The hot-function spec (written by mutate.sh): per line, file, tab, test commands, tab, the
function names separated by spaces. A function's body is found from its definition (a line
starting in column 0 that names it followed by '(' and does not end in ';') by brace matching.
In the body, every binary operator among < <= > >= + - * / && || == != += -= *= /= (binary:
a space before it and a space or newline after it, as clang-format writes them) outside
comments, strings, character constants, preprocessor lines and assert(...) (compiled out of
the release build: a mutant there is equivalent by construction) gives one mutant swapping it
with its partner (< and <=, > and >=, + and -, * and /, && and ||, == and !=, += and -=, *= and
/=). Their ids hash the file, the function, the stripped text of the line (and which of the
function's identical lines it is), the operator's column in that text and the swap, so they
survive edits elsewhere in the file; with --per-function N only the N smallest ids of each
function are kept (a fixed pseudo-random sample; 0 keeps all).
"""
import argparse
import hashlib
import os
import re
import sys

SWAP = {"<": "<=", "<=": "<", ">": ">=", ">=": ">", "+": "-", "-": "+", "*": "/", "/": "*",
        "&&": "||", "||": "&&", "==": "!=", "!=": "==", "+=": "-=", "-=": "+=", "*=": "/=",
        "/=": "*="}
OP_RE = re.compile(r"(?<= )(&&|\|\||==|!=|<=|>=|\+=|-=|\*=|/=|<|>|\+|-|\*|/)(?= |\n)")


class TableError(Exception):
    pass


def unescape(s):
    out, i = [], 0
    while i < len(s):
        if s[i] == "\\" and i + 1 < len(s) and s[i + 1] in "nt\\":
            out.append({"n": "\n", "t": "\t", "\\": "\\"}[s[i + 1]])
            i += 2
        else:
            out.append(s[i])
            i += 1
    return "".join(out)


def mask(text):
    """text with comments, strings, character constants and preprocessor lines blanked (same
    length, newlines kept), so that operators are looked for in code only."""
    out = list(text)
    i, n = 0, len(text)
    line_start = True
    while i < n:
        c = text[i]
        if line_start and c == "#":
            j = text.find("\n", i)
            j = n if j < 0 else j
            for k in range(i, j):
                out[k] = " "
            i = j
            continue
        if c == "\n":
            line_start = True
            i += 1
            continue
        if c not in " \t":
            line_start = False
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            for k in range(i, j):
                out[k] = " "
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            for k in range(i, j):
                if text[k] != "\n":
                    out[k] = " "
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            for k in range(i, min(j + 1, n)):
                if text[k] != "\n":
                    out[k] = " "
            i = j + 1
        else:
            i += 1
    return "".join(out)


def match_close(masked, open_at, o="{", c="}"):
    depth = 0
    for k in range(open_at, len(masked)):
        if masked[k] == o:
            depth += 1
        elif masked[k] == c:
            depth -= 1
            if depth == 0:
                return k
    raise TableError("unbalanced %s at offset %d" % (o, open_at))


def function_body(text, masked, name, path):
    """(start, end) offsets of the body of function name, braces excluded."""
    pat = re.compile(r"^[A-Za-z_][^;\n]*\b%s\(" % re.escape(name), re.M)
    for m in pat.finditer(masked):
        brace = masked.find("{", m.end())
        semi = masked.find(";", m.end())
        if brace < 0 or (0 <= semi < brace):
            continue  # a prototype
        return brace + 1, match_close(masked, brace)
    raise TableError("%s: no definition of %s()" % (path, name))


def assert_spans(masked, start, end):
    spans = []
    for m in re.finditer(r"\bassert\s*\(", masked[start:end]):
        o = start + m.end() - 1
        spans.append((start + m.start(), match_close(masked, o, "(", ")") + 1))
    return spans


def short_hash(*parts):
    return hashlib.sha1("\x1f".join(parts).encode()).hexdigest()[:6]


def generated(root, path, func, tests, per_function, all_ids):
    text = open(os.path.join(root, path)).read()
    masked = mask(text)
    start, end = function_body(text, masked, func, path)
    skip = assert_spans(masked, start, end)
    stem = os.path.splitext(os.path.basename(path))[0]
    seen_lines = {}
    muts = []
    line_no = text.count("\n", 0, start) + 1
    pos = start
    while pos < end:
        nl = text.find("\n", pos)
        nl = end if nl < 0 or nl > end else nl
        raw, mraw = text[pos:nl], masked[pos:nl] + "\n"
        stripped = raw.strip()
        lead = len(raw) - len(raw.lstrip())
        key = stripped
        seen_lines[key] = seen_lines.get(key, 0) + 1
        for m in OP_RE.finditer(mraw):
            at = pos + m.start()
            if any(a <= at < b for a, b in skip):
                continue
            op = m.group(1)
            new = SWAP[op]
            col = m.start() - lead
            mid = "g-%s-%s-%s" % (stem, func, short_hash(path, func, stripped,
                                                        str(seen_lines[key]), str(col), op, new))
            mutated = text[:at] + new + text[at + len(op):]
            new_line = stripped[:col] + new + stripped[col + len(op):]
            desc = "%s -> %s in %s(): %s" % (op, new, func, new_line)
            muts.append((mid, path, line_no, tests, desc, mutated))
        pos = nl + 1
        line_no += 1
    muts.sort(key=lambda x: x[0])
    all_ids.extend(m[0] for m in muts)
    return muts[:per_function] if per_function > 0 else muts


def hand(root, table):
    muts = []
    with open(table) as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) != 6:
                raise TableError("%s:%d: %d columns, want 6 (id, file, fixed string, "
                                 "replacement, tests, why)" % (table, n, len(cols)))
            mid, path, frm, to, tests, why = cols
            frm, to = unescape(frm), unescape(to)
            try:
                text = open(os.path.join(root, path)).read()
            except OSError as e:
                raise TableError("%s:%d: %s: %s" % (table, n, path, e.strerror))
            if mid.startswith("g-"):
                raise TableError("%s:%d: %s: ids starting g- are the generated mutants'"
                                 % (table, n, mid))
            k = text.count(frm)
            if k != 1:
                raise TableError("%s:%d: hand mutant %s: its string occurs %d times in %s, not "
                                 "once (an edit changed or copied it: update the row with the "
                                 "code): %r" % (table, n, mid, k, path, frm))
            if frm == to:
                raise TableError("%s:%d: %s: replacement equals the string" % (table, n, mid))
            if not tests.strip():
                raise TableError("%s:%d: %s: no test command" % (table, n, mid))
            at = text.index(frm)
            line_no = text.count("\n", 0, at) + 1
            muts.append((mid, path, line_no, tests.strip(), why.strip(),
                         text[:at] + to + text[at + len(frm):]))
    return muts


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("prepare")
    p.add_argument("root")
    p.add_argument("out")
    p.add_argument("--hand", required=True)
    p.add_argument("--hot", required=True)
    p.add_argument("--per-function", type=int, default=0)
    p.add_argument("--quick", action="store_true", help="hand mutants only")
    a = ap.parse_args(argv)
    all_ids = []
    try:
        muts = hand(a.root, a.hand)
        all_ids += [m[0] for m in muts]
        with open(a.hot) as f:
            for line in f:
                if not line.strip():
                    continue
                path, tests, funcs = line.rstrip("\n").split("\t")
                for fn in funcs.split():
                    gen = generated(a.root, path, fn, tests, a.per_function, all_ids)
                    if not a.quick:
                        muts += gen
        ids = set()
        for m in muts:
            if m[0] in ids:
                raise TableError("mutant id %s given twice" % m[0])
            ids.add(m[0])
    except TableError as e:
        print("mutants: %s" % e, file=sys.stderr)
        return 2
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "ids.txt"), "w") as f:
        f.write("".join(i + "\n" for i in all_ids))
    with open(os.path.join(a.out, "list.tsv"), "w") as lst:
        for mid, path, line_no, tests, desc, mutated in muts:
            with open(os.path.join(a.out, mid), "w") as f:
                f.write(mutated)
            lst.write("\t".join([mid, path, str(line_no), tests, desc.replace("\t", " ")]) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
