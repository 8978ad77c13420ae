#include "signaturediagnosis.h"

#include "signaturetokens.h"
#include "signing/genericscheme.h"
#include "signing/schemeregistry.h"

#include <QHash>
#include <QThread>

#include <atomic>
#include <system_error>
#include <thread>

namespace hookbench {

namespace {

const QByteArray byteOrderMark = QByteArrayLiteral("\xEF\xBB\xBF");
const QByteArray whsecPrefix = QByteArrayLiteral("whsec_");

QString latin1(const QByteArray &bytes, qsizetype limit = 60)
{
    QString text = QString::fromLatin1(bytes.left(limit));
    if (bytes.size() > limit)
        text += u'…';
    // One-line messages: control characters are shown as escapes.
    text.replace(u'\r', QStringLiteral("\\r")).replace(u'\n', QStringLiteral("\\n")).replace(u'\t', u' ');
    return text;
}

QString durationText(qint64 seconds)
{
    return seconds == 1 ? QStringLiteral("1 second") : QStringLiteral("%1 seconds").arg(seconds);
}

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

QString whitespaceName(QByteArrayView text)
{
    if (text == "\n")
        return QStringLiteral("newline");
    if (text == "\r\n")
        return QStringLiteral("CRLF");
    if (text == "\r")
        return QStringLiteral("carriage return");
    if (text == " ")
        return QStringLiteral("space");
    if (text == "\t")
        return QStringLiteral("tab");
    if (text.size() > 1 && std::all_of(text.begin(), text.end(), [](char c) { return c == ' '; }))
        return QStringLiteral("%1 spaces").arg(text.size());
    return QStringLiteral("whitespace");
}

// "a trailing newline", "a leading space and a trailing CRLF"
QString surroundingWhitespace(const QByteArray &secret)
{
    qsizetype lead = 0;
    while (lead < secret.size() && isSpace(secret.at(lead)))
        ++lead;
    qsizetype trail = 0;
    while (trail < secret.size() - lead && isSpace(secret.at(secret.size() - 1 - trail)))
        ++trail;
    auto named = [](QByteArrayView text, const QString &where) {
        const QString name = whitespaceName(text);
        const bool plural = name == u"whitespace" || name.endsWith(u"spaces");
        return (plural ? QStringLiteral("%1 %2") : QStringLiteral("a %1 %2")).arg(where, name);
    };
    QStringList parts;
    if (lead > 0)
        parts << named(QByteArrayView(secret).first(lead), QStringLiteral("leading"));
    if (trail > 0)
        parts << named(QByteArrayView(secret).last(trail), QStringLiteral("trailing"));
    return parts.join(QStringLiteral(" and "));
}

QString encodingText(SignatureEncoding encoding, bool urlSafe = false)
{
    if (encoding == SignatureEncoding::Hex)
        return QStringLiteral("hex");
    return urlSafe ? QStringLiteral("base64url") : QStringLiteral("base64");
}

// "the body alone", "\"v0:1700000000:<body>\""
QString signedStringText(const SignedString &around)
{
    if (around.prefix.isEmpty() && around.suffix.isEmpty())
        return QStringLiteral("the body alone");
    return QStringLiteral("\"%1<body>%2\"").arg(latin1(around.prefix, 40), latin1(around.suffix, 40));
}

QByteArray macCacheKey(MacAlgorithm algorithm, const QByteArray &key, const SignedString &around)
{
    QByteArray cacheKey;
    cacheKey += char(algorithm);
    for (const QByteArray &part : {key, around.prefix, around.suffix})
        cacheKey += QByteArray::number(part.size()) + ':' + part;
    return cacheKey;
}

struct SecretVariant
{
    FindingCode code;
    QString id;
    QString description; // completes "matches when the secret …" / "when the key is …"
    QByteArray variedSecret; // the secret text the variant stands for (for its fingerprint)
    QByteArray key;
};

struct BodyVariant
{
    FindingCode code;
    QString id;
    QString description;
    QString message;
    QByteArray body;
    std::optional<JsonStyle> style;
};

// Lines ending in CRLF become LF ones, and bare LF ones CRLF.
QByteArray crlfToLf(const QByteArray &body)
{
    QByteArray out = body;
    return out.replace("\r\n", "\n");
}

QByteArray lfToCrlf(const QByteArray &body)
{
    QByteArray out(body.size() + body.count('\n'), Qt::Uninitialized);
    char *to = out.data();
    const char *from = body.constData();
    for (qsizetype i = 0; i < body.size(); ++i) {
        if (from[i] == '\n' && (i == 0 || from[i - 1] != '\r'))
            *to++ = '\r';
        *to++ = from[i];
    }
    out.truncate(to - out.constData());
    return out;
}

bool hasBareLf(const QByteArray &body)
{
    for (qsizetype at = body.indexOf('\n'); at >= 0; at = body.indexOf('\n', at + 1)) {
        if (at == 0 || body.at(at - 1) != '\r')
            return true;
    }
    return false;
}

// One diagnosis: the request, what was derived from it, and the findings so far. Each stage
// tries one family of variations and returns true once the signature is explained, so the
// cheap and likely explanations are tried first and nothing is computed after a match.
class DiagnosisRun
{
public:
    DiagnosisRun(const SignatureScheme &scheme, const std::vector<std::unique_ptr<SignatureScheme>> &otherSchemes,
        const QList<NamedSecret> &otherSecrets, const DiagnosisLimits &limits, const VerificationResult &verification,
        const HeaderList &headers, const QByteArray &body, const QList<NamedSecret> &secrets,
        const VerifyOptions &options)
        : m_scheme(scheme)
        , m_otherSchemes(otherSchemes)
        , m_otherSecrets(otherSecrets)
        , m_limits(limits)
        , m_verification(verification)
        , m_headers(headers)
        , m_body(body)
        , m_secrets(secrets)
        , m_options(options)
    { }

