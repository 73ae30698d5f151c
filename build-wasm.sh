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
#
# What the page fetches before its first frame is kept small: the UI's font is cut to the glyphs
# the UI draws (pyftsubset), and every large file in dist/ gets a .br and a .gz beside it, which
# scripts/serve.py (and a static host set up as the README says) sends to browsers that take them.
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

# The UI's font, cut to printable ASCII and Latin-1 (a setting typed with an accent is echoed as
# typed) plus every other character in src/ (the UI's own text: "↗", "▾"), so no glyph the UI
# draws is lost: about 1/40 of DejaVu Sans Mono. ImGui loads what the font has of kGlyphs
# (src/platform/window_sdl.cpp). No hinting: stb_truetype ignores it. Replaced only when its
# bytes change, so an unchanged font does not relink the pages.
FONT_SOURCE=/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf
UI_FONT="$ROOT/build/font/DejaVuSansMono-ui.ttf"
subset_font() {
  mkdir -p "$(dirname "$UI_FONT")"
  # Python reads src/ as UTF-8 whatever the locale (CI's may be C), and lists each other character.
  local unicodes="U+0020-007E,U+00A0-00FF"
  unicodes+=$(python3 -c 'import pathlib, sys
chars = {c for p in pathlib.Path(sys.argv[1]).rglob("*") if p.is_file() for c in p.read_text("utf-8") if ord(c) > 0x7E}
print("".join(",U+%04X" % ord(c) for c in sorted(chars)))' "$ROOT/src")
  pyftsubset "$FONT_SOURCE" --unicodes="$unicodes" --no-hinting --desubroutinize --layout-features='' \
    --output-file="$UI_FONT.new"
  if cmp -s "$UI_FONT.new" "$UI_FONT"; then rm "$UI_FONT.new"; else mv "$UI_FONT.new" "$UI_FONT"; fi
  echo "[wasm] UI font: $(( $(stat -c %s "$UI_FONT") / 1024 )) KB of $(( $(stat -c %s "$FONT_SOURCE") / 1024 )) KB ($unicodes)"
}
subset_font

build_program "$BUILD_DIR" playground "the page (threads: -pthread)" -DPP_SDL2_WASM_PREFIX="$PP_CACHE/sdl2-wasm" \
  -DPP_UI_FONT="$UI_FONT"
build_program "$WORKER_BUILD_DIR" process_worker "the process worker (no -pthread: its own memory per instance)" \
  -DPP_WASM_PROCESS_WORKER=ON
build_program "$SINGLE_BUILD_DIR" playground "the single-threaded fallback page (no -pthread: threads are fibers)" \
  -DPP_WASM_COOPERATIVE=ON -DPP_SDL2_WASM_PREFIX="$PP_CACHE/sdl2-wasm-single" -DPP_UI_FONT="$UI_FONT"

# The page: our HTML, the compiled module, and the service worker for static hosts.
rm -f "$DIST_DIR"/*.data "$DIST_DIR"/*.data.br "$DIST_DIR"/*.data.gz  # the font was a file before it was embedded
cp "$ROOT"/web/* "$DIST_DIR"/
cp "$ROOT/node_modules/coi-serviceworker/coi-serviceworker.js" "$DIST_DIR"/
# The programs' JavaScript is minified when they link (CMakeLists, pp_minify_js); ours here.
node "$ROOT/scripts/minify_js.js" "$DIST_DIR"/playground-loader.js "$DIST_DIR"/playground-semantics.js \
  "$DIST_DIR"/process-worker.js "$DIST_DIR"/coi-serviceworker.js

# Precompressed siblings: FILE.br (brotli, best) and FILE.gz (gzip -9, no name or time in it),
# remade only when FILE is newer. serve.py uses a sibling only if it is not older than FILE, so
# they are written through stdout: both tools would give the sibling FILE's own time (brotli in
# whole seconds, which is older).
compress_dist() {
  local f
  for f in "$DIST_DIR"/*.wasm "$DIST_DIR"/*.js "$DIST_DIR"/*.html "$DIST_DIR"/*.css; do
    [ -f "$f" ] || continue
    [ "$f.gz" -nt "$f" ] || gzip -9 -n -c "$f" >"$f.gz"
    [ "$f.br" -nt "$f" ] || brotli -q 11 -c "$f" >"$f.br"
  done
}
compress_dist

echo "[wasm] dist/ ready in $(( $(date +%s) - started )) s:"
# What the threaded page fetches before its first frame (the process worker and the fallback
# page come later, or never; coi-serviceworker.js only where the page is not isolated), as
# served: raw, gzip, brotli. KB here are 1024 bytes; the total's brotli bytes are exact.
kb() { echo $(( ($1 + 512) / 1024 )); }
total_raw=0 total_gz=0 total_br=0
for name in index.html playground.css playground-semantics.js playground-loader.js playground.js \
            playground.worker.js playground.wasm; do
  f="$DIST_DIR/$name"
  [ -f "$f" ] || continue
  raw=$(stat -c %s "$f") gz=$(stat -c %s "$f.gz") br=$(stat -c %s "$f.br")
  total_raw=$((total_raw + raw)) total_gz=$((total_gz + gz)) total_br=$((total_br + br))
  printf '[wasm]   %-22s %7d KB raw, %6d KB gzip, %6d KB brotli\n' "$name" "$(kb $raw)" "$(kb $gz)" "$(kb $br)"
done
printf '[wasm]   %-22s %7d KB raw, %6d KB gzip, %6d KB brotli (%d bytes)\n' "before the first frame" \
  "$(kb $total_raw)" "$(kb $total_gz)" "$(kb $total_br)" "$total_br"
for name in process_worker.wasm process_worker.js playground-single.wasm playground-single.js; do
  f="$DIST_DIR/$name"
  printf '[wasm]   %-22s %7d KB raw, %6d KB gzip, %6d KB brotli (later)\n' "$name" \
    "$(kb $(stat -c %s "$f"))" "$(kb $(stat -c %s "$f.gz"))" "$(kb $(stat -c %s "$f.br"))"
done

# --- Serve -------------------------------------------------------------------------------
if [ "$serve" = 1 ]; then
  exec python3 "$ROOT/scripts/serve.py" --dir "$DIST_DIR" --port "$port"
fi
