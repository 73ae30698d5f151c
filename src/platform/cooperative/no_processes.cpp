// The single-threaded page has no browser processes: they are Web Workers whose replies need a
// thread that waits for them, and this page may start none. A process lesson says so and where
// to go instead, rather than failing somewhere inside the executor.
#include "core/worker_transport.hpp"

#include <stdexcept>

namespace pp {

std::unique_ptr<WorkerTransport> make_default_worker_transport() {
    throw std::runtime_error(
        "Processes need the cross-origin isolated page: this single-threaded one cannot start them. "
        "Open the playground in a new tab (the link above) to run this lesson.");
}

void prepare_default_worker_transport() {}

} // namespace pp
