#include "search/parse.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <cmath>
#include <map>
#include <set>

#include "search/index.hpp"

namespace griha::search {

namespace {

class Parser {
 public:
  Parser(const CursorCodec& cursors, std::int64_t now) : cursors_(cursors) { q_.now = now; }

  void add(const std::string& key, const std::string& value) {
    if (!seen_.insert(key).second && !is_list(key)) {
      return bad(key, FieldCode::too_many_values, key + " may be given once.");
    }
    values_[key].push_back(value);
  }

  Result<Query> finish() {
    for (const auto& [key, values] : values_) apply(key, values);
    if (circle_lat_ || circle_lng_ || radius_) {
      if (!circle_lat_ || !circle_lng_) {
        bad(circle_lat_ ? "lng" : "lat", FieldCode::required, "lat and lng go together.");
      } else if (radius_) {
        q_.circle = Circle{{*circle_lat_, *circle_lng_}, *radius_};
      } else {
        q_.origin = LatLng{*circle_lat_, *circle_lng_};
      }
    }
    if (errors_.fields.empty()) {
      if (auto v = validate(q_); !v) {
        for (auto& f : v.error().fields) errors_.fields.push_back(f);
      }
    }
    if (!errors_.fields.empty()) return errors_;
    return q_;
  }

 private:
  static bool is_list(const std::string& key) { return list_cap(key).has_value(); }

  // The list's items, split on commas, at most its cap (counted before duplicates are
  // dropped, so that the work a request asks for is bounded by its length, not its content).
  std::optional<std::vector<std::string>> items(const std::string& field,
                                                const std::vector<std::string>& values) {
    auto all = split(values, ',');
    const std::size_t cap = *list_cap(field);
    if (all.size() > cap) {
      bad(field, FieldCode::too_many_values, field + " takes at most " + std::to_string(cap) + " values.");
      return std::nullopt;
    }
    return all;
  }

  // "Any of" and "all of" lists mean the same with a value twice: keep the first.
  template <class T>
  static void dedupe(std::vector<T>& v) {
    std::vector<T> out;
    for (const auto& x : v)
      if (std::find(out.begin(), out.end(), x) == out.end()) out.push_back(x);
    v = std::move(out);
  }

  // Problems name query parameters: "/price_max", in the query.
  void bad(const std::string& field, FieldCode code, std::string message) {
    const std::string at = json_pointer(field);
    for (const auto& f : errors_.fields) {
      if (f.field == at) return;  // the first problem with a field is enough
    }
    errors_.fields.push_back({at, code, std::move(message), FieldIn::query});
  }

  static std::vector<std::string> split(const std::vector<std::string>& values, char sep) {
    std::vector<std::string> out;
    for (const auto& v : values) {
      std::size_t start = 0;
      while (start <= v.size()) {
        const std::size_t end = std::min(v.find(sep, start), v.size());
        if (end > start) out.push_back(v.substr(start, end - start));
        start = end + 1;
      }
    }
    return out;
  }

  std::optional<std::int64_t> integer(const std::string& field, const std::string& v,
                                      std::int64_t lo, std::int64_t hi) {
    std::int64_t n = 0;
    const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec != std::errc() || end != v.data() + v.size()) {
      bad(field, FieldCode::invalid_type, field + " must be a whole number.");
      return std::nullopt;
    }
    if (n < lo || n > hi) {
      bad(field, FieldCode::out_of_range,
          field + " must be between " + std::to_string(lo) + " and " + std::to_string(hi) + ".");
      return std::nullopt;
    }
    return n;
  }

