#include "runsview.h"

#include "dbtrunsmodel.h"
#include "listener/listenerconfig.h"
#include "models/bytestext.h"
#include "runtimeline.h"
#include "widgets/recordtable.h"
#include "widgets/verdictstyle.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSet>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace hookbench {

namespace {

constexpr int maxListedDeliveries = 60;

QString eventShortName(const QString &type)
{
    return type.startsWith(u"job.run.") ? type.mid(8) : type;
}

} // namespace

RunsView::RunsView(DbtRunsModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_proxy(new QSortFilterProxyModel(this))
    , m_timeline(new RunTimeline)
    , m_table(new QTableView)
    , m_fit(new QToolButton)
    , m_summary(new QLabel)
    , m_legend(new QLabel)
    , m_detail(new QLabel)
    , m_note(new QLabel)
    , m_showCaptures(new QPushButton(QStringLiteral("Show captures")))
{
    setObjectName(QStringLiteral("runsView"));
    m_proxy->setSourceModel(model);
    m_proxy->setSortRole(DbtRunsModel::SortRole);
    m_proxy->setDynamicSortFilter(true);
    m_proxy->sort(DbtRunsModel::StartedColumn, Qt::DescendingOrder); // newest run first

    m_table->setObjectName(QStringLiteral("runsTable"));
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->horizontalHeader()->setSortIndicator(DbtRunsModel::StartedColumn, Qt::DescendingOrder);
    styleRecordTable(m_table, QAbstractItemView::SingleSelection);
    m_table->horizontalHeader()->setSectionResizeMode(DbtRunsModel::JobColumn, QHeaderView::Stretch);
    setColumnWidthsInDigits(m_table,
        {{DbtRunsModel::RunColumn, 11}, {DbtRunsModel::EnvironmentColumn, 20}, {DbtRunsModel::ProjectColumn, 18},
            {DbtRunsModel::StartedColumn, 11}, {DbtRunsModel::EndedColumn, 11}, {DbtRunsModel::DurationColumn, 11},
            {DbtRunsModel::StatusColumn, 10}, {DbtRunsModel::DeliveriesColumn, 10},
            {DbtRunsModel::DuplicatesColumn, 10}, {DbtRunsModel::FailedColumn, 10}, {DbtRunsModel::CheckColumn, 10}});

    m_timeline->setModel(model);
    m_fit->setObjectName(QStringLiteral("fitAll"));
    m_fit->setText(QStringLiteral("Fit all"));
    m_fit->setToolTip(QStringLiteral("Show every run (the wheel zooms, dragging pans)"));
    m_fit->setAutoRaise(true);
    m_summary->setObjectName(QStringLiteral("runsSummary"));
    m_legend->setTextFormat(Qt::RichText);
    m_detail->setObjectName(QStringLiteral("runDetail"));
    m_detail->setTextFormat(Qt::RichText);
    m_detail->setWordWrap(true);
    m_detail->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_detail->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_note->setObjectName(QStringLiteral("deactivationNote"));
    m_note->setWordWrap(true);
    m_note->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_note->hide();
    m_showCaptures->setObjectName(QStringLiteral("showCaptures"));
    m_showCaptures->setToolTip(QStringLiteral("Select this run's deliveries in the Captures tab (or double-click)"));
    m_showCaptures->setEnabled(false);

    auto *top = new QHBoxLayout;
    top->addWidget(m_summary);
    top->addStretch(1);
    top->addWidget(m_legend);
    top->addSpacing(12);
    top->addWidget(m_fit);

    auto *detailPane = new QWidget;
    auto *detailLayout = new QVBoxLayout(detailPane);
    detailLayout->setContentsMargins(2, 4, 2, 2);
    auto *detailRow = new QHBoxLayout;
    detailRow->addWidget(m_detail, 1);
    detailRow->addWidget(m_showCaptures, 0, Qt::AlignTop);
    detailLayout->addLayout(detailRow);
    detailLayout->addWidget(m_note);
    detailLayout->addStretch(1);

    auto *splitter = new QSplitter(Qt::Vertical);
    splitter->setObjectName(QStringLiteral("runsSplitter"));
    splitter->addWidget(m_timeline);
    splitter->addWidget(m_table);
    splitter->addWidget(detailPane);
    // The timeline as tall as its lanes, the details a few lines; the table takes the rest.
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    splitter->setStretchFactor(2, 0);
    detailPane->setMinimumHeight(fontMetrics().lineSpacing() * 5);
    splitter->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addLayout(top);
    layout->addWidget(splitter, 1);

    connect(m_fit, &QToolButton::clicked, m_timeline, &RunTimeline::fitAll);
    connect(m_timeline, &RunTimeline::runClicked, this, &RunsView::selectRow);
    connect(m_timeline, &RunTimeline::runActivated, this, [this](int row) {
        selectRow(row);
        showCaptures();
    });
    connect(m_table, &QTableView::doubleClicked, this, [this] { showCaptures(); });
    connect(m_showCaptures, &QPushButton::clicked, this, &RunsView::showCaptures);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        if (!m_syncing)
            m_timeline->setSelectedRow(selectedRow());
        updateDetails();
    });
    // The details and the summary read every run: refreshed once for several batches of rows.
    m_refresh.setSingleShot(true);
    m_refresh.setInterval(100);
    connect(&m_refresh, &QTimer::timeout, this, [this] {
        updateDetails();
        updateSummary();
    });
    auto changed = [this] {
        if (!m_refresh.isActive())
            m_refresh.start();
    };
    connect(model, &QAbstractItemModel::modelReset, this, changed);
    connect(model, &QAbstractItemModel::rowsInserted, this, changed);
    connect(model, &QAbstractItemModel::dataChanged, this, changed);
    connect(model, &DbtRunsModel::loadingChanged, this, changed);
    setDark(false);
    updateDetails();
    updateSummary();
}

