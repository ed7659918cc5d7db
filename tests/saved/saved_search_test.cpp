// The pure rules of saved searches: names, queries checked by the search parser, when an alert
// is due, and the window a sweep looks at.
#include "saved/saved_search.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "core/time.hpp"

namespace griha::saved {
namespace {

constexpr std::int64_t k_now = 1'800'000'000;

TEST(SavedQuery, SplitsAndDecodesLikeABrowser) {
  const auto p = split_query("?city=1&q=sea+view%21&bhk=2&bhk=3&&flag&x=%zz");
  ASSERT_EQ(p.size(), 6u);
  EXPECT_EQ(p[0], (std::pair<std::string, std::string>{"city", "1"}));
  EXPECT_EQ(p[1].second, "sea view!");
  EXPECT_EQ(p[3], (std::pair<std::string, std::string>{"bhk", "3"}));
  EXPECT_EQ(p[4], (std::pair<std::string, std::string>{"flag", ""}));
  EXPECT_EQ(p[5].second, "%zz");  // a malformed escape is kept as it is
}

TEST(SavedQuery, AValidSearchParses) {
  auto q = parse_saved_query("city=1&bhk=2&bhk=3&price_max=15000000&q=sea%20view", k_now);
  ASSERT_TRUE(q) << q.error().fields.at(0).message;
  EXPECT_EQ(q->city_id, 1u);
  EXPECT_EQ(q->bhk.size(), 2u);
  EXPECT_EQ(q->price.max, 15'000'000);
  EXPECT_EQ(q->text, "sea view");
  EXPECT_TRUE(parse_saved_query("", k_now));  // every new listing: a search like any other
}

TEST(SavedQuery, TheParsersErrorsComeBackUnderQuery) {
  struct Case {
    std::string query, field;
    FieldCode code;
  };
  for (const auto& c : std::vector<Case>{
           {"bhk=nine", "/query/bhk", FieldCode::invalid_type},
           {"price_min=20&price_max=10", "/query/price_min", FieldCode::inconsistent},
           {"colour=blue", "/query/colour", FieldCode::unknown_field},
           {"furnishing=palatial", "/query/furnishing", FieldCode::invalid_value},
           {"city=1&city=2", "/query/city", FieldCode::too_many_values},
       }) {
    auto q = parse_saved_query(c.query, k_now);
    ASSERT_FALSE(q) << c.query;
    EXPECT_EQ(q.error().code, "validation_failed");
    ASSERT_FALSE(q.error().fields.empty());
    EXPECT_EQ(q.error().fields[0].field, c.field) << c.query;
    EXPECT_EQ(q.error().fields[0].code, c.code) << c.query;
    EXPECT_EQ(q.error().fields[0].in, FieldIn::body) << c.query;  // a member of the body
  }
}

TEST(SavedQuery, ACursorOrAnOverlongQueryIsRefused) {
  auto cursor = parse_saved_query("city=1&cursor=abc", k_now);
  ASSERT_FALSE(cursor);
  EXPECT_EQ(cursor.error().fields.at(0).field, "/query/cursor");
  auto longer = parse_saved_query("q=" + std::string(k_query_max_bytes, 'a'), k_now);
  ASSERT_FALSE(longer);
  EXPECT_EQ(longer.error().fields.at(0).field, "/query");
}

TEST(SavedSearchName, IsTrimmedAndBounded) {
  EXPECT_EQ(clean_name(boost::json::value("  2 BHK near metro ")).value(), "2 BHK near metro");
  EXPECT_FALSE(clean_name(boost::json::value("   ")));
  EXPECT_FALSE(clean_name(boost::json::value("")));
  EXPECT_FALSE(clean_name(boost::json::value(42)));
  EXPECT_FALSE(clean_name(boost::json::value("tab\tinside")));
  EXPECT_TRUE(clean_name(boost::json::value(std::string(100, 'a'))));
  EXPECT_FALSE(clean_name(boost::json::value(std::string(101, 'a'))));
  // Characters, not bytes: 100 Devanagari letters (3 bytes each) fit.
  std::string hindi;
  for (int i = 0; i < 100; ++i) hindi += "घ";
  EXPECT_TRUE(clean_name(boost::json::value(hindi)));
  EXPECT_FALSE(clean_name(boost::json::value(hindi + "घ")));
  EXPECT_EQ(clean_name(boost::json::value("")).error().fields.at(0).field, "/name");
}

TEST(SavedSearchFrequency, NamesRoundTrip) {
  for (auto f : {Frequency::instant, Frequency::daily, Frequency::weekly, Frequency::off})
    EXPECT_EQ(frequency_from_string(to_string(f)), f);
  EXPECT_FALSE(frequency_from_string("hourly"));
}

TEST(AlertDue, InstantEverySweepDailyAfterADayWeeklyAfterAWeekOffNever) {
  const std::int64_t t = k_now;
  EXPECT_TRUE(is_due(Frequency::instant, t, t));
  EXPECT_FALSE(is_due(Frequency::daily, t, t + k_day_seconds - 1));
  EXPECT_TRUE(is_due(Frequency::daily, t, t + k_day_seconds));
  EXPECT_FALSE(is_due(Frequency::weekly, t, t + k_week_seconds - 1));
  EXPECT_TRUE(is_due(Frequency::weekly, t, t + k_week_seconds));
  EXPECT_FALSE(is_due(Frequency::off, t, t + 365 * k_day_seconds));
}

TEST(AlertDue, TheSqlCutoffsSayTheSame) {
  const auto c = due_cutoffs(k_now);
  for (std::int64_t checked :
       {k_now - k_day_seconds - 1, k_now - k_day_seconds, k_now - k_day_seconds + 1,
        k_now - k_week_seconds - 1, k_now - k_week_seconds, k_now - k_week_seconds + 1}) {
    const std::string iso = iso_utc(static_cast<std::time_t>(checked));
    EXPECT_EQ(iso <= c.daily, is_due(Frequency::daily, checked, k_now)) << iso;
    EXPECT_EQ(iso <= c.weekly, is_due(Frequency::weekly, checked, k_now)) << iso;
  }
}

TEST(AlertWindow, LooksBackFromTheWatermarkButNotBeforeAlertsBegan) {
  const std::int64_t since = k_now - 3600;
  EXPECT_EQ(window_start(since, k_now), k_now - k_lookback_seconds);
  EXPECT_EQ(window_start(since, since + 10), since);
  EXPECT_GT(k_lookback_seconds, 0);
}

TEST(IsoTime, ParsesWhatIsoUtcWrites) {
  EXPECT_EQ(parse_iso_utc(iso_utc(static_cast<std::time_t>(k_now))), k_now);
  EXPECT_FALSE(parse_iso_utc("2026-11-24 03:10:05"));
  EXPECT_FALSE(parse_iso_utc("yesterday"));
}

}  // namespace
}  // namespace griha::saved
