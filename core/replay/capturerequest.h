#pragma once

#include "capture/capture.h"
#include "capture/httprequest.h"

#include <QUrl>

namespace hookbench {

// How a stored capture becomes a request to replay or forward: same method, same header list
// (order, case, duplicates) less the hop-by-hop headers, Host and Content-Length (they described
// the original connection and are derived again for the new one), same body bytes.
//
// Where it goes: when `destination` has no path (or just "/") and no query, the capture's own
// request-target is kept, byte for byte, on the destination's origin
// ("http://localhost:9000" + "/hooks/dbt?x=1"); otherwise every capture goes to exactly
// `destination`, like `stripe listen --forward-to`.
HttpRequest requestFromCapture(const Capture &capture, const QUrl &destination);

bool keepsCaptureTarget(const QUrl &destination);

// Connection, Keep-Alive, Proxy-Connection, Proxy-Authorization, TE, Trailer, Transfer-Encoding,
// Upgrade, and any header the Connection header names.
bool isHopByHopHeader(QByteArrayView name, const HeaderList &headers);

} // namespace hookbench
