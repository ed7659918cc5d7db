#include "listings/demo_data.hpp"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <random>

#include "auth/repository.hpp"
#include "core/time.hpp"
#include "listings/listing.hpp"
#include "listings/listing_repository.hpp"

namespace griha::listings {
namespace {

// splitmix64: a tiny generator whose output is the same on every platform and library,
// unlike std:: distributions, so a seed means the same data everywhere.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  std::int64_t between(std::int64_t lo, std::int64_t hi) {  // inclusive
    return lo + static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(hi - lo + 1));
  }
  bool chance(double p) { return uniform() < p; }
  // Roughly normal around 1 (sum of uniforms), for price and area noise.
  double around_one(double spread) {
    return 1 + spread * (uniform() + uniform() + uniform() - 1.5) / 0.866;
  }
  template <class T>
  const T& pick(const std::vector<std::pair<T, double>>& weighted) {
    double total = 0;
    for (const auto& [v, w] : weighted) total += w;
    double x = uniform() * total;
    for (const auto& [v, w] : weighted)
      if ((x -= w) < 0) return v;
    return weighted.back().first;
  }

 private:
  std::uint64_t state_;
};

// Share of listings by city slug; cities not named here get 2.
double city_weight(const std::string& slug) {
  static const std::vector<std::pair<std::string, double>> k_weights = {
      {"mumbai", 15},   {"bengaluru", 14}, {"delhi", 10},      {"pune", 9},
      {"hyderabad", 9}, {"chennai", 7},    {"kolkata", 5},     {"gurugram", 5},
      {"noida", 5},     {"thane", 5},      {"navi-mumbai", 4}, {"ahmedabad", 4}};
  for (const auto& [s, w] : k_weights)
    if (s == slug) return w;
  return 2;
}

// The market's BHK mix: 2 BHK about 37%, 3 BHK about 32%.
const std::vector<std::pair<std::int64_t, double>> k_bhk_mix = {{0, 3},  {1, 15}, {2, 37},
                                                                {3, 32}, {4, 10}, {5, 3}};
const std::int64_t k_carpet_by_bhk[] = {320, 550, 850, 1250, 1900, 2900};

const std::vector<std::pair<std::string, double>> k_transactions = {
    {"sale_resale", 48}, {"sale_new", 15}, {"rent", 35}, {"lease", 2}};
const std::vector<std::pair<std::string, double>> k_home_types = {
    {"apartment", 74}, {"builder_floor", 8}, {"independent_house", 6},
    {"villa", 3},      {"studio", 3},        {"penthouse", 1},
    {"plot", 3},       {"office", 1},        {"shop", 1}};
const std::vector<std::pair<std::string, double>> k_furnishing = {
    {"furnished", 28}, {"semi_furnished", 47}, {"unfurnished", 25}};
const std::vector<std::pair<Status, double>> k_statuses = {
    {Status::active, 90}, {Status::draft, 2},   {Status::pending_review, 2}, {Status::sold, 2},
    {Status::rented, 2},  {Status::expired, 1}, {Status::withdrawn, 1}};
const std::vector<std::pair<std::string, double>> k_tenants = {
    {"any", 50}, {"family", 35}, {"bachelors", 10}, {"company", 5}};
const char* const k_facings[] = {"north", "north_east", "east", "south_east",
                                 "south", "south_west", "west", "north_west"};
const char* const k_project_words[] = {
    "Lodha",  "Godrej",   "Prestige", "Sobha",       "DLF",       "Hiranandani", "Brigade",
    "Oberoi", "Mahindra", "Tata",     "Puravankara", "Shapoorji", "Kolte Patil", "Raheja"};
const char* const k_project_suffixes[] = {"Heights", "Residency", "Gardens", "Towers",
                                          "Enclave", "Park",      "Greens",  "Vista"};
const char* const k_highlights[] = {"close to the metro station",
                                    "with good light and cross ventilation",
                                    "in a quiet lane",
                                    "near schools and hospitals",
                                    "with a view of the park",
                                    "with covered parking",
                                    "in a well-kept society",
                                    "with 24x7 water supply",
                                    "near the highway",
                                    "walking distance to the market"};
// Amenities with the chance an apartment has each (houses and plots get fewer).
const std::vector<std::pair<std::string, double>> k_amenity_odds = {{"lift", 0.8},
                                                                    {"power_backup", 0.6},
                                                                    {"security", 0.75},
                                                                    {"gated_community", 0.5},
                                                                    {"gym", 0.35},
                                                                    {"swimming_pool", 0.25},
                                                                    {"club_house", 0.3},
                                                                    {"park", 0.45},
                                                                    {"visitor_parking", 0.5},
                                                                    {"intercom", 0.45},
                                                                    {"rainwater_harvesting", 0.3},
                                                                    {"fire_safety", 0.5},
                                                                    {"cctv", 0.55},
                                                                    {"play_area", 0.35},
                                                                    {"piped_gas", 0.3}};

