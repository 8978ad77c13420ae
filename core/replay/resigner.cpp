#include "resigner.h"

#include <QDateTime>
#include <QRandomGenerator>

namespace hookbench {

namespace {

// Length of the longest common suffix of two header names, ignoring case.
qsizetype commonSuffix(QByteArrayView a, QByteArrayView b)
{
    auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; };
    qsizetype n = 0;
    while (n < a.size() && n < b.size() && lower(a.at(a.size() - 1 - n)) == lower(b.at(b.size() - 1 - n)))
        ++n;
    return n;
}

} // namespace

QByteArray freshMessageId()
{
    static constexpr char alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    QByteArray id = QByteArrayLiteral("msg_");
    for (int i = 0; i < 27; ++i)
        id.append(alphabet[QRandomGenerator::system()->bounded(62)]);
    return id;
}

Resigner::Resigner(std::shared_ptr<const SignatureScheme> scheme, const QByteArray &secret)
    : m_scheme(std::move(scheme))
    , m_now([] { return QDateTime::currentSecsSinceEpoch(); })
    , m_nextId([] { return freshMessageId(); })
{
    Q_ASSERT(m_scheme);
    QString why;
    if (const auto key = m_scheme->keyFromSecret(secret, &why))
        m_key = *key;
    else
        m_problem = QStringLiteral("the secret can't be used with %1: %2").arg(m_scheme->title(), why);
}

bool Resigner::resign(HttpRequest &request, QString *error) const
{
    return resign(request.headers, request.body, error);
}

bool Resigner::resign(HeaderList &headers, const QByteArray &body, QString *error) const
{
    if (!m_problem.isEmpty()) {
        if (error)
            *error = m_problem;
        return false;
    }
    SignOptions options;
    options.timestamp = m_now();
    if (m_scheme->usesId())
        options.id = m_nextId();
    const QByteArray timestamp = QByteArray::number(options.timestamp);
    const QByteArray mac = m_scheme->computeMac(m_key, body, timestamp, options.id);
    HeaderList fresh = m_scheme->signatureHeaders(mac, options);

    // A scheme may read the same headers under another family of names (Svix's svix-* for
    // webhook-*): when the request carries the other family, the fresh headers take its names.
    const QByteArray canonical = m_scheme->signatureHeaderName();
    const SignatureEvidence evidence
        = hasHeader(headers, canonical) ? SignatureEvidence {} : m_scheme->readEvidence(headers);
    if (evidence.headerPresent && !headerNameEquals(evidence.headerName, canonical)) {
        const qsizetype suffix = commonSuffix(canonical, evidence.headerName);
        const QByteArray from = canonical.first(canonical.size() - suffix);
        const QByteArray to = evidence.headerName.first(evidence.headerName.size() - suffix);
        if (!from.isEmpty()) {
            for (HttpHeader &header : fresh) {
                if (header.name.size() >= from.size()
                    && QByteArrayView(header.name).first(from.size()).compare(from, Qt::CaseInsensitive) == 0)
                    header.name = to + header.name.sliced(from.size());
            }
        }
    }
    for (const HttpHeader &header : std::as_const(fresh))
        setHeader(headers, header.name, header.value);
    return true;
}

} // namespace hookbench
