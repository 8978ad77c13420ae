#pragma once

#include "secretvault.h"

#include <QHash>
#include <QObject>

#include <memory>

class QSettings;

namespace hookbench {

// The secrets the window works with (a listener's, the Signature tab's), by key such as
// "listener/5000" or "check/dbt-cloud". They always live in memory for the session; where else
// is the user's choice per key:
//  - Session: nowhere (the default when no keychain answers);
//  - Keychain: the OS keychain (the default when one is available);
//  - Settings: the settings file, unencrypted — only when explicitly chosen, with a warning.
// The choice itself (never the secret) is remembered in the settings, so the next run knows
// where to look.
class SecretKeeper : public QObject
{
    Q_OBJECT

public:
    enum class Persistence { Session, Keychain, Settings };
    Q_ENUM(Persistence)

    // `keychain` may be null (no keychain support); `settings` holds the choices (and, for the
    // Settings choice, the secrets) and must outlive the keeper.
    SecretKeeper(std::unique_ptr<SecretVault> keychain, QSettings *settings, QObject *parent = nullptr);
    ~SecretKeeper() override;

    // Until setKeychainAvailable(true) (after a successful probe), Keychain is not offered.
    bool keychainAvailable() const { return m_keychain && m_keychainAvailable; }
    void setKeychainAvailable(bool available, const QString &why = {});
    QString keychainProblem() const { return m_keychainProblem; }
    Persistence defaultPersistence() const;
    // The warning shown before saving a secret in the settings file.
    QString settingsWarning() const;

    bool hasSecret(const QString &key) const { return m_secrets.contains(key); }
    QByteArray secret(const QString &key) const { return m_secrets.value(key); }
    Persistence persistence(const QString &key) const;

    // Keeps `secret` for the session and saves it per `persistence`, removing it from the other
    // places. An empty secret forgets the key everywhere.
    void setSecret(const QString &key, const QByteArray &secret, Persistence persistence);
    void forget(const QString &key);
    // Looks the key up where its saved choice says (keychain or settings); emits secretLoaded
    // when found. Keys already in memory answer at once (queued) too.
    void load(const QString &key);

signals:
    void secretLoaded(const QString &key);
    // One line; never contains a secret.
    void problem(const QString &message);

private:
    SecretVault *vaultFor(Persistence persistence) const;
    void saveChoice(const QString &key, Persistence persistence);

    std::unique_ptr<SecretVault> m_keychain;
    std::unique_ptr<SettingsSecretVault> m_settingsVault;
    QSettings *m_settings;
    bool m_keychainAvailable = false;
    QString m_keychainProblem;
    QHash<QString, QByteArray> m_secrets;
};

} // namespace hookbench
