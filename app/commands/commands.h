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
int runGui(const QStringList &arguments);
// True when a window can be shown (an X11 or Wayland display, or QT_QPA_PLATFORM set).
bool hasDisplay();
int runReplay(const QStringList &arguments);
int runSample(const QStringList &arguments);
int runSend(const QStringList &arguments);
int runSign(const QStringList &arguments);
int runVerify(const QStringList &arguments);
int runListen(const QStringList &arguments);

} // namespace hookbench::cli
