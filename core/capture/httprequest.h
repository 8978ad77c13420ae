#pragma once

#include "httpheaders.h"

#include <QByteArray>
#include <QUrl>

namespace hookbench {

// A request to be sent: what the editor shows, what replay and forward send. The header list is
// sent exactly as given, in order; the body is sent byte for byte.
struct HttpRequest
{
    QByteArray method = QByteArrayLiteral("POST");
    QUrl url;
    // The request-target as received (path and query), sent verbatim when it still names the same
    // resource as `url`: QUrl normalises percent-encodings (%7e becomes ~), a replay must not.
    // Empty: the target is derived from `url`.
    QByteArray target;
    HeaderList headers;
    QByteArray body;
};

} // namespace hookbench
