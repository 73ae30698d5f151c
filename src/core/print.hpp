// pp::print: Python's print(), from any thread of any process of the program.
//
// Processes share no memory, but a Python child shares its parent's terminal: it inherits the
// parent's standard output (file descriptor 1), so what a child prints appears the moment it
// prints it, among the parent's own lines. Here every line goes to the program's console (the
// lesson's console, which the app draws and the command-line tool writes to stdout), which lives
// in the parent's memory. So a worker process sends each line to its parent as it prints it: a
// Printed message on the channel its tasks arrive by (natively its socket, in the page its
// message port), and the parent hands the line to the console at once, stamped with the time the
// child printed it. A grandchild's line goes up the same way, one parent at a time.
//
//     void square() { for (int i = 0; i < 5; ++i) { pp::print(std::to_string(i * i)); ... } }
#pragma once

#include "core/trace.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace pp {

struct PrintedLine {
    std::int64_t at_ns = 0;  // when print() was called, on the trace clock (the same in every process)
    std::string text;
    TraceLane lane;       // the printing thread: its pid, tid and lane name
    std::string process;  // the printing process's name ("Process-1"); "" for this program
};

// Prints `text` as one line. In this program it goes to the print handler (or to stdout when
// none is set) and is marked on the calling thread's timeline lane; in a worker process it goes
// to the parent at once (see above). Thread-safe.
void print(std::string_view text);

// Where this program's lines go, its own and its children's (the lesson runner sets it for a
// run, and clears it after). Called on the printing thread, or on a process transport's thread
// for a child's line, so it must be thread-safe and must not block for long. Empty: stdout.
using PrintHandler = std::function<void(const PrintedLine&)>;
void set_print_handler(PrintHandler handler);

namespace detail {
// A process transport received a Printed reply from process `pid` (named `process_name` here):
// hands it to the print handler, or, in a worker process, passes it on up to its own parent.
void deliver_printed(const std::uint8_t* payload, std::size_t size, const std::string& process_name);
}  // namespace detail

}  // namespace pp
