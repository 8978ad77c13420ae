#pragma once

#include <QHash>
#include <QPointer>
#include <QTimer>
#include <QWidget>

#include <limits>

namespace hookbench {

class DbtRunsModel;

// The runs over time: one lane per job, each run a bar from its start to its end (running ones
// reach to now, striped and fading), coloured by status, on a time axis whose ticks follow the
// zoom (seconds to days). Hover shows a run's details, a click selects it (runClicked), a
// double-click (or Enter) activates it; the wheel (or +/-) zooms around the cursor, dragging pans,
// fitAll() (or 0) shows everything; Left/Right select the previous/next run in time. Rows are the model's (source)
// rows. Paints with the palette, so it follows light and dark.
class RunTimeline : public QWidget
{
    Q_OBJECT

public:
    explicit RunTimeline(QWidget *parent = nullptr);

    void setModel(DbtRunsModel *model);
    void setDark(bool dark);

    int selectedRow() const { return m_selected; }
    void setSelectedRow(int row); // -1: none; scrolls the run into view when it is outside
    // Shows every run (and keeps doing so as runs arrive, until the user zooms or pans).
    void fitAll();
    bool isFitting() const { return m_autoFit; }
    // The visible time range, in ms since the epoch.
    qint64 viewStart() const { return qint64(m_start); }
    qint64 viewEnd() const { return qint64(m_end); }
    void setViewRange(qint64 startMs, qint64 endMs);

    // Geometry, for hit tests and tests: the bar of a run (empty when unknown), which run is
    // under a point (-1: none), and the lane of a run.
    QRectF barRect(int row) const;
    int runAt(const QPointF &pos) const;
    int laneOf(int row) const;
    int laneCount() const;
    QString laneTitle(int lane) const;
    QRectF plotRect() const;

    // Tick positions (ms since the epoch) for a range `width` pixels wide: a step from seconds
    // to weeks so that labels are at least ~90 px apart, aligned to local-time boundaries.
    static QList<qint64> ticks(qint64 startMs, qint64 endMs, int width, qint64 *stepMs = nullptr);
    static QString tickLabel(qint64 ms, qint64 stepMs);

    QSize sizeHint() const override { return {900, m_preferredHeight}; }
    QSize minimumSizeHint() const override { return {300, 120}; }

signals:
    void runClicked(int row);
    void runActivated(int row); // double-click
    void viewChanged();

protected:
    void paintEvent(QPaintEvent *event) override;
    bool event(QEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void leaveEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    struct Lane
    {
        QString key;
        QString title; // job name
        QString subtitle; // job id · environment
        qint64 firstStart = 0;
        qint64 lastStart = std::numeric_limits<qint64>::min();
    };

    void rebuild(); // the lanes and spans now, then the range, geometry and a repaint
    void ensureBuilt() const; // the lanes and spans, when the model changed since
    void fitRange() const; // the range that shows every run (the range is a cache while fitting)
    qint64 runStartMs(int row) const;
    qint64 runEndMs(int row) const; // now for running runs
    bool isRunning(int row) const;
    double xFor(qint64 ms) const;
    qint64 msAt(double x) const;
    void zoom(double factor, double anchorX);
    QString tooltipFor(int row) const;
    void updateTicking();

    QPointer<DbtRunsModel> m_model;
    // Built from the model on demand (ensureBuilt): lanes, and each row's span and lane.
    mutable bool m_dirty = true;
    mutable QList<Lane> m_lanes;
    mutable QList<int> m_laneOfRow;
    mutable QList<QList<int>> m_rowsOfLane; // by start time
    mutable QList<qint64> m_starts; // ms since the epoch, per row
    mutable QList<qint64> m_ends;
    mutable QList<bool> m_running;
    mutable QList<int> m_byStart; // every row, by start time (keyboard order)
    mutable bool m_anyRunning = false;
    QTimer m_rebuildTimer;
    mutable double m_start = 0; // ms since the epoch
    mutable double m_end = 0;
    bool m_autoFit = true;
    int m_selected = -1;
    int m_hovered = -1;
    bool m_dark = false;
    bool m_dragging = false;
    QPoint m_pressPos;
    double m_pressStart = 0;
    double m_pressEnd = 0;
    QTimer m_tick; // repaints running runs' growing bars
    int m_preferredHeight = 220;
    qint64 m_now = 0; // "now" for this paint (fixed per paint so bars and the line agree)
};

} // namespace hookbench
