#pragma once

#include <QByteArray>
#include <QString>

#include <array>
#include <optional>

namespace hookbench {

// A KSUID: 4 bytes of seconds since 2014-05-13 16:53:20 UTC, then 16 random bytes, written as
// 27 base62 characters. dbt Cloud's event ids are "wev_" + a KSUID whose time is the event's
// timestamp (checked against the documented samples), so generated ids sort and read like
// real ones.
class Ksuid
{
public:
    static constexpr qint64 epoch = 1400000000; // Unix time of KSUID time 0
    static constexpr int textLength = 27;

    // A fresh KSUID for `unixSeconds`, its payload from the system's cryptographic RNG.
    static Ksuid generate(qint64 unixSeconds);
    static Ksuid fromParts(quint32 ksuidSeconds, const std::array<quint8, 16> &payload);
    // nullopt unless `text` is 27 base62 characters within the KSUID range.
    static std::optional<Ksuid> parse(QStringView text);

    qint64 unixSeconds() const;
    QString toString() const; // 27 characters of 0-9A-Za-z

private:
    std::array<quint8, 20> m_bytes {};
};

} // namespace hookbench
