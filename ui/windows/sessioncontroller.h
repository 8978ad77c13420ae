#pragma once

#include <QObject>
#include <QString>

class QComboBox;
class QSettings;
class QWidget;

namespace hookbench {

class CaptureListModel;
class CaptureWriter;

// The sessions: the session box above the capture list and the New, Switch and Clear session
// actions. It keeps three things agreeing: the session the box shows (which the list filters
// on), the writer's current session (where new captures go) and the one saved in the settings.
class SessionController : public QObject
{
    Q_OBJECT

public:
    SessionController(
        QWidget *window, QComboBox *box, CaptureWriter *writer, CaptureListModel *model, QSettings *settings);

    // The session the box shows (0 before the first reload()).
    qint64 shownSession() const;

    // Reads the sessions from the store into the box, keeping the one shown.
    void reload();
    void switchTo(qint64 sessionId);
    // Asks for a name when `name` is empty.
    void create(const QString &name = {});
    void clear(bool confirm = true);

signals:
    void sessionShown(const QString &name);
    // The user moved to another session: the list should show it.
    void switched();
    void message(const QString &text);

private:
    QWidget *m_window;
    QComboBox *m_box;
    CaptureWriter *m_writer;
    CaptureListModel *m_model;
    QSettings *m_settings;
};

} // namespace hookbench
