#include "resignpanel.h"

#include "replay/resigner.h"
#include "signing/schemeregistry.h"
#include "widgets/secretlineedit.h"

#include <QComboBox>
#include <QDateTime>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace hookbench {

ResignPanel::ResignPanel(QWidget *parent)
    : QWidget(parent)
    , m_previewId(freshMessageId())
    , m_scheme(new QComboBox)
    , m_secret(new SecretLineEdit)
    , m_useOffered(new QToolButton)
    , m_preview(new QPlainTextEdit)
    , m_badgeLabel(new QLabel)
    , m_write(new QPushButton(QStringLiteral("&Write signature headers")))
    , m_timer(new QTimer(this))
{
    m_scheme->setObjectName(QStringLiteral("resignScheme"));
    for (const QString &name : builtinSchemeNames()) {
        const std::unique_ptr<SignatureScheme> scheme = createBuiltinScheme(name);
        m_scheme->addItem(scheme ? scheme->title() : name, name);
    }
    m_secret->setObjectName(QStringLiteral("resignSecret"));
    m_secret->setPlaceholderText(QStringLiteral("secret to sign with"));
    m_useOffered->setObjectName(QStringLiteral("useListenerSecret"));
    m_useOffered->setText(QStringLiteral("Listener's secret"));
    m_useOffered->setToolTip(QStringLiteral("Use the secret of the listener that received the capture"));
    m_useOffered->setPopupMode(QToolButton::InstantPopup);
    m_useOffered->hide();
    m_preview->setObjectName(QStringLiteral("signaturePreview"));
    m_preview->setReadOnly(true);
    m_preview->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_preview->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_preview->setMaximumHeight(m_preview->fontMetrics().lineSpacing() * 4 + 12);
    m_preview->setToolTip(QStringLiteral("The signature header(s) the current bytes would get"));
    m_badgeLabel->setObjectName(QStringLiteral("resignBadge"));
    m_badgeLabel->setWordWrap(true);
    m_write->setObjectName(QStringLiteral("writeSignature"));
    m_write->setToolTip(QStringLiteral(
        "Replace (or add) the scheme's signature headers, with a fresh timestamp and id where it has them"));

    m_timer->setSingleShot(true);
    m_timer->setInterval(updateDelayMs);
    connect(m_timer, &QTimer::timeout, this, &ResignPanel::updateNow);
    connect(m_scheme, &QComboBox::currentIndexChanged, this, &ResignPanel::schedule);
    connect(m_secret, &QLineEdit::textChanged, this, &ResignPanel::schedule);
    connect(m_write, &QPushButton::clicked, this, &ResignPanel::writeRequested);

    auto *secretRow = new QHBoxLayout;
    secretRow->addWidget(m_secret, 1);
    secretRow->addWidget(m_useOffered);
    auto *form = new QFormLayout;
    form->setContentsMargins(0, 0, 0, 0);
    form->addRow(QStringLiteral("Scheme"), m_scheme);
    form->addRow(QStringLiteral("Secret"), secretRow);
    form->addRow(QStringLiteral("Would send"), m_preview);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(new QLabel(QStringLiteral("<b>Re-sign</b>")));
    layout->addLayout(form);
    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_badgeLabel, 1);
    bottom->addWidget(m_write, 0, Qt::AlignRight);
    layout->addLayout(bottom);
    updateNow();
}

ResignPanel::~ResignPanel() = default;

void ResignPanel::setOriginal(const HeaderList &headers, const QByteArray &body, bool hasOriginal)
{
    m_originalHeaders = headers;
    m_originalBody = body;
    m_hasOriginal = hasOriginal;
    schedule();
}

void ResignPanel::setCurrent(const HeaderList &headers, const QByteArray &body)
{
    m_headers = headers;
    m_body = body;
    schedule();
}

void ResignPanel::offerSecrets(const QString &schemeName, const QList<QByteArray> &secrets)
{
    if (!schemeName.isEmpty())
        setSchemeName(schemeName);
    m_offered = secrets;
    m_offered.removeAll(QByteArray());
    if (m_offered.isEmpty()) {
        m_useOffered->hide();
        return;
    }
    auto *menu = new QMenu(m_useOffered);
    for (qsizetype i = 0; i < m_offered.size(); ++i) {
        menu->addAction(QStringLiteral("Secret %1 of %2").arg(i + 1).arg(m_offered.size()), this,
            [this, i] { setSecret(m_offered.value(i)); });
    }
    delete m_useOffered->menu();
    m_useOffered->setMenu(menu);
    m_useOffered->show();
    if (m_secret->text().isEmpty())
        setSecret(m_offered.first());
}

QString ResignPanel::schemeName() const
{
    return m_scheme->currentData().toString();
}

void ResignPanel::setSchemeName(const QString &name)
{
    std::unique_ptr<SignatureScheme> scheme = createBuiltinScheme(name);
    const int index = m_scheme->findData(scheme ? scheme->name() : name);
    if (index >= 0)
        m_scheme->setCurrentIndex(index);
}

