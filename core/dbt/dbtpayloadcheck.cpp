#include "dbtpayloadcheck.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QJsonValue>

#include <algorithm>
#include <array>
#include <cmath>
#include <iterator>

namespace hookbench {

namespace {

// Whether an event type carries a field.
enum class Presence {
    Required, // missing-field error when absent
    Legacy, // missing-optional-field warning when absent (early-2023 payloads)
    Allowed, // neither required nor unexpected (fields of an unknown event type)
    Unexpected, // unexpected-field note when present
};

// A value quoted in a message: one line, bounded, recognisable.
QString quoted(const QString &value)
{
    constexpr qsizetype limit = 48;
    QString shown = value.left(limit);
    for (QChar &c : shown) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            c = QLatin1Char('?');
    }
    if (value.size() > limit)
        shown += QStringLiteral("…");
    return QLatin1Char('"') + shown + QLatin1Char('"');
}

QString jsonTypeName(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return QStringLiteral("a boolean");
    case QJsonValue::Double:
        return QStringLiteral("a number");
    case QJsonValue::String:
        return QStringLiteral("a string");
    case QJsonValue::Array:
        return QStringLiteral("an array");
    case QJsonValue::Object:
        return QStringLiteral("an object");
    case QJsonValue::Undefined:
        break;
    }
    return QStringLiteral("nothing");
}

bool isDigits(const QString &text)
{
    return !text.isEmpty()
        && std::all_of(text.cbegin(), text.cend(), [](QChar c) { return c.unicode() >= u'0' && c.unicode() <= u'9'; });
}

// Largest integer a double holds exactly: JSON numbers beyond it have already lost digits.
constexpr double maxExactInteger = 9007199254740992.0;

std::optional<qint64> exactInteger(const QJsonValue &value)
{
    const double number = value.toDouble();
    if (!std::isfinite(number) || std::floor(number) != number || std::fabs(number) > maxExactInteger)
        return std::nullopt;
    return qint64(number);
}

// The keys dbt documents, in dbt's order; the enums index them.
enum EnvelopeKey { AccountId, WebhookId, WebhooksId, EventId, Timestamp, EventType, WebhookName, Data };
const QLatin1String envelopeKeys[]
    = {QLatin1String("accountId"), QLatin1String("webhookId"), QLatin1String("webhooksID"), QLatin1String("eventId"),
        QLatin1String("timestamp"), QLatin1String("eventType"), QLatin1String("webhookName"), QLatin1String("data")};
enum DataKey {
    JobId,
    JobName,
    RunId,
    EnvironmentId,
    EnvironmentName,
    DbtVersion,
    ProjectName,
    ProjectId,
    RunStatus,
    RunStatusCode,
    RunStatusMessage,
    RunReason,
    RunStartedAt,
    RunFinishedAt,
    RunErroredAt,
};
const QLatin1String dataKeys[] = {QLatin1String("jobId"), QLatin1String("jobName"), QLatin1String("runId"),
    QLatin1String("environmentId"), QLatin1String("environmentName"), QLatin1String("dbtVersion"),
    QLatin1String("projectName"), QLatin1String("projectId"), QLatin1String("runStatus"),
    QLatin1String("runStatusCode"), QLatin1String("runStatusMessage"), QLatin1String("runReason"),
    QLatin1String("runStartedAt"), QLatin1String("runFinishedAt"), QLatin1String("runErroredAt")};

// One object's members read in a single pass (the check runs for every captured request, and
// one pass costs less than a lookup per documented key): known keys by index, the rest in order.
template <std::size_t N> class Members
{
public:
    Members(const QJsonObject &object, const QLatin1String (&known)[N])
    {
        m_values.fill(QJsonValue(QJsonValue::Undefined)); // a default QJsonValue is null, not absent
        for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
            const QString key = it.key();
            const auto found = std::find(std::begin(known), std::end(known), key);
            if (found != std::end(known))
                m_values[std::size_t(found - std::begin(known))] = it.value();
            else
                m_unknown.append(key);
        }
    }

    const QJsonValue &operator[](int key) const { return m_values[std::size_t(key)]; }
    bool has(int key) const { return !m_values[std::size_t(key)].isUndefined(); }
    const QStringList &unknown() const { return m_unknown; }

private:
    std::array<QJsonValue, N> m_values; // Undefined when absent
    QStringList m_unknown;
};

using Envelope = Members<std::size(envelopeKeys)>;
using DataMembers = Members<std::size(dataKeys)>;

// Walks one parsed object, filling the event and the findings.
class Checker
{
public:
    explicit Checker(DbtPayloadCheck &result) : m_result(result), m_event(result.event) { }

