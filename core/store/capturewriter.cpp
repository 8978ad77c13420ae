#include "capturewriter.h"

#include "headerblock.h"
#include "sqlitestatement.h"
#include "storeconnection.h"
#include "storeerror.h"
#include "walcheckpointer.h"

#include <QDateTime>
#include <QHash>
#include <QMutex>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <vector>

namespace hookbench {

bool StoreChange::isEmpty() const
{
    return addedCaptures.isEmpty() && updatedCaptures.isEmpty() && removedCaptures.isEmpty()
        && clearedSessions.isEmpty() && attemptsAdded.isEmpty() && !sessionsChanged;
}

void StoreChange::merge(const StoreChange &other)
{
    addedCaptures += other.addedCaptures;
    updatedCaptures += other.updatedCaptures;
    removedCaptures += other.removedCaptures;
    clearedSessions += other.clearedSessions;
    attemptsAdded += other.attemptsAdded;
    sessionsChanged = sessionsChanged || other.sessionsChanged;
}

namespace {

using Clock = std::chrono::steady_clock;

constexpr qint64 defaultSessionId = 1;

// A callback's target. The writer thread must never post to an object that is being destroyed
// on its own thread, and QPointer can't be checked and used atomically across threads, so each
// context is tracked through its destroyed() signal, under the same lock that posting takes.
struct ContextEntry
{
    QObject *object = nullptr;
    bool alive = true;
};
using ContextHandle = std::shared_ptr<ContextEntry>;

class ContextRegistry : public std::enable_shared_from_this<ContextRegistry>
{
public:
    ContextHandle handleFor(QObject *object)
    {
        if (!object)
            return {};
        QMutexLocker lock(&m_mutex);
        if (const auto found = m_entries.constFind(object); found != m_entries.cend())
            return found.value();
        auto entry = std::make_shared<ContextEntry>();
        entry->object = object;
        m_entries.insert(object, entry);
        lock.unlock();
        // No receiver object: the lambda runs in the destroying thread, inside ~QObject, before
        // Qt discards the object's pending events.
        QObject::connect(object, &QObject::destroyed, [registry = shared_from_this(), entry] {
            QMutexLocker lock(&registry->m_mutex);
            entry->alive = false;
            if (registry->m_entries.value(entry->object) == entry)
                registry->m_entries.remove(entry->object);
        });
        return entry;
    }

    // Queues `function` to run on the context's thread, unless the context is gone.
    void post(const ContextHandle &context, std::function<void()> function)
    {
        if (!context)
            return;
        QMutexLocker lock(&m_mutex);
        if (context->alive)
            QMetaObject::invokeMethod(context->object, std::move(function), Qt::QueuedConnection);
    }

private:
    QMutex m_mutex;
    QHash<QObject *, ContextHandle> m_entries;
};

// The result of one write inside a transaction.
struct Outcome
{
    qint64 value = 0;
    QString error; // a one-line error for this write's caller
    // Set when the database refused the write: the transaction is suspect. Optional because a
    // QSqlError allocates even when empty, and every write of a batch has an Outcome.
    std::optional<QSqlError> sqlError;
};

class Statements;
using Operation = std::function<Outcome(Statements &, StoreChange &)>;

struct Job
{
    Operation operation;
    ContextHandle context;
    CaptureSink::Done done;
    bool isCapture = false;
    qsizetype bytes = 0; // memory the write holds until it is committed
    qint64 sequence = 0;
    Clock::time_point queuedAt;
};

qint64 nowUs()
{
    return QDateTime::currentMSecsSinceEpoch() * 1000;
}

// A text column's last value and its UTF-8 bytes. Most of a listener's captures repeat the
// listener, scheme, address, verdict and reason of the one before, so each is converted (and
// allocated) once rather than per capture.
class Utf8Cache
{
public:
    const QByteArray &operator()(const QString &text)
    {
        if (text != m_text) {
            m_text = text;
            m_utf8 = text.toUtf8();
        }
        return m_utf8;
    }

private:
    QString m_text;
    QByteArray m_utf8;
};

// The writer thread's prepared statements over its connection, and the writes themselves.
class Statements
{
public:
    explicit Statements(StoreConnection &connection) : m_connection(connection) { }

