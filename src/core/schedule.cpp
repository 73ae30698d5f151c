// The schedule controller: participants, the one that moves, and who decides next.
//
// Index of this file
// [SECTION] The controller's state
// [SECTION] Deciding who moves
// [SECTION] Parking: a participant stops and waits for its turn
// [SECTION] pp::sync's hooks: waits, notifies, threads, joins, sleeps
// [SECTION] Checkpoints and what the view shows
// [SECTION] Choosers
// [SECTION] Sessions, step, finish, view
// [SECTION] Schedules as strings
// [SECTION] Explore
#include "core/schedule.hpp"

#include "core/sync.hpp"
#include "core/trace.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <mutex>
#include <random>
#include <stdexcept>
#include <utility>

namespace pp::schedule {

//-----------------------------------------------------------------------------
// [SECTION] The controller's state
//-----------------------------------------------------------------------------
namespace {

using State = ThreadView::State;

struct Participant {
    std::uint64_t id = 0;  // (session << 32) | (number + 1): a thread left over from an old session never matches
    int number = 0;
    std::string name;
    State state = State::Starting;
    Action next;
    const void* waiting_cv = nullptr;  // Blocked in a wait on this condition variable
    std::uint64_t joining = 0;         // Blocked until this participant ends
    std::uint64_t wait_order = 0;      // who waited first: notify_one wakes the oldest, as a fair cv would
    std::string private_what;
    std::optional<std::int64_t> private_value;
};

struct Controller {
    std::mutex mutex;
    sync::detail::base_condition_variable changed;  // the system's own: these waits are not hooked
    bool on = false;
    std::uint64_t session = 0;
    std::vector<std::unique_ptr<Participant>> participants;  // index: number
    std::uint64_t running = 0;                               // the participant that moves now; 0 while a decision is due
    std::unique_ptr<Chooser> chooser;
    std::map<const void*, std::uint64_t> lock_owner;
    std::vector<std::pair<std::string, std::int64_t>> shared;
    std::vector<std::string> notes;
    int steps = 0;
    int steps_at_first_note = -1;
    std::string schedule;
    std::string error;
    bool waiting_for_student = false;
    bool deadlock = false;
    std::uint64_t wait_counter = 0;
};

// Never destroyed: a thread may still leave its session while the program exits.
Controller& controller() {
    static Controller* instance = new Controller;
    return *instance;
}

PP_THREAD_LOCAL(std::uint64_t, my_id)        // 0: not a participant
PP_THREAD_LOCAL(std::string, my_wait_label)  // WaitLabel's, for this thread's next wait

std::uint64_t make_id(std::uint64_t session, int number) { return (session << 32) | static_cast<std::uint64_t>(number + 1); }

Participant* find_locked(Controller& c, std::uint64_t id) {
    if (id == 0 || (id >> 32) != c.session) return nullptr;
    const std::size_t number = static_cast<std::size_t>(id & 0xffffffffu) - 1;
    return number < c.participants.size() ? c.participants[number].get() : nullptr;
}

Participant* me_locked(Controller& c) { return c.on ? find_locked(c, my_id()) : nullptr; }

// A participant's name is its timeline lane's, which a thread sets after it starts.
void refresh_name(Participant& p) {
    const std::string lane = trace::current_lane().name;
    if (!lane.empty()) p.name = lane;
}

//-----------------------------------------------------------------------------
// [SECTION] Deciding who moves
//-----------------------------------------------------------------------------
bool can_move(const Controller& c, const Participant& p) {
    if (p.state != State::Ready && p.state != State::Starting) return false;
    if (p.next.kind == ActionKind::Lock) {
        const auto owner = c.lock_owner.find(p.next.lock);
        if (owner != c.lock_owner.end() && owner->second != p.id) return false;  // held by another
    }
    return true;
}

std::vector<Candidate> runnable_locked(const Controller& c) {
    std::vector<Candidate> runnable;
    for (const auto& p : c.participants)
        if (can_move(c, *p)) runnable.push_back(Candidate{p->number, &p->next});
    return runnable;
}

void grant_locked(Controller& c, Participant& p, bool choice) {
    if (choice) c.schedule += schedule_char(p.number);
    ++c.steps;
    c.running = p.id;
    c.waiting_for_student = false;
    p.state = State::Moving;
    if (c.chooser) c.chooser->stepped(p.number, choice);
    c.changed.notify_all();
}

// Lets the controller hand over: called whenever nobody moves (a participant parked, a wait was
// notified, a thread ended, the student stepped).
void decide_locked(Controller& c) {
    if (!c.on || c.running != 0 || !c.chooser) return;
    const std::vector<Candidate> runnable = runnable_locked(c);
    c.waiting_for_student = false;
    c.deadlock = false;
    if (runnable.empty()) {
        // A notify from outside the run (a browser process's reply, Stop) may still come.
        c.deadlock = std::any_of(c.participants.begin(), c.participants.end(), [](const auto& p) { return p->state != State::Finished; });
        return;
    }
    int number = runnable.front().number;
    if (runnable.size() > 1 || c.chooser->wants_every_step()) {
        number = c.chooser->choose(runnable);
        if (std::string error = c.chooser->error(); !error.empty() && c.error.empty()) c.error = error;
        if (number < 0) {
            c.waiting_for_student = true;
            c.changed.notify_all();  // the view's readers
            return;
        }
    }
    const bool listed = std::any_of(runnable.begin(), runnable.end(), [&](const Candidate& r) { return r.number == number; });
    if (!listed) number = runnable.front().number;  // a chooser's mistake: never stall the run for it
    grant_locked(c, *c.participants[static_cast<std::size_t>(number)], runnable.size() > 1);
}

void let_go_locked(Controller& c) {
    c.on = false;
    sync::schedule_hooks::g_active.store(false);
    c.running = 0;
    c.waiting_for_student = false;
    c.deadlock = false;
    c.changed.notify_all();
}

//-----------------------------------------------------------------------------
// [SECTION] Parking: a participant stops and waits for its turn
//-----------------------------------------------------------------------------
// `me` has set its state (Ready, Blocked) and next action. Hands over, then waits until it is
// chosen again, or until the controller lets go (free-running, Stop).
void park_locked(Controller& c, Participant& me, std::unique_lock<std::mutex>& lock) {
    refresh_name(me);
    if (c.running == me.id) c.running = 0;
    decide_locked(c);
    c.changed.wait(lock, [&] { return !c.on || c.running == me.id; });
}

}  // namespace

//-----------------------------------------------------------------------------
// [SECTION] pp::sync's hooks: waits, notifies, threads, joins, sleeps
//-----------------------------------------------------------------------------
}  // namespace pp::schedule

