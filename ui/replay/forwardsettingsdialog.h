#pragma once

#include "forwardsettings.h"

#include <QByteArray>
#include <QDialog>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QRadioButton;
class QSpinBox;

namespace hookbench {

class SecretLineEdit;

// Edits a listener's forward mode: the target URL (empty turns it off), who answers the sender
// (the listener's configured response, or the target's response as a proxy), optional re-signing
// with a scheme and secret, the timeout and the explicit TLS exception, and under Advanced how many
// forwards run at once, how many may wait, and whether redirects are followed. OK is refused
// (with the reason shown) while the URL or the re-sign secret can't be used.
class ForwardSettingsDialog : public QDialog
{
    Q_OBJECT

public:
    ForwardSettingsDialog(const ForwardSettings &settings, const QByteArray &secret, QWidget *parent = nullptr);

    ForwardSettings settings() const;
    QByteArray secret() const; // empty unless re-signing
    // Empty when the form can be applied, else why not (one line, never the secret).
    QString problem() const;

    QLineEdit *targetEdit() const { return m_target; }
    QRadioButton *backgroundChoice() const { return m_background; }
    QRadioButton *proxyChoice() const { return m_proxy; }
    QComboBox *schemeBox() const { return m_scheme; }
    SecretLineEdit *secretEdit() const { return m_secret; }
    QDoubleSpinBox *timeoutBox() const { return m_timeout; }
    QCheckBox *insecureBox() const { return m_insecure; }
    QSpinBox *inFlightBox() const { return m_inFlight; }
    QSpinBox *queueBox() const { return m_queue; }
    QCheckBox *followRedirectsBox() const { return m_follow; }
    QSpinBox *redirectHopsBox() const { return m_hops; }

    void accept() override;

private:
    void updateState();

    QLineEdit *m_target;
    QRadioButton *m_background;
    QRadioButton *m_proxy;
    QComboBox *m_scheme;
    SecretLineEdit *m_secret;
    QDoubleSpinBox *m_timeout;
    QCheckBox *m_insecure;
    QSpinBox *m_inFlight;
    QSpinBox *m_queue;
    QCheckBox *m_follow;
    QSpinBox *m_hops;
    QLabel *m_problem;
};

} // namespace hookbench
