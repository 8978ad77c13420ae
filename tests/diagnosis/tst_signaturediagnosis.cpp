// One constructed case per finding code, the real-world shapes each code takes, the ranking,
// and the other side: valid requests and unrelated failures get no false finding. Requests are
// signed by the schemes themselves with a deliberately varied key, body or format, then
// diagnosed with the secret the receiver holds.
#include "diagnosis/signaturediagnosis.h"
#include "signing/schemeregistry.h"

#include <QProcess>
#include <QStandardPaths>
#include <QTest>

using namespace hookbench;

namespace {

const qint64 signedAt = 1700000000;
const QByteArray messageId = QByteArrayLiteral("msg_2LJzF7x1");
const QByteArray dbtSecret = QByteArrayLiteral("dbt-webhook-secret-7f3a91");
const QByteArray swSecret = QByteArrayLiteral("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
const QByteArray stripeSecret = QByteArrayLiteral("whsec_stripe_live_4eC39HqLyjWDarjtT1zdp7dc");

// A dbt Cloud job.run.completed event as dbt Cloud sends it (compact, keys in its order).
const QByteArray dbtBody = QByteArrayLiteral(
    "{\"timestamp\":\"2024-05-01T12:00:00.000Z\",\"eventId\":\"evt_1\",\"webhooksID\":\"wsu_1\","
    "\"eventType\":\"job.run.completed\",\"accountId\":1,\"data\":{\"jobId\":\"123\",\"jobName\":\"Daily "
    "build\",\"runId\":\"4567\",\"environmentId\":\"89\",\"runStatus\":\"Success\",\"runStatusCode\":10,"
    "\"runStatusMessage\":\"None\",\"runReason\":\"Kicked off from UI by caf\xc3\xa9 user \xf0\x9f\x9a\x80\","
    "\"runStartedAt\":\"2024-05-01T11:58:00Z\",\"ratio\":1.50}}");

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

// The headers a sender puts on `body` when it MACs `signedBody` with `key` (a key, not a
// secret: the test decides how the sender derived it).
HeaderList signWithKey(
    const SignatureScheme &s, const QByteArray &key, const QByteArray &signedBody, qint64 timestamp = signedAt)
{
    const QByteArray ts = QByteArray::number(timestamp);
    return s.signatureHeaders(s.computeMac(key, signedBody, ts, messageId), {timestamp, messageId});
}

HeaderList signWithSecret(
    const SignatureScheme &s, const QByteArray &secret, const QByteArray &signedBody, qint64 timestamp = signedAt)
{
    return signWithKey(s, *s.keyFromSecret(secret), signedBody, timestamp);
}

QStringList codesOf(const QList<DiagnosisFinding> &findings)
{
    QStringList codes;
    for (const DiagnosisFinding &finding : findings)
        codes << findingCodeName(finding.code);
    return codes;
}

QString describe(const QList<DiagnosisFinding> &findings)
{
    QStringList lines;
    for (const DiagnosisFinding &finding : findings)
        lines << findingCodeName(finding.code) + QStringLiteral(": ") + finding.message;
    return lines.join(u'\n');
}

class Diagnosed
{
public:
    QList<DiagnosisFinding> findings;
    QList<QByteArray> secrets; // every secret involved: none may appear in a message

    QStringList codes() const { return codesOf(findings); }
    const DiagnosisFinding &first() const { return findings.first(); }
};

Diagnosed diagnoseWith(const SignatureScheme &s, const HeaderList &headers, const QByteArray &body,
    const QList<QByteArray> &secrets, qint64 now = signedAt, const QList<NamedSecret> &others = {})
{
    Diagnosed result;
    result.findings = diagnoseSignature(s, headers, body, secrets, at(now), others);
    result.secrets = secrets;
    for (const NamedSecret &other : others)
        result.secrets.append(other.secret);
    return result;
}

// Secrets never appear in findings, in any form a user could copy.
bool leaksASecret(const Diagnosed &diagnosed)
{
    for (const DiagnosisFinding &finding : diagnosed.findings) {
        for (const QByteArray &secret : diagnosed.secrets) {
            const QByteArray bare = secret.trimmed();
            const QString core = QString::fromUtf8(bare.startsWith("whsec_") ? bare.mid(6) : bare);
            for (const QString &text : {finding.message, finding.variant, finding.variantDescription,
                     finding.secretName, QString::fromUtf8(finding.expected)}) {
                if (!core.isEmpty() && text.contains(core))
                    return true;
            }
        }
    }
    return false;
}

#define CHECK_CODES(diagnosed, ...)                                                                                    \
    do {                                                                                                               \
        QVERIFY2((diagnosed).codes() == QStringList({__VA_ARGS__}), qPrintable(describe((diagnosed).findings)));       \
        QVERIFY2(!leaksASecret(diagnosed), qPrintable(describe((diagnosed).findings)));                                \
    } while (false)

QByteArray withHeader(const HeaderList &headers, const QByteArray &name)
{
    return headerValue(headers, name);
}

} // namespace

class TestSignatureDiagnosis : public QObject
{
    Q_OBJECT

private slots:
    void codes_haveStableNames()
    {
        const QStringList expected {QStringLiteral("missing-header"), QStringLiteral("header-replaced"),
            QStringLiteral("prefix-mismatch"), QStringLiteral("encoding-mismatch"), QStringLiteral("other-scheme"),
            QStringLiteral("secret-whitespace"), QStringLiteral("secret-encoding"), QStringLiteral("other-secret"),
            QStringLiteral("body-reserialized"), QStringLiteral("body-line-endings"),
            QStringLiteral("body-trailing-newline"), QStringLiteral("body-bom"),
            QStringLiteral("timestamp-outside-tolerance"), QStringLiteral("wrong-secret")};
        QStringList names;
        for (const FindingCode code : allFindingCodes()) {
            names << findingCodeName(code);
            QCOMPARE(findingCodeFromName(findingCodeName(code)), std::optional<FindingCode>(code));
        }
        QCOMPARE(names, expected);
        QVERIFY(!findingCodeFromName(u"nope"));
        QCOMPARE(secretFingerprint("It's a Secret to Everybody").size(), 8);
        QCOMPARE(secretFingerprint(""), QStringLiteral("e3b0c442")); // SHA-256 of nothing
    }

