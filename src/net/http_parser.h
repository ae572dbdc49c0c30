// Incremental HTTP/1.1 message parsers (RFC 9112) for requests and responses.
//
// Bytes may arrive in pieces of any size, down to one byte; Feed() consumes a prefix and stops
// after one complete message, so pipelined messages in one buffer are parsed one at a time:
//   size_t n = parser.Feed(buf);  if (parser.done()) { use(parser.request()); parser.Reset(); }
//   feed buf.substr(n) again ...
// Line endings are strict: every line must end in CR LF. A bare LF is rejected as malformed
// (a proxy that tolerated it could be desynchronised from its peer, see RFC 9112 §11.2).
// Leading empty lines before a request line are skipped (RFC 9112 §2.2).
// NOT thread-safe. Memory: header bytes are buffered up to max_header_bytes; the body is stored
// in the message up to max_body_bytes; the parser's own buffers keep their capacity across
// Reset(), so a long-lived parser does not allocate per message for its scratch space.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "base/status.h"
#include "net/http_message.h"

namespace tracewire::net {

// Why a message was rejected; HttpStatusForParseError() gives the status a server answers.
enum class HttpParseError {
  kNone,
  kMalformed,            // 400: grammar, framing (CL+TE, conflicting CL), missing Host
  kHeaderTooLarge,       // 431: header section or field count over the limit
  kBodyTooLarge,         // 413: body over max_body_bytes
  kNotImplemented,       // 501: a transfer coding other than "chunked"
  kVersionNotSupported,  // 505: HTTP major version other than 1
  kTruncated,            // the peer closed the connection mid-message (FinishEof)
};

// 400, 431, 413, 501, 505 (kTruncated: 400; kNone: 200).
int HttpStatusForParseError(HttpParseError error);

struct HttpParseLimits {
  size_t max_header_bytes = size_t{64} * 1024;  // start line + fields + CR LFs; trailers likewise
  size_t max_header_fields = 100;               // trailer fields likewise
  size_t max_body_bytes = 8u << 20;             // decoded body bytes
};

// The machinery shared by both parsers. Use HttpRequestParser or HttpResponseParser.
class HttpMessageParser {
 public:
  HttpMessageParser(const HttpMessageParser&) = delete;
  HttpMessageParser& operator=(const HttpMessageParser&) = delete;
  virtual ~HttpMessageParser() = default;

  // Consumes a prefix of `data` and returns its length. Stops right after a complete message
  // (done()) or at the first error (failed()); returns 0 once either holds.
  size_t Feed(std::string_view data);

  // Tells the parser the peer closed the connection. A body read until close completes;
  // any other message in progress fails with kTruncated. No-op when nothing was started.
  void FinishEof();

  // Forgets the current message (or error) and gets ready for the next one.
  void Reset();

  bool done() const { return state_ == State::kDone; }
  bool failed() const { return state_ == State::kFailed; }
  // True once any byte of the current message has been consumed.
  bool started() const { return started_; }
  // True once the header section has been parsed (the body may still be pending).
  bool headers_complete() const { return phase_ != Phase::kHead; }

  HttpParseError error() const { return error_; }
  const std::string& error_message() const { return error_message_; }
  // OK unless failed(): INVALID_ARGUMENT (malformed, truncated), RESOURCE_EXHAUSTED (limits),
  // UNIMPLEMENTED (coding or version).
  Status status() const;

  // Valid once headers_complete(): the HTTP/1.x minor version, and whether the connection may
  // carry another message after this one (RFC 9112 §9.3).
  int minor_version() const { return minor_version_; }
  bool keep_alive() const { return keep_alive_; }

 protected:
  enum class BodyKind { kNone, kLength, kChunked, kUntilClose };

  explicit HttpMessageParser(HttpParseLimits limits)
      : limits_(limits), body_limit_(limits.max_body_bytes) {}

  // Parses the start line into the message and sets minor_version_.
  virtual Status ParseStartLine(std::string_view line) = 0;
  // Chooses the body framing once the fields are in. `content_length` is set when a valid
  // Content-Length was present, `chunked` when Transfer-Encoding: chunked was.
  virtual StatusOr<BodyKind> ChooseFraming(const std::optional<uint64_t>& content_length,
                                           bool chunked) = 0;
  virtual HttpHeaders& headers() = 0;
  virtual std::string& body() = 0;
  virtual void ClearMessage() = 0;
  // The body limit of the message whose header section was just parsed (bytes).
  virtual size_t BodyLimit(size_t default_limit) { return default_limit; }

