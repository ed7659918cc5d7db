// A search as the index understands it (filters, text, geo, sort, page, facets) and what a
// search returns. parse.hpp builds a Query from GET parameters or a JSON body.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "search/document.hpp"

namespace griha::search {

// Inclusive bounds; an absent bound is open.
struct Range {
  std::optional<std::int64_t> min;
  std::optional<std::int64_t> max;
  bool active() const { return min || max; }
  bool contains(std::int64_t v) const { return (!min || v >= *min) && (!max || v <= *max); }
};

struct LatLng {
  double lat = 0;
  double lng = 0;
};

struct Circle {
  LatLng center;
  double radius_m = 0;
};

struct BBox {
  double min_lat = 0, min_lng = 0, max_lat = 0, max_lng = 0;
  bool contains(double lat, double lng) const {
    return lat >= min_lat && lat <= max_lat && lng >= min_lng && lng <= max_lng;
  }
};

// Every order is total: ties fall back to the listing id, ascending, so that pages never
// overlap or skip and the SQL reference can reproduce the order exactly.
enum class Sort : std::uint8_t {
  relevance,  // text score, then newest; without text, newest
  price_asc,
  price_desc,
  price_per_sqft_asc,
  price_per_sqft_desc,
  newest,  // posted_at descending
  area_asc,
  area_desc,
  distance,  // from the circle's centre, or Query::origin
};
inline constexpr int k_sort_count = 9;
std::span<const std::string_view> names_of_sort();

enum class Facet : std::uint8_t { bhk, property_type, furnishing, posted_by, locality, price };
inline constexpr int k_facet_count = 6;
std::span<const std::string_view> names_of_facet();

// The position after which the next page starts: the last item's sort key. Compared
// lexicographically (tier, key, id); see Index for how each sort fills it.
struct SortKey {
  std::uint8_t tier = 0;  // 0: featured listing lifted by the featured rule, else 1
  std::uint64_t key = 0;
  std::int64_t id = 0;
  friend auto operator<=>(const SortKey&, const SortKey&) = default;
};

struct Cursor {
  Sort sort = Sort::relevance;
  SortKey after;
  // filters_hash() of the search that issued it: a position in one result list means nothing
  // in another, so a cursor is refused by a search with other filters, text or shape.
  std::uint64_t filters = 0;
};

inline constexpr int k_max_page_size = 100;
inline constexpr int k_max_polygon_points = 200;
inline constexpr std::size_t k_max_localities = 50;

struct Query {
  std::optional<std::uint32_t> city_id;
  std::vector<std::uint32_t> locality_ids;  // any of
  std::optional<std::uint32_t> project_id;
  std::vector<Transaction> transactions;     // any of
  std::vector<PropertyType> property_types;  // any of
  std::vector<std::uint8_t> bhk;             // any of; 5 means 5+
  Range price;
  Range area_sqft;
  Range price_per_sqft;
  std::vector<Furnishing> furnishing;  // any of
  bool ready_to_move = false;
  std::optional<std::int32_t> possession_by_days;  // ready, or possession on/before this day
  std::vector<PostedBy> posted_by;                 // any of
  std::uint64_t amenities_all = 0;                 // every one of these bits
  bool verified_only = false;
  bool with_photos_only = false;
  std::vector<Facing> facing;  // any of
  Range floor;
  std::optional<std::uint8_t> bathrooms_min;
  // Rentals for this tenant or for "any"; a sale listing, or one that says nothing, never matches.
  std::optional<TenantPreference> tenant_preference;
  bool pets_allowed_only = false;
  std::optional<std::int32_t> posted_within_days;  // relative to `now`
  bool rera_only = false;
  std::int64_t now = 0;  // unix seconds; passed in so that a query is deterministic

  std::string text;

  std::optional<Circle> circle;
  std::optional<BBox> bbox;
  std::vector<LatLng> polygon;   // closed implicitly; validated by validate_polygon
  std::optional<LatLng> origin;  // for Sort::distance without a circle

  Sort sort = Sort::relevance;
  int page_size = 20;
  std::optional<Cursor> cursor;

  std::vector<Facet> facets;
  int locality_top_n = 10;
};

// A result and its card, read from the same snapshot as the match: a page never pairs one
// version's title with another's price. The views live as long as SearchResult::snapshot.
struct Hit {
  std::int64_t id = 0;
  std::int64_t price = 0;
  std::uint32_t area_sqft = 0;      // 0: unknown
  std::optional<std::uint8_t> bhk;  // none for plots, shops, offices
  bool featured = false;
  float lat = 0;
  float lng = 0;
  double distance_m = -1;  // when the query has a point
  double score = 0;        // text relevance, when the query has text
  std::uint32_t city_id = 0;
  std::uint32_t locality_id = 0;
  Transaction transaction = Transaction::sale_resale;
  PropertyType property_type = PropertyType::apartment;
  PostedBy posted_by = PostedBy::owner;
  std::optional<Furnishing> furnishing;
  bool verified = false;
  std::uint16_t photo_count = 0;
  std::uint32_t price_per_sqft = 0;  // 0: unknown
  std::string_view title;
  std::string_view cover_key;  // "" without photos
};

// value: the enum value, BHK, locality id, or the price bucket's index in
// IndexOptions::price_buckets (whose range is [min, max) of that bucket).
struct FacetCount {
  std::int64_t value = 0;
  std::uint32_t count = 0;
  friend bool operator==(const FacetCount&, const FacetCount&) = default;
};

struct FacetResult {
  Facet facet = Facet::bhk;
  // Values with a non-zero count: enums and price buckets by value; localities by count
  // descending, then id, cut to the top N.
  std::vector<FacetCount> counts;
};

struct SearchResult {
  std::shared_ptr<const void> snapshot;  // keeps the hits' views alive
  std::vector<Hit> hits;
  std::uint64_t total = 0;
  std::vector<FacetResult> facets;
  std::string next_cursor;  // empty on the last page
};

// A map cell: a cluster when zoomed out, a single listing (count 1, id set) when zoomed in.
struct MapCluster {
  std::uint32_t count = 0;
  std::int64_t id = 0;  // only for a single pin
  double lat = 0;       // centroid
  double lng = 0;
  std::int64_t min_price = 0;
  std::int64_t max_price = 0;
};

struct MapResult {
  bool clustered = false;
  std::uint64_t total = 0;
  std::vector<MapCluster> cells;
  bool truncated = false;  // more pins than the pin limit
};

}  // namespace griha::search
