#pragma once

#include "capture/verdict.h"

#include <QColor>
#include <QIcon>
#include <QString>

class QPainter;
class QRectF;

namespace hookbench {

// How a verdict looks everywhere in the window: its words, its icon and its colours. The text
// colours are chosen per light/dark palette so they keep a WCAG contrast of at least 4.5:1 on the
// palette's Base and Window colours; icons differ by shape as well as colour (check, cross,
// exclamation, dash), so they read without colour too.
class VerdictStyle
{
public:
    static QString label(Verdict verdict); // "Valid", "Invalid", "Unsigned", "No secret"
    // Text colour for the verdict on the current (or given) palette's background.
    static QColor textColor(Verdict verdict, bool dark);
    // Badge background: a tint of the verdict colour over the background.
    static QColor tintColor(Verdict verdict, bool dark);
    // The icon's fill: a mid tone that a white glyph reads on, on light and dark backgrounds.
    static QColor iconColor(Verdict verdict);
    // From the resources (rendered from paintIcon by scripts/render-icons).
    static QIcon icon(Verdict verdict);
    static void paintIcon(QPainter *painter, const QRectF &rect, Verdict verdict);

    // WCAG 2 contrast ratio between two colours (1 … 21).
    static double contrast(const QColor &a, const QColor &b);
};

// The status colours of an HTTP response status: 2xx, 3xx, 4xx, 5xx, none.
QColor httpStatusColor(int status, bool dark);

// The application icon (a hook on a blue tile).
QIcon appIcon();

// Makes the library's resources available (a static library's .qrc needs it once).
void initUiResources();

} // namespace hookbench
