// Listing photos over HTTP against the real binary, on SQLite and PostgreSQL: the upload
// abuse cases (script behind a JPEG header, GPS EXIF, decompression bomb, oversized and
// disguised files, other people's listings, the 31st photo), and reorder, cover and delete
// keeping photo_count in step.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include "listings/media_fixtures.hpp"
#include "support/api.hpp"

namespace griha::test {
namespace {

using bhttp::verb;

struct FilePart {
  std::string bytes;
  std::string filename = "photo.jpg";
  std::string content_type = "image/jpeg";
};

const std::string k_boundary = "griha-media-test-5f1c";

std::string form(const std::vector<FilePart>& files, const std::string& kind = "") {
  std::string body;
  if (!kind.empty())
    body += "--" + k_boundary + "\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\n" + kind +
            "\r\n";
  for (const auto& f : files)
    body += "--" + k_boundary + "\r\nContent-Disposition: form-data; name=\"files\"; filename=\"" +
            f.filename + "\"\r\nContent-Type: " + f.content_type + "\r\n\r\n" + f.bytes + "\r\n";
  return body + "--" + k_boundary + "--\r\n";
}

// kB from /proc/<pid>/status, e.g. "VmHWM" (the peak resident set so far).
long proc_status_kb(pid_t pid, const std::string& key) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line))
    if (line.starts_with(key + ":")) return std::stol(line.substr(key.size() + 1));
  return -1;
}

class MediaApi : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    start_vips();
    server_ = new GrihaProcess();
    owner_ = create_user(*server_, "owner");
    agent_ = create_user(*server_, "agent");
    seeker_ = create_user(*server_, "seeker");
    admin_ = create_user(*server_, "admin");
    small_jpeg_ = make_image(64, 48, ".jpg");
  }
  static void TearDownTestSuite() { delete server_; }

  static Api api() { return Api(*server_); }
  static HttpResponse call(verb method, const std::string& target, const TestUser* as,
                           const std::string& body = {}, Headers headers = {}) {
    return api().call(method, target, as, body, std::move(headers));
  }

  static HttpResponse upload(std::int64_t id, const TestUser* as,
                             const std::vector<FilePart>& files, const std::string& kind = "") {
    Headers headers = {{"Content-Type", "multipart/form-data; boundary=" + k_boundary}};
    return call(verb::post, photos(id), as, form(files, kind), headers);
  }

  static std::string photos(std::int64_t id) {
    return "/api/v1/listings/" + std::to_string(id) + "/photos";
  }

  // A listing by `as` in the state "draft" or "active".
  static std::int64_t listing_in(const std::string& state, const TestUser& as = owner_) {
    return api().listing(as, &admin_, state);
  }

  static std::int64_t photo_count(std::int64_t id) {
    auto l = call(verb::get, "/api/v1/listings/" + std::to_string(id), &owner_);
    return json_body(l).at("photo_count").as_int64();
  }

  static void expect_field_error(const HttpResponse& res, int status, const std::string& field) {
    EXPECT_EQ(res.result_int(), status) << res.body();
    const auto body = json_body(res).as_object();
    ASSERT_TRUE(body.contains("errors")) << res.body();
    EXPECT_EQ(body.at("errors").as_array().at(0).at("field").as_string(), field);
  }

  static std::string media_file(const boost::json::value& item, const char* width) {
    auto res = api().get(std::string(item.at("urls").at(width).as_string()));
    EXPECT_EQ(res.result_int(), 200);
    return res.body();
  }

  static GrihaProcess* server_;
  static TestUser owner_, agent_, seeker_, admin_;
  static std::string small_jpeg_;
};
GrihaProcess* MediaApi::server_ = nullptr;
TestUser MediaApi::owner_, MediaApi::agent_, MediaApi::seeker_, MediaApi::admin_;
std::string MediaApi::small_jpeg_;

