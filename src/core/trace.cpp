// The trace recorder: per-thread buffers, snapshot, Chrome Trace Event export.
//
// Index of this file
// [SECTION] Clock epoch and kind names
// [SECTION] Per-thread buffers and the registry
// [SECTION] Recording
// [SECTION] Snapshot, clear, foreign events
// [SECTION] Chrome Trace Event JSON
// [SECTION] TraceSpan
#include "core/trace.hpp"

#include "core/json.hpp"
#include "core/sync.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <thread>
#include <tuple>
#include <utility>

#if defined(__x86_64__) && defined(__linux__) && !defined(__EMSCRIPTEN__)
#include <x86intrin.h>
#define PP_TRACE_TSC_CLOCK 1
#else
#define PP_TRACE_TSC_CLOCK 0
#endif

namespace pp {

//-----------------------------------------------------------------------------
// [SECTION] Clock epoch and kind names
//-----------------------------------------------------------------------------
namespace {
using Clock = std::chrono::steady_clock;

const Clock::time_point& epoch() {
    static const Clock::time_point value = Clock::now();
    return value;
}
// Taken during static initialization, i.e. before main() and before any fork(), so children share it.
const bool g_epoch_taken = (epoch(), true);
const sync::thread::id g_main_thread = sync::this_thread::get_id();

const char* const kKindNames[kTraceKindCount] = {"TaskSubmitted", "TaskRun",   "Sleep", "IoWait", "LockWait", "GilWait",   "JoinBlocked",
                                                 "ThreadStart",   "ThreadEnd", "Print", "Note",   "GilHeld",  "ResultWait"};
}  // namespace

const char* to_string(TraceKind kind) {
    const int i = static_cast<int>(kind);
    return i >= 0 && i < kTraceKindCount ? kKindNames[i] : "Unknown";
}

std::optional<TraceKind> trace_kind_from_string(std::string_view text) {
    for (int i = 0; i < kTraceKindCount; ++i)
        if (text == kKindNames[i]) return static_cast<TraceKind>(i);
    return std::nullopt;
}

bool is_instant(TraceKind kind) {
    return kind == TraceKind::TaskSubmitted || kind == TraceKind::ThreadStart || kind == TraceKind::ThreadEnd || kind == TraceKind::Print ||
           kind == TraceKind::Note;
}

namespace trace {

namespace {
std::atomic<std::int64_t (*)()> g_clock{nullptr};  // nullptr: steady_clock
std::int64_t g_clock_epoch = 0;                    // g_clock's reading at use_clock()
std::atomic<std::int64_t> g_clock_offset_ns{0};    // set_clock_offset_ns()
std::atomic<bool> g_clock_is_virtual{false};
}  // namespace

bool clock_is_virtual() { return g_clock_is_virtual.load(); }

std::int64_t steady_ns() { return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - epoch()).count(); }

#if PP_TRACE_TSC_CLOCK
// The time-stamp counter as steady_clock, once calibrated against it: a read costs about 10 ns
// where clock_gettime costs about 25 (bench: trace_cost_ns_per_task, two reads per task). The
// counter's rate is not published anywhere cheap, so it is measured: one (counter, steady_clock)
// pair at static initialization, another once the program has run kCalibrateAfterNs, and the
// rate between them. Until then, and wherever the kernel does not use the TSC as its own clock
// source (then the counters may disagree between CPUs), now_ns() reads steady_clock.
namespace tsc {
constexpr std::int64_t kCalibrateAfterNs = 200'000'000;  // the pairs' error (~10 ns) is then 5e-8 of the span
enum State : int { Waiting, Calibrating, Ready, Unusable };

struct Pair {
    std::uint64_t ticks;
    std::int64_t ns;
};
// A counter read on each side of a steady_clock read; the tightest of three, its midpoint.
Pair read_pair() {
    Pair best{0, 0};
    std::uint64_t best_width = ~std::uint64_t{0};
    for (int i = 0; i < 3; ++i) {
        const std::uint64_t before = __rdtsc();
        const std::int64_t ns = steady_ns();
        const std::uint64_t after = __rdtsc();
        if (after - before < best_width) best_width = after - before, best = Pair{before + (after - before) / 2, ns};
    }
    return best;
}

const Pair g_start = read_pair();  // static initialization: before main() and any fork()
std::atomic<int> g_state{Waiting};
Pair g_anchor{0, 0};                 // written once, before g_state becomes Ready (release)
std::int64_t g_ns_per_tick_q32 = 0;  // nanoseconds per tick, 32 fractional bits

bool kernel_uses_tsc() {
    std::FILE* f = std::fopen("/sys/devices/system/clocksource/clocksource0/current_clocksource", "r");
    if (!f) return false;
    char name[32] = {};
    const bool tsc = std::fgets(name, sizeof name, f) && std::strncmp(name, "tsc\n", 4) == 0;
    std::fclose(f);
    return tsc;
}

// Read once, at static initialization: a fork()ed worker that calibrates at its first task reads no file.
const bool g_kernel_uses_tsc = kernel_uses_tsc();

// Called with a steady_clock reading; the first caller past kCalibrateAfterNs calibrates. Where
// the counter is unusable every later read comes here: a plain load keeps those reads from
// making an atomic read-modify-write each.
void maybe_calibrate(std::int64_t steady_now_ns) {
    if (steady_now_ns - g_start.ns < kCalibrateAfterNs || g_state.load(std::memory_order_relaxed) != Waiting) return;
    int expected = Waiting;
    if (!g_state.compare_exchange_strong(expected, Calibrating)) return;
    if (!g_kernel_uses_tsc) return g_state.store(Unusable);
    const Pair end = read_pair();
    if (end.ticks <= g_start.ticks) return g_state.store(Unusable);
    g_ns_per_tick_q32 = static_cast<std::int64_t>((static_cast<__int128>(end.ns - g_start.ns) << 32) / (end.ticks - g_start.ticks));
    g_anchor = end;
    g_state.store(Ready, std::memory_order_release);
}

inline bool ready() { return g_state.load(std::memory_order_acquire) == Ready; }
inline std::int64_t now_ns() {
    // Signed: another CPU's counter may read a few ticks behind the anchor.
    const auto ticks = static_cast<std::int64_t>(__rdtsc() - g_anchor.ticks);
    return g_anchor.ns + static_cast<std::int64_t>((static_cast<__int128>(ticks) * g_ns_per_tick_q32) >> 32);
}
}  // namespace tsc
#endif

std::int64_t now_ns() {
    (void)g_epoch_taken;
    if (const auto clock = g_clock.load(std::memory_order_acquire)) return clock() - g_clock_epoch;
    const std::int64_t offset = g_clock_offset_ns.load(std::memory_order_relaxed);
#if PP_TRACE_TSC_CLOCK
    if (tsc::ready()) return tsc::now_ns() + offset;
    const std::int64_t steady = steady_ns();
    tsc::maybe_calibrate(steady);
    return steady + offset;
#else
    return steady_ns() + offset;
#endif
}

void use_clock(std::int64_t (*clock)(), bool virtual_time) {
    g_clock_is_virtual.store(clock && virtual_time);
    // Keep "nanoseconds since the program started": shift the new clock onto the current reading.
    g_clock_epoch = clock ? clock() - now_ns() : 0;
    g_clock.store(clock, std::memory_order_release);
}

void set_clock_offset_ns(std::int64_t offset_ns) { g_clock_offset_ns.store(offset_ns); }

//-----------------------------------------------------------------------------
// [SECTION] Per-thread buffers and the registry
//-----------------------------------------------------------------------------
namespace {

// Each buffer is written by its own thread and read only by snapshot()/clear(), so the lock is
// almost never contended: a spin lock costs one atomic exchange instead of a mutex round trip.
class SpinLock {
public:
    void lock() noexcept {
        while (locked_.exchange(true, std::memory_order_acquire))
            while (locked_.load(std::memory_order_relaxed)) std::this_thread::yield();
    }
    void unlock() noexcept { locked_.store(false, std::memory_order_release); }

private:
    std::atomic<bool> locked_{false};
};

// An event without its lane (stored once per buffer) and with its texts in the buffer's arena:
// 40 bytes instead of ~100 with two std::strings. Recording 100k tiny tasks writes megabytes of
// events, and the cache misses of writing them cost more than building them.
struct RawEvent {
    std::int64_t begin_ns;
    std::int64_t end_ns;
    std::uint64_t task_id;
    std::uint32_t name_at;  // offset into ThreadBuffer::text
    std::uint32_t args_at;
    std::uint16_t name_len;  // texts longer than 65535 bytes are cut
    std::uint16_t args_len;
    TraceKind kind;
};

// Events live in fixed chunks that are never moved and are kept across clear(). One growing
// vector of megabytes was copied on every doubling, and its multi-megabyte blocks go through
// mmap/munmap, which moves glibc's dynamic trim threshold: how often the heap is then trimmed
// and faulted back in varies from run to run, so it added noise to the benchmarks.
// 1024 events (40 KiB) stay below the default mmap threshold.
constexpr std::size_t kChunkEvents = 1024;
constexpr std::size_t kPrefetchAhead = 8;  // events (320 bytes: five cache lines)
struct EventChunk {
    RawEvent events[kChunkEvents];  // left uninitialized: only [0, count) is read
};

// Written by its own thread (the owner) and read by snapshot()/clear(). The owner's usual append
// (same name as the last event, no args, room in the last chunk) takes no lock and makes no atomic
// read-modify-write: it writes the event, then publishes it with a release store of `count`.
// Everything else that changes the buffer happens under `lock`, which readers hold: new text, a
// new chunk, and taking back what clear() dropped. Only the owner ever writes `count`, `chunks`
// and `text`, so it reads them without the lock; readers read events [cleared, count) only, and
// the owner writes at index `count` or later until it takes the lock.
struct ThreadBuffer {
    SpinLock lock;
    TraceLane lane;
    std::vector<std::unique_ptr<EventChunk>> chunks;
    std::atomic<std::size_t> count{0};    // events recorded in chunks (published ones)
    std::atomic<std::size_t> cleared{0};  // events before this one were dropped by clear()
    std::string text;                     // every event's name and args, back to back
    // The last name appended: runs of events with one name ("task") share its text.
    std::uint32_t last_name_at = 0;
    std::uint16_t last_name_len = 0;
    std::atomic<bool> thread_ended{false};
    // Spans in progress (open_span), innermost last: written by the owner without a lock (a
    // lock's atomic exchange each way doubled what tracing adds to a pool's task), read by
    // snapshot_live() as a sequence lock: `open_seq` is odd while the owner writes, and a read
    // that saw it change is taken again. Every field is an atomic, so a torn read is only ever
    // discarded, never undefined. Names and args are kept to their first 32 bytes here; the span
    // recorded when it closes has them whole.
    static constexpr std::size_t kOpenDepth = 8;  // deeper spans are recorded, just not shown while open
    static constexpr std::size_t kOpenTextWords = 4;
    struct OpenText {
        std::atomic<std::uint64_t> words[kOpenTextWords];
        std::atomic<std::uint8_t> length;
    };
    struct OpenSpan {
        std::atomic<std::uint8_t> kind;
        std::atomic<std::uint64_t> task_id;
        std::atomic<std::int64_t> begin_ns;
        OpenText name, args;
    };
    OpenSpan open[kOpenDepth];
    std::atomic<std::uint32_t> open_count{0};
    std::atomic<std::uint32_t> open_seq{0};
    std::uint64_t open_tokens[kOpenDepth] = {};  // owner only: which open_span() each slot holds
    std::uint64_t next_open_token = 1;           // owner only

