#pragma once

#include <QString>
#include <QStringList>

namespace hookbench::cli {

// One entry per `hookbench <command>`; each takes its arguments without the program and
// command names and returns the process exit code.
struct Command
{
    QString name;
    QString summary;
    int (*run)(const QStringList &arguments);
};

int runCaptures(const QStringList &arguments);
int runReplay(const QStringList &arguments);
int runSample(const QStringList &arguments);
int runSend(const QStringList &arguments);
int runSign(const QStringList &arguments);
int runVerify(const QStringList &arguments);
int runListen(const QStringList &arguments);

} // namespace hookbench::cli
