#include "collector/processor/limits_processor.h"

#include <atomic>
#include <mutex>

#include "collector/config_reader.h"
#include "collector/partial_success.h"
#include "collector/processor/processor_factories.h"
#include "collector/processor/trace_span_counter.h"

namespace tracewire::collector {

Status FillLimitsProcessorConfig(const YAML::Node& node, std::string_view path,
                                 LimitsProcessorConfig* c);

namespace {

using model::AnyValue;
using model::Arena;
using model::KeyValue;
using model::ValueType;

// Cuts long strings of `v` (and of strings inside an array). Returns the number cut; *out is the
// value to keep (new arrays in `arena` only when something inside was cut).
size_t TruncateValue(Arena& arena, const AnyValue& v, size_t max, AnyValue* out) {
  *out = v;
  if (v.type() == ValueType::kString) {
    if (v.string_value().size() <= max) return 0;
    *out = AnyValue::String(Utf8Prefix(v.string_value(), max));
    return 1;
  }
  if (v.type() != ValueType::kArray) return 0;
  std::span<const AnyValue> items = v.array_value();
  size_t cut = 0;
  for (const AnyValue& item : items) {
    cut += item.type() == ValueType::kString && item.string_value().size() > max ? 1 : 0;
  }
  if (cut == 0) return 0;
  std::span<AnyValue> copy = arena.AllocateArray<AnyValue>(items.size());
  for (size_t i = 0; i < items.size(); ++i) {
    copy[i] = items[i].type() == ValueType::kString && items[i].string_value().size() > max
                  ? AnyValue::String(Utf8Prefix(items[i].string_value(), max))
                  : items[i];
  }
  *out = AnyValue::Array(copy);
  return cut;
}

// Number of values of `attrs` that TruncateValue would cut (no allocation).
size_t CountLong(std::span<const KeyValue> attrs, size_t max) {
  size_t n = 0;
  for (const KeyValue& kv : attrs) {
    const AnyValue& v = kv.value;
    if (v.type() == ValueType::kString && v.string_value().size() > max) ++n;
    if (v.type() == ValueType::kArray) {
      for (const AnyValue& item : v.array_value()) {
        if (item.type() == ValueType::kString && item.string_value().size() > max) ++n;
      }
    }
  }
  return n;
}

// A copy of `attrs` in `arena` with long values cut and `extra` extra free slots at the end.
std::span<KeyValue> TruncatedCopy(Arena& arena, std::span<const KeyValue> attrs, size_t max,
                                  size_t extra) {
  std::span<KeyValue> copy = arena.AllocateArray<KeyValue>(attrs.size() + extra);
  for (size_t i = 0; i < attrs.size(); ++i) {
    copy[i].key = attrs[i].key;
    (void)TruncateValue(arena, attrs[i].value, max, &copy[i].value);
  }
  return copy;
}

// Cuts the long attribute values of one span or log record (and of its events) and marks it.
// Returns the number of values cut.
template <typename Item>
size_t TruncateItem(Arena& arena, Item& item, size_t max) {
  size_t cut = CountLong(item.attributes, max);
  if constexpr (std::is_same_v<Item, model::Span>) {
    size_t event_cut = 0;
    for (const model::Event& e : item.events) event_cut += CountLong(e.attributes, max);
    if (event_cut != 0) {
      std::span<model::Event> events = arena.AllocateArray<model::Event>(item.events.size());
      for (size_t i = 0; i < events.size(); ++i) {
        events[i] = item.events[i];
        if (CountLong(events[i].attributes, max) != 0) {
          events[i].attributes = TruncatedCopy(arena, events[i].attributes, max, 0);
        }
      }
      item.events = events;
      cut += event_cut;
    }
  }
  if constexpr (std::is_same_v<Item, model::LogRecord>) {
    AnyValue body;
    if (TruncateValue(arena, item.body, max, &body) != 0) {
      item.body = body;
      ++cut;
    }
  }
  if (cut == 0) return 0;
  std::span<KeyValue> attrs = TruncatedCopy(arena, item.attributes, max, 1);
  attrs.back() = KeyValue{kTruncatedAttributesKey, AnyValue::Int(static_cast<int64_t>(cut))};
  item.attributes = attrs;
  return cut;
}

void AddAttribute(Arena& arena, model::Span& span, KeyValue kv) {
  std::span<KeyValue> attrs = arena.AllocateArray<KeyValue>(span.attributes.size() + 1);
  std::copy(span.attributes.begin(), span.attributes.end(), attrs.begin());
  attrs.back() = kv;
  span.attributes = attrs;
}

class LimitsProcessorImpl final : public LimitsProcessor {
 public:
  LimitsProcessorImpl(std::string id, const LimitsProcessorConfig& config, TracesConsumer* traces,
                      LogsConsumer* logs)
      : id_(std::move(id)),
        config_(config),
        counter_(config.max_spans_per_trace != 0 ? config.max_traces_tracked : 4),
        traces_(traces),
        logs_(logs) {}

