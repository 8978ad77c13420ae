#pragma once

#include "capture/httpheaders.h"

#include <QByteArray>

namespace hookbench {

// Stores a header list as one BLOB without losing order, case, duplicates or a single byte.
// Headers that can travel in HTTP are written as the familiar "Name: value\r\n" lines, so the
// store stays readable with the sqlite3 shell. A list that HTTP could not carry (a name with
// ':' or a line break, a value with CR or LF) is written in a length-prefixed binary form
// instead, marked by a leading NUL byte that no header line can start with.
QByteArray encodeHeaderBlock(const HeaderList &headers);
// Returns false (and leaves `out` empty) for a block that is neither form.
bool decodeHeaderBlock(const QByteArray &block, HeaderList *out);

} // namespace hookbench