void RunsView::setFaultDescriber(std::function<QString(const QString &)> describer)
{
    m_describeFaults = std::move(describer);
    updateDetails();
}

void RunsView::setDark(bool dark)
{
    m_dark = dark;
    if (m_model)
        m_model->setDark(dark);
    m_timeline->setDark(dark);
    QString legend;
    for (const DbtRunStatus status :
        {DbtRunStatus::Success, DbtRunStatus::Errored, DbtRunStatus::Cancelled, DbtRunStatus::Running}) {
        legend += QStringLiteral("<span style='color:%1'>■</span> %2&nbsp;&nbsp;")
                      .arg(DbtRunsModel::statusColor(status, dark).name(), DbtRunsModel::statusLabel(status));
    }
    m_legend->setText(legend);
    m_note->setStyleSheet(
        QStringLiteral("color: %1;").arg(DbtRunsModel::statusColor(DbtRunStatus::Errored, dark).name()));
    updateDetails();
}

int RunsView::selectedRow() const
{
    if (!m_model)
        return -1;
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return -1;
    return m_proxy->mapToSource(rows.first()).row();
}

void RunsView::selectRow(int row)
{
    if (!m_model || row < 0 || row >= m_model->rowCount()) {
        m_table->clearSelection();
        return;
    }
    const QModelIndex index = m_proxy->mapFromSource(m_model->index(row, 0));
    m_syncing = true;
    m_table->setCurrentIndex(index);
    m_table->selectRow(index.row());
    m_table->scrollTo(index);
    m_syncing = false;
    m_timeline->setSelectedRow(row);
}

bool RunsView::selectRun(const QString &runId)
{
    const int row = m_model ? m_model->rowOfRun(runId) : -1;
    if (row < 0)
        return false;
    selectRow(row);
    return true;
}

void RunsView::showCaptures()
{
    const int row = selectedRow();
    if (row < 0)
        return;
    emit showCapturesRequested(m_model->run(row).captureIds);
}

QString RunsView::faultModeText(const ResponseConfig &response, const FaultConfig &faults)
{
    QStringList parts;
    const QString withStatus = faults.failStatus != 500 ? QStringLiteral(" with %1").arg(faults.failStatus) : QString();
    if (faults.failFirst > 0)
        parts << QStringLiteral("fail first %1").arg(faults.failFirst) + withStatus;
    if (faults.failPercent > 0)
        parts << QStringLiteral("fail %1%").arg(faults.failPercent) + withStatus;
    if (faults.closeWithoutAnswer)
        parts << QStringLiteral("close without answering");
    if (response.status < 200 || response.status > 299)
        parts << QStringLiteral("answer %1").arg(response.status);
    return parts.join(QStringLiteral(", "));
}

