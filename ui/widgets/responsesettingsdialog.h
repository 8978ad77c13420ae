#pragma once

#include "listener/listenerconfig.h"

#include <QDialog>

class QCheckBox;
class QLineEdit;
class QPlainTextEdit;
class QSpinBox;

namespace hookbench {

// Edits what a listener answers (status, content type, body, delay) and its deliberate faults
// (fail the first N deliveries of each body, fail a share of requests, close without answering),
// to see what a sender's retries do.
class ResponseSettingsDialog : public QDialog
{
    Q_OBJECT

public:
    ResponseSettingsDialog(const ResponseConfig &response, const FaultConfig &faults, QWidget *parent = nullptr);

    ResponseConfig response() const;
    FaultConfig faults() const;

private:
    ResponseConfig m_original;
    QSpinBox *m_status;
    QLineEdit *m_contentType;
    QPlainTextEdit *m_body;
    QSpinBox *m_delay;
    QSpinBox *m_failFirst;
    QSpinBox *m_failStatus;
    QSpinBox *m_failPercent;
    QCheckBox *m_close;
};

} // namespace hookbench
