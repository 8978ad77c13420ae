#include "listenerpanel.h"

#include "secrets/secretkeeper.h"

#include <QHBoxLayout>
#include <QPushButton>
#include <QThread>

#ifdef Q_OS_LINUX
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif
#include <QVBoxLayout>

namespace hookbench {

namespace {

// The listeners' thread runs a little below the window's priority (nice +3 for that thread only),
// so that under a flood of deliveries on a busy machine the window still gets the CPU when it
// wakes up: painting and input stay prompt, and the listener uses whatever is left, which is
// most of it (the window needs a quarter of a core at 5,000 captures/s).
void lowerPriority(QThread *thread)
{
#ifdef Q_OS_LINUX
    QObject context;
    context.moveToThread(thread);
    QMetaObject::invokeMethod(
        &context, [] { setpriority(PRIO_PROCESS, id_t(syscall(SYS_gettid)), 3); }, Qt::BlockingQueuedConnection);
#else
    Q_UNUSED(thread);
#endif
}

} // namespace

ListenerPanel::ListenerPanel(CaptureSink *sink, SecretKeeper *keeper, QWidget *parent)
    : QWidget(parent)
    , m_sink(sink)
    , m_keeper(keeper)
    , m_rows(new QVBoxLayout)
    , m_add(new QPushButton(QStringLiteral("Add listener")))
    , m_thread(new QThread(this))
{
    m_thread->setObjectName(QStringLiteral("listeners"));
    m_thread->start();
    lowerPriority(m_thread);
    setObjectName(QStringLiteral("listenerPanel"));
    m_add->setObjectName(QStringLiteral("addListener"));
    m_add->setAutoDefault(false);
    m_add->setToolTip(
        QStringLiteral("Listen on another port, with its own scheme, secret and response (Ctrl+Shift+N)"));
    connect(m_add, &QPushButton::clicked, this, [this] {
        ListenerSettings settings;
        settings.port = nextFreePort();
        addListener(settings);
        emit settingsChanged();
    });
    m_rows->setContentsMargins(0, 0, 0, 0);
    m_rows->setSpacing(2);
    auto *footer = new QHBoxLayout;
    footer->addWidget(m_add);
    footer->addStretch(1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 0);
    layout->addLayout(m_rows);
    layout->addLayout(footer);
}

ListenerPanel::~ListenerPanel()
{
    // The bars delete their listeners on the listener thread: before it stops.
    qDeleteAll(m_bars);
    m_bars.clear();
    m_thread->quit();
    m_thread->wait();
}

ListenerBar *ListenerPanel::addListener(const ListenerSettings &settings)
{
    auto *bar = new ListenerBar(m_sink, m_keeper, m_thread, this);
    bar->setSettings(settings);
    if (m_decorator)
        bar->setCaptureDecorator(m_decorator);
    m_bars.append(bar);
    m_rows->addWidget(bar);
    connect(bar, &ListenerBar::settingsChanged, this, &ListenerPanel::settingsChanged);
    connect(bar, &ListenerBar::profileChanged, this, &ListenerPanel::profilesChanged);
    connect(bar, &ListenerBar::started, this, &ListenerPanel::profilesChanged);
    connect(bar, &ListenerBar::message, this, &ListenerPanel::message);
    connect(bar, &ListenerBar::removeRequested, this, [this, bar] {
        removeListener(bar);
        emit settingsChanged();
    });
    return bar;
}

void ListenerPanel::removeListener(ListenerBar *bar)
{
    if (!m_bars.removeOne(bar))
        return;
    m_keeper->forget(bar->secretKey());
    bar->shutdown(); // now, while the listener thread is certainly running
    bar->hide();
    bar->deleteLater();
    emit profilesChanged();
}

ListenerBar *ListenerPanel::barFor(const QString &listenerName) const
{
    for (ListenerBar *bar : m_bars) {
        if (bar->listenerName() == listenerName)
            return bar;
    }
    return nullptr;
}

std::optional<CheckProfile> ListenerPanel::checkProfile(const QString &listenerName) const
{
    const ListenerBar *bar = barFor(listenerName);
    return bar ? bar->checkProfile() : std::nullopt;
}

void ListenerPanel::setCaptureDecorator(std::function<void(Capture &)> decorator)
{
    m_decorator = std::move(decorator);
    for (ListenerBar *bar : std::as_const(m_bars))
        bar->setCaptureDecorator(m_decorator);
}

quint16 ListenerPanel::nextFreePort() const
{
    quint16 port = 5000;
    for (;;) {
        const bool used = std::any_of(
            m_bars.cbegin(), m_bars.cend(), [port](const ListenerBar *bar) { return bar->settings().port == port; });
        if (!used)
            return port;
        ++port;
    }
}

QList<ListenerSettings> ListenerPanel::settings() const
{
    QList<ListenerSettings> all;
    for (const ListenerBar *bar : m_bars)
        all.append(bar->settings());
    return all;
}

void ListenerPanel::startAll()
{
    for (ListenerBar *bar : std::as_const(m_bars))
        bar->start();
}

void ListenerPanel::stopAll()
{
    for (ListenerBar *bar : std::as_const(m_bars))
        bar->stop();
}

bool ListenerPanel::anyRunning() const
{
    return std::any_of(m_bars.cbegin(), m_bars.cend(), [](const ListenerBar *bar) { return bar->isRunning(); });
}

} // namespace hookbench
