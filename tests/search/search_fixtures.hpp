// Random listings for search tests. Values come from small domains on purpose: ties in price,
// area and date exercise the id tie-break, and narrow filters still match something.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "search/document.hpp"

namespace griha::search::test {

inline constexpr std::int64_t k_now = 1'750'000'000;  // a fixed "now" for deterministic queries

struct CityCentre {
  std::uint32_t id;
  float lat, lng;
};
inline const std::vector<CityCentre>& test_cities() {
  static const std::vector<CityCentre> c{{1, 19.07f, 72.87f},
                                         {2, 28.61f, 77.20f},
                                         {3, 12.97f, 77.59f},
                                         {4, 17.38f, 78.48f},
                                         {5, 18.52f, 73.85f}};
  return c;
}
inline constexpr int k_localities_per_city = 8;
inline std::uint32_t locality_of(std::uint32_t city, int i) {
  return city * 100 + i;
}

inline const std::vector<std::string>& test_words() {
  static const std::vector<std::string> w{"spacious", "sunny",   "corner",    "garden", "metro",
                                          "school",   "market",  "renovated", "modern", "marble",
                                          "balcony",  "terrace", "quiet",     "vastu",  "skyline",
                                          "lakeview", "premium", "budget",    "family", "bachelor"};
  return w;
}

inline std::vector<Document> random_documents(std::size_t n, std::uint32_t seed) {
  std::mt19937_64 rng(seed);
  auto pick = [&](int n_values) {
    return static_cast<int>(rng() % static_cast<unsigned>(n_values));
  };
  const auto& cities = test_cities();
  const auto& words = test_words();
  std::vector<Document> docs;
  docs.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    Document d;
    d.id = static_cast<std::int64_t>(i * 3 + 1 + rng() % 3);  // gaps, as after deletions
    const auto& c = cities[pick(static_cast<int>(cities.size()))];
    d.city_id = c.id;
    d.locality_id = locality_of(c.id, pick(k_localities_per_city));
    d.project_id = pick(3) == 0 ? static_cast<std::uint32_t>(1000 + pick(20)) : 0;
    d.transaction = static_cast<Transaction>(pick(k_transaction_count));
    d.property_type = static_cast<PropertyType>(pick(k_property_type_count));
    // Every optional field is left empty now and then (absent is never a value).
    if (pick(8) != 0) d.bhk = static_cast<std::uint8_t>(pick(k_bhk_count));
    if (pick(8) != 0) d.bathrooms = static_cast<std::uint8_t>(1 + pick(4));
    const bool rent = d.transaction == Transaction::rent;
    d.price = rent ? 5'000 * (1 + pick(40)) : 5'00'000 * (1 + pick(300));
    d.area_sqft = pick(10) != 0 ? static_cast<std::uint32_t>(300 + 50 * pick(60)) : 0;
    d.price_per_sqft = derive_price_per_sqft(d.price, d.area_sqft);
    if (pick(8) != 0) d.furnishing = static_cast<Furnishing>(pick(k_furnishing_count));
    if (pick(8) != 0) d.ready_to_move = pick(3) != 0;
    d.possession_days = d.ready_to_move == false ? 20'300 + pick(1000) : 0;
    d.posted_by = static_cast<PostedBy>(pick(k_posted_by_count));
    d.amenities = rng() & 0xfff;
    d.verified = pick(2) != 0;
    d.has_photos = pick(4) != 0;
    if (pick(8) != 0) d.facing = static_cast<Facing>(pick(k_facing_count));
    d.total_floors = static_cast<std::int16_t>(1 + pick(30));
    if (pick(8) != 0) d.floor = static_cast<std::int16_t>(pick(d.total_floors + 1));
    // Given on sale listings too now and then: the index must ignore it there.
    if (pick(6) != 0)
      d.tenant_preference = static_cast<TenantPreference>(pick(k_tenant_preference_count));
    d.pets_allowed = pick(2) != 0;
    d.posted_at = k_now - 86400LL * pick(200) - 3600LL * pick(3);
    d.rera_registered = pick(3) == 0;
    if (d.rera_registered) d.rera_number = "P518" + std::to_string(10'000'000 + d.id);
    d.featured = pick(20) == 0;
    d.lat = c.lat + static_cast<float>(pick(2001) - 1000) * 0.0002f;
    d.lng = c.lng + static_cast<float>(pick(2001) - 1000) * 0.0002f;
    d.title = std::to_string(d.bhk.value_or(0)) + " BHK " + words[pick(20)] + " " + words[pick(20)];
    d.description = words[pick(20)] + " " + words[pick(20)] + " " + words[pick(20)] + " home";
    d.locality_name = "Locality " + std::to_string(d.locality_id);
    d.project_name = d.project_id ? "Project " + std::to_string(d.project_id) : "";
    docs.push_back(std::move(d));
  }
  return docs;
}

}  // namespace griha::search::test
