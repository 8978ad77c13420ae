#pragma once

// `hookbench listen` as a child process for the command's tests: a store of its own in a
// temporary directory, output collected as it comes, signals and exit codes.

#include "hookbenchprocess.h"

#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <sys/types.h>

namespace hookbench::testing {

// A process environment whose default store lives in `directory`, never in the user's own.
QProcessEnvironment isolatedEnvironment(
    const QTemporaryDir &directory, QProcessEnvironment environment = cleanEnvironment())
{
    environment.insert(QStringLiteral("XDG_DATA_HOME"), directory.filePath(QStringLiteral("data")));
    return environment;
}

// `hookbench listen` running as a child process with a store of its own, its output collected as
// it comes.
class ListenProcess
{
public:
    explicit ListenProcess(const QStringList &arguments, const QProcessEnvironment &environment = cleanEnvironment())
    {
        m_process.setProcessEnvironment(isolatedEnvironment(m_directory, environment));
        QObject::connect(
            &m_process, &QProcess::readyReadStandardOutput, [this] { m_out += m_process.readAllStandardOutput(); });
        QObject::connect(
            &m_process, &QProcess::readyReadStandardError, [this] { m_err += m_process.readAllStandardError(); });
        QStringList all = QStringList {QStringLiteral("listen")} + arguments;
        if (!arguments.contains(QStringLiteral("--store")))
            all << QStringLiteral("--store") << storePath();
        m_process.start(QStringLiteral(HOOKBENCH_BINARY), all);
    }

    QString storePath() const { return m_directory.filePath(QStringLiteral("captures.sqlite")); }

    // `hookbench captures ARGUMENTS --store <this store>`.
    ProcessResult captures(const QStringList &arguments) const
    {
        return runHookbench(
            QStringList {QStringLiteral("captures")} + arguments << QStringLiteral("--store") << storePath(), {},
            isolatedEnvironment(m_directory));
    }

    ~ListenProcess()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }

    // The port from the "Listening on" line (stdout or stderr), or 0.
    quint16 waitListening(int timeoutMs = 15000)
    {
        static const QRegularExpression pattern(QStringLiteral("Listening on https?://[^ ]+:(\\d+) "));
        quint16 port = 0;
        (void)QTest::qWaitFor(
            [&] {
                const auto match = pattern.match(QString::fromUtf8(m_out + m_err));
                if (match.hasMatch())
                    port = quint16(match.captured(1).toUInt());
                return port != 0 || m_process.state() == QProcess::NotRunning;
            },
            timeoutMs);
        return port;
    }

    bool waitForOutput(const QByteArray &text, int timeoutMs = 15000)
    {
        return QTest::qWaitFor([&] { return m_out.contains(text); }, timeoutMs);
    }

    void signal(int number) { ::kill(pid_t(m_process.processId()), number); }

    // Exit code after a normal exit, -1 after a crash or when still running.
    int waitExit(int timeoutMs = 20000)
    {
        if (!QTest::qWaitFor([&] { return m_process.state() == QProcess::NotRunning; }, timeoutMs))
            return -1;
        m_out += m_process.readAllStandardOutput();
        m_err += m_process.readAllStandardError();
        return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
    }

    qint64 residentKiB() const
    {
        QFile status(QStringLiteral("/proc/%1/status").arg(m_process.processId()));
        if (!status.open(QIODevice::ReadOnly))
            return -1;
        for (const QByteArray &line : status.readAll().split('\n')) {
            if (line.startsWith("VmRSS:"))
                return line.mid(6).trimmed().split(' ').first().toLongLong();
        }
        return -1;
    }

    bool isRunning() const { return m_process.state() == QProcess::Running; }
    const QByteArray &out() const { return m_out; }
    const QByteArray &err() const { return m_err; }

private:
    QTemporaryDir m_directory;
    QProcess m_process;
    QByteArray m_out;
    QByteArray m_err;
};

} // namespace hookbench::testing
