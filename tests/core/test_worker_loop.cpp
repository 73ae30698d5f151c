// pp::WorkerLoop, the child side of a process pool, fed request frames directly: no process here.
#include "core/process_protocol.hpp"
#include "core/task_registry.hpp"
#include "core/worker_loop.hpp"

#include <doctest.h>

#include <string>
#include <vector>

namespace {

std::vector<int> numbers_up_to(int count) {
    std::vector<int> out;
    for (int i = 0; i < count; ++i) out.push_back(i);
    return out;
}
PP_REGISTER_TASK(numbers_up_to);

// Runs one RunTask request for numbers_up_to(count) and returns the reply it wrote.
pp::Reply run_numbers_up_to(pp::WorkerLoop& loop, int count) {
    pp::ByteWriter arguments;
    pp::write_value(arguments, count);
    pp::ByteWriter request;
    pp::write_request_frame(request, pp::RequestKind::RunTask, 0, 7, "numbers_up_to", arguments.bytes().data(), arguments.size());
    const pp::Bytes frame = request.take();
    pp::ByteWriter replies;
    const pp::WorkerStep step = loop.handle(frame.data() + pp::kFrameHeaderSize, frame.size() - pp::kFrameHeaderSize, replies);
    CHECK_FALSE(step.exit);
    const pp::Bytes written = replies.take();
    pp::ByteReader in(written.data() + pp::kFrameHeaderSize, written.size() - pp::kFrameHeaderSize);
    return pp::read_value<pp::Reply>(in);
}

}  // namespace

TEST_CASE("WorkerLoop.ReplyTooLargeFailsOnlyThatTask.1thread") {
    pp::WorkerLoop loop(1024);                                  // the real limit is 1 GiB
    const pp::Reply too_large = run_numbers_up_to(loop, 1000);  // 4000 bytes of result
    CHECK(too_large.kind == pp::ReplyKind::Raised);
    CHECK(too_large.task_id == 7);
    CHECK(too_large.exception_type == "pp::SerializationError");
    CHECK(too_large.exception_message.find("more than the 1024 bytes one message can carry") != std::string::npos);
    // The loop goes on: the next task, small enough, returns.
    const pp::Reply fits = run_numbers_up_to(loop, 10);
    REQUIRE(fits.kind == pp::ReplyKind::Returned);
    CHECK(pp::decode<std::vector<int>>(fits.result) == numbers_up_to(10));
    CHECK(loop.tasks_run() == 2);
}
