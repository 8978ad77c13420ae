#include "forwardattemptsview.h"

#include "targeturl.h"

#include "editor/attempthistorymodel.h"
#include "models/headerlistmodel.h"
#include "widgets/bodyview.h"
#include "widgets/headersview.h"
#include "widgets/theme.h"
#include "widgets/verdictstyle.h"

#include <QDateTime>
#include <QEvent>
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace hookbench {

namespace {

QString elapsedText(qint64 us)
{
    if (us < 0)
        return QStringLiteral("–");
    if (us < 10'000)
        return QStringLiteral("%1 ms").arg(double(us) / 1000.0, 0, 'f', 1);
    return durationText(us / 1000);
}

} // namespace

ForwardAttemptsView::ForwardAttemptsView(QWidget *parent)
    : QWidget(parent)
    , m_table(new QTableWidget(0, ColumnCount))
    , m_status(new QLabel)
    , m_response(new QTabWidget)
    , m_headers(new HeadersView)
    , m_body(new BodyView)
{
    setObjectName(QStringLiteral("forwardAttempts"));
    m_table->setObjectName(QStringLiteral("forwardAttemptTable"));
    m_table->setHorizontalHeaderLabels({QStringLiteral("When"), QStringLiteral("Target"), QStringLiteral("Status"),
        QStringLiteral("Time"), QStringLiteral("Failure")});
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setWordWrap(false);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);

    m_status->setObjectName(QStringLiteral("forwardStatus"));
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setWordWrap(true);

    m_response->setDocumentMode(true);
    m_response->addTab(m_headers, QStringLiteral("Response headers"));
    m_response->addTab(m_body, QStringLiteral("Response body"));

    auto *bottom = new QWidget;
    auto *bottomLayout = new QVBoxLayout(bottom);
    bottomLayout->setContentsMargins(4, 4, 4, 0);
    bottomLayout->addWidget(m_status);
    bottomLayout->addWidget(m_response, 1);

    auto *splitter = new QSplitter(Qt::Vertical);
    splitter->addWidget(m_table);
    splitter->addWidget(bottom);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 3);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter);

    connect(m_table, &QTableWidget::currentCellChanged, this, [this](int row) { showAttempt(row); });
}

QString ForwardAttemptsView::outcomeText(const Attempt &attempt)
{
    if (attempt.failure != Attempt::Failure::None)
        return QStringLiteral("%1: %2").arg(attemptFailureName(attempt.failure), attempt.error);
    QString text = QString::number(attempt.status);
    if (!attempt.reasonPhrase.isEmpty())
        text += u' ' + QString::fromLatin1(attempt.reasonPhrase);
    return text + QStringLiteral(" in %1").arg(elapsedText(attempt.totalUs));
}

void ForwardAttemptsView::clear()
{
    m_attempts.clear();
    m_table->setRowCount(0);
    showAttempt(-1);
}

void ForwardAttemptsView::setAttempts(const QList<Attempt> &attempts)
{
    const qint64 selectedId = currentIndex() >= 0 ? m_attempts.at(currentIndex()).id : 0;
    m_attempts.clear();
    for (const Attempt &attempt : attempts) {
        if (attempt.kind == Attempt::Kind::Forward)
            m_attempts.append(attempt);
    }
    std::stable_sort(m_attempts.begin(), m_attempts.end(), [](const Attempt &a, const Attempt &b) {
        return a.startedAtUs != b.startedAtUs ? a.startedAtUs > b.startedAtUs : a.id > b.id;
    });
    fillTable();
    int index = 0;
    for (int i = 0; i < m_attempts.size() && selectedId; ++i) {
        if (m_attempts.at(i).id == selectedId)
            index = i;
    }
    setCurrentIndex(m_attempts.isEmpty() ? -1 : index);
}

void ForwardAttemptsView::fillTable()
{
    const QSignalBlocker blocker(m_table);
    const bool dark = Theme::isDark(palette());
    m_table->setRowCount(int(m_attempts.size()));
    for (int row = 0; row < m_attempts.size(); ++row) {
        const Attempt &attempt = m_attempts.at(row);
        const QDateTime when = QDateTime::fromMSecsSinceEpoch(attempt.startedAtUs / 1000);
        m_table->setItem(row, WhenColumn, new QTableWidgetItem(when.toString(QStringLiteral("HH:mm:ss.zzz"))));
        m_table->setItem(row, TargetColumn, new QTableWidgetItem(attemptTarget(attempt)));
        auto *status = new QTableWidgetItem(
            attempt.failure == Attempt::Failure::None ? QString::number(attempt.status) : QStringLiteral("—"));
        status->setForeground(httpStatusColor(attempt.failure == Attempt::Failure::None ? attempt.status : 0, dark));
        m_table->setItem(row, StatusColumn, status);
        m_table->setItem(row, TimeColumn, new QTableWidgetItem(elapsedText(attempt.totalUs)));
        m_table->setItem(row, ReasonColumn,
            new QTableWidgetItem(attempt.failure == Attempt::Failure::None
                    ? QString()
                    : QStringLiteral("%1: %2").arg(attemptFailureName(attempt.failure), attempt.error)));
    }
    m_table->resizeColumnsToContents();
}

int ForwardAttemptsView::currentIndex() const
{
    const int row = m_table->currentRow();
    return row >= 0 && row < m_attempts.size() ? row : -1;
}

void ForwardAttemptsView::setCurrentIndex(int index)
{
    {
        const QSignalBlocker blocker(m_table);
        if (index >= 0)
            m_table->selectRow(index);
        m_table->setCurrentCell(index, 0);
    }
    showAttempt(index);
}

void ForwardAttemptsView::showAttempt(int index)
{
    if (index < 0 || index >= m_attempts.size()) {
        m_status->clear();
        m_headers->model()->setHeaders({});
        m_body->clear();
        return;
    }
    const Attempt &attempt = m_attempts.at(index);
    const bool dark = Theme::isDark(palette());
    const QColor color = httpStatusColor(attempt.failure == Attempt::Failure::None ? attempt.status : 0, dark);
    QString html = QStringLiteral("<b style=\"color:%1\">%2</b> · %3")
                       .arg(color.name(), outcomeText(attempt).toHtmlEscaped(), attemptTarget(attempt).toHtmlEscaped());
    if (attempt.timeToFirstByteUs >= 0)
        html += QStringLiteral(" · first byte %1").arg(elapsedText(attempt.timeToFirstByteUs));
    m_status->setText(html);
    m_headers->model()->setHeaders(attempt.responseHeaders);
    m_body->setBody(attempt.responseBody, headerValue(attempt.responseHeaders, "Content-Type"),
        headerValue(attempt.responseHeaders, "Content-Encoding"));
}

void ForwardAttemptsView::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && !m_attempts.isEmpty()) {
        const int index = currentIndex();
        fillTable();
        setCurrentIndex(index);
    }
}

} // namespace hookbench
