#include "dbt/compactjsonwriter.h"
#include "dbt/dbtevent.h"
#include "dbt/ksuid.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTest>

using namespace hookbench;

class TestDbtEvent : public QObject
{
    Q_OBJECT

private slots:
    void time_parsesRfc3339_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("seconds");
        QTest::addColumn<int>("nanosecond");
        // 2023-01-31T19:28:15Z is 1675193295.
        QTest::newRow("nanoseconds") << "2023-01-31T19:28:15.742843678Z" << qint64(1675193295) << 742843678;
        QTest::newRow("seconds only") << "2023-01-31T19:28:15Z" << qint64(1675193295) << 0;
        QTest::newRow("one digit") << "2023-01-31T19:28:15.7Z" << qint64(1675193295) << 700000000;
        QTest::newRow("microseconds") << "2023-01-31T19:28:15.000001Z" << qint64(1675193295) << 1000;
        QTest::newRow("lower case t and z") << "2023-01-31t19:28:15z" << qint64(1675193295) << 0;
        QTest::newRow("positive offset") << "2023-01-31T21:28:15.5+02:00" << qint64(1675193295) << 500000000;
        QTest::newRow("negative offset") << "2023-01-31T14:58:15-04:30" << qint64(1675193295) << 0;
        QTest::newRow("epoch") << "1970-01-01T00:00:00Z" << qint64(0) << 0;
        QTest::newRow("leap day") << "2024-02-29T00:00:00Z" << qint64(1709164800) << 0;
        QTest::newRow("before 1970") << "1969-12-31T23:59:59.999999999Z" << qint64(-1) << 999999999;
    }

    void time_parsesRfc3339()
    {
        QFETCH(QString, text);
        QFETCH(qint64, seconds);
        QFETCH(int, nanosecond);
        const DbtTime time = DbtTime::parse(text);
        QVERIFY(time.isValid());
        QVERIFY(!time.isNull());
        QCOMPARE(time.text(), text);
        QCOMPARE(time.secondsSinceEpoch(), seconds);
        QCOMPARE(time.nanosecond(), nanosecond);
        QCOMPARE(time.utc().toMSecsSinceEpoch(), seconds * 1000 + nanosecond / 1000000);
        QCOMPARE(time.utc().timeSpec(), Qt::UTC);
    }

    void time_refusesOtherShapes_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("empty") << "";
        QTest::newRow("date only") << "2023-01-31";
        QTest::newRow("space separator") << "2023-01-31 19:28:15Z";
        QTest::newRow("no zone") << "2023-01-31T19:28:15";
        QTest::newRow("ten fraction digits") << "2023-01-31T19:28:15.1234567890Z";
        QTest::newRow("empty fraction") << "2023-01-31T19:28:15.Z";
        QTest::newRow("month 13") << "2023-13-01T00:00:00Z";
        QTest::newRow("30 February") << "2024-02-30T00:00:00Z";
        QTest::newRow("hour 24") << "2023-01-31T24:00:00Z";
        QTest::newRow("leap second") << "2016-12-31T23:59:60Z";
        QTest::newRow("short offset") << "2023-01-31T19:28:15+0200";
        QTest::newRow("trailing text") << "2023-01-31T19:28:15Z ";
        QTest::newRow("unix seconds") << "1675193295";
        QTest::newRow("full-width digits") << QStringLiteral("２０２３-01-31T19:28:15Z");
    }

    void time_refusesOtherShapes()
    {
        QFETCH(QString, text);
        const DbtTime time = DbtTime::parse(text);
        QVERIFY(!time.isValid());
        QVERIFY(!time.isNull()); // present, but not a time
        QCOMPARE(time.text(), text);
        QVERIFY(!time.utc().isValid());
    }

    void time_ordersByValueDownToTheNanosecond()
    {
        const DbtTime a = DbtTime::parse(QStringLiteral("2023-01-31T19:28:15.742843678Z"));
        const DbtTime b = DbtTime::parse(QStringLiteral("2023-01-31T19:28:15.742843679Z"));
        const DbtTime sameAsA = DbtTime::parse(QStringLiteral("2023-01-31T20:28:15.742843678+01:00"));
        QVERIFY(a < b);
        QCOMPARE(a.utc(), b.utc()); // QDateTime alone can't tell them apart
        QVERIFY(a == sameAsA);
        QCOMPARE(a.nanosecondsTo(b), 1);
        QCOMPARE(b.nanosecondsTo(a), -1);
        QVERIFY(DbtTime() < a); // absent sorts first
        QVERIFY(DbtTime::parse(QStringLiteral("garbage")) < a);
    }

    void time_fromUnixWritesDbtsForm()
    {
        QCOMPARE(DbtTime::fromUnix(1675193295, 742843678).text(), QStringLiteral("2023-01-31T19:28:15.742843678Z"));
        QCOMPARE(DbtTime::fromUnix(1675193295, 42).text(), QStringLiteral("2023-01-31T19:28:15.000000042Z"));
        QCOMPARE(DbtTime::fromUnix(1675193287, 0, 0).text(), QStringLiteral("2023-01-31T19:28:07Z"));
        const DbtTime written = DbtTime::fromUnix(1675193295, 5);
        QCOMPARE(DbtTime::parse(written.text()), written);
        QCOMPARE(written.addSecs(80).text(), QStringLiteral("2023-01-31T19:29:35.000000005Z"));
    }

    void eventId_wellFormed_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<bool>("wellFormed");
        QTest::newRow("documented") << "wev_2L6Z3l8uPedXKPq9D2nWbPIip7Z" << true;
        QTest::newRow("26") << "wev_2L6Z3l8uPedXKPq9D2nWbPIip7" << false;
        QTest::newRow("28") << "wev_2L6Z3l8uPedXKPq9D2nWbPIip7ZZ" << false;
        QTest::newRow("prefix case") << "WEV_2L6Z3l8uPedXKPq9D2nWbPIip7Z" << false;
        QTest::newRow("underscore") << "wev_2L6Z3l8uPedXKPq9D2nWbPI_p7Z" << false;
        QTest::newRow("accented letter") << QStringLiteral("wev_2L6Z3l8uPedXKPq9D2nWbPIip7é") << false;
        QTest::newRow("empty") << "" << false;
    }

    void eventId_wellFormed()
    {
        QFETCH(QString, id);
        QFETCH(bool, wellFormed);
        QCOMPARE(isWellFormedDbtEventId(id), wellFormed);
    }

    // dbt's event ids are KSUIDs whose time is the event's timestamp (to the second).
    void ksuid_decodesDocumentedEventIds_data()
    {
        QTest::addColumn<QString>("ksuid");
        QTest::addColumn<QString>("timestamp");
        QTest::newRow("started") << "2L6Z3l8uPedXKPq9D2nWbPIip7Z"
                                 << "2023-01-31T19:28:15.742843678Z";
        QTest::newRow("completed") << "2L6ZDoilyiWzKkSA59Gmc2d7FDD"
                                   << "2023-01-31T19:29:35.789265936Z";
        QTest::newRow("errored") << "2L6m5BggBw9uPNuSmtg4MUiW4Re"
                                 << "2023-01-31T21:15:20.419714619Z";
    }

    void ksuid_decodesDocumentedEventIds()
    {
        QFETCH(QString, ksuid);
        QFETCH(QString, timestamp);
        const auto parsed = Ksuid::parse(ksuid);
        QVERIFY(parsed);
        QCOMPARE(parsed->unixSeconds(), DbtTime::parse(timestamp).secondsSinceEpoch());
        QCOMPARE(parsed->toString(), ksuid);
    }

    void ksuid_knownValuesAndLimits()
    {
        std::array<quint8, 16> zeros {};
        QCOMPARE(Ksuid::fromParts(0, zeros).toString(), QStringLiteral("000000000000000000000000000"));
        std::array<quint8, 16> ones;
        ones.fill(0xff);
        QCOMPARE(Ksuid::fromParts(0xffffffff, ones).toString(), QStringLiteral("aWgEPTl1tmebfsQzFP4bxwgy80V"));
        QVERIFY(Ksuid::parse(u"aWgEPTl1tmebfsQzFP4bxwgy80V"));
        QVERIFY(!Ksuid::parse(u"aWgEPTl1tmebfsQzFP4bxwgy80W")); // one above the largest
        QVERIFY(!Ksuid::parse(u"2L6Z3l8uPedXKPq9D2nWbPIip7")); // 26
        QVERIFY(!Ksuid::parse(u"2L6Z3l8uPedXKPq9D2nWbPIip7-"));
    }

    void ksuid_generateIsFreshAndCarriesTheTime()
    {
        QSet<QString> seen;
        const qint64 when = 1675193295;
        for (int i = 0; i < 2000; ++i) {
            const Ksuid ksuid = Ksuid::generate(when);
            const QString text = ksuid.toString();
            QCOMPARE(text.size(), 27);
            QCOMPARE(ksuid.unixSeconds(), when);
            QVERIFY(isWellFormedDbtEventId(QString(QStringLiteral("wev_") + text)));
            QVERIFY2(!seen.contains(text), qPrintable(text));
            seen.insert(text);
        }
        // Same second, random payload: the ids share the time prefix only.
        QVERIFY(Ksuid::generate(when).toString().startsWith(QStringLiteral("2L6Z")));
    }

    void writer_escapesAndRoundTrips_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("plain") << "Daily Job (dbt build)" << QByteArray("\"Daily Job (dbt build)\"");
        QTest::newRow("quote and backslash") << "say \"hi\" \\o/" << QByteArray("\"say \\\"hi\\\" \\\\o/\"");
        QTest::newRow("slash kept") << "a/b" << QByteArray("\"a/b\"");
        QTest::newRow("short escapes") << "\b\f\n\r\t" << QByteArray(R"("\b\f\n\r\t")");
        QTest::newRow("other controls") << QString(QChar(0)) + QChar(0x1f) + QChar(0x7f)
                                        << QByteArray("\"\\u0000\\u001f\x7f\"");
        QTest::newRow("utf-8") << QStringLiteral("Zürich ☃ 🚀")
                               << QByteArray("\"Z\xc3\xbcrich \xe2\x98\x83 \xf0\x9f\x9a\x80\"");
        QTest::newRow("lone high surrogate") << QString(QChar(0xd83d)) + QLatin1Char('x') << QByteArray(R"("\ud83dx")");
        QTest::newRow("lone low surrogate") << QString(QChar(0xde80)) << QByteArray(R"("\ude80")");
        QTest::newRow("line separator") << QString(QChar(0x2028)) << QByteArray("\"\xe2\x80\xa8\"");
        QTest::newRow("empty") << "" << QByteArray("\"\"");
    }

    void writer_escapesAndRoundTrips()
    {
        QFETCH(QString, value);
        QFETCH(QByteArray, json);
        QCOMPARE(CompactJsonWriter::quote(value), json);

        CompactJsonWriter writer;
        writer.beginObject();
        writer.key(u"v");
        writer.string(value);
        writer.key(u"n");
        writer.integer(-42);
        writer.endObject();
        QCOMPARE(writer.bytes(), "{\"v\":" + json + ",\"n\":-42}");
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(writer.bytes(), &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
        const bool hasLoneSurrogate = std::any_of(value.cbegin(), value.cend(), [](QChar c) { return c.isSurrogate(); })
            && !value.contains(QStringLiteral("🚀"));
        if (!hasLoneSurrogate) // Qt decodes a lone surrogate escape to U+FFFD
            QCOMPARE(document.object().value(QStringLiteral("v")).toString(), value);
        QCOMPARE(document.object().value(QStringLiteral("n")).toInteger(), -42);
    }

    void writer_keepsKeyOrderAndNests()
    {
        CompactJsonWriter writer;
        writer.beginObject();
        writer.key(u"z");
        writer.integer(1);
        writer.key(u"a");
        writer.beginObject();
        writer.key(u"y");
        writer.string(u"x");
        writer.key(u"b");
        writer.beginObject();
        writer.endObject();
        writer.endObject();
        writer.key(u"m");
        writer.integer(9007199254740993LL);
        writer.endObject();
        QCOMPARE(writer.bytes(), QByteArray(R"({"z":1,"a":{"y":"x","b":{}},"m":9007199254740993})"));
    }
};

QTEST_GUILESS_MAIN(TestDbtEvent)
#include "tst_dbtevent.moc"
