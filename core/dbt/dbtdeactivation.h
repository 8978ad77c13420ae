#pragma once

#include <QList>
#include <QString>

namespace hookbench {

// dbt Cloud's delivery rules: a delivery fails unless the endpoint answers 2xx within
// 10 seconds; each event is retried up to 5 times; after 5 consecutive failed deliveries the
// webhook is deactivated until someone turns it back on in dbt Cloud.
inline constexpr int dbtDeliveryTimeoutMs = 10000;
inline constexpr int dbtMaxRetries = 5;
inline constexpr int dbtFailuresBeforeDeactivation = 5;

// Whether dbt counts one answer as a failed delivery. `status` 0 means no answer;
// `answeredAfterMs` (when known, else -1) over the timeout fails even a 2xx.
bool dbtDeliveryFailed(int status, qint64 answeredAfterMs = -1);

// What dbt would have done to the webhook given the listener's answers.
struct DbtDeactivation
{
    bool deactivated = false;
    int deactivatedAt = -1; // index of the answer that made 5 failures in a row (the first time)
    int deactivations = 0; // how many times a streak reached 5 (each one after a re-activation)
    int longestFailureStreak = 0;
    int trailingFailures = 0; // failures in a row at the end: how close the webhook is now

    // One line for people, e.g. "dbt Cloud would have deactivated this webhook at delivery 7
    // (5 failed deliveries in a row)"; empty when nothing would have happened.
    QString explanation() const;
};

// `statuses`: the status the listener answered each dbt delivery with, in arrival order, for
// one webhook endpoint (0 for no answer; map too-late answers to 0 with dbtDeliveryFailed()).
DbtDeactivation dbtDeactivation(const QList<int> &statuses);

} // namespace hookbench
