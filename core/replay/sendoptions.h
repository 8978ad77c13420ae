#pragma once

#include "httpresponseparser.h"

namespace hookbench {

// How one request is sent. The defaults are dbt Cloud's (10 s) and safe ones (certificates
// checked, redirects not followed, bounded response).
struct SendOptions
{
    int timeoutMs = 10'000; // for the whole exchange, redirects included: connect, send, full response
    bool ignoreTlsErrors = false; // an explicit per-send choice; certificate errors fail the send otherwise
    int maxRedirects = 0; // 0: a 3xx is the answer; N: follow up to N Location hops
    ResponseLimits limits;
    bool reuseConnections = true; // keep-alive: idle connections to the same origin are reused
};

} // namespace hookbench
