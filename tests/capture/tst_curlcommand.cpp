#include "capture/curlcommand.h"

#include <QProcess>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace hookbench;

namespace {

// What arrived on the wire, parsed just enough to compare: the request line, header lines in
// order, and the body (de-chunked when chunked).
struct WireRequest
{
    QByteArray method;
    QByteArray target;
    HeaderList headers;
    QByteArray body;
};

// A plain QTcpServer that records one raw HTTP/1.1 request per connection and answers 200. It
// understands Content-Length, chunked bodies and Expect: 100-continue, nothing more.
class RawReceiver : public QObject
{
public:
    RawReceiver()
    {
        QVERIFY(m_server.listen(QHostAddress::LocalHost));
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                auto *buffer = new QByteArray;
                auto *continued = new bool(false);
                connect(socket, &QTcpSocket::readyRead, this, [this, socket, buffer, continued] {
                    buffer->append(socket->readAll());
                    parse(socket, *buffer, continued);
                });
                connect(socket, &QTcpSocket::disconnected, socket, [socket, buffer, continued] {
                    delete buffer;
                    delete continued;
                    socket->deleteLater();
                });
            }
        });
    }

    quint16 port() const { return m_server.serverPort(); }
    QList<WireRequest> requests;

private:
    void parse(QTcpSocket *socket, const QByteArray &buffer, bool *continued)
    {
        const qsizetype headEnd = buffer.indexOf("\r\n\r\n");
        if (headEnd < 0)
            return;
        const QList<QByteArray> lines = buffer.left(headEnd).split('\n');
        WireRequest request;
        const QList<QByteArray> requestLine = lines.first().chopped(1).split(' ');
        request.method = requestLine.value(0);
        request.target = requestLine.value(1);
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines.at(i).endsWith('\r') ? lines.at(i).chopped(1) : lines.at(i);
            const qsizetype colon = line.indexOf(':');
            request.headers.append({line.left(colon), line.mid(colon + 1).trimmed()});
        }
        const QByteArray rest = buffer.mid(headEnd + 4);
        if (headerValue(request.headers, "Transfer-Encoding").toLower() == "chunked") {
            qsizetype at = 0;
            QByteArray body;
            for (;;) {
                const qsizetype lineEnd = rest.indexOf("\r\n", at);
                if (lineEnd < 0)
                    return;
                bool ok = false;
                const qsizetype size = rest.mid(at, lineEnd - at).toLongLong(&ok, 16);
                if (!ok)
                    return;
                if (size == 0) {
                    if (rest.indexOf("\r\n\r\n", lineEnd) < 0)
                        return;
                    break;
                }
                if (rest.size() < lineEnd + 2 + size + 2)
                    return;
                body += rest.mid(lineEnd + 2, size);
                at = lineEnd + 2 + size + 2;
            }
            request.body = body;
        } else {
            const qsizetype length = headerValue(request.headers, "Content-Length").toLongLong();
            if (rest.size() < length) {
                if (!*continued && headerValue(request.headers, "Expect").toLower() == "100-continue") {
                    *continued = true;
                    socket->write("HTTP/1.1 100 Continue\r\n\r\n");
                }
                return;
            }
            request.body = rest.left(length);
        }
        requests.append(request);
        socket->write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
        socket->disconnectFromHost();
    }

    QTcpServer m_server;
};

QByteArray randomBytes(qsizetype size)
{
    QByteArray bytes(size, Qt::Uninitialized);
    QRandomGenerator generator(42);
    for (char &c : bytes)
        c = char(generator.bounded(256));
    return bytes;
}

// Runs the command the way a user pasting it would: through a POSIX shell, without proxies.
bool runInShell(const QByteArray &command, QByteArray *output)
{
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const char *name : {"http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"})
        environment.remove(QString::fromLatin1(name));
    environment.insert(QStringLiteral("CURL_HOME"), QStringLiteral("/nonexistent")); // no ~/.curlrc
    process.setProcessEnvironment(environment);
    QSignalSpy finished(&process, &QProcess::finished);
    process.start(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), QString::fromUtf8(command)});
    if (!finished.wait(60000))
        return false;
    *output = process.readAllStandardOutput() + process.readAllStandardError();
    return process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
}

} // namespace

