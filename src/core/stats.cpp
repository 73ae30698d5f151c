#include "core/stats.hpp"

#include "core/sync.hpp"

#include <algorithm>
#include <chrono>

namespace pp {

double Samples::median() const {
    if (values_.empty()) return 0;
    std::vector<double> sorted = values_;
    std::sort(sorted.begin(), sorted.end());
    const std::size_t middle = sorted.size() / 2;
    return sorted.size() % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

double Samples::min() const { return values_.empty() ? 0 : *std::min_element(values_.begin(), values_.end()); }
double Samples::max() const { return values_.empty() ? 0 : *std::max_element(values_.begin(), values_.end()); }

Speedup speedup(const Samples& base_seconds, const Samples& seconds) {
    if (base_seconds.empty() || seconds.empty() || seconds.min() <= 0 || seconds.median() <= 0) return {};
    return {base_seconds.median() / seconds.median(), base_seconds.min() / seconds.max(), base_seconds.max() / seconds.min()};
}

bool exceeds_cores(const Speedup& cpu_bound, int cores) { return cores >= 1 && cpu_bound.median > cores; }

double predicted_seconds(double work_seconds, int parallel, double messages, double seconds_per_message) {
    return work_seconds / std::max(parallel, 1) + std::max(messages, 0.0) * std::max(seconds_per_message, 0.0);
}

double time_once(const std::function<void()>& run) {
    const auto start = sync::clock::now();
    run();
    return std::chrono::duration<double>(sync::clock::now() - start).count();
}

double wall_time_once(const std::function<void()>& run) {
    const auto start = std::chrono::steady_clock::now();
    run();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

Samples measure_repeated(int repeats, const std::function<double(RunKind)>& timed_run, const std::function<bool()>& keep_going) {
    const auto go_on = [&] { return !keep_going || keep_going(); };
    Samples samples;
    if (!go_on()) return samples;
    (void)timed_run(RunKind::WarmUp);  // threads and processes started, caches and code warm; not kept
    for (int i = 0; i < std::max(repeats, 1) && go_on(); ++i) samples.add(timed_run(RunKind::Timed));
    return samples;
}

}  // namespace pp
