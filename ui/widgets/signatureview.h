#pragma once

#include "capture/capture.h"
#include "models/signaturecheck.h"

#include <QWidget>

#include <optional>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QTextEdit;
class QTimer;
class QVBoxLayout;
class QWidget;

namespace hookbench {

class DiagnosisPanel;
class SecretKeeper;
class SecretLineEdit;
class VerdictBadge;

// The Signature tab: checks the selected capture live, either with the profile of the listener
// that received it or with any scheme and secret picked right here (the secret stays in memory,
// and in the keychain when the user asks). Shows the verdict badge and reason, the received and
// the computed signature side by side with the first difference marked, the signed timestamp's
// skew, and hosts the diagnosis panel. Timestamps are judged as of the capture's arrival, like
// the listener did, unless "as of now" is ticked.
class SignatureView : public QWidget
{
    Q_OBJECT

public:
    // `keeper` may be null: secrets then live in this widget only.
    explicit SignatureView(SecretKeeper *keeper = nullptr, QWidget *parent = nullptr);

    void setCapture(const Capture &capture);
    void clear();
    void setProfileLookup(CheckProfileLookup lookup);
    // Takes ownership; shown under the comparison.
    void setDiagnosisPanel(DiagnosisPanel *panel);
    DiagnosisPanel *diagnosisPanel() const { return m_diagnosis; }

    // What to check with: the listener's profile, or a built-in scheme by name, or "generic".
    void useListenerProfile();
    void useScheme(const QString &name);
    QString currentSource() const; // "listener", a scheme name, or "generic"
    void setSecret(const QByteArray &secret);
    void setCheckAsOfNow(bool now);

    bool hasResult() const { return m_check.has_value(); }
    const SignatureCheck &lastCheck() const { return *m_check; }
    VerdictBadge *badge() const { return m_badge; }
    QString reasonText() const;
    QString receivedText() const;
    QString computedText() const;
    QString comparisonText() const;
    QComboBox *schemeCombo() const { return m_scheme; }
    SecretLineEdit *secretEdit() const { return m_secret; }

signals:
    void checked(const SignatureCheck &check);

protected:
    void changeEvent(QEvent *event) override;

private:
    void rebuildSchemeList();
    void sourceChanged();
    void secretEdited();
    void recheck();
    void showResult();
    std::shared_ptr<const SignatureScheme> customScheme(QString *problem) const;
    QString secretKey() const;
    void loadSecretFor(const QString &key);
    void saveSecret();

    SecretKeeper *m_keeper;
    Capture m_capture;
    bool m_hasCapture = false;
    CheckProfileLookup m_lookup;
    std::optional<CheckProfile> m_listenerProfile;
    std::optional<SignatureCheck> m_check;
    QString m_problem;

    QComboBox *m_scheme;
    QLabel *m_profileLabel;
    QWidget *m_secretRow;
    SecretLineEdit *m_secret;
    QCheckBox *m_remember;
    QLabel *m_rememberWarning;
    QWidget *m_genericRow;
    QLineEdit *m_genericHeader;
    QLineEdit *m_genericPrefix;
    QComboBox *m_genericAlgorithm;
    QComboBox *m_genericEncoding;
    QCheckBox *m_asOfNow;
    VerdictBadge *m_badge;
    QLabel *m_reason;
    QLabel *m_receivedTitle;
    QLabel *m_computedTitle;
    QTextEdit *m_received;
    QTextEdit *m_computed;
    QLabel *m_comparison;
    QLabel *m_timestamp;
    QVBoxLayout *m_diagnosisSlot;
    DiagnosisPanel *m_diagnosis = nullptr;
    QTimer *m_debounce;
    QFormLayout *m_form;
};

} // namespace hookbench
