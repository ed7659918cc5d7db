#include "auth/rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace griha::auth {

RateLimiter::RateLimiter(int per_minute)
    : capacity_(std::max(1, per_minute)), refill_per_second_(std::max(1, per_minute) / 60.0) {}

int RateLimiter::take(const std::string& key, double now) {
  std::lock_guard lock(mu_);
  prune(now);
  auto [it, fresh] = buckets_.try_emplace(key, Bucket{capacity_, now});
  Bucket& b = it->second;
  b.tokens = std::min(capacity_, b.tokens + (now - b.updated) * refill_per_second_);
  b.updated = now;
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return 0;
  }
  return std::max(1, static_cast<int>(std::ceil((1.0 - b.tokens) / refill_per_second_)));
}

// A full bucket is the same as no bucket: drop those, so that memory follows live abusers
// rather than every key ever seen.
void RateLimiter::prune(double now) {
  if (now - last_prune_ < 60) return;
  last_prune_ = now;
  std::erase_if(buckets_, [&](const auto& kv) {
    return kv.second.tokens + (now - kv.second.updated) * refill_per_second_ >= capacity_;
  });
}

void RevocationList::revoke_session(const std::string& session_id, std::int64_t until) {
  std::lock_guard lock(mu_);
  sessions_[session_id] = until;
}

bool RevocationList::revoked(const std::string& session_id, std::int64_t now) {
  std::lock_guard lock(mu_);
  if (now - last_prune_ >= 60) {
    last_prune_ = now;
    std::erase_if(sessions_, [&](const auto& kv) { return kv.second < now; });
  }
  auto it = sessions_.find(session_id);
  return it != sessions_.end() && it->second >= now;
}

}  // namespace griha::auth
