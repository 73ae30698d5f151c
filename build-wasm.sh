#!/usr/bin/env bash
# build-wasm.sh: build the playground page into dist/, and optionally serve it.
#
#   ./build-wasm.sh                   install what is missing, then build dist/
#   ./build-wasm.sh serve [--port N]  the same, then serve dist/ on 127.0.0.1 (default port 8000)
#
# The page is the EMSCRIPTEN branch of the one CMakeLists.txt; web/ holds our own HTML. The same
# CMakeLists is configured a second time (PP_WASM_PROCESS_WORKER=ON, no -pthread) for the program
# each browser "process" runs in its own Web Worker: dist/process_worker.js/.wasm; and a third
# time (PP_WASM_COOPERATIVE=ON, no -pthread) for the page's single-threaded fallback, which the
# loader runs when the page is not cross-origin isolated: dist/playground-single.js/.wasm.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BUILD_DIR="$ROOT/build/wasm"
WORKER_BUILD_DIR="$ROOT/build/wasm-process-worker"
SINGLE_BUILD_DIR="$ROOT/build/wasm-single"
DIST_DIR="$ROOT/dist"

usage() { sed -n '3,5s/^# \{0,1\}//p' "$0"; }
fail() { echo "build-wasm.sh: $*" >&2; echo >&2; usage >&2; exit 2; }

# --- Arguments ---------------------------------------------------------------------------
serve=0
port=8000
while [ $# -gt 0 ]; do
  case "$1" in
    serve) serve=1 ;;
    --port) [ $# -ge 2 ] || fail "--port needs a number"; port=$2; shift ;;
    --port=*) port=${1#--port=} ;;
    -h|--help) usage; exit 0 ;;
    *) fail "unknown argument '$1'" ;;
  esac
  shift
done
[[ "$port" =~ ^[0-9]+$ ]] && [ "$port" -le 65535 ] || fail "--port must be a number from 0 to 65535, not '$port'"
[ "$serve" = 1 ] || [ "$port" = 8000 ] || fail "--port only makes sense with 'serve'"

# --- Build -------------------------------------------------------------------------------
"$ROOT/scripts/setup.sh"
export NODE_PATH=/usr/share/nodejs   # emcc's optimizer needs acorn from here (Debian layout)

started=$(date +%s)
mkdir -p "$ROOT/build"
source "$ROOT/scripts/cache_dir.sh"

# build_program DIR TARGET WHAT [CMAKE OPTIONS...]: configure this repository's one CMakeLists
# with emcmake in DIR (quietly, showing the log only if it fails), then build TARGET into dist/.
build_program() {
  local dir=$1 target=$2 what=$3; shift 3
  local program_started=$(date +%s)
  echo "[wasm] $what in ${dir#$ROOT/}"
  emcmake cmake -S "$ROOT" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DPP_DIST_DIR="$DIST_DIR" "$@" \
    >"$dir.configure.log" 2>&1 || { cat "$dir.configure.log" >&2; exit 1; }
  cmake --build "$dir" --target "$target"
  echo "[wasm]   built in $(( $(date +%s) - program_started )) s"
}

build_program "$BUILD_DIR" playground "the page (threads: -pthread)" -DPP_SDL2_WASM_PREFIX="$PP_CACHE/sdl2-wasm"
build_program "$WORKER_BUILD_DIR" process_worker "the process worker (no -pthread: its own memory per instance)" \
  -DPP_WASM_PROCESS_WORKER=ON
build_program "$SINGLE_BUILD_DIR" playground "the single-threaded fallback page (no -pthread: threads are fibers)" \
  -DPP_WASM_COOPERATIVE=ON -DPP_SDL2_WASM_PREFIX="$PP_CACHE/sdl2-wasm-single"

# The page: our HTML, the compiled module, and the service worker for static hosts.
cp "$ROOT"/web/* "$DIST_DIR"/
cp "$ROOT/node_modules/coi-serviceworker/coi-serviceworker.js" "$DIST_DIR"/
echo "[wasm] dist/ ready in $(( $(date +%s) - started )) s:"
for f in "$DIST_DIR"/playground.wasm "$DIST_DIR"/playground.js "$DIST_DIR"/playground.data \
         "$DIST_DIR"/process_worker.wasm "$DIST_DIR"/process_worker.js \
         "$DIST_DIR"/playground-single.wasm "$DIST_DIR"/playground-single.js; do
  printf '[wasm]   %-22s %7d KB raw, %6d KB gzip\n' "$(basename "$f")" \
    $(( $(stat -c %s "$f") / 1024 )) $(( $(gzip -9c "$f" | wc -c) / 1024 ))
done

# --- Serve -------------------------------------------------------------------------------
if [ "$serve" = 1 ]; then
  exec python3 "$ROOT/scripts/serve.py" --dir "$DIST_DIR" --port "$port"
fi
