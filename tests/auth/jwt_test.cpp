// Access-token verification: each RFC 8725 check has a token that only that check refuses.
#include <gtest/gtest.h>
#include <sodium.h>

#include <boost/json.hpp>

#include "auth/jwt.hpp"
#include "core/crypto.hpp"

namespace griha::auth {
namespace {

constexpr std::int64_t k_now = 1'800'000'000;

class JwtTest : public ::testing::Test {
 protected:
  JwtTest() : key_(generate_signing_key()) { keys_.keys.push_back(key_); }

  AccessClaims claims() const { return {42, Role::owner, "sess-1", "jti-1", k_now, 0}; }

  boost::json::object header() const {
    return {{"alg", "EdDSA"}, {"typ", "at+jwt"}, {"kid", key_.kid}};
  }
  boost::json::object payload() const {
    return {{"iss", "griha"},     {"aud", "griha-api"}, {"sub", "42"},     {"iat", k_now},
            {"exp", k_now + 900}, {"jti", "j"},         {"role", "owner"}, {"sid", "s"}};
  }
  // Signs any header and payload with `key`, as an attacker with a key would.
  static std::string sign(const boost::json::object& h, const boost::json::object& p,
                          const SigningKey& key) {
    std::string input = base64url_encode(boost::json::serialize(h)) + "." +
                        base64url_encode(boost::json::serialize(p));
    unsigned char sig[crypto_sign_BYTES];
    crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(input.data()),
                         input.size(), key.secret_key.data());
    return input + "." + base64url_encode(sig);
  }
  Result<AccessClaims> verify(const std::string& token, std::int64_t now = k_now + 1) const {
    return verify_access_token(keys_, policy_, token, now);
  }
  void expect_refused(const std::string& token, std::string_view why) const {
    auto r = verify(token);
    ASSERT_FALSE(r) << "accepted a token that should fail: " << why;
    EXPECT_EQ(r.error().code, "invalid_token");
    EXPECT_EQ(r.error().kind, ErrorKind::unauthenticated);
    EXPECT_EQ(r.error().detail, why);
  }

  SigningKey key_;
  KeySet keys_;
  TokenPolicy policy_{"griha", "griha-api", 900};
};

TEST_F(JwtTest, SignedTokenRoundTrips) {
  const auto token = sign_access_token(keys_, policy_, claims());
  auto c = verify(token);
  ASSERT_TRUE(c) << c.error().detail;
  EXPECT_EQ(c->user_id, 42);
  EXPECT_EQ(c->role, Role::owner);
  EXPECT_EQ(c->session_id, "sess-1");
  EXPECT_EQ(c->expires_at, k_now + 900);
  EXPECT_TRUE(verify(sign(header(), payload(), key_)));
}

TEST_F(JwtTest, ExpiredTokenIsRefused) {
  const auto token = sign_access_token(keys_, policy_, claims());
  EXPECT_TRUE(verify(token, k_now + 899));
  auto r = verify(token, k_now + 900);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().detail, "expired");
}

TEST_F(JwtTest, WrongAudienceIsRefused) {
  auto p = payload();
  p["aud"] = "some-other-api";
  expect_refused(sign(header(), p, key_), "wrong audience");
  p.erase("aud");
  expect_refused(sign(header(), p, key_), "wrong audience");
}

TEST_F(JwtTest, WrongIssuerIsRefused) {
  auto p = payload();
  p["iss"] = "evil";
  expect_refused(sign(header(), p, key_), "wrong issuer");
}

TEST_F(JwtTest, AlgNoneIsRefused) {
  auto h = header();
  h["alg"] = "none";
  const std::string unsigned_token = base64url_encode(boost::json::serialize(h)) + "." +
                                     base64url_encode(boost::json::serialize(payload())) + ".";
  expect_refused(unsigned_token, "algorithm not allowed");
  h["alg"] = "NONE";
  expect_refused(sign(h, payload(), key_), "algorithm not allowed");
}

// The classic switch: HS256 keyed with the server's public key, which anyone can fetch.
TEST_F(JwtTest, AlgorithmSwitchIsRefused) {
  auto h = header();
  h["alg"] = "HS256";
  std::string input = base64url_encode(boost::json::serialize(h)) + "." +
                      base64url_encode(boost::json::serialize(payload()));
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, key_.public_key.data(), key_.public_key.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(input.data()),
                                input.size());
  crypto_auth_hmacsha256_final(&st, mac);
  expect_refused(input + "." + base64url_encode(mac), "algorithm not allowed");
  h["alg"] = "ES256";
  expect_refused(sign(h, payload(), key_), "algorithm not allowed");
}

