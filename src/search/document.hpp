// What the search index knows about an active listing, and the enums of the listing model that
// search filters on. The enums index the listing's own vocabularies (listings/vocabulary.hpp):
// a value's spelling is defined there once, and names_of_*() return those very arrays.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace griha::search {

// An enum's value is its position in the listing vocabulary (listings/vocabulary.hpp); the
// named values below are checked against it by document_test.cpp.
enum class Transaction : std::uint8_t { sale_new, sale_resale, rent, lease };
enum class PropertyType : std::uint8_t {
  apartment,
  independent_house,
  villa,
  builder_floor,
  plot,
  studio,
  penthouse,
  pg,
  office,
  shop,
  warehouse,
};
enum class Furnishing : std::uint8_t { furnished, semi_furnished, unfurnished };
enum class PostedBy : std::uint8_t { owner, agent, builder };
enum class Facing : std::uint8_t {
  north,
  north_east,
  east,
  south_east,
  south,
  south_west,
  west,
  north_west,
};
enum class TenantPreference : std::uint8_t { any, family, bachelors, company };

inline constexpr int k_transaction_count = 4;
inline constexpr int k_property_type_count = 11;
inline constexpr int k_furnishing_count = 3;
inline constexpr int k_posted_by_count = 3;
inline constexpr int k_facing_count = 8;
inline constexpr int k_tenant_preference_count = 4;
// BHK 0 is a 1 RK; 5 stands for "5 or more".
inline constexpr int k_bhk_count = 6;
inline constexpr int k_max_amenities = 64;

// The spelling used in URLs, JSON and the database, indexed by the enum's value.
std::span<const std::string_view> names_of_transaction();
std::span<const std::string_view> names_of_property_type();
std::span<const std::string_view> names_of_furnishing();
std::span<const std::string_view> names_of_posted_by();
std::span<const std::string_view> names_of_facing();
std::span<const std::string_view> names_of_tenant_preference();
// Amenity bit i of Document::amenities is names_of_amenities()[i].
std::span<const std::string_view> names_of_amenities();

// Index of `name` in `names`, or nullopt.
std::optional<int> enum_index(std::span<const std::string_view> names, std::string_view name);

// A field the lister left empty is absent (nullopt; 0 for an area or a price per sq ft, which
// are never 0 when known). An absent value never matches a filter on its field and is never
// counted under a facet value.
struct Document {
  std::int64_t id = 0;
  std::uint32_t city_id = 0;
  std::uint32_t locality_id = 0;
  std::uint32_t project_id = 0;  // 0: not in a project
  Transaction transaction = Transaction::sale_resale;
  PropertyType property_type = PropertyType::apartment;
  std::optional<std::uint8_t> bhk;  // 0 = 1 RK, 5 = 5+; none for plots, shops, offices
  std::optional<std::uint8_t> bathrooms;
  std::int64_t price = 0;            // whole rupees; monthly for rent
  std::uint32_t area_sqft = 0;       // 0: unknown
  std::uint32_t price_per_sqft = 0;  // see derive_price_per_sqft; 0: unknown
  std::optional<Furnishing> furnishing;
  // true: ready; false: under construction until possession_days; nullopt: not said.
  std::optional<bool> ready_to_move;
  std::int32_t possession_days = 0;  // expected possession, days since 1970-01-01; 0 when ready
  PostedBy posted_by = PostedBy::owner;
  std::uint64_t amenities = 0;  // bit i: names_of_amenities()[i]
  bool verified = false;
  bool has_photos = false;
  // The result card's: how many photos, and the cover's storage key ("" without photos).
  std::uint16_t photo_count = 0;
  std::string cover_key;
  std::optional<Facing> facing;
  std::optional<std::int16_t> floor;  // 0 ground, negative basement
  std::int16_t total_floors = 0;
  // Rentals only (rent, lease): the index ignores it on a sale listing.
  std::optional<TenantPreference> tenant_preference;
  bool pets_allowed = false;
  std::int64_t posted_at = 0;  // unix seconds
  bool rera_registered = false;
  std::string rera_number;  // as registered; a query equal to it finds the listing
  bool featured = false;
  float lat = 0;
  float lng = 0;
  std::string title;
  std::string description;
  std::string locality_name;
  std::string city_name;
  std::string project_name;
};

// Rupees per square foot, rounded down; 0 when the area is unknown. The listing model stores
// this value, so SQL and the index filter on the same integer.
inline std::uint32_t derive_price_per_sqft(std::int64_t price, std::uint32_t area_sqft) {
  return area_sqft == 0 || price <= 0 ? 0 : static_cast<std::uint32_t>(price / area_sqft);
}

}  // namespace griha::search
