#pragma once

#include "capture/httpheaders.h"

#include <QAbstractTableModel>

namespace hookbench {

// The request editor's header list as an editable table: name and value per row, in the order
// they will be sent, duplicates and case kept. Cells hold bytes; typed text becomes UTF-8. A
// cell whose bytes are not printable UTF-8 is shown escaped and can't be edited (retyping it
// would change bytes the user never touched), but its row can still be moved or removed.
class HeaderTableModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HeaderTableModel)

public:
    enum Column { NameColumn, ValueColumn, ColumnCount };

    explicit HeaderTableModel(QObject *parent = nullptr);

    void setHeaders(const HeaderList &headers);
    const HeaderList &headers() const { return m_headers; }

    // Appends a header (an empty name to be typed in when none is given); returns its row.
    int addHeader(const HttpHeader &header = {});
    bool removeHeaderAt(int row);
    // Moves a row one place up (-1) or down (+1); false at the ends.
    bool moveHeader(int row, int delta);
    // Whether a cell's bytes survive a round trip through text.
    bool isEditableText(const QByteArray &bytes) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool removeRows(int row, int count, const QModelIndex &parent = {}) override;

signals:
    // Any change to the list (edit, add, remove, move, reset).
    void headersEdited();

private:
    HeaderList m_headers;
};

} // namespace hookbench
