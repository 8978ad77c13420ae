#pragma once

#include "capture/attempt.h"

#include <QWidget>

class QLabel;
class QTabWidget;

namespace hookbench {

class BodyView;
class HeadersView;

// What came back for one attempt: the status line coloured by its class, size and timings
// (time to first byte, total), then the response's headers and body (pretty/raw/hex through the
// Body tab's BodyView). A send that got no response shows its reason in place, on one line.
class ResponseView : public QWidget
{
    Q_OBJECT

public:
    explicit ResponseView(QWidget *parent = nullptr);

    void setAttempt(const Attempt &attempt);
    void setSending(const QString &target);
    // The request could not be sent at all (bad URL, invalid header name...): one line.
    void setNotSent(const QString &reason);
    void clear();
    bool hasAttempt() const { return m_hasAttempt; }
    const Attempt &attempt() const { return m_attempt; }

    void setDark(bool dark);

    QString statusText() const;
    QString timingText() const;
    QString failureText() const;
    QLabel *statusLabel() const { return m_status; }
    HeadersView *headers() const { return m_headers; }
    BodyView *body() const { return m_body; }
    QTabWidget *tabs() const { return m_tabs; }

private:
    void updateStatusColour();

    Attempt m_attempt;
    bool m_hasAttempt = false;
    bool m_dark = false;
    QLabel *m_status;
    QLabel *m_timing;
    QLabel *m_failure;
    QTabWidget *m_tabs;
    HeadersView *m_headers;
    BodyView *m_body;
};

// "12.3 ms", "850 µs", "1.20 s"; "—" when negative (unknown).
QString formatDurationUs(qint64 microseconds);

} // namespace hookbench