    bool prepare(QString *error)
    {
        sqlite3 *handle = SqliteStatement::handleOf(m_connection.database());
        if (!m_insertCapture.prepare(handle,
                "INSERT INTO captures (session_id, received_at_us, method, target, body_size, remote_address,"
                " remote_port, tls, listener, scheme, verdict, verdict_reason, response_status, dbt_event_type,"
                " dbt_event_id, dbt_run_id, dbt_check) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            *error = describeStoreError(m_insertCapture.lastError(), path());
            return false;
        }
        if (!m_insertPayload.prepare(
                handle, "INSERT INTO capture_payloads (capture_id, headers, body) VALUES (?, ?, ?)")) {
            *error = describeStoreError(m_insertPayload.lastError(), path());
            return false;
        }
        if (!m_insertAttempt.prepare(handle,
                "INSERT INTO attempts (capture_id, kind, started_at_us, method, url, request_headers, request_body,"
                " status, reason_phrase, response_headers, response_body, time_to_first_byte_us, total_us, failure,"
                " error, request_target) VALUES (NULLIF(?, 0), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            *error = describeStoreError(m_insertAttempt.lastError(), path());
            return false;
        }
        const std::pair<SqliteStatement *, const char *> control[] {
            {&m_begin, "BEGIN IMMEDIATE"}, {&m_commit, "COMMIT"}, {&m_rollback, "ROLLBACK"}};
        for (const auto &[statement, sql] : control) {
            if (!statement->prepare(handle, sql)) {
                *error = describeStoreError(statement->lastError(), path());
                return false;
            }
        }
        return true;
    }

    const QString &path() const { return m_connection.path(); }

    // Transaction control, prepared once: a batch costs no statement parsing.
    bool begin(Outcome *outcome) { return control(m_begin, outcome); }
    bool commit(Outcome *outcome) { return control(m_commit, outcome); }
    void rollback()
    {
        Outcome ignored;
        control(m_rollback, &ignored);
    }

    // Runs `sql` with `values`; on failure fills the outcome's error from the database.
    bool run(QSqlQuery &query, const QVariantList &values, Outcome *outcome)
    {
        for (qsizetype i = 0; i < values.size(); ++i)
            query.bindValue(int(i), values.at(i));
        if (query.exec())
            return true;
        fail(query.lastError(), outcome);
        return false;
    }

    // Prepares and runs `sql`; the executed query, or nothing with the outcome's error filled.
    std::optional<QSqlQuery> run(const QString &sql, const QVariantList &values, Outcome *outcome)
    {
        QSqlQuery query(m_connection.database());
        if (!query.prepare(sql)) {
            fail(query.lastError(), outcome);
            return std::nullopt;
        }
        if (!run(query, values, outcome))
            return std::nullopt;
        return query;
    }

    bool control(SqliteStatement &statement, Outcome *outcome)
    {
        const bool ok = statement.step();
        statement.reset();
        if (!ok)
            fail(statement.lastError(), outcome);
        return ok;
    }

    void fail(const QSqlError &error, Outcome *outcome)
    {
        outcome->sqlError = error;
        outcome->error = describeStoreError(error, path());
    }

    // The id of the session named `name`, or 0.
    qint64 sessionNamed(const QString &name, Outcome *outcome)
    {
        auto query = run(QStringLiteral("SELECT id FROM sessions WHERE name = ?"), {name}, outcome);
        return query && query->next() ? query->value(0).toLongLong() : 0;
    }

    bool sessionExists(qint64 id, Outcome *outcome)
    {
        auto query = run(QStringLiteral("SELECT 1 FROM sessions WHERE id = ?"), {id}, outcome);
        return query && query->next();
    }

    // The hot path: straight on SQLite's handle, every value bound without copies.
    Outcome insertCapture(const Capture &capture, StoreChange &change)
    {
        Outcome outcome;
        SqliteStatement &insert = m_insertCapture;
        const QByteArray &remoteAddress = m_remoteAddress(capture.remoteAddress);
        const QByteArray &listener = m_listener(capture.listener);
        const QByteArray &scheme = m_scheme(capture.scheme);
        const QByteArray &verdict = verdictUtf8(capture.verdict);
        const QByteArray &reason = m_reason(capture.verdictReason);
        const QByteArray &dbtEventType = m_dbtEventType(capture.dbtEventType);
        const QByteArray dbtEventId = capture.dbtEventId.toUtf8(); // differs every time
        const QByteArray &dbtRunId = m_dbtRunId(capture.dbtRunId);
        const QByteArray &dbtCheck = m_dbtCheck(capture.dbtCheck);
        insert.bind(1, capture.sessionId);
        insert.bind(2, capture.receivedAtUs);
        insert.bindBlob(3, capture.method);
        insert.bindBlob(4, capture.target);
        insert.bind(5, capture.bodySize());
        insert.bindText(6, remoteAddress);
        insert.bind(7, capture.remotePort);
        insert.bind(8, capture.tls ? 1 : 0);
        insert.bindText(9, listener);
        insert.bindText(10, scheme);
        insert.bindText(11, verdict);
        insert.bindText(12, reason);
        insert.bind(13, capture.responseStatus);
        insert.bindText(14, dbtEventType);
        insert.bindText(15, dbtEventId);
        insert.bindText(16, dbtRunId);
        insert.bindText(17, dbtCheck);
        const bool inserted = insert.step();
        const qint64 id = insert.lastInsertRowId();
        insert.reset();
        if (!inserted) {
            fail(insert.lastError(), &outcome);
            return outcome;
        }
        const QByteArray headers = encodeHeaderBlock(capture.headers);
        SqliteStatement &payload = m_insertPayload;
        payload.bind(1, id);
        payload.bindBlob(2, headers);
        payload.bindBlob(3, capture.body);
        const bool stored = payload.step();
        payload.reset();
        if (!stored) {
            fail(payload.lastError(), &outcome);
            return outcome;
        }
        outcome.value = id;
        change.addedCaptures.append(id);
        return outcome;
    }

    // A batch replay stores one attempt per request: the same hot path as captures.
    Outcome insertAttempt(const Attempt &attempt, StoreChange &change)
    {
        Outcome outcome;
        SqliteStatement &insert = m_insertAttempt;
        const QByteArray kind = attemptKindName(attempt.kind).toUtf8();
        const QByteArray url = attempt.request.url.toEncoded();
        const QByteArray requestHeaders = encodeHeaderBlock(attempt.request.headers);
        const QByteArray responseHeaders = encodeHeaderBlock(attempt.responseHeaders);
        const QByteArray failure = attemptFailureName(attempt.failure).toUtf8();
        const QByteArray error = attempt.error.toUtf8();
        insert.bind(1, attempt.captureId);
        insert.bindText(2, kind);
        insert.bind(3, attempt.startedAtUs);
        insert.bindBlob(4, attempt.request.method);
        insert.bindBlob(5, url);
        insert.bindBlob(6, requestHeaders);
        insert.bindBlob(7, attempt.request.body);
        insert.bind(8, attempt.status);
        insert.bindBlob(9, attempt.reasonPhrase);
        insert.bindBlob(10, responseHeaders);
        insert.bindBlob(11, attempt.responseBody);
        insert.bind(12, attempt.timeToFirstByteUs);
        insert.bind(13, attempt.totalUs);
        insert.bindText(14, failure);
        insert.bindText(15, error);
        insert.bindBlob(16, attempt.request.target);
        const bool inserted = insert.step();
        const qint64 id = insert.lastInsertRowId();
        insert.reset();
        if (!inserted) {
            fail(insert.lastError(), &outcome);
            return outcome;
        }
        outcome.value = id;
        change.attemptsAdded.append(attempt.captureId);
        return outcome;
    }

    Outcome setResponseStatus(qint64 captureId, int status, StoreChange &change)
    {
        Outcome outcome;
        auto query = run(
            QStringLiteral("UPDATE captures SET response_status = ? WHERE id = ?"), {status, captureId}, &outcome);
        if (!query)
            return outcome;
        if (query->numRowsAffected() < 1) {
            outcome.error = QStringLiteral("no capture with id %1").arg(captureId);
            return outcome;
        }
        outcome.value = 1;
        change.updatedCaptures.append(captureId);
        return outcome;
    }

    Outcome deleteCaptures(const QList<qint64> &ids, StoreChange &change)
    {
        Outcome outcome;
        QSqlQuery query(m_connection.database());
        if (!query.prepare(QStringLiteral("DELETE FROM captures WHERE id = ?"))) {
            fail(query.lastError(), &outcome);
            return outcome;
        }
        for (const qint64 id : ids) {
            if (!run(query, {id}, &outcome))
                return outcome;
            if (query.numRowsAffected() > 0) {
                ++outcome.value;
                change.removedCaptures.append(id);
            }
        }
        return outcome;
    }

    Outcome clearSession(qint64 sessionId, StoreChange &change)
    {
        Outcome outcome;
        if (!sessionExists(sessionId, &outcome)) {
            if (outcome.error.isEmpty())
                outcome.error = QStringLiteral("no session with id %1").arg(sessionId);
            return outcome;
        }
        auto query = run(QStringLiteral("DELETE FROM captures WHERE session_id = ?"), {sessionId}, &outcome);
        if (!query)
            return outcome;
        outcome.value = query->numRowsAffected();
        change.clearedSessions.append(sessionId);
        return outcome;
    }

    Outcome createSession(const QString &name, StoreChange &change)
    {
        Outcome outcome;
        const QString trimmed = name.trimmed();
        if (trimmed.isEmpty()) {
            outcome.error = QStringLiteral("a session needs a name");
            return outcome;
        }
        if (sessionNamed(trimmed, &outcome) != 0) {
            outcome.error = QStringLiteral("a session named \"%1\" already exists").arg(trimmed);
            return outcome;
        }
        if (!outcome.error.isEmpty())
            return outcome;
        auto query = run(
            QStringLiteral("INSERT INTO sessions (name, created_at_us) VALUES (?, ?)"), {trimmed, nowUs()}, &outcome);
        if (!query)
            return outcome;
        outcome.value = query->lastInsertId().toLongLong();
        change.sessionsChanged = true;
        return outcome;
    }

    Outcome renameSession(qint64 sessionId, const QString &name, StoreChange &change)
    {
        Outcome outcome;
        const QString trimmed = name.trimmed();
        if (trimmed.isEmpty()) {
            outcome.error = QStringLiteral("a session needs a name");
            return outcome;
        }
        const qint64 existing = sessionNamed(trimmed, &outcome);
        if (!outcome.error.isEmpty())
            return outcome;
        if (existing != 0 && existing != sessionId) {
            outcome.error = QStringLiteral("a session named \"%1\" already exists").arg(trimmed);
            return outcome;
        }
        auto query = run(QStringLiteral("UPDATE sessions SET name = ? WHERE id = ?"), {trimmed, sessionId}, &outcome);
        if (!query)
            return outcome;
        if (query->numRowsAffected() < 1) {
            outcome.error = QStringLiteral("no session with id %1").arg(sessionId);
            return outcome;
        }
        outcome.value = 1;
        change.sessionsChanged = true;
        return outcome;
    }

    Outcome deleteSession(qint64 sessionId, qint64 currentSession, StoreChange &change)
    {
        Outcome outcome;
        if (sessionId == defaultSessionId) {
            outcome.error = QStringLiteral("the default session can't be deleted (clear it instead)");
            return outcome;
        }
        if (sessionId == currentSession) {
            outcome.error = QStringLiteral("session %1 is where new captures go; switch sessions first").arg(sessionId);
            return outcome;
        }
        qint64 captures = 0;
        if (auto count
            = run(QStringLiteral("SELECT count(*) FROM captures WHERE session_id = ?"), {sessionId}, &outcome))
            captures = count->next() ? count->value(0).toLongLong() : 0;
        else
            return outcome;
        auto query = run(QStringLiteral("DELETE FROM sessions WHERE id = ?"), {sessionId}, &outcome);
        if (!query)
            return outcome;
        if (query->numRowsAffected() < 1) {
            outcome.error = QStringLiteral("no session with id %1").arg(sessionId);
            return outcome;
        }
        outcome.value = captures;
        change.clearedSessions.append(sessionId);
        change.sessionsChanged = true;
        return outcome;
    }

private:
    static const QByteArray &verdictUtf8(Verdict verdict)
    {
        static const QByteArray names[] {verdictName(Verdict::Valid).toUtf8(), verdictName(Verdict::Invalid).toUtf8(),
            verdictName(Verdict::Unsigned).toUtf8(), verdictName(Verdict::NoSecret).toUtf8()};
        switch (verdict) {
        case Verdict::Valid:
            return names[0];
        case Verdict::Invalid:
            return names[1];
        case Verdict::Unsigned:
            return names[2];
        case Verdict::NoSecret:
            break;
        }
        return names[3];
    }

    StoreConnection &m_connection;
    Utf8Cache m_remoteAddress;
    Utf8Cache m_listener;
    Utf8Cache m_scheme;
    Utf8Cache m_reason;
    Utf8Cache m_dbtEventType;
    Utf8Cache m_dbtRunId;
    Utf8Cache m_dbtCheck;
    SqliteStatement m_insertCapture;
    SqliteStatement m_insertPayload;
    SqliteStatement m_begin;
    SqliteStatement m_commit;
    SqliteStatement m_rollback;
    SqliteStatement m_insertAttempt;
};

// Errors that concern the whole store rather than one write: retrying the writes one by one
// would only wait for the same lock or hit the same full disk again.
bool isStoreWide(const QSqlError &error)
{
    switch (storeErrorKind(error)) {
    case StoreErrorKind::Locked:
    case StoreErrorKind::Full:
    case StoreErrorKind::ReadOnly:
    case StoreErrorKind::Io:
    case StoreErrorKind::Corrupt:
    case StoreErrorKind::CantOpen:
    case StoreErrorKind::NotADatabase:
        return true;
    default:
        return false;
    }
}

} // namespace

class CaptureWriter::Worker
{
public:
    explicit Worker(StoreOptions options)
        : m_options(std::move(options)), m_registry(std::make_shared<ContextRegistry>())
    {
        m_options.maxBatch = qMax(1, m_options.maxBatch);
        m_options.commitIntervalUs = qMax(0, m_options.commitIntervalUs);
    }

