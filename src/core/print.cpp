#include "core/print.hpp"

#include "core/ids.hpp"
#include "core/process_protocol.hpp"
#include "core/worker_channel.hpp"

#include <cstdio>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace pp {

namespace {
std::mutex& handler_mutex() {
    static std::mutex mutex;
    return mutex;
}
// Shared, so that a line being delivered keeps its handler alive while another thread replaces it.
std::shared_ptr<const PrintHandler>& handler_slot() {
    static std::shared_ptr<const PrintHandler> handler;
    return handler;
}
std::shared_ptr<const PrintHandler> current_handler() {
    std::lock_guard<std::mutex> lock(handler_mutex());
    return handler_slot();
}

void to_handler_or_stdout(const PrintedLine& line) {
    if (const auto handler = current_handler()) {
        (*handler)(line);
        return;
    }
    // No console: the terminal, as Python would. One write per line, so lines do not tear.
    std::string text = line.text + "\n";
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
}

Reply printed_reply(TraceEvent event, std::string printed_by) {
    Reply reply;
    reply.kind = ReplyKind::Printed;
    reply.worker_pid = current_pid();
    reply.printed_by = std::move(printed_by);
    reply.events.push_back(std::move(event));
    return reply;
}
}  // namespace

void set_print_handler(PrintHandler handler) {
    auto next = handler ? std::make_shared<const PrintHandler>(std::move(handler)) : nullptr;
    std::lock_guard<std::mutex> lock(handler_mutex());
    handler_slot() = std::move(next);
}

void print(std::string_view text) {
    TraceEvent event;
    event.kind = TraceKind::Print;
    event.lane = trace::current_lane();
    event.name = "print";
    event.args = std::string(text);
    event.begin_ns = event.end_ns = trace::now_ns();
    // A worker's line goes to its parent now; the parent marks it on the timeline.
    if (send_to_parent(printed_reply(event, ""))) return;
    trace::span(TraceKind::Print, "print", event.begin_ns, event.end_ns, 0, text);  // the console's time, exactly
    to_handler_or_stdout(PrintedLine{event.begin_ns, std::move(event.args), std::move(event.lane), ""});
}

namespace detail {
void deliver_printed(const std::uint8_t* payload, std::size_t size, const std::string& process_name) {
    Reply reply;
    try {
        ByteReader in(payload, size);
        reply = read_value<Reply>(in);
    } catch (const SerializationError& error) {
        std::fprintf(stderr, "pp::print: dropped a printed line that does not decode: %s\n", error.what());
        return;
    }
    if (reply.events.size() != 1 || reply.events.front().kind != TraceKind::Print) return;
    TraceEvent& event = reply.events.front();
    std::string process = reply.printed_by.empty() ? process_name : reply.printed_by;
    // In a worker, this line is a grandchild's: up it goes, like the terminal it inherited.
    if (send_to_parent(printed_reply(event, process))) return;
    if (trace::enabled()) trace::append_foreign({event});
    to_handler_or_stdout(PrintedLine{event.begin_ns, std::move(event.args), std::move(event.lane), std::move(process)});
}
}  // namespace detail

}  // namespace pp
