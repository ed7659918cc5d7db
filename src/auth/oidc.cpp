#include "auth/oidc.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <sodium.h>

#include <boost/json.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <boost/url/url.hpp>
#include <memory>

#include "core/crypto.hpp"
#include "core/http_client.hpp"

namespace griha::auth {
namespace {

Error provider_error(std::string detail) {
  return Error::make(ErrorKind::unauthenticated, "oidc_failed",
                     "Sign-in with the identity provider failed.", std::move(detail));
}

std::string str(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

std::string form_encode(std::string_view s) {
  return boost::urls::encode(s, boost::urls::unreserved_chars);
}

Result<boost::json::object> fetch_json(const HttpCall& call) {
  auto res = http_call(call);
  if (!res) return res.error();
  if (res->status != 200)
    return provider_error(call.url + " answered " + std::to_string(res->status) + ": " +
                          res->body.substr(0, 300));
  boost::system::error_code ec;
  auto v = boost::json::parse(res->body, ec);
  if (ec || !v.is_object()) return provider_error(call.url + " did not answer a JSON object");
  return std::move(v.as_object());
}

using PkeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using BnPtr = std::unique_ptr<BIGNUM, decltype(&BN_free)>;

BnPtr bn(const std::string& bytes) {
  return BnPtr(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()),
                         static_cast<int>(bytes.size()), nullptr),
               BN_free);
}

PkeyPtr pkey_from(const char* type, OSSL_PARAM* params) {
  EVP_PKEY* key = nullptr;
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(
      EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr), EVP_PKEY_CTX_free);
  if (ctx && EVP_PKEY_fromdata_init(ctx.get()) == 1)
    EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params);
  return PkeyPtr(key, EVP_PKEY_free);
}

PkeyPtr rsa_key(const std::string& n, const std::string& e) {
  auto bn_n = bn(n), bn_e = bn(e);
  std::unique_ptr<OSSL_PARAM_BLD, decltype(&OSSL_PARAM_BLD_free)> b(OSSL_PARAM_BLD_new(),
                                                                    OSSL_PARAM_BLD_free);
  OSSL_PARAM_BLD_push_BN(b.get(), OSSL_PKEY_PARAM_RSA_N, bn_n.get());
  OSSL_PARAM_BLD_push_BN(b.get(), OSSL_PKEY_PARAM_RSA_E, bn_e.get());
  std::unique_ptr<OSSL_PARAM, decltype(&OSSL_PARAM_free)> params(OSSL_PARAM_BLD_to_param(b.get()),
                                                                 OSSL_PARAM_free);
  return pkey_from("RSA", params.get());
}

PkeyPtr p256_key(const std::string& x, const std::string& y) {
  std::string point = "\x04" + x + y;  // uncompressed SEC1 point
  std::unique_ptr<OSSL_PARAM_BLD, decltype(&OSSL_PARAM_BLD_free)> b(OSSL_PARAM_BLD_new(),
                                                                    OSSL_PARAM_BLD_free);
  OSSL_PARAM_BLD_push_utf8_string(b.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0);
  OSSL_PARAM_BLD_push_octet_string(b.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size());
  std::unique_ptr<OSSL_PARAM, decltype(&OSSL_PARAM_free)> params(OSSL_PARAM_BLD_to_param(b.get()),
                                                                 OSSL_PARAM_free);
  return pkey_from("EC", params.get());
}

bool verify_sha256(EVP_PKEY* key, const std::string& input, const std::string& sig) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> md(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  return md && EVP_DigestVerifyInit(md.get(), nullptr, EVP_sha256(), nullptr, key) == 1 &&
         EVP_DigestVerify(md.get(), reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                          reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1;
}

// JWS carries ES256 signatures as r||s; OpenSSL wants DER.
std::optional<std::string> es256_der(const std::string& raw) {
  if (raw.size() != 64) return std::nullopt;
  std::unique_ptr<ECDSA_SIG, decltype(&ECDSA_SIG_free)> sig(ECDSA_SIG_new(), ECDSA_SIG_free);
  auto r = bn(raw.substr(0, 32)), s = bn(raw.substr(32));
  if (!sig || ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1) return std::nullopt;
  (void)r.release();
  (void)s.release();
  unsigned char* der = nullptr;
  const int len = i2d_ECDSA_SIG(sig.get(), &der);
  if (len <= 0) return std::nullopt;
  std::string out(reinterpret_cast<char*>(der), static_cast<std::size_t>(len));
  OPENSSL_free(der);
  return out;
}

}  // namespace

