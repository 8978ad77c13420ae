#include "runtimeline.h"

#include "dbtrunsmodel.h"

#include <QDateTime>
#include <QFontMetricsF>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QLinearGradient>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QTimeZone>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace hookbench {

namespace {

constexpr int labelWidth = 180;
constexpr int axisHeight = 30;
constexpr int laneHeight = 34;
constexpr int barHeight = 18;
constexpr int rightMargin = 16;
constexpr qint64 second = 1000;
constexpr qint64 minute = 60 * second;
constexpr qint64 hour = 60 * minute;
constexpr qint64 day = 24 * hour;
constexpr double minSpanMs = 2 * second;
constexpr double maxSpanMs = 5.0 * 366 * day;

qint64 localOffsetMs(qint64 ms)
{
    return qint64(QDateTime::fromMSecsSinceEpoch(ms).offsetFromUtc()) * 1000;
}

QColor mix(const QColor &a, const QColor &b, double t)
{
    return QColor::fromRgbF(float(a.redF() * (1 - t) + b.redF() * t), float(a.greenF() * (1 - t) + b.greenF() * t),
        float(a.blueF() * (1 - t) + b.blueF() * t), float(a.alphaF() * (1 - t) + b.alphaF() * t));
}

bool isLight(const QColor &color)
{
    return 0.299 * color.redF() + 0.587 * color.greenF() + 0.114 * color.blueF() > 0.6;
}

} // namespace

RunTimeline::RunTimeline(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("runTimeline"));
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setFocusPolicy(Qt::StrongFocus);
    setAccessibleName(QStringLiteral("Runs timeline"));
    m_tick.setInterval(1000);
    connect(&m_tick, &QTimer::timeout, this, [this] {
        if (m_autoFit)
            fitRange();
        update();
    });
    m_rebuildTimer.setSingleShot(true);
    m_rebuildTimer.setInterval(100);
    connect(&m_rebuildTimer, &QTimer::timeout, this, &RunTimeline::rebuild);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    m_start = double(now - hour);
    m_end = double(now);
}

void RunTimeline::setModel(DbtRunsModel *model)
{
    if (m_model)
        disconnect(m_model, nullptr, this, nullptr);
    m_model = model;
    if (model) {
        connect(model, &QAbstractItemModel::modelReset, this, [this] {
            m_selected = -1;
            m_hovered = -1;
            rebuild();
        });
        // Rows arrive in batches (a page while loading, a tick while live): the lanes and spans
        // are rebuilt once for several batches, or when something needs them first.
        auto changed = [this] {
            m_dirty = true;
            if (!m_rebuildTimer.isActive())
                m_rebuildTimer.start();
        };
        connect(model, &QAbstractItemModel::rowsInserted, this, changed);
        connect(model, &QAbstractItemModel::dataChanged, this, changed);
    }
    rebuild();
}

void RunTimeline::setDark(bool dark)
{
    m_dark = dark;
    update();
}

QString RunTimeline::laneTitle(int lane) const
{
    return lane >= 0 && lane < m_lanes.size() ? m_lanes.at(lane).title : QString();
}

void RunTimeline::rebuild()
{
    m_rebuildTimer.stop();
    m_dirty = true;
    ensureBuilt();
    const int rows = int(m_starts.size());
    if (m_selected >= rows)
        m_selected = -1;
    if (m_hovered >= rows)
        m_hovered = -1;
    if (m_autoFit)
        fitRange();
    updateTicking();
    setMinimumHeight(axisHeight + int(qMin<qsizetype>(qMax<qsizetype>(m_lanes.size(), 2), 6)) * laneHeight + 4);
    m_preferredHeight = axisHeight + int(qMax<qsizetype>(m_lanes.size(), 3)) * laneHeight + 12;
    updateGeometry();
    update();
}

