#include "core/process_registry.hpp"

#include "core/ids.hpp"
#include "core/json.hpp"
#include "core/print.hpp"
#include "core/process_protocol.hpp"
#include "core/trace.hpp"
#include "core/worker_channel.hpp"

#include <algorithm>
#include <cstdio>
#include <thread>

namespace pp {

const char* to_string(ProcessState state) {
    switch (state) {
    case ProcessState::Starting: return "starting";
    case ProcessState::Idle: return "idle";
    case ProcessState::Running: return "running";
    case ProcessState::Exited: return "exited";
    case ProcessState::Killed: return "killed";
    case ProcessState::Crashed: return "crashed";
    }
    return "unknown";
}

ProcessRegistry& ProcessRegistry::instance() {
    // Never destroyed: a transport's thread may still report while static objects are torn down
    // (one of a pool destroyed in its own callback lives until the next pool frees it).
    static auto* registry = new ProcessRegistry;
    return *registry;
}

ProcessRegistry::Entry* ProcessRegistry::find_locked(int pid) {
    // Newest first: a reused pid's live row is the last one with that pid.
    for (auto entry = entries_.rbegin(); entry != entries_.rend(); ++entry)
        if (entry->info.pid == pid) return &*entry;
    return nullptr;
}

void ProcessRegistry::update_state_locked(Entry& entry) {
    if (has_ended(entry.info.state)) return;
    if (!entry.ready)
        entry.info.state = ProcessState::Starting;
    else
        entry.info.state = entry.in_flight.empty() ? ProcessState::Idle : ProcessState::Running;
    entry.info.task = entry.in_flight.empty() ? std::string() : entry.in_flight.front();
}

void ProcessRegistry::spawned(int pid, bool running, Controls controls) {
    std::lock_guard<std::mutex> lock(mutex_);
    Entry entry;
    entry.info.pid = pid;
    entry.info.name = "process " + std::to_string(pid);
    entry.ready = running;
    entry.info.can_control = static_cast<bool>(controls.kill) || static_cast<bool>(controls.crash);
    entry.controls = std::move(controls);
    update_state_locked(entry);
    entries_.push_back(std::move(entry));
    // Keep the last kMaxEnded ended rows; live ones always stay.
    std::size_t ended = 0;
    for (const Entry& e : entries_) ended += has_ended(e.info.state);
    for (auto it = entries_.begin(); ended > kMaxEnded && it != entries_.end();) {
        if (has_ended(it->info.state)) {
            it = entries_.erase(it);
            --ended;
        } else {
            ++it;
        }
    }
    changed_locked();
}

void ProcessRegistry::ready(int pid) {
    std::lock_guard<std::mutex> lock(mutex_);
    Entry* entry = find_locked(pid);
    if (!entry || entry->ready) return;
    entry->ready = true;
    update_state_locked(*entry);
    changed_locked();
}

void ProcessRegistry::sent(int pid, const std::uint8_t* frames, std::size_t size) {
    std::lock_guard<std::mutex> lock(mutex_);
    Entry* entry = find_locked(pid);
    if (!entry || has_ended(entry->info.state)) return;
    for_each_frame(frames, size, [&](const std::uint8_t* payload, std::size_t length) {
        ++entry->info.messages_sent;
        entry->info.bytes_sent += kFrameHeaderSize + length;
        if (!is_task_request(payload, length)) return;
        try {
            ByteReader in(payload, length);
            entry->in_flight.push_back(read_request_header(in).task_name);
        } catch (const SerializationError&) {
            entry->in_flight.push_back("(a request that does not decode)");
        }
    });
    update_state_locked(*entry);
    changed_locked();
}

void ProcessRegistry::received(int pid, const std::uint8_t* payload, std::size_t size) {
    const ReplyKind kind = peek_reply_kind(payload, size);
    if (kind == ReplyKind::Printed) {
        std::string name;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            Entry* entry = find_locked(pid);
            name = entry && !entry->info.name.empty() ? entry->info.name : "pid " + std::to_string(pid);
            if (entry) {
                ++entry->info.messages_received;
                entry->info.bytes_received += kFrameHeaderSize + size;
                changed_locked();
            }
        }
        // Outside the lock: the console it goes to may take its own locks, and a UI thread
        // reading this registry must never wait behind a line being printed.
        detail::deliver_printed(payload, size, name);
        return;
    }
    std::lock_guard<std::mutex> lock(mutex_);
    Entry* entry = find_locked(pid);
    if (!entry) return;
    ++entry->info.messages_received;
    entry->info.bytes_received += kFrameHeaderSize + size;
    if (ends_task(kind)) {
        if (!entry->in_flight.empty()) entry->in_flight.pop_front();
        ++entry->info.tasks_done;
    } else if (kind == ReplyKind::Variable) {
        try {
            ByteReader in(payload, size);
            const Reply reply = read_value<Reply>(in);
            set_variable_locked(entry->info.variables,
                                ProcessVariable{"", reply.variable_name, reply.variable_value, reply.variable_address});
        } catch (const SerializationError&) {
            // The pool that reads the same frame reports a corrupt stream; nothing to show here.
        }
    }
    update_state_locked(*entry);
    changed_locked();
}

