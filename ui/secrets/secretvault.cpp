#include "secretvault.h"

#include <QMetaObject>
#include <QSettings>

namespace hookbench {

namespace {

// QSettings keys can't hold '/' or '\\' as plain characters; profile keys may.
QString settingsKey(const QString &key)
{
    return QStringLiteral("unencryptedSecrets/") + QString::fromLatin1(key.toUtf8().toHex());
}

} // namespace

void postTo(QObject *context, std::function<void()> function)
{
    if (!context)
        return;
    QMetaObject::invokeMethod(context, std::move(function), Qt::QueuedConnection);
}

QString MemorySecretVault::description() const
{
    return QStringLiteral("memory (this session only)");
}

void MemorySecretVault::read(const QString &key, QObject *context, ReadDone done)
{
    const auto found = m_secrets.constFind(key);
    const std::optional<QByteArray> secret
        = found == m_secrets.cend() ? std::nullopt : std::optional<QByteArray>(found.value());
    postTo(context, [done = std::move(done), secret] { done(secret, QString()); });
}

void MemorySecretVault::write(const QString &key, const QByteArray &secret, QObject *context, Done done)
{
    m_secrets.insert(key, secret);
    postTo(context, [done = std::move(done)] { done(QString()); });
}

void MemorySecretVault::remove(const QString &key, QObject *context, Done done)
{
    m_secrets.remove(key);
    postTo(context, [done = std::move(done)] { done(QString()); });
}

SettingsSecretVault::SettingsSecretVault(QSettings *settings) : m_settings(settings)
{
    if (!m_settings) {
        m_settings = new QSettings;
        m_owned = true;
    }
}

SettingsSecretVault::~SettingsSecretVault()
{
    if (m_owned)
        delete m_settings;
}

QSettings *SettingsSecretVault::settings() const
{
    return m_settings;
}

QString SettingsSecretVault::description() const
{
    return QStringLiteral("the settings file, unencrypted (%1)").arg(filePath());
}

QString SettingsSecretVault::filePath() const
{
    return m_settings->fileName();
}

void SettingsSecretVault::read(const QString &key, QObject *context, ReadDone done)
{
    const QVariant value = m_settings->value(settingsKey(key));
    std::optional<QByteArray> secret;
    if (value.isValid())
        secret = QByteArray::fromBase64(value.toString().toLatin1());
    postTo(context, [done = std::move(done), secret] { done(secret, QString()); });
}

void SettingsSecretVault::write(const QString &key, const QByteArray &secret, QObject *context, Done done)
{
    // Base64 keeps every byte (trailing newlines, non-UTF-8) intact; it is not protection.
    m_settings->setValue(settingsKey(key), QString::fromLatin1(secret.toBase64()));
    m_settings->sync();
    const QString error = m_settings->status() == QSettings::NoError
        ? QString()
        : QStringLiteral("can't save the settings file %1").arg(filePath());
    postTo(context, [done = std::move(done), error] { done(error); });
}

void SettingsSecretVault::remove(const QString &key, QObject *context, Done done)
{
    m_settings->remove(settingsKey(key));
    m_settings->sync();
    const QString error = m_settings->status() == QSettings::NoError
        ? QString()
        : QStringLiteral("can't save the settings file %1").arg(filePath());
    postTo(context, [done = std::move(done), error] { done(error); });
}

} // namespace hookbench
