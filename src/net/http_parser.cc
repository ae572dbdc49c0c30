#include "net/http_parser.h"

#include <algorithm>
#include <utility>

#include "net/http_syntax.h"

namespace tracewire::net {
namespace {

constexpr size_t kMaxChunkLineBytes = 4096;  // chunk size plus extensions
constexpr size_t kBodyReserveCap = size_t{64} * 1024;

}  // namespace

int HttpStatusForParseError(HttpParseError error) {
  switch (error) {
    case HttpParseError::kNone: return 200;
    case HttpParseError::kMalformed: return 400;
    case HttpParseError::kHeaderTooLarge: return 431;
    case HttpParseError::kBodyTooLarge: return 413;
    case HttpParseError::kNotImplemented: return 501;
    case HttpParseError::kVersionNotSupported: return 505;
    case HttpParseError::kTruncated: return 400;
  }
  return 400;
}

Status HttpMessageParser::status() const {
  switch (error_) {
    case HttpParseError::kNone: return OkStatus();
    case HttpParseError::kHeaderTooLarge:
    case HttpParseError::kBodyTooLarge: return ResourceExhaustedError(error_message_);
    case HttpParseError::kNotImplemented:
    case HttpParseError::kVersionNotSupported: return UnimplementedError(error_message_);
    case HttpParseError::kMalformed:
    case HttpParseError::kTruncated: return InvalidArgumentError(error_message_);
  }
  return InvalidArgumentError(error_message_);
}

void HttpMessageParser::Reset() {
  state_ = State::kRunning;
  phase_ = Phase::kHead;
  started_ = false;
  error_ = HttpParseError::kNone;
  error_message_.clear();
  minor_version_ = 1;
  keep_alive_ = true;
  head_.clear();
  head_start_ = line_start_ = head_lines_ = 0;
  line_.clear();
  remaining_ = 0;
  body_limit_ = limits_.max_body_bytes;
  trailer_bytes_ = trailer_fields_ = 0;
  ClearMessage();
}

void HttpMessageParser::Fail(HttpParseError error, std::string message) {
  state_ = State::kFailed;
  error_ = error;
  error_message_ = std::move(message);
}

size_t HttpMessageParser::Feed(std::string_view data) {
  size_t used = 0;
  if (!data.empty() && state_ == State::kRunning) started_ = true;
  while (state_ == State::kRunning && used < data.size()) {
    std::string_view rest = data.substr(used);
    used += phase_ == Phase::kHead ? ConsumeHead(rest) : ConsumeBody(rest);
  }
  return used;
}

void HttpMessageParser::FinishEof() {
  if (state_ != State::kRunning || !started_) return;
  if (phase_ == Phase::kUntilClose) {
    Complete();
  } else {
    Fail(HttpParseError::kTruncated, "connection closed before the message was complete");
  }
}

size_t HttpMessageParser::ConsumeHead(std::string_view data) {
  // Invariant: head_.size() < max_header_bytes while scanning, so `room` > 0.
  size_t old_size = head_.size();
  size_t take = std::min(data.size(), limits_.max_header_bytes - old_size);
  head_.append(data.data(), take);
  size_t scan = std::max(old_size, line_start_);
  while (scan < head_.size()) {
    size_t lf = head_.find('\n', scan);
    if (lf == std::string::npos) break;
    if (lf == line_start_ || head_[lf - 1] != '\r') {
      Fail(HttpParseError::kMalformed, "line not terminated by CR LF");
      return take;
    }
    if (lf - 1 == line_start_) {  // an empty line
      if (line_start_ == head_start_) {
        head_start_ = line_start_ = lf + 1;  // skip empty lines before the start line
      } else {
        FinishHead(lf + 1);
        return take - (head_.size() - (lf + 1));
      }
    } else {
      if (++head_lines_ > limits_.max_header_fields + 1) {
        Fail(HttpParseError::kHeaderTooLarge, "too many header fields");
        return take;
      }
      line_start_ = lf + 1;
    }
    scan = lf + 1;
  }
  if (head_.size() >= limits_.max_header_bytes) {
    Fail(HttpParseError::kHeaderTooLarge, "header section too large");
  }
  return take;
}

void HttpMessageParser::FinishHead(size_t end) {
  std::string_view head(head_.data() + head_start_, end - head_start_ - 2);
  bool first = true;
  while (!head.empty()) {
    size_t eol = head.find("\r\n");
    std::string_view line = head.substr(0, eol);
    head.remove_prefix(eol == std::string_view::npos ? head.size() : eol + 2);
    if (first) {
      first = false;
      Status s = ParseStartLine(line);
      if (!s.ok()) {
        Fail(s.code() == StatusCode::kUnimplemented ? HttpParseError::kVersionNotSupported
                                                    : HttpParseError::kMalformed,
             s.message());
        return;
      }
      continue;
    }
    StatusOr<FieldLine> field = ParseFieldLine(line);
    if (!field.ok()) return Fail(HttpParseError::kMalformed, field.status().message());
    headers().Add(std::string(field->name), std::string(field->value));
  }
  phase_ = Phase::kLength;  // headers_complete() from here on

  StatusOr<std::optional<uint64_t>> length = ParseContentLength(headers());
  if (!length.ok()) return Fail(HttpParseError::kMalformed, length.status().message());
  StatusOr<std::optional<bool>> chunked = ParseTransferEncoding(headers());
  if (!chunked.ok()) return Fail(HttpParseError::kNotImplemented, chunked.status().message());
  if (length->has_value() && chunked->has_value()) {
    return Fail(HttpParseError::kMalformed, "both Content-Length and Transfer-Encoding");
  }
  keep_alive_ = minor_version_ >= 1 ? !HasListToken(headers(), "connection", "close")
                                    : HasListToken(headers(), "connection", "keep-alive");
  StatusOr<BodyKind> kind = ChooseFraming(*length, chunked->has_value());
  if (!kind.ok()) return Fail(HttpParseError::kMalformed, kind.status().message());
  body_limit_ = BodyLimit(limits_.max_body_bytes);
  switch (*kind) {
    case BodyKind::kNone: Complete(); break;
    case BodyKind::kLength:
      remaining_ = length->value_or(0);
      if (remaining_ > body_limit_) {
        return Fail(HttpParseError::kBodyTooLarge, "Content-Length over the body limit");
      }
      if (remaining_ == 0) return Complete();
      body().reserve(std::min<uint64_t>(remaining_, kBodyReserveCap));
      phase_ = Phase::kLength;
      break;
    case BodyKind::kChunked: phase_ = Phase::kChunkSize; break;
    case BodyKind::kUntilClose:
      keep_alive_ = false;
      phase_ = Phase::kUntilClose;
      break;
  }
}

size_t HttpMessageParser::ConsumeLine(std::string_view data, size_t max_line, bool* complete) {
  *complete = false;
  size_t lf = data.find('\n');
  size_t take = lf == std::string_view::npos ? data.size() : lf;
  if (line_.size() + take > max_line) {
    Fail(phase_ == Phase::kTrailer ? HttpParseError::kHeaderTooLarge : HttpParseError::kMalformed,
         "line too long");
    return data.size();
  }
  line_.append(data.data(), take);
  if (lf == std::string_view::npos) return take;
  if (line_.empty() || line_.back() != '\r') {
    Fail(HttpParseError::kMalformed, "line not terminated by CR LF");
    return take + 1;
  }
  line_.pop_back();
  *complete = true;
  return take + 1;
}

size_t HttpMessageParser::ConsumeBody(std::string_view data) {
  switch (phase_) {
    case Phase::kLength:
    case Phase::kChunkData: {
      size_t take = static_cast<size_t>(std::min<uint64_t>(remaining_, data.size()));
      body().append(data.data(), take);
      remaining_ -= take;
      if (remaining_ == 0) {
        if (phase_ == Phase::kLength) {
          Complete();
        } else {
          phase_ = Phase::kChunkEnd;
        }
      }
      return take;
    }
    case Phase::kUntilClose:
      if (body().size() + data.size() > body_limit_) {
        Fail(HttpParseError::kBodyTooLarge, "body over the limit");
        return data.size();
      }
      body().append(data);
      return data.size();
    case Phase::kChunkSize:
    case Phase::kChunkEnd:
    case Phase::kTrailer: {
      size_t max_line = phase_ == Phase::kTrailer ? limits_.max_header_bytes : kMaxChunkLineBytes;
      bool complete = false;
      size_t used = ConsumeLine(data, max_line, &complete);
      if (complete) {
        OnLine(line_);
        line_.clear();
      }
      return used;
    }
    case Phase::kHead: break;
  }
  return 0;
}

void HttpMessageParser::OnLine(std::string_view line) {
  switch (phase_) {
    case Phase::kChunkSize: {
      StatusOr<uint64_t> size = ParseChunkSizeLine(line);
      if (!size.ok()) return Fail(HttpParseError::kMalformed, size.status().message());
      if (*size == 0) {
        phase_ = Phase::kTrailer;
      } else if (*size > body_limit_ - body().size()) {
        Fail(HttpParseError::kBodyTooLarge, "chunked body over the limit");
      } else {
        remaining_ = *size;
        phase_ = Phase::kChunkData;
      }
      break;
    }
    case Phase::kChunkEnd:
      if (!line.empty()) return Fail(HttpParseError::kMalformed, "chunk data longer than its size");
      phase_ = Phase::kChunkSize;
      break;
    case Phase::kTrailer: {
      if (line.empty()) return Complete();
      trailer_bytes_ += line.size() + 2;
      if (trailer_bytes_ > limits_.max_header_bytes ||
          ++trailer_fields_ > limits_.max_header_fields) {
        return Fail(HttpParseError::kHeaderTooLarge, "trailer section too large");
      }
      StatusOr<FieldLine> field = ParseFieldLine(line);  // validated, then dropped
      if (!field.ok()) return Fail(HttpParseError::kMalformed, field.status().message());
      break;
    }
    default: break;
  }
}

// ---- Requests ----

Status HttpRequestParser::ParseStartLine(std::string_view line) {
  StatusOr<RequestLine> parsed = ParseRequestLine(line);
  if (!parsed.ok()) return parsed.status();
  request_.method.assign(parsed->method);
  request_.target.assign(parsed->target);
  set_minor_version(parsed->minor_version);
  return OkStatus();
}

StatusOr<HttpMessageParser::BodyKind> HttpRequestParser::ChooseFraming(
    const std::optional<uint64_t>& content_length, bool chunked) {
  int hosts = 0;
  for (const auto& field : request_.headers.fields()) {
    if (EqualsIgnoreCase(field.first, "host")) ++hosts;
  }
  if (hosts > 1 || (hosts == 0 && minor_version() >= 1)) {
    return InvalidArgumentError("an HTTP/1.1 request needs exactly one Host field");
  }
  if (chunked) {
    if (minor_version() == 0) return InvalidArgumentError("Transfer-Encoding in HTTP/1.0");
    return BodyKind::kChunked;
  }
  return content_length.has_value() ? BodyKind::kLength : BodyKind::kNone;
}

size_t HttpRequestParser::BodyLimit(size_t default_limit) {
  return body_limit_selector_ ? body_limit_selector_(request_, default_limit) : default_limit;
}

bool HttpRequestParser::expects_continue() const {
  if (minor_version() < 1) return false;
  std::optional<std::string_view> expect = request_.headers.Get("expect");
  return expect.has_value() && EqualsIgnoreCase(*expect, "100-continue");
}

void HttpRequestParser::ClearMessage() {
  request_.method.clear();
  request_.target.clear();
  request_.headers = HttpHeaders();
  request_.body.clear();
}

// ---- Responses ----

Status HttpResponseParser::ParseStartLine(std::string_view line) {
  StatusOr<StatusLine> parsed = ParseStatusLine(line);
  if (!parsed.ok()) return parsed.status();
  response_.status = parsed->status;
  response_.reason.assign(parsed->reason);
  set_minor_version(parsed->minor_version);
  return OkStatus();
}

StatusOr<HttpMessageParser::BodyKind> HttpResponseParser::ChooseFraming(
    const std::optional<uint64_t>& content_length, bool chunked) {
  int s = response_.status;
  if (head_request_ || s < 200 || s == 204 || s == 304) return BodyKind::kNone;
  if (chunked) return BodyKind::kChunked;
  return content_length.has_value() ? BodyKind::kLength : BodyKind::kUntilClose;
}

void HttpResponseParser::ClearMessage() {
  response_.status = 200;
  response_.reason.clear();
  response_.headers = HttpHeaders();
  response_.body.clear();
}

}  // namespace tracewire::net