    QList<DiagnosisFinding> run()
    {
        if (m_verification.verdict == Verdict::Valid || m_verification.verdict == Verdict::NoSecret
            || m_secrets.isEmpty())
            return {};
        m_tolerance = m_options.tolerance.value_or(m_scheme.defaultTolerance());
        m_evidence = m_scheme.readEvidence(m_headers);
        if (m_verification.matchedSecret >= 0) {
            // The MAC is right; only the time is not.
            addTimestampFinding();
            if (!m_findings.isEmpty())
                return m_findings;
        }
        readSignedValues();
        for (const NamedSecret &secret : m_secrets)
            m_keys.append(m_scheme.keyFromSecret(secret.secret).value_or(QByteArray()));

        if (otherSchemeHeaders())
            return m_findings;
        if (!m_canCompute) {
            if (m_evidence.headerPresent)
                missingSignedValues();
            else
                unexplained();
            return m_findings;
        }
        if (receivedBody() || secretVariants() || otherSecrets() || otherSchemeValues() || bodyVariants()
            || jsonVariants())
            return m_findings;
        unexplained();
        return m_findings;
    }

private:
    const SignatureScheme &m_scheme;
    const std::vector<std::unique_ptr<SignatureScheme>> &m_otherSchemes;
    const QList<NamedSecret> &m_otherSecrets;
    const DiagnosisLimits &m_limits;
    const VerificationResult &m_verification;
    const HeaderList &m_headers;
    const QByteArray &m_body;
    const QList<NamedSecret> &m_secrets;
    const VerifyOptions &m_options;

    int m_tolerance = 0;
    SignatureEvidence m_evidence;
    QList<QByteArray> m_keys; // the scheme's key for each secret; null when it can't derive one
    QByteArray m_timestamp; // the signed timestamp and id (read even when the signature header is absent)
    QByteArray m_id;
    bool m_canCompute = false; // the signed string can be formed
    SignedString m_around;
    QList<SignatureToken> m_tokens; // MAC-sized values in the signature header, or in any header when it is absent
    bool m_tokensElsewhere = false;
    QHash<QByteArray, QByteArray> m_macs; // MACs of the received body, by algorithm, key and signed string
    bool m_bodyVariantsSkipped = false;
    QList<DiagnosisFinding> m_findings;

    QString title() const { return m_scheme.title(); }
    QString headerText() const { return QString::fromLatin1(m_evidence.headerName); }
    int macLength() const { return macSize(m_scheme.algorithm()); }

    QString secretLabel(qsizetype index) const
    {
        return QStringLiteral("%1, fingerprint %2")
            .arg(m_secrets.at(index).name, secretFingerprint(m_secrets.at(index).secret));
    }

    DiagnosisFinding finding(FindingCode code, const QString &message, bool confirmed = true) const
    {
        DiagnosisFinding f;
        f.code = code;
        f.message = message;
        f.confirmed = confirmed;
        f.header = m_evidence.headerName;
        if (m_evidence.headerPresent)
            f.received = m_evidence.headerValue;
        return f;
    }

    void readSignedValues()
    {
        m_timestamp = m_evidence.timestamp;
        m_id = m_evidence.id;
        bool hasTimestamp = m_evidence.hasTimestamp;
        if (!m_evidence.headerPresent) {
            // Some schemes read the timestamp and id only next to a signature; read them as if
            // one were there, so a signature found in another header can still be checked.
            HeaderList withSignature = m_headers;
            setHeader(withSignature, m_scheme.signatureHeaderName(), QByteArrayLiteral("-"));
            const SignatureEvidence probe = m_scheme.readEvidence(withSignature);
            m_timestamp = probe.timestamp;
            m_id = probe.id;
            hasTimestamp = probe.hasTimestamp;
        }
        m_canCompute = (!m_scheme.usesTimestamp() || hasTimestamp) && (!m_scheme.usesId() || !m_id.isEmpty());
        m_around = m_scheme.signedString(m_timestamp, m_id);

        if (m_evidence.headerPresent) {
            m_tokens = findSignatureTokens(m_evidence.headerName, m_evidence.headerValue, macLength());
            return;
        }
        m_tokensElsewhere = true;
        // Digests of the body and JWT signatures have a MAC's size but are not one.
        static const QList<QByteArray> digestHeaders {"Digest", "Content-Digest", "Repr-Digest", "Want-Digest"};
        for (const HttpHeader &header : m_headers) {
            const bool digest = std::any_of(digestHeaders.cbegin(), digestHeaders.cend(),
                [&](const QByteArray &name) { return headerNameEquals(header.name, name); });
            if (!digest && !describeCredential(header.value).contains(u"JWT"))
                m_tokens += findSignatureTokens(header.name, header.value, macLength());
        }
    }

