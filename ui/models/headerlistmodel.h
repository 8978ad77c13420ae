#pragma once

#include "capture/httpheaders.h"

#include <QAbstractTableModel>

namespace hookbench {

// The headers of one request as a table: position, name, value, in received order, with the
// original case and duplicates. Display text escapes bytes that are not printable UTF-8;
// RawLineRole gives the exact "Name: value" bytes for copying.
class HeaderListModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HeaderListModel)

public:
    enum Column { PositionColumn, NameColumn, ValueColumn, ColumnCount };
    enum Role {
        RawLineRole = Qt::UserRole + 1, // QByteArray "Name: value"
        RawNameRole, // QByteArray
        RawValueRole, // QByteArray
    };

    explicit HeaderListModel(QObject *parent = nullptr);

    void setHeaders(const HeaderList &headers);
    const HeaderList &headers() const { return m_headers; }
    // Rows whose name matches (any case): to point at the signature header.
    void setHighlightedName(const QByteArray &name);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // The exact "Name: value" lines of these rows, in list order, joined by '\n'.
    QByteArray linesForRows(const QList<int> &rows) const;

private:
    HeaderList m_headers;
    QByteArray m_highlightedName;
};

} // namespace hookbench
