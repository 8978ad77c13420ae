#include "responseview.h"

#include "models/bytestext.h"
#include "models/headerlistmodel.h"
#include "widgets/bodyview.h"
#include "widgets/headersview.h"
#include "widgets/verdictstyle.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QTabWidget>
#include <QVBoxLayout>

namespace hookbench {

QString formatDurationUs(qint64 microseconds)
{
    if (microseconds < 0)
        return QStringLiteral("—");
    if (microseconds < 1000)
        return QStringLiteral("%1 µs").arg(microseconds);
    if (microseconds < 1'000'000)
        return QStringLiteral("%1 ms").arg(double(microseconds) / 1000.0, 0, 'f', microseconds < 100'000 ? 1 : 0);
    return QStringLiteral("%1 s").arg(double(microseconds) / 1e6, 0, 'f', 2);
}

ResponseView::ResponseView(QWidget *parent)
    : QWidget(parent)
    , m_status(new QLabel)
    , m_timing(new QLabel)
    , m_failure(new QLabel)
    , m_tabs(new QTabWidget)
    , m_headers(new HeadersView)
    , m_body(new BodyView)
{
    m_status->setObjectName(QStringLiteral("responseStatus"));
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont bold = m_status->font();
    bold.setBold(true);
    m_status->setFont(bold);
    m_timing->setObjectName(QStringLiteral("responseTiming"));
    m_failure->setObjectName(QStringLiteral("responseFailure"));
    m_failure->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_failure->setWordWrap(true);
    m_tabs->setObjectName(QStringLiteral("responseTabs"));
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(m_body, QStringLiteral("Body"));
    m_tabs->addTab(m_headers, QStringLiteral("Headers"));

    auto *line = new QHBoxLayout;
    line->addWidget(m_status);
    line->addStretch(1);
    line->addWidget(m_timing);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(new QLabel(QStringLiteral("<b>Response</b>")));
    layout->addLayout(line);
    layout->addWidget(m_failure);
    layout->addWidget(m_tabs, 1);
    clear();
}

void ResponseView::clear()
{
    m_hasAttempt = false;
    m_attempt = {};
    m_status->setText(QStringLiteral("Nothing sent yet"));
    m_timing->clear();
    m_failure->hide();
    m_failure->clear();
    m_headers->model()->setHeaders({});
    m_body->clear();
    updateStatusColour();
}

void ResponseView::setSending(const QString &target)
{
    clear();
    m_status->setText(QStringLiteral("Sending to %1…").arg(target));
}

void ResponseView::setNotSent(const QString &reason)
{
    clear();
    m_status->setText(QStringLiteral("Not sent"));
    m_failure->setText(reason);
    m_failure->setStyleSheet(QStringLiteral("color: %1").arg(VerdictStyle::textColor(Verdict::Invalid, m_dark).name()));
    m_failure->show();
}

void ResponseView::setAttempt(const Attempt &attempt)
{
    m_attempt = attempt;
    m_hasAttempt = true;
    if (attempt.failure == Attempt::Failure::None) {
        m_status->setText(QStringLiteral("%1 %2").arg(attempt.status).arg(QString::fromLatin1(attempt.reasonPhrase)));
        m_failure->hide();
        m_failure->clear();
    } else {
        m_status->setText(QStringLiteral("No response (%1)").arg(attemptFailureName(attempt.failure)));
        // One line: the reason as the sender gave it (refused, timeout, TLS with the certificate's).
        QString reason = attempt.error;
        reason.replace(QLatin1Char('\n'), QLatin1Char(' '));
        m_failure->setText(reason);
        m_failure->show();
    }
    m_timing->setText(QStringLiteral("%1 · first byte %2 · total %3")
                          .arg(formatSize(attempt.responseBody.size()), formatDurationUs(attempt.timeToFirstByteUs),
                              formatDurationUs(attempt.totalUs)));
    m_headers->model()->setHeaders(attempt.responseHeaders);
    m_body->setBody(attempt.responseBody, headerValue(attempt.responseHeaders, "Content-Type"),
        headerValue(attempt.responseHeaders, "Content-Encoding"));
    updateStatusColour();
}

void ResponseView::setDark(bool dark)
{
    m_dark = dark;
    updateStatusColour();
}

void ResponseView::updateStatusColour()
{
    if (!m_hasAttempt) {
        m_status->setStyleSheet(QString());
        return;
    }
    const QColor colour = httpStatusColor(m_attempt.failure == Attempt::Failure::None ? m_attempt.status : 0, m_dark);
    m_status->setStyleSheet(QStringLiteral("color: %1").arg(colour.name()));
    m_failure->setStyleSheet(QStringLiteral("color: %1").arg(VerdictStyle::textColor(Verdict::Invalid, m_dark).name()));
}

QString ResponseView::statusText() const
{
    return m_status->text();
}

QString ResponseView::timingText() const
{
    return m_timing->text();
}

QString ResponseView::failureText() const
{
    return m_failure->isHidden() ? QString() : m_failure->text();
}

} // namespace hookbench
