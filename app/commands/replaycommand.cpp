#include "attemptoutput.h"
#include "commandline.h"
#include "commands.h"
#include "sendflags.h"
#include "storeoption.h"

#include "replay/captureloader.h"
#include "replay/replaybatch.h"
#include "store/capturestore.h"
#include "store/capturewriter.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <QSet>
#include <QTimer>

#include <cmath>

namespace hookbench::cli {

namespace {

constexpr qsizetype maxIds = 1'000'000;

// "12", "3-7" (inclusive): the capture ids to replay, in the order given, repeats kept.
QList<qint64> idsFrom(const QStringList &arguments)
{
    QList<qint64> ids;
    for (const QString &argument : arguments) {
        const qsizetype dash = argument.indexOf(u'-', 1);
        bool okFirst = false;
        bool okLast = true;
        const qint64 first = (dash < 0 ? argument : argument.left(dash)).toLongLong(&okFirst);
        const qint64 last = dash < 0 ? first : argument.mid(dash + 1).toLongLong(&okLast);
        if (!okFirst || !okLast || first < 1 || last < first)
            throw UsageError {
                QStringLiteral("\"%1\" is not a capture id or range of ids (e.g. 12 or 10-20)").arg(argument)};
        if (last - first + 1 > maxIds - ids.size())
            throw UsageError {QStringLiteral("more than %1 captures at once").arg(maxIds)};
        for (qint64 id = first; id <= last; ++id)
            ids.append(id);
    }
    if (ids.isEmpty())
        throw UsageError {QStringLiteral("give the ids of the captures to replay (see 'hookbench captures list')")};
    return ids;
}

QString durationText(qint64 us)
{
    if (us < 1000)
        return QStringLiteral("%1 µs").arg(us);
    if (us < 10'000'000)
        return QStringLiteral("%1 ms").arg(double(us) / 1000.0, 0, 'f', 1);
    return QStringLiteral("%1 s").arg(double(us) / 1e6, 0, 'f', 1);
}

QByteArray attemptLine(const Attempt &attempt, qint64 attemptId)
{
    QString line = QStringLiteral("capture %1: ").arg(attempt.captureId);
    if (attempt.failure == Attempt::Failure::None) {
        line += QString::number(attempt.status);
        if (!attempt.reasonPhrase.isEmpty())
            line += u' ' + QString::fromLatin1(attempt.reasonPhrase);
        line += QStringLiteral(" in %1").arg(durationText(attempt.totalUs));
    } else {
        line += attemptFailureName(attempt.failure) + QStringLiteral(": ") + attempt.error;
    }
    if (attemptId > 0)
        line += QStringLiteral(" (attempt %1)").arg(attemptId);
    return line.toUtf8() + '\n';
}

QString summaryText(const ReplaySummary &summary)
{
    QStringList parts;
    for (auto it = summary.statusCounts.cbegin(); it != summary.statusCounts.cend(); ++it) {
        if (it.key() < 200 || it.key() >= 300)
            parts.append(QStringLiteral("%1: %2").arg(it.key()).arg(it.value()));
    }
    for (auto it = summary.failureCounts.cbegin(); it != summary.failureCounts.cend(); ++it)
        parts.append(QStringLiteral("%1: %2").arg(attemptFailureName(it.key())).arg(it.value()));
    return QStringLiteral("%1 of %2 answered 2xx (%3)")
        .arg(summary.succeeded)
        .arg(summary.total)
        .arg(parts.join(QStringLiteral(", ")));
}

// Standard output for one line per attempt: buffered, written at least every 100 ms and before
// anything goes to stderr, so that 10,000 attempts are not 10,000 write calls.
class LineOutput
{
public:
    LineOutput()
    {
        m_timer.setSingleShot(true);
        m_timer.setInterval(100);
        QObject::connect(&m_timer, &QTimer::timeout, [this] { flush(); });
    }
    ~LineOutput() { flush(); }

