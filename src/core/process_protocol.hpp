// The bytes a process pool and its workers exchange: requests, replies, framing.
//
// Index of this file
// [SECTION] Framing: a 4-byte length, then the message
// [SECTION] Requests: parent -> worker
// [SECTION] Replies: worker -> parent
// [SECTION] Serializer<TraceEvent>: trace events travel back with each reply
//
// Shared by the native fork pool (frames over a unix socket) and the browser's Web Workers
// (one frame per postMessage), so both backends speak exactly the same protocol.
#pragma once

#include "core/serialize.hpp"
#include "core/trace.hpp"

#include <cstdint>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

namespace pp {

//-----------------------------------------------------------------------------
// [SECTION] Framing: a 4-byte length, then the message
//-----------------------------------------------------------------------------

using FrameLength = std::uint32_t;
constexpr std::size_t kFrameHeaderSize = sizeof(FrameLength);
// Larger than any sane argument; a bigger length means the stream is out of sync (corrupt).
constexpr std::size_t kMaxFrameSize = std::size_t{1} << 30;

// Starts a frame in `out` and returns where its length goes; finish_frame() fills it in.
inline std::size_t begin_frame(ByteWriter& out) {
    const std::size_t at = out.size();
    out.write_trivial<FrameLength>(0);
    return at;
}
inline void finish_frame(ByteWriter& out, std::size_t at) {
    const std::size_t size = out.size() - at - kFrameHeaderSize;
    if (size > kMaxFrameSize) throw SerializationError("message of " + std::to_string(size) + " bytes is too large to send");
    const FrameLength length = static_cast<FrameLength>(size);
    out.overwrite_raw(at, &length, sizeof length);
}

// Collects bytes from a stream and hands out whole frames. Not thread-safe: one per reader.
class FrameBuffer {
public:
    // Space to read into; call commit(n) after reading n bytes there.
    std::uint8_t* prepare(std::size_t at_least) {
        if (start_ > 0 && start_ == end_) start_ = end_ = 0;
        if (buffer_.size() - end_ < at_least) {
            if (start_ > 0) {  // slide the unread part to the front before growing
                std::memmove(buffer_.data(), buffer_.data() + start_, end_ - start_);
                end_ -= start_;
                start_ = 0;
            }
            if (buffer_.size() - end_ < at_least) buffer_.resize(end_ + at_least);
        }
        return buffer_.data() + end_;
    }
    void commit(std::size_t count) { end_ += count; }

