#include "tlsidentity.h"

#include <QCryptographicHash>
#include <QHostAddress>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

namespace hookbench {

namespace {

template <typename T, void (*Free)(T *)> struct Deleter
{
    void operator()(T *p) const { Free(p); }
};
using PKeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using BnPtr = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>>;
using ExtPtr = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION, X509_EXTENSION_free>>;

bool addExtension(X509 *certificate, int nid, const QByteArray &value)
{
    X509V3_CTX context;
    X509V3_set_ctx_nodb(&context);
    X509V3_set_ctx(&context, certificate, certificate, nullptr, nullptr, 0);
    ExtPtr extension(X509V3_EXT_conf_nid(nullptr, &context, nid, value.constData()));
    return extension && X509_add_ext(certificate, extension.get(), -1) == 1;
}

QByteArray bioBytes(BIO *bio)
{
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    return QByteArray(data, size);
}

bool failWith(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return false;
}

} // namespace

std::optional<TlsIdentity> TlsIdentity::generateSelfSigned(const QStringList &hostNames, QString *error)
{
    PKeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
    X509Ptr certificate(X509_new());
    if (!key || !certificate) {
        failWith(error, QStringLiteral("OpenSSL could not create a key"));
        return std::nullopt;
    }

    BnPtr serial(BN_new());
    if (!serial || !BN_rand(serial.get(), 63, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY)
        || !BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(certificate.get()))) {
        failWith(error, QStringLiteral("OpenSSL could not make a serial number"));
        return std::nullopt;
    }
    X509_set_version(certificate.get(), 2); // v3
    X509_gmtime_adj(X509_getm_notBefore(certificate.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(certificate.get()), 365L * 24 * 3600);
    X509_set_pubkey(certificate.get(), key.get());

    const QByteArray commonName = hostNames.isEmpty() ? QByteArrayLiteral("localhost") : hostNames.first().toUtf8();
    X509_NAME *name = X509_get_subject_name(certificate.get());
    X509_NAME_add_entry_by_txt(
        name, "O", MBSTRING_UTF8, reinterpret_cast<const unsigned char *>("Hookbench self-signed"), -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
        reinterpret_cast<const unsigned char *>(commonName.constData()), int(commonName.size()), -1, 0);
    X509_set_issuer_name(certificate.get(), name);

    QByteArrayList alternativeNames;
    for (const QString &host : hostNames) {
        QHostAddress address;
        const QByteArray kind = address.setAddress(host) ? QByteArrayLiteral("IP:") : QByteArrayLiteral("DNS:");
        alternativeNames.append(kind + host.toUtf8());
    }
    if (alternativeNames.isEmpty())
        alternativeNames = {"DNS:localhost", "IP:127.0.0.1", "IP:::1"};
    if (!addExtension(certificate.get(), NID_basic_constraints, "critical,CA:FALSE")
        || !addExtension(certificate.get(), NID_key_usage, "critical,digitalSignature,keyEncipherment")
        || !addExtension(certificate.get(), NID_ext_key_usage, "serverAuth")
        || !addExtension(certificate.get(), NID_subject_alt_name, alternativeNames.join(','))) {
        failWith(error, QStringLiteral("OpenSSL could not add the certificate extensions"));
        return std::nullopt;
    }
    if (X509_sign(certificate.get(), key.get(), EVP_sha256()) <= 0) {
        failWith(error, QStringLiteral("OpenSSL could not sign the certificate"));
        return std::nullopt;
    }

    BioPtr certificateBio(BIO_new(BIO_s_mem()));
    BioPtr keyBio(BIO_new(BIO_s_mem()));
    if (!certificateBio || !keyBio || PEM_write_bio_X509(certificateBio.get(), certificate.get()) != 1
        || PEM_write_bio_PrivateKey(keyBio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
        failWith(error, QStringLiteral("OpenSSL could not encode the certificate"));
        return std::nullopt;
    }
    return fromPem(bioBytes(certificateBio.get()), bioBytes(keyBio.get()), error);
}

std::optional<TlsIdentity> TlsIdentity::fromPem(
    const QByteArray &certificatePem, const QByteArray &keyPem, QString *error)
{
    // OpenSSL reads both and checks that they belong together; Qt then holds them.
    BioPtr certificateBio(BIO_new_mem_buf(certificatePem.constData(), int(certificatePem.size())));
    BioPtr keyBio(BIO_new_mem_buf(keyPem.constData(), int(keyPem.size())));
    X509Ptr certificate(certificateBio ? PEM_read_bio_X509(certificateBio.get(), nullptr, nullptr, nullptr) : nullptr);
    if (!certificate) {
        failWith(error, QStringLiteral("no PEM certificate found"));
        return std::nullopt;
    }
    // An empty passphrase callback: an encrypted key fails instead of prompting on the terminal.
    auto noPassphrase = [](char *, int, int, void *) { return 0; };
    PKeyPtr key(keyBio ? PEM_read_bio_PrivateKey(keyBio.get(), nullptr, noPassphrase, nullptr) : nullptr);
    if (!key) {
        failWith(error, QStringLiteral("no unencrypted PEM private key found"));
        return std::nullopt;
    }
    if (X509_check_private_key(certificate.get(), key.get()) != 1) {
        failWith(error, QStringLiteral("the private key does not belong to the certificate"));
        return std::nullopt;
    }
    QSsl::KeyAlgorithm algorithm;
    switch (EVP_PKEY_base_id(key.get())) {
    case EVP_PKEY_RSA:
        algorithm = QSsl::Rsa;
        break;
    case EVP_PKEY_EC:
        algorithm = QSsl::Ec;
        break;
    case EVP_PKEY_DSA:
        algorithm = QSsl::Dsa;
        break;
    default:
        failWith(error, QStringLiteral("unsupported private key type (use RSA, EC or DSA)"));
        return std::nullopt;
    }

    TlsIdentity identity;
    identity.certificate = QSslCertificate(certificatePem, QSsl::Pem);
    identity.privateKey = QSslKey(keyPem, algorithm, QSsl::Pem, QSsl::PrivateKey);
    if (identity.certificate.isNull() || identity.privateKey.isNull()) {
        failWith(error, QStringLiteral("Qt could not load the certificate or key"));
        return std::nullopt;
    }
    return identity;
}

QString sha256Fingerprint(const QSslCertificate &certificate)
{
    const QByteArray digest = certificate.digest(QCryptographicHash::Sha256).toHex().toUpper();
    QString out;
    for (qsizetype i = 0; i < digest.size(); i += 2) {
        if (i)
            out += QLatin1Char(':');
        out += QLatin1String(digest.mid(i, 2));
    }
    return out;
}

} // namespace hookbench
