#pragma once

#include "capture/verdict.h"

#include <QByteArray>
#include <QString>

namespace hookbench {

// A named group of captures ("demo 2026-12-01"). Every store has a default session.
struct Session
{
    qint64 id = 0;
    QString name;
    qint64 createdAtUs = 0;
    qint64 captureCount = 0;
};

// One line of a capture list: what list views show, without headers or body.
struct CaptureSummary
{
    qint64 id = 0;
    qint64 sessionId = 0;
    qint64 receivedAtUs = 0;
    QByteArray method;
    QByteArray target;
    qint64 bodySize = 0;
    Verdict verdict = Verdict::NoSecret;
    int responseStatus = 0;
    QString dbtEventType;
    QString listener;
};

} // namespace hookbench
