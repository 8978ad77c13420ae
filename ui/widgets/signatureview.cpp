#include "signatureview.h"

#include "diagnosispanel.h"
#include "models/bytestext.h"
#include "secretlineedit.h"
#include "secrets/secretkeeper.h"
#include "signing/schemeregistry.h"
#include "theme.h"
#include "verdictbadge.h"
#include "verdictstyle.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QEvent>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QScrollArea>
#include <QTextEdit>
#include <QTimer>
#include <QVBoxLayout>

namespace hookbench {

namespace {

const QString listenerSource = QStringLiteral("listener");
const QString genericSource = QStringLiteral("generic");

// Bodies above this are checked after a short pause in typing, not on every key.
constexpr qsizetype debounceBodySize = 256 * 1024;

QTextEdit *makeSignatureBox(const QString &name)
{
    auto *box = new QTextEdit;
    box->setObjectName(name);
    box->setReadOnly(true);
    box->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    box->setLineWrapMode(QTextEdit::WidgetWidth);
    box->setWordWrapMode(QTextOption::WrapAnywhere);
    box->setFixedHeight(box->fontMetrics().height() * 4 + 12);
    return box;
}

// The value as HTML with every character from `from` on marked (the first difference onward).
QString markedHtml(const QByteArray &value, qsizetype from, const QColor &mark)
{
    if (from < 0)
        return displayBytes(value).toHtmlEscaped();
    return displayBytes(value.left(from)).toHtmlEscaped()
        + QStringLiteral("<span style=\"background-color:%1\">").arg(mark.name())
        + displayBytes(value.mid(from)).toHtmlEscaped() + QStringLiteral("</span>");
}

QString secondsText(qint64 seconds)
{
    seconds = qAbs(seconds);
    if (seconds < 120)
        return QStringLiteral("%1 s").arg(seconds);
    if (seconds < 7200)
        return QStringLiteral("%1 min").arg(seconds / 60);
    if (seconds < 2 * 86400)
        return QStringLiteral("%1 h").arg(seconds / 3600);
    return QStringLiteral("%1 days").arg(seconds / 86400);
}

} // namespace

SignatureView::SignatureView(SecretKeeper *keeper, QWidget *parent)
    : QWidget(parent)
    , m_keeper(keeper)
    , m_scheme(new QComboBox)
    , m_profileLabel(new QLabel)
    , m_secretRow(new QWidget)
    , m_secret(new SecretLineEdit)
    , m_remember(new QCheckBox)
    , m_rememberWarning(new QLabel)
    , m_genericRow(new QWidget)
    , m_genericHeader(new QLineEdit)
    , m_genericPrefix(new QLineEdit)
    , m_genericAlgorithm(new QComboBox)
    , m_genericEncoding(new QComboBox)
    , m_asOfNow(new QCheckBox(QStringLiteral("Judge timestamps as of now (not as of arrival)")))
    , m_badge(new VerdictBadge)
    , m_reason(new QLabel)
    , m_receivedTitle(new QLabel)
    , m_computedTitle(new QLabel)
    , m_received(makeSignatureBox(QStringLiteral("receivedSignature")))
    , m_computed(makeSignatureBox(QStringLiteral("computedSignature")))
    , m_comparison(new QLabel)
    , m_timestamp(new QLabel)
    , m_diagnosisSlot(new QVBoxLayout)
    , m_debounce(new QTimer(this))
    , m_form(new QFormLayout)
{
    m_scheme->setObjectName(QStringLiteral("checkScheme"));
    m_secret->setObjectName(QStringLiteral("checkSecret"));
    m_profileLabel->setWordWrap(true);
    m_profileLabel->setForegroundRole(QPalette::PlaceholderText);
    rebuildSchemeList();

    // Secret row: the field and where it is kept.
    auto *secretLayout = new QHBoxLayout(m_secretRow);
    secretLayout->setContentsMargins(0, 0, 0, 0);
    secretLayout->addWidget(m_secret, 1);
    secretLayout->addWidget(m_remember);
    m_rememberWarning->setWordWrap(true);
    m_rememberWarning->hide();

    // Generic scheme: the few settings a single-header HMAC needs.
    m_genericHeader->setPlaceholderText(QStringLiteral("X-Signature"));
    m_genericPrefix->setPlaceholderText(QStringLiteral("prefix, e.g. sha256="));
    for (const char *name : {"sha256", "sha1", "sha512"})
        m_genericAlgorithm->addItem(QString::fromLatin1(name));
    for (const char *name : {"hex", "base64"})
        m_genericEncoding->addItem(QString::fromLatin1(name));
    auto *genericLayout = new QHBoxLayout(m_genericRow);
    genericLayout->setContentsMargins(0, 0, 0, 0);
    genericLayout->addWidget(new QLabel(QStringLiteral("Header")));
    genericLayout->addWidget(m_genericHeader, 2);
    genericLayout->addWidget(m_genericPrefix, 1);
    genericLayout->addWidget(m_genericAlgorithm);
    genericLayout->addWidget(m_genericEncoding);

    auto *form = m_form;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(QStringLiteral("Check with:"), m_scheme);
    form->addRow(QString(), m_profileLabel);
    form->addRow(QStringLiteral("Secret:"), m_secretRow);
    form->addRow(QString(), m_rememberWarning);
    form->addRow(QStringLiteral("Generic:"), m_genericRow);
    form->addRow(QString(), m_asOfNow);

    auto *verdictRow = new QHBoxLayout;
    verdictRow->addWidget(m_badge, 0, Qt::AlignTop);
    m_reason->setObjectName(QStringLiteral("checkReason"));
    m_reason->setWordWrap(true);
    m_reason->setTextInteractionFlags(Qt::TextSelectableByMouse);
    verdictRow->addWidget(m_reason, 1);

    auto *compare = new QGridLayout;
    compare->addWidget(m_receivedTitle, 0, 0);
    compare->addWidget(m_computedTitle, 0, 1);
    compare->addWidget(m_received, 1, 0);
    compare->addWidget(m_computed, 1, 1);
    compare->setColumnStretch(0, 1);
    compare->setColumnStretch(1, 1);
    m_comparison->setObjectName(QStringLiteral("comparison"));
    m_comparison->setWordWrap(true);
    m_timestamp->setWordWrap(true);
    m_timestamp->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *content = new QWidget;
    auto *layout = new QVBoxLayout(content);
    layout->addLayout(form);
    layout->addLayout(verdictRow);
    layout->addLayout(compare);
    layout->addWidget(m_comparison);
    layout->addWidget(m_timestamp);
    layout->addLayout(m_diagnosisSlot, 10); // the checklist takes the room there is
    layout->addStretch(1);
    auto *scroll = new QScrollArea;
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(scroll);

    m_debounce->setSingleShot(true);
    m_debounce->setInterval(150);
    connect(m_debounce, &QTimer::timeout, this, &SignatureView::recheck);
    connect(m_scheme, &QComboBox::currentIndexChanged, this, &SignatureView::sourceChanged);
    connect(m_secret, &QLineEdit::textEdited, this, &SignatureView::secretEdited);
    connect(m_remember, &QCheckBox::toggled, this, [this](bool on) {
        const bool unencrypted = !m_keeper || !m_keeper->keychainAvailable();
        m_form->setRowVisible(m_rememberWarning, on && unencrypted && m_keeper);
        if (m_keeper && unencrypted)
            m_rememberWarning->setText(QStringLiteral("⚠ ") + m_keeper->settingsWarning());
        saveSecret();
    });
    for (QLineEdit *edit : {m_genericHeader, m_genericPrefix})
        connect(edit, &QLineEdit::textEdited, this, &SignatureView::recheck);
    for (QComboBox *combo : {m_genericAlgorithm, m_genericEncoding})
        connect(combo, &QComboBox::currentIndexChanged, this, &SignatureView::recheck);
    connect(m_asOfNow, &QCheckBox::toggled, this, &SignatureView::recheck);
    if (m_keeper) {
        connect(m_keeper, &SecretKeeper::secretLoaded, this, [this](const QString &key) {
            if (key == secretKey() && m_secret->text().isEmpty()) {
                m_secret->setSecret(m_keeper->secret(key));
                recheck();
            }
        });
    }
    sourceChanged();
}

void SignatureView::rebuildSchemeList()
{
    const QSignalBlocker blocker(m_scheme);
    m_scheme->clear();
    m_scheme->addItem(QStringLiteral("The listener's profile"), listenerSource);
    for (const QString &name : builtinSchemeNames()) {
        const auto scheme = createBuiltinScheme(name);
        m_scheme->addItem(scheme->title(), name);
    }
    m_scheme->addItem(QStringLiteral("Generic HMAC"), genericSource);
}

void SignatureView::setProfileLookup(CheckProfileLookup lookup)
{
    m_lookup = std::move(lookup);
    if (m_hasCapture)
        setCapture(m_capture);
}

void SignatureView::setDiagnosisPanel(DiagnosisPanel *panel)
{
    delete m_diagnosis;
    m_diagnosis = panel;
    if (panel) {
        panel->setParent(this);
        m_diagnosisSlot->addWidget(panel);
        if (m_check)
            panel->showCheck(*m_check);
    }
}

void SignatureView::useListenerProfile()
{
    m_scheme->setCurrentIndex(m_scheme->findData(listenerSource));
}

void SignatureView::useScheme(const QString &name)
{
    const auto scheme = createBuiltinScheme(name);
    const int index = m_scheme->findData(scheme ? scheme->name() : genericSource);
    m_scheme->setCurrentIndex(index);
}

QString SignatureView::currentSource() const
{
    return m_scheme->currentData().toString();
}

void SignatureView::setSecret(const QByteArray &secret)
{
    m_secret->setSecret(secret);
    secretEdited();
}

void SignatureView::setCheckAsOfNow(bool now)
{
    m_asOfNow->setChecked(now);
}

void SignatureView::clear()
{
    m_hasCapture = false;
    m_capture = Capture();
    m_check.reset();
    showResult();
}

void SignatureView::setCapture(const Capture &capture)
{
    m_capture = capture;
    m_hasCapture = true;
    m_listenerProfile = m_lookup ? m_lookup(capture) : std::nullopt;
    recheck();
}

QString SignatureView::secretKey() const
{
    const QString source = currentSource();
    return QStringLiteral("check/") + source;
}

void SignatureView::loadSecretFor(const QString &key)
{
    if (!m_keeper)
        return;
    if (m_keeper->hasSecret(key)) {
        m_secret->setSecret(m_keeper->secret(key));
    } else {
        m_secret->clear();
        m_keeper->load(key);
    }
    const QSignalBlocker blocker(m_remember);
    m_remember->setChecked(m_keeper->persistence(key) != SecretKeeper::Persistence::Session);
}

void SignatureView::sourceChanged()
{
    const bool listener = currentSource() == listenerSource;
    const bool generic = currentSource() == genericSource;
    m_form->setRowVisible(m_secretRow, !listener);
    m_form->setRowVisible(m_genericRow, generic);
    m_form->setRowVisible(m_profileLabel, listener);
    if (m_keeper) {
        m_remember->setText(m_keeper->keychainAvailable() ? QStringLiteral("Remember in the keychain")
                                                          : QStringLiteral("Save in settings (unencrypted)"));
        m_remember->setVisible(true);
    } else {
        m_remember->setVisible(false);
    }
    m_form->setRowVisible(m_rememberWarning, false);
    if (!listener) {
        if (m_keeper)
            loadSecretFor(secretKey());
        else
            m_secret->clear();
    }
    recheck();
}

void SignatureView::secretEdited()
{
    if (m_keeper && currentSource() != listenerSource) {
        const QByteArray secret = m_secret->secret();
        if (secret.isEmpty())
            m_keeper->forget(secretKey());
        else
            saveSecret();
    }
    if (m_capture.body.size() > debounceBodySize)
        m_debounce->start();
    else
        recheck();
}

void SignatureView::saveSecret()
{
    if (!m_keeper || currentSource() == listenerSource)
        return;
    const QByteArray secret = m_secret->secret();
    if (secret.isEmpty())
        return;
    SecretKeeper::Persistence persistence = SecretKeeper::Persistence::Session;
    if (m_remember->isChecked())
        persistence
            = m_keeper->keychainAvailable() ? SecretKeeper::Persistence::Keychain : SecretKeeper::Persistence::Settings;
    m_keeper->setSecret(secretKey(), secret, persistence);
}

std::shared_ptr<const SignatureScheme> SignatureView::customScheme(QString *problem) const
{
    const QString source = currentSource();
    if (source != genericSource)
        return std::shared_ptr<const SignatureScheme>(createBuiltinScheme(source));
    GenericSchemeConfig config;
    config.header = m_genericHeader->text().trimmed().toLatin1();
    config.prefix = m_genericPrefix->text().toLatin1();
    config.algorithm = macAlgorithmFromName(m_genericAlgorithm->currentText()).value_or(MacAlgorithm::Sha256);
    config.encoding = signatureEncodingFromName(m_genericEncoding->currentText()).value_or(SignatureEncoding::Hex);
    if (config.header.isEmpty()) {
        *problem = QStringLiteral("Enter the header that carries the signature.");
        return nullptr;
    }
    QString error;
    auto scheme = createGenericScheme(config, &error);
    if (!scheme)
        *problem = error;
    return std::shared_ptr<const SignatureScheme>(std::move(scheme));
}

void SignatureView::recheck()
{
    m_debounce->stop();
    m_check.reset();
    m_problem.clear();
    if (!m_hasCapture) {
        showResult();
        return;
    }
    const qint64 now = m_asOfNow->isChecked() ? QDateTime::currentSecsSinceEpoch() : m_capture.receivedAtUs / 1000000;
    if (currentSource() == listenerSource) {
        if (!m_listenerProfile) {
            m_profileLabel->setText(
                QStringLiteral("The listener %1 is not running in this window; pick a scheme and a secret instead.")
                    .arg(m_capture.listener.isEmpty() ? QStringLiteral("(unknown)") : m_capture.listener));
            m_problem = QStringLiteral("No listener profile for this capture.");
        } else if (!m_listenerProfile->scheme) {
            m_profileLabel->setText(m_listenerProfile->label);
            m_problem = QStringLiteral("The listener checks no signature (no scheme configured).");
        } else {
            m_profileLabel->setText(m_listenerProfile->label);
            m_check = checkSignature(m_capture, m_listenerProfile->scheme, m_listenerProfile->secrets, now);
        }
    } else {
        auto scheme = customScheme(&m_problem);
        if (scheme) {
            QList<QByteArray> secrets;
            if (!m_secret->secret().isEmpty())
                secrets << m_secret->secret();
            m_check = checkSignature(m_capture, scheme, secrets, now);
        }
    }
    showResult();
    if (m_check)
        emit checked(*m_check);
}

QString SignatureView::reasonText() const
{
    return m_reason->text();
}

QString SignatureView::receivedText() const
{
    return m_received->toPlainText();
}

QString SignatureView::computedText() const
{
    return m_computed->toPlainText();
}

QString SignatureView::comparisonText() const
{
    return m_comparison->text();
}

void SignatureView::showResult()
{
    const bool dark = Theme::isDark(palette());
    if (!m_check) {
        m_badge->clear();
        m_reason->setText(m_hasCapture ? m_problem : QStringLiteral("No capture selected."));
        m_receivedTitle->setText(QStringLiteral("Received"));
        m_computedTitle->setText(QStringLiteral("Computed"));
        m_received->clear();
        m_computed->clear();
        m_comparison->clear();
        m_timestamp->clear();
        if (m_diagnosis)
            m_diagnosis->clearCheck();
        return;
    }
    const VerificationResult &result = m_check->result;
    m_badge->setVerdict(result.verdict);
    m_reason->setText(result.reason);
    const QString header = QString::fromLatin1(result.header);
    m_receivedTitle->setText(QStringLiteral("Received %1").arg(header));
    m_computedTitle->setText(result.verdict == Verdict::Valid ? QStringLiteral("Computed (matching secret)")
                                                              : QStringLiteral("Computed from the body"));
    const QColor mark = VerdictStyle::tintColor(Verdict::Invalid, dark).darker(dark ? 70 : 110);
    const bool bothPresent = !result.received.isNull() && !result.expected.isEmpty();
    const qsizetype difference = bothPresent ? firstDifference(result.received, result.expected) : -1;
    if (result.received.isNull())
        m_received->setHtml(QStringLiteral("<i>(no %1 header)</i>").arg(header.toHtmlEscaped()));
    else
        m_received->setHtml(markedHtml(result.received, difference, mark));
    if (result.expected.isEmpty())
        m_computed->setHtml(result.verdict == Verdict::NoSecret
                ? QStringLiteral("<i>(enter a secret to compute it)</i>")
                : QStringLiteral("<i>(can't be computed)</i>"));
    else
        m_computed->setHtml(markedHtml(result.expected, difference, mark));

    QString comparison;
    if (bothPresent) {
        if (difference < 0)
            comparison = QStringLiteral("Identical.");
        else if (result.verdict == Verdict::Valid)
            comparison = QStringLiteral("Equivalent: they differ only in form (e.g. letter case or another listed "
                                        "signature), the MAC matches.");
        else
            comparison = QStringLiteral("They differ from character %1 on (marked).").arg(difference + 1);
    }
    m_comparison->setText(comparison);

    QString timestamp;
    if (result.timestamp) {
        const QDateTime signedAt = QDateTime::fromSecsSinceEpoch(*result.timestamp, Qt::UTC);
        const qint64 skew = result.skew.value_or(0);
        const QString when = m_asOfNow->isChecked() ? QStringLiteral("now") : QStringLiteral("arrival");
        timestamp = QStringLiteral("Signed timestamp %1 (%2 UTC): %3 %4 %5; tolerance ±%6 s.")
                        .arg(*result.timestamp)
                        .arg(signedAt.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")), secondsText(skew),
                            skew >= 0 ? QStringLiteral("before") : QStringLiteral("after"), when)
                        .arg(result.tolerance);
    }
    m_timestamp->setText(timestamp);
    m_timestamp->setVisible(!timestamp.isEmpty());
    if (m_diagnosis)
        m_diagnosis->showCheck(*m_check);
}

void SignatureView::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        showResult(); // the marks and badge colours follow the palette
}

} // namespace hookbench
