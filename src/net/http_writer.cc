#include "net/http_writer.h"

#include <charconv>

#include "net/http_syntax.h"

namespace tracewire::net {
namespace {

bool IsFramingField(std::string_view name) {
  return EqualsIgnoreCase(name, "content-length") || EqualsIgnoreCase(name, "transfer-encoding");
}

Status ValidateFields(const HttpHeaders& headers) {
  for (const auto& [name, value] : headers.fields()) {
    if (!IsToken(name)) return InvalidArgumentError("invalid header field name: " + name);
    if (!IsFieldValue(value)) return InvalidArgumentError("invalid value for header " + name);
  }
  return OkStatus();
}

void AppendNumber(uint64_t n, std::string* out) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), n);
  out->append(buf, end);
}

void AppendFieldsAndBody(const HttpHeaders& headers, std::string_view body, bool length,
                         bool omit_body, std::string* out) {
  for (const auto& [name, value] : headers.fields()) {
    if (IsFramingField(name)) continue;
    out->append(name).append(": ").append(value).append("\r\n");
  }
  if (length) {
    out->append("Content-Length: ");
    AppendNumber(body.size(), out);
    out->append("\r\n");
  }
  out->append("\r\n");
  if (!omit_body) out->append(body);
}

}  // namespace

std::string_view StandardReasonPhrase(int status) {
  switch (status) {
    case 100: return "Continue";
    case 101: return "Switching Protocols";
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 203: return "Non-Authoritative Information";
    case 204: return "No Content";
    case 205: return "Reset Content";
    case 206: return "Partial Content";
    case 300: return "Multiple Choices";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 307: return "Temporary Redirect";
    case 308: return "Permanent Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 402: return "Payment Required";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 407: return "Proxy Authentication Required";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 411: return "Length Required";
    case 412: return "Precondition Failed";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 416: return "Range Not Satisfiable";
    case 417: return "Expectation Failed";
    case 421: return "Misdirected Request";
    case 422: return "Unprocessable Content";
    case 426: return "Upgrade Required";
    case 428: return "Precondition Required";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    case 505: return "HTTP Version Not Supported";
    default: return "Unknown";
  }
}

Status ValidateRequest(const HttpRequest& request) {
  if (!IsToken(request.method)) return InvalidArgumentError("invalid method: " + request.method);
  if (!IsRequestTarget(request.target)) {
    return InvalidArgumentError("invalid request target: " + request.target);
  }
  return ValidateFields(request.headers);
}

Status ValidateResponse(const HttpResponse& response) {
  if (response.status < 100 || response.status > 999) {
    return InvalidArgumentError("invalid status code " + std::to_string(response.status));
  }
  if (!IsFieldValue(response.reason)) return InvalidArgumentError("invalid reason phrase");
  return ValidateFields(response.headers);
}

void AppendRequest(const HttpRequest& request, std::string_view host, std::string* out) {
  out->append(request.method).append(" ").append(request.target).append(" HTTP/1.1\r\n");
  if (!host.empty() && !request.headers.Get("host").has_value()) {
    out->append("Host: ").append(host).append("\r\n");
  }
  AppendFieldsAndBody(request.headers, request.body, /*length=*/true, /*omit_body=*/false, out);
}

void AppendResponse(const HttpResponse& response, bool omit_body, std::string* out) {
  int status = response.status;
  out->append("HTTP/1.1 ");
  AppendNumber(static_cast<uint64_t>(status), out);
  out->append(" ");
  out->append(response.reason.empty() ? StandardReasonPhrase(status) : response.reason);
  out->append("\r\n");
  bool bodiless = status < 200 || status == 204;
  AppendFieldsAndBody(response.headers, response.body, /*length=*/!bodiless,
                      omit_body || bodiless || status == 304, out);
}

std::string SerializeRequest(const HttpRequest& request, std::string_view host) {
  std::string out;
  AppendRequest(request, host, &out);
  return out;
}

std::string SerializeResponse(const HttpResponse& response) {
  std::string out;
  AppendResponse(response, /*omit_body=*/false, &out);
  return out;
}

}  // namespace tracewire::net
