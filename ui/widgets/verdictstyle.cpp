#include "verdictstyle.h"

#include "iconpainter.h"

#include <QCoreApplication>
#include <QHash>
#include <QPainter>
#include <QPointer>
#include <QtMath>

static void initHookbenchResources()
{
    Q_INIT_RESOURCE(hookbench);
}

namespace hookbench {

namespace {

double relativeLuminance(const QColor &color)
{
    auto channel = [](double c) { return c <= 0.03928 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4); };
    return 0.2126 * channel(color.redF()) + 0.7152 * channel(color.greenF()) + 0.0722 * channel(color.blueF());
}

QColor blend(const QColor &over, const QColor &under, double alpha)
{
    return QColor::fromRgbF(float(over.redF() * alpha + under.redF() * (1 - alpha)),
        float(over.greenF() * alpha + under.greenF() * (1 - alpha)),
        float(over.blueF() * alpha + under.blueF() * (1 - alpha)));
}

QString iconName(Verdict verdict)
{
    return QStringLiteral("verdict-") + verdictName(verdict);
}

} // namespace

void initUiResources()
{
    static const bool done = [] {
        initHookbenchResources();
        return true;
    }();
    Q_UNUSED(done);
}

QString VerdictStyle::label(Verdict verdict)
{
    switch (verdict) {
    case Verdict::Valid:
        return QStringLiteral("Valid");
    case Verdict::Invalid:
        return QStringLiteral("Invalid");
    case Verdict::Unsigned:
        return QStringLiteral("Unsigned");
    case Verdict::NoSecret:
        return QStringLiteral("No secret");
    }
    return {};
}

QColor VerdictStyle::textColor(Verdict verdict, bool dark)
{
    // GitHub Primer's success/danger/attention/muted foregrounds, which are tuned for both modes.
    switch (verdict) {
    case Verdict::Valid:
        return dark ? QColor(0x3f, 0xb9, 0x50) : QColor(0x11, 0x63, 0x29);
    case Verdict::Invalid:
        return dark ? QColor(0xff, 0x7b, 0x72) : QColor(0xc5, 0x1d, 0x28);
    case Verdict::Unsigned:
        return dark ? QColor(0xd2, 0x99, 0x22) : QColor(0x7d, 0x4e, 0x00);
    case Verdict::NoSecret:
        return dark ? QColor(0xa0, 0xa8, 0xb2) : QColor(0x57, 0x60, 0x6a);
    }
    return {};
}

QColor VerdictStyle::iconColor(Verdict verdict)
{
    return verdictIconColor(verdict);
}

void VerdictStyle::paintIcon(QPainter *painter, const QRectF &rect, Verdict verdict)
{
    paintVerdictIcon(painter, rect, verdict);
}

QColor VerdictStyle::tintColor(Verdict verdict, bool dark)
{
    const QColor background = dark ? QColor(0x1e, 0x1f, 0x22) : QColor(Qt::white);
    return blend(iconColor(verdict), background, dark ? 0.22 : 0.12);
}

QIcon VerdictStyle::icon(Verdict verdict)
{
    // Decoded once per application: lists ask for an icon per row on every repaint. Held by an
    // object of the application so the pixmaps go before QGuiApplication does.
    struct IconCache : QObject
    {
        QHash<int, QIcon> icons;
    };
    static QPointer<IconCache> cache;
    if (!cache && QCoreApplication::instance()) {
        cache = new IconCache;
        cache->setParent(QCoreApplication::instance());
    }
    if (cache) {
        const auto found = cache->icons.constFind(int(verdict));
        if (found != cache->icons.cend())
            return *found;
    }
    initUiResources();
    QIcon icon;
    for (const int size : {16, 24, 32, 48})
        icon.addFile(QStringLiteral(":/icons/%1-%2.png").arg(iconName(verdict)).arg(size), QSize(size, size));
    if (cache)
        cache->icons.insert(int(verdict), icon);
    return icon;
}

double VerdictStyle::contrast(const QColor &a, const QColor &b)
{
    const double la = relativeLuminance(a);
    const double lb = relativeLuminance(b);
    return (qMax(la, lb) + 0.05) / (qMin(la, lb) + 0.05);
}

QColor httpStatusColor(int status, bool dark)
{
    if (status >= 200 && status < 300)
        return VerdictStyle::textColor(Verdict::Valid, dark);
    if (status >= 300 && status < 400)
        return dark ? QColor(0x6c, 0xb6, 0xff) : QColor(0x05, 0x50, 0xae);
    if (status >= 400 && status < 500)
        return VerdictStyle::textColor(Verdict::Unsigned, dark);
    if (status >= 500)
        return VerdictStyle::textColor(Verdict::Invalid, dark);
    return VerdictStyle::textColor(Verdict::NoSecret, dark);
}

QIcon appIcon()
{
    initUiResources();
    QIcon icon;
    for (const int size : {16, 32, 64, 256})
        icon.addFile(QStringLiteral(":/icons/hookbench-%1.png").arg(size), QSize(size, size));
    return icon;
}

} // namespace hookbench