TEST_F(MediaApi, UploadListReorderCoverAndDeleteKeepPhotoCountInStep) {
  const auto id = listing_in("active");
  auto first = upload(
      id, &owner_,
      {{make_image(2000, 1200, ".jpg")}, {make_image(500, 300, ".png"), "b.png", "image/png"}});
  ASSERT_EQ(first.result_int(), 201) << first.body();
  auto plan = upload(id, &owner_, {{make_image(900, 900, ".webp"), "plan.webp", "image/webp"}},
                     "floor_plan");
  ASSERT_EQ(plan.result_int(), 201) << plan.body();
  EXPECT_EQ(photo_count(id), 2);  // floor plans are not photos

  // The public sees them in order, the first photo as cover.
  auto listed = call(verb::get, photos(id), nullptr);
  ASSERT_EQ(listed.result_int(), 200);
  const auto items = json_body(listed).at("items").as_array();
  ASSERT_EQ(items.size(), 3u);
  EXPECT_TRUE(items[0].at("cover").as_bool());
  EXPECT_FALSE(items[1].at("cover").as_bool());
  EXPECT_EQ(items[2].at("kind").as_string(), "floor_plan");
  EXPECT_EQ(items[1].at("width").as_int64(), 500);

  // Three widths, never upscaled, served as immutable JPEG.
  const auto url = std::string(items[0].at("urls").at("800").as_string());
  auto file = api().get(url);
  ASSERT_EQ(file.result_int(), 200);
  EXPECT_EQ(file[bhttp::field::content_type], "image/jpeg");
  EXPECT_EQ(file[bhttp::field::cache_control], "public, max-age=31536000, immutable");
  EXPECT_EQ(file["X-Content-Type-Options"], "nosniff");
  EXPECT_EQ(inspect(file.body()).width, 800);
  EXPECT_EQ(inspect(media_file(items[0], "1600")).width, 1600);
  EXPECT_EQ(inspect(media_file(items[1], "320")).width, 320);
  EXPECT_EQ(inspect(media_file(items[1], "1600")).width, 500);
  EXPECT_EQ(api().get("/media/../griha.db").result_int(), 404);
  EXPECT_EQ(api().get(url.substr(0, url.size() - 7) + "999.jpg").result_int(), 404);

  // Reorder and choose the second photo as cover.
  const auto a = items[0].at("id").as_int64(), b = items[1].at("id").as_int64(),
             c = items[2].at("id").as_int64();
  auto arranged = call(verb::patch, photos(id), &owner_,
                       R"({"order":[)" + std::to_string(c) + "," + std::to_string(b) + "," +
                           std::to_string(a) + R"(],"cover":)" + std::to_string(b) + "}");
  ASSERT_EQ(arranged.result_int(), 200) << arranged.body();
  auto now = json_body(call(verb::get, photos(id), nullptr)).at("items").as_array();
  EXPECT_EQ(now[0].at("id").as_int64(), c);
  EXPECT_EQ(now[2].at("id").as_int64(), a);
  EXPECT_TRUE(now[1].at("cover").as_bool());
  EXPECT_FALSE(now[2].at("cover").as_bool());
  EXPECT_EQ(
      call(verb::patch, photos(id), &owner_, R"({"cover":)" + std::to_string(c) + "}").result_int(),
      400);  // a floor plan is no cover
  EXPECT_EQ(call(verb::patch, photos(id), &owner_, R"({"order":[)" + std::to_string(a) + "]}")
                .result_int(),
            400);  // not every id

  // Deleting the cover makes the remaining photo the cover; its files are gone.
  const auto cover_url = std::string(now[1].at("urls").at("320").as_string());
  EXPECT_EQ(call(verb::delete_, photos(id) + "/" + std::to_string(b), &owner_).result_int(), 204);
  EXPECT_EQ(api().get(cover_url).result_int(), 404);
  now = json_body(call(verb::get, photos(id), nullptr)).at("items").as_array();
  ASSERT_EQ(now.size(), 2u);
  EXPECT_EQ(now[1].at("id").as_int64(), a);
  EXPECT_TRUE(now[1].at("cover").as_bool());
  EXPECT_EQ(now[1].at("position").as_int64(), 1);
  EXPECT_EQ(photo_count(id), 1);
  EXPECT_EQ(call(verb::delete_, photos(id) + "/" + std::to_string(b), &owner_).result_int(), 404);
}

