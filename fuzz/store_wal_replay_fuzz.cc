// Fuzz target: arbitrary bytes as a WAL segment file. Replay must not crash or hang, every
// record it returns must re-verify against the bytes at its position, records must be
// contiguous from the header on, and after the torn or corrupt tail is cut off the log must
// take new records and replay them with nothing dropped.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "store/io/fault_file_system.h"
#include "store/wal/wal.h"
#include "store/wal/wal_format.h"

namespace {

using tracewire::OkStatus;
using tracewire::Status;
using namespace tracewire::store;  // NOLINT(google-build-using-namespace)

struct Record {
  uint8_t type;
  std::string payload;
  WalPosition at;
};

void Check(bool ok) {
  if (!ok) std::abort();
}

std::vector<Record> ReplayOrDie(Wal& wal) {
  std::vector<Record> out;
  Status s = wal.Replay([&](uint8_t type, std::string_view payload, WalPosition at) {
    out.push_back(Record{type, std::string(payload), at});
    return OkStatus();
  });
  Check(s.ok());
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  const std::string path = "/wal/" + wal::SegmentFileName(1);
  FaultFileSystem fs;
  Check(fs.SetFileContents(path, bytes).ok());
  WalOptions options;
  options.dir = "/wal";
  options.fs = &fs;
  options.max_record_bytes = 1 << 16;
  options.group_commit_window = std::chrono::microseconds(0);

  std::vector<Record> first;
  {
    auto wal = Wal::Open(options);
    Check(wal.ok());
    first = ReplayOrDie(**wal);
    uint64_t expected_offset = wal::kSegmentHeaderSize;
    for (const Record& r : first) {
      Check(r.at.segment == 1 && r.at.offset == expected_offset);
      Check(r.type != 0 && r.payload.size() <= options.max_record_bytes);
      std::string encoded(wal::kRecordHeaderSize, '\0');
      wal::EncodeRecordHeader(r.type, r.payload, encoded.data());
      encoded += r.payload;
      Check(bytes.compare(r.at.offset, encoded.size(), encoded) == 0);
      expected_offset += encoded.size();
    }
    const bool header_ok = wal::CheckSegmentHeader(bytes) != wal::HeaderCheck::kBad;
    // A good header: the file now ends at the last intact record. A bad one: left alone.
    Check(*fs.FileSize(path) ==
          (header_ok && size >= wal::kSegmentHeaderSize ? expected_offset : size));
    Status appended = Status(tracewire::StatusCode::kUnknown, "not called");
    (*wal)->Append(1, "fuzz", [&](Status s, WalPosition) { appended = s; });
    Check((*wal)->Close().ok());
    Check(appended.ok());
  }
  auto wal = Wal::Open(options);
  Check(wal.ok());
  const std::vector<Record> second = ReplayOrDie(**wal);
  Check(second.size() == first.size() + 1);
  for (size_t i = 0; i < first.size(); ++i) Check(second[i].payload == first[i].payload);
  Check(second.back().payload == "fuzz");
  const bool bad_header = wal::CheckSegmentHeader(bytes) == wal::HeaderCheck::kBad;
  Check((*wal)->Stats().records_dropped_on_replay == (bad_header ? 1u : 0u));
  return 0;
}
