#include "dbtrunrecord.h"

namespace hookbench {

size_t qHash(const DbtRunContext &context, size_t seed)
{
    // The fields that tell contexts apart (names follow ids); hashing all eight costs more than
    // the rare collision between two contexts of one job.
    return qHashMulti(seed, context.jobId, context.environmentId, context.runReason);
}

DbtRunRecord DbtRunRecord::fromEvent(const DbtEvent &event, DbtRecordPool *pool)
{
    DbtRunRecord record;
    record.eventType = event.eventType;
    record.runStatus = event.runStatus();
    DbtRunContext context {event.jobId, event.jobName, event.environmentId, event.environmentName, event.projectId,
        event.projectName, event.dbtVersion, event.runReason};
    record.context
        = pool ? pool->intern(std::move(context)) : std::make_shared<const DbtRunContext>(std::move(context));
    record.runStatusMessage = pool ? pool->intern(event.runStatusMessage) : event.runStatusMessage;
    record.runStartedAt = event.runStartedAt;
    record.runFinishedAt = event.runFinishedAt;
    record.runErroredAt = event.runErroredAt;
    return record;
}

std::shared_ptr<const DbtRunContext> DbtRecordPool::intern(const std::shared_ptr<const DbtRunContext> &context)
{
    // Contexts made through a pool (the worker has one too) are known by their address.
    if (!context || m_known.contains(context.get()))
        return context;
    if (const auto *found = recent(*context))
        return *found;
    const auto found = m_contexts.constFind(*context);
    if (found != m_contexts.constEnd())
        return remember(found.value());
    if (m_contexts.size() >= maxContexts)
        return context;
    // The first of its kind becomes the shared one (it is immutable, whichever thread made it).
    m_contexts.insert(*context, context);
    m_known.insert(context.get());
    return remember(context);
}

std::shared_ptr<const DbtRunContext> DbtRecordPool::intern(DbtRunContext &&context)
{
    if (const auto *found = recent(context))
        return *found;
    const auto found = m_contexts.constFind(context);
    if (found != m_contexts.constEnd())
        return remember(found.value());
    return intern(std::make_shared<const DbtRunContext>(std::move(context)));
}

const std::shared_ptr<const DbtRunContext> *DbtRecordPool::recent(const DbtRunContext &context) const
{
    for (const auto &candidate : m_recent) {
        if (candidate && *candidate == context)
            return &candidate;
    }
    return nullptr;
}

std::shared_ptr<const DbtRunContext> DbtRecordPool::remember(const std::shared_ptr<const DbtRunContext> &context)
{
    return m_recent[m_nextRecent++ % m_recent.size()] = context;
}

void DbtRecordPool::share(DbtRunRecord &record)
{
    record.context = intern(record.context);
    m_strings.internInPlace(record.runStatusMessage);
}

void DbtRecordPool::clear()
{
    m_strings.clear();
    m_contexts.clear();
    m_known.clear();
    m_recent.fill(nullptr);
}

} // namespace hookbench
