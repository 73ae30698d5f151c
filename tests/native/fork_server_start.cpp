// pp_native_tests set-up: starts the fork server once main() runs and before any test does;
// also holds the ThreadSanitizer suppression for a libstdc++ false positive (at the end).
//
// Why a doctest listener and not a static initializer: start_early() seals the task registry, so
// it must run after every PP_REGISTER_TASK of every translation unit, whose static-init order is
// unspecified; and it must run before any test starts a thread. test_run_start() is called from
// doctest's main after static init and before the first test: both hold. Each CTest test is its
// own process (one -tc= per test case), so each gets its own fresh server.
#include "platform/posix/fork_server.hpp"

#include <doctest.h>

namespace {

struct StartForkServerEarly : doctest::IReporter {
    explicit StartForkServerEarly(const doctest::ContextOptions&) {}
    void report_query(const doctest::QueryData&) override {}
    void test_run_start() override { pp::ForkServer::start_early(); }
    void test_run_end(const doctest::TestRunStats&) override {}
    void test_case_start(const doctest::TestCaseData&) override {}
    void test_case_reenter(const doctest::TestCaseData&) override {}
    void test_case_end(const doctest::CurrentTestCaseStats&) override {}
    void test_case_exception(const doctest::TestCaseException&) override {}
    void subcase_start(const doctest::SubcaseSignature&) override {}
    void subcase_end() override {}
    void log_assert(const doctest::AssertData&) override {}
    void log_message(const doctest::MessageData&) override {}
    void test_case_skipped(const doctest::TestCaseData&) override {}
};

REGISTER_LISTENER("pp_start_fork_server_early", 1, StartForkServerEarly);

}  // namespace

// ThreadSanitizer only: std::exception_ptr counts its references inside libstdc++, which is not
// instrumented, so TSan cannot see that the last owner (often the pool's transport thread,
// dropping a failed promise) frees the exception only after the test thread is done reading it.
// That false positive is suppressed here, narrowly; every other race still fails the run.
// (A weak hook the TSan runtime calls; in other builds it is an unused function.)
extern "C" const char* __tsan_default_suppressions() { return "race:std::__exception_ptr::exception_ptr::_M_release\n"; }
