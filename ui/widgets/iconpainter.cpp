#include "iconpainter.h"

#include <QPainter>
#include <QPainterPath>

namespace hookbench {

QColor verdictIconColor(Verdict verdict)
{
    switch (verdict) {
    case Verdict::Valid:
        return QColor(0x1f, 0x88, 0x3d);
    case Verdict::Invalid:
        return QColor(0xcf, 0x22, 0x2e);
    case Verdict::Unsigned:
        return QColor(0xbf, 0x87, 0x00);
    case Verdict::NoSecret:
        return QColor(0x6e, 0x77, 0x81);
    }
    return {};
}

void paintVerdictIcon(QPainter *painter, const QRectF &rect, Verdict verdict)
{
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    const double size = qMin(rect.width(), rect.height());
    const QRectF square(rect.center().x() - size / 2, rect.center().y() - size / 2, size, size);
    const QRectF disc = square.adjusted(size * 0.03, size * 0.03, -size * 0.03, -size * 0.03);
    painter->setPen(Qt::NoPen);
    painter->setBrush(verdictIconColor(verdict));
    painter->drawEllipse(disc);

    QPen glyph(Qt::white, size * 0.13, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
    painter->setPen(glyph);
    painter->setBrush(Qt::NoBrush);
    auto at = [&](double x, double y) { return QPointF(square.left() + x * size, square.top() + y * size); };
    switch (verdict) {
    case Verdict::Valid: {
        QPainterPath check;
        check.moveTo(at(0.28, 0.52));
        check.lineTo(at(0.44, 0.68));
        check.lineTo(at(0.73, 0.35));
        painter->drawPath(check);
        break;
    }
    case Verdict::Invalid:
        painter->drawLine(at(0.33, 0.33), at(0.67, 0.67));
        painter->drawLine(at(0.67, 0.33), at(0.33, 0.67));
        break;
    case Verdict::Unsigned:
        painter->drawLine(at(0.5, 0.26), at(0.5, 0.56));
        painter->setPen(Qt::NoPen);
        painter->setBrush(Qt::white);
        painter->drawEllipse(at(0.5, 0.73), size * 0.075, size * 0.075);
        break;
    case Verdict::NoSecret:
        painter->drawLine(at(0.3, 0.5), at(0.7, 0.5));
        break;
    }
    painter->restore();
}

void paintAppIcon(QPainter *painter, const QRectF &rect)
{
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    const double s = qMin(rect.width(), rect.height());
    const QRectF tile(rect.center().x() - s / 2, rect.center().y() - s / 2, s, s);
    QLinearGradient gradient(tile.topLeft(), tile.bottomRight());
    gradient.setColorAt(0, QColor(0x2f, 0x6f, 0xd0));
    gradient.setColorAt(1, QColor(0x1b, 0x3f, 0x8f));
    painter->setPen(Qt::NoPen);
    painter->setBrush(gradient);
    painter->drawRoundedRect(tile.adjusted(s * 0.04, s * 0.04, -s * 0.04, -s * 0.04), s * 0.2, s * 0.2);

    auto at = [&](double x, double y) { return QPointF(tile.left() + x * s, tile.top() + y * s); };
    // A hook: shank down from the eye, a bend, the barb pointing up.
    QPainterPath hook;
    hook.moveTo(at(0.56, 0.2));
    hook.lineTo(at(0.56, 0.6));
    hook.arcTo(QRectF(at(0.28, 0.46), QSizeF(s * 0.28, s * 0.28)), 0, -180);
    hook.lineTo(at(0.28, 0.52));
    painter->setPen(QPen(Qt::white, s * 0.085, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    painter->setBrush(Qt::NoBrush);
    painter->drawPath(hook);
    painter->drawEllipse(at(0.56, 0.16), s * 0.05, s * 0.05);
    // A green check: the verdict that makes the tool worth it.
    painter->setPen(QPen(QColor(0x4a, 0xde, 0x80), s * 0.075, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    QPainterPath check;
    check.moveTo(at(0.62, 0.62));
    check.lineTo(at(0.69, 0.7));
    check.lineTo(at(0.82, 0.52));
    painter->drawPath(check);
    painter->restore();
}

} // namespace hookbench
