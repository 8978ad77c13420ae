#pragma once

#include "listenerbar.h"

#include <QList>
#include <QWidget>

class QPushButton;
class QThread;
class QVBoxLayout;

namespace hookbench {

// The listeners of the window, one bar each, and the button that adds another. Several can
// run at once, each with its own port, scheme, secret and response settings.
class ListenerPanel : public QWidget
{
    Q_OBJECT

public:
    // The listeners run on a thread of their own, so requests never wait for painting.
    ListenerPanel(CaptureSink *sink, SecretKeeper *keeper, QWidget *parent = nullptr);
    ~ListenerPanel() override;

    ListenerBar *addListener(const ListenerSettings &settings = {});
    void removeListener(ListenerBar *bar);
    const QList<ListenerBar *> &bars() const { return m_bars; }
    ListenerBar *barFor(const QString &listenerName) const;
    // The profile of the listener with this name (how captures record it), for the Signature tab.
    std::optional<CheckProfile> checkProfile(const QString &listenerName) const;
    void setCaptureDecorator(std::function<void(Capture &)> decorator);

    // A port not used by another bar, from 5000 up.
    quint16 nextFreePort() const;
    QList<ListenerSettings> settings() const;
    void startAll();
    void stopAll();
    bool anyRunning() const;

signals:
    void settingsChanged();
    void profilesChanged();
    void message(const QString &text);

private:
    CaptureSink *m_sink;
    SecretKeeper *m_keeper;
    std::function<void(Capture &)> m_decorator;
    QList<ListenerBar *> m_bars;
    QVBoxLayout *m_rows;
    QPushButton *m_add;
    QThread *m_thread;
};

} // namespace hookbench
