#include "dbteventwriter.h"

#include "compactjsonwriter.h"

namespace hookbench {

QByteArray writeDbtEvent(const DbtEvent &event)
{
    CompactJsonWriter json;
    auto string = [&json](QStringView key, const QString &value) {
        json.key(key);
        json.string(value);
    };

    json.beginObject();
    json.key(u"accountId");
    json.integer(event.accountId.value_or(0));
    if (!event.webhookId.isNull())
        string(event.webhookIdOldSpelling ? u"webhooksID" : u"webhookId", event.webhookId);
    string(u"eventId", event.eventId);
    string(u"timestamp", event.timestamp.text());
    string(u"eventType", event.eventTypeName.isEmpty() ? dbtEventTypeName(event.eventType) : event.eventTypeName);
    string(u"webhookName", event.webhookName);

    json.key(u"data");
    json.beginObject();
    string(u"jobId", event.jobId);
    string(u"jobName", event.jobName);
    string(u"runId", event.runId);
    string(u"environmentId", event.environmentId);
    string(u"environmentName", event.environmentName);
    string(u"dbtVersion", event.dbtVersion);
    string(u"projectName", event.projectName);
    if (!event.projectId.isNull())
        string(u"projectId", event.projectId);
    string(u"runStatus", event.runStatusName);
    if (event.runStatusCode) {
        json.key(u"runStatusCode");
        json.integer(*event.runStatusCode);
    }
    string(u"runStatusMessage", event.runStatusMessage);
    string(u"runReason", event.runReason);
    string(u"runStartedAt", event.runStartedAt.text());
    if (!event.runFinishedAt.isNull())
        string(u"runFinishedAt", event.runFinishedAt.text());
    if (!event.runErroredAt.isNull())
        string(u"runErroredAt", event.runErroredAt.text());
    json.endObject();
    json.endObject();
    return json.bytes();
}

} // namespace hookbench