    ~Worker() { stop(); }

    const StoreOptions &options() const { return m_options; }

    bool open(QString *error)
    {
        std::unique_lock lock(m_mutex);
        if (m_state == State::Open)
            return true;
        if (m_state != State::Idle) {
            *error = m_openError;
            return false;
        }
        m_state = State::Opening;
        lock.unlock();
        m_thread.reset(QThread::create([this] { run(); }));
        m_thread->setObjectName(QStringLiteral("hookbench-store-writer"));
        m_thread->start();
        lock.lock();
        m_progress.wait(lock, [this] { return m_state != State::Opening; });
        if (m_state == State::Open)
            return true;
        *error = m_openError;
        return false;
    }

    bool isOpen() const
    {
        std::lock_guard lock(m_mutex);
        return m_state == State::Open;
    }

    void stop()
    {
        {
            std::lock_guard lock(m_mutex);
            m_stopping = true;
        }
        m_wake.notify_all();
        if (m_thread) {
            m_thread->wait();
            m_thread.reset();
        }
    }

    qint64 currentSession() const { return m_currentSession.load(); }
    void setCurrentSession(qint64 id) { m_currentSession.store(id); }

    Job makeJob(Operation operation, QObject *context, Done done, bool isCapture, qsizetype bytes = 0)
    {
        Job job;
        job.operation = std::move(operation);
        job.context = m_registry->handleFor(context);
        job.done = std::move(done);
        job.isCapture = isCapture;
        job.bytes = bytes;
        job.queuedAt = Clock::now();
        return job;
    }

