// HTTP for shortlists, compare and saved searches: thin — parse, call the services on the
// worker pool, shape the response. The unsubscribe link answers with small HTML pages, since
// people open it from their mail.
#pragma once

#include "core/worker_pool.hpp"
#include "http/types.hpp"
#include "listings/gazetteer.hpp"
#include "saved/saved_search_service.hpp"
#include "saved/shortlist_service.hpp"

namespace griha::saved {

// Handlers capture the services by reference, not this struct: it may be a temporary.
struct SavedHandlers {
  ShortlistService& shortlist;
  SavedSearchService& searches;
  const listings::Gazetteer& gazetteer;
  WorkerPool& workers;

  http::Handler shortlist_add() const;     // PUT /api/v1/me/shortlist/{listing_id}
  http::Handler shortlist_remove() const;  // DELETE /api/v1/me/shortlist/{listing_id}
  http::Handler shortlist_list() const;    // GET /api/v1/me/shortlist
  http::Handler compare() const;           // GET /api/v1/compare?ids=1,2,3

  http::Handler search_create() const;  // POST /api/v1/me/saved-searches
  http::Handler search_list() const;    // GET /api/v1/me/saved-searches
  http::Handler search_update() const;  // PATCH /api/v1/me/saved-searches/{id}
  http::Handler search_delete() const;  // DELETE /api/v1/me/saved-searches/{id}

  // GET shows a confirmation page with a button (link scanners only GET); POST turns the
  // alerts off (the button, and RFC 8058 one-click from mail clients).
  http::Handler unsubscribe_page() const;
  http::Handler unsubscribe() const;
};

}  // namespace griha::saved