namespace pp::sync::schedule_hooks {

using pp::schedule::ActionKind;
using namespace pp::schedule;

bool wait(const void* cv, std::unique_lock<std::mutex>& user_lock) {
    Controller& c = controller();
    std::unique_lock<std::mutex> lock(c.mutex);
    Participant* me = me_locked(c);
    if (!me) return false;
    me->state = State::Blocked;
    me->waiting_cv = cv;
    me->wait_order = ++c.wait_counter;
    const std::string& label = my_wait_label();
    me->next = Action{ActionKind::Wait, label.empty() ? "wait" : label};
    // Registered as a waiter before the caller's lock is let go: a notify cannot slip in between.
    user_lock.unlock();
    park_locked(c, *me, lock);
    me->waiting_cv = nullptr;
    lock.unlock();
    user_lock.lock();
    return true;
}

void notified(const void* cv, bool all) noexcept {
    Controller& c = controller();
    std::lock_guard<std::mutex> lock(c.mutex);
    if (!c.on) return;
    for (;;) {
        Participant* oldest = nullptr;
        for (auto& p : c.participants)
            if (p->state == State::Blocked && p->waiting_cv == cv && (!oldest || p->wait_order < oldest->wait_order)) oldest = p.get();
        if (!oldest) break;
        oldest->state = State::Ready;
        oldest->waiting_cv = nullptr;
        oldest->next.text += ": done, go on";
        if (!all) break;
    }
    decide_locked(c);
}

std::uint64_t thread_created() {
    Controller& c = controller();
    std::lock_guard<std::mutex> lock(c.mutex);
    if (!me_locked(c)) return 0;  // only a stepped run's threads bring new ones into it
    auto child = std::make_unique<Participant>();
    child->number = static_cast<int>(c.participants.size());
    child->id = make_id(c.session, child->number);
    child->name = "thread " + std::to_string(child->number);
    child->next = Action{ActionKind::Begin, "begin running"};
    const std::uint64_t id = child->id;
    c.participants.push_back(std::move(child));
    return id;
}

void thread_begins(std::uint64_t participant) {
    my_id() = participant;
    Controller& c = controller();
    std::unique_lock<std::mutex> lock(c.mutex);
    // Its first step was chosen before this thread existed, or will be: wait for it.
    c.changed.wait(lock, [&] { return !c.on || c.running == participant || !find_locked(c, participant); });
}

void thread_ends(std::uint64_t participant) noexcept {
    Controller& c = controller();
    std::lock_guard<std::mutex> lock(c.mutex);
    my_id() = 0;
    Participant* p = find_locked(c, participant);
    if (!p) return;
    p->state = State::Finished;
    p->next = Action{ActionKind::End, "ended"};
    p->private_value.reset();
    for (auto& other : c.participants)
        if (other->state == State::Blocked && other->joining == participant) {
            other->state = State::Ready;
            other->joining = 0;
            other->next.text = p->name + " has ended: go on";
        }
    if (!c.on) return;
    if (c.running == participant) c.running = 0;
    decide_locked(c);
}

bool join(std::uint64_t participant) {
    Controller& c = controller();
    std::unique_lock<std::mutex> lock(c.mutex);
    Participant* me = me_locked(c);
    if (!me) return false;
    Participant* target = find_locked(c, participant);
    if (!target || target->state == State::Finished) return true;
    me->state = State::Blocked;
    me->joining = participant;
    me->next = Action{ActionKind::Wait, "wait for " + target->name + " to end"};
    park_locked(c, *me, lock);
    return true;
}

bool sleep(clock::duration length) {
    Controller& c = controller();
    std::unique_lock<std::mutex> lock(c.mutex);
    Participant* me = me_locked(c);
    if (!me) return false;
    char text[48];
    std::snprintf(text, sizeof text, "sleep %g s (no real time)", std::chrono::duration<double>(length).count());
    me->state = State::Ready;
    me->next = Action{ActionKind::Sleep, text};
    park_locked(c, *me, lock);
    return true;
}

}  // namespace pp::sync::schedule_hooks

