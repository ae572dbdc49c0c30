// Size and write functions behind protocol.h's encoders, with the attachment size passed apart
// so frame_codec.cc can set it without copying the head. Hot path: no allocation.
#pragma once

#include <cstddef>
#include <cstdint>

#include "trpc/protocol.h"

namespace tracewire::trpc::internal {

// Encoded size in bytes of `head` with attachment_size replaced by `attachment_size`.
size_t RequestHeadSizeWith(const RequestHead& head, uint32_t attachment_size);
size_t ResponseHeadSizeWith(const ResponseHead& head, uint32_t attachment_size);

// Write exactly the size computed above at `p`; return the position after the message.
char* WriteRequestHead(const RequestHead& head, uint32_t attachment_size, char* p);
char* WriteResponseHead(const ResponseHead& head, uint32_t attachment_size, char* p);

}  // namespace tracewire::trpc::internal
