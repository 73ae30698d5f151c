#!/usr/bin/env bash
# test.sh: run every test. Installs what is missing first (scripts/setup.sh), so it works on a
# fresh machine and in CI (.ci/run calls exactly this).
#
#   1. native    doctest unit tests + CLI tests, through CTest   (build/native)
#   2. wasm      the portable doctest suite compiled with em++, run under node (build/wasm), and
#                again on fibers, as the single-threaded fallback page runs threads (build/wasm-single)
#   3. browser   Playwright in headless Debian chromium against the built page (dist/)
#   4. sanitize  the native tests again, built with AddressSanitizer and with ThreadSanitizer;
#                then the fuzz targets (clang's libFuzzer, build/fuzz), a short run with a fixed seed
#
#   scripts/test.sh [native|wasm|browser|sanitize]...   run only the named layers (default: all)
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
layers=("$@")
[ ${#layers[@]} -gt 0 ] || layers=(native wasm browser sanitize)
for layer in "${layers[@]}"; do
  case "$layer" in native|wasm|browser|sanitize) ;; *) echo "test.sh: unknown layer '$layer' (native, wasm, browser, sanitize)" >&2; exit 2 ;; esac
done

"$ROOT/scripts/setup.sh" || { echo "test.sh: setup failed" >&2; exit 1; }
export NODE_PATH=/usr/share/nodejs

mkdir -p build
tests_passed=0; tests_failed=0; failed_layers=()

# Adds a layer's test counts, read from CTest's and node's own summary lines.
count_tests() {  # count_tests LOG
  local line total bad
  while read -r line; do  # "100% tests passed, 0 tests failed out of 57"
    bad=$(sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\1/' <<<"$line")
    total=$(sed -E 's/.* tests failed out of ([0-9]+).*/\1/' <<<"$line")
    tests_passed=$((tests_passed + total - bad)); tests_failed=$((tests_failed + bad))
  done < <(grep -E 'tests passed, [0-9]+ tests failed out of [0-9]+' "$1")
  tests_passed=$((tests_passed + $(sed -nE 's/^# pass ([0-9]+)$/\1/p' "$1" | awk '{s+=$1} END {print s+0}')))
  tests_failed=$((tests_failed + $(sed -nE 's/^# fail ([0-9]+)$/\1/p' "$1" | awk '{s+=$1} END {print s+0}')))
}

run_layer() {  # run_layer NAME COMMAND...
  local name=$1; shift
  local started=$(date +%s) log="build/test-${name%% *}.log"
  echo; echo "=== $name ==="
  if "$@" 2>&1 | tee "$log"; then
    echo "=== $name: passed in $(( $(date +%s) - started )) s ==="
  else
    failed_layers+=("$name"); echo "=== $name: FAILED after $(( $(date +%s) - started )) s ==="
  fi
  count_tests "$log"
}

native_tests() {
  cmake -S "$ROOT" -B build/native -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null &&
  cmake --build build/native &&
  ctest --test-dir build/native --output-on-failure -j2
}

wasm_tests() {
  "$ROOT/build-wasm.sh" &&              # the page, and the CMake configuration of build/wasm
  cmake --build build/wasm &&           # everything else there: the node test binary
  ctest --test-dir build/wasm --output-on-failure &&
  cmake --build build/wasm-single &&    # the same suite, threads as fibers ("Coop.<case>")
  ctest --test-dir build/wasm-single --output-on-failure
}

browser_tests() {
  "$ROOT/build-wasm.sh" || return 1     # incremental: tests never run against a stale page
  node --test --test-concurrency=1 tests/browser/*.test.mjs  # the shell expands it (Node 21+ reads a directory as a module)
}

sanitized_tests() {  # the app needs a display and GL, which the sanitizers add nothing to
  local sanitizer
  for sanitizer in address thread; do
    echo "--- $sanitizer sanitizer (build/san-$sanitizer)"
    cmake -S "$ROOT" -B "build/san-$sanitizer" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
          -DPP_SANITIZE=$sanitizer -DPP_BUILD_APP=OFF >/dev/null &&
    cmake --build "build/san-$sanitizer" &&
    ctest --test-dir "build/san-$sanitizer" --output-on-failure -j2 || return 1
  done
  echo "--- fuzz targets (build/fuzz; scripts/fuzz.sh RUNS for the long form)"
  cmake -S "$ROOT" -B build/fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPP_FUZZ=ON \
        -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ >/dev/null &&
  cmake --build build/fuzz &&
  ctest --test-dir build/fuzz --output-on-failure -j2
}

for layer in "${layers[@]}"; do
  case "$layer" in
    native) run_layer "native tests (doctest + CLI via CTest)" native_tests ;;
    wasm) run_layer "wasm tests (em++ doctest under node)" wasm_tests ;;
    browser) run_layer "browser tests (Playwright, chromium)" browser_tests ;;
    sanitize) run_layer "sanitizer tests (ASan, TSan)" sanitized_tests ;;
  esac
done

echo
if [ ${#failed_layers[@]} -gt 0 ]; then
  echo "failed layers: ${failed_layers[*]}"
  # A layer can fail before its tests run (a build error): make sure that is never read as green.
  [ $tests_failed -gt 0 ] || tests_failed=1
fi
echo "tests: $tests_passed passed, $tests_failed failed"
[ ${#failed_layers[@]} -eq 0 ]
