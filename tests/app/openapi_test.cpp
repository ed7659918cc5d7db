// The API description and the route table must name exactly the same operations.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>

#include "app/routes.hpp"
#include "core/resources.hpp"
#include "support/storage_support.hpp"

namespace griha::app {
namespace {

TEST(OpenApi, DocumentAndRouteTableAgree) {
  test::TempDir dir;
  storage::DatabaseOptions options;
  options.url = "sqlite://" + (dir.path() / "t.db").string();
  auto db = storage::Database::open(options);
  ASSERT_TRUE(db);
  Config config;
  WorkerPool workers(1);
  auto gazetteer = listings::Gazetteer::load();
  ASSERT_TRUE(gazetteer);
  const auto routes =
      build_routes({config, **db, workers, [] { return std::string(); }, *gazetteer});

  std::set<std::string> from_routes;
  for (const auto& r : routes)
    from_routes.insert(std::string(boost::beast::http::to_string(r.method)) + " " +
                       http::Router::openapi_path(r.pattern));

  auto doc = boost::json::parse(*resources::find("api/openapi.json")).as_object();
  EXPECT_EQ(doc.at("openapi").as_string(), "3.1.0");
  std::set<std::string> from_doc;
  for (const auto& [path, item] : doc.at("paths").as_object())
    for (const auto& [method, op] : item.as_object()) {
      std::string m(method);
      for (auto& ch : m) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      from_doc.insert(m + " " + std::string(path));
    }
  for (const auto& r : from_routes) EXPECT_TRUE(from_doc.count(r)) << "undocumented route: " << r;
  for (const auto& d : from_doc)
    EXPECT_TRUE(from_routes.count(d)) << "documented, not routed: " << d;
}

// The field error codes are a closed list: the code's enum and the description's must agree.
TEST(OpenApi, FieldErrorCodesAreTheClosedList) {
  const auto doc = boost::json::parse(*resources::find("api/openapi.json"));
  const auto& field_error = doc.at("components").at("schemas").at("FieldError");
  std::set<std::string> documented;
  for (const auto& c : field_error.at("properties").at("code").at("enum").as_array())
    documented.insert(std::string(c.as_string()));
  std::set<std::string> in_code;
  for (const auto code : all_field_codes()) in_code.insert(std::string(to_string(code)));
  EXPECT_EQ(documented, in_code);
  std::set<std::string> places;
  for (const auto& c : field_error.at("properties").at("in").at("enum").as_array())
    places.insert(std::string(c.as_string()));
  EXPECT_EQ(places, (std::set<std::string>{std::string(to_string(FieldIn::body)),
                                           std::string(to_string(FieldIn::query)),
                                           std::string(to_string(FieldIn::header))}));
  // Every problem's field errors are FieldErrors.
  EXPECT_EQ(doc.at("components")
                .at("schemas")
                .at("Problem")
                .at("properties")
                .at("errors")
                .at("items")
                .at("$ref")
                .as_string(),
            "#/components/schemas/FieldError");
}

}  // namespace
}  // namespace griha::app
