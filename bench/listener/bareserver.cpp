// The listener benchmark's baseline: a bare Qt HttpServer whose missing handler computes the
// dbt Cloud check (HMAC-SHA256 of the raw body, lowercase hex, compared with Authorization in
// constant time) and answers. No guard, no capture, no store: the most Qt HttpServer can do.
// Usage: bench_bare_httpserver PORT SECRET
#include <QCoreApplication>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdio>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (argc != 3) {
        std::fprintf(stderr, "usage: bench_bare_httpserver PORT SECRET\n");
        return 2;
    }
    const quint16 port = quint16(QByteArray(argv[1]).toUInt());
    const QByteArray secret(argv[2]);
    const QByteArray ok = QByteArrayLiteral("{\"status\":\"ok\"}");
    const QByteArray invalid = QByteArrayLiteral("{\"status\":\"invalid signature\"}");

    QHttpServer server;
    server.setMissingHandler([&](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
        const QByteArray body = request.body();
        unsigned char mac[EVP_MAX_MD_SIZE];
        unsigned int macLength = 0;
        HMAC(EVP_sha256(), secret.constData(), int(secret.size()),
            reinterpret_cast<const unsigned char *>(body.constData()), size_t(body.size()), mac, &macLength);
        const QByteArray expected = QByteArray(reinterpret_cast<const char *>(mac), int(macLength)).toHex();
        const QByteArray received = request.value(QByteArrayLiteral("Authorization"));
        const bool valid = received.size() == expected.size()
            && CRYPTO_memcmp(received.constData(), expected.constData(), size_t(expected.size())) == 0;
        responder.write(valid ? ok : invalid, QByteArrayLiteral("application/json"),
            valid ? QHttpServerResponder::StatusCode::Ok : QHttpServerResponder::StatusCode::Unauthorized);
    });
    if (!server.listen(QHostAddress(QHostAddress::LocalHost), port)) {
        std::fprintf(stderr, "bench_bare_httpserver: can't listen on 127.0.0.1:%u\n", unsigned(port));
        return 1;
    }
    std::printf("Listening on http://127.0.0.1:%u\n", unsigned(port));
    std::fflush(stdout);
    return app.exec();
}
