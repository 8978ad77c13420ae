#pragma once

#include "dbtevent.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace hookbench {

enum class DbtSeverity {
    Note, // worth knowing, harmless to a receiver (an extra field)
    Warning, // a receiver may trip on it, or dbt's older payloads look like this
    Error, // a receiver following dbt's documentation would fail or misread it
};

QString dbtSeverityName(DbtSeverity severity); // "note", "warning", "error"

// What the payload check can find. Each has a stable name (dbtFindingCodeName) used by
// filters, the store and --json output: never rename one, add new ones instead.
enum class DbtFindingCode {
    InvalidJson, // "invalid-json": not strict RFC 8259 JSON (the message gives the byte offset)
    MissingField, // "missing-field": a field every event of that type carries is absent
    WrongType, // "wrong-type": a field has the wrong JSON type (or null, or a non-integer number)
    UnknownEventType, // "unknown-event-type"
    BadTimestamp, // "bad-timestamp": not an RFC 3339 time with at most 9 fractional digits
    BadEventId, // "bad-event-id": eventId is not "wev_" + 27 letters or digits
    StatusMismatch, // "status-mismatch": runStatus and runStatusCode disagree
    FinishedBeforeStart, // "finished-before-start": runFinishedAt earlier than runStartedAt
    ErroredBeforeStart, // "errored-before-start": runErroredAt earlier than runStartedAt
    OldWebhookIdSpelling, // "old-webhook-id-spelling": webhooksID (dbt's docs 2023-2025) instead of webhookId
    MissingOptionalField, // "missing-optional-field": webhookId/projectId/runStatusCode absent, as in early-2023
                          // payloads
    UnknownRunStatus, // "unknown-run-status": a runStatus dbt's webhooks don't send (e.g. the Admin API's "Error")
    UnknownRunStatusCode, // "unknown-run-status-code"
    EventStatusMismatch, // "event-status-mismatch": e.g. job.run.started with runStatus Success
    NonNumericId, // "non-numeric-id": dbt's ids are strings of digits
    UnknownField, // "unknown-field": a key dbt doesn't document (accepted: dbt may add fields)
    UnexpectedField, // "unexpected-field": a known key on an event type that doesn't carry it
    DuplicateKey, // "duplicate-key": a key given twice in one object (receivers disagree on which counts)
};

QString dbtFindingCodeName(DbtFindingCode code);
DbtSeverity dbtFindingSeverity(DbtFindingCode code); // each code has one fixed severity
QList<DbtFindingCode> allDbtFindingCodes();

// One problem (or remark) about a payload.
struct DbtFinding
{
    DbtFindingCode code = DbtFindingCode::InvalidJson;
    QString field; // JSON path of the field concerned, e.g. "data.runId"; empty for the whole body
    QString message; // one line for people, naming the field and the offending value (shortened)

    DbtSeverity severity() const { return dbtFindingSeverity(code); }
    QString codeName() const { return dbtFindingCodeName(code); }
};

// The result of reading a body as a dbt Cloud event: what it is, the parsed event and the findings.
struct DbtPayloadCheck
{
    enum class Outcome {
        Event, // a JSON object that is a dbt event (perhaps a faulty one: see findings)
        InvalidJson, // not JSON at all: jsonErrorOffset says where it breaks
        NotDbtEvent, // valid JSON, but not a dbt event (an array, or an object of another provider)
    };

    Outcome outcome = Outcome::NotDbtEvent;
    DbtEvent event; // the fields that could be read, when outcome == Event
    QList<DbtFinding> findings; // in field order; for InvalidJson, the one invalid-json finding
    qint64 jsonErrorOffset = -1; // byte offset of the JSON error
    QString jsonError; // what is wrong there, e.g. "control character in a string (it must be escaped)"

    bool isDbtEvent() const { return outcome == Outcome::Event; }
    std::optional<DbtSeverity> worstSeverity() const;
    // "ok" (no findings), "notes", "warnings" or "errors" for a dbt event; "" otherwise.
    QString summary() const;
    bool has(DbtFindingCode code) const;
};

// How much checkDbtPayload() materialises. Both details run the same rules and give the same
// outcome, the same finding codes in the same order, so the same summary().
enum class DbtCheckDetail {
    Full, // the whole event, every finding's field and message
    // What summarizeDbtEvent() keeps, for the listener's per-request path: findings carry their code
    // only (empty field and message); of the event, eventTypeName, eventId and runId are filled
    // (the others may be partly filled: don't read them). jsonErrorOffset and jsonError are set.
    Summary,
};

// Reads and checks `body` (never modifies or re-encodes it) with a strict JSON reader (see
// JsonReader: a body Python's json module would refuse is invalid here too). A JSON object counts as a dbt event
// when it has an "eventType" key and either that type starts with "job.run." or one of
// accountId, eventId, webhookId, webhooksID is present, so other providers' JSON (including
// Azure Event Grid's, which also says eventType) is "not a dbt event" rather than a faulty one.
DbtPayloadCheck checkDbtPayload(const QByteArray &body, DbtCheckDetail detail = DbtCheckDetail::Full);

} // namespace hookbench