    RawEvent& at(std::size_t index) { return chunks[index / kChunkEvents]->events[index % kChunkEvents]; }
};

struct Registry {
    std::mutex mutex;
    std::vector<std::shared_ptr<ThreadBuffer>> buffers;
    std::vector<TraceEvent> foreign;
    std::map<int, std::string> process_names;
    int next_thread_number = 1;
};

// Never destroyed: threads may still record while static objects are torn down.
Registry& registry() {
    static Registry* instance = new Registry;
    return *instance;
}

std::atomic<std::uint64_t> g_next_task_id{1};

// The buffer outlives its thread (the registry owns it), so events of finished threads stay visible.
struct BufferOwner {
    std::shared_ptr<ThreadBuffer> buffer;
    ~BufferOwner() {
        if (buffer) buffer->thread_ended.store(true, std::memory_order_relaxed);
    }
};
PP_THREAD_LOCAL(ThreadBuffer*, t_buffer)  // fast path: a trivially constructed thread_local
PP_THREAD_LOCAL(BufferOwner, t_owner)

// A thread's first event: makes its buffer and lane. Out of line, so that the usual lookup below
// stays a thread_local load the compiler inlines into every recording call.
[[gnu::noinline]] ThreadBuffer& register_this_thread() {
    auto buffer = std::make_shared<ThreadBuffer>();
    buffer->lane.pid = current_pid();
    buffer->lane.tid = current_tid();
    Registry& r = registry();
    {
        std::lock_guard<std::mutex> lock(r.mutex);
        buffer->lane.name =
            sync::this_thread::get_id() == g_main_thread ? std::string("MainThread") : "Thread-" + std::to_string(r.next_thread_number++);
        r.buffers.push_back(buffer);
    }
    t_owner().buffer = buffer;
    t_buffer() = buffer.get();
    return *t_buffer();
}

inline ThreadBuffer& this_thread_buffer() {
    if (ThreadBuffer* buffer = t_buffer()) [[likely]]
        return *buffer;
    return register_this_thread();
}

// Owner only, under the lock: drops the events clear() marked, moving any recorded since to the front.
void take_back_cleared(ThreadBuffer& buffer) {
    const std::size_t from = buffer.cleared.load(std::memory_order_relaxed);
    if (from == 0) return;
    const std::size_t count = buffer.count.load(std::memory_order_relaxed);
    for (std::size_t i = from; i < count; ++i) buffer.at(i - from) = buffer.at(i);
    if (count == from) {  // nothing kept refers to the text
        buffer.text.clear();
        buffer.last_name_at = 0;
        buffer.last_name_len = 0;
    }
    buffer.count.store(count - from, std::memory_order_release);
    buffer.cleared.store(0, std::memory_order_relaxed);
}

// Owner only: writes the event at index `index` and publishes it.
void publish(ThreadBuffer& buffer, std::size_t index, const RawEvent& event) {
    RawEvent* const slot = &buffer.at(index);
    *slot = event;
    // Events stream through megabytes that are no longer cached: ask for the line a few events
    // ahead now (for writing), so the write there does not stall on the miss.
    if (index % kChunkEvents + kPrefetchAhead < kChunkEvents) __builtin_prefetch(slot + kPrefetchAhead, 1);
    buffer.count.store(index + 1, std::memory_order_release);
}

// Up to 8 bytes of `text` as one little-endian word, zero above `length`: two loads that overlap
// (bytes 0-3 and length-4..length-1), never a byte past the text. A byte-by-byte loop was a
// quarter of an append (names are a few bytes: "task").
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "load_short() puts byte k at bits 8k: little-endian loads");
[[gnu::always_inline]] inline std::uint64_t load_short(const char* text, std::size_t length) {
    const auto load32 = [](const char* at) {
        std::uint32_t word;
        std::memcpy(&word, at, sizeof word);
        return std::uint64_t{word};
    };
    if (length >= 4) return load32(text) | (load32(text + length - 4) << (8 * (length - 4)));
    std::uint64_t word = 0;
    for (std::size_t k = 0; k < length; ++k) word |= std::uint64_t{static_cast<unsigned char>(text[k])} << (8 * k);
    return word;
}

// Names are a few bytes ("task"): compared a word at a time, inline, not by a call to memcmp.
[[gnu::always_inline]] inline bool same_bytes(const char* a, const char* b, std::size_t n) {
    if (n <= 8) return load_short(a, n) == load_short(b, n);
    return std::memcmp(a, b, n) == 0;
}

// Everything but the usual append (push() below): under the lock. Out of line, and called as
// push()'s last act with push()'s own arguments, so that push() inlines into span() and instant()
// as a few loads and stores that save no registers.
[[gnu::noinline]] void push_under_lock(TraceKind kind, std::uint64_t task_id, std::int64_t begin_ns, std::int64_t end_ns,
                                       std::string_view name, std::string_view args) {
    ThreadBuffer& buffer = this_thread_buffer();
    const auto name_len = static_cast<std::uint16_t>(std::min<std::size_t>(name.size(), 0xFFFF));
    const auto args_len = static_cast<std::uint16_t>(std::min<std::size_t>(args.size(), 0xFFFF));
    std::lock_guard<SpinLock> lock(buffer.lock);
    take_back_cleared(buffer);
    const bool same_name = name_len == buffer.last_name_len && same_bytes(buffer.text.data() + buffer.last_name_at, name.data(), name_len);
    if (!same_name || buffer.text.empty()) {
        buffer.last_name_at = static_cast<std::uint32_t>(buffer.text.size());
        buffer.last_name_len = name_len;
        buffer.text.append(name.data(), name_len);
    }
    const auto args_at = static_cast<std::uint32_t>(buffer.text.size());
    if (args_len) buffer.text.append(args.data(), args_len);
    const std::size_t index = buffer.count.load(std::memory_order_relaxed);
    if (index / kChunkEvents == buffer.chunks.size()) buffer.chunks.emplace_back(new EventChunk);
    publish(buffer, index, RawEvent{begin_ns, end_ns, task_id, buffer.last_name_at, args_at, name_len, args_len, kind});
}

// The usual append: a thread's buffer exists, the name is its last event's and at most 8 bytes
// (longer names take the lock, to keep this path free of a call to memcmp), no args, and its last
// chunk has room.
inline void push(TraceKind kind, std::uint64_t task_id, std::int64_t begin_ns, std::int64_t end_ns, std::string_view name,
                 std::string_view args) {
    ThreadBuffer* const buffer = t_buffer();
    if (buffer && args.empty() && name.size() == buffer->last_name_len && name.size() <= 8) [[likely]] {
        const std::size_t count = buffer->count.load(std::memory_order_relaxed);
        if (load_short(buffer->text.data() + buffer->last_name_at, name.size()) == load_short(name.data(), name.size()) &&
            count / kChunkEvents < buffer->chunks.size() && buffer->cleared.load(std::memory_order_relaxed) == 0) [[likely]] {
            publish(*buffer, count, RawEvent{begin_ns, end_ns, task_id, buffer->last_name_at, 0, buffer->last_name_len, 0, kind});
            return;
        }
    }
    push_under_lock(kind, task_id, begin_ns, end_ns, name, args);
}

}  // namespace

