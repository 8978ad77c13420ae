#pragma once

#include "capture/capture.h"

#include <QString>

#include <optional>

class QMimeData;

namespace hookbench {

// Hands a capture to other tools: as a curl command that replays it byte for byte (binary or
// large bodies go to a file in the export directory, which the command references), or as its
// body on the clipboard or in a file. Nothing here ever includes a secret: only what was
// captured.
class CaptureExport
{
public:
    // `directory`: where body files for curl commands are written.
    explicit CaptureExport(QString directory = defaultDirectory());

    // AppDataLocation/exports: kept across runs, so a copied command still works tomorrow.
    static QString defaultDirectory();
    const QString &directory() const { return m_directory; }

    // The command, multi-line; writes the body file when one is needed (its path in
    // `bodyFile`). `origin` overrides where it is sent ("http://host:port"); by default the
    // listener that received it.
    std::optional<QByteArray> curlCommand(
        const Capture &capture, QString *error, QString *bodyFile = nullptr, const QByteArray &origin = {}) const;
    // The body for the clipboard: the exact bytes as application/octet-stream, and as text
    // when they are UTF-8 (else a hex dump, so pasting never yields mangled bytes).
    static QMimeData *bodyMimeData(const Capture &capture);
    // The exact bytes to `path`; false with a one-line error.
    static bool saveBody(const Capture &capture, const QString &path, QString *error);

private:
    QString m_directory;
};

} // namespace hookbench
