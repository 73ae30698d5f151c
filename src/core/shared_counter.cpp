#include "core/shared_counter.hpp"

#include "core/gil.hpp"
#include "core/schedule.hpp"
#include "core/sync.hpp"
#include "core/trace.hpp"

namespace pp {

std::string overwrite_note(const std::string& storer, std::int64_t read, const std::string& writer, std::int64_t overwritten) {
    const std::int64_t lost = overwritten - read;
    const std::int64_t count = lost > 0 ? lost : -lost;
    const std::string what = lost > 0
                                 ? (count == 1 ? "one increment lost" : std::to_string(count) + " increments lost")
                                 : (count == 1 ? "one lost increment comes back" : std::to_string(count) + " lost increments come back");
    return storer + " stored " + std::to_string(read + 1) + " over " + writer + "'s " + std::to_string(overwritten) + ": " + what;
}

void SharedCounter::reset() {
    value_.store(0, std::memory_order_relaxed);
    last_writer_.clear();
    schedule::set_shared_value("counter", 0);
}

void SharedCounter::stepped_increment(int source_line) {
    using schedule::ActionKind;
    schedule::checkpoint({ActionKind::Load, "load counter", true, source_line, nullptr, &value_});
    const std::int64_t read = value_.load(std::memory_order_relaxed);
    schedule::set_private_value("register", read);  // this thread's own copy, from now on
    schedule::checkpoint({ActionKind::Add, "add 1 in its register: " + std::to_string(read) + " + 1", false, source_line});
    const std::int64_t sum = read + 1;
    schedule::set_private_value("register", sum);
    schedule::checkpoint({ActionKind::Store, "store " + std::to_string(sum), true, source_line});
    const std::int64_t now = value_.load(std::memory_order_relaxed);
    const std::string me = trace::current_lane().name;
    if (now != read) schedule::note(overwrite_note(me, read, last_writer_.empty() ? "another thread" : last_writer_, now));
    value_.store(sum, std::memory_order_relaxed);
    last_writer_ = me;
    schedule::set_shared_value("counter", sum);
    schedule::clear_private_value();
}

void SharedCounter::increment_unsynchronized(int source_line) {
    if (schedule::stepping()) return stepped_increment(source_line);
    const std::int64_t read = value_.load(std::memory_order_relaxed);
    sync::this_thread::yield();
    gil::checkpoint();
    value_.store(read + 1, std::memory_order_relaxed);
}

void SharedCounter::increment_with_mutex(int source_line) {
    if (schedule::stepping()) {
        // The controller knows who holds the lock, so a thread that would block on it cannot be chosen.
        schedule::lock_checkpoint(&mutex_, "lock the counter's lock", source_line);
        {
            std::lock_guard<std::mutex> held(mutex_);
            stepped_increment(source_line);
            schedule::checkpoint({schedule::ActionKind::Unlock, "unlock the counter's lock", true, source_line});
        }
        schedule::unlocked(&mutex_);
        return;
    }
    if (!mutex_.try_lock()) {
        TraceSpan waited(TraceKind::LockWait, "lock wait");
        // Like CPython's Lock.acquire: never block on a lock while holding the GIL, or the
        // lock's owner could never get the GIL back to release the lock.
        gil::ReleaseGuard release_gil;
        mutex_.lock();
    }
    std::lock_guard<std::mutex> held(mutex_, std::adopt_lock);
    value_.store(value_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
}

}  // namespace pp
