#include "core/program_image.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <climits>

namespace pp {

ProgramImage program_image() {
    ProgramImage image;
    char path[PATH_MAX];
    const ssize_t length = ::readlink("/proc/self/exe", path, sizeof path - 1);  // Linux: the running file
    if (length <= 0) return image;
    image.location.assign(path, static_cast<std::size_t>(length));
    struct stat info {};
    if (::stat(image.location.c_str(), &info) == 0) image.bytes = info.st_size;
    return image;
}

}  // namespace pp