    const SignatureToken *matchingToken(const QByteArray &mac) const
    {
        const SignatureToken *found = nullptr;
        for (const SignatureToken &token : m_tokens) {
            if (!mac.isEmpty() && constantTimeEquals(mac, token.mac) && !found)
                found = &token;
        }
        return found;
    }

    QByteArray receivedBodyMac(MacAlgorithm algorithm, const QByteArray &key, const SignedString &around)
    {
        const QByteArray cacheKey = macCacheKey(algorithm, key, around);
        const auto cached = m_macs.constFind(cacheKey);
        if (cached != m_macs.cend())
            return *cached;
        const QByteArray mac = hmac(algorithm, key, {around.prefix, m_body, around.suffix});
        m_macs.insert(cacheKey, mac);
        return mac;
    }

    // A MAC computed here matched `token`: the primary finding (if any) is followed by what the
    // token's wrapping shows and by a stale timestamp, which would fail next.
    bool confirm(const SignatureToken &token, const QByteArray &mac, std::optional<DiagnosisFinding> primary)
    {
        const qsizetype before = m_findings.size();
        if (primary)
            m_findings.append(*primary);
        addWrappingFindings(token, mac);
        if (m_findings.size() == before)
            return false;
        addTimestampFinding();
        return true;
    }

    // What a token's wrapping shows: found in another header, a prefix or an encoding this scheme
    // doesn't use. Confirmed when `mac` is the MAC computed here that the token carries.
    void addWrappingFindings(const SignatureToken &token, const std::optional<QByteArray> &mac)
    {
        const bool confirmed = mac.has_value();
        const QByteArray expected = confirmed ? m_scheme.formatSignatureValue(*mac, m_timestamp) : QByteArray();
        const bool encodingWrong = token.encoding != m_scheme.encoding() || token.base64Url;
        if (m_tokensElsewhere) {
            DiagnosisFinding f = finding(FindingCode::MissingHeader,
                QStringLiteral("The request has no %1 header, but its %2 header carries the right signature: the "
                               "sender puts it there.")
                    .arg(headerText(), QString::fromLatin1(token.header)));
            f.otherHeader = token.header;
            f.received = headerValue(m_headers, token.header);
            f.expected = expected;
            m_findings.append(f);
        } else if (token.prefix != m_scheme.signaturePrefix()) {
            const QString found = latin1(token.prefix, 40);
            const QString wanted = latin1(m_scheme.signaturePrefix(), 40);
            QString message;
            if (wanted.isEmpty())
                message
                    = QStringLiteral("%1 starts with \"%2\", which %3 does not use; ").arg(headerText(), found, title())
                    + (confirmed ? QStringLiteral("without it the signature matches.")
                                 : QStringLiteral("the MAC after it doesn't match either."));
            else if (found.isEmpty())
                message = QStringLiteral("%1 lacks the \"%2\" prefix %3 puts before the signature; ")
                              .arg(headerText(), wanted, title())
                    + (confirmed ? QStringLiteral("with it the signature matches.")
                                 : QStringLiteral("the MAC doesn't match either."));
            else
                message
                    = QStringLiteral("%1 has \"%2\" where %3 puts \"%4\"; ").arg(headerText(), found, title(), wanted)
                    + (confirmed ? QStringLiteral("with \"%1\" the signature matches.").arg(wanted)
                                 : QStringLiteral("the MAC doesn't match either."));
            DiagnosisFinding f = finding(FindingCode::PrefixMismatch, message, confirmed);
            f.expected = expected;
            f.variant = QString::fromLatin1(token.prefix);
            m_findings.append(f);
        }
        if (encodingWrong) {
            const QString where = m_tokensElsewhere ? QString::fromLatin1(token.header) : headerText();
            const QString encoding = encodingText(token.encoding, token.base64Url);
            const QString message = confirmed
                ? QStringLiteral("%1 holds the right MAC %2-encoded; %3 sends it %4-encoded (%5).")
                      .arg(where, encoding, title(), encodingText(m_scheme.encoding()),
                          encodedMacDescription(m_scheme.algorithm(), m_scheme.encoding()))
                : QStringLiteral("%1 holds a %2-encoded MAC where %3 sends %4 (%5); it doesn't match either.")
                      .arg(where, encoding, title(), encodingText(m_scheme.encoding()),
                          encodedMacDescription(m_scheme.algorithm(), m_scheme.encoding()));
            DiagnosisFinding f = finding(FindingCode::EncodingMismatch, message, confirmed);
            f.expected = expected;
            f.variant = encoding;
            m_findings.append(f);
        }
    }

    void addTimestampFinding()
    {
        if (!m_scheme.usesTimestamp() || !m_evidence.hasTimestamp)
            return;
        DiagnosisFinding f = finding(FindingCode::TimestampOutsideTolerance, {});
        f.tolerance = m_tolerance;
        if (!m_verification.timestamp) {
            f.message = QStringLiteral("The signature matches but its timestamp \"%1\" is not a Unix time, so it "
                                       "can't be within the tolerance.")
                            .arg(latin1(m_evidence.timestamp, 40));
            m_findings.append(f);
            return;
        }
        const qint64 skew = m_options.now - *m_verification.timestamp;
        if (qAbs(skew) <= m_tolerance)
            return;
        f.timestamp = m_verification.timestamp;
        f.skew = skew;
        f.message = skew > 0 ? QStringLiteral("The signature matches but its timestamp %1 is %2 old, outside the %3 "
                                              "tolerance: a replayed or delayed delivery, or a clock that is behind.")
                                   .arg(*f.timestamp)
                                   .arg(durationText(skew), durationText(m_tolerance))
                             : QStringLiteral("The signature matches but its timestamp %1 is %2 in the future, "
                                              "outside the %3 tolerance: the sender's clock is ahead.")
                                   .arg(*f.timestamp)
                                   .arg(durationText(-skew), durationText(m_tolerance));
        m_findings.append(f);
    }

