#include "platform/posix/worker_process.hpp"

#include "core/process_registry.hpp"
#include "core/worker_loop.hpp"
#include "platform/posix/posix_io.hpp"

#include <unistd.h>

#include <cstdio>

namespace pp::posix {

namespace {
[[noreturn]] void exit_worker(int code) {
    // Tasks may print (the tutorial's do); stdio buffers are not flushed by _exit().
    std::fflush(nullptr);
    ::_exit(code);
}

// publish_variable() from a task: its frame goes out at once, between the task's replies (this
// process has one thread, so nothing else writes to the socket meanwhile).
int g_channel_fd = -1;
void send_variable(const std::uint8_t* frame, std::size_t size) {
    if (!send_all(g_channel_fd, frame, size)) exit_worker(0);  // the parent is gone
}
} // namespace

void run_worker_process(int channel_fd) {
    g_channel_fd = channel_fd;
    set_variable_sink(&send_variable);
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
                    if (!send_all(channel_fd, replies.bytes().data(), replies.size())) exit_worker(0);
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

} // namespace pp::posix
