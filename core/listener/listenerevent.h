#pragma once

#include "capture/capture.h"
#include "diagnosis/diagnosisfinding.h"
#include "signing/signaturescheme.h"

#include <QByteArray>
#include <QMetaType>
#include <QString>

namespace hookbench {

// One request the listener captured: what it stored (or failed to), the full verification
// result (received and expected signature, for display) and how it answered.
struct ListenerEvent
{
    Capture capture; // capture.id is 0 when storing failed
    VerificationResult verification;
    QString storeError; // non-empty when the capture could not be stored (answered 503)
    int answeredStatus = 0; // 0: the connection was closed without an answer (fault mode)
    QString fault; // the fault mode that chose the answer, if any
    // Invalid or unsigned captures: why, best first (the first is in capture.verdictReason).
    QList<DiagnosisFinding> diagnosis;
    bool diagnosisSkipped = false; // too many diagnoses were pending: the reason is the plain one
};

// A request the listener refused before capturing it (too large, malformed, too slow, ...).
struct RejectedRequest
{
    qint64 atUs = 0; // microseconds since the Unix epoch
    QString remoteAddress;
    quint16 remotePort = 0;
    QByteArray method; // empty when the request line never arrived complete
    QByteArray target;
    int status = 0;
    QString reason;
};

} // namespace hookbench

Q_DECLARE_METATYPE(hookbench::ListenerEvent)
Q_DECLARE_METATYPE(hookbench::RejectedRequest)
