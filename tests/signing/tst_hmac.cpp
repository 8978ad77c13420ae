#include "signing/encoding.h"
#include "signing/hmac.h"

#include <QTest>
#include <QThread>

using namespace hookbench;

class TestHmac : public QObject
{
    Q_OBJECT

private slots:
    // RFC 4231 test case 2 and RFC 2202 test case 2 ("Jefe").
    void rfcVectors()
    {
        const QByteArray data("what do ya want for nothing?");
        QCOMPARE(hmac(MacAlgorithm::Sha256, "Jefe", {data}).toHex(),
            QByteArray("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"));
        QCOMPARE(hmac(MacAlgorithm::Sha512, "Jefe", {data}).toHex(),
            QByteArray("164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6f"
                       "dcaeab1a3"
                       "4d4a6b4b636e070a38bce737"));
        QCOMPARE(
            hmac(MacAlgorithm::Sha1, "Jefe", {data}).toHex(), QByteArray("effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"));
    }

    void parts_areConcatenated()
    {
        const QByteArray whole = hmac(MacAlgorithm::Sha256, "k", {"abc.def"});
        QCOMPARE(hmac(MacAlgorithm::Sha256, "k", {"abc", ".", "def"}), whole);
        QCOMPARE(hmac(MacAlgorithm::Sha256, "k", {"", "abc.def", ""}), whole);
    }

    void keyChanges_betweenCalls_areHonoured()
    {
        // The context is reused per thread: a second key must not inherit the first.
        const QByteArray a = hmac(MacAlgorithm::Sha256, "key-a", {"body"});
        const QByteArray b = hmac(MacAlgorithm::Sha256, "key-b", {"body"});
        QVERIFY(a != b);
        QCOMPARE(hmac(MacAlgorithm::Sha256, "key-a", {"body"}), a);
    }

    void emptyKey_isALegalKey()
    {
        // openssl dgst -sha256 -mac HMAC -macopt hexkey: <<< "" (empty key, empty data)
        QCOMPARE(hmac(MacAlgorithm::Sha256, "", {""}).toHex(),
            QByteArray("b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad"));
        QVERIFY(hmac(MacAlgorithm::Sha256, "", {"x"}) != hmac(MacAlgorithm::Sha256, "k", {"x"}));
    }

    void stream_matchesOneShot_andForksPartWay()
    {
        const QByteArray data("what do ya want for nothing?");
        HmacStream stream(MacAlgorithm::Sha256, "Jefe");
        QVERIFY(stream.isValid());
        stream.update(data.left(10));
        HmacStream fork = stream; // shares the first 10 bytes
        stream.update(data.mid(10));
        QCOMPARE(
            stream.result().toHex(), QByteArray("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"));
        // result() leaves the stream usable, and the fork is independent of what followed.
        QCOMPARE(stream.result(), hmac(MacAlgorithm::Sha256, "Jefe", {data}));
        stream.update("\n");
        QCOMPARE(stream.result(), hmac(MacAlgorithm::Sha256, "Jefe", {data, "\n"}));
        QCOMPARE(fork.result(), hmac(MacAlgorithm::Sha256, "Jefe", {data.left(10)}));
        fork.update("X");
        QCOMPARE(fork.result(), hmac(MacAlgorithm::Sha256, "Jefe", {data.left(10), "X"}));

        HmacStream sha1(MacAlgorithm::Sha1, "Jefe");
        sha1.update(data);
        QCOMPARE(sha1.result().toHex(), QByteArray("effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"));
        HmacStream empty(MacAlgorithm::Sha256, "");
        QCOMPARE(
            empty.result().toHex(), QByteArray("b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad"));
        HmacStream assigned = empty;
        assigned = sha1;
        QCOMPARE(assigned.result(), sha1.result());
    }

    void worksOnOtherThreads()
    {
        QByteArray fromThread;
        QThread *thread = QThread::create(
            [&] { fromThread = hmac(MacAlgorithm::Sha256, "Jefe", {"what do ya want for nothing?"}); });
        thread->start();
        QVERIFY(thread->wait(10000));
        delete thread;
        QCOMPARE(fromThread.toHex(), QByteArray("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"));
    }

    void constantTimeEquals_comparesBytesAndLengths()
    {
        QVERIFY(constantTimeEquals("abc", "abc"));
        QVERIFY(!constantTimeEquals("abc", "abd"));
        QVERIFY(!constantTimeEquals("abc", "abcd"));
        QVERIFY(constantTimeEquals("", ""));
    }

    void strictHex_rejectsWhatFromHexSkips()
    {
        QCOMPARE(decodeHexStrict("00ffAB"), std::optional<QByteArray>(QByteArray("\x00\xff\xab", 3)));
        QVERIFY(!decodeHexStrict("0g"));
        QVERIFY(!decodeHexStrict("abc"));
        QVERIFY(!decodeHexStrict(""));
        QVERIFY(!decodeHexStrict("ab cd"));
    }

    void strictBase64_rejectsGarbage()
    {
        QCOMPARE(decodeBase64Strict("aGVsbG8="), std::optional<QByteArray>("hello"));
        QVERIFY(!decodeBase64Strict("aGVs*G8="));
        QVERIFY(!decodeBase64Strict(""));
    }
};

QTEST_GUILESS_MAIN(TestHmac)
#include "tst_hmac.moc"
