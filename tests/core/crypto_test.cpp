// Core crypto: random values, encodings, hashing, and the one signed-token scheme.
#include "core/crypto.hpp"

#include <gtest/gtest.h>

#include <set>

namespace griha {
namespace {

TEST(Crypto, RandomValuesHaveTheirShapeAndDiffer) {
  EXPECT_EQ(random_hex(16).size(), 32u);
  EXPECT_EQ(random_hex(16).find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(random_token(32).size(), 43u);
  const auto code = random_digits(6);
  EXPECT_EQ(code.size(), 6u);
  EXPECT_EQ(code.find_first_not_of("0123456789"), std::string::npos);
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) seen.insert(random_token(16));
  EXPECT_EQ(seen.size(), 50u);
  for (int i = 0; i < 100; ++i) EXPECT_LT(random_below(7), 7u);
}

TEST(Crypto, Base64UrlRoundTripsAndIsStrict) {
  for (const std::string& s :
       std::vector<std::string>{"", "f", "fo", "foo", "foob", std::string("\xff\xfe\x00\x01", 4)})
    EXPECT_EQ(base64url_decode(base64url_encode(s)), s);
  EXPECT_EQ(base64url_encode(std::string("\xfb\xff", 2)), "-_8");
  EXPECT_FALSE(base64url_decode("+/8"));
  EXPECT_FALSE(base64url_decode("Zm9v="));
  EXPECT_FALSE(base64url_decode("Zm 9v"));
  EXPECT_EQ(base64_encode("hello?>"), "aGVsbG8/Pg==");
}

TEST(Crypto, Sha256AndConstantTimeCompare) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_TRUE(constant_time_equal("same", "same"));
  EXPECT_FALSE(constant_time_equal("same", "sane"));
  EXPECT_FALSE(constant_time_equal("same", "same "));
}

TEST(SignedTokens, WhatIsSignedVerifiesWithItsPayloadAndExpiry) {
  const SignedTokens t("test.purpose", "a secret of some length");
  const auto token = t.sign("payload \x01\x02", 2000);
  EXPECT_EQ(
      token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_."),
      std::string::npos)
      << "safe in a URL as it is";
  const auto v = t.verify(token, 1999);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->payload, "payload \x01\x02");
  EXPECT_EQ(v->expires_at, 2000);
  EXPECT_FALSE(t.verify(token, 2000)) << "expired at its expiry";
  const auto forever = t.sign("x");
  EXPECT_TRUE(t.verify(forever, 4'000'000'000)) << "0 never expires";
  EXPECT_EQ(token.size(), SignedTokens::token_chars(10));
}

TEST(SignedTokens, AlteredTokensAreRefused) {
  const SignedTokens t("test.purpose", "a secret of some length");
  const auto token = t.sign("abc", 2000);
  const auto dot = token.find('.');
  for (std::size_t i = 0; i < token.size(); ++i) {
    if (i == dot) continue;
    std::string x = token;
    x[i] = x[i] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(t.verify(x, 1000)) << i;
  }
  // Another payload or a later expiry under this tag.
  const std::string tag = token.substr(dot);
  EXPECT_FALSE(t.verify(t.sign("abd", 2000).substr(0, dot) + tag, 1000));
  EXPECT_FALSE(t.verify(t.sign("abc", 9999).substr(0, dot) + tag, 1000));
  for (const char* junk : {"", ".", "abc", "abc.", ".abc", "!!!.!!!"})
    EXPECT_FALSE(t.verify(junk, 1000)) << junk;
  EXPECT_FALSE(t.verify(token, 1000, token.size() - 1)) << "longer than allowed";
}

TEST(SignedTokens, PurposeAndKeySeparateTokens) {
  const SignedTokens cursor("search.cursor", "one shared secret"),
      contact("leads.contact", "one shared secret");
  EXPECT_FALSE(contact.verify(cursor.sign("x"), 0)) << "same secret, other purpose";
  const SignedTokens other("search.cursor", "another secret");
  EXPECT_FALSE(other.verify(cursor.sign("x"), 0));
  const SignedTokens same("search.cursor", "one shared secret");
  EXPECT_TRUE(same.verify(cursor.sign("x"), 0)) << "the same on every node";
  const SignedTokens r1("p", ""), r2("p", "");
  EXPECT_TRUE(r1.verify(r1.sign("x"), 0));
  EXPECT_FALSE(r2.verify(r1.sign("x"), 0)) << "no secret: random per process";
}

TEST(SignedTokens, OldKeysKeepVerifyingAfterRotation) {
  const SignedTokens before("p", std::vector<std::string>{"old secret"});
  const SignedTokens after("p", std::vector<std::string>{"new secret", "old secret"});
  const auto old_token = before.sign("x");
  EXPECT_TRUE(after.verify(old_token, 0));
  EXPECT_FALSE(before.verify(after.sign("x"), 0)) << "the first secret signs";
  EXPECT_TRUE(after.verify(after.sign("x"), 0));
}

}  // namespace
}  // namespace griha
