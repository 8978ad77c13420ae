#pragma once

#include <QByteArray>
#include <QSslCertificate>
#include <QSslKey>
#include <QString>
#include <QStringList>

#include <optional>

namespace hookbench {

// A TLS server's certificate and private key: the user's own (PEM), or a self-signed one
// generated in memory with OpenSSL for local testing.
struct TlsIdentity
{
    QSslCertificate certificate;
    QSslKey privateKey;

    // A fresh ECDSA P-256 key and a certificate for `hostNames` (DNS names or IP addresses,
    // all placed in subjectAltName), valid for a year. nullopt with `error` set on failure.
    static std::optional<TlsIdentity> generateSelfSigned(const QStringList &hostNames, QString *error = nullptr);
    // Reads a PEM certificate and a PEM private key (RSA, EC or other, unencrypted) and checks
    // that they belong together.
    static std::optional<TlsIdentity> fromPem(
        const QByteArray &certificatePem, const QByteArray &keyPem, QString *error = nullptr);
};

// "AB:CD:…": the SHA-256 fingerprint of the certificate's DER encoding, as browsers show it.
QString sha256Fingerprint(const QSslCertificate &certificate);

} // namespace hookbench
