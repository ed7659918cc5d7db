#include "listings/gazetteer.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <set>

#include "core/csv.hpp"
#include "core/resources.hpp"
#include "core/text.hpp"

namespace griha::listings {
namespace {

constexpr std::string_view k_cities_header =
    "city_id,slug,name,state,lat,lng,sale_price_per_sqft,rent_per_sqft_month,aliases";
constexpr std::string_view k_localities_header =
    "locality_id,city_id,slug,name,lat,lng,pincode,price_factor,popularity";
// India's mainland and islands, generously: a swapped lat/lng or a dropped digit lands
// outside it.
constexpr double k_min_lat = 6.0, k_max_lat = 37.6, k_min_lng = 68.0, k_max_lng = 97.5;
// Farther than this from its city's centre, a locality is a data-entry mistake (a wrong
// city_id or a typo in a coordinate), not a suburb.
constexpr double k_max_locality_km = 60.0;
// Cities are what people search for most; their localities rank below them.
constexpr int k_city_popularity = 100;

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = lower(c);
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [](char x, char y) { return lower(x) == lower(y); });
}

// Bytes outside ASCII count as letters, so UTF-8 names stay whole words.
bool word_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u >= 0x80 || std::isalnum(u);
}

// Lowercase words of `s`, split at anything that is not a letter or digit ("DLF Phase-5").
std::vector<std::string> words_of(std::string_view s) {
  std::vector<std::string> words;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && !word_char(s[i])) ++i;
    std::size_t start = i;
    while (i < s.size() && word_char(s[i])) ++i;
    if (i > start) words.push_back(to_lower(s.substr(start, i - start)));
  }
  return words;
}

std::uint64_t initial_bit(char c) {
  if (c >= 'a' && c <= 'z') return std::uint64_t{1} << (c - 'a');
  if (c >= '0' && c <= '9') return std::uint64_t{1} << (26 + c - '0');
  return std::uint64_t{1} << 36;
}

std::uint64_t initials_of(const std::vector<std::string>& words) {
  std::uint64_t bits = 0;
  for (const auto& w : words) bits |= initial_bit(w.front());
  return bits;
}

bool any_starts_with(const std::vector<std::string>& words, std::string_view prefix) {
  for (const auto& w : words)
    if (w.starts_with(prefix)) return true;
  return false;
}

class CsvError {
 public:
  CsvError(std::string_view file, std::size_t line) : file_(file), line_(line) {}
  Error operator()(std::string_view problem) const {
    return Error::make(
        ErrorKind::internal, "gazetteer_invalid", "The gazetteer data is invalid.",
        std::string(file_) + " line " + std::to_string(line_) + ": " + std::string(problem));
  }

 private:
  std::string_view file_;
  std::size_t line_;
};

// The rows of a CSV file (core's reader); checks the header and that every row has its
// number of fields. Calls `row(fields, err)` for each data row.
template <class Row>
Result<void> for_each_row(std::string_view text, std::string_view file, std::string_view header,
                          Row row) {
  const auto width = static_cast<std::size_t>(std::count(header.begin(), header.end(), ',')) + 1;
  auto records = csv::parse(text, {100'000, 64, 10'000});
  if (!records) return CsvError(file, 0)(records.error().message);
  if (records->empty()) return CsvError(file, 0)("file is empty");
  for (const auto& rec : *records) {
    const CsvError err(file, rec.line);
    if (&rec == &records->front()) {
      std::string got;
      for (const auto& f : rec.fields) got += (got.empty() ? "" : ",") + f;
      if (got != header) return err("header must be " + std::string(header));
      continue;
    }
    if (rec.fields.size() == 1 && rec.fields[0].empty()) continue;  // a blank line
    if (rec.fields.size() != width)
      return err("expected " + std::to_string(width) + " fields, found " +
                 std::to_string(rec.fields.size()));
    const std::vector<std::string_view> fields(rec.fields.begin(), rec.fields.end());
    if (auto r = row(fields, err); !r) return r.error();
  }
  return {};
}

template <class T>
bool parse_number(std::string_view s, T& out) {
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc{} && end == s.data() + s.size();
}