//-----------------------------------------------------------------------------
// [SECTION] Recording
//-----------------------------------------------------------------------------
void set_enabled(bool on) { detail::g_enabled.store(on, std::memory_order_relaxed); }

void instant(TraceKind kind, std::string_view name, std::uint64_t task_id, std::string_view args) {
    if (!enabled()) return;
    const std::int64_t now = now_ns();
    push(kind, task_id, now, now, name, args);
}

void span(TraceKind kind, std::string_view name, std::int64_t begin_ns, std::int64_t end_ns, std::uint64_t task_id, std::string_view args) {
    if (!enabled()) return;
    push(kind, task_id, begin_ns, std::max(begin_ns, end_ns), name, args);
}

void set_lane_name(std::string_view name) {
    ThreadBuffer& buffer = this_thread_buffer();
    std::lock_guard<SpinLock> lock(buffer.lock);
    buffer.lane.name = std::string(name);
}

TraceLane current_lane() {
    ThreadBuffer& buffer = this_thread_buffer();
    std::lock_guard<SpinLock> lock(buffer.lock);
    return buffer.lane;
}

std::uint64_t next_task_id() { return g_next_task_id.fetch_add(1, std::memory_order_relaxed); }

//-----------------------------------------------------------------------------
// [SECTION] Snapshot, clear, foreign events
//-----------------------------------------------------------------------------
namespace {
// Text into words read straight from it (load_short): a memcpy into a word on the stack and its
// load back stalled on store forwarding, a third of an open span's cost. Names are a few bytes.
[[gnu::always_inline]] inline void write_open_text(ThreadBuffer::OpenText& text, std::string_view value) {
    const std::size_t length = std::min(value.size(), ThreadBuffer::kOpenTextWords * 8);
    for (std::size_t at = 0; at < length; at += 8)
        text.words[at / 8].store(load_short(value.data() + at, std::min<std::size_t>(length - at, 8)), std::memory_order_release);
    text.length.store(static_cast<std::uint8_t>(length), std::memory_order_release);
}

std::string read_open_text(const ThreadBuffer::OpenText& text) {
    const std::size_t length = std::min<std::size_t>(text.length.load(std::memory_order_acquire), ThreadBuffer::kOpenTextWords * 8);
    std::string out(length, '\0');
    for (std::size_t at = 0; at < length; at += 8) {
        const std::uint64_t word = text.words[at / 8].load(std::memory_order_acquire);
        for (std::size_t k = 0; k < 8 && at + k < length; ++k) out[at + k] = static_cast<char>((word >> (8 * k)) & 0xFF);
    }
    return out;
}

// The owner's side of the sequence lock around a change of its open spans. No fences (which
// ThreadSanitizer does not model): the owner's stores between these are releases and the
// reader's loads acquires, so a reader that sees any of them also sees the odd count before it
// (Boehm, "Can seqlocks get along with programming language memory models?", 2012).
void begin_open_write(ThreadBuffer& buffer) {
    buffer.open_seq.store(buffer.open_seq.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);  // odd: writing
}
void end_open_write(ThreadBuffer& buffer) {
    buffer.open_seq.store(buffer.open_seq.load(std::memory_order_relaxed) + 1, std::memory_order_release);  // even: done
}

// The buffer's open spans, each ending at `until_ns`, read consistently while the owner goes on.
void append_open_spans(const ThreadBuffer& buffer, std::int64_t until_ns, std::vector<TraceEvent>& out) {
    for (;;) {
        const std::uint32_t seq = buffer.open_seq.load(std::memory_order_acquire);
        if (seq % 2 != 0) {
            std::this_thread::yield();
            continue;
        }
        std::vector<TraceEvent> read;
        const std::size_t count = std::min<std::size_t>(buffer.open_count.load(std::memory_order_acquire), ThreadBuffer::kOpenDepth);
        for (std::size_t i = 0; i < count; ++i) {
            const ThreadBuffer::OpenSpan& o = buffer.open[i];
            const std::int64_t begin_ns = o.begin_ns.load(std::memory_order_acquire);
            read.push_back(TraceEvent{static_cast<TraceKind>(o.kind.load(std::memory_order_acquire) % kTraceKindCount), buffer.lane,
                                      o.task_id.load(std::memory_order_acquire), read_open_text(o.name), read_open_text(o.args), begin_ns,
                                      std::max(begin_ns, until_ns), true});
        }
        if (buffer.open_seq.load(std::memory_order_relaxed) != seq) continue;  // written meanwhile: read again
        out.insert(out.end(), std::make_move_iterator(read.begin()), std::make_move_iterator(read.end()));
        return;
    }
}

// snapshot()'s events; with `open_until_ns` >= 0 also the open spans, each ending then.
std::vector<TraceEvent> collect(std::int64_t open_until_ns) {
    std::vector<std::shared_ptr<ThreadBuffer>> buffers;
    std::vector<TraceEvent> out;
    {
        Registry& r = registry();
        std::lock_guard<std::mutex> lock(r.mutex);
        buffers = r.buffers;
        out = r.foreign;
    }
    for (auto& buffer : buffers) {
        std::lock_guard<SpinLock> lock(buffer->lock);
        const std::size_t count = buffer->count.load(std::memory_order_acquire);  // the owner may append past it
        const std::size_t from = buffer->cleared.load(std::memory_order_relaxed);
        out.reserve(out.size() + count - from);
        for (std::size_t i = from; i < count; ++i) {
            const RawEvent& e = buffer->at(i);
            out.push_back(TraceEvent{e.kind, buffer->lane, e.task_id, buffer->text.substr(e.name_at, e.name_len),
                                     buffer->text.substr(e.args_at, e.args_len), e.begin_ns, e.end_ns});
        }
        if (open_until_ns >= 0) append_open_spans(*buffer, open_until_ns, out);
    }
    // Enclosing spans first: same begin, longer span first; instants sort like zero-length spans.
    std::stable_sort(out.begin(), out.end(), [](const TraceEvent& a, const TraceEvent& b) {
        return std::make_tuple(a.begin_ns, -a.end_ns) < std::make_tuple(b.begin_ns, -b.end_ns);
    });
    return out;
}
}  // namespace

