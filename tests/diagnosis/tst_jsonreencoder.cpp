// The JSON re-encoder must write exactly what Python's json.dumps and JavaScript's
// JSON.stringify write after parsing the same document, or body-reserialized never matches a
// real re-encoding. Both interpreters are run here on the same documents and compared byte for
// byte; the rest checks what they can't show (number tokens kept, errors, limits).
#include "diagnosis/jsonreencoder.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTest>

using namespace hookbench;

namespace {

using L = JsonStyle::Layout;

// Numbers here are written the way Python and JavaScript print them, so the interpreters'
// own number formatting doesn't hide a difference in ours.
QList<QByteArray> documents()
{
    return {
        QByteArrayLiteral("{\"eventType\":\"job.run.completed\",\"accountId\":1,\"data\":{\"runId\":\"12345\","
                          "\"jobName\":\"Daily Job (dbt build)\",\"runStatus\":\"Success\",\"steps\":[1,2,3],"
                          "\"empty\":{},\"none\":[],\"ok\":true,\"err\":null,\"ratio\":0.5}}"),
        // Non-ASCII raw and escaped, an astral character, every escape, DEL, keys out of order.
        QByteArrayLiteral(
            "{\n  \"z\": \"caf\xc3\xa9 \xe2\x98\x95 \xf0\x9f\x9a\x80\",\n  \"a\": \"\\u00e9\\ud83d\\ude80\","
            "\n  \"esc\": \"q\\\" b\\\\ s\\/ n\\n t\\t r\\r b\\b f\\f c\\u0001 del\x7f \\u007f\",\n"
            "  \"\xc3\xa9\": [ -1, 2.25, 1e+100, { \"y\": null, \"b\": false } ]\n}\n"),
        // Key order by code point: ASCII, Latin-1, fullwidth, astral (UTF-16 order would differ).
        QByteArrayLiteral("{\"b\":1,\"a\":2,\"\xc3\xa9\":3,\"\xf0\x9f\x98\x80\":4,\"\xef\xbd\x9a\":5,\"A\":6}"),
        // A repeated key: parsers keep its first position and its last value.
        QByteArrayLiteral("{\"a\":1,\"b\":{\"x\":1,\"x\":2},\"a\":3}"),
        QByteArrayLiteral("[ \"top\", [[[]]], {\"k\": [{}, {\"n\": -0.125}]} ]"),
        QByteArrayLiteral("\"just a string \\u2028\""),
        QByteArrayLiteral("\xef\xbb\xbf{\"bom\": 1}"),
    };
}

QString interpreter(const QString &name)
{
    return QStandardPaths::findExecutable(name);
}

// Runs `script` with the documents on standard input (a JSON array of base64 strings); it
// prints a JSON array with, per document, an object from style id to the base64 of its output.
QJsonArray runInterpreter(const QString &program, const QStringList &arguments, const QList<QByteArray> &inputs)
{
    QJsonArray encoded;
    for (const QByteArray &input : inputs)
        encoded.append(QString::fromLatin1(input.toBase64()));
    QProcess process;
    process.start(program, arguments);
    if (!process.waitForStarted(10000))
        return {};
    process.write(QJsonDocument(encoded).toJson(QJsonDocument::Compact));
    process.closeWriteChannel();
    if (!process.waitForFinished(60000))
        return {};
    const QByteArray err = process.readAllStandardError();
    if (!err.isEmpty())
        qWarning("%s", err.constData());
    return QJsonDocument::fromJson(process.readAllStandardOutput()).array();
}

const char pythonScript[] = R"py(
import base64, json, sys
docs = json.load(sys.stdin)
out = []
for doc in docs:
    text = base64.b64decode(doc).decode('utf-8-sig')
    value = json.loads(text)
    results = {}
    for layout in ('compact', 'spaced', 'indent-2', 'indent-4'):
        for sort in (False, True):
            for ascii_ in (False, True):
                kwargs = {'sort_keys': sort, 'ensure_ascii': ascii_}
                if layout == 'compact':
                    kwargs['separators'] = (',', ':')
                elif layout.startswith('indent-'):
                    kwargs['indent'] = int(layout[7:])
                name = layout + ('+sorted' if sort else '') + ('+ascii' if ascii_ else '')
                results[name] = base64.b64encode(json.dumps(value, **kwargs).encode('utf-8')).decode()
    out.append(results)
print(json.dumps(out))
)py";

const char nodeScript[] = R"js(
let input = '';
process.stdin.on('data', (chunk) => input += chunk);
process.stdin.on('end', () => {
  const out = JSON.parse(input).map((doc) => {
    const text = Buffer.from(doc, 'base64').toString('utf8').replace(/^\uFEFF/, '');
    const value = JSON.parse(text);
    const b64 = (s) => Buffer.from(s, 'utf8').toString('base64');
    return {'compact': b64(JSON.stringify(value)), 'indent-2': b64(JSON.stringify(value, null, 2)),
            'indent-4': b64(JSON.stringify(value, null, 4))};
  });
  process.stdout.write(JSON.stringify(out));
});
)js";

