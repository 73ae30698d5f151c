#!/usr/bin/env bash
# App.first_threads_smoke: the real desktop app (SDL2 + OpenGL + ImGui) renders frames, starts
# four threads from its UI code and reports their results. SDL's offscreen driver stands in for
# a display, so this runs on a headless machine.
set -euo pipefail
app=${1:?usage: first_threads_smoke.sh PATH/TO/playground}

state=$(SDL_VIDEODRIVER=${SDL_VIDEODRIVER:-offscreen} "$app" --smoke-test)
python3 - "$state" <<'PY'
import json, sys
state = json.loads(sys.argv[1])
run = state["first_threads"]
assert state["frame"] > 1, "the app rendered frames"
assert "start_threads" in state["widgets"], "the Start button was drawn"
assert run["phase"] == "done", run["phase"]
assert len(run["threads"]) == 4 and all(t["finished"] for t in run["threads"])
assert len({t["thread_id"] for t in run["threads"]}) == 4, "four different threads"
# An independent count: a sieve, not the app's trial division.
limit = run["limit"]
sieve = bytearray([1]) * limit
sieve[0:2] = b"\0\0"
for i in range(2, int(limit ** 0.5) + 1):
    if sieve[i]:
        sieve[i * i::i] = bytearray(len(range(i * i, limit, i)))
assert run["total_primes"] == sum(sieve), (run["total_primes"], sum(sieve))
print(f"ok: {state['frame']} frames, 4 threads, {run['total_primes']} primes below {limit}")
PY

# Bad flags get a clear message and exit code 2.
err=$(mktemp); trap 'rm -f "$err"' EXIT
if "$app" --frobnicate 2>"$err"; then echo "an unknown flag was accepted"; exit 1; fi
grep -q "unknown setting 'frobnicate'" "$err"
