#include "models/capturelistmodel.h"
#include "store/capturewriter.h"
#include "widgets/verdictstyle.h"

#include <QAbstractItemModelTester>
#include <QDateTime>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace hookbench;

namespace {

// Varied captures: method, verdict, dbt event and body text depend on n, so filters have known
// answers (see expected()).
Capture makeCapture(int n)
{
    Capture capture;
    capture.receivedAtUs = QDateTime::currentMSecsSinceEpoch() * 1000 + n;
    capture.method = n % 5 == 0 ? QByteArray("PUT") : QByteArray("POST");
    capture.target = "/hooks/" + QByteArray::number(n % 4);
    capture.headers = {{"Host", "127.0.0.1:5000"}, {"X-Seq", QByteArray::number(n)}};
    capture.body = "{\"n\":" + QByteArray::number(n) + (n % 10 == 7 ? ",\"needle\":\"Haystack\"}" : "}");
    capture.listener = QStringLiteral("127.0.0.1:5000");
    capture.verdict = n % 3 == 0 ? Verdict::Invalid : n % 3 == 1 ? Verdict::Valid : Verdict::Unsigned;
    capture.responseStatus = n % 2 ? 200 : 500;
    if (n % 4 == 0)
        capture.dbtEventType = QStringLiteral("job.run.completed");
    return capture;
}

int expected(int total, const std::function<bool(const Capture &)> &match)
{
    int count = 0;
    for (int n = 0; n < total; ++n)
        count += match(makeCapture(n)) ? 1 : 0;
    return count;
}

} // namespace

class TestCaptureListModel : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    StoreOptions m_options;
    std::unique_ptr<CaptureWriter> m_writer;

    bool submitAll(int from, int to)
    {
        int answered = 0;
        QObject context;
        for (int n = from; n < to; ++n)
            m_writer->submit(makeCapture(n), &context, [&](qint64 id, const QString &) { answered += id > 0; });
        return QTest::qWaitFor([&] { return answered == to - from; }, 60000);
    }

    static bool waitLoaded(CaptureListModel &model)
    {
        return QTest::qWaitFor([&] { return !model.isLoading(); }, 60000);
    }