QString RunsView::deactivationNote(const DbtDeactivation &deactivation, const QString &faultMode)
{
    QString note;
    if (deactivation.deactivated) {
        note = QStringLiteral("dbt Cloud retries each event up to %1 times and would have deactivated this webhook at "
                              "delivery %2 (%3 failed deliveries in a row)")
                   .arg(dbtMaxRetries)
                   .arg(deactivation.deactivatedAt + 1)
                   .arg(dbtFailuresBeforeDeactivation);
        if (deactivation.deactivations > 1)
            note += QStringLiteral(", and %1 more time(s) after it was turned back on")
                        .arg(deactivation.deactivations - 1);
    } else if (deactivation.trailingFailures > 0) {
        note = QStringLiteral("The last %1 deliveries failed: dbt Cloud retries each event up to %2 times and "
                              "deactivates the webhook after %3 failed deliveries in a row")
                   .arg(deactivation.trailingFailures)
                   .arg(dbtMaxRetries)
                   .arg(dbtFailuresBeforeDeactivation);
    } else {
        return {};
    }
    if (!faultMode.isEmpty())
        note += QStringLiteral(" — caused by the listener's fault mode '%1'").arg(faultMode);
    return note + u'.';
}

void RunsView::updateSummary()
{
    if (!m_model)
        return;
    const int rows = m_model->rowCount();
    int running = 0;
    int errored = 0;
    for (int row = 0; row < rows; ++row) {
        const DbtRun &run = m_model->run(row);
        running += run.hasEnded() ? 0 : 1;
        errored += run.status == DbtRunStatus::Errored ? 1 : 0;
    }
    QString text = rows == 1 ? QStringLiteral("1 run") : QStringLiteral("%1 runs").arg(rows);
    if (running)
        text += QStringLiteral(" · %1 running").arg(running);
    if (errored)
        text += QStringLiteral(" · %1 errored").arg(errored);
    if (m_model->isLoading())
        text += QStringLiteral(" · loading…");
    m_summary->setText(text);
}

void RunsView::updateDetails()
{
    if (!m_model)
        return;
    const int row = selectedRow();
    m_showCaptures->setEnabled(row >= 0);

    // The note: per endpoint (listener), over every delivery it answered in the session.
    const QStringList listeners = row >= 0 ? m_model->listenersOf(row) : QStringList();
    QStringList notes;
    for (const QString &listener : listeners) {
        const QString fault = m_describeFaults ? m_describeFaults(listener) : QString();
        const QString note = deactivationNote(m_model->deactivation(listener), fault);
        if (!note.isEmpty())
            notes << (listeners.size() > 1 ? listener + QStringLiteral(": ") + note : note);
    }
    m_note->setText(notes.join(u'\n'));
    m_note->setVisible(!notes.isEmpty());

    if (row < 0) {
        m_detail->setText(m_model->rowCount() ? QStringLiteral("Select a run to see its deliveries.") : QString());
        return;
    }
    const DbtRun &run = m_model->run(row);
    QString html = QStringLiteral("<b>Run %1</b> · %2 · <span style='color:%3'><b>%4</b></span>")
                       .arg(run.runId.toHtmlEscaped(), run.jobName.toHtmlEscaped(),
                           DbtRunsModel::statusColor(run.status, m_dark).name(), DbtRunsModel::statusLabel(run.status));
    if (!run.runReason.isEmpty())
        html += QStringLiteral(" · %1").arg(run.runReason.toHtmlEscaped());
    html += QStringLiteral("<br>Deliveries in arrival order: ");
    QStringList items;
    const QList<DbtDelivery> &deliveries = m_model->deliveries(row);
    QSet<QString> seen;
    for (qsizetype i = 0; i < deliveries.size() && i < maxListedDeliveries; ++i) {
        const DbtDelivery &delivery = deliveries.at(i);
        const bool duplicate = !delivery.eventId.isEmpty() && seen.contains(delivery.eventId);
        seen.insert(delivery.eventId);
        const QString time = QDateTime::fromMSecsSinceEpoch(delivery.receivedAtUs / 1000)
                                 .toLocalTime()
                                 .toString(QStringLiteral("HH:mm:ss.zzz"));
        const QString status
            = delivery.responseStatus > 0 ? QString::number(delivery.responseStatus) : QStringLiteral("no answer");
        QString item = QStringLiteral("%1 %2 → <span style='color:%3'>%4</span>")
                           .arg(time, eventShortName(delivery.eventType).toHtmlEscaped(),
                               httpStatusColor(delivery.responseStatus, m_dark).name(), status);
        if (duplicate)
            item += QStringLiteral(" <i>(duplicate)</i>");
        items << item;
    }
    html += items.join(QStringLiteral(" · "));
    if (deliveries.size() > maxListedDeliveries)
        html += QStringLiteral(" · … %1 more").arg(deliveries.size() - maxListedDeliveries);
    m_detail->setText(html);
}

} // namespace hookbench