    void enqueue(Operation operation, QObject *context, Done done, bool isCapture, qsizetype bytes = 0)
    {
        std::vector<Job> jobs;
        jobs.push_back(makeJob(std::move(operation), context, std::move(done), isCapture, bytes));
        enqueue(std::move(jobs));
    }

    // Queues `jobs` in order under one lock, with at most one wake-up: a listener hands over
    // the requests of one event-loop pass together, so they land in one transaction.
    void enqueue(std::vector<Job> jobs)
    {
        std::vector<std::pair<Job, QString>> refused;
        std::unique_lock lock(m_mutex);
        const size_t before = m_queue.size();
        for (Job &job : jobs) {
            // A stalled disk must not turn into unbounded memory: past the limit, writes are
            // refused at once (the listener answers 503) rather than queued. One write is always
            // accepted.
            const bool behind = m_pendingBytes > 0 && m_pendingBytes + job.bytes > m_options.maxPendingBytes;
            if (m_state != State::Open || m_stopping || behind) {
                QString error;
                if (m_state == State::Open && !m_stopping)
                    error = QStringLiteral("the capture store %1 is behind: %2 MiB wait to be written")
                                .arg(m_options.path)
                                .arg(m_pendingBytes / (1024 * 1024));
                else if (m_state == State::Open || m_state == State::Closed)
                    error = QStringLiteral("the capture store %1 is closed").arg(m_options.path);
                else
                    error = m_openError.isEmpty()
                        ? QStringLiteral("the capture store %1 is not open").arg(m_options.path)
                        : m_openError;
                refused.emplace_back(std::move(job), std::move(error));
                continue;
            }
            job.sequence = ++m_queuedSequence;
            m_pendingBytes += job.bytes;
            m_queue.push_back(std::move(job));
        }
        const size_t after = m_queue.size();
        lock.unlock();
        // The worker waits either for a first write or for a full batch.
        const size_t maxBatch = size_t(m_options.maxBatch);
        if (after > before && (before == 0 || (before < maxBatch && after >= maxBatch)))
            m_wake.notify_one();
        for (auto &[job, error] : refused) {
            ++m_failures;
            if (job.done)
                m_registry->post(job.context, [done = std::move(job.done), error = error] { done(0, error); });
        }
    }

