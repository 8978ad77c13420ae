#include "sessioncontroller.h"

#include "models/capturelistmodel.h"
#include "store/capturewriter.h"
#include "windowaction.h"

#include <QComboBox>
#include <QDateTime>
#include <QInputDialog>
#include <QMessageBox>
#include <QSettings>

namespace hookbench {

SessionController::SessionController(
    QWidget *window, QComboBox *box, CaptureWriter *writer, CaptureListModel *model, QSettings *settings)
    : QObject(window), m_window(window), m_box(box), m_writer(writer), m_model(model), m_settings(settings)
{
    m_writer->addObserver(this, [this](const StoreChange &change) {
        if (change.sessionsChanged)
            reload();
    });
    m_box->setObjectName(QStringLiteral("sessionBox"));
    m_box->setToolTip(QStringLiteral("Session: new captures go here, and the list shows it"));
    m_box->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    connect(m_box, &QComboBox::activated, this, [this](int index) { switchTo(m_box->itemData(index).toLongLong()); });

    connect(addWindowAction(window, QStringLiteral("clearSession"), QStringLiteral("C&lear session…"),
                QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Delete)),
        &QAction::triggered, this, [this] { clear(true); });
    connect(addWindowAction(window, QStringLiteral("newSession"), QStringLiteral("&New session…"), QKeySequence::New),
        &QAction::triggered, this, [this] { create(); });
    connect(addWindowAction(window, QStringLiteral("switchSession"), QStringLiteral("S&witch session"),
                QKeySequence(Qt::CTRL | Qt::Key_K)),
        &QAction::triggered, this, [this] {
            m_box->setFocus(Qt::ShortcutFocusReason);
            m_box->showPopup();
        });
}

qint64 SessionController::shownSession() const
{
    return m_box->currentData().toLongLong();
}

void SessionController::reload()
{
    QString error;
    const QList<Session> sessions = m_model->store().sessions(&error);
    if (!error.isEmpty())
        emit message(error);
    // Keep the session shown; on the first load, the one saved in the settings.
    const qint64 wanted = m_box->count()
        ? m_box->currentData().toLongLong()
        : m_settings->value(QStringLiteral("session"), m_writer->currentSession()).toLongLong();
    const QSignalBlocker blocker(m_box);
    m_box->clear();
    for (const Session &session : sessions)
        m_box->addItem(session.name, session.id);
    int index = m_box->findData(wanted);
    if (index < 0)
        index = m_box->findData(m_writer->currentSession());
    m_box->setCurrentIndex(qMax(0, index));
    emit sessionShown(m_box->currentText());
    if (index >= 0 && m_box->itemData(index).toLongLong() != m_writer->currentSession())
        m_writer->setCurrentSession(m_box->itemData(index).toLongLong());
}

void SessionController::switchTo(qint64 sessionId)
{
    if (sessionId <= 0)
        return;
    m_writer->setCurrentSession(sessionId);
    const int index = m_box->findData(sessionId);
    if (index >= 0)
        m_box->setCurrentIndex(index);
    m_settings->setValue(QStringLiteral("session"), sessionId);
    emit sessionShown(m_box->currentText());
    emit switched();
    emit message(QStringLiteral("Session \"%1\": new captures go here.").arg(m_box->currentText()));
}

void SessionController::create(const QString &name)
{
    QString chosen = name;
    if (chosen.isEmpty()) {
        bool ok = false;
        chosen = QInputDialog::getText(m_window, QStringLiteral("New session"), QStringLiteral("Name:"),
            QLineEdit::Normal,
            QStringLiteral("session %1").arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"))),
            &ok)
                     .trimmed();
        if (!ok || chosen.isEmpty())
            return;
    }
    m_writer->createSession(chosen, this, [this, chosen](qint64 id, const QString &error) {
        if (!id) {
            emit message(QStringLiteral("Can't create the session: %1").arg(error));
            return;
        }
        m_settings->setValue(QStringLiteral("session"), id);
        reload();
        switchTo(id);
    });
}

void SessionController::clear(bool confirm)
{
    const qint64 session = m_box->currentData().toLongLong();
    if (confirm) {
        const auto answer = QMessageBox::question(m_window, QStringLiteral("Clear session"),
            QStringLiteral("Delete every capture of \"%1\"?").arg(m_box->currentText()),
            QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
        if (answer != QMessageBox::Yes)
            return;
    }
    m_writer->clearSession(session, this, [this](qint64 deleted, const QString &error) {
        emit message(error.isEmpty() ? QStringLiteral("Cleared %1 captures.").arg(deleted)
                                     : QStringLiteral("Can't clear: %1").arg(error));
    });
}

} // namespace hookbench
