#pragma once

#include "secretvault.h"

namespace hookbench {

// The OS keychain through QtKeychain: on Linux the freedesktop Secret Service (GNOME Keyring,
// KWallet, KeePassXC). QtKeychain's insecure plain-text fallback stays off: when no service
// answers, calls fail with a one-line error and nothing is written anywhere.
class KeychainSecretVault final : public SecretVault
{
public:
    explicit KeychainSecretVault(QString service = QStringLiteral("hookbench"));

    QString description() const override;
    bool isPersistent() const override { return true; }
    void read(const QString &key, QObject *context, ReadDone done) override;
    void write(const QString &key, const QByteArray &secret, QObject *context, Done done) override;
    void remove(const QString &key, QObject *context, Done done) override;

    // Asks the keychain for a key that does not exist: "not found" means a working keychain.
    // `done(available, why)` runs once on `context`'s thread, after at most `timeoutMs`.
    static void probe(QObject *context, std::function<void(bool available, const QString &why)> done,
        int timeoutMs = 5000, const QString &service = QStringLiteral("hookbench"));

private:
    QString m_service;
};

} // namespace hookbench
