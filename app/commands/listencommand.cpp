#include "commandline.h"
#include "commands.h"
#include "forwardflags.h"
#include "signalwatcher.h"
#include "storeoption.h"

#include "dbt/dbtsummary.h"
#include "listener/listener.h"
#include "listener/tlsidentity.h"
#include "store/capturewriter.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QHash>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

#include <memory>

namespace hookbench::cli {

namespace {

enum class OutputMode { Text, Json, Quiet };

QString isoTime(qint64 us)
{
    const QDateTime time = QDateTime::fromMSecsSinceEpoch(us / 1000, Qt::UTC);
    return time.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss."))
        + QStringLiteral("%1Z").arg(us % 1000000, 6, 10, QLatin1Char('0'));
}

// Bytes for a terminal: printable UTF-8 as is, everything else escaped, so a body can't move
// the cursor or change colours. At most `limit` bytes are shown.
QByteArray displayBytes(const QByteArray &bytes, qsizetype limit = 4096)
{
    const QByteArray shown = bytes.left(limit);
    const QString text = QString::fromUtf8(shown);
    const bool utf8 = text.toUtf8() == shown;
    QByteArray out;
    out.reserve(shown.size() + 16);
    if (utf8) {
        for (const QChar c : text) {
            if (c == u'\n')
                out += "\\n";
            else if (c == u'\r')
                out += "\\r";
            else if (c == u'\t')
                out += "\\t";
            else if (c == u'\\')
                out += "\\\\";
            else if (c.unicode() < 0x20 || c.unicode() == 0x7f || (c.unicode() >= 0x80 && c.unicode() < 0xa0))
                out += "\\x" + QByteArray::number(c.unicode(), 16).rightJustified(2, '0');
            else
                out += QString(c).toUtf8();
        }
    } else {
        for (const char c : shown) {
            const auto u = static_cast<unsigned char>(c);
            if (u >= 0x20 && u < 0x7f && c != '\\')
                out += c;
            else if (c == '\\')
                out += "\\\\";
            else
                out += "\\x" + QByteArray::number(u, 16).rightJustified(2, '0');
        }
    }
    if (bytes.size() > limit)
        out += "… (" + QByteArray::number(bytes.size() - limit) + " more bytes)";
    return out;
}

QString remoteText(const QString &address, quint16 port)
{
    return address.contains(u':') ? QStringLiteral("[%1]:%2").arg(address).arg(port)
                                  : QStringLiteral("%1:%2").arg(address).arg(port);
}

QByteArray validText(const VerificationResult &result)
{
    switch (result.verdict) {
    case Verdict::Valid:
        return "yes";
    case Verdict::Invalid:
        return "no — " + result.reason.toUtf8();
    case Verdict::Unsigned:
        return "no, unsigned — " + result.reason.toUtf8();
    case Verdict::NoSecret:
        return "not checked — " + result.reason.toUtf8();
    }
    return {};
}

QString durationText(qint64 us)
{
    if (us < 0)
        return QStringLiteral("?");
    if (us < 1000)
        return QStringLiteral("%1 µs").arg(us);
    if (us < 10'000'000)
        return QStringLiteral("%1 ms").arg(double(us) / 1000.0, 0, 'f', 1);
    return QStringLiteral("%1 s").arg(double(us) / 1e6, 0, 'f', 1);
}

// "Forwarded: 200 OK in 3.1 ms (first byte 2.9 ms), attempt #7" or the failure's reason.
QByteArray forwardLine(const ForwardEvent &forward)
{
    const Attempt &attempt = forward.attempt;
    QString line = QStringLiteral("Forwarded to %1: ").arg(attempt.request.url.toString(QUrl::RemoveUserInfo));
    if (attempt.failure == Attempt::Failure::None) {
        line += QString::number(attempt.status);
        if (!attempt.reasonPhrase.isEmpty())
            line += u' ' + QString::fromLatin1(displayBytes(attempt.reasonPhrase, 100));
        line += QStringLiteral(" in %1 (first byte %2)")
                    .arg(durationText(attempt.totalUs), durationText(attempt.timeToFirstByteUs));
    } else {
        line += QStringLiteral("failed (%1): %2").arg(attemptFailureName(attempt.failure), attempt.error);
    }
    line += forward.attemptId > 0 ? QStringLiteral(", attempt #%1").arg(forward.attemptId)
                                  : QStringLiteral(", attempt not stored: %1").arg(forward.storeError);
    return line.toUtf8() + '\n';
}

QJsonObject forwardJson(const ForwardEvent &forward)
{
    const Attempt &attempt = forward.attempt;
    QJsonObject object;
    object.insert(QStringLiteral("url"), attempt.request.url.toString(QUrl::RemoveUserInfo));
    const bool answered = attempt.failure == Attempt::Failure::None;
    object.insert(QStringLiteral("status"), answered ? QJsonValue(attempt.status) : QJsonValue(QJsonValue::Null));
    object.insert(QStringLiteral("reason"), QString::fromLatin1(attempt.reasonPhrase));
    object.insert(QStringLiteral("timeToFirstByteUs"),
        attempt.timeToFirstByteUs >= 0 ? QJsonValue(attempt.timeToFirstByteUs) : QJsonValue(QJsonValue::Null));
    object.insert(
        QStringLiteral("totalUs"), attempt.totalUs >= 0 ? QJsonValue(attempt.totalUs) : QJsonValue(QJsonValue::Null));
    object.insert(QStringLiteral("responseSize"), answered ? QJsonValue(attempt.responseBody.size()) : QJsonValue());
    if (answered) {
        object.insert(QStringLiteral("error"), QJsonValue(QJsonValue::Null));
    } else {
        object.insert(QStringLiteral("error"),
            QJsonObject {{QStringLiteral("kind"),
                             forward.queueFull ? QStringLiteral("queue-full") : attemptFailureName(attempt.failure)},
                {QStringLiteral("message"), attempt.error}});
    }
    object.insert(QStringLiteral("attemptId"),
        forward.attemptId > 0 ? QJsonValue(forward.attemptId) : QJsonValue(QJsonValue::Null));
    if (!forward.storeError.isEmpty())
        object.insert(QStringLiteral("storeError"), forward.storeError);
    return object;
}

QByteArray textReport(const ListenerEvent &event, const VerificationProfile &profile, const ForwardEvent *forward)
{
    const Capture &capture = event.capture;
    const VerificationResult &result = event.verification;
    const QByteArray header = !result.header.isEmpty() ? result.header
        : !profile.signatureHeaderName().isEmpty()     ? profile.signatureHeaderName()
                                                       : QByteArrayLiteral("signature");
    QByteArray out;
    out += "Received signature (" + header + "): "
        + (result.received.isNull() ? QByteArrayLiteral("(absent)") : displayBytes(result.received, 512)) + '\n';
    out += "Body: " + displayBytes(capture.body) + '\n';
    out += "Computed signature: "
        + (result.expected.isEmpty() ? QByteArrayLiteral("(no secret configured)") : result.expected) + '\n';
    out += "Valid: " + validText(result) + '\n';
    if (!event.diagnosis.isEmpty()) {
        out += "Diagnosis (most likely first):\n";
        for (const DiagnosisFinding &finding : event.diagnosis)
            out += "  " + findingCodeName(finding.code).toUtf8() + ": " + finding.message.toUtf8() + '\n';
    } else if (event.diagnosisSkipped) {
        out += "Diagnosis: skipped, the listener was busy\n";
    }
    if (!capture.dbtCheck.isEmpty())
        out += "dbt Cloud event: " + displayBytes(capture.dbtEventType.toUtf8(), 200) + " (run "
            + displayBytes(capture.dbtRunId.toUtf8(), 200) + ", payload check: " + capture.dbtCheck.toUtf8() + ")\n";
    if (!event.storeError.isEmpty())
        out += "Not stored: " + event.storeError.toUtf8() + " (answered 503)\n";
    else if (!event.fault.isEmpty())
        out += "Fault mode: " + event.fault.toUtf8() + '\n';
    if (forward)
        out += forwardLine(*forward);

    const QByteArray status = event.answeredStatus ? QByteArray::number(event.answeredStatus) : "closed";
    const QByteArray id = capture.id > 0 ? "#" + QByteArray::number(capture.id) : QByteArrayLiteral("not-stored");
    out += isoTime(capture.receivedAtUs).toUtf8() + ' ' + remoteText(capture.remoteAddress, capture.remotePort).toUtf8()
        + " \"" + displayBytes(capture.method, 64) + ' ' + displayBytes(capture.target, 1024) + "\" " + status + ' '
        + QByteArray::number(capture.bodySize()) + "B " + id + ' ' + verdictName(capture.verdict).toUtf8() + "\n\n";
    return out;
}

QByteArray jsonReport(const ListenerEvent &event, const ForwardEvent *forward)
{
    const Capture &capture = event.capture;
    QJsonObject object;
    object.insert(QStringLiteral("id"), capture.id > 0 ? QJsonValue(capture.id) : QJsonValue(QJsonValue::Null));
    object.insert(QStringLiteral("time"), isoTime(capture.receivedAtUs));
    object.insert(QStringLiteral("method"), QString::fromLatin1(capture.method));
    object.insert(QStringLiteral("target"), QString::fromLatin1(capture.target));
    object.insert(QStringLiteral("size"), capture.bodySize());
    object.insert(QStringLiteral("verdict"), verdictName(capture.verdict));
    object.insert(QStringLiteral("reason"), capture.verdictReason);
    object.insert(QStringLiteral("status"), event.answeredStatus);
    object.insert(QStringLiteral("remote"), remoteText(capture.remoteAddress, capture.remotePort));
    object.insert(QStringLiteral("stored"), event.storeError.isEmpty());
    if (!capture.dbtCheck.isEmpty()) {
        object.insert(QStringLiteral("dbtEventType"), capture.dbtEventType);
        object.insert(QStringLiteral("dbtCheck"), capture.dbtCheck);
    }
    if (!event.storeError.isEmpty())
        object.insert(QStringLiteral("error"), event.storeError);
    if (!event.diagnosis.isEmpty()) {
        QJsonArray findings;
        for (const DiagnosisFinding &finding : event.diagnosis)
            findings.append(QJsonObject {
                {QStringLiteral("code"), findingCodeName(finding.code)}, {QStringLiteral("message"), finding.message}});
        object.insert(QStringLiteral("diagnosis"), findings);
    } else if (event.diagnosisSkipped) {
        object.insert(QStringLiteral("diagnosisSkipped"), true);
    }
    if (forward)
        object.insert(QStringLiteral("forward"), forwardJson(*forward));
    return QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
}

QByteArray rejectionLine(const RejectedRequest &request)
{
    QByteArray line
        = isoTime(request.atUs).toUtf8() + ' ' + remoteText(request.remoteAddress, request.remotePort).toUtf8() + " \"";
    line += request.method.isEmpty() ? QByteArrayLiteral("-")
                                     : displayBytes(request.method, 64) + ' ' + displayBytes(request.target, 1024);
    line += "\" " + QByteArray::number(request.status) + " rejected: " + request.reason.toUtf8() + "\n\n";
    return line;
}

QHostAddress bindAddress(const QString &text)
{
    if (text.compare(u"localhost", Qt::CaseInsensitive) == 0)
        return QHostAddress(QHostAddress::LocalHost);
    QHostAddress address;
    if (!address.setAddress(text))
        throw UsageError {
            QStringLiteral("--bind needs an IP address such as 127.0.0.1, ::1 or 0.0.0.0, not \"%1\"").arg(text)};
    return address;
}

} // namespace

int runListen(const QStringList &arguments)
{
    const QString command = QStringLiteral("listen");
    return runGuarded(command, [&] {
        CommandLine commandLine(command,
            QStringLiteral("hookbench listen [--port 5000] [--bind 127.0.0.1] [--scheme NAME] [SECRET] [--store PATH] "
                           "[--session NAME] [--respond-status N] [--respond-body TEXT|@FILE] [--respond-delay MS] "
                           "[--fail-first N] "
                           "[--fail-status N] [--fail-percent N] [--close-without-answer] [--tls [--cert F --key F]] "
                           "[--max-body BYTES] [--forward-to URL [--forward-scheme NAME] [--forward-secret-env VAR] "
                           "[--forward-timeout S] [--forward-insecure] [--forward-max-redirects N] [--proxy]] "
                           "[--json | --quiet]"),
            QStringLiteral("Captures every request sent to the port, byte for byte, checks its signature and answers "
                           "once it is stored. Prints, for each request, the received signature, the body, the "
                           "signature computed from the body and whether it is valid. Listens on 127.0.0.1 only "
                           "unless --bind says otherwise. Invalid and unsigned captures are diagnosed: the stored "
                           "reason names the likeliest cause. With --forward-to every stored capture is also sent on "
                           "(re-signed when asked) and the target's answer is stored as an attempt; with --proxy the "
                           "sender gets the target's answer. Stop with Ctrl-C: pending requests are answered first."));
        QCommandLineParser &parser = commandLine.parser();
        parser.addPositionalArgument(QStringLiteral("SECRET"),
            QStringLiteral("The signing secret (prefer --secret-env or --secret-file: arguments are visible to other "
                           "users of this machine)."),
            QStringLiteral("[SECRET]"));
        parser.addOption(
            {QStringLiteral("port"), QStringLiteral("Port to listen on; 0 picks a free one. Default: 5000."),
                QStringLiteral("PORT"), QStringLiteral("5000")});
        parser.addOption(
            {QStringLiteral("bind"), QStringLiteral("Address to listen on. Default: 127.0.0.1 (this machine only)."),
                QStringLiteral("ADDRESS"), QStringLiteral("127.0.0.1")});
        addSchemeOptions(parser);
        addSecretOptions(parser);
        addStoreOptions(parser, StoreAccess::Write);
        parser.addOption({QStringLiteral("session"),
            QStringLiteral("Store the captures in this session (created when missing). Default: the default session."),
            QStringLiteral("NAME")});
        parser.addOption({QStringLiteral("respond-status"), QStringLiteral("Status of the answer. Default: 200."),
            QStringLiteral("N"), QStringLiteral("200")});
        parser.addOption({QStringLiteral("respond-body"),
            QStringLiteral("Body of the answer, or @FILE for a file's bytes. Default: {\"status\":\"ok\"}."),
            QStringLiteral("TEXT|@FILE")});
        parser.addOption({QStringLiteral("respond-header"),
            QStringLiteral("A header of the answer, 'Name: value' (repeatable)."), QStringLiteral("HEADER")});
        parser.addOption({QStringLiteral("respond-delay"),
            QStringLiteral("Wait this long after storing before answering. Default: 0."), QStringLiteral("MS"),
            QStringLiteral("0")});
        parser.addOption({QStringLiteral("fail-first"),
            QStringLiteral("Fail the first N deliveries of each distinct body (to watch retries)."),
            QStringLiteral("N"), QStringLiteral("0")});
        parser.addOption({QStringLiteral("fail-status"), QStringLiteral("Status of failed answers. Default: 500."),
            QStringLiteral("N"), QStringLiteral("500")});
        parser.addOption({QStringLiteral("fail-percent"), QStringLiteral("Fail this share of requests (0-100)."),
            QStringLiteral("N"), QStringLiteral("0")});
        parser.addOption({QStringLiteral("close-without-answer"),
            QStringLiteral("Store each request, then close the connection without answering.")});
        parser.addOption({QStringLiteral("tls"),
            QStringLiteral("Serve HTTPS. Without --cert/--key a self-signed certificate is made and its SHA-256 "
                           "fingerprint shown.")});
        parser.addOption(
            {QStringLiteral("cert"), QStringLiteral("PEM certificate for --tls."), QStringLiteral("FILE")});
        parser.addOption({QStringLiteral("key"), QStringLiteral("PEM private key for --tls."), QStringLiteral("FILE")});
        parser.addOption({QStringLiteral("max-body"),
            QStringLiteral("Largest body accepted; larger gets 413. Default: 16777216 (16 MiB)."),
            QStringLiteral("BYTES"), QStringLiteral("16777216")});
        parser.addOption(
            {QStringLiteral("idle-timeout"), QStringLiteral("Close connections silent for this long. Default: 30000."),
                QStringLiteral("MS"), QStringLiteral("30000")});
        parser.addOption({QStringLiteral("request-timeout"),
            QStringLiteral("A request must arrive whole within this, else 408. Default: 30000."), QStringLiteral("MS"),
            QStringLiteral("30000")});
        addForwardOptions(parser);
        parser.addOption({QStringLiteral("json"), QStringLiteral("Print one JSON object per capture.")});
        parser.addOption({QStringLiteral("quiet"), QStringLiteral("Print nothing per request.")});
        if (!commandLine.parse(arguments))
            return int(ExitOk);

        const QStringList positional = parser.positionalArguments();
        if (positional.size() > 1)
            throw UsageError {QStringLiteral("unexpected argument \"%1\"").arg(positional.at(1))};
        if (parser.isSet(QStringLiteral("json")) && parser.isSet(QStringLiteral("quiet")))
            throw UsageError {QStringLiteral("--json and --quiet exclude each other")};
        const OutputMode mode = parser.isSet(QStringLiteral("json")) ? OutputMode::Json
            : parser.isSet(QStringLiteral("quiet"))                  ? OutputMode::Quiet
                                                                     : OutputMode::Text;

        ListenerConfig config;
        config.port = quint16(integerOption(parser, QStringLiteral("port"), 0, 65535));
        config.address = bindAddress(parser.value(QStringLiteral("bind")));
        config.limits.maxBodyBytes = integerOption(parser, QStringLiteral("max-body"), 0, qint64(1) << 32);
        config.limits.maxBufferedBytes = qMax(config.limits.maxBufferedBytes, 4 * config.limits.maxBodyBytes);
        config.limits.idleTimeoutMs = int(integerOption(parser, QStringLiteral("idle-timeout"), 1, 3600000));
        config.limits.requestTimeoutMs = int(integerOption(parser, QStringLiteral("request-timeout"), 1, 3600000));

        config.response.status = int(integerOption(parser, QStringLiteral("respond-status"), 200, 599));
        config.response.delayMs = int(integerOption(parser, QStringLiteral("respond-delay"), 0, 600000));
        if (parser.isSet(QStringLiteral("respond-body"))) {
            const QString value = parser.value(QStringLiteral("respond-body"));
            config.response.body = value.startsWith(u'@')
                ? readFileBytes(value.mid(1), QStringLiteral("response body file"))
                : value.toUtf8();
            QJsonParseError error;
            QJsonDocument::fromJson(config.response.body, &error); // validation only
            if (error.error != QJsonParseError::NoError)
                config.response.headers
                    = {{QByteArrayLiteral("Content-Type"), QByteArrayLiteral("text/plain; charset=utf-8")}};
        }
        for (const HttpHeader &header : headerOptions(parser, QStringLiteral("respond-header")))
            setHeader(config.response.headers, header.name, header.value);

        config.faults.failFirst = int(integerOption(parser, QStringLiteral("fail-first"), 0, 1000000));
        config.faults.failStatus = int(integerOption(parser, QStringLiteral("fail-status"), 200, 599));
        config.faults.failPercent = int(integerOption(parser, QStringLiteral("fail-percent"), 0, 100));
        config.faults.closeWithoutAnswer = parser.isSet(QStringLiteral("close-without-answer"));

        const bool certOrKey = parser.isSet(QStringLiteral("cert")) || parser.isSet(QStringLiteral("key"));
        config.tls.enabled = parser.isSet(QStringLiteral("tls")) || certOrKey;
        if (certOrKey) {
            if (!parser.isSet(QStringLiteral("cert")) || !parser.isSet(QStringLiteral("key")))
                throw UsageError {QStringLiteral("--cert and --key go together")};
            const QString certPath = parser.value(QStringLiteral("cert"));
            QString error;
            const auto identity = TlsIdentity::fromPem(readFileBytes(certPath, QStringLiteral("certificate file")),
                readFileBytes(parser.value(QStringLiteral("key")), QStringLiteral("key file")), &error);
            if (!identity)
                throw UsageError {QStringLiteral("can't use %1 with its key: %2").arg(certPath, error)};
            config.tls.certificate = identity->certificate;
            config.tls.privateKey = identity->privateKey;
        }

        std::shared_ptr<SignatureScheme> scheme = schemeFromOptions(parser);
        config.forward = forwardConfigFrom(parser, scheme);
        QList<SecretSource> sources;
        const bool secretOptions = parser.isSet(QStringLiteral("secret")) || parser.isSet(QStringLiteral("secret-env"))
            || parser.isSet(QStringLiteral("secret-file"));
        if (!positional.isEmpty())
            sources.append({QStringLiteral("the SECRET argument"), positional.first().toUtf8()});
        if (positional.isEmpty() || secretOptions) // $WEBHOOK_KEY only when nothing else is given
            sources += readSecrets(commandLine, false);
        QList<QByteArray> secrets;
        for (const SecretSource &source : std::as_const(sources)) {
            QString problem;
            if (source.secret.isEmpty())
                throw UsageError {QStringLiteral("the secret from %1 is empty").arg(source.description)};
            if (!scheme->keyFromSecret(source.secret, &problem))
                throw UsageError {QStringLiteral("the secret from %1 can't be used with %2: %3")
                                      .arg(source.description, scheme->title(), problem)};
            secrets.append(source.secret);
        }

        StoreOptions storeOptions = storeOptionsFromParser(parser, StoreAccess::Write);
        if (parser.isSet(QStringLiteral("session"))) {
            storeOptions.session = parser.value(QStringLiteral("session")).trimmed();
            if (storeOptions.session.isEmpty())
                throw UsageError {QStringLiteral("--session needs a name")};
        }
        // Captures are answered only once the writer has committed them; it outlives the listener.
        CaptureWriter writer(storeOptions);
        QString storeError;
        if (!writer.open(&storeError))
            throw UsageError {QStringLiteral("can't open the capture store: %1").arg(storeError)};
        const QString storeText = storeOptions.session.isEmpty()
            ? QStringLiteral("storing in %1").arg(storeOptions.path)
            : QStringLiteral("storing in %1, session \"%2\"").arg(storeOptions.path, storeOptions.session);

        Listener listener(config, &writer);
        listener.setVerificationProfile(VerificationProfile(scheme, secrets));
        listener.setCaptureDecorator(applyDbtSummary); // dbt event type, id, run and check, for lists
        const auto announce = [mode](const QByteArray &line) {
            if (mode == OutputMode::Text)
                writeOut(line);
            else
                writeErr(line);
        };
        QObject::connect(
            &listener, &Listener::exposed, [&](const QString &warning) { printWarning(command, warning); });
        const auto report = [&](const ListenerEvent &event, const ForwardEvent *forward) {
            if (mode == OutputMode::Text)
                writeOut(textReport(event, listener.verificationProfile(), forward));
            else if (mode == OutputMode::Json)
                writeOut(jsonReport(event, forward));
        };
        // With forward mode a stored capture is reported once its forward is done (forwarded()
        // always follows requestHandled()); the wait is bounded by the forward queue and timeout.
        const bool forwarding = config.forward.isEnabled();
        QHash<qint64, ListenerEvent> awaitingForward;
        QObject::connect(&listener, &Listener::requestHandled, [&](const ListenerEvent &event) {
            if (!event.storeError.isEmpty() && mode != OutputMode::Text)
                printError(command, QStringLiteral("capture not stored: %1").arg(event.storeError));
            if (forwarding && event.capture.id > 0 && mode != OutputMode::Quiet)
                awaitingForward.insert(event.capture.id, event);
            else
                report(event, nullptr);
        });
        QObject::connect(&listener, &Listener::forwarded, [&](const ForwardEvent &forward) {
            const auto it = awaitingForward.find(forward.captureId);
            if (it == awaitingForward.end())
                return;
            const ListenerEvent event = std::move(it.value());
            awaitingForward.erase(it);
            report(event, &forward);
        });
        QObject::connect(&listener, &Listener::requestRejected, [&](const RejectedRequest &request) {
            if (mode == OutputMode::Text)
                writeOut(rejectionLine(request));
            else if (mode == OutputMode::Json)
                writeErr(rejectionLine(request));
        });
        if (!listener.start()) {
            printError(command, listener.lastError());
            return int(ExitNetwork);
        }

        const QString checking = secrets.isEmpty()
            ? QStringLiteral("%1 signatures, no secret: captures are not checked").arg(scheme->title())
            : QStringLiteral("%1 signatures, %2 secret%3")
                  .arg(scheme->title())
                  .arg(secrets.size())
                  .arg(secrets.size() == 1 ? QString() : QStringLiteral("s"));
        announce(QStringLiteral("Listening on %1 (%2; %3)\n").arg(listener.url(), checking, storeText).toUtf8());
        if (forwarding)
            announce(QStringLiteral("%1\n").arg(forwardDescription(config.forward)).toUtf8());
        if (listener.isTls())
            announce(QStringLiteral("TLS certificate SHA-256 fingerprint: %1\n")
                         .arg(listener.certificateFingerprint())
                         .toUtf8());

        int exitCode = ExitOk;
        SignalWatcher watcher;
        int signalsSeen = 0;
        QObject::connect(&watcher, &SignalWatcher::received, [&](int) {
            if (++signalsSeen > 1) {
                printError(command, QStringLiteral("stopped before every pending request was answered"));
                exitCode = ExitFailure;
                QCoreApplication::exit(exitCode);
                return;
            }
            listener.stop();
        });
        QObject::connect(&listener, &Listener::stopped, [&] { QCoreApplication::exit(exitCode); });
        const int loopResult = QCoreApplication::exec();
        for (const ListenerEvent &event : std::as_const(awaitingForward)) // forwards cut short by a second signal
            report(event, nullptr);
        if (loopResult == ExitOk && mode != OutputMode::Quiet)
            announce(QStringLiteral("Stopped after %1 capture%2.\n")
                         .arg(listener.stats().captured)
                         .arg(listener.stats().captured == 1 ? QString() : QStringLiteral("s"))
                         .toUtf8());
        return loopResult;
    });
}

} // namespace hookbench::cli
