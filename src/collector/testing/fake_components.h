// Test doubles for collector tests: batches built by hand, a receiver that exposes the consumers
// it was given, and exporters that record what they got and answer when told to.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "collector/factory.h"
#include "collector/registry.h"

namespace tracewire::collector::testing {

// A batch of `n` spans of one resource (service `service`), span i in trace `trace_of(i)`.
// Span names "span-<i>"; attributes: "i" = i.
std::shared_ptr<model::SpanBatch> MakeSpans(size_t n, uint8_t trace_byte = 1,
                                            std::string_view service = "svc");
std::shared_ptr<model::LogBatch> MakeLogs(size_t n);
model::TraceId TraceIdOf(uint8_t b);

// Answers kept until Release()d, or automatic with a fixed status.
class RecordingExporter final : public Exporter {
 public:
  explicit RecordingExporter(std::string id) : id_(std::move(id)) {}
  const std::string& id() const override { return id_; }
  Status Start() override;
  Status Shutdown() override;
  void ConsumeTraces(std::shared_ptr<model::SpanBatch> batch, ConsumeDone done) override;
  void ConsumeLogs(std::shared_ptr<model::LogBatch> batch, ConsumeDone done) override;

  // Answer every batch at once with `s` (default: hold them until Release).
  void AnswerWith(Status s);
  // Answers the oldest held batch.
  void ReleaseOne(Status s);
  size_t held() const;
  // Waits up to `ms` until at least n batches arrived.
  bool WaitForBatches(size_t n, int ms = 2000) const;

  std::vector<std::shared_ptr<model::SpanBatch>> span_batches() const;
  std::vector<std::shared_ptr<model::LogBatch>> log_batches() const;
  size_t span_count() const;
  int starts = 0;
  int shutdowns = 0;
  std::vector<std::string>* events = nullptr;  // "start:<id>" / "shutdown:<id>" when set

 private:
  const std::string id_;
  mutable std::mutex mutex_;
  mutable std::condition_variable cv_;
  std::vector<std::shared_ptr<model::SpanBatch>> spans_;
  std::vector<std::shared_ptr<model::LogBatch>> logs_;
  std::deque<ConsumeDone> pending_;
  bool automatic_ = false;
  Status answer_;
};

// A downstream consumer that records batches (for processors tested alone).
using RecordingConsumer = RecordingExporter;

// Registers "fake" receivers and exporters whose instances tests can reach by id.
struct FakeWorld {
  struct Receiver : Component {
    std::string name;
    TracesConsumer* traces = nullptr;
    LogsConsumer* logs = nullptr;
    std::vector<std::string>* events = nullptr;
    const std::string& id() const override { return name; }
    Status Start() override;
    Status Shutdown() override;
  };
  std::mutex mutex;
  std::vector<Receiver*> receivers;
  std::vector<RecordingExporter*> exporters;
  std::vector<std::string> events;

  // Adds factories "fake" (receiver, any keys ignored but "endpoint" must be host:port if set)
  // and "fake" (exporter) to `registry`.
  void Register(Registry& registry);
  Receiver* receiver(std::string_view id);
  RecordingExporter* exporter(std::string_view id);
};

}  // namespace tracewire::collector::testing
