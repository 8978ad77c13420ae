#include "sendflags.h"

#include "commandline.h"

#include <cmath>

namespace hookbench::cli {

void addSendOptions(QCommandLineParser &parser)
{
    parser.addOption(
        {QStringLiteral("to"), QStringLiteral("Where to send: an http:// or https:// URL."), QStringLiteral("URL")});
    parser.addOption({QStringLiteral("timeout"),
        QStringLiteral("Seconds for the whole exchange (decimals allowed). Default: 10, as dbt Cloud."),
        QStringLiteral("S"), QStringLiteral("10")});
    parser.addOption({QStringLiteral("insecure"),
        QStringLiteral("Accept any TLS certificate (self-signed, expired, wrong host) for this send.")});
    parser.addOption(
        {QStringLiteral("max-redirects"), QStringLiteral("Follow up to N redirects. Default: 0, a 3xx is the answer."),
            QStringLiteral("N"), QStringLiteral("0")});
}

SendOptions sendOptionsFrom(const QCommandLineParser &parser)
{
    SendOptions options;
    bool ok = false;
    const QString timeoutText = parser.value(QStringLiteral("timeout"));
    const double seconds = timeoutText.toDouble(&ok);
    if (!ok || !std::isfinite(seconds) || seconds < 0.001 || seconds > 3600)
        throw UsageError {
            QStringLiteral("--timeout must be a number of seconds from 0.001 to 3600, not \"%1\"").arg(timeoutText)};
    options.timeoutMs = int(std::lround(seconds * 1000));
    options.ignoreTlsErrors = parser.isSet(QStringLiteral("insecure"));
    options.maxRedirects = int(integerOption(parser, QStringLiteral("max-redirects"), 0, 20));
    return options;
}

QUrl destinationFrom(const QCommandLineParser &parser)
{
    if (!parser.isSet(QStringLiteral("to")))
        throw UsageError {QStringLiteral("--to URL is required")};
    const QString text = parser.value(QStringLiteral("to"));
    const QUrl url(text);
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || (scheme != u"http" && scheme != u"https") || url.host().isEmpty())
        throw UsageError {QStringLiteral("--to must be an http:// or https:// URL with a host, not \"%1\"").arg(text)};
    return url;
}

} // namespace hookbench::cli
