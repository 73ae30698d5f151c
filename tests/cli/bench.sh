#!/usr/bin/env bash
# Cli.bench: `playground-cli bench` measures every model with 1..N workers, prints one table row
# per run with its speedup, shows its progress on stderr, and refuses bad flags.
exec python3 - "$1" <<'PY'
import re, subprocess, sys

cli = sys.argv[1]
failures = 0

def check(name, ok, detail=""):
    global failures
    print(("ok   " if ok else "FAIL ") + name + ("" if ok else f"\n     {detail}"))
    failures += 0 if ok else 1

p = subprocess.run([cli, "bench", "--workers", "2", "--tasks", "4", "--scale", "0.2"],
                   capture_output=True, text=True, timeout=240)
check("bench exits 0", p.returncode == 0, p.stderr)
rows = {}
for line in p.stdout.splitlines():
    m = re.match(r"^(I/O-bound|CPU-bound) +(threads, GIL on|threads, GIL off|processes) +(\d+) +([\d.]+) +([\d.]+)x$", line)
    if m: rows[(m[1], m[2], int(m[3]))] = (float(m[4]), float(m[5]))
models = ["threads, GIL on", "threads, GIL off", "processes"]
expected = {(work, model, n) for work in ("I/O-bound", "CPU-bound") for model in models for n in (1, 2)}
check("one row per work x model x workers", set(rows) == expected, p.stdout)
check("1-worker rows have speedup 1.00x", all(rows[k][1] == 1.0 for k in rows if k[2] == 1), rows)
check("speedup is the 1-worker time over this time",
      all(abs(rows[(w, m, 2)][1] - rows[(w, m, 1)][0] / rows[(w, m, 2)][0]) < 0.02
          for (w, m, n) in expected if n == 2 and (w, m, 2) in rows and (w, m, 1) in rows), rows)
# Four 0.1 s downloads: 0.4 s on 1 worker, 0.2 s on 2, in every model (waiting overlaps even with the GIL).
check("I/O-bound work overlaps on 2 workers in every model",
      all(rows.get(("I/O-bound", m, 2), (0, 0))[1] > 1.4 for m in models), rows)
check("progress reaches 12/12 runs on stderr", "12/12 runs" in p.stderr, p.stderr)

def usage_error(name, message, *args):
    p = subprocess.run([cli, "bench", *args], capture_output=True, text=True, timeout=30)
    check(f"{name} exits 2 and says: {message}", p.returncode == 2 and message in p.stderr, (p.returncode, p.stderr))

usage_error("workers=0", "--workers must be a whole number from 1 to 16, not '0'", "--workers", "0")
usage_error("unknown flag", "unknown option '--fast' for use-cases", "--fast")
usage_error("missing value", "--scale needs a value", "--scale")

print(f"{failures} failure(s)")
sys.exit(1 if failures else 0)
PY
