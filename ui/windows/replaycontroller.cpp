#include "replaycontroller.h"

#include "capturetable.h"
#include "models/capturelistmodel.h"
#include "replay/batchreplaydialog.h"
#include "store/capturewriter.h"
#include "widgets/capturedetailview.h"
#include "windowaction.h"

#include <QMenu>
#include <QTableView>
#include <QTimer>

#include <algorithm>

namespace hookbench {

ReplayController::ReplayController(
    QWidget *window, CaptureTable *captures, CaptureWriter *writer, SecretKeeper *keeper, QSettings *settings)
    : QObject(window)
    , m_window(window)
    , m_captures(captures)
    , m_writer(writer)
    , m_keeper(keeper)
    , m_settings(settings)
    , m_menu(new QMenu(QStringLiteral("&Replay"), window))
{
    QAction *replay = addWindowAction(
        window, QStringLiteral("replayCaptures"), QStringLiteral("&Replay…"), QKeySequence(Qt::CTRL | Qt::Key_R));
    replay->setToolTip(QStringLiteral("Send the selected captures, or all the filter matches, to a URL again"));
    // Reading a large selection costs time: at most one refresh per turn of selection changes.
    auto *offerLater = new QTimer(this);
    offerLater->setSingleShot(true);
    offerLater->setInterval(50);
    connect(offerLater, &QTimer::timeout, this, [this] {
        if (m_dialog && m_dialog->isVisible())
            offerCaptures();
    });
    connect(m_captures->view()->selectionModel(), &QItemSelectionModel::selectionChanged, offerLater,
        qOverload<>(&QTimer::start));
    connect(m_captures->model(), &CaptureListModel::filterApplied, offerLater, qOverload<>(&QTimer::start));
    // New captures only change the filter's count (a flood must not re-read the selection).
    connect(m_captures->model(), &CaptureListModel::rowsInserted, this, &ReplayController::recount);
    connect(m_captures->model(), &CaptureListModel::rowsRemoved, this, &ReplayController::recount);
    connect(replay, &QAction::triggered, this, &ReplayController::openDialog);
    m_menu->addAction(replay);

    // Forward attempts of the capture shown, as new ones are stored (the window asks on selection).
    m_writer->addObserver(this, [this](const StoreChange &change) {
        const CaptureDetailView *details = m_captures->details();
        if (details->hasCapture() && change.attemptsAdded.contains(details->capture().id))
            showAttempts(details->capture().id);
    });
}

ReplayController::~ReplayController()
{
    delete m_dialog;
}

void ReplayController::openDialog()
{
    if (!m_dialog) {
        BatchReplayDialog::Context context;
        context.fetch = [this](const QList<qint64> &ids, QString *error) {
            return m_captures->model()->store().captures(ids, error);
        };
        context.sink = m_writer;
        context.keeper = m_keeper;
        context.settings = m_settings;
        m_dialog = new BatchReplayDialog(std::move(context), m_window);
        connect(m_dialog, &BatchReplayDialog::batchDone, this, [this](const ReplaySummary &summary) {
            emit message(
                QStringLiteral("Replay done: %1 of %2 answered 2xx.").arg(summary.succeeded).arg(summary.total));
        });
    }
    offerCaptures();
    m_dialog->show();
    m_dialog->raise();
    m_dialog->activateWindow();
}

// What the dialog offers follows the selection and the filter while it is open and idle.
void ReplayController::offerCaptures()
{
    if (!m_dialog || m_dialog->isRunning())
        return;
    QList<qint64> selected = m_captures->selectedIds();
    std::sort(selected.begin(), selected.end()); // oldest first, as they arrived
    CaptureListModel *model = m_captures->model();
    m_dialog->setCaptures(selected, model->rowCount(), [model] {
        QList<qint64> ids; // rows are newest first: read them backwards, oldest first
        ids.reserve(model->rowCount());
        for (int row = model->rowCount() - 1; row >= 0; --row)
            ids.append(model->idAt(row));
        return ids;
    });
}

void ReplayController::recount()
{
    if (m_dialog && m_dialog->isVisible())
        m_dialog->setMatchingCount(m_captures->model()->rowCount());
}

void ReplayController::showAttempts(qint64 id)
{
    QString error;
    const QList<Attempt> attempts = m_captures->model()->store().attempts(id, &error);
    if (!error.isEmpty())
        emit message(error);
    CaptureDetailView *details = m_captures->details();
    if (details->hasCapture() && details->capture().id == id)
        details->setAttempts(attempts);
}

} // namespace hookbench
