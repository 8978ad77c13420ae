#include "secretlineedit.h"

#include <QAction>
#include <QEvent>
#include <QPainter>
#include <QPainterPath>

namespace hookbench {

namespace {

// An eye, crossed out when the secret is visible (the button hides it again).
QIcon eyeIcon(const QColor &color, bool crossed)
{
    QIcon icon;
    for (const int size : {16, 24, 32}) {
        QPixmap pixmap(size, size);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setPen(QPen(color, size / 12.0));
        const double s = size;
        QPainterPath eye;
        eye.moveTo(s * 0.08, s * 0.5);
        eye.quadTo(s * 0.5, s * 0.08, s * 0.92, s * 0.5);
        eye.quadTo(s * 0.5, s * 0.92, s * 0.08, s * 0.5);
        painter.drawPath(eye);
        painter.setBrush(color);
        painter.drawEllipse(QPointF(s * 0.5, s * 0.5), s * 0.13, s * 0.13);
        if (crossed)
            painter.drawLine(QPointF(s * 0.18, s * 0.85), QPointF(s * 0.82, s * 0.15));
        painter.end();
        icon.addPixmap(pixmap);
    }
    return icon;
}

} // namespace

SecretLineEdit::SecretLineEdit(QWidget *parent) : QLineEdit(parent), m_reveal(new QAction(this))
{
    setEchoMode(QLineEdit::Password);
    setPlaceholderText(QStringLiteral("secret"));
    setClearButtonEnabled(false);
    m_reveal->setCheckable(true);
    m_reveal->setObjectName(QStringLiteral("revealSecret"));
    addAction(m_reveal, QLineEdit::TrailingPosition);
    connect(m_reveal, &QAction::toggled, this, &SecretLineEdit::setRevealed);
    updateIcon();
}

void SecretLineEdit::setSecret(const QByteArray &secret)
{
    setText(QString::fromUtf8(secret));
}

void SecretLineEdit::setRevealed(bool revealed)
{
    setEchoMode(revealed ? QLineEdit::Normal : QLineEdit::Password);
    if (m_reveal->isChecked() != revealed)
        m_reveal->setChecked(revealed);
    updateIcon();
}

void SecretLineEdit::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        updateIcon();
    QLineEdit::changeEvent(event);
}

void SecretLineEdit::updateIcon()
{
    const bool revealed = isRevealed();
    m_reveal->setIcon(eyeIcon(palette().color(QPalette::Text), revealed));
    m_reveal->setText(revealed ? QStringLiteral("Hide secret") : QStringLiteral("Show secret"));
    m_reveal->setToolTip(m_reveal->text());
}

} // namespace hookbench