  const std::string& id() const override { return id_; }
  Status Start() override { return OkStatus(); }
  Status Shutdown() override { return OkStatus(); }

  // HOT PATH: one lock per batch (only with max_spans_per_trace); allocation only for spans
  // that are modified, in the batch's arena.
  void ConsumeTraces(std::shared_ptr<model::SpanBatch> batch, ConsumeDone done) override {
    if (traces_ == nullptr)
      return done(FailedPreconditionError(id_ + ": not in a traces pipeline"));
    Arena& arena = batch->storage.arena();
    if (config_.max_attribute_value_bytes != 0) {
      uint64_t cut = 0;
      for (model::Span& s : batch->spans) {
        cut += TruncateItem(arena, s, config_.max_attribute_value_bytes);
      }
      truncated_.fetch_add(cut, std::memory_order_relaxed);
    }
    const uint64_t dropped = config_.max_spans_per_trace != 0 ? DropOverLimit(*batch) : 0;
    if (dropped == 0) return traces_->ConsumeTraces(std::move(batch), std::move(done));
    dropped_.fetch_add(dropped, std::memory_order_relaxed);
    const std::string why = std::to_string(dropped) + " spans over max_spans_per_trace=" +
                            std::to_string(config_.max_spans_per_trace) + " dropped";
    if (batch->spans.empty()) return done(PartialSuccessStatus(dropped, why));
    traces_->ConsumeTraces(std::move(batch), [dropped, why, done = std::move(done)](Status s) {
      if (!s.ok()) return done(std::move(s));
      std::optional<PartialSuccessInfo> more = ParsePartialSuccess(s);
      done(PartialSuccessStatus(dropped + (more ? more->rejected : 0), why));
    });
  }

  void ConsumeLogs(std::shared_ptr<model::LogBatch> batch, ConsumeDone done) override {
    if (logs_ == nullptr) return done(FailedPreconditionError(id_ + ": not in a logs pipeline"));
    if (config_.max_attribute_value_bytes != 0) {
      Arena& arena = batch->storage.arena();
      uint64_t cut = 0;
      for (model::LogRecord& r : batch->records) {
        cut += TruncateItem(arena, r, config_.max_attribute_value_bytes);
      }
      truncated_.fetch_add(cut, std::memory_order_relaxed);
    }
    logs_->ConsumeLogs(std::move(batch), std::move(done));
  }

  LimitsStats stats() const override {
    return LimitsStats{truncated_.load(std::memory_order_relaxed),
                       dropped_.load(std::memory_order_relaxed)};
  }

