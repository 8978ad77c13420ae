// The store's file format: fresh stores, the migration from an older schema, and files the store
// must refuse without touching them.
#include "storetesting.h"

#include "store/capturefilter.h"
#include "store/capturestore.h"
#include "store/capturewriter.h"
#include "store/storeschema.h"

#include <QDir>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace hookbench;
using namespace hookbench::testing;

namespace {

// Schema version 1 exactly as the first release wrote it. Frozen here on purpose: if the store's
// own copy of step 1 ever changes, this test still checks what real v1 files contain.
const char *const version1Ddl[] = {
    "CREATE TABLE sessions (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE,"
    " created_at_us INTEGER NOT NULL)",
    "INSERT INTO sessions (id, name, created_at_us) VALUES (1, 'default', 1764000000000000)",
    "CREATE TABLE captures (id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE, received_at_us INTEGER NOT NULL,"
    " method BLOB NOT NULL, target BLOB NOT NULL, body_size INTEGER NOT NULL,"
    " remote_address TEXT NOT NULL DEFAULT '', remote_port INTEGER NOT NULL DEFAULT 0,"
    " tls INTEGER NOT NULL DEFAULT 0, listener TEXT NOT NULL DEFAULT '', scheme TEXT NOT NULL DEFAULT '',"
    " verdict TEXT NOT NULL, verdict_reason TEXT NOT NULL DEFAULT '', response_status INTEGER NOT NULL DEFAULT 0)",
    "CREATE TABLE capture_payloads (capture_id INTEGER PRIMARY KEY REFERENCES captures(id) ON DELETE CASCADE,"
    " headers BLOB NOT NULL, body BLOB NOT NULL)",
    "CREATE INDEX captures_session ON captures(session_id, id)",
    "CREATE INDEX captures_time ON captures(received_at_us)",
    "CREATE INDEX captures_listener ON captures(listener, id)",
    "CREATE INDEX captures_verdict ON captures(verdict, id)",
    "CREATE INDEX captures_method ON captures(method, id)",
    "CREATE INDEX captures_target ON captures(target)",
    "PRAGMA application_id=1212891715",
    "PRAGMA user_version=1",
};

// What version 2 added, frozen for the same reason.
const char *const version2Ddl[] = {
    "ALTER TABLE captures ADD COLUMN dbt_event_type TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE captures ADD COLUMN dbt_event_id TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE captures ADD COLUMN dbt_run_id TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE captures ADD COLUMN dbt_check TEXT NOT NULL DEFAULT ''",
    "CREATE INDEX captures_dbt_event_type ON captures(dbt_event_type, id)",
    "CREATE INDEX captures_dbt_run_id ON captures(dbt_run_id, id)",
    "CREATE TABLE attempts (id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " capture_id INTEGER REFERENCES captures(id) ON DELETE CASCADE, kind TEXT NOT NULL,"
    " started_at_us INTEGER NOT NULL, method BLOB NOT NULL, url BLOB NOT NULL, request_headers BLOB NOT NULL,"
    " request_body BLOB NOT NULL, status INTEGER NOT NULL DEFAULT 0, reason_phrase BLOB NOT NULL DEFAULT x'',"
    " response_headers BLOB NOT NULL DEFAULT x'', response_body BLOB NOT NULL DEFAULT x'',"
    " time_to_first_byte_us INTEGER NOT NULL DEFAULT -1, total_us INTEGER NOT NULL DEFAULT -1,"
    " failure TEXT NOT NULL DEFAULT 'none', error TEXT NOT NULL DEFAULT '')",
    "CREATE INDEX attempts_capture ON attempts(capture_id, id)",
    "PRAGMA user_version=2",
};

// Runs statements on a plain connection of the test's own, like another program would.
class RawDatabase
{
public:
    explicit RawDatabase(const QString &path)
    {
        m_database = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        m_database.setDatabaseName(path);
        m_database.open();
    }
    ~RawDatabase()
    {
        m_database.close();
        m_database = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_name);
    }
    bool exec(const QString &sql, const QVariantList &values = {})
    {
        QSqlQuery query(m_database);
        query.prepare(sql);
        for (qsizetype i = 0; i < values.size(); ++i)
            query.bindValue(int(i), values.at(i));
        if (!query.exec()) {
            qWarning("%s: %s", qPrintable(sql), qPrintable(query.lastError().text()));
            return false;
        }
        return true;
    }
    // What EXPLAIN QUERY PLAN says about `sql`, its steps joined by "; ".
    QString plan(const QString &sql, const QVariantList &values)
    {
        QSqlQuery query(m_database);
        query.prepare(QStringLiteral("EXPLAIN QUERY PLAN ") + sql);
        for (qsizetype i = 0; i < values.size(); ++i)
            query.bindValue(int(i), values.at(i));
        QStringList steps;
        if (query.exec()) {
            while (query.next())
                steps << query.value(3).toString();
        }
        return steps.join(QStringLiteral("; "));
    }
    QVariant value(const QString &sql)
    {
        QSqlQuery query(m_database);
        return query.exec(sql) && query.next() ? query.value(0) : QVariant();
    }

private:
    QString m_name = QStringLiteral("raw");
    QSqlDatabase m_database;
};

} // namespace

