#include "signing/schemeregistry.h"
#include "signing/standardwebhooksscheme.h"

#include <QTest>

using namespace hookbench;

namespace {

const QByteArray slackBody = QByteArrayLiteral(
    "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&"
    "user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack."
    "com%"
    "2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121."
    "803a0bc887a14d10d2c447fce8b6703c");

std::unique_ptr<SignatureScheme> scheme(const char *name)
{
    auto created = createBuiltinScheme(QString::fromLatin1(name));
    Q_ASSERT(created);
    return created;
}

VerifyOptions at(qint64 now)
{
    VerifyOptions options;
    options.now = now;
    return options;
}

} // namespace

class TestSchemes : public QObject
{
    Q_OBJECT

private slots:
    void registry_knowsEveryBuiltin()
    {
        QCOMPARE(builtinSchemeNames().first(), QStringLiteral("dbt-cloud"));
        for (const QString &name : builtinSchemeNames()) {
            auto created = createBuiltinScheme(name);
            QVERIFY2(created, qPrintable(name));
            QCOMPARE(created->name(), name);
            QVERIFY(!created->summary().isEmpty());
        }
        QCOMPARE(createBuiltinScheme(u"svix")->name(), QStringLiteral("standard-webhooks"));
        QCOMPARE(createBuiltinScheme(u"DBT")->name(), QStringLiteral("dbt-cloud"));
        QVERIFY(!createBuiltinScheme(u"generic"));
        QVERIFY(!createBuiltinScheme(u"twilio"));
    }

    // Published vectors (providers' documentation) and values computed with
    // `openssl dgst -sha256 -hmac` for providers that publish none.
    void knownAnswers_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("secret");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<qint64>("timestamp");
        QTest::addColumn<QByteArray>("id");
        QTest::addColumn<HeaderList>("headers");

        QTest::newRow("github published")
            << "github" << QByteArray("It's a Secret to Everybody") << QByteArray("Hello, World!") << qint64(0)
            << QByteArray()
            << HeaderList {
                   {"X-Hub-Signature-256", "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"}};
        QTest::newRow("slack published")
            << "slack" << QByteArray("8f742231b10e8888abcd99yyyzzz85a5") << slackBody << qint64(1531420618)
            << QByteArray()
            << HeaderList {{"X-Slack-Signature", "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"},
                   {"X-Slack-Request-Timestamp", "1531420618"}};
        QTest::newRow("standard webhooks published")
            << "standard-webhooks" << QByteArray("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
            << QByteArray("{\"test\": 2432232314}") << qint64(1614265330) << QByteArray("msg_p5jXN8AQM9LWM0D4loKWxJek")
            << HeaderList {{"webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="},
                   {"webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek"}, {"webhook-timestamp", "1614265330"}};
        QTest::newRow("dbt cloud (openssl)")
            << "dbt-cloud" << QByteArray("dbt-secret-123")
            << QByteArray("{\"accountId\":1,\"eventType\":\"job.run.started\"}") << qint64(0) << QByteArray()
            << HeaderList {{"Authorization", "c9052f8cd332c4b14998e53b0627702b694797a426bf4df534be9d1c564bd68d"}};
        QTest::newRow("stripe (openssl)")
            << "stripe" << QByteArray("whsec_test_secret") << QByteArray("{\"id\":\"evt_1\",\"object\":\"event\"}")
            << qint64(1700000000) << QByteArray()
            << HeaderList {{"Stripe-Signature",
                   "t=1700000000,v1=0c8670ed117751cc551a20e35839447075c42800ea3cf3e8a2fbda99cd1e6edd"}};
        QTest::newRow("shopify (openssl)")
            << "shopify" << QByteArray("shpss_secret") << QByteArray("{\"id\":1,\"name\":\"order\"}") << qint64(0)
            << QByteArray() << HeaderList {{"X-Shopify-Hmac-Sha256", "I4h+3higPl4y2NOaaZYouEPxc983ziapljLf7ciKzaQ="}};
    }

