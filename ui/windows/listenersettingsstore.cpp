#include "listenersettingsstore.h"

#include <QSettings>

#include <algorithm>

namespace hookbench {

namespace {

QString listenerKey(int index, const char *field)
{
    return QStringLiteral("listeners/%1/%2").arg(index).arg(QLatin1String(field));
}

} // namespace

ListenerSettingsStore::ListenerSettingsStore(QSettings *settings) : m_settings(settings)
{ }

void ListenerSettingsStore::save(const QList<ListenerSettings> &listeners)
{
    QSettings &settings = *m_settings;
    settings.remove(QStringLiteral("listeners"));
    settings.setValue(QStringLiteral("listeners/count"), listeners.size());
    for (int i = 0; i < listeners.size(); ++i) {
        const ListenerSettings &l = listeners.at(i);
        settings.setValue(listenerKey(i, "id"), l.id);
        settings.setValue(listenerKey(i, "port"), l.port);
        settings.setValue(listenerKey(i, "bind"), l.bindAddress);
        settings.setValue(listenerKey(i, "scheme"), l.scheme);
        settings.setValue(listenerKey(i, "running"), l.running);
        settings.setValue(listenerKey(i, "status"), l.response.status);
        settings.setValue(
            listenerKey(i, "contentType"), QString::fromLatin1(headerValue(l.response.headers, "Content-Type")));
        settings.setValue(listenerKey(i, "body"), QString::fromLatin1(l.response.body.toBase64()));
        settings.setValue(listenerKey(i, "delayMs"), l.response.delayMs);
        settings.setValue(listenerKey(i, "failFirst"), l.faults.failFirst);
        settings.setValue(listenerKey(i, "failStatus"), l.faults.failStatus);
        settings.setValue(listenerKey(i, "failPercent"), l.faults.failPercent);
        settings.setValue(listenerKey(i, "closeWithoutAnswer"), l.faults.closeWithoutAnswer);
        // Forward mode (its re-sign secret is the SecretKeeper's, never here).
        settings.setValue(listenerKey(i, "forwardTarget"), l.forward.target);
        settings.setValue(listenerKey(i, "forwardProxy"), l.forward.mode == ForwardConfig::Mode::Proxy);
        settings.setValue(listenerKey(i, "forwardScheme"), l.forward.resignScheme);
        settings.setValue(listenerKey(i, "forwardTimeoutMs"), l.forward.timeoutMs);
        settings.setValue(listenerKey(i, "forwardInsecure"), l.forward.ignoreTlsErrors);
        settings.setValue(listenerKey(i, "forwardInFlight"), l.forward.maxInFlight);
        settings.setValue(listenerKey(i, "forwardQueue"), l.forward.maxQueued);
        settings.setValue(listenerKey(i, "forwardMaxRedirects"), l.forward.maxRedirects);
    }
}

QList<ListenerSettings> ListenerSettingsStore::load() const
{
    QSettings &settings = *m_settings;
    QList<ListenerSettings> listeners;
    const int count = settings.value(QStringLiteral("listeners/count"), 0).toInt();
    for (int i = 0; i < count; ++i) {
        ListenerSettings l;
        l.id = settings.value(listenerKey(i, "id"), l.id).toString();
        l.port = quint16(settings.value(listenerKey(i, "port"), l.port).toUInt());
        l.bindAddress = settings.value(listenerKey(i, "bind"), l.bindAddress).toString();
        l.scheme = settings.value(listenerKey(i, "scheme"), l.scheme).toString();
        l.running = settings.value(listenerKey(i, "running"), false).toBool();
        l.response.status = settings.value(listenerKey(i, "status"), l.response.status).toInt();
        const QByteArray contentType
            = settings.value(listenerKey(i, "contentType"), QStringLiteral("application/json")).toString().toLatin1();
        if (contentType.isEmpty())
            removeHeader(l.response.headers, "Content-Type");
        else
            setHeader(l.response.headers, "Content-Type", contentType);
        if (settings.contains(listenerKey(i, "body")))
            l.response.body = QByteArray::fromBase64(settings.value(listenerKey(i, "body")).toString().toLatin1());
        l.response.delayMs = settings.value(listenerKey(i, "delayMs"), 0).toInt();
        l.faults.failFirst = settings.value(listenerKey(i, "failFirst"), 0).toInt();
        l.faults.failStatus = settings.value(listenerKey(i, "failStatus"), 500).toInt();
        l.faults.failPercent = settings.value(listenerKey(i, "failPercent"), 0).toInt();
        l.faults.closeWithoutAnswer = settings.value(listenerKey(i, "closeWithoutAnswer"), false).toBool();
        l.forward.target = settings.value(listenerKey(i, "forwardTarget")).toString();
        l.forward.mode = settings.value(listenerKey(i, "forwardProxy"), false).toBool()
            ? ForwardConfig::Mode::Proxy
            : ForwardConfig::Mode::Background;
        l.forward.resignScheme = settings.value(listenerKey(i, "forwardScheme")).toString();
        l.forward.timeoutMs
            = std::clamp(settings.value(listenerKey(i, "forwardTimeoutMs"), 10000).toInt(), 100, 3'600'000);
        l.forward.ignoreTlsErrors = settings.value(listenerKey(i, "forwardInsecure"), false).toBool();
        // Missing (settings from before these existed): ForwardSettings' defaults.
        l.forward.maxInFlight
            = std::clamp(settings.value(listenerKey(i, "forwardInFlight"), l.forward.maxInFlight).toInt(), 1, 64);
        l.forward.maxQueued
            = std::clamp(settings.value(listenerKey(i, "forwardQueue"), l.forward.maxQueued).toInt(), 1, 100000);
        l.forward.maxRedirects
            = std::clamp(settings.value(listenerKey(i, "forwardMaxRedirects"), l.forward.maxRedirects).toInt(), 0, 10);
        listeners.append(l);
    }
    return listeners;
}

} // namespace hookbench
