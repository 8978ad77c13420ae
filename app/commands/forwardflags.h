#pragma once

#include "listener/forwardconfig.h"
#include "signing/signaturescheme.h"

#include <QCommandLineParser>

#include <memory>

namespace hookbench::cli {

// `listen`'s forward mode options: --forward-to, --forward-scheme, --forward-secret-env,
// --forward-timeout, --forward-insecure, --forward-concurrency, --forward-queue, --proxy.
void addForwardOptions(QCommandLineParser &parser);
// The forward configuration (disabled without --forward-to), or UsageError. `listenScheme` signs
// the forwards when --forward-secret-env is given without --forward-scheme.
ForwardConfig forwardConfigFrom(
    const QCommandLineParser &parser, const std::shared_ptr<const SignatureScheme> &listenScheme);
// "forwarding to URL (proxy: …; re-signed with …)", for the start-up line. Never shows a secret.
QString forwardDescription(const ForwardConfig &config);

} // namespace hookbench::cli
