// pp::demangle, alone in its file: the page links its own (src/platform/web/page_type_names.cpp),
// and then this object, with the C++ runtime's demangler it pulls in, stays out of the page.
#include <cstdlib>
#include <memory>

#include "core/task_registry.hpp"

#if defined(__has_include)
#if __has_include(<cxxabi.h>)
#include <cxxabi.h>
#define PP_HAVE_CXXABI 1
#endif
#endif

namespace pp {

std::string demangle(const char* mangled_name) {
#ifdef PP_HAVE_CXXABI
    int status = 0;
    std::unique_ptr<char, void (*)(void*)> readable(abi::__cxa_demangle(mangled_name, nullptr, nullptr, &status), std::free);
    if (status == 0 && readable) return readable.get();
#endif
    return mangled_name;
}

}  // namespace pp
