#include "bytediff.h"

#include <vector>

namespace hookbench {

namespace {

void addRange(QList<QPair<qsizetype, qsizetype>> &ranges, qsizetype at)
{
    if (!ranges.isEmpty() && ranges.last().second == at)
        ++ranges.last().second;
    else
        ranges.append({at, at + 1});
}

} // namespace

ByteDiff diffBytes(QByteArrayView a, QByteArrayView b, int maxEdits)
{
    ByteDiff diff;
    const qsizetype n = a.size();
    const qsizetype m = b.size();
    // Common prefix and suffix first: most variants differ in a few places.
    qsizetype prefix = 0;
    while (prefix < n && prefix < m && a[prefix] == b[prefix])
        ++prefix;
    qsizetype suffix = 0;
    while (suffix < n - prefix && suffix < m - prefix && a[n - 1 - suffix] == b[m - 1 - suffix])
        ++suffix;
    const QByteArrayView x = a.sliced(prefix, n - prefix - suffix);
    const QByteArrayView y = b.sliced(prefix, m - prefix - suffix);
    const qsizetype xn = x.size();
    const qsizetype yn = y.size();
    if (xn == 0 || yn == 0) {
        if (xn)
            diff.removed.append({prefix, prefix + xn});
        if (yn)
            diff.added.append({prefix, prefix + yn});
        return diff;
    }

    // Myers: v[k] is the furthest x reached on diagonal k after d edits; keep each round's v to
    // walk the path back.
    const qsizetype limit = qMin<qsizetype>(maxEdits, xn + yn);
    const qsizetype offset = limit + 1;
    std::vector<qsizetype> v(size_t(2 * offset + 1), 0);
    // Round d only needs diagonals -d..d of the previous round: keep just those (d² values in all).
    std::vector<std::vector<qsizetype>> trace;
    qsizetype found = -1;
    for (qsizetype d = 0; d <= limit && found < 0; ++d) {
        trace.emplace_back(v.begin() + (offset - d), v.begin() + (offset + d + 1));
        for (qsizetype k = -d; k <= d; k += 2) {
            qsizetype xi;
            if (k == -d || (k != d && v[size_t(offset + k - 1)] < v[size_t(offset + k + 1)]))
                xi = v[size_t(offset + k + 1)];
            else
                xi = v[size_t(offset + k - 1)] + 1;
            qsizetype yi = xi - k;
            while (xi < xn && yi < yn && x[xi] == y[yi]) {
                ++xi;
                ++yi;
            }
            v[size_t(offset + k)] = xi;
            if (xi >= xn && yi >= yn) {
                found = d;
                break;
            }
        }
    }
    if (found < 0) {
        diff.complete = false;
        diff.removed.append({prefix, prefix + xn});
        diff.added.append({prefix, prefix + yn});
        return diff;
    }
    // Walk back from the end, collecting the deletions and insertions in reverse.
    QList<qsizetype> removed;
    QList<qsizetype> added;
    qsizetype xi = xn;
    qsizetype yi = yn;
    for (qsizetype d = found; d > 0; --d) {
        const std::vector<qsizetype> &row = trace[size_t(d)]; // diagonal j is row[j + d]
        auto previous = [&](qsizetype diagonal) { return row[size_t(diagonal + d)]; };
        const qsizetype k = xi - yi;
        qsizetype previousK;
        if (k == -d || (k != d && previous(k - 1) < previous(k + 1)))
            previousK = k + 1;
        else
            previousK = k - 1;
        const qsizetype previousX = previous(previousK);
        const qsizetype previousY = previousX - previousK;
        while (xi > previousX && yi > previousY) {
            --xi;
            --yi;
        }
        if (xi == previousX) {
            added.append(yi - 1 + prefix);
            --yi;
        } else {
            removed.append(xi - 1 + prefix);
            --xi;
        }
    }
    for (auto it = removed.crbegin(); it != removed.crend(); ++it)
        addRange(diff.removed, *it);
    for (auto it = added.crbegin(); it != added.crend(); ++it)
        addRange(diff.added, *it);
    return diff;
}

} // namespace hookbench
