// Turning an untrusted upload into safe images with libvips: the type is sniffed from the
// bytes, the size is checked from the header before any pixel is decoded, and the pixels are
// re-encoded at the stored widths with every piece of metadata (EXIF, GPS, XMP, ICC) dropped.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <semaphore>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "listings/media.hpp"

namespace griha::listings {

enum class ImageType { jpeg, png, webp };
// From the magic bytes alone; nullopt for anything else.
std::optional<ImageType> sniff_image_type(std::string_view bytes);

struct ProcessedImage {
  int width = 0, height = 0;                            // of the largest rendition
  std::array<std::string, k_media_widths.size()> jpeg;  // one per k_media_widths entry
};

struct ImageLimits {
  std::int64_t max_pixels = 40'000'000;
  int concurrent_decodes = 2;  // each decode holds image buffers; a burst must not add up
};

class ImageProcessor {
 public:
  // Starts libvips once per process (later calls return the first result). It is set up
  // for untrusted input on a small server: no operation cache, one thread per pipeline, and
  // every loader but JPEG, PNG and WebP blocked.
  static Result<void> init_library();

  explicit ImageProcessor(ImageLimits limits = {}) : limits_(limits) {}

  // Errors name `field`: unsupported (not JPEG/PNG/WebP), too_large (pixels), invalid (does
  // not decode). Blocks: run it on the worker pool.
  Result<ProcessedImage> process(std::string_view bytes, const std::string& field) const;

 private:
  ImageLimits limits_;
  mutable std::counting_semaphore<64> decodes_{limits_.concurrent_decodes};
};

}  // namespace griha::listings
