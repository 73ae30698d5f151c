// Process tasks shared by the native process tests, plus helpers to look for zombies.
// Inline functions and inline TaskRefs: every test file sees the same registration once.
#pragma once

#include "core/process.hpp"
#include "core/process_pool_executor.hpp"
#include "core/task_registry.hpp"
#include "core/thread.hpp"
#include "core/trace.hpp"
#include "core/workloads.hpp"
#include "platform/posix/fork_server.hpp"

#include <dirent.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace pp_test {
// A result type whose serializer checks what it reads, and rejects it with its own exception type.
struct Percent {
    int value = 0;
};
}  // namespace pp_test

template <>
struct pp::Serializer<pp_test::Percent> {
    static void write(pp::ByteWriter& out, const pp_test::Percent& p) { pp::write_value(out, p.value); }
    static pp_test::Percent read(pp::ByteReader& in) {
        const int value = pp::read_value<int>(in);
        if (value < 0 || value > 100) throw std::out_of_range("not a percentage: " + std::to_string(value));
        return pp_test::Percent{value};
    }
};

namespace pp_test {

inline int square(int x) { return x * x; }
inline int cube(int x) { return x * x * x; }
inline int identity(int x) { return x; }
inline int current_pid_task(int) { return static_cast<int>(::getpid()); }
// Holds its worker for a while, so that two of them at once must run on two workers.
inline int pid_after_sleep(int milliseconds) {
    std::this_thread::sleep_for(std::chrono::milliseconds(milliseconds));
    return static_cast<int>(::getpid());
}

// Sleeps, then returns `value`: finish order is decided by the sleeps.
inline int sleep_then_return(int milliseconds, int value) {
    std::this_thread::sleep_for(std::chrono::milliseconds(milliseconds));
    return value;
}
// Returns `value` once the file at `path` exists: a gate the test opens by creating the file
// (processes share no memory). -1 if it never appears within a minute.
inline int wait_for_file_then_return(std::string path, int value) {
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (::access(path.c_str(), F_OK) != 0) {
        if (std::chrono::steady_clock::now() > give_up) return -1;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return value;
}
inline int square_slowly(int x) {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    return x * x;
}
inline int cube_slowly(int x) {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    return x * x * x;
}

inline int fail_with(std::string message) { throw std::invalid_argument(message); }

// A global both processes have: the child's copy changes, the parent's must not.
inline int g_counter = 0;
inline int increment_counter(int by) {
    g_counter += by;
    return g_counter;
}

inline long long sum_vector(const std::vector<int>& values) {
    long long total = 0;
    for (int v : values) total += v;
    return total;
}
inline std::vector<int> reversed(std::vector<int> values) {
    std::reverse(values.begin(), values.end());
    return values;
}
inline std::string greet(std::string name, int times) {
    std::string out;
    for (int i = 0; i < times; ++i) out += "hello " + name + ";";
    return out;
}

// Ways for a worker to die.
// Restores the default action first: under ASan/TSan the sanitizer's handler would otherwise turn
// the crash into "exited with code 1", and the test is about a real death by SIGSEGV.
// Each crash waits `delay_ms` first, so a test can finish submitting before the pool breaks
// (a submit to a broken pool throws BrokenProcessPool, as in Python).
inline void wait_before_crash(int delay_ms) { std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms)); }
inline int crash_with_segv(int delay_ms) {
    wait_before_crash(delay_ms);
    ::signal(SIGSEGV, SIG_DFL);
    volatile int* nowhere = nullptr;
    *nowhere = 1;
    return 0;
}
inline int crash_with_abort(int delay_ms) {
    wait_before_crash(delay_ms);
    std::abort();
}
inline int crash_with_exit3(int delay_ms) {
    wait_before_crash(delay_ms);
    ::_exit(3);
}
inline int spin_forever(int) {
    volatile bool forever = true;
    while (forever) {}
    return 0;
}

// Records a span of its own in the child, so the test can see it come back with the result.
inline int traced_work(int x) {
    pp::TraceSpan span(pp::TraceKind::IoWait, "child_io", 0, "in the child");
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    return x + 1;
}

// Allocates and frees a lot: deadlocks in a child that inherited a locked malloc arena.
inline std::size_t allocate_strings(int count) {
    std::vector<std::string> strings;
    for (int i = 0; i < count; ++i) strings.push_back(std::string(100 + i % 50, 'x'));
    return strings.size();
}

inline Percent percent(int value) { return Percent{value}; }