void ProcessRegistry::ended(int pid, const WorkerExit& exit) {
    std::lock_guard<std::mutex> lock(mutex_);
    Entry* entry = find_locked(pid);
    if (!entry || has_ended(entry->info.state)) return;
    // 9 and 15 (SIGKILL, SIGTERM) are ends asked for from outside; any other signal, or a
    // status lost with the fork server, is a crash.
    if (exit.known && exit.signal == 0)
        entry->info.state = ProcessState::Exited;
    else if (exit.known && (exit.signal == 9 || exit.signal == 15))
        entry->info.state = ProcessState::Killed;
    else
        entry->info.state = ProcessState::Crashed;
    entry->info.how = exit.how;
    entry->info.task.clear();
    entry->in_flight.clear();
    entry->controls = Controls{};
    entry->info.can_control = false;
    changed_locked();
}

void ProcessRegistry::drop_controls(int pid) {
    std::lock_guard<std::mutex> lock(mutex_);
    Entry* entry = find_locked(pid);
    if (!entry) return;
    entry->controls = Controls{};
    entry->info.can_control = false;
    changed_locked();
}

void ProcessRegistry::set_name(int pid, std::string name) {
    std::lock_guard<std::mutex> lock(mutex_);
    Entry* entry = find_locked(pid);
    if (!entry) return;
    entry->info.name = std::move(name);
    changed_locked();
}

bool ProcessRegistry::kill(int pid) {
    std::lock_guard<std::mutex> lock(mutex_);
    Entry* entry = find_locked(pid);
    if (!entry || has_ended(entry->info.state) || !entry->controls.kill) return false;
    entry->controls.kill();
    return true;
}

int ProcessRegistry::kill_all() {
    std::lock_guard<std::mutex> lock(mutex_);
    int killed = 0;
    for (Entry& entry : entries_) {
        if (has_ended(entry.info.state) || !entry.controls.kill) continue;
        entry.controls.kill();
        ++killed;
    }
    return killed;
}

bool ProcessRegistry::crash(int pid) {
    std::lock_guard<std::mutex> lock(mutex_);
    Entry* entry = find_locked(pid);
    if (!entry || has_ended(entry->info.state) || !entry->controls.crash) return false;
    entry->controls.crash();
    return true;
}

void ProcessRegistry::set_variable_locked(std::vector<ProcessVariable>& variables, ProcessVariable variable) {
    for (ProcessVariable& known : variables) {
        if (known.thread == variable.thread && known.name == variable.name) {
            known = std::move(variable);
            return;
        }
    }
    variables.push_back(std::move(variable));
}