std::string bhk_label(std::int64_t bhk) {
  return bhk == 0 ? "1 RK" : bhk >= 5 ? "5+ BHK" : std::to_string(bhk) + " BHK";
}

std::string type_label(const std::string& t) {
  if (t == "builder_floor") return "Builder Floor";
  if (t == "independent_house") return "Independent House";
  std::string s = t;
  s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
  return s;
}

// Prices as people quote them: to the lakh above a crore, to the thousand below.
std::int64_t round_price(double rupees) {
  const double step = rupees >= 1e7 ? 1e5 : rupees >= 1e6 ? 1e4 : 500;
  return static_cast<std::int64_t>(std::max(step, std::round(rupees / step) * step));
}

Listing make_listing(Rng& rng, const Gazetteer& g,
                     const std::vector<std::pair<const City*, double>>& cities,
                     std::int64_t owner_id, const std::string& posted_by, std::time_t now) {
  const City* city = rng.pick(cities);
  std::vector<std::pair<const Locality*, double>> locs;
  for (const auto& l : g.localities(city->id)) locs.emplace_back(&l, l.popularity);
  const Locality* loc = rng.pick(locs);

  Listing l;
  l.owner_id = owner_id;
  l.posted_by = posted_by;
  l.transaction = rng.pick(k_transactions);
  const bool renting = *l.transaction == "rent" || *l.transaction == "lease";
  l.property_type = renting && rng.chance(0.04) ? "pg" : rng.pick(k_home_types);
  const std::string& type = *l.property_type;
  const bool home = type != "plot" && type != "office" && type != "shop";
  l.city_id = city->id;
  l.locality_id = loc->id;
  l.pincode = loc->pincode;
  // Within about 1.5 km of the locality's centre.
  l.latitude = loc->lat + (rng.uniform() - 0.5) * 0.027;
  l.longitude = loc->lng + (rng.uniform() - 0.5) * 0.027;

  std::int64_t area = 0;
  if (home) {
    l.bhk = type == "studio" ? 0 : rng.pick(k_bhk_mix);
    if (type == "villa" || type == "independent_house") l.bhk = std::max<std::int64_t>(*l.bhk, 2);
    area = static_cast<std::int64_t>(k_carpet_by_bhk[*l.bhk] * rng.around_one(0.2));
    l.carpet_area_sqft = area;
    l.super_built_up_area_sqft = static_cast<std::int64_t>(area * 1.3);
    l.bathrooms = std::clamp<std::int64_t>(*l.bhk + rng.between(-1, 1), 1, 6);
    l.balconies = rng.between(0, 3);
    l.furnishing = rng.pick(k_furnishing);
    l.facing = k_facings[rng.between(0, 7)];
    l.total_floors =
        type == "apartment" || type == "penthouse" ? rng.between(4, 40) : rng.between(1, 4);
    l.floor = type == "penthouse" ? *l.total_floors : rng.between(0, *l.total_floors);
    l.parking_covered = rng.between(0, 2);
    std::uint64_t bits = 0;
    for (std::size_t i = 0; i < std::size(k_amenities); ++i)
      for (const auto& [name, odds] : k_amenity_odds)
        if (name == k_amenities[i] && rng.chance(type == "apartment" ? odds : odds / 3))
          bits |= 1ULL << i;
    l.amenities = bits;
  } else if (type == "plot") {
    l.plot_area_sqyd = rng.between(100, 600);
    area = *l.plot_area_sqyd * 9;
  } else {
    area = static_cast<std::int64_t>(rng.between(200, 3000) * rng.around_one(0.1));
    l.carpet_area_sqft = area;
  }

  const double factor = loc->price_factor * rng.around_one(0.15);
  if (renting) {
    l.price = round_price(area * city->rent_per_sqft_month * factor);
    l.security_deposit = *l.price * (city->slug == "bengaluru" ? 6 : 3);
    l.maintenance_monthly = rng.chance(0.6) ? round_price(area * 3.0) : 0;
    l.tenant_preference = rng.pick(k_tenants);
    l.pets_allowed = rng.chance(0.4);
    l.possession = "ready";
  } else {
    // Plots sell for less per square foot than built homes.
    l.price = round_price(area * city->sale_price_per_sqft * factor * (type == "plot" ? 0.6 : 1));
    const bool under_construction = *l.transaction == "sale_new" && rng.chance(0.6);
    l.possession = under_construction ? "under_construction" : "ready";
    if (under_construction) {
      l.possession_date =
          std::to_string(rng.between(2027, 2030)) + "-" + fmt::format("{:02}", rng.between(1, 12));
      l.rera_number = "P5" + fmt::format("{:010}", rng.between(1'000'000'000, 9'999'999'999));
    } else if (home) {
      l.age_years = *l.transaction == "sale_new" ? 0 : rng.between(1, 25);
    }
  }
  if (home && (type == "apartment" || rng.chance(0.3)))
    l.project_name = std::string(k_project_words[rng.between(0, std::size(k_project_words) - 1)]) +
                     " " + k_project_suffixes[rng.between(0, std::size(k_project_suffixes) - 1)];

  const std::string what =
      home ? (type == "pg" ? "PG accommodation" : bhk_label(*l.bhk) + " " + type_label(type))
           : type_label(type);
  l.title = what + (renting ? " for rent in " : " for sale in ") + loc->name;
  l.description = "A " + (l.furnishing ? *l.furnishing + " " : std::string()) + what + " in " +
                  loc->name + ", " + city->name + ", " +
                  k_highlights[rng.between(0, std::size(k_highlights) - 1)] + ". " +
                  "Contact the " + posted_by + " to arrange a visit.";

  l.status = rng.pick(k_statuses);
  l.featured = rng.chance(0.03);
  l.verified = rng.chance(0.3);
  // Demo listings have no photo files, so they claim none (a card would promise photos it
  // cannot show). The draws stay so that a seed still gives the listings it gave before.
  if (rng.chance(0.7)) rng.between(1, 12);
  const std::time_t created = now - rng.between(0, 180 * 86400);
  l.created_at = l.updated_at = iso_utc(created);
  if (l.status != Status::draft && l.status != Status::pending_review) {
    l.published_at = l.created_at;
    l.expires_at = iso_utc(l.status == Status::expired ? now - 86400 : created + 180 * 86400);
  }
  return l;
}

