// Keeps the search index in step with the listings: loads every active listing at start
// through the listings module (from SQLite or PostgreSQL alike) and re-reads a listing when it
// changes. Result cards live in the index's snapshot, so a search page touches no SQL.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "listings/gazetteer.hpp"
#include "listings/listing_repository.hpp"
#include "search/index.hpp"
#include "storage/database.hpp"

namespace griha::search {

// A project named by a lister, as the index's numeric project id: stable across restarts and
// nodes (a hash of the city and the lower-cased name), 0 for none.
std::uint32_t project_id_of(std::uint32_t city_id, std::string_view project_name);

// An active listing as the index's document: its vocabulary, its reference area and price per
// sq ft as the listing model computes them, and the place names its text is searched by.
Document document_of(const listings::ActiveListing& active, const listings::Gazetteer& gazetteer);

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

 private:
  storage::Database& db_;
  const listings::Gazetteer& gazetteer_;  // city and locality names for the text index
  Index index_;
};

}  // namespace griha::search
