#pragma once

#include "listener/forwardconfig.h"

#include <QString>

namespace hookbench {

// A listener bar's forward mode as the user set it and the settings file keeps it. The re-sign
// secret is not here: the SecretKeeper holds it, under the bar's forward key.
struct ForwardSettings
{
    QString target; // empty: forwarding off
    ForwardConfig::Mode mode = ForwardConfig::Mode::Background;
    QString resignScheme; // built-in scheme name; empty: forwarded with the signature it came with
    int timeoutMs = 10'000;
    bool ignoreTlsErrors = false;

    bool isEnabled() const { return !target.trimmed().isEmpty(); }
    bool operator==(const ForwardSettings &) const = default;
};

} // namespace hookbench
