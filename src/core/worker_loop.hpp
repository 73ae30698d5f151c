// The child side of a process pool: decode a request, run the registered task, encode the reply.
//
// Knows nothing about pipes or postMessage: the native worker (platform/posix) and the browser's
// Web Worker program both feed it request frames and send back what it writes.
#pragma once

#include "core/process_protocol.hpp"

#include <cstddef>
#include <cstdint>

namespace pp {

struct WorkerStep {
    bool exit = false;  // the request asked this worker to end (Stop, or a pp::Process's only task)
    int exit_code = 0;  // then exit with this: 0, or 1 when a pp::Process's task threw (like Python)
};

class WorkerLoop {
public:
    // `max_reply_size`: the largest reply frame it writes; a bigger reply becomes a Raised one
    // (tests lower it, rather than returning a gigabyte).
    explicit WorkerLoop(std::size_t max_reply_size = kMaxFrameSize) : max_reply_size_(max_reply_size) {}

    // Handles one request (a frame's payload, without the length) and appends the reply frame,
    // length included, to `replies`. A task that throws, or whose reply is too large to send,
    // produces a Raised reply, never an exception here. Throws SerializationError only when the
    // request header itself is corrupt: then the stream cannot be trusted and the worker should exit.
    WorkerStep handle(const std::uint8_t* request, std::size_t size, ByteWriter& replies);

    // The tasks this worker ran, for its own diagnostics.
    std::uint64_t tasks_run() const { return tasks_run_; }

private:
    std::size_t max_reply_size_;
    std::uint64_t tasks_run_ = 0;
};

}  // namespace pp
