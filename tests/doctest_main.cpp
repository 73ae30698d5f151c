// The one main() of every doctest binary.
#define DOCTEST_CONFIG_IMPLEMENT
#include "doctest.h"

#ifdef PP_COOPERATIVE
#include "core/sync.hpp"
#include "platform/cooperative/scheduler.hpp"

#include <emscripten.h>
#endif

int main(int argc, char** argv) {
    static doctest::Context context;  // static: in the cooperative build it outlives main()
#ifdef __EMSCRIPTEN__
    // Under node every stream looks like a terminal, and colour codes would break CTest's
    // discovery of the test names (doctest_discover_tests parses --list-test-cases).
    context.setOption("no-colors", true);
#endif
    context.applyCommandLine(argc, argv);
#ifdef PP_COOPERATIVE
    // The single-threaded build (the fallback page's): only the main loop may switch to fibers
    // (switching from main() would unwind main() itself), so the tests run on a fiber, as the
    // page's lessons do, and the loop drives the scheduler until they end.
    static int result = 1;
    static bool finished = false;
    static pp::sync::thread tests([] {
        result = context.run();
        finished = true;
    });
    emscripten_set_main_loop(
        [] {
            pp::platform::cooperative::run_for(std::chrono::milliseconds(50));
            if (!finished) return;
            tests.join();
            emscripten_force_exit(result);
        },
        0, true);
    return 1;  // not reached: the loop above owns the program until the tests end
#else
    return context.run();
#endif
}
