#include "responsepolicy.h"

#include "signing/hmac.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace hookbench {

ResponsePolicy::ResponsePolicy(ResponseConfig response, FaultConfig faults)
    : m_response(std::move(response))
    , m_faults(std::move(faults))
    , m_random(m_faults.seed ? *m_faults.seed : QRandomGenerator::system()->generate())
{ }

ResponseDecision ResponsePolicy::decide(const QByteArray &body)
{
    ResponseDecision decision;
    decision.delayMs = m_response.delayMs;
    decision.response.status = m_response.status;
    decision.response.headers = m_response.headers;
    decision.response.body = m_response.body;

    if (m_faults.closeWithoutAnswer) {
        decision.closeWithoutAnswer = true;
        decision.fault = QStringLiteral("close without answering");
        return decision;
    }
    if (m_faults.failFirst > 0) {
        if (m_deliveries.size() >= maxTrackedBodies)
            m_deliveries.clear();
        const int delivery = ++m_deliveries[sha256(body)];
        if (delivery <= m_faults.failFirst) {
            decision.fault
                = QStringLiteral("delivery %1 of this body; the first %2 fail").arg(delivery).arg(m_faults.failFirst);
            decision.response = failure(decision.fault);
            return decision;
        }
    }
    if (m_faults.failPercent > 0 && int(m_random.bounded(100)) < m_faults.failPercent) {
        decision.fault = QStringLiteral("%1% of requests fail").arg(m_faults.failPercent);
        decision.response = failure(decision.fault);
    }
    return decision;
}

HttpResponse ResponsePolicy::failure(const QString &fault) const
{
    HttpResponse response;
    response.status = m_faults.failStatus;
    response.headers = {{QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")}};
    QJsonObject object;
    object.insert(QStringLiteral("status"), QStringLiteral("failed"));
    object.insert(QStringLiteral("fault"), QStringLiteral("hookbench fault mode: %1").arg(fault));
    response.body = QJsonDocument(object).toJson(QJsonDocument::Compact);
    return response;
}

} // namespace hookbench
