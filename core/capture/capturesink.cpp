#include "capturesink.h"

#include <QMetaObject>

namespace hookbench {

void MemoryCaptureSink::submit(Capture capture, QObject *context, Done done)
{
    qint64 id = 0;
    if (m_failure.isEmpty()) {
        id = m_captures.size() + 1;
        capture.id = id;
        m_captures.append(std::move(capture));
    }
    QMetaObject::invokeMethod(
        context, [done = std::move(done), id, error = m_failure] { done(id, error); }, Qt::QueuedConnection);
}

} // namespace hookbench