bool valid_slug(std::string_view s) {
  return !s.empty() && s.front() != '-' && s.back() != '-' &&
         std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
         });
}

bool in_india(double lat, double lng) {
  return lat >= k_min_lat && lat <= k_max_lat && lng >= k_min_lng && lng <= k_max_lng;
}

// Indian PIN codes are six digits and never start with 0.
bool valid_pincode(std::string_view p) {
  return p.size() == 6 && p.front() != '0' &&
         std::all_of(p.begin(), p.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

double distance_km(double lat1, double lng1, double lat2, double lng2) {
  constexpr double k_earth_km = 6371.0;
  constexpr double k_rad = 3.14159265358979323846 / 180.0;
  const double dlat = (lat2 - lat1) * k_rad, dlng = (lng2 - lng1) * k_rad;
  const double a =
      std::sin(dlat / 2) * std::sin(dlat / 2) +
      std::cos(lat1 * k_rad) * std::cos(lat2 * k_rad) * std::sin(dlng / 2) * std::sin(dlng / 2);
  return 2 * k_earth_km * std::asin(std::min(1.0, std::sqrt(a)));
}

Result<Gazetteer> Gazetteer::load() {
  const auto cities = resources::find("gazetteer/cities.csv");
  const auto localities = resources::find("gazetteer/localities.csv");
  if (!cities || !localities)
    return Error::internal("gazetteer: gazetteer/*.csv not compiled into the binary");
  return parse(*cities, *localities);
}

Result<Gazetteer> Gazetteer::parse(std::string_view cities_csv, std::string_view localities_csv) {
  Gazetteer g;
  auto cities = for_each_row(
      cities_csv, "cities.csv", k_cities_header,
      [&](const std::vector<std::string_view>& f, const CsvError& err) -> Result<void> {
        City c;
        c.slug = f[1];
        c.name = trim(f[2]);
        c.state = trim(f[3]);
        if (!parse_number(f[0], c.id) || c.id <= 0)
          return err("city_id must be a positive integer");
        if (!valid_slug(c.slug)) return err("slug must be lowercase letters, digits and dashes");
        if (c.name.empty() || c.state.empty()) return err("name and state are required");
        if (!parse_number(f[4], c.lat) || !parse_number(f[5], c.lng) || !in_india(c.lat, c.lng))
          return err("lat,lng must be a point in India");
        if (!parse_number(f[6], c.sale_price_per_sqft) || c.sale_price_per_sqft <= 0 ||
            !parse_number(f[7], c.rent_per_sqft_month) || c.rent_per_sqft_month <= 0)
          return err("prices must be positive whole rupees");
        for (std::string_view rest = f[8]; !rest.empty();) {
          const auto bar = rest.find('|');
          const auto alias = trim(rest.substr(0, bar));
          if (alias.empty()) return err("empty alias");
          c.aliases.emplace_back(alias);
          rest = bar == std::string_view::npos ? std::string_view{} : rest.substr(bar + 1);
        }
        if (!g.city_pos_.emplace(c.id, g.cities_.size()).second) return err("duplicate city_id");
        g.cities_.push_back(std::move(c));
        return {};
      });
  if (!cities) return cities.error();

  auto localities = for_each_row(
      localities_csv, "localities.csv", k_localities_header,
      [&](const std::vector<std::string_view>& f, const CsvError& err) -> Result<void> {
        Locality l;
        l.slug = f[2];
        l.name = trim(f[3]);
        l.pincode = f[6];
        if (!parse_number(f[0], l.id) || l.id <= 0)
          return err("locality_id must be a positive integer");
        if (!parse_number(f[1], l.city_id) || !g.city_pos_.contains(l.city_id))
          return err("city_id names no city in cities.csv");
        if (!valid_slug(l.slug)) return err("slug must be lowercase letters, digits and dashes");
        if (l.name.empty()) return err("name is required");
        if (!parse_number(f[4], l.lat) || !parse_number(f[5], l.lng) || !in_india(l.lat, l.lng))
          return err("lat,lng must be a point in India");
        const City& city = g.cities_[g.city_pos_.at(l.city_id)];
        if (distance_km(city.lat, city.lng, l.lat, l.lng) > k_max_locality_km)
          return err("more than " + std::to_string(static_cast<int>(k_max_locality_km)) +
                     " km from the centre of " + city.name);
        if (!valid_pincode(l.pincode)) return err("pincode must be 6 digits, not starting with 0");
        if (!parse_number(f[7], l.price_factor) || l.price_factor < 0.2 || l.price_factor > 5)
          return err("price_factor must be between 0.2 and 5");
        if (!parse_number(f[8], l.popularity) || l.popularity < 1 || l.popularity > 100)
          return err("popularity must be 1-100");
        // The position is only known once index() has grouped localities by city.
        if (!g.locality_pos_.emplace(l.id, 0).second) return err("duplicate locality_id");
        g.localities_.push_back(std::move(l));
        return {};
      });
  if (!localities) return localities.error();
  if (auto r = g.index(); !r) return r.error();
  return g;
}

// Groups localities by city, checks names are unambiguous and precomputes autocomplete words.
Result<void> Gazetteer::index() {
  std::stable_sort(localities_.begin(), localities_.end(), [&](const auto& a, const auto& b) {
    return city_pos_.at(a.city_id) < city_pos_.at(b.city_id);
  });
  const auto invalid = [](std::string detail) {
    return Error::make(ErrorKind::internal, "gazetteer_invalid", "The gazetteer data is invalid.",
                       std::move(detail));
  };

  // A name must lead to one city, or city_by_name_or_slug would guess.
  std::set<std::string> city_keys;
  for (std::size_t i = 0; i < cities_.size(); ++i) {
    const City& c = cities_[i];
    std::vector<std::string> keys{c.slug, to_lower(c.name)};
    for (const auto& a : c.aliases) keys.push_back(to_lower(a));
    std::set<std::string> own(keys.begin(), keys.end());
    for (const auto& k : own)
      if (!city_keys.insert(k).second) return invalid("duplicate city name, slug or alias: " + k);

    Entry e{Place::Kind::city, i, c.id, k_city_popularity, words_of(c.name), {}, entries_.size()};
    if (!e.name_words.empty()) e.first_words.push_back(e.name_words.front());
    for (const auto& a : c.aliases) {
      auto aw = words_of(a);
      if (aw.empty()) continue;
      e.first_words.push_back(aw.front());
      e.name_words.insert(e.name_words.end(), aw.begin(), aw.end());
    }
    e.name_initials = initials_of(e.name_words);
    city_localities_[c.id] = {0, 0};
    entries_.push_back(std::move(e));
  }

  std::set<std::pair<std::int64_t, std::string>> locality_keys;
  for (std::size_t i = 0; i < localities_.size(); ++i) {
    const Locality& l = localities_[i];
    locality_pos_[l.id] = i;
    auto& range = city_localities_[l.city_id];
    if (range.first == range.second) range = {i, i};
    ++range.second;
    for (const auto& k : std::set<std::string>{l.slug, to_lower(l.name)})
      if (!locality_keys.emplace(l.city_id, k).second)
        return invalid("duplicate locality name or slug in city " + std::to_string(l.city_id) +
                       ": " + k);

    Entry e{Place::Kind::locality,  i, l.city_id, l.popularity, words_of(l.name), {},
            city_pos_.at(l.city_id)};
    if (e.name_words.empty()) return invalid("locality name without letters: " + l.name);
    e.first_words.push_back(e.name_words.front());
    e.name_initials = initials_of(e.name_words);
    e.city_initials = entries_[e.city_entry].name_initials;
    entries_.push_back(std::move(e));
  }
  return {};
}

const City* Gazetteer::city(std::int64_t id) const {
  const auto it = city_pos_.find(id);
  return it == city_pos_.end() ? nullptr : &cities_[it->second];
}

const City* Gazetteer::city_by_name_or_slug(std::string_view name) const {
  name = trim(name);
  for (const auto& c : cities_) {
    if (iequals(c.name, name) || iequals(c.slug, name)) return &c;
    for (const auto& a : c.aliases)
      if (iequals(a, name)) return &c;
  }
  return nullptr;
}

std::span<const Locality> Gazetteer::localities(std::int64_t city_id) const {
  const auto it = city_localities_.find(city_id);
  if (it == city_localities_.end()) return {};
  const auto [begin, end] = it->second;
  return std::span<const Locality>(localities_).subspan(begin, end - begin);
}

const Locality* Gazetteer::locality(std::int64_t id) const {
  const auto it = locality_pos_.find(id);
  return it == locality_pos_.end() ? nullptr : &localities_[it->second];
}

const Locality* Gazetteer::find_locality(std::int64_t city_id,
                                         std::string_view name_or_slug) const {
  name_or_slug = trim(name_or_slug);
  for (const auto& l : localities(city_id))
    if (iequals(l.name, name_or_slug) || iequals(l.slug, name_or_slug)) return &l;
  return nullptr;
}

const Locality* Gazetteer::nearest_locality(std::int64_t city_id, double lat, double lng) const {
  const Locality* best = nullptr;
  double best_km = 0;
  for (const auto& l : localities(city_id)) {
    const double km = distance_km(lat, lng, l.lat, l.lng);
    if (!best || km < best_km) {
      best = &l;
      best_km = km;
    }
  }
  return best;
}

Place Gazetteer::place_of(const Entry& e) const {
  if (e.kind == Place::Kind::city) {
    const City& c = cities_[e.index];
    return {Place::Kind::city, c.name, c.id, 0, c.lat, c.lng, {}};
  }
  const Locality& l = localities_[e.index];
  const City& c = cities_[city_pos_.at(l.city_id)];
  return {Place::Kind::locality, l.name + ", " + c.name, c.id, l.id, l.lat, l.lng, l.pincode};
}

std::vector<Place> Gazetteer::autocomplete(std::string_view q, std::size_t limit,
                                           std::optional<std::int64_t> city_id) const {
  const auto query = words_of(q);
  if (query.empty() || limit == 0) return {};

  std::uint64_t needed = 0;
  for (const auto& w : query) needed |= initial_bit(w.front());

  struct Hit {
    bool later_word;  // the first query word starts a later word of the name, not the first
    const Entry* entry;
  };
  std::vector<Hit> hits;
  for (const auto& e : entries_) {
    if (city_id && e.city_id != *city_id) continue;
    if ((needed & e.name_initials) == 0 || (needed & ~(e.name_initials | e.city_initials)) != 0)
      continue;
    const auto& city_words = entries_[e.city_entry].name_words;
    bool own_word = false, all_words = true;
    for (const auto& w : query) {
      if (any_starts_with(e.name_words, w))
        own_word = true;
      else if (e.kind == Place::Kind::city || !any_starts_with(city_words, w)) {
        all_words = false;
        break;
      }
    }
    if (own_word && all_words) hits.push_back({!any_starts_with(e.first_words, query[0]), &e});
  }

  const auto name_of = [this](const Entry& e) -> const std::string& {
    return e.kind == Place::Kind::city ? cities_[e.index].name : localities_[e.index].name;
  };
  const auto better = [&](const Hit& a, const Hit& b) {
    if (a.later_word != b.later_word) return !a.later_word;
    if (a.entry->popularity != b.entry->popularity)
      return a.entry->popularity > b.entry->popularity;
    if (a.entry->kind != b.entry->kind) return a.entry->kind == Place::Kind::city;
    if (const auto c = name_of(*a.entry) <=> name_of(*b.entry); c != 0) return c < 0;
    return a.entry < b.entry;  // same name in two cities: file order, so answers are stable
  };
  const auto n = std::min(limit, hits.size());
  std::partial_sort(hits.begin(), hits.begin() + static_cast<std::ptrdiff_t>(n), hits.end(),
                    better);

  std::vector<Place> places;
  places.reserve(n);
  for (std::size_t i = 0; i < n; ++i) places.push_back(place_of(*hits[i].entry));
  return places;
}

}  // namespace griha::listings
