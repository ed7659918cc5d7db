#include "http/router.hpp"

#include <gtest/gtest.h>

namespace griha::http {
namespace {

Handler named(std::string name) {
  return [name](Request&) -> Reply { co_return text_response(name, "text/plain"); };
}

Router sample() {
  using bhttp::verb;
  // Deliberately in an order where first-match would pick the wrong route.
  return Router({
      {verb::get, "/listings/{slug}", named("by-slug")},
      {verb::get, "/listings/{id:int}", named("by-id")},
      {verb::get, "/listings/mine", named("mine")},
      {verb::patch, "/listings/{id:int}", named("patch")},
      {verb::get, "/assets/{path...}", named("asset")},
      {verb::post, "/listings", named("create")},
  });
}

TEST(Router, MostSpecificRouteWinsWhateverTheOrder) {
  Router r = sample();
  auto mine = r.match(bhttp::verb::get, "/listings/mine");
  ASSERT_EQ(mine.kind, Match::Kind::found);
  EXPECT_EQ(mine.route->pattern, "/listings/mine");

  auto id = r.match(bhttp::verb::get, "/listings/42");
  ASSERT_EQ(id.kind, Match::Kind::found);
  EXPECT_EQ(id.route->pattern, "/listings/{id:int}");
  ASSERT_EQ(id.params.size(), 1u);
  EXPECT_EQ(id.params[0].name, "id");
  EXPECT_EQ(id.params[0].as_int, 42);

  auto slug = r.match(bhttp::verb::get, "/listings/2bhk-andheri");
  ASSERT_EQ(slug.kind, Match::Kind::found);
  EXPECT_EQ(slug.route->pattern, "/listings/{slug}");
  EXPECT_EQ(slug.params[0].value, "2bhk-andheri");
}

TEST(Router, IntParametersMustBeWholeIntegers) {
  Router r({{bhttp::verb::get, "/x/{id:int}", named("x")}});
  EXPECT_EQ(r.match(bhttp::verb::get, "/x/12").kind, Match::Kind::found);
  EXPECT_EQ(r.match(bhttp::verb::get, "/x/12a").kind, Match::Kind::not_found);
  EXPECT_EQ(r.match(bhttp::verb::get, "/x/").kind, Match::Kind::not_found);
  EXPECT_EQ(r.match(bhttp::verb::get, "/x/99999999999999999999").kind, Match::Kind::not_found);
}

TEST(Router, RestParameterTakesTheRemainder) {
  Router r = sample();
  auto m = r.match(bhttp::verb::get, "/assets/vendor/redoc.js");
  ASSERT_EQ(m.kind, Match::Kind::found);
  EXPECT_EQ(m.params[0].value, "vendor/redoc.js");
  EXPECT_EQ(r.match(bhttp::verb::get, "/assets").kind, Match::Kind::not_found);
}

TEST(Router, WrongMethodListsWhatIsAllowed) {
  Router r = sample();
  auto m = r.match(bhttp::verb::delete_, "/listings/7");
  ASSERT_EQ(m.kind, Match::Kind::method_not_allowed);
  EXPECT_EQ(m.allow, "GET, HEAD, PATCH");
  EXPECT_EQ(r.match(bhttp::verb::get, "/listings").allow, "POST");
}

TEST(Router, HeadMatchesGetRoutes) {
  Router r = sample();
  EXPECT_EQ(r.match(bhttp::verb::head, "/listings/mine").kind, Match::Kind::found);
}

TEST(Router, UnknownPathsAndTrailingSegmentsAreNotFound) {
  Router r = sample();
  EXPECT_EQ(r.match(bhttp::verb::get, "/nothing").kind, Match::Kind::not_found);
  EXPECT_EQ(r.match(bhttp::verb::get, "/listings/1/extra").kind, Match::Kind::not_found);
}

TEST(Router, DuplicateRoutesAreRefused) {
  EXPECT_THROW(
      Router({{bhttp::verb::get, "/a/{x}", named("1")}, {bhttp::verb::get, "/a/{y}", named("2")}}),
      std::logic_error);
}

TEST(Router, OpenApiPathDropsTypes) {
  EXPECT_EQ(Router::openapi_path("/listings/{id:int}/photos/{photo:int}"),
            "/listings/{id}/photos/{photo}");
  EXPECT_EQ(Router::openapi_path("/assets/{path...}"), "/assets/{path}");
}

}  // namespace
}  // namespace griha::http