std::string pkce_challenge(const std::string& verifier) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(verifier.data()),
                     verifier.size());
  return base64url_encode(digest);
}

Result<void> verify_with_jwk(const JwsParts& jws, const boost::json::object& jwk) {
  const std::string kty = str(jwk, "kty");
  const std::string alg = str(jws.header, "alg");
  const std::string key_alg = str(jwk, "alg");
  auto part = [&](std::string_view k) { return base64url_decode(str(jwk, k)); };
  const std::string want = kty == "RSA"   ? "RS256"
                           : kty == "EC"  ? "ES256"
                           : kty == "OKP" ? "EdDSA"
                                          : "";
  // The key decides the algorithm; a token naming another one (or "none") is refused.
  if (want.empty() || alg != want || (!key_alg.empty() && key_alg != want))
    return provider_error("algorithm " + alg + " does not match key type " + kty);
  bool ok = false;
  if (kty == "RSA") {
    auto n = part("n"), e = part("e");
    if (!n || !e || n->size() < 256) return provider_error("bad or short RSA key");
    auto key = rsa_key(*n, *e);
    ok = key && verify_sha256(key.get(), jws.signing_input, jws.signature);
  } else if (kty == "EC") {
    auto x = part("x"), y = part("y");
    if (str(jwk, "crv") != "P-256" || !x || !y || x->size() != 32 || y->size() != 32)
      return provider_error("bad EC key");
    auto key = p256_key(*x, *y);
    auto der = es256_der(jws.signature);
    ok = key && der && verify_sha256(key.get(), jws.signing_input, *der);
  } else {
    auto x = part("x");
    if (str(jwk, "crv") != "Ed25519" || !x || x->size() != 32) return provider_error("bad OKP key");
    ok = jws.signature.size() == crypto_sign_BYTES &&
         crypto_sign_verify_detached(
             reinterpret_cast<const unsigned char*>(jws.signature.data()),
             reinterpret_cast<const unsigned char*>(jws.signing_input.data()),
             jws.signing_input.size(), reinterpret_cast<const unsigned char*>(x->data())) == 0;
  }
  if (!ok) return provider_error("id_token signature does not verify");
  return {};
}

OidcClient::OidcClient(OidcOptions options) : options_(std::move(options)) {}

Result<boost::json::object> OidcClient::discovery() {
  std::lock_guard lock(mu_);
  if (discovery_) return *discovery_;
  std::string url = options_.issuer;
  if (url.ends_with('/')) url.pop_back();
  auto doc = fetch_json({.url = url + "/.well-known/openid-configuration"});
  if (!doc) return doc.error();
  // OIDC Discovery 4.3: the document must be about the issuer we were configured with.
  if (str(*doc, "issuer") != options_.issuer)
    return provider_error("discovery issuer " + str(*doc, "issuer") + " is not " + options_.issuer);
  if (str(*doc, "authorization_endpoint").empty() || str(*doc, "token_endpoint").empty() ||
      str(*doc, "jwks_uri").empty())
    return provider_error("discovery document lacks endpoints");
  discovery_ = std::move(*doc);
  return *discovery_;
}

Result<boost::json::object> OidcClient::provider_keys(bool refetch) {
  auto doc = discovery();
  if (!doc) return doc.error();
  std::lock_guard lock(mu_);
  if (jwks_ && !refetch) return *jwks_;
  auto keys = fetch_json({.url = str(*doc, "jwks_uri")});
  if (!keys) return keys.error();
  jwks_ = std::move(*keys);
  return *jwks_;
}

Result<std::string> OidcClient::authorization_url(const std::string& state,
                                                  const std::string& nonce,
                                                  const std::string& code_challenge) {
  auto doc = discovery();
  if (!doc) return doc.error();
  boost::urls::url u(str(*doc, "authorization_endpoint"));
  auto ps = u.params();
  ps.append({"response_type", "code"});
  ps.append({"client_id", options_.client_id});
  ps.append({"redirect_uri", options_.redirect_uri});
  ps.append({"scope", options_.scopes});
  ps.append({"state", state});
  ps.append({"nonce", nonce});
  ps.append({"code_challenge", code_challenge});
  ps.append({"code_challenge_method", "S256"});
  return std::string(u.buffer());
}

