#include "collector/testing/fake_components.h"

#include <chrono>

#include "collector/config_reader.h"

namespace tracewire::collector::testing {

model::TraceId TraceIdOf(uint8_t b) {
  std::array<uint8_t, 16> bytes{};
  bytes.fill(b);
  return model::TraceId(bytes);
}

std::shared_ptr<model::SpanBatch> MakeSpans(size_t n, uint8_t trace_byte,
                                            std::string_view service) {
  auto batch = std::make_shared<model::SpanBatch>();
  model::Arena& arena = batch->storage.arena();
  std::span<model::KeyValue> rattrs = arena.AllocateArray<model::KeyValue>(1);
  rattrs[0] = {"service.name", model::AnyValue::String(arena.CopyString(service))};
  batch->resources.push_back(model::Resource{rattrs, 0, "", arena.CopyString(service)});
  batch->scopes.push_back(model::Scope{"scope", "1.0", {}, 0, ""});
  for (size_t i = 0; i < n; ++i) {
    model::Span s;
    s.trace_id = TraceIdOf(trace_byte);
    std::array<uint8_t, 8> sid{};
    sid[0] = static_cast<uint8_t>(i + 1);
    sid[1] = static_cast<uint8_t>((i + 1) >> 8);
    s.span_id = model::SpanId(sid);
    s.name = arena.CopyString("span-" + std::to_string(i));
    s.start_time_unix_nano = 1000 + i;
    s.end_time_unix_nano = 2000 + i;
    std::span<model::KeyValue> attrs = arena.AllocateArray<model::KeyValue>(1);
    attrs[0] = {"i", model::AnyValue::Int(static_cast<int64_t>(i))};
    s.attributes = attrs;
    batch->spans.push_back(s);
  }
  return batch;
}

std::shared_ptr<model::LogBatch> MakeLogs(size_t n) {
  auto batch = std::make_shared<model::LogBatch>();
  model::Arena& arena = batch->storage.arena();
  batch->resources.push_back(model::Resource{{}, 0, "", "svc"});
  batch->scopes.push_back(model::Scope{});
  for (size_t i = 0; i < n; ++i) {
    model::LogRecord r;
    r.body = model::AnyValue::String(arena.CopyString("log " + std::to_string(i)));
    r.time_unix_nano = 1000 + i;
    batch->records.push_back(r);
  }
  return batch;
}

Status RecordingExporter::Start() {
  ++starts;
  if (events) events->push_back("start:" + id_);
  return OkStatus();
}

Status RecordingExporter::Shutdown() {
  ++shutdowns;
  if (events) events->push_back("shutdown:" + id_);
  return OkStatus();
}

void RecordingExporter::ConsumeTraces(std::shared_ptr<model::SpanBatch> batch, ConsumeDone done) {
  Status answer;
  ConsumeDone answer_now;  // set when answering at once, else the done waits in pending_
  {
    std::lock_guard lock(mutex_);
    spans_.push_back(std::move(batch));
    if (automatic_) {
      answer_now = std::move(done);
    } else {
      pending_.push_back(std::move(done));
    }
    answer = answer_;
  }
  cv_.notify_all();
  if (answer_now) answer_now(answer);
}

void RecordingExporter::ConsumeLogs(std::shared_ptr<model::LogBatch> batch, ConsumeDone done) {
  Status answer;
  ConsumeDone answer_now;  // set when answering at once, else the done waits in pending_
  {
    std::lock_guard lock(mutex_);
    logs_.push_back(std::move(batch));
    if (automatic_) {
      answer_now = std::move(done);
    } else {
      pending_.push_back(std::move(done));
    }
    answer = answer_;
  }
  cv_.notify_all();
  if (answer_now) answer_now(answer);
}

void RecordingExporter::AnswerWith(Status s) {
  std::lock_guard lock(mutex_);
  automatic_ = true;
  answer_ = std::move(s);
}

void RecordingExporter::ReleaseOne(Status s) {
  ConsumeDone d;
  {
    std::lock_guard lock(mutex_);
    if (pending_.empty()) return;
    d = std::move(pending_.front());
    pending_.pop_front();
  }
  d(std::move(s));
}

size_t RecordingExporter::held() const {
  std::lock_guard lock(mutex_);
  return pending_.size();
}

bool RecordingExporter::WaitForBatches(size_t n, int ms) const {
  std::unique_lock lock(mutex_);
  return cv_.wait_for(lock, std::chrono::milliseconds(ms),
                      [&] { return spans_.size() + logs_.size() >= n; });
}

std::vector<std::shared_ptr<model::SpanBatch>> RecordingExporter::span_batches() const {
  std::lock_guard lock(mutex_);
  return spans_;
}

std::vector<std::shared_ptr<model::LogBatch>> RecordingExporter::log_batches() const {
  std::lock_guard lock(mutex_);
  return logs_;
}

size_t RecordingExporter::span_count() const {
  std::lock_guard lock(mutex_);
  size_t n = 0;
  for (const auto& b : spans_) n += b->spans.size();
  return n;
}

Status FakeWorld::Receiver::Start() {
  if (events) events->push_back("start:" + name);
  return OkStatus();
}
Status FakeWorld::Receiver::Shutdown() {
  if (events) events->push_back("shutdown:" + name);
  return OkStatus();
}

namespace {

struct EmptyConfig : ComponentConfig {};

StatusOr<std::unique_ptr<ComponentConfig>> ParseFake(const YAML::Node& node,
                                                     std::string_view path) {
  StatusOr<ConfigMap> map = ConfigMap::Open(node, std::string(path));
  if (!map.ok()) return map.status();
  std::string endpoint;
  TW_RETURN_IF_ERROR(map->ReadString("endpoint", &endpoint));
  if (!endpoint.empty()) {
    StatusOr<HostPort> hp = ParseHostPort(endpoint);
    if (!hp.ok())
      return InvalidArgumentError(map->PathOf("endpoint") + ": " + hp.status().message());
  }
  TW_RETURN_IF_ERROR(map->CheckNoUnknownKeys());
  return std::unique_ptr<ComponentConfig>(std::make_unique<EmptyConfig>());
}

class FakeReceiverFactory final : public ReceiverFactory {
 public:
  explicit FakeReceiverFactory(FakeWorld& w) : world_(w) {}
  std::string_view type() const override { return "fake"; }
  StatusOr<std::unique_ptr<ComponentConfig>> ParseConfig(const YAML::Node& node,
                                                         std::string_view path) const override {
    return ParseFake(node, path);
  }
  StatusOr<std::unique_ptr<Component>> Create(std::string id, const ComponentConfig&,
                                              TracesConsumer* traces,
                                              LogsConsumer* logs) const override {
    auto r = std::make_unique<FakeWorld::Receiver>();
    r->name = std::move(id);
    r->traces = traces;
    r->logs = logs;
    r->events = &world_.events;
    std::lock_guard lock(world_.mutex);
    world_.receivers.push_back(r.get());
    return std::unique_ptr<Component>(std::move(r));
  }

