#include "diagnosis/signaturetokens.h"
#include "signing/hmac.h"

#include <QTest>

using namespace hookbench;

namespace {

const QByteArray mac = hmac(MacAlgorithm::Sha256, "k", {"body"});
const QByteArray hex = mac.toHex();
const QByteArray base64 = mac.toBase64();

// A MAC whose base64 has '+' or '/', so that its base64url form differs.
QByteArray macWithBase64Symbols()
{
    for (int i = 0;; ++i) {
        const QByteArray candidate = hmac(MacAlgorithm::Sha256, "k", {QByteArray::number(i)});
        if (candidate.toBase64().contains('+') || candidate.toBase64().contains('/'))
            return candidate;
    }
}

} // namespace

class TestSignatureTokens : public QObject
{
    Q_OBJECT

private slots:
    void findsTheMac_withItsPrefixAndEncoding_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<QByteArray>("prefix");
        QTest::addColumn<bool>("isHex");
        QTest::addColumn<bool>("upper");

        QTest::newRow("bare hex") << hex << QByteArray() << true << false;
        QTest::newRow("upper hex") << hex.toUpper() << QByteArray() << true << true;
        QTest::newRow("github") << "sha256=" + hex << QByteArray("sha256=") << true << false;
        QTest::newRow("bearer") << "Bearer " + hex << QByteArray("Bearer ") << true << false;
        QTest::newRow("slack") << "v0=" + hex << QByteArray("v0=") << true << false;
        QTest::newRow("stripe") << "t=1700000000,v1=" + hex << QByteArray("v1=") << true << false;
        QTest::newRow("stripe spaced") << "t=1700000000, v1=" + hex << QByteArray("v1=") << true << false;
        QTest::newRow("stripe without v1") << "t=1700000000," + hex << QByteArray() << true << false;
        QTest::newRow("standard webhooks") << "v1," + base64 << QByteArray("v1,") << false << false;
        QTest::newRow("shopify") << base64 << QByteArray() << false << false;
        QTest::newRow("base64 unpadded") << base64.chopped(1) << QByteArray() << false << false;
        QTest::newRow("standard webhooks as v1=") << "v1=" + base64 << QByteArray("v1=") << false << false;
    }

    void findsTheMac_withItsPrefixAndEncoding()
    {
        QFETCH(QByteArray, value);
        QFETCH(QByteArray, prefix);
        QFETCH(bool, isHex);
        QFETCH(bool, upper);
        const QList<SignatureToken> tokens = findSignatureTokens("X-Sig", value, 32);
        QCOMPARE(tokens.size(), 1);
        const SignatureToken &token = tokens.first();
        QCOMPARE(token.mac, mac);
        QCOMPARE(token.prefix, prefix);
        QCOMPARE(token.encoding, isHex ? SignatureEncoding::Hex : SignatureEncoding::Base64);
        QCOMPARE(token.upperCaseHex, upper);
        QCOMPARE(token.header, QByteArray("X-Sig"));
        QVERIFY(value.contains(token.text));
    }

    void listsEveryEntry_ofARotationList()
    {
        const QByteArray other = hmac(MacAlgorithm::Sha256, "k2", {"body"});
        const QList<SignatureToken> tokens
            = findSignatureTokens("webhook-signature", "v1a,xyz v1," + base64 + " v1," + other.toBase64(), 32);
        QCOMPARE(tokens.size(), 2);
        QCOMPARE(tokens.at(0).mac, mac);
        QCOMPARE(tokens.at(1).mac, other);
        QCOMPARE(tokens.at(1).prefix, QByteArray("v1,"));
    }

    void readsBase64Url()
    {
        const QByteArray symbols = macWithBase64Symbols();
        const QByteArray url = symbols.toBase64(QByteArray::Base64UrlEncoding);
        const QList<SignatureToken> tokens = findSignatureTokens("X-Sig", url, 32);
        QCOMPARE(tokens.size(), 1);
        QCOMPARE(tokens.first().mac, symbols);
        QVERIFY(tokens.first().base64Url);
    }

    void ignoresWhatIsNotMacSized()
    {
        QVERIFY(findSignatureTokens("X", hex.left(63), 32).isEmpty());
        QVERIFY(findSignatureTokens("X", "t=1700000000,v1=abc", 32).isEmpty());
        QVERIFY(findSignatureTokens("X", "application/json; charset=utf-8", 32).isEmpty());
        QVERIFY(findSignatureTokens("X", hex, 20).isEmpty()); // a SHA-256 MAC is not a SHA-1 one
        QCOMPARE(findSignatureTokens("X", hmac(MacAlgorithm::Sha1, "k", {"b"}).toHex(), 20).size(), 1);
    }

    void describesCredentials_withoutShowingThem_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<QString>("description");
        // {"alg":"RS256","typ":"JWT"} . {"sub":"1"} . signature
        const QByteArray jwt = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl";
        QTest::newRow("bearer jwt") << "Bearer " + jwt << "a Bearer JWT (alg RS256)";
        QTest::newRow("bare jwt") << jwt << "a JWT (alg RS256)";
        QTest::newRow("bearer token") << QByteArray("Bearer dbtc_abc123def456") << "a Bearer token";
        QTest::newRow("lower-case bearer") << QByteArray("bearer abc") << "a Bearer token";
        QTest::newRow("basic") << QByteArray("Basic dXNlcjpwYXNz") << "Basic credentials";
        QTest::newRow("token") << QByteArray("Token abc") << "a Token credential";
        QTest::newRow("hex signature") << hex << QString();
        QTest::newRow("github signature") << "sha256=" + hex << QString();
        QTest::newRow("three dots that are not a jwt") << QByteArray("a.b.c") << QString();
    }

    void describesCredentials_withoutShowingThem()
    {
        QFETCH(QByteArray, value);
        QFETCH(QString, description);
        const QString described = describeCredential(value);
        QCOMPARE(described, description);
        // The description never quotes the credential.
        if (!described.isEmpty())
            QVERIFY(!described.contains(QString::fromLatin1(value.right(10))));
    }
};

QTEST_GUILESS_MAIN(TestSignatureTokens)
#include "tst_signaturetokens.moc"
