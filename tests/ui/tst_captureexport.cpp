#include "models/captureexport.h"
#include "widgets/ratesparkline.h"

#include <QFile>
#include <QMimeData>
#include <QTemporaryDir>
#include <QTest>

using namespace hookbench;

namespace {

Capture capture(const QByteArray &body)
{
    Capture c;
    c.id = 7;
    c.method = "POST";
    c.target = "/hook";
    c.listener = QStringLiteral("127.0.0.1:5000");
    c.headers = {
        {"Host", "127.0.0.1:5000"}, {"Authorization", "abc123"}, {"Content-Length", QByteArray::number(body.size())}};
    c.body = body;
    return c;
}

} // namespace

class TestCaptureExport : public QObject
{
    Q_OBJECT

private slots:
    void curl_binaryBody_goesToAFileWithTheExactBytes()
    {
        QTemporaryDir directory;
        CaptureExport exporter(directory.filePath(QStringLiteral("exports")));
        const QByteArray body("\0\x01\xff\r\n", 5);
        QString error;
        QString bodyFile;
        const std::optional<QByteArray> command = exporter.curlCommand(capture(body), &error, &bodyFile);
        QVERIFY2(command, qPrintable(error));
        QVERIFY(bodyFile.startsWith(directory.filePath(QStringLiteral("exports/capture-7-"))));
        QVERIFY(command->contains(QByteArray("--data-binary @" + QFile::encodeName(bodyFile))));
        QFile file(bodyFile);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), body);
        QVERIFY(command->contains("-H 'Authorization: abc123'"));
        QVERIFY(command->contains("http://127.0.0.1:5000/hook"));
    }

    void curl_textBody_isInline_andNoFileIsWritten()
    {
        QTemporaryDir directory;
        CaptureExport exporter(directory.filePath(QStringLiteral("exports")));
        QString error;
        QString bodyFile = QStringLiteral("unchanged");
        const std::optional<QByteArray> command
            = exporter.curlCommand(capture("{\"a\":1}"), &error, &bodyFile, "https://example.test:8443");
        QVERIFY(command);
        QVERIFY(bodyFile.isEmpty());
        QVERIFY(command->contains("--data-raw '{\"a\":1}'"));
        QVERIFY(command->contains("https://example.test:8443/hook"));
        QVERIFY(!QDir(directory.filePath(QStringLiteral("exports"))).exists());
    }

    void curl_unwritableDirectory_isAOneLineError()
    {
        CaptureExport exporter(QStringLiteral("/proc/hookbench-cannot-write-here"));
        QString error;
        QVERIFY(!exporter.curlCommand(capture(QByteArray("\0", 1)), &error));
        QVERIFY(error.contains(QStringLiteral("can't write the body")));
        QVERIFY(!error.contains(QLatin1Char('\n')));
    }

    void bodyMimeData_keepsBytes_andTextOnlyWhenUtf8()
    {
        std::unique_ptr<QMimeData> text(CaptureExport::bodyMimeData(capture("caf\xc3\xa9")));
        QCOMPARE(text->text(), QStringLiteral("caf\u00e9"));
        QCOMPARE(text->data(QStringLiteral("application/octet-stream")), QByteArray("caf\xc3\xa9"));
        std::unique_ptr<QMimeData> binary(CaptureExport::bodyMimeData(capture(QByteArray("\xff\x00", 2))));
        QCOMPARE(binary->text(), QStringLiteral("ff 00"));
        QCOMPARE(binary->data(QStringLiteral("application/octet-stream")), QByteArray("\xff\x00", 2));
    }

    void saveBody_writesExactBytes()
    {
        QTemporaryDir directory;
        const QString path = directory.filePath(QStringLiteral("body.bin"));
        QString error;
        QVERIFY(CaptureExport::saveBody(capture(QByteArray("\0\r\n", 3)), path, &error));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), QByteArray("\0\r\n", 3));
        QVERIFY(!CaptureExport::saveBody(capture("x"), directory.filePath(QStringLiteral("no/such/dir/x")), &error));
        QVERIFY(!error.isEmpty());
    }

    void sparkline_keepsTheLastMinute()
    {
        RateSparkline sparkline;
        sparkline.setCapacity(5);
        for (int i = 1; i <= 8; ++i)
            sparkline.addSample(i * 10);
        QCOMPARE(sparkline.samples(), (QList<double> {40, 50, 60, 70, 80}));
        QCOMPARE(sparkline.peak(), 80.0);
        sparkline.addSample(-3); // rates are never negative
        QCOMPARE(sparkline.samples().last(), 0.0);
        sparkline.resize(sparkline.sizeHint());
        QVERIFY(!sparkline.grab().isNull());
        QVERIFY(sparkline.toolTip().contains(QStringLiteral("peak 80/s")));
    }
};

QTEST_MAIN(TestCaptureExport)
#include "tst_captureexport.moc"
