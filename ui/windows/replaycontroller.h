#pragma once

#include <QObject>
#include <QPointer>

class QMenu;
class QSettings;
class QWidget;

namespace hookbench {

class BatchReplayDialog;
class CaptureTable;
class CaptureWriter;
class SecretKeeper;

// Sending captures again and what came of it: the batch replay dialog ("Replay…", Ctrl+R, the
// "&Replay" menu it owns and the window places), kept in step with the selection and the filter
// while it is open, and the forward attempts of the capture shown (its Forward tab), refreshed as
// new attempts are stored.
class ReplayController : public QObject
{
    Q_OBJECT

public:
    ReplayController(
        QWidget *window, CaptureTable *captures, CaptureWriter *writer, SecretKeeper *keeper, QSettings *settings);
    // Stops a replay in flight: it reads through the model's store and writes through the writer.
    ~ReplayController() override;

    QMenu *menu() const { return m_menu; }

    // Shows the forward attempts of capture `id` if it is still the one shown.
    void showAttempts(qint64 id);

signals:
    void message(const QString &text);

private:
    void openDialog();
    void offerCaptures();
    void recount();

    QWidget *m_window;
    CaptureTable *m_captures;
    CaptureWriter *m_writer;
    SecretKeeper *m_keeper;
    QSettings *m_settings;
    QMenu *m_menu;
    QPointer<BatchReplayDialog> m_dialog;
};

} // namespace hookbench
