#pragma once

#include <QAction>
#include <QKeySequence>
#include <QString>
#include <QWidget>

namespace hookbench {

// Every controller makes its actions through this, so that all of them belong to the window:
// their shortcuts work anywhere in it, and MainWindow::action() finds them by name whichever
// controller made them.
inline QAction *addWindowAction(
    QWidget *window, const QString &name, const QString &text, const QKeySequence &shortcut = QKeySequence())
{
    auto *action = new QAction(text, window);
    action->setObjectName(name);
    action->setShortcut(shortcut);
    action->setShortcutContext(Qt::WindowShortcut);
    window->addAction(action);
    return action;
}

} // namespace hookbench
