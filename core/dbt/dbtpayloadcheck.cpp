#include "dbtpayloadcheck.h"

#include "jsonreader.h"

#include <QHash>

#include <algorithm>
#include <array>
#include <cmath>
#include <iterator>
#include <type_traits>

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
QString quoted(QStringView value)
{
    constexpr qsizetype limit = 48;
    QString shown = value.left(limit).toString();
    for (QChar &c : shown) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            c = QLatin1Char('?');
    }
    if (value.size() > limit)
        shown += QStringLiteral("…");
    return QLatin1Char('"') + shown + QLatin1Char('"');
}

QString jsonKindName(JsonKind kind)
{
    switch (kind) {
    case JsonKind::Null:
        return QStringLiteral("null");
    case JsonKind::Bool:
        return QStringLiteral("a boolean");
    case JsonKind::Number:
        return QStringLiteral("a number");
    case JsonKind::String:
        return QStringLiteral("a string");
    case JsonKind::Array:
        return QStringLiteral("an array");
    case JsonKind::Object:
        return QStringLiteral("an object");
    }
    return {};
}

bool isKind(const JsonNode *node, JsonKind kind)
{
    return node && node->kind == kind;
}

bool isDigits(QStringView text)
{
    return !text.isEmpty()
        && std::all_of(text.cbegin(), text.cend(), [](QChar c) { return c.unicode() >= u'0' && c.unicode() <= u'9'; });
}

// Largest integer a double holds exactly: JSON numbers beyond it have already lost digits.
constexpr double maxExactInteger = 9007199254740992.0;

