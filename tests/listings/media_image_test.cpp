// Image processing and media names: type from the bytes, the pixel limit from the header
// before decoding, metadata gone from every rendition, no upscaling, unguessable names, and
// the local store's key rules.
#include <gtest/gtest.h>

#include "listings/media.hpp"
#include "listings/media_fixtures.hpp"
#include "listings/media_image.hpp"
#include "storage/media_store.hpp"
#include "support/storage_support.hpp"

namespace griha::listings {
namespace {

TEST(MediaImage, SniffsTheTypeFromMagicBytesOnly) {
  EXPECT_EQ(sniff_image_type(test::make_image(8, 8, ".jpg")), ImageType::jpeg);
  EXPECT_EQ(sniff_image_type(test::make_image(8, 8, ".png")), ImageType::png);
  EXPECT_EQ(sniff_image_type(test::make_image(8, 8, ".webp")), ImageType::webp);
  EXPECT_EQ(sniff_image_type("%PDF-1.7\n"), std::nullopt);
  EXPECT_EQ(sniff_image_type("<html><script>"), std::nullopt);
  EXPECT_EQ(sniff_image_type("RIFF\0\0\0\0WAVE"), std::nullopt);
  EXPECT_EQ(sniff_image_type(""), std::nullopt);
}

TEST(MediaImage, RendersThreeWidthsWithoutMetadataOrUpscaling) {
  const std::string upload = test::with_gps_exif(test::make_image(1000, 600, ".jpg"));
  ASSERT_TRUE(test::inspect(upload).fields.count("exif-ifd3-GPSLatitude"))
      << "the fixture must carry GPS for this test to mean anything";
  ImageProcessor images;
  auto out = images.process(upload, "files/0");
  ASSERT_TRUE(out) << out.error().detail;
  EXPECT_EQ(out->width, 1000);
  EXPECT_EQ(out->height, 600);
  const int expected[] = {320, 800, 1000};
  for (std::size_t i = 0; i < k_media_widths.size(); ++i) {
    const auto facts = test::inspect(out->jpeg[i]);
    EXPECT_EQ(sniff_image_type(out->jpeg[i]), ImageType::jpeg);
    EXPECT_EQ(facts.width, expected[i]);
    EXPECT_FALSE(facts.has_metadata_from_camera()) << k_media_widths[i];
  }
}

TEST(MediaImage, FlattensTransparencyOntoWhite) {
  test::start_vips();
  VipsImage* clear = nullptr;  // four zero bands: black, fully transparent
  ASSERT_EQ(vips_black(&clear, 40, 30, "bands", 4, nullptr), 0);
  clear->Type = VIPS_INTERPRETATION_sRGB;
  void* buf = nullptr;
  std::size_t len = 0;
  ASSERT_EQ(vips_image_write_to_buffer(clear, ".png", &buf, &len, nullptr), 0);
  g_object_unref(clear);
  const std::string png(static_cast<const char*>(buf), len);
  g_free(buf);

  auto out = ImageProcessor().process(png, "f");
  ASSERT_TRUE(out) << out.error().detail;
  VipsImage* im = vips_image_new_from_buffer(out->jpeg[0].data(), out->jpeg[0].size(), "", nullptr);
  ASSERT_NE(im, nullptr);
  double mean = 0;
  vips_avg(im, &mean, nullptr);
  EXPECT_EQ(vips_image_get_bands(im), 3);
  EXPECT_GT(mean, 250);
  g_object_unref(im);
}

TEST(MediaImage, RefusesTooManyPixelsFromTheHeader) {
  ImageProcessor images(ImageLimits{.max_pixels = 40'000'000, .concurrent_decodes = 1});
  auto r = images.process(test::png_bomb(30000, 30000), "/files/2");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::too_large);
  ASSERT_EQ(r.error().fields.size(), 1u);
  EXPECT_EQ(r.error().code, "image_too_large");
  EXPECT_EQ(r.error().fields[0].field, "/files/2");
  EXPECT_EQ(r.error().fields[0].code, FieldCode::out_of_range);

  ImageProcessor tiny(ImageLimits{.max_pixels = 99, .concurrent_decodes = 1});
  EXPECT_FALSE(tiny.process(test::make_image(10, 10, ".png"), "f"));
  EXPECT_TRUE(tiny.process(test::make_image(9, 11, ".png"), "f"));
}

TEST(MediaImage, RefusesWhatIsNotAnImage) {
  ImageProcessor images;
  auto pdf = images.process("%PDF-1.4\n1 0 obj\n", "files/0");
  ASSERT_FALSE(pdf);
  EXPECT_EQ(pdf.error().kind, ErrorKind::unsupported);
  // A JPEG's first bytes, then a web page: sniffed as JPEG, but it does not decode.
  const std::string jpeg = test::make_image(64, 64, ".jpg");
  auto fake = images.process(jpeg.substr(0, 20) + "<html><script>alert(1)</script></html>", "f");
  ASSERT_FALSE(fake);
  EXPECT_EQ(fake.error().kind, ErrorKind::invalid);
  EXPECT_EQ(fake.error().fields.at(0).code, FieldCode::invalid_value);
  // Truncated in the middle of the pixels: refused, not returned half grey.
  EXPECT_FALSE(images.process(jpeg.substr(0, jpeg.size() / 2), "f"));
}

TEST(MediaNames, AreRandomAndOnlyTheirOwnShapeIsServed) {
  const std::string a = new_storage_key(), b = new_storage_key();
  EXPECT_NE(a, b);
  EXPECT_EQ(a.size(), 33u);
  for (int w : k_media_widths) EXPECT_TRUE(is_media_file_name(media_file_name(a, w)));
  EXPECT_FALSE(is_media_file_name(a + "-321.webp"));
  EXPECT_FALSE(is_media_file_name(a + "-320.webp"));
  EXPECT_FALSE(is_media_file_name("../" + media_file_name(a, 320)));
  EXPECT_FALSE(is_media_file_name("AB" + media_file_name(a, 320).substr(2)));
  EXPECT_FALSE(is_media_file_name(""));
}

TEST(LocalMediaStore, PutsGetsAndRemovesByKeyOnly) {
  test::TempDir dir;
  storage::LocalMediaStore store(dir.path() / "media");
  ASSERT_TRUE(store.put("ab/cdef-320.webp", "bytes"));
  EXPECT_EQ(*store.get("ab/cdef-320.webp"), std::optional<std::string>("bytes"));
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "media/ab/.cdef-320.webp.tmp"));
  ASSERT_TRUE(store.remove("ab/cdef-320.webp"));
  EXPECT_EQ(*store.get("ab/cdef-320.webp"), std::nullopt);
  EXPECT_TRUE(store.remove("ab/cdef-320.webp"));  // already gone is fine
  for (const char* bad : {"../x", "ab/../x", "/etc/passwd", ".hidden", "ab//c", "Ab/c", ""}) {
    EXPECT_FALSE(storage::valid_media_key(bad)) << bad;
    EXPECT_FALSE(store.put(bad, "x")) << bad;
    EXPECT_EQ(*store.get(bad), std::nullopt) << bad;
  }
}

}  // namespace
}  // namespace griha::listings
