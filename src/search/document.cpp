#include "search/document.hpp"

#include "listings/amenities.hpp"

#include "search/query.hpp"

namespace griha::search {

namespace {
constexpr std::array<std::string_view, k_transaction_count> k_transactions{
    "sale_new", "sale_resale", "rent", "lease"};
constexpr std::array<std::string_view, k_property_type_count> k_property_types{
    "apartment", "independent_house", "villa", "builder_floor", "plot",
    "studio",    "penthouse",         "pg",    "office",        "shop",
    "warehouse"};
constexpr std::array<std::string_view, k_furnishing_count> k_furnishings{"furnished", "semi",
                                                                         "unfurnished"};
constexpr std::array<std::string_view, k_posted_by_count> k_posted_bys{"owner", "agent", "builder"};
constexpr std::array<std::string_view, k_facing_count> k_facings{
    "none",  "north",      "north_east", "east",      "south_east",
    "south", "south_west", "west",       "north_west"};
constexpr std::array<std::string_view, k_tenant_preference_count> k_tenants{"any", "family",
                                                                            "bachelors", "company"};
// Bits are stored in the index and the database: append only.
constexpr std::array<std::string_view, k_sort_count> k_sorts{
    "relevance", "price_asc", "price_desc", "price_per_sqft_asc", "price_per_sqft_desc", "newest",
    "area_asc",  "area_desc", "distance"};
constexpr std::array<std::string_view, k_facet_count> k_facets{
    "bhk", "property_type", "furnishing", "posted_by", "locality", "price"};
}  // namespace

std::span<const std::string_view> names_of_transaction() {
  return k_transactions;
}
std::span<const std::string_view> names_of_property_type() {
  return k_property_types;
}
std::span<const std::string_view> names_of_furnishing() {
  return k_furnishings;
}
std::span<const std::string_view> names_of_posted_by() {
  return k_posted_bys;
}
std::span<const std::string_view> names_of_facing() {
  return k_facings;
}
std::span<const std::string_view> names_of_tenant_preference() {
  return k_tenants;
}
std::span<const std::string_view> names_of_amenities() {
  return listings::k_amenities;
}
std::span<const std::string_view> names_of_sort() {
  return k_sorts;
}
std::span<const std::string_view> names_of_facet() {
  return k_facets;
}

std::optional<int> enum_index(std::span<const std::string_view> names, std::string_view name) {
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) return static_cast<int>(i);
  }
  return std::nullopt;
}

}  // namespace griha::search