std::vector<TraceEvent> snapshot() { return collect(-1); }
std::vector<TraceEvent> snapshot_live() { return collect(std::max<std::int64_t>(now_ns(), 0)); }

std::uint64_t open_span(TraceKind kind, std::string_view name, std::uint64_t task_id, std::int64_t begin_ns, std::string_view args) {
    if (!enabled()) return 0;
    ThreadBuffer& buffer = this_thread_buffer();
    const std::uint32_t index = buffer.open_count.load(std::memory_order_relaxed);
    if (index >= ThreadBuffer::kOpenDepth) return 0;
    ThreadBuffer::OpenSpan& slot = buffer.open[index];
    begin_open_write(buffer);
    slot.kind.store(static_cast<std::uint8_t>(kind), std::memory_order_release);
    slot.task_id.store(task_id, std::memory_order_release);
    slot.begin_ns.store(begin_ns, std::memory_order_release);
    write_open_text(slot.name, name);
    write_open_text(slot.args, args);
    buffer.open_count.store(index + 1, std::memory_order_release);
    end_open_write(buffer);
    buffer.open_tokens[index] = buffer.next_open_token++;
    return buffer.open_tokens[index];
}

void close_open_span(std::uint64_t token) {
    if (token == 0) return;
    ThreadBuffer& buffer = this_thread_buffer();
    const std::uint32_t count = buffer.open_count.load(std::memory_order_relaxed);
    for (std::uint32_t i = count; i-- > 0;) {  // usually the innermost, the last
        if (buffer.open_tokens[i] != token) continue;
        begin_open_write(buffer);
        for (std::uint32_t j = i; j + 1 < count; ++j) {  // a span closed out of order: the later ones move down
            ThreadBuffer::OpenSpan& to = buffer.open[j];
            const ThreadBuffer::OpenSpan& from = buffer.open[j + 1];
            to.kind.store(from.kind.load(std::memory_order_relaxed), std::memory_order_release);
            to.task_id.store(from.task_id.load(std::memory_order_relaxed), std::memory_order_release);
            to.begin_ns.store(from.begin_ns.load(std::memory_order_relaxed), std::memory_order_release);
            write_open_text(to.name, read_open_text(from.name));
            write_open_text(to.args, read_open_text(from.args));
            buffer.open_tokens[j] = buffer.open_tokens[j + 1];
        }
        buffer.open_count.store(count - 1, std::memory_order_release);
        end_open_write(buffer);
        return;
    }
}

