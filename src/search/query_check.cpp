// What a query must satisfy before it runs (validate) and what decides its matches
// (filters_hash, which cursors carry).
#include <algorithm>
#include <bit>

#include "search/geo.hpp"
#include "search/index.hpp"
#include "search/text.hpp"

namespace griha::search {

std::uint64_t filters_hash(const Query& q) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  auto mix = [&](std::uint64_t v) {
    for (int i = 0; i < 8; ++i) {
      h ^= (v >> (8 * i)) & 0xff;
      h *= 0x100000001b3ull;
    }
  };
  auto opt = [&](const auto& o) {
    mix(o.has_value());
    if (o) mix(static_cast<std::uint64_t>(*o));
  };
  auto set = [&](const auto& values) {
    std::uint64_t bits = 0;  // every listed enum has fewer than 64 values
    for (auto v : values) bits |= std::uint64_t{1} << (static_cast<unsigned>(v) & 63);
    mix(bits);
  };
  auto range = [&](const Range& r) {
    opt(r.min);
    opt(r.max);
  };
  auto real = [&](double v) { mix(std::bit_cast<std::uint64_t>(v)); };
  opt(q.city_id);
  std::vector<std::uint32_t> localities = q.locality_ids;
  std::sort(localities.begin(), localities.end());
  localities.erase(std::unique(localities.begin(), localities.end()), localities.end());
  mix(localities.size());
  for (auto id : localities) mix(id);
  opt(q.project_id);
  set(q.transactions);
  set(q.property_types);
  set(q.bhk);
  range(q.price);
  range(q.area_sqft);
  range(q.price_per_sqft);
  set(q.furnishing);
  mix(q.ready_to_move);
  opt(q.possession_by_days);
  set(q.posted_by);
  mix(q.amenities_all);
  mix(q.verified_only);
  mix(q.with_photos_only);
  set(q.facing);
  range(q.floor);
  opt(q.bathrooms_min);
  opt(q.tenant_preference);
  mix(q.pets_allowed_only);
  opt(q.posted_within_days);
  mix(q.rera_only);
  // Text as the index reads it, so that spacing and case do not matter.
  for (const auto& t : tokenize(q.text)) {
    mix(t.size());
    for (unsigned char c : t) mix(c);
  }
  mix(q.circle.has_value());
  if (q.circle) {
    real(q.circle->center.lat);
    real(q.circle->center.lng);
    real(q.circle->radius_m);
  }
  mix(q.bbox.has_value());
  if (q.bbox) {
    real(q.bbox->min_lat);
    real(q.bbox->min_lng);
    real(q.bbox->max_lat);
    real(q.bbox->max_lng);
  }
  mix(q.polygon.size());
  for (const auto& p : q.polygon) {
    real(p.lat);
    real(p.lng);
  }
  mix(q.origin.has_value());
  if (q.origin) {
    real(q.origin->lat);
    real(q.origin->lng);
  }
  mix(static_cast<std::uint64_t>(q.sort));
  return h;
}

Result<void> validate(const Query& q) {
  Error e = Error::make(ErrorKind::invalid, "validation_failed", "The request has invalid fields.");
  // Problems name query parameters ("/price_min", in the query).
  auto bad = [&](std::string_view field, FieldCode code, std::string message) {
    e.fields.push_back({json_pointer(field), code, std::move(message), FieldIn::query});
  };
  if (q.page_size < 1 || q.page_size > k_max_page_size) {
    bad("page_size", FieldCode::out_of_range, "page_size must be between 1 and 100.");
  }
  const std::pair<const Range*, const char*> ranges[] = {{&q.price, "price"},
                                                         {&q.area_sqft, "area"},
                                                         {&q.price_per_sqft, "price_per_sqft"},
                                                         {&q.floor, "floor"}};
  for (auto [r, name] : ranges) {
    if (r->min && r->max && *r->min > *r->max) {
      bad(std::string(name) + "_min", FieldCode::inconsistent,
          std::string(name) + "_min is greater than " + name + "_max.");
    }
  }
  for (auto b : q.bhk) {
    if (b >= k_bhk_count) bad("bhk", FieldCode::out_of_range, "bhk is 0 (1 RK) to 5 (5+).");
  }
  if (q.circle && !(q.circle->radius_m > 0 && q.circle->radius_m <= 100'000)) {
    bad("radius_m", FieldCode::out_of_range, "radius_m must be more than 0 and at most 100 km.");
  }
  if (q.bbox && (q.bbox->min_lat > q.bbox->max_lat || q.bbox->min_lng > q.bbox->max_lng)) {
    bad("bbox", FieldCode::inconsistent, "bbox is min_lat,min_lng,max_lat,max_lng.");
  }
  if (!q.polygon.empty()) {
    if (auto r = validate_polygon(q.polygon, "/polygon"); !r) {
      for (auto& f : r.error().fields) e.fields.push_back(f);
    }
  }
  if (q.sort == Sort::distance && !q.circle && !q.origin) {
    bad("sort", FieldCode::inconsistent, "Sorting by distance needs a point: lat and lng.");
  }
  if (q.cursor && q.cursor->sort != q.sort) {
    bad("cursor", FieldCode::invalid_value,
        "The cursor is not one this server issued for this sort.");
  } else if (q.cursor && q.cursor->filters != filters_hash(q)) {
    bad("cursor", FieldCode::invalid_value,
        "The cursor was issued for a search with other filters.");
  }
  if (q.locality_top_n < 1 || q.locality_top_n > 100) {
    bad("locality_top_n", FieldCode::out_of_range, "locality_top_n must be between 1 and 100.");
  }
  if (q.posted_within_days && *q.posted_within_days < 0) {
    bad("posted_within_days", FieldCode::out_of_range, "posted_within_days cannot be negative.");
  }
  if (!e.fields.empty()) return e;
  return {};
}

}  // namespace griha::search