    // ---- no false findings ----

    void validRequests_getNoFindings()
    {
        for (const auto &s : createAllBuiltinSchemes()) {
            const QByteArray secret = s->name() == u"standard-webhooks" ? swSecret : dbtSecret;
            const HeaderList headers = signWithSecret(*s, secret, dbtBody);
            const Diagnosed diagnosed = diagnoseWith(*s, headers, dbtBody, {secret});
            QVERIFY2(diagnosed.findings.isEmpty(), qPrintable(s->name() + u'\n' + describe(diagnosed.findings)));
            // Upper-case hex compares as bytes: still valid, still nothing to explain.
            HeaderList upper = headers;
            upper.first().value = upper.first().value.toUpper();
            if (s->name() == u"dbt-cloud")
                QVERIFY(diagnoseWith(*s, upper, dbtBody, {secret}).findings.isEmpty());
        }
    }

    void noSecret_getsNoFindings()
    {
        auto s = scheme("github");
        QVERIFY(diagnoseWith(*s, {{"X-Hub-Signature-256", "sha256=00"}}, dbtBody, {}).findings.isEmpty());
    }

    void unrelatedFailures_getOnlyWrongSecret_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("body");
        const QByteArray tricky = "\xEF\xBB\xBF{\r\n  \"b\": \"caf\xc3\xa9\",\r\n  \"a\": [1, 2.50]\r\n}\r\n";
        for (const char *name : {"dbt-cloud", "github", "stripe", "standard-webhooks", "slack", "shopify"}) {
            QTest::addRow("%s dbt body", name) << QString::fromLatin1(name) << dbtBody;
            QTest::addRow("%s crlf bom json", name) << QString::fromLatin1(name) << tricky;
            QTest::addRow("%s form body", name) << QString::fromLatin1(name) << QByteArray("a=1&b=2\n");
            QTest::addRow("%s empty body", name) << QString::fromLatin1(name) << QByteArray();
        }
    }

