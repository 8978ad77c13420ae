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
    // Defaults are ForwardConfig's, so settings saved before these existed load unchanged.
    int maxInFlight = ForwardConfig().maxInFlight; // forwards in flight at once
    int maxQueued = ForwardConfig().maxQueued; // waiting forwards; more are not sent
    int maxRedirects = ForwardConfig::defaultSendOptions().maxRedirects; // 0: a 3xx is the answer

    bool isEnabled() const { return !target.trimmed().isEmpty(); }
    bool operator==(const ForwardSettings &) const = default;
};

} // namespace hookbench
