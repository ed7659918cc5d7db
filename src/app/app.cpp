#include "app/app.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <condition_variable>
#include <iostream>
#include <mutex>
#include <thread>

#include "app/idempotency.hpp"
#include "app/routes.hpp"
#include "auth/handlers.hpp"
#include "core/verification_codes.hpp"
#include "http/server.hpp"
#include "storage/migrations.hpp"

namespace griha::app {
namespace {

// Access log: one JSON object per line on stdout, timestamped in UTC by the pattern.
std::shared_ptr<spdlog::logger> make_access_log() {
  auto log =
      std::make_shared<spdlog::logger>("access", std::make_shared<spdlog::sinks::stdout_sink_mt>());
  log->set_pattern(R"({"ts":"%Y-%m-%dT%H:%M:%S.%fZ",%v})", spdlog::pattern_time_type::utc);
  log->flush_on(spdlog::level::info);
  return log;
}

void append_pool_metrics(storage::Database& db, std::string& out) {
  const auto s = db.stats();
  out += "# HELP griha_db_pool_connections Database connections by state.\n";
  out += "# TYPE griha_db_pool_connections gauge\n";
  out += "griha_db_pool_connections{state=\"open\"} " + std::to_string(s.size) + "\n";
  out += "griha_db_pool_connections{state=\"in_use\"} " + std::to_string(s.in_use) + "\n";
  out += "griha_db_pool_connections{state=\"max\"} " + std::to_string(s.max) + "\n";
  out += "# HELP griha_db_pool_waits_total Connection checkouts that had to wait.\n";
  out += "# TYPE griha_db_pool_waits_total counter\n";
  out += "griha_db_pool_waits_total " + std::to_string(s.waits) + "\n";
  out += "# HELP griha_db_pool_timeouts_total Connection checkouts that gave up.\n";
  out += "# TYPE griha_db_pool_timeouts_total counter\n";
  out += "griha_db_pool_timeouts_total " + std::to_string(s.timeouts) + "\n";
}

// A thread that runs `job` now and then every `period` until it is asked to stop.
std::jthread every(std::chrono::seconds period, std::function<void()> job) {
  return std::jthread([period, job = std::move(job)](std::stop_token stop) {
    std::mutex mu;
    std::condition_variable_any cv;
    while (!stop.stop_requested()) {
      try {
        job();
      } catch (const std::exception& e) {
        spdlog::error("background job failed: {}", e.what());  // and runs again next time
      }
      std::unique_lock lock(mu);
      cv.wait_for(lock, stop, period, [] { return false; });
    }
  });
}

search::IndexOptions search_options(const Config& config) {
  search::IndexOptions o;
  // Empty: a random key, so cursors are valid on this process only (fine for one node).
  o.cursor_key = config.search_cursor_key;
  return o;
}

}  // namespace

Result<std::unique_ptr<App>> App::open(const Config& config) {
  auto gazetteer = listings::Gazetteer::load();
  if (!gazetteer) return gazetteer.error();
  if (auto vips = listings::ImageProcessor::init_library(); !vips) return vips.error();
  storage::DatabaseOptions options;
  options.url = config.database_url;
  options.pool_size = config.database_pool_size;
  auto db = storage::Database::open(options);
  if (!db) return db.error();
  auto applied = storage::migrate(**db);
  if (!applied) return applied.error();
  if (*applied > 0) spdlog::info("applied {} migration(s)", *applied);
  std::unique_ptr<App> app(new App(config, std::move(*db), std::move(*gazetteer)));
  if (auto keys = app->auth_->start(); !keys) return keys.error();
  return app;
}

App::App(Config config, std::unique_ptr<storage::Database> db, listings::Gazetteer gazetteer)
    : config_(std::move(config)),
      db_(std::move(db)),
      gazetteer_(std::move(gazetteer)),
      workers_(config_.worker_threads),
      email_(notify::make_email_sender(config_.email)),
      sms_(notify::make_sms_sender(config_.sms)),
      dispatcher_(std::make_unique<notify::Dispatcher>(*db_, *email_, *sms_, config_.dispatch,
                                                       system_clock())),
      auth_(
          std::make_unique<auth::AuthService>(config_.auth, *db_, [this] { dispatcher_->wake(); })),
      search_(std::make_unique<search::ListingSearch>(*db_, gazetteer_, search_options(config_))),
      listings_(std::make_unique<listings::ListingService>(
          *db_, gazetteer_, listings::ListingOptions{config_.listing_expiry_days}, system_clock(),
          [this](std::int64_t id) {
            // After the write committed: a failure here leaves search stale for this listing
            // until the next restart, so it is logged loudly, but the write stands.
            if (auto r = search_->refresh(id); !r)
              spdlog::error("search refresh of listing {} failed: {}", id, r.error().detail);
          })),
      views_(std::make_unique<listings::ViewCounter>(*db_)),
      media_store_(std::make_unique<storage::LocalMediaStore>(
          std::filesystem::path(config_.data_dir) / "media")),
      images_(std::make_unique<listings::ImageProcessor>()),
      media_(std::make_unique<listings::MediaService>(
          *db_, *listings_, *media_store_, *images_, listings::MediaOptions{}, system_clock(),
          [this](std::int64_t id) {
            // photo_count and the cover changed; as for listing writes, the upload stands.
            if (auto r = search_->refresh(id); !r)
              spdlog::error("search refresh of listing {} failed: {}", id, r.error().detail);
          })),
      leads_(std::make_unique<leads::LeadService>(*db_, gazetteer_, config_.leads,
                                                  config_.auth.public_url, system_clock(),
                                                  [this] { dispatcher_->wake(); })),
      visits_(std::make_unique<visits::VisitService>(
          *db_, *listings_, gazetteer_,
          visits::deployment_options(config_.visits, config_.auth.public_url, config_.email.from),
          system_clock(), [this] { dispatcher_->wake(); })) {
  unsubscribe_tokens_ = std::make_unique<saved::UnsubscribeTokens>(config_.alerts_unsubscribe_key);
  shortlist_ =
      std::make_unique<saved::ShortlistService>(*db_, *listings_, saved::ShortlistOptions{});
  saved_searches_ = std::make_unique<saved::SavedSearchService>(*db_, *unsubscribe_tokens_,
                                                                saved::SavedSearchOptions{});
  saved::AlertOptions alert_options;
  alert_options.public_url = config_.auth.public_url;
  alerts_ = std::make_unique<saved::AlertSweeper>(*db_, gazetteer_, *unsubscribe_tokens_,
                                                  std::move(alert_options), system_clock(),
                                                  [this] { dispatcher_->wake(); });
  RouteDeps deps{config_,    *db_,        workers_,        [this] { return metrics_->render(); },
                 gazetteer_, auth_.get(), listings_.get(), search_.get()};
  deps.media = media_.get();
  deps.views = views_.get();
  deps.dispatcher = dispatcher_.get();
  deps.leads = leads_.get();
  deps.visits = visits_.get();
  deps.shortlist = shortlist_.get();
  deps.saved_searches = saved_searches_.get();
  router_ = std::make_unique<http::Router>(build_routes(deps));
  std::vector<std::string> names;
  for (const auto& r : router_->routes()) names.push_back(r.pattern);
  metrics_ = std::make_unique<http::Metrics>(std::move(names));
  metrics_->add_collector([this](std::string& out) { append_pool_metrics(*db_, out); });
  metrics_->add_collector(http::append_process_metrics);
  metrics_->add_collector([this](std::string& out) {
    const auto stats = search_->index().stats();
    out += "# HELP griha_search_index_listings Active listings in the search index.\n";
    out += "# TYPE griha_search_index_listings gauge\n";
    out += "griha_search_index_listings " + std::to_string(stats.listings) + "\n";
    out += "# HELP griha_search_index_bytes Memory of the search index's segments.\n";
    out += "# TYPE griha_search_index_bytes gauge\n";
    out += "griha_search_index_bytes " + std::to_string(stats.memory_bytes) + "\n";
  });
  metrics_->add_collector([this](std::string& out) {
    out += "# HELP griha_auth_password_verifications_total Argon2id verifications run.\n";
    out += "# TYPE griha_auth_password_verifications_total counter\n";
    out += "griha_auth_password_verifications_total " +
           std::to_string(auth_->password_verifications()) + "\n";
  });
  metrics_->add_collector([this](std::string& out) {
    out += "# HELP griha_outbox_deliveries_total Outbox send attempts by outcome.\n";
    out += "# TYPE griha_outbox_deliveries_total counter\n";
    out += "griha_outbox_deliveries_total{outcome=\"sent\"} " +
           std::to_string(dispatcher_->sent_total()) + "\n";
    out += "griha_outbox_deliveries_total{outcome=\"failed\"} " +
           std::to_string(dispatcher_->failed_total()) + "\n";
    out += "griha_outbox_deliveries_total{outcome=\"dead\"} " +
           std::to_string(dispatcher_->dead_total()) + "\n";
  });
}

App::~App() = default;

int App::serve() {
  const auto started = std::chrono::steady_clock::now();
  auto indexed = search_->load();
  if (!indexed) {
    spdlog::error("loading the search index failed: {}", indexed.error().detail);
    return 1;
  }
  spdlog::info("search index: {} active listings in {} ms", *indexed,
               std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::steady_clock::now() - started)
                   .count());
  http::Server server(config_.server, *router_, *metrics_,
                      config_.access_log ? make_access_log() : nullptr,
                      auth::make_authenticator(*auth_));
  const auto port = server.listen();
  // Tests and people both read this line to learn where the server is.
  std::cout << "Griha is serving on http://" << config_.server.host << ":" << port << std::endl;
  // Background work, off the I/O threads. Every node may run all of it: an expiry is a
  // versioned write, an outbox message is claimed before it is sent, and a saved search's
  // watermark moves with its alert email in one transaction.
  auto housekeeping = every(std::chrono::seconds(config_.listing_sweep_seconds), [this] {
    if (auto n = listings_->expire_due(); !n)
      spdlog::error("listing expiry sweep failed: {}", n.error().detail);
    else if (*n > 0)
      spdlog::info("expired {} listing(s)", *n);
    if (auto n = purge_idempotency_keys(*db_, now_utc_iso()); !n)
      spdlog::error("idempotency key purge failed: {}", n.error().detail);
    constexpr std::time_t k_keep_sent_messages_seconds = 30 * 24 * 3600;
    if (auto n =
            notify::purge_outbox(*db_, iso_utc(std::time(nullptr) - k_keep_sent_messages_seconds));
        !n)
      spdlog::error("outbox purge failed: {}", n.error().detail);
    if (auto n = VerificationCodes::purge(*db_, std::time(nullptr)); !n)
      spdlog::error("verification code purge failed: {}", n.error().detail);
  });
  auto alerts = every(std::chrono::seconds(config_.alerts_sweep_seconds), [this] {
    if (auto n = alerts_->sweep(); !n)
      spdlog::error("saved-search alert sweep failed: {}", n.error().detail);
    else if (*n > 0)
      spdlog::info("queued {} saved-search alert(s)", *n);
  });
  auto view_counts = every(std::chrono::seconds(config_.listing_views_flush_seconds), [this] {
    if (auto n = views_->flush(); !n)
      spdlog::warn("listing view counts not saved yet: {}", n.error().detail);
  });
  std::jthread dispatch([this](std::stop_token stop) { dispatcher_->run(stop); });
  server.run();
  for (auto* t : {&alerts, &dispatch, &housekeeping, &view_counts}) {
    t->request_stop();
    t->join();
  }
  if (auto n = views_->flush(); !n) spdlog::warn("listing view counts lost: {}", n.error().detail);
  workers_.stop();
  spdlog::info("stopped");
  return 0;
}

}  // namespace griha::app
