#include "headerlistmodel.h"

#include "bytestext.h"

#include <QFont>
#include <QFontDatabase>

#include <algorithm>

namespace hookbench {

HeaderListModel::HeaderListModel(QObject *parent) : QAbstractTableModel(parent)
{ }

void HeaderListModel::setHeaders(const HeaderList &headers)
{
    beginResetModel();
    m_headers = headers;
    endResetModel();
}

void HeaderListModel::setHighlightedName(const QByteArray &name)
{
    if (name == m_highlightedName)
        return;
    m_highlightedName = name;
    if (!m_headers.isEmpty())
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1), {Qt::FontRole});
}

int HeaderListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_headers.size());
}

int HeaderListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant HeaderListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const HttpHeader &header = m_headers.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case PositionColumn:
            return index.row() + 1;
        case NameColumn:
            return displayBytes(header.name);
        case ValueColumn:
            return displayBytes(header.value, 2000);
        }
        break;
    case Qt::ToolTipRole:
        if (index.column() == ValueColumn)
            return QStringLiteral("%1 (%2)").arg(displayBytes(header.value, 4000), formatSize(header.value.size()));
        break;
    case Qt::FontRole:
        if (index.column() != PositionColumn) {
            QFont font = QFontDatabase::systemFont(QFontDatabase::FixedFont);
            font.setBold(!m_highlightedName.isEmpty() && headerNameEquals(header.name, m_highlightedName));
            return font;
        }
        break;
    case Qt::TextAlignmentRole:
        if (index.column() == PositionColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case RawLineRole:
        return QByteArray(header.name + ": " + header.value);
    case RawNameRole:
        return header.name;
    case RawValueRole:
        return header.value;
    }
    return {};
}

QVariant HeaderListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case PositionColumn:
        return QStringLiteral("#");
    case NameColumn:
        return QStringLiteral("Name");
    case ValueColumn:
        return QStringLiteral("Value");
    }
    return {};
}

QByteArray HeaderListModel::linesForRows(const QList<int> &rows) const
{
    QList<int> sorted = rows;
    std::sort(sorted.begin(), sorted.end());
    sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
    QByteArray lines;
    for (const int row : std::as_const(sorted)) {
        if (row < 0 || row >= m_headers.size())
            continue;
        if (!lines.isEmpty())
            lines += '\n';
        lines += m_headers.at(row).name + ": " + m_headers.at(row).value;
    }
    return lines;
}

} // namespace hookbench
