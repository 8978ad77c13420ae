#include "dbtrequest.h"

#include "signing/schemeregistry.h"

namespace hookbench {

HttpRequest dbtDeliveryRequest(const QByteArray &body, const QUrl &url, const QByteArray &secret)
{
    HttpRequest request;
    request.method = QByteArrayLiteral("POST");
    request.url = url;
    request.body = body;
    request.headers.append({QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")});
    if (!secret.isEmpty()) {
        const auto scheme = createBuiltinScheme(u"dbt-cloud");
        Q_ASSERT(scheme);
        for (const HttpHeader &header : scheme->sign(body, secret))
            setHeader(request.headers, header.name, header.value);
    }
    return request;
}

} // namespace hookbench
