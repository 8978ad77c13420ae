#pragma once

#include "capture/httpheaders.h"

#include <QByteArray>
#include <QWidget>

#include <memory>

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTimer;
class QToolButton;

namespace hookbench {

class SecretLineEdit;
class SignatureScheme;

// The request editor's re-sign panel: a scheme and a secret, a live preview of the signature
// header(s) the current bytes would get, and — for a request that came from a capture — a badge
// saying whether the ORIGINAL signature headers still match the CURRENT body with that scheme
// and secret. "Write signature headers" puts fresh ones (new timestamp and id where the scheme
// has them) into the editor's header list. The secret is held only by the line edit.
class ResignPanel : public QWidget
{
    Q_OBJECT

public:
    enum class Badge {
        None, // a blank request: nothing to compare with
        NeedSecret, // no secret entered yet
        Unchanged, // the original signature still matches these bytes
        Changed, // the original signature matched the original body, not this one
        OriginalUnsigned, // the capture had no signature header for this scheme
        OriginalInvalid, // the capture's signature did not verify with this scheme and secret
        UnusableSecret, // the secret can't be used with the scheme
    };
    Q_ENUM(Badge)

    static constexpr int updateDelayMs = 150;

    explicit ResignPanel(QWidget *parent = nullptr);
    ~ResignPanel() override;

    // The capture's headers and body as received; `hasOriginal` false for a blank request.
    void setOriginal(const HeaderList &headers, const QByteArray &body, bool hasOriginal);
    // The editor's current bytes; the preview and the badge follow (debounced).
    void setCurrent(const HeaderList &headers, const QByteArray &body);
    // The listener's scheme and secrets, offered when the request came from its capture.
    void offerSecrets(const QString &schemeName, const QList<QByteArray> &secrets);

    QString schemeName() const;
    void setSchemeName(const QString &name);
    QByteArray secret() const;
    void setSecret(const QByteArray &secret);

    // Computes the preview and the badge now (tests, and when the debounce is too slow).
    void updateNow();
    Badge badge() const { return m_badge; }
    QString badgeText() const;
    QString previewText() const;

    // Replaces or adds the scheme's headers in `headers` for `body`. False with `error` when the
    // secret is missing or unusable (the error never quotes the secret).
    bool writeSignature(HeaderList &headers, const QByteArray &body, QString *error) const;

    QComboBox *schemeBox() const { return m_scheme; }
    SecretLineEdit *secretEdit() const { return m_secret; }
    QPushButton *writeButton() const { return m_write; }
    QLabel *badgeLabel() const { return m_badgeLabel; }

signals:
    void writeRequested();

private:
    void schedule();
    void setBadge(Badge badge, const QString &detail = {});

    std::shared_ptr<SignatureScheme> m_current;
    HeaderList m_originalHeaders;
    QByteArray m_originalBody;
    bool m_hasOriginal = false;
    HeaderList m_headers;
    QByteArray m_body;
    QList<QByteArray> m_offered;
    QByteArray m_previewId;
    Badge m_badge = Badge::None;

    QComboBox *m_scheme;
    SecretLineEdit *m_secret;
    QToolButton *m_useOffered;
    QPlainTextEdit *m_preview;
    QLabel *m_badgeLabel;
    QPushButton *m_write;
    QTimer *m_timer;
};

} // namespace hookbench
