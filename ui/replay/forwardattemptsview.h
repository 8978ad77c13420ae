#pragma once

#include "capture/attempt.h"

#include <QList>
#include <QWidget>

class QLabel;
class QTableWidget;
class QTabWidget;

namespace hookbench {

class BodyView;
class HeadersView;

// The Forward tab of the capture details: the capture's forward attempts (newest first: when,
// target, status coloured by class, time, failure reason) and, for the one selected, the
// target's response headers and body. Display only.
class ForwardAttemptsView : public QWidget
{
    Q_OBJECT

public:
    enum Column { WhenColumn, TargetColumn, StatusColumn, TimeColumn, ReasonColumn, ColumnCount };

    explicit ForwardAttemptsView(QWidget *parent = nullptr);

    // Keeps the attempts of kind Forward; the newest is selected (or the one selected before,
    // when it is still there).
    void setAttempts(const QList<Attempt> &attempts);
    void clear();
    const QList<Attempt> &attempts() const { return m_attempts; }
    int currentIndex() const; // into attempts(), -1 when none
    void setCurrentIndex(int index);

    QTableWidget *table() const { return m_table; }
    QLabel *statusLabel() const { return m_status; }
    HeadersView *headers() const { return m_headers; }
    BodyView *body() const { return m_body; }

    // "200 OK in 3.1 ms" or "refused: connection refused", for the list and the status line.
    static QString outcomeText(const Attempt &attempt);

protected:
    void changeEvent(QEvent *event) override;

private:
    void showAttempt(int index);
    void fillTable();

    QList<Attempt> m_attempts; // newest first
    QTableWidget *m_table;
    QLabel *m_status;
    QTabWidget *m_response;
    HeadersView *m_headers;
    BodyView *m_body;
};

} // namespace hookbench