namespace pp::schedule {

//-----------------------------------------------------------------------------
// [SECTION] Checkpoints and what the view shows
//-----------------------------------------------------------------------------
bool stepping() {
    if (!sync::schedule_hooks::active()) return false;
    Controller& c = controller();
    std::lock_guard<std::mutex> lock(c.mutex);
    return me_locked(c) != nullptr;
}

void checkpoint(Action action) {
    if (!sync::schedule_hooks::active()) return;
    Controller& c = controller();
    std::unique_lock<std::mutex> lock(c.mutex);
    Participant* me = me_locked(c);
    if (!me) return;
    const void* const lock_address = action.kind == ActionKind::Lock ? action.lock : nullptr;
    me->state = State::Ready;
    me->next = std::move(action);
    park_locked(c, *me, lock);
    if (lock_address && c.on) c.lock_owner[lock_address] = me->id;  // chosen only while the lock was free
}

void lock_checkpoint(const void* lock_address, std::string text, int source_line) {
    checkpoint(Action{ActionKind::Lock, std::move(text), true, source_line, lock_address});
}

void unlocked(const void* lock_address) {
    if (!sync::schedule_hooks::active()) return;
    Controller& c = controller();
    std::lock_guard<std::mutex> lock(c.mutex);
    c.lock_owner.erase(lock_address);
}

WaitLabel::WaitLabel(std::string label) {
    if (!sync::schedule_hooks::active()) return;
    previous_ = std::exchange(my_wait_label(), std::move(label));
    set_ = true;
}

WaitLabel::~WaitLabel() {
    if (set_) my_wait_label() = std::move(previous_);
}

void set_private_value(std::string_view what, std::int64_t value) {
    if (!sync::schedule_hooks::active()) return;
    Controller& c = controller();
    std::lock_guard<std::mutex> lock(c.mutex);
    if (Participant* me = me_locked(c)) {
        me->private_what = std::string(what);
        me->private_value = value;
    }
}

void clear_private_value() {
    if (!sync::schedule_hooks::active()) return;
    Controller& c = controller();
    std::lock_guard<std::mutex> lock(c.mutex);
    if (Participant* me = me_locked(c)) me->private_value.reset();
}

void set_shared_value(std::string_view name, std::int64_t value) {
    if (!sync::schedule_hooks::active()) return;
    Controller& c = controller();
    std::lock_guard<std::mutex> lock(c.mutex);
    if (!c.on) return;
    for (auto& [known, known_value] : c.shared)
        if (known == name) {
            known_value = value;
            return;
        }
    c.shared.emplace_back(std::string(name), value);
}

void note(std::string text) {
    if (!sync::schedule_hooks::active()) return;
    {
        Controller& c = controller();
        std::lock_guard<std::mutex> lock(c.mutex);
        if (!me_locked(c)) return;
        if (c.steps_at_first_note < 0) c.steps_at_first_note = c.steps;
        c.notes.push_back(text);
    }
    trace::instant(TraceKind::Note, "note", 0, text);  // a mark on this thread's lane
}

//-----------------------------------------------------------------------------
// [SECTION] Choosers
//-----------------------------------------------------------------------------
namespace {

class StudentChooser final : public Chooser {
public:
    int choose(const std::vector<Candidate>&) override { return -1; }
    bool wants_every_step() const override { return true; }
};

class RoundRobinChooser final : public Chooser {
public:
    int choose(const std::vector<Candidate>& runnable) override {
        for (const Candidate& candidate : runnable)
            if (candidate.number > last_) return candidate.number;
        return runnable.front().number;
    }
    void stepped(int number, bool) override { last_ = number; }

private:
    int last_ = -1;
};

class RandomChooser final : public Chooser {
public:
    explicit RandomChooser(std::uint64_t seed) : random_(seed) {}
    int choose(const std::vector<Candidate>& runnable) override {
        return runnable[std::uniform_int_distribution<std::size_t>(0, runnable.size() - 1)(random_)].number;
    }

private:
    std::mt19937_64 random_;
};

class ReplayChooser final : public Chooser {
public:
    ReplayChooser(std::string schedule, std::unique_ptr<Chooser> then) : schedule_(std::move(schedule)), then_(std::move(then)) {}
    int choose(const std::vector<Candidate>& runnable) override {
        if (at_ >= schedule_.size()) handed_over_ = true;  // the first choice past the schedule's end
        if (at_ < schedule_.size()) {
            const int number = schedule_number(schedule_[at_]);
            for (const Candidate& candidate : runnable)
                if (candidate.number == number) {
                    ++at_;
                    return number;
                }
            std::string can;
            for (const Candidate& candidate : runnable) can += (can.empty() ? "" : ", ") + std::to_string(candidate.number);
            error_ = "the schedule's choice " + std::to_string(at_ + 1) + " is thread " + std::to_string(number) +
                     ", which cannot move then (threads " + can + " could); the rest is not replayed";
            at_ = schedule_.size();
        }
        return then_ ? then_->choose(runnable) : runnable.front().number;
    }
    void stepped(int number, bool choice) override {
        if (at_ >= schedule_.size() && then_) then_->stepped(number, choice);
    }
    // Steps where only one thread can move run by themselves up to the first choice past the
    // schedule's end: a replay shows everything the schedule leads to, then hands over.
    bool wants_every_step() const override { return handed_over_ && then_ && then_->wants_every_step(); }
    std::string error() const override { return error_; }

private:
    std::string schedule_;
    std::size_t at_ = 0;
    bool handed_over_ = false;
    std::unique_ptr<Chooser> then_;
    std::string error_;
};

}  // namespace

std::unique_ptr<Chooser> make_chooser(Policy policy, std::uint64_t seed) {
    switch (policy) {
    case Policy::Student: return std::make_unique<StudentChooser>();
    case Policy::RoundRobin: return std::make_unique<RoundRobinChooser>();
    case Policy::Random: return std::make_unique<RandomChooser>(seed);
    case Policy::FreeRunning: return nullptr;
    }
    return nullptr;
}

std::unique_ptr<Chooser> make_replay(std::string_view schedule, std::unique_ptr<Chooser> then) {
    if (const std::string problem = check_schedule(schedule); !problem.empty()) throw std::invalid_argument(problem);
    return std::make_unique<ReplayChooser>(std::string(schedule), std::move(then));
}

const char* to_string(Policy policy) {
    switch (policy) {
    case Policy::Student: return "the student";
    case Policy::RoundRobin: return "round robin";
    case Policy::Random: return "random";
    case Policy::FreeRunning: return "as the OS would";
    }
    return "?";
}

//-----------------------------------------------------------------------------
// [SECTION] Sessions, step, finish, view
//-----------------------------------------------------------------------------
Session::Session(std::unique_ptr<Chooser> chooser) {
    Controller& c = controller();
    std::lock_guard<std::mutex> lock(c.mutex);
    if (c.on) throw std::logic_error("one stepped run at a time");
    ++c.session;
    c.participants.clear();
    c.lock_owner.clear();
    c.shared.clear();
    c.notes.clear();
    c.steps = 0;
    c.steps_at_first_note = -1;
    c.schedule.clear();
    c.error.clear();
    c.deadlock = c.waiting_for_student = false;
    c.chooser = std::move(chooser);
    auto main = std::make_unique<Participant>();
    main->number = 0;
    main->id = make_id(c.session, 0);
    main->state = State::Moving;
    main->next = Action{ActionKind::Begin, "begin running"};
    refresh_name(*main);
    my_id() = main->id;
    c.running = main->id;
    c.participants.push_back(std::move(main));
    c.on = c.chooser != nullptr;
    sync::schedule_hooks::g_active.store(c.on);
}

Session::~Session() {
    Controller& c = controller();
    std::lock_guard<std::mutex> lock(c.mutex);
    if (Participant* me = find_locked(c, my_id())) {
        me->state = State::Finished;
        me->next = Action{ActionKind::End, "ended"};
    }
    my_id() = 0;
    let_go_locked(c);
}

bool step(int number) {
    Controller& c = controller();
    std::lock_guard<std::mutex> lock(c.mutex);
    if (!c.on || c.running != 0 || number < 0 || static_cast<std::size_t>(number) >= c.participants.size()) return false;
    Participant& p = *c.participants[static_cast<std::size_t>(number)];
    if (!can_move(c, p)) return false;
    grant_locked(c, p, runnable_locked(c).size() > 1);
    return true;
}

void finish(Policy policy, std::uint64_t seed) {
    Controller& c = controller();
    std::lock_guard<std::mutex> lock(c.mutex);
    if (!c.on) return;
    if (policy == Policy::FreeRunning) {
        let_go_locked(c);
        return;
    }
    c.chooser = make_chooser(policy, seed);
    decide_locked(c);
}

void release() {
    Controller& c = controller();
    std::lock_guard<std::mutex> lock(c.mutex);
    let_go_locked(c);
}

View view() {
    Controller& c = controller();
    std::lock_guard<std::mutex> lock(c.mutex);
    View out;
    out.on = c.on;
    out.waiting_for_student = c.waiting_for_student;
    out.deadlock = c.deadlock;
    out.steps = c.steps;
    out.schedule = c.schedule;
    out.error = c.error;
    out.shared = c.shared;
    out.notes = c.notes;
    out.steps_at_first_note = c.steps_at_first_note;
    for (const auto& p : c.participants) {
        ThreadView t;
        t.number = p->number;
        t.name = p->name;
        t.state = p->state;
        t.next = p->next.text;
        if (p->next.reads && p->state != State::Finished)
            t.next += " (reads " + std::to_string(p->next.reads->load(std::memory_order_relaxed)) + ")";
        if (p->next.kind == ActionKind::Lock && !can_move(c, *p) && p->state == State::Ready) {
            const Participant* owner = find_locked(c, c.lock_owner.at(p->next.lock));
            t.next += ": waits, " + (owner ? owner->name : std::string("another thread")) + " holds it";
        }
        t.can_move = c.on && c.running == 0 && can_move(c, *p);
        t.source_line = p->next.source_line;
        t.private_what = p->private_what;
        t.private_value = p->private_value;
        out.threads.push_back(std::move(t));
    }
    return out;
}

const char* to_string(ThreadView::State state) {
    switch (state) {
    case State::Starting: return "starting";
    case State::Ready: return "ready";
    case State::Moving: return "moving";
    case State::Blocked: return "blocked";
    case State::Finished: return "finished";
    }
    return "?";
}

//-----------------------------------------------------------------------------
// [SECTION] Schedules as strings
//-----------------------------------------------------------------------------
char schedule_char(int number) {
    if (number >= 0 && number < 10) return static_cast<char>('0' + number);
    if (number >= 10 && number < 36) return static_cast<char>('a' + number - 10);
    return '?';
}

int schedule_number(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'z') return c - 'a' + 10;
    return -1;
}

