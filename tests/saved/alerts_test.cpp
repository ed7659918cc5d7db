// The alert email on its own: prices as Indian listings quote them, the unsubscribe headers
// and link, at most ten listings with a count of the rest, and escaping in the HTML part.
#include "saved/alerts.hpp"

#include <gtest/gtest.h>

#include "listings/gazetteer.hpp"

namespace griha::saved {
namespace {

TEST(AlertPrice, QuotesCroresLakhsAndRents) {
  EXPECT_EQ(format_price(18'500'000, false), "₹1.85 Cr");
  EXPECT_EQ(format_price(20'000'000, false), "₹2 Cr");
  EXPECT_EQ(format_price(4'500'000, false), "₹45 L");
  EXPECT_EQ(format_price(1'250'000, false), "₹12.5 L");
  EXPECT_EQ(format_price(45'000, true), "₹45,000/month");
  EXPECT_EQ(format_price(999, false), "₹999");
}

class AlertEmail : public ::testing::Test {
 protected:
  void SetUp() override {
    gazetteer_ = std::make_unique<listings::Gazetteer>(listings::Gazetteer::load().value());
    const auto* city = gazetteer_->city_by_name_or_slug("Mumbai");
    ASSERT_NE(city, nullptr);
    city_id_ = static_cast<std::uint32_t>(city->id);
    search_.id = 77;
    search_.name = "2 BHK <near> the \"sea\" & metro";
    search_.frequency = Frequency::instant;
    options_.public_url = "https://griha.example.in";
  }

  std::vector<AlertListing> listings(int n) {
    std::vector<AlertListing> out;
    for (int i = 0; i < n; ++i) {
      AlertListing l;
      l.id = 1000 + i;
      l.title = "Flat number " + std::to_string(i) + " <b>";
      l.price = 18'500'000;
      l.bhk = 2;
      l.area_sqft = 750;
      l.city_id = city_id_;
      out.push_back(l);
    }
    return out;
  }

  std::unique_ptr<listings::Gazetteer> gazetteer_;
  std::uint32_t city_id_ = 0;
  SavedSearch search_;
  AlertOptions options_;
  UnsubscribeTokens tokens_{"a key of at least sixteen characters"};
};

TEST_F(AlertEmail, CarriesOneClickUnsubscribeHeadersAndLink) {
  const auto fresh = listings(1);
  auto m = alert_email(search_, "seeker@example.in", fresh, *gazetteer_, tokens_, options_);
  ASSERT_TRUE(m) << m.error().detail;
  EXPECT_EQ(m->kind, "saved_search.alert");
  EXPECT_EQ(m->to, "seeker@example.in");
  EXPECT_EQ(m->cancel_key, "saved_search:77");
  std::string list_unsubscribe, list_unsubscribe_post;
  for (const auto& [k, v] : m->headers) {
    if (k == "List-Unsubscribe") list_unsubscribe = v;
    if (k == "List-Unsubscribe-Post") list_unsubscribe_post = v;
  }
  EXPECT_EQ(list_unsubscribe_post, "List-Unsubscribe=One-Click");
  const std::string prefix = "<https://griha.example.in/api/v1/saved-searches/unsubscribe?token=";
  ASSERT_TRUE(list_unsubscribe.starts_with(prefix)) << list_unsubscribe;
  ASSERT_TRUE(list_unsubscribe.ends_with(">"));
  const std::string token =
      list_unsubscribe.substr(prefix.size(), list_unsubscribe.size() - prefix.size() - 1);
  EXPECT_EQ(tokens_.verify(token), 77);
  // The same link in both bodies, for people whose mail client shows no button.
  const std::string url = list_unsubscribe.substr(1, list_unsubscribe.size() - 2);
  EXPECT_NE(m->text.find(url), std::string::npos);
  EXPECT_NE(m->html.find("unsubscribe?token=" + token), std::string::npos);
  EXPECT_NE(m->text.find("https://griha.example.in/listings/1000"), std::string::npos);
  EXPECT_NE(m->text.find("₹1.85 Cr"), std::string::npos);
  EXPECT_NE(m->text.find("Mumbai"), std::string::npos);
  EXPECT_NE(m->subject.find("1 new listing"), std::string::npos);
}

TEST_F(AlertEmail, ShowsTenListingsAndCountsTheRest) {
  const auto fresh = listings(12);
  auto m = alert_email(search_, "seeker@example.in", fresh, *gazetteer_, tokens_, options_);
  ASSERT_TRUE(m) << m.error().detail;
  EXPECT_NE(m->subject.find("12 new listings"), std::string::npos);
  for (int i = 0; i < 12; ++i) {
    const bool shown = m->text.find("/listings/" + std::to_string(1000 + i)) != std::string::npos;
    EXPECT_EQ(shown, i < 10) << i;
  }
  EXPECT_NE(m->text.find("and 2 more"), std::string::npos);
  auto few = alert_email(search_, "seeker@example.in", listings(3), *gazetteer_, tokens_, options_);
  ASSERT_TRUE(few);
  EXPECT_EQ(few->text.find("more."), std::string::npos);
}

TEST_F(AlertEmail, EscapesWhatUsersWroteInTheHtmlPart) {
  auto m = alert_email(search_, "seeker@example.in", listings(1), *gazetteer_, tokens_, options_);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->html.find("<near>"), std::string::npos);
  EXPECT_EQ(m->html.find("<b>"), std::string::npos);
  EXPECT_NE(m->html.find("&lt;near&gt;"), std::string::npos);
  EXPECT_NE(m->html.find("&quot;sea&quot; &amp; metro"), std::string::npos);
  // Plain text is not markup: the name as written.
  EXPECT_NE(m->text.find(search_.name), std::string::npos);
}

}  // namespace
}  // namespace griha::saved
