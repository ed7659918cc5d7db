// Test images made at run time with libvips and zlib, for the upload tests: plain JPEG/PNG,
// a JPEG carrying GPS EXIF, and a PNG decompression bomb; plus a look at an output's metadata.
#pragma once

#include <vips/vips.h>
#include <zlib.h>

#include <cstdint>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>

#include "listings/media_image.hpp"

namespace griha::test {

inline void start_vips() {
  if (!listings::ImageProcessor::init_library()) throw std::runtime_error("libvips did not start");
}

// A w x h sRGB image with some structure, encoded by suffix (".jpg", ".png", ".webp").
inline std::string make_image(int w, int h, const char* suffix) {
  start_vips();
  VipsImage *xyz = nullptr, *mixed = nullptr, *rgb = nullptr;
  // Three bands from the pixel coordinates: x, y and x again, so the image is not uniform.
  if (vips_xyz(&xyz, w, h, nullptr) != 0) throw std::runtime_error(vips_error_buffer());
  VipsImage* bands[3];
  vips_extract_band(xyz, &bands[0], 0, nullptr);
  vips_extract_band(xyz, &bands[1], 1, nullptr);
  vips_extract_band(xyz, &bands[2], 0, nullptr);
  vips_bandjoin(bands, &mixed, 3, nullptr);
  vips_cast_uchar(mixed, &rgb, nullptr);
  void* buf = nullptr;
  std::size_t len = 0;
  const int failed = vips_image_write_to_buffer(rgb, suffix, &buf, &len, nullptr);
  for (VipsImage* im : {xyz, bands[0], bands[1], bands[2], mixed, rgb}) g_object_unref(im);
  if (failed) throw std::runtime_error(vips_error_buffer());
  std::string out(static_cast<const char*>(buf), len);
  g_free(buf);
  return out;
}

// `jpeg` with an APP1 EXIF segment whose GPS IFD says 19°4'30" N, 72°52'0" E (Mumbai),
// spliced in after the SOI marker, byte by byte, so that nothing in libvips touches it.
inline std::string with_gps_exif(const std::string& jpeg) {
  std::string tiff;
  auto u16 = [&](std::uint16_t v) { tiff += char(v & 0xFF), tiff += char(v >> 8); };
  auto u32 = [&](std::uint32_t v) {
    for (int i = 0; i < 4; ++i) tiff += char((v >> (8 * i)) & 0xFF);
  };
  tiff += "II";  // little-endian TIFF
  u16(42);
  u32(8);  // IFD0 offset
  // IFD0: one entry, the GPS IFD pointer.
  u16(1);
  u16(0x8825), u16(4), u32(1), u32(26);
  u32(0);
  // GPS IFD at 26: latitude ref and value, longitude ref and value; rationals after it.
  const std::uint32_t data = 26 + 2 + 4 * 12 + 4;
  u16(4);
  u16(0x0001), u16(2), u32(2), tiff += std::string("N\0\0\0", 4);
  u16(0x0002), u16(5), u32(3), u32(data);
  u16(0x0003), u16(2), u32(2), tiff += std::string("E\0\0\0", 4);
  u16(0x0004), u16(5), u32(3), u32(data + 24);
  u32(0);
  for (std::uint32_t v : {19u, 1u, 4u, 1u, 30u, 1u, 72u, 1u, 52u, 1u, 0u, 1u}) u32(v);

  const std::string payload = std::string("Exif\0\0", 6) + tiff;
  const std::size_t length = payload.size() + 2;
  std::string app1 = "\xFF\xE1";
  app1 += char(length >> 8), app1 += char(length & 0xFF);
  return jpeg.substr(0, 2) + app1 + payload + jpeg.substr(2);
}

// A valid grey PNG of w x h pixels, all zero, whose file is tiny: the zlib stream repeats one
// fully flushed block of compressed zeros instead of compressing gigabytes.
inline std::string png_bomb(std::uint32_t w, std::uint32_t h) {
  auto be32 = [](std::uint32_t v) {
    std::string s(4, '\0');
    for (int i = 0; i < 4; ++i) s[i] = char((v >> (24 - 8 * i)) & 0xFF);
    return s;
  };
  auto chunk = [&](const std::string& type, const std::string& body) {
    std::string typed = type + body;
    const auto crc = crc32(0, reinterpret_cast<const Bytef*>(typed.data()), typed.size());
    return be32(static_cast<std::uint32_t>(body.size())) + typed +
           be32(static_cast<std::uint32_t>(crc));
  };
  auto raw_deflate = [](std::size_t zeros, int flush) {
    z_stream z{};
    deflateInit2(&z, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY);
    const std::string in(zeros, '\0');
    std::string out(deflateBound(&z, zeros) + 64, '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z.avail_in = static_cast<uInt>(in.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    deflate(&z, flush);
    out.resize(out.size() - z.avail_out);
    deflateEnd(&z);
    return out;
  };
  const std::uint64_t total = std::uint64_t(h) * (w + 1);  // a filter byte per row, all zero
  const std::size_t block = 1 << 20;
  const std::string flushed = raw_deflate(block, Z_FULL_FLUSH);
  std::string idat = "\x78\xDA";
  for (std::uint64_t i = 0; i < total / block; ++i) idat += flushed;
  idat += raw_deflate(static_cast<std::size_t>(total % block), Z_FINISH);
  // Adler-32 of n zero bytes: a stays 1, b is n mod 65521.
  idat += be32(static_cast<std::uint32_t>(((total % 65521) << 16) | 1));

  const std::string ihdr = be32(w) + be32(h) + std::string("\x08\x00\x00\x00\x00", 5);
  return std::string("\x89PNG\r\n\x1A\n", 8) + chunk("IHDR", ihdr) + chunk("IDAT", idat) +
         chunk("IEND", "");
}

struct ImageFacts {
  int width = 0, height = 0;
  std::set<std::string> fields;  // every metadata field libvips finds
  bool has_metadata_from_camera() const {
    for (const auto& f : fields)
      if (f.starts_with("exif-") || f == "xmp-data" || f == "iptc-data" || f == "icc-profile-data")
        return true;
    return false;
  }
};

inline ImageFacts inspect(std::string_view bytes) {
  start_vips();
  VipsImage* im = vips_image_new_from_buffer(bytes.data(), bytes.size(), "", nullptr);
  if (!im) throw std::runtime_error(vips_error_buffer());
  ImageFacts facts{vips_image_get_width(im), vips_image_get_height(im), {}};
  gchar** names = vips_image_get_fields(im);
  for (gchar** n = names; *n; ++n) facts.fields.insert(*n);
  g_strfreev(names);
  g_object_unref(im);
  return facts;
}

}  // namespace griha::test
