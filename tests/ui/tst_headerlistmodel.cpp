#include "models/headerlistmodel.h"

#include <QAbstractItemModelTester>
#include <QFont>
#include <QSignalSpy>
#include <QTest>

using namespace hookbench;

class TestHeaderListModel : public QObject
{
    Q_OBJECT

private slots:
    void rows_keepReceivedOrderCaseAndDuplicates()
    {
        HeaderListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const HeaderList headers {{"Host", "127.0.0.1:5000"}, {"x-dup", "one"}, {"X-Dup", "two"},
            {"Authorization", "8b7df143d91c716ecfa5fc1730022f6b"}};
        model.setHeaders(headers);
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(model.columnCount(), 3);
        QCOMPARE(model.index(0, HeaderListModel::PositionColumn).data().toInt(), 1);
        QCOMPARE(model.index(1, HeaderListModel::NameColumn).data().toString(), QStringLiteral("x-dup"));
        QCOMPARE(model.index(2, HeaderListModel::NameColumn).data().toString(), QStringLiteral("X-Dup"));
        QCOMPARE(model.index(2, HeaderListModel::ValueColumn).data().toString(), QStringLiteral("two"));
        QCOMPARE(model.index(3, 0).data(HeaderListModel::RawLineRole).toByteArray(),
            QByteArray("Authorization: 8b7df143d91c716ecfa5fc1730022f6b"));
        QCOMPARE(model.headerData(HeaderListModel::ValueColumn, Qt::Horizontal).toString(), QStringLiteral("Value"));

        model.setHeaders({});
        QCOMPARE(model.rowCount(), 0);
    }

    void display_escapesBytesThatAreNotPrintableUtf8()
    {
        HeaderListModel model;
        model.setHeaders({{"X-Latin1", "caf\xe9"}, {"X-Utf8", "caf\xc3\xa9"},
            {"X-Control",
                "a\x01"
                "b"},
            {"X-Bidi",
                "abc\xe2\x80\xae"
                "def"}});
        QCOMPARE(model.index(0, HeaderListModel::ValueColumn).data().toString(), QStringLiteral("caf\\xe9"));
        QCOMPARE(model.index(1, HeaderListModel::ValueColumn).data().toString(), QStringLiteral("caf\u00e9"));
        QCOMPARE(model.index(2, HeaderListModel::ValueColumn).data().toString(), QStringLiteral("a\\x01b"));
        QCOMPARE(
            model.index(3, HeaderListModel::ValueColumn).data().toString(), QStringLiteral("abc\\xe2\\x80\\xaedef"));
        // The raw role keeps the bytes.
        QCOMPARE(model.index(0, 0).data(HeaderListModel::RawValueRole).toByteArray(), QByteArray("caf\xe9"));
    }

    void linesForRows_areTheExactLinesInListOrder()
    {
        HeaderListModel model;
        model.setHeaders({{"A", "1"}, {"B", " two "}, {"C", ""}});
        QCOMPARE(model.linesForRows({2, 0, 0}), QByteArray("A: 1\nC: "));
        QCOMPARE(model.linesForRows({1}), QByteArray("B:  two "));
        QCOMPARE(model.linesForRows({7, -1}), QByteArray());
    }

    void highlightedName_boldsTheSignatureHeaderInAnyCase()
    {
        HeaderListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setHeaders({{"authorization", "x"}, {"Host", "h"}});
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setHighlightedName("Authorization");
        QCOMPARE(changed.size(), 1);
        QVERIFY(model.index(0, HeaderListModel::NameColumn).data(Qt::FontRole).value<QFont>().bold());
        QVERIFY(!model.index(1, HeaderListModel::NameColumn).data(Qt::FontRole).value<QFont>().bold());
    }
};

QTEST_MAIN(TestHeaderListModel)
#include "tst_headerlistmodel.moc"