    void addObserver(QObject *context, Observer observer)
    {
        ContextHandle handle = m_registry->handleFor(context);
        std::lock_guard lock(m_mutex);
        m_observers.push_back({std::move(handle), std::move(observer)});
    }

    void flush()
    {
        std::unique_lock lock(m_mutex);
        const qint64 target = m_queuedSequence;
        m_progress.wait(lock, [&] { return m_doneSequence >= target || m_state != State::Open; });
    }

    WriterStats stats() const
    {
        WriterStats stats;
        stats.transactions = m_transactions.load();
        stats.writes = m_writes.load();
        stats.captures = m_captures.load();
        stats.failures = m_failures.load();
        stats.largestBatch = m_largestBatch.load();
        stats.busyNs = m_busyNs.load();
        stats.checkpoints = m_checkpointCounters.checkpoints.load();
        stats.logPages = m_checkpointCounters.logPages.load();
        return stats;
    }

private:
    enum class State { Idle, Opening, Open, Failed, Closed };

    void run()
    {
        StoreConnection connection;
        QString error;
        bool ok = connection.open(m_options, StoreConnection::Role::Writer, StoreConnection::Missing::Create, &error);
        std::optional<Statements> statements;
        std::optional<WalCheckpointer> checkpointer;
        if (ok) {
            statements.emplace(connection);
            ok = statements->prepare(&error) && resolveSession(*statements, &error);
        }
        if (ok) {
            checkpointer.emplace(m_options, m_checkpointCounters);
            ok = checkpointer->attach(connection, &error);
        }
        {
            std::lock_guard lock(m_mutex);
            m_state = ok ? State::Open : State::Failed;
            m_openError = error;
        }
        m_progress.notify_all();
        if (!ok)
            return;

        loop(*statements);

        // The checkpointer's connection goes first, so that closing the writer's, the last one,
        // checkpoints the rest and removes the log.
        checkpointer.reset();
        statements.reset();
        connection.close();
        {
            std::lock_guard lock(m_mutex);
            m_state = State::Closed;
        }
        m_progress.notify_all();
    }

