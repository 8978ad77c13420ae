#include "targeturl.h"

namespace hookbench {

QUrl parseTargetUrl(const QString &text, QString *problem)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty()) {
        *problem = QStringLiteral("Enter the URL to send to (http:// or https://).");
        return {};
    }
    const QUrl url(trimmed, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || (scheme != u"http" && scheme != u"https") || url.host().isEmpty()) {
        *problem = QStringLiteral("\"%1\" is not an http:// or https:// URL with a host.").arg(trimmed);
        return {};
    }
    if (!url.userInfo().isEmpty()) {
        *problem = QStringLiteral("The URL must not carry a user name or password (they would be stored with every "
                                  "attempt); send credentials in the request's headers.");
        return {};
    }
    if (url.hasFragment()) {
        *problem = QStringLiteral("The URL must not have a #fragment.");
        return {};
    }
    problem->clear();
    return url;
}

QString durationText(qint64 ms)
{
    if (ms < 0)
        return QStringLiteral("–");
    if (ms < 1000)
        return QStringLiteral("%1 ms").arg(ms);
    if (ms < 60'000)
        return QStringLiteral("%1 s").arg(double(ms) / 1000.0, 0, 'f', 1);
    const qint64 seconds = ms / 1000;
    if (seconds < 3600)
        return QStringLiteral("%1 min %2 s").arg(seconds / 60).arg(seconds % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1 h %2 min").arg(seconds / 3600).arg((seconds % 3600) / 60, 2, 10, QLatin1Char('0'));
}

} // namespace hookbench
