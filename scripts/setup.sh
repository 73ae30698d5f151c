#!/usr/bin/env bash
# setup.sh: install and fetch everything the playground needs, idempotently.
#
#   Debian packages   emscripten, doctest-dev, libsdl2-dev, CLI11, stb, Google Benchmark, chromium,
#                     cmake, ninja, npm, xvfb, clang (libFuzzer), fonttools, brotli, binaryen,
#                     libthread-pool-dev
#   third_party/      Dear ImGui and SDL2 sources from Debian's source packages (git-ignored)
#   $PP_CACHE         source tarballs and the SDL2-for-WASM builds (with and without threads),
#                     kept outside the clone
#                     so a fresh clone (CI) reuses them instead of rebuilding for 4 minutes
#   node_modules/     playwright-core and coi-serviceworker, from the committed lockfile
#
# Every step says what it did, how long it took, or that it was skipped because cached.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$ROOT/scripts/cache_dir.sh"
THIRD_PARTY="$ROOT/third_party"
SDL_WASM_PREFIX="$PP_CACHE/sdl2-wasm"
SDL_WASM_SINGLE_PREFIX="$PP_CACHE/sdl2-wasm-single"  # no -pthread: for the single-threaded fallback page
export NODE_PATH=/usr/share/nodejs   # emcc's optimizer needs acorn from here (Debian layout)

# xvfb: an X server without vsync, for the desktop app's idle figures (bench/app_idle.sh); clang and
# libclang-rt: libFuzzer, for the fuzz targets (tests/fuzz). fonttools (pyftsubset): the page's
# font cut to the glyphs the UI draws; brotli: dist/'s .br files (build-wasm.sh); binaryen
# (wasm-opt): emcc's optimizer after linking, which the page's size depends on; libthread-pool-dev:
# a work-stealing C++ thread pool, a peer of ours in bench/ (header only); clang-format: the
# format check (tests/format/check_format.sh); node-terser: the pages' JavaScript minified
# (scripts/minify_js.js).
APT_PACKAGES=(emscripten doctest-dev libsdl2-dev libcli11-dev libstb-dev libbenchmark-dev chromium cmake ninja-build dpkg-dev
              python3 fonts-dejavu-core xvfb clang libclang-rt-14-dev fonttools brotli binaryen libthread-pool-dev
              clang-format node-terser)
# A machine may already have Node.js with its own npm (Debian's npm conflicts with that build).
command -v node >/dev/null || APT_PACKAGES+=(nodejs)
command -v npm >/dev/null || APT_PACKAGES+=(npm)

step_start=0
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
step() { step_start=$(now_ms); printf '[setup] %-40s ' "$1"; }
done_step() {
  local ms=$(( $(now_ms) - step_start ))
  printf 'done (%d.%d s)%s\n' $((ms / 1000)) $((ms % 1000 / 100)) "${1:+ — $1}"
}
skip_step() { printf 'skipped (%s)\n' "$1"; }

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

mkdir -p "$PP_CACHE" "$THIRD_PARTY"

# --- 1. Debian packages --------------------------------------------------------------
step "Debian packages"
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  skip_step "all installed"
else
  printf '\n[setup]   installing: %s\n' "${missing[*]}"
  as_root apt-get update -qq
  as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  done_step
fi

# --- 2. Source packages (ImGui, SDL2) --------------------------------------------------
# apt-get source needs a deb-src entry: a copy of the system's own entries with deb-src, from
# its deb822 file (Debian 12's default) or, on systems upgraded from older releases, sources.list.
step "deb-src entry for apt-get source"
if grep -rqs '^Types:.*deb-src' /etc/apt/sources.list.d/ || grep -qs '^deb-src' /etc/apt/sources.list; then
  skip_step "present"
else
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    SRC_LIST=/etc/apt/sources.list.d/parallel-playground-src.sources
    src_entries=$(sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources)
  else
    SRC_LIST=/etc/apt/sources.list.d/parallel-playground-src.list
    src_entries=$(sed -n 's/^deb /deb-src /p' /etc/apt/sources.list 2>/dev/null || true)
  fi
  if ! grep -q 'deb-src' <<<"$src_entries"; then
    echo; echo "[setup] found no Debian package source to copy as deb-src; add a deb-src entry by hand" >&2
    exit 1
  fi
  printf '%s\n' "$src_entries" | as_root tee "$SRC_LIST" >/dev/null
  as_root apt-get update -qq
  done_step "$SRC_LIST"
fi