    void knownAnswers()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, secret);
        QFETCH(QByteArray, body);
        QFETCH(qint64, timestamp);
        QFETCH(QByteArray, id);
        QFETCH(HeaderList, headers);
        auto s = createBuiltinScheme(name);

        const HeaderList signedHeaders = s->sign(body, secret, {timestamp, id});
        for (const HttpHeader &header : headers)
            QCOMPARE(headerValue(signedHeaders, header.name), header.value);
        QCOMPARE(signedHeaders.size(), headers.size());

        const VerificationResult result = s->verify(headers, body, {secret}, at(timestamp + 10));
        QVERIFY2(result.isValid(), qPrintable(result.reason));
        QCOMPARE(result.expected, headers.first().value);
        QCOMPARE(result.received, headers.first().value);
        QCOMPARE(result.matchedSecret, 0);
    }

    void oneBodyByteChanged_isInvalid_forEveryScheme()
    {
        const QByteArray body("{\"a\":1}");
        for (const auto &s : createAllBuiltinSchemes()) {
            const QByteArray secret = s->name() == u"standard-webhooks" ? "whsec_c2VjcmV0LWtleS1ieXRlcw==" : "s3cret";
            const HeaderList headers = s->sign(body, secret, {1000, "msg_1"});
            QVERIFY2(s->verify(headers, body, {secret}, at(1000)).isValid(), qPrintable(s->name()));
            QByteArray changed = body;
            changed[2] = 'b';
            const VerificationResult result = s->verify(headers, changed, {secret}, at(1000));
            QCOMPARE(result.verdict, Verdict::Invalid);
            QVERIFY2(result.reason.contains(u"does not match"), qPrintable(result.reason));
            QVERIFY(result.expected != result.received);
            QVERIFY(!result.reason.contains(QString::fromLatin1(secret)));
        }
    }

    void wrongSecret_isInvalid_andRotationAcceptsAny()
    {
        auto s = scheme("dbt-cloud");
        const QByteArray body("payload");
        const HeaderList headers = s->sign(body, "new-secret");
        QCOMPARE(s->verify(headers, body, {"old-secret"}, at(0)).verdict, Verdict::Invalid);
        const VerificationResult rotated = s->verify(headers, body, {"old-secret", "new-secret"}, at(0));
        QVERIFY(rotated.isValid());
        QCOMPARE(rotated.matchedSecret, 1);
        QVERIFY(rotated.reason.contains(u"secret 2 of 2"));
    }

    void hexIsComparedOnDecodedBytes()
    {
        auto s = scheme("dbt-cloud");
        const QByteArray body("payload");
        const QByteArray lower = s->sign(body, "k").first().value;
        QVERIFY(s->verify({{"authorization", lower.toUpper()}}, body, {"k"}, at(0)).isValid());
    }

    void timestamps_outsideTolerance_areInvalid_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<qint64>("skew");
        QTest::addColumn<bool>("valid");
        for (const char *name : {"stripe", "standard-webhooks", "slack"}) {
            QTest::addRow("%s fresh", name) << QString::fromLatin1(name) << qint64(299) << true;
            QTest::addRow("%s edge", name) << QString::fromLatin1(name) << qint64(300) << true;
            QTest::addRow("%s stale", name) << QString::fromLatin1(name) << qint64(301) << false;
            QTest::addRow("%s future", name) << QString::fromLatin1(name) << qint64(-301) << false;
        }
    }

    void timestamps_outsideTolerance_areInvalid()
    {
        QFETCH(QString, name);
        QFETCH(qint64, skew);
        QFETCH(bool, valid);
        auto s = createBuiltinScheme(name);
        const QByteArray secret("whsec_c2VjcmV0LWtleS1ieXRlcw==");
        const qint64 signedAt = 1700000000;
        const HeaderList headers = s->sign("body", secret, {signedAt, "msg_x"});
        const VerificationResult result = s->verify(headers, "body", {secret}, at(signedAt + skew));
        QCOMPARE(result.isValid(), valid);
        QCOMPARE(result.skew, std::optional<qint64>(skew));
        QCOMPARE(result.timestamp, std::optional<qint64>(signedAt));
        if (!valid)
            QVERIFY2(result.reason.contains(skew > 0 ? u"old" : u"in the future"), qPrintable(result.reason));
    }

    void customTolerance_isHonoured()
    {
        auto s = scheme("slack");
        const HeaderList headers = s->sign("b", "k", {100});
        VerifyOptions options = at(200);
        options.tolerance = 50;
        QVERIFY(!s->verify(headers, "b", {"k"}, options).isValid());
        options.tolerance = 100;
        QVERIFY(s->verify(headers, "b", {"k"}, options).isValid());
    }

    void missingHeader_isUnsigned()
    {
        for (const auto &s : createAllBuiltinSchemes()) {
            const VerificationResult result
                = s->verify({{"Content-Type", "application/json"}}, "{}", {"whsec_c2VjcmV0"}, at(0));
            QCOMPARE(result.verdict, Verdict::Unsigned);
            QVERIFY2(result.reason.contains(u"no ") && result.reason.contains(u"header"), qPrintable(result.reason));
            QVERIFY(result.received.isNull());
        }
    }

    void noSecret_isNoSecret_butStillReadsTheHeader()
    {
        auto s = scheme("github");
        const VerificationResult result = s->verify({{"X-Hub-Signature-256", "sha256=00"}}, "{}", {}, at(0));
        QCOMPARE(result.verdict, Verdict::NoSecret);
        QCOMPARE(result.received, QByteArray("sha256=00"));
    }

    void malformedValues_areInvalid_withAReason_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<HeaderList>("headers");
        QTest::addColumn<QString>("reasonContains");
        const QByteArray hex64(64, 'a');
        QTest::newRow("dbt empty") << "dbt-cloud" << HeaderList {{"Authorization", ""}} << "empty";
        QTest::newRow("dbt truncated") << "dbt-cloud" << HeaderList {{"Authorization", hex64.left(63)}}
                                       << "64 hex digits";
        QTest::newRow("dbt bad hex") << "dbt-cloud" << HeaderList {{"Authorization", hex64.left(62) + "zz"}}
                                     << "64 hex digits";
        QTest::newRow("dbt bearer") << "dbt-cloud" << HeaderList {{"Authorization", "Bearer eyJhbGciOi"}}
                                    << "not a hex";
        QTest::newRow("github no prefix") << "github" << HeaderList {{"X-Hub-Signature-256", hex64}} << "sha256=";
        QTest::newRow("github base64") << "github"
                                       << HeaderList {{"X-Hub-Signature-256",
                                              "sha256=I4h+3higPl4y2NOaaZYouEPxc983ziapljLf7ciKzaQ="}}
                                       << "hex";
        QTest::newRow("shopify bad base64")
            << "shopify" << HeaderList {{"X-Shopify-Hmac-Sha256", "not*base64"}} << "base64";
        QTest::newRow("shopify short base64")
            << "shopify" << HeaderList {{"X-Shopify-Hmac-Sha256", "aGVsbG8="}} << "44 base64";
        QTest::newRow("stripe no t") << "stripe" << HeaderList {{"Stripe-Signature", "v1=" + hex64}} << "t=";
        QTest::newRow("stripe no v1") << "stripe" << HeaderList {{"Stripe-Signature", "t=1,v0=" + hex64}} << "v1=";
        QTest::newRow("stripe bad v1") << "stripe" << HeaderList {{"Stripe-Signature", "t=1,v1=xyz"}}
                                       << "64 hex digits";
        QTest::newRow("stripe empty") << "stripe" << HeaderList {{"Stripe-Signature", " "}} << "empty";
        QTest::newRow("slack no timestamp") << "slack" << HeaderList {{"X-Slack-Signature", "v0=" + hex64}}
                                            << "X-Slack-Request-Timestamp header is missing";
        QTest::newRow("sw no id") << "standard-webhooks"
                                  << HeaderList {{"webhook-signature", "v1,abc="}, {"webhook-timestamp", "1"}}
                                  << "webhook-id";
        QTest::newRow("sw only v1a") << "standard-webhooks"
                                     << HeaderList {{"webhook-signature", "v1a,abc="}, {"webhook-timestamp", "1"},
                                            {"webhook-id", "m"}}
                                     << "no v1,";
        QTest::newRow("sw truncated") << "standard-webhooks"
                                      << HeaderList {{"webhook-signature", "v1,g0hM9SsE"}, {"webhook-timestamp", "1"},
                                             {"webhook-id", "m"}}
                                      << "44 base64";
    }

    void malformedValues_areInvalid_withAReason()
    {
        QFETCH(QString, name);
        QFETCH(HeaderList, headers);
        QFETCH(QString, reasonContains);
        auto s = createBuiltinScheme(name);
        const VerificationResult result = s->verify(headers, "{}", {"whsec_c2VjcmV0"}, at(1));
        QCOMPARE(result.verdict, Verdict::Invalid);
        QVERIFY2(result.reason.contains(reasonContains), qPrintable(result.reason));
    }

    void nonNumericTimestamp_isInvalid()
    {
        auto s = scheme("slack");
        const HeaderList headers = s->sign("b", "k", {100});
        HeaderList tampered = headers;
        setHeader(tampered, "X-Slack-Request-Timestamp", "1e9");
        QVERIFY(!s->verify(tampered, "b", {"k"}, at(100)).isValid());
    }

    void stripe_acceptsAnyV1_andIgnoresV0()
    {
        auto s = scheme("stripe");
        const QByteArray body("{}");
        const QByteArray good = s->sign(body, "whsec_a", {1000}).first().value; // t=1000,v1=<hex>
        const QByteArray goodHex = good.mid(good.indexOf("v1=") + 3);
        const QByteArray other(64, 'b');
        const HeaderList headers {{"stripe-signature", "t=1000, v1=" + other + ",v0=" + goodHex + ",v1=" + goodHex}};
        QVERIFY(s->verify(headers, body, {"whsec_a"}, at(1000)).isValid());
        const HeaderList onlyV0 {{"Stripe-Signature", "t=1000,v1=" + other + ",v0=" + goodHex}};
        QVERIFY(!s->verify(onlyV0, body, {"whsec_a"}, at(1000)).isValid());
        // The secret is used whole, whsec_ included.
        QVERIFY(!s->verify(headers, body, {"a"}, at(1000)).isValid());
    }

    void standardWebhooks_acceptsListsAndSvixHeaders()
    {
        StandardWebhooksScheme s;
        const QByteArray secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        const QByteArray body("{\"test\": 2432232314}");
        const HeaderList svix {{"svix-id", "msg_p5jXN8AQM9LWM0D4loKWxJek"}, {"svix-timestamp", "1614265330"},
            {"svix-signature",
                "v1a,ignored v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= "
                "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="}};
        const VerificationResult result = s.verify(svix, body, {secret}, at(1614265330));
        QVERIFY2(result.isValid(), qPrintable(result.reason));
        QCOMPARE(result.header, QByteArray("svix-signature"));
        // Without whsec_ the same key works (it is only a marker).
        QVERIFY(s.verify(svix, body, {secret.mid(6)}, at(1614265330)).isValid());
        QString error;
        QVERIFY(!s.keyFromSecret("whsec_not base64!", &error));
        QVERIFY(error.contains(u"base64"));
        const VerificationResult unusable = s.verify(svix, body, {"whsec_***"}, at(1614265330));
        QCOMPARE(unusable.verdict, Verdict::Invalid);
        QVERIFY(unusable.reason.contains(u"can't be used"));
    }

    void generic_coversTemplatesAlgorithmsAndEncodings()
    {
        GenericSchemeConfig config;
        config.header = "X-Sig";
        config.prefix = "sha512=";
        config.algorithm = MacAlgorithm::Sha512;
        config.encoding = SignatureEncoding::Base64;
        config.signedTemplate = "{timestamp}:{body}";
        config.timestampHeader = "X-Ts";
        QString error;
        auto s = createGenericScheme(config, &error);
        QVERIFY2(s, qPrintable(error));
        const HeaderList headers = s->sign("hello", "gen", {1700000000});
        QCOMPARE(headerValue(headers, "X-Sig"),
            QByteArray(
                "sha512=tismb/5KONGHDAynul+yxOxZG+VFi5XnuPWUjBfQ+PCbAlpMI8odu5uSfB/zz0xEsAQaQrilpalR9Hbs/3bHAw=="));
        QCOMPARE(headerValue(headers, "X-Ts"), QByteArray("1700000000"));
        QVERIFY(s->verify(headers, "hello", {"gen"}, at(1700000000)).isValid());

        GenericSchemeConfig sha1;
        sha1.header = "X-Sig";
        sha1.algorithm = MacAlgorithm::Sha1;
        auto s1 = createGenericScheme(sha1);
        QCOMPARE(s1->sign("hello", "gen").first().value, QByteArray("9d00b35f74b9026d4ff529198f1a23636fb9ffb4"));
        QVERIFY(!s1->usesTimestamp());
    }

    void generic_rejectsUnusableConfigurations()
    {
        GenericSchemeConfig config;
        QString error;
        QVERIFY(!createGenericScheme(config, &error));
        QVERIFY(error.contains(u"--header"));
        config.header = "X-Sig";
        config.signedTemplate = "{timestamp}";
        QVERIFY(!createGenericScheme(config, &error));
        QVERIFY(error.contains(u"{body}"));
        config.signedTemplate = "{timestamp}.{body}";
        QVERIFY(!createGenericScheme(config, &error));
        QVERIFY(error.contains(u"--timestamp-header"));
        config.signedTemplate = "{id}.{body}";
        QVERIFY(!createGenericScheme(config, &error));
        QVERIFY(error.contains(u"--id-header"));
    }

    void binaryBodies_areSignedByteExactly()
    {
        auto s = scheme("dbt-cloud");
        QByteArray body;
        for (int i = 0; i < 256; ++i)
            body.append(char(i));
        body.append("\r\n\0\xff", 4);
        const HeaderList headers = s->sign(body, "k");
        QCOMPARE(headers.first().value, hmac(MacAlgorithm::Sha256, "k", {body}).toHex());
        QVERIFY(s->verify(headers, body, {"k"}, at(0)).isValid());
        QVERIFY(!s->verify(headers, body.chopped(1), {"k"}, at(0)).isValid());
    }
};

QTEST_GUILESS_MAIN(TestSchemes)
#include "tst_schemes.moc"