  std::optional<double> number(const std::string& field, const std::string& v, double lo,
                               double hi) {
    double d = 0;
    const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), d);
    if (ec != std::errc() || end != v.data() + v.size() || !std::isfinite(d)) {
      bad(field, FieldCode::invalid_type, field + " must be a number.");
      return std::nullopt;
    }
    if (d < lo || d > hi) {
      bad(field, FieldCode::out_of_range, field + " is out of range.");
      return std::nullopt;
    }
    return d;
  }

  std::optional<bool> boolean(const std::string& field, const std::string& v) {
    if (v == "true" || v == "1") return true;
    if (v == "false" || v == "0") return false;
    bad(field, FieldCode::invalid_type, field + " must be true or false.");
    return std::nullopt;
  }

  template <class E>
  void names(const std::string& field, const std::vector<std::string>& values,
             std::span<const std::string_view> known, std::vector<E>& out) {
    const auto list = items(field, values);
    if (!list) return;
    for (const auto& v : *list) {
      const auto i = enum_index(known, v);
      if (!i) return bad(field, FieldCode::invalid_value, "Unknown " + field + " '" + v + "'.");
      out.push_back(static_cast<E>(*i));
    }
    dedupe(out);
  }

  void range(const std::string& key, const std::string& v, const char* name, Range& r) {
    const auto n = integer(key, v, INT64_MIN / 2, INT64_MAX / 2);
    if (!n) return;
    (key == std::string(name) + "_min" ? r.min : r.max) = *n;
  }

  // Days since 1970-01-01 of a YYYY-MM-DD date (Howard Hinnant's days_from_civil).
  std::optional<std::int32_t> date(const std::string& field, const std::string& v) {
    int y = 0, m = 0, d = 0;
    if (v.size() != 10 || v[4] != '-' || v[7] != '-' ||
        std::from_chars(v.data(), v.data() + 4, y).ptr != v.data() + 4 ||
        std::from_chars(v.data() + 5, v.data() + 7, m).ptr != v.data() + 7 ||
        std::from_chars(v.data() + 8, v.data() + 10, d).ptr != v.data() + 10 || m < 1 || m > 12 ||
        d < 1 || d > 31) {
      bad(field, FieldCode::invalid_value, field + " must be a date, YYYY-MM-DD.");
      return std::nullopt;
    }
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = y - era * 400;
    const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
  }

  void apply(const std::string& key, const std::vector<std::string>& values) {
    const std::string& v = values.front();
    if (key == "city") {
      if (auto n = integer(key, v, 1, UINT32_MAX)) q_.city_id = static_cast<std::uint32_t>(*n);
    } else if (key == "locality") {
      const auto list = items(key, values);
      if (!list) return;
      for (const auto& s : *list) {
        if (auto n = integer(key, s, 1, UINT32_MAX))
          q_.locality_ids.push_back(static_cast<std::uint32_t>(*n));
      }
      dedupe(q_.locality_ids);
    } else if (key == "project") {
      if (auto n = integer(key, v, 1, UINT32_MAX)) q_.project_id = static_cast<std::uint32_t>(*n);
    } else if (key == "transaction") {
      names(key, values, names_of_transaction(), q_.transactions);
    } else if (key == "property_type") {
      names(key, values, names_of_property_type(), q_.property_types);
    } else if (key == "bhk") {
      const auto list = items(key, values);
      if (!list) return;
      for (const auto& s : *list) {
        if (auto n = integer(key, s, 0, k_bhk_count - 1))
          q_.bhk.push_back(static_cast<std::uint8_t>(*n));
      }
      dedupe(q_.bhk);
    } else if (key == "price_min" || key == "price_max") {
      range(key, v, "price", q_.price);
    } else if (key == "area_min" || key == "area_max") {
      range(key, v, "area", q_.area_sqft);
    } else if (key == "price_per_sqft_min" || key == "price_per_sqft_max") {
      range(key, v, "price_per_sqft", q_.price_per_sqft);
    } else if (key == "floor_min" || key == "floor_max") {
      range(key, v, "floor", q_.floor);
    } else if (key == "furnishing") {
      names(key, values, names_of_furnishing(), q_.furnishing);
    } else if (key == "ready_to_move") {
      if (auto b = boolean(key, v)) q_.ready_to_move = *b;
    } else if (key == "possession_by") {
      if (auto d = date(key, v)) q_.possession_by_days = *d;
    } else if (key == "posted_by") {
      names(key, values, names_of_posted_by(), q_.posted_by);
    } else if (key == "amenities") {
      std::vector<int> bits;
      names(key, values, names_of_amenities(), bits);
      for (int b : bits) q_.amenities_all |= std::uint64_t{1} << b;
    } else if (key == "verified") {
      if (auto b = boolean(key, v)) q_.verified_only = *b;
    } else if (key == "with_photos") {
      if (auto b = boolean(key, v)) q_.with_photos_only = *b;
    } else if (key == "facing") {
      names(key, values, names_of_facing(), q_.facing);
    } else if (key == "bathrooms_min") {
      if (auto n = integer(key, v, 0, 20)) q_.bathrooms_min = static_cast<std::uint8_t>(*n);
    } else if (key == "tenant") {
      const auto i = enum_index(names_of_tenant_preference(), v);
      if (!i) return bad(key, FieldCode::invalid_value, "Unknown tenant '" + v + "'.");
      q_.tenant_preference = static_cast<TenantPreference>(*i);
    } else if (key == "pets_allowed") {
      if (auto b = boolean(key, v)) q_.pets_allowed_only = *b;
    } else if (key == "posted_within_days") {
      if (auto n = integer(key, v, 0, 36500)) q_.posted_within_days = static_cast<std::int32_t>(*n);
    } else if (key == "rera") {
      if (auto b = boolean(key, v)) q_.rera_only = *b;
    } else if (key == "q") {
      if (v.size() > 200) return bad(key, FieldCode::too_long, "q is at most 200 characters.");
      q_.text = v;
    } else if (key == "lat") {
      circle_lat_ = number(key, v, -90, 90);
    } else if (key == "lng") {
      circle_lng_ = number(key, v, -180, 180);
    } else if (key == "radius_m") {
      radius_ = number(key, v, 1, 100'000);
    } else if (key == "bbox") {
      const auto parts = split(values, ',');
      if (parts.size() != 4)
        return bad(key, FieldCode::invalid_value, "bbox is min_lat,min_lng,max_lat,max_lng.");
      const auto a = number(key, parts[0], -90, 90), b = number(key, parts[1], -180, 180),
                 c = number(key, parts[2], -90, 90), d = number(key, parts[3], -180, 180);
      if (a && b && c && d) q_.bbox = BBox{*a, *b, *c, *d};
    } else if (key == "polygon") {
      const auto points = split(values, ';');
      if (points.size() > static_cast<std::size_t>(k_max_polygon_points)) {
        return bad(key, FieldCode::too_many_values, "A polygon has at most 200 points.");
      }
      for (const auto& p : points) {
        const auto ll = split({p}, ',');
        if (ll.size() != 2)
          return bad(key, FieldCode::invalid_value, "polygon is lat,lng;lat,lng;...");
        const auto a = number(key, ll[0], -90, 90), b = number(key, ll[1], -180, 180);
        if (!a || !b) return;
        q_.polygon.push_back({*a, *b});
      }
    } else if (key == "sort") {
      const auto i = enum_index(names_of_sort(), v);
      if (!i) return bad(key, FieldCode::invalid_value, "Unknown sort '" + v + "'.");
      q_.sort = static_cast<Sort>(*i);
    } else if (key == "page_size") {
      if (auto n = integer(key, v, 1, k_max_page_size)) q_.page_size = static_cast<int>(*n);
    } else if (key == "cursor") {
      auto c = cursors_.decode(v);
      if (!c) return bad(key, FieldCode::invalid_value, c.error().fields.at(0).message);
      q_.cursor = *c;
    } else if (key == "facets") {
      names(key, values, names_of_facet(), q_.facets);
    } else if (key == "locality_top_n") {
      if (auto n = integer(key, v, 1, 100)) q_.locality_top_n = static_cast<int>(*n);
    } else {
      bad(key, FieldCode::unknown_field, "Unknown parameter '" + key + "'.");
    }
  }

  const CursorCodec& cursors_;
  Query q_;
  std::map<std::string, std::vector<std::string>> values_;
  std::set<std::string> seen_;
  std::optional<double> circle_lat_, circle_lng_, radius_;
  Error errors_ =
      Error::make(ErrorKind::invalid, "validation_failed", "The request has invalid fields.");
};

