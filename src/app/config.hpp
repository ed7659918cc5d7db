// Griha's configuration: loaded once (TOML file, then GRIHA_* environment variables),
// validated, and passed down as an immutable struct. Every key is `section.name` in TOML
// and GRIHA_SECTION_NAME in the environment (server.port <-> GRIHA_SERVER_PORT).
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "auth/options.hpp"
#include "core/error.hpp"
#include "http/server.hpp"
#include "leads/options.hpp"
#include "notify/options.hpp"
#include "visits/options.hpp"

namespace griha::app {

struct Config {
  http::ServerOptions server;
  int worker_threads = 4;
  bool access_log = true;
  bool debug_routes = false;  // test-only routes such as /_debug/sleep; never in production

  std::string database_url = "sqlite://data/griha.db";
  int database_pool_size = 8;

  std::string data_dir = "data";
  std::string web_root = "web";
  // The map pages' tile layer: a Leaflet URL template ({z}/{x}/{y}, optional {s}) on an http(s)
  // host, or a path on this server; its origin is allowed in the pages' CSP.
  std::string web_tile_url = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
  std::string web_tile_attribution = "© OpenStreetMap contributors";
  std::string log_level = "info";
  bool seed_demo = true;              // `serve` seeds demo data into an empty database
  std::int64_t seed_listings = 2000;  // how many demo listings `serve` seeds

  int listing_expiry_days = 90;     // an active listing expires this long after approval
  int listing_sweep_seconds = 300;  // how often `serve` looks for listings past their expiry
  int listing_views_flush_seconds = 10;  // how often counted views are written to the database
  std::string search_cursor_key;    // signs search cursors; the same on every node (empty: random)

  // How often `serve` looks for saved-search alerts to send (instant ones go out then).
  int alerts_sweep_seconds = 60;
  // Signs the unsubscribe links in alert emails; the same on every node (empty: random, so
  // links from before a restart stop working).
  std::string alerts_unsubscribe_key;

  auth::AuthOptions auth;
  notify::EmailOptions email;
  notify::SmsOptions sms;
  notify::DispatchOptions dispatch;
  leads::LeadOptions leads;
  visits::VisitOptions visits;  // [visits]; its URL and organizer come from auth and email
};

// Loads `path` (if given; a missing file named explicitly is an error) and applies `env`.
// Errors name the key and what it accepts.
Result<Config> load_config(const std::optional<std::string>& path,
                           const std::map<std::string, std::string>& env);

// The GRIHA_* variables of this process.
std::map<std::string, std::string> griha_environment();

}  // namespace griha::app
