#include "capturedetailview.h"

#include "bodyview.h"
#include "diagnosischecklist.h"
#include "headersview.h"
#include "models/headerlistmodel.h"
#include "overviewview.h"
#include "replay/forwardattemptsview.h"
#include "signatureview.h"
#include "signing/schemeregistry.h"

#include <QLabel>
#include <QStackedLayout>
#include <QTabWidget>

#include <utility>

namespace hookbench {

CaptureDetailView::CaptureDetailView(SecretKeeper *keeper, QWidget *parent)
    : QWidget(parent)
    , m_tabs(new QTabWidget)
    , m_overview(new OverviewView)
    , m_headers(new HeadersView)
    , m_body(new BodyView)
    , m_signature(new SignatureView(keeper))
    , m_forward(new ForwardAttemptsView)
    , m_empty(new QLabel)
{
    m_signature->setDiagnosisPanel(new DiagnosisChecklist);
    m_tabs->setObjectName(QStringLiteral("detailTabs"));
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(m_overview, QStringLiteral("&Overview"));
    m_tabs->addTab(m_headers, QStringLiteral("&Headers"));
    m_tabs->addTab(m_body, QStringLiteral("&Body"));
    m_tabs->addTab(m_signature, QStringLiteral("&Signature"));
    m_tabs->addTab(m_forward, QStringLiteral("For&ward"));
    m_tabs->setTabVisible(ForwardTab, false);
    connect(m_tabs, &QTabWidget::currentChanged, this, [this] {
        if (!m_switchingTabs)
            m_returnToForward = false; // the user chose a tab
    });
    m_empty->setText(QStringLiteral("Select a capture to see its details.\n\nNew deliveries appear in the list as they "
                                    "arrive."));
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setForegroundRole(QPalette::PlaceholderText);
    m_empty->setWordWrap(true);
    connect(m_body, &BodyView::copyRequested, this, &CaptureDetailView::copyBodyRequested);
    connect(m_body, &BodyView::saveRequested, this, &CaptureDetailView::saveBodyRequested);

    auto *stack = new QStackedLayout(this);
    stack->setContentsMargins(0, 0, 0, 0);
    stack->addWidget(m_empty);
    stack->addWidget(m_tabs);
    clear();
}

void CaptureDetailView::clear()
{
    m_hasCapture = false;
    m_capture = Capture();
    m_overview->clear();
    m_headers->model()->setHeaders({});
    m_body->clear();
    m_signature->clear();
    setAttempts({});
    static_cast<QStackedLayout *>(layout())->setCurrentWidget(m_empty);
}

void CaptureDetailView::setCapture(const Capture &capture)
{
    m_capture = capture;
    m_hasCapture = true;
    m_overview->setCapture(capture);
    m_headers->model()->setHeaders(capture.headers);
    QByteArray signatureHeader;
    if (const auto scheme = createBuiltinScheme(capture.scheme))
        signatureHeader = scheme->signatureHeaderName();
    m_headers->model()->setHighlightedName(signatureHeader);
    m_body->setBody(
        capture.body, headerValue(capture.headers, "Content-Type"), headerValue(capture.headers, "Content-Encoding"));
    m_signature->setCapture(capture);
    setAttempts({});
    static_cast<QStackedLayout *>(layout())->setCurrentWidget(m_tabs);
}

void CaptureDetailView::setAttempts(const QList<Attempt> &attempts)
{
    m_forward->setAttempts(attempts);
    const bool visible = !m_forward->attempts().isEmpty();
    m_switchingTabs = true;
    if (!visible && m_tabs->currentIndex() == ForwardTab) {
        // Back to the Forward tab when the next capture shown has forwards too.
        m_returnToForward = true;
        m_tabs->setCurrentIndex(OverviewTab);
    }
    m_tabs->setTabVisible(ForwardTab, visible);
    if (visible && std::exchange(m_returnToForward, false))
        m_tabs->setCurrentIndex(ForwardTab);
    m_switchingTabs = false;
}

bool CaptureDetailView::isForwardTabVisible() const
{
    return m_tabs->isTabVisible(ForwardTab);
}

} // namespace hookbench