// JSON values become the strings a URL would carry, so both forms go through one parser.
std::optional<std::string> scalar(const boost::json::value& v) {
  if (v.is_string()) return std::string(v.get_string());
  if (v.is_int64()) return std::to_string(v.get_int64());
  if (v.is_uint64()) return std::to_string(v.get_uint64());
  if (v.is_double()) return boost::json::serialize(v);
  if (v.is_bool()) return v.get_bool() ? "true" : "false";
  return std::nullopt;
}

}  // namespace

std::optional<std::size_t> list_cap(std::string_view parameter) {
  static constexpr std::pair<std::string_view, std::size_t> k_caps[] = {
      {"locality", k_max_localities},       {"bhk", k_bhk_count},
      {"transaction", k_transaction_count}, {"property_type", k_property_type_count},
      {"furnishing", k_furnishing_count},   {"posted_by", k_posted_by_count},
      {"facing", k_facing_count},           {"facets", k_facet_count},
  };
  for (auto [name, cap] : k_caps)
    if (name == parameter) return cap;
  if (parameter == "amenities") return names_of_amenities().size();
  return std::nullopt;
}

Result<Query> parse_query(const Params& params, const CursorCodec& cursors, std::int64_t now) {
  Parser p(cursors, now);
  for (const auto& [k, v] : params) p.add(k, v);
  return p.finish();
}

