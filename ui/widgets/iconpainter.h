#pragma once

#include "capture/verdict.h"

#include <QColor>

class QPainter;
class QRectF;

namespace hookbench {

// The drawings behind the icons in ui/resources/icons. The application loads the rendered PNGs;
// this code is what scripts/render-icons runs to produce them, so they have one source.
QColor verdictIconColor(Verdict verdict);
void paintVerdictIcon(QPainter *painter, const QRectF &rect, Verdict verdict);
void paintAppIcon(QPainter *painter, const QRectF &rect);

} // namespace hookbench
