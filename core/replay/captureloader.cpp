#include "captureloader.h"

#include "capturerequest.h"

#include <QHash>

#include <memory>

namespace hookbench {

namespace {

struct LoaderState
{
    QList<qint64> ids;
    QUrl destination;
    CaptureFetcher fetch;
    qsizetype chunk = 64;
    qsizetype loadedEnd = 0; // positions below this have been fetched
    QHash<qint64, Capture> captures; // the current chunk, by id
    QString error; // the current chunk's fetch error
};

} // namespace

ReplayBatch::Loader captureLoader(QList<qint64> ids, QUrl destination, CaptureFetcher fetch, int chunk)
{
    auto state = std::make_shared<LoaderState>();
    state->ids = std::move(ids);
    state->destination = std::move(destination);
    state->fetch = std::move(fetch);
    state->chunk = std::max(1, chunk);
    return [state](qsizetype index) -> ReplayItem {
        LoaderState &s = *state;
        const qint64 id = s.ids.value(index);
        if (index >= s.loadedEnd || !s.captures.contains(id)) {
            // ReplayBatch asks in order; anything else (or an id not in this chunk) starts a new one.
            const QList<qint64> wanted = s.ids.mid(index, s.chunk);
            s.captures.clear();
            s.error.clear();
            for (Capture &capture : s.fetch(wanted, &s.error))
                s.captures.insert(capture.id, std::move(capture));
            s.loadedEnd = index + wanted.size();
        }
        const auto it = s.captures.constFind(id);
        if (it == s.captures.cend())
            return {id, {}, s.error.isEmpty() ? QStringLiteral("capture %1 no longer exists").arg(id) : s.error};
        return {id, requestFromCapture(*it, s.destination), {}};
    };
}

} // namespace hookbench
