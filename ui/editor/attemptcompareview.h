#pragma once

#include "capture/attempt.h"

#include <QByteArray>
#include <QDialog>

class QLabel;
class QPlainTextEdit;

namespace hookbench {

// Two attempts side by side: each one's request (request line, headers, body) and response
// (status or failure, headers, body) as text, with the bytes that differ marked on both sides
// (ui/models/bytediff.h). Bodies that are not UTF-8 are summarised rather than shown.
class AttemptCompareView : public QDialog
{
    Q_OBJECT

public:
    static constexpr qsizetype maxBodyBytes = 256 * 1024; // per body, in the compared text

    explicit AttemptCompareView(QWidget *parent = nullptr);

    void setAttempts(const Attempt &left, const Attempt &right);

    // The compared text of one attempt, as shown.
    static QByteArray describe(const Attempt &attempt);
    QString leftText() const;
    QString rightText() const;
    QString summary() const;
    int markedRanges() const { return m_marked; }
    QPlainTextEdit *leftEdit() const { return m_left; }
    QPlainTextEdit *rightEdit() const { return m_right; }

private:
    QLabel *m_leftTitle;
    QLabel *m_rightTitle;
    QLabel *m_summary;
    QPlainTextEdit *m_left;
    QPlainTextEdit *m_right;
    int m_marked = 0;
};

} // namespace hookbench
