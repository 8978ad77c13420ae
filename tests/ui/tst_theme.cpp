#include "widgets/hexview.h"
#include "widgets/theme.h"
#include "widgets/verdictbadge.h"
#include "widgets/verdictstyle.h"

#include <QApplication>
#include <QClipboard>
#include <QImage>
#include <QRandomGenerator>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTest>

using namespace hookbench;

namespace {

const QList<Verdict> allVerdicts {Verdict::Valid, Verdict::Invalid, Verdict::Unsigned, Verdict::NoSecret};

// How many pixels of `image` are within a small distance of `color`.
int pixelsNear(const QImage &image, const QColor &color)
{
    int count = 0;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            const QColor pixel = image.pixelColor(x, y);
            if (qAbs(pixel.red() - color.red()) + qAbs(pixel.green() - color.green())
                    + qAbs(pixel.blue() - color.blue())
                < 12)
                ++count;
        }
    }
    return count;
}

} // namespace

class TestTheme : public QObject
{
    Q_OBJECT

private slots:
    void cleanup() { QApplication::setPalette(Theme::lightPalette()); }

    void isDark_followsTheWindowColour()
    {
        QVERIFY(!Theme::isDark(Theme::lightPalette()));
        QVERIFY(Theme::isDark(Theme::darkPalette()));
    }

    // WCAG AA for text: 4.5:1, on both backgrounds a verdict is shown on, in both palettes.
    void verdictColours_areReadableInLightAndDark_data()
    {
        QTest::addColumn<bool>("dark");
        QTest::newRow("light") << false;
        QTest::newRow("dark") << true;
    }
    void verdictColours_areReadableInLightAndDark()
    {
        QFETCH(bool, dark);
        const QPalette palette = dark ? Theme::darkPalette() : Theme::lightPalette();
        for (const Verdict verdict : allVerdicts) {
            const QColor text = VerdictStyle::textColor(verdict, dark);
            for (const QPalette::ColorRole role : {QPalette::Base, QPalette::Window, QPalette::AlternateBase}) {
                const double ratio = VerdictStyle::contrast(text, palette.color(role));
                QVERIFY2(ratio >= 4.5,
                    qPrintable(QStringLiteral("%1 on role %2: %3").arg(verdictName(verdict)).arg(role).arg(ratio)));
            }
            const double onTint = VerdictStyle::contrast(text, VerdictStyle::tintColor(verdict, dark));
            QVERIFY2(
                onTint >= 4.5, qPrintable(QStringLiteral("%1 on its badge: %2").arg(verdictName(verdict)).arg(onTint)));
            // The white glyph on the icon's disc: 3:1 is the bar for graphics.
            QVERIFY(VerdictStyle::contrast(Qt::white, VerdictStyle::iconColor(verdict)) >= 3.0);
        }
        for (const int status : {200, 302, 404, 503, 0})
            QVERIFY(VerdictStyle::contrast(httpStatusColor(status, dark), palette.color(QPalette::Base)) >= 4.5);
    }

    void icons_comeFromTheResources_inEverySize()
    {
        for (const Verdict verdict : allVerdicts) {
            const QIcon icon = VerdictStyle::icon(verdict);
            QVERIFY(!icon.isNull());
            const QImage image = icon.pixmap(QSize(32, 32)).toImage();
            QCOMPARE(image.size(), QSize(32, 32));
            // The centre-left of the disc carries the verdict's colour.
            QVERIFY(pixelsNear(image, VerdictStyle::iconColor(verdict)) > 200);
        }
        QVERIFY(!appIcon().isNull());
        QCOMPARE(appIcon().availableSizes().size(), 4);
    }

