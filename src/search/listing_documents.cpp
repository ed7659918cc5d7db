#include "search/listing_documents.hpp"

#include <algorithm>
#include <ctime>
#include <mutex>
#include <thread>

namespace griha::search {
namespace {

// The columns the index and the cards need, in this order.
constexpr std::string_view k_columns =
    "SELECT id, city_id, locality_id, project_name, transaction_type, property_type, bhk, "
    "bathrooms, price, carpet_area_sqft, built_up_area_sqft, super_built_up_area_sqft, "
    "plot_area_sqyd, furnishing, possession, possession_date, posted_by, amenities, verified, "
    "photo_count, facing, floor, total_floors, tenant_preference, pets_allowed, published_at, "
    "rera_number, featured, latitude, longitude, title, description FROM listings "
    "WHERE status = 'active' AND deleted_at IS NULL";

const storage::Query& page_query() {
  static const std::string sql =
      std::string(k_columns) + " AND id > $1 AND id <= $2 ORDER BY id LIMIT $3";
  static const storage::Query q{"search.load_page", sql};
  return q;
}
constexpr storage::Query k_max_id{"search.max_id", "SELECT COALESCE(MAX(id), 0) FROM listings"};

const storage::Query& one_query() {
  static const std::string sql = std::string(k_columns) + " AND id = $1";
  static const storage::Query q{"search.load_one", sql};
  return q;
}

const storage::Query& published_query() {
  static const std::string sql =
      std::string(k_columns) +
      " AND published_at IS NOT NULL AND (published_at > $1 OR (published_at = $1 AND id > $2))"
      " ORDER BY published_at, id LIMIT $3";
  static const storage::Query q{"search.load_published", sql};
  return q;
}

template <class E>
E enum_of(std::span<const std::string_view> names, const std::string& text, E fallback) {
  const auto i = enum_index(names, text);
  return i ? static_cast<E>(*i) : fallback;
}
// A nullable choice column: absent when NULL (or a value the vocabulary no longer has).
template <class E>
std::optional<E> optional_enum(std::span<const std::string_view> names, const storage::Row& r,
                               std::size_t col) {
  if (r.is_null(col)) return std::nullopt;
  const auto i = enum_index(names, r.text(col));
  return i ? std::optional<E>(static_cast<E>(*i)) : std::nullopt;
}

// "2026-11-24T03:10:05Z" -> unix seconds.
std::int64_t unix_seconds(const std::string& iso) {
  std::tm tm{};
  if (iso.size() < 19 || !strptime(iso.c_str(), "%Y-%m-%dT%H:%M:%S", &tm)) return 0;
  return static_cast<std::int64_t>(timegm(&tm));
}

// "2028-06" -> days since 1970-01-01 of the first of that month.
std::int32_t month_days(const std::string& month) {
  std::tm tm{};
  if (!strptime((month + "-01").c_str(), "%Y-%m-%d", &tm)) return 0;
  return static_cast<std::int32_t>(timegm(&tm) / 86400);
}

std::pair<Document, Card> from_row(const storage::Row& r, const listings::Gazetteer& gazetteer) {
  Document d;
  Card c;
  d.id = r.i64(0);
  d.city_id = c.city_id = static_cast<std::uint32_t>(r.i64(1));
  d.locality_id = c.locality_id = static_cast<std::uint32_t>(r.i64(2));
  if (const auto* city = gazetteer.city(d.city_id)) d.city_name = city->name;
  if (const auto* loc = gazetteer.locality(d.locality_id)) d.locality_name = loc->name;
  d.project_name = r.text(3);
  d.project_id = project_id_of(d.city_id, d.project_name);
  d.transaction = c.transaction =
      enum_of(names_of_transaction(), r.text(4), Transaction::sale_resale);
  d.property_type = c.property_type =
      enum_of(names_of_property_type(), r.text(5), PropertyType::apartment);
  if (!r.is_null(6)) d.bhk = static_cast<std::uint8_t>(std::clamp<std::int64_t>(r.i64(6), 0, 5));
  if (!r.is_null(7))
    d.bathrooms = static_cast<std::uint8_t>(std::clamp<std::int64_t>(r.i64(7), 0, 200));
  d.price = r.i64(8);
  // The same area the listing quotes its price per sq ft on (Listing::reference_area_sqft).
  std::int64_t area = 0;
  for (std::size_t col : {9, 10, 11})
    if (!area && !r.is_null(col)) area = r.i64(col);
  if (!area && !r.is_null(12)) area = r.i64(12) * 9;
  d.area_sqft = static_cast<std::uint32_t>(area);
  d.price_per_sqft = c.price_per_sqft = derive_price_per_sqft(d.price, d.area_sqft);
  d.furnishing = c.furnishing = optional_enum<Furnishing>(names_of_furnishing(), r, 13);
  if (!r.is_null(14)) d.ready_to_move = r.text(14) != "under_construction";
  d.possession_days = d.ready_to_move == false && !r.is_null(15) ? month_days(r.text(15)) : 0;
  d.posted_by = c.posted_by = enum_of(names_of_posted_by(), r.text(16), PostedBy::owner);
  d.amenities = static_cast<std::uint64_t>(r.i64(17));
  d.verified = c.verified = r.i64(18) != 0;
  c.photo_count = static_cast<std::uint16_t>(std::min<std::int64_t>(r.i64(19), 65535));
  d.has_photos = c.photo_count > 0;
  d.facing = optional_enum<Facing>(names_of_facing(), r, 20);
  if (!r.is_null(21)) d.floor = static_cast<std::int16_t>(r.i64(21));
  d.total_floors = static_cast<std::int16_t>(r.i64(22));
  d.tenant_preference = optional_enum<TenantPreference>(names_of_tenant_preference(), r, 23);
  d.pets_allowed = r.i64(24) != 0;
  d.posted_at = unix_seconds(r.text(25));
  d.rera_registered = !r.is_null(26);
  if (d.rera_registered) d.rera_number = r.text(26);
  d.featured = r.i64(27) != 0;
  d.lat = static_cast<float>(r.f64(28));
  d.lng = static_cast<float>(r.f64(29));
  d.title = c.title = r.text(30);
  d.description = r.text(31);
  return {std::move(d), std::move(c)};
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

Result<std::vector<PublishedListing>> load_published_page(storage::Database& db,
                                                          const listings::Gazetteer& gazetteer,
                                                          const std::string& after_published_at,
                                                          std::int64_t after_id,
                                                          std::size_t limit) {
  auto rows = db.exec(published_query(), storage::params(after_published_at, after_id,
                                                         static_cast<std::int64_t>(limit)));
  if (!rows) return rows.error();
  std::vector<PublishedListing> out;
  out.reserve(rows->rows.size());
  for (const auto& r : rows->rows) out.push_back({r.text(25), from_row(r, gazetteer).first});
  return out;
}

ListingSearch::ListingSearch(storage::Database& db, const listings::Gazetteer& gazetteer,
                             IndexOptions options)
    : db_(db), gazetteer_(gazetteer), index_(std::move(options)) {}

Result<std::size_t> ListingSearch::load() {
  auto max_id = db_.exec(k_max_id);
  if (!max_id) return max_id.error();
  const std::int64_t last = max_id->rows.at(0).i64(0);

  // Reading and converting rows dominates the start-up; two halves of the id range load on
  // two threads over two pooled connections (SQLite's WAL readers run side by side).
  struct Part {
    std::vector<Document> docs;
    std::unordered_map<std::int64_t, Card> cards;
    std::optional<Error> error;
  };
  auto load_range = [this](std::int64_t from, std::int64_t to, Part& part) {
    constexpr std::int64_t k_page = 50'000;  // bounds the rows held at once
    for (std::int64_t after = from;;) {
      auto rows = db_.exec(page_query(), storage::params(after, to, k_page));
      if (!rows) {
        part.error = rows.error();
        return;
      }
      for (const auto& r : rows->rows) {
        auto [doc, card] = from_row(r, gazetteer_);
        part.cards.emplace(doc.id, std::move(card));
        part.docs.push_back(std::move(doc));
      }
      if (static_cast<std::int64_t>(rows->rows.size()) < k_page) return;
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
  low.cards.merge(high.cards);
  index_.build(low.docs);
  std::unique_lock lock(cards_mu_);
  cards_ = std::move(low.cards);
  return low.docs.size();
}

Result<void> ListingSearch::refresh(std::int64_t listing_id) {
  auto rows = db_.exec(one_query(), storage::params(listing_id));
  if (!rows) return rows.error();
  if (rows->rows.empty()) {
    index_.remove(listing_id);
    std::unique_lock lock(cards_mu_);
    cards_.erase(listing_id);
    return {};
  }
  auto [doc, card] = from_row(rows->rows.front(), gazetteer_);
  {
    // The card first: a search that finds the listing must find its card.
    std::unique_lock lock(cards_mu_);
    cards_[listing_id] = std::move(card);
  }
  index_.upsert(doc);
  return {};
}

std::optional<Card> ListingSearch::card(std::int64_t id) const {
  std::shared_lock lock(cards_mu_);
  const auto it = cards_.find(id);
  if (it == cards_.end()) return std::nullopt;
  return it->second;
}

}  // namespace griha::search
