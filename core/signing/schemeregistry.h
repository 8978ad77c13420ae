#pragma once

#include "genericscheme.h"
#include "signaturescheme.h"

#include <QStringList>

#include <memory>
#include <vector>

namespace hookbench {

// The built-in schemes, by name. Plain functions returning fresh objects: there is no shared
// registry state for tests to work around.

// "dbt-cloud", "github", "stripe", "standard-webhooks", "slack", "shopify" (dbt Cloud first).
QStringList builtinSchemeNames();
// Every name a user may pass to --scheme: the built-ins plus "generic".
QStringList schemeNamesForUsers();
// A built-in scheme by name or alias ("dbt", "svix"); nullptr when unknown (and for "generic",
// which needs a configuration: use createGenericScheme()).
std::unique_ptr<SignatureScheme> createBuiltinScheme(QStringView name);
// nullptr with `error` set when the configuration is unusable.
std::unique_ptr<SignatureScheme> createGenericScheme(const GenericSchemeConfig &config, QString *error = nullptr);
std::vector<std::unique_ptr<SignatureScheme>> createAllBuiltinSchemes();

// The configurations behind the single-header built-ins.
GenericSchemeConfig dbtCloudSchemeConfig();
GenericSchemeConfig gitHubSchemeConfig();
GenericSchemeConfig shopifySchemeConfig();
GenericSchemeConfig slackSchemeConfig();

} // namespace hookbench
