#include "headertablemodel.h"

#include "models/bytestext.h"

#include <QBrush>
#include <QColor>
#include <QFontDatabase>

namespace hookbench {

HeaderTableModel::HeaderTableModel(QObject *parent) : QAbstractTableModel(parent)
{ }

void HeaderTableModel::setHeaders(const HeaderList &headers)
{
    beginResetModel();
    m_headers = headers;
    endResetModel();
    emit headersEdited();
}

int HeaderTableModel::addHeader(const HttpHeader &header)
{
    const int row = int(m_headers.size());
    beginInsertRows({}, row, row);
    m_headers.append(header);
    endInsertRows();
    emit headersEdited();
    return row;
}

bool HeaderTableModel::removeHeaderAt(int row)
{
    return removeRows(row, 1);
}

bool HeaderTableModel::removeRows(int row, int count, const QModelIndex &parent)
{
    if (parent.isValid() || row < 0 || count <= 0 || row + count > m_headers.size())
        return false;
    beginRemoveRows({}, row, row + count - 1);
    m_headers.remove(row, count);
    endRemoveRows();
    emit headersEdited();
    return true;
}

bool HeaderTableModel::moveHeader(int row, int delta)
{
    const int target = row + delta;
    if (row < 0 || row >= m_headers.size() || target < 0 || target >= m_headers.size() || delta == 0)
        return false;
    // beginMoveRows wants the destination as "insert before": one past the target when moving down.
    const int destination = delta > 0 ? target + 1 : target;
    if (!beginMoveRows({}, row, row, {}, destination))
        return false;
    m_headers.move(row, target);
    endMoveRows();
    emit headersEdited();
    return true;
}

bool HeaderTableModel::isEditableText(const QByteArray &bytes) const
{
    return displayBytes(bytes) == QString::fromUtf8(bytes);
}

int HeaderTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_headers.size());
}

int HeaderTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant HeaderTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const HttpHeader &header = m_headers.at(index.row());
    const QByteArray &bytes = index.column() == NameColumn ? header.name : header.value;
    switch (role) {
    case Qt::DisplayRole:
        return displayBytes(bytes, 2000);
    case Qt::EditRole:
        return isEditableText(bytes) ? QString::fromUtf8(bytes) : displayBytes(bytes);
    case Qt::FontRole:
        return QFontDatabase::systemFont(QFontDatabase::FixedFont);
    case Qt::ForegroundRole:
        if (index.column() == NameColumn && !isValidHeaderName(header.name))
            return QBrush(QColor(0xc6, 0x28, 0x28));
        break;
    case Qt::ToolTipRole:
        if (index.column() == NameColumn && !isValidHeaderName(header.name))
            return QStringLiteral("Not a valid header name: use letters, digits and !#$%&'*+-.^_`|~ only");
        if (!isEditableText(bytes))
            return QStringLiteral("These bytes are not printable UTF-8; they are sent unchanged and can't be edited "
                                  "here");
        break;
    }
    return {};
}

bool HeaderTableModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::EditRole || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return false;
    HttpHeader &header = m_headers[index.row()];
    QByteArray &bytes = index.column() == NameColumn ? header.name : header.value;
    if (!isEditableText(bytes))
        return false;
    const QByteArray typed = value.toString().toUtf8();
    if (typed == bytes)
        return true;
    bytes = typed;
    emit dataChanged(index, index);
    emit headersEdited();
    return true;
}

Qt::ItemFlags HeaderTableModel::flags(const QModelIndex &index) const
{
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return Qt::NoItemFlags;
    const HttpHeader &header = m_headers.at(index.row());
    const QByteArray &bytes = index.column() == NameColumn ? header.name : header.value;
    Qt::ItemFlags result = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (isEditableText(bytes))
        result |= Qt::ItemIsEditable;
    return result;
}

QVariant HeaderTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole)
        return {};
    if (orientation == Qt::Vertical)
        return section + 1;
    switch (section) {
    case NameColumn:
        return QStringLiteral("Name");
    case ValueColumn:
        return QStringLiteral("Value");
    }
    return {};
}

} // namespace hookbench
