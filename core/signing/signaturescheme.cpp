#include "signaturescheme.h"

#include <QtGlobal>

namespace hookbench {

namespace {

std::optional<qint64> parseUnixTime(const QByteArray &text)
{
    bool ok = false;
    const qint64 value = text.toLongLong(&ok);
    // toLongLong accepts surrounding whitespace and a sign; a signed timestamp is plain digits.
    if (!ok || text.isEmpty() || text.front() < '0' || text.front() > '9' || text.back() < '0' || text.back() > '9')
        return std::nullopt;
    return value;
}

QString durationText(qint64 seconds)
{
    return seconds == 1 ? QStringLiteral("1 second") : QStringLiteral("%1 seconds").arg(seconds);
}

} // namespace

std::optional<QByteArray> SignatureScheme::keyFromSecret(const QByteArray &secret, QString *error) const
{
    if (secret.isEmpty()) {
        if (error)
            *error = QStringLiteral("the secret is empty");
        return std::nullopt;
    }
    return secret;
}

SignedString SignatureScheme::signedString(const QByteArray &, const QByteArray &) const
{
    return {};
}

HeaderList SignatureScheme::signatureHeaders(const QByteArray &mac, const SignOptions &options) const
{
    const QByteArray timestamp = QByteArray::number(options.timestamp);
    return {{signatureHeaderName(), formatSignatureValue(mac, timestamp)}};
}

QByteArray SignatureScheme::computeMac(
    const QByteArray &key, const QByteArray &body, const QByteArray &timestamp, const QByteArray &id) const
{
    const SignedString around = signedString(timestamp, id);
    return hmac(algorithm(), key, {around.prefix, body, around.suffix});
}

HeaderList SignatureScheme::sign(const QByteArray &body, const QByteArray &secret, const SignOptions &options) const
{
    const std::optional<QByteArray> key = keyFromSecret(secret);
    if (!key)
        return {};
    return signatureHeaders(computeMac(*key, body, QByteArray::number(options.timestamp), options.id), options);
}

VerificationResult SignatureScheme::verify(const HeaderList &headers, const QByteArray &body,
    const QList<QByteArray> &secrets, const VerifyOptions &options) const
{
    VerificationResult result;
    result.scheme = name();
    const SignatureEvidence evidence = readEvidence(headers);
    result.header = evidence.headerName;
    result.received = evidence.headerPresent ? evidence.headerValue : QByteArray();
    if (usesTimestamp())
        result.tolerance = options.tolerance.value_or(defaultTolerance());

    std::optional<qint64> timestamp;
    if (evidence.hasTimestamp) {
        timestamp = parseUnixTime(evidence.timestamp);
        if (timestamp) {
            result.timestamp = timestamp;
            result.skew = options.now - *timestamp;
        }
    }

    QList<QByteArray> keys;
    for (const QByteArray &secret : secrets) {
        if (const auto key = keyFromSecret(secret))
            keys.append(*key);
        else
            keys.append(QByteArray()); // keeps indexes aligned with `secrets`; never matches
    }
    const bool anyKey = std::any_of(keys.cbegin(), keys.cend(), [](const QByteArray &key) { return !key.isNull(); });

    // The expected value needs the signed timestamp/id; without a timestamp it can't be formed.
    const bool canCompute = !usesTimestamp() || evidence.hasTimestamp;
    QList<QByteArray> macs;
    if (anyKey && canCompute) {
        for (const QByteArray &key : keys)
            macs.append(key.isNull() ? QByteArray() : computeMac(key, body, evidence.timestamp, evidence.id));
    }
    auto expectedFor = [&](qsizetype index) { return formatSignatureValue(macs.at(index), evidence.timestamp); };
    if (!macs.isEmpty()) {
        const auto firstUsable
            = std::find_if(macs.cbegin(), macs.cend(), [](const QByteArray &m) { return !m.isEmpty(); });
        result.expected = expectedFor(firstUsable - macs.cbegin());
    }

    if (secrets.isEmpty()) {
        result.verdict = Verdict::NoSecret;
        result.reason = QStringLiteral("No secret is configured, so the signature was not checked.");
        return result;
    }
    if (!anyKey) {
        QString why;
        keyFromSecret(secrets.first(), &why);
        result.verdict = Verdict::Invalid;
        result.reason = QStringLiteral("The secret can't be used with %1: %2.").arg(title(), why);
        return result;
    }
    if (!evidence.headerPresent) {
        result.verdict = Verdict::Unsigned;
        result.reason = QStringLiteral("The request has no %1 header.").arg(QString::fromLatin1(evidence.headerName));
        return result;
    }
    if (!evidence.problem.isEmpty()) {
        result.verdict = Verdict::Invalid;
        result.reason = evidence.problem;
        return result;
    }

    int matched = -1;
    for (qsizetype k = 0; k < macs.size(); ++k) {
        if (macs.at(k).isEmpty())
            continue;
        for (const QByteArray &candidate : evidence.signatures) {
            // Every candidate is compared, even after a match, so timing reveals nothing.
            if (constantTimeEquals(macs.at(k), candidate) && matched < 0)
                matched = int(k);
        }
    }
    if (matched < 0) {
        result.verdict = Verdict::Invalid;
        result.reason = secrets.size() == 1
            ? QStringLiteral("The %1 signature does not match the body signed with the secret.").arg(title())
            : QStringLiteral("The %1 signature does not match the body signed with any of the %2 secrets.")
                  .arg(title())
                  .arg(secrets.size());
        return result;
    }
    result.matchedSecret = matched;
    result.expected = expectedFor(matched);

    if (usesTimestamp()) {
        if (!timestamp) {
            result.verdict = Verdict::Invalid;
            result.reason = QStringLiteral("The signed timestamp \"%1\" is not a Unix time.")
                                .arg(QString::fromLatin1(evidence.timestamp.left(40)));
            return result;
        }
        const qint64 skew = *result.skew;
        if (qAbs(skew) > result.tolerance) {
            result.verdict = Verdict::Invalid;
            result.reason = skew > 0
                ? QStringLiteral("The signature matches but its timestamp is %1 old, outside the %2 tolerance.")
                      .arg(durationText(skew), durationText(result.tolerance))
                : QStringLiteral(
                    "The signature matches but its timestamp is %1 in the future, outside the %2 tolerance.")
                      .arg(durationText(-skew), durationText(result.tolerance));
            return result;
        }
    }

    result.verdict = Verdict::Valid;
    result.reason = secrets.size() == 1 ? QStringLiteral("The %1 signature matches the body.").arg(title())
                                        : QStringLiteral("The %1 signature matches the body with secret %2 of %3.")
                                              .arg(title())
                                              .arg(matched + 1)
                                              .arg(secrets.size());
    return result;
}

} // namespace hookbench
