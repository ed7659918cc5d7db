// In-memory token buckets keyed by IP or account, for the abuse-prone auth endpoints. Each
// copy of griha limits on its own: behind a load balancer the effective limit is per copy.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace griha::auth {

class RateLimiter {
 public:
  // `per_minute` requests per minute, in bursts of up to `per_minute`.
  explicit RateLimiter(int per_minute);

  // Takes one token for `key`; 0 when allowed, else the seconds to wait until one is free.
  int take(const std::string& key, double now_seconds);

 private:
  struct Bucket {
    double tokens;
    double updated;
  };
  void prune(double now_seconds);

  double capacity_;
  double refill_per_second_;
  std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;
  double last_prune_ = 0;
};

// Sessions whose access tokens must stop working before they expire (sign out,
// password change, lock): remembered until those tokens would have expired anyway.
// Local to this process, so it can be consulted on the I/O thread without the database.
class RevocationList {
 public:
  void revoke_session(const std::string& session_id, std::int64_t until);
  bool revoked(const std::string& session_id, std::int64_t now);

 private:
  std::mutex mu_;
  std::unordered_map<std::string, std::int64_t> sessions_;  // -> until
  std::int64_t last_prune_ = 0;
};

}  // namespace griha::auth