Result<Query> parse_query_json(const boost::json::object& body, const CursorCodec& cursors,
                               std::int64_t now) {
  Params params;
  Error malformed =
      Error::make(ErrorKind::invalid, "validation_failed", "The request has invalid fields.");
  for (const auto& [key, value] : body) {
    const std::string k(key);
    if (value.is_array()) {
      const auto& arr = value.get_array();
      // Refused before any item is read: a body's length must not buy it work.
      const auto cap =
          k == "polygon" ? std::optional<std::size_t>(k_max_polygon_points) : list_cap(k);
      if (cap && arr.size() > *cap) {
        malformed.fields.push_back({json_pointer(k), FieldCode::too_many_values,
                                    k + " takes at most " + std::to_string(*cap) + " values."});
        continue;
      }
      const char sep = k == "polygon" ? ';' : ',';
      std::string joined;
      bool ok = true;
      for (std::size_t i = 0; i < arr.size() && ok; ++i) {
        std::string item;
        if (arr[i].is_array()) {  // a polygon's [lat, lng]
          for (std::size_t j = 0; j < arr[i].get_array().size() && ok; ++j) {
            const auto s = scalar(arr[i].get_array()[j]);
            ok = s.has_value();
            if (ok) item += (j ? "," : "") + *s;
          }
        } else if (auto s = scalar(arr[i])) {
          item = *s;
        } else {
          ok = false;
        }
        joined += (i ? std::string(1, sep) : "") + item;
      }
      if (!ok) {
        malformed.fields.push_back(
            {json_pointer(k), FieldCode::invalid_type, k + " has a value of the wrong type."});
        continue;
      }
      params.emplace_back(k, joined);
    } else if (auto s = scalar(value)) {
      params.emplace_back(k, *s);
    } else {
      malformed.fields.push_back(
          {json_pointer(k), FieldCode::invalid_type, k + " has a value of the wrong type."});
    }
  }
  auto q = parse_query(params, cursors, now);
  if (!q)
    for (auto& f : q.error().fields) malformed.fields.push_back(f);
  if (malformed.fields.empty()) return q;
  // The same names, but members of the JSON body.
  for (auto& f : malformed.fields) f.in = FieldIn::body;
  return malformed;
}

}  // namespace griha::search
