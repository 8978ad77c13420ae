#pragma once

#include "capture/capture.h"
#include "models/dbtcardinfo.h"

#include <QWidget>

class QFormLayout;
class QLabel;

namespace hookbench {

class DbtEventCard;
class VerdictBadge;

// The Overview tab: what arrived, when, from where, how the listener judged its signature and
// what it answered; for dbt Cloud events, a card with the event (see setDbtCardProvider).
class OverviewView : public QWidget
{
    Q_OBJECT

public:
    explicit OverviewView(QWidget *parent = nullptr);

    void setCapture(const Capture &capture);
    void clear();
    // What fills the dbt card; by default the body parsed and checked by core/dbt
    // (dbtCardFromPayload). dbtCardFromCapture uses only the stored summary fields.
    void setDbtCardProvider(DbtCardProvider provider);

    DbtEventCard *dbtCard() const { return m_dbtCard; }
    VerdictBadge *badge() const { return m_badge; }
    // The value shown for a row label ("Received", "From", …), for tests.
    QString field(const QString &label) const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void setField(const QString &label, const QString &value);
    void refresh();

    Capture m_capture;
    bool m_hasCapture = false;
    DbtCardProvider m_provider;
    QLabel *m_request;
    QFormLayout *m_form;
    QHash<QString, QLabel *> m_fields;
    VerdictBadge *m_badge;
    QLabel *m_reason;
    DbtEventCard *m_dbtCard;
};

} // namespace hookbench
