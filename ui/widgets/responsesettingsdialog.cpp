#include "responsesettingsdialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGroupBox>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSpinBox>
#include <QVBoxLayout>

namespace hookbench {

ResponseSettingsDialog::ResponseSettingsDialog(
    const ResponseConfig &response, const FaultConfig &faults, QWidget *parent)
    : QDialog(parent)
    , m_original(response)
    , m_status(new QSpinBox)
    , m_contentType(new QLineEdit)
    , m_body(new QPlainTextEdit)
    , m_delay(new QSpinBox)
    , m_failFirst(new QSpinBox)
    , m_failStatus(new QSpinBox)
    , m_failPercent(new QSpinBox)
    , m_close(new QCheckBox(QStringLiteral("Store the capture, then close the connection without answering")))
{
    setWindowTitle(QStringLiteral("Listener response"));
    m_status->setObjectName(QStringLiteral("responseStatus"));
    m_contentType->setObjectName(QStringLiteral("responseContentType"));
    m_body->setObjectName(QStringLiteral("responseBody"));
    m_delay->setObjectName(QStringLiteral("responseDelay"));
    m_failFirst->setObjectName(QStringLiteral("failFirst"));
    m_failStatus->setObjectName(QStringLiteral("failStatus"));
    m_failPercent->setObjectName(QStringLiteral("failPercent"));
    m_close->setObjectName(QStringLiteral("closeWithoutAnswer"));
    m_status->setRange(100, 599);
    m_status->setValue(response.status);
    m_contentType->setText(QString::fromLatin1(headerValue(response.headers, "Content-Type")));
    m_body->setPlainText(QString::fromUtf8(response.body));
    m_body->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_delay->setRange(0, 600000);
    m_delay->setSuffix(QStringLiteral(" ms"));
    m_delay->setValue(response.delayMs);
    m_delay->setToolTip(QStringLiteral("dbt Cloud gives up after 10 s: a delay above 10000 ms makes it retry"));
    m_failFirst->setRange(0, 100);
    m_failFirst->setValue(faults.failFirst);
    m_failFirst->setToolTip(
        QStringLiteral("dbt Cloud retries up to 5 times and deactivates the webhook after 5 failures"));
    m_failStatus->setRange(100, 599);
    m_failStatus->setValue(faults.failStatus);
    m_failPercent->setRange(0, 100);
    m_failPercent->setSuffix(QStringLiteral(" %"));
    m_failPercent->setValue(faults.failPercent);
    m_close->setChecked(faults.closeWithoutAnswer);

    auto *answer = new QGroupBox(QStringLiteral("Answer"));
    auto *answerForm = new QFormLayout(answer);
    answerForm->addRow(QStringLiteral("Status:"), m_status);
    answerForm->addRow(QStringLiteral("Content-Type:"), m_contentType);
    answerForm->addRow(QStringLiteral("Body:"), m_body);
    answerForm->addRow(QStringLiteral("Delay:"), m_delay);

    auto *fault = new QGroupBox(QStringLiteral("Faults"));
    auto *faultForm = new QFormLayout(fault);
    faultForm->addRow(QStringLiteral("Fail the first deliveries of each body:"), m_failFirst);
    faultForm->addRow(QStringLiteral("Fail a share of requests:"), m_failPercent);
    faultForm->addRow(QStringLiteral("Failure status:"), m_failStatus);
    faultForm->addRow(m_close);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(answer);
    layout->addWidget(fault);
    layout->addWidget(buttons);
}

ResponseConfig ResponseSettingsDialog::response() const
{
    ResponseConfig response = m_original;
    response.status = m_status->value();
    const QByteArray contentType = m_contentType->text().trimmed().toLatin1();
    if (contentType.isEmpty())
        removeHeader(response.headers, "Content-Type");
    else
        setHeader(response.headers, "Content-Type", contentType);
    response.body = m_body->toPlainText().toUtf8();
    response.delayMs = m_delay->value();
    return response;
}

FaultConfig ResponseSettingsDialog::faults() const
{
    FaultConfig faults;
    faults.failFirst = m_failFirst->value();
    faults.failStatus = m_failStatus->value();
    faults.failPercent = m_failPercent->value();
    faults.closeWithoutAnswer = m_close->isChecked();
    return faults;
}

} // namespace hookbench
