// A worker process's line to its parent while a task runs, beside the task's own reply.
//
// A task may show a variable (publish_variable) or print a line (pp::print) before it returns.
// Those go out at once, as their own reply frames, on the channel the worker's requests arrive
// by: natively the worker's socket, in the page a postMessage to the page. The worker program
// sets the channel once, before its first task; in the program itself none is set.
#pragma once

#include "core/process_protocol.hpp"

#include <cstddef>
#include <cstdint>

namespace pp {

// Writes whole frames (length included) to the parent. Must not throw; may end the worker when
// the parent is gone (nothing would read what it prints).
using WorkerChannel = void (*)(const std::uint8_t* frame, std::size_t size);
void set_worker_channel(WorkerChannel channel);

// True in a worker process (a channel is set).
bool in_worker_process();

// Sends `reply` as one frame on the channel. Thread-safe: a task's own threads may print too,
// and their frames must not interleave. Returns false when this is not a worker process.
bool send_to_parent(const Reply& reply);
// The same for frames already written (a task's reply), under the same lock.
bool send_frames_to_parent(const std::uint8_t* frames, std::size_t size);

}  // namespace pp