    bool resolveSession(Statements &statements, QString *error)
    {
        const QString name = m_options.session.trimmed();
        if (name.isEmpty()) {
            m_currentSession = defaultSessionId;
            return true;
        }
        Outcome outcome;
        qint64 id = statements.sessionNamed(name, &outcome);
        if (id == 0 && outcome.error.isEmpty() && statements.begin(&outcome)) {
            // Look again under the write lock: another process may have created it meanwhile.
            StoreChange ignored;
            id = statements.sessionNamed(name, &outcome);
            if (id == 0 && outcome.error.isEmpty())
                id = statements.createSession(name, ignored).value;
            if (!statements.commit(&outcome)) {
                statements.rollback();
                id = 0;
            }
        }
        if (id == 0) {
            *error
                = outcome.error.isEmpty() ? QStringLiteral("can't create the session \"%1\"").arg(name) : outcome.error;
            return false;
        }
        m_currentSession = id;
        return true;
    }

    void loop(Statements &statements)
    {
        const auto interval = std::chrono::microseconds(m_options.commitIntervalUs);
        const size_t maxBatch = size_t(m_options.maxBatch);
        std::vector<Job> batch;
        batch.reserve(maxBatch);
        std::unique_lock lock(m_mutex);
        for (;;) {
            m_wake.wait(lock, [this] { return !m_queue.empty() || m_stopping; });
            if (m_queue.empty())
                break;
            // Give the batch until `interval` after its oldest write to fill up.
            if (!m_stopping && interval.count() > 0 && m_queue.size() < maxBatch) {
                const auto deadline = m_queue.front().queuedAt + interval;
                m_wake.wait_until(lock, deadline, [&] { return m_queue.size() >= maxBatch || m_stopping; });
            }
            const size_t take = std::min(maxBatch, m_queue.size());
            for (size_t i = 0; i < take; ++i) {
                batch.push_back(std::move(m_queue.front()));
                m_queue.pop_front();
            }
            lock.unlock();

            const qint64 last = batch.back().sequence;
            qsizetype bytes = 0;
            for (const Job &job : batch)
                bytes += job.bytes;
            const auto started = Clock::now();
            process(batch, statements);
            m_busyNs += std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - started).count();
            batch.clear();

            lock.lock();
            m_pendingBytes -= bytes;
            m_doneSequence = last;
            m_progress.notify_all();
        }
    }

