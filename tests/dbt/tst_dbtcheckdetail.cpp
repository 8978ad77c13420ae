// The listener summarizes every request with the payload check's summary detail
// (DbtCheckDetail::Summary), which skips messages and most of the event. These tests run both
// details over thousands of bodies — dbt's documented samples, the sample generator's events and
// systematic mutations of them — and require the same outcome, the same finding codes in the same
// order, the same check level and the same summary fields.

#include "documentedsamples.h"

#include "dbt/dbtpayloadcheck.h"
#include "dbt/dbtsamplegenerator.h"
#include "dbt/dbtsummary.h"
#include "dbt/jsonreader.h"

#include <QDate>
#include <QDateTime>
#include <QSet>
#include <QTest>
#include <QTime>

using namespace hookbench;
using namespace hookbench::testing;

namespace {

// A member of an object in a body: where its key starts and its value ends.
struct MemberSpan
{
    qsizetype begin = 0; // the key's opening quote
    qsizetype valueBegin = 0;
    qsizetype end = 0; // after the value
    QByteArray key; // as written
};

QList<MemberSpan> spans(const QByteArray &body, const JsonNode &object)
{
    QList<MemberSpan> members;
    for (const JsonNode &member : object.children) {
        const qsizetype valueBegin = member.bytes.data() - body.constData();
        members.append({member.keyOffset, valueBegin, valueBegin + member.bytes.size(), member.key.toByteArray()});
    }
    return members;
}

// Values that break, bend or keep each rule: wrong types, bad and good ids, times, statuses,
// event types, escapes, non-ASCII text, lone surrogates, overlong values.
QList<QByteArray> replacementValues()
{
    QList<QByteArray> values = {
        "null",
        "true",
        "false",
        "0",
        "-1",
        "1.5",
        "1e999",
        "10",
        "20",
        "3",
        "99",
        "12345678901234567890",
        "[]",
        "{}",
        "[1,{\"a\":2}]",
        "{\"jobId\":\"1\"}",
        "\"\"",
        "\"abc\"",
        "\"123\"",
        "\"12a\"",
        "\"\\u0031\\u0032\\u0033\"",
        "\"caf\xc3\xa9\"",
        "\"caf\\u00e9 \\\"quoted\\\" \\\\ \\/ \\b\\f\\n\\r\\t\"",
        "\"\\ud800\"",
        "\"\\ud83d\\ude00\"",
        "\"\xf0\x9f\x98\x80\"",
        "\"wev_2L6Z3l8uPedXKPq9D2nWbPIip7Z\"",
        "\"wev_2L6Z3l8uPedXKPq9D2nWbPIip7\"",
        "\"wev_2L6Z3l8uPedXKPq9D2nWbPIip7-\"",
        "\"wev_\\u0032L6Z3l8uPedXKPq9D2nWbPIip7Z\"",
        "\"2023-01-31T19:28:15Z\"",
        "\"2023-01-31T19:28:15.742843678Z\"",
        "\"2023-01-31t19:28:15.1z\"",
        "\"2023-01-31T19:28:15.1234567890Z\"",
        "\"2023-01-31T20:28:15+01:00\"",
        "\"2023-01-31T19:28:15-00:30\"",
        "\"2023-02-30T19:28:15Z\"",
        "\"2023-01-31T24:00:00Z\"",
        "\"2023-01-31T19:28:60Z\"",
        "\"2023-01-31 19:28:15Z\"",
        "\"2023-01-31T19:28:15\"",
        "\"2023-01-31T19:28:15.Z\"",
        "\"\\u0032023-01-31T19:28:15Z\"",
        "\"2000-01-01T00:00:00Z\"",
        "\"2099-12-31T23:59:59Z\"",
        "\"Running\"",
        "\"Success\"",
        "\"Errored\"",
        "\"Error\"",
        "\"Cancelled\"",
        "\"Queued\"",
        "\"Starting\"",
        "\"success\"",
        "\"job.run.started\"",
        "\"job.run.completed\"",
        "\"job.run.errored\"",
        "\"job.run.cancelled\"",
        "\"job.run.\\u0073tarted\"",
        "\"Microsoft.Storage.BlobCreated\"",
        "\"wsu_12345abcde\"",
    };
    values.append(QByteArray('"' + QByteArray(300, '7') + '"'));
    values.append(QByteArray("\"wev_" + QByteArray(300, 'a') + '"'));
    return values;
}

// The body with `span`'s member removed (and the comma that separated it).
QByteArray withoutMember(const QByteArray &body, const QList<MemberSpan> &members, qsizetype index)
{
    const MemberSpan &span = members.at(index);
    if (members.size() == 1)
        return QByteArray(body).remove(span.begin, span.end - span.begin);
    if (index + 1 < members.size())
        return QByteArray(body).remove(span.begin, members.at(index + 1).begin - span.begin);
    const qsizetype previousEnd = members.at(index - 1).end;
    return QByteArray(body).remove(previousEnd, span.end - previousEnd);
}

// `body` and many variants of it, each a candidate for both details.
QList<QByteArray> mutations(const QByteArray &body)
{
    QList<QByteArray> bodies = {body};
    const JsonParseResult json = JsonReader::parse(body);
    if (!json.ok || json.root.kind != JsonKind::Object)
        return bodies;
    const QList<QByteArray> values = replacementValues();
    QList<QList<MemberSpan>> objects = {spans(body, json.root)};
    for (const JsonNode &member : json.root.children) {
        if (member.kind == JsonKind::Object)
            objects.append(spans(body, member));
    }
    for (const QList<MemberSpan> &members : std::as_const(objects)) {
        for (qsizetype i = 0; i < members.size(); ++i) {
            const MemberSpan &span = members.at(i);
            bodies.append(withoutMember(body, members, i));
            for (const QByteArray &value : values)
                bodies.append(QByteArray(body).replace(span.valueBegin, span.end - span.valueBegin, value));
            const QByteArray member = body.mid(span.begin, span.end - span.begin);
            // Given twice, the second time first or last.
            bodies.append(QByteArray(body).insert(span.end, QByteArray(',' + member)));
            bodies.append(QByteArray(body).insert(span.begin, QByteArray(member + ',')));
            // Renamed: unknown, escaped (the same key to a strict reader), old spelling, other case.
            bodies.append(QByteArray(body).replace(span.begin + 1, span.key.size(), QByteArray("x_" + span.key)));
            if (!span.key.isEmpty()) {
                const QByteArray escaped
                    = "\\u00" + QByteArray::number(uchar(span.key.at(0)), 16).rightJustified(2, '0') + span.key.mid(1);
                bodies.append(QByteArray(body).replace(span.begin + 1, span.key.size(), escaped));
                bodies.append(QByteArray(body).replace(span.begin + 1, span.key.size(), span.key.toUpper()));
            }
            if (span.key == "webhookId") {
                bodies.append(QByteArray(body).replace(span.begin + 1, span.key.size(), "webhooksID"));
                bodies.append(QByteArray(body).insert(span.end, ",\"webhooksID\":\"wsu_1\""));
            }
            // An unknown member before this one.
            bodies.append(QByteArray(body).insert(span.begin, "\"extra\\u00e9\":[1,2,{\"x\":null}],"));
        }
    }
    // Whole-body variants: BOM, whitespace, cut at many places, trailing bytes, broken bytes.
    bodies.append(QByteArray("\xef\xbb\xbf" + body));
    bodies.append(QByteArray(" \r\n\t" + body + "\n "));
    bodies.append(QByteArray(body).replace(":", " : ").replace(",\"", " ,\n  \""));
    for (qsizetype cut = 1; cut < body.size(); cut += 5)
        bodies.append(body.left(cut));
    bodies.append(QByteArray(body + "x"));
    bodies.append(QByteArray(body + "{}"));
    bodies.append(QByteArray(body).replace(body.size() / 2, 1, "\xff"));
    bodies.append(QByteArray(body).replace(body.size() / 3, 1, QByteArray(1, '\0')));
    bodies.append(QByteArray('[' + body + ']'));
    return bodies;
}

QList<QByteArray> baseBodies()
{
    QList<QByteArray> bodies
        = {documentedStarted(), documentedCompleted(), documentedErrored(), realCompletedErrored2025()};
    DbtSampleSettings settings;
    settings.runId = QStringLiteral("987654321");
    const DbtSampleGenerator generator(settings);
    for (const DbtScenario scenario : {DbtScenario::Success, DbtScenario::Failure, DbtScenario::Retry}) {
        for (const DbtSampleDelivery &delivery : generator.scenario(scenario))
            bodies.append(delivery.body);
    }
    bodies.append(generator.event(DbtEventType::RunCompleted, DbtRunStatus::Cancelled).body);
    bodies.append(QByteArrayLiteral(
        R"({"id":"831e1650","eventType":"Microsoft.Storage.BlobCreated","subject":"/blobServices/default","data":{"api":"PutBlockList"}})"));
    return bodies;
}

QList<DbtFindingCode> codes(const DbtPayloadCheck &check)
{
    QList<DbtFindingCode> list;
    for (const DbtFinding &finding : check.findings)
        list.append(finding.code);
    return list;
}

QString codeNames(const DbtPayloadCheck &check)
{
    QStringList names;
    for (const DbtFinding &finding : check.findings)
        names.append(finding.codeName());
    return names.join(QLatin1Char(','));
}

// What summarizeDbtEvent() gave before it had a detail of its own: the full check's summary, for
// bodies that pass its cheap pre-filter.
DbtSummary summaryFromFullCheck(const QByteArray &body, const DbtPayloadCheck &full)
{
    qsizetype first = body.startsWith("\xef\xbb\xbf") ? 3 : 0;
    while (first < body.size() && QByteArrayView(" \t\r\n").contains(body.at(first)))
        ++first;
    if (body.size() > maxDbtSummaryBodySize || !body.mid(first).startsWith('{') || !body.contains("\"eventType\""))
        return {};
    return dbtSummaryOf(full);
}

// Empty when both details and the summary agree on `body`; else what differs.
QString disagreement(const QByteArray &body, const DbtPayloadCheck &full)
{
    const DbtPayloadCheck brief = checkDbtPayload(body, DbtCheckDetail::Summary);
    QStringList differences;
    if (brief.outcome != full.outcome)
        differences << QStringLiteral("outcome %1 vs %2").arg(int(brief.outcome)).arg(int(full.outcome));
    if (codes(brief) != codes(full))
        differences << QStringLiteral("findings [%1] vs [%2]").arg(codeNames(brief), codeNames(full));
    if (brief.summary() != full.summary())
        differences << QStringLiteral("level %1 vs %2").arg(brief.summary(), full.summary());
    if (brief.event.eventTypeName != full.event.eventTypeName || brief.event.eventId != full.event.eventId
        || brief.event.runId != full.event.runId)
        differences << QStringLiteral("type/id/run differ");
    if (brief.jsonErrorOffset != full.jsonErrorOffset || brief.jsonError != full.jsonError)
        differences << QStringLiteral("JSON error differs");
    for (const DbtFinding &finding : brief.findings) {
        if (!finding.field.isEmpty() || !finding.message.isEmpty()) {
            differences << QStringLiteral("the summary detail built a message");
            break;
        }
    }
    const DbtSummary summary = summarizeDbtEvent(body);
    const DbtSummary expected = summaryFromFullCheck(body, full);
    if (summary.eventType != expected.eventType || summary.eventId != expected.eventId
        || summary.runId != expected.runId || summary.check != expected.check)
        differences << QStringLiteral("summary (%1, %2, %3, %4) vs (%5, %6, %7, %8)")
                           .arg(summary.eventType, summary.eventId, summary.runId, summary.check, expected.eventType,
                               expected.eventId, expected.runId, expected.check);
    return differences.join(QStringLiteral("; "));
}

} // namespace

