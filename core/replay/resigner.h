#pragma once

#include "capture/httprequest.h"
#include "signing/signaturescheme.h"

#include <QByteArray>
#include <QString>

#include <functional>
#include <memory>

namespace hookbench {

// Gives a request fresh signature headers for its exact body bytes: the editor's "Re-sign",
// `replay --resign` and forward mode's re-signing. The scheme's headers are replaced where they
// are (position and spelling of the name kept, stale duplicates dropped) and appended when
// absent; every other header is left alone. Timestamped schemes get the current time, schemes
// with a message id a fresh one.
class Resigner
{
public:
    Resigner(std::shared_ptr<const SignatureScheme> scheme, const QByteArray &secret);

    // Empty when the secret can be used with the scheme, else why not (never quotes the secret).
    QString problem() const { return m_problem; }
    const SignatureScheme &scheme() const { return *m_scheme; }

    // Replaceable for tests and for reproducible signatures. Defaults: now, freshMessageId().
    void setClock(std::function<qint64()> nowSeconds) { m_now = std::move(nowSeconds); }
    void setIdSource(std::function<QByteArray()> nextId) { m_nextId = std::move(nextId); }

    // False (with `error`) only when problem() is set.
    bool resign(HttpRequest &request, QString *error = nullptr) const;
    bool resign(HeaderList &headers, const QByteArray &body, QString *error = nullptr) const;

private:
    std::shared_ptr<const SignatureScheme> m_scheme;
    QByteArray m_key;
    QString m_problem;
    std::function<qint64()> m_now;
    std::function<QByteArray()> m_nextId;
};

// "msg_" + 27 random base62 characters, the shape Standard Webhooks senders use.
QByteArray freshMessageId();

} // namespace hookbench