  void set_minor_version(int v) { minor_version_ = v; }

 private:
  enum class State { kRunning, kDone, kFailed };
  enum class Phase { kHead, kLength, kChunkSize, kChunkData, kChunkEnd, kTrailer, kUntilClose };

  size_t ConsumeHead(std::string_view data);
  void FinishHead(size_t end);
  size_t ConsumeBody(std::string_view data);
  // Accumulates one CR LF-terminated line into line_; sets *complete when it ended.
  size_t ConsumeLine(std::string_view data, size_t max_line, bool* complete);
  void OnLine(std::string_view line);
  void Complete() { state_ = State::kDone; }
  void Fail(HttpParseError error, std::string message);

  HttpParseLimits limits_;
  State state_ = State::kRunning;
  Phase phase_ = Phase::kHead;
  bool started_ = false;
  HttpParseError error_ = HttpParseError::kNone;
  std::string error_message_;
  int minor_version_ = 1;
  bool keep_alive_ = true;

  std::string head_;       // header section bytes received so far
  size_t head_start_ = 0;  // first byte after skipped leading empty lines
  size_t line_start_ = 0;  // start of the line being scanned in head_
  size_t head_lines_ = 0;
  std::string line_;        // a chunk-size or trailer line in progress
  uint64_t remaining_ = 0;  // body or chunk bytes still expected
  size_t body_limit_ = 0;   // of the current message, chosen once its head is parsed
  size_t trailer_bytes_ = 0;
  size_t trailer_fields_ = 0;
};

// Chooses the body limit of one request from its method, target and headers (bytes);
// `default_limit` is HttpParseLimits::max_body_bytes. Must be cheap and thread-safe.
using HttpBodyLimitSelector = std::function<size_t(const HttpRequest& head, size_t default_limit)>;

// Parses requests (server side).
class HttpRequestParser final : public HttpMessageParser {
 public:
  explicit HttpRequestParser(HttpParseLimits limits = {}) : HttpMessageParser(limits) {}

  // Asks `selector` for each request's body limit once its header section is parsed, so the
  // limit can differ per route (a Content-Length over it fails before any body byte).
  void set_body_limit_selector(HttpBodyLimitSelector selector) {
    body_limit_selector_ = std::move(selector);
  }

  // The request; complete once done(). Method, target and headers are set once
  // headers_complete().
  const HttpRequest& request() const { return request_; }
  HttpRequest& mutable_request() { return request_; }
  // True when the client asked for "Expect: 100-continue" (HTTP/1.1 only).
  bool expects_continue() const;

 private:
  Status ParseStartLine(std::string_view line) override;
  StatusOr<BodyKind> ChooseFraming(const std::optional<uint64_t>& content_length,
                                   bool chunked) override;
  HttpHeaders& headers() override { return request_.headers; }
  std::string& body() override { return request_.body; }
  void ClearMessage() override;
  size_t BodyLimit(size_t default_limit) override;

  HttpRequest request_;
  HttpBodyLimitSelector body_limit_selector_;
};

// Parses responses (client side). 1xx responses are returned like any other (with no body):
// a client skips them and parses on.
class HttpResponseParser final : public HttpMessageParser {
 public:
  explicit HttpResponseParser(HttpParseLimits limits = {}) : HttpMessageParser(limits) {}

  // The response to a HEAD request has no body whatever its headers say. Kept across Reset().
  void set_head_request(bool head) { head_request_ = head; }

  const HttpResponse& response() const { return response_; }
  HttpResponse& mutable_response() { return response_; }

 private:
  Status ParseStartLine(std::string_view line) override;
  StatusOr<BodyKind> ChooseFraming(const std::optional<uint64_t>& content_length,
                                   bool chunked) override;
  HttpHeaders& headers() override { return response_.headers; }
  std::string& body() override { return response_.body; }
  void ClearMessage() override;

  HttpResponse response_;
  bool head_request_ = false;
};

}  // namespace tracewire::net
