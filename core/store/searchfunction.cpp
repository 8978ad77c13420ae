#include "searchfunction.h"

#include <sqlite3.h>

#include <cstring>

namespace hookbench {

namespace {

inline unsigned char asciiLower(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? static_cast<unsigned char>(c - 'A' + 'a') : c;
}

bool containsFolded(const unsigned char *haystack, size_t size, const unsigned char *needle, size_t length)
{
    if (length == 0)
        return true;
    if (length > size)
        return false;
    const unsigned char first = needle[0];
    const bool letter = first >= 'a' && first <= 'z';
    const unsigned char firstUpper = letter ? static_cast<unsigned char>(first - 'a' + 'A') : first;
    const unsigned char *end = haystack + (size - length) + 1;
    for (const unsigned char *p = haystack; p < end;) {
        // memchr is vectorised: find the next candidate for the first byte in either case.
        const auto *lower = static_cast<const unsigned char *>(std::memchr(p, first, size_t(end - p)));
        const unsigned char *candidate = lower;
        if (letter) {
            const size_t span = size_t((lower ? lower : end) - p);
            if (const auto *upper = static_cast<const unsigned char *>(std::memchr(p, firstUpper, span)))
                candidate = upper;
        }
        if (!candidate)
            return false;
        size_t i = 1;
        while (i < length && asciiLower(candidate[i]) == needle[i])
            ++i;
        if (i == length)
            return true;
        p = candidate + 1;
    }
    return false;
}

void containsFunction(sqlite3_context *context, int, sqlite3_value **arguments)
{
    if (sqlite3_value_type(arguments[0]) == SQLITE_NULL || sqlite3_value_type(arguments[1]) == SQLITE_NULL) {
        sqlite3_result_int(context, 0);
        return;
    }
    // blob() before bytes(): SQLite's documented order for getting both without conversion.
    const auto *haystack = static_cast<const unsigned char *>(sqlite3_value_blob(arguments[0]));
    const size_t size = size_t(sqlite3_value_bytes(arguments[0]));
    const auto *needle = static_cast<const unsigned char *>(sqlite3_value_blob(arguments[1]));
    const size_t length = size_t(sqlite3_value_bytes(arguments[1]));
    sqlite3_result_int(context, (length == 0 || haystack) && containsFolded(haystack, size, needle, length) ? 1 : 0);
}

} // namespace

bool registerSearchFunction(sqlite3 *handle)
{
    return handle
        && sqlite3_create_function_v2(handle, "hookbench_contains", 2,
               SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, nullptr, containsFunction, nullptr, nullptr,
               nullptr)
        == SQLITE_OK;
}

} // namespace hookbench
