// pp::schedule: the student takes the scheduler's seat.
//
// Index of this file
// [SECTION] Actions: what a thread will do next
// [SECTION] Checkpoints: where a stepped thread stops
// [SECTION] Choosers: who decides which thread moves
// [SECTION] Sessions: one stepped run
// [SECTION] The view: what the step panel shows
// [SECTION] Schedules as strings
// [SECTION] Explore: every interleaving
//
// While a stepped run is on, exactly one of its threads moves at a time, from one checkpoint to
// the next, and a chooser decides which: the student's clicks, a schedule being replayed, round
// robin, a seeded random pick, or the explorer. The run's threads ("participants") are the thread
// that started the session (number 0, the lesson's main thread) and every thread it and they
// start (pp::Thread, pool workers), numbered 1, 2, ... in the order they are created.
//
// Checkpoints are the moments that matter for sharing: each load and store of shared state, lock
// acquire and release, print, sleep, start(), join(), and every wait (a join, a barrier, a pool's
// queue, a future, the emulated GIL). The waits need no code of their own: pp::sync's condition
// variables and threads ask this controller while a session is on (core/sync.hpp). A waiting
// thread cannot be chosen until it is notified; a thread whose next step takes a lock another
// thread holds cannot be chosen either. Sleeps take no real time.
//
// The same code runs on real threads (natively, and in the isolated page) and on fibers (the
// single-threaded page): it only uses pp::sync.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pp::schedule {

//-----------------------------------------------------------------------------
// [SECTION] Actions: what a thread will do next
//-----------------------------------------------------------------------------
enum class ActionKind : std::uint8_t { Begin, Load, Add, Store, Lock, Unlock, Print, Sleep, Start, Join, Wait, End };

struct Action {
    ActionKind kind = ActionKind::Begin;
    std::string text;            // "store 42", "print '0'", "join Thread-1"
    bool shared = false;         // reads or writes shared state: where exploring branches
    int source_line = 0;         // the lesson's C++ line, 0 when none
    const void* lock = nullptr;  // Lock: which lock
    // Load: the shared value it will read, shown live ("load counter (reads 41)").
    const std::atomic<std::int64_t>* reads = nullptr;
};

//-----------------------------------------------------------------------------
// [SECTION] Checkpoints: where a stepped thread stops
//-----------------------------------------------------------------------------
// Each returns at once (one relaxed atomic load) unless the caller is a thread of a stepped run.

// True on a thread of a stepped run: lessons use it to keep loops short enough to step.
bool stepping();
// Stops here until the chooser lets this thread take `action`.
void checkpoint(Action action);
// A lock's acquire: stops until chosen, and is not chosen while another thread holds `lock`.
// Once it returns, the controller counts this thread as the holder: take the real lock then.
void lock_checkpoint(const void* lock, std::string text, int source_line = 0);
// After the real unlock: the lock is free for the others.
void unlocked(const void* lock);
// The label the next wait of this thread shows ("wait for Thread-1 to end"), until it ends.
class WaitLabel {
public:
    explicit WaitLabel(std::string label);
    ~WaitLabel();
    WaitLabel(const WaitLabel&) = delete;
    WaitLabel& operator=(const WaitLabel&) = delete;

private:
    std::string previous_;
    bool set_ = false;
};

// What the step view shows beside the threads.
void set_private_value(std::string_view what, std::int64_t value);  // "register 41": this thread's own copy
void clear_private_value();
void set_shared_value(std::string_view name, std::int64_t value);  // "counter = 41"
// Something the student should see (a lost update): listed by the view, and marked on the
// calling thread's timeline lane.
void note(std::string text);

//-----------------------------------------------------------------------------
// [SECTION] Choosers: who decides which thread moves
//-----------------------------------------------------------------------------
// A thread that can move now, as a chooser sees it.
struct Candidate {
    int number = 0;
    const Action* next = nullptr;
};

class Chooser {
public:
    virtual ~Chooser() = default;
    // Picks one of `runnable` (at least two, ascending by number) and returns its number; or -1 to
    // wait for a step() from outside (the student). Called with the controller's lock held: quick.
    virtual int choose(const std::vector<Candidate>& runnable) = 0;
    // Called for every step, chosen or forced (only one could move); `choice` says whether it was
    // a choice (at least two could). For choosers that keep their own record.
    virtual void stepped(int /*number*/, bool /*choice*/) {}
    // True: asked even when only one thread can move (the student clicks every step).
    virtual bool wants_every_step() const { return false; }
    // What went wrong (a replayed step that could not be taken), for the view; "" if nothing.
    virtual std::string error() const { return {}; }
};

