#include "listings/media.hpp"

#include "core/crypto.hpp"

#include <algorithm>

namespace griha::listings {
namespace {

constexpr std::size_t k_key_bytes = 16;

bool is_lower_hex(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace

std::string_view to_string(MediaKind k) {
  return k == MediaKind::photo ? "photo" : "floor_plan";
}

std::optional<MediaKind> media_kind_from_string(std::string_view s) {
  if (s == "photo") return MediaKind::photo;
  if (s == "floor_plan") return MediaKind::floor_plan;
  return std::nullopt;
}

std::string new_storage_key() {
  const std::string hex = random_hex(k_key_bytes);
  // Two hex digits as a directory keeps any one directory of the store small.
  return hex.substr(0, 2) + "/" + hex.substr(2);
}

std::string media_file_name(std::string_view storage_key, int width) {
  return std::string(storage_key) + "-" + std::to_string(width) + ".jpg";
}

bool is_media_file_name(std::string_view name) {
  // "xx/" + 30 hex + "-" + width + ".jpg"
  if (name.size() < 3 + 30 + 1 + 4 || name[2] != '/' || !name.ends_with(".jpg")) return false;
  if (!is_lower_hex(name.substr(0, 2)) || !is_lower_hex(name.substr(3, 30)) || name[33] != '-')
    return false;
  const std::string_view width = name.substr(34, name.size() - 34 - 4);
  return std::any_of(k_media_widths.begin(), k_media_widths.end(),
                     [&](int w) { return width == std::to_string(w); });
}

boost::json::object to_json(const Media& m) {
  boost::json::object urls;
  for (int w : k_media_widths)
    urls[std::to_string(w)] = "/media/" + media_file_name(m.storage_key, w);
  return {{"id", m.id},
          {"kind", to_string(m.kind)},
          {"position", m.position},
          {"cover", m.cover},
          {"width", m.width},
          {"height", m.height},
          {"urls", std::move(urls)},
          {"created_at", m.created_at}};
}

}  // namespace griha::listings
