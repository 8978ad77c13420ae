#include "documentedsamples.h"

#include "dbt/jsonreader.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace hookbench;
using namespace hookbench::testing;

namespace {

QByteArray utf8(const char *text)
{
    return QByteArray(text);
}

// Random edits of valid JSON: most results are invalid in interesting ways, some stay valid.
QByteArray mutated(QByteArray text, QRandomGenerator &random)
{
    static const QList<QByteArray> pieces {"{", "}", "[", "]", ":", ",", "\"", "\\", " ", "\t", "\n", "0", "1", "9",
        "-", "+", ".", "e", "E", "a", "b", "f", "n", "r", "t", "u", "/", "x", "null", "true", "false", "\\u00e9",
        "\\ud83d\\ude80", "\\ud800", "\x01", "\x1f", "\x7f", "\xc3\xa9", "\xe2\x98\x83", "\xff", "\xc3", "01", "1.",
        ".5", "1e5", "-0", "[]", "{}", "\"\"", "\"k\":1"};
    const int edits = 1 + int(random.bounded(3));
    for (int edit = 0; edit < edits && !text.isEmpty(); ++edit) {
        const qsizetype at = random.bounded(text.size());
        const QByteArray &piece = pieces.at(random.bounded(pieces.size()));
        switch (random.bounded(5)) {
        case 0:
            text.remove(at, 1 + random.bounded(3));
            break;
        case 1:
            text.insert(at, piece);
            break;
        case 2:
            text.replace(at, 1, piece);
            break;
        case 3:
            text.truncate(at);
            break;
        default: {
            const qsizetype length = random.bounded(std::min<qsizetype>(40, text.size() - at)) + 1;
            text.insert(at, text.mid(at, length));
            break;
        }
        }
    }
    return text;
}

// UTF-8 that keeps lone surrogates (Python's "surrogatepass"), so both sides print the same.
QByteArray surrogatePassUtf8(const QString &text)
{
    QByteArray out;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t unit = text.at(i).unicode();
        const bool pair = QChar::isHighSurrogate(unit) && i + 1 < text.size() && text.at(i + 1).isLowSurrogate();
        if (QChar::isSurrogate(unit) && !pair) {
            out += char(0xe0 | (unit >> 12));
            out += char(0x80 | ((unit >> 6) & 0x3f));
            out += char(0x80 | (unit & 0x3f));
            continue;
        }
        out += QStringView(text).sliced(i, pair ? 2 : 1).toUtf8();
        i += pair ? 1 : 0;
    }
    return out;
}

// What the reader makes of a text, in the words the Python side prints.
QByteArray describe(const QByteArray &text)
{
    const JsonParseResult result = JsonReader::parse(text, 1);
    if (!result.ok)
        return "invalid";
    switch (result.root.kind) {
    case JsonKind::Object: {
        QSet<QByteArray> keys;
        for (const JsonNode &member : result.root.children)
            keys.insert(surrogatePassUtf8(member.keyText()).toHex());
        QList<QByteArray> sorted(keys.cbegin(), keys.cend());
        std::sort(sorted.begin(), sorted.end());
        return "object " + sorted.join(',');
    }
    case JsonKind::Array:
        return "array " + QByteArray::number(result.root.children.size());
    case JsonKind::String:
        return "string " + surrogatePassUtf8(result.root.text()).toHex();
    default:
        return "scalar";
    }
}

} // namespace

