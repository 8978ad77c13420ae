#pragma once

#include "capture/httprequest.h"

#include <QByteArray>
#include <QString>
#include <QUrl>

#include <optional>

namespace hookbench {

// How an HttpRequest becomes HTTP/1.1 bytes on the wire. Nothing is added that the request does
// not ask for: the only headers ever added are Host (from the URL, when the list has none) and
// Content-Length (when the list has neither Content-Length nor Transfer-Encoding and the request
// carries a body, or is a POST/PUT/PATCH, whose receivers expect a length even when it is 0).

// Empty when the request can be sent, else one sentence saying what is wrong (unsupported
// scheme, invalid method token, a header name that is not a token, a line break in a value).
QString requestProblem(const HttpRequest &request);

// The request-target: `request.target` when it names the same resource as the URL, else the
// URL's path and query ("/" when the path is empty).
QByteArray requestTarget(const HttpRequest &request);

// "host", "host:port" (non-default port), "[::1]:8080"; IDNs in their ACE form.
QByteArray hostHeaderValue(const QUrl &url);

// The port the URL names, or the scheme's default (80, 443).
quint16 effectivePort(const QUrl &url);
bool isHttps(const QUrl &url);

// True when the list ends its Transfer-Encoding with "chunked": the body is then sent as one
// chunk followed by the last chunk, so the receiver de-chunks exactly `body`.
bool usesChunkedEncoding(const HeaderList &headers);

// The complete request (request line, headers, blank line, body), or nullopt with `error`.
std::optional<QByteArray> serializeRequest(const HttpRequest &request, QString *error = nullptr);

} // namespace hookbench