enum class Policy { Student, RoundRobin, Random, FreeRunning };
// "round robin" (the next number after the last one that moved), "random" (seeded), the
// student (-1: wait for clicks), or nothing: free-running hands the run back to the system.
std::unique_ptr<Chooser> make_chooser(Policy policy, std::uint64_t seed = 1);
// Replays `schedule` (see below), then hands over to `then`. Throws std::invalid_argument for a
// string that is not a schedule; a step that cannot be taken ends the replay with an error the
// view reports.
std::unique_ptr<Chooser> make_replay(std::string_view schedule, std::unique_ptr<Chooser> then);
const char* to_string(Policy policy);

//-----------------------------------------------------------------------------
// [SECTION] Sessions: one stepped run
//-----------------------------------------------------------------------------
// On the thread that runs the lesson's main program, around it: that thread becomes participant
// 0 and the controller is on until the Session ends. One session at a time.
class Session {
public:
    explicit Session(std::unique_ptr<Chooser> chooser);
    ~Session();  // every thread of the run has been joined by now (the lesson's code does that)
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;
};

// From the UI thread (or a test), never from a participant:
// Lets thread `number` take its next step. False when it cannot move now (blocked, finished, or
// another thread is moving).
bool step(int number);
// The rest of the run without the student: `policy` decides from now on (FreeRunning: the
// controller lets go, and the threads run as the operating system schedules them).
void finish(Policy policy, std::uint64_t seed = 1);
// Lets every thread go at once (Stop): as free-running, for a run that is about to end.
void release();

//-----------------------------------------------------------------------------
// [SECTION] The view: what the step panel shows
//-----------------------------------------------------------------------------
struct ThreadView {
    enum class State { Starting, Ready, Moving, Blocked, Finished };
    int number = 0;
    std::string name;  // its timeline lane: "MainThread", "Thread-1"
    State state = State::Starting;
    std::string next;          // "store 42"; while blocked, what it waits for
    bool can_move = false;     // a step(number) would be taken now
    int source_line = 0;       // the lesson line of its next step
    std::string private_what;  // "register"
    std::optional<std::int64_t> private_value;
};

struct View {
    bool on = false;                   // a session is on and the controller decides
    bool waiting_for_student = false;  // nobody moves until step()
    bool deadlock = false;             // no thread can move, and none has ended its run
    int steps = 0;                     // steps taken so far, chosen or forced
    std::string schedule;              // the choices so far, as a schedule string
    std::string error;                 // a replay that could not go on, say
    std::vector<ThreadView> threads;
    std::vector<std::pair<std::string, std::int64_t>> shared;  // in the order first set
    std::vector<std::string> notes;
    int steps_at_first_note = -1;  // when the first note (a lost update) came, in steps
};
// Never blocks for long (the controller's lock is only held for bookkeeping).
View view();
const char* to_string(ThreadView::State state);

//-----------------------------------------------------------------------------
// [SECTION] Schedules as strings
//-----------------------------------------------------------------------------
// A schedule is the thread chosen at each choice (a moment when two or more threads could
// move), one character each: '0'..'9' then 'a'..'z' for threads 0..35. Steps where only one
// thread could move are not written: replaying takes them the same way. "0112".
char schedule_char(int number);
int schedule_number(char c);  // -1 when not a schedule character
// An empty string when `text` is a schedule, else what is wrong with it.
std::string check_schedule(std::string_view text);

//-----------------------------------------------------------------------------
// [SECTION] Explore: every interleaving
//-----------------------------------------------------------------------------
struct ExploreOptions {
    std::size_t max_schedules = 20000;  // beyond this, sample instead
    std::size_t samples = 2000;         // random schedules when there are too many
    std::uint64_t seed = 1;
};

struct Outcome {
    std::string text;       // "counter = 1": the shared values at the end
    std::size_t count = 0;  // schedules that end so
    std::string schedule;   // one of them, as --schedule takes it
};

struct ExploreResult {
    std::vector<Outcome> outcomes;  // in the order first seen
    std::size_t schedules = 0;      // runs made
    bool complete = false;          // every schedule was run (not sampled)
    double seconds = 0;
    // The fewest steps after which a note (a lost update) had come, and a schedule that does it.
    int fewest_steps_to_note = -1;
    std::string fewest_steps_schedule;
};

// Runs `run_once` (one run of the lesson, on the calling thread) under every schedule of its
// choices on shared state. Prints, sleeps, waits and other steps that touch no shared state are
// not choice points: the lowest-numbered thread that can take one takes it first. When there are
// more than options.max_schedules, it says so (complete = false) and counts options.samples
// random schedules instead. `keep_going` false ends it early.
ExploreResult explore(const std::function<void()>& run_once, const ExploreOptions& options = {},
                      const std::function<bool()>& keep_going = {});

}  // namespace pp::schedule
