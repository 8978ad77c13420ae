#include "filterbar.h"

#include "verdictstyle.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>

namespace hookbench {

FilterBar::FilterBar(QWidget *parent)
    : QWidget(parent)
    , m_text(new QLineEdit)
    , m_method(new QComboBox)
    , m_verdict(new QComboBox)
    , m_event(new QComboBox)
    , m_result(new QLabel)
{
    m_text->setObjectName(QStringLiteral("filterText"));
    m_text->setPlaceholderText(QStringLiteral("Filter: text in path, headers or body (Ctrl+F)"));
    m_text->setClearButtonEnabled(true);
    m_text->installEventFilter(this);

    m_method->setObjectName(QStringLiteral("filterMethod"));
    m_method->setEditable(true);
    m_method->setInsertPolicy(QComboBox::NoInsert);
    m_method->addItem(QString());
    for (const char *method : {"POST", "GET", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"})
        m_method->addItem(QString::fromLatin1(method));
    m_method->lineEdit()->setPlaceholderText(QStringLiteral("any method"));
    m_method->setToolTip(QStringLiteral("Method, exactly (custom verbs too)"));

    m_verdict->setObjectName(QStringLiteral("filterVerdict"));
    m_verdict->addItem(QStringLiteral("Any verdict"), QString());
    for (const Verdict verdict : {Verdict::Valid, Verdict::Invalid, Verdict::Unsigned, Verdict::NoSecret})
        m_verdict->addItem(VerdictStyle::icon(verdict), VerdictStyle::label(verdict), verdictName(verdict));

    m_event->setObjectName(QStringLiteral("filterEvent"));
    m_event->addItem(QStringLiteral("Any event"), QString());
    for (const char *type : {"job.run.started", "job.run.completed", "job.run.errored"})
        m_event->addItem(QString::fromLatin1(type), QString::fromLatin1(type));

    m_result->setObjectName(QStringLiteral("filterResult"));
    m_result->setForegroundRole(QPalette::PlaceholderText);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_text, 3);
    layout->addWidget(m_method, 1);
    layout->addWidget(m_verdict, 1);
    layout->addWidget(m_event, 1);
    layout->addWidget(m_result);

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(250);
    connect(&m_debounce, &QTimer::timeout, this, [this] { emit filterChanged(filter()); });
    connect(m_text, &QLineEdit::textChanged, this, &FilterBar::emitSoon);
    connect(m_method, &QComboBox::currentTextChanged, this, &FilterBar::emitSoon);
    connect(m_verdict, &QComboBox::currentIndexChanged, this, [this] { emit filterChanged(filter()); });
    connect(m_event, &QComboBox::currentIndexChanged, this, [this] { emit filterChanged(filter()); });
}

CaptureFilter FilterBar::filter() const
{
    CaptureFilter filter;
    filter.text = m_text->text();
    filter.method = m_method->currentText().trimmed().toLatin1();
    filter.verdict = verdictFromName(m_verdict->currentData().toString());
    filter.dbtEventType = m_event->currentData().toString();
    return filter;
}

void FilterBar::setFilter(const CaptureFilter &filter)
{
    const QSignalBlocker blockText(m_text);
    const QSignalBlocker blockMethod(m_method);
    const QSignalBlocker blockVerdict(m_verdict);
    const QSignalBlocker blockEvent(m_event);
    m_text->setText(filter.text);
    m_method->setCurrentText(QString::fromLatin1(filter.method));
    m_verdict->setCurrentIndex(qMax(0, m_verdict->findData(filter.verdict ? verdictName(*filter.verdict) : QString())));
    m_event->setCurrentIndex(qMax(0, m_event->findData(filter.dbtEventType)));
    emit filterChanged(this->filter());
}

void FilterBar::clear()
{
    setFilter(CaptureFilter());
}

void FilterBar::focusText()
{
    m_text->setFocus(Qt::ShortcutFocusReason);
    m_text->selectAll();
}

void FilterBar::setResultText(const QString &text)
{
    m_result->setText(text);
}

void FilterBar::emitSoon()
{
    m_debounce.start();
}

bool FilterBar::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_text && event->type() == QEvent::KeyPress) {
        auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Escape && !m_text->text().isEmpty()) {
            m_text->clear();
            return true;
        }
        if (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) {
            m_debounce.stop();
            emit filterChanged(filter());
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace hookbench
