#include "attemptoutput.h"

#include "commandline.h"

#include <QJsonArray>
#include <QStringDecoder>

namespace hookbench::cli {

namespace {

std::optional<QString> strictUtf8(const QByteArray &bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString text = decoder.decode(bytes);
    if (decoder.hasError())
        return std::nullopt;
    return text;
}

// Header bytes for display: UTF-8 when they are, else Latin-1 (every byte maps to one character).
QString headerText(const QByteArray &bytes)
{
    return strictUtf8(bytes).value_or(QString::fromLatin1(bytes));
}

} // namespace

QByteArray responseText(const Attempt &attempt)
{
    QByteArray text = "HTTP/1.1 " + QByteArray::number(attempt.status);
    if (!attempt.reasonPhrase.isEmpty())
        text += ' ' + attempt.reasonPhrase;
    text += '\n';
    for (const HttpHeader &header : attempt.responseHeaders)
        text += header.name + ": " + header.value + '\n';
    text += '\n';
    text += attempt.responseBody;
    return text;
}

QJsonObject attemptJson(const Attempt &attempt)
{
    QJsonObject json;
    if (attempt.captureId > 0)
        json.insert(QStringLiteral("captureId"), attempt.captureId);
    json.insert(QStringLiteral("url"), QString::fromUtf8(attempt.request.url.toEncoded()));
    json.insert(QStringLiteral("method"), QString::fromLatin1(attempt.request.method));
    const bool responded = attempt.failure == Attempt::Failure::None;
    json.insert(QStringLiteral("status"), responded ? QJsonValue(attempt.status) : QJsonValue(QJsonValue::Null));
    json.insert(QStringLiteral("reason"), headerText(attempt.reasonPhrase));
    QJsonArray headers;
    for (const HttpHeader &header : attempt.responseHeaders)
        headers.append(QJsonObject {{QStringLiteral("name"), QString::fromLatin1(header.name)},
            {QStringLiteral("value"), headerText(header.value)}});
    json.insert(QStringLiteral("headers"), headers);
    if (const auto text = strictUtf8(attempt.responseBody)) {
        json.insert(QStringLiteral("body"), *text);
        json.insert(QStringLiteral("bodyEncoding"), QStringLiteral("utf-8"));
    } else {
        json.insert(QStringLiteral("body"), QString::fromLatin1(attempt.responseBody.toBase64()));
        json.insert(QStringLiteral("bodyEncoding"), QStringLiteral("base64"));
    }
    json.insert(QStringLiteral("bodySize"), attempt.responseBody.size());
    json.insert(QStringLiteral("timeToFirstByteUs"),
        attempt.timeToFirstByteUs >= 0 ? QJsonValue(attempt.timeToFirstByteUs) : QJsonValue(QJsonValue::Null));
    json.insert(QStringLiteral("totalUs"), attempt.totalUs);
    if (responded)
        json.insert(QStringLiteral("error"), QJsonValue(QJsonValue::Null));
    else
        json.insert(QStringLiteral("error"),
            QJsonObject {{QStringLiteral("kind"), attemptFailureName(attempt.failure)},
                {QStringLiteral("message"), attempt.error}});
    return json;
}

QString attemptProblem(const Attempt &attempt)
{
    if (attempt.failure == Attempt::Failure::Tls && attempt.error.startsWith(u"TLS certificate"))
        return attempt.error + QStringLiteral(" (--insecure ignores certificate errors)");
    if (attempt.failure != Attempt::Failure::None)
        return attempt.error;
    if (attempt.succeeded())
        return {};
    QString answer = QStringLiteral("the server answered %1").arg(attempt.status);
    if (!attempt.reasonPhrase.isEmpty())
        answer += u' ' + headerText(attempt.reasonPhrase);
    return answer;
}

int attemptExitCode(const Attempt &attempt)
{
    if (attempt.failure != Attempt::Failure::None)
        return ExitNetwork;
    return attempt.succeeded() ? ExitOk : ExitFailure;
}

} // namespace hookbench::cli