    void unrelatedFailures_getOnlyWrongSecret()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, body);
        auto s = createBuiltinScheme(name);
        const bool sw = name == u"standard-webhooks";
        const QByteArray senders = sw ? QByteArray("whsec_c2VuZGVyLXNlY3JldC1ieXRlcw==") : "sender-secret-a81c";
        const QByteArray ours = sw ? swSecret : dbtSecret;
        const HeaderList headers = signWithSecret(*s, senders, body);
        const Diagnosed diagnosed = diagnoseWith(*s, headers, body, {ours}, signedAt,
            {{QStringLiteral("$UNRELATED"), QByteArray("unrelated-other-secret")}});
        CHECK_CODES(diagnosed, QStringLiteral("wrong-secret"));
        const DiagnosisFinding &f = diagnosed.first();
        QVERIFY(!f.confirmed);
        QCOMPARE(f.fingerprints, QStringList {secretFingerprint(ours)});
        QVERIFY2(f.message.contains(secretFingerprint(ours)), qPrintable(f.message));
    }

    void tamperedBody_getsOnlyWrongSecret()
    {
        auto s = scheme("dbt-cloud");
        const HeaderList headers = signWithSecret(*s, dbtSecret, dbtBody);
        QByteArray tampered = dbtBody;
        tampered.replace("Success", "Error!!");
        CHECK_CODES(diagnoseWith(*s, headers, tampered, {dbtSecret}), QStringLiteral("wrong-secret"));
    }

    void severalSecrets_areAllFingerprinted()
    {
        auto s = scheme("dbt-cloud");
        const HeaderList headers = signWithSecret(*s, "someone-else", dbtBody);
        const Diagnosed diagnosed = diagnoseWith(*s, headers, dbtBody, {"old-secret-1", "new-secret-2"});
        CHECK_CODES(diagnosed, QStringLiteral("wrong-secret"));
        QCOMPARE(diagnosed.first().fingerprints,
            (QStringList {secretFingerprint("old-secret-1"), secretFingerprint("new-secret-2")}));
        QVERIFY(diagnosed.first().message.contains(u"these 2"));
    }

    // ---- missing-header ----

    void missingHeader_pointsAtAHeaderThatCarriesTheSignature()
    {
        auto s = scheme("dbt-cloud");
        const QByteArray mac = s->computeMac(dbtSecret, dbtBody);
        const HeaderList headers {{"Content-Type", "application/json"}, {"X-Dbt-Signature", mac.toHex()}};
        const Diagnosed diagnosed = diagnoseWith(*s, headers, dbtBody, {dbtSecret});
        CHECK_CODES(diagnosed, QStringLiteral("missing-header"));
        const DiagnosisFinding &f = diagnosed.first();
        QVERIFY(f.confirmed);
        QCOMPARE(f.header, QByteArray("Authorization"));
        QCOMPARE(f.otherHeader, QByteArray("X-Dbt-Signature"));
        QCOMPARE(f.expected, mac.toHex());
        QVERIFY(f.message.contains(u"X-Dbt-Signature"));
    }

    void missingHeader_pointsAtASignatureSizedValue_whenNothingMatches()
    {
        auto s = scheme("dbt-cloud");
        const HeaderList headers {{"Content-Length", "10"}, {"X-Signature", QByteArray(64, 'c')}};
        const Diagnosed diagnosed = diagnoseWith(*s, headers, dbtBody, {dbtSecret});
        CHECK_CODES(diagnosed, QStringLiteral("missing-header"));
        QVERIFY(!diagnosed.first().confirmed);
        QCOMPARE(diagnosed.first().otherHeader, QByteArray("X-Signature"));
        QVERIFY(diagnosed.first().message.contains(u"X-Signature holds a hex value"));
    }

    void missingHeader_withNothingElse_forEveryScheme()
    {
        for (const auto &s : createAllBuiltinSchemes()) {
            const HeaderList headers {{"Content-Type", "application/json"},
                {"Digest", "SHA-256=" + hmac(MacAlgorithm::Sha256, "x", {"y"}).toBase64()}};
            const Diagnosed diagnosed = diagnoseWith(*s, headers, dbtBody, {swSecret});
            CHECK_CODES(diagnosed, QStringLiteral("missing-header"));
            QVERIFY2(diagnosed.first().message.endsWith(u"header."), qPrintable(diagnosed.first().message));
            QVERIFY(diagnosed.first().otherHeader.isEmpty());
        }
    }

    void missingHeader_forASignedTimestampOrId_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<HeaderList>("headers");
        QTest::addColumn<QByteArray>("missing");
        const QByteArray hex(64, 'a');
        QTest::newRow("slack timestamp") << "slack" << HeaderList {{"X-Slack-Signature", "v0=" + hex}}
                                         << QByteArray("X-Slack-Request-Timestamp");
        QTest::newRow("standard webhooks id")
            << "standard-webhooks"
            << HeaderList {{"webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="},
                   {"webhook-timestamp", "1"}}
            << QByteArray("webhook-id");
        QTest::newRow("svix timestamp") << "standard-webhooks"
                                        << HeaderList {{"svix-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNI="},
                                               {"svix-id", "msg_1"}}
                                        << QByteArray("svix-timestamp");
    }

    void missingHeader_forASignedTimestampOrId()
    {
        QFETCH(QString, name);
        QFETCH(HeaderList, headers);
        QFETCH(QByteArray, missing);
        auto s = createBuiltinScheme(name);
        const Diagnosed diagnosed = diagnoseWith(*s, headers, dbtBody, {swSecret});
        CHECK_CODES(diagnosed, QStringLiteral("missing-header"));
        QCOMPARE(diagnosed.first().header, missing);
        QVERIFY2(
            diagnosed.first().message.contains(QString::fromLatin1(missing)), qPrintable(diagnosed.first().message));
    }

    // ---- header-replaced ----

    void headerReplaced_byACredential_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<QString>("shows");
        QTest::newRow("dbt bearer jwt") << QByteArray(
            "Bearer eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJnYXRld2F5In0.c2lnbmF0dXJlLWJ5dGVz")
                                        << "a Bearer JWT (alg RS256)";
        QTest::newRow("dbt plain bearer") << QByteArray("Bearer dbtc_5f1b2c3d4e") << "a Bearer token";
        QTest::newRow("basic auth") << QByteArray("Basic dXNlcjpwYXNzd29yZA==") << "Basic credentials";
        // A bearer token that happens to be 64 hex digits but is not this body's MAC.
        QTest::newRow("hex bearer") << "Bearer " + QByteArray(64, 'e') << "a Bearer token";
    }

    void headerReplaced_byACredential()
    {
        QFETCH(QByteArray, value);
        QFETCH(QString, shows);
        auto s = scheme("dbt-cloud");
        const Diagnosed diagnosed = diagnoseWith(*s, {{"Authorization", value}}, dbtBody, {dbtSecret});
        CHECK_CODES(diagnosed, QStringLiteral("header-replaced"));
        const DiagnosisFinding &f = diagnosed.first();
        QVERIFY2(f.message.contains(shows), qPrintable(f.message));
        QVERIFY(f.message.contains(u"proxy or gateway"));
        QVERIFY(!f.message.contains(QString::fromLatin1(value.mid(7))));
        QCOMPARE(f.received, value);
    }

    void headerReplaced_byAValueThatIsNoSignature()
    {
        auto shopify = scheme("shopify");
        const Diagnosed diagnosed
            = diagnoseWith(*shopify, {{"X-Shopify-Hmac-Sha256", "not-a-signature"}}, dbtBody, {dbtSecret});
        CHECK_CODES(diagnosed, QStringLiteral("header-replaced"));
        QCOMPARE(diagnosed.first().message,
            QStringLiteral("X-Shopify-Hmac-Sha256 holds 15 characters, not a Shopify signature (44 base64 "
                           "characters): something replaced, cut or garbled it."));
        auto github = scheme("github");
        const QByteArray cut = withHeader(signWithSecret(*github, dbtSecret, dbtBody), "X-Hub-Signature-256").left(40);
        CHECK_CODES(diagnoseWith(*github, {{"X-Hub-Signature-256", cut}}, dbtBody, {dbtSecret}),
            QStringLiteral("header-replaced"));
    }

    // ---- prefix-mismatch ----

    void prefixMismatch_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("secret");
        QTest::addColumn<QByteArray>("from"); // replaced in the correctly signed header value…
        QTest::addColumn<QByteArray>("to"); // …by this
        QTest::addColumn<QString>("says");
        QTest::newRow("dbt with sha256=") << "dbt-cloud" << dbtSecret << QByteArray() << QByteArray("sha256=")
                                          << "starts with \"sha256=\", which dbt Cloud does not use";
        QTest::newRow("dbt with Bearer") << "dbt-cloud" << dbtSecret << QByteArray() << QByteArray("Bearer ")
                                         << "starts with \"Bearer \"";
        QTest::newRow("github without sha256=") << "github" << dbtSecret << QByteArray("sha256=") << QByteArray()
                                                << "lacks the \"sha256=\" prefix GitHub puts";
        QTest::newRow("slack without v0=")
            << "slack" << dbtSecret << QByteArray("v0=") << QByteArray() << "lacks the \"v0=\" prefix";
        QTest::newRow("stripe v0= instead of v1=") << "stripe" << stripeSecret << QByteArray("v1=") << QByteArray("v0=")
                                                   << "has \"v0=\" where Stripe puts \"v1=\"";
        QTest::newRow("standard webhooks without v1,")
            << "standard-webhooks" << swSecret << QByteArray("v1,") << QByteArray() << "lacks the \"v1,\" prefix";
        QTest::newRow("standard webhooks v1= instead of v1,")
            << "standard-webhooks" << swSecret << QByteArray("v1,") << QByteArray("v1=")
            << "has \"v1=\" where Standard Webhooks puts \"v1,\"";
    }

    void prefixMismatch()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, secret);
        QFETCH(QByteArray, from);
        QFETCH(QByteArray, to);
        QFETCH(QString, says);
        auto s = createBuiltinScheme(name);
        HeaderList headers = signWithSecret(*s, secret, dbtBody);
        const QByteArray good = headers.first().value;
        headers.first().value = from.isEmpty() ? to + good : QByteArray(good).replace(from, to);
        const Diagnosed diagnosed = diagnoseWith(*s, headers, dbtBody, {secret});
        CHECK_CODES(diagnosed, QStringLiteral("prefix-mismatch"));
        const DiagnosisFinding &f = diagnosed.first();
        QVERIFY(f.confirmed);
        QVERIFY2(f.message.contains(says), qPrintable(f.message));
        QCOMPARE(f.expected, good);
        QCOMPARE(f.variant, QString::fromLatin1(to));
    }

    void prefixMismatch_unconfirmed_comesWithWrongSecret()
    {
        auto s = scheme("dbt-cloud");
        const QByteArray mac = s->computeMac("another-secret", dbtBody);
        const Diagnosed diagnosed
            = diagnoseWith(*s, {{"Authorization", "sha256=" + mac.toHex()}}, dbtBody, {dbtSecret});
        CHECK_CODES(diagnosed, QStringLiteral("prefix-mismatch"), QStringLiteral("wrong-secret"));
        QVERIFY(!diagnosed.first().confirmed);
        QVERIFY(diagnosed.first().message.contains(u"doesn't match either"));
    }

    // ---- encoding-mismatch ----

    void encodingMismatch_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("secret");
        QTest::addColumn<QString>("encoding"); // how the sender wrote the right MAC
        QTest::addColumn<QString>("says");
        QTest::newRow("dbt base64") << "dbt-cloud" << dbtSecret << "base64"
                                    << "sends it hex-encoded (64 hex digits)";
        QTest::newRow("github base64") << "github" << dbtSecret << "base64"
                                       << "holds the right MAC base64-encoded";
        QTest::newRow("shopify hex") << "shopify" << dbtSecret << "hex"
                                     << "sends it base64-encoded";
        QTest::newRow("standard webhooks hex") << "standard-webhooks" << swSecret << "hex"
                                               << "hex-encoded";
        QTest::newRow("stripe base64") << "stripe" << stripeSecret << "base64"
                                       << "base64-encoded";
        QTest::newRow("shopify base64url") << "shopify" << dbtSecret << "base64url"
                                           << "base64url-encoded";
    }

    void encodingMismatch()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, secret);
        QFETCH(QString, encoding);
        QFETCH(QString, says);
        auto s = createBuiltinScheme(name);
        // A body whose MAC's base64 has '+' or '/', so base64url differs from base64.
        QByteArray body = dbtBody;
        QByteArray mac;
        for (int i = 0;; ++i) {
            body = dbtBody + QByteArray(i, ' ');
            mac = s->computeMac(*s->keyFromSecret(secret), body, QByteArray::number(signedAt), messageId);
            if (mac.toBase64().contains('+') || mac.toBase64().contains('/'))
                break;
        }
        HeaderList headers = signWithSecret(*s, secret, body);
        const QByteArray good = headers.first().value;
        const QByteArray wrong = encoding == u"hex" ? mac.toHex()
            : encoding == u"base64"                 ? mac.toBase64()
                                                    : mac.toBase64(QByteArray::Base64UrlEncoding);
        headers.first().value = QByteArray(good).replace(encodeSignature(mac, s->encoding()), wrong);
        QVERIFY(headers.first().value != good);
        const Diagnosed diagnosed = diagnoseWith(*s, headers, body, {secret});
        CHECK_CODES(diagnosed, QStringLiteral("encoding-mismatch"));
        QVERIFY2(diagnosed.first().message.contains(says), qPrintable(diagnosed.first().message));
        QCOMPARE(diagnosed.first().expected, good);
        QCOMPARE(diagnosed.first().variant, encoding);
    }

    void prefixAndEncoding_bothReported()
    {
        // GitHub's value in a dbt Cloud Authorization header, written base64 as Shopify would.
        auto s = scheme("dbt-cloud");
        const QByteArray mac = s->computeMac(dbtSecret, dbtBody);
        const Diagnosed diagnosed
            = diagnoseWith(*s, {{"Authorization", "sha256=" + mac.toBase64()}}, dbtBody, {dbtSecret});
        CHECK_CODES(diagnosed, QStringLiteral("prefix-mismatch"), QStringLiteral("encoding-mismatch"));
    }

    // ---- other-scheme ----

    void otherScheme_headersOfAnotherScheme_data()
    {
        QTest::addColumn<QString>("configured");
        QTest::addColumn<QString>("sender");
        QTest::addColumn<QByteArray>("secret");
        QTest::newRow("dbt configured, github sent") << "dbt-cloud"
                                                     << "github" << dbtSecret;
        QTest::newRow("dbt configured, stripe sent") << "dbt-cloud"
                                                     << "stripe" << stripeSecret;
        QTest::newRow("github configured, slack sent") << "github"
                                                       << "slack" << dbtSecret;
        QTest::newRow("stripe configured, standard webhooks sent") << "stripe"
                                                                   << "standard-webhooks" << swSecret;
    }

    void otherScheme_headersOfAnotherScheme()
    {
        QFETCH(QString, configured);
        QFETCH(QString, sender);
        QFETCH(QByteArray, secret);
        auto s = createBuiltinScheme(configured);
        auto other = createBuiltinScheme(sender);
        const HeaderList headers = signWithSecret(*other, secret, dbtBody);
        const Diagnosed diagnosed = diagnoseWith(*s, headers, dbtBody, {secret});
        CHECK_CODES(diagnosed, QStringLiteral("other-scheme"));
        QCOMPARE(diagnosed.first().scheme, sender);
        QVERIFY(diagnosed.first().confirmed);
        QVERIFY2(diagnosed.first().message.contains(other->title()), qPrintable(diagnosed.first().message));
    }

    void otherScheme_valueInThisHeader()
    {
        // Slack configured; the sender MACed the body alone (as dbt Cloud, GitHub, Shopify do)
        // and forgot the "v0:<timestamp>:" it should sign.
        auto slack = scheme("slack");
        HeaderList headers = signWithSecret(*slack, dbtSecret, dbtBody);
        setHeader(headers, "X-Slack-Signature", "v0=" + hmac(MacAlgorithm::Sha256, dbtSecret, {dbtBody}).toHex());
        const Diagnosed diagnosed = diagnoseWith(*slack, headers, dbtBody, {dbtSecret});
        CHECK_CODES(diagnosed, QStringLiteral("other-scheme"));
        QVERIFY2(diagnosed.first().message.contains(u"holds the HMAC of the body alone"),
            qPrintable(diagnosed.first().message));
        QVERIFY(diagnosed.first().message.contains(u"Slack signs \"v0:1700000000:<body>\""));
        QVERIFY(diagnosed.first().message.contains(u"dbt Cloud, GitHub or Shopify"));

        // Stripe configured; "t=…,v1=" around a MAC of the body alone: same story.
        auto stripe = scheme("stripe");
        const HeaderList stripeHeaders {{"Stripe-Signature",
            "t=" + QByteArray::number(signedAt)
                + ",v1=" + hmac(MacAlgorithm::Sha256, stripeSecret, {dbtBody}).toHex()}};
        CHECK_CODES(diagnoseWith(*stripe, stripeHeaders, dbtBody, {stripeSecret}), QStringLiteral("other-scheme"));

        // dbt configured; Authorization holds Slack's value (v0= and its signed string).
        auto dbt = scheme("dbt-cloud");
        HeaderList slackInAuthorization = signWithSecret(*slack, dbtSecret, dbtBody);
        slackInAuthorization.first().name = "Authorization";
        const Diagnosed inDbt = diagnoseWith(*dbt, slackInAuthorization, dbtBody, {dbtSecret});
        CHECK_CODES(inDbt, QStringLiteral("other-scheme"));
        QCOMPARE(inDbt.first().scheme, QStringLiteral("slack"));
        QVERIFY2(inDbt.first().message.contains(u"v0:1700000000:<body>"), qPrintable(inDbt.first().message));
    }

    // ---- secret-whitespace ----

    void secretWhitespace_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("senders"); // the secret the sender signs with
        QTest::addColumn<QByteArray>("ours"); // the secret the receiver holds
        QTest::addColumn<QString>("variant");
        QTest::addColumn<QString>("says");
        QTest::newRow("our copy has a newline") << "dbt-cloud" << dbtSecret << dbtSecret + '\n'
                                                << "secret-trimmed"
                                                << "loses a trailing newline";
        QTest::newRow("our copy has CRLF") << "github" << dbtSecret << dbtSecret + "\r\n"
                                           << "secret-trimmed"
                                           << "loses a trailing CRLF";
        QTest::newRow("our copy has spaces") << "shopify" << dbtSecret << "  " + dbtSecret + ' ' << "secret-trimmed"
                                             << "loses leading 2 spaces and a trailing space";
        QTest::newRow("sender's copy has a newline") << "dbt-cloud" << dbtSecret + '\n'
                                                     << dbtSecret << "secret-newline-added"
                                                     << "gains a trailing newline";
        QTest::newRow("sender's copy has CRLF") << "slack" << dbtSecret + "\r\n"
                                                << dbtSecret << "secret-crlf-added"
                                                << "gains a trailing CRLF";
        QTest::newRow("sender's copy has a space")
            << "stripe" << stripeSecret + ' ' << stripeSecret << "secret-space-added"
            << "gains a trailing space";
        // whsec_…\n can't even be base64-decoded: the trimmed copy is the only usable one.
        QTest::newRow("standard webhooks, our copy has a newline") << "standard-webhooks" << swSecret << swSecret + '\n'
                                                                   << "secret-trimmed"
                                                                   << "loses a trailing newline";
    }

    void secretWhitespace()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, senders);
        QFETCH(QByteArray, ours);
        QFETCH(QString, variant);
        QFETCH(QString, says);
        auto s = createBuiltinScheme(name);
        const HeaderList headers = signWithSecret(*s, senders, dbtBody);
        const Diagnosed diagnosed = diagnoseWith(*s, headers, dbtBody, {ours});
        CHECK_CODES(diagnosed, QStringLiteral("secret-whitespace"));
        const DiagnosisFinding &f = diagnosed.first();
        QCOMPARE(f.variant, variant);
        QVERIFY2(f.message.contains(says), qPrintable(f.message));
        QCOMPARE(f.secretFingerprint, secretFingerprint(ours));
        QCOMPARE(f.variantFingerprint, secretFingerprint(senders));
        QVERIFY(f.message.contains(secretFingerprint(ours)));
    }

    // ---- secret-encoding ----

    void secretEncoding_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("senderKey"); // the key the sender MACs with
        QTest::addColumn<QByteArray>("ours");
        QTest::addColumn<QString>("variant");
        QTest::addColumn<QString>("says");
        QTest::newRow("standard webhooks used as text, whsec_ kept")
            << "standard-webhooks" << swSecret << swSecret << "secret-as-text"
            << "whsec_ prefix included";
        QTest::newRow("standard webhooks whsec_ stripped, not decoded")
            << "standard-webhooks" << swSecret.mid(6) << swSecret << "secret-without-whsec"
            << "whsec_ prefix stripped";
        QTest::newRow("standard webhooks configured bare, sender kept whsec_")
            << "standard-webhooks" << swSecret << swSecret.mid(6) << "secret-with-whsec"
            << "with a whsec_ prefix";
        QTest::newRow("stripe with whsec_ stripped")
            << "stripe" << stripeSecret.mid(6) << stripeSecret << "secret-without-whsec"
            << "whsec_ prefix stripped";
        const QByteArray base64Stripe("whsec_c3RyaXBlLXNpZ25pbmcta2V5LWJ5dGVz");
        QTest::newRow("stripe decoded like standard webhooks")
            << "stripe" << QByteArray::fromBase64(base64Stripe.mid(6)) << base64Stripe
            << "secret-without-whsec-base64-decoded"
            << "base64-decoded after its whsec_ prefix is stripped";
        QTest::newRow("dbt secret base64-decoded by the sender")
            << "dbt-cloud" << QByteArray::fromBase64("c2VjcmV0LWJ5dGVzLWhlcmU=")
            << QByteArray("c2VjcmV0LWJ5dGVzLWhlcmU=") << "secret-base64-decoded"
            << "is base64-decoded";
        QTest::newRow("github hex secret decoded by the sender")
            << "github" << QByteArray::fromHex("8f742231b10e8888abcd99aa") << QByteArray("8f742231b10e8888abcd99aa")
            << "secret-hex-decoded"
            << "is hex-decoded";
    }

    void secretEncoding()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, senderKey);
        QFETCH(QByteArray, ours);
        QFETCH(QString, variant);
        QFETCH(QString, says);
        auto s = createBuiltinScheme(name);
        const HeaderList headers = signWithKey(*s, senderKey, dbtBody);
        const Diagnosed diagnosed = diagnoseWith(*s, headers, dbtBody, {ours});
        CHECK_CODES(diagnosed, QStringLiteral("secret-encoding"));
        QCOMPARE(diagnosed.first().variant, variant);
        QVERIFY2(diagnosed.first().message.contains(says), qPrintable(diagnosed.first().message));
        QVERIFY(diagnosed.first().message.contains(u"derives the key differently from " + s->title()));
    }

    // ---- other-secret ----

    void otherSecret_namesTheSecret_neverShowsIt()
    {
        for (const char *name : {"dbt-cloud", "stripe", "standard-webhooks"}) {
            auto s = scheme(name);
            const bool sw = s->name() == u"standard-webhooks";
            const QByteArray staging = sw ? QByteArray("whsec_c3RhZ2luZy1zZWNyZXQtYnl0ZXM=") : "staging-secret-91b2";
            const QByteArray live = sw ? swSecret : dbtSecret;
            const HeaderList headers = signWithSecret(*s, staging, dbtBody);
            const QList<NamedSecret> others {{QStringLiteral("$TEST_SECRET"), QByteArray("unused-secret-00")},
                {QStringLiteral("$STAGING_SECRET"), staging}};
            const Diagnosed diagnosed = diagnoseWith(*s, headers, dbtBody, {live}, signedAt, others);
            CHECK_CODES(diagnosed, QStringLiteral("other-secret"));
            const DiagnosisFinding &f = diagnosed.first();
            QCOMPARE(f.secretName, QStringLiteral("$STAGING_SECRET"));
            QCOMPARE(f.secretFingerprint, secretFingerprint(staging));
            QVERIFY2(f.message.contains(u"$STAGING_SECRET") && f.message.contains(secretFingerprint(staging)),
                qPrintable(f.message));
        }
    }

    // ---- body-reserialized ----

    void bodyReserialized_data()
    {
        QTest::addColumn<QByteArray>("received");
        QTest::addColumn<QByteArray>("signedBody");
        QTest::addColumn<QString>("style");
        const QByteArray received = "{\"b\": \"caf\xc3\xa9 \xf0\x9f\x9a\x80\", \"a\": [1, 2.50, {}]}";
        QTest::newRow("compact, as JSON.stringify")
            << received << QByteArray("{\"b\":\"caf\xc3\xa9 \xf0\x9f\x9a\x80\",\"a\":[1,2.50,{}]}") << "compact";
        QTest::newRow("python json.dumps default, emoji as a surrogate pair")
            << QByteArray("{\"b\":\"caf\xc3\xa9 \xf0\x9f\x9a\x80\",\"a\":[1,2.50,{}]}")
            << QByteArray("{\"b\": \"caf\\u00e9 \\ud83d\\ude80\", \"a\": [1, 2.50, {}]}") << "spaced+ascii";
        QTest::newRow("JSON.stringify(obj, null, 2)")
            << received
            << QByteArray(
                   "{\n  \"b\": \"caf\xc3\xa9 \xf0\x9f\x9a\x80\",\n  \"a\": [\n    1,\n    2.50,\n    {}\n  ]\n}")
            << "indent-2";
        QTest::newRow("python indent=4") << received
                                         << QByteArray(
                                                "{\n    \"b\": \"caf\\u00e9 \\ud83d\\ude80\",\n    \"a\": [\n        "
                                                "1,\n        2.50,\n        {}\n    ]\n}")
                                         << "indent-4+ascii";
        QTest::newRow("sorted keys") << received
                                     << QByteArray("{\"a\": [1, 2.50, {}], \"b\": \"caf\\u00e9 \\ud83d\\ude80\"}")
                                     << "spaced+sorted+ascii";
        QTest::newRow("ensure_ascii compact")
            << received << QByteArray("{\"b\":\"caf\\u00e9 \\ud83d\\ude80\",\"a\":[1,2.50,{}]}") << "compact+ascii";
        QTest::newRow("jq -S") << received
                               << QByteArray("{\n  \"a\": [\n    1,\n    2.50,\n    {}\n  ],\n  \"b\": \"caf\xc3\xa9 "
                                             "\xf0\x9f\x9a\x80\"\n}")
                               << "indent-2+sorted";
        QTest::newRow("escapes decoded") << QByteArray("{\"url\":\"https:\\/\\/x.test\\/a\",\"n\":\"\\u00e9\"}")
                                         << QByteArray("{\"url\":\"https://x.test/a\",\"n\":\"\xc3\xa9\"}")
                                         << "compact";
    }

    void bodyReserialized()
    {
        QFETCH(QByteArray, received);
        QFETCH(QByteArray, signedBody);
        QFETCH(QString, style);
        auto s = scheme("dbt-cloud");
        const HeaderList headers = signWithSecret(*s, dbtSecret, signedBody);
        const Diagnosed diagnosed = diagnoseWith(*s, headers, received, {dbtSecret});
        CHECK_CODES(diagnosed, QStringLiteral("body-reserialized"));
        const DiagnosisFinding &f = diagnosed.first();
        QVERIFY(f.jsonStyle.has_value());
        QCOMPARE(f.variantBody, signedBody);
        // The style reported is the first common one producing these bytes: re-encoding the
        // received body with it gives the signed bytes again.
        JsonReencoder document;
        QVERIFY(document.parse(received));
        QCOMPARE(document.encode(*f.jsonStyle), signedBody);
        const QList<JsonStyle> common = commonJsonStyles();
        const auto expected
            = std::find_if(common.cbegin(), common.cend(), [&](const JsonStyle &x) { return x.id() == style; });
        QVERIFY(expected != common.cend());
        QCOMPARE(document.simplest(*f.jsonStyle), document.simplest(*expected));
        QVERIFY2(f.message.contains(f.jsonStyle->description()), qPrintable(f.message));
    }

    void bodyReserialized_byRealPython()
    {
        // What a Flask receiver computes with json.dumps(request.get_json()): the sender's
        // signature can only match that re-encoding if the sender signed it.
        const QString python = QStandardPaths::findExecutable(QStringLiteral("python3"));
        QVERIFY2(!python.isEmpty(), "python3 is not installed (scripts/setup test installs it)");
        QProcess process;
        process.start(python,
            {QStringLiteral("-c"),
                QStringLiteral("import json,sys; sys.stdout.write(json.dumps(json.load(sys.stdin), "
                               "sort_keys=True))")});
        QVERIFY(process.waitForStarted());
        process.write(dbtBody);
        process.closeWriteChannel();
        QVERIFY(process.waitForFinished());
        const QByteArray pythonBytes = process.readAllStandardOutput();
        QVERIFY(pythonBytes.contains("\\ud83d\\ude80"));

        // dbtBody has "ratio":1.50, which Python writes 1.5: use a body without such numbers.
        QByteArray body = dbtBody;
        body.replace(",\"ratio\":1.50", "");
        process.start(python,
            {QStringLiteral("-c"),
                QStringLiteral("import json,sys; sys.stdout.write(json.dumps(json.load(sys.stdin), "
                               "sort_keys=True))")});
        QVERIFY(process.waitForStarted());
        process.write(body);
        process.closeWriteChannel();
        QVERIFY(process.waitForFinished());
        const QByteArray signedBody = process.readAllStandardOutput();

        auto s = scheme("standard-webhooks");
        const HeaderList headers = signWithSecret(*s, swSecret, signedBody);
        const Diagnosed diagnosed = diagnoseWith(*s, headers, body, {swSecret});
        CHECK_CODES(diagnosed, QStringLiteral("body-reserialized"));
        QCOMPARE(diagnosed.first().variantBody, signedBody);
        QCOMPARE(diagnosed.first().jsonStyle->id(), QStringLiteral("spaced+sorted+ascii"));
        QVERIFY(diagnosed.first().message.contains(u"Python json.dumps(sort_keys=True)"));
    }

    // ---- body-line-endings, body-trailing-newline, body-bom ----

    void bodyBytes_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("received");
        QTest::addColumn<QByteArray>("signedBody");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("variant");
        const QByteArray lf = "{\n  \"a\": 1,\n  \"b\": \"x\"\n}";
        const QByteArray crlf = "{\r\n  \"a\": 1,\r\n  \"b\": \"x\"\r\n}";
        const QByteArray bom = "\xEF\xBB\xBF";
        for (const char *name : {"dbt-cloud", "stripe", "standard-webhooks"}) {
            QTest::addRow("%s crlf to lf", name) << name << crlf << lf << "body-line-endings"
                                                 << "crlf-to-lf";
            QTest::addRow("%s lf to crlf", name) << name << lf << crlf << "body-line-endings"
                                                 << "lf-to-crlf";
            QTest::addRow("%s newline added", name) << name << lf + '\n'
                                                    << lf << "body-trailing-newline"
                                                    << "trailing-newline-removed";
            QTest::addRow("%s newline lost", name) << name << lf << lf + '\n'
                                                   << "body-trailing-newline"
                                                   << "trailing-newline-added";
            QTest::addRow("%s crlf added", name) << name << crlf + "\r\n"
                                                 << crlf << "body-trailing-newline"
                                                 << "trailing-newline-removed";
            QTest::addRow("%s crlf lost", name) << name << crlf << crlf + "\r\n"
                                                << "body-trailing-newline"
                                                << "trailing-newline-added";
            QTest::addRow("%s bom added", name) << name << bom + lf << lf << "body-bom"
                                                << "bom-removed";
        }
        // Not JSON: Slack's form bodies get the same byte checks.
        const QByteArray form = "token=xyzz0&team_id=T1DC2JH3J&text=hello";
        QTest::newRow("slack form newline added") << "slack" << form + '\n'
                                                  << form << "body-trailing-newline"
                                                  << "trailing-newline-removed";
    }

    void bodyBytes()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, received);
        QFETCH(QByteArray, signedBody);
        QFETCH(QString, code);
        QFETCH(QString, variant);
        auto s = createBuiltinScheme(name);
        const QByteArray secret = s->name() == u"standard-webhooks" ? swSecret : dbtSecret;
        const Diagnosed diagnosed = diagnoseWith(*s, signWithSecret(*s, secret, signedBody), received, {secret});
        CHECK_CODES(diagnosed, code);
        QCOMPARE(diagnosed.first().variant, variant);
        QCOMPARE(diagnosed.first().variantBody, signedBody);
        QVERIFY(diagnosed.first().confirmed);
    }

    // ---- timestamp-outside-tolerance ----

    void timestamp_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<qint64>("skew");
        QTest::addColumn<QString>("says");
        QTest::newRow("stripe stale") << "stripe" << qint64(3600) << "is 3600 seconds old, outside the 300 seconds";
        QTest::newRow("standard webhooks future") << "standard-webhooks" << qint64(-400) << "400 seconds in the future";
        QTest::newRow("slack stale") << "slack" << qint64(301) << "301 seconds old";
    }

    void timestamp()
    {
        QFETCH(QString, name);
        QFETCH(qint64, skew);
        QFETCH(QString, says);
        auto s = createBuiltinScheme(name);
        const QByteArray secret = s->name() == u"standard-webhooks" ? swSecret : dbtSecret;
        const Diagnosed diagnosed
            = diagnoseWith(*s, signWithSecret(*s, secret, dbtBody), dbtBody, {secret}, signedAt + skew);
        CHECK_CODES(diagnosed, QStringLiteral("timestamp-outside-tolerance"));
        const DiagnosisFinding &f = diagnosed.first();
        QCOMPARE(f.skew, std::optional<qint64>(skew));
        QCOMPARE(f.timestamp, std::optional<qint64>(signedAt));
        QCOMPARE(f.tolerance, 300);
        QVERIFY2(f.message.contains(says), qPrintable(f.message));
    }

    void timestamp_followsAnotherCause()
    {
        // A stale delivery whose prefix is also wrong: both must be fixed, the prefix first.
        auto s = scheme("slack");
        HeaderList headers = signWithSecret(*s, dbtSecret, dbtBody);
        setHeader(headers, "X-Slack-Signature", headerValue(headers, "X-Slack-Signature").mid(3));
        const Diagnosed diagnosed = diagnoseWith(*s, headers, dbtBody, {dbtSecret}, signedAt + 7200);
        CHECK_CODES(diagnosed, QStringLiteral("prefix-mismatch"), QStringLiteral("timestamp-outside-tolerance"));
        QCOMPARE(diagnosed.findings.at(1).skew, std::optional<qint64>(7200));
    }

    void ranking_primaryCauseFirst()
    {
        // Standard Webhooks secret used as text and the MAC written in hex.
        auto s = scheme("standard-webhooks");
        const QByteArray mac = s->computeMac(swSecret, dbtBody, QByteArray::number(signedAt), messageId);
        HeaderList headers = signWithKey(*s, swSecret, dbtBody);
        setHeader(headers, "webhook-signature", "v1," + mac.toHex());
        CHECK_CODES(diagnoseWith(*s, headers, dbtBody, {swSecret}), QStringLiteral("secret-encoding"),
            QStringLiteral("encoding-mismatch"));
    }

    // ---- the API around it ----

    void preVerifiedRequests_giveTheSameFindings()
    {
        auto s = scheme("github");
        HeaderList headers = signWithSecret(*s, dbtSecret, dbtBody);
        setHeader(headers, "X-Hub-Signature-256", headerValue(headers, "X-Hub-Signature-256").mid(7));
        const QList<NamedSecret> secrets {{QStringLiteral("$GITHUB_SECRET"), dbtSecret}};
        SignatureDiagnosis diagnosis(*s);
        const VerificationResult verification = s->verify(headers, dbtBody, {dbtSecret}, at(signedAt));
        QCOMPARE(verification.verdict, Verdict::Invalid);
        const QList<DiagnosisFinding> a = diagnosis.diagnose(verification, headers, dbtBody, secrets, at(signedAt));
        const QList<DiagnosisFinding> b = diagnosis.diagnose(headers, dbtBody, secrets, at(signedAt));
        QCOMPARE(codesOf(a), QStringList {QStringLiteral("prefix-mismatch")});
        QCOMPARE(codesOf(b), codesOf(a));
        QCOMPARE(a.first().message, b.first().message);
    }

    void otherSchemes_canBeReplaced()
    {
        auto dbt = scheme("dbt-cloud");
        const HeaderList headers = signWithSecret(*scheme("github"), dbtSecret, dbtBody);
        SignatureDiagnosis diagnosis(*dbt);
        const QList<NamedSecret> secrets {{QStringLiteral("s"), dbtSecret}};
        QCOMPARE(codesOf(diagnosis.diagnose(headers, dbtBody, secrets, at(signedAt))),
            QStringList {QStringLiteral("other-scheme")});
        diagnosis.setOtherSchemes({});
        // Without GitHub to compare with, its header is just a signature in another header.
        QCOMPARE(codesOf(diagnosis.diagnose(headers, dbtBody, secrets, at(signedAt))),
            QStringList {QStringLiteral("missing-header")});
    }

    void bodyVariants_areSkipped_overTheSizeLimit()
    {
        auto s = scheme("dbt-cloud");
        const QByteArray lf = "{\n  \"a\": 1\n}";
        const QByteArray crlf = "{\r\n  \"a\": 1\r\n}";
        SignatureDiagnosis diagnosis(*s);
        DiagnosisLimits limits;
        limits.maxVariantBodySize = 8;
        diagnosis.setLimits(limits);
        const QList<DiagnosisFinding> findings = diagnosis.diagnose(
            signWithSecret(*s, dbtSecret, lf), crlf, {{QStringLiteral("s"), dbtSecret}}, at(signedAt));
        QCOMPARE(codesOf(findings), QStringList {QStringLiteral("wrong-secret")});
        QVERIFY2(findings.first().message.contains(u"body variants not tried"), qPrintable(findings.first().message));
    }

    void largeJson_sameFindings_withOneOrSeveralThreads()
    {
        // Over 64 KiB, JSON variants are spread over threads; the last common style matches.
        QByteArray body = "[";
        for (int i = 0; body.size() < 200 * 1024; ++i)
            body += "{\"z\": " + QByteArray::number(i) + ", \"a\": \"caf\xc3\xa9\"},";
        body.chop(1);
        body += ']';
        JsonReencoder document;
        QVERIFY(document.parse(body));
        const JsonStyle jqSorted = commonJsonStyles().last();
        QCOMPARE(jqSorted.id(), QStringLiteral("indent-2+sorted"));
        auto s = scheme("github");
        const HeaderList headers = signWithSecret(*s, dbtSecret, document.encode(jqSorted));
        QStringList messages;
        for (const int threads : {1, 2, 4}) {
            SignatureDiagnosis diagnosis(*s);
            DiagnosisLimits limits;
            limits.threads = threads;
            diagnosis.setLimits(limits);
            const QList<DiagnosisFinding> findings
                = diagnosis.diagnose(headers, body, {{QStringLiteral("s"), dbtSecret}}, at(signedAt));
            QCOMPARE(codesOf(findings), QStringList {QStringLiteral("body-reserialized")});
            QCOMPARE(findings.first().jsonStyle->id(), jqSorted.id());
            QCOMPARE(findings.first().variantBody, document.encode(jqSorted));
            messages << findings.first().message;
        }
        QCOMPARE(messages.at(0), messages.at(1));
        QCOMPARE(messages.at(0), messages.at(2));
    }

    void bigBinaryBody_isHandled()
    {
        auto s = scheme("shopify");
        QByteArray body(3 * 1024 * 1024, '\0');
        for (qsizetype i = 0; i < body.size(); ++i)
            body[i] = char((i * 7919) & 0xFF);
        const HeaderList headers = signWithSecret(*s, dbtSecret, body + "\r\n");
        CHECK_CODES(diagnoseWith(*s, headers, body, {dbtSecret}), QStringLiteral("body-trailing-newline"));
    }
};

QTEST_GUILESS_MAIN(TestSignatureDiagnosis)
#include "tst_signaturediagnosis.moc"
