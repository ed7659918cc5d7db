// The route table of the whole API, in one place (see routes.cpp).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "app/config.hpp"
#include "auth/service.hpp"
#include "core/worker_pool.hpp"
#include "http/router.hpp"
#include "leads/lead_service.hpp"
#include "listings/gazetteer.hpp"
#include "listings/listing_service.hpp"
#include "listings/media_service.hpp"
#include "listings/view_counter.hpp"
#include "notify/outbox.hpp"
#include "saved/saved_search_service.hpp"
#include "saved/shortlist_service.hpp"
#include "search/listing_documents.hpp"
#include "storage/database.hpp"
#include "visits/visit_service.hpp"

namespace griha::app {

struct RouteDeps {
  const Config& config;
  storage::Database& db;
  WorkerPool& workers;
  // The Prometheus text of the running server (metrics are sized by this route table, so
  // they come into being after it).
  std::function<std::string()> metrics_text;
  const listings::Gazetteer& gazetteer;
  // Accounts and sign-in; the handlers reach it only while serving.
  auth::AuthService* auth = nullptr;
  listings::ListingService* listings = nullptr;
  search::ListingSearch* search = nullptr;
  listings::MediaService* media = nullptr;
  listings::ViewCounter* views = nullptr;
  notify::Dispatcher* dispatcher = nullptr;
  leads::LeadService* leads = nullptr;
  visits::VisitService* visits = nullptr;
  saved::ShortlistService* shortlist = nullptr;
  saved::SavedSearchService* saved_searches = nullptr;
};

std::vector<http::Route> build_routes(const RouteDeps& deps);

}  // namespace griha::app
