#include "curlcommand.h"

#include <QDir>
#include <QFileInfo>
#include <QSaveFile>
#include <QString>

namespace hookbench {

namespace {

bool isSafeBare(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'
        || c == '.' || c == '/' || c == ':' || c == ',' || c == '+' || c == '=' || c == '@' || c == '%';
}

bool isValidUtf8(QByteArrayView bytes)
{
    // Invalid sequences decode to U+FFFD, which does not encode back to the same bytes.
    const QString text = QString::fromUtf8(bytes);
    return text.toUtf8() == bytes;
}

// Printable UTF-8 without control or formatting characters (which a terminal or an editor could
// hide or reorder: bidi overrides, zero-width characters). `allowNewline` for bodies.
bool isPlainText(QByteArrayView bytes, bool allowNewline)
{
    for (const char c : bytes) {
        const auto u = static_cast<unsigned char>(c);
        if ((u < 0x20 && !(allowNewline && c == '\n')) || u == 0x7f)
            return false;
    }
    if (!isValidUtf8(bytes))
        return false;
    const QString text = QString::fromUtf8(bytes);
    for (const QChar ch : text) {
        if (ch == u'\n')
            continue;
        const QChar::Category category = ch.category();
        if (category == QChar::Other_Control || category == QChar::Other_Format)
            return false;
    }
    return true;
}

QByteArray singleQuoted(QByteArrayView text)
{
    QByteArray quoted;
    quoted.reserve(text.size() + 2);
    quoted += '\'';
    for (const char c : text) {
        if (c == '\'')
            quoted += "'\\''";
        else
            quoted += c;
    }
    quoted += '\'';
    return quoted;
}

// "$(printf 'FORMAT')": every byte that is not printable ASCII becomes a 3-digit octal escape,
// so the command itself stays printable text whatever the bytes.
QByteArray printfQuoted(QByteArrayView bytes)
{
    QByteArray format;
    for (const char c : bytes) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '\\')
            format += "\\\\";
        else if (c == '%')
            format += "%%";
        else if (c == '\'')
            format += "'\\''";
        else if (u >= 0x20 && u < 0x7f)
            format += c;
        else
            format += '\\' + QByteArray::number(u, 8).rightJustified(3, '0');
    }
    return "\"$(printf '" + format + "')\"";
}

// A target curl passes through unchanged when it is part of the URL (with --path-as-is and
// --globoff): an origin-form target of plain URI characters. Anything else (a fragment mark,
// spaces, raw 8-bit bytes, an empty query, asterisk-form, absolute-form) goes through
// --request-target instead.
bool isPlainTarget(QByteArrayView target)
{
    if (target.isEmpty() || target.front() != '/' || target.back() == '?')
        return false;
    static const QByteArrayView allowed = "-._~:/?[]@!$&'()*+,;=%";
    for (const char c : target) {
        const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!alnum && !allowed.contains(c))
            return false;
    }
    return true;
}

QByteArray originOf(QByteArray origin)
{
    // Keep scheme://authority only: the captured target replaces any path.
    const qsizetype schemeEnd = origin.indexOf("://");
    const qsizetype pathStart = origin.indexOf('/', schemeEnd < 0 ? 0 : schemeEnd + 3);
    if (pathStart >= 0)
        origin.truncate(pathStart);
    return origin;
}

CurlCommand::Options withOrigin(const Capture &capture, CurlCommand::Options options)
{
    if (options.origin.isEmpty())
        options.origin = CurlCommand::originForListener(capture.listener, capture.tls);
    return options;
}

} // namespace

