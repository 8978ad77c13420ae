#include "diagnosischecklist.h"

#include "diagnosis/signaturediagnosis.h"
#include "models/bytediff.h"
#include "models/bytestext.h"
#include "theme.h"
#include "verdictstyle.h"

#include <QEvent>
#include <QLabel>
#include <QPromise>
#include <QTextBrowser>
#include <QTextDocument>
#include <QThreadPool>
#include <QVBoxLayout>

#include <memory>

namespace hookbench {

namespace {

QList<DiagnosisFinding> runDiagnosis(const SignatureCheck &check)
{
    QList<NamedSecret> secrets;
    for (qsizetype i = 0; i < check.secrets.size(); ++i) {
        secrets.append(
            {check.secrets.size() == 1 ? QStringLiteral("the secret") : QStringLiteral("secret %1").arg(i + 1),
                check.secrets.at(i)});
    }
    const SignatureDiagnosis diagnosis(*check.scheme);
    return diagnosis.diagnose(check.result, check.capture.headers, check.capture.body, secrets, check.options);
}

// The bytes as HTML, with the given ranges marked; bytes that are not printable text show as
// escapes and line breaks as visible marks, since they are often the difference.
QString markedBytes(QByteArrayView bytes, const QList<QPair<qsizetype, qsizetype>> &ranges, const QColor &mark)
{
    QString html;
    qsizetype at = 0;
    auto plain = [&](qsizetype from, qsizetype to) {
        QString text = displayBytes(bytes.sliced(from, to - from));
        text = text.toHtmlEscaped();
        text.replace(QStringLiteral("\\x0d\\x0a"), QStringLiteral("␍␊<br>"));
        text.replace(QStringLiteral("\\x0a"), QStringLiteral("␊<br>"));
        text.replace(QStringLiteral("\\x0d"), QStringLiteral("␍"));
        text.replace(QStringLiteral(" "), QStringLiteral("&nbsp;"));
        return text;
    };
    for (const auto &[start, end] : ranges) {
        if (start > at)
            html += plain(at, start);
        html += QStringLiteral("<span style=\"background-color:%1\">").arg(mark.name()) + plain(start, end)
            + QStringLiteral("</span>");
        at = end;
    }
    if (at < bytes.size())
        html += plain(at, bytes.size());
    return html;
}

} // namespace

DiagnosisChecklist::DiagnosisChecklist(QWidget *parent)
    : DiagnosisPanel(parent)
    , m_title(new QLabel)
    , m_list(new QTextBrowser)
    , m_watcher(new QFutureWatcher<QList<DiagnosisFinding>>(this))
{
    setObjectName(QStringLiteral("diagnosisChecklist"));
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_list->setObjectName(QStringLiteral("diagnosisFindings"));
    m_list->setOpenLinks(false);
    m_list->setMinimumHeight(260);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 8, 0, 0);
    layout->addWidget(m_title);
    layout->addWidget(m_list, 1);
    connect(m_watcher, &QFutureWatcher<QList<DiagnosisFinding>>::finished, this, [this] {
        if (m_watcher->future().resultCount() > 0)
            present(m_watcher->result());
    });
    clearCheck();
}

void DiagnosisChecklist::clearCheck()
{
    ++m_generation;
    m_watcher->setFuture(QFuture<QList<DiagnosisFinding>>());
    m_running = false;
    m_findings.clear();
    m_list->clear();
    hide();
}

void DiagnosisChecklist::showCheck(const SignatureCheck &check)
{
    const Verdict verdict = check.result.verdict;
    if (!check.scheme || verdict == Verdict::Valid || verdict == Verdict::NoSecret) {
        clearCheck(); // nothing to explain, nothing spent
        return;
    }
    ++m_generation;
    m_body = check.capture.body;
    show();
    if (check.capture.body.size() <= asyncThreshold) {
        m_watcher->setFuture(QFuture<QList<DiagnosisFinding>>());
        present(runDiagnosis(check));
        return;
    }
    m_running = true;
    m_title->setText(QStringLiteral("Why it fails: looking for the cause…"));
    m_list->clear();
    auto promise = std::make_shared<QPromise<QList<DiagnosisFinding>>>();
    m_watcher->setFuture(promise->future());
    promise->start();
    QThreadPool::globalInstance()->start([promise, check] {
        promise->addResult(runDiagnosis(check));
        promise->finish();
    });
}

void DiagnosisChecklist::present(const QList<DiagnosisFinding> &findings)
{
    m_running = false;
    m_findings = findings;
    const bool dark = Theme::isDark(palette());
    if (findings.isEmpty()) {
        m_title->setText(QStringLiteral("Why it fails: no cause found."));
        m_list->clear();
    } else {
        m_title->setText(findings.size() == 1
                ? QStringLiteral("Why it fails (1 finding, best first)")
                : QStringLiteral("Why it fails (%1 findings, best first)").arg(findings.size()));
        QString html;
        for (const DiagnosisFinding &finding : findings)
            html += findingHtml(finding, dark);
        m_list->setHtml(html);
    }
    emit diagnosed(int(findings.size()));
}

