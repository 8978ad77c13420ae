// `hookbench gui` (and `hookbench` alone) through the built binary: help and errors without a
// display, and a real window process (offscreen) that listens, captures and stores.
#include "hookbenchprocess.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace hookbench::testing;

namespace {

QProcessEnvironment withoutDisplay()
{
    QProcessEnvironment environment = cleanEnvironment();
    for (const char *name : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"})
        environment.remove(QString::fromLatin1(name));
    return environment;
}

// A private configuration and data home, so the window never touches the user's settings.
QProcessEnvironment isolated(const QTemporaryDir &home)
{
    QProcessEnvironment environment = cleanEnvironment();
    environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    environment.insert(QStringLiteral("XDG_CONFIG_HOME"), home.filePath(QStringLiteral("config")));
    environment.insert(QStringLiteral("XDG_DATA_HOME"), home.filePath(QStringLiteral("data")));
    environment.insert(QStringLiteral("XDG_RUNTIME_DIR"), home.path());
    return environment;
}

quint16 freePort()
{
    QTcpServer server;
    server.listen(QHostAddress::LocalHost, 0);
    return server.serverPort();
}

} // namespace

class TestGuiCommand : public QObject
{
    Q_OBJECT

private slots:
    void help_worksWithoutADisplay()
    {
        const ProcessResult result
            = runHookbench({QStringLiteral("gui"), QStringLiteral("--help")}, {}, withoutDisplay());
        QVERIFY(result.finished);
        QCOMPARE(result.exitCode, 0);
        QVERIFY(result.out.startsWith("Usage: hookbench gui [--port N] [--store PATH]"));
        const ProcessResult top = runHookbench({QStringLiteral("--help")}, {}, withoutDisplay());
        QVERIFY(top.out.contains("  gui "));
    }

    void noDisplay_isOneLineAndExit2_forGuiAndNoCommand()
    {
        for (const QStringList &arguments : {QStringList {QStringLiteral("gui")}, QStringList {}}) {
            const ProcessResult result = runHookbench(arguments, {}, withoutDisplay());
            QVERIFY(result.finished);
            QCOMPARE(result.exitCode, 2);
            QVERIFY2(result.err.startsWith("hookbench gui: no display"), result.err.constData());
            QCOMPARE(result.err.count('\n'), 1);
            QVERIFY(result.out.isEmpty());
        }
    }

    void badPort_isAUsageError()
    {
        const ProcessResult result = runHookbench(
            {QStringLiteral("gui"), QStringLiteral("--port"), QStringLiteral("70000")}, {}, withoutDisplay());
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains("--port must be an integer from 0 to 65535"), result.err.constData());
    }

    void unusableStore_isReportedBeforeAnyWindow()
    {
        QTemporaryDir home;
        const QString notADatabase = home.filePath(QStringLiteral("not-a-store"));
        QFile file(notADatabase);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("this is not SQLite at all, just text long enough to have a header............");
        file.close();
        const ProcessResult result = runHookbench(
            {QStringLiteral("gui"), QStringLiteral("--store"), notADatabase, QStringLiteral("--no-keychain")}, {},
            isolated(home), 30000);
        QVERIFY(result.finished);
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.startsWith("hookbench gui: can't open the capture store"), result.err.constData());
    }

    // The window as a user starts it: it listens on --port, captures what arrives into --store.
    void window_listensAndStores()
    {
        QTemporaryDir home;
        const QString store = home.filePath(QStringLiteral("captures.sqlite"));
        const quint16 port = freePort();
        QProcess gui;
        gui.setProcessEnvironment(isolated(home));
        gui.start(QStringLiteral(HOOKBENCH_BINARY),
            {QStringLiteral("gui"), QStringLiteral("--port"), QString::number(port), QStringLiteral("--store"), store,
                QStringLiteral("--no-keychain")});
        QVERIFY(gui.waitForStarted());

        QNetworkAccessManager manager;
        int status = 0;
        // Retry until the window has opened its listener.
        for (int attempt = 0; attempt < 100 && status != 200; ++attempt) {
            QNetworkRequest request {QUrl(QStringLiteral("http://127.0.0.1:%1/from-a-sender").arg(port))};
            request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
            QNetworkReply *reply = manager.post(request, QByteArrayLiteral("{\"hello\":\"window\"}"));
            QSignalSpy finished(reply, &QNetworkReply::finished);
            finished.wait(5000);
            status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            reply->deleteLater();
            if (status != 200)
                QTest::qWait(100);
        }
        QCOMPARE(status, 200);
        gui.terminate();
        QVERIFY(gui.waitForFinished(10000));

        const ProcessResult listed = runHookbench({QStringLiteral("captures"), QStringLiteral("show"),
            QStringLiteral("1"), QStringLiteral("--store"), store, QStringLiteral("--body")});
        QCOMPARE(listed.exitCode, 0);
        QCOMPARE(listed.out, QByteArray("{\"hello\":\"window\"}"));
    }
};

QTEST_GUILESS_MAIN(TestGuiCommand)
#include "tst_guicommand.moc"
