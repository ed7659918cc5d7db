// Password hashing and policy: Argon2id at the configured cost, 12..128 characters, and the
// shipped common-password list.
#include <gtest/gtest.h>

#include "auth/password.hpp"

namespace griha::auth {
namespace {

TEST(Password, HashesWithArgon2idAndVerifies) {
  PasswordHasher h(19 * 1024, 2);
  const auto stored = h.hash("a long enough passphrase");
  EXPECT_TRUE(stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$")) << stored;
  EXPECT_TRUE(h.verify(stored, "a long enough passphrase"));
  EXPECT_FALSE(h.verify(stored, "a long enough passphrasE"));
  EXPECT_FALSE(h.needs_rehash(stored));
}

TEST(Password, OlderParametersNeedARehash) {
  PasswordHasher cheap(19 * 1024, 2), current(19 * 1024, 3);
  const auto stored = cheap.hash("a long enough passphrase");
  EXPECT_TRUE(current.needs_rehash(stored));
  EXPECT_TRUE(current.verify(stored, "a long enough passphrase"));
}

TEST(Password, PolicyCountsCharactersNotBytes) {
  EXPECT_EQ(check_password_policy("short")->code, FieldCode::too_short);
  EXPECT_EQ(check_password_policy("elevenchars")->code, FieldCode::too_short);
  EXPECT_FALSE(check_password_policy("twelve chars"));
  // 12 Devanagari letters are 36 bytes but 12 characters: allowed.
  EXPECT_FALSE(check_password_policy("गृहगृहगृहगृह"));
  EXPECT_FALSE(check_password_policy("q7" + std::string(126, 'x')));
  EXPECT_EQ(check_password_policy(std::string(129, 'y'))->code, FieldCode::too_long);
}

TEST(Password, CommonPasswordsAreRefused) {
  for (const char* p : {"password1234", "Password@123", "qwertyuiop123", "123456789012",
                        "iloveyou1234", "PASSWORDPASSWORD"}) {
    auto f = check_password_policy(p);
    ASSERT_TRUE(f) << p;
    EXPECT_EQ(f->code, FieldCode::invalid_value) << p;
  }
  EXPECT_FALSE(is_common_password("mango tree near the well"));
}

}  // namespace
}  // namespace griha::auth
