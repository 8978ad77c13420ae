#include "commandline.h"
#include "commands.h"
#include "storeoption.h"

#include "store/capturestore.h"

#include <QDateTime>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringDecoder>

namespace hookbench::cli {

namespace {

const QString commandName = QStringLiteral("captures");

bool isValidUtf8(const QByteArray &bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString ignored = decoder(bytes);
    return !decoder.hasError();
}

// Bytes for a terminal: UTF-8 text as is, control characters and undecodable bytes as \xHH,
// so that a hostile target or header can't move the cursor or hide itself.
QString printable(const QByteArray &bytes, bool keepLineBreaks = false)
{
    const bool utf8 = isValidUtf8(bytes);
    QByteArray out;
    out.reserve(bytes.size());
    for (const char c : bytes) {
        const auto byte = quint8(c);
        const bool control = byte < 0x20 || byte == 0x7f;
        const bool allowedControl = c == '\t' || (keepLineBreaks && (c == '\n' || c == '\r'));
        if ((control && !allowedControl) || (!utf8 && byte >= 0x80))
            out += "\\x" + QByteArray::number(byte, 16).rightJustified(2, '0');
        else
            out += c;
    }
    return QString::fromUtf8(out);
}

// A body is shown as text when it decodes as UTF-8 and holds no control characters besides
// tab and line breaks.
bool isPrintableText(const QByteArray &bytes)
{
    for (const char c : bytes) {
        const auto byte = quint8(c);
        if ((byte < 0x20 && c != '\t' && c != '\n' && c != '\r') || byte == 0x7f)
            return false;
    }
    return isValidUtf8(bytes);
}

QString localTime(qint64 microseconds)
{
    return QDateTime::fromMSecsSinceEpoch(microseconds / 1000).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
}

QString isoTime(qint64 microseconds)
{
    const QDateTime time = QDateTime::fromMSecsSinceEpoch(microseconds / 1000, Qt::UTC);
    return time.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss."))
        + QString::number(microseconds % 1000000).rightJustified(6, u'0') + QLatin1Char('Z');
}

// Inserts `bytes` as a JSON string under `key`; bytes that are not UTF-8 also go under
// `key`Base64, so that --json never loses a byte.
void insertBytes(QJsonObject &json, const QString &key, const QByteArray &bytes)
{
    json.insert(key, QString::fromUtf8(bytes));
    if (!isValidUtf8(bytes))
        json.insert(key + QStringLiteral("Base64"), QString::fromLatin1(bytes.toBase64()));
}

QJsonObject summaryJson(const CaptureSummary &summary, const QHash<qint64, QString> &sessionNames)
{
    QJsonObject json;
    json.insert(QStringLiteral("id"), summary.id);
    json.insert(QStringLiteral("time"), isoTime(summary.receivedAtUs));
    json.insert(QStringLiteral("receivedAtUs"), summary.receivedAtUs);
    insertBytes(json, QStringLiteral("method"), summary.method);
    insertBytes(json, QStringLiteral("target"), summary.target);
    json.insert(QStringLiteral("size"), summary.bodySize);
    json.insert(QStringLiteral("verdict"), verdictName(summary.verdict));
    json.insert(QStringLiteral("responseStatus"), summary.responseStatus);
    json.insert(QStringLiteral("session"), sessionNames.value(summary.sessionId));
    json.insert(QStringLiteral("listener"), summary.listener);
    json.insert(QStringLiteral("dbtEventType"), summary.dbtEventType);
    return json;
}

QJsonObject attemptJson(const Attempt &attempt)
{
    QJsonObject json;
    json.insert(QStringLiteral("id"), attempt.id);
    json.insert(QStringLiteral("kind"), attemptKindName(attempt.kind));
    json.insert(QStringLiteral("time"), isoTime(attempt.startedAtUs));
    json.insert(QStringLiteral("method"), QString::fromUtf8(attempt.request.method));
    json.insert(QStringLiteral("url"), QString::fromUtf8(attempt.request.url.toEncoded()));
    json.insert(QStringLiteral("status"), attempt.status);
    json.insert(QStringLiteral("failure"), attemptFailureName(attempt.failure));
    json.insert(QStringLiteral("error"), attempt.error);
    json.insert(QStringLiteral("totalUs"), attempt.totalUs);
    return json;
}

QJsonObject captureJson(const Capture &capture, const QString &session, const QList<Attempt> &attempts)
{
    QJsonObject json;
    json.insert(QStringLiteral("id"), capture.id);
    json.insert(QStringLiteral("session"), session);
    json.insert(QStringLiteral("sessionId"), capture.sessionId);
    json.insert(QStringLiteral("time"), isoTime(capture.receivedAtUs));
    json.insert(QStringLiteral("receivedAtUs"), capture.receivedAtUs);
    insertBytes(json, QStringLiteral("method"), capture.method);
    insertBytes(json, QStringLiteral("target"), capture.target);
    QJsonArray headers;
    for (const HttpHeader &header : capture.headers) {
        QJsonObject entry;
        insertBytes(entry, QStringLiteral("name"), header.name);
        insertBytes(entry, QStringLiteral("value"), header.value);
        headers.append(entry);
    }
    json.insert(QStringLiteral("headers"), headers);
    json.insert(QStringLiteral("body"), QString::fromLatin1(capture.body.toBase64()));
    json.insert(QStringLiteral("size"), capture.bodySize());
    json.insert(QStringLiteral("remoteAddress"), capture.remoteAddress);
    json.insert(QStringLiteral("remotePort"), capture.remotePort);
    json.insert(QStringLiteral("tls"), capture.tls);
    json.insert(QStringLiteral("listener"), capture.listener);
    json.insert(QStringLiteral("scheme"), capture.scheme);
    json.insert(QStringLiteral("verdict"), verdictName(capture.verdict));
    json.insert(QStringLiteral("verdictReason"), capture.verdictReason);
    json.insert(QStringLiteral("responseStatus"), capture.responseStatus);
    json.insert(QStringLiteral("dbtEventType"), capture.dbtEventType);
    json.insert(QStringLiteral("dbtEventId"), capture.dbtEventId);
    json.insert(QStringLiteral("dbtRunId"), capture.dbtRunId);
    json.insert(QStringLiteral("dbtCheck"), capture.dbtCheck);
    QJsonArray attemptList;
    for (const Attempt &attempt : attempts)
        attemptList.append(attemptJson(attempt));
    json.insert(QStringLiteral("attempts"), attemptList);
    return json;
}

QByteArray hexDump(const QByteArray &bytes, qsizetype limit)
{
    QByteArray out;
    const qsizetype shown = qMin(bytes.size(), limit);
    for (qsizetype offset = 0; offset < shown; offset += 16) {
        const QByteArray line = bytes.mid(offset, qMin<qsizetype>(16, shown - offset));
        out += "  " + QByteArray::number(offset, 16).rightJustified(8, '0') + "  ";
        for (qsizetype i = 0; i < 16; ++i)
            out += i < line.size() ? QByteArray(QByteArray::number(quint8(line.at(i)), 16).rightJustified(2, '0') + ' ')
                                   : QByteArray("   ");
        out += ' ';
        for (const char c : line)
            out += (quint8(c) >= 0x20 && quint8(c) < 0x7f) ? c : '.';
        out += '\n';
    }
    if (shown < bytes.size())
        out += "  … " + QByteArray::number(bytes.size() - shown) + " more bytes\n";
    return out;
}

QByteArray captureText(const Capture &capture, const QString &session, const QList<Attempt> &attempts)
{
    QString text;
    text += QStringLiteral("Capture %1 in session \"%2\"\n").arg(capture.id).arg(session);
    text += QStringLiteral("Received  %1 (%2)\n").arg(localTime(capture.receivedAtUs), isoTime(capture.receivedAtUs));
    text += QStringLiteral("From      %1:%2 on %3%4\n")
                .arg(capture.remoteAddress)
                .arg(capture.remotePort)
                .arg(capture.listener, capture.tls ? QStringLiteral(" (TLS)") : QString());
    text += QStringLiteral("Request   %1 %2\n").arg(printable(capture.method), printable(capture.target));
    QString verdict = verdictName(capture.verdict);
    if (!capture.scheme.isEmpty())
        verdict += QStringLiteral(" (%1)").arg(capture.scheme);
    if (!capture.verdictReason.isEmpty())
        verdict += QStringLiteral(": ") + capture.verdictReason;
    text += QStringLiteral("Verdict   %1\n").arg(verdict);
    text += QStringLiteral("Response  %1\n")
                .arg(capture.responseStatus ? QString::number(capture.responseStatus)
                                            : QStringLiteral("none (connection closed)"));
    if (!capture.dbtEventType.isEmpty()) {
        text += QStringLiteral("dbt       %1 %2, run %3, payload check: %4\n")
                    .arg(capture.dbtEventType, capture.dbtEventId,
                        capture.dbtRunId.isEmpty() ? QStringLiteral("-") : capture.dbtRunId,
                        capture.dbtCheck.isEmpty() ? QStringLiteral("-") : capture.dbtCheck);
    }
    text += QStringLiteral("\nHeaders (%1)\n").arg(capture.headers.size());
    for (const HttpHeader &header : capture.headers)
        text += QStringLiteral("  %1: %2\n").arg(printable(header.name), printable(header.value));

    QByteArray out = text.toUtf8();
    out += "\nBody (" + QByteArray::number(capture.bodySize()) + " bytes)\n";
    if (capture.body.isEmpty()) {
        out += "  (empty)\n";
    } else if (isPrintableText(capture.body)) {
        out += capture.body;
        if (!capture.body.endsWith('\n'))
            out += '\n';
    } else {
        out += "  (binary; 'hookbench captures show " + QByteArray::number(capture.id)
            + " --body' writes the raw bytes)\n";
        out += hexDump(capture.body, 512);
    }
    if (!attempts.isEmpty()) {
        out += "\nAttempts (" + QByteArray::number(attempts.size()) + ")\n";
        for (const Attempt &attempt : attempts) {
            QString line = QStringLiteral("  #%1 %2 %3 %4 %5 → ")
                               .arg(attempt.id)
                               .arg(localTime(attempt.startedAtUs), attemptKindName(attempt.kind),
                                   QString::fromUtf8(attempt.request.method),
                                   QString::fromUtf8(attempt.request.url.toEncoded()));
            line += attempt.failure == Attempt::Failure::None
                ? QString::number(attempt.status)
                : attemptFailureName(attempt.failure) + QStringLiteral(": ") + attempt.error;
            out += line.toUtf8() + '\n';
        }
    }
    return out;
}

void openStore(CaptureStore &store, const StoreOptions &options)
{
    QString error;
    if (!store.open(options, CaptureStore::Missing::Fail, &error))
        throw UsageError {error};
}

CaptureFilter filterFromOptions(const QCommandLineParser &parser, CaptureStore &store)
{
    CaptureFilter filter;
    if (parser.isSet(QStringLiteral("session"))) {
        const QString name = parser.value(QStringLiteral("session"));
        QString error;
        const auto session = store.sessionNamed(name, &error);
        if (!error.isEmpty())
            throw UsageError {error};
        if (!session)
            throw UsageError {QStringLiteral("no session named \"%1\" in %2").arg(name, store.path())};
        filter.sessionId = session->id;
    }
    if (parser.isSet(QStringLiteral("verdict"))) {
        const QString name = parser.value(QStringLiteral("verdict"));
        filter.verdict = verdictFromName(name);
        if (!filter.verdict)
            throw UsageError {
                QStringLiteral("unknown --verdict \"%1\" (choose from valid, invalid, unsigned, no-secret)").arg(name)};
    }
    filter.method = parser.value(QStringLiteral("method")).toUtf8();
    filter.text = parser.value(QStringLiteral("search"));
    filter.dbtEventType = parser.value(QStringLiteral("dbt-event"));
    filter.listener = parser.value(QStringLiteral("listener"));
    filter.targetPrefix = parser.value(QStringLiteral("path")).toUtf8();
    return filter;
}

int runList(const QStringList &arguments)
{
    CommandLine commandLine(commandName,
        QStringLiteral("hookbench captures list [--store PATH] [--session NAME] [--limit N] [--before ID] "
                       "[--verdict V] [--method M] [--path PREFIX] [--search TEXT] [--json]"),
        QStringLiteral("Lists captured requests, newest first: id, time, method, target, body size, verdict."));
    QCommandLineParser &parser = commandLine.parser();
    addStoreOptions(parser, StoreAccess::Read);
    parser.addOption(
        {QStringLiteral("session"), QStringLiteral("Only this session's captures."), QStringLiteral("NAME")});
    parser.addOption({QStringLiteral("limit"), QStringLiteral("At most N captures (0: all). Default: 50."),
        QStringLiteral("N"), QStringLiteral("50")});
    parser.addOption(
        {QStringLiteral("before"), QStringLiteral("Only captures older than this id (paging)."), QStringLiteral("ID")});
    parser.addOption(
        {QStringLiteral("verdict"), QStringLiteral("valid, invalid, unsigned or no-secret."), QStringLiteral("V")});
    parser.addOption({QStringLiteral("method"), QStringLiteral("Only this method, e.g. POST."), QStringLiteral("M")});
    parser.addOption(
        {QStringLiteral("path"), QStringLiteral("Only targets starting with PREFIX."), QStringLiteral("PREFIX")});
    parser.addOption(
        {QStringLiteral("search"), QStringLiteral("Text in the target, headers or body."), QStringLiteral("TEXT")});
    parser.addOption(
        {QStringLiteral("dbt-event"), QStringLiteral("Only this dbt Cloud event type."), QStringLiteral("TYPE")});
    parser.addOption({QStringLiteral("listener"), QStringLiteral("Only captures of this listener (host:port)."),
        QStringLiteral("ADDR")});
    parser.addOption({QStringLiteral("json"), QStringLiteral("One JSON object per line.")});
    if (!commandLine.parse(arguments))
        return ExitOk;
    if (!parser.positionalArguments().isEmpty())
        throw UsageError {QStringLiteral("unexpected argument \"%1\"").arg(parser.positionalArguments().first())};
    const StoreOptions options = storeOptionsFromParser(parser, StoreAccess::Read);
    qint64 limit = integerOption(parser, QStringLiteral("limit"), 0, std::numeric_limits<int>::max());
    const qint64 before = parser.isSet(QStringLiteral("before"))
        ? integerOption(parser, QStringLiteral("before"), 1, std::numeric_limits<qint64>::max())
        : 0;

    CaptureStore store;
    openStore(store, options);
    const CaptureFilter filter = filterFromOptions(parser, store);
    const QHash<qint64, QString> names = store.sessionNames();
    const bool json = parser.isSet(QStringLiteral("json"));

    // Pages of a few hundred rows, so that --limit 0 on a large store streams.
    constexpr int pageSize = 500;
    qint64 cursor = before;
    qint64 remaining = limit == 0 ? std::numeric_limits<qint64>::max() : limit;
    while (remaining > 0) {
        QString error;
        const QList<CaptureSummary> page
            = store.summaries(filter, cursor, int(qMin<qint64>(remaining, pageSize)), &error);
        if (!error.isEmpty())
            throw UsageError {error};
        if (page.isEmpty())
            break;
        QByteArray out;
        if (json) {
            for (const CaptureSummary &summary : page)
                out += QJsonDocument(summaryJson(summary, names)).toJson(QJsonDocument::Compact) + '\n';
        } else {
            const int idWidth = int(QString::number(page.first().id).size());
            qsizetype targetWidth = 0;
            QStringList targets;
            for (const CaptureSummary &summary : page) {
                QString target = printable(summary.target);
                if (target.size() > 60)
                    target = target.left(59) + QChar(0x2026);
                targetWidth = qMax(targetWidth, target.size());
                targets << target;
            }
            for (qsizetype i = 0; i < page.size(); ++i) {
                const CaptureSummary &summary = page.at(i);
                out += QStringLiteral("%1  %2  %3  %4  %5  %6\n")
                           .arg(QString::number(summary.id).rightJustified(idWidth), localTime(summary.receivedAtUs),
                               printable(summary.method).leftJustified(7), targets.at(i).leftJustified(targetWidth),
                               QString::number(summary.bodySize).rightJustified(8), verdictName(summary.verdict))
                           .toUtf8();
            }
        }
        writeOut(out);
        remaining -= page.size();
        cursor = page.last().id;
    }
    return ExitOk;
}

int runShow(const QStringList &arguments)
{
    CommandLine commandLine(commandName, QStringLiteral("hookbench captures show ID [--store PATH] [--body | --json]"),
        QStringLiteral("Shows one captured request: a readable summary with headers in order and the body, the raw "
                       "body bytes (--body), or every field as JSON with the body base64-encoded (--json)."));
    QCommandLineParser &parser = commandLine.parser();
    addStoreOptions(parser, StoreAccess::Read);
    parser.addOption({QStringLiteral("body"), QStringLiteral("Write the raw body bytes and nothing else.")});
    parser.addOption({QStringLiteral("json"), QStringLiteral("Every field as one JSON object.")});
    if (!commandLine.parse(arguments))
        return ExitOk;
    const QStringList positional = parser.positionalArguments();
    if (positional.isEmpty())
        throw UsageError {QStringLiteral("show needs a capture id")};
    if (positional.size() > 1)
        throw UsageError {QStringLiteral("unexpected argument \"%1\"").arg(positional.at(1))};
    bool ok = false;
    const qint64 id = positional.first().toLongLong(&ok);
    if (!ok || id < 1)
        throw UsageError {QStringLiteral("\"%1\" is not a capture id").arg(positional.first())};
    if (parser.isSet(QStringLiteral("body")) && parser.isSet(QStringLiteral("json")))
        throw UsageError {QStringLiteral("--body and --json exclude each other")};
    const StoreOptions options = storeOptionsFromParser(parser, StoreAccess::Read);

    CaptureStore store;
    openStore(store, options);
    QString error;
    const auto capture = store.capture(id, &error);
    if (!error.isEmpty())
        throw UsageError {error};
    if (!capture)
        throw UsageError {QStringLiteral("no capture with id %1 in %2").arg(id).arg(store.path())};

    if (parser.isSet(QStringLiteral("body"))) {
        writeOut(capture->body);
        return ExitOk;
    }
    const QList<Attempt> attempts = store.attempts(id, &error);
    const QString session = store.sessionNames().value(capture->sessionId);
    if (parser.isSet(QStringLiteral("json")))
        writeOut(QJsonDocument(captureJson(*capture, session, attempts)).toJson(QJsonDocument::Compact) + '\n');
    else
        writeOut(captureText(*capture, session, attempts));
    return ExitOk;
}

int runSessions(const QStringList &arguments)
{
    CommandLine commandLine(commandName, QStringLiteral("hookbench captures sessions [--store PATH] [--json]"),
        QStringLiteral("Lists the store's sessions with their number of captures."));
    QCommandLineParser &parser = commandLine.parser();
    addStoreOptions(parser, StoreAccess::Read);
    parser.addOption({QStringLiteral("json"), QStringLiteral("One JSON object per line.")});
    if (!commandLine.parse(arguments))
        return ExitOk;
    if (!parser.positionalArguments().isEmpty())
        throw UsageError {QStringLiteral("unexpected argument \"%1\"").arg(parser.positionalArguments().first())};
    CaptureStore store;
    openStore(store, storeOptionsFromParser(parser, StoreAccess::Read));
    QString error;
    const QList<Session> sessions = store.sessions(&error);
    if (!error.isEmpty())
        throw UsageError {error};
    QByteArray out;
    for (const Session &session : sessions) {
        if (parser.isSet(QStringLiteral("json"))) {
            QJsonObject json;
            json.insert(QStringLiteral("id"), session.id);
            json.insert(QStringLiteral("name"), session.name);
            json.insert(QStringLiteral("created"), isoTime(session.createdAtUs));
            json.insert(QStringLiteral("captures"), session.captureCount);
            out += QJsonDocument(json).toJson(QJsonDocument::Compact) + '\n';
        } else {
            out += QStringLiteral("%1  %2  %3  %4\n")
                       .arg(QString::number(session.id).rightJustified(4), localTime(session.createdAtUs),
                           QString::number(session.captureCount).rightJustified(8), session.name)
                       .toUtf8();
        }
    }
    writeOut(out);
    return ExitOk;
}

QByteArray capturesUsage()
{
    return "Usage: hookbench captures <list|show|sessions> [options]\n\n"
           "Reads the capture store (default: "
        + defaultStorePath().toUtf8()
        + ").\n\n"
          "  list       Captured requests, newest first.\n"
          "  show ID    One capture: summary, --body (raw bytes) or --json.\n"
          "  sessions   The store's sessions.\n\n"
          "Run 'hookbench captures <subcommand> --help' for its options.\n";
}

} // namespace

int runCaptures(const QStringList &arguments)
{
    return runGuarded(commandName, [&] {
        const QString sub = arguments.value(0);
        const QStringList rest = arguments.mid(1);
        if (sub.isEmpty() || sub == u"--help" || sub == u"-h" || sub == u"help") {
            if (sub.isEmpty()) {
                writeErr(capturesUsage());
                return int(ExitUsage);
            }
            writeOut(capturesUsage());
            return int(ExitOk);
        }
        if (sub == u"list")
            return runList(rest);
        if (sub == u"show")
            return runShow(rest);
        if (sub == u"sessions")
            return runSessions(rest);
        throw UsageError {QStringLiteral("unknown subcommand \"%1\" (choose from list, show, sessions)").arg(sub)};
    });
}

} // namespace hookbench::cli
