// The page's pp::demangle: type names as the compiler wrote them ("St13runtime_error").
//
// Why: libc++abi's demangler is 17 KB of playground.wasm (brotli), fetched before the first frame,
// and the page never needs it. Exceptions raised in browser processes are named inside
// process_worker.wasm, which keeps the readable core/type_names.cpp, and the page's lessons call
// each process task with the signature it was registered with (a TaskSignatureError would show
// the mangled signature). Linked into the page's programs directly, this definition keeps
// core/type_names.cpp's object out of the link: a static library's member is only pulled in for
// a symbol still undefined.
#include "core/task_registry.hpp"

namespace pp {

std::string demangle(const char* mangled_name) { return mangled_name; }

}  // namespace pp
