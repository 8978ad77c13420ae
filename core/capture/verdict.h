#pragma once

#include <QString>

#include <optional>

namespace hookbench {

// The outcome of checking a request's signature. Stored as its stable name (verdictName).
enum class Verdict {
    Valid, // a configured secret produced the received signature
    Invalid, // a signature was present but no configured secret produced it (or it was stale)
    Unsigned, // the scheme's signature header was absent
    NoSecret, // nothing to check against: no secret configured
};

// Stable lower-case names used by the store, --json output and filters:
// "valid", "invalid", "unsigned", "no-secret".
QString verdictName(Verdict verdict);
std::optional<Verdict> verdictFromName(QStringView name);

} // namespace hookbench