 private:
  // Drops the spans past the per-trace limit (in place) and marks the truncated traces.
  uint64_t DropOverLimit(model::SpanBatch& batch) {
    const uint64_t max = config_.max_spans_per_trace;
    // Index (in the kept prefix) of the last kept span of a trace whose first drop is in this
    // batch: marked after the loop.
    std::vector<size_t> to_mark;
    size_t kept = 0;
    uint64_t dropped = 0;
    {
      std::lock_guard lock(mutex_);
      for (size_t i = 0; i < batch.spans.size(); ++i) {
        TraceSpanCounter::Entry& e = counter_.Find(batch.spans[i].trace_id);
        if (e.spans < UINT32_MAX) ++e.spans;
        if (e.spans <= max) {
          batch.spans[kept++] = batch.spans[i];
          continue;
        }
        ++dropped;
        if (!e.marked) {
          e.marked = true;
          // The last kept span of this trace in this batch, if any.
          for (size_t k = kept; k-- > 0;) {
            if (batch.spans[k].trace_id == batch.spans[i].trace_id) {
              to_mark.push_back(k);
              break;
            }
          }
        }
      }
    }
    batch.spans.resize(kept);
    for (size_t k : to_mark) {
      AddAttribute(batch.storage.arena(), batch.spans[k],
                   KeyValue{kTraceTruncatedKey, AnyValue::Bool(true)});
    }
    return dropped;
  }

  const std::string id_;
  const LimitsProcessorConfig config_;
  std::mutex mutex_;
  TraceSpanCounter counter_;  // guarded by mutex_
  TracesConsumer* const traces_;
  LogsConsumer* const logs_;
  std::atomic<uint64_t> truncated_{0};
  std::atomic<uint64_t> dropped_{0};
};

class LimitsProcessorFactory final : public ProcessorFactory {
 public:
  std::string_view type() const override { return "limits"; }
  StatusOr<std::unique_ptr<ComponentConfig>> ParseConfig(const YAML::Node& node,
                                                         std::string_view path) const override {
    return ParseConfigWith<LimitsProcessorConfig, ComponentConfig>(FillLimitsProcessorConfig, node,
                                                                   path);
  }
  StatusOr<std::unique_ptr<Processor>> Create(std::string id, const ComponentConfig& config,
                                              TracesConsumer* next_traces,
                                              LogsConsumer* next_logs) const override {
    return std::unique_ptr<Processor>(NewLimitsProcessor(
        std::move(id), static_cast<const LimitsProcessorConfig&>(config), next_traces, next_logs));
  }
};

}  // namespace

std::string_view Utf8Prefix(std::string_view s, size_t max_bytes) {
  if (s.size() <= max_bytes) return s;
  size_t cut = max_bytes;
  // Back up over continuation bytes (10xxxxxx) to the start of the sequence that straddles.
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return s.substr(0, cut);
}

Status FillLimitsProcessorConfig(const YAML::Node& node, std::string_view path,
                                 LimitsProcessorConfig* c) {
  StatusOr<ConfigMap> map = ConfigMap::Open(node, std::string(path));
  if (!map.ok()) return map.status();
  TW_RETURN_IF_ERROR(
      map->ReadUint("max_attribute_value_bytes", 0, 1u << 30, &c->max_attribute_value_bytes));
  TW_RETURN_IF_ERROR(map->ReadUint("max_spans_per_trace", 0, 1u << 30, &c->max_spans_per_trace));
  TW_RETURN_IF_ERROR(map->ReadUint("max_traces_tracked", 4, 1u << 24, &c->max_traces_tracked));
  TW_RETURN_IF_ERROR(map->CheckNoUnknownKeys());
  return OkStatus();
}

StatusOr<std::unique_ptr<LimitsProcessorConfig>> ParseLimitsProcessorConfig(const YAML::Node& node,
                                                                            std::string_view path) {
  return ParseConfigWith(FillLimitsProcessorConfig, node, path);
}

std::unique_ptr<LimitsProcessor> NewLimitsProcessor(std::string id,
                                                    const LimitsProcessorConfig& config,
                                                    TracesConsumer* next_traces,
                                                    LogsConsumer* next_logs) {
  return std::make_unique<LimitsProcessorImpl>(std::move(id), config, next_traces, next_logs);
}

std::unique_ptr<ProcessorFactory> NewLimitsProcessorFactory() {
  return std::make_unique<LimitsProcessorFactory>();
}

}  // namespace tracewire::collector