fetch_source() {  # fetch_source PACKAGE DEST_DIR: tarballs cached in $PP_CACHE/debsrc
  local pkg=$1 dest=$2 dsc cache="$PP_CACHE/debsrc/$1" log="$PP_CACHE/debsrc/$1.log"
  step "source: $pkg"
  if [ -f "$dest/.pp-extracted" ]; then skip_step "in ${dest#$ROOT/}"; return; fi
  local note="from cache"
  # .complete: the tarballs once extracted cleanly. Without it (a download cut short), fetch again.
  if [ ! -f "$cache/.complete" ]; then
    rm -rf "$cache"; mkdir -p "$cache"
    if ! (cd "$cache" && apt-get source --download-only -qq "$pkg") >"$log" 2>&1; then
      echo; cat "$log" >&2
      echo "[setup] apt-get source $pkg failed (above): is the package registry reachable?" >&2
      exit 1
    fi
    note="downloaded"
  fi
  dsc=$(ls "$cache"/*.dsc | head -1)
  rm -rf "$dest"; mkdir -p "$(dirname "$dest")"
  if ! dpkg-source --no-check -x "$dsc" "$dest" >"$log" 2>&1; then
    echo; cat "$log" >&2
    rm -rf "$cache"  # the next run downloads it again
    echo "[setup] could not extract $(basename "$dsc") (above); run setup.sh again to download it afresh" >&2
    exit 1
  fi
  touch "$cache/.complete" "$dest/.pp-extracted"
  done_step "$note, $(basename "$dsc")"
}
fetch_source imgui   "$THIRD_PARTY/imgui"
fetch_source libsdl2 "$PP_CACHE/src/libsdl2"

# --- 3. SDL2 for WebAssembly (built once, cached) --------------------------------------
# build_sdl2_wasm STEP_NAME PREFIX WHAT CMAKE_FLAGS...: builds and installs SDL2 from its Debian
# source with emcmake into PREFIX (log: PREFIX-build.log), unless it is there already.
# The page uses SDL2 for its window, events and GL context only: no audio, joysticks, haptics,
# sensors, battery or 2D renderer, and no software blitters (SDL_LEAN_AND_MEAN), which would
# otherwise be linked in through SDL's video driver table (playground.wasm 33 KB smaller, brotli).
SDL_WASM_PAGE_ONLY=(-DSDL_AUDIO=OFF -DSDL_RENDER=OFF -DSDL_JOYSTICK=OFF -DSDL_HAPTIC=OFF -DSDL_HIDAPI=OFF
                    -DSDL_SENSOR=OFF -DSDL_POWER=OFF)
# A build made with other flags (an older setup.sh) is made again: PREFIX/.pp-flags records them.
build_sdl2_wasm() {
  local name=$1 prefix=$2 what=$3; shift 3
  local build="$PP_CACHE/build/$(basename "$prefix")" log="$prefix-build.log" flags="$*"
  step "$name"
  if [ -f "$prefix/lib/libSDL2.a" ] && [ "$(cat "$prefix/.pp-flags" 2>/dev/null)" = "$flags" ]; then
    skip_step "cached in $prefix"; return
  fi
  printf '\n[setup]   building %s with emcmake (a few minutes, once)\n' "$what"
  # Installed beside, then swapped in: a build cut short never leaves half a library in PREFIX.
  rm -rf "$build" "$prefix.new"
  emcmake cmake -S "$PP_CACHE/src/libsdl2" -B "$build" -G Ninja \
    -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$prefix.new" -DSDL_SHARED=OFF -DSDL_STATIC=ON -DSDL_TEST=OFF \
    "$@" >"$log" 2>&1 \
    && cmake --build "$build" >>"$log" 2>&1 \
    && cmake --install "$build" >>"$log" 2>&1 \
    && echo "$flags" >"$prefix.new/.pp-flags" \
    || { echo "[setup] $what build failed; see $log" >&2; exit 1; }
  rm -rf "$prefix" && mv "$prefix.new" "$prefix"
  done_step "installed in $prefix"
}
build_sdl2_wasm "SDL2 for WASM" "$SDL_WASM_PREFIX" "SDL2" -DSDL_PTHREADS=ON "-DCMAKE_C_FLAGS=-pthread -DSDL_LEAN_AND_MEAN=1" \
  "${SDL_WASM_PAGE_ONLY[@]}"
# The fallback page (not cross-origin isolated) is built without -pthread, and objects built
# with it cannot link into that program: a second SDL2, without threads.
build_sdl2_wasm "SDL2 for WASM, single-threaded" "$SDL_WASM_SINGLE_PREFIX" "SDL2 without threads" \
  -DSDL_THREADS=OFF -DSDL_PTHREADS=OFF -DCMAKE_C_FLAGS=-DSDL_LEAN_AND_MEAN=1 "${SDL_WASM_PAGE_ONLY[@]}"

# --- 4. Browser-test packages ----------------------------------------------------------
step "npm packages (package-lock.json)"
# npm's own record of what it installed lists the same packages as the lockfile (without the root entry).
installed_matches_lockfile() {
  [ -f "$ROOT/node_modules/.package-lock.json" ] &&
    cmp -s <(sed -n '/"node_modules\//,$p' "$ROOT/package-lock.json") \
           <(sed -n '/"node_modules\//,$p' "$ROOT/node_modules/.package-lock.json")
}
if installed_matches_lockfile; then
  skip_step "node_modules matches the lockfile"
else
  (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  done_step
fi

echo "[setup] ready. cache: $PP_CACHE"
