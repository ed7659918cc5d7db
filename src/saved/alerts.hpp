// Saved-search alerts: a sweep, run by `serve` every alerts.sweep_seconds, finds for each due
// search the listings published since it was last checked that match it, and writes one
// email per search to the outbox in the same transaction that moves the search's watermark —
// so an alert is never lost (the watermark only moves with it) nor sent twice (a listing
// already sent is remembered). Matching uses the search index's own code on a small index of
// the candidate listings, read from the database so that every node sees every listing.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "core/time.hpp"
#include "listings/gazetteer.hpp"
#include "notify/outbox.hpp"
#include "saved/saved_repository.hpp"
#include "saved/unsubscribe_token.hpp"
#include "search/document.hpp"

namespace griha::saved {

struct AlertOptions {
  std::string public_url = "http://localhost:8080";  // base of the links in the emails
  std::size_t max_listed = 10;  // listings shown in one email; the rest are counted
  std::size_t batch = 500;      // due searches handled per round
  std::size_t page = 2000;      // candidate listings indexed per round
};

// A listing as an alert names it.
struct AlertListing {
  std::int64_t id = 0;
  std::int64_t posted_at = 0;  // unix seconds
  std::string published_at;    // as stored
  std::string title;
  std::int64_t price = 0;
  std::uint32_t area_sqft = 0;
  std::uint8_t bhk = 0;
  search::Transaction transaction = search::Transaction::sale_resale;
  search::PropertyType property_type = search::PropertyType::apartment;
  std::uint32_t city_id = 0;
  std::uint32_t locality_id = 0;
};

// Rupees the way Indian listings quote them: "₹1.85 Cr", "₹45 L", "₹45,000"; "/month" for
// rent and lease.
std::string format_price(std::int64_t rupees, bool monthly);

// The email for one search: `fresh` newest first, the first max_listed of them shown and the
// rest counted. Carries List-Unsubscribe (RFC 2369) and List-Unsubscribe-Post (RFC 8058)
// headers and the same link in the body.
Result<notify::Outgoing> alert_email(const SavedSearch& search, const std::string& to,
                                     std::span<const AlertListing> fresh,
                                     const listings::Gazetteer& gazetteer,
                                     const UnsubscribeTokens& tokens, const AlertOptions& options);

// The link that turns a search's alerts off.
std::string unsubscribe_url(const std::string& public_url, const UnsubscribeTokens& tokens,
                            std::int64_t saved_search_id);

class AlertSweeper {
 public:
  // `wake` is called after a sweep that enqueued email, so the dispatcher sends it now.
  AlertSweeper(storage::Database& db, const listings::Gazetteer& gazetteer,
               const UnsubscribeTokens& tokens, AlertOptions options, Clock clock = system_clock(),
               std::function<void()> wake = {});

  // Checks every due saved search once; returns how many emails it enqueued. Blocking.
  Result<int> sweep();

 private:
  struct Due;
  Result<void> match(std::vector<Due>& due, std::int64_t now);
  Result<bool> deliver(Due& due, std::int64_t now);

  storage::Database& db_;
  const listings::Gazetteer& gazetteer_;
  const UnsubscribeTokens& tokens_;
  AlertOptions options_;
  Clock clock_;
  std::function<void()> wake_;
};

}  // namespace griha::saved