void RunTimeline::ensureBuilt() const
{
    if (!m_dirty)
        return;
    m_dirty = false;
    m_lanes.clear();
    m_laneOfRow.clear();
    m_starts.clear();
    m_ends.clear();
    m_running.clear();
    m_anyRunning = false;
    const int rows = m_model ? m_model->rowCount() : 0;
    m_starts.reserve(rows);
    m_ends.reserve(rows);
    m_running.reserve(rows);
    m_laneOfRow.reserve(rows);
    // The spans once per rebuild: QDateTime is too slow to ask for in every paint and hit test.
    for (int row = 0; row < rows; ++row) {
        const DbtRun &run = m_model->run(row);
        m_starts.append(DbtRunsModel::startMs(run));
        m_ends.append(DbtRunsModel::endMs(run));
        m_running.append(!run.hasEnded());
        m_anyRunning = m_anyRunning || !run.hasEnded();
    }
    QHash<QString, int> laneOfKey;
    for (int row = 0; row < rows; ++row) {
        const DbtRun &run = m_model->run(row);
        const QString key = !run.jobId.isEmpty() ? run.jobId : run.jobName;
        auto it = laneOfKey.constFind(key);
        if (it == laneOfKey.cend()) {
            Lane lane;
            lane.key = key;
            lane.title = !run.jobName.isEmpty() ? run.jobName
                : !run.jobId.isEmpty()          ? QStringLiteral("Job %1").arg(run.jobId)
                                                : QStringLiteral("Unknown job");
            QStringList details;
            if (!run.jobId.isEmpty())
                details << QStringLiteral("#") + run.jobId;
            if (!run.environmentName.isEmpty())
                details << run.environmentName;
            lane.subtitle = details.join(QStringLiteral(" · "));
            lane.firstStart = m_starts.at(row);
            it = laneOfKey.insert(key, int(m_lanes.size()));
            m_lanes.append(lane);
        }
        Lane &lane = m_lanes[*it];
        const qint64 started = m_starts.at(row);
        lane.firstStart = qMin(lane.firstStart, started);
        // A renamed job shows its latest name.
        if (started >= lane.lastStart && !run.jobName.isEmpty()) {
            lane.lastStart = started;
            lane.title = run.jobName;
        }
        m_laneOfRow.append(*it);
    }
    // Lanes in the order their jobs first ran: the oldest job at the top.
    QList<int> order(m_lanes.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [this](int a, int b) {
        const Lane &la = m_lanes.at(a);
        const Lane &lb = m_lanes.at(b);
        return la.firstStart != lb.firstStart ? la.firstStart < lb.firstStart : la.title < lb.title;
    });
    QList<int> position(m_lanes.size());
    QList<Lane> sorted;
    for (int i = 0; i < order.size(); ++i) {
        position[order.at(i)] = i;
        sorted.append(m_lanes.at(order.at(i)));
    }
    m_lanes = sorted;
    m_rowsOfLane = QList<QList<int>>(m_lanes.size());
    for (int row = 0; row < rows; ++row) {
        m_laneOfRow[row] = position.at(m_laneOfRow.at(row));
        m_rowsOfLane[m_laneOfRow.at(row)].append(row);
    }
    // Each lane's rows by start, for culling and hit tests.
    for (QList<int> &laneRows : m_rowsOfLane) {
        std::stable_sort(
            laneRows.begin(), laneRows.end(), [this](int a, int b) { return m_starts.at(a) < m_starts.at(b); });
    }
    m_byStart = QList<int>(rows);
    std::iota(m_byStart.begin(), m_byStart.end(), 0);
    std::stable_sort(
        m_byStart.begin(), m_byStart.end(), [this](int a, int b) { return m_starts.at(a) < m_starts.at(b); });
    if (m_autoFit)
        fitRange();
}

void RunTimeline::updateTicking()
{
    if (m_anyRunning && !m_tick.isActive())
        m_tick.start();
    else if (!m_anyRunning)
        m_tick.stop();
}

bool RunTimeline::isRunning(int row) const
{
    ensureBuilt();
    return m_running.value(row);
}

qint64 RunTimeline::runStartMs(int row) const
{
    ensureBuilt();
    return m_starts.value(row);
}

qint64 RunTimeline::runEndMs(int row) const
{
    ensureBuilt();
    if (m_running.value(row))
        return qMax(m_starts.value(row), m_now ? m_now : QDateTime::currentMSecsSinceEpoch());
    return m_ends.value(row);
}

void RunTimeline::fitRange() const
{
    ensureBuilt();
    const int rows = int(m_starts.size());
    if (rows == 0) {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        m_start = double(now - hour);
        m_end = double(now);
        return;
    }
    const qint64 first = *std::min_element(m_starts.cbegin(), m_starts.cend());
    qint64 last = *std::max_element(m_ends.cbegin(), m_ends.cend());
    if (m_anyRunning)
        last = qMax(last, QDateTime::currentMSecsSinceEpoch());
    double span = qMax(double(last - first), 60.0 * second);
    const double pad = span * 0.06;
    const double middle = (double(first) + double(last)) / 2;
    span = qMin(span + 2 * pad, maxSpanMs);
    m_start = middle - span / 2;
    m_end = middle + span / 2;
}

