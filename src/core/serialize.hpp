// Bytes that cross a process boundary: the C++ counterpart of pickle for task arguments and results.
//
// Index of this file
// [SECTION] Errors
// [SECTION] ByteWriter / ByteReader
// [SECTION] Serializer<T>: the trait, and the compile-time error for types it does not know
// [SECTION] Serializer<T>: arithmetic types, bool, enums
// [SECTION] Serializer<T>: std::string, std::vector, std::pair, std::tuple, std::optional
// [SECTION] encode / decode helpers
//
// Every value is written in the host's byte order: both ends of a pipe (or a postMessage) are the
// same binary on the same machine, so there is nothing to convert. Integers keep their exact width
// (an int32 is 4 bytes on both sides), and lengths are 64-bit so wasm32 and x86-64 agree on them.
//
// A user type becomes sendable by specializing the trait:
//     template <> struct pp::Serializer<Point> {
//         static void write(pp::ByteWriter& out, const Point& p) { pp::write_value(out, p.x); pp::write_value(out, p.y); }
//         static Point read(pp::ByteReader& in) { Point p; p.x = pp::read_value<int>(in); p.y = pp::read_value<int>(in); return p; }
//     };
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace pp {

//-----------------------------------------------------------------------------
// [SECTION] Errors
//-----------------------------------------------------------------------------

// Bytes that do not decode as the expected type: truncated, corrupt, or written for another type.
class SerializationError : public std::runtime_error {
public:
    explicit SerializationError(const std::string& what) : std::runtime_error(what) {}
};

//-----------------------------------------------------------------------------
// [SECTION] ByteWriter / ByteReader
//-----------------------------------------------------------------------------

using Bytes = std::vector<std::uint8_t>;

// Appends raw bytes to a growing buffer. Cheap to reuse: clear() keeps the capacity.
class ByteWriter {
public:
    ByteWriter() = default;
    explicit ByteWriter(Bytes reuse) : bytes_(std::move(reuse)) { bytes_.clear(); }

    void write_raw(const void* data, std::size_t size) {
        if (size == 0) return;
        const std::size_t old_size = bytes_.size();
        bytes_.resize(old_size + size);
        std::memcpy(bytes_.data() + old_size, data, size);
    }
    template <class T>
    void write_trivial(const T& value) {
        static_assert(std::is_trivially_copyable_v<T>, "write_trivial needs a trivially copyable type");
        write_raw(&value, sizeof(T));
    }
    void write_length(std::size_t length) { write_trivial(static_cast<std::uint64_t>(length)); }
    // Fills in bytes written earlier as a placeholder (a length prefix known only at the end).
    void overwrite_raw(std::size_t at, const void* data, std::size_t size) {
        if (at + size > bytes_.size()) throw std::out_of_range("ByteWriter::overwrite_raw past the end");
        std::memcpy(bytes_.data() + at, data, size);
    }

    // Drops what was written after the first `size` bytes (a reply too large to send is replaced).
    void truncate(std::size_t size) {
        if (size < bytes_.size()) bytes_.resize(size);
    }

    std::size_t size() const { return bytes_.size(); }
    const Bytes& bytes() const { return bytes_; }
    Bytes take() { return std::move(bytes_); }
    void clear() { bytes_.clear(); }

private:
    Bytes bytes_;
};

// Reads what a ByteWriter wrote, in the same order. Every read checks the remaining length, so
// truncated or corrupt input throws SerializationError instead of reading past the end.
class ByteReader {
public:
    ByteReader(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
    explicit ByteReader(const Bytes& bytes) : ByteReader(bytes.data(), bytes.size()) {}

    void read_raw(void* out, std::size_t size) {
        require(size);
        if (size != 0) std::memcpy(out, data_ + offset_, size);
        offset_ += size;
    }
    template <class T>
    T read_trivial() {
        static_assert(std::is_trivially_copyable_v<T>, "read_trivial needs a trivially copyable type");
        T value;
        read_raw(&value, sizeof(T));
        return value;
    }
    // A length prefix, checked against what is left so a corrupt length cannot allocate gigabytes.
    std::size_t read_length(std::size_t min_bytes_per_item) {
        const std::uint64_t length = read_trivial<std::uint64_t>();
        const std::uint64_t per_item = min_bytes_per_item == 0 ? 0 : min_bytes_per_item;
        if (per_item != 0 && length > remaining() / per_item)
            throw SerializationError("corrupt bytes: length " + std::to_string(length) + " at offset " + std::to_string(offset_ - 8) +
                                     " exceeds the " + std::to_string(remaining()) + " bytes left");
        if (per_item == 0 && length > (std::uint64_t{1} << 32))
            throw SerializationError("corrupt bytes: implausible length " + std::to_string(length));
        return static_cast<std::size_t>(length);
    }
    const std::uint8_t* current() const { return data_ + offset_; }
    void skip(std::size_t size) {
        require(size);
        offset_ += size;
    }

    std::size_t remaining() const { return size_ - offset_; }
    std::size_t offset() const { return offset_; }
    bool at_end() const { return offset_ == size_; }

    // After decoding a whole message: leftover bytes mean the writer and reader disagreed on the type.
    void expect_end(const char* what) const {
        if (!at_end())
            throw SerializationError(std::string("corrupt bytes: ") + std::to_string(remaining()) + " unexpected trailing bytes after " +
                                     what);
    }

private:
    void require(std::size_t size) const {
        if (size > size_ - offset_)
            throw SerializationError("truncated bytes: needed " + std::to_string(size) + " more at offset " + std::to_string(offset_) +
                                     " but only " + std::to_string(size_ - offset_) + " remain");
    }

    const std::uint8_t* data_;
    std::size_t size_;
    std::size_t offset_ = 0;
};

//-----------------------------------------------------------------------------
// [SECTION] Serializer<T>: the trait, and the compile-time error for types it does not know
//-----------------------------------------------------------------------------

template <class T>
struct dependent_false : std::false_type {};

// The primary template is only instantiated for types nobody taught us to send: that is a
// compile-time error naming the fix, rather than silently copying pointers into another process.
template <class T, class Enable = void>
struct Serializer {
    static_assert(dependent_false<T>::value, "type T cannot be sent to a process: specialize pp::Serializer<T> "
                                             "with static void write(pp::ByteWriter&, const T&) and static T read(pp::ByteReader&)");
    static void write(ByteWriter&, const T&) {}
    static T read(ByteReader&);
};

template <class T>
void write_value(ByteWriter& out, const T& value) {
    Serializer<T>::write(out, value);
}
template <class T>
T read_value(ByteReader& in) {
    return Serializer<T>::read(in);
}

//-----------------------------------------------------------------------------
// [SECTION] Serializer<T>: arithmetic types, bool, enums
//-----------------------------------------------------------------------------

template <class T>
struct Serializer<T, std::enable_if_t<std::is_arithmetic_v<T> && !std::is_same_v<T, bool>>> {
    static void write(ByteWriter& out, const T& value) { out.write_trivial(value); }
    static T read(ByteReader& in) { return in.read_trivial<T>(); }
};

template <>
struct Serializer<bool> {
    static void write(ByteWriter& out, const bool& value) { out.write_trivial<std::uint8_t>(value ? 1 : 0); }
    static bool read(ByteReader& in) {
        const auto byte = in.read_trivial<std::uint8_t>();
        if (byte > 1) throw SerializationError("corrupt bytes: a bool was " + std::to_string(byte));
        return byte == 1;
    }
};

template <class T>
struct Serializer<T, std::enable_if_t<std::is_enum_v<T>>> {
    using Underlying = std::underlying_type_t<T>;
    static void write(ByteWriter& out, const T& value) { out.write_trivial(static_cast<Underlying>(value)); }
    static T read(ByteReader& in) { return static_cast<T>(in.read_trivial<Underlying>()); }
};

//-----------------------------------------------------------------------------
// [SECTION] Serializer<T>: std::string, std::vector, std::pair, std::tuple, std::optional
//-----------------------------------------------------------------------------

template <>
struct Serializer<std::string> {
    static void write(ByteWriter& out, const std::string& value) {
        out.write_length(value.size());
        out.write_raw(value.data(), value.size());
    }
    static std::string read(ByteReader& in) {
        const std::size_t length = in.read_length(1);
        std::string value(reinterpret_cast<const char*>(in.current()), length);
        in.skip(length);
        return value;
    }
};

template <class T, class Alloc>
struct Serializer<std::vector<T, Alloc>> {
    static void write(ByteWriter& out, const std::vector<T, Alloc>& values) {
        out.write_length(values.size());
        if constexpr (std::is_arithmetic_v<T> && !std::is_same_v<T, bool>) {
            out.write_raw(values.data(), values.size() * sizeof(T));
        } else {
            for (const T& value : values) write_value(out, value);
        }
    }
    static std::vector<T, Alloc> read(ByteReader& in) {
        std::vector<T, Alloc> values;
        if constexpr (std::is_arithmetic_v<T> && !std::is_same_v<T, bool>) {
            values.resize(in.read_length(sizeof(T)));
            in.read_raw(values.data(), values.size() * sizeof(T));
        } else {
            // Every element takes at least one byte, except empty tuples: bound the reserve by that.
            const std::size_t count = in.read_length(0);
            values.reserve(count < in.remaining() ? count : in.remaining());
            for (std::size_t i = 0; i < count; ++i) values.push_back(read_value<T>(in));
        }
        return values;
    }
};

template <class A, class B>
struct Serializer<std::pair<A, B>> {
    static void write(ByteWriter& out, const std::pair<A, B>& value) {
        write_value(out, value.first);
        write_value(out, value.second);
    }
    static std::pair<A, B> read(ByteReader& in) {
        A first = read_value<A>(in);  // sequenced: braced-init of two calls would also work, this is clearer
        B second = read_value<B>(in);
        return {std::move(first), std::move(second)};
    }
};

template <class... Ts>
struct Serializer<std::tuple<Ts...>> {
    static void write(ByteWriter& out, const std::tuple<Ts...>& value) {
        std::apply([&out](const Ts&... items) { (write_value(out, items), ...); }, value);
    }
    static std::tuple<Ts...> read(ByteReader& in) {
        // Braced initialization evaluates left to right, which is the order they were written in.
        return std::tuple<Ts...>{read_value<Ts>(in)...};
    }
};

template <class T>
struct Serializer<std::optional<T>> {
    static void write(ByteWriter& out, const std::optional<T>& value) {
        write_value(out, value.has_value());
        if (value) write_value(out, *value);
    }
    static std::optional<T> read(ByteReader& in) {
        if (!read_value<bool>(in)) return std::nullopt;
        return read_value<T>(in);
    }
};

//-----------------------------------------------------------------------------
// [SECTION] encode / decode helpers
//-----------------------------------------------------------------------------

template <class T>
Bytes encode(const T& value) {
    ByteWriter out;
    write_value(out, value);
    return out.take();
}

// Decodes exactly one T from the whole buffer; leftover bytes are an error (a type mismatch).
template <class T>
T decode(const std::uint8_t* data, std::size_t size) {
    ByteReader in(data, size);
    T value = read_value<T>(in);
    in.expect_end("the value");
    return value;
}
template <class T>
T decode(const Bytes& bytes) {
    return decode<T>(bytes.data(), bytes.size());
}

}  // namespace pp
