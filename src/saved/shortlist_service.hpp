// A seeker's shortlist of listings and the side-by-side comparison of a few of them. Only
// public (active) listings can be added or compared; a shortlisted listing that later leaves
// the market stays in the list, marked unavailable, instead of vanishing without a word.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.hpp"
#include "listings/listing_service.hpp"
#include "saved/saved_repository.hpp"

namespace griha::saved {

struct ShortlistOptions {
  int cap = 200;  // listings per user
};

struct ShortlistEntry {
  std::int64_t listing_id = 0;
  std::string title;  // as it was when added
  std::string added_at;
  std::optional<listings::Listing> listing;  // empty: no longer public
};

inline constexpr std::size_t k_compare_min = 2;
inline constexpr std::size_t k_compare_max = 4;

// "1,2,3" -> ids: 2 to 4 distinct positive integers, or a validation error on "ids".
Result<std::vector<std::int64_t>> parse_compare_ids(std::string_view text);

// The comparison's body: the listings' public views and the key facts row by row, each row
// {field, label, values} with one value per listing in the order asked. Only what the public
// view shows goes in.
boost::json::object compare_json(std::span<const listings::Listing> listings,
                                 const listings::Gazetteer& gazetteer);
// The listing fields compare_json shows (listing_fields() names, or public view keys).
std::span<const std::pair<std::string_view, std::string_view>> compare_fields();

class ShortlistService {
 public:
  ShortlistService(storage::Database& db, listings::ListingService& listings,
                   ShortlistOptions options, Clock clock = system_clock());

  // Adds a public listing (404 listing_not_found otherwise); adding it again changes nothing.
  // Returns whether it was new. 409 shortlist_full at the cap.
  Result<bool> add(std::int64_t user_id, std::int64_t listing_id);
  // Removing what is not there is not an error.
  Result<void> remove(std::int64_t user_id, std::int64_t listing_id);
  // Most recently added first.
  Result<std::vector<ShortlistEntry>> list(std::int64_t user_id);
  // The public listings, in the order asked; 404 naming the first id that is not public.
  Result<std::vector<listings::Listing>> compare(std::span<const std::int64_t> ids);

 private:
  storage::Database& db_;
  listings::ListingService& listings_;
  ShortlistOptions options_;
  Clock clock_;
};

}  // namespace griha::saved
