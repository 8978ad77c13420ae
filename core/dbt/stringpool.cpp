#include "stringpool.h"

namespace hookbench {

QString StringPool::intern(const QString &value)
{
    if (value.isEmpty())
        return value; // nothing to share, and a null string must stay null
    const auto found = m_strings.constFind(value);
    if (found != m_strings.constEnd())
        return *found;
    if (m_strings.size() < m_maxStrings)
        m_strings.insert(value);
    return value;
}

} // namespace hookbench
