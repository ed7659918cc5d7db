// The multipart/form-data parser: well-formed bodies split into the right parts, and every
// malformed or oversized shape refused rather than guessed at.
#include <gtest/gtest.h>

#include "listings/media_multipart.hpp"

namespace griha::listings {
namespace {

const std::string k_b = "XyZ-123";

std::string part(const std::string& disposition, const std::string& body,
                 const std::string& extra_headers = "") {
  return "--" + k_b + "\r\nContent-Disposition: " + disposition + "\r\n" + extra_headers + "\r\n" +
         body + "\r\n";
}

TEST(MediaMultipart, BoundaryComesFromTheContentType) {
  EXPECT_EQ(form_data_boundary("multipart/form-data; boundary=abc"), "abc");
  EXPECT_EQ(form_data_boundary("Multipart/Form-Data; charset=utf-8; BOUNDARY=\"a'c\""), "a'c");
  // RFC 2046 allows a space inside a boundary; no client sends one, so it is refused.
  EXPECT_EQ(form_data_boundary("multipart/form-data; boundary=\"a b\""), std::nullopt);
  EXPECT_EQ(form_data_boundary("multipart/form-data; boundary=\"----WebKit12\""), "----WebKit12");
  EXPECT_EQ(form_data_boundary("multipart/mixed; boundary=abc"), std::nullopt);
  EXPECT_EQ(form_data_boundary("image/jpeg"), std::nullopt);
  EXPECT_EQ(form_data_boundary("multipart/form-data"), std::nullopt);
  EXPECT_EQ(form_data_boundary("multipart/form-data; boundary="), std::nullopt);
  EXPECT_EQ(form_data_boundary("multipart/form-data; boundary=" + std::string(71, 'a')),
            std::nullopt);
}

TEST(MediaMultipart, SplitsFieldsAndFiles) {
  const std::string binary("\xFF\xD8\xFF\x00\r\n--not-the-boundary\r\n", 25);
  const std::string body = "preamble is ignored\r\n" +
                           part(R"(form-data; name="kind")", "floor_plan") +
                           part(R"(form-data; name="files"; filename="a \"b\".jpg")", binary,
                                "Content-Type: text/html\r\n") +
                           "--" + k_b + "--\r\nepilogue";
  auto parts = parse_form_data(k_b, body);
  ASSERT_TRUE(parts) << parts.error().message;
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].name, "kind");
  EXPECT_FALSE((*parts)[0].filename);
  EXPECT_EQ((*parts)[0].body, "floor_plan");
  EXPECT_EQ((*parts)[1].name, "files");
  EXPECT_EQ((*parts)[1].filename, "a \"b\".jpg");
  EXPECT_EQ((*parts)[1].body, binary);
}

TEST(MediaMultipart, RefusesMalformedBodies) {
  const std::string end = "--" + k_b + "--\r\n";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"no boundary at all", "just text"},
      {"unterminated part", "--" + k_b + "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx"},
      {"no disposition", "--" + k_b + "\r\nContent-Type: text/plain\r\n\r\nx\r\n" + end},
      {"not form-data", part(R"(attachment; name="a")", "x") + end},
      {"no name", part(R"(form-data; filename="a.jpg")", "x") + end},
      {"unterminated quote", part(R"(form-data; name="a)", "x") + end},
      {"header without colon", part(R"(form-data; name="a")", "x", "Bogus\r\n") + end},
      {"garbage after boundary", "--" + k_b + "junk\r\n" + end},
      {"two dispositions",
       part(R"(form-data; name="a")", "x", "Content-Disposition: form-data; name=\"b\"\r\n") + end},
  };
  for (const auto& [why, body] : cases) {
    auto r = parse_form_data(k_b, body);
    ASSERT_FALSE(r) << why;
    EXPECT_EQ(r.error().code, "invalid_multipart") << why;
    EXPECT_EQ(r.error().kind, ErrorKind::invalid) << why;
  }
}

TEST(MediaMultipart, EnforcesItsLimits) {
  MultipartLimits limits;
  limits.max_parts = 2;
  limits.max_part_header_bytes = 100;
  limits.max_part_headers = 2;
  const std::string end = "--" + k_b + "--\r\n";
  const std::string one = part(R"(form-data; name="a")", "x");
  EXPECT_TRUE(parse_form_data(k_b, one + one + end, limits));
  EXPECT_FALSE(parse_form_data(k_b, one + one + one + end, limits));
  EXPECT_FALSE(parse_form_data(
      k_b, part(R"(form-data; name="a")", "x", "X-Long: " + std::string(100, 'v') + "\r\n") + end,
      limits));
  EXPECT_FALSE(
      parse_form_data(k_b, part(R"(form-data; name="a")", "x", "A: 1\r\nB: 2\r\n") + end, limits));
}

}  // namespace
}  // namespace griha::listings