private slots:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_options.path = m_dir->filePath(QStringLiteral("captures.sqlite"));
        m_writer = std::make_unique<CaptureWriter>(m_options);
        QString error;
        QVERIFY2(m_writer->open(&error), qPrintable(error));
    }
    void cleanup()
    {
        m_writer.reset();
        m_dir.reset();
    }

    void rows_areNewestFirst_andReadLazilyAPageAtATime()
    {
        QVERIFY(submitAll(0, 1000));
        CaptureListModel model(m_options);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QString error;
        QVERIFY2(model.open(&error), qPrintable(error));
        QVERIFY(waitLoaded(model));
        QCOMPARE(model.rowCount(), 1000);
        QCOMPARE(model.columnCount(), int(CaptureListModel::ColumnCount));
        QVERIFY(model.idAt(0) > model.idAt(1));
        QCOMPARE(model.rowOf(model.idAt(999)), 999);

        // Row 0 is the last capture submitted: n = 999.
        QCOMPARE(model.index(0, CaptureListModel::MethodColumn).data().toString(), QStringLiteral("POST"));
        QCOMPARE(model.index(0, CaptureListModel::PathColumn).data().toString(), QStringLiteral("/hooks/3"));
        QCOMPARE(model.index(0, CaptureListModel::VerdictColumn).data().toString(), QStringLiteral("Invalid"));
        QCOMPARE(model.index(0, CaptureListModel::StatusColumn).data().toString(), QStringLiteral("200"));
        QCOMPARE(model.index(0, CaptureListModel::SizeColumn).data().toString(), QStringLiteral("9 B"));
        QCOMPARE(model.index(3, CaptureListModel::EventColumn).data().toString(),
            QStringLiteral("job.run.completed")); // n = 996
        QCOMPARE(model.index(1, CaptureListModel::EventColumn).data().toString(), QString());
        const QIcon icon = model.index(0, CaptureListModel::VerdictColumn).data(Qt::DecorationRole).value<QIcon>();
        QCOMPARE(icon.pixmap(16).toImage(), VerdictStyle::icon(Verdict::Invalid).pixmap(16).toImage());
        QCOMPARE(model.index(0, 0).data(CaptureListModel::VerdictRole).toString(), QStringLiteral("invalid"));
        // Colours follow the palette: the window tells the model when it turns dark.
        QCOMPARE(model.index(0, CaptureListModel::VerdictColumn).data(Qt::ForegroundRole).value<QColor>(),
            VerdictStyle::textColor(Verdict::Invalid, false));
        QSignalSpy recoloured(&model, &QAbstractItemModel::dataChanged);
        model.setDark(true);
        QCOMPARE(recoloured.size(), 1);
        QCOMPARE(model.index(0, CaptureListModel::VerdictColumn).data(Qt::ForegroundRole).value<QColor>(),
            VerdictStyle::textColor(Verdict::Invalid, true));

        // Only whole pages around the rows asked for were read, never the whole store.
        const qint64 afterTop = model.summariesRead();
        QVERIFY(afterTop <= 2 * CaptureListModel::pageSize);
        model.index(500, 0).data();
        QVERIFY(model.summariesRead() > afterTop);
        QVERIFY(model.summariesRead() <= 3 * CaptureListModel::pageSize);
        QCOMPARE(model.index(999, CaptureListModel::PathColumn).data().toString(), QStringLiteral("/hooks/0"));
    }

    void filters_runOffTheUiThread_andMatch_data()
    {
        QTest::addColumn<CaptureFilter>("filter");
        QTest::addColumn<int>("count");
        const int total = 300;
        CaptureFilter text;
        text.text = QStringLiteral("haystack"); // in the body, other case
        QTest::newRow("text in body") << text
                                      << expected(total, [](const Capture &c) { return c.body.contains("Haystack"); });
        CaptureFilter header;
        header.text = QStringLiteral("X-Seq: 12");
        QTest::newRow("text in headers") << header << expected(total, [](const Capture &c) {
            return headerValue(c.headers, "X-Seq").startsWith("12");
        });
        CaptureFilter path;
        path.text = QStringLiteral("/hooks/2");
        QTest::newRow("text in path") << path
                                      << expected(total, [](const Capture &c) { return c.target == "/hooks/2"; });
        CaptureFilter method;
        method.method = "PUT";
        QTest::newRow("method") << method << expected(total, [](const Capture &c) { return c.method == "PUT"; });
        CaptureFilter verdict;
        verdict.verdict = Verdict::Unsigned;
        QTest::newRow("verdict") << verdict
                                 << expected(total, [](const Capture &c) { return c.verdict == Verdict::Unsigned; });
        CaptureFilter event;
        event.dbtEventType = QStringLiteral("job.run.completed");
        QTest::newRow("event type") << event
                                    << expected(total, [](const Capture &c) { return !c.dbtEventType.isEmpty(); });
        CaptureFilter combined;
        combined.method = "POST";
        combined.verdict = Verdict::Valid;
        combined.dbtEventType = QStringLiteral("job.run.completed");
        QTest::newRow("combined") << combined << expected(total, [](const Capture &c) {
            return c.method == "POST" && c.verdict == Verdict::Valid && !c.dbtEventType.isEmpty();
        });
    }
    void filters_runOffTheUiThread_andMatch()
    {
        QFETCH(CaptureFilter, filter);
        QFETCH(int, count);
        QVERIFY(submitAll(0, 300));
        CaptureListModel model(m_options);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QString error;
        QVERIFY(model.open(&error));
        QVERIFY(waitLoaded(model));
        QSignalSpy applied(&model, &CaptureListModel::filterApplied);
        model.setFilter(filter);
        QVERIFY(model.isLoading()); // not answered inside setFilter
        QVERIFY(applied.wait(30000));
        QCOMPARE(applied.last().first().toLongLong(), qint64(count));
        QCOMPARE(model.rowCount(), count);
        QVERIFY(count > 0);
        for (int row = 0; row < model.rowCount(); ++row) {
            if (filter.method.size())
                QCOMPARE(model.index(row, CaptureListModel::MethodColumn).data().toString().toLatin1(), filter.method);
            if (filter.verdict)
                QCOMPARE(
                    model.index(row, 0).data(CaptureListModel::VerdictRole).toString(), verdictName(*filter.verdict));
        }
    }

    void quickFilterChanges_onlyTheLastOneLands()
    {
        QVERIFY(submitAll(0, 300));
        CaptureListModel model(m_options);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QString error;
        QVERIFY(model.open(&error));
        CaptureFilter a;
        a.method = "PUT";
        CaptureFilter b;
        b.verdict = Verdict::Valid;
        model.setFilter(a);
        model.setFilter(b);
        QVERIFY(waitLoaded(model));
        QCOMPARE(model.rowCount(), expected(300, [](const Capture &c) { return c.verdict == Verdict::Valid; }));
        QTest::qWait(100);
        QCOMPARE(model.rowCount(), expected(300, [](const Capture &c) { return c.verdict == Verdict::Valid; }));
    }

    void liveUpdates_areBatched_atMostOncePerInterval()
    {
        CaptureListModel model(m_options);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QString error;
        QVERIFY(model.open(&error));
        QVERIFY(waitLoaded(model));
        model.attachWriter(m_writer.get());
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy arrived(&model, &CaptureListModel::newRowsArrived);
        QVERIFY(submitAll(0, 3000));
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 3000, 30000);
        // Far fewer updates than captures, each one insertion at the top...
        QVERIFY2(inserted.size() < 3000 / 10, qPrintable(QString::number(inserted.size())));
        QCOMPARE(arrived.size(), inserted.size());
        for (const QList<QVariant> &signal : std::as_const(inserted))
            QCOMPARE(signal.at(1).toInt(), 0);
        // ...and never two within the interval (the timer is precise: it never fires early).
        const QList<qint64> &times = model.liveUpdateTimesMs();
        QCOMPARE(times.size(), model.liveUpdateCount());
        for (qsizetype i = 1; i < times.size(); ++i)
            QVERIFY2(times.at(i) - times.at(i - 1) >= model.updateInterval() - 1,
                qPrintable(QStringLiteral("updates %1 and %2 were %3 ms apart")
                               .arg(i - 1)
                               .arg(i)
                               .arg(times.at(i) - times.at(i - 1))));
        // Newest first after the live inserts too.
        for (int row = 1; row < 50; ++row)
            QVERIFY(model.idAt(row - 1) > model.idAt(row));
    }

    void liveUpdates_respectTheFilter()
    {
        CaptureListModel model(m_options);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QString error;
        QVERIFY(model.open(&error));
        CaptureFilter valid;
        valid.verdict = Verdict::Valid;
        model.setFilter(valid);
        QVERIFY(waitLoaded(model));
        model.attachWriter(m_writer.get());
        QVERIFY(submitAll(0, 90));
        const int wanted = expected(90, [](const Capture &c) { return c.verdict == Verdict::Valid; });
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), wanted, 30000);
        QTest::qWait(200);
        QCOMPARE(model.rowCount(), wanted);
    }

    // Another writer (another process, e.g. `hookbench listen --store` on the same file) is not
    // attached: the list notices its captures through SQLite's data version.
    void capturesFromAnotherWriter_appearToo()
    {
        CaptureListModel model(m_options);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setPollInterval(50);
        QString error;
        QVERIFY(model.open(&error));
        QVERIFY(waitLoaded(model));
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(submitAll(0, 25)); // m_writer is not attached to the model
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 25, 10000);
        QVERIFY(model.idAt(0) > model.idAt(24));
    }

    void deletesClearsAndStatusChanges_reachTheRows()
    {
        QVERIFY(submitAll(0, 50));
        CaptureListModel model(m_options);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QString error;
        QVERIFY(model.open(&error));
        QVERIFY(waitLoaded(model));
        model.attachWriter(m_writer.get());
        QCOMPARE(model.rowCount(), 50);

        // Delete rows 0, 1 and 10 (two ranges).
        const QList<qint64> doomed {model.idAt(0), model.idAt(1), model.idAt(10)};
        const qint64 survivor = model.idAt(2);
        QObject context;
        bool deleted = false;
        m_writer->deleteCaptures(doomed, &context, [&](qint64 count, const QString &) { deleted = count == 3; });
        QTRY_VERIFY(deleted);
        QTRY_COMPARE(model.rowCount(), 47);
        QCOMPARE(model.idAt(0), survivor);
        for (const qint64 id : doomed)
            QCOMPARE(model.rowOf(id), -1);

        // A response status learned later (forward mode) shows up in the row.
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        bool updated = false;
        m_writer->setResponseStatus(
            survivor, 418, &context, [&](qint64, const QString &error) { updated = error.isEmpty(); });
        QTRY_VERIFY(updated);
        QTRY_VERIFY(!changed.isEmpty());
        QCOMPARE(model.index(model.rowOf(survivor), CaptureListModel::StatusColumn).data().toString(),
            QStringLiteral("418"));

        bool cleared = false;
        m_writer->clearSession(m_writer->currentSession(), &context, [&](qint64, const QString &) { cleared = true; });
        QTRY_VERIFY(cleared);
        QTRY_COMPARE(model.rowCount(), 0);
    }
};

QTEST_MAIN(TestCaptureListModel)
#include "tst_capturelistmodel.moc"
