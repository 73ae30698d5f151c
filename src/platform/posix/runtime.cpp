#include "platform/runtime.hpp"

namespace pp::platform {

ThreadKind thread_kind() { return ThreadKind::OperatingSystem; }
ProcessKind process_kind() { return ProcessKind::Forked; }
bool has_tabs() { return false; }

}  // namespace pp::platform
