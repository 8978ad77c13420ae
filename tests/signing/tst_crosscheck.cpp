// Signs with Hookbench and verifies with the providers' own libraries from the npm registry
// (@octokit/webhooks-methods, standardwebhooks, stripe), and the reverse: a misreading of a
// specification shows up here even when our own known-answer tests agree with themselves.
#include "signing/schemeregistry.h"

#include <QDateTime>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTest>

using namespace hookbench;

namespace {

const QString crosscheckDir = QStringLiteral(HOOKBENCH_SOURCE_DIR "/tests/crosscheck");

struct Case
{
    QString scheme;
    QByteArray secret;
    QByteArray body;
};

QList<Case> cases()
{
    const QByteArray dbtLike
        = R"json({"accountId":1,"eventType":"job.run.completed","data":{"runId":"12345","jobName":"Daily Job (dbt build)"}})json";
    const QByteArray unicode = "{\"name\":\"caf\xc3\xa9 \xe2\x98\x95\",\"emoji\":\"\xf0\x9f\x9a\x80\"}";
    const QByteArray pretty = "{\r\n  \"a\": [1, 2.50, 3e10],\r\n  \"b\": \"x\\ny\"\r\n}\n";
    QByteArray large;
    for (int i = 0; i < 20000; ++i)
        large += "{\"i\":" + QByteArray::number(i) + "},";
    large = "[" + large.chopped(1) + "]";
    QList<Case> all;
    for (const QByteArray &body : {dbtLike, unicode, pretty, large}) {
        all.append({QStringLiteral("github"), "It's a Secret to Everybody", body});
        all.append({QStringLiteral("stripe"), "whsec_test_51HxYz", body});
        all.append({QStringLiteral("standard-webhooks"), "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", body});
    }
    return all;
}

QJsonObject headersJson(const HeaderList &headers)
{
    QJsonObject json;
    for (const HttpHeader &header : headers)
        json.insert(QString::fromLatin1(header.name), QString::fromLatin1(header.value));
    return json;
}

HeaderList headersFromJson(const QJsonObject &json)
{
    HeaderList headers;
    for (auto it = json.begin(); it != json.end(); ++it)
        headers.append({it.key().toLatin1(), it.value().toString().toLatin1()});
    return headers;
}

} // namespace

class TestCrosscheck : public QObject
{
    Q_OBJECT

private:
    QString m_node;

    QJsonArray runNode(const QJsonArray &requests)
    {
        QProcess node;
        node.setWorkingDirectory(crosscheckDir);
        node.start(m_node, {QStringLiteral("crosscheck.mjs")});
        if (!node.waitForStarted(10000))
            return {};
        node.write(QJsonDocument(requests).toJson(QJsonDocument::Compact));
        node.closeWriteChannel();
        if (!node.waitForFinished(120000) || node.exitCode() != 0) {
            qWarning("node failed: %s", node.readAllStandardError().constData());
            return {};
        }
        return QJsonDocument::fromJson(node.readAllStandardOutput()).array();
    }

private slots:
    void initTestCase()
    {
        m_node = QStandardPaths::findExecutable(QStringLiteral("node"));
        if (m_node.isEmpty())
            QSKIP("node is not installed: the cross-implementation tests against the providers' npm libraries were "
                  "skipped");
        QVERIFY2(QDir(crosscheckDir + QStringLiteral("/node_modules/standardwebhooks")).exists(),
            "tests/crosscheck/node_modules is missing: run ./scripts/test (npm ci) first");
    }

    void hookbenchSigns_providersVerify()
    {
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        QJsonArray requests;
        QList<bool> expectValid;
        for (const Case &c : cases()) {
            auto scheme = createBuiltinScheme(c.scheme);
            const HeaderList headers = scheme->sign(c.body, c.secret, {now, "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W"});
            for (const bool tamper : {false, true}) {
                QByteArray body = c.body;
                if (tamper)
                    body[body.size() / 2] = char(body[body.size() / 2] ^ 0x01);
                requests.append(QJsonObject {{QStringLiteral("op"), QStringLiteral("verify")},
                    {QStringLiteral("scheme"), c.scheme}, {QStringLiteral("secret"), QString::fromLatin1(c.secret)},
                    {QStringLiteral("body"), QString::fromLatin1(body.toBase64())},
                    {QStringLiteral("headers"), headersJson(headers)}});
                expectValid.append(!tamper);
            }
        }
        const QJsonArray results = runNode(requests);
        QCOMPARE(results.size(), requests.size());
        for (qsizetype i = 0; i < results.size(); ++i) {
            const QJsonObject result = results.at(i).toObject();
            const QString label
                = requests.at(i)[QStringLiteral("scheme")].toString() + QStringLiteral(" case %1").arg(i);
            QVERIFY2(result[QStringLiteral("valid")].toBool() == expectValid.at(i),
                qPrintable(label + QLatin1Char(' ') + result[QStringLiteral("error")].toString()));
        }
    }

    void providersSign_hookbenchVerifies()
    {
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        QJsonArray requests;
        const QList<Case> all = cases();
        for (const Case &c : all) {
            requests.append(QJsonObject {{QStringLiteral("op"), QStringLiteral("sign")},
                {QStringLiteral("scheme"), c.scheme}, {QStringLiteral("secret"), QString::fromLatin1(c.secret)},
                {QStringLiteral("body"), QString::fromLatin1(c.body.toBase64())}, {QStringLiteral("timestamp"), now},
                {QStringLiteral("id"), QStringLiteral("msg_2KWPBgLlAfxdpx2AI54pPJ85f4W")}});
        }
        const QJsonArray results = runNode(requests);
        QCOMPARE(results.size(), all.size());
        for (qsizetype i = 0; i < all.size(); ++i) {
            const Case &c = all.at(i);
            auto scheme = createBuiltinScheme(c.scheme);
            const HeaderList headers = headersFromJson(results.at(i)[QStringLiteral("headers")].toObject());
            const VerificationResult result = scheme->verify(headers, c.body, {c.secret}, {now, {}});
            QVERIFY2(result.isValid(), qPrintable(c.scheme + QStringLiteral(": ") + result.reason));
            // And the same header must equal what Hookbench itself produces for these inputs.
            QCOMPARE(result.expected,
                headers.isEmpty() ? QByteArray() : headerValue(headers, scheme->signatureHeaderName()));
            QByteArray tampered = c.body;
            tampered.append(' ');
            QVERIFY(!scheme->verify(headers, tampered, {c.secret}, {now, {}}).isValid());
        }
    }
};

QTEST_GUILESS_MAIN(TestCrosscheck)
#include "tst_crosscheck.moc"
