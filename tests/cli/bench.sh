#!/usr/bin/env bash
# Cli.bench: `playground-cli bench` measures every model with 1..N workers, prints one table row
# per point (the median of 3 runs after a warm-up, with its range) with its speedup, names the
# core count, shows its progress on stderr, refuses bad flags, and wants --yes for a long run.
PYTHONPATH="$(dirname "$0")" exec python3 - "$1" <<'PY'
import os, re, subprocess, sys

from cli_check import TIMEOUT_SCALE, check, cli, finish

p = subprocess.run([cli, "bench", "--workers", "2", "--tasks", "4", "--scale", "0.4"],
                   capture_output=True, text=True, timeout=240 * TIMEOUT_SCALE)
check("bench exits 0", p.returncode == 0, p.stderr)
rows = {}
row = (r"^(I/O-bound|CPU-bound) +(threads: CPython with the GIL \(default build\)|threads: free-threaded CPython 3\.13t/3\.14t, or C\+\+|processes) +(\d+) +([\d.]+) +([\d.]+)-([\d.]+)"
       r" +([\d.]+)x +([\d.]+)-([\d.]+)x( +!)?$")
for line in p.stdout.splitlines():
    m = re.match(row, line)
    if m: rows[(m[1], m[2], int(m[3]))] = (float(m[4]), float(m[7]), float(m[5]), float(m[6]), float(m[8]), float(m[9]))
cores = re.search(r"on (\d+) cores", p.stdout)
check("the header names the core count", cores is not None and int(cores[1]) >= 1, p.stdout[:300])
models = ["threads: CPython with the GIL (default build)", "threads: free-threaded CPython 3.13t/3.14t, or C++", "processes"]
expected = {(work, model, n) for work in ("I/O-bound", "CPU-bound") for model in models for n in (1, 2)}
check("one row per work x model x workers", set(rows) == expected, p.stdout)
check("1-worker rows have speedup 1.00x", all(rows[k][1] == 1.0 for k in rows if k[2] == 1), rows)
# The table prints seconds to 3 decimals and speedups to 2, so a ratio recomputed from it is off by
# at most what that rounding allows: half a unit of each figure's last printed digit.
def ratio_matches(printed, top, bottom):
    rounding = (top / bottom) * (0.0005 / top + 0.0005 / bottom) + 0.005
    return abs(printed - top / bottom) <= rounding + 1e-9
check("speedup is the 1-worker median over this median",
      all(ratio_matches(rows[(w, m, 2)][1], rows[(w, m, 1)][0], rows[(w, m, 2)][0])
          for (w, m, n) in expected if n == 2 and (w, m, 2) in rows and (w, m, 1) in rows), rows)
check("every median lies within its range, and every speedup within its own",
      all(r[2] <= r[0] <= r[3] and r[4] <= r[1] <= r[5] for r in rows.values()), rows)
check("the speedup range is the widest the runs allow: 1-worker min/max over this max/min",
      all(ratio_matches(rows[(w, m, 2)][4], rows[(w, m, 1)][2], rows[(w, m, 2)][3]) and
          ratio_matches(rows[(w, m, 2)][5], rows[(w, m, 1)][3], rows[(w, m, 2)][2])
          for (w, m, n) in expected if n == 2 and (w, m, 2) in rows and (w, m, 1) in rows), rows)
# Four 0.2 s downloads: 0.8 s on 1 worker, 0.4 s on 2, in every model (waiting overlaps even with the GIL).
check("I/O-bound work overlaps on 2 workers in every model",
      all(rows.get(("I/O-bound", m, 2), (0, 0))[1] > 1.3 for m in models), rows)
check("progress reaches 12/12 runs on stderr", "12/12 runs" in p.stderr, p.stderr)

def usage_error(name, message, *args):
    p = subprocess.run([cli, "bench", *args], capture_output=True, text=True, timeout=30 * TIMEOUT_SCALE)
    check(f"{name} exits 2 and says: {message}", p.returncode == 2 and message in p.stderr, (p.returncode, p.stderr))

usage_error("workers=0", "--workers must be a whole number from 1 to 16, not '0'", "--workers", "0")
usage_error("unknown flag", "unknown option '--fast' for use-cases", "--fast")
usage_error("missing value", "--scale needs a value", "--scale")
# The issue's example: about 3.7 hours. Refused before anything runs, and says how to go ahead.
usage_error("a run of hours without --yes", "Add --yes to run it anyway",
            "--workers", "16", "--tasks", "64", "--sleep", "10", "--scale", "2")

finish()
PY
