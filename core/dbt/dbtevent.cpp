#include "dbtevent.h"

#include <QDateTime>

#include <utility>

namespace hookbench {

namespace {

// Days from 1970-01-01 to a valid proleptic Gregorian date (H. Hinnant's days_from_civil), what
// QDate::toJulianDay() - 2440588 gives, without QDate's calendar machinery: every dbt event
// carries three or four times.
qint64 daysSinceEpoch(int year, int month, int day)
{
    const int y = year - (month <= 2 ? 1 : 0);
    const int era = y / 400; // years 1..9999 only: never negative
    const int yearOfEra = y - era * 400;
    const int dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    const int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return qint64(era) * 146097 + dayOfEra - 719468;
}

// Whether QDate(year, month, day) would be valid: a proleptic Gregorian date, and no year 0.
bool isValidDate(int year, int month, int day)
{
    if (year == 0 || month < 1 || month > 12 || day < 1)
        return false;
    static constexpr int monthDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return day <= monthDays[month - 1] + (month == 2 && leap ? 1 : 0);
}
constexpr int nanosecondsPerSecond = 1000000000;

// Reads `count` ASCII digits at `at`; -1 when any is missing or not a digit.
int digits(QStringView text, qsizetype at, int count)
{
    if (at + count > text.size())
        return -1;
    int value = 0;
    for (int i = 0; i < count; ++i) {
        const char16_t c = text[at + i].unicode();
        if (c < u'0' || c > u'9')
            return -1;
        value = value * 10 + (c - u'0');
    }
    return value;
}

bool isAt(QStringView text, qsizetype at, char16_t c)
{
    return at < text.size() && text[at].unicode() == c;
}

} // namespace

QString dbtEventTypeName(DbtEventType type)
{
    switch (type) {
    case DbtEventType::RunStarted:
        return QStringLiteral("job.run.started");
    case DbtEventType::RunCompleted:
        return QStringLiteral("job.run.completed");
    case DbtEventType::RunErrored:
        return QStringLiteral("job.run.errored");
    case DbtEventType::Unknown:
        break;
    }
    return {};
}

DbtEventType dbtEventTypeFromName(QStringView name)
{
    if (name == u"job.run.started")
        return DbtEventType::RunStarted;
    if (name == u"job.run.completed")
        return DbtEventType::RunCompleted;
    if (name == u"job.run.errored")
        return DbtEventType::RunErrored;
    return DbtEventType::Unknown;
}

QString dbtRunStatusName(DbtRunStatus status)
{
    switch (status) {
    case DbtRunStatus::Queued:
        return QStringLiteral("Queued");
    case DbtRunStatus::Starting:
        return QStringLiteral("Starting");
    case DbtRunStatus::Running:
        return QStringLiteral("Running");
    case DbtRunStatus::Success:
        return QStringLiteral("Success");
    case DbtRunStatus::Errored:
        return QStringLiteral("Errored");
    case DbtRunStatus::Cancelled:
        return QStringLiteral("Cancelled");
    case DbtRunStatus::Unknown:
        break;
    }
    return {};
}

QString dbtDurationText(qint64 ms)
{
    if (ms < 0)
        return QStringLiteral("—");
    qint64 seconds = (ms + 500) / 1000;
    if (seconds < 60)
        return QStringLiteral("%1 s").arg(seconds);
    const qint64 days = seconds / 86400;
    const qint64 hours = seconds % 86400 / 3600;
    const qint64 minutes = seconds % 3600 / 60;
    seconds %= 60;
    if (days > 0)
        return QStringLiteral("%1 d %2 h").arg(days).arg(hours);
    if (hours > 0)
        return QStringLiteral("%1 h %2 min").arg(hours).arg(minutes);
    return seconds ? QStringLiteral("%1 min %2 s").arg(minutes).arg(seconds) : QStringLiteral("%1 min").arg(minutes);
}

DbtRunStatus dbtRunStatusFromName(QStringView name)
{
    // Literals, not dbtRunStatusName(): the payload check asks this twice for every event.
    static constexpr std::pair<QStringView, DbtRunStatus> names[] = {{u"Queued", DbtRunStatus::Queued},
        {u"Starting", DbtRunStatus::Starting}, {u"Running", DbtRunStatus::Running}, {u"Success", DbtRunStatus::Success},
        {u"Errored", DbtRunStatus::Errored}, {u"Cancelled", DbtRunStatus::Cancelled}};
    for (const auto &[text, status] : names) {
        if (name == text)
            return status;
    }
    return DbtRunStatus::Unknown;
}

DbtRunStatus dbtRunStatusFromCode(qint64 code)
{
    switch (code) {
    case 1:
    case 2:
    case 3:
    case 10:
    case 20:
    case 30:
        return DbtRunStatus(code);
    default:
        return DbtRunStatus::Unknown;
    }
}

DbtTime DbtTime::parse(const QString &text)
{
    DbtTime time = parseValue(text);
    time.m_text = text;
    return time;
}

DbtTime DbtTime::parseValue(QStringView s)
{
    DbtTime time;
    time.m_present = true;
    // YYYY-MM-DDTHH:MM:SS
    const int year = digits(s, 0, 4);
    const int month = digits(s, 5, 2);
    const int day = digits(s, 8, 2);
    const int hour = digits(s, 11, 2);
    const int minute = digits(s, 14, 2);
    const int second = digits(s, 17, 2);
    if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0 || !isAt(s, 4, u'-')
        || !isAt(s, 7, u'-') || !(isAt(s, 10, u'T') || isAt(s, 10, u't')) || !isAt(s, 13, u':') || !isAt(s, 16, u':'))
        return time;
    // RFC 3339 allows a leap second (60); QDateTime can't hold one, so it is refused here.
    if (!isValidDate(year, month, day) || hour > 23 || minute > 59 || second > 59)
        return time;