std::string check_schedule(std::string_view text) {
    if (text.size() > 100000) return "a schedule of " + std::to_string(text.size()) + " steps is too long (at most 100000)";
    for (std::size_t i = 0; i < text.size(); ++i)
        if (schedule_number(text[i]) < 0)
            return "'" + std::string(1, text[i]) + "' at position " + std::to_string(i + 1) +
                   " is not a thread of a schedule (0-9, then a-z)";
    return {};
}

//-----------------------------------------------------------------------------
// [SECTION] Explore
//-----------------------------------------------------------------------------
namespace {

// Steps that touch no shared state go first, lowest number first; only when every thread that
// can move is about to touch shared state does the run branch. Branches follow `prefix`, then
// the first alternative; `trail` records (chosen, alternatives) at each branch, for the next run.
struct ExploreTrail {
    std::vector<std::size_t> prefix;
    std::vector<std::pair<std::size_t, std::size_t>> trail;
    std::mt19937_64* random = nullptr;  // set: sample, instead of following prefix
};

class ExploreChooser final : public Chooser {
public:
    explicit ExploreChooser(ExploreTrail& trail) : trail_(trail) {}
    int choose(const std::vector<Candidate>& runnable) override {
        for (const Candidate& candidate : runnable)
            if (!candidate.next->shared) return candidate.number;
        std::size_t index = 0;
        const std::size_t branch = trail_.trail.size();
        if (trail_.random)
            index = std::uniform_int_distribution<std::size_t>(0, runnable.size() - 1)(*trail_.random);
        else if (branch < trail_.prefix.size())
            index = std::min(trail_.prefix[branch], runnable.size() - 1);
        trail_.trail.emplace_back(index, runnable.size());
        return runnable[index].number;
    }

private:
    ExploreTrail& trail_;
};

std::string outcome_text(const View& v) {
    std::string text;
    for (const auto& [name, value] : v.shared) text += (text.empty() ? "" : ", ") + name + " = " + std::to_string(value);
    return text.empty() ? "(no shared values)" : text;
}

}  // namespace

