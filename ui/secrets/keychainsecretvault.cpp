#include "keychainsecretvault.h"

#include <QPointer>
#include <QTimer>

#include <qt6keychain/keychain.h>

#include <memory>

namespace hookbench {

namespace {

QString keychainError(const QKeychain::Job *job, const QString &action)
{
    // QtKeychain's messages come from the backend (D-Bus, libsecret); they name services and
    // keys, never the secret.
    QString reason = job->errorString().simplified();
    if (reason.isEmpty())
        reason = QStringLiteral("error %1").arg(int(job->error()));
    return QStringLiteral("the keychain could not %1 the secret: %2").arg(action, reason);
}

} // namespace

KeychainSecretVault::KeychainSecretVault(QString service) : m_service(std::move(service))
{ }

QString KeychainSecretVault::description() const
{
    return QStringLiteral("the keychain (Secret Service)");
}

void KeychainSecretVault::read(const QString &key, QObject *context, ReadDone done)
{
    auto *job = new QKeychain::ReadPasswordJob(m_service);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key);
    QObject::connect(job, &QKeychain::Job::finished, context, [job, done = std::move(done)] {
        if (job->error() == QKeychain::NoError)
            done(job->binaryData(), QString());
        else if (job->error() == QKeychain::EntryNotFound)
            done(std::nullopt, QString());
        else
            done(std::nullopt, keychainError(job, QStringLiteral("read")));
    });
    job->start();
}

void KeychainSecretVault::write(const QString &key, const QByteArray &secret, QObject *context, Done done)
{
    auto *job = new QKeychain::WritePasswordJob(m_service);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key);
    job->setBinaryData(secret);
    QObject::connect(job, &QKeychain::Job::finished, context, [job, done = std::move(done)] {
        done(job->error() == QKeychain::NoError ? QString() : keychainError(job, QStringLiteral("save")));
    });
    job->start();
}

void KeychainSecretVault::remove(const QString &key, QObject *context, Done done)
{
    auto *job = new QKeychain::DeletePasswordJob(m_service);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key);
    QObject::connect(job, &QKeychain::Job::finished, context, [job, done = std::move(done)] {
        const bool ok = job->error() == QKeychain::NoError || job->error() == QKeychain::EntryNotFound;
        done(ok ? QString() : keychainError(job, QStringLiteral("remove")));
    });
    job->start();
}

void KeychainSecretVault::probe(
    QObject *context, std::function<void(bool, const QString &)> done, int timeoutMs, const QString &service)
{
    // Whichever comes first, the job's answer or the timeout, answers; the other is ignored.
    auto answered = std::make_shared<bool>(false);
    auto answer = [answered, done = std::move(done)](bool available, const QString &why) {
        if (*answered)
            return;
        *answered = true;
        done(available, why);
    };
    auto *job = new QKeychain::ReadPasswordJob(service);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(QStringLiteral("hookbench-availability-probe"));
    QObject::connect(job, &QKeychain::Job::finished, context, [job, answer] {
        const QKeychain::Error error = job->error();
        if (error == QKeychain::NoError || error == QKeychain::EntryNotFound)
            answer(true, QString());
        else
            answer(false, keychainError(job, QStringLiteral("read")));
    });
    QTimer::singleShot(timeoutMs, context, [answer, timeoutMs] {
        answer(false, QStringLiteral("the keychain did not answer within %1 ms").arg(timeoutMs));
    });
    job->start();
}

} // namespace hookbench