CurlCommand::CurlCommand(const QByteArray &method, const QByteArray &target, const HeaderList &headers,
    const QByteArray &body, const Options &options)
{
    const QByteArray origin = originOf(options.origin);
    if (!origin.startsWith("http://") && !origin.startsWith("https://")) {
        m_error = QStringLiteral("the destination must start with http:// or https://");
        return;
    }
    if (method.isEmpty() || !isValidHeaderName(method)) {
        m_error = QStringLiteral("the method is not a valid HTTP token");
        return;
    }
    for (const HttpHeader &header : headers) {
        if (!isValidHeaderName(header.name) || header.value.contains('\n') || header.value.contains('\r')
            || header.value.contains('\0')) {
            m_error = QStringLiteral("header \"%1\" can't be written on a command line")
                          .arg(QString::fromUtf8(header.name.left(60)));
            return;
        }
    }

    if (target.contains('\n') || target.contains('\r') || target.contains('\0') || target.contains(' ')) {
        m_error = QStringLiteral("the request target can't be written on a command line");
        return;
    }

    // One group of arguments per line in the multi-line form: the request, each header, the body.
    QList<QByteArray> lines;
    QByteArray request = "curl --http1.1 --globoff --path-as-is";
    const bool hasBody = !body.isEmpty();
    if (hasBody) {
        if (method != "POST")
            request += " -X " + shellQuote(method);
    } else if (method == "HEAD") {
        request += " --head";
    } else if (method != "GET") {
        request += " -X " + shellQuote(method);
    }
    if (isPlainTarget(target)) {
        request += ' ' + shellQuote(QByteArray(origin + target));
    } else {
        request += ' ' + shellQuote(QByteArray(origin + '/')) + " --request-target "
            + shellQuote(target.isEmpty() ? QByteArrayLiteral("/") : target);
    }
    lines << request;

    for (const HttpHeader &header : headers) {
        // curl reads "Name:" as "remove this header" and "Name;" as "send it empty".
        const QByteArray line
            = header.value.isEmpty() ? QByteArray(header.name + ';') : QByteArray(header.name + ": " + header.value);
        lines << "-H " + shellQuote(line);
    }
    // Headers curl would add on its own, unless the request carried them.
    QList<QByteArray> suppressed {"User-Agent", "Accept"};
    if (hasBody)
        suppressed << "Content-Type"
                   << "Expect";
    for (const QByteArray &name : std::as_const(suppressed)) {
        if (!hasHeader(headers, name))
            lines << "-H " + shellQuote(QByteArray(name + ':'));
    }

    if (hasBody) {
        if (canInline(body, qMin<qsizetype>(options.maxLiteralBody, 64 * 1024))) {
            // --data-raw: a literal, even when it starts with '@'.
            lines << "--data-raw " + shellQuote(body);
        } else {
            if (options.bodyFilePath.isEmpty()) {
                m_error = QStringLiteral("the body must go to a file and no file was given");
                return;
            }
            m_needsBodyFile = true;
            m_bodyFilePath = options.bodyFilePath;
            lines << "--data-binary @" + shellQuote(QFile::encodeName(options.bodyFilePath));
        }
    }

    m_command = lines.join(options.multiline ? QByteArrayView(" \\\n  ") : QByteArrayView(" "));
}

CurlCommand::CurlCommand(const Capture &capture, Options options)
    : CurlCommand(capture.method, capture.target, capture.headers, capture.body, withOrigin(capture, options))
{ }

bool CurlCommand::writeBodyFile(const QByteArray &body, QString *error) const
{
    if (!m_needsBodyFile)
        return true;
    QDir().mkpath(QFileInfo(m_bodyFilePath).absolutePath());
    QSaveFile file(m_bodyFilePath);
    if (!file.open(QIODevice::WriteOnly) || file.write(body) != body.size() || !file.commit()) {
        if (error)
            *error = QStringLiteral("can't write the body to %1: %2").arg(m_bodyFilePath, file.errorString());
        return false;
    }
    return true;
}

QByteArray CurlCommand::originForListener(const QString &listener, bool tls)
{
    QByteArray host = listener.toUtf8();
    QByteArray port;
    const qsizetype colon = host.lastIndexOf(':');
    if (colon >= 0 && !host.endsWith(']') && host.indexOf(':') == colon) {
        port = host.mid(colon + 1);
        host.truncate(colon);
    } else if (host.startsWith('[') && colon > host.indexOf(']')) {
        port = host.mid(colon + 1);
        host.truncate(colon);
    }
    if (host.startsWith('[') && host.endsWith(']'))
        host = host.mid(1, host.size() - 2);
    if (host.isEmpty() || host == "0.0.0.0")
        host = "127.0.0.1";
    else if (host == "::")
        host = "::1";
    if (host.contains(':'))
        host = '[' + host + ']';
    QByteArray origin = (tls ? QByteArrayLiteral("https://") : QByteArrayLiteral("http://")) + host;
    if (!port.isEmpty())
        origin += ':' + port;
    return origin;
}

QByteArray CurlCommand::shellQuote(QByteArrayView argument)
{
    if (!argument.isEmpty() && std::all_of(argument.begin(), argument.end(), isSafeBare))
        return argument.toByteArray();
    if (isPlainText(argument, true))
        return singleQuoted(argument);
    // Callers never pass a non-text argument ending in a newline (command substitution drops it):
    // header lines and targets can't hold newlines, and such bodies go to a file.
    return printfQuoted(argument);
}

bool CurlCommand::canInline(QByteArrayView body, qsizetype maxLiteral)
{
    return body.size() <= maxLiteral && isPlainText(body, true);
}

} // namespace hookbench
