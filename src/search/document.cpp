#include "search/document.hpp"

#include "listings/amenities.hpp"
#include "listings/vocabulary.hpp"

#include "search/query.hpp"

namespace griha::search {

namespace {
static_assert(listings::k_transactions.size() == k_transaction_count);
static_assert(listings::k_property_types.size() == k_property_type_count);
static_assert(listings::k_furnishings.size() == k_furnishing_count);
static_assert(listings::k_posted_by.size() == k_posted_by_count);
static_assert(listings::k_facings.size() == k_facing_count);
static_assert(listings::k_tenant_preferences.size() == k_tenant_preference_count);
// Bits are stored in the index and the database: append only.
constexpr std::array<std::string_view, k_sort_count> k_sorts{
    "relevance", "price_asc", "price_desc", "price_per_sqft_asc", "price_per_sqft_desc", "newest",
    "area_asc",  "area_desc", "distance"};
constexpr std::array<std::string_view, k_facet_count> k_facets{
    "bhk", "property_type", "furnishing", "posted_by", "locality", "price"};
}  // namespace

std::span<const std::string_view> names_of_transaction() {
  return listings::k_transactions;
}
std::span<const std::string_view> names_of_property_type() {
  return listings::k_property_types;
}
std::span<const std::string_view> names_of_furnishing() {
  return listings::k_furnishings;
}
std::span<const std::string_view> names_of_posted_by() {
  return listings::k_posted_by;
}
std::span<const std::string_view> names_of_facing() {
  return listings::k_facings;
}
std::span<const std::string_view> names_of_tenant_preference() {
  return listings::k_tenant_preferences;
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
