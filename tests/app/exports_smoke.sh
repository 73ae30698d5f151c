#!/usr/bin/env bash
# App.exports_smoke: the desktop app's exports (--export DIR, the Export menu's three files) after
# a real run, in the compact embed layout: a Chrome trace with the lesson's tasks, a PNG of the
# timeline read back from OpenGL (decoded here with Python's zlib, CRCs checked), and the console.
set -euo pipefail
app=${1:?usage: exports_smoke.sh PATH/TO/playground}
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT

SDL_VIDEODRIVER=${SDL_VIDEODRIVER:-offscreen} "$app" --lesson thread-pool --workers 3 --tasks 5 --scale 0.05 --embed \
  --autorun --export "$dir" --smoke-test >"$dir/state.json" 2>"$dir/stderr.txt"
python3 - "$dir" <<'PY'
import json, os, struct, sys, zlib
folder = sys.argv[1]
state = json.load(open(os.path.join(folder, "state.json")))
assert state["lesson"]["state"] == "done", state["lesson"]["state"]
assert "open_full" in state["widgets"] and "share" not in state["widgets"], "the compact layout"
stderr = open(os.path.join(folder, "stderr.txt")).read()
for name in ("trace.json", "timeline.png", "console.txt"):
    path = os.path.join(folder, "thread-pool-" + name)
    assert f"playground: wrote {os.path.realpath(path)}" in stderr or f"playground: wrote {path}" in stderr, stderr

events = json.load(open(os.path.join(folder, "thread-pool-trace.json")))["traceEvents"]
tasks = sorted(e["args"]["detail"] for e in events if e["ph"] == "X" and e["cat"] == "TaskRun" and e["name"] == "task")
assert tasks == ["1", "2", "3", "4", "5"], tasks
assert all({"ph", "pid", "tid"} <= e.keys() and (e["ph"] == "M" or "ts" in e) for e in events)

png = open(os.path.join(folder, "thread-pool-timeline.png"), "rb").read()
assert png[:8] == b"\x89PNG\r\n\x1a\n"
at, chunks = 8, []
while at < len(png):
    length, kind = struct.unpack(">I4s", png[at:at + 8])
    data = png[at + 8:at + 8 + length]
    (crc,) = struct.unpack(">I", png[at + 8 + length:at + 12 + length])
    assert crc == zlib.crc32(kind + data), f"CRC of {kind}"
    chunks.append((kind, data))
    at += 12 + length
assert [k for k, _ in chunks][0] == b"IHDR" and chunks[-1][0] == b"IEND"
width, height, depth, colour = struct.unpack(">IIBB", chunks[0][1][:10])
assert (depth, colour) == (8, 6), (depth, colour)
raw = zlib.decompress(b"".join(d for k, d in chunks if k == b"IDAT"))  # checks Adler-32
assert len(raw) == height * (1 + 4 * width)
assert width >= 200 and height >= 60, (width, height)
colours = {raw[y * (1 + 4 * width) + 1 + 4 * x:][:4] for y in range(0, height, 2) for x in range(0, width, 2)}
assert len(colours) >= 4, f"the picture shows something: {len(colours)} colours"

lines = open(os.path.join(folder, "thread-pool-console.txt")).read().splitlines()
assert lines[1].startswith("# settings: lesson=thread-pool&workers=3&tasks=5&scale=0.05"), lines[1]
assert [l.split(" s  ", 1)[1] for l in lines[2:]] == [f"Number: {n}" for n in range(1, 6)], lines
print(f"ok: trace with 5 tasks, {width}x{height} PNG ({len(png)} bytes, {len(colours)} colours), console")
PY
