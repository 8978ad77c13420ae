#pragma once

#include <QAbstractItemView>

class QTableView;

namespace hookbench {

// The look every list of records (captures, dbt runs) shares: whole rows selected, read-only,
// alternating rows without a grid, no row numbers. Rows have a fixed height: an interactive
// vertical header does per-row work on every insertion, which is slow with 10,000s of rows.
void styleRecordTable(QTableView *table, QAbstractItemView::SelectionMode selectionMode);

} // namespace hookbench
