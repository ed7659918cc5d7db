// Keeps the search index in step with the listings table: loads every active listing at start
// (from SQLite or PostgreSQL alike), re-reads a listing when it changes, and holds the little
// a result card needs beyond the index (title, place, kind) so a search page touches no SQL.
#pragma once

#include <cstdint>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "listings/gazetteer.hpp"
#include "search/index.hpp"
#include "storage/database.hpp"

namespace griha::search {

// What a result card shows beyond the hit itself.
struct Card {
  std::string title;
  std::uint32_t city_id = 0;
  std::uint32_t locality_id = 0;
  Transaction transaction = Transaction::sale_resale;
  PropertyType property_type = PropertyType::apartment;
  PostedBy posted_by = PostedBy::owner;
  std::optional<Furnishing> furnishing;  // none: not said
  bool verified = false;
  std::uint16_t photo_count = 0;
  std::uint32_t price_per_sqft = 0;  // 0: no area to quote it on
};

// A project named by a lister, as the index's numeric project id: stable across restarts and
// nodes (a hash of the city and the lower-cased name), 0 for none.
std::uint32_t project_id_of(std::uint32_t city_id, std::string_view project_name);

// An active listing as an index document, with the publish time it is ordered by.
struct PublishedListing {
  std::string published_at;  // UTC ISO-8601, as stored
  Document document;
};

// Active listings in order of first publication (published_at, then id), the page after the
// position (after_published_at, after_id): pass (since, 0) to start at `since`, inclusive.
// Read from the database, not from an index, so that every node sees every listing
// (saved-search alerts match them against a search on a small index of their own).
Result<std::vector<PublishedListing>> load_published_page(storage::Database& db,
                                                          const listings::Gazetteer& gazetteer,
                                                          const std::string& after_published_at,
                                                          std::int64_t after_id, std::size_t limit);

class ListingSearch {
 public:
  ListingSearch(storage::Database& db, const listings::Gazetteer& gazetteer, IndexOptions options);

  // Builds the index from every active listing; returns how many.
  Result<std::size_t> load();
  // Re-reads one listing after a write: active ones are (re)indexed, others removed.
  Result<void> refresh(std::int64_t listing_id);

  const Index& index() const { return index_; }
  std::optional<Card> card(std::int64_t id) const;

 private:
  storage::Database& db_;
  const listings::Gazetteer& gazetteer_;  // city and locality names for the text index
  Index index_;
  mutable std::shared_mutex cards_mu_;
  std::unordered_map<std::int64_t, Card> cards_;
};

}  // namespace griha::search
