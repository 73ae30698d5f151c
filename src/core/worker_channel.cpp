#include "core/worker_channel.hpp"

#include <atomic>
#include <mutex>

namespace pp {

namespace {
std::atomic<WorkerChannel> g_channel{nullptr};
std::mutex& channel_mutex() {
    static std::mutex mutex;
    return mutex;
}
}  // namespace

void set_worker_channel(WorkerChannel channel) { g_channel.store(channel); }

bool in_worker_process() { return g_channel.load() != nullptr; }

bool send_frames_to_parent(const std::uint8_t* frames, std::size_t size) {
    const WorkerChannel channel = g_channel.load();
    if (!channel) return false;
    std::lock_guard<std::mutex> lock(channel_mutex());
    channel(frames, size);
    return true;
}

bool send_to_parent(const Reply& reply) {
    if (!in_worker_process()) return false;
    ByteWriter frame;
    const std::size_t at = begin_frame(frame);
    write_value(frame, reply);
    finish_frame(frame, at);
    return send_frames_to_parent(frame.bytes().data(), frame.size());
}

}  // namespace pp
