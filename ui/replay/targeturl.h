#pragma once

#include <QString>
#include <QUrl>

namespace hookbench {

// Reads a replay or forward target typed by the user: an http:// or https:// URL with a host,
// without user name or password (they would be stored with every attempt) and without a
// #fragment, like `replay --to` and `listen --forward-to`. Returns the URL, or an empty one
// with `problem` set to one line.
QUrl parseTargetUrl(const QString &text, QString *problem);

// "1.2 s", "340 ms", "2 min 05 s", "1 h 02 min": a duration for progress and summaries.
QString durationText(qint64 ms);

} // namespace hookbench
