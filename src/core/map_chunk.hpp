// The task a worker runs for ProcessPoolExecutor::map with a chunksize (Python's map(fn, *it,
// chunksize=n)): one message carries a chunk of inputs, the worker runs the named task on each,
// and one message brings every result back. Each item's result or exception travels on its own,
// so one bad item fails only its own result. A header, so that every program that can submit a
// chunk (and every worker program, which links the lessons) registers the task.
#pragma once

#include "core/errors.hpp"
#include "core/ids.hpp"
#include "core/serialize.hpp"
#include "core/task_registry.hpp"

#include <exception>
#include <string>
#include <tuple>
#include <typeinfo>
#include <utility>
#include <vector>

namespace pp::detail {

// (returned, the result's bytes | the exception's type and message)
using ChunkItem = std::tuple<bool, Bytes, std::string, std::string>;
// The worker's pid (for RemoteTaskError), and one item per input, in order.
using ChunkReply = std::pair<int, std::vector<ChunkItem>>;

inline ChunkReply run_map_chunk(std::string task_name, std::vector<Bytes> arguments) {
    const TaskEntry& task = TaskRegistry::instance().get(task_name);
    ChunkReply reply{current_pid(), {}};
    reply.second.reserve(arguments.size());
    for (const Bytes& argument : arguments) {
        ByteReader in(argument.data(), argument.size());
        ByteWriter result;
        try {
            task.invoke(in, result);
            reply.second.emplace_back(true, result.take(), std::string(), std::string());
        } catch (const std::exception& error) {
            reply.second.emplace_back(false, Bytes(), demangle(typeid(error).name()), error.what());
        } catch (...) {
            reply.second.emplace_back(false, Bytes(), "unknown exception", "the task threw something that is not a std::exception");
        }
    }
    return reply;
}
PP_REGISTER_TASK_AS(run_map_chunk, "pp.map_chunk");

}  // namespace pp::detail
