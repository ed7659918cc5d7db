// India's cities and localities, shipped as data (gazetteer/*.csv, compiled into the
// binary): validates a listing's place, places a listing from its pin, powers autocomplete.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/error.hpp"

namespace griha::listings {

struct City {
  std::int64_t id = 0;
  std::string slug;
  std::string name;
  std::string state;
  double lat = 0;
  double lng = 0;
  std::int64_t sale_price_per_sqft = 0;  // average asking price, whole rupees
  std::int64_t rent_per_sqft_month = 0;  // average monthly rent, whole rupees
  std::vector<std::string> aliases;      // older or common names: "Bombay", "Gurgaon"
};

struct Locality {
  std::int64_t id = 0;  // stable: listings store it
  std::int64_t city_id = 0;
  std::string slug;  // unique within its city
  std::string name;
  double lat = 0;
  double lng = 0;
  std::string pincode;
  double price_factor = 1;  // multiplies the city's average prices
  int popularity = 0;       // 1-100, how often people look for it
};

// One autocomplete suggestion.
struct Place {
  enum class Kind { city, locality } kind = Kind::city;
  std::string label;  // "Andheri West, Mumbai"; a city is just its name
  std::int64_t city_id = 0;
  std::int64_t locality_id = 0;  // 0 for a city
  double lat = 0;
  double lng = 0;
  std::string pincode;  // empty for a city
};

// Great-circle distance in kilometres.
double distance_km(double lat1, double lng1, double lat2, double lng2);

class Gazetteer {
 public:
  // The data compiled into the binary. An error means the shipped data is inconsistent.
  static Result<Gazetteer> load();
  // Parses and validates the two CSV files; the error's detail names file, line and problem.
  static Result<Gazetteer> parse(std::string_view cities_csv, std::string_view localities_csv);

  std::span<const City> cities() const { return cities_; }
  // nullptr when there is no such city or locality (so for all lookups below).
  const City* city(std::int64_t id) const;
  // Case-insensitive, by name, slug or alias.
  const City* city_by_name_or_slug(std::string_view name) const;
  // Empty for an unknown city.
  std::span<const Locality> localities(std::int64_t city_id) const;
  const Locality* locality(std::int64_t id) const;
  // Case-insensitive, by name or slug.
  const Locality* find_locality(std::int64_t city_id, std::string_view name_or_slug) const;
  // The locality of the city whose centre is closest to the point.
  const Locality* nearest_locality(std::int64_t city_id, double lat, double lng) const;

  // Cities and localities whose names contain, for every word of `q`, a word starting with
  // it ("bandra w" -> Bandra West); a locality also answers to its city's names ("whitefield
  // bangalore") as long as one word hits its own name. Best first: the first word of `q`
  // starting the name, then popularity (a city ranks as 100), then cities before localities,
  // then name.
  std::vector<Place> autocomplete(std::string_view q, std::size_t limit,
                                  std::optional<std::int64_t> city_id = std::nullopt) const;

 private:
  // A city or locality as autocomplete sees it: lowercase words, ready for prefix tests.
  struct Entry {
    Place::Kind kind;
    std::size_t index;  // into cities_ or localities_
    std::int64_t city_id;
    int popularity;
    std::vector<std::string> name_words;
    std::vector<std::string> first_words;  // first word of the name and of each alias
    std::size_t city_entry;                // the city's Entry, for its words
    // A bit per first character of name_words, and of the city's words for a locality: most
    // entries are ruled out by these before any string is compared.
    std::uint64_t name_initials = 0;
    std::uint64_t city_initials = 0;
  };

  Gazetteer() = default;
  Result<void> index();
  Place place_of(const Entry& e) const;

  std::vector<City> cities_;
  std::vector<Locality> localities_;  // grouped by city, in file order within a city
  std::unordered_map<std::int64_t, std::size_t> city_pos_;
  std::unordered_map<std::int64_t, std::size_t> locality_pos_;
  // [begin, end) of each city's localities in localities_.
  std::unordered_map<std::int64_t, std::pair<std::size_t, std::size_t>> city_localities_;
  std::vector<Entry> entries_;
};

}  // namespace griha::listings
