#pragma once

#include <QWidget>

class QLabel;
class QTableView;

namespace hookbench {

class HeaderListModel;

// The Headers tab: every header in received order (position, name, value), selectable and
// copyable as exact "Name: value" lines (Ctrl+C, or the context menu for values and all lines).
class HeadersView : public QWidget
{
    Q_OBJECT

public:
    explicit HeadersView(QWidget *parent = nullptr);

    HeaderListModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }

    // Selected rows' lines (all rows when nothing is selected), one per line.
    QByteArray selectedLines() const;
    void copySelection();
    void copyValues();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void updateCount();

    HeaderListModel *m_model;
    QTableView *m_table;
    QLabel *m_count;
};

} // namespace hookbench
