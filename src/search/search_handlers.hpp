// HTTP for search: GET /api/v1/search (a search is a URL one can share), POST with the same
// query as JSON, and GET /api/v1/search/map (GeoJSON clusters or pins). Served from memory on
// the I/O thread: no SQL and nothing that blocks.
#pragma once

#include "core/time.hpp"
#include "http/types.hpp"
#include "listings/gazetteer.hpp"
#include "search/listing_documents.hpp"

namespace griha::search {

struct SearchHandlers {
  const ListingSearch& search;
  const listings::Gazetteer& gazetteer;
  Clock clock;

  http::Handler get() const;
  http::Handler post() const;
  http::Handler map() const;
};

}  // namespace griha::search