void ProcessRegistry::publish_local(std::string thread, std::string name, std::int64_t value, std::uint64_t address) {
    std::lock_guard<std::mutex> lock(mutex_);
    set_variable_locked(self_.variables, ProcessVariable{std::move(thread), std::move(name), value, address});
    changed_locked();
}

std::vector<ProcessInfo> ProcessRegistry::snapshot() const {
    std::vector<ProcessInfo> rows;
    std::uint64_t version = 0;
    while (!try_snapshot(rows, version)) std::this_thread::yield();
    return rows;
}

bool ProcessRegistry::try_snapshot(std::vector<ProcessInfo>& rows, std::uint64_t& version) const {
    if (version_.load(std::memory_order_acquire) == version) return false;
    std::unique_lock<std::mutex> lock(mutex_, std::try_to_lock);
    if (!lock.owns_lock()) return false;
    rows.clear();
    rows.reserve(entries_.size() + 1);
    rows.push_back(self_);
    ProcessInfo& self = rows.back();
    self.pid = current_pid();
    self.name = "MainProcess";
    self.is_this_process = true;
    self.state = ProcessState::Running;
    for (const Entry& entry : entries_) rows.push_back(entry.info);
    version = version_.load(std::memory_order_acquire);
    return true;
}

void ProcessRegistry::forget_ended() {
    std::lock_guard<std::mutex> lock(mutex_);
    entries_.erase(std::remove_if(entries_.begin(), entries_.end(), [](const Entry& entry) { return has_ended(entry.info.state); }),
                   entries_.end());
    self_.variables.clear();
    changed_locked();
}

std::string ProcessRegistry::to_json() const {
    const std::vector<ProcessInfo> rows = snapshot();
    std::string json = "[";
    char numbers[256];
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const ProcessInfo& p = rows[i];
        std::snprintf(numbers, sizeof numbers,
                      "{\"pid\":%d,\"self\":%s,\"tasks_done\":%llu,\"messages_sent\":%llu,\"bytes_sent\":%llu,"
                      "\"messages_received\":%llu,\"bytes_received\":%llu,\"can_control\":%s",
                      p.pid, p.is_this_process ? "true" : "false", static_cast<unsigned long long>(p.tasks_done),
                      static_cast<unsigned long long>(p.messages_sent), static_cast<unsigned long long>(p.bytes_sent),
                      static_cast<unsigned long long>(p.messages_received), static_cast<unsigned long long>(p.bytes_received),
                      p.can_control ? "true" : "false");
        json += (i ? "," : "") + std::string(numbers);
        json += ",\"name\":" + json_string(p.name) + ",\"state\":" + json_string(to_string(p.state)) + ",\"how\":" + json_string(p.how) +
                ",\"task\":" + json_string(p.task) + ",\"variables\":[";
        for (std::size_t v = 0; v < p.variables.size(); ++v) {
            const ProcessVariable& variable = p.variables[v];
            std::snprintf(numbers, sizeof numbers, ",\"value\":%lld,\"address\":%llu}", static_cast<long long>(variable.value),
                          static_cast<unsigned long long>(variable.address));
            json += (v ? ",{" : "{") + std::string("\"thread\":") + json_string(variable.thread) +
                    ",\"name\":" + json_string(variable.name) + numbers;
        }
        json += "]}";
    }
    return json + "]";
}

//-----------------------------------------------------------------------------
// [SECTION] publish_variable
//-----------------------------------------------------------------------------

void publish_variable(std::string_view name, std::int64_t value, const void* address) {
    const auto address_value = static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(address));
    Reply reply;
    reply.kind = ReplyKind::Variable;
    reply.worker_pid = current_pid();
    reply.variable_name = std::string(name);
    reply.variable_value = value;
    reply.variable_address = address_value;
    if (send_to_parent(reply)) return;  // a worker process: its parent's panel shows it, live
    ProcessRegistry::instance().publish_local(trace::current_lane().name, std::string(name), value, address_value);
}

}  // namespace pp
