#include "platform/posix/worker_process.hpp"

#include "core/worker_channel.hpp"
#include "core/worker_loop.hpp"
#include "platform/posix/fork_server.hpp"
#include "platform/posix/posix_io.hpp"

#include <unistd.h>

#include <cstdio>

namespace pp::posix {

namespace {
[[noreturn]] void exit_worker(int code) {
    // A task that created a pool started this worker's own fork server: stop and reap it, or it
    // would outlive us as init's orphan. (If we are killed instead, it sees its socket close and exits.)
    ForkServer::stop();
    // Tasks may print (the tutorial's do); stdio buffers are not flushed by _exit().
    std::fflush(nullptr);
    ::_exit(code);
}

// Every frame to the parent: a task's reply, and what it publishes or prints while it runs (at
// once; core/worker_channel.hpp keeps frames from a task's own threads from interleaving).
int g_channel_fd = -1;
void send_to_channel(const std::uint8_t* frame, std::size_t size) {
    if (!send_all(g_channel_fd, frame, size)) exit_worker(0);  // the parent is gone
}
}  // namespace

void run_worker_process(int channel_fd) {
    g_channel_fd = channel_fd;
    set_worker_channel(&send_to_channel);
    WorkerLoop loop;
    FrameBuffer incoming;
    ByteWriter replies;
    for (;;) {
        std::uint8_t* space = incoming.prepare(64 * 1024);
        const ssize_t received = ::read(channel_fd, space, 64 * 1024);
        if (received < 0) {
            if (errno == EINTR) continue;
            exit_worker(0);  // ECONNRESET: the parent is gone
        }
        if (received == 0) exit_worker(0);  // the parent closed the channel: nothing more to do
        incoming.commit(static_cast<std::size_t>(received));

        const std::uint8_t* payload = nullptr;
        std::size_t size = 0;
        try {
            while (incoming.next(payload, size)) {
                const WorkerStep step = loop.handle(payload, size, replies);
                // One reply per write, right away: holding it back to batch with the next task's
                // would delay it by however long that task runs.
                if (replies.size() > 0) {
                    send_frames_to_parent(replies.bytes().data(), replies.size());  // exits if the parent is gone
                    replies.clear();
                }
                if (step.exit) exit_worker(step.exit_code);
            }
        } catch (const std::exception& error) {
            // A request header that does not decode: the stream is out of step, nothing after it can be trusted.
            std::fprintf(stderr, "pp worker %d: corrupt request stream: %s\n", static_cast<int>(::getpid()), error.what());
            exit_worker(70);  // EX_SOFTWARE
        }
    }
}

}  // namespace pp::posix
