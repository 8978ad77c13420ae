#include "forwardsettingsdialog.h"

#include "targeturl.h"

#include "replay/resigner.h"
#include "signing/schemeregistry.h"
#include "widgets/secretlineedit.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QRadioButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace hookbench {

ForwardSettingsDialog::ForwardSettingsDialog(const ForwardSettings &settings, const QByteArray &secret, QWidget *parent)
    : QDialog(parent)
    , m_target(new QLineEdit)
    , m_background(new QRadioButton(QStringLiteral("the listener's configured response; forwards run behind it")))
    , m_proxy(new QRadioButton(QStringLiteral("the target's response (proxy; 502/504 when the target fails)")))
    , m_scheme(new QComboBox)
    , m_secret(new SecretLineEdit)
    , m_timeout(new QDoubleSpinBox)
    , m_insecure(new QCheckBox(QStringLiteral("Ignore the target's TLS certificate errors")))
    , m_inFlight(new QSpinBox)
    , m_queue(new QSpinBox)
    , m_follow(new QCheckBox(QStringLiteral("Follow redirects, up to")))
    , m_hops(new QSpinBox)
    , m_problem(new QLabel)
{
    setObjectName(QStringLiteral("forwardSettingsDialog"));
    setWindowTitle(QStringLiteral("Forward captures"));

    m_target->setObjectName(QStringLiteral("forwardTarget"));
    m_target->setPlaceholderText(QStringLiteral("empty: off · http://localhost:8000 keeps each capture's path"));
    m_target->setToolTip(QStringLiteral("Every stored capture is also sent here, byte for byte. Without a path each "
                                        "capture keeps its own path and query; with a path, all go to exactly it."));
    m_target->setClearButtonEnabled(true);
    m_target->setText(settings.target);
    m_target->setMinimumWidth(360);

    auto *modes = new QButtonGroup(this);
    modes->addButton(m_background);
    modes->addButton(m_proxy);
    m_background->setObjectName(QStringLiteral("forwardBackground"));
    m_proxy->setObjectName(QStringLiteral("forwardProxy"));
    (settings.mode == ForwardConfig::Mode::Proxy ? m_proxy : m_background)->setChecked(true);

    m_scheme->setObjectName(QStringLiteral("forwardScheme"));
    m_scheme->addItem(QStringLiteral("Don't re-sign (keep the received signature)"), QString());
    for (const QString &name : builtinSchemeNames())
        m_scheme->addItem(QStringLiteral("Re-sign for %1").arg(createBuiltinScheme(name)->title()), name);
    m_scheme->setCurrentIndex(std::max(0, m_scheme->findData(settings.resignScheme)));
    m_secret->setObjectName(QStringLiteral("forwardSecret"));
    m_secret->setPlaceholderText(QStringLiteral("secret to re-sign with"));
    m_secret->setSecret(secret);

    m_timeout->setObjectName(QStringLiteral("forwardTimeout"));
    m_timeout->setRange(0.1, 3600);
    m_timeout->setDecimals(1);
    m_timeout->setSuffix(QStringLiteral(" s"));
    m_timeout->setValue(settings.timeoutMs / 1000.0);
    m_insecure->setObjectName(QStringLiteral("forwardInsecure"));
    m_insecure->setChecked(settings.ignoreTlsErrors);

    m_inFlight->setObjectName(QStringLiteral("forwardInFlight"));
    m_inFlight->setRange(1, 64);
    m_inFlight->setValue(std::clamp(settings.maxInFlight, 1, 64));
    m_inFlight->setToolTip(QStringLiteral("How many forwards are sent at the same time; the others wait their turn."));
    m_queue->setObjectName(QStringLiteral("forwardQueue"));
    m_queue->setRange(1, 100000);
    m_queue->setValue(std::clamp(settings.maxQueued, 1, 100000));
    m_queue->setSuffix(QStringLiteral(" requests"));
    m_queue->setToolTip(QStringLiteral("How many forwards may wait; beyond that a capture is not forwarded and its "
                                       "failed attempt says so."));
    m_follow->setObjectName(QStringLiteral("forwardFollowRedirects"));
    m_follow->setChecked(settings.maxRedirects > 0);
    m_follow->setToolTip(QStringLiteral("Send the forward on to where a 3xx answer's Location points; unchecked, the "
                                        "3xx is the target's answer."));
    m_hops->setObjectName(QStringLiteral("forwardRedirectHops"));
    m_hops->setRange(1, 10);
    m_hops->setValue(settings.maxRedirects > 0 ? std::min(settings.maxRedirects, 10) : 5);
    m_hops->setSuffix(QStringLiteral(" hops"));
    m_hops->setToolTip(QStringLiteral("The most redirects one forward follows before the last answer counts."));

    m_problem->setObjectName(QStringLiteral("forwardProblem"));
    m_problem->setWordWrap(true);

    auto *form = new QFormLayout;
    form->addRow(QStringLiteral("Forward &to"), m_target);
    form->addRow(QStringLiteral("The sender gets"), m_background);
    form->addRow(QString(), m_proxy);
    form->addRow(QStringLiteral("&Signature"), m_scheme);
    form->addRow(QStringLiteral("S&ecret"), m_secret);
    form->addRow(QStringLiteral("T&imeout"), m_timeout);
    form->addRow(QString(), m_insecure);

    auto *redirects = new QHBoxLayout;
    redirects->addWidget(m_follow);
    redirects->addWidget(m_hops);
    redirects->addStretch();
    auto *advanced = new QGroupBox(QStringLiteral("Advanced"));
    advanced->setObjectName(QStringLiteral("forwardAdvanced"));
    auto *advancedForm = new QFormLayout(advanced);
    advancedForm->addRow(QStringLiteral("Forwards at &once"), m_inFlight);
    advancedForm->addRow(QStringLiteral("&Queue up to"), m_queue);
    advancedForm->addRow(QStringLiteral("Redirects"), redirects);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(advanced);
    layout->addWidget(m_problem);
    layout->addWidget(buttons);

    connect(m_scheme, &QComboBox::currentIndexChanged, this, &ForwardSettingsDialog::updateState);
    connect(m_follow, &QCheckBox::toggled, this, &ForwardSettingsDialog::updateState);
    connect(m_target, &QLineEdit::textChanged, this, [this] { m_problem->clear(); });
    connect(m_secret, &QLineEdit::textChanged, this, [this] { m_problem->clear(); });
    updateState();
}

