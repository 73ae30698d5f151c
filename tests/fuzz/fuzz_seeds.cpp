// Writes the seed inputs of the fuzz targets (tests/fuzz/fuzz_*.cpp): well-formed frames and
// typical settings, made with the real writers so they stay valid when the protocol changes.
//
//   pp_fuzz_seeds DIR    writes DIR/process_frames/* and DIR/settings/*
#include "core/process_protocol.hpp"

#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

namespace {

void write_file(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string as_text(const pp::Bytes& bytes) { return std::string(bytes.begin(), bytes.end()); }

std::string reply_frame(const pp::Reply& reply) {
    pp::ByteWriter out;
    const std::size_t at = pp::begin_frame(out);
    pp::write_value(out, reply);
    pp::finish_frame(out, at);
    return as_text(out.bytes());
}

std::vector<std::string> frame_seeds() {
    pp::ByteWriter run, stop, then_exit;
    pp::ByteWriter arguments;
    pp::write_value(arguments, 7);
    pp::write_value(arguments, std::string("ada"));
    pp::write_request_frame(run, pp::RequestKind::RunTask, 1, 42, "square", arguments.bytes().data(), arguments.size());
    pp::write_request_frame(stop, pp::RequestKind::Stop, 0, 0, "", nullptr, 0);
    pp::write_request_frame(then_exit, pp::RequestKind::RunTaskThenExit, 0, 7, "child", nullptr, 0);

    pp::Reply returned;
    returned.task_id = 42;
    returned.worker_pid = 1234;
    returned.result = pp::Bytes{49, 0, 0, 0};
    pp::TraceEvent event;
    event.kind = pp::TraceKind::TaskRun;
    event.lane = pp::TraceLane{1234, 5, "ForkProcess-1"};
    event.task_id = 42;
    event.name = "square";
    event.args = "7";
    event.begin_ns = 1000;
    event.end_ns = 2000;
    returned.events = {event, event};
    pp::Reply raised;
    raised.kind = pp::ReplyKind::Raised;
    raised.task_id = 43;
    raised.exception_type = "std::runtime_error";
    raised.exception_message = "boom";
    pp::Reply variable;
    variable.kind = pp::ReplyKind::Variable;
    variable.variable_name = "counter";
    variable.variable_value = 5;
    variable.variable_address = 0x1000;

    // Byte 0 of each input picks the read size (fuzz_process_frames.cpp).
    const std::string requests = as_text(run.bytes()) + as_text(then_exit.bytes()) + as_text(stop.bytes());
    const std::string replies = reply_frame(returned) + reply_frame(variable) + reply_frame(raised);
    return {std::string(1, '\x00') + requests, std::string(1, '\x07') + requests, std::string(1, '\x3f') + replies,
            std::string(1, '\x02') + replies, std::string(1, '\x10') + reply_frame(returned)};
}

std::vector<std::string> settings_seeds() {
    // Byte 0: the form (0 URL query, 1 app flags, 2 one value); byte 1: the setting form 2 reads.
    const std::string nul(1, '\0');
    return {
        std::string("\x00\x00", 2) + "lesson=thread-pool&workers=3&tasks=5&scale=0.1&sleep=1&gil=0&autorun=1&embed=1",
        std::string("\x00\x00", 2) + "lesson=use-cases&workers=-9223372036854775808&scale=nan&sleep=1e999&bench=timeline&events=99999999",
        std::string("\x00\x00", 2) + "lesson=nope&workers= 3&tasks=3 &gil=yes&autorun&unknown=1&lock=maybe&experiment=granularity",
        std::string("\x01\x00", 2) + "--lesson" + nul + "process-pool" + nul + "--workers" + nul + "4" + nul + "--autorun",
        std::string("\x01\x00", 2) + "--export" + nul + "--smoke-test" + nul + "--bench=timeline" + nul + "--events" + nul + "0",
        std::string("\x02\x00", 2) + "3",         // workers
        std::string("\x02\x02", 2) + "1e999",     // scale
        std::string("\x02\x05", 2) + "0.05",      // switch interval, below its range
        std::string("\x02\x07", 2) + "without",   // lock, a choice
        std::string("\x02\x08", 2) + "granular",  // experiment, a near miss
    };
}

void write_seeds(const std::string& dir, const std::vector<std::string>& seeds) {
    ::mkdir(dir.c_str(), 0755);
    for (std::size_t i = 0; i < seeds.size(); ++i) write_file(dir + "/seed-" + std::to_string(i), seeds[i]);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: pp_fuzz_seeds DIR\n");
        return 2;
    }
    const std::string dir = argv[1];
    ::mkdir(dir.c_str(), 0755);
    write_seeds(dir + "/process_frames", frame_seeds());
    write_seeds(dir + "/settings", settings_seeds());
    return 0;
}
