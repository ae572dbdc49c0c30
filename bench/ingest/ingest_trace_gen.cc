#include "ingest_trace_gen.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <string_view>

namespace tracewire::bench {
namespace {

using opentelemetry::proto::trace::v1::Span;
using opentelemetry::proto::trace::v1::Status;

constexpr std::array<std::string_view, 6> kUserAgents = {
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/124.0 Mobile Safari",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/124.0 Safari/537.36",
    "okhttp/4.12.0",
    "Go-http-client/1.1",
    "python-requests/2.31.0"};
constexpr std::array<std::string_view, 8> kSql = {
    "SELECT id, status, amount FROM orders WHERE user_id = ? ORDER BY id DESC LIMIT ?",
    "SELECT * FROM items WHERE id IN (?, ?, ?)",
    "UPDATE stock SET count = count - ? WHERE id = ?",
    "INSERT INTO orders (user_id, item_id, amount, status) VALUES (?, ?, ?, ?)",
    "SELECT balance FROM accounts WHERE id = ? FOR UPDATE",
    "DELETE FROM sessions WHERE id = ?",
    "SELECT name, avatar FROM profiles WHERE user_id = ?",
    "UPDATE accounts SET balance = balance + ? WHERE id = ?"};
constexpr std::array<std::string_view, 6> kRedis = {"GET",  "SET",    "HGETALL",
                                                    "MGET", "EXPIRE", "INCR"};
constexpr std::array<std::string_view, 6> kRegions = {"gz", "sh", "bj", "cd", "hk", "sg"};
constexpr std::array<std::string_view, 5> kErrors = {
    "ret=21 server timeout", "ret=101 client timeout", "ret=111 connect error",
    "ret=12 no such func", "upstream returned 503"};

void S(Span& s, std::string_view k, std::string_view v) {
  auto* a = s.add_attributes();
  a->set_key(std::string(k));
  a->mutable_value()->set_string_value(std::string(v));
}
void I(Span& s, std::string_view k, int64_t v) {
  auto* a = s.add_attributes();
  a->set_key(std::string(k));
  a->mutable_value()->set_int_value(v);
}
void D(Span& s, std::string_view k, double v) {
  auto* a = s.add_attributes();
  a->set_key(std::string(k));
  a->mutable_value()->set_double_value(v);
}
void B(Span& s, std::string_view k, bool v) {
  auto* a = s.add_attributes();
  a->set_key(std::string(k));
  a->mutable_value()->set_bool_value(v);
}

std::string Bytes8(uint64_t v) { return std::string(reinterpret_cast<const char*>(&v), 8); }

std::string Hex16(uint64_t v) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, v >>= 4) out[i] = kDigits[v & 15];
  return out;
}

std::string MethodOf(const std::string& op) { return op.substr(op.rfind('/') + 1); }

}  // namespace

struct TraceGenerator::Node {
  int service = 0;
  int instance = 0;
  int op = 0;
  int64_t start = 0;
  int64_t end = 0;
  std::string span_id;
  int caller = -1;  // service index of the caller (server spans), -1 at the root
};

TraceGenerator::TraceGenerator(const Catalog& catalog, uint64_t seed, TraceGenOptions options)
    : catalog_(catalog), options_(options), rng_(seed) {}

int TraceGenerator::PickTraceSize() {
  const int max = std::max(1, options_.max_spans);
  const double r = rng_.Unit();
  int n = r < 0.3    ? static_cast<int>(rng_.Between(1, 5))
          : r < 0.7  ? static_cast<int>(rng_.Between(6, 30))
          : r < 0.95 ? static_cast<int>(rng_.Between(31, 100))
                     : static_cast<int>(rng_.Between(101, 200));
  return std::min(n, max);
}

int TraceGenerator::PickRootService() {
  const int apps = static_cast<int>(catalog_.services.size()) / 5;
  const int app = static_cast<int>(rng_.Below(static_cast<uint32_t>(apps)));
  const double r = rng_.Unit();
  return app * 5 + (r < 0.8 ? 0 : r < 0.95 ? 4 : 1);  // gateway, worker, or api
}

