#pragma once

#include "capture/capture.h"
#include "signing/signaturescheme.h"

#include <QList>
#include <QString>

#include <functional>
#include <memory>
#include <optional>

namespace hookbench {

// A scheme and the secrets to check a capture with: the profile of the listener that received
// it, or what the user picked in the Signature tab. Secrets stay in memory, in this process.
struct CheckProfile
{
    QString label; // for people: "listener 127.0.0.1:5000 · dbt Cloud · 1 secret"
    std::shared_ptr<const SignatureScheme> scheme; // null: the listener checks nothing
    QList<QByteArray> secrets;
};

// The profile a capture's listener uses (by capture.listener), if that listener is known.
using CheckProfileLookup = std::function<std::optional<CheckProfile>(const Capture &capture)>;

// One check of one capture: what went in and what came out. Handed to the diagnosis panel,
// which can try variations with the same inputs.
struct SignatureCheck
{
    Capture capture;
    std::shared_ptr<const SignatureScheme> scheme;
    QList<QByteArray> secrets;
    VerifyOptions options;
    VerificationResult result;
};

// Verifies `capture` with `scheme` and `secrets`; timestamps are judged at `nowSeconds`.
SignatureCheck checkSignature(const Capture &capture, std::shared_ptr<const SignatureScheme> scheme,
    QList<QByteArray> secrets, qint64 nowSeconds);

// Where `received` and `computed` first differ (-1 when equal).
qsizetype firstDifference(const QByteArray &received, const QByteArray &computed);

} // namespace hookbench
