// The in-memory search index over active listings: built once from the database, kept fresh by
// upsert/remove on every write, and queried without ever blocking on a writer.
//
// Readers take an immutable snapshot (a large base segment, the base rows deleted since it was
// built, and a small delta segment of recent writes). A write rebuilds only the delta and
// publishes a new snapshot, so it is visible as soon as upsert() returns; when the delta grows
// past IndexOptions::merge_threshold it is merged into a new base on a background thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include "core/error.hpp"
#include "search/cursor.hpp"
#include "search/document.hpp"
#include "search/query.hpp"

namespace griha::search {

namespace detail {
class Segment;
}

struct IndexOptions {
  std::string
      cursor_key;  // signs cursors; at least 16 bytes, the same on every node (empty: random)
  // Lower edges of the price histogram's buckets, ascending, the first 0. One scale serves
  // rents and sale prices: a query filtered to one transaction fills only its part.
  std::vector<std::int64_t> price_buckets = {0,           10'000,      20'000,      35'000,
                                             50'000,      1'00'000,    25'00'000,   50'00'000,
                                             75'00'000,   1'00'00'000, 1'50'00'000, 2'00'00'000,
                                             3'00'00'000, 5'00'00'000, 10'00'00'000};
  // The featured rule: under these sorts (bit 1 << Sort) featured listings come before all
  // others, each group in the sort's order, so paid placement never reorders the rest.
  std::uint32_t featured_first_sorts = 1u << static_cast<int>(Sort::relevance);
  // Multiplies a featured listing's text score (relevance sort with text).
  double featured_text_boost = 1.0;
  // Delta size that triggers merging into the base.
  std::size_t merge_threshold = 4096;
  // Merge on a background thread (production); tests may merge inline to be deterministic.
  bool background_merge = true;
};

struct IndexStats {
  std::size_t listings = 0;
  std::size_t delta_listings = 0;
  std::size_t memory_bytes = 0;  // the segments' arrays, text index included
};

// Validation shared by Index::search and the parser: page size, inverted ranges, BHK values,
// polygon, a point for distance sort, the cursor's sort. Field names are the GET parameters'.
Result<void> validate(const Query& q);

// A hash of what decides which listings a search matches (filters, text, shape, sort point;
// not the page, the facets or `now`), order-insensitive in "any of" lists. Cursors carry it.
std::uint64_t filters_hash(const Query& q);

class Index {
 public:
  explicit Index(IndexOptions options);
  ~Index();
  Index(const Index&) = delete;
  Index& operator=(const Index&) = delete;

  // Replaces the whole contents (start-up, or a rebuild from the database).
  void build(std::span<const Document> docs);
  // Insert or replace by id; visible to searches that start after it returns.
  void upsert(const Document& doc);
  void remove(std::int64_t id);
  // Merges the delta into the base now, waiting for a background merge if one runs.
  void compact();

  Result<SearchResult> search(const Query& q) const;
  // Clusters on a grid over `viewport` below `pin_zoom`, single pins at and above it (at most
  // `max_pins`). The query's filters apply; its bbox is replaced by the viewport.
  static constexpr int k_pin_zoom = 15;
  static constexpr std::size_t k_max_pins = 500;
  Result<MapResult> map(const Query& q, const BBox& viewport, int zoom) const;

  IndexStats stats() const;
  const CursorCodec& cursors() const { return cursors_; }
  const IndexOptions& options() const { return options_; }

  struct Snapshot;

 private:
  std::shared_ptr<const Snapshot> snapshot() const;
  void publish_locked(std::shared_ptr<const detail::Segment> base,
                      std::shared_ptr<const std::vector<std::uint64_t>> dead);
  // The base's deleted rows plus the row of `id`, if the base holds it.
  std::shared_ptr<const std::vector<std::uint64_t>> dead_with_locked(std::int64_t id) const;
  void start_merge_locked(std::unique_lock<std::mutex>& lock, bool background);
  void finish_merge_locked(std::shared_ptr<const detail::Segment> merged);
  void join_merge();

  IndexOptions options_;
  CursorCodec cursors_;
  std::atomic<std::shared_ptr<const Snapshot>> snapshot_;

  std::mutex write_mu_;  // serialises writers; readers never take it
  std::map<std::int64_t, Document> delta_docs_;
  bool merging_ = false;
  std::unordered_set<std::int64_t> touched_during_merge_;
  std::thread merger_;
};

}  // namespace griha::search
