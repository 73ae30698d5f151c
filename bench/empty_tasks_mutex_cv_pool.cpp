// Peer: the pool a C++ programmer writes by hand: a queue of std::packaged_task under one
// std::mutex, workers that wait on a std::condition_variable, std::future results. The problem
// is empty_tasks_problem.hpp.
#include "empty_tasks_problem.hpp"

#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

namespace {

class MutexConditionPool {
public:
    explicit MutexConditionPool(int workers) {
        for (int i = 0; i < workers; ++i) threads_.emplace_back([this] { work(); });
    }
    ~MutexConditionPool() {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            stopping_ = true;
        }
        ready_.notify_all();
        for (auto& t : threads_) t.join();
    }

    template <class F>
    std::future<void> submit(F f) {
        std::packaged_task<void()> job(std::move(f));
        std::future<void> result = job.get_future();
        {
            std::lock_guard<std::mutex> lock(mutex_);
            queue_.push_back(std::move(job));
        }
        ready_.notify_one();
        return result;
    }

private:
    void work() {
        for (;;) {
            std::packaged_task<void()> job;
            {
                std::unique_lock<std::mutex> lock(mutex_);
                ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
                if (queue_.empty()) return;  // stopping, and nothing left to run
                job = std::move(queue_.front());
                queue_.pop_front();
            }
            job();
        }
    }

    std::mutex mutex_;
    std::condition_variable ready_;
    std::deque<std::packaged_task<void()>> queue_;
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

}  // namespace

int main(int argc, char** argv) {
    using namespace pp_bench::empty_tasks;
    MutexConditionPool pool(kWorkers);
    return run_model("mutex_cv_pool", argc, argv, [&pool](auto task) { return pool.submit(task); });
}
