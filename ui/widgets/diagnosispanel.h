#pragma once

#include "models/signaturecheck.h"

#include <QWidget>

namespace hookbench {

// The slot under the Signature tab's verdict where the diagnosis explains a failed check (a
// checklist of findings with their evidence). The Signature tab calls showCheck() after every
// check, valid ones included (a valid check should clear the panel: it costs no diagnosis).
class DiagnosisPanel : public QWidget
{
    Q_OBJECT

public:
    using QWidget::QWidget;

    virtual void showCheck(const SignatureCheck &check) = 0;
    virtual void clearCheck() = 0;
};

} // namespace hookbench