void ForwardSettingsDialog::updateState()
{
    m_secret->setEnabled(!m_scheme->currentData().toString().isEmpty());
    m_hops->setEnabled(m_follow->isChecked());
    m_problem->clear();
}

ForwardSettings ForwardSettingsDialog::settings() const
{
    ForwardSettings settings;
    settings.target = m_target->text().trimmed();
    settings.mode = m_proxy->isChecked() ? ForwardConfig::Mode::Proxy : ForwardConfig::Mode::Background;
    settings.resignScheme = m_scheme->currentData().toString();
    settings.timeoutMs = std::max(1, int(std::lround(m_timeout->value() * 1000)));
    settings.ignoreTlsErrors = m_insecure->isChecked();
    settings.maxInFlight = m_inFlight->value();
    settings.maxQueued = m_queue->value();
    settings.maxRedirects = m_follow->isChecked() ? m_hops->value() : 0;
    return settings;
}

QByteArray ForwardSettingsDialog::secret() const
{
    return m_scheme->currentData().toString().isEmpty() ? QByteArray() : m_secret->secret();
}

QString ForwardSettingsDialog::problem() const
{
    const ForwardSettings chosen = settings();
    if (!chosen.isEnabled())
        return {}; // off: nothing else matters
    QString problem;
    if (parseTargetUrl(chosen.target, &problem).isEmpty())
        return problem;
    if (chosen.resignScheme.isEmpty())
        return {};
    std::shared_ptr<const SignatureScheme> scheme(createBuiltinScheme(chosen.resignScheme));
    if (!scheme)
        return QStringLiteral("Unknown scheme \"%1\".").arg(chosen.resignScheme);
    if (secret().isEmpty())
        return QStringLiteral("Enter the secret to re-sign with, or choose not to re-sign.");
    return Resigner(scheme, secret()).problem();
}

void ForwardSettingsDialog::accept()
{
    const QString why = problem();
    if (!why.isEmpty()) {
        m_problem->setText(why);
        return;
    }
    QDialog::accept();
}

} // namespace hookbench