std::optional<qint64> exactInteger(double number)
{
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

// One object's members read in a single pass (the check runs for every captured request):
// known keys by index, the others in order. With duplicate keys the last one counts, as in
// Python's json and Qt; the earlier ones are kept to be reported.
template <std::size_t N> class Members
{
public:
    Members(const JsonNode &object, const QLatin1String (&known)[N])
    {
        m_values.fill(nullptr);
        std::size_t next = 0; // dbt writes the keys in `known`'s order: look there first
        for (const JsonNode &member : object.children) {
            std::size_t found = N;
            for (std::size_t tried = 0; tried < N; ++tried) {
                const std::size_t index = next + tried < N ? next + tried : next + tried - N; // no division
                if (member.keyEquals(known[index])) {
                    found = index;
                    next = index + 1;
                    break;
                }
            }
            if (found == N) {
                const qsizetype earlier = findUnknown(member);
                if (earlier >= 0) {
                    m_duplicates.append(m_unknown.at(earlier));
                    m_unknown[earlier] = nullptr;
                }
                m_unknown.append(&member);
                if (!m_unknownIndex.isEmpty())
                    m_unknownIndex.insert(member.keyText(), m_unknown.size() - 1);
                continue;
            }
            const JsonNode *&slot = m_values[found];
            if (slot)
                m_duplicates.append(slot);
            slot = &member;
        }
        m_unknown.removeAll(nullptr);
    }

    const JsonNode *operator[](int key) const { return m_values[std::size_t(key)]; }
    bool has(int key) const { return m_values[std::size_t(key)] != nullptr; }
    const QList<const JsonNode *> &unknown() const { return m_unknown; }
    const QList<const JsonNode *> &duplicates() const { return m_duplicates; } // overridden members

private:
    // Where m_unknown holds a member with the same key as `member`, or -1. Other providers' JSON
    // (checked before it is known not to be dbt's) has a few unknown keys: compared in place,
    // without decoding. A 64 KiB body can carry thousands: past a few dozen, a hash of the keys.
    qsizetype findUnknown(const JsonNode &member)
    {
        constexpr qsizetype scanLimit = 32;
        if (m_unknownIndex.isEmpty() && m_unknown.size() >= scanLimit) {
            for (qsizetype i = 0; i < m_unknown.size(); ++i) {
                if (m_unknown.at(i))
                    m_unknownIndex.insert(m_unknown.at(i)->keyText(), i);
            }
        }
        if (!m_unknownIndex.isEmpty())
            return m_unknownIndex.value(member.keyText(), -1);
        for (qsizetype i = 0; i < m_unknown.size(); ++i) {
            if (m_unknown.at(i) && m_unknown.at(i)->sameKey(member))
                return i;
        }
        return -1;
    }

    std::array<const JsonNode *, N> m_values; // null when absent
    QList<const JsonNode *> m_unknown; // in order; null where a later duplicate took over
    QList<const JsonNode *> m_duplicates;
    QHash<QString, qsizetype> m_unknownIndex; // key -> its latest entry in m_unknown
};

using Envelope = Members<std::size(envelopeKeys)>;
using DataMembers = Members<std::size(dataKeys)>;

// Walks one parsed object, filling the event and the findings. The rules are written once; the
// detail only decides what they materialise: with DbtCheckDetail::Summary, findings get their code
// alone (messages are never built) and only the event fields the summary or a later rule reads
// are decoded into QStrings; the others are type-checked, and read from a reused buffer when a
// rule looks at their text.
class Checker
{
public:
    Checker(DbtPayloadCheck &result, DbtCheckDetail detail)
        : m_result(result), m_event(result.event), m_full(detail == DbtCheckDetail::Full)
    { }

    void run(const Envelope &envelope)
    {
        checkEnvelope(envelope);
        const JsonNode *data = envelope[Data];
        if (!data) {
            add(DbtFindingCode::MissingField, QStringLiteral("data"),
                []() -> QString { return QStringLiteral("data is missing"); });
        } else if (data->kind != JsonKind::Object) {
            add(DbtFindingCode::WrongType, QStringLiteral("data"), [&]() -> QString {
                return QStringLiteral("data should be an object, not %1").arg(jsonKindName(data->kind));
            });
        } else {
            checkData(DataMembers(*data, dataKeys));
        }
        reportUnknownKeys(envelope, QString());
    }

private:
    // `message` is only called when the check keeps messages.
    template <typename Message> void add(DbtFindingCode code, const QString &field, Message message)
    {
        // A lambda returning `a + b` would return a QStringBuilder referring to its dead temporaries.
        static_assert(std::is_same_v<std::invoke_result_t<Message>, QString>, "messages must be built as QString");
        if (m_full)
            m_result.findings.append({code, field, message()});
        else
            m_result.findings.append({code, QString(), QString()});
    }

    // Where a string field's text goes: into the event when the check keeps every field, nowhere
    // otherwise. The fields the summary shows, and those later rules read from the event, are
    // kept by passing the event's member directly.
    QString *kept(QString &eventField) { return m_full ? &eventField : nullptr; }

    // The text of a string value, for a rule to read. Not kept, it is decoded into a buffer that
    // the next read overwrites.
    QStringView read(const JsonNode &value, QString *keep)
    {
        if (keep) {
            *keep = value.text();
            return *keep;
        }
        return value.textView(m_scratch);
    }

    // `value` when present and of the right kind; findings otherwise.
    const JsonNode *field(
        const JsonNode *value, const QString &path, JsonKind kind, Presence presence, const QString &why = {})
    {
        if (!value) {
            if (presence == Presence::Required)
                add(DbtFindingCode::MissingField, path,
                    [&]() -> QString { return path + QStringLiteral(" is missing") + why; });
            else if (presence == Presence::Legacy)
                add(DbtFindingCode::MissingOptionalField, path, [&]() -> QString {
                    return path + QStringLiteral(" is missing (only early-2023 payloads lack it)");
                });
            return nullptr;
        }
        if (presence == Presence::Unexpected)
            add(DbtFindingCode::UnexpectedField, path, [&]() -> QString {
                return QStringLiteral("%1 is not expected on %2").arg(path, m_event.eventTypeName);
            });
        if (value->kind != kind) {
            add(DbtFindingCode::WrongType, path, [&]() -> QString {
                return QStringLiteral("%1 should be %2, not %3")
                    .arg(path, jsonKindName(kind), jsonKindName(value->kind));
            });
            return nullptr;
        }
        return value;
    }

    void string(const JsonNode *value, const QString &path, QString *keep, Presence presence = Presence::Required)
    {
        const JsonNode *checked = field(value, path, JsonKind::String, presence);
        if (checked && keep)
            *keep = checked->text();
    }

    std::optional<qint64> integer(const JsonNode *value, const QString &path, Presence presence)
    {
        const JsonNode *checked = field(value, path, JsonKind::Number, presence);
        if (!checked)
            return std::nullopt;
        const auto number = exactInteger(checked->number().value_or(0.5));
        if (!number)
            add(DbtFindingCode::WrongType, path, [&]() -> QString {
                return QStringLiteral("%1 should be an integer, not %2")
                    .arg(path,
                        QString::fromLatin1(checked->bytes.first(std::min<qsizetype>(checked->bytes.size(), 40))));
            });
        return number;
    }

    DbtTime time(
        const JsonNode *value, const QString &path, Presence presence = Presence::Required, const QString &why = {})
    {
        const JsonNode *checked = field(value, path, JsonKind::String, presence, why);
        if (!checked)
            return {};
        // Messages quote the text; without them only the value is needed.
        const DbtTime parsed
            = m_full ? DbtTime::parse(checked->text()) : DbtTime::parseValue(checked->textView(m_scratch));
        if (!parsed.isValid())
            add(DbtFindingCode::BadTimestamp, path, [&]() -> QString {
                return QStringLiteral("%1 %2 is not an RFC 3339 time").arg(path, quoted(parsed.text()));
            });
        return parsed;
    }

    void id(const JsonNode *value, const QString &path, Presence presence, QString *keep)
    {
        const JsonNode *checked = field(value, path, JsonKind::String, presence);
        if (!checked)
            return;
        const QStringView text = read(*checked, keep);
        if (!isDigits(text))
            add(DbtFindingCode::NonNumericId, path,
                [&]() -> QString { return QStringLiteral("%1 %2 is not a numeric id").arg(path, quoted(text)); });
    }

    void checkEnvelope(const Envelope &envelope)
    {
        // Which fields the data must carry depends on the type; its findings come in field order below.
        const JsonNode *type = envelope[EventType];
        m_event.eventTypeName = isKind(type, JsonKind::String) ? type->text() : QString();
        m_event.eventType = dbtEventTypeFromName(m_event.eventTypeName);

        m_event.accountId = integer(envelope[AccountId], QStringLiteral("accountId"), Presence::Required);

        const bool hasNewSpelling = envelope.has(WebhookId);
        const bool hasOldSpelling = envelope.has(WebhooksId);
        if (hasOldSpelling) {
            add(DbtFindingCode::OldWebhookIdSpelling, QStringLiteral("webhooksID"), []() -> QString {
                return QStringLiteral("webhooksID is the spelling dbt's docs showed in 2023-2025; dbt sends webhookId");
            });
        }
        if (hasNewSpelling || !hasOldSpelling) {
            string(envelope[WebhookId], QStringLiteral("webhookId"), kept(m_event.webhookId), Presence::Legacy);
        } else {
            string(envelope[WebhooksId], QStringLiteral("webhooksID"), kept(m_event.webhookId));
            m_event.webhookIdOldSpelling = true;
        }

        string(envelope[EventId], QStringLiteral("eventId"), &m_event.eventId);
        if (isKind(envelope[EventId], JsonKind::String) && !isWellFormedDbtEventId(m_event.eventId))
            add(DbtFindingCode::BadEventId, QStringLiteral("eventId"), [&]() -> QString {
                return QStringLiteral("eventId %1 is not wev_ followed by 27 letters or digits")
                    .arg(quoted(m_event.eventId));
            });

        m_event.timestamp = time(envelope[Timestamp], QStringLiteral("timestamp"));
        string(type, QStringLiteral("eventType"), nullptr);
        if (isKind(type, JsonKind::String) && m_event.eventType == DbtEventType::Unknown)
            add(DbtFindingCode::UnknownEventType, QStringLiteral("eventType"), [&]() -> QString {
                return QStringLiteral("unknown eventType %1 (dbt sends job.run.started, job.run.completed and "
                                      "job.run.errored)")
                    .arg(quoted(m_event.eventTypeName));
            });
        string(envelope[WebhookName], QStringLiteral("webhookName"), kept(m_event.webhookName));
    }

    void checkData(const DataMembers &data)
    {
        id(data[JobId], QStringLiteral("data.jobId"), Presence::Required, kept(m_event.jobId));
        string(data[JobName], QStringLiteral("data.jobName"), kept(m_event.jobName));
        id(data[RunId], QStringLiteral("data.runId"), Presence::Required, &m_event.runId);
        id(data[EnvironmentId], QStringLiteral("data.environmentId"), Presence::Required, kept(m_event.environmentId));
        string(data[EnvironmentName], QStringLiteral("data.environmentName"), kept(m_event.environmentName));
        string(data[DbtVersion], QStringLiteral("data.dbtVersion"), kept(m_event.dbtVersion));
        string(data[ProjectName], QStringLiteral("data.projectName"), kept(m_event.projectName));
        id(data[ProjectId], QStringLiteral("data.projectId"), Presence::Legacy, kept(m_event.projectId));
        // Kept in both details: the status rules below read it from the event.
        string(data[RunStatus], QStringLiteral("data.runStatus"), &m_event.runStatusName);
        m_event.runStatusCode = integer(data[RunStatusCode], QStringLiteral("data.runStatusCode"), Presence::Legacy);
        string(data[RunStatusMessage], QStringLiteral("data.runStatusMessage"), kept(m_event.runStatusMessage));
        string(data[RunReason], QStringLiteral("data.runReason"), kept(m_event.runReason));
        checkStatus(isKind(data[RunStatus], JsonKind::String));

        m_event.runStartedAt = time(data[RunStartedAt], QStringLiteral("data.runStartedAt"));
        const DbtEventType type = m_event.eventType;
        m_event.runFinishedAt = time(data[RunFinishedAt], QStringLiteral("data.runFinishedAt"),
            presenceOn(DbtEventType::RunCompleted, type), QStringLiteral(" (job.run.completed carries it)"));
        m_event.runErroredAt = time(data[RunErroredAt], QStringLiteral("data.runErroredAt"),
            presenceOn(DbtEventType::RunErrored, type), QStringLiteral(" (job.run.errored carries it)"));
        if (m_event.runStartedAt.isValid() && m_event.runFinishedAt.isValid()
            && m_event.runFinishedAt < m_event.runStartedAt)
            add(DbtFindingCode::FinishedBeforeStart, QStringLiteral("data.runFinishedAt"), [&]() -> QString {
                return QStringLiteral("data.runFinishedAt %1 is before data.runStartedAt %2")
                    .arg(m_event.runFinishedAt.text(), m_event.runStartedAt.text());
            });
        if (m_event.runStartedAt.isValid() && m_event.runErroredAt.isValid()
            && m_event.runErroredAt < m_event.runStartedAt)
            add(DbtFindingCode::ErroredBeforeStart, QStringLiteral("data.runErroredAt"), [&]() -> QString {
                return QStringLiteral("data.runErroredAt %1 is before data.runStartedAt %2")
                    .arg(m_event.runErroredAt.text(), m_event.runStartedAt.text());
            });

        reportUnknownKeys(data, QStringLiteral("data."));
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
            add(DbtFindingCode::UnknownRunStatus, QStringLiteral("data.runStatus"), [&]() -> QString {
                const QString hint = m_event.runStatusName == u"Error"
                    ? QStringLiteral(" (the webhook says Errored; Error is the Admin API's word)")
                    : QStringLiteral(" (expected Running, Success or Errored)");
                return QStringLiteral("unknown data.runStatus %1").arg(quoted(m_event.runStatusName)) + hint;
            });
        }
        DbtRunStatus coded = DbtRunStatus::Unknown;
        if (m_event.runStatusCode) {
            coded = dbtRunStatusFromCode(*m_event.runStatusCode);
            if (coded == DbtRunStatus::Unknown)
                add(DbtFindingCode::UnknownRunStatusCode, QStringLiteral("data.runStatusCode"), [&]() -> QString {
                    return QStringLiteral("unknown data.runStatusCode %1 (dbt uses 1, 2, 3, 10, 20, 30)")
                        .arg(*m_event.runStatusCode);
                });
        }
        if (named != DbtRunStatus::Unknown && coded != DbtRunStatus::Unknown && named != coded)
            add(DbtFindingCode::StatusMismatch, QStringLiteral("data.runStatus"), [&]() -> QString {
                return QStringLiteral("data.runStatus %1 does not match data.runStatusCode %2 (%3)")
                    .arg(quoted(m_event.runStatusName))
                    .arg(*m_event.runStatusCode)
                    .arg(dbtRunStatusName(coded));
            });

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
            add(DbtFindingCode::EventStatusMismatch, QStringLiteral("data.runStatus"), [&]() -> QString {
                return QStringLiteral("%1 with data.runStatus %2").arg(m_event.eventTypeName, dbtRunStatusName(status));
            });
    }

    template <std::size_t N> void reportUnknownKeys(const Members<N> &members, const QString &prefix)
    {
        for (const JsonNode *member : members.duplicates()) {
            const QString path = m_full ? prefix + member->keyText() : QString();
            add(DbtFindingCode::DuplicateKey, path, [&]() -> QString {
                return QStringLiteral(
                    "%1 appears more than once; receivers disagree on which one counts (the last, here)")
                    .arg(quoted(path));
            });
        }
        for (const JsonNode *member : members.unknown()) {
            const QString path = m_full ? prefix + member->keyText() : QString();
            add(DbtFindingCode::UnknownField, path, [&]() -> QString {
                return QStringLiteral("unknown field %1 (accepted: dbt may add fields)").arg(quoted(path));
            });
        }
    }

    DbtPayloadCheck &m_result;
    DbtEvent &m_event;
    const bool m_full; // every field and message, not only what the summary keeps
    JsonTextBuffer m_scratch; // text of values read but not kept
};

