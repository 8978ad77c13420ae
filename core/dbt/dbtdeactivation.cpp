#include "dbtdeactivation.h"

#include <algorithm>

namespace hookbench {

bool dbtDeliveryFailed(int status, qint64 answeredAfterMs)
{
    if (status < 200 || status > 299)
        return true;
    return answeredAfterMs > dbtDeliveryTimeoutMs;
}

QString DbtDeactivation::explanation() const
{
    if (deactivated) {
        QString text = QStringLiteral("dbt Cloud would have deactivated this webhook at delivery %1 (%2 failed "
                                      "deliveries in a row)")
                           .arg(deactivatedAt + 1)
                           .arg(dbtFailuresBeforeDeactivation);
        if (deactivations > 1)
            text += QStringLiteral(", and %1 more time(s) after it was turned back on").arg(deactivations - 1);
        return text;
    }
    if (trailingFailures > 0)
        return QStringLiteral("the last %1 deliveries failed; dbt Cloud deactivates the webhook after %2 in a row")
            .arg(trailingFailures)
            .arg(dbtFailuresBeforeDeactivation);
    return {};
}

DbtDeactivation dbtDeactivation(const QList<int> &statuses)
{
    DbtDeactivation result;
    int streak = 0;
    for (qsizetype i = 0; i < statuses.size(); ++i) {
        if (!dbtDeliveryFailed(statuses.at(i))) {
            streak = 0;
            continue;
        }
        ++streak;
        result.longestFailureStreak = std::max(result.longestFailureStreak, streak);
        // A deactivated webhook sends nothing until turned back on; deliveries after that
        // start a new count.
        if (streak % dbtFailuresBeforeDeactivation == 0) {
            if (!result.deactivated)
                result.deactivatedAt = int(i);
            result.deactivated = true;
            ++result.deactivations;
        }
    }
    result.trailingFailures = streak;
    return result;
}

} // namespace hookbench
