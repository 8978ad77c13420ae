#pragma once

#include "capture.h"
#include "httpheaders.h"

#include <QByteArray>
#include <QString>

namespace hookbench {

// Builds a `curl` command line that puts a captured request back on the wire byte for byte:
// same method (custom verbs too), same request target, every header in received order with its
// case and duplicates, and the exact body. curl's own additions (User-Agent, Accept,
// Content-Type, Expect) are suppressed unless the request had them.
//
// The one thing curl does not let us choose is the position of Host: curl always sends it first
// (which is where RFC 9110 asks clients to put it); every other header keeps its place.
//
// Bodies that are printable UTF-8 (newlines allowed) and short are written inline as a
// single-quoted literal; binary or large bodies are referenced as `--data-binary @FILE`, and the
// caller writes the bytes there (writeBodyFile). The command is printable text that runs in any
// POSIX shell (sh, dash, bash, zsh); header or target bytes that are not printable UTF-8 are
// produced with printf octal escapes. It carries only what was captured: no secret is ever added.
class CurlCommand
{
public:
    struct Options
    {
        // Where to send it: "http://127.0.0.1:5000" (scheme, host and port; any path is ignored,
        // the request target is the captured one).
        QByteArray origin;
        // Longer bodies go to a file. Bounded by the kernel's limit on one argument (128 KiB).
        qsizetype maxLiteralBody = 16 * 1024;
        // Where the body file will live when one is needed. Required for binary or large bodies.
        QString bodyFilePath;
        // One option per line, joined with " \\\n  ", for reading and pasting; else one line.
        bool multiline = true;
    };

    // `target` is the request target as received (path and query).
    CurlCommand(const QByteArray &method, const QByteArray &target, const HeaderList &headers, const QByteArray &body,
        const Options &options);
    // Sends to the capture's own listener unless options.origin is set.
    CurlCommand(const Capture &capture, Options options);

    // The command, printable text (valid UTF-8). Empty when it could not be built (see error()).
    QByteArray command() const { return m_command; }
    QString error() const { return m_error; }
    bool isValid() const { return m_error.isEmpty(); }
    // True when the body is referenced as a file that writeBodyFile() must create.
    bool needsBodyFile() const { return m_needsBodyFile; }
    QString bodyFilePath() const { return m_bodyFilePath; }
    // Writes the body where the command expects it (no-op when inline). False with `error` set
    // when the file can't be written.
    bool writeBodyFile(const QByteArray &body, QString *error) const;

    // The origin for a listener address as stored in captures ("127.0.0.1:5000", "[::1]:5000",
    // "0.0.0.0:5000" → loopback).
    static QByteArray originForListener(const QString &listener, bool tls);
    // Quotes one argument for a POSIX shell: bare when it is made of safe characters, single
    // quotes when it is printable UTF-8, else "$(printf '…')" with octal escapes (never for
    // arguments ending in a newline, which command substitution would drop).
    static QByteArray shellQuote(QByteArrayView argument);
    // True when `body` can be written inline: printable UTF-8 plus newlines, no tabs or CRs (a
    // terminal paste may rewrite those), and short enough.
    static bool canInline(QByteArrayView body, qsizetype maxLiteral);

private:
    QByteArray m_command;
    QString m_error;
    bool m_needsBodyFile = false;
    QString m_bodyFilePath;
};

} // namespace hookbench