void RunTimeline::fitAll()
{
    m_autoFit = true;
    fitRange();
    update();
    emit viewChanged();
}

void RunTimeline::setViewRange(qint64 startMs, qint64 endMs)
{
    if (endMs - startMs < minSpanMs)
        endMs = startMs + qint64(minSpanMs);
    m_start = double(startMs);
    m_end = double(endMs);
    m_autoFit = false;
    update();
    emit viewChanged();
}

QRectF RunTimeline::plotRect() const
{
    return QRectF(
        labelWidth, axisHeight, qMax(10, width() - labelWidth - rightMargin), qMax(10, height() - axisHeight));
}

double RunTimeline::xFor(qint64 ms) const
{
    const QRectF plot = plotRect();
    return plot.left() + (double(ms) - m_start) / (m_end - m_start) * plot.width();
}

qint64 RunTimeline::msAt(double x) const
{
    const QRectF plot = plotRect();
    return qint64(m_start + (x - plot.left()) / plot.width() * (m_end - m_start));
}

QRectF RunTimeline::barRect(int row) const
{
    const int lane = laneOf(row);
    if (lane < 0)
        return {};
    const QRectF plot = plotRect();
    const double top = plot.top() + lane * laneHeight + (laneHeight - barHeight) / 2.0;
    double left = xFor(runStartMs(row));
    double right = xFor(runEndMs(row));
    // Short runs stay visible and clickable at any zoom.
    if (right - left < 6) {
        const double middle = (left + right) / 2;
        left = middle - 3;
        right = middle + 3;
    }
    return QRectF(left, top, right - left, barHeight);
}

int RunTimeline::laneOf(int row) const
{
    ensureBuilt();
    return m_laneOfRow.value(row, -1);
}

int RunTimeline::laneCount() const
{
    ensureBuilt();
    return int(m_lanes.size());
}

int RunTimeline::runAt(const QPointF &pos) const
{
    ensureBuilt();
    const QRectF plot = plotRect();
    if (!plot.contains(pos))
        return -1;
    const int lane = int((pos.y() - plot.top()) / laneHeight);
    if (lane < 0 || lane >= m_rowsOfLane.size())
        return -1;
    // Only the lane under the point, and only runs that start before it (rows sorted by start).
    const QList<int> &rows = m_rowsOfLane.at(lane);
    const qint64 slack = qint64((m_end - m_start) / plot.width() * 8) + 1;
    const qint64 at = msAt(pos.x());
    const auto end = std::upper_bound(
        rows.cbegin(), rows.cend(), at + slack, [this](qint64 ms, int row) { return ms < m_starts.at(row); });
    int best = -1;
    double bestDistance = 1e9;
    for (auto it = rows.cbegin(); it != end; ++it) {
        const int row = *it;
        if (runEndMs(row) + slack < at)
            continue;
        const QRectF bar = barRect(row).adjusted(-3, -4, 3, 4);
        if (!bar.contains(pos))
            continue;
        // Overlapping bars in a lane: the one whose middle is closest wins (the later one on a tie).
        const double distance = std::abs(bar.center().x() - pos.x());
        if (best < 0 || distance <= bestDistance + 0.5) {
            best = row;
            bestDistance = distance;
        }
    }
    return best;
}

QList<qint64> RunTimeline::ticks(qint64 startMs, qint64 endMs, int width, qint64 *stepMs)
{
    static const qint64 steps[] = {second, 2 * second, 5 * second, 10 * second, 15 * second, 30 * second, minute,
        2 * minute, 5 * minute, 10 * minute, 15 * minute, 30 * minute, hour, 2 * hour, 3 * hour, 6 * hour, 12 * hour,
        day, 2 * day, 7 * day, 14 * day, 28 * day, 91 * day, 182 * day, 364 * day};
    QList<qint64> result;
    if (endMs <= startMs || width <= 0)
        return result;
    const double msPerPixel = double(endMs - startMs) / width;
    qint64 step = steps[std::size(steps) - 1];
    for (const qint64 candidate : steps) {
        if (candidate / msPerPixel >= 90) {
            step = candidate;
            break;
        }
    }
    if (stepMs)
        *stepMs = step;
    // Aligned to local time: ticks fall on whole minutes, hours and local midnights.
    const qint64 offset = localOffsetMs(startMs);
    qint64 tick = ((startMs + offset) / step) * step - offset;
    if (tick < startMs)
        tick += step;
    for (; tick <= endMs && result.size() < 1000; tick += step)
        result.append(tick);
    return result;
}

