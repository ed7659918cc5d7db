#include "app/idempotency.hpp"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <exception>

#include "storage/database.hpp"
#include "storage/executor.hpp"

namespace griha::app {
namespace {

using storage::params;
using storage::Query;

constexpr std::time_t k_key_lifetime_seconds = 24 * 3600;
constexpr std::size_t k_max_key_length = 255;
constexpr std::size_t k_max_kept_body = 256 * 1024;  // larger answers are not replayable
// A key still "started" this long after its request began belongs to a request that died
// (a crash mid-request): the next request with it may take it over.
constexpr std::time_t k_abandoned_after_seconds = 60;

constexpr Query k_claim{"idempotency_claim", R"(
INSERT INTO idempotency_keys (scope, idem_key, request_hash, state, created_at, expires_at)
VALUES ($1, $2, $3, 'started', $4, $5) ON CONFLICT (scope, idem_key) DO NOTHING)"};
constexpr Query k_get{"idempotency_get", R"(
SELECT request_hash, state, status, content_type, body, expires_at, created_at
FROM idempotency_keys WHERE scope = $1 AND idem_key = $2)"};
constexpr Query k_take_over{"idempotency_take_over", R"(
UPDATE idempotency_keys SET request_hash = $3, created_at = $4
WHERE scope = $1 AND idem_key = $2 AND state = 'started' AND created_at <= $5)"};
// A claim is known by its created_at: a take-over needs the claim to be a minute old and
// stamps it anew, so two claims on one key never share one. Finishing and letting go act only
// on our own claim, never on the one that took ours over, nor on an answer stored already.
constexpr Query k_finish{"idempotency_finish", R"(
UPDATE idempotency_keys SET state = 'done', status = $3, content_type = $4, body = $5
WHERE scope = $1 AND idem_key = $2 AND state = 'started' AND created_at = $6)"};
constexpr Query k_forget{"idempotency_forget", R"(
DELETE FROM idempotency_keys
WHERE scope = $1 AND idem_key = $2 AND state = 'started' AND created_at = $3)"};
constexpr Query k_forget_expired_one{"idempotency_forget_expired_one", R"(
DELETE FROM idempotency_keys WHERE scope = $1 AND idem_key = $2 AND expires_at <= $3)"};
constexpr Query k_purge{"idempotency_purge", R"(
DELETE FROM idempotency_keys WHERE expires_at <= $1)"};

std::string request_hash(const http::Request& req) {
  crypto_hash_sha256_state st;
  crypto_hash_sha256_init(&st);
  const std::string head =
      std::string(req.raw.method_string()) + " " + std::string(req.raw.target()) + "\n";
  crypto_hash_sha256_update(&st, reinterpret_cast<const unsigned char*>(head.data()), head.size());
  crypto_hash_sha256_update(&st, reinterpret_cast<const unsigned char*>(req.raw.body().data()),
                            req.raw.body().size());
  unsigned char out[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&st, out);
  char hex[sizeof out * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, out, sizeof out);
  return hex;
}

bool valid_key(std::string_view key) {
  if (key.empty() || key.size() > k_max_key_length) return false;
  return std::all_of(key.begin(), key.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

struct Kept {
  std::string hash, state;
  int status = 0;
  std::string content_type, body;
};

// What claim() found: the key is ours (claimed_at names our claim), or an earlier request
// with it left `kept`.
struct Claim {
  std::optional<Kept> kept;
  std::string claimed_at;
};

Error in_progress() {
  auto e = Error::make(ErrorKind::conflict, "idempotency_request_in_progress",
                       "A request with this Idempotency-Key is being processed; retry shortly.");
  e.retry_after_seconds = 1;
  return e;
}

Result<Claim> claim(storage::Executor db, const std::string& scope, const std::string& key,
                    const std::string& hash, std::time_t now) {
  const std::string stamp = iso_utc(now);
  for (int round = 0; round < 2; ++round) {
    auto inserted =
        db.exec(k_claim, params(scope, key, hash, stamp, iso_utc(now + k_key_lifetime_seconds)));
    if (!inserted) return inserted.error();
    if (inserted->affected == 1) return Claim{std::nullopt, stamp};
    auto got = db.exec(k_get, params(scope, key));
    if (!got) return got.error();
    if (got->empty()) continue;  // deleted in between: claim again
    const auto& row = got->rows.front();
    if (row.text("expires_at") <= stamp) {  // expired: the key is free again
      if (auto r = db.exec(k_forget_expired_one, params(scope, key, stamp)); !r) return r.error();
      continue;
    }
    if (row.text("state") == "started" &&
        row.text("created_at") <= iso_utc(now - k_abandoned_after_seconds)) {
      auto taken = db.exec(
          k_take_over, params(scope, key, hash, stamp, iso_utc(now - k_abandoned_after_seconds)));
      if (!taken) return taken.error();
      if (taken->affected == 1) return Claim{std::nullopt, stamp};
      continue;  // someone else took it over first
    }
    return Claim{Kept{row.text("request_hash"), row.text("state"), row.get<int>("status"),
                      row.text("content_type"), row.text("body")},
                 {}};
  }
  return in_progress();
}

// Only successes are kept: an error answer (validation, a full slot, a rate limit) did
// nothing, so the key is let go and a corrected or later retry can run.
bool keepable(const http::Response& res) {
  const auto status = res.result_int();
  return status >= 200 && status < 300 && res.body().size() <= k_max_kept_body;
}

// Stores `res` as the answer of our claim, in `exec`'s transaction or on its own.
template <class Exec>
Result<void> finish(Exec& exec, const std::string& scope, const std::string& key,
                    const std::string& claimed_at, const http::Response& res) {
  const std::string content_type(res.base()[http::bhttp::field::content_type]);
  auto r = exec.exec(k_finish,
                     params(scope, key, res.result_int(), content_type, res.body(), claimed_at));
  if (!r) return r.error();
  // Our claim was taken over (we ran past k_abandoned_after_seconds): the other request owns
  // the key now, and ours must not commit beside it.
  if (r->affected != 1) return in_progress();
  return {};
}

}  // namespace

http::Handler idempotent(storage::Database& db, WorkerPool& workers, Clock clock,
                         http::Handler inner) {
  return [&db, &workers, clock = std::move(clock),
          inner = std::move(inner)](http::Request& req) -> http::Reply {
    const auto header = req.raw.find("Idempotency-Key");
    if (header == req.raw.end()) co_return co_await inner(req);
    const std::string key(header->value());
    if (!valid_key(key))
      co_return Error::field("/Idempotency-Key", FieldCode::invalid_value,
                             "must be 1 to 255 visible ASCII characters", FieldIn::header);
    const std::string scope =
        req.principal ? "user:" + std::to_string(req.principal->user_id) : "ip:" + req.remote_ip;
    const std::string hash = request_hash(req);
    auto claimed = co_await workers.run([&] { return claim(db, scope, key, hash, clock()); });
    if (!claimed) co_return claimed.error();
    if (claimed->kept) {
      const auto& k = *claimed->kept;
      if (k.hash != hash)
        co_return Error::make(ErrorKind::unprocessable, "idempotency_key_reused",
                              "This Idempotency-Key was used with a different request.");
      if (k.state != "done") co_return in_progress();
      auto res = http::text_response(k.body, k.content_type, http::bhttp::status(k.status));
      res.set("Idempotent-Replayed", "true");
      co_return res;
    }
    const std::string claimed_at = claimed->claimed_at;
    // A handler that writes stores its answer in its own transaction (http::keep_answer), so
    // that a crash after its commit leaves the answer, not a key to run again.
    bool kept_in_handler = false;
    req.keep_answer = [&](storage::Transaction& tx, const http::Response& res) -> Result<void> {
      if (!keepable(res)) return {};
      if (auto r = finish(tx, scope, key, claimed_at, res); !r) return r.error();
      kept_in_handler = true;
      return {};
    };
    Result<http::Response> res = Error::internal("no answer");
    std::exception_ptr failed;
    try {
      res = co_await inner(req);
    } catch (...) {
      failed = std::current_exception();  // no co_await inside a handler: clean up below
    }
    req.keep_answer = nullptr;
    const bool keep = !failed && res && keepable(*res);
    if (keep && kept_in_handler) co_return res;  // committed with the handler's writes
    auto stored = co_await workers.run([&]() -> Result<void> {
      if (keep) {
        // A handler that does not write through a transaction: the answer on its own.
        if (auto r = finish(db, scope, key, claimed_at, *res); r) return r;
        spdlog::error("idempotency key not recorded for {}", req.path);
      }
      auto r = db.exec(k_forget, params(scope, key, claimed_at));
      if (!r) return r.error();
      return {};
    });
    if (!stored) spdlog::error("idempotency key not released: {}", stored.error().detail);
    if (failed) std::rethrow_exception(failed);
    co_return res;
  };
}

Result<std::int64_t> purge_idempotency_keys(storage::Database& db, const std::string& now) {
  return storage::Executor(db).execute(k_purge, params(now));
}

}  // namespace griha::app