class TestDbtCheckDetail : public QObject
{
    Q_OBJECT

private slots:
    void summaryDetail_agreesWithFullCheck_onMutatedEvents()
    {
        QSet<int> seen; // finding codes
        QSet<QString> levels;
        int checked = 0;
        for (const QByteArray &base : baseBodies()) {
            for (const QByteArray &body : mutations(base)) {
                const DbtPayloadCheck full = checkDbtPayload(body);
                const QString difference = disagreement(body, full);
                QVERIFY2(difference.isEmpty(),
                    qPrintable(difference + QStringLiteral("\nbody: ")
                        + QString::fromUtf8(body.toPercentEncoding(" {}[]\":,._-+"))));
                for (const DbtFinding &finding : full.findings)
                    seen.insert(int(finding.code));
                levels.insert(summarizeDbtEvent(body).check);
                ++checked;
            }
        }
        // The mutations reach every rule and every level, or agreement would prove little.
        QVERIFY2(checked > 10000, qPrintable(QString::number(checked)));
        for (const DbtFindingCode code : allDbtFindingCodes())
            QVERIFY2(seen.contains(int(code)), qPrintable(dbtFindingCodeName(code)));
        QCOMPARE(levels,
            (QSet<QString> {QString(), QStringLiteral("ok"), QStringLiteral("notes"), QStringLiteral("warnings"),
                QStringLiteral("errors")}));
    }

