// Prints "figure busy_work_iterations_per_us N": how many iterations of busy_work take about one
// microsecond on this machine. bench/run.sh runs it once and hands N to every benchmark program
// (PP_BENCH_BUSY_ITERATIONS_PER_US), so every C++ peer's "1 us task" is the same work: each
// program calibrating for itself differed by up to 6 % between programs (635-675 here), as much
// as the peers differ from each other.
#include "../empty_tasks_problem.hpp"

#include <cstdio>

int main() {
    std::printf("figure busy_work_iterations_per_us %d iterations\n", pp_bench::empty_tasks::iterations_per_microsecond());
    return 0;
}