QString RunTimeline::tickLabel(qint64 ms, qint64 stepMs)
{
    const QDateTime local = QDateTime::fromMSecsSinceEpoch(ms);
    if (stepMs < minute)
        return local.toString(QStringLiteral("HH:mm:ss"));
    if (stepMs < day) {
        if (local.time() == QTime(0, 0))
            return local.toString(QStringLiteral("d MMM"));
        return local.toString(QStringLiteral("HH:mm"));
    }
    return local.toString(QStringLiteral("d MMM"));
}

void RunTimeline::paintEvent(QPaintEvent *)
{
    m_now = QDateTime::currentMSecsSinceEpoch();
    ensureBuilt();
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette pal = palette();
    const QColor base = pal.color(QPalette::Base);
    const QColor text = pal.color(QPalette::Text);
    const QColor muted = mix(text, base, 0.45);
    const QColor grid = mix(text, base, m_dark ? 0.86 : 0.9);
    const QColor laneShade = mix(text, base, m_dark ? 0.96 : 0.975);
    p.fillRect(rect(), base);

    const QRectF plot = plotRect();
    const int rows = int(m_starts.size());

    // Lanes: alternate shading, the job on the left.
    QFont titleFont = font();
    titleFont.setBold(true);
    QFont smallFont = font();
    smallFont.setPointSizeF(font().pointSizeF() * 0.85);
    for (int lane = 0; lane < m_lanes.size(); ++lane) {
        const QRectF band(0, plot.top() + lane * laneHeight, width(), laneHeight);
        if (band.top() > height())
            break;
        if (lane % 2 == 1)
            p.fillRect(band, laneShade);
        const Lane &info = m_lanes.at(lane);
        const QRectF label(10, band.top() + 2, labelWidth - 18, laneHeight - 4);
        p.setPen(text);
        p.setFont(titleFont);
        const QFontMetricsF titleMetrics(titleFont);
        p.drawText(QRectF(label.left(), label.top(), label.width(), label.height() / 2 + 2),
            Qt::AlignLeft | Qt::AlignBottom, titleMetrics.elidedText(info.title, Qt::ElideRight, label.width()));
        p.setFont(smallFont);
        p.setPen(muted);
        const QFontMetricsF smallMetrics(smallFont);
        p.drawText(QRectF(label.left(), label.center().y() + 1, label.width(), label.height() / 2),
            Qt::AlignLeft | Qt::AlignTop, smallMetrics.elidedText(info.subtitle, Qt::ElideRight, label.width()));
    }

    // Time axis: ticks and their grid lines.
    qint64 step = 0;
    const QList<qint64> tickList = ticks(qint64(m_start), qint64(m_end), int(plot.width()), &step);
    p.setFont(smallFont);
    for (const qint64 tick : tickList) {
        const double x = xFor(tick);
        p.setPen(QPen(grid, 1));
        p.drawLine(QPointF(x, axisHeight - 6), QPointF(x, height()));
        p.setPen(muted);
        p.drawText(QRectF(x - 60, 4, 120, axisHeight - 10), Qt::AlignCenter, tickLabel(tick, step));
    }
    p.setPen(QPen(grid, 1));
    p.drawLine(QPointF(0, axisHeight - 0.5), QPointF(width(), axisHeight - 0.5));
    p.drawLine(QPointF(labelWidth - 0.5, 0), QPointF(labelWidth - 0.5, height()));
    // The date of the view's start, where the job column meets the axis.
    p.setPen(muted);
    p.drawText(QRectF(10, 4, labelWidth - 18, axisHeight - 10), Qt::AlignLeft | Qt::AlignVCenter,
        QDateTime::fromMSecsSinceEpoch(qint64(m_start)).toString(QStringLiteral("ddd d MMM yyyy")));

    // Bars.
    p.save();
    p.setClipRect(QRectF(plot.left(), plot.top(), plot.width() + rightMargin, plot.height()));
    const QFontMetricsF barMetrics(smallFont);
    auto drawBar = [&](int row) {
        const QRectF bar = barRect(row);
        const DbtRun &run = m_model->run(row);
        const bool running = !run.hasEnded();
        const QColor color = DbtRunsModel::statusColor(run.status, m_dark);
        const bool hovered = row == m_hovered;
        const bool selected = row == m_selected;

        QPainterPath shape;
        shape.addRoundedRect(bar, 5, 5);
        QLinearGradient fill(bar.topLeft(), bar.bottomLeft());
        const QColor top = hovered ? color.lighter(135) : color.lighter(118);
        fill.setColorAt(0, top);
        fill.setColorAt(1, hovered ? color.lighter(110) : color.darker(108));
        if (running) {
            // A running run fades towards now: it has no end yet.
            QLinearGradient fade(bar.topLeft(), bar.topRight());
            fade.setColorAt(0, color);
            fade.setColorAt(0.7, color);
            QColor clear = color;
            clear.setAlphaF(0.25f);
            fade.setColorAt(1, clear);
            p.fillPath(shape, fade);
            QBrush stripes(mix(color, base, 0.65), Qt::BDiagPattern);
            p.fillPath(shape, stripes);
        } else {
            p.fillPath(shape, fill);
        }
        if (run.failedDeliveries > 0 || run.duplicates > 0) {
            // A notch on the right edge: some deliveries failed or came again.
            const QRectF notch(bar.right() - 4, bar.top() + 3, 2, bar.height() - 6);
            p.fillRect(notch, mix(base, color, 0.2));
        }
        if (selected) {
            p.setPen(QPen(pal.color(QPalette::Highlight), 2.5));
            p.drawPath(shape);
            p.setPen(QPen(text, 1));
            p.drawRoundedRect(bar.adjusted(-3, -3, 3, 3), 7, 7);
        } else {
            p.setPen(QPen(color.darker(130), 1));
            p.drawPath(shape);
        }
        // The run id inside the bar when it fits.
        const QString label = run.runId;
        const double labelWidth = barMetrics.horizontalAdvance(label);
        if (bar.width() > labelWidth + 16) {
            p.setFont(smallFont);
            const QRectF visible = bar.intersected(plot).adjusted(6, 0, -4, 0);
            if (running) {
                // On a pill of the background, so the stripes don't cross the text.
                const QRectF pill(visible.left() - 3, bar.top() + 2, labelWidth + 6, bar.height() - 4);
                p.setPen(Qt::NoPen);
                p.setBrush(mix(base, color, 0.12));
                p.drawRoundedRect(pill, 3, 3);
                p.setBrush(Qt::NoBrush);
                p.setPen(text);
            } else {
                p.setPen(isLight(color) ? QColor(0x1b, 0x1f, 0x24) : QColor(Qt::white));
            }
            p.drawText(visible, Qt::AlignLeft | Qt::AlignVCenter, label);
        }
    };
    const qint64 viewFirst = qint64(m_start);
    const qint64 viewLast = qint64(m_end);
    const double msPerPixel = (m_end - m_start) / plot.width();
    for (int lane = 0; lane < m_rowsOfLane.size(); ++lane) {
        // Zoomed out, thousands of runs share a few pixels: a run narrower than 3 px is a plain
        // tick, and one tick per pixel column and status is enough.
        int lastTickX = std::numeric_limits<int>::min();
        DbtRunStatus lastTickStatus = DbtRunStatus::Unknown;
        const double top = plot.top() + lane * laneHeight + (laneHeight - barHeight) / 2.0;
        if (top > height())
            break;
        for (const int row : m_rowsOfLane.at(lane)) {
            const qint64 start = m_starts.at(row);
            if (start > viewLast + qint64(8 * msPerPixel))
                break; // sorted by start: the rest begin later still
            const qint64 end = runEndMs(row);
            if (end < viewFirst - qint64(8 * msPerPixel) || row == m_selected)
                continue;
            const DbtRun &run = m_model->run(row);
            if (double(end - start) < 3 * msPerPixel && row != m_hovered) {
                const int x = int(xFor(start + (end - start) / 2));
                if (x == lastTickX && run.status == lastTickStatus)
                    continue;
                lastTickX = x;
                lastTickStatus = run.status;
                p.setRenderHint(QPainter::Antialiasing, false);
                p.fillRect(QRectF(x - 3, top, 6, barHeight), DbtRunsModel::statusColor(run.status, m_dark));
                p.setRenderHint(QPainter::Antialiasing, true);
                continue;
            }
            drawBar(row);
        }
    }
    if (m_selected >= 0 && m_selected < rows)
        drawBar(m_selected); // on top
    // Now: a thin line with a cap, over everything.
    const double nowX = xFor(m_now);
    if (nowX >= plot.left() && nowX <= plot.right() + rightMargin) {
        const QColor nowColor = DbtRunsModel::statusColor(DbtRunStatus::Running, m_dark);
        p.setPen(QPen(nowColor, 1, Qt::DashLine));
        p.drawLine(QPointF(nowX, plot.top()), QPointF(nowX, height()));
        p.setPen(Qt::NoPen);
        p.setBrush(nowColor);
        p.drawEllipse(QPointF(nowX, plot.top() + 1), 3, 3);
    }
    p.restore();

    if (rows == 0) {
        p.setPen(muted);
        p.setFont(font());
        p.drawText(plot, Qt::AlignCenter | Qt::TextWordWrap,
            QStringLiteral("No dbt runs in this session yet.\nSend one with dbt ▸ New dbt event… (Ctrl+Shift+D), or "
                           "point dbt Cloud at a listener."));
    }
    if (hasFocus()) {
        p.setPen(QPen(pal.color(QPalette::Highlight), 1));
        p.setBrush(Qt::NoBrush);
        p.drawRect(QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5));
    }
}

