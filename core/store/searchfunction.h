#pragma once

struct sqlite3;

namespace hookbench {

// Registers hookbench_contains(haystack, needle) on a connection: 1 when `needle` occurs in
// `haystack` with ASCII letters matched in either case (other bytes exactly), else 0. Works on
// BLOBs as they are stored (NUL bytes included) without copying or lower-casing them, which
// makes a free-text filter over a large store several times faster than instr(lower(...)).
// `needle` must already be ASCII-lower-case.
bool registerSearchFunction(sqlite3 *handle);

} // namespace hookbench