ExploreResult explore(const std::function<void()>& run_once, const ExploreOptions& options, const std::function<bool()>& keep_going) {
    ExploreResult result;
    const auto started = std::chrono::steady_clock::now();
    std::mt19937_64 random(options.seed);
    const auto run = [&](ExploreTrail& trail) {
        {
            Session session(std::make_unique<ExploreChooser>(trail));
            run_once();
        }
        const View v = view();
        const std::string text = outcome_text(v);
        auto outcome = std::find_if(result.outcomes.begin(), result.outcomes.end(), [&](const Outcome& o) { return o.text == text; });
        if (outcome == result.outcomes.end()) outcome = result.outcomes.insert(result.outcomes.end(), Outcome{text, 0, v.schedule});
        ++outcome->count;
        ++result.schedules;
        if (v.steps_at_first_note >= 0 && (result.fewest_steps_to_note < 0 || v.steps_at_first_note < result.fewest_steps_to_note)) {
            result.fewest_steps_to_note = v.steps_at_first_note;
            result.fewest_steps_schedule = v.schedule;
        }
    };
    const auto go_on = [&] { return !keep_going || keep_going(); };

    // Depth first: each run follows the last one's choices up to its deepest branch with an
    // alternative left, and takes the next alternative there.
    ExploreTrail trail;
    result.complete = true;
    while (go_on()) {
        trail.trail.clear();
        run(trail);
        std::size_t depth = trail.trail.size();
        while (depth > 0 && trail.trail[depth - 1].first + 1 >= trail.trail[depth - 1].second) --depth;
        if (depth == 0) break;  // every alternative taken
        if (result.schedules >= options.max_schedules) {
            result.complete = false;
            break;
        }
        trail.prefix.clear();
        for (std::size_t i = 0; i + 1 < depth; ++i) trail.prefix.push_back(trail.trail[i].first);
        trail.prefix.push_back(trail.trail[depth - 1].first + 1);
    }
    if (!go_on()) result.complete = false;
    if (!result.complete && go_on()) {  // too many: count random schedules instead
        result.outcomes.clear();
        result.schedules = 0;
        result.fewest_steps_to_note = -1;
        result.fewest_steps_schedule.clear();
        ExploreTrail sample;
        sample.random = &random;
        for (std::size_t i = 0; i < options.samples && go_on(); ++i) {
            sample.trail.clear();
            run(sample);
        }
    }
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return result;
}

}  // namespace pp::schedule