QString RunTimeline::tooltipFor(int row) const
{
    const DbtRun &run = m_model->run(row);
    const QString color = DbtRunsModel::statusColor(run.status, m_dark).name();
    QString html = QStringLiteral("<b>%1</b> · run %2<br><span style='color:%3'><b>%4</b></span>")
                       .arg(run.jobName.toHtmlEscaped(), run.runId.toHtmlEscaped(), color,
                           DbtRunsModel::statusLabel(run.status));
    if (!run.statusMessage.isEmpty() && run.statusMessage != u"None")
        html += QStringLiteral(" — %1").arg(run.statusMessage.toHtmlEscaped());
    auto local = [](const QDateTime &utc) { return utc.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")); };
    html += QStringLiteral("<br>Started %1").arg(local(run.timelineStart()));
    if (run.hasEnded())
        html += QStringLiteral("<br>%1 %2")
                    .arg(run.finishedAt.isValid() ? QStringLiteral("Finished") : QStringLiteral("Errored"),
                        local(run.timelineEnd()));
    else
        html += QStringLiteral("<br>Running for %1")
                    .arg(DbtRunsModel::durationText(QDateTime::currentMSecsSinceEpoch() - runStartMs(row)));
    if (run.durationMs())
        html += QStringLiteral(" (%1)").arg(DbtRunsModel::durationText(*run.durationMs()));
    if (!run.environmentName.isEmpty() || !run.projectName.isEmpty())
        html += QStringLiteral("<br>%1 · %2").arg(run.projectName.toHtmlEscaped(), run.environmentName.toHtmlEscaped());
    html += QStringLiteral("<br>%1 deliveries").arg(run.deliveries);
    if (run.duplicates)
        html += QStringLiteral(", %1 duplicate").arg(run.duplicates);
    if (run.failedDeliveries)
        html += QStringLiteral(", <span style='color:%1'>%2 failed</span>")
                    .arg(DbtRunsModel::statusColor(DbtRunStatus::Errored, m_dark).name())
                    .arg(run.failedDeliveries);
    return html;
}

bool RunTimeline::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const int row = runAt(help->pos());
        if (row >= 0)
            QToolTip::showText(help->globalPos(), tooltipFor(row), this, barRect(row).toAlignedRect());
        else
            QToolTip::hideText();
        return true;
    }
    return QWidget::event(event);
}

