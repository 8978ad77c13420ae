#include "capturetable.h"

#include "models/capturelistmodel.h"
#include "widgets/capturedetailview.h"
#include "widgets/recordtable.h"
#include "windowaction.h"

#include <QHeaderView>
#include <QItemSelection>
#include <QScrollBar>
#include <QTableView>

namespace hookbench {

CaptureTable::CaptureTable(QWidget *window, QTableView *table, CaptureListModel *model, CaptureDetailView *details)
    : QObject(window), m_table(table), m_model(model), m_details(details)
{
    m_table->setObjectName(QStringLiteral("captureTable"));
    m_table->setModel(m_model);
    styleRecordTable(m_table, QAbstractItemView::ExtendedSelection);
    m_table->horizontalHeader()->setStretchLastSection(false);
    m_table->horizontalHeader()->setSectionResizeMode(CaptureListModel::PathColumn, QHeaderView::Stretch);
    setColumnWidthsInDigits(m_table,
        {{CaptureListModel::TimeColumn, 14}, {CaptureListModel::MethodColumn, 9}, {CaptureListModel::SizeColumn, 10},
            {CaptureListModel::VerdictColumn, 13}, {CaptureListModel::EventColumn, 19},
            {CaptureListModel::StatusColumn, 7}});
    m_table->setIconSize(QSize(16, 16));
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &CaptureTable::showCurrent);
    connect(m_model, &CaptureListModel::newRowsArrived, this, &CaptureTable::rowsArrived);
    // A new filter keeps the capture shown selected when it still matches.
    connect(m_model, &CaptureListModel::filterApplied, this, [this] {
        if (m_shownId) {
            const int row = m_model->rowOf(m_shownId);
            if (row >= 0)
                m_table->selectRow(row);
        }
    });

    m_follow = addWindowAction(
        window, QStringLiteral("follow"), QStringLiteral("F&ollow newest"), QKeySequence(Qt::CTRL | Qt::Key_L));
    m_follow->setCheckable(true);
    m_follow->setChecked(true);
    m_follow->setToolTip(QStringLiteral("Keep the newest capture in view as deliveries arrive"));
    connect(m_follow, &QAction::toggled, this, [this](bool on) {
        if (on)
            m_table->scrollToTop();
    });
}

QList<qint64> CaptureTable::selectedIds() const
{
    QList<qint64> ids;
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    for (const QModelIndex &index : rows)
        ids.append(m_model->idAt(index.row()));
    if (ids.isEmpty() && m_details->hasCapture())
        ids.append(m_details->capture().id);
    return ids;
}

int CaptureTable::currentRow() const
{
    return m_table->currentIndex().row();
}

void CaptureTable::selectRow(int row)
{
    if (row < 0 || row >= m_model->rowCount())
        return;
    m_table->setCurrentIndex(m_model->index(row, 0));
    m_table->selectRow(row);
}

int CaptureTable::select(const QList<qint64> &ids)
{
    QItemSelection selection;
    int first = -1;
    for (const qint64 id : ids) {
        const int row = m_model->rowOf(id);
        if (row < 0)
            continue;
        selection.select(m_model->index(row, 0), m_model->index(row, CaptureListModel::ColumnCount - 1));
        first = first < 0 ? row : qMin(first, row);
    }
    if (first < 0) {
        m_table->clearSelection();
        return 0;
    }
    QItemSelectionModel *selectionModel = m_table->selectionModel();
    selectionModel->setCurrentIndex(m_model->index(first, 0), QItemSelectionModel::NoUpdate);
    selectionModel->select(selection, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_table->scrollTo(m_model->index(first, 0));
    return int(selectionModel->selectedRows().size());
}

bool CaptureTable::isFollowing() const
{
    return m_follow->isChecked();
}

void CaptureTable::setFollowing(bool follow)
{
    m_follow->setChecked(follow);
}

void CaptureTable::showCurrent()
{
    const QModelIndex current = m_table->currentIndex();
    const qint64 id = current.isValid() ? m_model->idAt(current.row()) : 0;
    if (id == m_shownId && m_details->hasCapture())
        return;
    m_shownId = id;
    if (!id) {
        m_details->clear();
        return;
    }
    QString error;
    const std::optional<Capture> capture = m_model->capture(id, &error);
    if (!capture) {
        m_details->clear();
        emit message(error.isEmpty() ? QStringLiteral("Capture %1 is gone.").arg(id) : error);
        return;
    }
    m_details->setCapture(*capture);
    emit captureShown(id);
}

void CaptureTable::rowsArrived(int count)
{
    QScrollBar *bar = m_table->verticalScrollBar();
    if (isFollowing()) {
        m_table->scrollToTop();
        // With nothing chosen yet, show the newest delivery.
        if (!m_table->currentIndex().isValid())
            selectRow(0);
    } else if (bar->value() > 0 || m_table->rowAt(0) > 0) {
        // Keep the rows the user is looking at where they are.
        bar->setValue(bar->value() + count);
    }
}

} // namespace hookbench
