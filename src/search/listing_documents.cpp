#include "search/listing_documents.hpp"

#include <algorithm>
#include <ctime>
#include <thread>

#include "core/time.hpp"

namespace griha::search {
namespace {

template <class E>
E enum_of(std::span<const std::string_view> names, const std::optional<std::string>& text,
          E fallback) {
  const auto i = text ? enum_index(names, *text) : std::nullopt;
  return i ? static_cast<E>(*i) : fallback;
}
// A choice the lister may leave empty: absent when empty (or a value the vocabulary no longer
// has).
template <class E>
std::optional<E> optional_enum(std::span<const std::string_view> names,
                               const std::optional<std::string>& text) {
  const auto i = text ? enum_index(names, *text) : std::nullopt;
  return i ? std::optional<E>(static_cast<E>(*i)) : std::nullopt;
}

// "2026-11-24T03:10:05Z" -> unix seconds.
std::int64_t unix_seconds(const std::string& iso) {
  return parse_iso_utc(iso).value_or(0);
}

// "2028-06" -> days since 1970-01-01 of the first of that month.
std::int32_t month_days(const std::string& month) {
  const auto date = parse_iso_date(month + "-01");
  return date ? static_cast<std::int32_t>(date->time_since_epoch().count()) : 0;
}

}  // namespace

std::uint32_t project_id_of(std::uint32_t city_id, std::string_view project_name) {
  if (project_name.empty()) return 0;
  // FNV-1a over "city:name": stable everywhere, and collisions among one city's projects are
  // vanishingly rare at 32 bits.
  std::uint32_t h = 2166136261u;
  auto mix = [&h](unsigned char ch) {
    h ^= ch;
    h *= 16777619u;
  };
  for (char ch : std::to_string(city_id)) mix(static_cast<unsigned char>(ch));
  mix(':');
  for (char ch : project_name)
    mix(static_cast<unsigned char>(std::tolower(static_cast<unsigned char>(ch))));
  return h == 0 ? 1 : h;
}

Document document_of(const listings::ActiveListing& active, const listings::Gazetteer& gazetteer) {
  const listings::Listing& l = active.listing;
  Document d;
  d.id = l.id;
  d.city_id = static_cast<std::uint32_t>(l.city_id.value_or(0));
  d.locality_id = static_cast<std::uint32_t>(l.locality_id.value_or(0));
  if (const auto* city = gazetteer.city(d.city_id)) d.city_name = city->name;
  if (const auto* loc = gazetteer.locality(d.locality_id)) d.locality_name = loc->name;
  d.project_name = l.project_name.value_or("");
  d.project_id = project_id_of(d.city_id, d.project_name);
  d.transaction = enum_of(names_of_transaction(), l.transaction, Transaction::sale_resale);
  d.property_type = enum_of(names_of_property_type(), l.property_type, PropertyType::apartment);
  if (l.bhk)
    d.bhk = static_cast<std::uint8_t>(std::clamp<std::int64_t>(*l.bhk, 0, k_bhk_count - 1));
  if (l.bathrooms)
    d.bathrooms = static_cast<std::uint8_t>(std::clamp<std::int64_t>(*l.bathrooms, 0, 200));
  d.price = l.price.value_or(0);
  d.area_sqft = static_cast<std::uint32_t>(l.reference_area_sqft().value_or(0));
  d.price_per_sqft = static_cast<std::uint32_t>(l.price_per_sqft().value_or(0));
  d.furnishing = optional_enum<Furnishing>(names_of_furnishing(), l.furnishing);
  if (l.possession) d.ready_to_move = *l.possession != "under_construction";
  if (d.ready_to_move == false && l.possession_date)
    d.possession_days = month_days(*l.possession_date);
  d.posted_by = enum_of(names_of_posted_by(), l.posted_by, PostedBy::owner);
  d.amenities = l.amenities;
  d.verified = l.verified;
  d.photo_count = static_cast<std::uint16_t>(std::clamp<std::int64_t>(l.photo_count, 0, 65535));
  d.has_photos = d.photo_count > 0;
  d.cover_key = active.cover_key;
  d.facing = optional_enum<Facing>(names_of_facing(), l.facing);
  if (l.floor) d.floor = static_cast<std::int16_t>(*l.floor);
  d.total_floors = static_cast<std::int16_t>(l.total_floors.value_or(0));
  d.tenant_preference =
      optional_enum<TenantPreference>(names_of_tenant_preference(), l.tenant_preference);
  d.pets_allowed = l.pets_allowed.value_or(false);
  d.posted_at = unix_seconds(l.published_at);
  d.rera_registered = l.rera_number.has_value();
  d.rera_number = l.rera_number.value_or("");
  d.featured = l.featured;
  d.lat = static_cast<float>(l.latitude.value_or(0));
  d.lng = static_cast<float>(l.longitude.value_or(0));
  d.title = l.title.value_or("");
  d.description = l.description.value_or("");
  return d;
}

Result<std::vector<PublishedListing>> load_published_page(storage::Database& db,
                                                          const listings::Gazetteer& gazetteer,
                                                          const std::string& after_published_at,
                                                          std::int64_t after_id,
                                                          std::size_t limit) {
  auto page =
      listings::repo::active_by_published(db, after_published_at, after_id, static_cast<std::int64_t>(limit));
  if (!page) return page.error();
  std::vector<PublishedListing> out;
  out.reserve(page->size());
  for (const auto& a : *page) out.push_back({a.listing.published_at, document_of(a, gazetteer)});
  return out;
}

ListingSearch::ListingSearch(storage::Database& db, const listings::Gazetteer& gazetteer,
                             IndexOptions options)
    : db_(db), gazetteer_(gazetteer), index_(std::move(options)) {}

Result<std::size_t> ListingSearch::load() {
  auto max_id = listings::repo::max_id(db_);
  if (!max_id) return max_id.error();
  const std::int64_t last = *max_id;

  // Reading and converting rows dominates the start-up; two halves of the id range load on
  // two threads over two pooled connections (SQLite's WAL readers run side by side).
  struct Part {
    std::vector<Document> docs;
    std::optional<Error> error;
  };
  auto load_range = [this](std::int64_t from, std::int64_t to, Part& part) {
    constexpr std::int64_t k_page = 50'000;  // bounds the rows held at once
    for (std::int64_t after = from;;) {
      auto page = listings::repo::active_by_id(db_, after, to, k_page);
      if (!page) {
        part.error = page.error();
        return;
      }
      for (const auto& a : *page) part.docs.push_back(document_of(a, gazetteer_));
      if (static_cast<std::int64_t>(page->size()) < k_page) return;
      after = part.docs.back().id;
    }
  };
  Part low, high;
  const std::int64_t mid = last / 2;
  {
    std::jthread other([&] { load_range(mid, last, high); });
    load_range(0, mid, low);
  }
  if (low.error) return *low.error;
  if (high.error) return *high.error;
  low.docs.insert(low.docs.end(), std::make_move_iterator(high.docs.begin()),
                  std::make_move_iterator(high.docs.end()));
  index_.build(low.docs);
  return low.docs.size();
}

Result<void> ListingSearch::refresh(std::int64_t listing_id) {
  auto found = listings::repo::active(db_, listing_id);
  if (!found) return found.error();
  if (!*found) {
    index_.remove(listing_id);
    return {};
  }
  index_.upsert(document_of(**found, gazetteer_));
  return {};
}

}  // namespace griha::search
