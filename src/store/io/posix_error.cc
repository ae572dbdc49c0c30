#include "store/io/posix_error.h"

#include <cerrno>
#include <cstring>
#include <string>

namespace tracewire::store {

Status ErrnoToStatus(int err, std::string_view what, std::string_view path) {
  std::string message;
  message.reserve(what.size() + path.size() + 48);
  message.append(what).append(" ").append(path).append(": ").append(std::strerror(err));
  switch (err) {
    case ENOSPC:
    case EDQUOT:
    case EFBIG:
    case EIO: return UnavailableError(std::move(message));
    case ENOENT: return NotFoundError(std::move(message));
    default: return InternalError(std::move(message));
  }
}

}  // namespace tracewire::store
