#pragma once

#include "store/storeoptions.h"

#include <QCommandLineParser>

namespace hookbench::cli {

// The capture store options shared by the commands that read or write it:
// --store PATH and --lock-timeout MS; commands that write also get --synchronous LEVEL.
enum class StoreAccess { Read, Write };
void addStoreOptions(QCommandLineParser &parser, StoreAccess access);
// The options as given, with the default store path when --store is absent. Throws UsageError.
StoreOptions storeOptionsFromParser(const QCommandLineParser &parser, StoreAccess access);

} // namespace hookbench::cli
