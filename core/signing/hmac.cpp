#include "hmac.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <memory>

namespace hookbench {

namespace {

const char *digestName(MacAlgorithm algorithm)
{
    switch (algorithm) {
    case MacAlgorithm::Sha1:
        return "SHA1";
    case MacAlgorithm::Sha256:
        return "SHA256";
    case MacAlgorithm::Sha512:
        return "SHA512";
    }
    return "SHA256";
}

// Fetching an algorithm from OpenSSL's provider is costly next to MACing a 1 KiB body, so the
// HMAC implementation is fetched once and shared (EVP_MAC objects are safe to share).
EVP_MAC *hmacImplementation()
{
    static EVP_MAC *const mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    return mac;
}

struct MacContextDeleter
{
    void operator()(EVP_MAC_CTX *context) const { EVP_MAC_CTX_free(context); }
};

} // namespace

QString macAlgorithmName(MacAlgorithm algorithm)
{
    switch (algorithm) {
    case MacAlgorithm::Sha1:
        return QStringLiteral("sha1");
    case MacAlgorithm::Sha256:
        return QStringLiteral("sha256");
    case MacAlgorithm::Sha512:
        return QStringLiteral("sha512");
    }
    return {};
}

std::optional<MacAlgorithm> macAlgorithmFromName(QStringView name)
{
    for (const MacAlgorithm algorithm : {MacAlgorithm::Sha1, MacAlgorithm::Sha256, MacAlgorithm::Sha512}) {
        if (name.compare(macAlgorithmName(algorithm), Qt::CaseInsensitive) == 0)
            return algorithm;
    }
    return std::nullopt;
}

int macSize(MacAlgorithm algorithm)
{
    switch (algorithm) {
    case MacAlgorithm::Sha1:
        return 20;
    case MacAlgorithm::Sha256:
        return 32;
    case MacAlgorithm::Sha512:
        return 64;
    }
    return 0;
}

QByteArray hmac(MacAlgorithm algorithm, QByteArrayView key, std::initializer_list<QByteArrayView> parts)
{
    // One context per algorithm and thread, with its digest set once: each call then only sets
    // the key, which keeps small-body MACs allocation-free.
    thread_local std::unique_ptr<EVP_MAC_CTX, MacContextDeleter> contexts[3];
    auto &context = contexts[int(algorithm)];
    if (!context) {
        context.reset(EVP_MAC_CTX_new(hmacImplementation()));
        OSSL_PARAM params[] = {
            OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, const_cast<char *>(digestName(algorithm)), 0),
            OSSL_PARAM_construct_end(),
        };
        if (context && EVP_MAC_CTX_set_params(context.get(), params) != 1)
            context.reset();
        if (!context)
            return {};
    }
    EVP_MAC_CTX *ctx = context.get();
    // A null key would mean "keep the previous key" to OpenSSL; an empty key is a legal HMAC key.
    static const unsigned char emptyKey = 0;
    const auto *keyBytes = key.isEmpty() ? &emptyKey : reinterpret_cast<const unsigned char *>(key.data());
    if (EVP_MAC_init(ctx, keyBytes, size_t(key.size()), nullptr) != 1)
        return {};
    for (const QByteArrayView part : parts) {
        if (!part.isEmpty()
            && EVP_MAC_update(ctx, reinterpret_cast<const unsigned char *>(part.data()), size_t(part.size())) != 1)
            return {};
    }
    QByteArray out(macSize(algorithm), Qt::Uninitialized);
    size_t written = 0;
    if (EVP_MAC_final(ctx, reinterpret_cast<unsigned char *>(out.data()), &written, size_t(out.size())) != 1)
        return {};
    out.truncate(qsizetype(written));
    return out;
}

void HmacStream::Deleter::operator()(evp_mac_ctx_st *context) const
{
    EVP_MAC_CTX_free(context);
}

HmacStream::HmacStream(MacAlgorithm algorithm, QByteArrayView key)
    : m_algorithm(algorithm), m_context(EVP_MAC_CTX_new(hmacImplementation()))
{
    if (!m_context)
        return;
    static const unsigned char emptyKey = 0;
    const auto *keyBytes = key.isEmpty() ? &emptyKey : reinterpret_cast<const unsigned char *>(key.data());
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, const_cast<char *>(digestName(algorithm)), 0),
        OSSL_PARAM_construct_end(),
    };
    if (EVP_MAC_init(m_context.get(), keyBytes, size_t(key.size()), params) != 1)
        m_context.reset();
}

HmacStream::HmacStream(const HmacStream &other)
    : m_algorithm(other.m_algorithm), m_context(other.m_context ? EVP_MAC_CTX_dup(other.m_context.get()) : nullptr)
{ }

HmacStream &HmacStream::operator=(const HmacStream &other)
{
    if (this != &other) {
        m_algorithm = other.m_algorithm;
        m_context.reset(other.m_context ? EVP_MAC_CTX_dup(other.m_context.get()) : nullptr);
    }
    return *this;
}

HmacStream::~HmacStream() = default;

void HmacStream::update(QByteArrayView bytes)
{
    if (m_context && !bytes.isEmpty()
        && EVP_MAC_update(m_context.get(), reinterpret_cast<const unsigned char *>(bytes.data()), size_t(bytes.size()))
            != 1)
        m_context.reset();
}

QByteArray HmacStream::result() const
{
    if (!m_context)
        return {};
    // Finalising consumes a context, so a copy is finalised and this one can still be fed.
    std::unique_ptr<EVP_MAC_CTX, MacContextDeleter> copy(EVP_MAC_CTX_dup(m_context.get()));
    QByteArray out(macSize(m_algorithm), Qt::Uninitialized);
    size_t written = 0;
    if (!copy
        || EVP_MAC_final(copy.get(), reinterpret_cast<unsigned char *>(out.data()), &written, size_t(out.size())) != 1)
        return {};
    out.truncate(qsizetype(written));
    return out;
}

bool constantTimeEquals(QByteArrayView a, QByteArrayView b)
{
    if (a.size() != b.size())
        return false;
    if (a.isEmpty())
        return true;
    return CRYPTO_memcmp(a.data(), b.data(), size_t(a.size())) == 0;
}

QByteArray sha256(QByteArrayView data)
{
    QByteArray out(32, Qt::Uninitialized);
    unsigned int written = 0;
    EVP_Digest(data.data(), size_t(data.size()), reinterpret_cast<unsigned char *>(out.data()), &written, EVP_sha256(),
        nullptr);
    out.truncate(int(written));
    return out;
}

} // namespace hookbench
