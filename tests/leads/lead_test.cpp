// The leads module's pure rules: stage moves, what the seeker sees, CSV cells, Asia/Kolkata
// days, and contact tokens that cannot be forged, altered, moved to another contact or kept.
#include <gtest/gtest.h>

#include "core/crypto.hpp"
#include "core/time.hpp"
#include "leads/contact_token.hpp"
#include "leads/lead.hpp"

namespace griha::leads {
namespace {

TEST(LeadStages, NamesRoundTrip) {
  for (Stage s : all_stages()) EXPECT_EQ(stage_from_string(to_string(s)), s);
  EXPECT_EQ(to_string(Stage::fresh), "new");
  EXPECT_FALSE(stage_from_string("closed"));
  EXPECT_EQ(all_stages().size(), 7u);
}

TEST(LeadStages, OpenLeadsMoveFreelyClosedOnesOnlyForAdmins) {
  EXPECT_TRUE(move_allowed(Stage::fresh, Stage::negotiating, false));
  EXPECT_TRUE(move_allowed(Stage::visited, Stage::contacted, false)) << "backwards is allowed";
  EXPECT_TRUE(move_allowed(Stage::contacted, Stage::lost, false));
  EXPECT_TRUE(move_allowed(Stage::negotiating, Stage::won, false));
  EXPECT_FALSE(move_allowed(Stage::won, Stage::negotiating, false));
  EXPECT_FALSE(move_allowed(Stage::lost, Stage::fresh, false));
  EXPECT_FALSE(move_allowed(Stage::won, Stage::lost, false));
  EXPECT_TRUE(move_allowed(Stage::lost, Stage::lost, false)) << "staying put is no move";
  EXPECT_TRUE(move_allowed(Stage::won, Stage::negotiating, true));
  EXPECT_TRUE(move_allowed(Stage::lost, Stage::contacted, true));
}

TEST(LeadStages, TheSeekerSeesASimpleStatus) {
  EXPECT_EQ(seeker_status(Stage::fresh), "received");
  EXPECT_EQ(seeker_status(Stage::visit_scheduled), "in_progress");
  EXPECT_EQ(seeker_status(Stage::won), "closed");
  EXPECT_EQ(seeker_status(Stage::lost), "closed");
}

TEST(LeadCsv, ARowHasEveryColumnOfTheHeader) {
  Lead l;
  l.id = 7;
  l.listing_id = 3;
  l.listing_title = "2 BHK, Baner";
  l.contact_name = "=cmd|' /C calc'!A0";
  l.contact_phone = "+919812345678";
  l.message = "Is it available?";
  l.preferred_contact_time = "evening";
  const std::string row = lead_csv_row(l);
  EXPECT_NE(row.find("\"2 BHK, Baner\""), std::string::npos);
  EXPECT_NE(row.find(",'=cmd|' /C calc'!A0,"), std::string::npos);
  EXPECT_NE(row.find(",'+919812345678,"), std::string::npos);
  EXPECT_TRUE(row.ends_with("\r\n"));
  const auto commas = [](const std::string& s) { return std::count(s.begin(), s.end(), ','); };
  EXPECT_EQ(commas(leads_csv_header()), commas(row) - 1) << "the title holds one quoted comma";
}

TEST(LeadDays, ADateIsAnAsiaKolkataDay) {
  EXPECT_EQ(day_start_utc("2026-11-24"), "2026-11-23T18:30:00Z");
  EXPECT_EQ(day_start_utc("2026-11-24", 1), "2026-11-24T18:30:00Z");
  EXPECT_EQ(day_start_utc("2026-11-24T03:10:05Z"), "2026-11-24T03:10:05Z");
  EXPECT_FALSE(day_start_utc("2026-02-30"));
  EXPECT_FALSE(day_start_utc("24-11-2026"));
  EXPECT_FALSE(day_start_utc("2026-11-24 03:10:05"));
  EXPECT_EQ(kolkata_day(1795458600), "2026-11-24");      // 2026-11-23T18:30:00Z
  EXPECT_EQ(kolkata_day(1795458600 - 1), "2026-11-23");  // a second before IST midnight
}

TEST(LeadText, Utf8LengthCountsCodePoints) {
  EXPECT_EQ(utf8_length("abc"), 3u);
  EXPECT_EQ(utf8_length("घर"), 2u);
  EXPECT_FALSE(utf8_length("\xff"));
  EXPECT_FALSE(utf8_length("\xe0\xa4"));
}

TEST(ContactToken, RoundTripsTheContactItWasIssuedFor) {
  const ContactTokens tokens("a key of at least sixteen chars");
  const auto t = tokens.issue("phone:+919812345678", 2000);
  const auto v = tokens.verify(t, 1000);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->contact, "phone:+919812345678");
  EXPECT_EQ(v->expires_at, 2000);
}

TEST(ContactToken, ExpiredTokensAreRefused) {
  const ContactTokens tokens("a key of at least sixteen chars");
  const auto t = tokens.issue("email:asha@example.in", 2000);
  EXPECT_TRUE(tokens.verify(t, 1999));
  EXPECT_FALSE(tokens.verify(t, 2000));
}

TEST(ContactToken, AnotherKeysTokensAreRefused) {
  const ContactTokens ours("a key of at least sixteen chars");
  const ContactTokens theirs("another key, also long enough");
  EXPECT_FALSE(ours.verify(theirs.issue("phone:+919812345678", 2000), 1000));
  const ContactTokens random_a(""), random_b("");
  EXPECT_FALSE(random_a.verify(random_b.issue("phone:+919812345678", 2000), 1000));
  EXPECT_TRUE(random_a.verify(random_a.issue("phone:+919812345678", 2000), 1000));
}

TEST(ContactToken, AlteredTokensAreRefused) {
  const ContactTokens tokens("a key of at least sixteen chars");
  const auto t = tokens.issue("phone:+919812345678", 2000);
  // Another number, or a later expiry, under the same signature.
  const auto dot = t.find('.');
  const std::string mac = t.substr(dot);
  const auto body_of = [](const std::string& token) { return token.substr(0, token.find('.')); };
  EXPECT_FALSE(tokens.verify(body_of(tokens.issue("phone:+919800000000", 2000)) + mac, 1000));
  EXPECT_FALSE(tokens.verify(body_of(tokens.issue("phone:+919812345678", 9999)) + mac, 1000));
  std::string flipped = t;
  flipped[dot + 3] = flipped[dot + 3] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(tokens.verify(flipped, 1000));
  EXPECT_FALSE(tokens.verify("", 1000));
  EXPECT_FALSE(tokens.verify("not a token", 1000));
  EXPECT_FALSE(tokens.verify(t.substr(0, dot), 1000));
}

}  // namespace
}  // namespace griha::leads
