// The main loop of a native worker process: frames in on a socket, WorkerLoop, frames out.
#pragma once

namespace pp::posix {

// Serves requests on `channel_fd` until a Stop request (exit 0), a pp::Process's only task
// (exit 0, or 1 if it threw) or the parent closing the channel (exit 0). Never returns: it ends
// the process with _exit(), so the parent's atexit handlers and static destructors never run here.
[[noreturn]] void run_worker_process(int channel_fd);

}  // namespace pp::posix
