#pragma once

#include "capture/attempt.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace hookbench::cli {

// How `send` and `replay` print an Attempt: the response as HTTP text, or one JSON object.

// "HTTP/1.1 200 OK\nName: value\n…\n\n" + the body bytes unchanged (lines end in LF for terminals
// and scripts; the header bytes themselves are as received).
QByteArray responseText(const Attempt &attempt);

// {"url","method","status","reason","headers":[{"name","value"}],"body","bodyEncoding",
//  "bodySize","timeToFirstByteUs","totalUs","error":null|{"kind","message"}} (+ "captureId" when set).
// The body is a string when it is valid UTF-8, else base64 ("bodyEncoding" says which).
QJsonObject attemptJson(const Attempt &attempt);

// One line about the outcome for stderr: the failure's reason (with a hint for certificate
// errors), or "the server answered 500 Internal Server Error" for a non-2xx status.
QString attemptProblem(const Attempt &attempt);

// 0 for 2xx, 1 for another HTTP status, 3 for no usable response (refused, timeout, TLS, ...).
int attemptExitCode(const Attempt &attempt);

} // namespace hookbench::cli
