#include "core/worker_loop.hpp"

#include "core/ids.hpp"
#include "core/task_registry.hpp"
#include "core/trace.hpp"

#include <exception>
#include <typeinfo>

namespace pp {

WorkerStep WorkerLoop::handle(const std::uint8_t* request, std::size_t size, ByteWriter& replies) {
    ByteReader in(request, size);
    const RequestHeader header = read_request_header(in);
    if (header.kind == RequestKind::Stop) return WorkerStep{true, 0};

    // The parent decides per task whether to trace, so switching it on in the UI reaches workers
    // that were forked while it was off.
    const bool record_trace = (header.flags & kRequestRecordTrace) != 0;
    trace::set_enabled(record_trace);

    Reply reply;
    reply.task_id = header.task_id;
    reply.worker_pid = current_pid();
    {
        TraceSpan run(TraceKind::TaskRun, header.task_name, header.task_id);
        try {
            const TaskEntry& task = TaskRegistry::instance().get(header.task_name);
            ByteWriter result;
            task.invoke(in, result);
            reply.kind = ReplyKind::Returned;
            reply.result = result.take();
        } catch (const std::exception& error) {
            reply.kind = ReplyKind::Raised;
            reply.exception_type = demangle(typeid(error).name());
            reply.exception_message = error.what();
        } catch (...) {
            reply.kind = ReplyKind::Raised;
            reply.exception_type = "unknown exception";
            reply.exception_message = "the task threw something that is not a std::exception";
        }
    }
    ++tasks_run_;
    if (record_trace) {
        reply.events = trace::snapshot();
        trace::clear();
    }

    const std::size_t at = begin_frame(replies);
    write_value(replies, reply);
    if (const std::size_t written = replies.size() - at - kFrameHeaderSize; written > max_reply_size_) {
        // Too large for one frame: this task fails with a clear error, and the worker (and its pool)
        // carry on, instead of the whole stream being given up as corrupt.
        replies.truncate(at + kFrameHeaderSize);
        Reply too_large;
        too_large.kind = ReplyKind::Raised;
        too_large.task_id = reply.task_id;
        too_large.worker_pid = reply.worker_pid;
        too_large.exception_type = "pp::SerializationError";
        too_large.exception_message = "the reply (result and trace events) is " + std::to_string(written) + " bytes, more than the " +
                                      std::to_string(max_reply_size_) + " bytes one message can carry";
        reply.kind = ReplyKind::Raised;  // for RunTaskThenExit's exit code below
        write_value(replies, too_large);
    }
    finish_frame(replies, at);

    if (header.kind == RequestKind::RunTaskThenExit) return WorkerStep{true, reply.kind == ReplyKind::Returned ? 0 : 1};
    return WorkerStep{};
}

}  // namespace pp