    // Runs a batch in one transaction. When one write fails on its own (not the store as a
    // whole), the batch is rolled back and each write retried in its own transaction so the
    // others still commit and the failure reaches only its caller.
    void process(std::vector<Job> &batch, Statements &statements)
    {
        std::vector<Outcome> outcomes(batch.size());
        StoreChange change;
        bool committed = false;
        QString storeError;

        Outcome begin;
        Outcome commit;
        if (statements.begin(&begin)) {
            bool retryAlone = false;
            for (size_t i = 0; i < batch.size(); ++i) {
                outcomes[i] = batch[i].operation(statements, change);
                if (outcomes[i].sqlError) {
                    if (isStoreWide(*outcomes[i].sqlError))
                        storeError = outcomes[i].error;
                    else
                        retryAlone = true;
                    break;
                }
            }
            if (storeError.isEmpty() && !retryAlone) {
                committed = statements.commit(&commit);
                if (!committed) {
                    if (commit.sqlError && isStoreWide(*commit.sqlError))
                        storeError = commit.error;
                    else
                        retryAlone = true;
                }
            }
            if (!committed)
                statements.rollback();
            if (committed) {
                ++m_transactions;
            } else if (retryAlone && batch.size() > 1) {
                change = {};
                for (size_t i = 0; i < batch.size(); ++i)
                    outcomes[i] = processAlone(batch[i], statements, change);
            } else if (retryAlone) {
                // A single write: its own error is the answer.
                change = {};
                if (outcomes[0].error.isEmpty())
                    outcomes[0] = commit;
                outcomes[0].value = 0;
            }
        } else {
            storeError = begin.error;
        }

        if (!storeError.isEmpty()) {
            change = {};
            for (Outcome &outcome : outcomes) {
                outcome.value = 0;
                outcome.error = storeError;
            }
        }
        deliver(batch, outcomes, change);
    }

    Outcome processAlone(Job &job, Statements &statements, StoreChange &change)
    {
        StoreChange own;
        Outcome outcome;
        if (!statements.begin(&outcome))
            return outcome;
        outcome = job.operation(statements, own);
        if (!outcome.sqlError) {
            Outcome commit;
            if (statements.commit(&commit)) {
                ++m_transactions;
                change.merge(own);
                return outcome;
            }
            outcome = commit;
        }
        statements.rollback();
        outcome.value = 0;
        return outcome;
    }

    void deliver(std::vector<Job> &batch, std::vector<Outcome> &outcomes, const StoreChange &change)
    {
        // One posted event per context and batch, running its callbacks in submission order.
        struct Call
        {
            Done done;
            qint64 value;
            QString error;
        };
        std::vector<std::pair<ContextHandle, std::vector<Call>>> calls;
        int captures = 0;
        for (size_t i = 0; i < batch.size(); ++i) {
            Outcome &outcome = outcomes[i];
            const bool failed = !outcome.error.isEmpty();
            if (failed)
                ++m_failures;
            else {
                ++m_writes;
                if (batch[i].isCapture)
                    ++captures;
            }
            if (!batch[i].done || !batch[i].context)
                continue;
            auto target = std::find_if(
                calls.begin(), calls.end(), [&](const auto &entry) { return entry.first == batch[i].context; });
            if (target == calls.end()) {
                calls.emplace_back(batch[i].context, std::vector<Call> {});
                target = calls.end() - 1;
            }
            target->second.push_back(
                {std::move(batch[i].done), failed ? 0 : outcome.value, failed ? outcome.error : QString()});
        }
        m_captures += captures;
        if (int(batch.size()) > m_largestBatch.load())
            m_largestBatch = int(batch.size());

        for (auto &[context, list] : calls) {
            m_registry->post(context, [list = std::move(list)] {
                for (const Call &call : list)
                    call.done(call.value, call.error);
            });
        }
        if (change.isEmpty())
            return;
        std::vector<std::pair<ContextHandle, Observer>> observers;
        {
            std::lock_guard lock(m_mutex);
            observers = m_observers;
        }
        for (const auto &[context, observer] : observers)
            m_registry->post(context, [observer, change] { observer(change); });
    }

    StoreOptions m_options;
    std::shared_ptr<ContextRegistry> m_registry;
    std::unique_ptr<QThread> m_thread;

    mutable std::mutex m_mutex;
    std::condition_variable m_wake; // the worker waits here for writes
    std::condition_variable m_progress; // open() and flush() wait here
    State m_state = State::Idle;
    QString m_openError;
    bool m_stopping = false;
    std::deque<Job> m_queue;
    qint64 m_queuedSequence = 0;
    qsizetype m_pendingBytes = 0;
    qint64 m_doneSequence = 0;
    std::vector<std::pair<ContextHandle, Observer>> m_observers;

