#include "app/ops_handlers.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/json/array.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/resources.hpp"
#include "listings/listing.hpp"
#include "storage/migrations.hpp"

namespace griha::app {
namespace {

namespace asio = boost::asio;
using http::bhttp::status;

std::string_view content_type_for(std::string_view path) {
  static const std::pair<std::string_view, std::string_view> k_types[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "application/javascript; charset=utf-8"},
      {".mjs", "application/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".webp", "image/webp"},
      {".woff2", "font/woff2"},
      {".map", "application/json"},
      {".txt", "text/plain; charset=utf-8"}};
  for (const auto& [ext, type] : k_types)
    if (path.ends_with(ext)) return type;
  return "application/octet-stream";
}

// Only plain relative paths: no traversal, no hidden files, no encoded tricks.
bool safe_relative_path(std::string_view p) {
  if (p.empty() || p.size() > 256 || p.front() == '/') return false;
  for (char c : p)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '.' || c == '-' ||
          c == '_'))
      return false;
  std::size_t pos = 0;
  while (pos <= p.size()) {
    std::size_t end = p.find('/', pos);
    if (end == std::string_view::npos) end = p.size();
    std::string_view seg = p.substr(pos, end - pos);
    if (seg.empty() || seg.front() == '.') return false;
    pos = end + 1;
  }
  return true;
}

std::optional<std::string> read_file(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream out;
  out << in.rdbuf();
  return std::move(out).str();
}

// A strong validator from the bytes (FNV-1a, 64 bits): the same on every node.
std::string content_etag(std::string_view body) {
  std::uint64_t h = 14695981039346656037ULL;
  for (unsigned char c : body) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  char out[20];
  std::snprintf(out, sizeof out, "\"%016llx\"", static_cast<unsigned long long>(h));
  return out;
}

Error not_found() {
  return Error::make(ErrorKind::not_found, "file_not_found", "No file lives at this path.");
}

}  // namespace

http::Handler healthz() {
  return [](http::Request&) -> http::Reply {
    co_return http::text_response(R"({"status":"ok"})", "application/json");
  };
}

http::Handler readyz(const RouteDeps& deps) {
  return [&db = deps.db, &workers = deps.workers](http::Request& req) -> http::Reply {
    auto status = co_await workers.run([&db]() -> Result<storage::MigrationStatus> {
      if (auto ping = db.ping(); !ping) return ping.error();
      return storage::migration_status(db);
    });
    if (!status) co_return status.error();
    if (!status->up_to_date())
      co_return Error::make(ErrorKind::unavailable, "migrations_pending",
                            "The database schema is not at the version this binary expects.");
    const auto pool = db.stats();
    co_return http::json_response(
        {{"status", "ready"},
         {"database",
          {{"dialect", db.dialect() == storage::Dialect::sqlite ? "sqlite" : "postgres"},
           {"schema_version", status->current},
           {"pool_in_use", pool.in_use},
           {"pool_size", pool.size}}}});
  };
}

http::Handler metrics(const RouteDeps& deps) {
  return [text = deps.metrics_text](http::Request&) -> http::Reply {
    co_return http::text_response(text(), "text/plain; version=0.0.4; charset=utf-8");
  };
}

http::Handler openapi_document() {
  return [](http::Request&) -> http::Reply {
    auto doc = resources::find("api/openapi.json");
    http::Response res = http::text_response(std::string(doc.value_or("{}")), "application/json");
    res.set(http::bhttp::field::cache_control, "no-cache");
    co_return res;
  };
}

http::Handler api_reference_page(const RouteDeps& deps) {
  return [root = deps.config.web_root, &workers = deps.workers](http::Request& req) -> http::Reply {
    auto page = co_await workers.run(
        [&root] { return read_file(std::filesystem::path(root) / "docs.html"); });
    if (!page) co_return not_found();
    http::Response res = http::text_response(std::move(*page), "text/html; charset=utf-8");
    // Redoc renders in the page and needs its own script, styles, workers and fonts.
    res.set("Content-Security-Policy",
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; worker-src 'self' blob:; font-src 'self' data:; "
            "frame-ancestors 'none'");
    co_return res;
  };
}

