#pragma once

#include <QAbstractItemView>

#include <initializer_list>
#include <utility>

class QTableView;

namespace hookbench {

// The look every list of records (captures, dbt runs) shares: whole rows selected, read-only,
// alternating rows without a grid, no row numbers. Rows have a fixed height: an interactive
// vertical header does per-row work on every insertion, which is slow with 10,000s of rows.
void styleRecordTable(QTableView *table, QAbstractItemView::SelectionMode selectionMode);

// Column widths in digits of the table's font ({column, digits}), so they follow the font size.
void setColumnWidthsInDigits(QTableView *table, std::initializer_list<std::pair<int, int>> widths);

} // namespace hookbench
