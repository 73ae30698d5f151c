// libFuzzer target: the bytes a process pool reads from its workers, and a worker from its pool
// (core/process_protocol.hpp: FrameBuffer, read_request_header, Serializer<Reply>).
//
// Input: the first byte picks the size of each read (1..64 bytes, so frames arrive split
// anywhere, as from a socket); the rest is the stream. Every whole frame is decoded as a request
// header and as a Reply. The rules, any break of which is a crash:
// - bad bytes are refused with SerializationError only (the transports catch exactly that);
// - nothing reads outside the input (AddressSanitizer), nothing overflows (UBSan);
// - what decodes, encodes back to the very same bytes (writer and reader agree).
//
//   build/fuzz/fuzz_process_frames -runs=100000 -seed=1 CORPUS   (tests/fuzz/run_fuzz.sh sets it up)
#include "core/process_protocol.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

[[noreturn]] void broken_rule(const char* rule) {
    std::fprintf(stderr, "fuzz_process_frames: %s\n", rule);
    std::abort();
}

void decode_as_request(const std::uint8_t* payload, std::size_t size) {
    pp::ByteReader in(payload, size);
    pp::RequestHeader header;
    try {
        header = pp::read_request_header(in);
    } catch (const pp::SerializationError&) {
        return;
    }
    pp::ByteWriter again;
    pp::write_request_frame(again, header.kind, header.flags, header.task_id, header.task_name, payload + in.offset(), in.remaining());
    const pp::Bytes& bytes = again.bytes();
    if (bytes.size() != pp::kFrameHeaderSize + size || std::memcmp(bytes.data() + pp::kFrameHeaderSize, payload, size) != 0)
        broken_rule("a request header re-encodes to other bytes");
    if (pp::is_task_request(payload, size) != (header.kind == pp::RequestKind::RunTask || header.kind == pp::RequestKind::RunTaskThenExit))
        broken_rule("is_task_request() disagrees with the decoded kind");
}

void decode_as_reply(const std::uint8_t* payload, std::size_t size) {
    pp::ByteReader in(payload, size);
    pp::Reply reply;
    try {
        reply = pp::read_value<pp::Reply>(in);
    } catch (const pp::SerializationError&) {
        return;
    }
    if (pp::peek_reply_kind(payload, size) != reply.kind) broken_rule("peek_reply_kind() disagrees with the decoded kind");
    pp::ByteWriter again;
    pp::write_value(again, reply);
    if (again.size() != size || std::memcmp(again.bytes().data(), payload, size) != 0) broken_rule("a reply re-encodes to other bytes");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::size_t read_size = 1 + data[0] % 64;
    ++data;
    --size;
    pp::FrameBuffer frames;
    try {
        for (std::size_t at = 0; at < size;) {
            const std::size_t n = std::min(read_size, size - at);
            std::memcpy(frames.prepare(n), data + at, n);
            frames.commit(n);
            at += n;
            const std::uint8_t* payload = nullptr;
            std::size_t length = 0;
            while (frames.next(payload, length)) {
                decode_as_request(payload, length);
                decode_as_reply(payload, length);
            }
        }
    } catch (const pp::SerializationError&) {
        // A frame length that cannot be right: the transports give the stream up here too.
    }
    return 0;
}
