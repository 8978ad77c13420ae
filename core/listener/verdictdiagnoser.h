#pragma once

#include "listenerconfig.h"
#include "verificationprofile.h"

#include "diagnosis/diagnosisfinding.h"

#include <QList>
#include <QObject>
#include <QThreadPool>

#include <functional>

namespace hookbench {

// Runs the listener's diagnosis of invalid and unsigned captures on a small pool of its own, so
// that tens of milliseconds per large body never stall the listener's thread, with a cap on
// diagnoses pending at once so that a flood of bad requests can't queue unbounded work.
class VerdictDiagnoser : public QObject
{
    Q_OBJECT

public:
    using Done = std::function<void(const QList<DiagnosisFinding> &findings)>;

    explicit VerdictDiagnoser(DiagnosisConfig config = {}, QObject *parent = nullptr);
    // Waits for the diagnoses running; their results are dropped.
    ~VerdictDiagnoser() override;

    // Whether a capture with this verification result gets a diagnosis at all: invalid or
    // unsigned under a profile with a scheme and secrets. Valid captures cost nothing.
    static bool wanted(const VerificationProfile &profile, const VerificationResult &result);

    // Starts diagnosing on the pool; `done` runs later on this object's thread (never inside
    // diagnose()). False, and nothing runs, when maxPending diagnoses are already pending.
    bool diagnose(const VerificationProfile &profile, const VerificationResult &result, const HeaderList &headers,
        const QByteArray &body, qint64 nowSeconds, Done done);

    int pending() const { return m_pending; }
    int threads() const { return m_pool.maxThreadCount(); }
    int maxPending() const { return m_config.maxPending; }

private:
    DiagnosisConfig m_config;
    QThreadPool m_pool;
    int m_pending = 0;
};

// The verdict reason a capture is stored with: the check's reason, then the top finding
// ("… Most likely: prefix-mismatch: …"), or a note that the diagnosis was skipped.
QString reasonWithDiagnosis(const QString &reason, const QList<DiagnosisFinding> &findings);
QString reasonWithoutDiagnosis(const QString &reason);

} // namespace hookbench
