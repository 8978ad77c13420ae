#include "secrets/keychainsecretvault.h"
#include "secrets/secretkeeper.h"
#include "secrets/secretvault.h"

#include <QFile>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace hookbench;

namespace {

const QByteArray awkwardSecret = QByteArray("s3cr3t with space\n\0\xff", 21);

// A persistent vault for the keeper's keychain path: the OS keychain is not there in CI, and
// the keeper's logic (where it writes, reads and removes) is what is tested here.
class FakeKeychain final : public SecretVault
{
public:
    explicit FakeKeychain(QHash<QString, QByteArray> *storage) : m_storage(storage) { }
    QString description() const override { return QStringLiteral("fake keychain"); }
    bool isPersistent() const override { return true; }
    void read(const QString &key, QObject *context, ReadDone done) override
    {
        const std::optional<QByteArray> secret
            = m_storage->contains(key) ? std::optional<QByteArray>(m_storage->value(key)) : std::nullopt;
        postTo(context, [done, secret] { done(secret, QString()); });
    }
    void write(const QString &key, const QByteArray &secret, QObject *context, Done done) override
    {
        m_storage->insert(key, secret);
        postTo(context, [done] { done(QString()); });
    }
    void remove(const QString &key, QObject *context, Done done) override
    {
        m_storage->remove(key);
        postTo(context, [done] { done(QString()); });
    }

private:
    QHash<QString, QByteArray> *m_storage;
};

template <typename Vault> std::optional<QByteArray> readNow(Vault &vault, const QString &key, QString *error = nullptr)
{
    QObject context;
    bool answered = false;
    std::optional<QByteArray> result;
    vault.read(key, &context, [&](std::optional<QByteArray> secret, const QString &e) {
        answered = true;
        result = secret;
        if (error)
            *error = e;
    });
    if (answered)
        qFatal("a vault answered inside read()");
    if (!QTest::qWaitFor([&] { return answered; }, 5000))
        qFatal("a vault never answered");
    return result;
}

template <typename Vault> QString writeNow(Vault &vault, const QString &key, const QByteArray &secret)
{
    QObject context;
    bool answered = false;
    QString error;
    vault.write(key, secret, &context, [&](const QString &e) {
        answered = true;
        error = e;
    });
    if (!QTest::qWaitFor([&] { return answered; }, 5000))
        qFatal("a vault never answered");
    return error;
}

} // namespace

class TestSecrets : public QObject
{
    Q_OBJECT

private slots:
    void memoryVault_keepsExactBytes_forTheSessionOnly()
    {
        MemorySecretVault vault;
        QVERIFY(!vault.isPersistent());
        QVERIFY(!readNow(vault, QStringLiteral("k")));
        QCOMPARE(writeNow(vault, QStringLiteral("k"), awkwardSecret), QString());
        QCOMPARE(readNow(vault, QStringLiteral("k")).value(), awkwardSecret);
        MemorySecretVault another;
        QVERIFY(!readNow(another, QStringLiteral("k")));
    }

    void settingsVault_survivesARestart_andRemoves()
    {
        QTemporaryDir directory;
        const QString path = directory.filePath(QStringLiteral("settings.ini"));
        {
            QSettings settings(path, QSettings::IniFormat);
            SettingsSecretVault vault(&settings);
            QVERIFY(vault.isPersistent());
            QVERIFY(vault.description().contains(path));
            QCOMPARE(writeNow(vault, QStringLiteral("listener/5000"), awkwardSecret), QString());
        }
        {
            QSettings settings(path, QSettings::IniFormat);
            SettingsSecretVault vault(&settings);
            QCOMPARE(readNow(vault, QStringLiteral("listener/5000")).value(), awkwardSecret);
            QObject context;
            bool removed = false;
            vault.remove(QStringLiteral("listener/5000"), &context, [&](const QString &error) {
                QVERIFY(error.isEmpty());
                removed = true;
            });
            QTRY_VERIFY(removed);
            QVERIFY(!readNow(vault, QStringLiteral("listener/5000")));
        }
    }

    void vault_dropsTheAnswerWhenTheContextIsGone()
    {
        MemorySecretVault vault;
        bool called = false;
        {
            QObject context;
            vault.read(
                QStringLiteral("k"), &context, [&](std::optional<QByteArray>, const QString &) { called = true; });
        }
        QTest::qWait(20);
        QVERIFY(!called);
    }

    void keeper_sessionSecrets_neverReachTheSettingsFile()
    {
        QTemporaryDir directory;
        const QString path = directory.filePath(QStringLiteral("settings.ini"));
        QSettings settings(path, QSettings::IniFormat);
        SecretKeeper keeper(nullptr, &settings);
        QCOMPARE(keeper.defaultPersistence(), SecretKeeper::Persistence::Session);
        keeper.setSecret(QStringLiteral("check/dbt-cloud"), "do-not-write-me", SecretKeeper::Persistence::Session);
        QCOMPARE(keeper.secret(QStringLiteral("check/dbt-cloud")), QByteArray("do-not-write-me"));
        // Keychain asked but not available: session only.
        keeper.setSecret(QStringLiteral("check/github"), "nor-me", SecretKeeper::Persistence::Keychain);
        QCOMPARE(keeper.persistence(QStringLiteral("check/github")), SecretKeeper::Persistence::Session);
        QTest::qWait(10);
        settings.sync();
        QFile file(path);
        if (file.open(QIODevice::ReadOnly)) {
            const QByteArray contents = file.readAll();
            QVERIFY(!contents.contains("do-not-write-me"));
            QVERIFY(!contents.contains(QByteArray("do-not-write-me").toBase64()));
            QVERIFY(!contents.contains("nor-me"));
        }
    }

