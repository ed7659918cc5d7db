#include "search/search_handlers.hpp"

#include <boost/json.hpp>
#include <charconv>
#include <cmath>

#include "search/parse.hpp"

namespace griha::search {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;

std::string bhk_label(std::int64_t bhk) {
  return bhk == 0 ? "1 RK" : bhk >= 5 ? "5+ BHK" : std::to_string(bhk) + " BHK";
}

json::array facet_json(const FacetResult& f, const IndexOptions& options,
                       const listings::Gazetteer& gazetteer) {
  json::array out;
  for (const auto& c : f.counts) {
    json::object o;
    switch (f.facet) {
      case Facet::bhk:
        o = {{"value", c.value}, {"label", bhk_label(c.value)}};
        break;
      case Facet::property_type:
        o = {{"value", names_of_property_type()[c.value]}};
        break;
      case Facet::furnishing:
        o = {{"value", names_of_furnishing()[c.value]}};
        break;
      case Facet::posted_by:
        o = {{"value", names_of_posted_by()[c.value]}};
        break;
      case Facet::locality: {
        const auto* loc = gazetteer.locality(c.value);
        o = {{"value", c.value}, {"label", loc ? loc->name : ""}};
        break;
      }
      case Facet::price: {
        const auto i = static_cast<std::size_t>(c.value);
        o = {{"min", options.price_buckets[i]}};
        if (i + 1 < options.price_buckets.size()) o["max"] = options.price_buckets[i + 1];
        break;
      }
    }
    o["count"] = c.count;
    out.push_back(std::move(o));
  }
  return out;
}

http::Response page_json(const SearchResult& r, const ListingSearch& search,
                         const listings::Gazetteer& gazetteer) {
  json::array results;
  for (const auto& h : r.hits) {
    json::object o{{"id", h.id},
                   {"price", h.price},
                   {"area_sqft", h.area_sqft},
                   {"featured", h.featured},
                   {"latitude", h.lat},
                   {"longitude", h.lng}};
    if (const auto card = search.card(h.id)) {
      o["title"] = card->title;
      o["bhk"] = h.bhk;
      o["transaction"] = names_of_transaction()[static_cast<int>(card->transaction)];
      o["property_type"] = names_of_property_type()[static_cast<int>(card->property_type)];
      o["posted_by"] = names_of_posted_by()[static_cast<int>(card->posted_by)];
      o["furnishing"] = names_of_furnishing()[static_cast<int>(card->furnishing)];
      o["verified"] = card->verified;
      o["photo_count"] = card->photo_count;
      o["price_per_sqft"] = card->price_per_sqft;
      const auto* city = gazetteer.city(card->city_id);
      const auto* loc = gazetteer.locality(card->locality_id);
      o["city"] = city ? city->name : "";
      o["locality"] = loc ? loc->name : "";
    }
    if (h.distance_m >= 0) o["distance_m"] = std::round(h.distance_m);
    results.push_back(std::move(o));
  }
  json::object facets;
  for (const auto& f : r.facets)
    facets[names_of_facet()[static_cast<int>(f.facet)]] =
        facet_json(f, search.index().options(), gazetteer);
  json::object body{
      {"total", r.total}, {"results", std::move(results)}, {"facets", std::move(facets)}};
  body["next_cursor"] = r.next_cursor.empty() ? json::value() : json::value(r.next_cursor);
  http::Response res = http::json_response(body);
  // Results change as listings do; a shared cache may keep them briefly.
  res.set(http::bhttp::field::cache_control, "public, max-age=5");
  return res;
}

Result<http::Response> run(const Result<Query>& q, const ListingSearch& search,
                           const listings::Gazetteer& gazetteer) {
  if (!q) return q.error();
  auto r = search.index().search(*q);
  if (!r) return r.error();
  return page_json(*r, search, gazetteer);
}

}  // namespace

http::Handler SearchHandlers::get() const {
  return [&s = search, &g = gazetteer, clock = clock](http::Request& req) -> http::Reply {
    co_return run(parse_query(req.query_params(), s.index().cursors(), clock()), s, g);
  };
}

http::Handler SearchHandlers::post() const {
  return [&s = search, &g = gazetteer, clock = clock](http::Request& req) -> http::Reply {
    auto body = http::json_object_body(req);
    if (!body) co_return body.error();
    co_return run(parse_query_json(*body, s.index().cursors(), clock()), s, g);
  };
}

http::Handler SearchHandlers::map() const {
  return [&s = search, clock = clock](http::Request& req) -> http::Reply {
    auto params = req.query_params();
    // zoom is the map's own parameter; the rest are the search's filters.
    std::optional<std::string> zoom_text;
    std::erase_if(params, [&](const auto& p) {
      if (p.first != "zoom") return false;
      zoom_text = p.second;
      return true;
    });
    int zoom = -1;
    if (zoom_text) std::from_chars(zoom_text->data(), zoom_text->data() + zoom_text->size(), zoom);
    if (zoom < 1 || zoom > 22)
      co_return Error::field("/zoom", zoom_text ? FieldCode::out_of_range : FieldCode::required,
                             "must be a whole number from 1 to 22", FieldIn::query);
    auto q = parse_query(params, s.index().cursors(), clock());
    if (!q) co_return q.error();
    if (!q->bbox)
      co_return Error::field("/bbox", FieldCode::required,
                             "the map's viewport: min_lat,min_lng,max_lat,max_lng", FieldIn::query);
    auto r = s.index().map(*q, *q->bbox, zoom);
    if (!r) co_return r.error();
    json::array features;
    for (const auto& c : r->cells) {
      json::object props{
          {"count", c.count}, {"min_price", c.min_price}, {"max_price", c.max_price}};
      if (!r->clustered) props["id"] = c.id;
      features.push_back({{"type", "Feature"},
                          {"geometry", {{"type", "Point"}, {"coordinates", {c.lng, c.lat}}}},
                          {"properties", std::move(props)}});
    }
    http::Response res = http::json_response({{"type", "FeatureCollection"},
                                              {"features", std::move(features)},
                                              {"total", r->total},
                                              {"clustered", r->clustered},
                                              {"truncated", r->truncated}});
    res.set(http::bhttp::field::content_type, "application/geo+json");
    res.set(http::bhttp::field::cache_control, "public, max-age=5");
    co_return res;
  };
}

}  // namespace griha::search
