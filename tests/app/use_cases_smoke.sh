#!/usr/bin/env bash
# App.use_cases_smoke: the desktop app runs the use-case experiment with real threads and real
# fork()ed processes, compiles the GL 3.3 tile shader (shaders/gl330), and fills the image.
set -euo pipefail
app=${1:?usage: use_cases_smoke.sh PATH/TO/playground}
# The state is larger than one command-line argument may be: it goes through a file.
state=$(mktemp)
trap 'rm -f "$state"' EXIT
SDL_VIDEODRIVER=${SDL_VIDEODRIVER:-offscreen} "$app" --lesson use-cases --scale 0.02 --workers 2 --tasks 2 \
    --autorun --smoke-test >"$state"
python3 - "$state" <<'PY'
import json, sys
lesson = json.load(open(sys.argv[1]))["lesson"]
assert lesson["state"] == "done", (lesson["state"], lesson["error"])
series = {m[0] for m in lesson["measurements"]}
# Every point: a median of 3 runs after a warm-up, with its range: [series, workers, median, min, max, [runs]].
assert all(len(m[5]) == 3 and m[3] <= m[2] <= m[4] for m in lesson["measurements"]), lesson["measurements"]
assert lesson["cores"] >= 1, lesson["cores"]
assert series == {f"{work}: {model}" for work in ("I/O-bound", "CPU-bound")
                  for model in ("threads: CPython with the GIL (default build)",
                                "threads: free-threaded CPython 3.13t/3.14t, or C++", "processes")}, series
assert lesson["image"] == {"ready": True, "error": ""}, lesson["image"]
tiles = lesson["tiles"]
assert tiles["done"] == tiles["total"] == 16 * 12, tiles
# The last run was the processes' run: its tiles came from two real, different pids.
assert len(tiles["workers"]) == 2 and all(w.startswith("pid ") for w in tiles["workers"]), tiles["workers"]
print(f"ok: {len(lesson['measurements'])} measurements, shader ready, tiles by {tiles['workers']}")
PY
