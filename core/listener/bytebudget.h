#pragma once

#include <QtGlobal>

namespace hookbench {

// A shared allowance of body bytes held in memory at once. Reservations that would exceed the
// limit are refused, so what clients send can't grow the process without bound.
class ByteBudget
{
public:
    explicit ByteBudget(qint64 limit) : m_limit(limit) { }

    bool reserve(qint64 bytes)
    {
        if (bytes <= 0)
            return true;
        if (m_used + bytes > m_limit)
            return false;
        m_used += bytes;
        return true;
    }
    void release(qint64 bytes)
    {
        if (bytes > 0)
            m_used = qMax<qint64>(0, m_used - bytes);
    }
    qint64 used() const { return m_used; }
    qint64 limit() const { return m_limit; }

private:
    qint64 m_limit;
    qint64 m_used = 0;
};

} // namespace hookbench
