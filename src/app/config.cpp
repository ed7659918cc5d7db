#include "app/config.hpp"

#include <toml++/toml.h>
#include <charconv>
#include <fstream>
#include <functional>

extern char** environ;

namespace griha::app {
namespace {

Error config_error(const std::string& key, const std::string& message) {
  Error e = Error::make(ErrorKind::invalid, "config_invalid", key + ": " + message);
  e.fields.push_back({key, FieldCode::invalid_value, message});  // a config key, not a pointer
  return e;
}

// A key, how to parse its text form into Config, and what it accepts (for messages).
struct Key {
  std::string name;
  std::function<std::optional<std::string>(Config&, const std::string&)> apply;  // error text
};

std::function<std::optional<std::string>(Config&, const std::string&)> integer(
    std::function<void(Config&, long long)> set, long long lo, long long hi) {
  return [=](Config& c, const std::string& v) -> std::optional<std::string> {
    long long n = 0;
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec != std::errc{} || p != v.data() + v.size() || n < lo || n > hi)
      return "must be an integer from " + std::to_string(lo) + " to " + std::to_string(hi) +
             " (got \"" + v + "\")";
    set(c, n);
    return std::nullopt;
  };
}

std::function<std::optional<std::string>(Config&, const std::string&)> boolean(
    std::function<void(Config&, bool)> set) {
  return [=](Config& c, const std::string& v) -> std::optional<std::string> {
    if (v == "true" || v == "1")
      set(c, true);
    else if (v == "false" || v == "0")
      set(c, false);
    else
      return "must be true or false (got \"" + v + "\")";
    return std::nullopt;
  };
}

std::function<std::optional<std::string>(Config&, const std::string&)> text(
    std::function<void(Config&, const std::string&)> set,
    std::function<bool(const std::string&)> ok = {}, std::string allowed = {}) {
  return [=](Config& c, const std::string& v) -> std::optional<std::string> {
    if (ok && !ok(v)) return "must be " + allowed + " (got \"" + v + "\")";
    set(c, v);
    return std::nullopt;
  };
}

std::vector<std::string> split_list(const std::string& v) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos <= v.size()) {
    std::size_t end = v.find(',', pos);
    if (end == std::string::npos) end = v.size();
    std::string item = v.substr(pos, end - pos);
    item.erase(0, item.find_first_not_of(' '));
    item.erase(item.find_last_not_of(' ') + 1);
    if (!item.empty()) out.push_back(item);
    pos = end + 1;
  }
  return out;
}

bool is_http_url(const std::string& v) {
  return v.starts_with("http://") || v.starts_with("https://");
}

// The tile URL's origin goes into a Content-Security-Policy header, so it may hold only
// host characters (and Leaflet's {s} subdomain placeholder); the rest may not break out of
// the header either.
bool is_tile_url(const std::string& v) {
  if (v.empty() || v.size() > 500) return false;
  for (unsigned char ch : v)
    if (ch <= 0x20 || ch >= 0x7f || ch == '"' || ch == '\'' || ch == ';' || ch == ',' ||
        ch == '<' || ch == '>' || ch == '\\')
      return false;
  if (v.starts_with("/")) return !v.starts_with("//");
  const auto scheme_end = v.find("://");
  if (scheme_end == std::string::npos) return false;
  const std::string scheme = v.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https") return false;
  const auto host_end = v.find('/', scheme_end + 3);
  const std::string host =
      v.substr(scheme_end + 3,
               host_end == std::string::npos ? std::string::npos : host_end - scheme_end - 3);
  if (host.empty()) return false;
  for (unsigned char ch : host)
    if (!(std::isalnum(ch) || ch == '.' || ch == '-' || ch == ':' || ch == '{' || ch == '}'))
      return false;
  return true;
}

