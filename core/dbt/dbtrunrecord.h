#pragma once

#include "dbtevent.h"
#include "stringpool.h"

#include <QHash>
#include <QSet>
#include <QString>

#include <array>
#include <memory>

namespace hookbench {

class DbtRecordPool;

// What every event of a run repeats: the job, environment and project it ran in. Deliveries
// with the same values share one copy (DbtRecordPool): one per job, not one per delivery.
struct DbtRunContext
{
    QString jobId;
    QString jobName;
    QString environmentId;
    QString environmentName;
    QString projectId;
    QString projectName;
    QString dbtVersion;
    QString runReason;

    friend bool operator==(const DbtRunContext &, const DbtRunContext &) = default;
};
size_t qHash(const DbtRunContext &context, size_t seed = 0);

// What one dbt event says about its run, and nothing more: the fields a run row, its timeline bar
// and its status are built from. The runs view keeps one per delivery instead of the parsed event
// (~4 KiB each: a year of deliveries is hundreds of thousands of them), its repeated parts shared
// through a DbtRecordPool. The rest of an event can be read from the store when a view needs it.
struct DbtRunRecord
{
    DbtEventType eventType = DbtEventType::Unknown;
    DbtRunStatus runStatus = DbtRunStatus::Unknown; // DbtEvent::runStatus()
    std::shared_ptr<const DbtRunContext> context; // never null
    QString runStatusMessage;
    DbtTime runStartedAt;
    DbtTime runFinishedAt;
    DbtTime runErroredAt;

    // With a pool, the record shares its context and message from the start.
    static DbtRunRecord fromEvent(const DbtEvent &event, DbtRecordPool *pool = nullptr);
};

// Hands out shared copies of what run records repeat: strings (types, checks, messages, listener
// names) and whole run contexts. Bounded like StringPool: past the limit, values stay unshared.
class DbtRecordPool
{
public:
    static constexpr qsizetype maxContexts = 10000;

    QString intern(const QString &value) { return m_strings.intern(value); }
    void internInPlace(QString &value) { m_strings.internInPlace(value); }
    // The shared context equal to `context` (it becomes the shared one when new).
    std::shared_ptr<const DbtRunContext> intern(const std::shared_ptr<const DbtRunContext> &context);
    std::shared_ptr<const DbtRunContext> intern(DbtRunContext &&context);
    void share(DbtRunRecord &record);

    qsizetype contextCount() const { return m_contexts.size(); }
    void clear();

private:
    StringPool m_strings;
    QHash<DbtRunContext, std::shared_ptr<const DbtRunContext>> m_contexts;
    QSet<const DbtRunContext *> m_known; // the addresses of m_contexts' values
    // The last few handed out: a page's deliveries come from a few jobs, and comparing is much
    // cheaper than hashing eight strings.
    std::array<std::shared_ptr<const DbtRunContext>, 16> m_recent;
    size_t m_nextRecent = 0;
    const std::shared_ptr<const DbtRunContext> *recent(const DbtRunContext &context) const;
    std::shared_ptr<const DbtRunContext> remember(const std::shared_ptr<const DbtRunContext> &context);
};

} // namespace hookbench
