#include "listings/media_image.hpp"

#include <vips/vips.h>

#include <memory>
#include <mutex>

namespace griha::listings {
namespace {

struct ImageUnref {
  void operator()(VipsImage* image) const { g_object_unref(image); }
};
using ImagePtr = std::unique_ptr<VipsImage, ImageUnref>;

// libvips reports errors in a process-wide buffer: take its text for the log and clear it.
std::string vips_error_text() {
  char* text = vips_error_buffer_copy();
  std::string out = text ? text : "";
  g_free(text);
  return out;
}

// `code` is the problem's code unless the kind is `invalid` (then validation_failed); the
// file's own problem is `field_code`.
Error field_error(ErrorKind kind, const std::string& field, std::string code, FieldCode field_code,
                  std::string message, std::string detail = {}) {
  Error e = Error::make(kind, kind == ErrorKind::invalid ? "validation_failed" : std::move(code),
                        message, std::move(detail));
  e.fields.push_back({field, field_code, std::move(message)});
  return e;
}

// Opens the image with the loader for its sniffed type only. Sequential access makes libvips
// read the header now and pixels only when something asks for them.
ImagePtr open_header(ImageType type, std::string_view bytes) {
  void* buf = const_cast<char*>(bytes.data());
  VipsImage* out = nullptr;
  int failed = -1;
  switch (type) {
    case ImageType::jpeg:
      failed =
          vips_jpegload_buffer(buf, bytes.size(), &out, "access", VIPS_ACCESS_SEQUENTIAL, nullptr);
      break;
    case ImageType::png:
      failed =
          vips_pngload_buffer(buf, bytes.size(), &out, "access", VIPS_ACCESS_SEQUENTIAL, nullptr);
      break;
    case ImageType::webp:
      failed =
          vips_webpload_buffer(buf, bytes.size(), &out, "access", VIPS_ACCESS_SEQUENTIAL, nullptr);
      break;
  }
  return ImagePtr(failed ? nullptr : out);
}

}  // namespace

std::optional<ImageType> sniff_image_type(std::string_view b) {
  if (b.starts_with("\xFF\xD8\xFF")) return ImageType::jpeg;
  if (b.starts_with("\x89PNG\r\n\x1A\n")) return ImageType::png;
  if (b.size() >= 12 && b.starts_with("RIFF") && b.substr(8, 4) == "WEBP") return ImageType::webp;
  return std::nullopt;
}

Result<void> ImageProcessor::init_library() {
  static const Result<void> started = []() -> Result<void> {
    if (VIPS_INIT("griha") != 0) return Error::internal("libvips: " + vips_error_text());
    // Cached operations would keep decoded images alive between requests.
    vips_cache_set_max(0);
    vips_cache_set_max_mem(0);
    vips_cache_set_max_files(0);
    // Requests already run in parallel on the worker pool; more threads per image would
    // multiply the buffers held at once.
    vips_concurrency_set(1);
    // Uploads are sniffed as JPEG, PNG or WebP, but libvips picks a loader by itself in
    // vips_thumbnail_buffer: make sure no other parser (SVG, PDF, ImageMagick, ...) can run.
    vips_operation_block_set("VipsForeignLoad", TRUE);
    vips_operation_block_set("VipsForeignLoadJpeg", FALSE);
    vips_operation_block_set("VipsForeignLoadPng", FALSE);
    vips_operation_block_set("VipsForeignLoadWebp", FALSE);
    return {};
  }();
  return started;
}

Result<ProcessedImage> ImageProcessor::process(std::string_view bytes,
                                               const std::string& field) const {
  const auto type = sniff_image_type(bytes);
  if (!type)
    return field_error(ErrorKind::unsupported, field, "unsupported_image_type",
                       FieldCode::invalid_value, "Upload a JPEG, PNG or WebP image.");

  decodes_.acquire();
  struct Release {
    std::counting_semaphore<64>& s;
    ~Release() { s.release(); }
  } release{decodes_};

  {
    ImagePtr header = open_header(*type, bytes);
    if (!header)
      return field_error(ErrorKind::invalid, field, "image_unreadable", FieldCode::invalid_value,
                         "The file is not a readable image.", vips_error_text());
    const std::int64_t w = vips_image_get_width(header.get());
    const std::int64_t h = vips_image_get_height(header.get());
    if (w * h > limits_.max_pixels)
      return field_error(ErrorKind::too_large, field, "image_too_large", FieldCode::out_of_range,
                         "The image has " + std::to_string(w) + " x " + std::to_string(h) +
                             " pixels; at most " + std::to_string(limits_.max_pixels / 1'000'000) +
                             " megapixels are accepted.");
  }

  ProcessedImage out;
  void* buf = const_cast<char*>(bytes.data());
  for (std::size_t i = 0; i < k_media_widths.size(); ++i) {
    VipsImage* raw = nullptr;
    // Down only (never upscale); rotated upright from the EXIF orientation; colours moved
    // into sRGB through the embedded ICC profile, since the profile itself is dropped below.
    // A truncated file fails instead of coming back grey-filled.
    if (vips_thumbnail_buffer(buf, bytes.size(), &raw, k_media_widths[i], "height", VIPS_MAX_COORD,
                              "size", VIPS_SIZE_DOWN, "export_profile", "srgb", "option_string",
                              "fail_on=truncated", nullptr) != 0)
      return field_error(ErrorKind::invalid, field, "image_unreadable", FieldCode::invalid_value,
                         "The file is not a readable image.", vips_error_text());
    ImagePtr thumb(raw);
    // JPEG has no transparency: a floor plan drawn on a transparent PNG goes onto white.
    if (vips_image_hasalpha(thumb.get())) {
      double white[] = {255, 255, 255};
      VipsArrayDouble* background = vips_array_double_new(white, 3);
      VipsImage* flat = nullptr;
      const int failed = vips_flatten(thumb.get(), &flat, "background", background, nullptr);
      vips_area_unref(VIPS_AREA(background));
      if (failed)
        return field_error(ErrorKind::invalid, field, "image_unreadable", FieldCode::invalid_value,
                           "The file is not a readable image.", vips_error_text());
      thumb.reset(flat);
    }
    // Drop every metadata field (EXIF with GPS, XMP, IPTC, ICC, comments) and have the saver
    // strip too: JPEG, not WebP, because libvips 8.14's webpsave writes EXIF even when told
    // to strip.
    VipsImage* copied = nullptr;
    if (vips_copy(thumb.get(), &copied, nullptr) != 0)
      return Error::internal("libvips copy: " + vips_error_text());
    ImagePtr bare(copied);
    gchar** names = vips_image_get_fields(bare.get());
    for (gchar** name = names; *name; ++name) vips_image_remove(bare.get(), *name);
    g_strfreev(names);
    void* encoded = nullptr;
    std::size_t size = 0;
    if (vips_jpegsave_buffer(bare.get(), &encoded, &size, "Q", 82, "optimize_coding", TRUE, "strip",
                             TRUE, nullptr) != 0)
      return field_error(ErrorKind::invalid, field, "image_unreadable", FieldCode::invalid_value,
                         "The file is not a readable image.", vips_error_text());
    out.jpeg[i].assign(static_cast<const char*>(encoded), size);
    g_free(encoded);
    out.width = vips_image_get_width(bare.get());
    out.height = vips_image_get_height(bare.get());
  }
  return out;
}

}  // namespace griha::listings
