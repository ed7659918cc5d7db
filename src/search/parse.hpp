// Turns a search as a client sends it, GET query parameters or a POST JSON body with the same
// names, into a Query, reporting every bad parameter by name. Pure: no I/O, no clock.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "search/cursor.hpp"
#include "search/query.hpp"

namespace griha::search {

// Parameters in the order they came; a list may be repeated (bhk=2&bhk=3) or comma-separated.
using Params = std::vector<std::pair<std::string, std::string>>;

// How many values list parameter `parameter` takes (nullopt: not a list). More, duplicates
// included, is a 400 `too_many_values` naming the parameter; duplicates within the cap are
// dropped. Enum lists take as many as the enum has values, locality k_max_localities.
std::optional<std::size_t> list_cap(std::string_view parameter);

// `now` (unix seconds) anchors posted_within_days. The parameters:
//   city project posted_within_days bathrooms_min locality_top_n page_size   integers
//   price_min/_max area_min/_max price_per_sqft_min/_max floor_min/_max      integers
//   locality bhk (0 = 1 RK, 5 = 5+)                                          integer lists
//   transaction property_type furnishing posted_by facing amenities facets   name lists
//   tenant sort                                                              a name
//   ready_to_move verified with_photos pets_allowed rera                     true/false
//   possession_by                                                            YYYY-MM-DD
//   q                                                                        free text
//   lat lng [radius_m]     a circle, or with sort=distance alone the point to sort from
//   bbox                   min_lat,min_lng,max_lat,max_lng
//   polygon                lat,lng;lat,lng;...   (JSON: [[lat,lng],...])
//   cursor                 as returned in the previous page
Result<Query> parse_query(const Params& params, const CursorCodec& cursors, std::int64_t now);
// The same, from a POST body with the same names; lists may be JSON arrays.
Result<Query> parse_query_json(const boost::json::object& body, const CursorCodec& cursors,
                               std::int64_t now);

}  // namespace griha::search
