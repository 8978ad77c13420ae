#pragma once

#include <QLineEdit>

class QAction;

namespace hookbench {

// A line edit for a webhook secret: masked by default, with a show/hide button at its end.
// Text is kept exactly as typed (surrounding spaces included: they change the MAC, and the
// diagnosis points them out). While masked, copying is disabled.
class SecretLineEdit : public QLineEdit
{
    Q_OBJECT

public:
    explicit SecretLineEdit(QWidget *parent = nullptr);

    QByteArray secret() const { return text().toUtf8(); }
    void setSecret(const QByteArray &secret);
    bool isRevealed() const { return echoMode() == QLineEdit::Normal; }
    void setRevealed(bool revealed);
    QAction *revealAction() const { return m_reveal; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void updateIcon();

    QAction *m_reveal;
};

} // namespace hookbench
