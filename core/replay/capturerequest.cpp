#include "capturerequest.h"

namespace hookbench {

bool keepsCaptureTarget(const QUrl &destination)
{
    return (destination.path().isEmpty() || destination.path() == u"/") && !destination.hasQuery();
}

bool isHopByHopHeader(QByteArrayView name, const HeaderList &headers)
{
    static const QByteArrayView fixed[] = {"Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authorization", "TE",
        "Trailer", "Transfer-Encoding", "Upgrade"};
    for (const QByteArrayView hop : fixed) {
        if (headerNameEquals(name, hop))
            return true;
    }
    for (const QByteArray &value : headerValues(headers, "Connection")) {
        for (const QByteArray &token : value.split(',')) {
            if (headerNameEquals(name, token.trimmed()))
                return true;
        }
    }
    return false;
}

HttpRequest requestFromCapture(const Capture &capture, const QUrl &destination)
{
    HttpRequest request;
    request.method = capture.method.isEmpty() ? QByteArrayLiteral("POST") : capture.method;
    request.body = capture.body;
    for (const HttpHeader &header : capture.headers) {
        if (headerNameEquals(header.name, "Host") || headerNameEquals(header.name, "Content-Length")
            || isHopByHopHeader(header.name, capture.headers))
            continue;
        request.headers.append(header);
    }

    if (!keepsCaptureTarget(destination)) {
        request.url = destination;
        return request;
    }
    QByteArray target = capture.target;
    if (!target.startsWith('/')) {
        // An absolute-form or empty target: keep its path and query.
        const QUrl absolute = QUrl::fromEncoded(target, QUrl::TolerantMode);
        target = absolute.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority | QUrl::RemoveFragment);
        if (!target.startsWith('/'))
            target.prepend('/');
    }
    QByteArray origin = destination.toEncoded(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment);
    if (origin.endsWith('/'))
        origin.chop(1);
    request.url = QUrl::fromEncoded(origin + target, QUrl::TolerantMode);
    request.target = target;
    return request;
}

} // namespace hookbench
