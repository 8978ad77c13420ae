#include "requestwire.h"

namespace hookbench {

namespace {

bool isToken(QByteArrayView text)
{
    return isValidHeaderName(text); // RFC 9110: methods and field names are both tokens
}

bool hasLineBreakOrNul(QByteArrayView value)
{
    return value.contains('\r') || value.contains('\n') || value.contains('\0');
}

// Bytes allowed in an origin-form target as sent: visible ASCII except '#'.
bool isSendableTarget(QByteArrayView target)
{
    if (target.isEmpty() || target.front() != '/')
        return false;
    for (const char c : target) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u >= 0x7f || c == '#')
            return false;
    }
    return true;
}

bool methodExpectsLength(QByteArrayView method)
{
    return method == "POST" || method == "PUT" || method == "PATCH";
}

} // namespace

bool isHttps(const QUrl &url)
{
    return url.scheme().compare(u"https", Qt::CaseInsensitive) == 0;
}

quint16 effectivePort(const QUrl &url)
{
    return quint16(url.port(isHttps(url) ? 443 : 80));
}

QString requestProblem(const HttpRequest &request)
{
    const QUrl &url = request.url;
    if (!url.isValid())
        return QStringLiteral("the URL is not valid: %1").arg(url.errorString());
    const QString scheme = url.scheme().toLower();
    if (scheme != u"http" && scheme != u"https")
        return QStringLiteral("the URL must start with http:// or https://, not \"%1\"")
            .arg(url.toString(QUrl::RemoveUserInfo).left(80));
    if (url.host().isEmpty())
        return QStringLiteral("the URL has no host: \"%1\"").arg(url.toString(QUrl::RemoveUserInfo).left(80));
    if (!isToken(request.method))
        return QStringLiteral("the method \"%1\" is not a valid HTTP method token")
            .arg(QString::fromLatin1(request.method.left(40)));
    for (const HttpHeader &header : request.headers) {
        if (!isValidHeaderName(header.name))
            return QStringLiteral("the header name \"%1\" is not a valid token")
                .arg(QString::fromLatin1(header.name.left(40)));
        if (hasLineBreakOrNul(header.value))
            return QStringLiteral("the value of header %1 contains a line break or NUL")
                .arg(QString::fromLatin1(header.name));
    }
    if (hasHeader(request.headers, "Transfer-Encoding") && !usesChunkedEncoding(request.headers))
        return QStringLiteral("Transfer-Encoding must end with \"chunked\" for a request body to be framed");
    return {};
}

QByteArray requestTarget(const HttpRequest &request)
{
    if (isSendableTarget(request.target)) {
        QByteArray origin = request.url.toEncoded(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment);
        if (origin.endsWith('/'))
            origin.chop(1);
        const QUrl verbatim = QUrl::fromEncoded(origin + request.target, QUrl::TolerantMode);
        if (verbatim.isValid() && verbatim == request.url.adjusted(QUrl::RemoveFragment))
            return request.target;
    }
    QByteArray target = request.url.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority | QUrl::RemoveFragment);
    if (target.isEmpty() || target.front() != '/')
        target.prepend('/');
    return target;
}

QByteArray hostHeaderValue(const QUrl &url)
{
    QByteArray host = url.host(QUrl::FullyEncoded).toLatin1();
    if (host.contains(':'))
        host = '[' + host + ']';
    const int port = url.port();
    if (port >= 0 && port != (isHttps(url) ? 443 : 80))
        host += ':' + QByteArray::number(port);
    return host;
}

bool usesChunkedEncoding(const HeaderList &headers)
{
    const QList<QByteArray> values = headerValues(headers, "Transfer-Encoding");
    if (values.isEmpty())
        return false;
    const QList<QByteArray> codings = values.last().split(',');
    return codings.last().trimmed().compare("chunked", Qt::CaseInsensitive) == 0;
}

std::optional<QByteArray> serializeRequest(const HttpRequest &request, QString *error)
{
    const QString problem = requestProblem(request);
    if (!problem.isEmpty()) {
        if (error)
            *error = problem;
        return std::nullopt;
    }

    const bool chunked = usesChunkedEncoding(request.headers);
    const bool addHost = !hasHeader(request.headers, "Host");
    const bool addLength = !chunked && !hasHeader(request.headers, "Content-Length")
        && (!request.body.isEmpty() || methodExpectsLength(request.method));

    QByteArray wire;
    wire.reserve(256 + request.body.size() + request.headers.size() * 48);
    wire += request.method + ' ' + requestTarget(request) + " HTTP/1.1\r\n";
    // Host first when we add it: that is where every client puts it and where receivers look.
    if (addHost)
        wire += "Host: " + hostHeaderValue(request.url) + "\r\n";
    for (const HttpHeader &header : request.headers)
        wire += header.name + ": " + header.value + "\r\n";
    if (addLength)
        wire += "Content-Length: " + QByteArray::number(request.body.size()) + "\r\n";
    wire += "\r\n";
    if (chunked) {
        if (!request.body.isEmpty())
            wire += QByteArray::number(request.body.size(), 16) + "\r\n" + request.body + "\r\n";
        wire += "0\r\n\r\n";
    } else {
        wire += request.body;
    }
    return wire;
}

} // namespace hookbench