void TraceGenerator::Generate(uint64_t trace_index, uint64_t* next_span_index,
                              int64_t end_before_ns, std::vector<GeneratedSpan>& out) {
  const std::string trace_id = Bytes8(Mix64(trace_index)) + Bytes8(rng_.Next() | 1);
  const int target = PickTraceSize();
  const int64_t duration = static_cast<int64_t>(std::exp(std::log(1e6) + rng_.Unit() * 7.6));
  std::vector<Node> servers;
  auto add_span = [&](const Node& n, const std::string& parent, Span::SpanKind kind) -> Span& {
    GeneratedSpan& g = out.emplace_back();
    g.service = n.service;
    g.instance = n.instance;
    Span& s = g.span;
    s.set_trace_id(trace_id);
    s.set_span_id(n.span_id);
    if (!parent.empty()) s.set_parent_span_id(parent);
    s.set_kind(kind);
    s.set_start_time_unix_nano(static_cast<uint64_t>(n.start));
    s.set_end_time_unix_nano(static_cast<uint64_t>(n.end));
    s.set_flags(0x301);  // sampled; parent-is-remote known
    return s;
  };
  auto new_node = [&](int service, int64_t start, int64_t end) {
    Node n;
    n.service = service;
    n.instance =
        static_cast<int>(rng_.Below(static_cast<uint32_t>(catalog_.services[service].instances)));
    n.op = static_cast<int>(rng_.Below(10));
    n.start = start;
    n.end = std::max(end, start + 1000);
    n.span_id = Bytes8(Mix64((*next_span_index)++));
    return n;
  };
  auto error = [&] { return rng_.Chance(options_.error_fraction); };

  const int64_t root_end = end_before_ns - static_cast<int64_t>(rng_.Unit() * 2e9);
  Node root = new_node(PickRootService(), root_end - duration, root_end);
  const Role root_role = catalog_.services[root.service].role;
  {
    const bool e = error();
    Span& s = add_span(
        root, "", root_role == Role::kWorker ? Span::SPAN_KIND_CONSUMER : Span::SPAN_KIND_SERVER);
    FillServer(root, s, e);
  }
  servers.push_back(root);
  int count = 1;
  while (count < target) {
    // Favour the later (deeper) servers: the larger of two uniform picks.
    const auto pick = std::max(rng_.Below(static_cast<uint32_t>(servers.size())),
                               rng_.Below(static_cast<uint32_t>(servers.size())));
    const Node parent = servers[pick];
    const Service& svc = catalog_.services[parent.service];
    const auto dur = static_cast<double>(parent.end - parent.start);
    const int64_t start = parent.start + static_cast<int64_t>(rng_.Unit() * 0.6 * dur);
    const int64_t end =
        std::min(parent.end, start + static_cast<int64_t>((0.05 + rng_.Unit() * 0.35) * dur));
    const double r = rng_.Unit();
    if (!svc.downstream.empty() && target - count >= 2 && r < 0.6) {
      const int callee = rng_.Pick(svc.downstream);
      Node client = new_node(parent.service, start, end);
      client.instance = parent.instance;
      const int64_t net = std::min<int64_t>(300'000, (end - start) / 10);  // network time
      Node server = new_node(callee, start + net, end - net);
      server.caller = parent.service;
      const bool e = error();
      FillRpcClient(client, callee, server.op,
                    add_span(client, parent.span_id, Span::SPAN_KIND_CLIENT), e);
      FillServer(server, add_span(server, client.span_id, Span::SPAN_KIND_SERVER), e);
      servers.push_back(server);
      count += 2;
    } else if (!svc.db_system.empty() && r < 0.85) {
      Node db = new_node(parent.service, start, end);
      db.instance = parent.instance;
      FillDb(db, add_span(db, parent.span_id, Span::SPAN_KIND_CLIENT), error());
      ++count;
    } else {
      Node internal = new_node(parent.service, start, end);
      internal.instance = parent.instance;
      FillInternal(internal, add_span(internal, parent.span_id, Span::SPAN_KIND_INTERNAL));
      ++count;
    }
  }
}

void TraceGenerator::FillServer(const Node& n, Span& s, bool error) {
  const Service& svc = catalog_.services[n.service];
  const std::string& op = svc.operations[n.op];
  s.set_name(op);
  if (svc.role == Role::kGateway) {
    const auto space = op.find(' ');
    std::string path = op.substr(space + 1);
    if (auto b = path.find("{id}"); b != std::string::npos)
      path.replace(b, 4, std::to_string(rng_.Below(5'000'000)));
    S(s, "http.request.method", op.substr(0, space));
    S(s, "url.path", path);
    S(s, "http.route", op.substr(space + 1));
    I(s, "http.response.status_code", error ? 500 : (rng_.Chance(0.03) ? 404 : 200));
    S(s, "url.scheme", "https");
    S(s, "server.address", "api." + svc.app + ".example.com");
    I(s, "server.port", 443);
    S(s, "client.address",
      "10." + std::to_string(rng_.Below(16)) + "." + std::to_string(rng_.Below(256)) + "." +
          std::to_string(rng_.Below(256)));
    S(s, "user_agent.original", kUserAgents[rng_.Below(kUserAgents.size())]);
    S(s, "network.protocol.version", rng_.Chance(0.7) ? "2" : "1.1");
    I(s, "http.request.body.size", rng_.Chance(0.5) ? 0 : rng_.Between(40, 20000));
  } else if (svc.role == Role::kWorker) {
    S(s, "messaging.system", "kafka");
    S(s, "messaging.destination.name", svc.app + ".events");
    S(s, "messaging.operation.type", "process");
    S(s, "messaging.consumer.group.name", svc.name);
    I(s, "messaging.kafka.offset", static_cast<int64_t>(rng_.Next() % 100'000'000));
    I(s, "messaging.destination.partition.id", rng_.Between(0, 31));
  } else {
    S(s, "rpc.system", "trpc");
    S(s, "rpc.service", svc.rpc_service);
    S(s, "rpc.method", MethodOf(op));
    S(s, "trpc.callee_service", svc.name);
    S(s, "trpc.callee_method", MethodOf(op));
    S(s, "trpc.caller_service", n.caller >= 0 ? catalog_.services[n.caller].name : "");
    I(s, "trpc.status_code", error ? 21 : 0);
    S(s, "server.address", svc.host_prefix + std::to_string(n.instance));
    I(s, "server.port", 8000 + n.service);
    S(s, "trpc.namespace", "Production");
  }
  if (error) {
    s.mutable_status()->set_code(Status::STATUS_CODE_ERROR);
    s.mutable_status()->set_message(std::string(kErrors[rng_.Below(kErrors.size())]));
  }
  PadAttributes(s);
  MaybeAddEvent(s, error);
}

void TraceGenerator::FillRpcClient(const Node& n, int callee, int op, Span& s, bool error) {
  const Service& svc = catalog_.services[n.service];
  const Service& to = catalog_.services[callee];
  s.set_name(to.operations[op]);  // tRPC clients name spans by the callee method
  S(s, "rpc.system", "trpc");
  S(s, "rpc.service", to.rpc_service);
  S(s, "rpc.method", MethodOf(to.operations[op]));
  S(s, "trpc.caller_service", svc.name);
  S(s, "trpc.callee_service", to.name);
  S(s, "trpc.callee_method", MethodOf(to.operations[op]));
  I(s, "trpc.status_code", error ? 101 : 0);
  S(s, "server.address", to.host_prefix + std::to_string(rng_.Below(to.instances)));
  I(s, "server.port", 8000 + callee);
  I(s, "network.peer.port", rng_.Between(32768, 60999));
  if (error) {
    s.mutable_status()->set_code(Status::STATUS_CODE_ERROR);
    s.mutable_status()->set_message("ret=101 client timeout");
  }
  PadAttributes(s);
  MaybeAddEvent(s, error);
}

void TraceGenerator::FillDb(const Node& n, Span& s, bool error) {
  const Service& svc = catalog_.services[n.service];
  if (svc.db_system == "mysql") {
    const std::string_view sql = kSql[rng_.Below(kSql.size())];
    const std::string verb(sql.substr(0, sql.find(' ')));
    s.set_name(verb + " " + svc.app);
    S(s, "db.system.name", "mysql");
    S(s, "db.namespace", svc.app);
    S(s, "db.operation.name", verb);
    S(s, "db.query.text", sql);
    I(s, "db.response.returned_rows", rng_.Between(0, 50));
    S(s, "server.address", svc.app + "-mysql-" + std::to_string(rng_.Below(3)));
    I(s, "server.port", 3306);
  } else {
    const std::string cmd(kRedis[rng_.Below(kRedis.size())]);
    s.set_name("redis " + cmd);
    S(s, "db.system.name", "redis");
    S(s, "db.operation.name", cmd);
    S(s, "db.query.text", cmd + " " + svc.app + ":user:" + std::to_string(rng_.Below(100000)));
    I(s, "db.namespace", rng_.Between(0, 3));
    B(s, "app.cache.hit", rng_.Chance(0.8));
    S(s, "server.address", svc.app + "-redis-" + std::to_string(rng_.Below(4)));
    I(s, "server.port", 6379);
  }
  if (error) {
    s.mutable_status()->set_code(Status::STATUS_CODE_ERROR);
    s.mutable_status()->set_message("connection reset by peer");
  }
  PadAttributes(s);
  MaybeAddEvent(s, error);
}

void TraceGenerator::FillInternal(const Node& n, Span& s) {
  const Service& svc = catalog_.services[n.service];
  static constexpr std::array<std::string_view, 4> kSteps = {"validate", "render", "encode",
                                                             "compute_price"};
  const std::string_view step = kSteps[rng_.Below(kSteps.size())];
  s.set_name(std::string(step));
  S(s, "code.function.name", svc.app + "::" + std::string(step));
  S(s, "code.file.path", "src/" + svc.app + "/" + std::string(step) + ".cc");
  I(s, "code.line.number", rng_.Between(20, 900));
  PadAttributes(s);
  MaybeAddEvent(s, false);
}

void TraceGenerator::PadAttributes(Span& s) {
  const int target = static_cast<int>(rng_.Between(8, 15));
  while (s.attributes_size() > target) s.mutable_attributes()->RemoveLast();
  uint32_t next = rng_.Below(15);
  for (int tries = 0; s.attributes_size() < target && tries < 15; ++tries, next = (next + 1) % 15) {
    switch (next) {
      case 0: S(s, "user.id", "u" + std::to_string(rng_.Below(200000))); break;
      case 1: S(s, "tenant.id", "t" + std::to_string(rng_.Below(300))); break;
      case 2: S(s, "app.request_id", Hex16(rng_.Next())); break;
      case 3: I(s, "thread.id", rng_.Between(1, 64)); break;
      case 4: I(s, "app.retry_count", rng_.Chance(0.95) ? 0 : rng_.Between(1, 3)); break;
      case 5: B(s, "app.from_cache", rng_.Chance(0.3)); break;
      case 6: D(s, "app.sampling.weight", rng_.Chance(0.9) ? 1.0 : 0.1); break;
      case 7: S(s, "app.region", std::string(kRegions[rng_.Below(kRegions.size())])); break;
      case 8: I(s, "app.payload.size", static_cast<int64_t>(std::exp(rng_.Unit() * 13))); break;
      case 9: D(s, "app.score", static_cast<double>(rng_.Below(10000)) / 100.0); break;
      case 10: S(s, "network.transport", "tcp"); break;
      case 11: {
        auto* a = s.add_attributes();
        a->set_key("app.feature_flags");
        auto* arr = a->mutable_value()->mutable_array_value();
        for (int f = 0, m = static_cast<int>(rng_.Between(1, 3)); f < m; ++f)
          arr->add_values()->set_string_value("ff_" + std::to_string(rng_.Below(20)));
        break;
      }
      case 12: S(s, "app.experiment", "exp-" + std::to_string(rng_.Below(40))); break;
      case 13: B(s, "app.vip", rng_.Chance(0.05)); break;
      default: I(s, "app.queue.depth", rng_.Between(0, 500)); break;
    }
  }
}

void TraceGenerator::MaybeAddEvent(Span& s, bool error) {
  const double other = std::max(
      0.0, (options_.event_fraction - options_.error_fraction) / (1.0 - options_.error_fraction));
  if (!error && !rng_.Chance(other)) return;
  auto* e = s.add_events();
  const uint64_t start = s.start_time_unix_nano();
  e->set_time_unix_nano(start + (s.end_time_unix_nano() - start) / 2);
  auto add = [&](std::string_view k, std::string_view v) {
    auto* a = e->add_attributes();
    a->set_key(std::string(k));
    a->mutable_value()->set_string_value(std::string(v));
  };
  if (error) {
    e->set_name("exception");
    add("exception.type", "tracewire::RpcError");
    add("exception.message", s.status().message());
    add("exception.stacktrace",
        "at Client::Invoke (client.cc:214)\nat Handler::Run (handler.cc:88)\n"
        "at Server::Dispatch (server.cc:301)");
    return;
  }
  e->set_name(rng_.Chance(0.5) ? "message" : "cache.miss");
  add("message.type", rng_.Chance(0.5) ? "SENT" : "RECEIVED");
  auto* id = e->add_attributes();
  id->set_key("message.id");
  id->mutable_value()->set_int_value(rng_.Between(1, 1000));
}

}  // namespace tracewire::bench
