#include "saved/shortlist_service.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>

#include "listings/gazetteer.hpp"

namespace griha::saved {
namespace {

// The key facts side by side, in this order. Every name is a public view key (most come from
// the listing field table, listing_fields()); tests/saved checks both.
constexpr std::pair<std::string_view, std::string_view> k_compare_fields[] = {
    {"price", "Price (₹)"},
    {"price_per_sqft", "Price per sq ft (₹)"},
    {"transaction", "For"},
    {"property_type", "Property type"},
    {"bhk", "BHK"},
    {"bathrooms", "Bathrooms"},
    {"balconies", "Balconies"},
    {"carpet_area_sqft", "Carpet area (sq ft)"},
    {"built_up_area_sqft", "Built-up area (sq ft)"},
    {"super_built_up_area_sqft", "Super built-up area (sq ft)"},
    {"plot_area_sqyd", "Plot area (sq yd)"},
    {"floor", "Floor"},
    {"total_floors", "Total floors"},
    {"furnishing", "Furnishing"},
    {"possession", "Possession"},
    {"possession_date", "Possession by"},
    {"age_years", "Age (years)"},
    {"facing", "Facing"},
    {"parking_covered", "Covered parking"},
    {"parking_open", "Open parking"},
    {"maintenance_monthly", "Maintenance per month (₹)"},
    {"security_deposit", "Security deposit (₹)"},
    {"brokerage", "Brokerage (₹)"},
    {"tenant_preference", "Tenants"},
    {"pets_allowed", "Pets allowed"},
    {"amenities", "Amenities"},
    {"posted_by", "Posted by"},
    {"verified", "Verified"},
    {"rera_number", "RERA number"},
};

Error not_public(std::int64_t id) {
  Error e = Error::make(ErrorKind::not_found, "listing_not_found",
                        "Listing " + std::to_string(id) + " is not on the market.");
  e.fields.push_back({"/ids", FieldCode::not_found, "listing " + std::to_string(id) + " not found",
                      FieldIn::query});
  return e;
}

}  // namespace

std::span<const std::pair<std::string_view, std::string_view>> compare_fields() {
  return k_compare_fields;
}

Result<std::vector<std::int64_t>> parse_compare_ids(std::string_view text) {
  const auto bad = [](FieldCode code) {
    return Error::field("/ids", code, "must be 2 to 4 different listing ids separated by commas",
                        FieldIn::query);
  };
  std::vector<std::int64_t> ids;
  while (true) {
    const auto comma = text.find(',');
    const std::string_view item = text.substr(0, comma);
    std::int64_t id = 0;
    const auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), id);
    if (item.empty() || ec != std::errc{} || end != item.data() + item.size() || id <= 0)
      return bad(text.empty() && ids.empty() ? FieldCode::required : FieldCode::invalid_value);
    if (std::find(ids.begin(), ids.end(), id) != ids.end()) return bad(FieldCode::duplicate_value);
    ids.push_back(id);
    if (ids.size() > k_compare_max) return bad(FieldCode::too_many_values);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  if (ids.size() < k_compare_min) return bad(FieldCode::too_few_values);
  return ids;
}

boost::json::object compare_json(std::span<const listings::Listing> ls,
                                 const listings::Gazetteer& gazetteer) {
  boost::json::array views, rows;
  std::vector<boost::json::object> publics;
  for (const auto& l : ls) publics.push_back(listings::to_json(l, listings::View::public_view));
  {
    // Where it is, by name: ids mean nothing to a reader.
    boost::json::array values;
    for (const auto& l : ls) {
      const auto* loc = l.locality_id ? gazetteer.locality(*l.locality_id) : nullptr;
      const auto* city = l.city_id ? gazetteer.city(*l.city_id) : nullptr;
      std::string place = loc ? loc->name : "";
      if (city) place += (place.empty() ? "" : ", ") + city->name;
      values.push_back(place.empty() ? boost::json::value() : boost::json::value(place));
    }
    rows.push_back({{"field", "location"}, {"label", "Location"}, {"values", std::move(values)}});
  }
  for (const auto& [field, label] : k_compare_fields) {
    boost::json::array values;
    for (const auto& p : publics) {
      const auto* v = p.if_contains(field);
      values.push_back(v ? *v : boost::json::value());
    }
    rows.push_back({{"field", field}, {"label", label}, {"values", std::move(values)}});
  }
  for (auto& p : publics) views.push_back(std::move(p));
  return {{"listings", std::move(views)}, {"rows", std::move(rows)}};
}

ShortlistService::ShortlistService(storage::Database& db, listings::ListingService& listings,
                                   ShortlistOptions options, Clock clock)
    : db_(db), listings_(listings), options_(options), clock_(std::move(clock)) {}

Result<bool> ShortlistService::add(std::int64_t user_id, std::int64_t listing_id) {
  // Public only: the same rule, and the same 404, as anyone reading the listing.
  auto listing = listings_.get(std::nullopt, listing_id);
  if (!listing) return listing.error();
  auto tx = db_.begin();
  if (!tx) return tx.error();
  if (auto r = repo::lock_user(*tx, user_id); !r) return r.error();
  auto present = repo::shortlist_contains(*tx, user_id, listing_id);
  if (!present) return present.error();
  if (*present) return false;
  auto count = repo::shortlist_count(*tx, user_id);
  if (!count) return count.error();
  if (*count >= options_.cap)
    return Error::make(ErrorKind::conflict, "shortlist_full",
                       "Your shortlist holds " + std::to_string(options_.cap) +
                           " listings at most; remove some to add more.");
  if (auto r = repo::shortlist_insert(*tx, user_id, listing_id, listing->title.value_or(""),
                                      iso_utc(clock_()));
      !r)
    return r.error();
  if (auto r = tx->commit(); !r) return r.error();
  return true;
}

Result<void> ShortlistService::remove(std::int64_t user_id, std::int64_t listing_id) {
  return repo::shortlist_delete(db_, user_id, listing_id);
}

Result<std::vector<ShortlistEntry>> ShortlistService::list(std::int64_t user_id) {
  auto rows = repo::shortlist(db_, user_id);
  if (!rows) return rows.error();
  std::vector<ShortlistEntry> out;
  out.reserve(rows->size());
  for (auto& row : *rows) {
    ShortlistEntry e{row.listing_id, std::move(row.title), std::move(row.added_at), std::nullopt};
    auto l = listings_.get(std::nullopt, row.listing_id);
    if (l)
      e.listing = std::move(*l);
    else if (l.error().kind != ErrorKind::not_found)
      return l.error();
    out.push_back(std::move(e));
  }
  return out;
}

Result<std::vector<listings::Listing>> ShortlistService::compare(
    std::span<const std::int64_t> ids) {
  std::vector<listings::Listing> out;
  for (std::int64_t id : ids) {
    auto l = listings_.get(std::nullopt, id);
    if (!l) return l.error().kind == ErrorKind::not_found ? not_public(id) : l.error();
    out.push_back(std::move(*l));
  }
  return out;
}

}  // namespace griha::saved
