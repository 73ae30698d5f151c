#!/usr/bin/env bash
# Cli.granularity: `bench granularity` at a tiny size: every model at every task size that fits
# the work, with its speedup over one thread and the prediction from the overheads it measured.
PYTHONPATH="$(dirname "$0")" exec python3 - "$1" <<'PY'
import re, subprocess, sys

from cli_check import check, cli, finish

p = subprocess.run([cli, "bench", "granularity", "--workers", "2", "--scale", "0.05"], capture_output=True, text=True, timeout=240)
out = p.stdout.splitlines()
check("bench granularity exits 0", p.returncode == 0, p.stderr)
models = ["threads: CPython with the GIL (default build)", "threads: free-threaded CPython 3.13t/3.14t, or C++",
          "processes, chunksize 1"]
rows = {}
for line in out:
    m = re.match(r"^ *(\d+ [um]s) x (\d+) +(.+?) +([\d.]+) s  speedup +([\d.]+)x \(([\d.]+)-([\d.]+)\), predicted +([\d.]+)x", line)
    if m: rows[(m[1], m[3])] = (int(m[2]), float(m[5]), float(m[6]), float(m[7]), float(m[8]))
# 20 ms of work: tasks of 10 us (2000 of them) to 10 ms (2); 100 ms tasks do not fit.
for size, count in [("10 us", 2000), ("100 us", 200), ("1 ms", 20), ("10 ms", 2)]:
    for model in models:
        check(f"{size}: {model}", (size, model) in rows and rows[(size, model)][0] == count, sorted(rows))
check("no 100 ms tasks in 20 ms of work", not any(size == "100 ms" for size, _ in rows), sorted(rows))
check("chunks where there are enough tasks", ("10 us", "processes, in chunks") in rows, sorted(rows))
check("each speedup lies in its range", all(r[2] <= r[1] <= r[3] for r in rows.values()), rows)
check("predictions: the GIL's never above 1x, the others' at most 2 workers' worth",
      all(r[4] <= 1.0001 for (s, m), r in rows.items() if "with the GIL" in m) and all(r[4] <= 2.0001 for r in rows.values()), rows)
for what in ["start a pool: threads", "start a pool: processes", "one task's round trip: processes", "a task in a batch: processes"]:
    check(f"overhead measured: {what}", any(re.match(rf"^  {re.escape(what)} +[\d.]+ us", l) for l in out), out[:14])
check("says where each model pays off", "Where each model pays off (a speedup of 1x or more), by task size:" in out, out[-6:])

p = subprocess.run([cli, "bench", "granularity", "--experiment", "table"], capture_output=True, text=True, timeout=30)
check("bench granularity refuses --experiment", p.returncode == 2, p.stderr)
finish()
PY