JsonStyle styleFromId(const QString &id)
{
    JsonStyle style;
    const QString layout = id.section(u'+', 0, 0);
    if (layout == u"compact") {
        style.layout = L::Compact;
    } else if (layout == u"spaced") {
        style.layout = L::Spaced;
    } else {
        style.layout = L::Indented;
        style.indent = layout.mid(7).toInt();
    }
    style.sortKeys = id.contains(u"+sorted");
    style.escapeNonAscii = id.contains(u"+ascii");
    return style;
}

QByteArray encoded(const QByteArray &json, const JsonStyle &style)
{
    JsonReencoder document;
    QString error;
    if (!document.parse(json, &error))
        qWarning("parse failed: %s", qPrintable(error));
    return document.encode(style);
}

} // namespace

class TestJsonReencoder : public QObject
{
    Q_OBJECT

private:
    void compareWith(const QString &program, const QStringList &arguments, int expectedStyles)
    {
        QVERIFY2(!program.isEmpty(), "the interpreter is not installed (scripts/setup test installs it)");
        const QList<QByteArray> docs = documents();
        const QJsonArray results = runInterpreter(program, arguments, docs);
        QCOMPARE(results.size(), docs.size());
        int compared = 0;
        for (qsizetype i = 0; i < docs.size(); ++i) {
            JsonReencoder document;
            QString error;
            QVERIFY2(document.parse(docs.at(i), &error), qPrintable(error));
            const QJsonObject styles = results.at(i).toObject();
            QCOMPARE(styles.size(), expectedStyles);
            for (auto it = styles.begin(); it != styles.end(); ++it) {
                const QByteArray expected = QByteArray::fromBase64(it.value().toString().toLatin1());
                const QByteArray actual = document.encode(styleFromId(it.key()));
                QVERIFY2(actual == expected,
                    qPrintable(QStringLiteral("document %1, style %2:\n ours:   %3\n theirs: %4")
                                   .arg(i)
                                   .arg(it.key(), QString::fromUtf8(actual), QString::fromUtf8(expected))));
                ++compared;
            }
        }
        QCOMPARE(compared, docs.size() * expectedStyles);
    }

private slots:
    void matchesPythonJsonDumps_inEveryStyle()
    {
        compareWith(
            interpreter(QStringLiteral("python3")), {QStringLiteral("-c"), QString::fromUtf8(pythonScript)}, 16);
    }

    void matchesJavaScriptJsonStringify()
    {
        compareWith(interpreter(QStringLiteral("node")), {QStringLiteral("-e"), QString::fromUtf8(nodeScript)}, 3);
    }

    void numberTokens_areKeptAsWritten()
    {
        const QByteArray json("{\"a\":1.50,\"b\":3e10,\"c\":-0.0,\"d\":12345678901234567890123,\"e\":1E-7}");
        QCOMPARE(encoded(json, {L::Spaced, 0, true, true}),
            QByteArray("{\"a\": 1.50, \"b\": 3e10, \"c\": -0.0, \"d\": 12345678901234567890123, \"e\": 1E-7}"));
    }

    void duplicateKeys_canBeKept()
    {
        const QByteArray json("{\"b\":1,\"a\":2,\"b\":3}");
        JsonStyle keep;
        keep.keepDuplicateKeys = true;
        QCOMPARE(encoded(json, keep), json);
        keep.sortKeys = true; // stable: the two "b" keep their order
        QCOMPARE(encoded(json, keep), QByteArray("{\"a\":2,\"b\":1,\"b\":3}"));
        QCOMPARE(encoded(json, {}), QByteArray("{\"b\":3,\"a\":2}"));
        JsonReencoder document;
        QVERIFY(document.parse(json));
        QVERIFY(document.hasDuplicateKeys());
    }

    void loneSurrogates_stayEscaped()
    {
        const QByteArray json("[\"\\ud800x\", \"\\uDC00\"]");
        QCOMPARE(encoded(json, {}), QByteArray("[\"\\ud800x\",\"\\udc00\"]"));
        QCOMPARE(encoded(json, {L::Compact, 0, false, true}), QByteArray("[\"\\ud800x\",\"\\udc00\"]"));
    }