    qsizetype at = 19;
    int nanosecond = 0;
    if (isAt(s, at, u'.')) {
        ++at;
        int count = 0;
        while (at < s.size() && s[at].unicode() >= u'0' && s[at].unicode() <= u'9') {
            if (++count > 9)
                return time;
            nanosecond = nanosecond * 10 + (s[at].unicode() - u'0');
            ++at;
        }
        if (count == 0)
            return time;
        for (int i = count; i < 9; ++i)
            nanosecond *= 10;
    }

    int offsetSeconds = 0;
    if (isAt(s, at, u'Z') || isAt(s, at, u'z')) {
        ++at;
    } else if (isAt(s, at, u'+') || isAt(s, at, u'-')) {
        const int sign = isAt(s, at, u'-') ? -1 : 1;
        const int offsetHours = digits(s, at + 1, 2);
        const int offsetMinutes = digits(s, at + 4, 2);
        if (offsetHours < 0 || offsetMinutes < 0 || !isAt(s, at + 3, u':') || offsetHours > 23 || offsetMinutes > 59)
            return time;
        offsetSeconds = sign * (offsetHours * 3600 + offsetMinutes * 60);
        at += 6;
    } else {
        return time;
    }
    if (at != s.size())
        return time;

    time.m_seconds = daysSinceEpoch(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offsetSeconds;
    time.m_nanosecond = nanosecond;
    time.m_valid = true;
    return time;
}

DbtTime DbtTime::fromUnix(qint64 secondsSinceEpoch, int nanosecond, int fractionDigits)
{
    Q_ASSERT(nanosecond >= 0 && nanosecond < nanosecondsPerSecond);
    DbtTime time;
    time.m_seconds = secondsSinceEpoch;
    time.m_present = true;
    time.m_valid = true;
    const QDateTime utc = QDateTime::fromSecsSinceEpoch(secondsSinceEpoch, Qt::UTC);
    QString text = utc.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss"));
    if (fractionDigits > 0) {
        fractionDigits = qMin(fractionDigits, 9);
        const QString fraction = QStringLiteral("%1").arg(nanosecond, 9, 10, QLatin1Char('0')).left(fractionDigits);
        text += QLatin1Char('.') + fraction;
        // Keep the value equal to what the text says.
        time.m_nanosecond = fraction.leftJustified(9, QLatin1Char('0')).toInt();
    }
    time.m_text = text + QLatin1Char('Z');
    return time;
}

QDateTime DbtTime::utc() const
{
    if (!m_valid)
        return {};
    return QDateTime::fromMSecsSinceEpoch(msecsSinceEpoch(), Qt::UTC);
}

DbtTime DbtTime::addSecs(qint64 seconds) const
{
    if (!m_valid)
        return *this;
    const int fractionDigits = [this] {
        const qsizetype dot = m_text.indexOf(QLatin1Char('.'));
        if (dot < 0)
            return 0;
        qsizetype end = dot + 1;
        while (end < m_text.size() && m_text.at(end).isDigit())
            ++end;
        return int(end - dot - 1);
    }();
    return fromUnix(m_seconds + seconds, m_nanosecond, fractionDigits);
}

qint64 DbtTime::nanosecondsTo(const DbtTime &later) const
{
    return (later.m_seconds - m_seconds) * nanosecondsPerSecond + (later.m_nanosecond - m_nanosecond);
}

std::strong_ordering operator<=>(const DbtTime &a, const DbtTime &b)
{
    if (a.m_valid != b.m_valid)
        return a.m_valid ? std::strong_ordering::greater : std::strong_ordering::less;
    if (!a.m_valid)
        return std::strong_ordering::equal;
    if (const auto order = a.m_seconds <=> b.m_seconds; order != 0)
        return order;
    return a.m_nanosecond <=> b.m_nanosecond;
}

bool isWellFormedDbtEventId(QStringView eventId)
{
    if (eventId.size() != 4 + 27)
        return false;
    const char16_t *const units = eventId.utf16();
    if (units[0] != u'w' || units[1] != u'e' || units[2] != u'v' || units[3] != u'_')
        return false;
    for (qsizetype i = 4; i < eventId.size(); ++i) {
        const char16_t c = units[i];
        const char16_t lower = c | 0x20; // 'A'-'Z' to 'a'-'z'; nothing else lands there
        const bool alphanumeric = (c >= u'0' && c <= u'9') || (lower >= u'a' && lower <= u'z');
        if (!alphanumeric)
            return false;
    }
    return true;
}

DbtRunStatus DbtEvent::runStatus() const
{
    const DbtRunStatus named = dbtRunStatusFromName(runStatusName);
    if (named != DbtRunStatus::Unknown)
        return named;
    return runStatusCode ? dbtRunStatusFromCode(*runStatusCode) : DbtRunStatus::Unknown;
}

DbtTime DbtEvent::runEndedAt() const
{
    return runFinishedAt.isNull() ? runErroredAt : runFinishedAt;
}

} // namespace hookbench