TEST_F(MediaApi, ScriptAfterAJpegHeaderNeverComesBack) {
  const auto id = listing_in("draft");
  // A whole JPEG with a web page appended: accepted, but only re-encoded pixels are stored.
  const std::string html = "<html><body><script>alert(document.cookie)</script></body></html>";
  auto polyglot = upload(id, &owner_, {{make_image(400, 300, ".jpg") + html}});
  ASSERT_EQ(polyglot.result_int(), 201) << polyglot.body();
  const auto item = json_body(polyglot).at("items").at(0);
  for (const char* w : {"320", "800", "1600"}) {
    const std::string stored = media_file(item, w);
    EXPECT_EQ(stored.find("<script"), std::string::npos);
    EXPECT_EQ(stored.find("<html"), std::string::npos);
    EXPECT_TRUE(stored.starts_with("\xFF\xD8\xFF"));
  }
  // Only a JPEG's first bytes, then the page: refused.
  auto fake = upload(id, &owner_, {{small_jpeg_.substr(0, 20) + html}});
  expect_field_error(fake, 400, "/files/0");
}

TEST_F(MediaApi, GpsExifIsStripped) {
  const auto id = listing_in("draft");
  const std::string jpeg = with_gps_exif(make_image(1200, 900, ".jpg"));
  ASSERT_TRUE(inspect(jpeg).fields.count("exif-ifd3-GPSLatitude"));
  auto res = upload(id, &owner_, {{jpeg}});
  ASSERT_EQ(res.result_int(), 201) << res.body();
  const auto item = json_body(res).at("items").at(0);
  for (const char* w : {"320", "800", "1600"}) {
    const auto facts = inspect(media_file(item, w));
    EXPECT_FALSE(facts.has_metadata_from_camera()) << w;
    EXPECT_FALSE(facts.fields.count("exif-data")) << w;
  }
}

TEST_F(MediaApi, BombsAndOversizedFilesAreRefusedWithoutTheServerGrowing) {
  const auto id = listing_in("draft");
  const std::string bomb = png_bomb(30000, 30000);  // 900 megapixels in under a megabyte
  ASSERT_LT(bomb.size(), 1u << 20);
  std::string oversized = small_jpeg_;
  oversized.resize(10 * 1024 * 1024 + 1, '\0');

  const long before = proc_status_kb(server_->pid(), "VmHWM");
  ASSERT_GT(before, 0);
  auto bombed = upload(id, &owner_, {{small_jpeg_}, {bomb, "bomb.png", "image/png"}});
  expect_field_error(bombed, 413, "/files/1");
  expect_field_error(upload(id, &owner_, {{oversized}}), 413, "/files/0");
  // A request over the route's 11 MiB is refused from its Content-Length, before the body.
  RawConnection conn(server_->port());
  ASSERT_TRUE(
      conn.send("POST " + photos(id) + " HTTP/1.1\r\nHost: x\r\nAuthorization: " + owner_.bearer() +
                "\r\nContent-Type: multipart/form-data; boundary=" + k_boundary +
                "\r\nContent-Length: " + std::to_string(12 << 20) + "\r\n\r\n--" + k_boundary));
  bool closed = false;
  EXPECT_TRUE(
      conn.read_until_closed(std::chrono::seconds(10), &closed).starts_with("HTTP/1.1 413"));
  const long after = proc_status_kb(server_->pid(), "VmHWM");
  EXPECT_LT(after - before, 150 * 1024) << "peak RSS grew from " << before << " kB to " << after;
  EXPECT_EQ(photo_count(id), 0);  // all or nothing: the good file went too
  EXPECT_EQ(json_body(call(verb::get, photos(id), &owner_)).at("items").as_array().size(), 0u);
}

