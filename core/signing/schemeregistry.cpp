#include "schemeregistry.h"

#include "standardwebhooksscheme.h"
#include "stripescheme.h"

namespace hookbench {

GenericSchemeConfig dbtCloudSchemeConfig()
{
    GenericSchemeConfig config;
    config.name = QStringLiteral("dbt-cloud");
    config.title = QStringLiteral("dbt Cloud");
    config.summary = QStringLiteral("Authorization: <lowercase hex HMAC-SHA256 of the raw body>, keyed with the "
                                    "webhook's secret as UTF-8; no prefix, no timestamp.");
    config.header = QByteArrayLiteral("Authorization");
    return config;
}

GenericSchemeConfig gitHubSchemeConfig()
{
    GenericSchemeConfig config;
    config.name = QStringLiteral("github");
    config.title = QStringLiteral("GitHub");
    config.summary = QStringLiteral("X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>; no timestamp.");
    config.header = QByteArrayLiteral("X-Hub-Signature-256");
    config.prefix = QByteArrayLiteral("sha256=");
    return config;
}

GenericSchemeConfig shopifySchemeConfig()
{
    GenericSchemeConfig config;
    config.name = QStringLiteral("shopify");
    config.title = QStringLiteral("Shopify");
    config.summary = QStringLiteral("X-Shopify-Hmac-Sha256: <base64 HMAC-SHA256 of the raw body>; no timestamp.");
    config.header = QByteArrayLiteral("X-Shopify-Hmac-Sha256");
    config.encoding = SignatureEncoding::Base64;
    return config;
}

GenericSchemeConfig slackSchemeConfig()
{
    GenericSchemeConfig config;
    config.name = QStringLiteral("slack");
    config.title = QStringLiteral("Slack");
    config.summary = QStringLiteral("X-Slack-Signature: v0=<hex HMAC-SHA256 of \"v0:<timestamp>:<body>\">, with "
                                    "X-Slack-Request-Timestamp; 300 s tolerance.");
    config.header = QByteArrayLiteral("X-Slack-Signature");
    config.prefix = QByteArrayLiteral("v0=");
    config.signedTemplate = QByteArrayLiteral("v0:{timestamp}:{body}");
    config.timestampHeader = QByteArrayLiteral("X-Slack-Request-Timestamp");
    return config;
}

QStringList builtinSchemeNames()
{
    return {QStringLiteral("dbt-cloud"), QStringLiteral("github"), QStringLiteral("stripe"),
        QStringLiteral("standard-webhooks"), QStringLiteral("slack"), QStringLiteral("shopify")};
}

QStringList schemeNamesForUsers()
{
    return builtinSchemeNames() << QStringLiteral("generic");
}

std::unique_ptr<SignatureScheme> createBuiltinScheme(QStringView name)
{
    const QString key = name.toString().toLower();
    if (key == u"dbt-cloud" || key == u"dbt")
        return std::make_unique<GenericScheme>(dbtCloudSchemeConfig());
    if (key == u"github")
        return std::make_unique<GenericScheme>(gitHubSchemeConfig());
    if (key == u"stripe")
        return std::make_unique<StripeScheme>();
    if (key == u"standard-webhooks" || key == u"svix")
        return std::make_unique<StandardWebhooksScheme>();
    if (key == u"slack")
        return std::make_unique<GenericScheme>(slackSchemeConfig());
    if (key == u"shopify")
        return std::make_unique<GenericScheme>(shopifySchemeConfig());
    return nullptr;
}

std::unique_ptr<SignatureScheme> createGenericScheme(const GenericSchemeConfig &config, QString *error)
{
    const QString problem = config.validate();
    if (!problem.isEmpty()) {
        if (error)
            *error = problem;
        return nullptr;
    }
    return std::make_unique<GenericScheme>(config);
}

std::vector<std::unique_ptr<SignatureScheme>> createAllBuiltinSchemes()
{
    std::vector<std::unique_ptr<SignatureScheme>> schemes;
    for (const QString &name : builtinSchemeNames())
        schemes.push_back(createBuiltinScheme(name));
    return schemes;
}

} // namespace hookbench