PP_REGISTER_TASK(square);
PP_REGISTER_TASK(traced_work);
PP_REGISTER_TASK(allocate_strings);
PP_REGISTER_TASK(cube);
PP_REGISTER_TASK(identity);
PP_REGISTER_TASK(current_pid_task);
PP_REGISTER_TASK(pid_after_sleep);
PP_REGISTER_TASK(sleep_then_return);
PP_REGISTER_TASK(wait_for_file_then_return);
PP_REGISTER_TASK(square_slowly);
PP_REGISTER_TASK(cube_slowly);
PP_REGISTER_TASK(fail_with);
PP_REGISTER_TASK(increment_counter);
PP_REGISTER_TASK(sum_vector);
PP_REGISTER_TASK(greet);
PP_REGISTER_TASK(reversed);
PP_REGISTER_TASK(crash_with_segv);
PP_REGISTER_TASK(crash_with_abort);
PP_REGISTER_TASK(crash_with_exit3);
PP_REGISTER_TASK(spin_forever);
PP_REGISTER_TASK(percent);

// A pool inside a pool's task, as Python allows (it prints 49 for 7): the worker starts a fork
// server of its own for it.
inline int square_in_nested_pool(int x) {
    pp::ProcessPoolExecutor inner(1);
    return inner.submit(square_task, x).result(std::chrono::seconds(20));
}
// The pid of the fork server this worker started for its own pools (0: none).
inline int own_fork_server_pid(int) { return pp::ForkServer::started() ? pp::ForkServer::instance().pid() : 0; }
PP_REGISTER_TASK(square_in_nested_pool);
PP_REGISTER_TASK(own_fork_server_pid);

// Parses /proc/<pid>/stat: "pid (comm) S ppid ...", where comm may itself contain ") ".
struct ProcStat {
    int pid = 0;
    char state = '?';
    int ppid = 0;
};
inline bool read_proc_stat(int pid, ProcStat& out) {
    std::ifstream file("/proc/" + std::to_string(pid) + "/stat");
    std::string text;
    if (!std::getline(file, text)) return false;
    const auto close = text.rfind(')');
    if (close == std::string::npos) return false;
    std::istringstream rest(text.substr(close + 1));
    out.pid = pid;
    rest >> out.state >> out.ppid;
    return static_cast<bool>(rest);
}

// Every process whose parent is `parent`, from a scan of /proc (a process that ends during the
// scan is simply missed). Works for grandchildren too, unlike /proc/self/task/*/children.
inline std::vector<ProcStat> children_of(int parent) {
    std::vector<ProcStat> children;
    DIR* proc = ::opendir("/proc");
    if (!proc) throw std::runtime_error("cannot open /proc");
    while (dirent* entry = ::readdir(proc)) {
        char* end = nullptr;
        const long pid = std::strtol(entry->d_name, &end, 10);
        if (end == entry->d_name || *end != '\0') continue;
        ProcStat stat;
        if (read_proc_stat(static_cast<int>(pid), stat) && stat.ppid == parent) children.push_back(stat);
    }
    ::closedir(proc);
    return children;
}

// Children of `parent` in state Z: ended, but nobody reaped them.
inline std::vector<int> zombie_children_of(int parent) {
    std::vector<int> zombies;
    for (const ProcStat& child : children_of(parent))
        if (child.state == 'Z') zombies.push_back(child.pid);
    return zombies;
}

// Zombies among this process's children and the fork server's (the workers' parent).
inline std::vector<int> zombies_of_this_test() {
    std::vector<int> zombies = zombie_children_of(static_cast<int>(::getpid()));
    if (pp::ForkServer::started()) {
        const std::vector<int> more = zombie_children_of(pp::ForkServer::instance().pid());
        zombies.insert(zombies.end(), more.begin(), more.end());
    }
    return zombies;
}

inline bool process_exists(int pid) { return ::kill(pid, 0) == 0 || errno != ESRCH; }

// A gate for wait_for_file_then_return: closed until open() creates its file; removed at the end.
class FileGate {
public:
    FileGate() {
        static int counter = 0;
        path_ = "/tmp/pp-test-gate-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
        ::unlink(path_.c_str());
    }
    ~FileGate() { ::unlink(path_.c_str()); }
    FileGate(const FileGate&) = delete;
    FileGate& operator=(const FileGate&) = delete;
    const std::string& path() const { return path_; }
    void open() { std::ofstream(path_) << "open\n"; }

private:
    std::string path_;
};

// Checks `done` every `every` until it holds or `timeout` has passed; returns its last answer.
template <class Done>
bool poll_until(Done done, std::chrono::milliseconds timeout, std::chrono::milliseconds every) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(every);
    }
    return true;
}

// With the emulated GIL on: runs `blocking` (a wait of about a second) on one pp::Thread while
// another sleeps 100 ms and then needs the GIL back. Returns when that other thread was done, in
// seconds from the start: about 0.1 if `blocking` released the GIL, not before it ended if not.
template <class Blocking>
double other_thread_done_s_while(Blocking blocking) {
    const auto start = std::chrono::steady_clock::now();
    double other_done_s = 0;
    pp::Thread blocked("blocked", blocking);
    pp::Thread other("other", [&] {
        pp::sleep_for(std::chrono::milliseconds(100));  // lets `blocking` start its wait
        other_done_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    });
    blocked.start();
    other.start();
    other.join();
    blocked.join();
    return other_done_s;
}

}  // namespace pp_test
