#include "verdict.h"

namespace hookbench {

QString verdictName(Verdict verdict)
{
    switch (verdict) {
    case Verdict::Valid:
        return QStringLiteral("valid");
    case Verdict::Invalid:
        return QStringLiteral("invalid");
    case Verdict::Unsigned:
        return QStringLiteral("unsigned");
    case Verdict::NoSecret:
        return QStringLiteral("no-secret");
    }
    return {};
}

std::optional<Verdict> verdictFromName(QStringView name)
{
    for (const Verdict verdict : {Verdict::Valid, Verdict::Invalid, Verdict::Unsigned, Verdict::NoSecret}) {
        if (name == verdictName(verdict))
            return verdict;
    }
    return std::nullopt;
}

} // namespace hookbench