// Other providers' JSON may say "eventType" too; dbt's also carries one of these.
bool looksLikeDbtEvent(const Envelope &envelope)
{
    const JsonNode *type = envelope[EventType];
    if (!type)
        return false;
    if (type->isString() && type->bytes.startsWith("\"job.run."))
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
    case DbtFindingCode::DuplicateKey:
        return QStringLiteral("duplicate-key");
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
    case DbtFindingCode::DuplicateKey:
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
    for (int code = int(DbtFindingCode::InvalidJson); code <= int(DbtFindingCode::DuplicateKey); ++code)
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

DbtPayloadCheck checkDbtPayload(const QByteArray &body, DbtCheckDetail detail)
{
    DbtPayloadCheck result;
    const JsonParseResult json = JsonReader::parse(body);
    if (!json.ok) {
        result.outcome = DbtPayloadCheck::Outcome::InvalidJson;
        result.jsonErrorOffset = json.errorOffset;
        result.jsonError = json.error;
        result.findings.append({DbtFindingCode::InvalidJson, QString(),
            detail == DbtCheckDetail::Full
                ? QStringLiteral("invalid JSON at byte %1: %2").arg(json.errorOffset).arg(json.error)
                : QString()});
        return result;
    }
    if (json.root.kind != JsonKind::Object) {
        result.outcome = DbtPayloadCheck::Outcome::NotDbtEvent;
        return result;
    }
    const Envelope envelope(json.root, envelopeKeys);
    if (!looksLikeDbtEvent(envelope)) {
        result.outcome = DbtPayloadCheck::Outcome::NotDbtEvent;
        return result;
    }
    result.outcome = DbtPayloadCheck::Outcome::Event;
    Checker(result, detail).run(envelope);
    return result;
}

} // namespace hookbench
