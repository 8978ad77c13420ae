// A minimal dbt Cloud receiver for load tests: Qt HttpServer on 127.0.0.1, every request's
// Authorization checked against HMAC-SHA256 of the raw body with the signing engine; 200 "ok"
// when it matches, 401 otherwise. Prints the port, then serves until killed.
// Usage: bench_receiver PORT SECRET
#include "signing/schemeregistry.h"

#include <QCoreApplication>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QTcpServer>

#include <cstdio>

using namespace hookbench;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (argc != 3) {
        std::fprintf(stderr, "usage: bench_receiver PORT SECRET\n");
        return 2;
    }
    const quint16 port = quint16(QByteArray(argv[1]).toUInt());
    const QList<QByteArray> secrets {QByteArray(argv[2])};
    const auto scheme = createBuiltinScheme(u"dbt-cloud");

    QHttpServer server;
    qint64 valid = 0;
    qint64 invalid = 0;
    server.setMissingHandler([&](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
        HeaderList headers;
        const auto received = request.headers();
        for (const auto &[name, value] : received)
            headers.append({name, value});
        const VerificationResult result = scheme->verify(headers, request.body(), secrets, {});
        if (result.isValid()) {
            ++valid;
            responder.write(
                QByteArrayLiteral("ok"), QByteArrayLiteral("text/plain"), QHttpServerResponder::StatusCode::Ok);
        } else {
            ++invalid;
            responder.write(QByteArrayLiteral("invalid signature"), QByteArrayLiteral("text/plain"),
                QHttpServerResponder::StatusCode::Unauthorized);
        }
    });
    auto *tcp = new QTcpServer(&server);
    if (!tcp->listen(QHostAddress::LocalHost, port)) {
        std::fprintf(stderr, "bench_receiver: can't listen on 127.0.0.1:%u\n", unsigned(port));
        return 1;
    }
    server.bind(tcp);
    std::printf("%u\n", unsigned(tcp->serverPort()));
    std::fflush(stdout);
    return app.exec();
}
