#include "headersview.h"

#include "models/headerlistmodel.h"

#include <QApplication>
#include <QClipboard>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QMenu>
#include <QTableView>
#include <QVBoxLayout>

namespace hookbench {

HeadersView::HeadersView(QWidget *parent)
    : QWidget(parent), m_model(new HeaderListModel(this)), m_table(new QTableView), m_count(new QLabel)
{
    m_table->setObjectName(QStringLiteral("headersTable"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setWordWrap(false);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSectionResizeMode(HeaderListModel::PositionColumn, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(HeaderListModel::NameColumn, QHeaderView::ResizeToContents);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    m_table->installEventFilter(this);
    connect(m_table, &QTableView::customContextMenuRequested, this, [this](const QPoint &position) {
        QMenu menu(this);
        menu.addAction(QStringLiteral("Copy lines"), QKeySequence::Copy, this, &HeadersView::copySelection);
        menu.addAction(QStringLiteral("Copy values"), this, &HeadersView::copyValues);
        menu.addAction(QStringLiteral("Copy all headers"), this, [this] {
            QList<int> rows;
            for (int row = 0; row < m_model->rowCount(); ++row)
                rows << row;
            QApplication::clipboard()->setText(QString::fromUtf8(m_model->linesForRows(rows)));
        });
        menu.exec(m_table->viewport()->mapToGlobal(position));
    });
    connect(m_model, &QAbstractItemModel::modelReset, this, &HeadersView::updateCount);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_count);
    layout->addWidget(m_table, 1);
    updateCount();
}

QByteArray HeadersView::selectedLines() const
{
    QList<int> rows;
    const QModelIndexList selected = m_table->selectionModel()->selectedRows();
    for (const QModelIndex &index : selected)
        rows << index.row();
    if (rows.isEmpty()) {
        for (int row = 0; row < m_model->rowCount(); ++row)
            rows << row;
    }
    return m_model->linesForRows(rows);
}

void HeadersView::copySelection()
{
    QApplication::clipboard()->setText(QString::fromUtf8(selectedLines()));
}

void HeadersView::copyValues()
{
    QStringList values;
    QModelIndexList selected = m_table->selectionModel()->selectedRows(HeaderListModel::ValueColumn);
    std::sort(selected.begin(), selected.end());
    for (const QModelIndex &index : std::as_const(selected))
        values << QString::fromUtf8(index.data(HeaderListModel::RawValueRole).toByteArray());
    QApplication::clipboard()->setText(values.join(QLatin1Char('\n')));
}

bool HeadersView::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_table && event->type() == QEvent::KeyPress
        && static_cast<QKeyEvent *>(event)->matches(QKeySequence::Copy)) {
        copySelection();
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

void HeadersView::updateCount()
{
    const int count = m_model->rowCount();
    m_count->setText(count == 1 ? QStringLiteral("1 header, in the order received")
                                : QStringLiteral("%1 headers, in the order received").arg(count));
}

} // namespace hookbench
