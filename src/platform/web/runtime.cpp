#include "platform/runtime.hpp"

namespace pp::platform {

#ifdef PP_COOPERATIVE
ThreadKind thread_kind() { return ThreadKind::Fiber; }
#else
ThreadKind thread_kind() { return ThreadKind::WebWorker; }
#endif
ProcessKind process_kind() { return ProcessKind::WebWorkerInstance; }
bool has_tabs() { return true; }

}  // namespace pp::platform
