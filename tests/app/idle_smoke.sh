#!/usr/bin/env bash
# App.idle_smoke: the desktop app, left open on a lesson, sleeps; then it runs the lesson at 60
# frames a second at most, and its memory stays where it was. SDL's offscreen driver has no vsync
# (its swap never waits), so only the app's own frame cap and idle wait hold it back. The app
# measures itself (--smoke-test's "usage": frames, the process's CPU time, resident memory) at
# start-up, when the run starts after --idle's 5 s, and at the end.
# LP_NUM_THREADS=0: Mesa's software rasterizer draws on the app's thread. With its own threads, on a
# busy machine it keeps more frames in flight, and the memory of each (up to ~70 MB, measured with
# heaptrack: all of it inside swrast_dri.so) stays in its pool: bounded, but not the app's to check.
set -euo pipefail
app=${1:?usage: idle_smoke.sh PATH/TO/playground}
state=$(LP_NUM_THREADS=0 SDL_VIDEODRIVER=${SDL_VIDEODRIVER:-offscreen} "$app" --lesson thread-pool --autorun --idle 5 --smoke-test)
python3 - "$state" <<'PY'
import json, sys
state = json.loads(sys.argv[1])
lesson, usage = state["lesson"], state["usage"]
assert lesson["state"] == "done", (lesson["state"], lesson["error"])
startup, run_start, end = usage["startup"], usage["run_start"], usage["end"]

def rate(a, b, key):
    return (b[key] - a[key]) / (b["at_s"] - a["at_s"])

idle_s = run_start["at_s"] - startup["at_s"]
assert idle_s >= 5, idle_s
idle_fps, run_fps, all_fps = rate(startup, run_start, "frames"), rate(run_start, end, "frames"), rate(startup, end, "frames")
idle_cpu = 100 * rate(startup, run_start, "cpu_s")
report = (f"idle {idle_s:.1f} s: {idle_fps:.1f} frames/s, {idle_cpu:.1f} % of one core; "
          f"run {end['at_s'] - run_start['at_s']:.1f} s: {run_fps:.1f} frames/s, UI thread {lesson['ui_cpu_percent']} % of one core; "
          f"RSS {startup['rss_mb']:.0f} -> {end['rss_mb']:.0f} MB")
assert max(idle_fps, run_fps, all_fps) < 70, report
assert idle_fps <= 5, "a still window sleeps until input: " + report  # the first input's frames, then 1 a second
assert run_fps >= 5, "a running lesson's timeline is live: " + report
assert idle_cpu <= 10, report
assert abs(end["rss_mb"] - startup["rss_mb"]) <= 50, report
assert isinstance(lesson["ui_cpu_percent"], float) and 0 <= lesson["ui_cpu_percent"] <= 100, report
print("ok: " + report)
PY
