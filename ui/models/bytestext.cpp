#include "bytestext.h"

#include <QDateTime>
#include <QLocale>

namespace hookbench {

QString displayBytes(QByteArrayView bytes, qsizetype maxCharacters)
{
    QString text;
    text.reserve(bytes.size());
    qsizetype i = 0;
    while (i < bytes.size()) {
        if (maxCharacters >= 0 && text.size() >= maxCharacters) {
            text += QChar(0x2026);
            break;
        }
        const auto c = static_cast<unsigned char>(bytes[i]);
        if (c >= 0x20 && c < 0x7f) {
            text += QLatin1Char(char(c));
            ++i;
            continue;
        }
        int length = 0;
        if (c >= 0xc2 && c <= 0xdf)
            length = 2;
        else if (c >= 0xe0 && c <= 0xef)
            length = 3;
        else if (c >= 0xf0 && c <= 0xf4)
            length = 4;
        if (length > 0 && i + length <= bytes.size()) {
            const QString decoded = QString::fromUtf8(bytes.sliced(i, length));
            // A valid sequence decodes to one code point that encodes back to the same bytes.
            if (decoded.toUtf8() == bytes.sliced(i, length) && !decoded.contains(QChar::ReplacementCharacter)) {
                const QChar first = decoded.front();
                if (first.category() != QChar::Other_Control && first.category() != QChar::Other_Format) {
                    text += decoded;
                    i += length;
                    continue;
                }
            }
        }
        text += QStringLiteral("\\x%1").arg(c, 2, 16, QLatin1Char('0'));
        ++i;
    }
    return text;
}

QString formatSize(qint64 bytes)
{
    if (bytes < 1024)
        return QStringLiteral("%1 B").arg(bytes);
    if (bytes < 1024 * 1024)
        return QStringLiteral("%1 KiB").arg(double(bytes) / 1024, 0, 'f', 1);
    if (bytes < qint64(1024) * 1024 * 1024)
        return QStringLiteral("%1 MiB").arg(double(bytes) / (1024 * 1024), 0, 'f', 1);
    return QStringLiteral("%1 GiB").arg(double(bytes) / (1024.0 * 1024 * 1024), 0, 'f', 2);
}

QString formatTimestampUs(qint64 microseconds, bool timeOnly)
{
    const QDateTime time = QDateTime::fromMSecsSinceEpoch(microseconds / 1000).toLocalTime();
    return time.toString(timeOnly ? QStringLiteral("HH:mm:ss.zzz") : QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
}

} // namespace hookbench
