#include "replay/resigner.h"
#include "signing/schemeregistry.h"

#include <QTest>

using namespace hookbench;

namespace {

constexpr qint64 now = 1'700'000'000;

std::shared_ptr<const SignatureScheme> scheme(const QString &name)
{
    if (name == u"generic") {
        GenericSchemeConfig config;
        config.header = "X-Sig";
        config.signedTemplate = "{id}:{timestamp}:{body}";
        config.timestampHeader = "X-Sig-Time";
        config.idHeader = "X-Sig-Id";
        return createGenericScheme(config);
    }
    return createBuiltinScheme(name);
}

QByteArray secretFor(const QString &name)
{
    return name == u"standard-webhooks" ? QByteArrayLiteral("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
                                        : QByteArrayLiteral("replay-secret");
}

VerificationResult verifyAt(const SignatureScheme &s, const HeaderList &headers, const QByteArray &body, qint64 at)
{
    VerifyOptions options;
    options.now = at;
    return s.verify(headers, body, {secretFor(s.name())}, options);
}

} // namespace

class TestResigner : public QObject
{
    Q_OBJECT

private slots:
    void resigned_verifiesAndKeepsEverythingElse_data()
    {
        QTest::addColumn<QString>("name");
        const QStringList names = builtinSchemeNames() << QStringLiteral("generic");
        for (const QString &name : names)
            QTest::newRow(qPrintable(name)) << name;
    }
    void resigned_verifiesAndKeepsEverythingElse()
    {
        QFETCH(QString, name);
        const auto s = scheme(name);
        QVERIFY(s);
        const QByteArray body = QByteArrayLiteral("{\"data\":{\"runStatus\":\"Success\"},\"n\":1.10}");

        // An old signature (made for another body, an hour ago) sits between other headers.
        HeaderList headers {{"Content-Type", "application/json"}};
        SignOptions old;
        old.timestamp = now - 3600;
        old.id = "msg_old";
        headers += s->sign("old body", secretFor(name), old);
        headers += HttpHeader {"X-After", "kept"};
        const HeaderList before = headers;
        QVERIFY(!verifyAt(*s, headers, body, now).isValid());

        Resigner resigner(s, secretFor(name));
        QVERIFY(resigner.problem().isEmpty());
        resigner.setClock([] { return now; });
        QString error;
        QVERIFY(resigner.resign(headers, body, &error));
        QVERIFY(error.isEmpty());

        const VerificationResult result = verifyAt(*s, headers, body, now);
        QVERIFY2(result.isValid(), qPrintable(result.reason));
        // Same headers in the same places: only the values of the scheme's headers changed.
        QCOMPARE(headers.size(), before.size());
        for (qsizetype i = 0; i < headers.size(); ++i)
            QCOMPARE(headers.at(i).name, before.at(i).name);
        QCOMPARE(headers.first(), before.first());
        QCOMPARE(headers.last(), before.last());
        if (s->usesTimestamp())
            QVERIFY(!verifyAt(*s, headers, body, now + 3600).isValid()); // the timestamp is fresh, i.e. "now"
        if (s->usesId())
            QVERIFY(!headers.contains(HttpHeader {s->headerNames().last(), "msg_old"}));
    }

    void absentHeaders_areAppended()
    {
        const auto s = scheme(QStringLiteral("dbt-cloud"));
        HttpRequest request;
        request.headers = {{"Content-Type", "application/json"}};
        request.body = "{}";
        Resigner resigner(s, "replay-secret");
        QVERIFY(resigner.resign(request));
        QCOMPARE(request.headers.size(), 2);
        QCOMPARE(request.headers.last().name, QByteArray("Authorization"));
        QVERIFY(verifyAt(*s, request.headers, request.body, now).isValid());
    }

    void staleDuplicates_areDropped()
    {
        const auto s = scheme(QStringLiteral("github"));
        HeaderList headers {{"x-hub-signature-256", "sha256=00"}, {"A", "1"}, {"X-Hub-Signature-256", "sha256=11"}};
        Resigner resigner(s, "replay-secret");
        QVERIFY(resigner.resign(headers, "body"));
        QCOMPARE(headers.size(), 2);
        QCOMPARE(headers.first().name, QByteArray("x-hub-signature-256")); // the received spelling stays
        QVERIFY(verifyAt(*s, headers, "body", now).isValid());
    }

    void svixHeaders_keepTheirFamily()
    {
        const auto s = scheme(QStringLiteral("standard-webhooks"));
        HeaderList headers {{"svix-id", "msg_1"}, {"svix-timestamp", "1"}, {"svix-signature", "v1,AAAA"}};
        Resigner resigner(s, secretFor(QStringLiteral("standard-webhooks")));
        resigner.setClock([] { return now; });
        resigner.setIdSource([] { return QByteArrayLiteral("msg_fresh"); });
        QVERIFY(resigner.resign(headers, "{}"));
        QCOMPARE(headers.size(), 3);
        QCOMPARE(headers.at(0), (HttpHeader {"svix-id", "msg_fresh"}));
        QCOMPARE(headers.at(1), (HttpHeader {"svix-timestamp", QByteArray::number(now)}));
        QCOMPARE(headers.at(2).name, QByteArray("svix-signature"));
        QVERIFY(verifyAt(*s, headers, "{}", now).isValid());
    }

    void freshIds_differ()
    {
        const auto s = scheme(QStringLiteral("standard-webhooks"));
        Resigner resigner(s, secretFor(QStringLiteral("standard-webhooks")));
        HeaderList first;
        HeaderList second;
        QVERIFY(resigner.resign(first, "x"));
        QVERIFY(resigner.resign(second, "x"));
        const QByteArray a = headerValue(first, "webhook-id");
        QVERIFY(a.startsWith("msg_"));
        QCOMPARE(a.size(), 31);
        QVERIFY(a != headerValue(second, "webhook-id"));
    }

    void unusableSecret_isReportedWithoutQuotingIt()
    {
        const QByteArray secret = "whsec_not*base64*at*all";
        Resigner resigner(scheme(QStringLiteral("standard-webhooks")), secret);
        QVERIFY(!resigner.problem().isEmpty());
        QVERIFY(!resigner.problem().contains(QString::fromLatin1(secret)));
        QVERIFY(!resigner.problem().contains(u"not*base64"));
        HeaderList headers {{"A", "1"}};
        QString error;
        QVERIFY(!resigner.resign(headers, "x", &error));
        QCOMPARE(error, resigner.problem());
        QCOMPARE(headers, (HeaderList {{"A", "1"}}));
    }
};

QTEST_GUILESS_MAIN(TestResigner)
#include "tst_resigner.moc"