    void summaryDetail_keepsTheFieldsTheSummaryShows()
    {
        const DbtPayloadCheck brief = checkDbtPayload(documentedCompleted(), DbtCheckDetail::Summary);
        QCOMPARE(brief.outcome, DbtPayloadCheck::Outcome::Event);
        QCOMPARE(brief.event.eventTypeName, QStringLiteral("job.run.completed"));
        QCOMPARE(brief.event.eventId, QStringLiteral("wev_2L6ZDoilyiWzKkSA59Gmc2d7FDD"));
        QCOMPARE(brief.event.runId, QStringLiteral("12345"));
        QCOMPARE(brief.summary(), QStringLiteral("ok"));
    }

    void summaryDetail_findingsCarryCodesButNoText()
    {
        QByteArray body = documentedCompleted();
        body.replace("\"runStatusCode\":10", "\"runStatusCode\":20");
        body.replace("\"jobId\":\"123\"", "\"jobId\":\"12x\",\"extra\":1");
        const DbtPayloadCheck full = checkDbtPayload(body);
        const DbtPayloadCheck brief = checkDbtPayload(body, DbtCheckDetail::Summary);
        QCOMPARE(codes(full),
            (QList<DbtFindingCode> {
                DbtFindingCode::NonNumericId, DbtFindingCode::StatusMismatch, DbtFindingCode::UnknownField}));
        QCOMPARE(codes(brief), codes(full));
        for (const DbtFinding &finding : full.findings)
            QVERIFY(!finding.message.isEmpty());
        for (const DbtFinding &finding : brief.findings) {
            QVERIFY(finding.field.isEmpty());
            QVERIFY(finding.message.isEmpty());
        }
        QCOMPARE(brief.summary(), QStringLiteral("errors"));
    }

