// Time helpers shared by every domain: timestamps are stored as UTC ISO-8601 text, which
// sorts correctly as text on both database back ends.
#pragma once

#include <fmt/chrono.h>

#include <ctime>
#include <functional>
#include <string>

namespace griha {

// Seconds since the epoch; injected so that tests can move time (expiry, OTPs, tokens).
using Clock = std::function<std::time_t()>;
inline Clock system_clock() {
  return [] { return std::time(nullptr); };
}

// "2026-11-24T03:10:05Z"
inline std::string iso_utc(std::time_t t) {
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", fmt::gmtime(t));
}
inline std::string now_utc_iso() {
  return iso_utc(std::time(nullptr));
}

}  // namespace griha
