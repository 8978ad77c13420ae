#include "secretkeeper.h"

#include <QSettings>

namespace hookbench {

namespace {

QString choiceKey(const QString &key)
{
    return QStringLiteral("secretStorage/") + QString::fromLatin1(key.toUtf8().toHex());
}

QString persistenceName(SecretKeeper::Persistence persistence)
{
    switch (persistence) {
    case SecretKeeper::Persistence::Keychain:
        return QStringLiteral("keychain");
    case SecretKeeper::Persistence::Settings:
        return QStringLiteral("settings");
    case SecretKeeper::Persistence::Session:
        break;
    }
    return QStringLiteral("session");
}

} // namespace

SecretKeeper::SecretKeeper(std::unique_ptr<SecretVault> keychain, QSettings *settings, QObject *parent)
    : QObject(parent)
    , m_keychain(std::move(keychain))
    , m_settingsVault(std::make_unique<SettingsSecretVault>(settings))
    , m_settings(settings)
{
    if (!m_keychain)
        m_keychainProblem = QStringLiteral("keychain support is not available");
    else
        m_keychainProblem = QStringLiteral("the keychain has not been checked yet");
}

SecretKeeper::~SecretKeeper() = default;

void SecretKeeper::setKeychainAvailable(bool available, const QString &why)
{
    m_keychainAvailable = available && m_keychain;
    m_keychainProblem = m_keychainAvailable ? QString() : why;
}

SecretKeeper::Persistence SecretKeeper::defaultPersistence() const
{
    return keychainAvailable() ? Persistence::Keychain : Persistence::Session;
}

QString SecretKeeper::settingsWarning() const
{
    return QStringLiteral("The secret will be saved unencrypted in %1. Anyone who can read that file can sign "
                          "requests your endpoint will accept.")
        .arg(m_settingsVault->filePath());
}

SecretKeeper::Persistence SecretKeeper::persistence(const QString &key) const
{
    const QString saved = m_settings->value(choiceKey(key)).toString();
    if (saved == persistenceName(Persistence::Keychain))
        return Persistence::Keychain;
    if (saved == persistenceName(Persistence::Settings))
        return Persistence::Settings;
    return Persistence::Session;
}

SecretVault *SecretKeeper::vaultFor(Persistence persistence) const
{
    switch (persistence) {
    case Persistence::Keychain:
        return m_keychain.get();
    case Persistence::Settings:
        return m_settingsVault.get();
    case Persistence::Session:
        break;
    }
    return nullptr;
}

void SecretKeeper::saveChoice(const QString &key, Persistence persistence)
{
    if (persistence == Persistence::Session)
        m_settings->remove(choiceKey(key));
    else
        m_settings->setValue(choiceKey(key), persistenceName(persistence));
}

void SecretKeeper::setSecret(const QString &key, const QByteArray &secret, Persistence persistence)
{
    if (secret.isEmpty()) {
        forget(key);
        return;
    }
    if (persistence == Persistence::Keychain && !keychainAvailable())
        persistence = Persistence::Session;
    m_secrets.insert(key, secret);
    const Persistence previous = this->persistence(key);
    auto report = [this](const QString &error) {
        if (!error.isEmpty())
            emit problem(error);
    };
    if (previous != persistence) {
        if (SecretVault *old = vaultFor(previous))
            old->remove(key, this, report);
    }
    if (SecretVault *vault = vaultFor(persistence))
        vault->write(key, secret, this, report);
    saveChoice(key, persistence);
}

void SecretKeeper::forget(const QString &key)
{
    m_secrets.remove(key);
    auto report = [this](const QString &error) {
        if (!error.isEmpty())
            emit problem(error);
    };
    if (SecretVault *vault = vaultFor(persistence(key)))
        vault->remove(key, this, report);
    saveChoice(key, Persistence::Session);
}

void SecretKeeper::load(const QString &key)
{
    if (m_secrets.contains(key)) {
        postTo(this, [this, key] { emit secretLoaded(key); });
        return;
    }
    const Persistence saved = persistence(key);
    SecretVault *vault = vaultFor(saved);
    if (!vault || (saved == Persistence::Keychain && !keychainAvailable()))
        return;
    vault->read(key, this, [this, key](std::optional<QByteArray> secret, const QString &error) {
        if (!error.isEmpty()) {
            emit problem(error);
            return;
        }
        // A secret typed meanwhile wins over the stored one.
        if (!secret || m_secrets.contains(key))
            return;
        m_secrets.insert(key, *secret);
        emit secretLoaded(key);
    });
}

} // namespace hookbench