    void run(const Envelope &envelope)
    {
        checkEnvelope(envelope);
        const QJsonValue &data = envelope[Data];
        if (data.isUndefined()) {
            add(DbtFindingCode::MissingField, QStringLiteral("data"), QStringLiteral("data is missing"));
        } else if (!data.isObject()) {
            add(DbtFindingCode::WrongType, QStringLiteral("data"),
                QStringLiteral("data should be an object, not %1").arg(jsonTypeName(data)));
        } else {
            checkData(DataMembers(data.toObject(), dataKeys));
        }
        reportUnknownKeys(envelope.unknown(), QString());
    }

private:
    void add(DbtFindingCode code, const QString &field, const QString &message)
    {
        m_result.findings.append({code, field, message});
    }

    // `value` when present and of the right type; findings otherwise.
    QJsonValue field(
        const QJsonValue &value, const QString &path, QJsonValue::Type type, Presence presence, const QString &why = {})
    {
        if (value.isUndefined()) {
            if (presence == Presence::Required)
                add(DbtFindingCode::MissingField, path, path + QStringLiteral(" is missing") + why);
            else if (presence == Presence::Legacy)
                add(DbtFindingCode::MissingOptionalField, path,
                    path + QStringLiteral(" is missing (only early-2023 payloads lack it)"));
            return {};
        }
        if (presence == Presence::Unexpected)
            add(DbtFindingCode::UnexpectedField, path,
                QStringLiteral("%1 is not expected on %2").arg(path, m_event.eventTypeName));
        if (value.type() != type) {
            add(DbtFindingCode::WrongType, path,
                QStringLiteral("%1 should be %2, not %3")
                    .arg(path, jsonTypeName(QJsonValue(type)), jsonTypeName(value)));
            return {};
        }
        return value;
    }

    QString string(const QJsonValue &value, const QString &path, Presence presence = Presence::Required)
    {
        const QJsonValue checked = field(value, path, QJsonValue::String, presence);
        return checked.isString() ? checked.toString() : QString();
    }

    std::optional<qint64> integer(const QJsonValue &value, const QString &path, Presence presence)
    {
        const QJsonValue checked = field(value, path, QJsonValue::Double, presence);
        if (!checked.isDouble())
            return std::nullopt;
        const auto number = exactInteger(checked);
        if (!number)
            add(DbtFindingCode::WrongType, path,
                QStringLiteral("%1 should be an integer, not %2").arg(path).arg(checked.toDouble()));
        return number;
    }

    DbtTime time(
        const QJsonValue &value, const QString &path, Presence presence = Presence::Required, const QString &why = {})
    {
        const QJsonValue checked = field(value, path, QJsonValue::String, presence, why);
        if (!checked.isString())
            return {};
        const DbtTime parsed = DbtTime::parse(checked.toString());
        if (!parsed.isValid())
            add(DbtFindingCode::BadTimestamp, path,
                QStringLiteral("%1 %2 is not an RFC 3339 time").arg(path, quoted(parsed.text())));
        return parsed;
    }

    QString id(const QJsonValue &value, const QString &path, Presence presence)
    {
        const QJsonValue checked = field(value, path, QJsonValue::String, presence);
        if (!checked.isString())
            return {};
        const QString text = checked.toString();
        if (!isDigits(text))
            add(DbtFindingCode::NonNumericId, path,
                QStringLiteral("%1 %2 is not a numeric id").arg(path, quoted(text)));
        return text;
    }

    void checkEnvelope(const Envelope &envelope)
    {
        // Which fields the data must carry depends on the type; its findings come in field order below.
        const QJsonValue &type = envelope[EventType];
        m_event.eventTypeName = type.toString();
        m_event.eventType = dbtEventTypeFromName(m_event.eventTypeName);

        m_event.accountId = integer(envelope[AccountId], QStringLiteral("accountId"), Presence::Required);

        const bool hasNewSpelling = envelope.has(WebhookId);
        const bool hasOldSpelling = envelope.has(WebhooksId);
        if (hasOldSpelling) {
            add(DbtFindingCode::OldWebhookIdSpelling, QStringLiteral("webhooksID"),
                QStringLiteral("webhooksID is the spelling dbt's docs showed in 2023-2025; dbt sends webhookId"));
        }
        if (hasNewSpelling || !hasOldSpelling) {
            m_event.webhookId = string(envelope[WebhookId], QStringLiteral("webhookId"), Presence::Legacy);
        } else {
            m_event.webhookId = string(envelope[WebhooksId], QStringLiteral("webhooksID"));
            m_event.webhookIdOldSpelling = true;
        }

        m_event.eventId = string(envelope[EventId], QStringLiteral("eventId"));
        if (envelope[EventId].isString() && !isWellFormedDbtEventId(m_event.eventId))
            add(DbtFindingCode::BadEventId, QStringLiteral("eventId"),
                QStringLiteral("eventId %1 is not wev_ followed by 27 letters or digits").arg(quoted(m_event.eventId)));

        m_event.timestamp = time(envelope[Timestamp], QStringLiteral("timestamp"));
        string(type, QStringLiteral("eventType"));
        if (type.isString() && m_event.eventType == DbtEventType::Unknown)
            add(DbtFindingCode::UnknownEventType, QStringLiteral("eventType"),
                QStringLiteral("unknown eventType %1 (dbt sends job.run.started, job.run.completed and "
                               "job.run.errored)")
                    .arg(quoted(m_event.eventTypeName)));
        m_event.webhookName = string(envelope[WebhookName], QStringLiteral("webhookName"));
    }

