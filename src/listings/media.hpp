// A listing's photos and floor plans as the API sees them: the model, the names of the
// stored files (random, generated here) and the JSON form.
#pragma once

#include <array>
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace griha::listings {

enum class MediaKind { photo, floor_plan };
std::string_view to_string(MediaKind k);
std::optional<MediaKind> media_kind_from_string(std::string_view s);

// Every image is stored at these widths (never wider than the upload: small images are not
// upscaled), as baseline JPEG: any browser or mail client shows it.
inline constexpr std::array<int, 3> k_media_widths = {320, 800, 1600};

struct Media {
  std::int64_t id = 0;
  std::int64_t listing_id = 0;
  MediaKind kind = MediaKind::photo;
  std::int64_t position = 0;  // 0-based, across photos and plans
  bool cover = false;         // at most one photo per listing
  std::string storage_key;    // "3f/9a0c..." (32 random hex digits); files add "-<width>.jpg"
  int width = 0, height = 0;  // of the largest stored rendition
  std::string created_at;
};

// 128 random bits: the public URL of a photo is unguessable, which is what keeps the photos
// of unpublished listings private (see MediaService).
std::string new_storage_key();
// "3f/9a0c...-800.jpg"
std::string media_file_name(std::string_view storage_key, int width);
// The path under /media/ of a file this service could have written; anything else is 404.
bool is_media_file_name(std::string_view name);

boost::json::object to_json(const Media& m);

}  // namespace griha::listings
