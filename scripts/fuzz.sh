#!/usr/bin/env bash
# fuzz.sh: the fuzz targets' long form. Builds build/fuzz (clang, libFuzzer, ASan, UBSan) and
# runs each target for a fixed number of inputs, with a fixed seed, from fresh seeds; prints what
# libFuzzer counted. A crash stops that target and leaves its input in build/fuzz/fuzz-work/*/artifacts.
#
#   scripts/fuzz.sh [RUNS]        RUNS inputs per target (default 1000000)
#
# The short form runs with the sanitizer tests (scripts/test.sh sanitize: CTest's Fuzz.*).
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUNS=${1:-1000000}
cd "$ROOT"
cmake -S "$ROOT" -B build/fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPP_FUZZ=ON \
      -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ >/dev/null && cmake --build build/fuzz || exit 1
failed=0
for name in process_frames settings; do
  log="build/fuzz/fuzz-work/$name.log"
  mkdir -p "$(dirname "$log")"
  started=$(date +%s)
  if tests/fuzz/run_fuzz.sh "build/fuzz/fuzz_$name" build/fuzz/pp_fuzz_seeds "$name" "$RUNS" "build/fuzz/fuzz-work/$name" >"$log" 2>&1; then
    result=passed
  else
    result=FAILED; failed=1
  fi
  echo "fuzz_$name: $result in $(( $(date +%s) - started )) s ($log)"
  grep -E '^stat::|^Done|DONE +cov|^==[0-9]+==ERROR|^SUMMARY|deadly signal|^fuzz_' "$log" | sed 's/^/  /'
done
exit $failed
