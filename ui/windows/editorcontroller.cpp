#include "editorcontroller.h"

#include "capturetable.h"
#include "editor/requesteditor.h"
#include "models/capturelistmodel.h"
#include "widgets/capturedetailview.h"
#include "widgets/listenerpanel.h"
#include "widgets/theme.h"
#include "windowaction.h"

#include <QLineEdit>
#include <QMenu>
#include <QSettings>
#include <QTabBar>
#include <QTabWidget>

namespace hookbench {

EditorController::EditorController(QWidget *window, QTabWidget *workspace, CaptureTable *captures,
    CaptureWriter *writer, ListenerPanel *listeners, Theme *theme, QSettings *settings)
    : QObject(window)
    , m_workspace(workspace)
    , m_details(captures->details())
    , m_model(captures->model())
    , m_writer(writer)
    , m_listeners(listeners)
    , m_theme(theme)
    , m_settings(settings)
    , m_menu(new QMenu(QStringLiteral("&Request"), window))
{
    QAction *edit = addWindowAction(
        window, QStringLiteral("editCapture"), QStringLiteral("Edit && &replay…"), QKeySequence(Qt::CTRL | Qt::Key_E));
    edit->setToolTip(QStringLiteral("Open the selected capture in a request editor, byte for byte"));
    connect(edit, &QAction::triggered, this, &EditorController::editSelectedCapture);
    QAction *blank = addWindowAction(window, QStringLiteral("newRequest"), QStringLiteral("New &request"),
        QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_N)); // Ctrl+Shift+N adds a listener
    connect(blank, &QAction::triggered, this, &EditorController::newRequest);
    m_menu->addAction(edit);
    m_menu->addAction(blank);

    // Editors close from their tab; the captures tab stays.
    m_workspace->setTabsClosable(true);
    m_workspace->tabBar()->setTabButton(0, QTabBar::RightSide, nullptr);
    m_workspace->tabBar()->setTabButton(0, QTabBar::LeftSide, nullptr);
    connect(m_workspace, &QTabWidget::tabCloseRequested, this, [this](int index) {
        if (auto *editor = qobject_cast<RequestEditor *>(m_workspace->widget(index))) {
            m_workspace->removeTab(index);
            editor->deleteLater();
        }
    });
}

RequestEditor *EditorController::open(const HttpRequest &request, qint64 sourceCaptureId)
{
    std::optional<Capture> source;
    if (sourceCaptureId) {
        QString error;
        source = m_model->capture(sourceCaptureId, &error);
        if (!source)
            emit message(error.isEmpty() ? QStringLiteral("Capture %1 is gone.").arg(sourceCaptureId) : error);
    }
    RequestEditorContext context;
    context.writer = m_writer;
    context.settings = m_settings;
    context.loadAttempts = [this](qint64 captureId, QString *error) {
        return captureId ? m_model->store().attempts(captureId, error) : m_model->store().recentAttempts(0, 200, error);
    };
    context.profileFor = [this](const QString &listener) { return m_listeners->checkProfile(listener); };
    auto *editor = new RequestEditor(std::move(context));
    editor->setDark(m_theme->isDark());
    connect(m_theme, &Theme::changed, editor, &RequestEditor::setDark);
    connect(editor, &RequestEditor::message, this, &EditorController::message);
    connect(editor, &RequestEditor::titleChanged, this, [this, editor](const QString &title) {
        const int index = m_workspace->indexOf(editor);
        if (index >= 0)
            m_workspace->setTabText(index, QString(title).replace(u'&', QStringLiteral("&&")));
    });
    editor->setRequest(request, source);
    const int index = m_workspace->addTab(editor, editor->title().replace(u'&', QStringLiteral("&&")));
    m_workspace->setCurrentIndex(index);
    editor->urlEdit()->setFocus(Qt::OtherFocusReason);
    return editor;
}

void EditorController::editSelectedCapture()
{
    if (!m_details->hasCapture()) {
        emit message(QStringLiteral("Select a capture first."));
        return;
    }
    const Capture &capture = m_details->capture();
    const HttpRequest request = RequestEditor::requestForCapture(capture, m_settings);
    open(request, capture.id);
}

void EditorController::newRequest()
{
    HttpRequest request;
    const QString last = m_settings->value(QStringLiteral("editor/lastUrl")).toString();
    request.url = QUrl(last.isEmpty() ? QStringLiteral("http://127.0.0.1:5000/") : last);
    request.headers = {{"Content-Type", "application/json"}};
    open(request, 0);
}

QList<RequestEditor *> EditorController::editors() const
{
    QList<RequestEditor *> all;
    for (int i = 0; i < m_workspace->count(); ++i) {
        if (auto *editor = qobject_cast<RequestEditor *>(m_workspace->widget(i)))
            all.append(editor);
    }
    return all;
}

} // namespace hookbench
