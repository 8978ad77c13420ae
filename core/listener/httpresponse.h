#pragma once

#include "capture/httpheaders.h"

#include <QByteArray>

namespace hookbench {

// An answer the listener sends: status, headers in order, body. Serialised by the listener
// itself rather than by QHttpServerResponder, whose 6.4 status line looks the code up with
// std::map::at() (an unlisted code such as 299 would throw) and which writes each piece with
// a separate socket write.
struct HttpResponse
{
    int status = 200;
    HeaderList headers; // Content-Length and Connection are set by serialize()
    QByteArray body;

    enum class Connection {
        Default, // HTTP/1.1 keep-alive: no header
        KeepAlive, // "Connection: keep-alive", which HTTP/1.0 clients need to keep the connection
        Close, // "Connection: close": the connection ends after this answer
    };

    // The bytes on the wire. A response to HEAD carries the Content-Length of the body but not
    // the body; 1xx, 204 and 304 carry neither.
    QByteArray serialize(bool headRequest, Connection connection) const;
};

// "OK", "Payload Too Large", ...; "Unknown" for codes without a registered phrase.
QByteArray reasonPhrase(int status);

// A short JSON error body, {"status":"error","error":"..."}, for answers the listener makes up.
QByteArray jsonErrorBody(const QString &message);

} // namespace hookbench