    std::atomic<qint64> m_currentSession {defaultSessionId};
    std::atomic<qint64> m_transactions {0};
    std::atomic<qint64> m_writes {0};
    std::atomic<qint64> m_captures {0};
    std::atomic<qint64> m_failures {0};
    std::atomic<int> m_largestBatch {0};
    std::atomic<qint64> m_busyNs {0};
    CheckpointCounters m_checkpointCounters;
};

CaptureWriter::CaptureWriter(StoreOptions options) : m_worker(std::make_unique<Worker>(std::move(options)))
{ }

CaptureWriter::~CaptureWriter() = default;

bool CaptureWriter::open(QString *error)
{
    return m_worker->open(error);
}

bool CaptureWriter::isOpen() const
{
    return m_worker->isOpen();
}

const StoreOptions &CaptureWriter::options() const
{
    return m_worker->options();
}

qint64 CaptureWriter::currentSession() const
{
    return m_worker->currentSession();
}

void CaptureWriter::setCurrentSession(qint64 sessionId)
{
    m_worker->setCurrentSession(sessionId);
}

namespace {

qsizetype headerBytes(const HeaderList &headers)
{
    qsizetype bytes = 0;
    for (const HttpHeader &header : headers)
        bytes += header.name.size() + header.value.size() + 4;
    return bytes;
}

} // namespace

void CaptureWriter::submit(Capture capture, QObject *context, Done done)
{
    if (capture.sessionId == 0)
        capture.sessionId = m_worker->currentSession();
    const qsizetype bytes = capture.body.size() + headerBytes(capture.headers) + capture.target.size() + 256;
    m_worker->enqueue([capture = std::move(capture)](Statements &statements,
                          StoreChange &change) { return statements.insertCapture(capture, change); },
        context, std::move(done), true, bytes);
}

void CaptureWriter::submitBatch(QList<Submission> submissions)
{
    std::vector<Job> jobs;
    jobs.reserve(size_t(submissions.size()));
    const qint64 session = m_worker->currentSession();
    for (Submission &submission : submissions) {
        Capture &capture = submission.capture;
        if (capture.sessionId == 0)
            capture.sessionId = session;
        const qsizetype bytes = capture.body.size() + headerBytes(capture.headers) + capture.target.size() + 256;
        jobs.push_back(m_worker->makeJob([capture = std::move(capture)](Statements &statements,
                                             StoreChange &change) { return statements.insertCapture(capture, change); },
            submission.context, std::move(submission.done), true, bytes));
    }
    m_worker->enqueue(std::move(jobs));
}

void CaptureWriter::addAttempt(Attempt attempt, QObject *context, Done done)
{
    const qsizetype bytes = attempt.request.body.size() + attempt.responseBody.size()
        + headerBytes(attempt.request.headers) + headerBytes(attempt.responseHeaders) + 256;
    m_worker->enqueue([attempt = std::move(attempt)](Statements &statements,
                          StoreChange &change) { return statements.insertAttempt(attempt, change); },
        context, std::move(done), false, bytes);
}

void CaptureWriter::setResponseStatus(qint64 captureId, int status, QObject *context, Done done)
{
    m_worker->enqueue([captureId, status](Statements &statements,
                          StoreChange &change) { return statements.setResponseStatus(captureId, status, change); },
        context, std::move(done), false);
}

void CaptureWriter::deleteCaptures(QList<qint64> ids, QObject *context, Done done)
{
    m_worker->enqueue([ids = std::move(ids)](Statements &statements,
                          StoreChange &change) { return statements.deleteCaptures(ids, change); },
        context, std::move(done), false);
}

void CaptureWriter::clearSession(qint64 sessionId, QObject *context, Done done)
{
    m_worker->enqueue(
        [sessionId](Statements &statements, StoreChange &change) { return statements.clearSession(sessionId, change); },
        context, std::move(done), false);
}

void CaptureWriter::createSession(QString name, QObject *context, Done done)
{
    m_worker->enqueue([name = std::move(name)](Statements &statements,
                          StoreChange &change) { return statements.createSession(name, change); },
        context, std::move(done), false);
}

void CaptureWriter::renameSession(qint64 sessionId, QString name, QObject *context, Done done)
{
    m_worker->enqueue([sessionId, name = std::move(name)](Statements &statements,
                          StoreChange &change) { return statements.renameSession(sessionId, name, change); },
        context, std::move(done), false);
}

void CaptureWriter::deleteSession(qint64 sessionId, QObject *context, Done done)
{
    Worker *worker = m_worker.get();
    m_worker->enqueue(
        [sessionId, worker](Statements &statements, StoreChange &change) {
            return statements.deleteSession(sessionId, worker->currentSession(), change);
        },
        context, std::move(done), false);
}

void CaptureWriter::addObserver(QObject *context, Observer observer)
{
    m_worker->addObserver(context, std::move(observer));
}

void CaptureWriter::flush()
{
    m_worker->flush();
}

WriterStats CaptureWriter::stats() const
{
    return m_worker->stats();
}

} // namespace hookbench