class TestCurlCommand : public QObject
{
    Q_OBJECT

private slots:
    void shellQuote_choosesTheSimplestSafeForm_data()
    {
        QTest::addColumn<QByteArray>("argument");
        QTest::addColumn<QByteArray>("quoted");
        QTest::newRow("bare") << QByteArray("http://127.0.0.1:5000/a") << QByteArray("http://127.0.0.1:5000/a");
        QTest::newRow("space") << QByteArray("Name: value") << QByteArray("'Name: value'");
        QTest::newRow("single quote") << QByteArray("it's") << QByteArray("'it'\\''s'");
        QTest::newRow("dollar and backtick") << QByteArray("$HOME `id`") << QByteArray("'$HOME `id`'");
        QTest::newRow("utf-8") << QByteArray("caf\xc3\xa9") << QByteArray("'caf\xc3\xa9'");
        QTest::newRow("latin-1 byte") << QByteArray("X: \xff%\\'")
                                      << QByteArray("\"$(printf 'X: \\377%%\\\\'\\'\'')\"");
        QTest::newRow("bidi override") << QByteArray("a\xe2\x80\xae") << QByteArray("\"$(printf 'a\\342\\200\\256')\"");
        QTest::newRow("empty") << QByteArray() << QByteArray("''");
    }
    void shellQuote_choosesTheSimplestSafeForm()
    {
        QFETCH(QByteArray, argument);
        QFETCH(QByteArray, quoted);
        QCOMPARE(CurlCommand::shellQuote(argument), quoted);
    }

    void originForListener_mapsWildcardsToLoopback_data()
    {
        QTest::addColumn<QString>("listener");
        QTest::addColumn<bool>("tls");
        QTest::addColumn<QByteArray>("origin");
        QTest::newRow("ipv4") << "127.0.0.1:5000" << false << QByteArray("http://127.0.0.1:5000");
        QTest::newRow("any") << "0.0.0.0:8080" << true << QByteArray("https://127.0.0.1:8080");
        QTest::newRow("ipv6 bracketed") << "[::1]:5000" << false << QByteArray("http://[::1]:5000");
        QTest::newRow("ipv6 any") << "[::]:5000" << false << QByteArray("http://[::1]:5000");
        QTest::newRow("no port") << "localhost" << false << QByteArray("http://localhost");
    }
    void originForListener_mapsWildcardsToLoopback()
    {
        QFETCH(QString, listener);
        QFETCH(bool, tls);
        QFETCH(QByteArray, origin);
        QCOMPARE(CurlCommand::originForListener(listener, tls), origin);
    }

    void command_isPrintableText_andCarriesNothingButTheRequest()
    {
        Capture capture;
        capture.method = "POST";
        capture.target = "/hook";
        capture.listener = QStringLiteral("127.0.0.1:5000");
        capture.headers = {{"Host", "127.0.0.1:5000"}, {"X-Odd", "\x01\xfe\xff"}};
        capture.body = QByteArray("\0\x01\x02", 3);
        capture.verdictReason = QStringLiteral("The dbt Cloud signature matches the body.");
        CurlCommand::Options options;
        options.bodyFilePath = QStringLiteral("/tmp/body.bin");
        const CurlCommand curl(capture, options);
        QVERIFY2(curl.isValid(), qPrintable(curl.error()));
        QVERIFY(curl.needsBodyFile());
        const QByteArray command = curl.command();
        for (const char c : command)
            QVERIFY2(static_cast<unsigned char>(c) >= 0x20 || c == '\n', command.constData());
        QVERIFY(command.startsWith("curl "));
        QVERIFY(command.contains("--data-binary @/tmp/body.bin"));
        QVERIFY(!command.contains("signature matches"));
    }

    void unusableRequests_areRefusedWithAReason()
    {
        CurlCommand::Options options;
        options.origin = "http://127.0.0.1:1";
        QVERIFY(!CurlCommand("GET", "/", {{"X", "a\r\nInjected: 1"}}, {}, options).isValid());
        QVERIFY(!CurlCommand("BAD VERB", "/", {}, {}, options).isValid());
        QVERIFY(!CurlCommand("GET", "/a b", {}, {}, options).isValid());
        QVERIFY(!CurlCommand("POST", "/", {}, QByteArray("\0", 1), options).isValid()); // needs a file
        options.origin = "ftp://x";
        QVERIFY(!CurlCommand("GET", "/", {}, {}, options).isValid());
    }

