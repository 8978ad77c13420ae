#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <initializer_list>
#include <optional>

namespace hookbench {

enum class MacAlgorithm { Sha1, Sha256, Sha512 };

QString macAlgorithmName(MacAlgorithm algorithm); // "sha1", "sha256", "sha512"
std::optional<MacAlgorithm> macAlgorithmFromName(QStringView name);
int macSize(MacAlgorithm algorithm);

// HMAC of the concatenation of `parts`, computed with OpenSSL without copying the parts together
// (a 16 MiB body is MACed in place).
QByteArray hmac(MacAlgorithm algorithm, QByteArrayView key, std::initializer_list<QByteArrayView> parts);

// Compares in time that depends only on the lengths, never on where the bytes differ.
bool constantTimeEquals(QByteArrayView a, QByteArrayView b);

// SHA-256 of `data` (used for short, non-secret fingerprints).
QByteArray sha256(QByteArrayView data);

} // namespace hookbench
