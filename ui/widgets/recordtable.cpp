#include "recordtable.h"

#include <QHeaderView>
#include <QTableView>

namespace hookbench {

void styleRecordTable(QTableView *table, QAbstractItemView::SelectionMode selectionMode)
{
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(selectionMode);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setAlternatingRowColors(true);
    table->setWordWrap(false);
    table->setShowGrid(false);
    table->verticalHeader()->hide();
    table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + 6);
    table->horizontalHeader()->setHighlightSections(false);
}

void setColumnWidthsInDigits(QTableView *table, std::initializer_list<std::pair<int, int>> widths)
{
    const int digit = table->fontMetrics().horizontalAdvance(QLatin1Char('0'));
    for (const auto &[column, digits] : widths)
        table->setColumnWidth(column, digit * digits);
}

} // namespace hookbench
