// The one validation vocabulary: every problem at once, JSON Pointers, the closed code list.
#include "core/validation.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>

namespace griha {
namespace {

std::vector<std::string> summary(const Problems& p) {
  std::vector<std::string> out;
  for (const auto& f : p.fields())
    out.push_back(f.field + " " + std::string(to_string(f.code)) + " " +
                  std::string(to_string(f.in)));
  return out;
}

boost::json::object parse(std::string_view text) {
  return boost::json::parse(text).as_object();
}

TEST(Validation, FieldCodesAreAClosedListOfDistinctNames) {
  std::set<std::string_view> names;
  for (const auto code : all_field_codes()) names.insert(to_string(code));
  EXPECT_EQ(names.size(), all_field_codes().size());
  EXPECT_EQ(names.size(), 13u);
  EXPECT_TRUE(names.contains("required"));
  EXPECT_TRUE(names.contains("inconsistent"));
}

TEST(Validation, PointersEscapeSlashAndTilde) {
  EXPECT_EQ(json_pointer("price"), "/price");
  EXPECT_EQ(json_pointer("a/b~c"), "/a~1b~0c");
  EXPECT_EQ(json_pointer(std::size_t{3}), "/3");
}

TEST(Validation, ReaderReportsEveryProblemOfABodyAtOnce) {
  const auto body = parse(R"({"name": 7, "age": "old", "extra": 1, "bio": "   "})");
  Problems p;
  JsonReader in(body, p, {"name", "age", "bio", "city"});
  EXPECT_FALSE(in.text("name", Need::required, {1, 10}));
  EXPECT_FALSE(in.integer("age", Need::optional, 0, 120));
  EXPECT_FALSE(in.text("bio", Need::required, {}));
  EXPECT_FALSE(in.choice("city", Need::required, std::vector<std::string_view>{"pune"}));
  EXPECT_EQ(summary(p),
            (std::vector<std::string>{"/extra unknown_field body", "/name invalid_type body",
                                      "/age invalid_type body", "/bio required body",
                                      "/city required body"}));
  const Error e = p.error();
  EXPECT_EQ(e.code, "validation_failed");
  EXPECT_EQ(e.kind, ErrorKind::invalid);
  EXPECT_EQ(e.fields.size(), 5u);
}

TEST(Validation, TextIsTrimmedAndMeasuredInCharacters) {
  Problems p;
  const auto body =
      parse(R"({"a": "  चार घर  ", "b": "ab", "c": "abcdef", "d": "x\ny", "e": "x\ny"})");
  JsonReader in(body, p, {"a", "b", "c", "d", "e"});
  EXPECT_EQ(in.text("a", Need::required, {1, 6}).value(), "चार घर");  // 3 bytes a letter
  EXPECT_FALSE(in.text("b", Need::required, {3, 5}));
  EXPECT_FALSE(in.text("c", Need::required, {3, 5}));
  EXPECT_FALSE(in.text("d", Need::required, {}));  // one line only
  EXPECT_EQ(in.text("e", Need::required, {0, 10, true}).value(), "x\ny");
  EXPECT_EQ(summary(p), (std::vector<std::string>{"/b too_short body", "/c too_long body",
                                                  "/d invalid_value body"}));
}

TEST(Validation, NumbersAreCheckedForTypeAndRange) {
  Problems p;
  const auto body = parse(R"({"a": 5, "b": 50, "c": 2.5, "d": 18446744073709551615, "e": true})");
  JsonReader in(body, p, {"a", "b", "c", "d", "e"});
  EXPECT_EQ(in.integer("a", Need::required, 1, 10).value(), 5);
  EXPECT_FALSE(in.integer("b", Need::required, 1, 10));
  EXPECT_FALSE(in.integer("c", Need::required, 1, 10));
  EXPECT_FALSE(in.integer("d", Need::required, 1, 10));
  EXPECT_TRUE(in.boolean("e", Need::required).value());
  EXPECT_EQ(summary(p), (std::vector<std::string>{"/b out_of_range body", "/c invalid_type body",
                                                  "/d out_of_range body"}));
}

TEST(Validation, NestedReadersAndMergedErrorsKeepFullPointers) {
  const auto body = parse(R"({"windows": [{"day": "mon"}, {"day": "xyz", "colour": 1}]})");
  Problems p;
  JsonReader in(body, p, {"windows"});
  const auto& windows = in.get("windows")->as_array();
  for (std::size_t i = 0; i < windows.size(); ++i) {
    JsonReader w(windows[i].as_object(), p, {"day"}, "/windows" + json_pointer(i));
    static constexpr std::string_view k_days[] = {"mon", "tue"};
    w.choice("day", Need::required, k_days);
  }
  EXPECT_EQ(summary(p), (std::vector<std::string>{"/windows/1/colour unknown_field body",
                                                  "/windows/1/day invalid_value body"}));

  Problems saved(FieldIn::body, "/query");
  saved.merge(Error::field("/price_max", FieldCode::invalid_type, "x", FieldIn::query));
  EXPECT_EQ(summary(saved), (std::vector<std::string>{"/query/price_max invalid_type body"}));
}

TEST(Validation, QueryParametersArePointersInTheQuery) {
  Problems p(FieldIn::query);
  QueryReader q({{"limit", "500"}, {"after", "x"}, {"unread", "yes"}, {"status", "odd"}}, p);
  EXPECT_EQ(q.integer("limit", 20, 1, 100), 20);
  EXPECT_EQ(q.integer("after", 0, 0, 1000), 0);
  EXPECT_EQ(q.integer("absent", 7, 0, 10), 7);
  EXPECT_FALSE(q.boolean("unread", false));
  static constexpr std::string_view k_statuses[] = {"sent", "dead"};
  EXPECT_EQ(q.choice("status", "dead", k_statuses), "dead");
  EXPECT_EQ(summary(p), (std::vector<std::string>{
                            "/limit out_of_range query", "/after invalid_type query",
                            "/unread invalid_type query", "/status invalid_value query"}));
  EXPECT_FALSE(p.result());
}

}  // namespace
}  // namespace griha
