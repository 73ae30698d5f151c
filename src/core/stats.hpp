// Repeated measurements, summarised honestly: a median and the spread (min to max).
//
//     pp::Samples wall = pp::measure_repeated(3, [&](pp::RunKind) { return pp::time_once(run_it); });
//     wall.median(); wall.min(); wall.max();
//     pp::Speedup s = pp::speedup(one_worker, four_workers);           // median and range of the ratio
//     pp::exceeds_cores(s, pp::hardware_core_count());                 // more than the cores can give?
//
// One run of anything that involves threads, processes or a JIT is not a measurement: the first
// run pays for cold caches, lazily started threads and code not yet optimised, and any run can
// land on a busy moment of the machine. So every figure the lessons plot or print is the median
// of several runs after a warm-up, shown with its spread, so that a student can tell an effect
// from noise.
#pragma once

#include <cstddef>
#include <functional>
#include <vector>

namespace pp {

// The values of one quantity measured several times. Empty until a value is added.
class Samples {
public:
    Samples() = default;
    explicit Samples(std::vector<double> values) : values_(std::move(values)) {}

    void add(double value) { values_.push_back(value); }
    const std::vector<double>& values() const { return values_; }
    std::size_t count() const { return values_.size(); }
    bool empty() const { return values_.empty(); }

    // The middle value (the mean of the two middle ones for an even count); 0 when empty.
    double median() const;
    double min() const;  // 0 when empty
    double max() const;  // 0 when empty

private:
    std::vector<double> values_;
};

// A ratio of two measured quantities (speedup = time with 1 worker / time with N): its median
// is median(base) / median(this), and its range is the widest the samples allow, from
// min(base) / max(this) to max(base) / min(this), so that both spreads show in the whiskers.
struct Speedup {
    double median = 0, low = 0, high = 0;
};
Speedup speedup(const Samples& base_seconds, const Samples& seconds);

// True when a CPU-bound speedup's median is more than `cores` can give: N cores make CPU work
// at most N times faster, so a larger figure is noise (usually a slow baseline run), not an
// effect. Always false for cores < 1 (unknown).
bool exceeds_cores(const Speedup& cpu_bound, int cores);

// What a run is for: warming up (its figure is dropped, so it may do less work: one task per
// worker is enough to start every thread or process and run every code path), or a sample.
enum class RunKind { WarmUp, Timed };

// Calls `timed_run` once as a warm-up, then `repeats` times (at least once), and returns the
// seconds each of those calls reported. `timed_run` times itself, so it can leave set-up out of
// the figure. Between calls, a `keep_going` that returns false ends the series early (Stop): the
// samples so far are returned, and the caller should not trust them.
Samples measure_repeated(int repeats, const std::function<double(RunKind)>& timed_run, const std::function<bool()>& keep_going = {});

// Seconds of one call of `run` on pp::sync::clock, the threads' clock (virtual time in the
// single-threaded page, where threads are simulated).
double time_once(const std::function<void()>& run);
// The same on the wall clock (std::chrono::steady_clock) everywhere: for work that really runs in
// parallel even in the single-threaded page (its browser processes), and for estimates.
double wall_time_once(const std::function<void()>& run);

// The cost of parallelism, predicted from costs measured in the same run: `work_seconds` of CPU
// work (what one thread alone takes) spread over `parallel` workers that really run at once (the
// workers, at most the cores; 1 for threads that hold a GIL), plus `messages` hand-overs (a task
// sent, or a chunk of them) of `seconds_per_message` each, which the one submitting side pays
// one after the other. Amdahl's law with an overhead term: for big tasks the work dominates and
// the speedup nears `parallel`; for tiny ones the messages do, and it falls below 1.
double predicted_seconds(double work_seconds, int parallel, double messages, double seconds_per_message);

// The number of CPU cores this program can run on at once (os.cpu_count() in Python): natively
// the hardware threads, in the page navigator.hardwareConcurrency. 0 when unknown. Defined by
// the platform's system.cpp (platform/posix, platform/web), which pp_core compiles in.
int hardware_core_count();

}  // namespace pp
