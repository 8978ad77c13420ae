#pragma once

#include "httpheaders.h"
#include "httprequest.h"

#include <QByteArray>
#include <QString>

namespace hookbench {

// One try at sending a request (send, replay or forward) and what came back.
struct Attempt
{
    enum class Kind { Send, Replay, Forward };
    enum class Failure {
        None, // an HTTP response arrived (whatever its status)
        Refused, // connection refused / host unreachable / name not found
        Timeout, // no complete response within the timeout
        Tls, // the TLS handshake failed or the certificate was rejected
        Other, // anything else (protocol error, connection reset, ...)
    };

    qint64 id = 0; // assigned by the store
    qint64 captureId = 0; // the capture this attempt replays or forwards; 0 when none
    Kind kind = Kind::Send;
    qint64 startedAtUs = 0; // microseconds since the Unix epoch (UTC)

    HttpRequest request; // exactly what was sent

    int status = 0; // HTTP status; 0 when no response
    QByteArray reasonPhrase;
    HeaderList responseHeaders;
    QByteArray responseBody;

    qint64 timeToFirstByteUs = -1;
    qint64 totalUs = -1;

    Failure failure = Failure::None;
    QString error; // one line when failure != None

    bool succeeded() const { return failure == Failure::None && status >= 200 && status < 300; }
};

QString attemptKindName(Attempt::Kind kind);
QString attemptFailureName(Attempt::Failure failure);

} // namespace hookbench
