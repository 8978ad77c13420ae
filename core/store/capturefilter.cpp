#include "capturefilter.h"

#include <QStringList>

namespace hookbench {

namespace {

// The search folds ASCII letters only: UTF-8 bytes of other letters must match exactly.
QByteArray asciiLower(const QString &text)
{
    QByteArray bytes = text.toUtf8();
    for (char &c : bytes) {
        if (c >= 'A' && c <= 'Z')
            c = char(c - 'A' + 'a');
    }
    return bytes;
}

// The smallest byte string greater than every string that starts with `prefix`, or empty when
// there is none (the prefix is all 0xFF bytes).
QByteArray prefixUpperBound(QByteArray prefix)
{
    while (!prefix.isEmpty()) {
        if (quint8(prefix.back()) != 0xff) {
            prefix.back() = char(quint8(prefix.back()) + 1);
            return prefix;
        }
        prefix.chop(1);
    }
    return {};
}

} // namespace

bool CaptureFilter::isEmpty() const
{
    return sessionId == 0 && text.isEmpty() && method.isEmpty() && !verdict && dbtEventType.isEmpty()
        && dbtRunId.isEmpty() && listener.isEmpty() && targetPrefix.isEmpty();
}

FilterSql filterSql(const CaptureFilter &filter)
{
    QStringList conditions;
    FilterSql sql;
    if (filter.sessionId != 0) {
        conditions << QStringLiteral("c.session_id = ?");
        sql.values << filter.sessionId;
    }
    // The verdict and method indexes hold only the unusual values (storeschema.cpp, v3). SQLite
    // uses a partial index only when the query repeats its condition word for word, so it is
    // added for every other value; the usual value is found by walking captures newest first.
    if (!filter.method.isEmpty()) {
        conditions << QStringLiteral("c.method = ?");
        sql.values << filter.method;
        if (filter.method != "POST")
            conditions << QStringLiteral("c.method <> x'504F5354'");
    }
    if (filter.verdict) {
        conditions << QStringLiteral("c.verdict = ?");
        sql.values << verdictName(*filter.verdict);
        if (*filter.verdict != Verdict::Valid)
            conditions << QStringLiteral("c.verdict <> 'valid'");
    }
    if (!filter.dbtEventType.isEmpty()) {
        conditions << QStringLiteral("c.dbt_event_type = ?");
        sql.values << filter.dbtEventType;
    }
    if (!filter.dbtRunId.isEmpty()) {
        conditions << QStringLiteral("c.dbt_run_id = ?");
        sql.values << filter.dbtRunId;
    }
    if (!filter.listener.isEmpty()) {
        conditions << QStringLiteral("c.listener = ?");
        sql.values << filter.listener;
    }
    if (!filter.targetPrefix.isEmpty()) {
        // A range rather than LIKE/substr so that the target index is used; BLOBs compare bytewise.
        conditions << QStringLiteral("c.target >= ?");
        sql.values << filter.targetPrefix;
        const QByteArray upper = prefixUpperBound(filter.targetPrefix);
        if (!upper.isEmpty()) {
            conditions << QStringLiteral("c.target < ?");
            sql.values << upper;
        }
    }
    if (!filter.text.isEmpty()) {
        // hookbench_contains (searchfunction.h) scans the stored bytes in place.
        conditions << QStringLiteral(
            "(hookbench_contains(c.target, ?) OR EXISTS (SELECT 1 FROM capture_payloads p WHERE p.capture_id = c.id"
            " AND (hookbench_contains(p.headers, ?) OR hookbench_contains(p.body, ?))))");
        const QByteArray needle = asciiLower(filter.text);
        sql.values << needle << needle << needle;
    }
    sql.where = conditions.isEmpty() ? QStringLiteral("1") : conditions.join(QStringLiteral(" AND "));
    return sql;
}

} // namespace hookbench