    // Unknown keys are told apart in place while there are few and by a hash when there are many;
    // either way an escaped spelling is the same key, and both details agree.
    void unknownKeys_duplicatesFound_fewOrMany_data()
    {
        QTest::addColumn<int>("count");
        QTest::newRow("few") << 3;
        QTest::newRow("many") << 40;
    }

    void unknownKeys_duplicatesFound_fewOrMany()
    {
        QFETCH(int, count);
        QByteArray extra;
        for (int i = 0; i < count; ++i)
            extra += "\"k" + QByteArray::number(i) + "\":" + QByteArray::number(i) + ',';
        extra += R"("\u006b0":"again","k1":"again","jobId":"7",)";
        QByteArray body = documentedStarted();
        body.replace(R"("jobId":)", QByteArray(extra + R"("jobId":)"));
        const DbtPayloadCheck full = checkDbtPayload(body);
        QStringList found;
        for (const DbtFinding &finding : full.findings) {
            if (finding.code == DbtFindingCode::DuplicateKey)
                found << finding.field;
        }
        QCOMPARE(
            found, (QStringList {QStringLiteral("data.k0"), QStringLiteral("data.k1"), QStringLiteral("data.jobId")}));
        QCOMPARE(full.findings.size(), 3 + count);
        QCOMPARE(full.event.jobId, QStringLiteral("123"));
        QCOMPARE(disagreement(body, full), QString());
    }

    // DbtTime reads dates with its own arithmetic (QDate's calendar code cost a few hundred
    // instructions per time): the same dates must be valid, with the same value.
    void timeDates_agreeWithQDate()
    {
        QList<int> years
            = {0, 1, 2, 3, 4, 99, 100, 101, 399, 400, 401, 1582, 1600, 1700, 1800, 1900, 2000, 2100, 2400, 9996, 9999};
        for (int year = 1965; year <= 2040; ++year)
            years.append(year);
        int compared = 0;
        for (const int year : std::as_const(years)) {
            for (int month = 0; month <= 13; ++month) {
                for (int day = 0; day <= 32; ++day) {
                    const QString text = QStringLiteral("%1-%2-%3T12:34:56Z")
                                             .arg(year, 4, 10, QLatin1Char('0'))
                                             .arg(month, 2, 10, QLatin1Char('0'))
                                             .arg(day, 2, 10, QLatin1Char('0'));
                    const DbtTime time = DbtTime::parse(text);
                    const QDate date(year, month, day);
                    QVERIFY2(time.isValid() == date.isValid(), qPrintable(text));
                    if (date.isValid()) {
                        const QDateTime expected(date, QTime(12, 34, 56), Qt::UTC);
                        QVERIFY2(time.secondsSinceEpoch() == expected.toSecsSinceEpoch(), qPrintable(text));
                    }
                    ++compared;
                }
            }
        }
        QVERIFY(compared > 40000);
    }

    void summaryDetail_invalidJson_sameOffsetNoMessage()
    {
        const QByteArray body = documentedStarted().left(100);
        const DbtPayloadCheck full = checkDbtPayload(body);
        const DbtPayloadCheck brief = checkDbtPayload(body, DbtCheckDetail::Summary);
        QCOMPARE(brief.outcome, DbtPayloadCheck::Outcome::InvalidJson);
        QCOMPARE(brief.jsonErrorOffset, full.jsonErrorOffset);
        QCOMPARE(codes(brief), QList<DbtFindingCode> {DbtFindingCode::InvalidJson});
        QVERIFY(full.findings.constFirst().message.contains(QString::number(full.jsonErrorOffset)));
        QVERIFY(brief.findings.constFirst().message.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestDbtCheckDetail)
#include "tst_dbtcheckdetail.moc"
