#pragma once

#include "capture/httprequest.h"

#include <QByteArray>
#include <QUrl>

namespace hookbench {

// The request dbt Cloud makes to deliver `body` to `url`: POST with the body byte for byte,
// Content-Type: application/json, and Authorization: the lowercase hex HMAC-SHA256 of the body
// keyed with `secret` (the dbt-cloud scheme). Without a secret the request is left unsigned.
// dbt documents only Authorization; Content-Type is what receivers reading JSON expect.
HttpRequest dbtDeliveryRequest(const QByteArray &body, const QUrl &url, const QByteArray &secret);

} // namespace hookbench
