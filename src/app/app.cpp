#include "app/app.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <iostream>

#include "app/routes.hpp"
#include "http/server.hpp"
#include "storage/migrations.hpp"

namespace griha::app {
namespace {

// Access log: one JSON object per line on stdout, timestamped in UTC by the pattern.
std::shared_ptr<spdlog::logger> make_access_log() {
  auto log = std::make_shared<spdlog::logger>("access",
                                              std::make_shared<spdlog::sinks::stdout_sink_mt>());
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

}  // namespace

Result<std::unique_ptr<App>> App::open(const Config& config) {
  storage::DatabaseOptions options;
  options.url = config.database_url;
  options.pool_size = config.database_pool_size;
  auto db = storage::Database::open(options);
  if (!db) return db.error();
  auto applied = storage::migrate(**db);
  if (!applied) return applied.error();
  if (*applied > 0) spdlog::info("applied {} migration(s)", *applied);
  return std::unique_ptr<App>(new App(config, std::move(*db)));
}

App::App(Config config, std::unique_ptr<storage::Database> db)
    : config_(std::move(config)), db_(std::move(db)), workers_(config_.worker_threads) {
  RouteDeps deps{config_, *db_, workers_, [this] { return metrics_->render(); }};
  router_ = std::make_unique<http::Router>(build_routes(deps));
  std::vector<std::string> names;
  for (const auto& r : router_->routes()) names.push_back(r.pattern);
  metrics_ = std::make_unique<http::Metrics>(std::move(names));
  metrics_->add_collector([this](std::string& out) { append_pool_metrics(*db_, out); });
  metrics_->add_collector(http::append_process_metrics);
}

App::~App() = default;

int App::serve() {
  http::Server server(config_.server, *router_, *metrics_,
                      config_.access_log ? make_access_log() : nullptr);
  const auto port = server.listen();
  // Tests and people both read this line to learn where the server is.
  std::cout << "Griha is serving on http://" << config_.server.host << ":" << port << std::endl;
  server.run();
  workers_.stop();
  spdlog::info("stopped");
  return 0;
}

}  // namespace griha::app
