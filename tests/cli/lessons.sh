#!/usr/bin/env bash
# Cli.lessons: every lesson runs from the command line and prints what the tutorial's program
# prints (exactly, where the tutorial's output is deterministic); --trace writes a valid Chrome
# trace; bad flags are refused with exit code 2.
PYTHONPATH="$(dirname "$0")" exec python3 - "$1" <<'PY'
import json, os, re, subprocess, sys, tempfile, time

from cli_check import TIMEOUT_SCALE, check, cli, finish

def run(*args, timeout=120):
    p = subprocess.run([cli, *args], capture_output=True, text=True, timeout=timeout * TIMEOUT_SCALE)
    return p.returncode, p.stdout.splitlines(), p.stderr

code, out, _ = run("list")
ids = [line.split()[0] for line in out]
check("list names all ten lessons in order", ids[:10] == ["program", "process", "thread", "start-join", "multithreading",
      "multiprocessing", "thread-pool", "process-pool", "use-cases", "takeaways"], ids)

code, out, err = run("run", "thread-pool", "--scale", "0.05")
check("thread-pool prints Number: 1..5 in input order", code == 0 and out == [f"Number: {n}" for n in range(1, 6)], out + [err])

code, out, _ = run("run", "process-pool", "--scale", "0.05")
check("process-pool prints the squares in input order", code == 0 and out == ["1", "4", "9", "16", "25"], out)

started = time.monotonic()
code, out, _ = run("run", "thread-pool", "--scale", "0.1", "--sleep", "3", "--tasks", "3")
took = time.monotonic() - started
check("thread-pool follows --sleep: 3 tasks of 3 x 0.1 s on 3 workers take ~0.3 s", code == 0 and 0.25 < took < 2.5, took)

code, out, _ = run("run", "process-pool", "--scale", "0.05", "--workers", "2", "--tasks", "7")
check("process-pool follows --workers and --tasks", out == [str(n * n) for n in range(1, 8)], out)

code, out, _ = run("run", "multithreading", "--scale", "0.05")
pairs_ok = len(out) == 9 and all(sorted(out[2 * k:2 * k + 2]) == sorted([str(k), "ABCD"[k]]) for k in range(4)) and out[8] == "4"
check("multithreading interleaves numbers and letters", code == 0 and pairs_ok, out)

# Each child's line reaches stdout when the child prints it, not when it ends (as a Python
# child's does on the terminal it shares with its parent): square prints every 0.5 s here and
# cube every 0.75 s, so 0 and 0 come at once and 64 last, 3 s in.
proc = subprocess.Popen([cli, "run", "multiprocessing", "--scale", "0.5"], stdout=subprocess.PIPE, text=True, bufsize=1)
started = time.monotonic()
arrivals = [(time.monotonic() - started, line.strip()) for line in proc.stdout]
proc.wait(timeout=30)
check("multiprocessing: the children's first two lines arrive within 0.5 s of the start",
      len(arrivals) == 10 and [t for t, _ in arrivals[:2]] and max(t for t, _ in arrivals[:2]) < 0.5, arrivals)
check("multiprocessing: the last line arrives after at least 3 s, as it is printed",
      len(arrivals) == 10 and arrivals[-1][0] >= 3.0 and arrivals[-1][1] == "64", arrivals)
check("multiprocessing: lines arrive spread over the run, not all at its end",
      len(arrivals) == 10 and arrivals[-1][0] - arrivals[0][0] >= 2.5, arrivals)

# The same run, in arrival order: square prints at 0, 0.5, 1, 1.5, 2 s; cube at 0, 0.75, 1.5,
# 2.25, 3 s (8 and 9 tie at 1.5 s). Neighbours are at least 0.25 s apart, so a child that starts
# late on a busy machine does not reorder them.
out = [line for _, line in arrivals]
ok = proc.returncode == 0 and out[:5] == ["0", "0", "1", "1", "4"] and sorted(out[5:7]) == ["8", "9"] and out[7:] == ["16", "27", "64"]
check("multiprocessing interleaves square and cube by time", ok, out)

