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
    EXPECT_EQ(tokens.verify(t), id);
    // Safe in a query string as it is: base64url and '.'.
    EXPECT_EQ(
        t.find_first_not_of("0123456789.ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"),
        std::string::npos);
  }
}

TEST(UnsubscribeToken, TamperedTokensAreRefused) {
  const UnsubscribeTokens tokens(k_key);
  const std::string t = tokens.sign(42);
  const std::string tag = t.substr(t.find('.') + 1);
  // Another search's signed body with this search's tag: the tag covers the id.
  const std::string other = tokens.sign(43);
  EXPECT_FALSE(tokens.verify(other.substr(0, other.find('.') + 1) + tag));
  // Any character of the body (where the id is) changed.
  for (std::size_t i = 0; i < t.find('.'); ++i) {
    std::string x = t;
    x[i] = x[i] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(tokens.verify(x)) << i;
  }
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