    // The request carries another scheme's signature headers, and they verify.
    bool otherSchemeHeaders()
    {
        QList<QByteArray> secrets;
        for (const NamedSecret &secret : m_secrets)
            secrets.append(secret.secret);
        for (const auto &other : m_otherSchemes) {
            if (other->name() == m_scheme.name())
                continue;
            const SignatureEvidence evidence = other->readEvidence(m_headers);
            if (!evidence.headerPresent || headerNameEquals(evidence.headerName, m_evidence.headerName))
                continue;
            const VerificationResult result = other->verify(m_headers, m_body, secrets, m_options);
            if (result.matchedSecret < 0)
                continue;
            DiagnosisFinding f = finding(FindingCode::OtherScheme,
                QStringLiteral("The request carries a %1 signature in %2 that matches (%3): it was signed the %1 way, "
                               "not the %4 way.")
                    .arg(other->title(), QString::fromLatin1(evidence.headerName), secretLabel(result.matchedSecret),
                        title()));
            f.scheme = other->name();
            f.otherHeader = evidence.headerName;
            f.secretName = m_secrets.at(result.matchedSecret).name;
            f.secretFingerprint = secretFingerprint(m_secrets.at(result.matchedSecret).secret);
            m_findings.append(f);
            return true;
        }
        return false;
    }

    // The signed string needs a timestamp or id the request doesn't carry.
    void missingSignedValues()
    {
        // The header that would carry it: one of the scheme's headers that is absent, named in
        // the family the request uses (svix-* for webhook-*).
        const QByteArray defaultName = m_scheme.signatureHeaderName();
        const QByteArray usedName = m_evidence.headerName;
        QByteArray missing;
        for (const QByteArray &name : m_scheme.headerNames().mid(1)) {
            QByteArray candidate = name;
            const qsizetype dash = defaultName.indexOf('-');
            if (!headerNameEquals(usedName, defaultName) && dash > 0 && name.startsWith(defaultName.left(dash + 1))) {
                const qsizetype usedDash = usedName.indexOf('-');
                if (usedDash > 0)
                    candidate = usedName.left(usedDash + 1) + name.mid(dash + 1);
            }
            if (!hasHeader(m_headers, candidate)) {
                missing = candidate;
                break;
            }
        }
        const QString problem = m_evidence.problem.isEmpty()
            ? QStringLiteral("The %1 signature can't be checked without its signed timestamp or id.").arg(title())
            : m_evidence.problem;
        if (!missing.isEmpty()) {
            DiagnosisFinding f = finding(FindingCode::MissingHeader,
                QStringLiteral("%1 %2 signs it, so without it the signature can't be checked.").arg(problem, title()),
                false);
            f.header = missing;
            f.received.clear();
            m_findings.append(f);
            return;
        }
        m_findings.append(finding(FindingCode::HeaderReplaced,
            QStringLiteral("%1 does not hold a %2 signature: %3").arg(headerText(), title(), problem), false));
    }

    // MACs of the received body with the configured secrets, and with a trailing newline
    // removed or added: one pass over the body per secret, forked near its end.
    bool receivedBody()
    {
        const qsizetype ending = m_body.endsWith("\r\n") ? 2 : (m_body.endsWith('\n') ? 1 : 0);
        for (qsizetype i = 0; i < m_keys.size(); ++i) {
            const QByteArray &key = m_keys.at(i);
            if (key.isNull())
                continue;
            HmacStream stream(m_scheme.algorithm(), key);
            stream.update(m_around.prefix);
            struct Variant
            {
                QByteArray mac;
                QByteArray body;
                QString id;
                QString description;
                QString message;
            };
            QList<Variant> variants;
            auto finish = [&](HmacStream fork) {
                fork.update(m_around.suffix);
                return fork.result();
            };
            if (ending > 0) {
                stream.update(QByteArrayView(m_body).chopped(ending));
                const QString name = ending == 2 ? QStringLiteral("CRLF") : QStringLiteral("newline");
                variants.append({finish(stream), m_body.chopped(ending), QStringLiteral("trailing-newline-removed"),
                    QStringLiteral("trailing %1 removed").arg(name),
                    QStringLiteral("The signature matches this body without its trailing %1 (%2): the %1 was added "
                                   "after signing.")
                        .arg(name, QStringLiteral("%1"))});
                stream.update(QByteArrayView(m_body).last(ending));
            } else {
                stream.update(m_body);
            }
            for (const QByteArray &newline : {QByteArrayLiteral("\n"), QByteArrayLiteral("\r\n")}) {
                HmacStream added = stream;
                added.update(newline);
                const QString name = newline.size() == 2 ? QStringLiteral("CRLF") : QStringLiteral("newline");
                variants.append({finish(added), m_body + newline, QStringLiteral("trailing-newline-added"),
                    QStringLiteral("trailing %1 added").arg(name),
                    QStringLiteral("The signature matches this body with a trailing %1 added (%2): the sender signed "
                                   "a final %1 that did not arrive.")
                        .arg(name, QStringLiteral("%1"))});
            }
            stream.update(m_around.suffix);
            const QByteArray mac = stream.result();
            m_macs.insert(macCacheKey(m_scheme.algorithm(), key, m_around), mac);

            if (const SignatureToken *token = matchingToken(mac); token && confirm(*token, mac, std::nullopt))
                return true;
            for (const Variant &variant : variants) {
                const SignatureToken *token = matchingToken(variant.mac);
                if (!token)
                    continue;
                DiagnosisFinding f = finding(FindingCode::BodyTrailingNewline, variant.message.arg(secretLabel(i)));
                f.variant = variant.id;
                f.variantDescription = variant.description;
                f.variantBody = variant.body;
                f.secretName = m_secrets.at(i).name;
                f.secretFingerprint = secretFingerprint(m_secrets.at(i).secret);
                if (confirm(*token, variant.mac, f))
                    return true;
            }
        }
        return false;
    }