    // The next whole frame's payload, or false if it has not fully arrived. Throws
    // SerializationError for a length that cannot be right (the stream is corrupt).
    bool next(const std::uint8_t*& payload, std::size_t& size) {
        if (end_ - start_ < kFrameHeaderSize) return false;
        FrameLength length;
        std::memcpy(&length, buffer_.data() + start_, sizeof length);
        if (length > kMaxFrameSize) throw SerializationError("corrupt stream: frame length " + std::to_string(length));
        if (end_ - start_ < kFrameHeaderSize + length) return false;
        payload = buffer_.data() + start_ + kFrameHeaderSize;
        size = length;
        start_ += kFrameHeaderSize + length;
        return true;
    }
    bool has_partial_frame() const { return end_ != start_; }

private:
    Bytes buffer_;
    std::size_t start_ = 0;
    std::size_t end_ = 0;
};

// Calls fn(payload, size) for each whole frame in `bytes` (one or more frames, lengths
// included, as handed to WorkerTransport::send). Stops at a partial or impossible frame.
template <class F>
void for_each_frame(const std::uint8_t* bytes, std::size_t size, F&& fn) {
    std::size_t at = 0;
    while (size - at >= kFrameHeaderSize) {
        FrameLength length;
        std::memcpy(&length, bytes + at, sizeof length);
        if (length > kMaxFrameSize || size - at - kFrameHeaderSize < length) return;
        fn(bytes + at + kFrameHeaderSize, static_cast<std::size_t>(length));
        at += kFrameHeaderSize + length;
    }
}

//-----------------------------------------------------------------------------
// [SECTION] Requests: parent -> worker
//-----------------------------------------------------------------------------

enum class RequestKind : std::uint8_t {
    RunTask = 1,          // run, reply, wait for the next request
    RunTaskThenExit = 2,  // pp::Process: run, reply, exit with 0 (or 1 if the task threw, like Python)
    Stop = 3,             // exit with 0 once everything before it has been answered
};

enum RequestFlags : std::uint8_t {
    kRequestRecordTrace = 1,  // the parent is tracing: record events and send them back
};

struct RequestHeader {
    RequestKind kind = RequestKind::RunTask;
    std::uint8_t flags = 0;
    std::uint64_t task_id = 0;  // the parent's trace task id, echoed in the reply
    std::string task_name;
    // The task's argument bytes follow, up to the end of the frame.
};

// Writes one whole request frame (length, header, then `argument_bytes`) at the end of `out`.
inline void write_request_frame(ByteWriter& out, RequestKind kind, std::uint8_t flags, std::uint64_t task_id, const std::string& task_name,
                                const std::uint8_t* argument_bytes, std::size_t argument_size) {
    const std::size_t at = begin_frame(out);
    write_value(out, kind);
    write_value(out, flags);
    write_value(out, task_id);
    write_value(out, task_name);
    out.write_raw(argument_bytes, argument_size);
    finish_frame(out, at);
}

// A request that runs a task (and so will get exactly one Returned or Raised reply).
inline bool is_task_request(const std::uint8_t* payload, std::size_t size) {
    return size > 0 && (payload[0] == static_cast<std::uint8_t>(RequestKind::RunTask) ||
                        payload[0] == static_cast<std::uint8_t>(RequestKind::RunTaskThenExit));
}

// Reads the header; `in` is left at the argument bytes.
inline RequestHeader read_request_header(ByteReader& in) {
    RequestHeader header;
    header.kind = read_value<RequestKind>(in);
    if (header.kind != RequestKind::RunTask && header.kind != RequestKind::RunTaskThenExit && header.kind != RequestKind::Stop)
        throw SerializationError("corrupt request: unknown kind " + std::to_string(static_cast<int>(header.kind)));
    header.flags = read_value<std::uint8_t>(in);
    header.task_id = read_value<std::uint64_t>(in);
    header.task_name = read_value<std::string>(in);
    return header;
}

//-----------------------------------------------------------------------------
// [SECTION] Replies: worker -> parent
//-----------------------------------------------------------------------------

enum class ReplyKind : std::uint8_t {
    Returned = 1,  // payload: the result bytes
    Raised = 2,    // payload: exception type name and message
    // Not the end of a task: a value the running task showed with pp::publish_variable()
    // (core/process_registry.hpp), sent at once so the process panel shows it live.
    Variable = 3,  // payload: variable name, value, address in the worker's own memory
    // Not the end of a task either: a line the running task printed (core/print.hpp), sent the
    // moment it was printed, so the parent's console shows it then, as a terminal would.
    Printed = 4,  // payload: the printing process's name ("" for the sender); events: one Print event
};

// True for the replies that end a task (one per RunTask request); false for Variable and Printed.
inline bool ends_task(ReplyKind kind) { return kind == ReplyKind::Returned || kind == ReplyKind::Raised; }
// The kind of a reply frame's payload, read without decoding the rest (it is the first byte).
inline ReplyKind peek_reply_kind(const std::uint8_t* payload, std::size_t size) {
    return size > 0 ? static_cast<ReplyKind>(payload[0]) : ReplyKind::Raised;
}

struct Reply {
    ReplyKind kind = ReplyKind::Returned;
    std::uint64_t task_id = 0;
    int worker_pid = 0;
    Bytes result;                        // Returned
    std::string exception_type;          // Raised: "std::runtime_error"
    std::string exception_message;       // Raised: what()
    std::string variable_name;           // Variable
    std::int64_t variable_value = 0;     // Variable
    std::uint64_t variable_address = 0;  // Variable: where it lives in the worker (0: not given)
    std::string printed_by;              // Printed: the process that printed, when not the sender (a grandchild)
    // Returned / Raised: recorded by the worker while running the task. Printed: the line, as one
    // Print event (its lane, time and text), whether or not the parent traces.
    std::vector<TraceEvent> events;
};

//-----------------------------------------------------------------------------
// [SECTION] Serializer<TraceEvent>: trace events travel back with each reply
//-----------------------------------------------------------------------------

template <>
struct Serializer<TraceLane> {
    static void write(ByteWriter& out, const TraceLane& lane) {
        write_value(out, static_cast<std::int32_t>(lane.pid));
        write_value(out, lane.tid);
        write_value(out, lane.name);
    }
    static TraceLane read(ByteReader& in) {
        TraceLane lane;
        lane.pid = read_value<std::int32_t>(in);
        lane.tid = read_value<std::uint64_t>(in);
        lane.name = read_value<std::string>(in);
        return lane;
    }
};

template <>
struct Serializer<TraceEvent> {
    static void write(ByteWriter& out, const TraceEvent& event) {
        write_value(out, event.kind);
        write_value(out, event.lane);
        write_value(out, event.task_id);
        write_value(out, event.name);
        write_value(out, event.args);
        write_value(out, event.begin_ns);
        write_value(out, event.end_ns);
    }
    static TraceEvent read(ByteReader& in) {
        TraceEvent event;
        event.kind = read_value<TraceKind>(in);
        if (static_cast<int>(event.kind) >= kTraceKindCount) throw SerializationError("corrupt trace event kind");
        event.lane = read_value<TraceLane>(in);
        event.task_id = read_value<std::uint64_t>(in);
        event.name = read_value<std::string>(in);
        event.args = read_value<std::string>(in);
        event.begin_ns = read_value<std::int64_t>(in);
        event.end_ns = read_value<std::int64_t>(in);
        return event;
    }
};

template <>
struct Serializer<Reply> {
    static void write(ByteWriter& out, const Reply& reply) {
        write_value(out, reply.kind);
        write_value(out, reply.task_id);
        write_value(out, static_cast<std::int32_t>(reply.worker_pid));
        if (reply.kind == ReplyKind::Returned) {
            write_value(out, reply.result);
        } else if (reply.kind == ReplyKind::Variable) {
            write_value(out, reply.variable_name);
            write_value(out, reply.variable_value);
            write_value(out, reply.variable_address);
        } else if (reply.kind == ReplyKind::Printed) {
            write_value(out, reply.printed_by);
        } else {
            write_value(out, reply.exception_type);
            write_value(out, reply.exception_message);
        }
        write_value(out, reply.events);
    }
    static Reply read(ByteReader& in) {
        Reply reply;
        reply.kind = read_value<ReplyKind>(in);
        if (reply.kind != ReplyKind::Returned && reply.kind != ReplyKind::Raised && reply.kind != ReplyKind::Variable &&
            reply.kind != ReplyKind::Printed)
            throw SerializationError("corrupt reply: unknown kind " + std::to_string(static_cast<int>(reply.kind)));
        reply.task_id = read_value<std::uint64_t>(in);
        reply.worker_pid = read_value<std::int32_t>(in);
        if (reply.kind == ReplyKind::Returned) {
            reply.result = read_value<Bytes>(in);
        } else if (reply.kind == ReplyKind::Variable) {
            reply.variable_name = read_value<std::string>(in);
            reply.variable_value = read_value<std::int64_t>(in);
            reply.variable_address = read_value<std::uint64_t>(in);
        } else if (reply.kind == ReplyKind::Printed) {
            reply.printed_by = read_value<std::string>(in);
        } else {
            reply.exception_type = read_value<std::string>(in);
            reply.exception_message = read_value<std::string>(in);
        }
        reply.events = read_value<std::vector<TraceEvent>>(in);
        in.expect_end("a reply");
        return reply;
    }
};

}  // namespace pp
