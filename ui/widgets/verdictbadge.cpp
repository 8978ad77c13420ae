#include "verdictbadge.h"

#include "theme.h"
#include "verdictstyle.h"

#include <QEvent>
#include <QPainter>

namespace hookbench {

VerdictBadge::VerdictBadge(QWidget *parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    setAccessibleName(QStringLiteral("Verdict"));
}

void VerdictBadge::setVerdict(Verdict verdict)
{
    m_verdict = verdict;
    m_hasVerdict = true;
    setAccessibleDescription(text());
    setToolTip(text());
    updateGeometry();
    update();
}

void VerdictBadge::clear()
{
    m_hasVerdict = false;
    setAccessibleDescription(QString());
    update();
}

QString VerdictBadge::text() const
{
    return m_hasVerdict ? VerdictStyle::label(m_verdict) : QString();
}

QSize VerdictBadge::sizeHint() const
{
    QFont font = this->font();
    font.setBold(true);
    const QFontMetrics metrics(font);
    const int height = metrics.height() + 8;
    const int iconSize = metrics.height();
    const QString widest = VerdictStyle::label(Verdict::NoSecret);
    return {iconSize + metrics.horizontalAdvance(widest) + 24, height};
}

void VerdictBadge::paintEvent(QPaintEvent *)
{
    if (!m_hasVerdict)
        return;
    const bool dark = Theme::isDark(palette());
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    QFont font = this->font();
    font.setBold(true);
    painter.setFont(font);
    const QFontMetrics metrics(font);
    const QString label = VerdictStyle::label(m_verdict);
    const int iconSize = metrics.height();
    const int width = qMin(this->width(), iconSize + metrics.horizontalAdvance(label) + 24);
    const QRectF pill(0.5, 0.5, width - 1, height() - 1);
    painter.setPen(QPen(VerdictStyle::textColor(m_verdict, dark), 1));
    painter.setBrush(VerdictStyle::tintColor(m_verdict, dark));
    painter.drawRoundedRect(pill, pill.height() / 2, pill.height() / 2);
    const QRect iconRect(8, (height() - iconSize) / 2, iconSize, iconSize);
    VerdictStyle::icon(m_verdict).paint(&painter, iconRect);
    painter.setPen(VerdictStyle::textColor(m_verdict, dark));
    painter.drawText(QRect(iconRect.right() + 6, 0, width - iconRect.right() - 6, height()),
        Qt::AlignVCenter | Qt::AlignLeft, label);
}

void VerdictBadge::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange)
        update();
    QWidget::changeEvent(event);
}

} // namespace hookbench
