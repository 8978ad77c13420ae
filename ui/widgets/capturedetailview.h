#pragma once

#include "capture/attempt.h"
#include "capture/capture.h"

#include <QWidget>

class QLabel;
class QTabWidget;

namespace hookbench {

class BodyView;
class ForwardAttemptsView;
class HeadersView;
class OverviewView;
class SecretKeeper;
class SignatureView;

// The detail pane for one capture: Overview, Headers, Body and Signature tabs. Holds a copy of
// the capture (bodies are implicitly shared, so this costs no copy of the bytes); the tab
// widget takes more tabs later (attempts, diffs) through addTab().
class CaptureDetailView : public QWidget
{
    Q_OBJECT

public:
    enum Tab { OverviewTab, HeadersTab, BodyTab, SignatureTab, ForwardTab };

    explicit CaptureDetailView(SecretKeeper *keeper = nullptr, QWidget *parent = nullptr);

    // Clears the capture's attempts too (the Forward tab hides until setAttempts()).
    void setCapture(const Capture &capture);
    // The shown capture's attempts: the Forward tab lists those of kind Forward, and shows only
    // when there are some.
    void setAttempts(const QList<Attempt> &attempts);
    bool isForwardTabVisible() const;
    void clear();
    bool hasCapture() const { return m_hasCapture; }
    const Capture &capture() const { return m_capture; }

    QTabWidget *tabs() const { return m_tabs; }
    OverviewView *overview() const { return m_overview; }
    HeadersView *headers() const { return m_headers; }
    BodyView *body() const { return m_body; }
    SignatureView *signature() const { return m_signature; }
    ForwardAttemptsView *forwardAttempts() const { return m_forward; }

signals:
    void copyBodyRequested();
    void saveBodyRequested();

private:
    Capture m_capture;
    bool m_hasCapture = false;
    QTabWidget *m_tabs;
    OverviewView *m_overview;
    HeadersView *m_headers;
    BodyView *m_body;
    SignatureView *m_signature;
    ForwardAttemptsView *m_forward;
    bool m_returnToForward = false;
    bool m_switchingTabs = false;
    QLabel *m_empty;
};

} // namespace hookbench
