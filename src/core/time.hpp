// Time helpers shared by every domain: timestamps are stored as UTC ISO-8601 text.
#pragma once

#include <fmt/chrono.h>

#include <ctime>
#include <string>

namespace griha {

// "2026-11-24T03:10:05Z"
inline std::string now_utc_iso() {
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", fmt::gmtime(std::time(nullptr)));
}

}  // namespace griha