void RunTimeline::zoom(double factor, double anchorX)
{
    const double anchor = double(msAt(anchorX));
    double span = (m_end - m_start) * factor;
    span = std::clamp(span, minSpanMs, maxSpanMs);
    const double ratio = (anchor - m_start) / (m_end - m_start);
    m_start = anchor - ratio * span;
    m_end = m_start + span;
    m_autoFit = false;
    update();
    emit viewChanged();
}

void RunTimeline::wheelEvent(QWheelEvent *event)
{
    const double steps = event->angleDelta().y() / 120.0;
    if (steps == 0) {
        // Horizontal scrolling pans.
        const double pan = -event->angleDelta().x() / 120.0 * (m_end - m_start) * 0.1;
        m_start += pan;
        m_end += pan;
        m_autoFit = false;
        update();
        emit viewChanged();
    } else {
        zoom(std::pow(0.8, steps), event->position().x());
    }
    event->accept();
}

void RunTimeline::keyPressEvent(QKeyEvent *event)
{
    ensureBuilt();
    const double middle = plotRect().center().x();
    switch (event->key()) {
    case Qt::Key_Left:
    case Qt::Key_Right: {
        if (m_byStart.isEmpty())
            break;
        const qsizetype at = m_byStart.indexOf(m_selected);
        qsizetype next = event->key() == Qt::Key_Right ? at + 1 : at - 1;
        if (at < 0)
            next = event->key() == Qt::Key_Right ? 0 : m_byStart.size() - 1;
        next = std::clamp<qsizetype>(next, 0, m_byStart.size() - 1);
        const int row = m_byStart.at(next);
        setSelectedRow(row);
        // Keep the run in view while stepping through a zoomed timeline.
        const QRectF bar = barRect(row);
        if (bar.right() < plotRect().left() || bar.left() > plotRect().right()) {
            const double shift = (m_end - m_start) * ((bar.center().x() - middle) / plotRect().width());
            m_start += shift;
            m_end += shift;
            m_autoFit = false;
            emit viewChanged();
        }
        emit runClicked(row);
        update();
        return;
    }
    case Qt::Key_Return:
    case Qt::Key_Enter:
        if (m_selected >= 0)
            emit runActivated(m_selected);
        return;
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        zoom(0.8, middle);
        return;
    case Qt::Key_Minus:
        zoom(1.25, middle);
        return;
    case Qt::Key_0:
    case Qt::Key_Home:
        fitAll();
        return;
    default:
        break;
    }
    QWidget::keyPressEvent(event);
}

