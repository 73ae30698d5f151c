// The one main() of every doctest binary.
#define DOCTEST_CONFIG_IMPLEMENT
#include "doctest.h"

int main(int argc, char** argv) {
    doctest::Context context;
#ifdef __EMSCRIPTEN__
    // Under node every stream looks like a terminal, and colour codes would break CTest's
    // discovery of the test names (doctest_discover_tests parses --list-test-cases).
    context.setOption("no-colors", true);
#endif
    context.applyCommandLine(argc, argv);
    return context.run();
}
