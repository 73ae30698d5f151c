#!/usr/bin/env bash
# App.process_panel_smoke: the desktop app's process panel (its state, as the Processes tab shows
# it) lists the real fork()ed children of the process-pool lesson: real pids other than the app's,
# each with its own copy of g_squared at the same address as the parent's (fork copies the address
# space), which stays 0; all exited cleanly and reaped once the app has ended.
set -euo pipefail
app=${1:?usage: process_panel_smoke.sh PATH/TO/playground}
python3 - "$app" <<'PY'
import json, os, subprocess, sys
env = dict(os.environ, SDL_VIDEODRIVER=os.environ.get("SDL_VIDEODRIVER", "offscreen"))
app = subprocess.Popen([sys.argv[1], "--lesson", "process-pool", "--workers", "3", "--tasks", "6", "--scale", "0.05",
                        "--autorun", "--smoke-test"], stdout=subprocess.PIPE, env=env, text=True)
out, _ = app.communicate(timeout=100)
assert app.returncode == 0, app.returncode
state = json.loads(out)
assert state["lesson"]["state"] == "done", state["lesson"]["error"]
me, *children = state["processes"]
assert me["self"] and me["pid"] == app.pid, (me, app.pid)
assert [(v["name"], v["value"]) for v in me["variables"]] == [("g_squared", 0)], me["variables"]
assert len(children) == 3, children
pids = [c["pid"] for c in children]
assert len(set(pids)) == 3 and app.pid not in pids, pids
for c in children:
    assert c["name"].startswith("ForkProcess-"), c
    assert (c["state"], c["how"]) == ("exited", "exited with code 0"), c
    [variable] = c["variables"]
    assert variable["value"] == c["tasks_done"], c  # its own copy counted its own tasks only
    assert variable["address"] == me["variables"][0]["address"], (variable, me["variables"])
    assert c["messages_sent"] == c["tasks_done"] + 1, c  # its tasks, then Stop
assert sum(c["tasks_done"] for c in children) == 6, children
for pid in pids:
    assert not os.path.exists(f"/proc/{pid}"), f"worker {pid} was not reaped"
print(f"ok: children {pids} of app {app.pid}, tasks {[c['tasks_done'] for c in children]}")
PY
