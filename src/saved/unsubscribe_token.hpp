// The signed token in a saved-search alert's one-click unsubscribe link: it names the saved
// search and proves Griha issued it, so the link works without signing in and cannot be
// turned against anyone else's searches.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/crypto.hpp"

namespace griha::saved {

class UnsubscribeTokens {
 public:
  // `key`: config alerts.unsubscribe_key, any length (hashed to the MAC key). Empty: a random
  // key for this process, so links in emails sent before a restart stop working.
  explicit UnsubscribeTokens(std::string_view key);

  // core's SignedTokens (purpose "saved.unsubscribe") over the id, without expiry: base64url,
  // safe in a query string as it is.
  std::string sign(std::int64_t saved_search_id) const;
  // The saved search id, or nullopt for anything Griha did not sign with this key.
  std::optional<std::int64_t> verify(std::string_view token) const;

 private:
  SignedTokens tokens_;
};

}  // namespace griha::saved