    void checkData(const DataMembers &data)
    {
        m_event.jobId = id(data[JobId], QStringLiteral("data.jobId"), Presence::Required);
        m_event.jobName = string(data[JobName], QStringLiteral("data.jobName"));
        m_event.runId = id(data[RunId], QStringLiteral("data.runId"), Presence::Required);
        m_event.environmentId = id(data[EnvironmentId], QStringLiteral("data.environmentId"), Presence::Required);
        m_event.environmentName = string(data[EnvironmentName], QStringLiteral("data.environmentName"));
        m_event.dbtVersion = string(data[DbtVersion], QStringLiteral("data.dbtVersion"));
        m_event.projectName = string(data[ProjectName], QStringLiteral("data.projectName"));
        m_event.projectId = id(data[ProjectId], QStringLiteral("data.projectId"), Presence::Legacy);
        m_event.runStatusName = string(data[RunStatus], QStringLiteral("data.runStatus"));
        m_event.runStatusCode = integer(data[RunStatusCode], QStringLiteral("data.runStatusCode"), Presence::Legacy);
        m_event.runStatusMessage = string(data[RunStatusMessage], QStringLiteral("data.runStatusMessage"));
        m_event.runReason = string(data[RunReason], QStringLiteral("data.runReason"));
        checkStatus(data[RunStatus].isString());

        m_event.runStartedAt = time(data[RunStartedAt], QStringLiteral("data.runStartedAt"));
        const DbtEventType type = m_event.eventType;
        m_event.runFinishedAt = time(data[RunFinishedAt], QStringLiteral("data.runFinishedAt"),
            presenceOn(DbtEventType::RunCompleted, type), QStringLiteral(" (job.run.completed carries it)"));
        m_event.runErroredAt = time(data[RunErroredAt], QStringLiteral("data.runErroredAt"),
            presenceOn(DbtEventType::RunErrored, type), QStringLiteral(" (job.run.errored carries it)"));
        if (m_event.runStartedAt.isValid() && m_event.runFinishedAt.isValid()
            && m_event.runFinishedAt < m_event.runStartedAt)
            add(DbtFindingCode::FinishedBeforeStart, QStringLiteral("data.runFinishedAt"),
                QStringLiteral("data.runFinishedAt %1 is before data.runStartedAt %2")
                    .arg(m_event.runFinishedAt.text(), m_event.runStartedAt.text()));
        if (m_event.runStartedAt.isValid() && m_event.runErroredAt.isValid()
            && m_event.runErroredAt < m_event.runStartedAt)
            add(DbtFindingCode::ErroredBeforeStart, QStringLiteral("data.runErroredAt"),
                QStringLiteral("data.runErroredAt %1 is before data.runStartedAt %2")
                    .arg(m_event.runErroredAt.text(), m_event.runStartedAt.text()));

        reportUnknownKeys(data.unknown(), QStringLiteral("data."));
    }

    // A field that belongs to one event type: required there, unexpected on the other known ones.
    static Presence presenceOn(DbtEventType owner, DbtEventType type)
    {
        if (type == owner)
            return Presence::Required;
        return type == DbtEventType::Unknown ? Presence::Allowed : Presence::Unexpected;
    }

