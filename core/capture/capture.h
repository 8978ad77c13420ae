#pragma once

#include "httpheaders.h"
#include "verdict.h"

#include <QByteArray>
#include <QString>

namespace hookbench {

// One request as a listener received it, byte-exact, with the listener's verdict on its
// signature and what the listener answered. A plain value shared by the listener, the store,
// the UI and the command line.
struct Capture
{
    qint64 id = 0; // assigned by the store; 0 until committed
    qint64 sessionId = 0; // the store's session the capture belongs to
    qint64 receivedAtUs = 0; // arrival time, microseconds since the Unix epoch (UTC)

    QByteArray method; // as received, including custom verbs
    QByteArray target; // request target as received: path and query
    HeaderList headers; // received order, original case, duplicates kept
    QByteArray body; // raw bytes (de-chunked, never decoded)

    QString remoteAddress;
    quint16 remotePort = 0;
    bool tls = false;
    QString listener; // which listener got it, e.g. "127.0.0.1:5000"

    QString scheme; // the verification scheme applied ("" when none)
    Verdict verdict = Verdict::NoSecret;
    QString verdictReason; // one sentence; never contains a secret

    int responseStatus = 0; // what the listener answered (0: closed without answering)

    // Set when the body is a dbt Cloud event (filled by core/dbt before the capture is stored),
    // so that lists can show and filter on them without parsing bodies.
    QString dbtEventType; // e.g. "job.run.completed"; empty when the body is not a dbt event
    QString dbtEventId; // "wev_…"
    QString dbtRunId;
    QString dbtCheck; // payload check summary: "ok", "notes", "warnings", "errors"; empty when not a dbt event

    qint64 bodySize() const { return body.size(); }
};

} // namespace hookbench
