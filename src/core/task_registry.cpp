#include "core/task_registry.hpp"

#include <algorithm>

namespace pp {

TaskRegistry& TaskRegistry::instance() {
    // A function-local static: registrations run during static init, in any translation-unit order.
    static TaskRegistry registry;
    return registry;
}

void TaskRegistry::add(TaskEntry entry) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (sealed_reason_ != nullptr)
        throw TaskRegistrationError("process task '" + entry.name + "' was registered after " + sealed_reason_ +
                                    "; workers would not know it. Register tasks at static-init time "
                                    "(PP_REGISTER_TASK at namespace scope).");
    auto existing = entries_.find(entry.name);
    if (existing != entries_.end()) {
        const bool same_function = existing->second.identity != nullptr && existing->second.identity == entry.identity &&
                                   existing->second.signature == entry.signature;
        if (same_function) return;  // the same registration seen twice, e.g. from an inline variable
        throw TaskRegistrationError("two different functions were registered as process task '" + entry.name +
                                    "'; task names must be unique");
    }
    std::string name = entry.name;
    entries_.emplace(std::move(name), std::move(entry));
}

const TaskEntry* TaskRegistry::find(const std::string& name) const {
    std::lock_guard<std::mutex> lock(mutex_);
    auto found = entries_.find(name);
    return found == entries_.end() ? nullptr : &found->second;  // nodes never move: the pointer stays valid
}

const TaskEntry& TaskRegistry::get(const std::string& name) const {
    const TaskEntry* entry = find(name);
    if (entry == nullptr) throw UnknownTaskError(name);
    return *entry;
}

const TaskEntry& TaskRegistry::get_checked(const std::string& name, std::type_index signature,
                                           const char* signature_text_for_errors) const {
    const TaskEntry& entry = get(name);
    if (entry.signature != signature)
        throw TaskSignatureError("process task '" + name + "' is registered as " + demangle(entry.signature.name()) +
                                 " but was called as " + demangle(signature_text_for_errors));
    return entry;
}

std::vector<std::string> TaskRegistry::names() const {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<std::string> names;
    names.reserve(entries_.size());
    for (const auto& item : entries_) names.push_back(item.first);
    std::sort(names.begin(), names.end());
    return names;
}

void TaskRegistry::seal(const char* reason) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (sealed_reason_ == nullptr) sealed_reason_ = reason;
}

bool TaskRegistry::sealed() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return sealed_reason_ != nullptr;
}

}  // namespace pp
