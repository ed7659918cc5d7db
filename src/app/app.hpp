// Wiring: config -> storage -> services -> routes -> server. The one place that knows every
// component; everything else receives what it needs through its constructor.
#pragma once

#include <memory>

#include "app/config.hpp"
#include "auth/service.hpp"
#include "core/worker_pool.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"
#include "leads/lead_service.hpp"
#include "listings/gazetteer.hpp"
#include "listings/listing_service.hpp"
#include "listings/media_service.hpp"
#include "listings/view_counter.hpp"
#include "notify/outbox.hpp"
#include "saved/alerts.hpp"
#include "saved/saved_search_service.hpp"
#include "saved/shortlist_service.hpp"
#include "search/listing_documents.hpp"
#include "storage/database.hpp"
#include "visits/visit_service.hpp"

namespace griha::app {

class App {
 public:
  // Opens the database and applies pending migrations.
  static Result<std::unique_ptr<App>> open(const Config& config);
  ~App();

  // Serves until SIGTERM/SIGINT; returns the process exit code.
  int serve();

  storage::Database& database() { return *db_; }
  auth::AuthService& auth() { return *auth_; }
  const listings::Gazetteer& gazetteer() const { return gazetteer_; }
  const http::Router& router() const { return *router_; }

 private:
  App(Config config, std::unique_ptr<storage::Database> db, listings::Gazetteer gazetteer);

  Config config_;
  std::unique_ptr<storage::Database> db_;
  listings::Gazetteer gazetteer_;
  WorkerPool workers_;
  std::unique_ptr<notify::EmailSender> email_;
  std::unique_ptr<notify::SmsSender> sms_;
  std::unique_ptr<notify::Dispatcher> dispatcher_;
  std::unique_ptr<auth::AuthService> auth_;
  std::unique_ptr<search::ListingSearch> search_;  // before listings_: it tells search of writes
  std::unique_ptr<listings::ListingService> listings_;
  std::unique_ptr<listings::ViewCounter> views_;
  std::unique_ptr<storage::MediaStore> media_store_;
  std::unique_ptr<listings::ImageProcessor> images_;
  std::unique_ptr<listings::MediaService> media_;
  std::unique_ptr<leads::LeadService> leads_;
  std::unique_ptr<visits::VisitService> visits_;
  std::unique_ptr<saved::UnsubscribeTokens> unsubscribe_tokens_;
  std::unique_ptr<saved::ShortlistService> shortlist_;
  std::unique_ptr<saved::SavedSearchService> saved_searches_;
  std::unique_ptr<saved::AlertSweeper> alerts_;
  std::unique_ptr<http::Router> router_;
  std::unique_ptr<http::Metrics> metrics_;
};

}  // namespace griha::app