Result<OidcIdentity> OidcClient::redeem(const std::string& code, const std::string& code_verifier,
                                        const std::string& nonce, std::int64_t now) {
  auto doc = discovery();
  if (!doc) return doc.error();
  HttpCall call;
  call.method = "POST";
  call.url = str(*doc, "token_endpoint");
  call.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                  {"Accept", "application/json"}};
  call.body = "grant_type=authorization_code&code=" + form_encode(code) +
              "&redirect_uri=" + form_encode(options_.redirect_uri) +
              "&client_id=" + form_encode(options_.client_id) +
              "&client_secret=" + form_encode(options_.client_secret) +
              "&code_verifier=" + form_encode(code_verifier);
  auto tokens = fetch_json(call);
  if (!tokens) return tokens.error();
  const std::string id_token = str(*tokens, "id_token");
  if (id_token.empty()) return provider_error("token response has no id_token");
  return check_id_token(id_token, nonce, now);
}

Result<OidcIdentity> OidcClient::check_id_token(const std::string& id_token,
                                                const std::string& nonce, std::int64_t now) {
  auto jws = split_jws(id_token);
  if (!jws) return provider_error("id_token is not a JWS");
  const std::string kid = str(jws->header, "kid");
  // An unknown kid may be a key the provider has just rotated in: fetch its JWKS once more.
  for (bool refetch : {false, true}) {
    auto keys = provider_keys(refetch);
    if (!keys) return keys.error();
    const auto* list = keys->if_contains("keys");
    if (!list || !list->is_array()) return provider_error("JWKS has no keys");
    const boost::json::object* match = nullptr;
    for (const auto& k : list->as_array()) {
      if (!k.is_object()) continue;
      const auto& o = k.as_object();
      const std::string use = str(o, "use");
      if (!use.empty() && use != "sig") continue;
      if (!kid.empty() && str(o, "kid") != kid) continue;
      if (kid.empty() && match)
        return provider_error("id_token has no kid and JWKS has several keys");
      match = &o;
    }
    if (!match) continue;
    if (auto ok = verify_with_jwk(*jws, *match); !ok) return ok.error();

    const auto& c = jws->payload;
    if (str(c, "iss") != options_.issuer) return provider_error("id_token issuer mismatch");
    const auto* aud = c.if_contains("aud");
    bool aud_ok = false;
    std::size_t audiences = 0;
    if (aud && aud->is_string()) {
      audiences = 1;
      aud_ok = aud->as_string() == options_.client_id;
    } else if (aud && aud->is_array()) {
      audiences = aud->as_array().size();
      for (const auto& a : aud->as_array())
        if (a.is_string() && a.as_string() == options_.client_id) aud_ok = true;
    }
    if (!aud_ok) return provider_error("id_token audience mismatch");
    if ((audiences > 1 || c.contains("azp")) && str(c, "azp") != options_.client_id)
      return provider_error("id_token azp mismatch");
    const auto* exp = c.if_contains("exp");
    const auto* iat = c.if_contains("iat");
    if (!exp || !exp->is_number() || !iat || !iat->is_number())
      return provider_error("id_token lacks exp or iat");
    if (now >= exp->to_number<std::int64_t>()) return provider_error("id_token expired");
    if (iat->to_number<std::int64_t>() > now + 60)
      return provider_error("id_token from the future");
    if (!constant_time_equal(str(c, "nonce"), nonce)) return provider_error("nonce mismatch");
    OidcIdentity who;
    who.issuer = options_.issuer;
    who.subject = str(c, "sub");
    if (who.subject.empty()) return provider_error("id_token has no sub");
    if (auto e = str(c, "email"); !e.empty()) who.email = e;
    const auto* verified = c.if_contains("email_verified");
    who.email_verified = verified && verified->is_bool() && verified->as_bool();
    who.name = str(c, "name");
    return who;
  }
  return provider_error("no provider key with kid " + kid);
}

}  // namespace griha::auth
