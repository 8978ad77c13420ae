#pragma once

#include "capture/capture.h"
#include "replaybatch.h"

#include <QList>
#include <QUrl>

#include <functional>

namespace hookbench {

// Reads captures by id, many at once, in the order asked, skipping ids that do not exist
// (CaptureStore::captures in practice; core/replay does not depend on the store).
using CaptureFetcher = std::function<QList<Capture>(const QList<qint64> &ids, QString *error)>;

// A ReplayBatch loader that replays the captures `ids` (in order, repeats kept) to
// `destination` (see requestFromCapture). It fetches `chunk` captures at a time, just before they
// are needed, so a batch streams through a large store without holding it in memory, and one
// query serves many requests. A capture that is gone by then becomes a failed item.
ReplayBatch::Loader captureLoader(QList<qint64> ids, QUrl destination, CaptureFetcher fetch, int chunk = 64);

} // namespace hookbench
