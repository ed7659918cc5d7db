// The web app's Content-Security-Policy: built from the tile URL and the embeddable hosts.
#include <gtest/gtest.h>

#include <algorithm>

#include "app/ops_handlers.hpp"
#include "core/principal.hpp"
#include "listings/listing.hpp"

namespace griha::app {
namespace {

TEST(WebPages, CspAllowsTheTileOriginAndNothingElseOutside) {
  const std::string csp = web_app_csp("https://{s}.tile.example.in/{z}/{x}/{y}.png");
  EXPECT_NE(csp.find("img-src 'self' data: blob: https://*.tile.example.in;"), std::string::npos)
      << csp;
  EXPECT_NE(csp.find("script-src 'self';"), std::string::npos) << csp;
  EXPECT_NE(csp.find("style-src 'self';"), std::string::npos) << csp;
  EXPECT_NE(csp.find("connect-src 'self';"), std::string::npos) << csp;
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << csp;
  EXPECT_EQ(csp.find("unsafe"), std::string::npos) << csp;
}

TEST(WebPages, CspForTilesOnThisServerAddsNoOrigin) {
  const std::string csp = web_app_csp("/assets/app/blank-tile.png");
  EXPECT_NE(csp.find("img-src 'self' data: blob:;"), std::string::npos) << csp;
  const std::string port = web_app_csp("http://127.0.0.1:8081/tiles/{z}/{x}/{y}.png");
  EXPECT_NE(port.find("img-src 'self' data: blob: http://127.0.0.1:8081;"), std::string::npos)
      << port;
}

TEST(WebPages, CspFramesExactlyTheHostsListingsMayEmbed) {
  const std::string csp = web_app_csp("/t.png");
  const auto start = csp.find("frame-src ");
  ASSERT_NE(start, std::string::npos);
  const std::string frames = csp.substr(start, csp.find(';', start) - start);
  std::size_t count = 0;
  for (const auto host : listings::embeddable_media_hosts()) {
    EXPECT_NE(frames.find(" https://" + std::string(host)), std::string::npos) << host;
    ++count;
  }
  EXPECT_GT(count, 0u);
  EXPECT_EQ(static_cast<std::size_t>(std::count(frames.begin(), frames.end(), ' ')), count)
      << frames;
}

TEST(WebPages, WebConfigServesTheRolesSoThePagesNeedNotCopyThem) {
  const auto body = web_config_body(Config{});
  const auto& roles = body.at("roles").as_object();
  auto names = [&](std::string_view key) {
    std::vector<std::string> out;
    for (const auto& v : roles.at(key).as_array()) out.emplace_back(v.as_string());
    return out;
  };
  EXPECT_EQ(names("all"),
            (std::vector<std::string>{"seeker", "owner", "agent", "builder", "admin"}));
  EXPECT_EQ(names("self_service"),
            (std::vector<std::string>{"seeker", "owner", "agent", "builder"}));
  EXPECT_EQ(names("listers"), (std::vector<std::string>{"owner", "agent", "builder"}));
  for (const auto& name : names("all")) EXPECT_TRUE(role_from_string(name)) << name;
}

}  // namespace
}  // namespace griha::app
