// pp::Barrier: Python's threading.Barrier. `parties` threads call wait(); none returns until all
// have arrived. Demos use it to make threads really run at the same time: in a browser a new
// thread can take a frame or more to start, so without it the first may finish before the last
// begins, and a race never shows.
#pragma once

#include "core/gil.hpp"
#include "core/schedule.hpp"
#include "core/sync.hpp"
#include "core/trace.hpp"

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <stdexcept>
#include <string>

namespace pp {

class Barrier {
public:
    // parties must be at least 1. Reusable: once all have passed, the next wait() starts a new round.
    explicit Barrier(int parties) : parties_(parties) {
        if (parties < 1) throw std::invalid_argument("a Barrier needs at least 1 party");
    }

    // Blocks until `parties` threads have called wait() in this round. Releases the emulated GIL
    // while blocked (recorded as a LockWait span), so GIL-holding threads can still arrive.
    // A thread that never arrives leaves the others waiting forever.
    void wait() {
        TraceSpan waited(TraceKind::LockWait, "barrier");
        gil::ReleaseGuard release_gil;  // before the mutex: a GIL holder may be waiting for it
        std::unique_lock<std::mutex> lock(mutex_);
        const std::uint64_t round = round_;
        if (++arrived_ == parties_) {
            arrived_ = 0;
            ++round_;
            lock.unlock();
            all_arrived_.notify_all();
            return;
        }
        const schedule::WaitLabel label("wait at the barrier (" + std::to_string(arrived_) + " of " + std::to_string(parties_) + " here)");
        all_arrived_.wait(lock, [&] { return round_ != round; });
    }

private:
    const int parties_;
    std::mutex mutex_;
    sync::condition_variable all_arrived_;
    int arrived_ = 0;
    std::uint64_t round_ = 0;
};

}  // namespace pp
