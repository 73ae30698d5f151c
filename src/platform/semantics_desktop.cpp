// The desktop's side of platform/semantics.hpp: a native window has no DOM to keep in step.
// (Native screen readers would need AccessKit-style platform glue: not built yet.)
#include "platform/semantics.hpp"

namespace pp::platform {

void publish_semantics(const std::string&) {}

}  // namespace pp::platform
