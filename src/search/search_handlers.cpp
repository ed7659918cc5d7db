#include "search/search_handlers.hpp"

#include <boost/json.hpp>
#include <charconv>
#include <cmath>

#include "listings/media.hpp"
#include "search/json_writer.hpp"
#include "search/parse.hpp"

namespace griha::search {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;

// The rendition a result card shows (listings::k_media_widths).
constexpr int k_card_photo_width = 320;

std::string bhk_label(std::int64_t bhk) {
  return bhk == 0 ? "1 RK" : bhk >= 5 ? "5+ BHK" : std::to_string(bhk) + " BHK";
}

void write_facet(JsonWriter& w, const FacetResult& f, const IndexOptions& options,
                 const listings::Gazetteer& gazetteer) {
  w.begin_array();
  for (const auto& c : f.counts) {
    w.begin_object();
    switch (f.facet) {
      case Facet::bhk:
        w.key("value").integer(c.value).key("label").str(bhk_label(c.value));
        break;
      case Facet::property_type:
        w.key("value").str(names_of_property_type()[c.value]);
        break;
      case Facet::furnishing:
        w.key("value").str(names_of_furnishing()[c.value]);
        break;
      case Facet::posted_by:
        w.key("value").str(names_of_posted_by()[c.value]);
        break;
      case Facet::locality: {
        const auto* loc = gazetteer.locality(c.value);
        w.key("value").integer(c.value).key("label").str(loc ? loc->name : "");
        break;
      }
      case Facet::price: {
        const auto i = static_cast<std::size_t>(c.value);
        w.key("min").integer(options.price_buckets[i]);
        if (i + 1 < options.price_buckets.size())
          w.key("max").integer(options.price_buckets[i + 1]);
        break;
      }
    }
    w.key("count").integer(c.count);
    w.end_object();
  }
  w.end_array();
}

http::Response json_text(std::string body, std::string_view content_type = "application/json") {
  http::Response res = http::text_response(std::move(body), content_type);
  // Results change as listings do; a shared cache may keep them briefly.
  res.set(http::bhttp::field::cache_control, "public, max-age=5");
  return res;
}

http::Response page_json(const SearchResult& r, const ListingSearch& search,
                         const listings::Gazetteer& gazetteer) {
  JsonWriter w;
  w.begin_object().key("total").integer(static_cast<std::int64_t>(r.total));
  w.key("results").begin_array();
  for (const auto& h : r.hits) {
    w.begin_object();
    w.key("id").integer(h.id).key("price").integer(h.price);
    // What the lister left empty is null, never a made-up 0.
    w.key("area_sqft");
    h.area_sqft ? w.integer(h.area_sqft) : w.null();
    w.key("bhk");
    h.bhk ? w.integer(*h.bhk) : w.null();
    w.key("featured").boolean(h.featured);
    w.key("latitude").fixed(h.lat, k_coordinate_decimals);
    w.key("longitude").fixed(h.lng, k_coordinate_decimals);
    w.key("title").str(h.title);
    w.key("transaction").str(names_of_transaction()[static_cast<int>(h.transaction)]);
    w.key("property_type").str(names_of_property_type()[static_cast<int>(h.property_type)]);
    w.key("posted_by").str(names_of_posted_by()[static_cast<int>(h.posted_by)]);
    w.key("furnishing");
    h.furnishing ? w.str(names_of_furnishing()[static_cast<int>(*h.furnishing)]) : w.null();
    w.key("verified").boolean(h.verified);
    w.key("photo_count").integer(h.photo_count);
    // The card's image: one request for a results page, not one per card.
    w.key("cover_photo_url");
    h.cover_key.empty()
        ? w.null()
        : w.str("/media/" + listings::media_file_name(h.cover_key, k_card_photo_width));
    w.key("price_per_sqft");
    h.price_per_sqft ? w.integer(h.price_per_sqft) : w.null();
    const auto* city = gazetteer.city(h.city_id);
    const auto* loc = gazetteer.locality(h.locality_id);
    w.key("city").str(city ? city->name : "");
    w.key("locality").str(loc ? loc->name : "");
    if (h.distance_m >= 0) w.key("distance_m").integer(std::llround(h.distance_m));
    w.end_object();
  }
  w.end_array();
  w.key("facets").begin_object();
  for (const auto& f : r.facets) {
    w.key(names_of_facet()[static_cast<int>(f.facet)]);
    write_facet(w, f, search.index().options(), gazetteer);
  }
  w.end_object();
  w.key("next_cursor");
  r.next_cursor.empty() ? w.null() : w.str(r.next_cursor);
  w.end_object();
  return json_text(w.take());
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
    JsonWriter w;
    w.begin_object().key("type").str("FeatureCollection").key("features").begin_array();
    for (const auto& c : r->cells) {
      w.begin_object().key("type").str("Feature");
      w.key("geometry").begin_object().key("type").str("Point").key("coordinates").begin_array();
      w.fixed(c.lng, k_coordinate_decimals).fixed(c.lat, k_coordinate_decimals);
      w.end_array().end_object();
      w.key("properties").begin_object().key("count").integer(c.count);
      w.key("min_price").integer(c.min_price).key("max_price").integer(c.max_price);
      if (!r->clustered) w.key("id").integer(c.id);
      w.end_object().end_object();
    }
    w.end_array().key("total").integer(static_cast<std::int64_t>(r->total));
    w.key("clustered").boolean(r->clustered).key("truncated").boolean(r->truncated);
    w.end_object();
    http::Response res = json_text(w.take(), "application/geo+json");
    co_return res;
  };
}

}  // namespace griha::search
