/*******************************************************************************************
 *
 *   Parallel Playground - What is a Program?
 *
 *   A program is a file of instructions. It does nothing until it is executed: then the
 *   operating system (or here, the browser) loads it and it becomes a running process.
 *
 *******************************************************************************************/
#include "core/ids.hpp"
#include "core/program_image.hpp"
#include "lessons/lesson.hpp"

#include <string>

namespace pp::lessons {
namespace {

// [LESSON CODE]
void main_program(LessonContext& ctx) {
    // The program: instructions stored in a file, not running until executed.
    const pp::ProgramImage program = pp::program_image();
    ctx.print("The program: " + program.location);
    if (program.bytes > 0) ctx.print("  " + std::to_string(program.bytes / 1024) + " KB of instructions and data, stored, not running");

    // Executing it made a process: a running instance, with an id.
    ctx.print("Executing it made a running instance: process " + std::to_string(pp::current_pid()));
    ctx.print("Running this lesson again runs the same program again; Chrome, Word and Excel work the same way.");
}
// [END LESSON CODE]

}  // namespace

extern const Lesson kProgramLesson{
    {1, "program", "What is a Program?",
     "A program is a sequence of instructions written in a programming language, stored on disk. It does "
     "nothing until it is executed. Chrome, MS Word and Excel are programs. Press Run: this playground is "
     "itself a program, and running a lesson shows where its instructions are stored and the process that "
     "is executing them.",
     R"py(# Not code from the tutorial: the idea in Python.
import os, sys

# The program: a file of instructions
print("The program:", sys.argv[0])
print(os.path.getsize(sys.argv[0]), "bytes, not running until executed")

# Executing it made a process
print("Running as process", os.getpid()))py",
     0, LessonParams()},
    &main_program,
    "program.cpp",
    [](const LessonParams&) { return 0.5; },
};

}  // namespace pp::lessons