    // The keys a sender may have made from `secret` where the scheme makes `canonical`.
    QList<SecretVariant> variantsOf(const QByteArray &secret) const
    {
        QList<SecretVariant> variants;
        auto addSecret = [&](const QString &id, const QString &description, const QByteArray &varied) {
            if (const auto key = m_scheme.keyFromSecret(varied))
                variants.append({FindingCode::SecretWhitespace, id, description, varied, *key});
        };
        if (secret.trimmed() != secret) {
            addSecret(QStringLiteral("secret-trimmed"), QStringLiteral("loses %1").arg(surroundingWhitespace(secret)),
                secret.trimmed());
        } else {
            addSecret(
                QStringLiteral("secret-newline-added"), QStringLiteral("gains a trailing newline"), secret + '\n');
            addSecret(QStringLiteral("secret-crlf-added"), QStringLiteral("gains a trailing CRLF"), secret + "\r\n");
            addSecret(QStringLiteral("secret-space-added"), QStringLiteral("gains a trailing space"), secret + ' ');
        }

        auto addKey = [&](const QString &id, const QString &description, const QByteArray &key) {
            if (!key.isEmpty())
                variants.append({FindingCode::SecretEncoding, id, description, key, key});
        };
        const bool prefixed = secret.startsWith(whsecPrefix);
        const QByteArray rest = prefixed ? secret.mid(whsecPrefix.size()) : secret;
        addKey(QStringLiteral("secret-as-text"),
            prefixed ? QStringLiteral("is used as text, whsec_ prefix included, without decoding")
                     : QStringLiteral("is used as text, without decoding"),
            secret);
        if (prefixed)
            addKey(QStringLiteral("secret-without-whsec"),
                QStringLiteral("is used as text with its whsec_ prefix stripped"), rest);
        else
            addKey(QStringLiteral("secret-with-whsec"), QStringLiteral("is used as text with a whsec_ prefix"),
                whsecPrefix + secret);
        if (const auto decoded = decodeBase64Strict(secret))
            addKey(QStringLiteral("secret-base64-decoded"), QStringLiteral("is base64-decoded"), *decoded);
        if (prefixed) {
            if (const auto decoded = decodeBase64Strict(rest))
                addKey(QStringLiteral("secret-without-whsec-base64-decoded"),
                    QStringLiteral("is base64-decoded after its whsec_ prefix is stripped"), *decoded);
        }
        if (const auto decoded = decodeHexStrict(rest))
            addKey(QStringLiteral("secret-hex-decoded"), QStringLiteral("is hex-decoded"), *decoded);
        return variants;
    }

    bool secretVariants()
    {
        QList<QByteArray> tried = m_keys;
        for (qsizetype i = 0; i < m_secrets.size(); ++i) {
            for (const SecretVariant &variant : variantsOf(m_secrets.at(i).secret)) {
                if (tried.contains(variant.key))
                    continue;
                tried.append(variant.key);
                const QByteArray mac = m_scheme.computeMac(variant.key, m_body, m_timestamp, m_id);
                const SignatureToken *token = matchingToken(mac);
                if (!token)
                    continue;
                const bool whitespace = variant.code == FindingCode::SecretWhitespace;
                const QString message = whitespace
                    ? QStringLiteral("The signature matches once the secret (%1) %2: the copy used %3.")
                          .arg(secretLabel(i), variant.description,
                              variant.id == u"secret-trimmed" ? QStringLiteral("here has stray whitespace")
                                                              : QStringLiteral("by the sender has it"))
                    : QStringLiteral("The signature matches when the secret (%1) %2: the sender derives the key "
                                     "differently from %3.")
                          .arg(secretLabel(i), variant.description, title());
                DiagnosisFinding f = finding(variant.code, message);
                f.variant = variant.id;
                f.variantDescription = QStringLiteral("the secret %1").arg(variant.description);
                f.secretName = m_secrets.at(i).name;
                f.secretFingerprint = secretFingerprint(m_secrets.at(i).secret);
                f.variantFingerprint = secretFingerprint(variant.variedSecret);
                if (confirm(*token, mac, f))
                    return true;
            }
        }
        return false;
    }

