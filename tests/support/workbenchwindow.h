#pragma once

// The main window as the GUI tests open it: its store, settings file and export directory in a
// test's temporary directory, secrets for the session only and no listener started unless asked,
// shown at a size where every pane has room.

#include "windows/mainwindow.h"

#include <QSettings>
#include <QSize>
#include <QTemporaryDir>

#include <memory>

namespace hookbench::testing {

inline MainWindowOptions workbenchOptions(const QTemporaryDir &dir, QSettings *settings, bool autoStart = false)
{
    MainWindowOptions options;
    options.store.path = dir.filePath(QStringLiteral("captures.sqlite"));
    options.settings = settings;
    options.useKeychain = false;
    options.autoStart = autoStart;
    options.exportDirectory = dir.filePath(QStringLiteral("exports"));
    return options;
}

// Opens and shows the window; a store that can't be opened ends the test run (nothing else in
// the test would mean anything).
inline std::unique_ptr<MainWindow> openWorkbench(MainWindowOptions options, QSize size = QSize(1400, 900))
{
    auto window = std::make_unique<MainWindow>(std::move(options));
    QString error;
    if (!window->open(&error))
        qFatal("can't open the window: %s", qPrintable(error));
    window->resize(size);
    window->show();
    return window;
}

} // namespace hookbench::testing