QString DiagnosisChecklist::findingHtml(const DiagnosisFinding &finding, bool dark) const
{
    const QColor confirmed = VerdictStyle::textColor(Verdict::Valid, dark);
    const QColor likely = VerdictStyle::textColor(Verdict::Unsigned, dark);
    const QColor muted = VerdictStyle::textColor(Verdict::NoSecret, dark);
    QString html = QStringLiteral("<p style=\"margin-bottom:2px\"><span style=\"color:%1\"><b>%2</b></span> "
                                  "<code>%3</code> — %4</p>")
                       .arg((finding.confirmed ? confirmed : likely).name(),
                           finding.confirmed ? QStringLiteral("✔ confirmed") : QStringLiteral("? likely"),
                           findingCodeName(finding.code), finding.message.toHtmlEscaped());
    QStringList evidence;
    if (!finding.header.isEmpty() && !finding.received.isNull())
        evidence << QStringLiteral("received %1: <code>%2</code>")
                        .arg(QString::fromLatin1(finding.header).toHtmlEscaped(),
                            displayBytes(finding.received, 200).toHtmlEscaped());
    if (!finding.expected.isEmpty())
        evidence
            << QStringLiteral("expected: <code>%1</code>").arg(displayBytes(finding.expected, 200).toHtmlEscaped());
    if (!finding.otherHeader.isEmpty())
        evidence << QStringLiteral("signature found in: <code>%1</code>")
                        .arg(QString::fromLatin1(finding.otherHeader).toHtmlEscaped());
    if (!finding.scheme.isEmpty())
        evidence << QStringLiteral("scheme: %1").arg(finding.scheme.toHtmlEscaped());
    if (!finding.variantDescription.isEmpty())
        evidence << QStringLiteral("variant: %1").arg(finding.variantDescription.toHtmlEscaped());
    if (!finding.secretName.isEmpty())
        evidence << QStringLiteral("secret: %1 (fingerprint %2)")
                        .arg(finding.secretName.toHtmlEscaped(), finding.secretFingerprint);
    if (!finding.fingerprints.isEmpty())
        evidence
            << QStringLiteral("secrets tried, by fingerprint: %1").arg(finding.fingerprints.join(QStringLiteral(", ")));
    if (finding.skew)
        evidence << QStringLiteral("skew: %1 s (tolerance ±%2 s)").arg(*finding.skew).arg(finding.tolerance);
    if (!evidence.isEmpty())
        html += QStringLiteral("<p style=\"margin-left:18px; margin-top:0; color:%1\">%2</p>")
                    .arg(muted.name(), evidence.join(QStringLiteral("<br>")));
    if (!finding.variantBody.isNull())
        html += bodiesHtml(m_body, finding.variantBody, dark);
    return html;
}

QString DiagnosisChecklist::bodiesHtml(const QByteArray &received, const QByteArray &variant, bool dark) const
{
    const QByteArrayView a = QByteArrayView(received).first(qMin(received.size(), maxShownBody));
    const QByteArrayView b = QByteArrayView(variant).first(qMin(variant.size(), maxShownBody));
    const ByteDiff diff = diffBytes(a, b);
    const QColor removed = VerdictStyle::tintColor(Verdict::Invalid, dark).darker(dark ? 60 : 115);
    const QColor added = VerdictStyle::tintColor(Verdict::Valid, dark).darker(dark ? 60 : 115);
    QString note;
    if (received.size() > maxShownBody || variant.size() > maxShownBody)
        note = QStringLiteral("<br><i>First %1 shown.</i>").arg(formatSize(maxShownBody));
    return QStringLiteral(
        "<table width=\"100%\" cellspacing=\"4\" style=\"margin-left:18px\"><tr>"
        "<th align=\"left\">Received body (%1)</th><th align=\"left\">Body that matches (%2)</th></tr>"
        "<tr><td valign=\"top\" style=\"font-family:monospace\">%3</td>"
        "<td valign=\"top\" style=\"font-family:monospace\">%4</td></tr></table>%5")
        .arg(formatSize(received.size()), formatSize(variant.size()), markedBytes(a, diff.removed, removed),
            markedBytes(b, diff.added, added), note);
}

QString DiagnosisChecklist::text() const
{
    QString text = m_title->text();
    if (!m_list->toPlainText().isEmpty())
        text += QLatin1Char('\n') + m_list->toPlainText();
    return text;
}

void DiagnosisChecklist::changeEvent(QEvent *event)
{
    DiagnosisPanel::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        if (!m_running && !m_findings.isEmpty())
            present(m_findings);
}

} // namespace hookbench
