#!/usr/bin/env bash
# bench/app_idle.sh: the desktop app left open on a lesson, untouched: its CPU use and resident
# memory, under SDL's offscreen driver and under Xvfb (an X server without vsync: its swap never
# waits). Both copies run at the same time; idle, each takes a few percent of a core.
#
#   bench/app_idle.sh [SECONDS [PLAYGROUND]]    default: 600 s, build/native/playground
#
# CPU is the app's own (utime + stime in /proc/PID/stat: all its threads, the GL driver's too),
# over SECONDS after a 5 s start-up; Xvfb's own CPU is printed beside it. Needs xvfb
# (scripts/setup.sh installs it). Prints "figure <name> <value> <unit>" lines, as bench/run.sh.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
seconds=${1:-600}
app=${2:-$ROOT/build/native/playground}
command -v Xvfb >/dev/null || { echo "app_idle.sh: Xvfb is missing: run scripts/setup.sh" >&2; exit 1; }
python3 - "$seconds" "$app" <<'PY'
import os, subprocess, sys, time
seconds, app = float(sys.argv[1]), sys.argv[2]
tick = os.sysconf("SC_CLK_TCK")

def cpu_s(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / tick  # utime, stime

def rss_mb(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024

read_end, write_end = os.pipe()
xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
                        pass_fds=[write_end], stderr=subprocess.DEVNULL)
os.close(write_end)
display = ":" + os.read(read_end, 16).decode().strip()
command = [app, "--lesson", "thread-pool"]
apps = {
    "offscreen": subprocess.Popen(command, env=dict(os.environ, SDL_VIDEODRIVER="offscreen")),
    "xvfb": subprocess.Popen(command, env=dict({k: v for k, v in os.environ.items() if k != "SDL_VIDEODRIVER"}, DISPLAY=display)),
}
try:
    time.sleep(5)
    start = {name: (cpu_s(p.pid), rss_mb(p.pid)) for name, p in apps.items()}
    xvfb_start = cpu_s(xvfb.pid)
    time.sleep(seconds)
    for name, p in apps.items():
        assert p.poll() is None, f"the app under {name} ended early"
        cpu = 100 * (cpu_s(p.pid) - start[name][0]) / seconds
        print(f"figure app_idle_cpu_{name} {cpu:.2f} %_of_one_core")
        print(f"figure app_idle_rss_start_{name} {start[name][1]:.1f} MB")
        print(f"figure app_idle_rss_end_{name} {rss_mb(p.pid):.1f} MB")
    print(f"figure app_idle_cpu_xvfb_server {100 * (cpu_s(xvfb.pid) - xvfb_start) / seconds:.2f} %_of_one_core")
finally:
    for p in apps.values():
        p.terminate()
        p.wait()
    xvfb.terminate()
    xvfb.wait()
PY