class TestStoreSchema : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_files = 0;

    QString freshPath() { return m_dir.filePath(QStringLiteral("schema-%1.sqlite").arg(++m_files)); }

    // A store as version 1 left it: two captures, one with headers only the binary block holds.
    QString writeVersion1Store()
    {
        const QString path = freshPath();
        RawDatabase raw(path);
        for (const char *statement : version1Ddl) {
            if (!raw.exec(QString::fromLatin1(statement)))
                return {};
        }
        raw.exec(QStringLiteral("INSERT INTO captures (session_id, received_at_us, method, target, body_size,"
                                " remote_address, remote_port, listener, scheme, verdict, verdict_reason,"
                                " response_status) VALUES (1, 1764000000000001, ?, ?, 5, '127.0.0.1', 50000,"
                                " '127.0.0.1:5000', 'dbt-cloud', 'valid', '', 200)"),
            {QByteArray("POST"), QByteArray("/old/one")});
        raw.exec(QStringLiteral("INSERT INTO capture_payloads VALUES (1, ?, ?)"),
            {QByteArray("Content-Type: application/json\r\nAuthorization: abc\r\n"), QByteArray("{\"a\"}")});
        raw.exec(QStringLiteral("INSERT INTO captures (session_id, received_at_us, method, target, body_size,"
                                " verdict) VALUES (1, 1764000000000002, ?, ?, 3, 'invalid')"),
            {QByteArray("PROPFIND"), QByteArray("/old/two")});
        raw.exec(QStringLiteral("INSERT INTO capture_payloads VALUES (2, ?, ?)"),
            {QByteArray("\0HB1\0\0\0\x01X\0\0\0\x03"
                        "a\nb",
                 16),
                QByteArray("\0\xff\r", 3)});
        return path;
    }

    static QStringList indexNames(RawDatabase &raw)
    {
        return raw
            .value(QStringLiteral("SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_schema"
                                  " WHERE type = 'index' AND sql IS NOT NULL ORDER BY name)"))
            .toString()
            .split(u' ');
    }

    static QStringList expectedIndexes()
    {
        return {QStringLiteral("attempts_capture"), QStringLiteral("captures_dbt_event_type"),
            QStringLiteral("captures_dbt_run_id"), QStringLiteral("captures_listener"),
            QStringLiteral("captures_method_unusual"), QStringLiteral("captures_session"),
            QStringLiteral("captures_target"), QStringLiteral("captures_verdict_unusual")};
    }

    // The plan SQLite chooses for the ids() query of `filter`.
    static QString planFor(RawDatabase &raw, const CaptureFilter &filter)
    {
        const FilterSql sql = filterSql(filter);
        return raw.plan(
            QStringLiteral("SELECT c.id FROM captures c WHERE ") + sql.where + QStringLiteral(" ORDER BY c.id DESC"),
            sql.values);
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void freshStore_isCurrentWalWithDefaultSession()
    {
        StoreOptions options;
        options.path = m_dir.filePath(QStringLiteral("deep/er/fresh.sqlite"));
        {
            CaptureWriter writer(options);
            QString error;
            QVERIFY2(writer.open(&error), qPrintable(error));
        }
        RawDatabase raw(options.path);
        QCOMPARE(raw.value(QStringLiteral("PRAGMA user_version")).toInt(), storeschema::currentVersion);
        QCOMPARE(raw.value(QStringLiteral("PRAGMA application_id")).toInt(), storeschema::applicationId);
        QCOMPARE(raw.value(QStringLiteral("PRAGMA journal_mode")).toString(), QStringLiteral("wal"));
        QCOMPARE(
            raw.value(QStringLiteral("SELECT name FROM sessions WHERE id = 1")).toString(), QStringLiteral("default"));
        QCOMPARE(indexNames(raw), expectedIndexes());
    }

    // Version 3 only changes indexes: every capture stays, and the filters that lost an index
    // for their common value still find the unusual ones through the partial indexes. Version 4
    // gives attempts their wire target; older attempts read back without one.
    void version2Store_isMigratedToFewerIndexes_andAttemptsKeepTheirRows()
    {
        StoreOptions options;
        options.path = writeVersion1Store();
        QVERIFY(!options.path.isEmpty());
        {
            RawDatabase raw(options.path);
            for (const char *statement : version2Ddl)
                QVERIFY(raw.exec(QString::fromLatin1(statement)));
            QVERIFY(raw.exec(QStringLiteral("UPDATE captures SET dbt_event_type = 'job.run.completed' WHERE id = 1")));
            QVERIFY(raw.exec(QStringLiteral("INSERT INTO attempts (capture_id, kind, started_at_us, method, url,"
                                            " request_headers, request_body, status) VALUES (1, 'replay', 1, ?, ?,"
                                            " x'', ?, 200)"),
                {QByteArray("POST"), QByteArray("http://127.0.0.1:9/old/one"), QByteArray("{\"a\"}")}));
            QCOMPARE(raw.value(QStringLiteral("PRAGMA user_version")).toInt(), 2);
            QVERIFY(indexNames(raw).contains(QStringLiteral("captures_time")));
        }
        CaptureStore reader;
        QString error;
        QVERIFY2(reader.open(options, CaptureStore::Missing::Fail, &error), qPrintable(error));
        RawDatabase raw(options.path);
        QCOMPARE(raw.value(QStringLiteral("PRAGMA user_version")).toInt(), storeschema::currentVersion);
        QCOMPARE(raw.value(QStringLiteral("PRAGMA integrity_check")).toString(), QStringLiteral("ok"));
        QCOMPARE(indexNames(raw), expectedIndexes());

        QCOMPARE(reader.count(), qint64(2));
        CaptureFilter filter;
        filter.verdict = Verdict::Invalid;
        QCOMPARE(reader.ids(filter), QList<qint64> {2});
        QVERIFY2(planFor(raw, filter).contains(u"captures_verdict_unusual"), qPrintable(planFor(raw, filter)));
        filter.verdict = Verdict::Valid;
        QCOMPARE(reader.ids(filter), QList<qint64> {1});
        filter = {};
        filter.method = "PROPFIND";
        QCOMPARE(reader.ids(filter), QList<qint64> {2});
        QVERIFY2(planFor(raw, filter).contains(u"captures_method_unusual"), qPrintable(planFor(raw, filter)));
        filter.method = "POST";
        QCOMPARE(reader.ids(filter), QList<qint64> {1});
        filter = {};
        filter.dbtEventType = QStringLiteral("job.run.completed");
        QCOMPARE(reader.ids(filter), QList<qint64> {1});
        const auto second = reader.capture(2, &error);
        QVERIFY2(second, qPrintable(error));
        QCOMPARE(second->body, QByteArray("\0\xff\r", 3));

        const QList<Attempt> attempts = reader.attempts(1, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(attempts.size(), 1);
        QCOMPARE(attempts.first().status, 200);
        QCOMPARE(attempts.first().request.url, QUrl(QStringLiteral("http://127.0.0.1:9/old/one")));
        QCOMPARE(attempts.first().request.body, QByteArray("{\"a\"}"));
        QCOMPARE(attempts.first().request.target, QByteArray());
    }

    void version1Store_isMigratedKeepingEveryCapture_data()
    {
        QTest::addColumn<bool>("throughWriter");
        QTest::newRow("opened by a reader") << false;
        QTest::newRow("opened by the writer") << true;
    }

    void version1Store_isMigratedKeepingEveryCapture()
    {
        QFETCH(bool, throughWriter);
        StoreOptions options;
        options.path = writeVersion1Store();
        QVERIFY(!options.path.isEmpty());
        QString error;

        std::unique_ptr<CaptureWriter> writer;
        if (throughWriter) {
            writer = std::make_unique<CaptureWriter>(options);
            QVERIFY2(writer->open(&error), qPrintable(error));
        }
        CaptureStore reader;
        QVERIFY2(reader.open(options, CaptureStore::Missing::Fail, &error), qPrintable(error));
        {
            RawDatabase raw(options.path);
            QCOMPARE(raw.value(QStringLiteral("PRAGMA user_version")).toInt(), storeschema::currentVersion);
            QCOMPARE(raw.value(QStringLiteral("PRAGMA journal_mode")).toString(), QStringLiteral("wal"));
            QCOMPARE(raw.value(QStringLiteral("PRAGMA integrity_check")).toString(), QStringLiteral("ok"));
        }

        QCOMPARE(reader.count(), qint64(2));
        const auto first = reader.capture(1, &error);
        QVERIFY2(first, qPrintable(error));
        QCOMPARE(first->method, QByteArray("POST"));
        QCOMPARE(first->target, QByteArray("/old/one"));
        QCOMPARE(first->headers, (HeaderList {{"Content-Type", "application/json"}, {"Authorization", "abc"}}));
        QCOMPARE(first->body, QByteArray("{\"a\"}"));
        QCOMPARE(first->verdict, Verdict::Valid);
        QCOMPARE(first->listener, QStringLiteral("127.0.0.1:5000"));
        QCOMPARE(first->dbtEventType, QString());
        const auto second = reader.capture(2, &error);
        QVERIFY2(second, qPrintable(error));
        QCOMPARE(second->method, QByteArray("PROPFIND"));
        QCOMPARE(second->headers, (HeaderList {{"X", "a\nb"}}));
        QCOMPARE(second->body, QByteArray("\0\xff\r", 3));
        QCOMPARE(second->verdict, Verdict::Invalid);

        // What version 2 added works on the old data.
        if (!writer) {
            writer = std::make_unique<CaptureWriter>(options);
            QVERIFY2(writer->open(&error), qPrintable(error));
        }
        Attempt attempt;
        attempt.captureId = 1;
        attempt.kind = Attempt::Kind::Replay;
        attempt.status = 200;
        QVERIFY(writeAndWait([&](QObject *c, CaptureSink::Done d) { writer->addAttempt(attempt, c, d); }).id > 0);
        const qint64 id
            = writeAndWait([&](QObject *c, CaptureSink::Done d) { writer->submit(sampleCapture(1), c, d); }).id;
        QCOMPARE(id, qint64(3));
        CaptureFilter filter;
        filter.dbtEventType = QStringLiteral("job.run.completed");
        QCOMPARE(reader.ids(filter), QList<qint64> {3});
        QCOMPARE(reader.attempts(1).size(), 1);
    }

    void newerStore_isRefusedAndLeftAlone()
    {
        StoreOptions options;
        options.path = freshPath();
        {
            CaptureWriter writer(options);
            QString error;
            QVERIFY(writer.open(&error));
        }
        {
            RawDatabase raw(options.path);
            QVERIFY(raw.exec(QStringLiteral("PRAGMA user_version=99")));
        }
        QString error;
        CaptureStore reader;
        QVERIFY(!reader.open(options, CaptureStore::Missing::Fail, &error));
        QVERIFY2(error.contains(u"schema version 99"), qPrintable(error));
        CaptureWriter writer(options);
        QVERIFY(!writer.open(&error));
        QVERIFY2(error.contains(u"upgrade Hookbench"), qPrintable(error));
        RawDatabase raw(options.path);
        QCOMPARE(raw.value(QStringLiteral("PRAGMA user_version")).toInt(), 99);
    }

    void foreignSqliteFile_isRefusedAndLeftAlone()
    {
        StoreOptions options;
        options.path = freshPath();
        {
            RawDatabase raw(options.path);
            QVERIFY(raw.exec(QStringLiteral("CREATE TABLE notes (text TEXT)")));
            QVERIFY(raw.exec(QStringLiteral("INSERT INTO notes VALUES ('mine')")));
        }
        QString error;
        CaptureWriter writer(options);
        QVERIFY(!writer.open(&error));
        QVERIFY2(error.contains(u"not a Hookbench capture store"), qPrintable(error));
        RawDatabase raw(options.path);
        QCOMPARE(raw.value(QStringLiteral("SELECT count(*) FROM sqlite_schema")).toInt(), 1);
        QCOMPARE(raw.value(QStringLiteral("SELECT text FROM notes")).toString(), QStringLiteral("mine"));
    }

    void readerOnMissingFile_createsNothing()
    {
        StoreOptions options;
        options.path = m_dir.filePath(QStringLiteral("absent-dir/captures.sqlite"));
        CaptureStore reader;
        QString error;
        QVERIFY(!reader.open(options, CaptureStore::Missing::Fail, &error));
        QCOMPARE(error, QStringLiteral("no capture store at %1").arg(options.path));
        QVERIFY(!QFile::exists(options.path));
        QVERIFY(!QDir(m_dir.filePath(QStringLiteral("absent-dir"))).exists());

        QVERIFY2(reader.open(options, CaptureStore::Missing::Create, &error), qPrintable(error));
        QVERIFY(QFile::exists(options.path));
        QCOMPARE(reader.count(), qint64(0));
        QCOMPARE(reader.sessions().size(), 1);
    }

    void readerNeverWrites()
    {
        StoreOptions options;
        options.path = freshPath();
        CaptureStore reader;
        QString error;
        QVERIFY(reader.open(options, CaptureStore::Missing::Create, &error));
        const qint64 before = reader.dataVersion();
        CaptureWriter writer(options);
        QVERIFY(writer.open(&error));
        QVERIFY(writeAndWait([&](QObject *c, CaptureSink::Done d) { writer.submit(sampleCapture(1), c, d); }).id > 0);
        // Another connection's commit shows in data_version (how a view notices other processes).
        QVERIFY(reader.dataVersion() != before);
        QCOMPARE(reader.count(), qint64(1));
    }
};

QTEST_GUILESS_MAIN(TestStoreSchema)
#include "tst_storeschema.moc"
