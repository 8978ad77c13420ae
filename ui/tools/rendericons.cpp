// Renders the icons in ui/resources/icons from the painting code in VerdictStyle, so the
// pictures have one source and can be regenerated: scripts/render-icons.
#include "widgets/iconpainter.h"

#include <QDir>
#include <QGuiApplication>
#include <QImage>
#include <QPainter>

#include <cstdio>
#include <functional>

using namespace hookbench;

namespace {

bool render(const QString &path, int size, const std::function<void(QPainter *, const QRectF &)> &paint)
{
    QImage image(size, size, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    QPainter painter(&image);
    paint(&painter, QRectF(0, 0, size, size));
    painter.end();
    return image.save(path, "PNG");
}

} // namespace

int main(int argc, char *argv[])
{
    QGuiApplication app(argc, argv);
    const QString directory = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QStringLiteral(".");
    QDir().mkpath(directory);
    bool ok = true;
    for (const Verdict verdict : {Verdict::Valid, Verdict::Invalid, Verdict::Unsigned, Verdict::NoSecret}) {
        for (const int size : {16, 24, 32, 48}) {
            const QString path = QStringLiteral("%1/verdict-%2-%3.png").arg(directory, verdictName(verdict)).arg(size);
            ok &= render(path, size, [verdict](QPainter *p, const QRectF &r) { paintVerdictIcon(p, r, verdict); });
        }
    }
    for (const int size : {16, 32, 64, 256}) {
        const QString path = QStringLiteral("%1/hookbench-%2.png").arg(directory).arg(size);
        ok &= render(path, size, paintAppIcon);
    }
    if (!ok) {
        std::fprintf(stderr, "render-icons: can't write the icons to %s\n", qPrintable(directory));
        return 1;
    }
    return 0;
}
