#pragma once

#include <QDateTime>
#include <QString>

#include <compare>
#include <optional>

namespace hookbench {

// The three events dbt Cloud sends. There is no cancelled event: a cancelled run arrives as
// job.run.completed with runStatus "Cancelled".
enum class DbtEventType {
    Unknown, // an eventType this version of Hookbench does not know
    RunStarted, // "job.run.started"
    RunCompleted, // "job.run.completed": finished, successfully or not (after artifacts are ingested)
    RunErrored, // "job.run.errored": sent as soon as a run errors, before its completed event
};

QString dbtEventTypeName(DbtEventType type); // "job.run.started", …; "" for Unknown
DbtEventType dbtEventTypeFromName(QStringView name); // Unknown for anything else

// A run's status as dbt Cloud numbers it (runStatusCode). The webhook's runStatus string says
// "Errored" where the Admin API says "Error".
enum class DbtRunStatus {
    Unknown = 0,
    Queued = 1,
    Starting = 2,
    Running = 3,
    Success = 10,
    Errored = 20,
    Cancelled = 30,
};

// The runStatus string a webhook carries for a status: "Running", "Success", "Errored", …
QString dbtRunStatusName(DbtRunStatus status);
// A run's duration for people: "42 s", "1 min 25 s", "2 h 5 min", "1 d 3 h"; "—" when negative.
QString dbtDurationText(qint64 ms);
DbtRunStatus dbtRunStatusFromName(QStringView name); // Unknown for anything else (including "Error")
DbtRunStatus dbtRunStatusFromCode(qint64 code); // Unknown for codes dbt does not define

// An RFC 3339 time as a dbt payload carries it: the text exactly as received plus its value.
// QDateTime keeps milliseconds only, so the full fraction is kept as nanoseconds beside it and
// ordering compares both (two events in the same millisecond still sort correctly).
class DbtTime
{
public:
    DbtTime() = default;

    // Parses "2023-01-31T19:28:15.742843678Z": a date, 'T', a time, 0 to 9 fractional digits,
    // then 'Z' or a ±hh:mm offset (converted to UTC). Anything else gives an invalid DbtTime that
    // still holds the text.
    static DbtTime parse(const QString &text);
    // The same reading without keeping the text (text() is empty): for checks that compare times
    // and don't show them.
    static DbtTime parseValue(QStringView text);
    // The UTC time `secondsSinceEpoch` + `nanosecond` ns, written the way dbt writes it:
    // nine fractional digits, or none (second precision, like runStartedAt) when `fractionDigits`
    // is 0.
    static DbtTime fromUnix(qint64 secondsSinceEpoch, int nanosecond = 0, int fractionDigits = 9);

    bool isNull() const { return !m_present; } // absent from the payload
    bool isValid() const { return m_valid; }
    const QString &text() const { return m_text; }
    QDateTime utc() const; // millisecond precision, Qt::UTC; invalid when !isValid()
    qint64 secondsSinceEpoch() const { return m_seconds; }
    int nanosecond() const { return m_nanosecond; } // 0 … 999,999,999 within the second
    qint64 msecsSinceEpoch() const { return m_seconds * 1000 + m_nanosecond / 1000000; }

    DbtTime addSecs(qint64 seconds) const;
    // Nanoseconds from this time to `later` (negative when `later` is earlier). Both must be valid.
    qint64 nanosecondsTo(const DbtTime &later) const;

    // Orders by value (invalid times first), not by text.
    friend std::strong_ordering operator<=>(const DbtTime &a, const DbtTime &b);
    friend bool operator==(const DbtTime &a, const DbtTime &b) { return (a <=> b) == 0; }

private:
    QString m_text;
    qint64 m_seconds = 0;
    int m_nanosecond = 0;
    bool m_present = false;
    bool m_valid = false;
};

// True for "wev_" followed by exactly 27 ASCII letters or digits (dbt's event ids are KSUIDs).
bool isWellFormedDbtEventId(QStringView eventId);

// One dbt Cloud webhook event, as parsed from a body (fields absent from the body are null /
// empty) or as built by the sample generator (and then written by writeDbtEvent()).
struct DbtEvent
{
    // Envelope
    std::optional<qint64> accountId;
    QString webhookId; // "wsu_…"; null when absent
    bool webhookIdOldSpelling = false; // the body said "webhooksID" (dbt's docs 2023-2025), not "webhookId"
    QString eventId; // "wev_…"
    DbtTime timestamp; // when dbt emitted the event, nanosecond precision
    QString eventTypeName; // as received
    DbtEventType eventType = DbtEventType::Unknown;
    QString webhookName;

    // data
    QString jobId;
    QString jobName;
    QString runId;
    QString environmentId;
    QString environmentName;
    QString dbtVersion; // "1.0.0", "" or e.g. "2025.9.30+21d3fd7" on versionless accounts
    QString projectName;
    QString projectId; // null in early-2023 payloads
    QString runStatusName; // runStatus as received: "Running", "Success", "Errored"
    std::optional<qint64> runStatusCode; // absent in early-2023 payloads
    QString runStatusMessage; // often the literal "None"
    QString runReason;
    DbtTime runStartedAt; // second precision
    DbtTime runFinishedAt; // job.run.completed only
    DbtTime runErroredAt; // job.run.errored only

    // The status, from runStatus when dbt's words are used there, else from runStatusCode.
    DbtRunStatus runStatus() const;
    // When the run ended: runFinishedAt, else runErroredAt (null when neither).
    DbtTime runEndedAt() const;
};

} // namespace hookbench
