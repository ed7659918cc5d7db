// HTTP for search: GET /api/v1/search (a search is a URL one can share), POST with the same
// query as JSON, and GET /api/v1/search/map (GeoJSON clusters or pins). Served from memory on
// the I/O thread: no SQL and nothing that blocks.
#pragma once

#include "core/time.hpp"
#include "http/types.hpp"
#include "listings/gazetteer.hpp"
#include "search/listing_documents.hpp"

namespace griha::search {

// A POST /api/v1/search body at most this long (413 beyond): the longest query that passes
// the parser's caps (a 200-point polygon, every list full) fits in a quarter of it, and a
// search on the I/O thread must stay a few milliseconds whatever is sent.
inline constexpr std::size_t k_search_body_bytes = 32 * 1024;

struct SearchHandlers {
  const ListingSearch& search;
  const listings::Gazetteer& gazetteer;
  Clock clock;

  http::Handler get() const;
  http::Handler post() const;
  http::Handler map() const;
};

}  // namespace griha::search
