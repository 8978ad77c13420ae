#include "models/jsontext.h"

#include <QJsonDocument>
#include <QTest>

using namespace hookbench;

class TestJsonText : public QObject
{
    Q_OBJECT

private slots:
    void pretty_reindentsWithoutTouchingTokens_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("expected");

        QTest::newRow("dbt compact")
            << QByteArray(R"({"accountId":1,"eventType":"job.run.started","data":{"runId":"12345","runStatusCode":3}})")
            << QStringLiteral("{\n  \"accountId\": 1,\n  \"eventType\": \"job.run.started\",\n  \"data\": {\n"
                              "    \"runId\": \"12345\",\n    \"runStatusCode\": 3\n  }\n}");
        QTest::newRow("key order, duplicates and number spelling kept") << QByteArray(
            R"({"z":1.10,"a":1e3,"z":-0.0})") << QStringLiteral("{\n  \"z\": 1.10,\n  \"a\": 1e3,\n  \"z\": -0.0\n}");
        QTest::newRow("escapes kept") << QByteArray("[\"\\u00e9\\n\\\"\\/\",  \"caf\xc3\xa9\"]")
                                      << QStringLiteral("[\n  \"\\u00e9\\n\\\"\\/\",\n  \"caf\u00e9\"\n]");
        QTest::newRow("empty containers stay on one line")
            << QByteArray(" { \"a\" : [ ] , \"b\" : { } } \n") << QStringLiteral("{\n  \"a\": [],\n  \"b\": {}\n}");
        QTest::newRow("scalar at the top") << QByteArray(" true ") << QStringLiteral("true");
        QTest::newRow("nested arrays") << QByteArray(
            "[[1,2],[null,false]]") << QStringLiteral("[\n  [\n    1,\n    2\n  ],\n  [\n    null,\n    false\n  ]\n]");
    }
    void pretty_reindentsWithoutTouchingTokens()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, expected);
        const JsonPretty pretty = JsonText::pretty(body);
        QVERIFY2(!pretty.error, pretty.error ? qPrintable(pretty.error->describe()) : "");
        QCOMPARE(pretty.text, expected);
        QVERIFY(!pretty.truncated);
        // Same document: QJsonDocument reads both to the same value (it is only used to compare).
        if (!body.contains("\"z\""))
            QCOMPARE(QJsonDocument::fromJson(pretty.text.toUtf8()), QJsonDocument::fromJson(body));
    }

    void errors_sayWhereAndWhat_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<qsizetype>("offset");
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("message");

        QTest::newRow("missing colon") << QByteArray("{\n  \"a\" 1\n}") << qsizetype(8) << 2 << 7
                                       << QStringLiteral("expected ':' after the key");
        QTest::newRow("trailing comma") << QByteArray(R"({"a":1,})") << qsizetype(7) << 1 << 8
                                        << QStringLiteral("expected a key in double quotes");
        QTest::newRow("column counts characters")
            << QByteArray("{\"\xc3\xa9\xc3\xa9\":x}") << qsizetype(8) << 1 << 7 << QStringLiteral("expected a value");
        QTest::newRow("unclosed string") << QByteArray("[\"abc") << qsizetype(1) << 1 << 2
                                         << QStringLiteral("never closed");
        QTest::newRow("truncated object")
            << QByteArray(R"({"a":{"b":1})") << qsizetype(12) << 1 << 13 << QStringLiteral("the body ends");
        QTest::newRow("trailing data") << QByteArray("{} {}") << qsizetype(3) << 1 << 4
                                       << QStringLiteral("unexpected data after the end");
        QTest::newRow("raw newline in string")
            << QByteArray("[\"a\nb\"]") << qsizetype(3) << 1 << 4 << QStringLiteral("control character 0x0a");
        QTest::newRow("invalid utf-8") << QByteArray("[\"\xff\"]") << qsizetype(2) << 1 << 3
                                       << QStringLiteral("invalid UTF-8 byte 0xff");
        QTest::newRow("leading zero") << QByteArray("[01]") << qsizetype(2) << 1 << 3 << QStringLiteral("leading zero");
        QTest::newRow("bad escape") << QByteArray("[\"\\x\"]") << qsizetype(3) << 1 << 4
                                    << QStringLiteral("unknown escape \\x");
        QTest::newRow("bom") << QByteArray("\xef\xbb\xbf{}") << qsizetype(0) << 1 << 1
                             << QStringLiteral("byte order mark");
        QTest::newRow("single quotes") << QByteArray("{'a':1}") << qsizetype(1) << 1 << 2
                                       << QStringLiteral("found '''");
        QTest::newRow("empty") << QByteArray("  ") << qsizetype(2) << 1 << 3 << QStringLiteral("the body is empty");
        QTest::newRow("misspelled literal")
            << QByteArray("[tru]") << qsizetype(4) << 1 << 5 << QStringLiteral("expected \"true\"");
    }
    void errors_sayWhereAndWhat()
    {
        QFETCH(QByteArray, body);
        QFETCH(qsizetype, offset);
        QFETCH(int, line);
        QFETCH(int, column);
        QFETCH(QString, message);
        const std::optional<JsonError> error = JsonText::validate(body);
        QVERIFY(error);
        QCOMPARE(error->offset, offset);
        QCOMPARE(error->line, line);
        QCOMPARE(error->column, column);
        QVERIFY2(error->message.contains(message), qPrintable(error->message));
        QVERIFY(error->describe().startsWith(
            QStringLiteral("line %1, column %2 (byte %3)").arg(line).arg(column).arg(offset)));
        QVERIFY(JsonText::pretty(body).error);
    }

    void deepNesting_isHandledWithoutRecursion()
    {
        const QByteArray open(1000000, '[');
        const QByteArray close(1000000, ']');
        QVERIFY(!JsonText::validate(QByteArray(open + close)));
        const std::optional<JsonError> error = JsonText::validate(open);
        QVERIFY(error);
        QCOMPARE(error->offset, qsizetype(1000000));
        // The pretty text of a deep document is huge (indentation): it stops at the limit.
        const JsonPretty pretty = JsonText::pretty(QByteArray(open + close), 2, 1024 * 1024);
        QVERIFY(!pretty.error);
        QVERIFY(pretty.truncated);
        QVERIFY(pretty.text.toUtf8().size() <= 1024 * 1024);
    }

    void truncation_stillValidatesTheWholeBody()
    {
        QByteArray body = "[";
        for (int i = 0; i < 10000; ++i)
            body += "\"item\",";
        body += "oops]";
        const JsonPretty pretty = JsonText::pretty(body, 2, 100);
        QVERIFY(pretty.error);
        QCOMPARE(pretty.error->offset, body.size() - 5);
    }

    void looksLikeJson_onlyForObjectsAndArrays()
    {
        QVERIFY(JsonText::looksLikeJson(" \n{\"a\":1}"));
        QVERIFY(JsonText::looksLikeJson("[1"));
        QVERIFY(JsonText::looksLikeJson("\xef\xbb\xbf{}"));
        QVERIFY(!JsonText::looksLikeJson("token=abc&x=1"));
        QVERIFY(!JsonText::looksLikeJson("42"));
        QVERIFY(!JsonText::looksLikeJson(""));
    }
};

QTEST_GUILESS_MAIN(TestJsonText)
#include "tst_jsontext.moc"
