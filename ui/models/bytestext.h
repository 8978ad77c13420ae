#pragma once

#include <QByteArrayView>
#include <QString>

namespace hookbench {

// Header names and values, targets and methods are bytes. For display they are read as UTF-8;
// control characters and bytes that are not UTF-8 are shown as \xNN so nothing is hidden and
// nothing is silently replaced. `maxCharacters` < 0: no limit (longer text ends with "…").
QString displayBytes(QByteArrayView bytes, qsizetype maxCharacters = -1);

// "624 B", "1.5 KiB", "16.0 MiB".
QString formatSize(qint64 bytes);

// A microsecond Unix time as local "2026-11-29 19:28:15.742" (or with the date omitted when
// `timeOnly`).
QString formatTimestampUs(qint64 microseconds, bool timeOnly = false);

} // namespace hookbench