    bool otherSecrets()
    {
        for (const NamedSecret &other : m_otherSecrets) {
            const auto key = m_scheme.keyFromSecret(other.secret);
            if (!key || m_keys.contains(*key))
                continue;
            const QByteArray mac = receivedBodyMac(m_scheme.algorithm(), *key, m_around);
            const SignatureToken *token = matchingToken(mac);
            if (!token)
                continue;
            DiagnosisFinding f = finding(FindingCode::OtherSecret,
                QStringLiteral("The signature matches the other secret %1 (fingerprint %2): the sender uses that "
                               "secret, not %3.")
                    .arg(other.name, secretFingerprint(other.secret),
                        m_secrets.size() == 1 ? m_secrets.first().name : QStringLiteral("the configured ones")));
            f.secretName = other.name;
            f.secretFingerprint = secretFingerprint(other.secret);
            if (confirm(*token, mac, f))
                return true;
        }
        return false;
    }

    // The signature header holds what another scheme computes with the same secret (another
    // signed string or key derivation).
    bool otherSchemeValues()
    {
        struct Candidate
        {
            const SignatureScheme *scheme;
            SignedString around;
            QByteArray mac;
        };
        for (qsizetype i = 0; i < m_secrets.size(); ++i) {
            QList<Candidate> candidates;
            for (const auto &other : m_otherSchemes) {
                if (other->name() == m_scheme.name())
                    continue;
                const auto key = other->keyFromSecret(m_secrets.at(i).secret);
                if (!key || macSize(other->algorithm()) != macLength())
                    continue;
                // The other scheme's timestamp and id, read as it would read them when this
                // header's value were its signature header.
                HeaderList asOther = m_headers;
                if (m_evidence.headerPresent)
                    setHeader(asOther, other->signatureHeaderName(), m_evidence.headerValue);
                const SignatureEvidence evidence = other->readEvidence(asOther);
                const bool hasTimestamp = evidence.hasTimestamp || m_evidence.hasTimestamp;
                const QByteArray timestamp = evidence.hasTimestamp ? evidence.timestamp : m_timestamp;
                const QByteArray id = evidence.id.isEmpty() ? m_id : evidence.id;
                if ((other->usesTimestamp() && !hasTimestamp) || (other->usesId() && id.isEmpty()))
                    continue;
                const SignedString around = other->signedString(timestamp, id);
                if (other->algorithm() == m_scheme.algorithm() && *key == m_keys.at(i)
                    && around.prefix == m_around.prefix && around.suffix == m_around.suffix)
                    continue; // the same MAC as this scheme's: not another scheme's signature
                candidates.append({other.get(), around, receivedBodyMac(other->algorithm(), *key, around)});
            }
            for (const Candidate &candidate : candidates) {
                const SignatureToken *token = matchingToken(candidate.mac);
                if (!token)
                    continue;
                // Schemes that compute the same MAC: name the one whose wrapping the value has.
                QStringList titles;
                QString name = candidate.scheme->name();
                for (const Candidate &same : candidates) {
                    if (same.mac != candidate.mac)
                        continue;
                    titles << same.scheme->title();
                    if (same.scheme->signaturePrefix() == token->prefix && same.scheme->encoding() == token->encoding) {
                        titles = QStringList {same.scheme->title()};
                        name = same.scheme->name();
                        break;
                    }
                }
                const QString who = titles.size() == 1 ? titles.first()
                                                       : titles.mid(0, titles.size() - 1).join(QStringLiteral(", "))
                        + QStringLiteral(" or ") + titles.last();
                DiagnosisFinding f = finding(FindingCode::OtherScheme,
                    QStringLiteral("%1 holds the HMAC of %2, as %3 compute%4 it with this secret (%5); %6 signs %7.")
                        .arg(headerText(), signedStringText(candidate.around), who,
                            titles.size() == 1 ? QStringLiteral("s") : QString(), secretLabel(i), title(),
                            signedStringText(m_around)));
                f.scheme = name;
                f.secretName = m_secrets.at(i).name;
                f.secretFingerprint = secretFingerprint(m_secrets.at(i).secret);
                m_findings.append(f);
                addTimestampFinding();
                return true;
            }
        }
        return false;
    }

    bool reportBodyVariant(
        const BodyVariant &variant, qsizetype secret, const SignatureToken &token, const QByteArray &mac)
    {
        DiagnosisFinding f = finding(variant.code, variant.message.arg(secretLabel(secret)));
        f.variant = variant.id;
        f.variantDescription = variant.style ? variant.style->description() : variant.description;
        f.variantBody = variant.body;
        f.jsonStyle = variant.style;
        f.secretName = m_secrets.at(secret).name;
        f.secretFingerprint = secretFingerprint(m_secrets.at(secret).secret);
        return confirm(token, mac, f);
    }

    bool tryBodyVariant(const BodyVariant &variant)
    {
        for (qsizetype i = 0; i < m_keys.size(); ++i) {
            if (m_keys.at(i).isNull())
                continue;
            const QByteArray mac = m_scheme.computeMac(m_keys.at(i), variant.body, m_timestamp, m_id);
            if (const SignatureToken *token = matchingToken(mac); token && reportBodyVariant(variant, i, *token, mac))
                return true;
        }
        return false;
    }

