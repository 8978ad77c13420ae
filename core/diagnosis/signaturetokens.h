#pragma once

#include "signing/encoding.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace hookbench {

// A MAC-sized value found in a header's text, however it was written. The diagnosis compares
// MACs it computes against these, so a right MAC in a wrong wrapping (a prefix the scheme doesn't
// use, base64 instead of hex, another header) is still recognised.
struct SignatureToken
{
    QByteArray header; // the header it was found in, as received
    QByteArray prefix; // what precedes it in its entry: "sha256=", "v1,", "Bearer ", or nothing
    QByteArray text; // the encoded MAC as written
    QByteArray mac; // decoded
    SignatureEncoding encoding = SignatureEncoding::Hex;
    bool base64Url = false; // '-' and '_' instead of '+' and '/'
    bool upperCaseHex = false;
};

// Every run of hex or base64 characters in `value` that decodes to `macSize` bytes, in order.
QList<SignatureToken> findSignatureTokens(const QByteArray &header, const QByteArray &value, int macSize);

// What an Authorization-style value is when it is a credential rather than a signature, for
// messages ("a Bearer JWT (alg HS256)", "a Bearer token", "Basic credentials"); empty when it
// looks like none. Never includes the credential itself.
QString describeCredential(const QByteArray &value);

} // namespace hookbench
