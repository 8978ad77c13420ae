#include "captureexport.h"

#include "capture/curlcommand.h"
#include "signing/hmac.h"

#include <QDir>
#include <QMimeData>
#include <QSaveFile>
#include <QStandardPaths>

namespace hookbench {

CaptureExport::CaptureExport(QString directory) : m_directory(std::move(directory))
{ }

QString CaptureExport::defaultDirectory()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/exports");
}

std::optional<QByteArray> CaptureExport::curlCommand(
    const Capture &capture, QString *error, QString *bodyFile, const QByteArray &origin) const
{
    CurlCommand::Options options;
    options.origin = origin;
    // Named after the capture and its bytes, so exporting the same capture twice reuses the file.
    const QString name = QStringLiteral("capture-%1-%2.body")
                             .arg(capture.id ? QString::number(capture.id) : QStringLiteral("unsaved"),
                                 QString::fromLatin1(sha256(capture.body).toHex().left(12)));
    options.bodyFilePath = QDir(m_directory).filePath(name);
    const CurlCommand command(capture, options);
    if (!command.isValid()) {
        *error = QStringLiteral("can't build a curl command: ") + command.error();
        return std::nullopt;
    }
    if (!command.writeBodyFile(capture.body, error))
        return std::nullopt;
    if (bodyFile)
        *bodyFile = command.needsBodyFile() ? command.bodyFilePath() : QString();
    return command.command();
}

QMimeData *CaptureExport::bodyMimeData(const Capture &capture)
{
    auto *data = new QMimeData;
    data->setData(QStringLiteral("application/octet-stream"), capture.body);
    const QString text = QString::fromUtf8(capture.body);
    if (text.toUtf8() == capture.body)
        data->setText(text);
    else
        data->setText(QString::fromLatin1(capture.body.toHex(' ')));
    return data;
}

bool CaptureExport::saveBody(const Capture &capture, const QString &path, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(capture.body) != capture.body.size() || !file.commit()) {
        *error = QStringLiteral("can't write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace hookbench