    void keeper_settingsChoice_isExplicit_andLoadsNextTime()
    {
        QTemporaryDir directory;
        const QString path = directory.filePath(QStringLiteral("settings.ini"));
        {
            QSettings settings(path, QSettings::IniFormat);
            SecretKeeper keeper(nullptr, &settings);
            QVERIFY(keeper.settingsWarning().contains(QStringLiteral("unencrypted")));
            QVERIFY(keeper.settingsWarning().contains(path));
            keeper.setSecret(QStringLiteral("listener/5000"), awkwardSecret, SecretKeeper::Persistence::Settings);
            QTest::qWait(10);
        }
        QSettings settings(path, QSettings::IniFormat);
        SecretKeeper keeper(nullptr, &settings);
        QCOMPARE(keeper.persistence(QStringLiteral("listener/5000")), SecretKeeper::Persistence::Settings);
        QVERIFY(!keeper.hasSecret(QStringLiteral("listener/5000")));
        QSignalSpy loaded(&keeper, &SecretKeeper::secretLoaded);
        keeper.load(QStringLiteral("listener/5000"));
        QVERIFY(loaded.wait(5000));
        QCOMPARE(keeper.secret(QStringLiteral("listener/5000")), awkwardSecret);

        // Going back to session-only removes it from the file.
        keeper.setSecret(QStringLiteral("listener/5000"), "other", SecretKeeper::Persistence::Session);
        QTest::qWait(10);
        SettingsSecretVault vault(&settings);
        QVERIFY(!readNow(vault, QStringLiteral("listener/5000")));
    }

    void keeper_keychainChoice_writesOnlyToTheKeychain()
    {
        QTemporaryDir directory;
        QSettings settings(directory.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
        QHash<QString, QByteArray> storage;
        {
            SecretKeeper keeper(std::make_unique<FakeKeychain>(&storage), &settings);
            QVERIFY(!keeper.keychainAvailable()); // not until probed
            keeper.setKeychainAvailable(true);
            QCOMPARE(keeper.defaultPersistence(), SecretKeeper::Persistence::Keychain);
            keeper.setSecret(QStringLiteral("check/stripe"), "whsec_abc", SecretKeeper::Persistence::Keychain);
            QTRY_COMPARE(storage.value(QStringLiteral("check/stripe")), QByteArray("whsec_abc"));
        }
        SettingsSecretVault settingsVault(&settings);
        QVERIFY(!readNow(settingsVault, QStringLiteral("check/stripe")));

        SecretKeeper keeper(std::make_unique<FakeKeychain>(&storage), &settings);
        keeper.setKeychainAvailable(true);
        QSignalSpy loaded(&keeper, &SecretKeeper::secretLoaded);
        keeper.load(QStringLiteral("check/stripe"));
        QVERIFY(loaded.wait(5000));
        QCOMPARE(keeper.secret(QStringLiteral("check/stripe")), QByteArray("whsec_abc"));

        keeper.forget(QStringLiteral("check/stripe"));
        QTRY_VERIFY(!storage.contains(QStringLiteral("check/stripe")));
        QVERIFY(!keeper.hasSecret(QStringLiteral("check/stripe")));
        QCOMPARE(keeper.persistence(QStringLiteral("check/stripe")), SecretKeeper::Persistence::Session);
    }

    // The real keychain: on a desktop with a Secret Service it round-trips a secret; without one
    // (CI) the probe says so in one line. Either way it answers exactly once.
    void keychainProbe_answersOnce_andAWorkingKeychainRoundTrips()
    {
        QObject context;
        int answers = 0;
        bool available = false;
        QString why;
        KeychainSecretVault::probe(
            &context,
            [&](bool ok, const QString &reason) {
                ++answers;
                available = ok;
                why = reason;
            },
            3000, QStringLiteral("hookbench-test"));
        QTRY_COMPARE_WITH_TIMEOUT(answers, 1, 10000);
        QTest::qWait(100);
        QCOMPARE(answers, 1);
        if (!available) {
            QVERIFY(!why.isEmpty());
            QVERIFY(!why.contains(QLatin1Char('\n')));
            return;
        }
        KeychainSecretVault vault(QStringLiteral("hookbench-test"));
        QCOMPARE(writeNow(vault, QStringLiteral("roundtrip"), awkwardSecret), QString());
        QCOMPARE(readNow(vault, QStringLiteral("roundtrip")).value(), awkwardSecret);
        bool removed = false;
        vault.remove(QStringLiteral("roundtrip"), &context, [&](const QString &error) {
            QVERIFY(error.isEmpty());
            removed = true;
        });
        QTRY_VERIFY(removed);
    }
};

QTEST_GUILESS_MAIN(TestSecrets)
#include "tst_secrets.moc"
