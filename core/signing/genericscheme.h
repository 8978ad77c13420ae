#pragma once

#include "signaturescheme.h"

namespace hookbench {

// Everything a single-header HMAC scheme needs. The built-in dbt Cloud, GitHub, Shopify and
// Slack schemes are instances of it; `hookbench --scheme generic` builds one from options.
struct GenericSchemeConfig
{
    QString name = QStringLiteral("generic");
    QString title = QStringLiteral("generic HMAC");
    QString summary;
    QByteArray header; // the signature header
    QByteArray prefix; // before the encoded MAC, e.g. "sha256="
    MacAlgorithm algorithm = MacAlgorithm::Sha256;
    SignatureEncoding encoding = SignatureEncoding::Hex;
    QByteArray signedTemplate = QByteArrayLiteral("{body}"); // with {body} once, {timestamp}, {id}
    QByteArray timestampHeader; // required when the template uses {timestamp}
    QByteArray idHeader; // required when the template uses {id}
    int tolerance = 300; // seconds, when timestamped

    // Empty when usable, else one sentence saying what is wrong.
    QString validate() const;
};

class GenericScheme : public SignatureScheme
{
public:
    explicit GenericScheme(GenericSchemeConfig config);

    const GenericSchemeConfig &config() const { return m_config; }

    QString name() const override { return m_config.name; }
    QString title() const override { return m_config.title; }
    QString summary() const override;
    MacAlgorithm algorithm() const override { return m_config.algorithm; }
    SignatureEncoding encoding() const override { return m_config.encoding; }
    QByteArray signaturePrefix() const override { return m_config.prefix; }
    QByteArray signatureHeaderName() const override { return m_config.header; }
    QList<QByteArray> headerNames() const override;
    bool usesTimestamp() const override;
    bool usesId() const override;
    int defaultTolerance() const override { return m_config.tolerance; }

    SignatureEvidence readEvidence(const HeaderList &headers) const override;
    SignedString signedString(const QByteArray &timestamp, const QByteArray &id) const override;
    QByteArray formatSignatureValue(const QByteArray &mac, const QByteArray &timestamp) const override;
    HeaderList signatureHeaders(const QByteArray &mac, const SignOptions &options) const override;

private:
    GenericSchemeConfig m_config;
    QByteArray m_templateBefore; // the template before {body}
    QByteArray m_templateAfter; // and after it
};

// The expected form of an encoded MAC, for messages: "64 hex digits", "44 base64 characters".
QString encodedMacDescription(MacAlgorithm algorithm, SignatureEncoding encoding);

// Decodes one encoded MAC of a scheme, or explains in `problem` why it isn't one, naming the value
// with `what()` ("The X-Signature header"). The name is only formed for the explanation: this runs
// for every request a listener verifies.
std::optional<QByteArray> decodeMacValue(QByteArrayView text, MacAlgorithm algorithm, SignatureEncoding encoding,
    const std::function<QString()> &what, QString *problem);

} // namespace hookbench
