// Named process tasks: the C++ counterpart of pickling a function by its qualified name.
//
// Index of this file
// [SECTION] Errors
// [SECTION] TaskRef<R(Args...)>: a typed handle to a registered task
// [SECTION] TaskRegistry: name -> invoker(argument bytes) -> result bytes
// [SECTION] register_task / PP_REGISTER_TASK / find_task
//
// A worker process cannot receive a function pointer (it is an address in another process, and in
// the browser another WebAssembly instance), so it receives the task's NAME and looks it up in its
// own copy of the registry. Both sides fill that registry the same way, at static-init time:
//
//     int square(int x) { return x * x; }
//     PP_REGISTER_TASK(square);                       // defines `square_task`, a pp::TaskRef<int(int)>
//     auto future = pool.submit(square_task, 7);      // argument and result types checked at compile time
//
// Arguments and results travel through pp::Serializer (core/serialize.hpp); a parameter type
// without a Serializer is a compile error at the registration line.
#pragma once

#include "core/serialize.hpp"

#include <cstddef>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <typeindex>
#include <typeinfo>
#include <unordered_map>
#include <utility>
#include <vector>

namespace pp {

//-----------------------------------------------------------------------------
// [SECTION] Errors
//-----------------------------------------------------------------------------

// Submitting a task name nobody registered (a typo, or the registering .cpp was not linked in).
class UnknownTaskError : public std::invalid_argument {
public:
    explicit UnknownTaskError(const std::string& name)
        : std::invalid_argument("no process task named '" + name + "' is registered; register it with PP_REGISTER_TASK") {}
};

// A task called by name with argument or result types that differ from how it was registered.
class TaskSignatureError : public std::invalid_argument {
public:
    explicit TaskSignatureError(const std::string& what) : std::invalid_argument(what) {}
};

// A task registered too late to exist in the workers (after the fork server copied the registry),
// or a second, different function under an existing name.
class TaskRegistrationError : public std::logic_error {
public:
    explicit TaskRegistrationError(const std::string& what) : std::logic_error(what) {}
};

// "std::runtime_error" rather than "St13runtime_error", where the C++ runtime can tell us.
std::string demangle(const char* mangled_name);

template <class R, class... Args>
std::type_index task_signature_of() {
    // Parameters compare after decay: a task taking `const std::vector<int>&` is called with a vector.
    return std::type_index(typeid(R(std::decay_t<Args>...)));
}

//-----------------------------------------------------------------------------
// [SECTION] TaskRef<R(Args...)>: a typed handle to a registered task
//-----------------------------------------------------------------------------

template <class Signature>
class TaskRef;

// A task's name plus its signature in the type system. Cheap to copy. Executors check at submit
// time that the name is registered with this exact signature (so a TaskRef spelled by hand with a
// wrong signature fails loudly there, not in the worker).
template <class R, class... Args>
class TaskRef<R(Args...)> {
public:
    using Result = R;
    using ArgumentTuple = std::tuple<std::decay_t<Args>...>;

    TaskRef() = default;
    explicit TaskRef(std::string name) : name_(std::move(name)) {}

    const std::string& name() const { return name_; }
    static std::type_index signature() { return task_signature_of<R, Args...>(); }

    // The argument bytes a worker's invoker expects for this call.
    static Bytes encode_arguments(const std::decay_t<Args>&... args) {
        ByteWriter out;
        (write_value(out, args), ...);
        return out.take();
    }

private:
    std::string name_;
};

//-----------------------------------------------------------------------------
// [SECTION] TaskRegistry: name -> invoker(argument bytes) -> result bytes
//-----------------------------------------------------------------------------

struct TaskEntry {
    std::string name;
    std::type_index signature = std::type_index(typeid(void));  // demangle(signature.name()): "int (int)"
    const void* identity = nullptr;                             // the function pointer, to accept a repeated identical registration
    // Decodes the arguments, runs the task, encodes its result. Throws whatever the task throws,
    // and SerializationError for argument bytes that do not match the signature.
    std::function<void(ByteReader& arguments, ByteWriter& result)> invoke;
};

class TaskRegistry {
public:
    static TaskRegistry& instance();

    // Throws TaskRegistrationError for a different function under a taken name, or after seal().
    void add(TaskEntry entry);
    // nullptr when unknown. The entry stays valid for the life of the program.
    const TaskEntry* find(const std::string& name) const;
    // Throws UnknownTaskError.
    const TaskEntry& get(const std::string& name) const;
    // Throws UnknownTaskError, or TaskSignatureError when registered with another signature.
    const TaskEntry& get_checked(const std::string& name, std::type_index signature, const char* signature_text_for_errors) const;
    std::vector<std::string> names() const;