    void write(const QByteArray &line)
    {
        m_pending += line;
        if (m_pending.size() >= 32 * 1024)
            flush();
        else if (!m_timer.isActive())
            m_timer.start();
    }
    void flush()
    {
        m_timer.stop();
        if (!m_pending.isEmpty())
            writeOut(std::exchange(m_pending, {}));
    }

private:
    QByteArray m_pending;
    QTimer m_timer;
};

} // namespace

int runReplay(const QStringList &arguments)
{
    const QString command = QStringLiteral("replay");
    return runGuarded(command, [&] {
        CommandLine commandLine(command,
            QStringLiteral("hookbench replay ID… --to URL [--store PATH] [--resign --scheme NAME [SECRET]] "
                           "[--concurrency N] [--rate N] [--timeout S] [--insecure] [--max-redirects N] [--json]"),
            QStringLiteral(
                "Sends stored captures again, byte for byte: the same method, headers (less Host, Content-Length "
                "and hop-by-hop headers, derived again for the new connection) and body. IDs are capture ids or "
                "ranges (10-20). With --to http://host:port (no path) each capture keeps its own path and query; "
                "with a path, every capture goes to exactly that URL. --resign replaces the scheme's signature "
                "headers with fresh ones. Prints one line (or JSON object) per attempt as it completes; every "
                "attempt is stored with its capture. Exits 0 when every answer is 2xx, 1 when some are not, 2 on "
                "usage errors, 3 when some got no answer (refused, timeout, TLS)."));
        QCommandLineParser &parser = commandLine.parser();
        addSendOptions(parser);
        addStoreOptions(parser, StoreAccess::Write);
        parser.addOption({QStringLiteral("resign"),
            QStringLiteral("Sign each body again with --scheme (default dbt-cloud) and the secret.")});
        addSchemeOptions(parser);
        addSecretOptions(parser);
        parser.addOption({QStringLiteral("concurrency"), QStringLiteral("Requests in flight at once. Default: 4."),
            QStringLiteral("N"), QStringLiteral("4")});
        parser.addOption({QStringLiteral("rate"),
            QStringLiteral("At most N requests started per second (decimals allowed). Default: no limit."),
            QStringLiteral("N")});
        parser.addOption({QStringLiteral("json"), QStringLiteral("Print one JSON object per attempt.")});
        if (!commandLine.parse(arguments))
            return int(ExitOk);

        const QList<qint64> ids = idsFrom(parser.positionalArguments());
        const QUrl destination = destinationFrom(parser);
        ReplayBatch::Options options;
        options.send = sendOptionsFrom(parser);
        options.concurrency = int(integerOption(parser, QStringLiteral("concurrency"), 1, 256));
        if (parser.isSet(QStringLiteral("rate"))) {
            bool ok = false;
            options.rateLimit = parser.value(QStringLiteral("rate")).toDouble(&ok);
            if (!ok || !std::isfinite(options.rateLimit) || options.rateLimit < 0.001 || options.rateLimit > 1e6)
                throw UsageError {QStringLiteral("--rate must be a number of requests per second from 0.001 to "
                                                 "1000000, not \"%1\"")
                                      .arg(parser.value(QStringLiteral("rate")))};
        }

        if (parser.isSet(QStringLiteral("resign"))) {
            std::shared_ptr<const SignatureScheme> scheme = schemeFromOptions(parser);
            const QList<SecretSource> secrets = readSecrets(commandLine, true);
            if (secrets.size() > 1)
                printWarning(command,
                    QStringLiteral("%1 secrets given; signing with %2")
                        .arg(secrets.size())
                        .arg(secrets.first().description));
            auto resigner = std::make_shared<Resigner>(scheme, secrets.first().secret);
            if (!resigner->problem().isEmpty())
                throw UsageError {
                    QStringLiteral("%1 (secret from %2)").arg(resigner->problem(), secrets.first().description)};
            options.resigner = resigner;
        } else {
            for (const QString &option : {QStringLiteral("scheme"), QStringLiteral("secret"),
                     QStringLiteral("secret-env"), QStringLiteral("secret-file"), QStringLiteral("header"),
                     QStringLiteral("prefix"), QStringLiteral("algorithm"), QStringLiteral("encoding"),
                     QStringLiteral("template"), QStringLiteral("timestamp-header"), QStringLiteral("id-header")}) {
                if (parser.isSet(option))
                    throw UsageError {QStringLiteral("--%1 needs --resign").arg(option)};
            }
        }

        const StoreOptions storeOptions = storeOptionsFromParser(parser, StoreAccess::Write);
        CaptureStore store;
        QString error;
        if (!store.open(storeOptions, CaptureStore::Missing::Fail, &error))
            throw UsageError {error};
        // Every id must exist before anything is sent: a typo should not half-run a batch. The store's
        // ids from the smallest asked for up are 8 bytes a row, much cheaper than reading summaries.
        QList<qint64> unique = QSet<qint64>(ids.cbegin(), ids.cend()).values();
        std::sort(unique.begin(), unique.end());
        const QList<qint64> stored = store.ids({}, unique.first() - 1, &error); // newest first
        if (!error.isEmpty())
            throw UsageError {error};
        QSet<qint64> found;
        for (const qint64 id : std::as_const(unique)) {
            if (std::binary_search(stored.cbegin(), stored.cend(), id, std::greater<>()))
                found.insert(id);
        }
        QStringList missing;
        for (const qint64 id : std::as_const(unique)) {
            if (!found.contains(id))
                missing.append(QString::number(id));
        }
        if (!missing.isEmpty())
            throw UsageError {QStringLiteral("no capture %1 in %2")
                                  .arg(missing.size() > 5 ? missing.first(5).join(QStringLiteral(", ")) + u", …"
                                                          : missing.join(QStringLiteral(", ")),
                                      store.path())};

        CaptureWriter writer(storeOptions);
        if (!writer.open(&error))
            throw UsageError {error};

        // Captures are read a chunk at a time, as slots free up: a large batch never sits in memory.
        ReplayBatch batch(ids.size(),
            captureLoader(ids, destination,
                [&store](const QList<qint64> &chunk, QString *readError) { return store.captures(chunk, readError); }),
            options);

        const bool json = parser.isSet(QStringLiteral("json"));
        QEventLoop loop;
        int pendingWrites = 0;
        bool batchDone = false;
        bool storeFailed = false;
        std::optional<ReplaySummary> summary;
        auto quitWhenDone = [&] {
            if (batchDone && pendingWrites == 0)
                loop.quit();
        };
        LineOutput out;
        auto problemLine = [&](const QString &message) {
            out.flush(); // keep stdout and stderr in order on a terminal
            printError(command, message);
        };
        auto report = [&](const Attempt &attempt, qint64 attemptId) {
            if (json) {
                QJsonObject object = attemptJson(attempt);
                object.insert(
                    QStringLiteral("attemptId"), attemptId > 0 ? QJsonValue(attemptId) : QJsonValue(QJsonValue::Null));
                out.write(QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n');
            } else {
                out.write(attemptLine(attempt, attemptId));
            }
            const QString problem = attemptProblem(attempt);
            if (!problem.isEmpty())
                problemLine(QStringLiteral("capture %1: %2").arg(attempt.captureId).arg(problem));
        };
        QObject::connect(&batch, &ReplayBatch::attemptFinished, &loop, [&](qsizetype, const Attempt &attempt) {
            if (attempt.totalUs < 0) { // never sent (the capture vanished meanwhile): nothing to store
                report(attempt, 0);
                return;
            }
            ++pendingWrites;
            writer.addAttempt(attempt, &loop, [&, attempt](qint64 attemptId, const QString &writeError) {
                --pendingWrites;
                report(attempt, attemptId);
                if (attemptId <= 0) {
                    storeFailed = true;
                    problemLine(QStringLiteral("capture %1: the attempt could not be stored: %2")
                                    .arg(attempt.captureId)
                                    .arg(writeError));
                }
                quitWhenDone();
            });
        });
        QObject::connect(&batch, &ReplayBatch::finished, &loop, [&](const ReplaySummary &finished) {
            summary = finished;
            batchDone = true;
            quitWhenDone();
        });
        batch.start();
        loop.exec();
        writer.flush();
        out.flush();

        if (summary->succeeded < summary->total && summary->total > 1)
            printError(command, summaryText(*summary));
        if (!summary->failureCounts.isEmpty())
            return int(ExitNetwork);
        if (summary->succeeded < summary->total || storeFailed)
            return int(ExitFailure);
        return int(ExitOk);
    });
}

} // namespace hookbench::cli
