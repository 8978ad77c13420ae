#pragma once

#include "capture/httpheaders.h"
#include "capture/verdict.h"
#include "encoding.h"
#include "hmac.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace hookbench {

struct SignOptions
{
    qint64 timestamp = 0; // Unix seconds, for schemes that sign a timestamp
    QByteArray id; // message id, for schemes that sign one (Standard Webhooks, generic {id})
};

struct VerifyOptions
{
    qint64 now = 0; // Unix seconds: "now" for the timestamp tolerance
    std::optional<int> tolerance; // seconds either side of now; the scheme's default when unset
};

// What a request carries, as one scheme reads it from the headers.
struct SignatureEvidence
{
    QByteArray headerName; // the signature header: as received when present, else the scheme's name for it
    bool headerPresent = false;
    QByteArray headerValue;
    QList<QByteArray> signatures; // decoded MACs of every entry this scheme accepts (rotation lists)
    bool hasTimestamp = false;
    QByteArray timestamp; // as received (it is signed as text)
    QByteArray id; // as received
    QString problem; // why the headers can't be checked (malformed, missing timestamp); empty when fine
};

// The bytes a scheme MACs: prefix + body + suffix. The body is never copied into it.
struct SignedString
{
    QByteArray prefix;
    QByteArray suffix;
};

// The full answer to "is this request signed with one of these secrets?".
struct VerificationResult
{
    Verdict verdict = Verdict::NoSecret;
    QString reason; // one sentence; never contains a secret
    QString scheme;
    QByteArray header; // the signature header checked
    QByteArray received; // its value as received (null when absent)
    QByteArray expected; // the header value the body should carry (first usable secret, or the matching one)
    int matchedSecret = -1; // index into the secrets given, when valid
    std::optional<qint64> timestamp; // the signed timestamp, for timestamped schemes
    std::optional<qint64> skew; // now - timestamp, seconds
    int tolerance = 0; // seconds, for timestamped schemes

    bool isValid() const { return verdict == Verdict::Valid; }
};

// A webhook signature scheme: how a provider signs a request and how to check one.
// Subclasses describe their format (headers, prefix, encoding, signed string, key derivation);
// signing and verification are built on that description here, so every scheme gets the same
// constant-time comparison, rotation support and timestamp handling. The diagnosis uses the
// same description to try the variations a misconfigured sender or receiver produces.
class SignatureScheme
{
public:
    virtual ~SignatureScheme() = default;

    virtual QString name() const = 0; // stable id: "dbt-cloud", "github", ...
    virtual QString title() const = 0; // for people: "dbt Cloud"
    virtual QString summary() const = 0; // one sentence describing the scheme

    virtual MacAlgorithm algorithm() const { return MacAlgorithm::Sha256; }
    virtual SignatureEncoding encoding() const = 0;
    // What precedes each encoded MAC in the header ("sha256=", "v1,", "v0=", ""); for
    // compound headers, the marker of the entries that are checked.
    virtual QByteArray signaturePrefix() const { return {}; }
    virtual QByteArray signatureHeaderName() const = 0;
    // Every header the scheme reads or writes, signature header first.
    virtual QList<QByteArray> headerNames() const { return {signatureHeaderName()}; }

    virtual bool usesTimestamp() const { return false; }
    virtual bool usesId() const { return false; }
    virtual int defaultTolerance() const { return 300; }

    // The HMAC key for a secret as the user holds it (e.g. Standard Webhooks strips "whsec_"
    // and base64-decodes). Returns nullopt with `error` set when the secret can't be used.
    virtual std::optional<QByteArray> keyFromSecret(const QByteArray &secret, QString *error = nullptr) const;

    virtual SignatureEvidence readEvidence(const HeaderList &headers) const = 0;
    virtual SignedString signedString(const QByteArray &timestamp, const QByteArray &id) const;
    // The signature header's value for one MAC (with the timestamp where the header carries it).
    virtual QByteArray formatSignatureValue(const QByteArray &mac, const QByteArray &timestamp) const = 0;
    // Headers to add to a request so that it verifies, signature header first.
    virtual HeaderList signatureHeaders(const QByteArray &mac, const SignOptions &options) const;

    // Built on the description above.
    QByteArray computeMac(const QByteArray &key, const QByteArray &body, const QByteArray &timestamp = {},
        const QByteArray &id = {}) const;
    HeaderList sign(const QByteArray &body, const QByteArray &secret, const SignOptions &options = {}) const;
    VerificationResult verify(const HeaderList &headers, const QByteArray &body, const QList<QByteArray> &secrets,
        const VerifyOptions &options) const;
};

} // namespace hookbench