TEST_F(MediaApi, NonImagesNamedJpgAreRefused) {
  const auto id = listing_in("draft");
  const std::string pdf = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n";
  const std::string html = "<!doctype html><html><script>alert(1)</script></html>";
  expect_field_error(upload(id, &owner_, {{pdf, "scan.jpg"}}), 415, "/files/0");
  expect_field_error(upload(id, &owner_, {{small_jpeg_}, {html, "x.jpg"}}), 415, "/files/1");
  // Not multipart at all.
  EXPECT_EQ(call(verb::post, photos(id), &owner_, small_jpeg_, {{"Content-Type", "image/jpeg"}})
                .result_int(),
            415);
  expect_field_error(upload(id, &owner_, {{small_jpeg_}}, "panorama"), 400, "/kind");
  EXPECT_EQ(photo_count(id), 0);
}

TEST_F(MediaApi, OnlyTheListerOrAnAdminMayChangePhotos) {
  const auto draft = listing_in("draft");
  const auto live = listing_in("active");
  auto added = upload(live, &owner_, {{small_jpeg_}});
  ASSERT_EQ(added.result_int(), 201);
  const auto photo = std::to_string(json_body(added).at("items").at(0).at("id").as_int64());

  // One small photo uploaded to `id` by `as`, answered `status`.
  const auto uploading = [&](std::string name, std::int64_t id, const TestUser* as,
                             unsigned status) {
    return ApiScenario{.name = std::move(name),
                       .method = verb::post,
                       .path = photos(id),
                       .body = form({{small_jpeg_}}),
                       .as = as,
                       .headers = {{"Content-Type", "multipart/form-data; boundary=" + k_boundary}},
                       .expected_status = status};
  };
  api().run({
      // Someone else's draft does not exist for them; someone else's live listing is not theirs.
      uploading("upload to another's draft", draft, &agent_, 404),
      {.path = photos(draft), .as = &agent_, .expected_status = 404},
      {.path = photos(draft), .expected_status = 404},
      {.method = verb::patch,
       .path = photos(draft),
       .body = R"({"order":[]})",
       .as = &agent_,
       .expected_status = 404},
      uploading("upload to another's live listing", live, &agent_, 403),
      {.method = verb::patch,
       .path = photos(live),
       .body = R"({"cover":)" + photo + "}",
       .as = &agent_,
       .expected_status = 403},
      {.method = verb::delete_,
       .path = photos(live) + "/" + photo,
       .as = &agent_,
       .expected_status = 403},
      // Seekers never upload; nobody does without signing in.
      uploading("a seeker uploads to a draft", draft, &seeker_, 403),
      uploading("a seeker uploads to a live listing", live, &seeker_, 403),
      uploading("nobody uploads", live, nullptr, 401),
      {.name = "a seeker sees the photos", .path = photos(live), .as = &seeker_},
      // An admin may.
      uploading("an admin uploads", draft, &admin_, 201),
  });
  EXPECT_EQ(photo_count(live), 1);
}

TEST_F(MediaApi, ThirtyIsTheLimit) {
  const auto id = listing_in("draft");
  auto over = upload(id, &owner_, std::vector<FilePart>(31, FilePart{small_jpeg_}));
  EXPECT_EQ(over.result_int(), 409) << over.body();
  auto thirty = upload(id, &owner_, std::vector<FilePart>(30, FilePart{small_jpeg_}));
  ASSERT_EQ(thirty.result_int(), 201) << thirty.body();
  EXPECT_EQ(photo_count(id), 30);
  auto thirty_first = upload(id, &owner_, {{small_jpeg_}}, "floor_plan");
  EXPECT_EQ(thirty_first.result_int(), 409);
  EXPECT_EQ(json_body(thirty_first).at("code").as_string(), "too_many_photos");
  EXPECT_EQ(photo_count(id), 30);
}

}  // namespace
}  // namespace griha::test