TEST_F(JwtTest, TamperedSignatureIsRefused) {
  auto token = sign_access_token(keys_, policy_, claims());
  // Flip a bit in the middle of the signature (the last character only holds padding bits).
  auto& c = token[token.size() - 10];
  c = c == 'A' ? 'B' : 'A';
  expect_refused(token, "bad signature");
}

TEST_F(JwtTest, TamperedPayloadIsRefused) {
  const auto token = sign_access_token(keys_, policy_, claims());
  const auto d1 = token.find('.'), d2 = token.rfind('.');
  auto p = payload();
  p["role"] = "admin";
  const std::string forged =
      token.substr(0, d1 + 1) + base64url_encode(boost::json::serialize(p)) + token.substr(d2);
  expect_refused(forged, "bad signature");
}

TEST_F(JwtTest, UnknownKidIsRefused) {
  const SigningKey stranger = generate_signing_key();
  auto h = header();
  h["kid"] = stranger.kid;
  expect_refused(sign(h, payload(), stranger), "unknown kid");
  h.erase("kid");
  expect_refused(sign(h, payload(), key_), "unknown kid");
}

// A key that signs with our kid but is not our key fails on the signature, not the kid.
TEST_F(JwtTest, ForeignKeyUnderOurKidIsRefused) {
  expect_refused(sign(header(), payload(), generate_signing_key()), "bad signature");
}

TEST_F(JwtTest, WrongTypIsRefused) {
  auto h = header();
  h["typ"] = "JWT";  // an id_token or other JWT must not pass as an access token
  expect_refused(sign(h, payload(), key_), "wrong typ");
}

TEST_F(JwtTest, EmbeddedKeysAreRefused) {
  auto h = header();
  h["jwk"] = boost::json::object{{"kty", "OKP"}};
  expect_refused(sign(h, payload(), key_), "unsupported header parameter");
}

TEST_F(JwtTest, UnknownRoleIsRefused) {
  // Signed by us, but naming a role this server does not know (a newer or older release's).
  auto p = payload();
  p["role"] = "root";
  expect_refused(sign(header(), p, key_), "unknown role");
}

TEST_F(JwtTest, LifetimeLongerThanPolicyIsRefused) {
  auto p = payload();
  p["exp"] = k_now + 86400;
  expect_refused(sign(header(), p, key_), "lifetime longer than policy");
}

TEST_F(JwtTest, RotatedOutKeyStillVerifiesWhileInTheSet) {
  const auto old_token = sign_access_token(keys_, policy_, claims());
  KeySet rotated;
  rotated.keys = {generate_signing_key(), key_};
  EXPECT_TRUE(verify_access_token(rotated, policy_, old_token, k_now + 1));
  const auto new_token = sign_access_token(rotated, policy_, claims());
  EXPECT_NE(split_jws(new_token)->header.at("kid").as_string(), key_.kid);
  KeySet dropped;
  dropped.keys = {rotated.keys[0]};
  EXPECT_FALSE(verify_access_token(dropped, policy_, old_token, k_now + 1));
}

TEST_F(JwtTest, JwksPublishesOnlyPublicParts) {
  const auto set = jwks(keys_);
  const auto& k = set.at("keys").as_array().at(0).as_object();
  EXPECT_EQ(k.at("kty").as_string(), "OKP");
  EXPECT_EQ(k.at("crv").as_string(), "Ed25519");
  EXPECT_EQ(k.at("kid").as_string(), key_.kid);
  EXPECT_FALSE(k.contains("d"));
}

TEST(Crypto, Base64UrlRefusesPaddingAndForeignAlphabet) {
  EXPECT_EQ(base64url_decode("aGk").value(), "hi");
  EXPECT_FALSE(base64url_decode("aGk="));
  EXPECT_FALSE(base64url_decode("a+/k"));
  EXPECT_EQ(random_digits(6).size(), 6u);
  EXPECT_NE(random_token(), random_token());
}

}  // namespace
}  // namespace griha::auth
