#include "verdictdiagnoser.h"

#include <QThread>

#include <algorithm>

namespace hookbench {

VerdictDiagnoser::VerdictDiagnoser(DiagnosisConfig config, QObject *parent) : QObject(parent), m_config(config)
{
    const int threads = m_config.threads > 0 ? m_config.threads : std::clamp(QThread::idealThreadCount() / 2, 1, 4);
    m_config.maxPending = std::max(1, m_config.maxPending);
    m_pool.setMaxThreadCount(threads);
    m_pool.setObjectName(QStringLiteral("hookbench diagnosis"));
}

VerdictDiagnoser::~VerdictDiagnoser()
{
    // Results are posted to this object; once every task is done nothing can post any more, and
    // QObject's destructor discards what was posted.
    m_pool.clear();
    m_pool.waitForDone();
}

bool VerdictDiagnoser::wanted(const VerificationProfile &profile, const VerificationResult &result)
{
    return profile.hasScheme() && profile.secretCount() > 0
        && (result.verdict == Verdict::Invalid || result.verdict == Verdict::Unsigned);
}

bool VerdictDiagnoser::diagnose(const VerificationProfile &profile, const VerificationResult &result,
    const HeaderList &headers, const QByteArray &body, qint64 nowSeconds, Done done)
{
    if (m_pending >= m_config.maxPending)
        return false;
    ++m_pending;
    // Copies share their data (Qt's implicit sharing is thread-safe); nothing here is written to
    // while the task runs.
    m_pool.start([this, profile, result, headers, body, nowSeconds, done = std::move(done)]() mutable {
        QList<DiagnosisFinding> findings = profile.diagnose(result, headers, body, nowSeconds);
        QMetaObject::invokeMethod(
            this,
            [this, findings = std::move(findings), done = std::move(done)] {
                --m_pending;
                done(findings);
            },
            Qt::QueuedConnection);
    });
    return true;
}

QString reasonWithDiagnosis(const QString &reason, const QList<DiagnosisFinding> &findings)
{
    if (findings.isEmpty())
        return reason;
    const DiagnosisFinding &top = findings.first();
    QString text = reason;
    if (!text.isEmpty() && !text.endsWith(u' '))
        text += u' ';
    return text + QStringLiteral("Most likely: %1: %2").arg(findingCodeName(top.code), top.message);
}

QString reasonWithoutDiagnosis(const QString &reason)
{
    QString text = reason;
    if (!text.isEmpty() && !text.endsWith(u' '))
        text += u' ';
    return text + QStringLiteral("(Not diagnosed: the listener was busy.)");
}

} // namespace hookbench