QByteArray ResignPanel::secret() const
{
    return m_secret->secret();
}

void ResignPanel::setSecret(const QByteArray &secret)
{
    m_secret->setSecret(secret);
    schedule();
}

void ResignPanel::schedule()
{
    m_timer->start();
}

QString ResignPanel::badgeText() const
{
    return m_badgeLabel->text();
}

QString ResignPanel::previewText() const
{
    return m_preview->toPlainText();
}

void ResignPanel::setBadge(Badge badge, const QString &detail)
{
    m_badge = badge;
    QString text;
    QString colour;
    switch (badge) {
    case Badge::None:
        break;
    case Badge::NeedSecret:
        text = QStringLiteral("Enter the secret to check the original signature against these bytes");
        break;
    case Badge::Unchanged:
        text = QStringLiteral("✔ unchanged — original signature valid");
        colour = QStringLiteral("#2e7d32");
        break;
    case Badge::Changed:
        text = QStringLiteral("✘ body changed — original signature no longer valid");
        colour = QStringLiteral("#c62828");
        break;
    case Badge::OriginalUnsigned:
        text = QStringLiteral("original was not signed");
        colour = QStringLiteral("#8a6d00");
        break;
    case Badge::OriginalInvalid:
        text = QStringLiteral("original signature did not verify with this scheme and secret");
        colour = QStringLiteral("#8a6d00");
        break;
    case Badge::UnusableSecret:
        text = detail;
        colour = QStringLiteral("#c62828");
        break;
    }
    m_badgeLabel->setText(text);
    m_badgeLabel->setStyleSheet(
        colour.isEmpty() ? QString() : QStringLiteral("color: %1; font-weight: bold").arg(colour));
    m_badgeLabel->setVisible(!text.isEmpty());
}

void ResignPanel::updateNow()
{
    m_timer->stop();
    m_current = createBuiltinScheme(schemeName());
    const QByteArray key = secret();
    if (!m_current) {
        m_preview->setPlainText(QString());
        setBadge(Badge::None);
        return;
    }
    QString problem;
    const bool usable = !key.isEmpty() && m_current->keyFromSecret(key, &problem).has_value();

    // The preview: what "Write" would put in, with a stable id so it doesn't flicker as you type.
    if (key.isEmpty()) {
        m_preview->setPlainText(QStringLiteral("(enter a secret to see the signature)"));
    } else if (!usable) {
        m_preview->setPlainText(QStringLiteral("(%1)").arg(problem));
    } else {
        SignOptions options;
        options.timestamp = QDateTime::currentSecsSinceEpoch();
        options.id = m_previewId;
        if (m_current->usesId()) {
            const SignatureEvidence evidence = m_current->readEvidence(m_headers);
            if (!evidence.id.isEmpty())
                options.id = evidence.id;
        }
        QStringList lines;
        for (const HttpHeader &header : m_current->sign(m_body, key, options))
            lines.append(QString::fromUtf8(header.name + ": " + header.value));
        m_preview->setPlainText(lines.join(QLatin1Char('\n')));
    }

    // The badge: the ORIGINAL signature headers against the CURRENT body.
    if (!m_hasOriginal) {
        setBadge(Badge::None);
        return;
    }
    const SignatureEvidence evidence = m_current->readEvidence(m_originalHeaders);
    if (!evidence.headerPresent) {
        setBadge(Badge::OriginalUnsigned);
        return;
    }
    if (key.isEmpty()) {
        setBadge(Badge::NeedSecret);
        return;
    }
    if (!usable) {
        setBadge(Badge::UnusableSecret,
            QStringLiteral("The secret can't be used with %1: %2").arg(m_current->title(), problem));
        return;
    }
    // Only whether the MAC matches: an old capture's timestamp is outside any tolerance by now.
    VerifyOptions options;
    options.now = QDateTime::currentSecsSinceEpoch();
    const auto matches = [&](const QByteArray &body) {
        return m_current->verify(m_originalHeaders, body, {key}, options).matchedSecret >= 0;
    };
    if (!matches(m_originalBody))
        setBadge(Badge::OriginalInvalid);
    else if (m_body == m_originalBody || matches(m_body))
        setBadge(Badge::Unchanged);
    else
        setBadge(Badge::Changed);
}

bool ResignPanel::writeSignature(HeaderList &headers, const QByteArray &body, QString *error) const
{
    std::shared_ptr<const SignatureScheme> scheme = createBuiltinScheme(schemeName());
    if (!scheme) {
        *error = QStringLiteral("Choose a signature scheme first.");
        return false;
    }
    if (secret().isEmpty()) {
        *error = QStringLiteral("Enter the secret to sign with first.");
        return false;
    }
    const Resigner resigner(scheme, secret());
    return resigner.resign(headers, body, error);
}

} // namespace hookbench
