#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <optional>

namespace hookbench {

// How a scheme writes a MAC into a header.
enum class SignatureEncoding { Hex, Base64 };

QString signatureEncodingName(SignatureEncoding encoding); // "hex", "base64"
std::optional<SignatureEncoding> signatureEncodingFromName(QStringView name);

QByteArray encodeSignature(const QByteArray &mac, SignatureEncoding encoding);

// Strict decoders: unlike QByteArray::fromHex, which skips characters it doesn't know, these
// reject anything that is not exactly an encoding (a wrong character must not verify).
std::optional<QByteArray> decodeHexStrict(QByteArrayView text); // either case, even length
std::optional<QByteArray> decodeBase64Strict(QByteArrayView text); // standard alphabet, padding optional
std::optional<QByteArray> decodeSignature(QByteArrayView text, SignatureEncoding encoding);

// True when every byte is a printable ASCII character (no controls, no 8-bit).
bool isPrintableAscii(QByteArrayView text);

} // namespace hookbench
