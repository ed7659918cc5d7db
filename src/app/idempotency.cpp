#include "app/idempotency.hpp"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <exception>

#include "http/problem.hpp"
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
constexpr Query k_finish{"idempotency_finish", R"(
UPDATE idempotency_keys SET state = 'done', status = $3, content_type = $4, body = $5
WHERE scope = $1 AND idem_key = $2)"};
constexpr Query k_forget{"idempotency_forget", R"(
DELETE FROM idempotency_keys WHERE scope = $1 AND idem_key = $2)"};
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

// Claims the key for this request (nullopt: ours now, run the handler) or returns what an
// earlier request with it left.
Result<std::optional<Kept>> claim(storage::Executor db, const std::string& scope,
                                  const std::string& key, const std::string& hash,
                                  std::time_t now) {
  for (int round = 0; round < 2; ++round) {
    auto inserted = db.exec(
        k_claim, params(scope, key, hash, iso_utc(now), iso_utc(now + k_key_lifetime_seconds)));
    if (!inserted) return inserted.error();
    if (inserted->affected == 1) return std::optional<Kept>{};
    auto got = db.exec(k_get, params(scope, key));
    if (!got) return got.error();
    if (got->empty()) continue;  // deleted in between: claim again
    const auto& row = got->rows.front();
    if (row.text("expires_at") <= iso_utc(now)) {  // expired: the key is free again
      if (auto r = db.exec(k_forget_expired_one, params(scope, key, iso_utc(now))); !r)
        return r.error();
      continue;
    }
    if (row.text("state") == "started" &&
        row.text("created_at") <= iso_utc(now - k_abandoned_after_seconds)) {
      auto taken = db.exec(k_take_over, params(scope, key, hash, iso_utc(now),
                                               iso_utc(now - k_abandoned_after_seconds)));
      if (!taken) return taken.error();
      if (taken->affected == 1) return std::optional<Kept>{};
      continue;  // someone else took it over first
    }
    return std::optional<Kept>(Kept{row.text("request_hash"), row.text("state"),
                                    row.get<int>("status"), row.text("content_type"),
                                    row.text("body")});
  }
  return Error::make(ErrorKind::conflict, "idempotency_request_in_progress",
                     "A request with this Idempotency-Key is being processed; retry shortly.");
}

}  // namespace

http::Handler idempotent(storage::Database& db, WorkerPool& workers, Clock clock,
                         http::Handler inner) {
  return [&db, &workers, clock = std::move(clock),
          inner = std::move(inner)](http::Request& req) -> boost::asio::awaitable<http::Response> {
    const auto header = req.raw.find("Idempotency-Key");
    if (header == req.raw.end()) co_return co_await inner(req);
    const std::string key(header->value());
    if (!valid_key(key))
      co_return http::problem_response(
          Error::field("Idempotency-Key", "invalid_idempotency_key",
                       "Idempotency-Key must be 1 to 255 visible ASCII characters."),
          req.path);
    const std::string scope =
        req.principal ? "user:" + std::to_string(req.principal->user_id) : "ip:" + req.remote_ip;
    const std::string hash = request_hash(req);
    auto kept = co_await workers.run([&] { return claim(db, scope, key, hash, clock()); });
    if (!kept) co_return http::problem_response(kept.error(), req.path);
    if (*kept) {
      const auto& k = **kept;
      if (k.hash != hash)
        co_return http::problem_response(
            Error::make(ErrorKind::invalid, "idempotency_key_reused",
                        "This Idempotency-Key was used with a different request."),
            req.path, http::bhttp::status::unprocessable_entity);
      if (k.state != "done") {
        auto e = Error::make(ErrorKind::conflict, "idempotency_request_in_progress",
                             "A request with this Idempotency-Key is being processed; retry "
                             "shortly.");
        e.retry_after_seconds = 1;
        co_return http::problem_response(e, req.path);
      }
      auto res = http::text_response(k.body, k.content_type, http::bhttp::status(k.status));
      res.set("Idempotent-Replayed", "true");
      co_return res;
    }
    std::optional<http::Response> res;
    std::exception_ptr failed;
    try {
      res = co_await inner(req);
    } catch (...) {
      failed = std::current_exception();  // no co_await inside a handler: clean up below
    }
    if (failed) {
      co_await workers.run([&] { return db.exec(k_forget, params(scope, key)); });
      std::rethrow_exception(failed);
    }
    // Only successes are kept. An error answer (validation, a full slot, a rate limit) did
    // nothing, so the key is let go and a corrected or later retry can run.
    const auto status = res->result_int();
    const bool keep = status >= 200 && status < 300 && res->body().size() <= k_max_kept_body;
    const std::string content_type(res->base()[http::bhttp::field::content_type]);
    auto stored = co_await workers.run([&]() -> Result<storage::Rows> {
      if (keep) {
        auto r = db.exec(k_finish, params(scope, key, status, content_type, res->body()));
        if (r) return r;
        spdlog::error("idempotency key not recorded: {}", r.error().detail);
      }
      return db.exec(k_forget, params(scope, key));
    });
    if (!stored) spdlog::error("idempotency key not released: {}", stored.error().detail);
    co_return std::move(*res);
  };
}

Result<std::int64_t> purge_idempotency_keys(storage::Database& db, const std::string& now) {
  return storage::Executor(db).execute(k_purge, params(now));
}

}  // namespace griha::app
