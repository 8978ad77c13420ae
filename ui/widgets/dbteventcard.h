#pragma once

#include "models/dbtcardinfo.h"

#include <QFrame>

class QGridLayout;
class QLabel;
class QVBoxLayout;

namespace hookbench {

// The Overview tab's card for a dbt Cloud event: event type and run status (coloured), job,
// run, environment, project, the payload's timestamps, and the payload check's findings.
class DbtEventCard : public QFrame
{
    Q_OBJECT

public:
    explicit DbtEventCard(QWidget *parent = nullptr);

    void setInfo(const DbtCardInfo &info);
    const DbtCardInfo &info() const { return m_info; }
    // The colour of a run status tone on this palette.
    static QColor toneColor(DbtCardInfo::Tone tone, bool dark);
    // Every field's text as shown, for tests and accessibility: "Job: Daily Job (123)", …
    QStringList shownLines() const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void rebuild();

    DbtCardInfo m_info;
    QLabel *m_title;
    QLabel *m_status;
    QGridLayout *m_fields;
    QLabel *m_findings;
};

} // namespace hookbench
