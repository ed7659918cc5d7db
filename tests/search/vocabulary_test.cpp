// One vocabulary: the search index, its parser, api/openapi.json and the web app all spell every
// enum value as the listing model does (listings/vocabulary.hpp via the field table), and every
// value of every enumerated search filter in the description finds the listings holding it.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <regex>
#include <sstream>

#include "listings/listing.hpp"
#include "search/index.hpp"
#include "search/parse.hpp"
#include "search_fixtures.hpp"

namespace griha::search {
namespace {

std::string read(const std::string& relative) {
  std::ifstream in(std::string(GRIHA_SOURCE_DIR) + "/" + relative);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> strings(std::span<const std::string_view> names) {
  return {names.begin(), names.end()};
}

// The enumerated search filters of GET /api/v1/search: parameter -> its values.
std::map<std::string, std::vector<std::string>> described_enums() {
  const auto api = boost::json::parse(read("api/openapi.json"));
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& p : api.at_pointer("/paths/~1api~1v1~1search/get/parameters").as_array()) {
    const auto& schema = p.at("schema").as_object();
    const boost::json::value* values = schema.if_contains("enum");
    if (!values && schema.contains("items"))
      values = schema.at("items").as_object().if_contains("enum");
    if (!values) continue;
    auto& v = out[std::string(p.at("name").as_string())];
    for (const auto& e : values->as_array()) v.emplace_back(e.as_string());
  }
  return out;
}

std::span<const std::string_view> choices_of(std::string_view field) {
  for (const auto& f : listings::listing_fields())
    if (f.name == field) return f.choices;
  ADD_FAILURE() << "no listing field " << field;
  return {};
}

TEST(SearchVocabulary, IsTheListingFieldTables) {
  EXPECT_EQ(strings(names_of_transaction()), strings(choices_of("transaction")));
  EXPECT_EQ(strings(names_of_property_type()), strings(choices_of("property_type")));
  EXPECT_EQ(strings(names_of_furnishing()), strings(choices_of("furnishing")));
  EXPECT_EQ(strings(names_of_facing()), strings(choices_of("facing")));
  EXPECT_EQ(strings(names_of_tenant_preference()), strings(choices_of("tenant_preference")));
  // The enum values search code names must be the values of those names.
  EXPECT_EQ(names_of_furnishing()[static_cast<int>(Furnishing::semi_furnished)], "semi_furnished");
  EXPECT_EQ(names_of_transaction()[static_cast<int>(Transaction::rent)], "rent");
  EXPECT_EQ(names_of_transaction()[static_cast<int>(Transaction::lease)], "lease");
  EXPECT_EQ(names_of_tenant_preference()[static_cast<int>(TenantPreference::any)], "any");
  EXPECT_EQ(names_of_property_type()[static_cast<int>(PropertyType::plot)], "plot");
  EXPECT_EQ(names_of_facing()[static_cast<int>(Facing::north)], "north");
}

TEST(SearchVocabulary, IsTheDescriptions) {
  const auto described = described_enums();
  const std::map<std::string, std::span<const std::string_view>> ours{
      {"transaction", names_of_transaction()},
      {"property_type", names_of_property_type()},
      {"furnishing", names_of_furnishing()},
      {"posted_by", names_of_posted_by()},
      {"facing", names_of_facing()},
      {"tenant", names_of_tenant_preference()},
      {"amenities", names_of_amenities()},
      {"sort", names_of_sort()},
      {"facets", names_of_facet()}};
  for (const auto& [name, names] : ours) {
    ASSERT_TRUE(described.contains(name)) << name << " has no enum in api/openapi.json";
    EXPECT_EQ(described.at(name), strings(names)) << name;
  }
  EXPECT_EQ(described.size(), ours.size()) << "an enumerated filter search does not know";
}

TEST(SearchDescription, BboxIsRequiredOnTheMapOnly) {
  const auto api = boost::json::parse(read("api/openapi.json"));
  auto required = [&](const char* pointer) {
    for (const auto& p : api.at_pointer(pointer).as_array())
      if (p.at("name").as_string() == "bbox") return p.at("required").as_bool();
    ADD_FAILURE() << "no bbox in " << pointer;
    return false;
  };
  EXPECT_FALSE(required("/paths/~1api~1v1~1search/get/parameters"));
  EXPECT_TRUE(required("/paths/~1api~1v1~1search~1map/get/parameters"));
}

TEST(SearchVocabulary, IsTheWebApps) {
  // web/assets/app/format.js lists the values its search form offers.
  const std::string js = read("web/assets/app/format.js");
  auto array = [&](const std::string& name) {
    std::smatch m;
    const std::regex decl("export const " + name + R"( = \[([^\]]*)\])");
    EXPECT_TRUE(std::regex_search(js, m, decl)) << name;
    std::vector<std::string> out;
    const std::string body = m[1];
    const std::regex item(R"('([a-z_]+)')");
    for (auto it = std::sregex_iterator(body.begin(), body.end(), item);
         it != std::sregex_iterator(); ++it)
      out.push_back((*it)[1]);
    std::sort(out.begin(), out.end());
    return out;
  };
  auto sorted = [](std::span<const std::string_view> names) {
    auto v = strings(names);
    std::sort(v.begin(), v.end());
    return v;
  };
  EXPECT_EQ(array("TRANSACTIONS"), sorted(names_of_transaction()));
  EXPECT_EQ(array("PROPERTY_TYPES"), sorted(names_of_property_type()));
  EXPECT_EQ(array("FURNISHING"), sorted(names_of_furnishing()));
  EXPECT_EQ(array("FACING"), sorted(names_of_facing()));
  EXPECT_EQ(array("AMENITIES"), sorted(names_of_amenities()));
}

TEST(SearchVocabulary, EveryDescribedValueFindsItsListings) {
  // One listing per value of every enum, so each value has exactly one holder here.
  std::vector<Document> docs;
  auto add = [&](auto set) {
    Document d;
    d.id = static_cast<std::int64_t>(docs.size()) + 1;
    d.city_id = 1;
    d.price = 1'000'000;
    d.posted_at = test::k_now - 100;
    d.transaction = Transaction::rent;
    set(d);
    docs.push_back(d);
  };
  for (int v = 0; v < k_transaction_count; ++v)
    add([&](Document& d) { d.transaction = Transaction(v); });
  for (int v = 0; v < k_property_type_count; ++v)
    add([&](Document& d) { d.property_type = PropertyType(v); });
  for (int v = 0; v < k_furnishing_count; ++v)
    add([&](Document& d) { d.furnishing = Furnishing(v); });
  for (int v = 0; v < k_posted_by_count; ++v) add([&](Document& d) { d.posted_by = PostedBy(v); });
  for (int v = 0; v < k_facing_count; ++v) add([&](Document& d) { d.facing = Facing(v); });
  for (int v = 0; v < k_tenant_preference_count; ++v)
    add([&](Document& d) { d.tenant_preference = TenantPreference(v); });
  for (std::size_t a = 0; a < names_of_amenities().size(); ++a)
    add([&](Document& d) { d.amenities = std::uint64_t{1} << a; });
  IndexOptions opt;
  opt.cursor_key = "vocabulary-test-cursor-key-0123";
  opt.background_merge = false;
  Index index(opt);
  index.build(docs);

  int walked = 0;
  for (const auto& [name, values] : described_enums()) {
    for (const auto& value : values) {
      Params params{{name, value}};
      if (name == "sort" && value == "distance")
        params.emplace_back("lat", "19"), params.emplace_back("lng", "72");
      auto q = parse_query(params, index.cursors(), test::k_now);
      ASSERT_TRUE(q) << name << "=" << value << ": " << q.error().fields.at(0).message;
      q->page_size = 100;
      auto r = index.search(*q);
      ASSERT_TRUE(r) << name << "=" << value;
      if (name == "sort" || name == "facets") continue;
      // Every value is held by some listing above; a tenant "any" rental matches them all.
      EXPECT_GE(r->total, 1u) << name << "=" << value;
      ++walked;
    }
  }
  EXPECT_GT(walked, 60);
}

}  // namespace
}  // namespace griha::search
