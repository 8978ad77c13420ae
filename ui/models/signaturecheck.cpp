#include "signaturecheck.h"

namespace hookbench {

SignatureCheck checkSignature(
    const Capture &capture, std::shared_ptr<const SignatureScheme> scheme, QList<QByteArray> secrets, qint64 nowSeconds)
{
    SignatureCheck check;
    check.capture = capture;
    check.scheme = std::move(scheme);
    check.secrets = std::move(secrets);
    check.options.now = nowSeconds;
    if (check.scheme)
        check.result = check.scheme->verify(capture.headers, capture.body, check.secrets, check.options);
    return check;
}

qsizetype firstDifference(const QByteArray &received, const QByteArray &computed)
{
    const qsizetype common = qMin(received.size(), computed.size());
    for (qsizetype i = 0; i < common; ++i) {
        if (received.at(i) != computed.at(i))
            return i;
    }
    return received.size() == computed.size() ? -1 : common;
}

} // namespace hookbench
