#include "core/shared_counter.hpp"

#include "core/gil.hpp"
#include "core/sync.hpp"
#include "core/trace.hpp"


namespace pp {

void SharedCounter::increment_unsynchronized() {
    const std::int64_t read = value_.load(std::memory_order_relaxed);
    sync::this_thread::yield();
    gil::checkpoint();
    value_.store(read + 1, std::memory_order_relaxed);
}

void SharedCounter::increment_with_mutex() {
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

} // namespace pp
