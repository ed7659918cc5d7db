#include "listings/places_handlers.hpp"

#include <boost/json.hpp>
#include <charconv>

#include "core/text.hpp"
#include "core/validation.hpp"

namespace griha::listings {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;

constexpr std::size_t k_max_query_chars = 64;
constexpr std::size_t k_default_limit = 8, k_max_limit = 20;

std::size_t utf8_length(std::string_view s) {
  std::size_t n = 0;
  for (char c : s)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  return n;
}

struct PlacesQuery {
  std::string q;
  std::size_t limit = k_default_limit;
  std::optional<std::int64_t> city_id;
};

// Every problem with the query at once, so a client fixes them in one round trip.
Result<PlacesQuery> parse_query(const http::Request& req, const Gazetteer& gazetteer) {
  PlacesQuery out;
  Problems problems(FieldIn::query);
  QueryReader query(req.query_params(), problems);

  const std::string q = query.text("q").value_or("");
  const std::string_view text = trim(q, " ");
  if (text.empty())
    query.fail("q", FieldCode::required, "is required");
  else if (utf8_length(text) > k_max_query_chars)
    query.fail("q", FieldCode::too_long, "must be at most 64 characters");
  out.q = text;

  out.limit = static_cast<std::size_t>(query.integer("limit", k_default_limit, 1, k_max_limit));

  if (const auto city = query.text("city")) {
    const City* found = gazetteer.city_by_name_or_slug(*city);
    std::int64_t id = 0;
    const auto [end, ec] = std::from_chars(city->data(), city->data() + city->size(), id);
    if (!found && ec == std::errc{} && end == city->data() + city->size())
      found = gazetteer.city(id);
    if (found)
      out.city_id = found->id;
    else
      query.fail("city", FieldCode::not_found, "is not a city Griha knows");
  }

  if (!problems.empty()) return problems.error();
  return out;
}

json::object to_json(const Place& p) {
  const bool is_city = p.kind == Place::Kind::city;
  json::object o;
  o["label"] = p.label;
  o["kind"] = is_city ? "city" : "locality";
  o["city_id"] = p.city_id;
  o["locality_id"] = is_city ? json::value(nullptr) : json::value(p.locality_id);
  o["lat"] = p.lat;
  o["lng"] = p.lng;
  o["pincode"] = is_city ? json::value(nullptr) : json::value(p.pincode);
  return o;
}

}  // namespace

http::Handler places(const Gazetteer& gazetteer) {
  return [&gazetteer](http::Request& req) -> http::Reply {
    auto query = parse_query(req, gazetteer);
    if (!query) co_return query.error();
    json::array out;
    for (const auto& p : gazetteer.autocomplete(query->q, query->limit, query->city_id))
      out.push_back(to_json(p));
    http::Response res = http::json_response({{"places", std::move(out)}});
    // The gazetteer changes only with a new release; browsers and CDNs may keep answers.
    res.set(http::bhttp::field::cache_control, "public, max-age=3600");
    co_return res;
  };
}

}  // namespace griha::listings
