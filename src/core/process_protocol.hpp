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
        if (length > kMaxFrameSize)
            throw SerializationError("corrupt stream: frame length " + std::to_string(length));
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

//-----------------------------------------------------------------------------
// [SECTION] Requests: parent -> worker
//-----------------------------------------------------------------------------

enum class RequestKind : std::uint8_t {
    RunTask = 1,  // run, reply, wait for the next request
    RunTaskThenExit = 2,  // pp::Process: run, reply, exit with 0 (or 1 if the task threw, like Python)
    Stop = 3,  // exit with 0 once everything before it has been answered
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
inline void write_request_frame(ByteWriter& out, RequestKind kind, std::uint8_t flags, std::uint64_t task_id,
                                const std::string& task_name, const std::uint8_t* argument_bytes,
                                std::size_t argument_size) {
    const std::size_t at = begin_frame(out);
    write_value(out, kind);
    write_value(out, flags);
    write_value(out, task_id);
    write_value(out, task_name);
    out.write_raw(argument_bytes, argument_size);
    finish_frame(out, at);
}

// Reads the header; `in` is left at the argument bytes.
inline RequestHeader read_request_header(ByteReader& in) {
    RequestHeader header;
    header.kind = read_value<RequestKind>(in);
    if (header.kind != RequestKind::RunTask && header.kind != RequestKind::RunTaskThenExit &&
        header.kind != RequestKind::Stop)
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
    Raised = 2,  // payload: exception type name and message
};

struct Reply {
    ReplyKind kind = ReplyKind::Returned;
    std::uint64_t task_id = 0;
    int worker_pid = 0;
    Bytes result;  // Returned
    std::string exception_type;  // Raised: "std::runtime_error"
    std::string exception_message;  // Raised: what()
    std::vector<TraceEvent> events;  // recorded by the worker while running the task
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
        } else {
            write_value(out, reply.exception_type);
            write_value(out, reply.exception_message);
        }
        write_value(out, reply.events);
    }
    static Reply read(ByteReader& in) {
        Reply reply;
        reply.kind = read_value<ReplyKind>(in);
        if (reply.kind != ReplyKind::Returned && reply.kind != ReplyKind::Raised)
            throw SerializationError("corrupt reply: unknown kind " + std::to_string(static_cast<int>(reply.kind)));
        reply.task_id = read_value<std::uint64_t>(in);
        reply.worker_pid = read_value<std::int32_t>(in);
        if (reply.kind == ReplyKind::Returned) {
            reply.result = read_value<Bytes>(in);
        } else {
            reply.exception_type = read_value<std::string>(in);
            reply.exception_message = read_value<std::string>(in);
        }
        reply.events = read_value<std::vector<TraceEvent>>(in);
        in.expect_end("a reply");
        return reply;
    }
};

} // namespace pp
