#!/usr/bin/env bash
# Cli.explore: `explore` counts every interleaving of the counter race and names a schedule for
# each outcome; `run --schedule` replays one exactly, `run --seed` draws one that can be replayed.
PYTHONPATH="$(dirname "$0")" exec python3 - "$1" <<'PY'
import re, subprocess, sys

from cli_check import check, cli, finish

def run(*args):
    p = subprocess.run([cli, *args], capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout.splitlines(), p.stderr

def outcomes(lines):  # {"counter = 1": (count, of, schedule)}
    found = {}
    for i, line in enumerate(lines):
        m = re.match(r"^(counter = \d+): (\d+) of (\d+) schedules$", line)
        if m and i + 1 < len(lines) and lines[i + 1].startswith("  schedule: "):
            found[m[1]] = (int(m[2]), int(m[3]), lines[i + 1].split(": ", 1)[1])
    return found

race = ["--workers", "2", "--increments", "1"]
code, out, err = run("explore", "thread", *race, "--lock", "without")
found = outcomes(out)
check("2 threads, 1 increment, no lock: 6 schedules, counter 1 in 4 and 2 in 2",
      code == 0 and {k: v[:2] for k, v in found.items()} == {"counter = 1": (4, 6), "counter = 2": (2, 6)}, out + [err])

code, out, err = run("explore", "thread", *race, "--lock", "with")
found_locked = outcomes(out)
check("with the lock: 2 schedules, both end at 2",
      code == 0 and {k: v[:2] for k, v in found_locked.items()} == {"counter = 2": (2, 2)}, out + [err])

for outcome, (_, _, schedule) in found.items():
    runs = [run("run", "thread", *race, "--lock", "without", "--schedule", schedule) for _ in range(2)]
    final = [r[1][-1] if r[1] else "" for r in runs]
    counted = re.search(r"(\d+) of 2 increments", final[0])
    check(f"--schedule {schedule} replays {outcome}, twice alike",
          all(r[0] == 0 for r in runs) and counted and f"counter = {counted[1]}" == outcome and final[0] == final[1]
          and f"(schedule: {schedule};" in runs[0][2], [r[1:] for r in runs])

code, out, err = run("explore", "thread", "--workers", "3", "--increments", "1", "--lock", "without")
three = outcomes(out)
check("3 threads: 6!/(2!2!2!) = 90 schedules",
      code == 0 and sum(v[0] for v in three.values()) == 90 and all(v[1] == 90 for v in three.values()), out)

# The same steps give the same output, but for the addresses the system hands out.
same = lambda lines: [re.sub(r"0x[0-9a-f]+", "ADDR", line) for line in lines]
seeded = [run("run", "thread", *race, "--lock", "without", "--seed", "42") for _ in range(2)]
schedules = [re.search(r"\(schedule: (\w*);", r[2]) for r in seeded]
check("--seed draws the same schedule twice, and says which", all(schedules) and schedules[0][1] == schedules[1][1] and
      same(seeded[0][1]) == same(seeded[1][1]), [r[2] for r in seeded])

for args, message in [(["run", "thread", "--schedule", "01x!"], "--schedule: '!' at position 4 is not a thread"),
                      (["run", "program", "--schedule", "0"], "program cannot be stepped"),
                      (["explore", "use-cases"], "use-cases cannot be explored"),
                      (["run", "thread", "--schedule", "0", "--seed", "1"], "--schedule or --seed, not both")]:
    code, _, err = run(*args)
    check(f"refused with exit 2: {' '.join(args)}", code == 2 and message in err, (code, err))

finish()
PY
