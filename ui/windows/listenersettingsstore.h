#pragma once

#include "widgets/listenerbar.h"

#include <QList>

class QSettings;

namespace hookbench {

// The listener bars' settings under "listeners/…" in QSettings: saved on every change, restored
// at start. Its own class so the keys and their defaults sit in one place, apart from the window.
class ListenerSettingsStore
{
public:
    explicit ListenerSettingsStore(QSettings *settings);

    void save(const QList<ListenerSettings> &listeners);
    QList<ListenerSettings> load() const;

private:
    QSettings *m_settings;
};

} // namespace hookbench
