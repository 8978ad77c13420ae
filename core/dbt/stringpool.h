#pragma once

#include <QSet>
#include <QString>

#include <array>

namespace hookbench {

// Hands out one shared copy of each distinct string, so that values repeated across thousands of
// records (a job's name, an event type) take their memory once: QString's implicit sharing does
// the rest. Bounded: past `maxStrings` distinct values, new ones are returned as they are (still
// correct, just not shared) so that a stream of unique strings cannot grow the pool for ever.
class StringPool
{
public:
    static constexpr qsizetype defaultMaxStrings = 10000;

    explicit StringPool(qsizetype maxStrings = defaultMaxStrings) : m_maxStrings(maxStrings) { }

    // The pool's copy of `value` (added when new and there is room). Null stays null, so that
    // "absent" and "empty" keep their difference.
    QString intern(const QString &value);
    void internInPlace(QString &value) { value = intern(value); }

    qsizetype size() const { return m_strings.size(); }
    qsizetype maxStrings() const { return m_maxStrings; }
    void clear();

private:
    QSet<QString> m_strings;
    qsizetype m_maxStrings;
    // The last few values handed out: the values come in runs (a page of deliveries has a handful
    // of types and names), and comparing is much cheaper than hashing.
    std::array<QString, 8> m_recent;
    size_t m_nextRecent = 0;
};

} // namespace hookbench
