#pragma once

#include <QByteArrayView>
#include <QList>
#include <QPair>

namespace hookbench {

// Where two byte strings differ, for marking them side by side (the diagnosis shows a received
// body beside the variant whose MAC matched). Myers' O((N+M)·D) shortest edit script; past
// `maxEdits` differences it stops and marks the rest as changed, so it stays quick on
// unrelated inputs.
struct ByteDiff
{
    QList<QPair<qsizetype, qsizetype>> removed; // [start, end) ranges of `a` not in `b`
    QList<QPair<qsizetype, qsizetype>> added; // [start, end) ranges of `b` not in `a`
    bool complete = true; // false when maxEdits was reached
};

ByteDiff diffBytes(QByteArrayView a, QByteArrayView b, int maxEdits = 800);

} // namespace hookbench