http::Handler static_assets(const RouteDeps& deps) {
  return [root = deps.config.web_root, &workers = deps.workers](http::Request& req) -> http::Reply {
    const std::string rel = req.param("path")->value;
    if (!safe_relative_path(rel)) co_return not_found();
    auto body = co_await workers.run(
        [&] { return read_file(std::filesystem::path(root) / "assets" / rel); });
    if (!body) co_return not_found();
    const std::string tag = content_etag(*body);
    // The web app's own modules have no version in their names (there is no build step), so
    // browsers check them on every load and a new release is picked up at once; the ETag makes
    // that check a 304.
    const bool app_module = rel.starts_with("app/");
    if (req.raw[http::bhttp::field::if_none_match] == tag) {
      http::Response res{status::not_modified, 11};
      res.set(http::bhttp::field::etag, tag);
      res.set(http::bhttp::field::cache_control, app_module ? "no-cache" : "public, max-age=86400");
      co_return res;
    }
    http::Response res = http::text_response(std::move(*body), content_type_for(rel));
    res.set(http::bhttp::field::etag, tag);
    res.set(http::bhttp::field::cache_control, app_module ? "no-cache" : "public, max-age=86400");
    co_return res;
  };
}

std::string web_app_csp(const std::string& tile_url) {
  // An absolute template's origin, with Leaflet's {s} subdomain placeholder as a wildcard;
  // a path on this server is covered by 'self'. config.cpp has checked its characters.
  std::string tiles;
  if (const auto scheme_end = tile_url.find("://"); scheme_end != std::string::npos) {
    const auto host_end = tile_url.find('/', scheme_end + 3);
    tiles = " " + tile_url.substr(0, host_end);
    if (const auto s = tiles.find("{s}"); s != std::string::npos) tiles.replace(s, 3, "*");
  }
  std::string frames;
  for (const auto host : listings::embeddable_media_hosts())
    frames += " https://" + std::string(host);
  // data: images only because Leaflet blanks tiles it cancels with a data: GIF.
  return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:" +
         tiles + "; connect-src 'self'; font-src 'self'; frame-src" + frames +
         "; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
}

http::Handler web_app_page(const RouteDeps& deps) {
  return [root = deps.config.web_root, csp = web_app_csp(deps.config.web_tile_url),
          &workers = deps.workers](http::Request& req) -> http::Reply {
    auto page = co_await workers.run(
        [&root] { return read_file(std::filesystem::path(root) / "index.html"); });
    if (!page) co_return not_found();
    http::Response res = http::text_response(std::move(*page), "text/html; charset=utf-8");
    res.set(http::bhttp::field::cache_control, "no-cache");
    res.set("Content-Security-Policy", csp);
    co_return res;
  };
}

boost::json::object web_config_body(const Config& config) {
  boost::json::array hosts;
  for (const auto host : listings::embeddable_media_hosts()) hosts.emplace_back(host);
  const auto names = [](bool (*keep)(Role)) {
    boost::json::array out;
    for (auto& name : role_names(keep)) out.emplace_back(name);
    return out;
  };
  return {{"tile_url", config.web_tile_url},
          {"tile_attribution", config.web_tile_attribution},
          {"oidc", !config.auth.oidc.issuer.empty()},
          {"embed_hosts", std::move(hosts)},
          {"roles",
           {{"all", names(nullptr)},
            {"self_service", names(is_self_service)},
            {"listers", names(is_lister)}}}};
}

http::Handler web_config(const RouteDeps& deps) {
  boost::json::object body = web_config_body(deps.config);
  return [body = std::move(body)](http::Request&) -> http::Reply {
    http::Response res = http::json_response(body);
    res.set(http::bhttp::field::cache_control, "public, max-age=300");
    co_return res;
  };
}

http::Handler debug_sleep() {
  return [](http::Request& req) -> http::Reply {
    const auto ms = std::clamp(std::atoi(req.query_param("ms").value_or("0").c_str()), 0, 60'000);
    asio::steady_timer timer(co_await asio::this_coro::executor, std::chrono::milliseconds(ms));
    co_await timer.async_wait(asio::use_awaitable);
    co_return http::json_response({{"slept_ms", ms}});
  };
}

}  // namespace griha::app