void clear() {
    Registry& r = registry();
    std::lock_guard<std::mutex> lock(r.mutex);
    r.foreign.clear();
    for (auto& buffer : r.buffers) {
        // Only marked: the owner appends without the lock, so it alone resets its buffer (chunks stay).
        std::lock_guard<SpinLock> buffer_lock(buffer->lock);
        buffer->cleared.store(buffer->count.load(std::memory_order_acquire), std::memory_order_relaxed);
    }
    r.buffers.erase(std::remove_if(r.buffers.begin(), r.buffers.end(),
                                   [](const std::shared_ptr<ThreadBuffer>& b) { return b->thread_ended.load(std::memory_order_relaxed); }),
                    r.buffers.end());
}

void append_foreign(std::vector<TraceEvent> events) {
    Registry& r = registry();
    std::lock_guard<std::mutex> lock(r.mutex);
    if (r.foreign.empty())
        r.foreign = std::move(events);
    else
        r.foreign.insert(r.foreign.end(), std::make_move_iterator(events.begin()), std::make_move_iterator(events.end()));
}

void set_process_name(int pid, std::string_view name) {
    Registry& r = registry();
    std::lock_guard<std::mutex> lock(r.mutex);
    r.process_names[pid] = std::string(name);
}

void reset_after_fork() {
    Registry& r = registry();
    // Another parent thread may have held this mutex at fork time; in the child nobody will release it.
    new (&r.mutex) std::mutex();
    std::vector<std::shared_ptr<ThreadBuffer>> keep;
    for (auto& buffer : r.buffers)
        if (buffer.get() == t_buffer()) keep.push_back(buffer);
    r.buffers.swap(keep);
    r.foreign.clear();
    r.process_names.clear();
    if (ThreadBuffer* mine = t_buffer()) {
        new (&mine->lock) SpinLock();
        mine->count.store(0);
        mine->cleared.store(0);
        mine->text.clear();
        mine->last_name_at = 0;
        mine->last_name_len = 0;
        mine->open_count.store(0);  // the parent's spans in progress are not the child's
        mine->lane.pid = current_pid();
        mine->lane.tid = current_tid();
    }
}

