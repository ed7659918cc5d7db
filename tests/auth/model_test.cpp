// What an email address, an Indian mobile number and a RERA number may look like.
#include <gtest/gtest.h>

#include "auth/model.hpp"
#include "auth/rate_limiter.hpp"

namespace griha::auth {
namespace {

TEST(Model, EmailIsTrimmedAndLowerCased) {
  EXPECT_EQ(normalize_email("  Priya.Sharma@Example.IN ").value(), "priya.sharma@example.in");
  for (const char* bad : {"", "priya", "@example.in", "priya@", "priya@localhost", "a@b@c.in",
                          "pri ya@example.in", "priya@example..in", "x\r\nBcc: y@z.in"})
    EXPECT_FALSE(normalize_email(bad)) << bad;
}

TEST(Model, IndianMobileNumbersAreNormalised) {
  for (const char* ok : {"9876543210", "+91 98765 43210", "098765-43210", "919876543210",
                         "+91-9876543210", "(+91) 98765 43210"})
    EXPECT_EQ(normalize_indian_mobile(ok).value_or("?"), "+919876543210") << ok;
  for (const char* bad : {"5876543210", "987654321", "98765432101", "+1 9876543210",
                          "+919876543210x", "98765 4321a", ""})
    EXPECT_FALSE(normalize_indian_mobile(bad)) << bad;
}

TEST(Model, RolesAndRera) {
  EXPECT_TRUE(is_role("admin"));
  EXPECT_FALSE(is_self_service_role("admin"));
  EXPECT_TRUE(is_self_service_role("agent"));
  EXPECT_FALSE(is_role("root"));
  EXPECT_TRUE(plausible_rera_number("A51800012345"));
  EXPECT_TRUE(plausible_rera_number("RAJ/A/2019/1234"));
  EXPECT_FALSE(plausible_rera_number("<script>"));
}

TEST(RateLimiter, BurstThenWait) {
  RateLimiter limiter(3);  // 3 a minute: one every 20 s
  for (int i = 0; i < 3; ++i) EXPECT_EQ(limiter.take("ip:1", 100.0), 0);
  EXPECT_EQ(limiter.take("ip:1", 100.0), 20);
  EXPECT_EQ(limiter.take("ip:2", 100.0), 0) << "buckets are per key";
  EXPECT_EQ(limiter.take("ip:1", 110.0), 10);
  EXPECT_EQ(limiter.take("ip:1", 120.0), 0);
}

TEST(RevocationList, ForgetsAfterExpiry) {
  RevocationList list;
  list.revoke_session("s1", 1000);
  EXPECT_TRUE(list.revoked("s1", 999));
  EXPECT_FALSE(list.revoked("s2", 999));
  EXPECT_FALSE(list.revoked("s1", 1001));
}

}  // namespace
}  // namespace griha::auth