code, out, _ = run("run", "process")
parent = re.match(r"parent: I am process (\d+); counter = 0", out[0]) if out else None
child = re.match(r"child:  I am process (\d+); I added 5, so my counter = 5", out[1]) if len(out) > 1 else None
check("process: the child is another process", bool(parent and child and parent[1] != child[1]), out)
check("process: the parent's counter is unchanged", len(out) > 2 and out[2] == "parent: my counter is still 0: separate memory", out)

code, out, _ = run("run", "start-join", "--scale", "0.05")
check("start-join: join() returns last", code == 0 and out[0] == "main: calling start()" and
      out[-1] == "main: join() returned; the worker is done" and
      out.index("main: calling join()") < out.index("worker: finished"), out)

code, out, _ = run("run", "thread", "--workers", "4")
check("thread: the lock loses nothing", "With a lock:    80000 of 80000 increments counted (0 lost)" in out, out)

code, out, _ = run("run", "use-cases", "--scale", "0.02", "--workers", "2", "--tasks", "2")
models = ["threads: CPython with the GIL (default build)", "threads: free-threaded CPython 3.13t/3.14t, or C++", "processes"]
expected = [f"{work}: {model}" for work in ("I/O-bound", "CPU-bound") for model in models]
point = r" +{n} workers? ?: +([\d.]+) s  \(([\d.]+) to ([\d.]+), 3 runs\)$"
points = [re.match(re.escape(name) + point.format(n=n), line) for name in expected for n in (1, 2) for line in out]
points = [p for p in points if p]
check("use-cases measures every model with 1 and 2 workers, each the median of 3 runs with its range",
      code == 0 and len(points) == 12 and all(float(p[2]) <= float(p[1]) <= float(p[3]) for p in points), out)
check("use-cases prints the speedups", any(line.startswith("Speedup over 1 worker") for line in out), out)
check("use-cases says how many cores the machine has", any(re.match(r"This machine runs \d+ threads at once", l) for l in out), out)

with tempfile.TemporaryDirectory() as folder:
    path = os.path.join(folder, "trace.json")
    code, out, _ = run("run", "thread-pool", "--scale", "0.02", "--trace", path)
    try:
        events = json.load(open(path))["traceEvents"]
        names = {e.get("args", {}).get("name") for e in events if e.get("ph") == "M"}
        runs = [e for e in events if e.get("ph") == "X" and e.get("cat") == "TaskRun"]
        check("--trace writes Chrome trace JSON with the pool's lanes and tasks",
              {"MainThread", "ThreadPoolExecutor-0_0"} <= names and len(runs) >= 6, (names, len(runs)))
    except Exception as error:
        check("--trace writes Chrome trace JSON", False, repr(error))

for args, message in [(["run", "thread-pool", "--workers", "0"], "--workers must be a whole number from 1 to 16, not '0'"),
                      (["run", "thread-pool", "--scale", "fast"], "--scale must be a number from 0.01 to 2, not 'fast'"),
                      (["run", "thread-pool", "--gil", "2"], "--gil must be 0 or 1, not '2'"),
                      (["run", "thread-pool", "--sleep", "60"], "--sleep must be a number of seconds from 0.1 to 10, not '60'"),
                      (["run", "thread-pool", "--frobnicate", "1"], "unknown option '--frobnicate' for thread-pool"),
                      (["run", "thread", "--scale", "0.5"], "thread does not use --scale (it uses --workers, --gil, --switch-interval, --increments, --lock)"),
                      (["run", "program", "--workers", "5"], "program does not use --workers (it takes no settings)"),
                      (["run", "thread-pool", "--trace", "/no-such-folder/trace.json"],
                       "--trace: cannot write to '/no-such-folder/trace.json'"),
                      (["run", "no-such-lesson"], "no lesson named 'no-such-lesson'"),
                      # One rule for numbers, and the message quotes what was typed.
                      (["run", "thread-pool", "--workers", "-9223372036854775808"],
                       "--workers must be a whole number from 1 to 16, not '-9223372036854775808'"),
                      (["run", "thread-pool", "--workers", " 3"], "--workers must be a whole number from 1 to 16, not ' 3'"),
                      (["run", "thread-pool", "--workers", "3 "], "--workers must be a whole number from 1 to 16, not '3 '")]:
    code, _, err = run(*args)
    check(f"refused with exit 2: {' '.join(args)}", code == 2 and message in err, (code, err))

finish()
PY