class TestJsonReader : public QObject
{
    Q_OBJECT

private slots:
    void accepts_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::newRow("documented sample") << documentedStarted();
        QTest::newRow("empty object") << utf8("{}");
        QTest::newRow("empty array") << utf8("[]");
        QTest::newRow("whitespace everywhere") << utf8(" \t\r\n{ \"a\" : [ 1 , 2 ] , \"b\" : { } }\n");
        QTest::newRow("numbers") << utf8("[0,-0,1,-1,1.5,1e5,1E+5,1e-5,-0.0e0,123456789012345678901234567890]");
        QTest::newRow("huge exponent") << utf8("[1e999,-1e999,1e-999]");
        QTest::newRow("literals") << utf8("[true,false,null]");
        QTest::newRow("escapes") << utf8("[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude80\\ud800\"]");
        QTest::newRow("utf-8") << utf8("[\"Z\xc3\xbcrich \xe2\x98\x83 \xf0\x9f\x9a\x80 \x7f\"]");
        QTest::newRow("top-level string") << utf8("\"eventType\"");
        QTest::newRow("top-level number") << utf8(" 42 ");
        QTest::newRow("top-level null") << utf8("null");
        QTest::newRow("BOM") << utf8("\xef\xbb\xbf{}");
        QByteArray deep;
        for (int i = 0; i < JsonReader::maxDepth; ++i)
            deep += '[';
        deep += QByteArray(JsonReader::maxDepth, ']');
        QTest::newRow("256 levels") << deep;
    }

    void accepts()
    {
        QFETCH(QByteArray, text);
        const JsonParseResult result = JsonReader::parse(text);
        QVERIFY2(result.ok, qPrintable(result.error + QStringLiteral(" at %1").arg(result.errorOffset)));
        QCOMPARE(result.errorOffset, -1);
        QVERIFY(result.error.isEmpty());
    }

    void refuses_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<qint64>("offset");
        QTest::addColumn<QString>("error");
        auto row = [](const char *name, const QByteArray &text, qint64 offset, const char *error) {
            QTest::newRow(name) << text << offset << QString::fromLatin1(error);
        };
        row("empty", "", 0, "no JSON value");
        row("blank", " \n ", 3, "no JSON value");
        row("raw tab in a string", "{\"a\":\"x\ty\"}", 7, "control character");
        row("raw newline in a string", "[\"x\ny\"]", 3, "control character");
        row("\\x escape", R"(["a\xb"])", 3, "invalid escape");
        row("short \\u escape", R"(["\u12"])", 2, "\\u escape");
        row("unterminated string", "[\"abc", 5, "unterminated string");
        row("invalid UTF-8", "[\"\xff\"]", 2, "invalid UTF-8");
        row("truncated UTF-8", "[\"\xc3\"]", 2, "invalid UTF-8");
        row("overlong UTF-8", "[\"\xc0\xaf\"]", 2, "invalid UTF-8");
        row("UTF-8 surrogate", "[\"\xed\xa0\x80\"]", 2, "invalid UTF-8");
        row("above U+10FFFF", "[\"\xf4\x90\x80\x80\"]", 2, "invalid UTF-8");
        row("leading zero", "[01]", 2, "leading zero");
        row("1.", "[1.]", 3, "after '.'");
        row(".5", "[.5]", 1, "unexpected character");
        row("plus sign", "[+1]", 1, "unexpected character");
        row("bare minus", "[-]", 2, "invalid number");
        row("exponent without digits", "[1e]", 3, "exponent");
        row("NaN", "[NaN]", 1, "unexpected character");
        row("capital True", "[True]", 1, "unexpected character");
        row("trailing comma in object", "{\"a\":1,}", 7, "expected a key");
        row("trailing comma in array", "[1,]", 3, "unexpected character");
        row("missing colon", "{\"a\" 1}", 5, "expected ':'");
        row("missing comma", "{\"a\":1 \"b\":2}", 7, "expected ',' or '}'");
        row("single quotes", "{'a':1}", 1, "expected a key");
        row("unquoted key", "{a:1}", 1, "expected a key");
        row("unterminated object", "{\"a\":1", 6, "unterminated object");
        row("unterminated array", "[1,2", 4, "unterminated array");
        row("garbage after", "{} x", 3, "text after");
        row("two values", "{}{}", 2, "text after");
        row("vertical tab", "\v{}", 0, "unexpected character");
        row("NUL", QByteArray("{}\0", 3), 2, "text after");
        QByteArray deep(JsonReader::maxDepth + 1, '[');
        deep += QByteArray(JsonReader::maxDepth + 1, ']');
        row("257 levels", deep, JsonReader::maxDepth, "256 levels");
    }

    void refuses()
    {
        QFETCH(QByteArray, text);
        QFETCH(qint64, offset);
        QFETCH(QString, error);
        const JsonParseResult result = JsonReader::parse(text);
        QVERIFY(!result.ok);
        QCOMPARE(result.errorOffset, offset);
        QVERIFY2(result.error.contains(error), qPrintable(result.error));
        QCOMPARE(result.root.kind, JsonKind::Null);
        QVERIFY(result.root.children.isEmpty());
    }

    // Strings decode to what QJsonDocument decodes them to.
    void strings_decodeLikeQt()
    {
        // {"plain":"Daily Job (dbt build)","escapes":"a\"b\\c\/d\be\ff\ng\rh\ti",
        //  "unicode":"\u00e9\u2603\ud83d\ude80","raw":"Zürich \u0041","k\u0065y":"v","":"empty key"}
        QByteArray text = "{'plain':'Daily Job (dbt build)','escapes':'a`'b``c`/d`be`ff`ng`rh`ti',"
                          "'unicode':'`u00e9`u2603`ud83d`ude80','raw':'Z\xc3\xbcrich `u0041','k`u0065y':'v',"
                          "'':'empty key'}";
        text.replace('\'', '"').replace('`', '\\');
        const JsonParseResult result = JsonReader::parse(text);
        QVERIFY(result.ok);
        const QJsonObject qt = QJsonDocument::fromJson(text).object();
        QCOMPARE(result.root.children.size(), qt.size());
        for (const JsonNode &member : result.root.children) {
            QVERIFY2(qt.contains(member.keyText()), qPrintable(member.keyText()));
            QCOMPARE(member.text(), qt.value(member.keyText()).toString());
        }
        const JsonNode &escapedKey = result.root.children.at(4);
        QVERIFY(escapedKey.keyEscaped);
        QVERIFY(escapedKey.keyEquals(QLatin1String("key")));
        QVERIFY(!escapedKey.keyEquals(QLatin1String("k\\u0065y")));
        QVERIFY(result.root.children.at(0).keyEquals(QLatin1String("plain")));
        QCOMPARE(result.root.children.at(0).bytes, QByteArrayView("\"Daily Job (dbt build)\""));
        QCOMPARE(result.root.children.at(0).keyOffset, 1);
    }

    void numbers_andLiterals()
    {
        const JsonParseResult result
            = JsonReader::parse("[3, -2.5e3, 1e999, -1e999, 1e-999, true, false, null, \"1\"]");
        QVERIFY(result.ok);
        const QList<JsonNode> &items = result.root.children;
        QCOMPARE(items.at(0).number(), std::optional<double>(3));
        QCOMPARE(items.at(1).number(), std::optional<double>(-2500));
        QVERIFY(std::isinf(*items.at(2).number()) && *items.at(2).number() > 0);
        QVERIFY(std::isinf(*items.at(3).number()) && *items.at(3).number() < 0);
        QCOMPARE(items.at(4).number(), std::optional<double>(0));
        QVERIFY(items.at(5).boolean());
        QVERIFY(!items.at(6).boolean());
        QCOMPARE(items.at(7).kind, JsonKind::Null);
        QVERIFY(!items.at(8).number());
    }

    void records_onlyTheLevelsAskedFor()
    {
        const QByteArray text = utf8(R"({"a":{"b":{"c":[1,2]}},"d":[{"e":1}]})");
        const JsonParseResult two = JsonReader::parse(text, 2);
        QVERIFY(two.ok);
        QCOMPARE(two.root.children.size(), 2);
        const JsonNode &a = two.root.children.at(0);
        QCOMPARE(a.children.size(), 1); // b recorded
        QCOMPARE(a.children.at(0).kind, JsonKind::Object);
        QVERIFY(a.children.at(0).children.isEmpty()); // c not recorded
        QCOMPARE(a.children.at(0).bytes, QByteArrayView(R"({"c":[1,2]})"));
        QCOMPARE(two.root.children.at(1).children.size(), 1);
        const JsonParseResult none = JsonReader::parse(text, 0);
        QVERIFY(none.ok);
        QVERIFY(none.root.children.isEmpty());
        QCOMPARE(none.root.bytes.size(), text.size());
        // Unrecorded levels are still validated.
        QVERIFY(!JsonReader::parse(R"({"a":{"b":{"c":[1,]}}})", 1).ok);
    }

    // Thousands of mutated texts: the reader accepts exactly what Python's json.loads(bytes)
    // accepts (NaN/Infinity refused), and reads the same keys or string.
    void agreesWithPythonsJsonModule()
    {
        const QString python = QStandardPaths::findExecutable(QStringLiteral("python3"));
        QVERIFY2(!python.isEmpty(), "python3 is installed by scripts/setup test");
        QRandomGenerator random(20230131);
        const QList<QByteArray> seeds {documentedStarted(), documentedCompleted(), documentedErrored(),
            utf8(R"({"a":[1,-2.5e3,true,null,{"b":"\u00e9\n"}],"c":"Z)"
                 "\xc3\xbc"
                 R"(rich","d":{}})"),
            utf8(R"(["x",0,{"y":[[]]},"\ud83d\ude80"])")};
        QList<QByteArray> texts;
        for (int i = 0; i < 4000; ++i)
            texts.append(mutated(seeds.at(i % seeds.size()), random));

        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QFile input(dir.filePath(QStringLiteral("texts.hex")));
        QVERIFY(input.open(QIODevice::WriteOnly));
        for (const QByteArray &text : texts)
            input.write(text.toHex() + '\n');
        input.close();

        const QString script = QStringLiteral(R"(
import json, sys
def reject(name):
    raise ValueError(name)
for line in open(sys.argv[1]):
    data = bytes.fromhex(line.strip())
    try:
        value = json.loads(data, parse_constant=reject)
    except (ValueError, UnicodeDecodeError, RecursionError):
        print("invalid"); continue
    if isinstance(value, dict):
        keys = sorted(k.encode("utf-8", "surrogatepass").hex() for k in value)
        print("object " + ",".join(keys))
    elif isinstance(value, list):
        print("array %d" % len(value))
    elif isinstance(value, str):
        print("string " + value.encode("utf-8", "surrogatepass").hex())
    else:
        print("scalar")
)");
        QProcess process;
        process.start(python, {QStringLiteral("-c"), script, input.fileName()});
        QVERIFY(process.waitForFinished(120000));
        QCOMPARE(process.exitCode(), 0);
        const QList<QByteArray> expected = process.readAllStandardOutput().split('\n');
        QCOMPARE(expected.size(), texts.size() + 1);
        int valid = 0;
        for (qsizetype i = 0; i < texts.size(); ++i) {
            const QByteArray ours = describe(texts.at(i));
            QVERIFY2(ours == expected.at(i),
                qPrintable(QStringLiteral("text %1: ours %2, Python %3\n%4")
                               .arg(i)
                               .arg(QString::fromUtf8(ours), QString::fromUtf8(expected.at(i)),
                                   QString::fromLatin1(texts.at(i).toHex()))));
            valid += ours != "invalid";
        }
        // The mutations must exercise both sides.
        QVERIFY2(valid > 200 && valid < 3800, qPrintable(QString::number(valid)));
    }
};

QTEST_GUILESS_MAIN(TestJsonReader)
#include "tst_jsonreader.moc"