    void styleEquivalence_followsTheDocument()
    {
        JsonReencoder plain;
        QVERIFY(plain.parse("{\"a\":[1,{\"b\":\"x\",\"c\":\"y\"}]}"));
        QVERIFY(!plain.hasTextToEscape());
        QVERIFY(!plain.hasUnsortedKeys());
        const JsonStyle python {L::Spaced, 0, true, true};
        QCOMPARE(plain.simplest(python), (JsonStyle {L::Spaced, 0, false, false}));
        QCOMPARE(plain.encode(python), plain.encode(plain.simplest(python)));

        JsonReencoder rich;
        QVERIFY(rich.parse("{\"b\":\"\xc3\xa9\",\"a\":1}"));
        QVERIFY(rich.hasTextToEscape());
        QVERIFY(rich.hasUnsortedKeys());
        QCOMPARE(rich.simplest(python), python);
        QVERIFY(rich.encode(python) != rich.encode({L::Spaced, 0, false, false}));
    }

    void commonStyles_areDistinct_andDescribed()
    {
        const QList<JsonStyle> styles = commonJsonStyles();
        QCOMPARE(styles.size(), 12);
        QStringList ids;
        for (const JsonStyle &style : styles) {
            QVERIFY(!ids.contains(style.id()));
            ids << style.id();
            QVERIFY(!style.description().isEmpty());
        }
        QCOMPARE(styles.first().id(), QStringLiteral("compact"));
        QVERIFY(styles.first().description().contains(u"JSON.stringify(body)"));
        QCOMPARE(styles.at(1).id(), QStringLiteral("spaced+ascii"));
        QVERIFY(styles.at(1).description().contains(u"Python json.dumps()"));
        QVERIFY((JsonStyle {L::Indented, 2, true, false}).description().contains(u"jq -S"));
    }

    void invalidDocuments_areRejected_withThePosition_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("error");
        QTest::newRow("empty") << QByteArray() << "byte 0: unexpected end";
        QTest::newRow("trailing comma") << QByteArray("[1,]") << "byte 3: unexpected character";
        QTest::newRow("two values") << QByteArray("{} {}") << "byte 3: text after the JSON value";
        QTest::newRow("leading zero") << QByteArray("[01]") << "byte 2: expected ',' or ']'";
        QTest::newRow("bare fraction") << QByteArray("[1.]") << "byte 3: malformed number";
        QTest::newRow("bad escape") << QByteArray("[\"\\x\"]") << "byte 2: unknown escape";
        QTest::newRow("short unicode escape") << QByteArray("[\"\\u12\"]") << "byte 2: malformed \\u escape";
        QTest::newRow("raw newline in string") << QByteArray("[\"a\nb\"]") << "byte 3: control character in a string";
        QTest::newRow("invalid UTF-8") << QByteArray("[\"\xc3\x28\"]") << "byte 2: invalid UTF-8";
        QTest::newRow("UTF-8 surrogate") << QByteArray("[\"\xed\xa0\x80\"]") << "byte 2: invalid UTF-8";
        QTest::newRow("overlong") << QByteArray("[\"\xc0\xaf\"]") << "byte 2: invalid UTF-8";
        QTest::newRow("unterminated") << QByteArray("{\"a\":\"b") << "byte 7: unterminated string";
        QTest::newRow("key not a string") << QByteArray("{a:1}") << "byte 1: expected a key";
        QTest::newRow("form body") << QByteArray("token=abc&team_id=T1") << "byte 0: unexpected character";
    }

    void invalidDocuments_areRejected_withThePosition()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, error);
        JsonReencoder document;
        QString message;
        QVERIFY(!document.parse(json, &message));
        QCOMPARE(message, error);
        QVERIFY(!document.isParsed());
        QVERIFY(document.encode({}).isNull());
    }

    void nesting_isLimited()
    {
        const QByteArray deep = QByteArray(600, '[') + QByteArray(600, ']');
        JsonReencoder document;
        QString error;
        QVERIFY(!document.parse(deep, &error));
        QVERIFY2(error.contains(u"deeper than 512"), qPrintable(error));
        QVERIFY(document.parse(deep, &error, 1000));
        QCOMPARE(document.encode({}), deep);
        QCOMPARE(document.encode({L::Indented, 1, false, false}).count('\n'), 1198);
    }

    void largeDocument_roundTripsCompact()
    {
        QByteArray json = "[";
        for (int i = 0; i < 50000; ++i)
            json += "{\"id\":" + QByteArray::number(i) + ",\"name\":\"n\xc3\xa9" + QByteArray::number(i) + "\"},";
        json.chop(1);
        json += ']';
        JsonReencoder document;
        QVERIFY(document.parse(json));
        QCOMPARE(document.encode({}), json);
        const QByteArray pretty = document.encode({L::Indented, 4, false, false});
        JsonReencoder again;
        QVERIFY(again.parse(pretty));
        QCOMPARE(again.encode({}), json);
    }
};

QTEST_GUILESS_MAIN(TestJsonReencoder)
#include "tst_jsonreencoder.moc"