    // Called when workers get their copy of the registry (the fork server starts): registering
    // afterwards would create a task the parent knows and the workers do not, so it throws instead.
    void seal(const char* reason);
    bool sealed() const;

private:
    mutable std::mutex mutex_;
    std::unordered_map<std::string, TaskEntry> entries_;
    const char* sealed_reason_ = nullptr;
};

//-----------------------------------------------------------------------------
// [SECTION] register_task / PP_REGISTER_TASK / find_task
//-----------------------------------------------------------------------------

namespace detail {

template <class T>
inline constexpr bool is_sendable_parameter_v = !std::is_rvalue_reference_v<T> && !std::is_pointer_v<std::decay_t<T>>;

template <class R, class... Args, class F, std::size_t... I>
void invoke_with_tuple(F& fn, std::tuple<std::decay_t<Args>...>& arguments, ByteWriter& result, std::index_sequence<I...>) {
    // Each decoded argument is handed over as the parameter type asks: by value (moved), or by reference.
    if constexpr (std::is_void_v<R>) {
        fn(static_cast<std::conditional_t<std::is_lvalue_reference_v<Args>, Args, Args&&>>(std::get<I>(arguments))...);
    } else {
        write_value<R>(result,
                       fn(static_cast<std::conditional_t<std::is_lvalue_reference_v<Args>, Args, Args&&>>(std::get<I>(arguments))...));
    }
}

template <class R, class... Args, class F>
TaskEntry make_task_entry(std::string name, F fn, const void* identity) {
    static_assert((is_sendable_parameter_v<Args> && ...), "process task parameters must be values or references to values: pointers cannot "
                                                          "cross a process boundary");
    static_assert(!std::is_reference_v<R> && !std::is_pointer_v<R>,
                  "a process task must return a value (or void): references and pointers cannot cross "
                  "a process boundary");
    TaskEntry entry;
    entry.name = std::move(name);
    entry.signature = task_signature_of<R, Args...>();
    entry.identity = identity;
    entry.invoke = [fn](ByteReader& in, ByteWriter& out) mutable {
        std::tuple<std::decay_t<Args>...> arguments{read_value<std::decay_t<Args>>(in)...};
        in.expect_end("the task's arguments");
        invoke_with_tuple<R, Args...>(fn, arguments, out, std::index_sequence_for<Args...>{});
    };
    return entry;
}

}  // namespace detail

// Registers a plain function. Call at static-init time (PP_REGISTER_TASK does), before the fork
// server starts: later registrations throw TaskRegistrationError because workers would not know them.
template <class R, class... Args>
TaskRef<R(Args...)> register_task(std::string name, R (*fn)(Args...)) {
    TaskRegistry::instance().add(detail::make_task_entry<R, Args...>(name, fn, reinterpret_cast<const void*>(fn)));
    return TaskRef<R(Args...)>(std::move(name));
}

// Registers any callable under an explicit signature: register_task<int(int)>("twice", [](int x) { return 2 * x; }).
// Registering the same name twice with callables throws (they cannot be compared).
template <class Signature, class F>
TaskRef<Signature> register_task(std::string name, F callable);

namespace detail {
template <class Signature>
struct CallableRegistrar;
template <class R, class... Args>
struct CallableRegistrar<R(Args...)> {
    template <class F>
    static TaskRef<R(Args...)> add(std::string name, F callable) {
        std::function<R(Args...)> fn(std::move(callable));
        TaskRegistry::instance().add(detail::make_task_entry<R, Args...>(name, std::move(fn), nullptr));
        return TaskRef<R(Args...)>(std::move(name));
    }
};
}  // namespace detail

template <class Signature, class F>
TaskRef<Signature> register_task(std::string name, F callable) {
    return detail::CallableRegistrar<Signature>::add(std::move(name), std::move(callable));
}

// A typed handle to a task registered elsewhere (another .cpp), checked now: throws
// UnknownTaskError or TaskSignatureError.
template <class Signature>
TaskRef<Signature> find_task(const std::string& name) {
    TaskRegistry::instance().get_checked(name, TaskRef<Signature>::signature(), typeid(Signature).name());
    return TaskRef<Signature>(name);
}

}  // namespace pp

// PP_REGISTER_TASK(square) registers the function `square` under the name "square" and defines
// `square_task`, its pp::TaskRef. Use it at namespace scope in the .cpp that defines the function.
// Pitfall: in a static library, a .cpp nothing else references is not linked, and its tasks are
// then unknown (UnknownTaskError at submit); keep tasks next to the code that submits them.
#define PP_REGISTER_TASK(function) inline const auto function##_task = ::pp::register_task(#function, &function)

// PP_REGISTER_TASK_AS(square, "process_pool.square"): the same under a name of your choice, for
// two files that each have a `square` (Python tells them apart by module: a qualified name).
#define PP_REGISTER_TASK_AS(function, name) inline const auto function##_task = ::pp::register_task(name, &function)
