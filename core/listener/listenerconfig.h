#pragma once

#include "forwardconfig.h"

#include "capture/httpheaders.h"

#include <QByteArray>
#include <QHostAddress>
#include <QSslCertificate>
#include <QSslKey>
#include <QString>

#include <optional>

namespace hookbench {

// What a listener puts up with before it answers an error and closes the connection. Every
// limit keeps memory bounded whatever a client sends.
struct ListenerLimits
{
    qint64 maxBodyBytes = 16 * 1024 * 1024; // larger: 413, connection closed, body never buffered
    int maxHeaderCount = 100; // more: 431. Qt 6.4 drops every header beyond 100, so at most 100.
    int maxHeaderBytes = 64 * 1024; // request line + headers; more: 414/431
    int idleTimeoutMs = 30000; // no bytes for this long: close (408 when inside a request)
    int requestTimeoutMs = 30000; // a request must arrive whole within this: else 408
    int maxConnections = 1024; // more at once: 503 and close
    int maxPipelined = 64; // requests received on one connection but not yet answered
    // Body bytes held at once across all connections: being received, or received and waiting
    // for the store. A request that would exceed it gets 503 (Retry-After) and is not buffered.
    qint64 maxBufferedBytes = 256 * 1024 * 1024;
    // After an error answer, keep reading and discarding until the client is quiet this long
    // (at most 30 s), so it gets to read the answer instead of a reset.
    int lingerMs = 2000;
    int stopTimeoutMs = 10000; // stop(): longest wait for pending commits and answers
};

// The answer to every captured request unless a fault mode says otherwise.
struct ResponseConfig
{
    int status = 200;
    HeaderList headers {{QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")}};
    QByteArray body = QByteArrayLiteral("{\"status\":\"ok\"}");
    int delayMs = 0; // wait this long after the capture is stored before answering
};

// Deliberate failures, to watch what a sender's retries do.
struct FaultConfig
{
    int failFirst = 0; // the first N deliveries of each distinct body get failStatus
    int failStatus = 500;
    int failPercent = 0; // this share of requests (0-100) gets failStatus
    bool closeWithoutAnswer = false; // store the capture, then close the connection, no answer
    std::optional<quint32> seed; // for failPercent; random when unset
};

struct TlsConfig
{
    bool enabled = false;
    // The user's certificate and key; when null, a self-signed certificate is generated.
    QSslCertificate certificate;
    QSslKey privateKey;
};

// The diagnosis of invalid and unsigned captures (their stored reason names the likeliest cause).
struct DiagnosisConfig
{
    int threads = 0; // diagnoses run at once; 0: half the cores, at least 1, at most 4
    // Diagnoses waiting or running at once; more get the plain reason, marked as not diagnosed.
    // Each holds its request's answer back, so the wait stays short: about 40 ms per MiB each.
    int maxPending = 8;
};

struct ListenerConfig
{
    QString name; // shown and stored with each capture; "<address>:<port>" when empty
    QHostAddress address = QHostAddress(QHostAddress::LocalHost);
    quint16 port = 5000; // 0: any free port (see Listener::port())
    ListenerLimits limits;
    ResponseConfig response;
    FaultConfig faults;
    TlsConfig tls;
    DiagnosisConfig diagnosis;
    ForwardConfig forward;
};

} // namespace hookbench