    void checkStatus(bool haveName)
    {
        const DbtRunStatus named = dbtRunStatusFromName(m_event.runStatusName);
        if (haveName && named == DbtRunStatus::Unknown) {
            const QString hint = m_event.runStatusName == u"Error"
                ? QStringLiteral(" (the webhook says Errored; Error is the Admin API's word)")
                : QStringLiteral(" (expected Running, Success or Errored)");
            add(DbtFindingCode::UnknownRunStatus, QStringLiteral("data.runStatus"),
                QStringLiteral("unknown data.runStatus %1").arg(quoted(m_event.runStatusName)) + hint);
        }
        DbtRunStatus coded = DbtRunStatus::Unknown;
        if (m_event.runStatusCode) {
            coded = dbtRunStatusFromCode(*m_event.runStatusCode);
            if (coded == DbtRunStatus::Unknown)
                add(DbtFindingCode::UnknownRunStatusCode, QStringLiteral("data.runStatusCode"),
                    QStringLiteral("unknown data.runStatusCode %1 (dbt uses 1, 2, 3, 10, 20, 30)")
                        .arg(*m_event.runStatusCode));
        }
        if (named != DbtRunStatus::Unknown && coded != DbtRunStatus::Unknown && named != coded)
            add(DbtFindingCode::StatusMismatch, QStringLiteral("data.runStatus"),
                QStringLiteral("data.runStatus %1 does not match data.runStatusCode %2 (%3)")
                    .arg(quoted(m_event.runStatusName))
                    .arg(*m_event.runStatusCode)
                    .arg(dbtRunStatusName(coded)));

        const DbtRunStatus status = m_event.runStatus();
        if (status == DbtRunStatus::Unknown
            || (named != DbtRunStatus::Unknown && coded != DbtRunStatus::Unknown && named != coded))
            return;
        bool fits = true;
        switch (m_event.eventType) {
        case DbtEventType::RunStarted:
            fits
                = status == DbtRunStatus::Running || status == DbtRunStatus::Starting || status == DbtRunStatus::Queued;
            break;
        case DbtEventType::RunCompleted:
            fits = status == DbtRunStatus::Success || status == DbtRunStatus::Errored
                || status == DbtRunStatus::Cancelled;
            break;
        case DbtEventType::RunErrored:
            fits = status == DbtRunStatus::Errored;
            break;
        case DbtEventType::Unknown:
            break;
        }
        if (!fits)
            add(DbtFindingCode::EventStatusMismatch, QStringLiteral("data.runStatus"),
                QStringLiteral("%1 with data.runStatus %2").arg(m_event.eventTypeName, dbtRunStatusName(status)));
    }

    void reportUnknownKeys(const QStringList &keys, const QString &prefix)
    {
        for (const QString &key : keys)
            add(DbtFindingCode::UnknownField, prefix + key,
                QStringLiteral("unknown field %1 (accepted: dbt may add fields)").arg(quoted(prefix + key)));
    }

    DbtPayloadCheck &m_result;
    DbtEvent &m_event;
};

// Other providers' JSON may say "eventType" too; dbt's also carries one of these.
bool looksLikeDbtEvent(const Envelope &envelope)
{
    const QJsonValue &type = envelope[EventType];
    if (type.isUndefined())
        return false;
    if (type.isString() && type.toString().startsWith(QLatin1String("job.run.")))
        return true;
    return envelope.has(AccountId) || envelope.has(EventId) || envelope.has(WebhookId) || envelope.has(WebhooksId);
}

} // namespace

QString dbtSeverityName(DbtSeverity severity)
{
    switch (severity) {
    case DbtSeverity::Note:
        return QStringLiteral("note");
    case DbtSeverity::Warning:
        return QStringLiteral("warning");
    case DbtSeverity::Error:
        return QStringLiteral("error");
    }
    return {};
}

QString dbtFindingCodeName(DbtFindingCode code)
{
    switch (code) {
    case DbtFindingCode::InvalidJson:
        return QStringLiteral("invalid-json");
    case DbtFindingCode::MissingField:
        return QStringLiteral("missing-field");
    case DbtFindingCode::WrongType:
        return QStringLiteral("wrong-type");
    case DbtFindingCode::UnknownEventType:
        return QStringLiteral("unknown-event-type");
    case DbtFindingCode::BadTimestamp:
        return QStringLiteral("bad-timestamp");
    case DbtFindingCode::BadEventId:
        return QStringLiteral("bad-event-id");
    case DbtFindingCode::StatusMismatch:
        return QStringLiteral("status-mismatch");
    case DbtFindingCode::FinishedBeforeStart:
        return QStringLiteral("finished-before-start");
    case DbtFindingCode::ErroredBeforeStart:
        return QStringLiteral("errored-before-start");
    case DbtFindingCode::OldWebhookIdSpelling:
        return QStringLiteral("old-webhook-id-spelling");
    case DbtFindingCode::MissingOptionalField:
        return QStringLiteral("missing-optional-field");
    case DbtFindingCode::UnknownRunStatus:
        return QStringLiteral("unknown-run-status");
    case DbtFindingCode::UnknownRunStatusCode:
        return QStringLiteral("unknown-run-status-code");
    case DbtFindingCode::EventStatusMismatch:
        return QStringLiteral("event-status-mismatch");
    case DbtFindingCode::NonNumericId:
        return QStringLiteral("non-numeric-id");
    case DbtFindingCode::UnknownField:
        return QStringLiteral("unknown-field");
    case DbtFindingCode::UnexpectedField:
        return QStringLiteral("unexpected-field");
    }
    return {};
}

