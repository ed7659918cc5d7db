// Files compiled into the binary (migrations, the OpenAPI document), so that one
// `griha` executable is the whole server.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace griha::resources {

struct Resource {
  std::string_view path;  // relative to the source tree, e.g. "migrations/sqlite/0001_init.sql"
  std::string_view data;
};

std::span<const Resource> all();

inline std::optional<std::string_view> find(std::string_view path) {
  for (const auto& r : all())
    if (r.path == path) return r.data;
  return std::nullopt;
}

}  // namespace griha::resources
