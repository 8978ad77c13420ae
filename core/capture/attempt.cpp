#include "attempt.h"

namespace hookbench {

QString attemptKindName(Attempt::Kind kind)
{
    switch (kind) {
    case Attempt::Kind::Send:
        return QStringLiteral("send");
    case Attempt::Kind::Replay:
        return QStringLiteral("replay");
    case Attempt::Kind::Forward:
        return QStringLiteral("forward");
    }
    return {};
}

QString attemptFailureName(Attempt::Failure failure)
{
    switch (failure) {
    case Attempt::Failure::None:
        return QStringLiteral("none");
    case Attempt::Failure::Refused:
        return QStringLiteral("refused");
    case Attempt::Failure::Timeout:
        return QStringLiteral("timeout");
    case Attempt::Failure::Tls:
        return QStringLiteral("tls");
    case Attempt::Failure::Other:
        return QStringLiteral("other");
    }
    return {};
}

} // namespace hookbench