// The demo lister with this email, made on the first run and found again on the next.
Result<std::int64_t> demo_lister(storage::Transaction& tx, std::int64_t i, const std::string& role,
                                 std::time_t now) {
  const std::string email = "lister" + std::to_string(i) + "@demo.griha.in";
  auto found = auth::repo::user_by_email(tx, email);
  if (!found) return found.error();
  if (*found) return (*found)->id;
  auth::User u;
  u.email = email;
  u.phone = "+91" + std::to_string(9'000'000'000LL + i);
  u.name = "Demo " + role + " " + std::to_string(i);
  u.role = role;
  u.email_verified = u.phone_verified = true;
  u.created_at = u.updated_at = iso_utc(now);
  return auth::repo::insert_user(tx, u);
}

}  // namespace

Result<DemoReport> seed_demo_listings(storage::Database& db, const Gazetteer& gazetteer,
                                      std::int64_t count, std::uint64_t seed) {
  Rng rng(seed);
  const std::time_t now = std::time(nullptr);
  std::vector<std::pair<const City*, double>> cities;
  for (const auto& c : gazetteer.cities())
    if (!gazetteer.localities(c.id).empty()) cities.emplace_back(&c, city_weight(c.slug));

  // One demo lister per 200 listings, at least 5: owners, agents and builders.
  DemoReport report;
  std::vector<std::pair<std::int64_t, std::string>> listers;
  {
    auto tx = db.begin();
    if (!tx) return tx.error();
    const std::int64_t n = std::max<std::int64_t>(5, count / 200);
    for (std::int64_t i = 0; i < n; ++i) {
      const std::string role = i % 5 == 0 ? "builder" : i % 5 < 3 ? "agent" : "owner";
      auto id = demo_lister(*tx, i, role, now);
      if (!id) return id.error();
      listers.emplace_back(*id, role);
    }
    if (auto r = tx->commit(); !r) return r.error();
    report.listers = n;
  }

  constexpr std::int64_t k_batch = 20'000;
  for (std::int64_t done = 0; done < count;) {
    auto tx = db.begin();
    if (!tx) return tx.error();
    const std::int64_t end = std::min(count, done + k_batch);
    for (; done < end; ++done) {
      const auto& [owner, role] = listers[rng.between(0, listers.size() - 1)];
      Listing l = make_listing(rng, gazetteer, cities, owner, role, now);
      if (auto r = repo::insert(*tx, l); !r) return r.error();
    }
    if (auto r = tx->commit(); !r) return r.error();
  }
  report.listings = count;
  return report;
}

}  // namespace griha::listings
