// The verification-code rules (issue, verify, TTL, tries, resend wait, daily cap), written once
// and run on SQLite (verification_codes_test.cpp) and PostgreSQL (verification_codes_pgtest.cpp).
#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "core/verification_codes.hpp"
#include "support/storage_support.hpp"

namespace griha {

class VerificationCodesContract : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    scratch_ = test::scratch_database(GetParam());
    db_ = test::open_migrated(*scratch_);
  }

  Result<std::string> issue(const VerificationCodes& codes, const std::string& subject) {
    auto tx = db_->begin();
    if (!tx) return tx.error();
    auto code = codes.issue(*tx, subject, now_);
    if (code) tx->commit().value();
    return code;
  }
  VerificationCodes::Check check(const VerificationCodes& codes, const std::string& subject,
                                 const std::string& code) {
    auto tx = db_->begin().value();
    auto c = codes.verify(tx, subject, code, now_).value();
    tx.commit().value();
    return c;
  }
  std::int64_t count(const std::string& sql) {
    const storage::Query q{"test.count", sql};
    return db_->exec(q).value().rows.at(0).i64(0);
  }

  std::unique_ptr<test::ScratchDatabase> scratch_;
  std::unique_ptr<storage::Database> db_;
  std::time_t now_ = 1'800'000'000;
  VerificationCodes otp_{{"test.otp", "otp", 60, 3}};
  using Check = VerificationCodes::Check;
};

TEST_P(VerificationCodesContract, ACodeWorksOnceAndIsStoredHashed) {
  const auto code = issue(otp_, "+919812345678").value();
  ASSERT_EQ(code.size(), static_cast<std::size_t>(k_code_digits));
  EXPECT_EQ(code.find_first_not_of("0123456789"), std::string::npos);
  EXPECT_EQ(count("SELECT COUNT(*) FROM verification_codes WHERE code_hash LIKE '%" + code + "%'"),
            0);
  EXPECT_EQ(check(otp_, "+919812345678", code), Check::accepted);
  EXPECT_EQ(check(otp_, "+919812345678", code), Check::rejected) << "a code works once";
}

TEST_P(VerificationCodesContract, ACodeIsBoundToItsSubjectAndPurpose) {
  const auto code = issue(otp_, "+919812345678").value();
  EXPECT_EQ(check(otp_, "+919812345679", code), Check::rejected);
  const VerificationCodes other({"test.other", "code", 60, 3});
  EXPECT_EQ(check(other, "+919812345678", code), Check::rejected);
  EXPECT_EQ(check(otp_, "+919812345678", code), Check::accepted);
}

TEST_P(VerificationCodesContract, ACodeExpires) {
  const auto code = issue(otp_, "a").value();
  now_ += k_code_ttl_seconds;
  EXPECT_EQ(check(otp_, "a", code), Check::rejected);
  now_ += otp_.policy().resend_seconds;
  const auto fresh = issue(otp_, "a").value();
  now_ += k_code_ttl_seconds - 1;
  EXPECT_EQ(check(otp_, "a", fresh), Check::accepted) << "valid until its last second";
}

TEST_P(VerificationCodesContract, WrongTriesBurnTheCode) {
  const auto code = issue(otp_, "a").value();
  const std::string wrong = code == "000000" ? "111111" : "000000";
  for (int i = 0; i < k_code_max_attempts; ++i) EXPECT_EQ(check(otp_, "a", wrong), Check::rejected);
  EXPECT_EQ(check(otp_, "a", code), Check::rejected) << "too many wrong tries burn the code";
  EXPECT_EQ(count("SELECT COUNT(*) FROM verification_codes"), 0);
  // Malformed codes are refused without a lookup.
  for (const char* junk : {"", "12345", "1234567", "12345a"})
    EXPECT_EQ(check(otp_, "a", junk), Check::rejected) << junk;
}

TEST_P(VerificationCodesContract, FourWrongTriesStillLeaveTheRightOne) {
  const auto code = issue(otp_, "a").value();
  const std::string wrong = code == "000000" ? "111111" : "000000";
  for (int i = 0; i + 1 < k_code_max_attempts; ++i) check(otp_, "a", wrong);
  EXPECT_EQ(check(otp_, "a", code), Check::accepted);
}

TEST_P(VerificationCodesContract, ResendWaitsAndReplacesTheOldCode) {
  const auto first = issue(otp_, "a").value();
  auto again = issue(otp_, "a");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, "otp_resend_throttled");
  EXPECT_EQ(again.error().kind, ErrorKind::rate_limited);
  EXPECT_EQ(again.error().retry_after_seconds, 60);
  now_ += 60;
  const auto second = issue(otp_, "a").value();
  if (second != first) EXPECT_EQ(check(otp_, "a", first), Check::rejected) << "replaced";
  EXPECT_EQ(check(otp_, "a", second), Check::accepted);
}

TEST_P(VerificationCodesContract, TheDailyCapRollsOverTwentyFourHours) {
  const std::time_t start = now_;
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(issue(otp_, "a"));
    now_ += 60;
  }
  auto capped = issue(otp_, "a");
  ASSERT_FALSE(capped);
  EXPECT_EQ(capped.error().code, "otp_daily_cap");
  EXPECT_EQ(capped.error().retry_after_seconds, start + k_code_cap_window_seconds - now_);
  EXPECT_TRUE(issue(otp_, "b")) << "each subject has its own count";
  const VerificationCodes other({"test.other", "code", 60, 3});
  EXPECT_TRUE(issue(other, "a")) << "and each purpose";
  now_ = start + k_code_cap_window_seconds;
  EXPECT_TRUE(issue(otp_, "a")) << "the first send left the window";
  auto again = issue(otp_, "a");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, "otp_daily_cap") << "the cap is checked before the throttle";
  EXPECT_EQ(again.error().retry_after_seconds, 60);
}

TEST_P(VerificationCodesContract, ARolledBackIssueSendsAndCountsNothing) {
  for (int i = 0; i < 5; ++i) {
    auto tx = db_->begin().value();
    ASSERT_TRUE(otp_.issue(tx, "a", now_));
  }  // rolled back
  EXPECT_EQ(count("SELECT COUNT(*) FROM verification_sends"), 0);
  EXPECT_TRUE(issue(otp_, "a"));
}

TEST_P(VerificationCodesContract, PurgeDropsExpiredCodesAndOldSends) {
  ASSERT_TRUE(issue(otp_, "a"));
  now_ += k_code_ttl_seconds;
  ASSERT_TRUE(issue(otp_, "b"));
  ASSERT_TRUE(VerificationCodes::purge(*db_, now_));
  EXPECT_EQ(count("SELECT COUNT(*) FROM verification_codes"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM verification_sends"), 2);
  ASSERT_TRUE(VerificationCodes::purge(*db_, now_ + k_code_cap_window_seconds));
  EXPECT_EQ(count("SELECT COUNT(*) FROM verification_codes"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM verification_sends"), 0);
}

}  // namespace griha