DbtSeverity dbtFindingSeverity(DbtFindingCode code)
{
    switch (code) {
    case DbtFindingCode::InvalidJson:
    case DbtFindingCode::MissingField:
    case DbtFindingCode::WrongType:
    case DbtFindingCode::UnknownEventType:
    case DbtFindingCode::BadTimestamp:
    case DbtFindingCode::BadEventId:
    case DbtFindingCode::StatusMismatch:
    case DbtFindingCode::FinishedBeforeStart:
    case DbtFindingCode::ErroredBeforeStart:
        return DbtSeverity::Error;
    case DbtFindingCode::OldWebhookIdSpelling:
    case DbtFindingCode::MissingOptionalField:
    case DbtFindingCode::UnknownRunStatus:
    case DbtFindingCode::UnknownRunStatusCode:
    case DbtFindingCode::EventStatusMismatch:
    case DbtFindingCode::NonNumericId:
        return DbtSeverity::Warning;
    case DbtFindingCode::UnknownField:
    case DbtFindingCode::UnexpectedField:
        return DbtSeverity::Note;
    }
    return DbtSeverity::Error;
}

QList<DbtFindingCode> allDbtFindingCodes()
{
    QList<DbtFindingCode> codes;
    for (int code = int(DbtFindingCode::InvalidJson); code <= int(DbtFindingCode::UnexpectedField); ++code)
        codes.append(DbtFindingCode(code));
    return codes;
}

std::optional<DbtSeverity> DbtPayloadCheck::worstSeverity() const
{
    std::optional<DbtSeverity> worst;
    for (const DbtFinding &finding : findings) {
        if (!worst || finding.severity() > *worst)
            worst = finding.severity();
    }
    return worst;
}

QString DbtPayloadCheck::summary() const
{
    if (outcome != Outcome::Event)
        return {};
    const auto worst = worstSeverity();
    if (!worst)
        return QStringLiteral("ok");
    switch (*worst) {
    case DbtSeverity::Note:
        return QStringLiteral("notes");
    case DbtSeverity::Warning:
        return QStringLiteral("warnings");
    case DbtSeverity::Error:
        break;
    }
    return QStringLiteral("errors");
}

bool DbtPayloadCheck::has(DbtFindingCode code) const
{
    return std::any_of(
        findings.cbegin(), findings.cend(), [code](const DbtFinding &finding) { return finding.code == code; });
}

DbtPayloadCheck checkDbtPayload(const QByteArray &body)
{
    DbtPayloadCheck result;
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError) {
        // Qt 6.4 refuses a top-level scalar ("42", "\"text\""), which RFC 8259 allows: valid
        // JSON, just not a dbt event.
        const QByteArray trimmed = body.trimmed();
        if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) {
            QJsonParseError wrappedError;
            QJsonDocument::fromJson('[' + body + ']', &wrappedError);
            if (wrappedError.error == QJsonParseError::NoError) {
                result.outcome = DbtPayloadCheck::Outcome::NotDbtEvent;
                return result;
            }
        }
        result.outcome = DbtPayloadCheck::Outcome::InvalidJson;
        result.jsonErrorOffset = error.offset;
        result.jsonError = error.errorString();
        result.findings.append({DbtFindingCode::InvalidJson, QString(),
            QStringLiteral("invalid JSON at byte %1: %2").arg(error.offset).arg(result.jsonError)});
        return result;
    }
    if (!document.isObject()) {
        result.outcome = DbtPayloadCheck::Outcome::NotDbtEvent;
        return result;
    }
    const Envelope envelope(document.object(), envelopeKeys);
    if (!looksLikeDbtEvent(envelope)) {
        result.outcome = DbtPayloadCheck::Outcome::NotDbtEvent;
        return result;
    }
    result.outcome = DbtPayloadCheck::Outcome::Event;
    Checker(result).run(envelope);
    return result;
}

} // namespace hookbench
