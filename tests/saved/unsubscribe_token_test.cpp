// The unsubscribe token: what Griha signed verifies, and nothing else does.
#include "saved/unsubscribe_token.hpp"

#include <gtest/gtest.h>

namespace griha::saved {
namespace {

const std::string k_key = "a key of at least sixteen characters";

TEST(UnsubscribeToken, WhatIsSignedVerifiesToItsId) {
  const UnsubscribeTokens tokens(k_key);
  for (std::int64_t id : {1LL, 42LL, 9'007'199'254'740'993LL}) {
    const auto t = tokens.sign(id);
    EXPECT_TRUE(t.starts_with(std::to_string(id) + ".")) << t;
    EXPECT_EQ(tokens.verify(t), id);
    // Safe in a query string as it is: digits, '.', and base64url.
    EXPECT_EQ(
        t.find_first_not_of("0123456789.ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"),
        std::string::npos);
  }
}

TEST(UnsubscribeToken, TamperedTokensAreRefused) {
  const UnsubscribeTokens tokens(k_key);
  const std::string t = tokens.sign(42);
  const std::string tag = t.substr(t.find('.') + 1);
  // Another search's id with this search's tag: the tag covers the id.
  EXPECT_FALSE(tokens.verify("43." + tag));
  EXPECT_FALSE(tokens.verify("042." + tag));
  // One character of the tag changed.
  std::string flipped = t;
  char& c = flipped[t.find('.') + 10];
  c = c == 'A' ? 'B' : 'A';
  EXPECT_FALSE(tokens.verify(flipped));
  EXPECT_FALSE(tokens.verify(t.substr(0, t.size() - 1)));
  EXPECT_FALSE(tokens.verify(t + "A"));
  for (const char* junk : {"", ".", "42", "42.", ".abc", "-1.", "abc.def", "42.!!!!"})
    EXPECT_FALSE(tokens.verify(junk)) << junk;
}

TEST(UnsubscribeToken, OnlyTheSameKeyVerifies) {
  const UnsubscribeTokens a(k_key), same(k_key), other("another key, also long enough");
  EXPECT_EQ(same.verify(a.sign(7)), 7);
  EXPECT_FALSE(other.verify(a.sign(7)));
  // No configured key: a random one per process, so two are never alike.
  const UnsubscribeTokens r1(""), r2("");
  EXPECT_EQ(r1.verify(r1.sign(7)), 7);
  EXPECT_FALSE(r2.verify(r1.sign(7)));
}

}  // namespace
}  // namespace griha::saved
