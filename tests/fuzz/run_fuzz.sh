#!/usr/bin/env bash
# Runs one fuzz target for a fixed number of inputs from a fresh corpus of seeds, with a fixed
# seed: the same build gives the same run (CTest's Fuzz.* tests, and scripts/fuzz.sh).
#
#   tests/fuzz/run_fuzz.sh TARGET_BINARY SEEDS_BINARY NAME RUNS WORK_DIR
set -euo pipefail
target=$1 seeds=$2 name=$3 runs=$4 work=$5
rm -rf "$work/seeds" "$work/corpus-$name"
mkdir -p "$work/corpus-$name" "$work/artifacts"
"$seeds" "$work/seeds"
# New inputs go to the first folder (the corpus); the seeds are read from the second.
exec "$target" -runs="$runs" -seed=1 -max_len=4096 -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
     -artifact_prefix="$work/artifacts/$name-" "$work/corpus-$name" "$work/seeds/$name"
