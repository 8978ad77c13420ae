#pragma once

#include <QByteArray>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QString>

#include <functional>
#include <optional>

class QSettings;

namespace hookbench {

// Somewhere to keep webhook secrets between runs (or not). Asynchronous because the OS
// keychain is: every call answers later, on `context`'s thread, and never inside the call; the
// answer is dropped when `context` is gone. Errors are one line and never contain a secret.
// Secrets never go to the capture store, logs or exports: only vaults hold them.
class SecretVault
{
public:
    using ReadDone = std::function<void(std::optional<QByteArray> secret, const QString &error)>;
    using Done = std::function<void(const QString &error)>;

    virtual ~SecretVault() = default;

    // For people: "the keychain (Secret Service)", "memory (this session only)".
    virtual QString description() const = 0;
    // True when secrets survive a restart.
    virtual bool isPersistent() const = 0;

    // nullopt with an empty error: no secret under that key.
    virtual void read(const QString &key, QObject *context, ReadDone done) = 0;
    virtual void write(const QString &key, const QByteArray &secret, QObject *context, Done done) = 0;
    // Removing a key that isn't there is not an error.
    virtual void remove(const QString &key, QObject *context, Done done) = 0;
};

// Secrets for this session only: gone when the application quits. The default, and what tests
// and headless runs use.
class MemorySecretVault final : public SecretVault
{
public:
    QString description() const override;
    bool isPersistent() const override { return false; }
    void read(const QString &key, QObject *context, ReadDone done) override;
    void write(const QString &key, const QByteArray &secret, QObject *context, Done done) override;
    void remove(const QString &key, QObject *context, Done done) override;

private:
    QHash<QString, QByteArray> m_secrets;
};

// Secrets saved in the application's settings file, unencrypted. Only used when the user
// explicitly asks for it (no keychain available, and they accepted the warning).
class SettingsSecretVault final : public SecretVault
{
public:
    // `settings` must outlive the vault; null: the application's default QSettings.
    explicit SettingsSecretVault(QSettings *settings = nullptr);
    ~SettingsSecretVault() override;

    QString description() const override;
    bool isPersistent() const override { return true; }
    QString filePath() const;
    void read(const QString &key, QObject *context, ReadDone done) override;
    void write(const QString &key, const QByteArray &secret, QObject *context, Done done) override;
    void remove(const QString &key, QObject *context, Done done) override;

private:
    QSettings *settings() const;

    QSettings *m_settings;
    bool m_owned = false;
};

// Runs `function` on `context`'s thread on a later event-loop turn, unless context is gone.
void postTo(QObject *context, std::function<void()> function);

} // namespace hookbench
