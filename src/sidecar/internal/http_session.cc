#include "sidecar/internal/http_session.h"

#include <asio/steady_timer.hpp>
#include <asio/write.hpp>
#include <memory>

#include "net/http_parser.h"
#include "net/http_writer.h"
#include "sidecar/internal/http_carrier.h"
#include "sidecar/internal/http_request_util.h"
#include "sidecar/internal/http_upstream.h"
#include "sidecar/internal/socket_util.h"
#include "sidecar/internal/tcp_relay.h"
#include "sidecar/internal/trpc_call.h"
#include "sidecar/internal/trpc_upstream.h"
#include "sidecar/transcode.h"
#include "trpc/ret_code.h"

namespace tracewire::sidecar::internal {
namespace {

constexpr size_t kReadChunk = size_t{16} * 1024;

class Session final : public CallOwner,
                      public HttpDeadlines::Waiter,
                      public HttpUpstreamConn::Holder,
                      public std::enable_shared_from_this<Session> {
 public:
  Session(ListenerContext& ctx, asio::ip::tcp::socket socket, ActiveConnection active)
      : ctx_(ctx), down_(std::move(socket)), timer_(*ctx.io), active_(std::move(active)) {
    PeerOf(down_, &peer_.address, &peer_.port);
  }
  ~Session() override {
    ctx_.http_deadlines->Clear(this);
    if (up_ != nullptr) up_->Close();
  }

  void Start(std::string initial) {
    in_ = std::move(initial);
    Next();
  }

 private:
  // Parses on from in_[fed_..]; handles a complete request or reads more.
  void Next() {
    if (closed_) return;
    const std::string_view unfed = std::string_view{in_}.substr(fed_);
    fed_ += parser_.Feed(unfed);
    if (parser_.failed()) return FallBack();
    if (parser_.done()) return Handle();
    ReadDown();
  }

  void ReadDown() {
    ReadAppend(down_, &in_, kReadChunk, [self = shared_from_this()](const asio::error_code& ec) {
      if (ec) return self->Close();
      self->Next();
    });
  }

  // Relays the rest of the connection, from the current request's first byte, untouched.
  void FallBack() {
    ctx_.metrics->malformed_frames.fetch_add(1, std::memory_order_relaxed);
    closed_ = true;
    ResetUpstream();
    StartTcpRelay(ctx_, std::move(down_), std::move(in_), std::move(active_));
  }

  void Handle() {
    start_ = std::chrono::steady_clock::now();
    request_ = std::move(parser_.mutable_request());
    request_bytes_ = fed_;
    client_keep_alive_ = parser_.keep_alive();
    head_request_ = request_.method == "HEAD";
    in_.erase(0, fed_);
    fed_ = 0;
    parser_.Reset();

    net::HttpHeaders& headers = request_.headers;
    const std::string_view path =
        std::string_view{request_.target}.substr(0, request_.target.find('?'));
    trace::Context parent;
    span_ = StartHttpSpan(ctx_, request_.method, path, headers, &parent);
    if (ctx_.config.kind == ListenerKind::kEdge && !headers.Get("x-request-id")) {
      headers.Set("x-request-id", NewRequestId());
    }
    ClusterContext* cluster = ctx_.RouteHttp(path, headers.Get("host").value_or(""));
    if (cluster == nullptr || cluster->config.protocol == ClusterProtocol::kTrpc) {
      SetStartAttributes(path, cluster);
      if (cluster == nullptr) return Answer(404, "sidecar: no route");
      return Transcode(*cluster, path, parent);
    }
    Forward(cluster, path, parent);
  }

  // HOT PATH: the request with this span's context, on the kept or pooled upstream connection.
  // The span's attributes are set once the request is on the wire (or its connect started),
  // while the upstream works, instead of before the send; no answer can have ended the span
  // by then, as completions never run inside the call that starts them.
  void Forward(ClusterContext* cluster, std::string_view path, const trace::Context& parent) {
    net::HttpHeaders& headers = request_.headers;
    for (std::string_view key : TraceKeys()) headers.Remove(key);
    {
      HttpHeadersCarrier carrier(headers);
      ctx_.propagators->inject_http->Inject(trace::ContextWithSpan(span_, parent), carrier);
    }
    RemoveHopByHop(headers);
    up_out_.clear();
    if (!net::ValidateRequest(request_).ok()) {
      SetStartAttributes(path, cluster);
      return Answer(400, "sidecar: request not forwardable");
    }
    net::AppendRequest(request_, {}, &up_out_);
    // One of the cluster's idle connections, else a new one.
    up_cluster_ = cluster;
    up_ = cluster->http_pool->Take();
    reused_ = up_ != nullptr;
    if (reused_) {
      WriteUp();
      SetUpstreamAttributes();
    } else {
      Connect();
    }
    SetStartAttributes(path, cluster);
  }

  // HOT PATH of transcoding: one frame built into up_out_, sent on the cluster's pool.
  void Transcode(ClusterContext& cluster, std::string_view path, const trace::Context& parent) {
    if (!IsTranscodable(request_.method, request_.body.size())) {
      return Answer(405, "sidecar: only POST (or GET without a body) becomes a tRPC call");
    }
    TrpcUpstream& upstream = cluster.trpc_pool->Pick(ctx_.metrics);
    const uint32_t id = upstream.NextId();
    entries_.Clear();
    ctx_.propagators->inject->Inject(trace::ContextWithSpan(span_, parent), entries_);
    if (auto rid = request_.headers.Get("x-request-id")) entries_.Set("x-request-id", *rid);
    TranscodedCall tc;
    tc.func = path;
    tc.caller = ctx_.sidecar->service_name;
    tc.content_type = request_.headers.Get("content-type");
    tc.body = request_.body;
    tc.request_id = id;
    tc.timeout_ms = static_cast<uint32_t>(cluster.config.request_timeout.count());
    tc.trans_info = entries_.Entries();
    up_out_.clear();
    if (AppendTranscodedRequest(tc, ctx_.max_frame_size, &trans_info_, &up_out_) !=
        trpc::CodecError::kOk) {
      return Answer(413, "sidecar: request too large for a tRPC frame");
    }
    SetTranscodedCallAttributes(span_, ctx_, path, tc.caller, up_out_.size(), upstream.endpoint());
    PendingCall call;
    call.owner = shared_from_this();
    call.listener = &ctx_;
    call.downstream_id = id;
    call.start = start_;
    call.deadline = start_ + cluster.config.request_timeout;
    upstream.Send(id, std::move(call), up_out_);
  }

  void CallAnswered(PendingCall& /*call*/, const trpc::ResponseFrame& rsp,
                    std::string_view frame) override {
    net::HttpResponse out;
    TranscodeResponse(rsp.head, rsp.body, request_.headers.Get("content-type"), &out);
    SetTrpcResult(span_, rsp.head.ret, rsp.head.func_ret, rsp.head.error_msg, frame.size());
    Respond(std::move(out), /*sidecar_error=*/{});
  }

  void CallFailed(PendingCall& /*call*/, int32_t ret, std::string_view error_msg) override {
    SetTrpcResult(span_, ret, 0, error_msg, 0);
    net::HttpResponse out;
    out.status = HttpStatusForSidecarFailure(ret);
    out.headers.Set("Content-Type", "text/plain");
    out.headers.Set("trpc-ret", std::to_string(ret));
    out.headers.Set("trpc-error-msg", error_msg);
    out.body = std::string(error_msg) + "\n";
    Respond(std::move(out), error_msg);
  }

  // The current upstream connection back to its cluster's idle pool.
  void ReleaseUpstream() {
    if (up_ != nullptr) up_cluster_->http_pool->Put(std::move(up_));
  }

  void SetUpstreamAttributes() {
    if (!span_.IsRecording() || ctx_.config.kind != ListenerKind::kOutbound) return;
    asio::error_code ec;
    const auto endpoint = up_->socket().remote_endpoint(ec);
    if (!ec) SetServerAttributes(span_, ctx_, endpoint);
  }

  void SetStartAttributes(std::string_view path, const ClusterContext* cluster) {
    SetHttpRequestAttributes(span_, ctx_, request_, path, cluster, peer_);
  }

  void Connect() {
    auto self = shared_from_this();
    const asio::ip::tcp::endpoint endpoint = up_cluster_->NextEndpoint();
    SetServerAttributes(span_, ctx_, endpoint);
    up_ = up_cluster_->http_pool->Create(*ctx_.io);
    if (up_ == nullptr) return Answer(503, "sidecar: shutting down");
    timer_.expires_after(up_cluster_->config.connect_timeout);
    timer_.async_wait([self](const asio::error_code& ec) {
      if (!ec && self->up_ != nullptr) self->up_->Close();
    });
    up_->socket().async_connect(endpoint, [self](const asio::error_code& ec) {
      self->timer_.cancel();
      if (ec) {
        self->ctx_.metrics->upstream_connect_errors.fetch_add(1, std::memory_order_relaxed);
        self->ResetUpstream();
        return self->Answer(503, "sidecar: upstream unreachable");
      }
      asio::error_code ignored;
      self->up_->socket().set_option(asio::ip::tcp::no_delay(true), ignored);
      self->WriteUp();
    });
  }

  void WriteUp() {
    auto self = shared_from_this();
    response_parser_.Reset();
    response_parser_.set_head_request(head_request_);
    awaiting_ = true;
    up_->set_holder(self);
    const uint64_t generation = generation_;
    ctx_.http_deadlines->Set(
        this, std::chrono::steady_clock::now() + up_cluster_->config.request_timeout);
    asio::async_write(up_->socket(), asio::buffer(up_out_),
                      [self, generation](const asio::error_code& ec, size_t) {
                        if (generation != self->generation_ || self->closed_) return;
                        if (ec) return self->UpstreamBroke();
                        self->ReadUp();
                      });
  }

  // A connection from the pool has its wait pending already: nothing to start.
  void ReadUp() { up_->Watch(); }

  // HttpUpstreamConn::Holder: the upstream connection is readable (or failed).
  void UpstreamReadable(const asio::error_code& ec) override {
    if (!awaiting_ || closed_) return;  // answered already (a 504, say)
    up_in_.clear();
    asio::error_code read_ec = ec;
    if (!read_ec && !ReadNow(up_->socket(), &up_in_, kReadChunk, &read_ec)) {
      return ReadUp();  // woken for nothing
    }
    if (read_ec) {
      response_parser_.FinishEof();
      if (response_parser_.done()) return Relay(/*upstream_closes=*/true);
      return UpstreamBroke();
    }
    OnUpstreamData();
  }

  // Feeds up_in_ to the response parser; relays a complete response, else reads on.
  void OnUpstreamData() {
    std::string_view data(up_in_);
    while (!data.empty()) {
      data.remove_prefix(response_parser_.Feed(data));
      if (response_parser_.failed()) return UpstreamBroke();
      if (!response_parser_.done()) break;
      const int status = response_parser_.response().status;
      if (status >= 100 && status < 200) {  // interim: skipped
        response_parser_.Reset();
        continue;
      }
      return Relay(!response_parser_.keep_alive() || !data.empty());
    }
    ReadUp();
  }

  // HttpDeadlines: no answer within request_timeout of the request going out.
  void DeadlinePassed() override {
    if (closed_) return;
    // While the answer is awaited, only the upstream connection keeps this session alive, and
    // ResetUpstream lets go of it.
    auto self = shared_from_this();
    ctx_.metrics->upstream_timeouts.fetch_add(1, std::memory_order_relaxed);
    ResetUpstream();
    Answer(504, "sidecar: upstream timeout");
  }

  void UpstreamBroke() {
    ResetUpstream();
    if (reused_ && !response_parser_.started()) {
      // A kept-alive connection the upstream closed while idle: once more on a fresh one.
      reused_ = false;
      timer_.cancel();
      ctx_.http_deadlines->Clear(this);  // WriteUp sets it again once connected
      ++generation_;
      return Connect();
    }
    Answer(502, "sidecar: upstream connection failed");
  }

  void ResetUpstream() {
    awaiting_ = false;
    if (up_ != nullptr) up_->Close();
    up_.reset();
  }

  // Sends the upstream's response downstream.
  void Relay(bool upstream_closes) {
    net::HttpResponse& rsp = response_parser_.mutable_response();
    RemoveHopByHop(rsp.headers);
    Respond(std::move(rsp), /*sidecar_error=*/{});
    // Once the answer is out (the pool's wait costs a syscall): the connection idles until this
    // or another downstream connection needs it.
    if (upstream_closes) {
      ResetUpstream();
    } else {
      ReleaseUpstream();
    }
  }

  // Answers with an error of the sidecar's own.
  void Answer(int status, std::string_view message) {
    net::HttpResponse rsp;
    rsp.status = status;
    rsp.headers.Set("Content-Type", "text/plain");
    rsp.body = std::string(message) + "\n";
    Respond(std::move(rsp), message);
  }

  // HOT PATH: the answer goes out first (async_write tries the send at once), then the span,
  // so its cost is not in the client's latency. The counters come before (a few atomic adds),
  // so whoever got the answer sees it counted.
  void Respond(net::HttpResponse rsp, std::string_view sidecar_error) {
    ++generation_;
    awaiting_ = false;
    ctx_.http_deadlines->Clear(this);
    timer_.cancel();  // a connect still pending
    const int status = rsp.status;
    RequestMetrics& m = ctx_.metrics->http;
    m.requests.fetch_add(1, std::memory_order_relaxed);
    if (status >= 500) m.errors.fetch_add(1, std::memory_order_relaxed);
    m.latency.Observe(MicrosSince(start_));
    if (!client_keep_alive_) rsp.headers.Set("Connection", "close");
    down_out_.clear();
    net::AppendResponse(rsp, head_request_ || status == 304, &down_out_);
    auto self = shared_from_this();
    asio::async_write(down_, asio::buffer(down_out_), [self](const asio::error_code& ec, size_t) {
      if (ec || !self->client_keep_alive_) return self->Close();
      self->Next();
    });
    SetHttpResponseAttributes(span_, status, rsp.body.size(), sidecar_error);
    span_.End();
  }

  void Close() {
    if (closed_) return;
    closed_ = true;
    asio::error_code ignored;
    down_.close(ignored);
    ResetUpstream();
    timer_.cancel();
    ctx_.http_deadlines->Clear(this);
  }

  ListenerContext& ctx_;
  asio::ip::tcp::socket down_;
  std::shared_ptr<HttpUpstreamConn> up_;  // while a request is on it
  asio::steady_timer timer_;
  ActiveConnection active_;
  Peer peer_;
  bool closed_ = false;
  bool awaiting_ = false;                 // a request is out on up_, its answer not relayed
  ClusterContext* up_cluster_ = nullptr;  // where up_ goes
  bool reused_ = false;      // the current request went out on a kept-alive upstream connection
  uint64_t generation_ = 0;  // one per answered request: stale upstream reads are ignored

  std::string in_;  // downstream bytes from the current request's first byte on
  size_t fed_ = 0;  // of in_, given to parser_
  net::HttpRequestParser parser_;
  net::HttpResponseParser response_parser_;
  std::string up_in_;
  std::string up_out_;
  std::string down_out_;
  EntryListCarrier entries_;                      // trans_info of a transcoded call
  std::vector<trpc::TransInfoEntry> trans_info_;  // its storage, reused

  net::HttpRequest request_;
  size_t request_bytes_ = 0;
  bool client_keep_alive_ = true;
  bool head_request_ = false;
  trace::Span span_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace

void StartHttpSession(ListenerContext& ctx, asio::ip::tcp::socket socket, std::string initial,
                      ActiveConnection active) {
  std::make_shared<Session>(ctx, std::move(socket), std::move(active))->Start(std::move(initial));
}

}  // namespace tracewire::sidecar::internal
