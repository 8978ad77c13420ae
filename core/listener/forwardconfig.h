#pragma once

#include "replay/resigner.h"
#include "replay/sendoptions.h"

#include <QUrl>

#include <memory>

namespace hookbench {

// Forward mode: every stored capture is also sent to a target (like `stripe listen --forward-to`),
// exactly as captured (less hop-by-hop headers, Host and Content-Length), optionally re-signed.
struct ForwardConfig
{
    enum class Mode {
        Background, // the sender gets the listener's configured answer; forwards run behind it
        Proxy, // the sender gets the target's answer (502/504 when the target fails)
    };

    // Empty: no forwarding. With no path (or "/") and no query, each capture keeps its own path
    // and query on this origin; otherwise every capture goes to exactly this URL.
    QUrl target;
    Mode mode = Mode::Background;
    std::shared_ptr<const Resigner> resigner; // null: forwarded with the signature it came with
    SendOptions send = defaultSendOptions();

    // Forwards in flight at once; more wait in a queue of at most maxQueued requests holding at
    // most maxQueuedBytes of bodies (one request is always let in). Beyond that a capture is not
    // forwarded: a failed attempt says so (and proxy mode answers 503).
    int maxInFlight = 8;
    int maxQueued = 256;
    qint64 maxQueuedBytes = 64 * 1024 * 1024;

    bool isEnabled() const { return !target.isEmpty(); }

    static SendOptions defaultSendOptions()
    {
        SendOptions options;
        options.limits.maxBodyBytes = 8 * 1024 * 1024; // a webhook target's answer is small
        return options;
    }
};

} // namespace hookbench
