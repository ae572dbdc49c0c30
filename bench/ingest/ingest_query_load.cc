#include "ingest_query_load.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <fstream>
#include <sstream>

#include "net/http_client.h"

namespace tracewire::bench {

StatusOr<QuerySample> ReadQuerySample(const std::string& path) {
  std::ifstream in(path);
  if (!in) return NotFoundError("cannot read " + path);
  QuerySample s;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string tag;
    std::string a;
    std::string b;
    std::getline(fields, tag, '\t');
    std::getline(fields, a, '\t');
    if (tag == "trace" && a.size() == 32) {
      s.trace_ids.push_back(a);
    } else if (tag == "op" && std::getline(fields, b)) {
      s.operations.emplace_back(a, b);
    }
  }
  return s;
}

Status WriteQuerySample(const std::string& path, const QuerySample& sample) {
  std::ofstream out(path, std::ios::trunc);
  if (!out) return UnavailableError("cannot write " + path);
  out << "# ingest_load sample: trace ids accepted by the server, and (service, span name)\n";
  for (const auto& id : sample.trace_ids) out << "trace\t" << id << '\n';
  for (const auto& [service, name] : sample.operations)
    out << "op\t" << service << '\t' << name << '\n';
  out.flush();
  return out ? OkStatus() : UnavailableError("cannot write " + path);
}

std::string QueryKindName(QueryKind kind) {
  switch (kind) {
    case QueryKind::kJaegerTrace: return "jaeger-trace";
    case QueryKind::kNativeTrace: return "native-trace";
    case QueryKind::kJaegerSearch: return "jaeger-search";
    case QueryKind::kNativeSearch: return "native-search";
  }
  return "?";
}

std::string UrlEncode(const std::string& s) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kDigits[c >> 4]);
      out.push_back(kDigits[c & 15]);
    }
  }
  return out;
}

StatusOr<QueryResult> RunQueries(QueryKind kind, const QuerySample& sample, const QueryOptions& o) {
  const bool by_id = kind == QueryKind::kJaegerTrace || kind == QueryKind::kNativeTrace;
  if (by_id ? sample.trace_ids.empty() : sample.operations.empty())
    return InvalidArgumentError("the sample has nothing for " + QueryKindName(kind));
  auto client = net::HttpClient::Create(o.host, o.port);
  QueryResult r;
  r.kind = kind;
  const auto timeout = std::chrono::milliseconds(o.timeout_ms);
  net::HttpRequest req;
  for (int i = 0; i < o.warmup + o.requests; ++i) {
    const auto n = static_cast<size_t>(i);
    std::string id;
    switch (kind) {
      case QueryKind::kJaegerTrace:
      case QueryKind::kNativeTrace:
        id = sample.trace_ids[(n * 7919) % sample.trace_ids.size()];
        req.target = (kind == QueryKind::kJaegerTrace ? "/api/traces/" : "/api/v1/traces/") + id;
        break;
      case QueryKind::kJaegerSearch:
      case QueryKind::kNativeSearch: {
        const auto& [service, op] = sample.operations[(n * 131) % sample.operations.size()];
        req.target = (kind == QueryKind::kJaegerSearch ? "/api/traces" : "/api/v1/traces");
        req.target += "?service=" + UrlEncode(service) + "&operation=" + UrlEncode(op) +
                      "&limit=" + std::to_string(o.limit);
        break;
      }
    }
    const auto t0 = std::chrono::steady_clock::now();
    auto resp = client->Send(req, timeout);
    const auto t1 = std::chrono::steady_clock::now();
    if (i < o.warmup) continue;
    r.latencies_ns.push_back(std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count());
    // 404 is a miss for a trace lookup, an error for a search.
    const bool answered = resp.ok() && (resp->status == 200 || (by_id && resp->status == 404));
    if (!answered) {
      ++r.errors;
    } else if (by_id) {
      ++(resp->status == 200 && resp->body.find(id) != std::string::npos ? r.ok : r.not_found);
    } else {
      ++r.ok;
      // Jaeger answers {"data":[{"traceID":...}]}; the native API {"traces":[{"traceId":...}]}.
      if (resp->body.find("\"traceID\"") == std::string::npos &&
          resp->body.find("\"traceId\"") == std::string::npos)
        ++r.empty;
    }
  }
  std::sort(r.latencies_ns.begin(), r.latencies_ns.end());
  return r;
}

}  // namespace tracewire::bench