void RunTimeline::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton)
        return QWidget::mousePressEvent(event);
    m_pressPos = event->position().toPoint();
    m_pressStart = m_start;
    m_pressEnd = m_end;
    m_dragging = false;
}

void RunTimeline::mouseMoveEvent(QMouseEvent *event)
{
    if (event->buttons() & Qt::LeftButton) {
        const double dx = event->position().x() - m_pressPos.x();
        if (!m_dragging && std::abs(dx) > 4)
            m_dragging = true;
        if (m_dragging) {
            const double msPerPixel = (m_pressEnd - m_pressStart) / plotRect().width();
            m_start = m_pressStart - dx * msPerPixel;
            m_end = m_pressEnd - dx * msPerPixel;
            m_autoFit = false;
            setCursor(Qt::ClosedHandCursor);
            update();
            emit viewChanged();
        }
        return;
    }
    const int row = runAt(event->position());
    if (row != m_hovered) {
        m_hovered = row;
        setCursor(row >= 0 ? Qt::PointingHandCursor : Qt::ArrowCursor);
        update();
    }
}

void RunTimeline::mouseReleaseEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton)
        return QWidget::mouseReleaseEvent(event);
    if (m_dragging) {
        m_dragging = false;
        unsetCursor();
        return;
    }
    const int row = runAt(event->position());
    if (row >= 0) {
        setSelectedRow(row);
        emit runClicked(row);
    }
}

void RunTimeline::mouseDoubleClickEvent(QMouseEvent *event)
{
    const int row = runAt(event->position());
    if (row >= 0)
        emit runActivated(row);
}

void RunTimeline::leaveEvent(QEvent *event)
{
    m_hovered = -1;
    update();
    QWidget::leaveEvent(event);
}

void RunTimeline::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    update();
}

void RunTimeline::setSelectedRow(int row)
{
    if (!m_model || row >= m_model->rowCount())
        row = -1;
    if (row == m_selected)
        return;
    m_selected = row;
    if (row >= 0 && !m_autoFit) {
        // Bring the run into view, keeping the zoom.
        const double start = double(runStartMs(row));
        const double end = double(runEndMs(row));
        if (end < m_start || start > m_end) {
            const double span = m_end - m_start;
            m_start = (start + end) / 2 - span / 2;
            m_end = m_start + span;
            emit viewChanged();
        }
    }
    update();
}

} // namespace hookbench
