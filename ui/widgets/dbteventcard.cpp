#include "dbteventcard.h"

#include "theme.h"
#include "verdictstyle.h"

#include <QEvent>
#include <QGridLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace hookbench {

DbtEventCard::DbtEventCard(QWidget *parent)
    : QFrame(parent), m_title(new QLabel), m_status(new QLabel), m_fields(new QGridLayout), m_findings(new QLabel)
{
    setObjectName(QStringLiteral("dbtCard"));
    setFrameShape(QFrame::StyledPanel);
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.1);
    m_title->setFont(titleFont);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setObjectName(QStringLiteral("dbtStatus"));
    m_findings->setObjectName(QStringLiteral("dbtFindings"));
    m_findings->setWordWrap(true);
    m_findings->setTextFormat(Qt::RichText);

    auto *heading = new QHBoxLayout;
    heading->addWidget(m_title, 1);
    heading->addWidget(m_status);
    m_fields->setHorizontalSpacing(16);
    m_fields->setColumnStretch(1, 1);
    m_fields->setColumnStretch(3, 1);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(heading);
    layout->addLayout(m_fields);
    layout->addWidget(m_findings);
}

QColor DbtEventCard::toneColor(DbtCardInfo::Tone tone, bool dark)
{
    switch (tone) {
    case DbtCardInfo::Tone::Success:
        return VerdictStyle::textColor(Verdict::Valid, dark);
    case DbtCardInfo::Tone::Error:
        return VerdictStyle::textColor(Verdict::Invalid, dark);
    case DbtCardInfo::Tone::Running:
        return dark ? QColor(0x6c, 0xb6, 0xff) : QColor(0x05, 0x50, 0xae);
    case DbtCardInfo::Tone::Cancelled:
        return VerdictStyle::textColor(Verdict::Unsigned, dark);
    case DbtCardInfo::Tone::Neutral:
        break;
    }
    return VerdictStyle::textColor(Verdict::NoSecret, dark);
}

void DbtEventCard::setInfo(const DbtCardInfo &info)
{
    m_info = info;
    rebuild();
}

QStringList DbtEventCard::shownLines() const
{
    QStringList lines {m_title->text()};
    if (!m_status->text().isEmpty())
        lines << QStringLiteral("Status: ") + m_status->text();
    for (int row = 0; row < m_fields->rowCount(); ++row) {
        for (int column = 0; column < 4; column += 2) {
            if (column == 2 && m_fields->itemAtPosition(row, 1) == m_fields->itemAtPosition(row, 3))
                continue; // a long field spans the row
            auto *label = m_fields->itemAtPosition(row, column);
            auto *value = m_fields->itemAtPosition(row, column + 1);
            if (label && value && label->widget() && value->widget())
                lines << qobject_cast<QLabel *>(label->widget())->text() + QLatin1Char(' ')
                        + qobject_cast<QLabel *>(value->widget())->text();
        }
    }
    if (!m_findings->text().isEmpty())
        lines << m_findings->text();
    return lines;
}

void DbtEventCard::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        rebuild();
    QFrame::changeEvent(event);
}

void DbtEventCard::rebuild()
{
    const bool dark = Theme::isDark(palette());
    m_title->setText(QStringLiteral("dbt Cloud · ") + m_info.eventType);
    const QColor color = toneColor(m_info.tone, dark);
    m_status->setText(m_info.runStatus);
    m_status->setStyleSheet(
        QStringLiteral("QLabel { color: %1; border: 1px solid %1; border-radius: 8px; padding: 1px 8px; "
                       "font-weight: bold; }")
            .arg(color.name()));
    m_status->setVisible(!m_info.runStatus.isEmpty());

    while (QLayoutItem *item = m_fields->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    // Short facts two to a row; long ones (ids, messages, times) on rows of their own.
    QList<QPair<QString, QString>> shortFields;
    QList<QPair<QString, QString>> longFields;
    auto add = [](QList<QPair<QString, QString>> &list, const QString &label, const QString &value) {
        if (!value.isEmpty())
            list.append({label, value});
    };
    add(shortFields, QStringLiteral("Job"),
        m_info.jobName.isEmpty() ? m_info.jobId : m_info.jobName + QStringLiteral(" (") + m_info.jobId + u')');
    add(shortFields, QStringLiteral("Run"), m_info.runId);
    add(shortFields, QStringLiteral("Environment"), m_info.environment);
    add(shortFields, QStringLiteral("Project"), m_info.project);
    add(shortFields, QStringLiteral("Account"), m_info.accountId);
    add(shortFields, QStringLiteral("Webhook"), m_info.webhookName);
    add(shortFields, QStringLiteral("dbt version"), m_info.dbtVersion);
    add(shortFields, QStringLiteral("Duration"), m_info.duration);
    add(longFields, QStringLiteral("Event id"), m_info.eventId);
    add(longFields, QStringLiteral("Message"), m_info.runStatusMessage);
    add(longFields, QStringLiteral("Reason"), m_info.runReason);
    for (const auto &[label, value] : std::as_const(m_info.times))
        add(longFields, label, value);
    auto makeLabel = [](const QString &text) {
        auto *label = new QLabel(text + QLatin1Char(':'));
        label->setForegroundRole(QPalette::PlaceholderText);
        return label;
    };
    auto makeValue = [](const QString &text) {
        auto *value = new QLabel(text);
        value->setTextInteractionFlags(Qt::TextSelectableByMouse);
        value->setWordWrap(true);
        value->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
        value->setAlignment(Qt::AlignLeft | Qt::AlignTop);
        return value;
    };
    int row = 0;
    for (qsizetype i = 0; i < shortFields.size(); ++i) {
        const int column = int(i % 2) * 2;
        m_fields->addWidget(makeLabel(shortFields.at(i).first), row, column, Qt::AlignTop);
        m_fields->addWidget(makeValue(shortFields.at(i).second), row, column + 1);
        if (i % 2 == 1 || i == shortFields.size() - 1)
            ++row;
    }
    for (const auto &[label, value] : std::as_const(longFields)) {
        m_fields->addWidget(makeLabel(label), row, 0, Qt::AlignTop);
        m_fields->addWidget(makeValue(value), row, 1, 1, 3);
        ++row;
    }

    QStringList findings;
    for (const DbtCardFinding &finding : std::as_const(m_info.findings)) {
        const Verdict tone = finding.severity == DbtCardFinding::Severity::Error ? Verdict::Invalid
            : finding.severity == DbtCardFinding::Severity::Warning              ? Verdict::Unsigned
                                                                                 : Verdict::NoSecret;
        const QString severity = finding.severity == DbtCardFinding::Severity::Error ? QStringLiteral("error")
            : finding.severity == DbtCardFinding::Severity::Warning                  ? QStringLiteral("warning")
                                                                                     : QStringLiteral("note");
        findings << QStringLiteral("<span style=\"color:%1\"><b>%2</b></span> <code>%3</code> %4")
                        .arg(VerdictStyle::textColor(tone, dark).name(), severity, finding.code.toHtmlEscaped(),
                            finding.message.toHtmlEscaped());
    }
    if (findings.isEmpty() && !m_info.check.isEmpty()) {
        const QString check = m_info.check == u"ok" ? QStringLiteral("Payload check: no findings.")
                                                    : QStringLiteral("Payload check: %1.").arg(m_info.check);
        findings << check.toHtmlEscaped();
    } else if (!findings.isEmpty()) {
        findings.prepend(QStringLiteral("<b>Payload check</b>"));
    }
    m_findings->setText(findings.join(QStringLiteral("<br>")));
    m_findings->setVisible(!findings.isEmpty());
}

} // namespace hookbench