    bool bodyVariants()
    {
        if (m_body.size() > m_limits.maxVariantBodySize) {
            m_bodyVariantsSkipped = true;
            return false;
        }
        QList<BodyVariant> variants;
        if (m_body.startsWith(byteOrderMark))
            variants.append({FindingCode::BodyBom, QStringLiteral("bom-removed"), QStringLiteral("UTF-8 BOM removed"),
                QStringLiteral("The signature matches this body without its UTF-8 byte-order mark (%1): the BOM was "
                               "added after signing."),
                m_body.mid(byteOrderMark.size()), std::nullopt});
        if (m_body.contains("\r\n"))
            variants.append({FindingCode::BodyLineEndings, QStringLiteral("crlf-to-lf"),
                QStringLiteral("CRLF line endings turned into LF"),
                QStringLiteral("The signature matches this body with its CRLF line endings turned into LF (%1): line "
                               "endings were converted after signing."),
                crlfToLf(m_body), std::nullopt});
        if (hasBareLf(m_body))
            variants.append({FindingCode::BodyLineEndings, QStringLiteral("lf-to-crlf"),
                QStringLiteral("LF line endings turned into CRLF"),
                QStringLiteral("The signature matches this body with its LF line endings turned into CRLF (%1): line "
                               "endings were converted after signing."),
                lfToCrlf(m_body), std::nullopt});
        for (const BodyVariant &variant : variants) {
            if (tryBodyVariant(variant))
                return true;
        }
        return false;
    }

    bool jsonVariants()
    {
        if (m_body.size() > m_limits.maxVariantBodySize)
            return false;
        JsonReencoder document;
        if (!document.parse(m_body, nullptr, m_limits.maxJsonDepth))
            return false;
        // The styles that give distinct bytes for this document.
        QList<JsonStyle> styles;
        QList<JsonStyle> simplest;
        for (const JsonStyle &style : commonJsonStyles()) {
            if (simplest.contains(document.simplest(style)))
                continue;
            styles.append(style);
            simplest.append(document.simplest(style));
        }

        // Each re-encoding is MACed while it is written and not kept. Variants are independent,
        // so several threads take them in turn; a thread stops taking more once a variant
        // before the next one matched, and the first matching style in list order is reported
        // whatever the threads did.
        struct Outcome
        {
            QList<QByteArray> macs; // per secret; empty when not computed
            bool receivedBytes = false;
        };
        std::vector<Outcome> outcomes(size_t(styles.size()));
        std::atomic<qsizetype> next {0};
        std::atomic<qsizetype> firstMatch {styles.size()};
        auto work = [&] {
            for (qsizetype k = next++; k < styles.size() && k < firstMatch.load(); k = next++) {
                std::vector<HmacStream> streams;
                for (const QByteArray &key : m_keys) {
                    streams.emplace_back(m_scheme.algorithm(), key);
                    streams.back().update(m_around.prefix);
                }
                bool same = true;
                qsizetype written = 0;
                document.encode(simplest.at(k), [&](QByteArrayView piece) {
                    for (qsizetype i = 0; i < m_keys.size(); ++i) {
                        if (!m_keys.at(i).isNull())
                            streams[size_t(i)].update(piece);
                    }
                    same = same && written + piece.size() <= m_body.size()
                        && QByteArrayView(m_body).sliced(written, piece.size()) == piece;
                    written += piece.size();
                });
                Outcome &outcome = outcomes[size_t(k)];
                outcome.receivedBytes = same && written == m_body.size();
                bool matched = false;
                for (qsizetype i = 0; i < m_keys.size(); ++i) {
                    QByteArray mac;
                    if (!m_keys.at(i).isNull()) {
                        streams[size_t(i)].update(m_around.suffix);
                        mac = streams[size_t(i)].result();
                        matched = matched || (!outcome.receivedBytes && matchingToken(mac));
                    }
                    outcome.macs.append(mac);
                }
                for (qsizetype known = firstMatch.load(); matched && k < known;)
                    firstMatch.compare_exchange_weak(known, k);
            }
        };
        const int threads = m_body.size() < 64 * 1024 ? 1
            : m_limits.threads > 0                    ? m_limits.threads
                                                      : std::clamp(QThread::idealThreadCount(), 1, 4);
        std::vector<std::thread> helpers;
        try {
            for (int t = 1; t < std::min<qsizetype>(threads, styles.size()); ++t)
                helpers.emplace_back(work);
        } catch (const std::system_error &) {
            // No more threads to be had: the ones running (and this one) share the work.
        }
        work();
        for (std::thread &helper : helpers)
            helper.join();

        for (qsizetype k = 0; k < styles.size(); ++k) {
            const Outcome &outcome = outcomes[size_t(k)];
            if (outcome.receivedBytes)
                continue; // the received bytes themselves, already tried
            for (qsizetype i = 0; i < outcome.macs.size(); ++i) {
                const SignatureToken *token = matchingToken(outcome.macs.at(i));
                if (!token)
                    continue;
                const JsonStyle &style = styles.at(k);
                const BodyVariant variant {FindingCode::BodyReserialized, style.id(), style.description(),
                    QStringLiteral("The signature matches this JSON re-encoded %1 (%2): the body was parsed and "
                                   "re-encoded after signing, or signed in another encoding than the one sent.")
                        .arg(style.description(), QStringLiteral("%1")),
                    document.encode(simplest.at(k)), style};
                if (reportBodyVariant(variant, i, *token, outcome.macs.at(i)))
                    return true;
            }
        }
        return false;
    }

