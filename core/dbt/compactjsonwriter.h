#pragma once

#include <QByteArray>
#include <QList>
#include <QStringView>

namespace hookbench {

// Writes compact JSON (no whitespace outside strings) in exactly the order it is told, so a
// generated body matches a sender's bytes: QJsonDocument would sort the keys. Strings are
// written as UTF-8 with only what JSON requires escaped: '"', '\\' and control characters
// (\b \f \n \r \t, others as \u00XX); a lone UTF-16 surrogate is kept as a \uXXXX escape.
class CompactJsonWriter
{
public:
    void beginObject();
    void endObject();
    void key(QStringView name); // then exactly one value
    void string(QStringView value);
    void integer(qint64 value);

    const QByteArray &bytes() const { return m_out; }

    // One JSON string literal, quotes included.
    static QByteArray quote(QStringView value);

private:
    void beforeValue();
    static void appendQuoted(QByteArray &out, QStringView value);

    QByteArray m_out;
    QList<bool> m_firstInObject; // one per open object: nothing written in it yet
    bool m_afterKey = false;
};

} // namespace hookbench
