// ProcessPool.Map*Chunk*: ProcessPoolExecutor::map with Python's chunksize. Results in input
// order, one bad input fails only its own result, and fewer messages travel as chunks grow.
#include "process_test_tasks.hpp"

#include "core/process_registry.hpp"

#include <doctest.h>

#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

using namespace std::chrono_literals;

namespace {
int square_unless_five(int n) {
    if (n == 5) throw std::domain_error("bad input " + std::to_string(n));
    return n * n;
}
PP_REGISTER_TASK(square_unless_five);

std::uint64_t messages_sent_to(const std::vector<int>& pids) {
    std::uint64_t sent = 0;
    for (const pp::ProcessInfo& row : pp::ProcessRegistry::instance().snapshot())
        if (std::find(pids.begin(), pids.end(), row.pid) != pids.end()) sent += row.messages_sent;
    return sent;
}
}  // namespace

TEST_CASE("ProcessPool.MapKeepsInputOrderInChunks.2procs") {
    std::vector<int> numbers(13);
    std::iota(numbers.begin(), numbers.end(), 1);
    std::vector<int> expected;
    for (int n : numbers) expected.push_back(n * n);
    pp::ProcessPoolExecutor pool(2);
    for (std::size_t chunksize : {1, 2, 3, 7, 13, 100}) {
        CAPTURE(chunksize);
        CHECK(pool.map(pp_test::square_task, pp::Chunksize{chunksize}, numbers) == expected);
    }
    CHECK(pool.map(pp_test::square_task, pp::Chunksize{4}, std::vector<int>{}).empty());
}

TEST_CASE("ProcessPool.MapChunkFailsOnlyTheBadInput.2procs") {
    pp::ProcessPoolExecutor pool(2);
    // 5 sits in the middle of a chunk of 4 (3..6): map throws its error, as Python's does.
    try {
        (void)pool.map(square_unless_five_task, pp::Chunksize{4}, std::vector<int>{1, 2, 3, 4, 5, 6, 7, 8});
        FAIL("expected RemoteTaskError");
    } catch (const pp::RemoteTaskError& error) {
        CHECK(error.message() == "bad input 5");
        CHECK(error.type_name() == "std::domain_error");
        CHECK(error.task_name() == "square_unless_five");
    }
    // The chunk itself: the bad input failed alone, its neighbours returned.
    auto chunk = pool.submit(pp::detail::run_map_chunk_task, std::string("square_unless_five"),
                             std::vector<pp::Bytes>{pp::encode(4), pp::encode(5), pp::encode(6)})
                     .result();
    REQUIRE(chunk.second.size() == 3);
    CHECK(std::get<0>(chunk.second[0]));
    CHECK(pp::decode<int>(std::get<1>(chunk.second[0])) == 16);
    CHECK_FALSE(std::get<0>(chunk.second[1]));
    CHECK(std::get<3>(chunk.second[1]) == "bad input 5");
    CHECK(pp::decode<int>(std::get<1>(chunk.second[2])) == 36);
    CHECK_FALSE(pool.broken());  // a bad input is not a broken pool
}

TEST_CASE("ProcessPool.FewerMessagesAsChunksGrow.2procs") {
    std::vector<int> numbers(60);
    std::iota(numbers.begin(), numbers.end(), 0);
    const auto messages = [&](std::size_t chunksize) {
        std::vector<int> pids;
        {
            pp::ProcessPoolExecutor pool(2);
            pids = pool.worker_pids();
            (void)pool.map(pp_test::square_task, pp::Chunksize{chunksize}, numbers);
        }  // shutdown: one Stop per worker, counted alike in every case
        return messages_sent_to(pids);
    };
    const std::uint64_t one = messages(1), ten = messages(10), sixty = messages(60);
    CHECK(one == 60 + 2);
    CHECK(ten == 6 + 2);
    CHECK(sixty == 1 + 2);
}
