#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <initializer_list>
#include <memory>
#include <optional>

struct evp_mac_ctx_st;

namespace hookbench {

enum class MacAlgorithm { Sha1, Sha256, Sha512 };

QString macAlgorithmName(MacAlgorithm algorithm); // "sha1", "sha256", "sha512"
std::optional<MacAlgorithm> macAlgorithmFromName(QStringView name);
int macSize(MacAlgorithm algorithm);

// HMAC of the concatenation of `parts`, computed with OpenSSL without copying the parts together
// (a 16 MiB body is MACed in place).
QByteArray hmac(MacAlgorithm algorithm, QByteArrayView key, std::initializer_list<QByteArrayView> parts);

// An HMAC fed in steps that can be copied part-way: MACs of inputs sharing a long beginning
// ("body", "body" + "\n", "body" less its last byte) then cost one pass over that beginning.
class HmacStream
{
public:
    HmacStream(MacAlgorithm algorithm, QByteArrayView key);
    HmacStream(const HmacStream &other);
    HmacStream &operator=(const HmacStream &other);
    HmacStream(HmacStream &&) noexcept = default;
    HmacStream &operator=(HmacStream &&) noexcept = default;
    ~HmacStream();

    bool isValid() const { return m_context != nullptr; }
    void update(QByteArrayView bytes);
    // The MAC of everything fed so far; the stream can go on being fed afterwards.
    QByteArray result() const;

private:
    struct Deleter
    {
        void operator()(evp_mac_ctx_st *context) const;
    };
    MacAlgorithm m_algorithm;
    std::unique_ptr<evp_mac_ctx_st, Deleter> m_context;
};

// Compares in time that depends only on the lengths, never on where the bytes differ.
bool constantTimeEquals(QByteArrayView a, QByteArrayView b);

// SHA-256 of `data` (used for short, non-secret fingerprints).
QByteArray sha256(QByteArrayView data);

} // namespace hookbench
