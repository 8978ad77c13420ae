#pragma once

#include "capture/verdict.h"

#include <QByteArray>
#include <QString>
#include <QVariantList>

#include <optional>

namespace hookbench {

// Which captures a list shows. Empty fields match everything; set fields must all match.
struct CaptureFilter
{
    qint64 sessionId = 0; // 0: every session
    // Found anywhere in the request target, the header block or the body. ASCII letters match
    // in either case; other bytes must match exactly.
    QString text;
    QByteArray method; // exact, as received ("POST", "PROPFIND")
    std::optional<Verdict> verdict;
    QString dbtEventType; // exact, e.g. "job.run.completed"
    QString dbtRunId;
    QString listener; // exact, e.g. "127.0.0.1:5000"
    QByteArray targetPrefix; // request targets starting with these bytes, e.g. "/hooks/dbt"

    bool isEmpty() const;
};

// The filter as a SQL condition on `captures c` (with `?` placeholders) and its values in order.
// The condition needs hookbench_contains (registered on every StoreConnection).
struct FilterSql
{
    QString where; // "1" when the filter is empty
    QVariantList values;
};
FilterSql filterSql(const CaptureFilter &filter);

} // namespace hookbench
