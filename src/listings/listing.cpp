#include "listings/listing.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <cmath>
#include <regex>

#include "core/text.hpp"
#include "core/validation.hpp"
#include "listings/gazetteer.hpp"
#include "listings/vocabulary.hpp"

namespace griha::listings {
namespace {

using Kind = FieldSpec::Kind;
using L = Listing;

constexpr std::string_view k_status_names[] = {"draft", "pending_review", "active",    "rejected",
                                               "sold",  "rented",         "withdrawn", "expired"};

// Hosts whose players may be embedded on a listing page. Anything else could be a phishing
// page or a tracker framed inside Griha.
constexpr std::string_view k_media_hosts[] = {
    "youtube.com",    "www.youtube.com",   "m.youtube.com",   "youtu.be",
    "matterport.com", "my.matterport.com", "vimeo.com",       "player.vimeo.com",
    "kuula.co",       "www.kuula.co",      "www.3dvista.com", "tour.panoee.com"};

constexpr std::int64_t k_max_price = 10'000'000'000'000;  // ₹10 lakh crore: beyond any listing

const FieldSpec k_fields[] = {
    // name, RESO name, kind, min, max, choices, material, member
    {"transaction", "", Kind::choice, 0, 0, k_transactions, true, &L::transaction},
    {"property_type", "PropertySubType", Kind::choice, 0, 0, k_property_types, true,
     &L::property_type},
    {"title", "", Kind::text, 10, 120, {}, true, &L::title},
    {"description", "PublicRemarks", Kind::text, 30, 5000, {}, true, &L::description},
    {"bhk", "BedroomsTotal", Kind::integer, 0, 5, {}, true, &L::bhk},
    {"bathrooms", "BathroomsTotalInteger", Kind::integer, 0, 20, {}, true, &L::bathrooms},
    {"balconies", "", Kind::integer, 0, 20, {}, false, &L::balconies},
    {"carpet_area_sqft",
     "LivingArea",
     Kind::integer,
     50,
     1'000'000,
     {},
     true,
     &L::carpet_area_sqft},
    {"built_up_area_sqft",
     "BuildingAreaTotal",
     Kind::integer,
     50,
     1'000'000,
     {},
     true,
     &L::built_up_area_sqft},
    {"super_built_up_area_sqft",
     "",
     Kind::integer,
     50,
     1'000'000,
     {},
     true,
     &L::super_built_up_area_sqft},
    {"plot_area_sqyd",
     "LotSizeSquareFeet",
     Kind::integer,
     10,
     10'000'000,
     {},
     true,
     &L::plot_area_sqyd},
    {"price", "ListPrice", Kind::integer, 1000, k_max_price, {}, false, &L::price},
    {"security_deposit", "", Kind::integer, 0, k_max_price, {}, false, &L::security_deposit},
    {"maintenance_monthly",
     "AssociationFee",
     Kind::integer,
     0,
     10'000'000,
     {},
     false,
     &L::maintenance_monthly},
    {"brokerage", "", Kind::integer, 0, k_max_price, {}, false, &L::brokerage},
    {"furnishing", "Furnished", Kind::choice, 0, 0, k_furnishings, false, &L::furnishing},
    {"possession", "", Kind::choice, 0, 0, k_possessions, true, &L::possession},
    {"possession_date", "", Kind::text, 7, 7, {}, false, &L::possession_date},
    {"age_years", "", Kind::integer, 0, 200, {}, false, &L::age_years},
    {"facing", "DirectionFaces", Kind::choice, 0, 0, k_facings, false, &L::facing},
    {"floor", "", Kind::integer, -3, 200, {}, false, &L::floor},
    {"total_floors", "StoriesTotal", Kind::integer, 1, 200, {}, false, &L::total_floors},
    {"parking_covered", "CoveredSpaces", Kind::integer, 0, 100, {}, false, &L::parking_covered},
    {"parking_open", "OpenParkingSpaces", Kind::integer, 0, 100, {}, false, &L::parking_open},
    {"tenant_preference", "", Kind::choice, 0, 0, k_tenant_preferences, false, &L::tenant_preference},
    {"pets_allowed", "PetsAllowed", Kind::boolean, 0, 0, {}, false, &L::pets_allowed},
    {"city_id", "", Kind::integer, 1, 1'000'000, {}, true, &L::city_id},
    {"locality_id", "", Kind::integer, 1, 100'000'000, {}, true, &L::locality_id},
    {"project_name", "BuildingName", Kind::text, 2, 120, {}, true, &L::project_name},
    {"pincode", "PostalCode", Kind::text, 6, 6, {}, true, &L::pincode},
    {"latitude", "Latitude", Kind::number, 6, 38, {}, true, &L::latitude},
    {"longitude", "Longitude", Kind::number, 68, 98, {}, true, &L::longitude},
    {"rera_number", "", Kind::text, 6, 60, {}, true, &L::rera_number},
    {"virtual_tour_url",
     "VirtualTourURLUnbranded",
     Kind::url,
     0,
     500,
     {},
     true,
     &L::virtual_tour_url},
    {"video_url", "", Kind::url, 0, 500, {}, true, &L::video_url},
};

// Set by the server or an admin, never by a lister; named so the refusal can say so.
constexpr std::string_view k_protected[] = {
    "id",         "owner_id",    "status",           "featured",      "verified",
    "posted_by",  "version",     "created_at",       "updated_at",    "published_at",
    "expires_at", "photo_count", "rejection_reason", "price_per_sqft"};

bool contains(std::span<const std::string_view> set, std::string_view v) {
  return std::find(set.begin(), set.end(), v) != set.end();
}

bool allowed_media_url(const std::string& text) {
  auto url = boost::urls::parse_absolute_uri(text);
  if (!url || url->scheme() != "https" || url->has_userinfo()) return false;
  return contains(k_media_hosts, std::string(url->encoded_host()));
}

bool valid_rera(const std::string& s) {
  // States format RERA numbers differently (MahaRERA P51800012345, Karnataka
  // PRM/KA/RERA/1251/446/PR/171031/000612, ...): upper-case letters, digits, '/' and '-',
  // with a run of digits somewhere.
  static const std::regex k_shape(R"([A-Z0-9][A-Z0-9/\-]{5,59})");
  static const std::regex k_digits(R"(\d{4,})");
  return std::regex_match(s, k_shape) && std::regex_search(s, k_digits);
}

bool valid_month(const std::string& s) {
  static const std::regex k_month(R"((20[2-9]\d)-(0[1-9]|1[0-2]))");
  return std::regex_match(s, k_month);
}

// Reads one JSON value into `out` per its spec, with the checks every body gets
// (core/validation.hpp) plus the field's own rules; records a problem at `at` otherwise.
template <class T>
void read_value(const FieldSpec& f, const boost::json::value& v, std::optional<T>& out, Problems& p,
                const std::string& at) {
  if (v.is_null()) {
    out.reset();
    return;
  }
  std::optional<T> read;
  if constexpr (std::is_same_v<T, std::int64_t>) {
    read = read_integer(v, f.min, f.max, p, at);
  } else if constexpr (std::is_same_v<T, double>) {
    read = read_number(v, double(f.min), double(f.max), p, at, "inside India");
  } else if constexpr (std::is_same_v<T, bool>) {
    read = read_boolean(v, p, at);
  } else if (f.kind == Kind::choice) {
    read = read_choice(v, f.choices, p, at);
  } else {
    // Descriptions may hold line breaks; every other text is one line.
    read = read_text(v, TextRule{std::size_t(f.min), std::size_t(f.max), f.name == "description"},
                     p, at);
    if (!read) return;
    const std::string& s = *read;
    const char* problem = nullptr;
    if (f.kind == Kind::url && !allowed_media_url(s))
      problem = "must be an https link on an allowed host (YouTube, Matterport, Vimeo, Kuula, ...)";
    else if (f.name == "pincode" && s.find_first_not_of("0123456789") != std::string::npos)
      problem = "must be 6 digits";
    else if (f.name == "possession_date" && !valid_month(s))
      problem = "must be a month, YYYY-MM";
    else if (f.name == "rera_number" && !valid_rera(s))
      problem = "must be a RERA registration number such as P51800012345";
    if (problem) {
      p.add(at, FieldCode::invalid_value, problem);
      return;
    }
  }
  if (read) out = std::move(read);
}

}  // namespace

std::string_view to_string(Status s) {
  return k_status_names[static_cast<int>(s)];
}

std::optional<Status> status_from_string(std::string_view s) {
  for (std::size_t i = 0; i < std::size(k_status_names); ++i)
    if (k_status_names[i] == s) return static_cast<Status>(i);
  return std::nullopt;
}

std::span<const FieldSpec> listing_fields() {
  return k_fields;
}

std::span<const std::string_view> embeddable_media_hosts() {
  return k_media_hosts;
}

std::optional<std::int64_t> Listing::reference_area_sqft() const {
  if (carpet_area_sqft) return carpet_area_sqft;
  if (built_up_area_sqft) return built_up_area_sqft;
  if (super_built_up_area_sqft) return super_built_up_area_sqft;
  if (plot_area_sqyd) return *plot_area_sqyd * 9;
  return std::nullopt;
}

std::optional<std::int64_t> Listing::price_per_sqft() const {
  const auto area = reference_area_sqft();
  if (!price || !area || *area <= 0) return std::nullopt;
  return *price / *area;
}

Result<void> apply_patch(Listing& listing, const boost::json::object& patch,
                         bool* material_changed) {
  Problems problems;
  Listing next = listing;
  bool material = false;
  for (const auto& [key, value] : patch) {
    const std::string name(key);
    const std::string at = json_pointer(name);
    if (name == "amenities") {
      if (!value.is_array()) {
        problems.add(at, FieldCode::invalid_type, "must be an array of amenity names");
        continue;
      }
      std::uint64_t bits = 0;
      const auto& names = value.as_array();
      for (std::size_t i = 0; i < names.size(); ++i) {
        const auto& a = names[i];
        const auto it = a.is_string() ? std::find(std::begin(k_amenities), std::end(k_amenities),
                                                  std::string_view(a.as_string()))
                                      : std::end(k_amenities);
        if (it == std::end(k_amenities)) {
          problems.add(at + json_pointer(i),
                       a.is_string() ? FieldCode::invalid_value : FieldCode::invalid_type,
                       "must be a known amenity: " + choices_text(k_amenities));
          continue;
        }
        bits |= 1ULL << (it - std::begin(k_amenities));
      }
      next.amenities = bits;
      continue;
    }
    if (contains(k_protected, name)) {
      problems.add(at, FieldCode::not_writable,
                   "is set by Griha or an administrator and cannot be changed here");
      continue;
    }
    const FieldSpec* spec = nullptr;
    for (const auto& f : k_fields)
      if (f.name == name) spec = &f;
    if (!spec) {
      problems.add(at, FieldCode::unknown_field, "is not a listing field");
      continue;
    }
    std::visit(
        [&](auto member) {
          auto& slot = next.*member;
          const auto before = slot;
          read_value(*spec, value, slot, problems, at);
          if (spec->material && slot != before) material = true;
        },
        spec->member);
  }
  if (!problems.empty()) return problems.error("The listing has invalid fields.");
  listing = std::move(next);
  if (material_changed) *material_changed = material;
  return {};
}

Result<void> validate(const Listing& l, const Gazetteer& gazetteer, bool complete) {
  Problems problems;
  auto add = [&](std::string_view field, FieldCode code, std::string message) {
    problems.add(json_pointer(field), code, std::move(message));
  };
  if (l.floor && l.total_floors && *l.floor > *l.total_floors)
    add("floor", FieldCode::inconsistent, "must not be above total_floors");
  if (l.city_id && !gazetteer.city(*l.city_id))
    add("city_id", FieldCode::not_found, "is not a known city");
  if (l.locality_id) {
    const auto* loc = gazetteer.locality(*l.locality_id);
    if (!loc)
      add("locality_id", FieldCode::not_found, "is not a known locality");
    else if (l.city_id && loc->city_id != *l.city_id)
      add("locality_id", FieldCode::inconsistent, "is not in the given city");
  }
  if (l.possession == "under_construction" && !l.possession_date)
    add("possession_date", FieldCode::required, "is required for a property under construction");
  const bool residential =
      l.property_type &&
      !contains(k_non_residential_types, *l.property_type);
  if (l.property_type == "studio" && l.bhk && *l.bhk != 0)
    add("bhk", FieldCode::inconsistent, "must be 0 (1 RK) for a studio");
  const bool renting = l.transaction == "rent" || l.transaction == "lease";
  if (!renting && (l.security_deposit || l.tenant_preference))
    add(l.security_deposit ? "security_deposit" : "tenant_preference", FieldCode::inconsistent,
        "applies to rent and lease only");
  if (complete) {
    for (const auto& [field, present] : std::initializer_list<std::pair<const char*, bool>>{
             {"transaction", bool(l.transaction)},
             {"property_type", bool(l.property_type)},
             {"title", bool(l.title)},
             {"description", bool(l.description)},
             {"price", bool(l.price)},
             {"city_id", bool(l.city_id)},
             {"locality_id", bool(l.locality_id)}})
      if (!present) add(field, FieldCode::required, "is required before review");
    if (residential && !l.bhk) add("bhk", FieldCode::required, "is required for a home");
    if (!l.reference_area_sqft())
      add("carpet_area_sqft", FieldCode::required,
          "an area (carpet, built-up, super built-up or plot) is required");
    // New projects must be registered with the state's RERA before they are advertised.
    if (l.transaction == "sale_new" && l.possession == "under_construction" && !l.rera_number)
      add("rera_number", FieldCode::required, "is required for a project under construction");
  }
  return problems.result(complete ? "The listing is not ready for review."
                                  : "The listing has invalid fields.");
}

void place_from_gazetteer(Listing& l, const Gazetteer& gazetteer) {
  if (!l.locality_id) return;
  const auto* loc = gazetteer.locality(*l.locality_id);
  if (!loc) return;
  if (!l.latitude || !l.longitude) {
    l.latitude = loc->lat;
    l.longitude = loc->lng;
  }
  if (!l.pincode) l.pincode = loc->pincode;
}

boost::json::object to_json(const Listing& l, View view) {
  boost::json::object o;
  o["id"] = l.id;
  o["status"] = to_string(l.status);
  o["posted_by"] = l.posted_by;
  o["featured"] = l.featured;
  o["verified"] = l.verified;
  for (const auto& f : k_fields) {
    std::visit(
        [&](auto member) {
          const auto& slot = l.*member;
          if (slot)
            o[f.name] = *slot;
          else
            o[f.name] = nullptr;
        },
        f.member);
  }
  boost::json::array amenities;
  for (std::size_t i = 0; i < std::size(k_amenities); ++i)
    if (l.amenities & (1ULL << i)) amenities.emplace_back(k_amenities[i]);
  o["amenities"] = std::move(amenities);
  if (auto ppsf = l.price_per_sqft())
    o["price_per_sqft"] = *ppsf;
  else
    o["price_per_sqft"] = nullptr;
  o["photo_count"] = l.photo_count;
  o["published_at"] =
      l.published_at.empty() ? boost::json::value() : boost::json::value(l.published_at);
  o["updated_at"] = l.updated_at;
  if (view == View::owner_view) {
    o["owner_id"] = l.owner_id;
    o["version"] = l.version;
    o["created_at"] = l.created_at;
    o["expires_at"] =
        l.expires_at.empty() ? boost::json::value() : boost::json::value(l.expires_at);
    o["rejection_reason"] =
        l.rejection_reason.empty() ? boost::json::value() : boost::json::value(l.rejection_reason);
  }
  return o;
}

}  // namespace griha::listings