    void theme_reportsPaletteChanges_fromTheSystemOrTheUser()
    {
        QApplication::setPalette(Theme::lightPalette());
        Theme theme;
        QVERIFY(!theme.isDark());
        QSignalSpy changed(&theme, &Theme::changed);

        // The platform switches to a dark palette (what a desktop theme change does).
        QApplication::setPalette(Theme::darkPalette());
        QTRY_COMPARE(changed.size(), 1);
        QCOMPARE(changed.last().first().toBool(), true);
        QVERIFY(theme.isDark());

        QApplication::setPalette(Theme::lightPalette());
        QTRY_COMPARE(changed.size(), 2);
        QCOMPARE(changed.last().first().toBool(), false);

        // The user forces dark, then goes back to the system's.
        theme.setAppearance(Theme::Appearance::Dark);
        QTRY_COMPARE(changed.size(), 3);
        QVERIFY(Theme::isDark(QApplication::palette()));
        theme.setAppearance(Theme::Appearance::System);
        QTRY_COMPARE(changed.size(), 4);
        QVERIFY(!Theme::isDark(QApplication::palette()));
    }

    void badge_repaintsInTheNewPalette()
    {
        QApplication::setPalette(Theme::lightPalette());
        VerdictBadge badge;
        badge.setVerdict(Verdict::Invalid);
        badge.resize(badge.sizeHint());
        badge.show();
        const QImage light = badge.grab().toImage();
        QVERIFY(pixelsNear(light, VerdictStyle::textColor(Verdict::Invalid, false)) > 10);
        QCOMPARE(pixelsNear(light, VerdictStyle::textColor(Verdict::Invalid, true)), 0);

        QApplication::setPalette(Theme::darkPalette());
        QTRY_VERIFY(Theme::isDark(badge.palette()));
        const QImage dark = badge.grab().toImage();
        QVERIFY(pixelsNear(dark, VerdictStyle::textColor(Verdict::Invalid, true)) > 10);
        QCOMPARE(badge.text(), QStringLiteral("Invalid"));
    }

    void hexView_formatsSelectsAndCopies()
    {
        HexView view;
        view.resize(700, 300);
        view.show();
        QByteArray data;
        for (int i = 0; i < 40; ++i)
            data += char(i * 7);
        view.setData(data);
        QCOMPARE(view.dumpLines(2, 1),
            QStringLiteral("00000020  e0 e7 ee f5 fc 03 0a 11                           ........\n"));
        view.setSelection(1, 4);
        QCOMPARE(view.selectedBytes(), data.mid(1, 3));
        QCOMPARE(view.selectionAsHex(), QStringLiteral("07 0e 15"));
        view.setFocus();
        QTest::keyClick(&view, Qt::Key_C, Qt::ControlModifier);
        QCOMPARE(QApplication::clipboard()->text(), QStringLiteral("07 0e 15"));
        // Keyboard selection: from byte 0, Shift+Right twice selects bytes 0..2.
        QTest::keyClick(&view, Qt::Key_Home, Qt::ControlModifier);
        QTest::keyClick(&view, Qt::Key_Right, Qt::ShiftModifier);
        QTest::keyClick(&view, Qt::Key_Right, Qt::ShiftModifier);
        QCOMPARE(view.selectedBytes(), data.left(3));
        QVERIFY(!view.grab().isNull());
    }

    void hexView_bigData_scrollsToAnyOffset()
    {
        HexView view;
        view.resize(700, 300);
        view.show();
        QByteArray data(16 * 1024 * 1024, Qt::Uninitialized);
        QRandomGenerator generator(7);
        generator.fillRange(reinterpret_cast<quint32 *>(data.data()), data.size() / 4);
        view.setData(data);
        QCOMPARE(view.verticalScrollBar()->maximum(), 1024 * 1024 - view.visibleLineCount());
        const qsizetype offset = 12 * 1024 * 1024 + 5;
        view.setMarkedRange(offset, 1);
        view.scrollToOffset(offset);
        const qsizetype line = offset / HexView::BytesPerLine;
        QVERIFY(view.firstVisibleLine() <= line);
        QVERIFY(line < view.firstVisibleLine() + view.visibleLineCount());
        QTest::keyClick(&view, Qt::Key_End, Qt::ControlModifier);
        QCOMPARE(view.firstVisibleLine(), qsizetype(view.verticalScrollBar()->maximum()));
        QVERIFY(!view.grab().isNull());
    }
};

QTEST_MAIN(TestTheme)
#include "tst_theme.moc"
