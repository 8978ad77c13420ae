#pragma once

#include "store/capturefilter.h"

#include <QTimer>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;

namespace hookbench {

// The capture list's filter: free text (found in the path, the headers or the body), method,
// verdict and dbt event type. Typing is debounced; every change emits filterChanged with the
// whole filter (the session comes from the window). Escape in the text field clears it.
class FilterBar : public QWidget
{
    Q_OBJECT

public:
    explicit FilterBar(QWidget *parent = nullptr);

    // The filter as set here (sessionId 0: the window fills it in).
    CaptureFilter filter() const;
    void setFilter(const CaptureFilter &filter);
    void clear();
    void focusText();
    // "12 of 1,000,000 · 35 ms"; shown at the end of the bar.
    void setResultText(const QString &text);

    QLineEdit *textField() const { return m_text; }
    QComboBox *methodBox() const { return m_method; }
    QComboBox *verdictBox() const { return m_verdict; }
    QComboBox *eventBox() const { return m_event; }

signals:
    void filterChanged(const hookbench::CaptureFilter &filter);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void emitSoon();

    QLineEdit *m_text;
    QComboBox *m_method;
    QComboBox *m_verdict;
    QComboBox *m_event;
    QLabel *m_result;
    QTimer m_debounce;
};

} // namespace hookbench
