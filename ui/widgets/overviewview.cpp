#include "overviewview.h"

#include "dbteventcard.h"
#include "models/bytestext.h"
#include "theme.h"
#include "verdictbadge.h"
#include "verdictstyle.h"

#include <QDateTime>
#include <QEvent>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollArea>
#include <QVBoxLayout>

namespace hookbench {

namespace {

const QStringList fieldLabels {QStringLiteral("Received"), QStringLiteral("From"), QStringLiteral("Listener"),
    QStringLiteral("Body"), QStringLiteral("Signature"), QStringLiteral("Response"), QStringLiteral("Id")};

} // namespace

OverviewView::OverviewView(QWidget *parent)
    : QWidget(parent)
    , m_provider(dbtCardFromPayload)
    , m_request(new QLabel)
    , m_form(new QFormLayout)
    , m_badge(new VerdictBadge)
    , m_reason(new QLabel)
    , m_dbtCard(new DbtEventCard)
{
    m_request->setObjectName(QStringLiteral("requestLine"));
    QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    mono.setBold(true);
    mono.setPointSizeF(mono.pointSizeF() * 1.15);
    m_request->setFont(mono);
    m_request->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_request->setWordWrap(true);

    m_form->setLabelAlignment(Qt::AlignRight);
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    for (const QString &label : fieldLabels) {
        auto *value = new QLabel;
        value->setTextInteractionFlags(Qt::TextSelectableByMouse);
        value->setWordWrap(true);
        m_fields.insert(label, value);
        if (label == u"Signature") {
            auto *row = new QWidget;
            auto *rowLayout = new QHBoxLayout(row);
            rowLayout->setContentsMargins(0, 0, 0, 0);
            rowLayout->addWidget(m_badge);
            rowLayout->addWidget(value, 1);
            m_form->addRow(label + QLatin1Char(':'), row);
        } else {
            m_form->addRow(label + QLatin1Char(':'), value);
        }
    }
    m_reason->setWordWrap(true);
    m_reason->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *content = new QWidget;
    auto *layout = new QVBoxLayout(content);
    layout->addWidget(m_request);
    layout->addLayout(m_form);
    layout->addWidget(m_reason);
    layout->addWidget(m_dbtCard);
    layout->addStretch(1);
    auto *scroll = new QScrollArea;
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(scroll);
    clear();
}

void OverviewView::setDbtCardProvider(DbtCardProvider provider)
{
    m_provider = provider ? std::move(provider) : DbtCardProvider(dbtCardFromPayload);
    refresh();
}

void OverviewView::clear()
{
    m_hasCapture = false;
    m_capture = Capture();
    refresh();
}

void OverviewView::setCapture(const Capture &capture)
{
    m_capture = capture;
    m_hasCapture = true;
    refresh();
}

QString OverviewView::field(const QString &label) const
{
    const QLabel *value = m_fields.value(label);
    return value ? value->text() : QString();
}

void OverviewView::setField(const QString &label, const QString &value)
{
    if (QLabel *field = m_fields.value(label))
        field->setText(value);
}

void OverviewView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        refresh();
    QWidget::changeEvent(event);
}

void OverviewView::refresh()
{
    if (!m_hasCapture) {
        m_request->setText(QStringLiteral("No capture selected"));
        for (QLabel *value : std::as_const(m_fields))
            value->clear();
        m_badge->clear();
        m_reason->clear();
        m_dbtCard->hide();
        return;
    }
    const Capture &c = m_capture;
    const bool dark = Theme::isDark(palette());
    m_request->setText(displayBytes(c.method) + QLatin1Char(' ') + displayBytes(c.target, 600));
    const QDateTime received = QDateTime::fromMSecsSinceEpoch(c.receivedAtUs / 1000, Qt::UTC);
    setField(QStringLiteral("Received"),
        QStringLiteral("%1  (%2.%3Z)")
            .arg(formatTimestampUs(c.receivedAtUs), received.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss")))
            .arg(c.receivedAtUs % 1000000, 6, 10, QLatin1Char('0')));
    QString from = c.remoteAddress;
    if (c.remotePort)
        from += QLatin1Char(':') + QString::number(c.remotePort);
    from += c.tls ? QStringLiteral(" · TLS") : QStringLiteral(" · plain HTTP");
    setField(QStringLiteral("From"), from);
    setField(QStringLiteral("Listener"), c.listener.isEmpty() ? QStringLiteral("—") : c.listener);
    const QByteArray contentType = headerValue(c.headers, "Content-Type");
    setField(QStringLiteral("Body"),
        formatSize(c.bodySize())
            + (contentType.isNull() ? QStringLiteral(" · no Content-Type")
                                    : QStringLiteral(" · ") + displayBytes(contentType, 120)));
    m_badge->setVerdict(c.verdict);
    setField(QStringLiteral("Signature"),
        c.scheme.isEmpty() ? QStringLiteral("no scheme configured") : QStringLiteral("scheme ") + c.scheme);
    m_reason->setText(c.verdictReason);
    QLabel *response = m_fields.value(QStringLiteral("Response"));
    if (c.responseStatus > 0) {
        response->setText(QStringLiteral("<span style=\"color:%1\"><b>%2</b></span>")
                              .arg(httpStatusColor(c.responseStatus, dark).name())
                              .arg(c.responseStatus));
    } else {
        response->setText(QStringLiteral("closed without answering"));
    }
    setField(QStringLiteral("Id"), c.id ? QString::number(c.id) : QStringLiteral("not stored"));

    const std::optional<DbtCardInfo> card = m_provider ? m_provider(c) : std::nullopt;
    if (card) {
        m_dbtCard->setInfo(*card);
        m_dbtCard->show();
    } else {
        m_dbtCard->hide();
    }
}

} // namespace hookbench
