#include "store/io/file_system.h"

namespace tracewire::store {

// The fallback for files without a gather write: one Append per piece, stopping at the first
// error (the pieces before it stay appended).
Status WritableFile::AppendV(const std::string_view* pieces, size_t count) {
  for (size_t i = 0; i < count; ++i) {
    TW_RETURN_IF_ERROR(Append(pieces[i]));
  }
  return OkStatus();
}

}  // namespace tracewire::store
