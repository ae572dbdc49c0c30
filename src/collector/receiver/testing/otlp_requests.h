// Test-only: OTLP requests built with the generated classes, and a receiver started on port 0.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>

#include "collector/receiver/receiver.h"
#include "collector/receiver/receiver_factories.h"
#include "opentelemetry/proto/collector/logs/v1/logs_service.pb.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"

namespace tracewire::collector::testing {

// `spans` valid spans of service "svc"; plus `bad_ids` spans whose trace id is 4 bytes long.
inline std::string TraceRequestProto(int spans, int bad_ids = 0) {
  opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest request;
  auto* rs = request.add_resource_spans();
  auto* attr = rs->mutable_resource()->add_attributes();
  attr->set_key("service.name");
  attr->mutable_value()->set_string_value("svc");
  auto* ss = rs->add_scope_spans();
  for (int i = 0; i < spans + bad_ids; ++i) {
    auto* span = ss->add_spans();
    std::string trace_id(16, '\x11');
    if (i >= spans) trace_id.resize(4);
    std::string span_id(8, '\0');
    span_id[7] = static_cast<char>(i + 1);
    span->set_trace_id(trace_id);
    span->set_span_id(span_id);
    span->set_name("op" + std::to_string(i));
    span->set_start_time_unix_nano(1000);
    span->set_end_time_unix_nano(2000);
  }
  return request.SerializeAsString();
}

inline std::string LogsRequestProto(int records) {
  opentelemetry::proto::collector::logs::v1::ExportLogsServiceRequest request;
  auto* sl = request.add_resource_logs()->add_scope_logs();
  for (int i = 0; i < records; ++i) {
    auto* record = sl->add_log_records();
    record->set_time_unix_nano(1000 + i);
    record->mutable_body()->set_string_value("line " + std::to_string(i));
  }
  return request.SerializeAsString();
}

inline constexpr char kTraceRequestJson[] =
    R"({"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":)"
    R"({"stringValue":"json-svc"}}]},"scopeSpans":[{"spans":[{"traceId":)"
    R"("5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","name":"j",)"
    R"("kind":2,"startTimeUnixNano":"1000","endTimeUnixNano":"2000"}]}]}]})";

// Parses `yaml` with `factory`, creates the receiver over `traces` / `logs` and starts it.
inline std::unique_ptr<Receiver> StartReceiver(const ReceiverFactory& factory,
                                               const std::string& yaml, TracesConsumer* traces,
                                               LogsConsumer* logs, Status* error = nullptr) {
  auto config = factory.ParseConfig(YAML::Load(yaml), "receivers.test");
  if (!config.ok()) {
    if (error != nullptr) *error = config.status();
    return nullptr;
  }
  auto component = factory.Create("test", **config, traces, logs);
  if (!component.ok()) {
    if (error != nullptr) *error = component.status();
    return nullptr;
  }
  Status started = (*component)->Start();
  if (!started.ok()) {
    if (error != nullptr) *error = started;
    return nullptr;
  }
  return std::unique_ptr<Receiver>(dynamic_cast<Receiver*>(component->release()));
}

}  // namespace tracewire::collector::testing
