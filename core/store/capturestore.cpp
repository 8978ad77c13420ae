#include "capturestore.h"

#include "headerblock.h"
#include "sqlitestatement.h"
#include "storeerror.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QStringList>
#include <QUrl>

#include <sqlite3.h>

namespace hookbench {

namespace {

const QString summaryColumns = QStringLiteral(
    "c.id, c.session_id, c.received_at_us, c.method, c.target, c.body_size, c.verdict, c.response_status,"
    " c.dbt_event_type, c.listener");

CaptureSummary readSummary(const QSqlQuery &query)
{
    CaptureSummary summary;
    summary.id = query.value(0).toLongLong();
    summary.sessionId = query.value(1).toLongLong();
    summary.receivedAtUs = query.value(2).toLongLong();
    summary.method = query.value(3).toByteArray();
    summary.target = query.value(4).toByteArray();
    summary.bodySize = query.value(5).toLongLong();
    summary.verdict = verdictFromName(query.value(6).toString()).value_or(Verdict::NoSecret);
    summary.responseStatus = query.value(7).toInt();
    summary.dbtEventType = query.value(8).toString();
    summary.listener = query.value(9).toString();
    return summary;
}

Attempt::Kind kindFromName(const QString &name)
{
    for (const auto kind : {Attempt::Kind::Send, Attempt::Kind::Replay, Attempt::Kind::Forward}) {
        if (attemptKindName(kind) == name)
            return kind;
    }
    return Attempt::Kind::Send;
}

Attempt::Failure failureFromName(const QString &name)
{
    for (const auto failure : {Attempt::Failure::None, Attempt::Failure::Refused, Attempt::Failure::Timeout,
             Attempt::Failure::Tls, Attempt::Failure::Other}) {
        if (attemptFailureName(failure) == name)
            return failure;
    }
    return Attempt::Failure::Other;
}

const QString attemptColumns = QStringLiteral(
    "id, capture_id, kind, started_at_us, method, url, request_headers, request_body, status, reason_phrase,"
    " response_headers, response_body, time_to_first_byte_us, total_us, failure, error, request_target");

Attempt readAttempt(const QSqlQuery &query)
{
    Attempt attempt;
    attempt.id = query.value(0).toLongLong();
    attempt.captureId = query.value(1).toLongLong();
    attempt.kind = kindFromName(query.value(2).toString());
    attempt.startedAtUs = query.value(3).toLongLong();
    attempt.request.method = query.value(4).toByteArray();
    attempt.request.url = QUrl::fromEncoded(query.value(5).toByteArray());
    decodeHeaderBlock(query.value(6).toByteArray(), &attempt.request.headers);
    attempt.request.body = query.value(7).toByteArray();
    attempt.status = query.value(8).toInt();
    attempt.reasonPhrase = query.value(9).toByteArray();
    decodeHeaderBlock(query.value(10).toByteArray(), &attempt.responseHeaders);
    attempt.responseBody = query.value(11).toByteArray();
    attempt.timeToFirstByteUs = query.value(12).toLongLong();
    attempt.totalUs = query.value(13).toLongLong();
    attempt.failure = failureFromName(query.value(14).toString());
    attempt.error = query.value(15).toString();
    attempt.request.target = query.value(16).toByteArray();
    return attempt;
}

} // namespace

bool CaptureStore::open(const StoreOptions &options, Missing missing, QString *error)
{
    QString ignored;
    return m_connection.open(options, StoreConnection::Role::Reader,
        missing == Missing::Create ? StoreConnection::Missing::Create : StoreConnection::Missing::Fail,
        error ? error : &ignored);
}

// Runs a read; on failure sets *error (when given) and returns nothing.
static std::optional<QSqlQuery> select(
    StoreConnection &connection, const QString &sql, const QVariantList &values, QString *error)
{
    if (!connection.isOpen()) {
        if (error)
            *error = QStringLiteral("the capture store is not open");
        return std::nullopt;
    }
    QSqlQuery query(connection.database());
    query.setForwardOnly(true);
    bool ok = query.prepare(sql);
    for (qsizetype i = 0; ok && i < values.size(); ++i)
        query.bindValue(int(i), values.at(i));
    ok = ok && query.exec();
    if (!ok) {
        if (error)
            *error = describeStoreError(query.lastError(), connection.path());
        return std::nullopt;
    }
    return query;
}

QList<Session> CaptureStore::sessions(QString *error)
{
    QList<Session> sessions;
    auto query = select(m_connection,
        QStringLiteral("SELECT s.id, s.name, s.created_at_us,"
                       " (SELECT count(*) FROM captures c WHERE c.session_id = s.id)"
                       " FROM sessions s ORDER BY s.id"),
        {}, error);
    while (query && query->next())
        sessions.append({query->value(0).toLongLong(), query->value(1).toString(), query->value(2).toLongLong(),
            query->value(3).toLongLong()});
    return sessions;
}

QHash<qint64, QString> CaptureStore::sessionNames(QString *error)
{
    QHash<qint64, QString> names;
    auto query = select(m_connection, QStringLiteral("SELECT id, name FROM sessions"), {}, error);
    while (query && query->next())
        names.insert(query->value(0).toLongLong(), query->value(1).toString());
    return names;
}

std::optional<Session> CaptureStore::sessionNamed(const QString &name, QString *error)
{
    auto query = select(m_connection,
        QStringLiteral("SELECT s.id, s.name, s.created_at_us,"
                       " (SELECT count(*) FROM captures c WHERE c.session_id = s.id)"
                       " FROM sessions s WHERE s.name = ?"),
        {name.trimmed()}, error);
    if (!query || !query->next())
        return std::nullopt;
    return Session {query->value(0).toLongLong(), query->value(1).toString(), query->value(2).toLongLong(),
        query->value(3).toLongLong()};
}

qint64 CaptureStore::count(const CaptureFilter &filter, QString *error)
{
    const FilterSql where = filterSql(filter);
    auto query = select(
        m_connection, QStringLiteral("SELECT count(*) FROM captures c WHERE ") + where.where, where.values, error);
    return query && query->next() ? query->value(0).toLongLong() : 0;
}

QList<CaptureSummary> CaptureStore::summaries(const CaptureFilter &filter, qint64 beforeId, int limit, QString *error)
{
    FilterSql where = filterSql(filter);
    QString sql = QStringLiteral("SELECT ") + summaryColumns + QStringLiteral(" FROM captures c WHERE ") + where.where;
    if (beforeId > 0) {
        sql += QStringLiteral(" AND c.id < ?");
        where.values << beforeId;
    }
    sql += QStringLiteral(" ORDER BY c.id DESC LIMIT ?");
    where.values << qMax(0, limit);
    QList<CaptureSummary> summaries;
    auto query = select(m_connection, sql, where.values, error);
    while (query && query->next())
        summaries.append(readSummary(*query));
    return summaries;
}

QList<qint64> CaptureStore::ids(const CaptureFilter &filter, qint64 afterId, QString *error)
{
    FilterSql where = filterSql(filter);
    QString sql = QStringLiteral("SELECT c.id FROM captures c WHERE ") + where.where;
    if (afterId > 0) {
        sql += QStringLiteral(" AND c.id > ?");
        where.values << afterId;
    }
    sql += QStringLiteral(" ORDER BY c.id DESC");
    if (!m_connection.isOpen()) {
        if (error)
            *error = QStringLiteral("the capture store is not open");
        return {};
    }
    // A million rows through QSqlQuery cost a QVariant each; straight from SQLite they don't.
    SqliteStatement statement;
    if (!statement.prepare(SqliteStatement::handleOf(m_connection.database()), sql.toUtf8().constData())) {
        if (error)
            *error = describeStoreError(statement.lastError(), path());
        return {};
    }
    for (qsizetype i = 0; i < where.values.size(); ++i)
        statement.bindVariant(int(i + 1), where.values.at(i));
    QList<qint64> ids;
    for (bool row = true; row;) {
        if (!statement.step(&row)) {
            if (error)
                *error = describeStoreError(statement.lastError(), path());
            return {};
        }
        if (row)
            ids.append(statement.columnInt64(0));
    }
    return ids;
}

QList<CaptureSummary> CaptureStore::summariesFor(const QList<qint64> &ids, QString *error)
{
    QList<CaptureSummary> found;
    if (ids.isEmpty())
        return found;
    // SQLite allows 32766 parameters; a view asks for a screenful at a time anyway.
    constexpr qsizetype chunk = 500;
    QHash<qint64, CaptureSummary> byId;
    for (qsizetype start = 0; start < ids.size(); start += chunk) {
        const QList<qint64> part = ids.mid(start, chunk);
        QStringList marks;
        QVariantList values;
        for (const qint64 id : part) {
            marks << QStringLiteral("?");
            values << id;
        }
        auto query = select(m_connection,
            QStringLiteral("SELECT ") + summaryColumns + QStringLiteral(" FROM captures c WHERE c.id IN (")
                + marks.join(QLatin1Char(',')) + QLatin1Char(')'),
            values, error);
        if (!query)
            return {};
        while (query->next()) {
            CaptureSummary summary = readSummary(*query);
            byId.insert(summary.id, std::move(summary));
        }
    }
    for (const qint64 id : ids) {
        if (const auto it = byId.constFind(id); it != byId.cend())
            found.append(*it);
    }
    return found;
}

qint64 CaptureStore::newestId(QString *error)
{
    auto query = select(m_connection, QStringLiteral("SELECT max(id) FROM captures"), {}, error);
    return query && query->next() ? query->value(0).toLongLong() : 0;
}

namespace {

const char captureColumns[]
    = "SELECT c.id, c.session_id, c.received_at_us, c.method, c.target, c.remote_address, c.remote_port, c.tls,"
      " c.listener, c.scheme, c.verdict, c.verdict_reason, c.response_status, c.dbt_event_type, c.dbt_event_id,"
      " c.dbt_run_id, c.dbt_check, p.headers, p.body"
      " FROM captures c LEFT JOIN capture_payloads p ON p.capture_id = c.id WHERE c.id IN (";

// One row of captureColumns; false when its header block is damaged.
bool readCapture(const SqliteStatement &row, Capture *capture)
{
    auto text = [&row](int column) { return QString::fromUtf8(row.columnBytes(column)); };
    capture->id = row.columnInt64(0);
    capture->sessionId = row.columnInt64(1);
    capture->receivedAtUs = row.columnInt64(2);
    capture->method = row.columnBytes(3);
    capture->target = row.columnBytes(4);
    capture->remoteAddress = text(5);
    capture->remotePort = quint16(row.columnInt64(6));
    capture->tls = row.columnInt64(7) != 0;
    capture->listener = text(8);
    capture->scheme = text(9);
    capture->verdict = verdictFromName(text(10)).value_or(Verdict::NoSecret);
    capture->verdictReason = text(11);
    capture->responseStatus = int(row.columnInt64(12));
    capture->dbtEventType = text(13);
    capture->dbtEventId = text(14);
    capture->dbtRunId = text(15);
    capture->dbtCheck = text(16);
    if (!decodeHeaderBlock(row.columnBytes(17), &capture->headers))
        return false;
    capture->body = row.columnBytes(18);
    return true;
}

} // namespace

std::optional<Capture> CaptureStore::capture(qint64 id, QString *error)
{
    QList<Capture> found = captures({id}, error);
    if (found.isEmpty())
        return std::nullopt;
    return std::move(found.first());
}

QList<Capture> CaptureStore::captures(const QList<qint64> &ids, QString *error)
{
    QList<Capture> found;
    if (ids.isEmpty())
        return found;
    if (!m_connection.isOpen()) {
        if (error)
            *error = QStringLiteral("the capture store is not open");
        return {};
    }
    // Straight from SQLite, many rows per statement: through Qt SQL, preparing the statement and a
    // QVariant per column cost ~10x reading the row (160 µs per capture instead of ~16).
    constexpr qsizetype chunk = 500;
    QHash<qint64, Capture> byId;
    for (qsizetype start = 0; start < ids.size(); start += chunk) {
        const QList<qint64> part = ids.mid(start, chunk);
        QByteArray sql = captureColumns;
        for (qsizetype i = 0; i < part.size(); ++i)
            sql += i == 0 ? "?" : ",?";
        sql += ')';
        SqliteStatement statement;
        bool ok = statement.prepare(SqliteStatement::handleOf(m_connection.database()), sql.constData());
        for (qsizetype i = 0; ok && i < part.size(); ++i)
            statement.bind(int(i + 1), part.at(i));
        for (bool row = ok; row;) {
            ok = statement.step(&row);
            if (!ok || !row)
                break;
            Capture capture;
            if (!readCapture(statement, &capture)) {
                if (error)
                    *error = QStringLiteral("the headers of capture %1 in %2 are damaged").arg(capture.id).arg(path());
                return {};
            }
            byId.insert(capture.id, std::move(capture));
        }
        if (!ok) {
            if (error)
                *error = describeStoreError(statement.lastError(), path());
            return {};
        }
    }
    for (const qint64 id : ids) {
        if (const auto it = byId.constFind(id); it != byId.cend())
            found.append(*it);
    }
    return found;
}

QList<Attempt> CaptureStore::attempts(qint64 captureId, QString *error)
{
    QList<Attempt> attempts;
    auto query = select(m_connection,
        QStringLiteral("SELECT ") + attemptColumns + QStringLiteral(" FROM attempts WHERE capture_id = ? ORDER BY id"),
        {captureId}, error);
    while (query && query->next())
        attempts.append(readAttempt(*query));
    return attempts;
}

QList<Attempt> CaptureStore::recentAttempts(qint64 beforeId, int limit, QString *error)
{
    QList<Attempt> attempts;
    auto query = select(m_connection,
        QStringLiteral("SELECT ") + attemptColumns
            + QStringLiteral(" FROM attempts WHERE (? = 0 OR id < ?) ORDER BY id DESC LIMIT ?"),
        {beforeId, beforeId, qMax(0, limit)}, error);
    while (query && query->next())
        attempts.append(readAttempt(*query));
    return attempts;
}

qint64 CaptureStore::dataVersion(QString *error)
{
    auto query = select(m_connection, QStringLiteral("PRAGMA data_version"), {}, error);
    return query && query->next() ? query->value(0).toLongLong() : -1;
}

void CaptureStore::releaseMemory()
{
    if (sqlite3 *handle = isOpen() ? SqliteStatement::handleOf(m_connection.database()) : nullptr)
        sqlite3_db_release_memory(handle);
}

} // namespace hookbench
