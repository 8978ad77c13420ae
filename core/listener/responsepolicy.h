#pragma once

#include "httpresponse.h"
#include "listenerconfig.h"

#include <QByteArray>
#include <QHash>
#include <QRandomGenerator>
#include <QString>

namespace hookbench {

// How the listener answers one captured request.
struct ResponseDecision
{
    HttpResponse response;
    int delayMs = 0;
    bool closeWithoutAnswer = false;
    QString fault; // why this answer is a deliberate failure; empty for the normal answer
};

// Decides each answer from the configured response and fault modes. Keeps the per-body
// delivery counts that "fail the first N deliveries of each distinct body" needs (at most
// maxTrackedBodies digests; beyond that the counts start again).
class ResponsePolicy
{
public:
    static constexpr int maxTrackedBodies = 100000;

    explicit ResponsePolicy(ResponseConfig response = {}, FaultConfig faults = {});

    ResponseDecision decide(const QByteArray &body);

    const ResponseConfig &response() const { return m_response; }
    const FaultConfig &faults() const { return m_faults; }

private:
    HttpResponse failure(const QString &fault) const;

    ResponseConfig m_response;
    FaultConfig m_faults;
    QHash<QByteArray, int> m_deliveries; // SHA-256 of a body -> deliveries seen
    QRandomGenerator m_random;
};

} // namespace hookbench
