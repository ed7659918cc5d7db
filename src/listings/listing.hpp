// The listing: Griha's model of a property for sale or rent in India, the table of its fields
// (one place that says each field's JSON name, RESO name, type, limits and whether an edit to
// it needs review), and its JSON form.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/error.hpp"
#include "listings/amenities.hpp"

namespace griha::listings {

class Gazetteer;

// draft -> pending_review -> active -> sold | rented | withdrawn | expired; rejected -> edited
// -> pending_review again.
enum class Status { draft, pending_review, active, rejected, sold, rented, withdrawn, expired };
std::string_view to_string(Status s);
std::optional<Status> status_from_string(std::string_view s);

struct Listing {
  std::int64_t id = 0;
  std::int64_t owner_id = 0;
  Status status = Status::draft;
  std::string posted_by;  // owner | agent | builder: from the lister's role, never from input
  bool featured = false;  // admin only
  bool verified = false;  // admin only
  std::string rejection_reason;

  // Writable by the lister (see listing_fields()).
  std::optional<std::string> transaction, property_type, title, description, furnishing, possession,
      possession_date, facing, tenant_preference, project_name, pincode, rera_number,
      virtual_tour_url, video_url;
  std::optional<std::int64_t> bhk, bathrooms, balconies, carpet_area_sqft, built_up_area_sqft,
      super_built_up_area_sqft, plot_area_sqyd, price, security_deposit, maintenance_monthly,
      brokerage, age_years, floor, total_floors, parking_covered, parking_open, city_id,
      locality_id;
  std::optional<bool> pets_allowed;
  std::optional<double> latitude, longitude;
  std::uint64_t amenities = 0;  // bit i = k_amenities[i]

  std::int64_t photo_count = 0;
  std::int64_t version = 1;  // bumped on every write; the ETag
  std::string created_at, updated_at, published_at, expires_at;

  // The area that prices per sq ft are quoted on: carpet, else built-up, else super built-up.
  std::optional<std::int64_t> reference_area_sqft() const;
  std::optional<std::int64_t> price_per_sqft() const;
};

// How a writable field is typed, checked and stored.
struct FieldSpec {
  enum class Kind { integer, number, text, choice, boolean, url };
  using Member =
      std::variant<std::optional<std::string> Listing::*, std::optional<std::int64_t> Listing::*,
                   std::optional<bool> Listing::*, std::optional<double> Listing::*>;
  std::string_view name;  // JSON name and column name
  std::string_view reso;  // RESO Data Dictionary name, or "" for India-only extensions
  Kind kind;
  std::int64_t min = 0, max = 0;  // integer: value range; text: length range
  std::span<const std::string_view> choices = {};
  bool material = false;  // an edit to an active listing needs review
  Member member = &Listing::title;
};
std::span<const FieldSpec> listing_fields();
// The hosts that virtual_tour_url and video_url may name (https only); the web pages embed
// their players, so the pages' CSP allows exactly these as frame sources.
std::span<const std::string_view> embeddable_media_hosts();

// Applies a JSON object of writable fields to `listing`. Every problem is reported at once,
// field by field: unknown fields, fields the lister may not write (status, owner_id,
// featured, verified, ...), wrong types and out-of-range values. On error nothing changes.
// `material_changed` is set when a material field changed value.
Result<void> apply_patch(Listing& listing, const boost::json::object& patch,
                         bool* material_changed = nullptr);

// Whole-listing rules that only make sense together (floor <= total floors, RERA for new
// projects, city/locality from the gazetteer). `complete` adds what review needs: title,
// description, price, an area, location.
Result<void> validate(const Listing& listing, const Gazetteer& gazetteer, bool complete);

// Fills latitude/longitude/pincode from the locality when the lister gave none.
void place_from_gazetteer(Listing& listing, const Gazetteer& gazetteer);

enum class View { public_view, owner_view };
// The public view leaves out what only the lister and admins may see.
boost::json::object to_json(const Listing& listing, View view);

}  // namespace griha::listings
