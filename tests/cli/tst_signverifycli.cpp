// `hookbench sign` and `hookbench verify` through the built binary: the stable command-line
// contract (outputs, exit codes, error lines) that scripts depend on.
#include "hookbenchprocess.h"

#include <QDateTime>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace hookbench::testing;

namespace {

const QByteArray dbtBody = QByteArrayLiteral("{\"accountId\":1,\"eventType\":\"job.run.started\"}");
// openssl dgst -sha256 -hmac 'dbt-secret-123' of dbtBody
const QByteArray dbtSignature = QByteArrayLiteral("c9052f8cd332c4b14998e53b0627702b694797a426bf4df534be9d1c564bd68d");

QStringList args(std::initializer_list<const char *> list)
{
    QStringList out;
    for (const char *item : list)
        out << QString::fromUtf8(item);
    return out;
}

} // namespace

class TestSignVerifyCli : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString writeFile(const QString &name, const QByteArray &bytes)
    {
        const QString path = m_dir.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            return {};
        file.write(bytes);
        return path;
    }

private slots:
    void versionAndHelp()
    {
        ProcessResult version = runHookbench({QStringLiteral("--version")});
        QCOMPARE(version.exitCode, 0);
        QVERIFY(version.out.startsWith("hookbench "));
        ProcessResult help = runHookbench({QStringLiteral("--help")});
        QCOMPARE(help.exitCode, 0);
        QVERIFY(help.out.contains("sign") && help.out.contains("verify"));
        for (const char *command : {"sign", "verify"}) {
            ProcessResult commandHelp = runHookbench({QString::fromLatin1(command), QStringLiteral("--help")});
            QCOMPARE(commandHelp.exitCode, 0);
            QVERIFY(commandHelp.out.startsWith(QByteArray("Usage: hookbench ").append(command)));
            QVERIFY(commandHelp.out.contains("--secret-file"));
        }
    }

    void unknownCommand_isAUsageError()
    {
        ProcessResult result = runHookbench({QStringLiteral("frobnicate")});
        QCOMPARE(result.exitCode, 2);
        QVERIFY(result.err.contains("unknown command \"frobnicate\""));
        QCOMPARE(result.err.count('\n'), 1);
    }

    void sign_dbtCloud_fromStdinAndFile()
    {
        ProcessResult fromStdin = runHookbench(args({"sign", "--secret", "dbt-secret-123"}), dbtBody);
        QCOMPARE(fromStdin.exitCode, 0);
        QCOMPARE(fromStdin.out, "Authorization: " + dbtSignature + '\n');
        QVERIFY(fromStdin.err.isEmpty());

        const QString path = writeFile(QStringLiteral("body.json"), dbtBody);
        ProcessResult fromFile = runHookbench(
            args({"sign", "--scheme", "dbt-cloud", "--secret", "dbt-secret-123", "--body-file"}) << path);
        QCOMPARE(fromFile.out, fromStdin.out);
    }

    void sign_standardWebhooks_printsItsThreeHeaders()
    {
        ProcessResult result = runHookbench(
            args({"sign", "--scheme", "standard-webhooks", "--secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                "--timestamp", "1614265330", "--id", "msg_p5jXN8AQM9LWM0D4loKWxJek"}),
            "{\"test\": 2432232314}");
        QCOMPARE(result.exitCode, 0);
        const QList<QByteArray> lines = result.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 3);
        QVERIFY(lines.contains("webhook-signature: v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="));
        QVERIFY(lines.contains("webhook-id: msg_p5jXN8AQM9LWM0D4loKWxJek"));
        QVERIFY(lines.contains("webhook-timestamp: 1614265330"));
    }

    void sign_defaultsToNowAndAFreshMessageId()
    {
        ProcessResult a
            = runHookbench(args({"sign", "--scheme", "standard-webhooks", "--secret", "whsec_c2VjcmV0"}), "x");
        ProcessResult b
            = runHookbench(args({"sign", "--scheme", "standard-webhooks", "--secret", "whsec_c2VjcmV0"}), "x");
        QCOMPARE(a.exitCode, 0);
        const QRegularExpression id(QStringLiteral("webhook-id: (msg_[0-9A-Za-z]{27})\n"));
        const auto matchA = id.match(QString::fromLatin1(a.out));
        const auto matchB = id.match(QString::fromLatin1(b.out));
        QVERIFY(matchA.hasMatch() && matchB.hasMatch());
        QVERIFY(matchA.captured(1) != matchB.captured(1));
        const QRegularExpression timestamp(QStringLiteral("webhook-timestamp: (\\d+)\n"));
        const qint64 signedAt = timestamp.match(QString::fromLatin1(a.out)).captured(1).toLongLong();
        QVERIFY(qAbs(signedAt - QDateTime::currentSecsSinceEpoch()) < 60);
    }

    void sign_slack_printsSignatureAndTimestamp()
    {
        ProcessResult result = runHookbench(
            args({"sign", "--scheme", "slack", "--secret", "slack", "--timestamp", "1700000000"}), "a=b");
        QCOMPARE(result.out,
            QByteArray("X-Slack-Signature: v0=b6fb1e8096e53687794b21edf336e7e5c628d0413f89e24cf596e59683a4f9b4\n"
                       "X-Slack-Request-Timestamp: 1700000000\n"));
    }

    void sign_generic_withTemplate()
    {
        ProcessResult result = runHookbench(
            args({"sign", "--scheme", "generic", "--header", "X-Sig", "--prefix", "sha512=", "--algorithm", "sha512",
                "--encoding", "base64", "--template", "{timestamp}:{body}", "--timestamp-header", "X-Ts", "--timestamp",
                "1700000000", "--secret", "gen"}),
            "hello");
        QCOMPARE(result.exitCode, 0);
        QCOMPARE(result.out,
            QByteArray(
                "X-Sig: "
                "sha512=tismb/5KONGHDAynul+yxOxZG+VFi5XnuPWUjBfQ+PCbAlpMI8odu5uSfB/zz0xEsAQaQrilpalR9Hbs/3bHAw==\n"
                "X-Ts: 1700000000\n"));
    }

    void secrets_fromEnvironmentAndFiles()
    {
        QProcessEnvironment environment = cleanEnvironment();
        environment.insert(QStringLiteral("WEBHOOK_KEY"), QStringLiteral("dbt-secret-123"));
        ProcessResult byDefault = runHookbench({QStringLiteral("sign")}, dbtBody, environment);
        QCOMPARE(byDefault.out, "Authorization: " + dbtSignature + '\n');

        environment.insert(QStringLiteral("MY_KEY"), QStringLiteral("dbt-secret-123"));
        ProcessResult named = runHookbench(args({"sign", "--secret-env", "MY_KEY"}), dbtBody, environment);
        QCOMPARE(named.out, byDefault.out);

        for (const QByteArray &ending : {QByteArray("\n"), QByteArray("\r\n"), QByteArray()}) {
            const QString path = writeFile(QStringLiteral("secret.txt"), "dbt-secret-123" + ending);
            ProcessResult fromFile = runHookbench(args({"sign", "--secret-file"}) << path, dbtBody);
            QCOMPARE(fromFile.out, byDefault.out);
            QVERIFY2(fromFile.err.isEmpty(), fromFile.err.constData());
        }
    }

    void secretWithWhitespace_warnsWithoutPrintingIt()
    {
        const QString path = writeFile(QStringLiteral("spaced.txt"), "dbt-secret-123 \n\n");
        ProcessResult result = runHookbench(args({"sign", "--secret-file"}) << path, dbtBody);
        QCOMPARE(result.exitCode, 0);
        QVERIFY(result.err.contains("warning") && result.err.contains("whitespace"));
        QVERIFY(!result.err.contains("dbt-secret-123"));
        QVERIFY(!result.out.contains("dbt-secret-123"));
        QVERIFY(result.out != "Authorization: " + dbtSignature + '\n'); // signed with the bytes as given
    }

    void verify_validAndInvalid()
    {
        const QStringList valid = args({"verify", "--secret", "dbt-secret-123", "-H"})
            << QString::fromLatin1("Authorization: " + dbtSignature);
        ProcessResult ok = runHookbench(valid, dbtBody);
        QCOMPARE(ok.exitCode, 0);
        QCOMPARE(ok.out, QByteArray("valid\n"));

        QByteArray changed = dbtBody;
        changed.replace("started", "errored");
        ProcessResult bad = runHookbench(valid, changed);
        QCOMPARE(bad.exitCode, 1);
        QVERIFY(bad.out.startsWith("invalid: "));
        QVERIFY(!bad.out.contains("dbt-secret-123"));

        ProcessResult unsignedRequest
            = runHookbench(args({"verify", "--secret", "k", "-H", "Content-Type: application/json"}), dbtBody);
        QCOMPARE(unsignedRequest.exitCode, 1);
        QVERIFY(unsignedRequest.out.startsWith("invalid: The request has no Authorization header."));
    }

    void verify_json()
    {
        ProcessResult result = runHookbench(
            args({"verify", "--json", "--secret", "dbt-secret-123", "-H", "authorization: 00"}), dbtBody);
        QCOMPARE(result.exitCode, 1);
        const QJsonObject json = QJsonDocument::fromJson(result.out).object();
        QCOMPARE(json[QStringLiteral("valid")].toBool(true), false);
        QCOMPARE(json[QStringLiteral("scheme")].toString(), QStringLiteral("dbt-cloud"));
        QCOMPARE(json[QStringLiteral("header")].toString(), QStringLiteral("authorization"));
        QCOMPARE(json[QStringLiteral("received")].toString(), QStringLiteral("00"));
        QCOMPARE(json[QStringLiteral("expected")].toString(), QString::fromLatin1(dbtSignature));
        QVERIFY(!json[QStringLiteral("reason")].toString().isEmpty());
        QVERIFY(!result.out.contains("dbt-secret-123"));
    }

    void verify_rotation_andBinaryBodies()
    {
        const QByteArray body("\0\xff\r\n{}", 6);
        ProcessResult signature = runHookbench(args({"sign", "--secret", "new"}), body);
        const QString header = QString::fromLatin1(signature.out.trimmed());
        ProcessResult rotated
            = runHookbench(args({"verify", "--json", "--secret", "old", "--secret", "new", "-H"}) << header, body);
        QCOMPARE(rotated.exitCode, 0);
        QCOMPARE(QJsonDocument::fromJson(rotated.out)[QStringLiteral("matchedSecret")].toInt(), 2);
        ProcessResult oldOnly = runHookbench(args({"verify", "--secret", "old", "-H"}) << header, body);
        QCOMPARE(oldOnly.exitCode, 1);
    }

    void verify_timestampsAgainstNowAndTolerance()
    {
        ProcessResult signature = runHookbench(
            args({"sign", "--scheme", "stripe", "--secret", "whsec_x", "--timestamp", "1700000000"}), "{}");
        const QString header = QString::fromLatin1(signature.out.trimmed());
        auto verifyAt = [&](const char *now, const char *tolerance) {
            QStringList list = args({"verify", "--scheme", "stripe", "--secret", "whsec_x", "--now", now, "-H"})
                << header;
            if (tolerance)
                list << QStringLiteral("--tolerance") << QString::fromLatin1(tolerance);
            return runHookbench(list, "{}");
        };
        QCOMPARE(verifyAt("1700000100", nullptr).exitCode, 0);
        ProcessResult stale = verifyAt("1700000400", nullptr);
        QCOMPARE(stale.exitCode, 1);
        QVERIFY(stale.out.contains("400 seconds old"));
        QCOMPARE(verifyAt("1700000400", "600").exitCode, 0);
        ProcessResult future = verifyAt("1699999000", nullptr);
        QVERIFY(future.out.contains("in the future"));
    }

    void usageErrors_exitTwoWithOneLine_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QByteArray>("message");
        QTest::newRow("unknown scheme") << args({"verify", "--scheme", "nope", "--secret", "k"})
                                        << QByteArray("unknown scheme \"nope\"");
        QTest::newRow("no secret") << args({"verify", "-H", "Authorization: 00"}) << QByteArray("no secret");
        QTest::newRow("unset env") << args({"sign", "--secret-env", "HOOKBENCH_UNSET_VAR"})
                                   << QByteArray("HOOKBENCH_UNSET_VAR is not set");
        QTest::newRow("missing secret file")
            << args({"sign", "--secret-file", "/nonexistent/secret"}) << QByteArray("/nonexistent/secret");
        QTest::newRow("missing body file") << args({"sign", "--secret", "k", "--body-file", "/nonexistent/body"})
                                           << QByteArray("can't read body file /nonexistent/body");
        QTest::newRow("malformed header")
            << args({"verify", "--secret", "k", "-H", "Authorization abc"}) << QByteArray("malformed header");
        QTest::newRow("bad timestamp") << args({"sign", "--secret", "k", "--timestamp", "yesterday"})
                                       << QByteArray("--timestamp must be an integer");
        QTest::newRow("unknown option") << args({"sign", "--colour"}) << QByteArray("colour");
        QTest::newRow("generic without header")
            << args({"sign", "--scheme", "generic", "--secret", "k"}) << QByteArray("--header");
        QTest::newRow("generic option elsewhere")
            << args({"sign", "--prefix", "x", "--secret", "k"}) << QByteArray("--scheme generic");
        QTest::newRow("undecodable sw secret")
            << args({"sign", "--scheme", "standard-webhooks", "--secret", "whsec_***"}) << QByteArray("not base64");
        QTest::newRow("empty secret") << args({"sign", "--secret", ""}) << QByteArray("empty");
    }

    void usageErrors_exitTwoWithOneLine()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QByteArray, message);
        ProcessResult result = runHookbench(arguments, "{}");
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains(message), result.err.constData());
        QCOMPARE(result.err.count('\n'), 1);
        QVERIFY(result.out.isEmpty());
        QVERIFY(!result.err.contains("***"));
    }
};

QTEST_GUILESS_MAIN(TestSignVerifyCli)
#include "tst_signverifycli.moc"