 private:
  FakeWorld& world_;
};

class FakeExporterFactory final : public ExporterFactory {
 public:
  explicit FakeExporterFactory(FakeWorld& w) : world_(w) {}
  std::string_view type() const override { return "fake"; }
  StatusOr<std::unique_ptr<ComponentConfig>> ParseConfig(const YAML::Node& node,
                                                         std::string_view path) const override {
    return ParseFake(node, path);
  }
  StatusOr<std::unique_ptr<Exporter>> Create(std::string id, const ComponentConfig&,
                                             const BuildContext&) const override {
    auto e = std::make_unique<RecordingExporter>(std::move(id));
    e->events = &world_.events;
    std::lock_guard lock(world_.mutex);
    world_.exporters.push_back(e.get());
    return std::unique_ptr<Exporter>(std::move(e));
  }

 private:
  FakeWorld& world_;
};

}  // namespace

void FakeWorld::Register(Registry& registry) {
  registry.Add(std::unique_ptr<ReceiverFactory>(std::make_unique<FakeReceiverFactory>(*this)));
  registry.Add(std::unique_ptr<ExporterFactory>(std::make_unique<FakeExporterFactory>(*this)));
}

FakeWorld::Receiver* FakeWorld::receiver(std::string_view id) {
  std::lock_guard lock(mutex);
  for (Receiver* r : receivers) {
    if (r->name == id) return r;
  }
  return nullptr;
}

RecordingExporter* FakeWorld::exporter(std::string_view id) {
  std::lock_guard lock(mutex);
  for (RecordingExporter* e : exporters) {
    if (e->id() == id) return e;
  }
  return nullptr;
}

}  // namespace tracewire::collector::testing
