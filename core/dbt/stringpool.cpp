#include "stringpool.h"

namespace hookbench {

QString StringPool::intern(const QString &value)
{
    if (value.isEmpty())
        return value; // nothing to share, and a null string must stay null
    for (const QString &recent : m_recent) {
        if (recent.size() == value.size() && (recent.constData() == value.constData() || recent == value))
            return recent;
    }
    const auto found = m_strings.constFind(value);
    if (found != m_strings.constEnd())
        return m_recent[m_nextRecent++ % m_recent.size()] = *found;
    if (m_strings.size() >= m_maxStrings)
        return value;
    m_strings.insert(value);
    return m_recent[m_nextRecent++ % m_recent.size()] = value;
}

void StringPool::clear()
{
    m_strings.clear();
    m_recent.fill(QString());
}

} // namespace hookbench
