#pragma once

#include "capture/verdict.h"

#include <QWidget>

namespace hookbench {

// A pill with the verdict's icon and word, tinted in its colour; readable on light and dark
// palettes. Empty (nothing painted) until a verdict is set.
class VerdictBadge : public QWidget
{
    Q_OBJECT

public:
    explicit VerdictBadge(QWidget *parent = nullptr);

    void setVerdict(Verdict verdict);
    void clear();
    bool hasVerdict() const { return m_hasVerdict; }
    Verdict verdict() const { return m_verdict; }
    QString text() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override { return sizeHint(); }

protected:
    void paintEvent(QPaintEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    Verdict m_verdict = Verdict::NoSecret;
    bool m_hasVerdict = false;
};

} // namespace hookbench
