#pragma once

#include "diagnosis/diagnosisfinding.h"
#include "diagnosispanel.h"

#include <QFutureWatcher>

class QLabel;
class QTextBrowser;
class QVBoxLayout;

namespace hookbench {

// The Signature tab's "why it fails": runs the diagnosis on a failed check (on a worker thread
// for big bodies: it MACs many variants) and shows the findings as a checklist, best first —
// confirmed causes (a MAC matched) ticked, likely ones marked — each with its evidence. For body
// variants (re-encoded JSON, line endings, BOM, trailing newline) the received body and the one
// that matched are shown side by side with the differences marked. A valid check shows nothing
// and costs nothing.
class DiagnosisChecklist : public DiagnosisPanel
{
    Q_OBJECT

public:
    // Bodies above this are diagnosed off the UI thread.
    static constexpr qsizetype asyncThreshold = 64 * 1024;
    // How much of each body the side-by-side view shows.
    static constexpr qsizetype maxShownBody = 4096;

    explicit DiagnosisChecklist(QWidget *parent = nullptr);

    void showCheck(const SignatureCheck &check) override;
    void clearCheck() override;

    const QList<DiagnosisFinding> &findings() const { return m_findings; }
    bool isRunning() const { return m_running; }
    QString text() const; // the checklist as plain text, for tests and copying

signals:
    void diagnosed(int findings);

protected:
    void changeEvent(QEvent *event) override;

private:
    void present(const QList<DiagnosisFinding> &findings);
    QString findingHtml(const DiagnosisFinding &finding, bool dark) const;
    QString bodiesHtml(const QByteArray &received, const QByteArray &variant, bool dark) const;

    quint64 m_generation = 0;
    bool m_running = false;
    QByteArray m_body;
    QList<DiagnosisFinding> m_findings;
    QLabel *m_title;
    QTextBrowser *m_list;
    QFutureWatcher<QList<DiagnosisFinding>> *m_watcher;
};

} // namespace hookbench