//-----------------------------------------------------------------------------
// [SECTION] Chrome Trace Event JSON
//-----------------------------------------------------------------------------
namespace {

// Nanoseconds as microseconds with 3 decimals, the unit Chrome traces use.
void append_micros(std::string& out, std::int64_t ns) {
    char text[40];
    std::snprintf(text, sizeof text, "%.3f", static_cast<double>(ns) / 1000.0);
    out += text;
}

}  // namespace

std::string to_chrome_trace_json(const std::vector<TraceEvent>& events) {
    std::map<int, std::string> process_names;
    {
        Registry& r = registry();
        std::lock_guard<std::mutex> lock(r.mutex);
        process_names = r.process_names;
    }
    const int self_pid = current_pid();

    // Small per-process thread numbers, in order of first appearance.
    std::map<std::pair<int, std::uint64_t>, int> lane_numbers;
    std::map<int, int> lanes_per_pid;
    std::string metadata;
    for (const TraceEvent& e : events) {
        const auto key = std::make_pair(e.lane.pid, e.lane.tid);
        if (lane_numbers.count(key)) continue;
        const int number = ++lanes_per_pid[e.lane.pid];
        lane_numbers[key] = number;
        if (number == 1) {
            auto named = process_names.find(e.lane.pid);
            const std::string process_name = named != process_names.end() ? named->second
                                             : e.lane.pid == self_pid     ? std::string("MainProcess")
                                                                          : "Process-" + std::to_string(e.lane.pid);
            metadata += "{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":" + std::to_string(e.lane.pid) + ",\"tid\":0,\"args\":{\"name\":";
            append_json_string(metadata, process_name);
            metadata += "}},\n";
        }
        metadata += "{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":" + std::to_string(e.lane.pid) + ",\"tid\":" + std::to_string(number) +
                    ",\"args\":{\"name\":";
        append_json_string(metadata, e.lane.name);
        metadata += "}},\n";
        metadata += "{\"name\":\"thread_sort_index\",\"ph\":\"M\",\"pid\":" + std::to_string(e.lane.pid) +
                    ",\"tid\":" + std::to_string(number) + ",\"args\":{\"sort_index\":" + std::to_string(number) + "}},\n";
    }

    std::string out = "{\"traceEvents\":[\n";
    out.reserve(metadata.size() + events.size() * 160);
    out += metadata;
    for (const TraceEvent& e : events) {
        out += "{\"name\":";
        append_json_string(out, e.name.empty() ? std::string_view(to_string(e.kind)) : std::string_view(e.name));
        out += ",\"cat\":\"";
        out += to_string(e.kind);
        out += "\",\"ph\":\"";
        if (is_instant(e.kind)) {
            out += "i\",\"s\":\"t\",\"ts\":";
            append_micros(out, e.begin_ns);
        } else {
            out += "X\",\"ts\":";
            append_micros(out, e.begin_ns);
            out += ",\"dur\":";
            append_micros(out, e.end_ns - e.begin_ns);
        }
        out += ",\"pid\":" + std::to_string(e.lane.pid);
        out += ",\"tid\":" + std::to_string(lane_numbers[std::make_pair(e.lane.pid, e.lane.tid)]);
        out += ",\"args\":{\"task_id\":" + std::to_string(e.task_id);
        if (!e.args.empty()) {
            out += ",\"detail\":";
            append_json_string(out, e.args);
        }
        out += "}},\n";
    }
    if (out.size() >= 2 && out[out.size() - 2] == ',') out.erase(out.size() - 2, 1);  // no trailing comma
    out += "],\"displayTimeUnit\":\"ms\"}\n";
    return out;
}

}  // namespace trace

//-----------------------------------------------------------------------------
// [SECTION] TraceSpan
//-----------------------------------------------------------------------------
TraceSpan::TraceSpan(TraceKind kind, std::string_view name, std::uint64_t task_id, std::string_view args) : kind_(kind) {
    if (!trace::enabled()) return;
    active_ = true;
    task_id_ = task_id;
    name_ = std::string(name);
    args_ = std::string(args);
    begin_ns_ = trace::now_ns();
    open_token_ = trace::open_span(kind, name_, task_id, begin_ns_, args_);
}

void TraceSpan::set_args(std::string_view args) {
    if (active_) args_ = std::string(args);
}

void TraceSpan::end() {
    if (!active_) return;
    active_ = false;
    trace::push(kind_, task_id_, begin_ns_, trace::now_ns(), name_, args_);
    trace::close_open_span(open_token_);  // after the push: a snapshot between them sees the span twice, not never
}

}  // namespace pp
