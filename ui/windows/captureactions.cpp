#include "captureactions.h"

#include "capturetable.h"
#include "models/bytestext.h"
#include "models/captureexport.h"
#include "models/capturelistmodel.h"
#include "store/capturewriter.h"
#include "widgets/capturedetailview.h"
#include "windowaction.h"

#include <QApplication>
#include <QClipboard>
#include <QDesktopServices>
#include <QFileDialog>
#include <QFileInfo>
#include <QMimeData>
#include <QUrl>

#include <optional>

namespace hookbench {

CaptureActions::CaptureActions(
    QWidget *window, CaptureTable *captures, CaptureWriter *writer, const QString &exportDirectory)
    : QObject(window)
    , m_window(window)
    , m_captures(captures)
    , m_details(captures->details())
    , m_writer(writer)
    , m_export(std::make_unique<CaptureExport>(exportDirectory))
{
    connect(m_details, &CaptureDetailView::copyBodyRequested, this, &CaptureActions::copyBody);
    connect(m_details, &CaptureDetailView::saveBodyRequested, this, &CaptureActions::saveBody);

    QAction *curl = addWindowAction(window, QStringLiteral("copyAsCurl"), QStringLiteral("Copy as &curl"),
        QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    curl->setToolTip(QStringLiteral("A curl command that sends this request again, byte for byte"));
    connect(curl, &QAction::triggered, this, &CaptureActions::copyAsCurl);
    connect(addWindowAction(window, QStringLiteral("copyBody"), QStringLiteral("Copy &body"),
                QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_B)),
        &QAction::triggered, this, &CaptureActions::copyBody);
    connect(addWindowAction(window, QStringLiteral("saveBody"), QStringLiteral("&Save body…"), QKeySequence::Save),
        &QAction::triggered, this, &CaptureActions::saveBody);
    connect(addWindowAction(window, QStringLiteral("deleteCaptures"), QStringLiteral("&Delete"), QKeySequence::Delete),
        &QAction::triggered, this, &CaptureActions::deleteSelected);
    connect(addWindowAction(window, QStringLiteral("revealStore"), QStringLiteral("&Reveal the store file")),
        &QAction::triggered, this, &CaptureActions::revealStore);
}

CaptureActions::~CaptureActions() = default;

void CaptureActions::copyAsCurl()
{
    if (!m_details->hasCapture()) {
        emit message(QStringLiteral("Select a capture first."));
        return;
    }
    QString error;
    QString bodyFile;
    const std::optional<QByteArray> command = m_export->curlCommand(m_details->capture(), &error, &bodyFile);
    if (!command) {
        emit message(error);
        return;
    }
    QApplication::clipboard()->setText(QString::fromUtf8(*command));
    emit message(bodyFile.isEmpty()
            ? QStringLiteral("Copied a curl command for capture %1.").arg(m_details->capture().id)
            : QStringLiteral("Copied a curl command; the body is in %1.").arg(bodyFile));
}

void CaptureActions::copyBody()
{
    if (!m_details->hasCapture())
        return;
    QApplication::clipboard()->setMimeData(CaptureExport::bodyMimeData(m_details->capture()));
    emit message(QStringLiteral("Copied the body (%1).").arg(formatSize(m_details->capture().bodySize())));
}

void CaptureActions::saveBody()
{
    if (!m_details->hasCapture())
        return;
    const QString path = QFileDialog::getSaveFileName(
        m_window, QStringLiteral("Save body"), QStringLiteral("capture-%1.body").arg(m_details->capture().id));
    if (path.isEmpty())
        return;
    QString error;
    if (CaptureExport::saveBody(m_details->capture(), path, &error))
        emit message(QStringLiteral("Saved %1 to %2.").arg(formatSize(m_details->capture().bodySize()), path));
    else
        emit message(error);
}

void CaptureActions::deleteSelected()
{
    const QList<qint64> ids = m_captures->selectedIds();
    if (ids.isEmpty())
        return;
    // Keep the keyboard where it was: the next row takes the selection.
    const int row = m_captures->currentRow();
    m_writer->deleteCaptures(ids, this, [this, row](qint64 deleted, const QString &error) {
        if (!error.isEmpty()) {
            emit message(QStringLiteral("Can't delete: %1").arg(error));
            return;
        }
        emit message(
            deleted == 1 ? QStringLiteral("Deleted 1 capture.") : QStringLiteral("Deleted %1 captures.").arg(deleted));
        QMetaObject::invokeMethod(
            this, [this, row] { m_captures->selectRow(qMin(row, m_captures->model()->rowCount() - 1)); },
            Qt::QueuedConnection);
    });
}

void CaptureActions::revealStore()
{
    const QString path = m_captures->model()->storePath();
    if (!QDesktopServices::openUrl(QUrl::fromLocalFile(QFileInfo(path).absolutePath()))) {
        QApplication::clipboard()->setText(path);
        emit message(QStringLiteral("No file manager answered; copied the path: %1").arg(path));
    }
}

} // namespace hookbench