    void inlineOrFile_dependsOnTheBytes_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("inlined");
        QTest::newRow("json") << QByteArray(R"({"a":1})") << true;
        QTest::newRow("newlines") << QByteArray("a\nb\n") << true;
        QTest::newRow("crlf") << QByteArray("a\r\nb") << false;
        QTest::newRow("tab") << QByteArray("a\tb") << false;
        QTest::newRow("nul") << QByteArray("a\0b", 3) << false;
        QTest::newRow("invalid utf-8") << QByteArray("\xc3(") << false;
        QTest::newRow("large") << QByteArray(20000, 'a') << false;
    }
    void inlineOrFile_dependsOnTheBytes()
    {
        QFETCH(QByteArray, body);
        QFETCH(bool, inlined);
        QCOMPARE(CurlCommand::canInline(body, 16 * 1024), inlined);
    }

    // The command runs through sh against a real receiver; what arrives must be what was captured.
    void command_replaysTheCaptureByteForByte_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QByteArray>("target");
        QTest::addColumn<HeaderList>("headers");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("viaFile");

        const QByteArray dbt = R"({"accountId":1,"eventType":"job.run.completed","data":{"runId":"12345"}})";
        QTest::newRow("dbt delivery") << QByteArray("POST") << QByteArray("/webhooks/dbt")
                                      << HeaderList {{"Host", "HOST"}, {"Content-Type", "application/json"},
                                             {"Authorization",
                                                 "8b7df143d91c716ecfa5fc1730022f6b421b05cedee8fd52b1fc65a96030ad52"},
                                             {"Content-Length", QByteArray::number(dbt.size())}}
                                      << dbt << false;
        const QByteArray text = "@not-a-file 'quoted' $HOME `id` \xe2\x80\x9csmart\xe2\x80\x9d \xc3\xbc"
                                "n\xc3\xaf"
                                "c\xc3\xb6"
                                "d\xc3\xa9\n\nend\n";
        QTest::newRow("text starting with @, no content type")
            << QByteArray("POST") << QByteArray("/t") << HeaderList {{"Host", "HOST"}, {"Content-Length", "LENGTH"}}
            << text << false;
        QTest::newRow("binary body") << QByteArray("POST") << QByteArray("/bin")
                                     << HeaderList {{"Host", "HOST"}, {"Content-Type", "application/octet-stream"},
                                            {"Content-Length", "LENGTH"}}
                                     << QByteArray("\0\xff\r\n\x01tail\r\n", 11) << true;
        QTest::newRow("2 MB random") << QByteArray("PUT") << QByteArray("/upload")
                                     << HeaderList {{"Host", "HOST"}, {"Content-Length", "LENGTH"}}
                                     << randomBytes(2 * 1024 * 1024) << true;
        QTest::newRow("custom verb with body")
            << QByteArray("PROPFIND") << QByteArray("/dav/")
            << HeaderList {{"Host", "HOST"}, {"Depth", "1"}, {"Content-Type", "application/xml"},
                   {"Content-Length", "LENGTH"}}
            << QByteArray("<?xml version=\"1.0\"?><propfind xmlns=\"DAV:\"/>") << false;
        QTest::newRow("get with user agent and accept in their places")
            << QByteArray("GET") << QByteArray("/status?verbose=1&x=%2F")
            << HeaderList {{"Host", "HOST"}, {"Accept", "application/json"}, {"X-Trace", "1"},
                   {"User-Agent", "dbt-cloud/1.0"}}
            << QByteArray() << false;
        QTest::newRow("delete without defaults")
            << QByteArray("DELETE") << QByteArray("/items/1") << HeaderList {{"Host", "HOST"}} << QByteArray() << false;
        QTest::newRow("custom verb without body")
            << QByteArray("PURGE") << QByteArray("/cache") << HeaderList {{"Host", "HOST"}} << QByteArray() << false;
        QTest::newRow("duplicates, empty and awkward values")
            << QByteArray("POST") << QByteArray("/h")
            << HeaderList {{"Host", "HOST"}, {"X-Dup", "first"}, {"x-dup", "second"}, {"X-Empty", ""},
                   {"X-Quote", "it's $HOME `id` \"q\" \\ %s"}, {"X-Latin1", "caf\xe9 \xff"},
                   {"Content-Length", "LENGTH"}}
            << QByteArray("{}") << false;
        QTest::newRow("awkward target") << QByteArray("GET") << QByteArray("/a%2Fb/../c/~user/[x]/{y}?q=1&r=%20&s=[]")
                                        << HeaderList {{"Host", "HOST"}} << QByteArray() << false;
        QTest::newRow("target with empty query")
            << QByteArray("GET") << QByteArray("/empty?") << HeaderList {{"Host", "HOST"}} << QByteArray() << false;
        QTest::newRow("raw 8-bit target") << QByteArray("GET") << QByteArray("/caf\xc3\xa9/\xff")
                                          << HeaderList {{"Host", "HOST"}} << QByteArray() << false;
        QTest::newRow("chunked") << QByteArray("POST") << QByteArray("/chunked")
                                 << HeaderList {{"Host", "HOST"}, {"Transfer-Encoding", "chunked"},
                                        {"Content-Type", "application/json"}}
                                 << QByteArray(R"({"chunked":true})") << false;
        QTest::newRow("another host name")
            << QByteArray("POST") << QByteArray("/x")
            << HeaderList {{"Host", "hooks.example.com"}, {"Content-Length", "LENGTH"}} << QByteArray("x") << false;
        QTest::newRow("empty post") << QByteArray("POST") << QByteArray("/empty")
                                    << HeaderList {{"Host", "HOST"}, {"Content-Length", "0"}} << QByteArray() << false;
        QTest::newRow("expect 100-continue")
            << QByteArray("POST") << QByteArray("/expect")
            << HeaderList {{"Host", "HOST"}, {"Content-Length", "LENGTH"}, {"Expect", "100-continue"}}
            << QByteArray(20000, 'e') << true;
    }
    void command_replaysTheCaptureByteForByte()
    {
        QFETCH(QByteArray, method);
        QFETCH(QByteArray, target);
        QFETCH(HeaderList, headers);
        QFETCH(QByteArray, body);
        QFETCH(bool, viaFile);

        RawReceiver receiver;
        const QByteArray authority = "127.0.0.1:" + QByteArray::number(receiver.port());
        for (HttpHeader &header : headers) {
            if (header.value == "HOST")
                header.value = authority;
            if (header.value == "LENGTH")
                header.value = QByteArray::number(body.size());
        }
        Capture capture;
        capture.method = method;
        capture.target = target;
        capture.headers = headers;
        capture.body = body;
        capture.listener = QString::fromLatin1(authority);

        QTemporaryDir directory;
        QVERIFY(directory.isValid());
        CurlCommand::Options options;
        options.bodyFilePath = directory.filePath(QStringLiteral("body with space's.bin"));
        const CurlCommand curl(capture, options);
        QVERIFY2(curl.isValid(), qPrintable(curl.error()));
        QCOMPARE(curl.needsBodyFile(), viaFile);
        QString error;
        QVERIFY2(curl.writeBodyFile(body, &error), qPrintable(error));

        QByteArray output;
        QVERIFY2(runInShell(curl.command() + " --silent --show-error --max-time 30", &output),
            QByteArray(curl.command().left(2000) + "\n--\n" + output).constData());
        QCOMPARE(receiver.requests.size(), 1);
        const WireRequest &received = receiver.requests.first();
        QCOMPARE(received.method, method);
        QCOMPARE(received.target, target);
        // curl puts Host first; everything else keeps its order, case, duplicates and bytes.
        HeaderList expected = headers;
        const qsizetype host = findHeader(expected, "Host");
        if (host > 0)
            expected.move(host, 0);
        QCOMPARE(received.headers, expected);
        QCOMPARE(received.body.size(), body.size());
        QVERIFY(received.body == body);
    }

    void multilineAndSingleLine_sendTheSameRequest()
    {
        RawReceiver receiver;
        const QByteArray authority = "127.0.0.1:" + QByteArray::number(receiver.port());
        CurlCommand::Options options;
        options.origin = "http://" + authority + "/ignored/path";
        const HeaderList headers {{"Host", authority}, {"Content-Length", "2"}};
        const CurlCommand multi("POST", "/m", headers, "{}", options);
        options.multiline = false;
        const CurlCommand single("POST", "/m", headers, "{}", options);
        QVERIFY(multi.command().contains('\n'));
        QVERIFY(!single.command().contains('\n'));
        QByteArray output;
        QVERIFY2(runInShell(multi.command() + " -s", &output), output.constData());
        QVERIFY2(runInShell(single.command() + " -s", &output), output.constData());
        QCOMPARE(receiver.requests.size(), 2);
        QCOMPARE(receiver.requests.at(0).headers, receiver.requests.at(1).headers);
        QCOMPARE(receiver.requests.at(0).target, QByteArray("/m"));
        QCOMPARE(receiver.requests.at(1).body, QByteArray("{}"));
    }
};

QTEST_GUILESS_MAIN(TestCurlCommand)
#include "tst_curlcommand.moc"
