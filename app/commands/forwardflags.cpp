#include "forwardflags.h"

#include "commandline.h"

#include "signing/schemeregistry.h"

#include <cmath>

namespace hookbench::cli {

namespace {

const QStringList &forwardOnlyOptions()
{
    static const QStringList names {QStringLiteral("forward-scheme"), QStringLiteral("forward-secret-env"),
        QStringLiteral("forward-timeout"), QStringLiteral("forward-insecure"), QStringLiteral("forward-concurrency"),
        QStringLiteral("forward-queue"), QStringLiteral("forward-max-redirects"), QStringLiteral("proxy")};
    return names;
}

// Options that shape the listener's own answer, which proxy mode replaces by the target's.
const QStringList &answerOptions()
{
    static const QStringList names {QStringLiteral("respond-status"), QStringLiteral("respond-body"),
        QStringLiteral("respond-header"), QStringLiteral("respond-delay"), QStringLiteral("fail-first"),
        QStringLiteral("fail-status"), QStringLiteral("fail-percent"), QStringLiteral("close-without-answer")};
    return names;
}

QUrl forwardTarget(const QString &text)
{
    const QUrl url(text, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || (scheme != u"http" && scheme != u"https") || url.host().isEmpty())
        throw UsageError {
            QStringLiteral("--forward-to must be an http:// or https:// URL with a host, not \"%1\"").arg(text)};
    if (!url.userInfo().isEmpty())
        throw UsageError {QStringLiteral("--forward-to must not carry a user name or password (they would be stored "
                                         "with every attempt); send credentials in the request's headers")};
    if (url.hasFragment())
        throw UsageError {QStringLiteral("--forward-to must not have a #fragment")};
    return url;
}

} // namespace

void addForwardOptions(QCommandLineParser &parser)
{
    parser.addOption({QStringLiteral("forward-to"),
        QStringLiteral("Also send every stored capture to this http(s) URL, byte for byte. Without a path each "
                       "capture keeps its own path and query."),
        QStringLiteral("URL")});
    parser.addOption({QStringLiteral("forward-scheme"),
        QStringLiteral("Re-sign forwards with this built-in scheme (needs --forward-secret-env)."),
        QStringLiteral("NAME")});
    parser.addOption({QStringLiteral("forward-secret-env"),
        QStringLiteral("Re-sign forwards with the secret in this environment variable (with --forward-scheme, or "
                       "the listener's scheme)."),
        QStringLiteral("VAR")});
    parser.addOption(
        {QStringLiteral("forward-timeout"), QStringLiteral("Seconds for each forward (decimals allowed). Default: 10."),
            QStringLiteral("S"), QStringLiteral("10")});
    parser.addOption(
        {QStringLiteral("forward-insecure"), QStringLiteral("Accept any TLS certificate from the forward target.")});
    parser.addOption({QStringLiteral("forward-concurrency"), QStringLiteral("Forwards in flight at once. Default: 8."),
        QStringLiteral("N"), QStringLiteral("8")});
    parser.addOption({QStringLiteral("forward-queue"),
        QStringLiteral("Forwards waiting at most; more are not sent (a failed attempt says so). Default: 256."),
        QStringLiteral("N"), QStringLiteral("256")});
    parser.addOption({QStringLiteral("forward-max-redirects"),
        QStringLiteral(
            "Follow up to N redirects (0 to 10) for each forward. Default: 0, a 3xx is the target's answer."),
        QStringLiteral("N"), QStringLiteral("0")});
    parser.addOption({QStringLiteral("proxy"),
        QStringLiteral("Answer each sender with the target's response (502/504 when the target fails) instead of "
                       "the listener's own.")});
}

ForwardConfig forwardConfigFrom(
    const QCommandLineParser &parser, const std::shared_ptr<const SignatureScheme> &listenScheme)
{
    ForwardConfig config;
    if (!parser.isSet(QStringLiteral("forward-to"))) {
        for (const QString &name : forwardOnlyOptions()) {
            if (parser.isSet(name))
                throw UsageError {QStringLiteral("--%1 needs --forward-to").arg(name)};
        }
        return config;
    }
    config.target = forwardTarget(parser.value(QStringLiteral("forward-to")));
    config.mode = parser.isSet(QStringLiteral("proxy")) ? ForwardConfig::Mode::Proxy : ForwardConfig::Mode::Background;
    if (config.mode == ForwardConfig::Mode::Proxy) {
        for (const QString &name : answerOptions()) {
            if (parser.isSet(name))
                throw UsageError {QStringLiteral("--%1 doesn't apply with --proxy, which answers with the target's "
                                                 "response")
                                      .arg(name)};
        }
    }

    const QString timeoutText = parser.value(QStringLiteral("forward-timeout"));
    bool ok = false;
    const double seconds = timeoutText.toDouble(&ok);
    if (!ok || !std::isfinite(seconds) || seconds < 0.001 || seconds > 3600)
        throw UsageError {QStringLiteral("--forward-timeout must be a number of seconds from 0.001 to 3600, not \"%1\"")
                              .arg(timeoutText)};
    config.send.timeoutMs = int(std::lround(seconds * 1000));
    config.send.ignoreTlsErrors = parser.isSet(QStringLiteral("forward-insecure"));
    config.maxInFlight = int(integerOption(parser, QStringLiteral("forward-concurrency"), 1, 256));
    config.maxQueued = int(integerOption(parser, QStringLiteral("forward-queue"), 0, 100000));
    config.send.maxRedirects = int(integerOption(parser, QStringLiteral("forward-max-redirects"), 0, 10));

    const bool schemeSet = parser.isSet(QStringLiteral("forward-scheme"));
    if (schemeSet && !parser.isSet(QStringLiteral("forward-secret-env")))
        throw UsageError {QStringLiteral("--forward-scheme needs --forward-secret-env VAR")};
    if (!parser.isSet(QStringLiteral("forward-secret-env")))
        return config;

    std::shared_ptr<const SignatureScheme> scheme = listenScheme;
    if (schemeSet) {
        const QString name = parser.value(QStringLiteral("forward-scheme"));
        scheme = createBuiltinScheme(name);
        if (!scheme)
            throw UsageError {QStringLiteral("--forward-scheme: unknown scheme \"%1\" (built-in schemes: %2)")
                                  .arg(name, builtinSchemeNames().join(QStringLiteral(", ")))};
    }
    const QString variable = parser.value(QStringLiteral("forward-secret-env"));
    const QByteArray name = variable.toLocal8Bit();
    if (variable.isEmpty() || !qEnvironmentVariableIsSet(name.constData()))
        throw UsageError {QStringLiteral("environment variable %1 (--forward-secret-env) is not set").arg(variable)};
    const QByteArray secret = qgetenv(name.constData());
    if (secret.isEmpty())
        throw UsageError {QStringLiteral("the secret from $%1 (--forward-secret-env) is empty").arg(variable)};
    auto resigner = std::make_shared<Resigner>(scheme, secret);
    if (!resigner->problem().isEmpty())
        throw UsageError {QStringLiteral("%1 (secret from $%2)").arg(resigner->problem(), variable)};
    config.resigner = resigner;
    return config;
}

QString forwardDescription(const ForwardConfig &config)
{
    QStringList parts;
    parts.append(config.mode == ForwardConfig::Mode::Proxy ? QStringLiteral("proxy: senders get its answers")
                                                           : QStringLiteral("senders get the listener's answer"));
    parts.append(config.resigner ? QStringLiteral("re-signed for %1").arg(config.resigner->scheme().title())
                                 : QStringLiteral("signatures as received"));
    return QStringLiteral("forwarding to %1 (%2)").arg(config.target.toString(), parts.join(QStringLiteral("; ")));
}

} // namespace hookbench::cli
