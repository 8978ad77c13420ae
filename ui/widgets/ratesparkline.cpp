#include "ratesparkline.h"

#include <QPainter>
#include <QPainterPath>

#include <algorithm>

namespace hookbench {

RateSparkline::RateSparkline(QWidget *parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    setAccessibleName(QStringLiteral("Capture rate, last minute"));
}

void RateSparkline::setCapacity(int samples)
{
    m_capacity = qMax(2, samples);
    while (m_samples.size() > m_capacity)
        m_samples.removeFirst();
    update();
}

void RateSparkline::addSample(double value)
{
    m_samples.append(qMax(0.0, value));
    while (m_samples.size() > m_capacity)
        m_samples.removeFirst();
    setToolTip(QStringLiteral("%1/s now, peak %2/s in the last %3 s")
                   .arg(m_samples.last(), 0, 'f', 0)
                   .arg(peak(), 0, 'f', 0)
                   .arg(m_samples.size()));
    update();
}

void RateSparkline::clear()
{
    m_samples.clear();
    setToolTip(QString());
    update();
}

double RateSparkline::peak() const
{
    return m_samples.isEmpty() ? 0.0 : *std::max_element(m_samples.cbegin(), m_samples.cend());
}

void RateSparkline::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QRectF area = QRectF(rect()).adjusted(1.5, 1.5, -1.5, -1.5);
    const QColor line = palette().color(QPalette::Highlight);
    painter.setPen(QPen(palette().color(QPalette::Mid), 1));
    painter.drawLine(area.bottomLeft(), area.bottomRight());
    if (m_samples.size() < 2)
        return;
    const double top = qMax(1.0, peak());
    const double step = area.width() / (m_capacity - 1);
    // Right-aligned: the newest sample is always at the right edge.
    const double x0 = area.right() - step * (m_samples.size() - 1);
    QPainterPath path;
    for (qsizetype i = 0; i < m_samples.size(); ++i) {
        const QPointF point(x0 + step * i, area.bottom() - area.height() * m_samples.at(i) / top);
        if (i == 0)
            path.moveTo(point);
        else
            path.lineTo(point);
    }
    QPainterPath fill = path;
    fill.lineTo(area.right(), area.bottom());
    fill.lineTo(x0, area.bottom());
    fill.closeSubpath();
    QColor shade = line;
    shade.setAlpha(60);
    painter.fillPath(fill, shade);
    painter.setPen(QPen(line, 1.5));
    painter.drawPath(path);
}

} // namespace hookbench