    // Nothing computed here matches: report what the headers show, then the likeliest cause.
    void unexplained()
    {
        if (!m_evidence.headerPresent) {
            QString message = QStringLiteral("The request has no %1 header").arg(headerText());
            DiagnosisFinding f = finding(FindingCode::MissingHeader, {}, false);
            if (!m_tokens.isEmpty()) {
                const SignatureToken &token = m_tokens.first();
                message += QStringLiteral("; %1 holds a %2 value of a signature's size, perhaps the sender's name "
                                          "for it (it doesn't match this body and secret).")
                               .arg(QString::fromLatin1(token.header), encodingText(token.encoding, token.base64Url));
                f.otherHeader = token.header;
            } else {
                message += u'.';
            }
            f.message = message;
            m_findings.append(f);
            return;
        }
        const QString credential = describeCredential(m_evidence.headerValue);
        if (!credential.isEmpty()) {
            DiagnosisFinding f = finding(FindingCode::HeaderReplaced,
                QStringLiteral("%1 holds %2, not a %3 signature: a proxy or gateway replaced it.")
                    .arg(headerText(), credential, title()),
                false);
            f.variant = credential;
            m_findings.append(f);
            return;
        }
        if (m_tokens.isEmpty()) {
            const QByteArray prefix = m_scheme.signaturePrefix();
            const QString form = encodedMacDescription(m_scheme.algorithm(), m_scheme.encoding());
            // Its shape, not its text: an unknown value there may well be someone's credential.
            const qsizetype length = m_evidence.headerValue.size();
            m_findings.append(finding(FindingCode::HeaderReplaced,
                QStringLiteral("%1 holds %2, not a %3 signature (%4): something replaced, cut or garbled it.")
                    .arg(headerText(),
                        length == 1 ? QStringLiteral("1 character") : QStringLiteral("%1 characters").arg(length),
                        title(), prefix.isEmpty() ? form : QStringLiteral("\"%1\" then %2").arg(latin1(prefix), form)),
                false));
            return;
        }
        const bool wellFormed = std::any_of(m_tokens.cbegin(), m_tokens.cend(), [&](const SignatureToken &token) {
            return token.prefix == m_scheme.signaturePrefix() && token.encoding == m_scheme.encoding()
                && !token.base64Url;
        });
        if (!wellFormed) {
            // The wrapping is wrong whatever else is: say so, then what else it must be.
            addWrappingFindings(m_tokens.first(), std::nullopt);
        }
        QStringList fingerprints;
        for (const NamedSecret &secret : m_secrets)
            fingerprints << secretFingerprint(secret.secret);
        QString message = m_secrets.size() == 1
            ? QStringLiteral("No variation of the body, secret or format explains the signature: most likely it was "
                             "made with another secret than %1 (fingerprint %2).")
                  .arg(m_secrets.first().name, fingerprints.first())
            : QStringLiteral("No variation of the body, secrets or format explains the signature: most likely it was "
                             "made with another secret than these %1 (fingerprints %2).")
                  .arg(m_secrets.size())
                  .arg(fingerprints.join(QStringLiteral(", ")));
        if (m_bodyVariantsSkipped) {
            message.chop(1);
            message += QStringLiteral(" (body variants not tried: the body is over %1 bytes).")
                           .arg(m_limits.maxVariantBodySize);
        }
        DiagnosisFinding f = finding(FindingCode::WrongSecret, message, false);
        f.fingerprints = fingerprints;
        if (!m_secrets.isEmpty()) {
            f.secretName = m_secrets.first().name;
            f.secretFingerprint = fingerprints.first();
        }
        m_findings.append(f);
    }
};

} // namespace

SignatureDiagnosis::SignatureDiagnosis(const SignatureScheme &scheme)
    : m_scheme(scheme), m_otherSchemes(createAllBuiltinSchemes())
{ }

SignatureDiagnosis::~SignatureDiagnosis() = default;

void SignatureDiagnosis::setOtherSchemes(std::vector<std::unique_ptr<SignatureScheme>> schemes)
{
    m_otherSchemes = std::move(schemes);
}

QList<DiagnosisFinding> SignatureDiagnosis::diagnose(const HeaderList &headers, const QByteArray &body,
    const QList<NamedSecret> &secrets, const VerifyOptions &options) const
{
    QList<QByteArray> values;
    for (const NamedSecret &secret : secrets)
        values.append(secret.secret);
    const VerificationResult verification = m_scheme.verify(headers, body, values, options);
    return diagnose(verification, headers, body, secrets, options);
}

QList<DiagnosisFinding> SignatureDiagnosis::diagnose(const VerificationResult &verification, const HeaderList &headers,
    const QByteArray &body, const QList<NamedSecret> &secrets, const VerifyOptions &options) const
{
    DiagnosisRun run(m_scheme, m_otherSchemes, m_otherSecrets, m_limits, verification, headers, body, secrets, options);
    return run.run();
}

QList<DiagnosisFinding> diagnoseSignature(const SignatureScheme &scheme, const HeaderList &headers,
    const QByteArray &body, const QList<QByteArray> &secrets, const VerifyOptions &options,
    const QList<NamedSecret> &otherSecrets)
{
    QList<NamedSecret> named;
    for (qsizetype i = 0; i < secrets.size(); ++i) {
        named.append({secrets.size() == 1 ? QStringLiteral("the secret") : QStringLiteral("secret %1").arg(i + 1),
            secrets.at(i)});
    }
    SignatureDiagnosis diagnosis(scheme);
    diagnosis.setOtherSecrets(otherSecrets);
    return diagnosis.diagnose(headers, body, named, options);
}

} // namespace hookbench