const std::vector<Key>& keys() {
  using ms = std::chrono::milliseconds;
  static const std::vector<Key> k_keys = {
      {"server.host", text([](Config& c, const std::string& v) { c.server.host = v; },
                           [](const std::string& v) { return !v.empty(); }, "an IP address")},
      {"server.port",
       integer([](Config& c, long long v) { c.server.port = std::uint16_t(v); }, 0, 65535)},
      {"server.io_threads",
       integer([](Config& c, long long v) { c.server.io_threads = int(v); }, 1, 64)},
      {"server.worker_threads",
       integer([](Config& c, long long v) { c.worker_threads = int(v); }, 1, 256)},
      {"server.max_header_bytes",
       integer([](Config& c, long long v) { c.server.max_header_bytes = std::size_t(v); }, 1024,
               1 << 20)},
      {"server.max_body_bytes",
       integer([](Config& c, long long v) { c.server.max_body_bytes = std::size_t(v); }, 1024,
               1LL << 30)},
      {"server.read_timeout_ms",
       integer([](Config& c, long long v) { c.server.read_timeout = ms(v); }, 100, 600'000)},
      {"server.idle_timeout_ms",
       integer([](Config& c, long long v) { c.server.idle_timeout = ms(v); }, 100, 3'600'000)},
      {"server.shutdown_timeout_ms",
       integer([](Config& c, long long v) { c.server.shutdown_timeout = ms(v); }, 0, 600'000)},
      {"server.cors_origins",
       text([](Config& c,
               const std::string& v) { c.server.middleware.cors_origins = split_list(v); },
            [](const std::string& v) {
              for (const auto& o : split_list(v))
                if (!o.starts_with("http://") && !o.starts_with("https://")) return false;
              return true;
            },
            "a list of origins such as https://example.in")},
      {"server.hsts", boolean([](Config& c, bool v) { c.server.middleware.hsts = v; })},
      {"server.access_log", boolean([](Config& c, bool v) { c.access_log = v; })},
      {"server.debug_routes", boolean([](Config& c, bool v) { c.debug_routes = v; })},
      {"database.url", text([](Config& c, const std::string& v) { c.database_url = v; },
                            [](const std::string& v) {
                              return v.starts_with("sqlite://") || v.starts_with("postgres://") ||
                                     v.starts_with("postgresql://");
                            },
                            "sqlite://PATH or postgres://USER@HOST:PORT/DB")},
      {"database.pool_size",
       integer([](Config& c, long long v) { c.database_pool_size = int(v); }, 1, 256)},
      {"storage.data_dir", text([](Config& c, const std::string& v) { c.data_dir = v; },
                                [](const std::string& v) { return !v.empty(); }, "a directory")},
      {"web.root", text([](Config& c, const std::string& v) { c.web_root = v; },
                        [](const std::string& v) { return !v.empty(); }, "a directory")},
      {"web.tile_url",
       text([](Config& c, const std::string& v) { c.web_tile_url = v; }, is_tile_url,
            "an http(s) URL template such as "
            "https://tile.openstreetmap.org/{z}/{x}/{y}.png, or a path from /")},
      {"web.tile_attribution",
       text([](Config& c, const std::string& v) { c.web_tile_attribution = v; },
            [](const std::string& v) { return v.size() <= 300; }, "at most 300 characters")},
      {"log.level", text([](Config& c, const std::string& v) { c.log_level = v; },
                         [](const std::string& v) {
                           return v == "trace" || v == "debug" || v == "info" || v == "warn" ||
                                  v == "error" || v == "off";
                         },
                         "one of trace, debug, info, warn, error, off")},
      {"demo.seed", boolean([](Config& c, bool v) { c.seed_demo = v; })},
      {"demo.listings", integer([](Config& c, long long v) { c.seed_listings = v; }, 0, 5'000'000)},
      {"search.cursor_key",
       text([](Config& c, const std::string& v) { c.search_cursor_key = v; },
            [](const std::string& v) { return v.size() >= 16; }, "at least 16 characters")},
      {"notify.max_attempts",
       integer([](Config& c, long long v) { c.dispatch.max_attempts = int(v); }, 1, 100)},
      {"notify.retry_base_seconds",
       integer([](Config& c, long long v) { c.dispatch.retry_base_seconds = int(v); }, 1, 86400)},
      {"notify.retry_max_seconds",
       integer([](Config& c, long long v) { c.dispatch.retry_max_seconds = int(v); }, 1, 604800)},
      {"notify.poll_seconds",
       integer([](Config& c, long long v) { c.dispatch.poll_seconds = int(v); }, 1, 3600)},
      {"leads.contact_key",
       text([](Config& c, const std::string& v) { c.leads.contact_key = v; },
            [](const std::string& v) { return v.size() >= 16; }, "at least 16 characters")},
      {"leads.contact_token_ttl_seconds",
       integer([](Config& c, long long v) { c.leads.contact_token_ttl_seconds = v; }, 1, 86400)},
      {"leads.code_resend_seconds",
       integer([](Config& c, long long v) { c.leads.code_resend_seconds = v; }, 0, 3600)},
      {"leads.ip_rate_per_minute",
       integer([](Config& c, long long v) { c.leads.ip_rate_per_minute = int(v); }, 1, 1000000)},
      {"leads.seeker_rate_per_minute",
       integer([](Config& c, long long v) { c.leads.seeker_rate_per_minute = int(v); }, 1,
               1000000)},
      {"leads.guest_daily_cap",
       integer([](Config& c, long long v) { c.leads.guest_daily_cap = int(v); }, 1, 100000)},
      {"leads.codes_per_contact_per_day",
       integer([](Config& c, long long v) { c.leads.codes_per_contact_per_day = int(v); }, 1,
               100000)},
      {"visits.min_notice_minutes",
       integer([](Config& c, long long v) { c.visits.min_notice_minutes = int(v); }, 0, 7 * 1440)},
      {"visits.horizon_days",
       integer([](Config& c, long long v) { c.visits.horizon_days = int(v); }, 1, 365)},
      {"visits.max_per_listing",
       integer([](Config& c, long long v) { c.visits.max_per_listing = int(v); }, 1, 100)},
      {"visits.max_active",
       integer([](Config& c, long long v) { c.visits.max_active = int(v); }, 1, 1000)},
      {"visits.ip_rate_per_minute",
       integer([](Config& c, long long v) { c.visits.ip_rate_per_minute = int(v); }, 1, 1000000)},
      {"visits.seeker_rate_per_minute",
       integer([](Config& c, long long v) { c.visits.seeker_rate_per_minute = int(v); }, 1,
               1000000)},
      {"alerts.sweep_seconds",
       integer([](Config& c, long long v) { c.alerts_sweep_seconds = int(v); }, 1, 86400)},
      {"alerts.unsubscribe_key",
       text([](Config& c, const std::string& v) { c.alerts_unsubscribe_key = v; },
            [](const std::string& v) { return v.size() >= 16; }, "at least 16 characters")},
      {"listings.sweep_seconds",
       integer([](Config& c, long long v) { c.listing_sweep_seconds = int(v); }, 1, 86400)},
      {"listings.views_flush_seconds",
       integer([](Config& c, long long v) { c.listing_views_flush_seconds = int(v); }, 1, 3600)},
      {"listings.expiry_days",
       integer([](Config& c, long long v) { c.listing_expiry_days = int(v); }, 1, 3650)},
      {"auth.issuer", text([](Config& c, const std::string& v) { c.auth.issuer = v; },
                           [](const std::string& v) { return !v.empty(); }, "a name or URL")},
      {"auth.audience", text([](Config& c, const std::string& v) { c.auth.audience = v; },
                             [](const std::string& v) { return !v.empty(); }, "a name or URL")},
      {"auth.public_url", text([](Config& c, const std::string& v) { c.auth.public_url = v; },
                               is_http_url, "an http(s) URL")},
      {"auth.access_ttl_seconds",
       integer([](Config& c, long long v) { c.auth.access_ttl_seconds = v; }, 60, 3600)},
      {"auth.refresh_ttl_seconds",
       integer([](Config& c, long long v) { c.auth.refresh_ttl_seconds = v; }, 300, 90LL * 86400)},
      {"auth.key_rotation_seconds",
       integer([](Config& c, long long v) { c.auth.key_rotation_seconds = v; }, 1, 365LL * 86400)},
      {"auth.ip_rate_per_minute",
       integer([](Config& c, long long v) { c.auth.ip_rate_per_minute = int(v); }, 1, 100000)},
      {"auth.account_rate_per_minute",
       integer([](Config& c, long long v) { c.auth.account_rate_per_minute = int(v); }, 1, 10000)},
      {"auth.lockout_threshold",
       integer([](Config& c, long long v) { c.auth.lockout_threshold = int(v); }, 1, 100)},
      {"auth.otp_per_phone_per_day",
       integer([](Config& c, long long v) { c.auth.otp_per_phone_per_day = v; }, 1, 1000)},
      {"auth.otp_resend_seconds",
       integer([](Config& c, long long v) { c.auth.otp_resend_seconds = v; }, 0, 3600)},
      {"auth.argon2_memory_kib",
       integer([](Config& c, long long v) { c.auth.argon2_memory_kib = v; }, 19 * 1024, 1 << 22)},
      {"auth.argon2_iterations",
       integer([](Config& c, long long v) { c.auth.argon2_iterations = v; }, 2, 100)},
      {"oidc.issuer", text([](Config& c, const std::string& v) { c.auth.oidc.issuer = v; },
                           [](const std::string& v) { return v.empty() || is_http_url(v); },
                           "an http(s) URL, or empty to turn social sign-in off")},
      {"oidc.client_id", text([](Config& c, const std::string& v) { c.auth.oidc.client_id = v; })},
      {"oidc.client_secret",
       text([](Config& c, const std::string& v) { c.auth.oidc.client_secret = v; })},
      {"oidc.redirect_uri",
       text([](Config& c, const std::string& v) { c.auth.oidc.redirect_uri = v; },
            [](const std::string& v) { return v.empty() || is_http_url(v); }, "an http(s) URL")},
      {"oidc.scopes", text([](Config& c, const std::string& v) { c.auth.oidc.scopes = v; })},
      {"email.provider",
       text([](Config& c, const std::string& v) { c.email.provider = v; },
            [](const std::string& v) { return v == "log" || v == "smtp"; }, "log or smtp")},
      {"email.smtp_url", text([](Config& c, const std::string& v) { c.email.smtp_url = v; },
                              [](const std::string& v) {
                                return v.starts_with("smtp://") || v.starts_with("smtps://");
                              },
                              "smtp://HOST:PORT or smtps://HOST:PORT")},
      {"email.smtp_starttls", boolean([](Config& c, bool v) { c.email.smtp_starttls = v; })},
      {"email.smtp_username",
       text([](Config& c, const std::string& v) { c.email.smtp_username = v; })},
      {"email.smtp_password",
       text([](Config& c, const std::string& v) { c.email.smtp_password = v; })},
      {"email.sink_file", text([](Config& c, const std::string& v) { c.email.sink_file = v; })},
      {"email.from", text([](Config& c, const std::string& v) { c.email.from = v; },
                          [](const std::string& v) { return v.find('@') != std::string::npos; },
                          "an address such as Griha <no-reply@example.in>")},
      {"sms.provider",
       text([](Config& c, const std::string& v) { c.sms.provider = v; },
            [](const std::string& v) { return v == "log" || v == "http"; }, "log or http")},
      {"sms.http_url",
       text([](Config& c, const std::string& v) { c.sms.http_url = v; },
            [](const std::string& v) { return v.empty() || is_http_url(v); }, "an http(s) URL")},
      {"sms.http_body_template",
       text([](Config& c, const std::string& v) { c.sms.http_body_template = v; })},
      {"sms.http_content_type",
       text([](Config& c, const std::string& v) { c.sms.http_content_type = v; })},
      {"sms.http_authorization",
       text([](Config& c, const std::string& v) { c.sms.http_authorization = v; })},
      {"sms.sink_file", text([](Config& c, const std::string& v) { c.sms.sink_file = v; })},
  };
  return k_keys;
}

const Key* find_key(const std::string& name) {
  for (const auto& k : keys())
    if (k.name == name) return &k;
  return nullptr;
}

// TOML scalars and arrays to the text form that environment variables also use.
std::optional<std::string> toml_text(const toml::node& n) {
  if (auto s = n.value<std::string>(); s && n.is_string()) return *s;
  if (n.is_integer()) return std::to_string(*n.value<long long>());
  if (n.is_boolean()) return *n.value<bool>() ? "true" : "false";
  if (const auto* arr = n.as_array()) {
    std::string out;
    for (const auto& item : *arr) {
      auto t = toml_text(item);
      if (!t) return std::nullopt;
      out += (out.empty() ? "" : ",") + *t;
    }
    return out;
  }
  return std::nullopt;
}

}  // namespace

Result<Config> load_config(const std::optional<std::string>& path,
                           const std::map<std::string, std::string>& env) {
  std::map<std::string, std::string> values;  // the file's, then the environment's on top
  if (path) {
    std::ifstream probe(*path);
    if (!probe) return config_error("--config", "cannot read " + *path);
    toml::table table;
    try {
      table = toml::parse_file(*path);
    } catch (const toml::parse_error& e) {
      return config_error("--config", std::string(e.description()) + " at line " +
                                          std::to_string(e.source().begin.line));
    }
    for (const auto& [section, node] : table) {
      const auto* inner = node.as_table();
      if (!inner) return config_error(std::string(section.str()), "must be a [section]");
      for (const auto& [name, value] : *inner) {
        const std::string key = std::string(section.str()) + "." + std::string(name.str());
        auto t = toml_text(value);
        if (!t) return config_error(key, "must be a string, integer, boolean or array");
        values[key] = *t;
      }
    }
  }
  for (const auto& [var, value] : env) {
    // GRIHA_SERVER_PORT -> server.port: the first underscore after the prefix separates
    // the section from the name.
    std::string rest = var.substr(6);
    const auto us = rest.find('_');
    if (us == std::string::npos) continue;
    std::string key = rest.substr(0, us) + "." + rest.substr(us + 1);
    for (auto& ch : key) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (find_key(key)) values[key] = value;
  }

  Config config;
  for (const auto& [key, value] : values) {
    const Key* k = find_key(key);
    if (!k) return config_error(key, "is not a known setting");
    if (auto err = k->apply(config, value)) return config_error(key, *err);
  }
  return config;
}

std::map<std::string, std::string> griha_environment() {
  std::map<std::string, std::string> out;
  for (char** e = environ; *e; ++e) {
    std::string_view entry(*e);
    if (!entry.starts_with("GRIHA_")) continue;
    const auto eq = entry.find('=');
    if (eq == std::string_view::npos) continue;
    out.emplace(std::string(entry.substr(0, eq)), std::string(entry.substr(eq + 1)));
  }
  return out;
}

}  // namespace griha::app
