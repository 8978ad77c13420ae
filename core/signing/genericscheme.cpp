#include "genericscheme.h"

namespace hookbench {

namespace {

const QByteArray bodyToken = QByteArrayLiteral("{body}");
const QByteArray timestampToken = QByteArrayLiteral("{timestamp}");
const QByteArray idToken = QByteArrayLiteral("{id}");

QByteArray substitute(QByteArray text, const QByteArray &timestamp, const QByteArray &id)
{
    return text.replace(timestampToken, timestamp).replace(idToken, id);
}

} // namespace

QString encodedMacDescription(MacAlgorithm algorithm, SignatureEncoding encoding)
{
    const int bytes = macSize(algorithm);
    return encoding == SignatureEncoding::Hex ? QStringLiteral("%1 hex digits").arg(bytes * 2)
                                              : QStringLiteral("%1 base64 characters").arg((bytes + 2) / 3 * 4);
}

std::optional<QByteArray> decodeMacValue(QByteArrayView text, MacAlgorithm algorithm, SignatureEncoding encoding,
    const std::function<QString()> &what, QString *problem)
{
    const std::optional<QByteArray> mac = decodeSignature(text, encoding);
    if (mac && mac->size() == macSize(algorithm))
        return mac;
    if (problem) {
        *problem = QStringLiteral("%1 is not a %2 %3 signature (%4 expected).")
                       .arg(what(), signatureEncodingName(encoding), macAlgorithmName(algorithm).toUpper(),
                           encodedMacDescription(algorithm, encoding));
    }
    return std::nullopt;
}

QString GenericSchemeConfig::validate() const
{
    if (!isValidHeaderName(header))
        return QStringLiteral("The generic scheme needs a valid --header name.");
    if (signedTemplate.count(bodyToken) != 1)
        return QStringLiteral("The signed-string template must contain {body} exactly once.");
    if (signedTemplate.contains(timestampToken) && !isValidHeaderName(timestampHeader))
        return QStringLiteral("The template uses {timestamp}, so a --timestamp-header is needed.");
    if (signedTemplate.contains(idToken) && !isValidHeaderName(idHeader))
        return QStringLiteral("The template uses {id}, so an --id-header is needed.");
    if (tolerance < 0)
        return QStringLiteral("The timestamp tolerance can't be negative.");
    return {};
}

GenericScheme::GenericScheme(GenericSchemeConfig config) : m_config(std::move(config))
{
    const qsizetype at = m_config.signedTemplate.indexOf(bodyToken);
    if (at >= 0) {
        m_templateBefore = m_config.signedTemplate.left(at);
        m_templateAfter = m_config.signedTemplate.mid(at + bodyToken.size());
    }
}

QString GenericScheme::summary() const
{
    if (!m_config.summary.isEmpty())
        return m_config.summary;
    return QStringLiteral("%1: %2HMAC-%3 of \"%4\", %5-encoded.")
        .arg(QString::fromLatin1(m_config.header), QString::fromLatin1(m_config.prefix),
            macAlgorithmName(m_config.algorithm).toUpper(), QString::fromUtf8(m_config.signedTemplate),
            signatureEncodingName(m_config.encoding));
}

QList<QByteArray> GenericScheme::headerNames() const
{
    QList<QByteArray> names {m_config.header};
    if (usesTimestamp())
        names.append(m_config.timestampHeader);
    if (usesId())
        names.append(m_config.idHeader);
    return names;
}

bool GenericScheme::usesTimestamp() const
{
    return m_config.signedTemplate.contains(timestampToken);
}

bool GenericScheme::usesId() const
{
    return m_config.signedTemplate.contains(idToken);
}

SignatureEvidence GenericScheme::readEvidence(const HeaderList &headers) const
{
    SignatureEvidence evidence;
    evidence.headerName = m_config.header;
    const qsizetype index = findHeader(headers, m_config.header);
    if (index >= 0) {
        evidence.headerPresent = true;
        evidence.headerName = headers.at(index).name;
        evidence.headerValue = headers.at(index).value;
    }
    const auto headerText = [&evidence] { return QString::fromLatin1(evidence.headerName); };

    if (usesTimestamp()) {
        const qsizetype at = findHeader(headers, m_config.timestampHeader);
        if (at >= 0) {
            evidence.hasTimestamp = true;
            evidence.timestamp = headers.at(at).value;
        } else if (evidence.headerPresent) {
            evidence.problem
                = QStringLiteral("The %1 header is missing.").arg(QString::fromLatin1(m_config.timestampHeader));
        }
    }
    if (usesId()) {
        const qsizetype at = findHeader(headers, m_config.idHeader);
        if (at >= 0)
            evidence.id = headers.at(at).value;
        else if (evidence.headerPresent && evidence.problem.isEmpty())
            evidence.problem = QStringLiteral("The %1 header is missing.").arg(QString::fromLatin1(m_config.idHeader));
    }
    if (!evidence.headerPresent || !evidence.problem.isEmpty())
        return evidence;

    const QByteArray &value = evidence.headerValue;
    if (value.isEmpty()) {
        evidence.problem = QStringLiteral("The %1 header is empty.").arg(headerText());
        return evidence;
    }
    if (!value.startsWith(m_config.prefix)) {
        evidence.problem = QStringLiteral("The %1 header does not start with \"%2\".")
                               .arg(headerText(), QString::fromLatin1(m_config.prefix));
        return evidence;
    }
    const QByteArrayView encoded = QByteArrayView(value).sliced(m_config.prefix.size());
    const auto what = [&] { return QStringLiteral("The %1 header").arg(headerText()); };
    if (auto mac = decodeMacValue(encoded, m_config.algorithm, m_config.encoding, what, &evidence.problem))
        evidence.signatures.append(*mac);
    return evidence;
}

SignedString GenericScheme::signedString(const QByteArray &timestamp, const QByteArray &id) const
{
    return {substitute(m_templateBefore, timestamp, id), substitute(m_templateAfter, timestamp, id)};
}

QByteArray GenericScheme::formatSignatureValue(const QByteArray &mac, const QByteArray &) const
{
    return m_config.prefix + encodeSignature(mac, m_config.encoding);
}

HeaderList GenericScheme::signatureHeaders(const QByteArray &mac, const SignOptions &options) const
{
    const QByteArray timestamp = QByteArray::number(options.timestamp);
    HeaderList headers {{m_config.header, formatSignatureValue(mac, timestamp)}};
    if (usesTimestamp())
        headers.append({m_config.timestampHeader, timestamp});
    if (usesId())
        headers.append({m_config.idHeader, options.id});
    return headers;
}

} // namespace hookbench
