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
    HeaderList headers;
    QByteArray body;
};

} // namespace hookbench
