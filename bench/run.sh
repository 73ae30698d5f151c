#!/usr/bin/env bash
# bench/run.sh: build the benchmarks (Release), run them and Python's anchors in the same run,
# and print each figure with its target and its ratio to the Python anchor.
#
#   bench/run.sh            all benchmarks, including the page's in chromium (bench/page_frame_time.mjs,
#                           bench/browser_processes.mjs)
#   bench/run.sh NAME...    only bench/NAME.cpp (e.g. empty_tasks_thread_pool)
#
# Every bench binary is a Google Benchmark program: its table, then lines "figure <name> <value> <unit>"
# from the medians (bench/bench_support.hpp); every run's times are kept in build/bench/NAME.json.
# Every bench/anchors_*.py prints "anchor <name> <value>". Speed goals live here, not in tests.
# Our ThreadPoolExecutor's C++ peers (bench/empty_tasks_<peer>.cpp) end the report, as ratios to it.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD="$ROOT/build/bench"
cd "$ROOT"

cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DPP_BUILD_APP=OFF >/dev/null
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  for f in bench/*.cpp; do names+=("$(basename "$f" .cpp)"); done
fi
cmake --build "$BUILD" --target bench_busy_work_calibration "${names[@]/#/bench_}" >/dev/null

results=$(mktemp)
trap 'rm -f "$results"' EXIT
# One size for the "1 us" task in every program of this run, so that the peers run the same work.
if [ -z "${PP_BENCH_BUSY_ITERATIONS_PER_US:-}" ]; then
  "$BUILD/bench_busy_work_calibration" | tee -a "$results" >&2
  PP_BENCH_BUSY_ITERATIONS_PER_US=$(awk '$1 == "figure" {print $3}' "$results")
fi
export PP_BENCH_BUSY_ITERATIONS_PER_US
for name in "${names[@]}"; do
  echo "[bench] $name" >&2
  "$BUILD/bench_$name" --benchmark_out="$BUILD/$name.json" | tee -a "$results" >&2
done
if [ $# -eq 0 ]; then
  echo "[bench] the page in chromium: page_frame_time.mjs" >&2
  "$ROOT/build-wasm.sh" >/dev/null
  node bench/page_frame_time.mjs | tee -a "$results" >&2
  echo "[bench] browser processes in chromium: browser_processes.mjs" >&2
  node bench/browser_processes.mjs | tee -a "$results" >&2
fi
for anchors in bench/anchors_*.py; do
  echo "[bench] python: $(basename "$anchors")" >&2
  python3 "$anchors" | tee -a "$results" >&2
done

# figure name | anchor name | how to compare ("lower" = smaller is better) | target
pairs=$(cat <<'PAIRS'
thread_pool_empty_task_us      | python_thread_pool_empty_task_us    | lower  | <= 1.0 us/task, >= 20x Python, faster than every C++ peer
thread_pool_1us_task_us        |                                     | lower  | faster than every C++ peer
work_stealing_pool_empty_task_us |                                   | lower  | (C++ peer: Debian libthread-pool-dev)
work_stealing_pool_1us_task_us |                                     | lower  | (C++ peer: Debian libthread-pool-dev)
busy_work_iterations_per_us    |                                     | higher | (the "1 us" task of every program in this run)
mutex_cv_pool_empty_task_us    |                                     | lower  | (C++ peer: mutex + condition_variable pool)
mutex_cv_pool_1us_task_us      |                                     | lower  | (C++ peer: mutex + condition_variable pool)
std_async_empty_task_us        |                                     | lower  | (C++ peer: std::async, a thread per task)
std_async_1us_task_us          |                                     | lower  | (C++ peer: std::async, a thread per task)
trace_overhead_pct             |                                     | lower  | (empty tasks: no target, one clock read a task costs about that much)
clock_reads_only_overhead_pct  |                                     | lower  | (control: tracing off, its 2 clock reads made by the tasks)
one_tsc_read_overhead_pct      |                                     | lower  | (floor: tracing off, one rdtsc in each task)
trace_overhead_1us_tasks_pct   |                                     | lower  | <= 10 % (tasks of about 1 us)
trace_cost_ns_per_task         |                                     | lower  | <= 50 ns (2 clock reads, 2 appends, an open span; one thread)
trace_cost_cpu_ns_per_task     |                                     | lower  | <= 50 ns (the same, its thread's CPU time)
trace_clock_reads_ns_per_task  |                                     | lower  | (of the trace cost: its 2 clock reads, this machine's clock)
cpu_speedup_threads_gil_off_2w | python_cpu_speedup_threads_2w       | higher | >= 1.8x
cpu_speedup_threads_gil_on_2w  | python_cpu_speedup_threads_2w       | higher | about 1.0x
fork_pool_empty_task_us   | python_process_pool_empty_task_us   | lower  | <= 10 us/task, >= 20x Python
fork_pool_first_result_ms | python_process_pool_first_result_ms | lower  | <= 1 ms (fork server already running)
fork_pool_first_result_slowest_ms |                                | lower  | <= 1 ms every run (the slowest of 31)
cpu_speedup_processes_2w  | python_cpu_speedup_processes_2w     | higher | >= 1.8x on 2 cores
browser_process_first_result_cold_ms | python_process_pool_first_result_ms | lower | <= 150 ms (4 Web Workers, compiling the wasm once)
browser_process_first_result_prepared_ms| python_process_pool_first_result_ms | lower | <= 150 ms (process lesson opened 1 s before Run)
browser_process_first_result_warm_ms | python_process_pool_first_result_ms | lower | <= 150 ms (4 Web Workers)
browser_process_cold_1p_first_result_ms  |                               | lower  | (1 process, cold page)
browser_process_cold_4p_first_result_ms  |                               | lower  | <= 150 ms (4 processes, cold page)
browser_process_cold_4p_all_results_ms   |                               | lower  | (all 4: past the page's one spare, each waits for a worker's start)
browser_process_cold_16p_first_result_ms |                               | lower  | (16 processes, cold page)
browser_process_round_trip_ms        |                                     | lower  | <= 0.2 ms
browser_process_map_us_per_task      | python_process_pool_empty_task_us   | lower  | (map of 10k tiny tasks, 4 workers)
page_first_frame_ms              |                                   | lower  | <= 450 ms (page in chromium, median of 5 loads)
page_timeline_100k_frame_p95_ms  |                                   | lower  | <= 16 ms
page_use_cases_run_s             |                                   | lower  | (a CPU-bound lesson's run: compares builds)
page_timeline_100k_frame_ms      |                                   | lower  | < 16 ms
page_timeline_100k_draw_ms       |                                   | lower  | (the timeline's own part)
page_fps_during_use_cases        |                                   | higher | about 60 fps on an idle machine
page_frame_ms_during_use_cases   |                                   | lower  | < 16 ms: the UI thread never waits for the lesson
PAIRS
)

echo
printf '%-44s %12s %-6s %14s %10s   %s\n' "figure" "value" "unit" "python anchor" "ratio" "target"
while read -r _ name value unit; do
  anchor_name="" better="" target=""
  while IFS='|' read -r f a b t; do
    [ "$(echo $f)" = "$name" ] && { anchor_name=$(echo $a); better=$(echo $b); target=$t; }
  done <<<"$pairs"
  anchor=""
  [ -n "$anchor_name" ] && anchor=$(awk -v n="$anchor_name" '$1 == "anchor" && $2 == n {print $3}' "$results" | tail -1)
  ratio="-"
  if [ -n "$anchor" ]; then
    if [ "$better" = lower ]; then ratio=$(awk -v a="$anchor" -v v="$value" 'BEGIN {printf "%.1fx", a / v}')
    else ratio=$(awk -v a="$anchor" -v v="$value" 'BEGIN {printf "%.2fx", v / a}'); fi
  fi
  printf '%-44s %12s %-6s %14s %10s  %s\n' "$name" "$value" "$unit" "${anchor:--}" "$ratio" "$target"
done < <(grep '^figure ' "$results")

# The C++ peers against our ThreadPoolExecutor, from this run's figures.
figure_value() { awk -v n="$1" '$1 == "figure" && $2 == n {print $3}' "$results" | tail -1; }
echo
printf '%-44s %12s %12s %12s\n' "C++ peer (same problem, same run)" "peer us" "ours us" "peer/ours"
for workload in empty_task 1us_task; do
  ours=$(figure_value "thread_pool_${workload}_us")
  for peer in work_stealing_pool mutex_cv_pool std_async; do
    value=$(figure_value "${peer}_${workload}_us")
    [ -n "$ours" ] && [ -n "$value" ] || continue
    printf '%-44s %12s %12s %11sx\n' "${peer}_${workload}" "$value" "$ours" \
      "$(awk -v p="$value" -v o="$ours" 'BEGIN {printf "%.2f", p / o}')"
  done
done
