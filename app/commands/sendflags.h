#pragma once

#include "replay/sendoptions.h"

#include <QCommandLineParser>
#include <QUrl>

namespace hookbench::cli {

// The options shared by `send` and `replay`: --to, --timeout, --insecure, --max-redirects.
void addSendOptions(QCommandLineParser &parser);
// Throws UsageError for a bad value.
SendOptions sendOptionsFrom(const QCommandLineParser &parser);
// --to as an http(s) URL with a host, or UsageError.
QUrl destinationFrom(const QCommandLineParser &parser);

} // namespace hookbench::cli
