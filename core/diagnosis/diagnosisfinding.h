#pragma once

#include "jsonreencoder.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <optional>

namespace hookbench {

// The causes the diagnosis recognises. Their names (findingCodeName) are stable: scripts,
// the store and the GUI key on them.
enum class FindingCode {
    MissingHeader, // "missing-header"
    HeaderReplaced, // "header-replaced"
    PrefixMismatch, // "prefix-mismatch"
    EncodingMismatch, // "encoding-mismatch"
    OtherScheme, // "other-scheme"
    SecretWhitespace, // "secret-whitespace"
    SecretEncoding, // "secret-encoding"
    OtherSecret, // "other-secret"
    BodyReserialized, // "body-reserialized"
    BodyLineEndings, // "body-line-endings"
    BodyTrailingNewline, // "body-trailing-newline"
    BodyBom, // "body-bom"
    TimestampOutsideTolerance, // "timestamp-outside-tolerance"
    WrongSecret, // "wrong-secret"
};

QString findingCodeName(FindingCode code);
std::optional<FindingCode> findingCodeFromName(QStringView name);
QList<FindingCode> allFindingCodes();

// One cause of a signature failure, with what shows it. Evidence fields are set where they
// apply to the code; none ever holds a secret (secrets appear as names and fingerprints).
struct DiagnosisFinding
{
    FindingCode code = FindingCode::WrongSecret;
    QString message; // one line for people
    // True when a MAC computed here equals the one received, so the cause is certain; false for
    // what the headers alone show (a credential where a signature should be) and for wrong-secret.
    bool confirmed = false;

    QByteArray header; // the header concerned, as received (the scheme's name for it when absent)
    QByteArray received; // that header's value, when present
    QByteArray expected; // what the scheme expects in that header, when known (a MAC, never a key)
    QByteArray otherHeader; // missing-header, other-scheme: the header that carries a signature instead
    // What differs from the scheme's way: a stable id of the variation that matches
    // ("crlf-to-lf", "trailing-newline-added", "secret-trimmed", "secret-as-text", a JsonStyle id
    // such as "spaced+ascii"); for prefix-mismatch the prefix found, for encoding-mismatch the
    // encoding found ("base64", "base64url", "hex"), for header-replaced what the header holds.
    QString variant;
    QString variantDescription; // the same, for people
    QByteArray variantBody; // body-*: the bytes whose MAC matches, to show beside the received body
    std::optional<JsonStyle> jsonStyle; // body-reserialized: the re-encoding, to produce it again
    QString scheme; // other-scheme: the scheme whose signature it is
    QString secretName; // the secret concerned (a configured one, or the other secret that matches)
    QString secretFingerprint; // its fingerprint (secretFingerprint())
    QString variantFingerprint; // secret-*: fingerprint of the varied secret that matches
    QStringList fingerprints; // wrong-secret: the fingerprints of every secret tried
    std::optional<qint64> timestamp; // timestamp-outside-tolerance: the signed time
    std::optional<qint64> skew; // now - timestamp, seconds
    int tolerance = 0; // seconds
};

// First 8 hex digits of the SHA-256 of a secret: enough to tell two secrets apart in a message,
// useless for recovering one.
QString secretFingerprint(QByteArrayView secret);

} // namespace hookbench
