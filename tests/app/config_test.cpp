#include "app/config.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "support/storage_support.hpp"

namespace griha::app {
namespace {

TEST(Config, DefaultsAreValid) {
  auto c = load_config(std::nullopt, {});
  ASSERT_TRUE(c);
  EXPECT_EQ(c->server.port, 8080);
  EXPECT_EQ(c->database_url, "sqlite://data/griha.db");
}

TEST(Config, EnvironmentOverridesTheFile) {
  test::TempDir dir;
  const auto path = (dir.path() / "griha.toml").string();
  std::ofstream(path) << "[server]\nport = 9000\nio_threads = 3\ncors_origins = "
                         "[\"https://a.in\", \"https://b.in\"]\n[database]\npool_size = 4\n";
  auto c = load_config(path, {{"GRIHA_SERVER_PORT", "9100"}, {"GRIHA_TEST_DATABASE", "x"}});
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->server.port, 9100);
  EXPECT_EQ(c->server.io_threads, 3);
  EXPECT_EQ(c->database_pool_size, 4);
  ASSERT_EQ(c->server.middleware.cors_origins.size(), 2u);
  EXPECT_EQ(c->server.middleware.cors_origins[1], "https://b.in");
}

TEST(Config, BadValuesNameTheKeyAndTheRule) {
  struct Bad {
    std::string var, value, key;
  };
  for (const auto& b : std::vector<Bad>{
           {"GRIHA_SERVER_PORT", "70000", "server.port"},
           {"GRIHA_SERVER_HSTS", "yes", "server.hsts"},
           {"GRIHA_SERVER_CORS_ORIGINS", "evil.com", "server.cors_origins"},
           {"GRIHA_DATABASE_POOL_SIZE", "-1", "database.pool_size"},
           {"GRIHA_LEADS_CODES_PER_CONTACT_PER_DAY", "0", "leads.codes_per_contact_per_day"},
           {"GRIHA_VISITS_MAX_PER_LISTING", "0", "visits.max_per_listing"},
           {"GRIHA_VISITS_MAX_ACTIVE", "0", "visits.max_active"},
           {"GRIHA_VISITS_SEEKER_RATE_PER_MINUTE", "0", "visits.seeker_rate_per_minute"},
           // The tile URL's origin goes into the pages' CSP header.
           {"GRIHA_WEB_TILE_URL", "https://t.in; script-src *", "web.tile_url"},
           {"GRIHA_WEB_TILE_URL", "ftp://t.in/{z}/{x}/{y}.png", "web.tile_url"},
           {"GRIHA_WEB_TILE_URL", "//t.in/{z}/{x}/{y}.png", "web.tile_url"}}) {
    auto c = load_config(std::nullopt, {{b.var, b.value}});
    ASSERT_FALSE(c) << b.var;
    EXPECT_TRUE(c.error().message.starts_with(b.key + ": must be")) << c.error().message;
  }
}

TEST(Config, UnknownFileKeysAndBrokenFilesAreRefused) {
  test::TempDir dir;
  const auto unknown = (dir.path() / "u.toml").string();
  std::ofstream(unknown) << "[server]\nportt = 1\n";
  auto c = load_config(unknown, {});
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("server.portt"), std::string::npos);

  const auto broken = (dir.path() / "b.toml").string();
  std::ofstream(broken) << "[server\n";
  EXPECT_FALSE(load_config(broken, {}));
  EXPECT_FALSE(load_config((dir.path() / "missing.toml").string(), {}));
}

}  // namespace
}  // namespace griha::app

namespace griha::app {
namespace {

// The documented example must load and say exactly what the defaults are.
TEST(Config, ExampleFileMatchesTheDefaults) {
  auto c = load_config(std::string(GRIHA_SOURCE_DIR) + "/docs/griha.example.toml", {});
  ASSERT_TRUE(c) << c.error().message;
  const Config d;
  EXPECT_EQ(c->server.host, d.server.host);
  EXPECT_EQ(c->server.port, d.server.port);
  EXPECT_EQ(c->server.io_threads, d.server.io_threads);
  EXPECT_EQ(c->worker_threads, d.worker_threads);
  EXPECT_EQ(c->server.max_header_bytes, d.server.max_header_bytes);
  EXPECT_EQ(c->server.max_body_bytes, d.server.max_body_bytes);
  EXPECT_EQ(c->server.read_timeout, d.server.read_timeout);
  EXPECT_EQ(c->server.idle_timeout, d.server.idle_timeout);
  EXPECT_EQ(c->server.shutdown_timeout, d.server.shutdown_timeout);
  EXPECT_EQ(c->server.middleware.cors_origins, d.server.middleware.cors_origins);
  EXPECT_EQ(c->server.middleware.hsts, d.server.middleware.hsts);
  EXPECT_EQ(c->access_log, d.access_log);
  EXPECT_EQ(c->debug_routes, d.debug_routes);
  EXPECT_EQ(c->database_url, d.database_url);
  EXPECT_EQ(c->database_pool_size, d.database_pool_size);
  EXPECT_EQ(c->data_dir, d.data_dir);
  EXPECT_EQ(c->web_root, d.web_root);
  EXPECT_EQ(c->web_tile_url, d.web_tile_url);
  EXPECT_EQ(c->web_tile_attribution, d.web_tile_attribution);
  EXPECT_EQ(c->log_level, d.log_level);
  EXPECT_EQ(c->seed_demo, d.seed_demo);
  EXPECT_EQ(c->seed_listings, d.seed_listings);
  EXPECT_EQ(c->listing_expiry_days, d.listing_expiry_days);
  EXPECT_EQ(c->listing_sweep_seconds, d.listing_sweep_seconds);
  EXPECT_EQ(c->listing_views_flush_seconds, d.listing_views_flush_seconds);
  EXPECT_EQ(c->dispatch.max_attempts, d.dispatch.max_attempts);
  EXPECT_EQ(c->dispatch.retry_base_seconds, d.dispatch.retry_base_seconds);
  EXPECT_EQ(c->dispatch.retry_max_seconds, d.dispatch.retry_max_seconds);
  EXPECT_EQ(c->dispatch.poll_seconds, d.dispatch.poll_seconds);
  EXPECT_EQ(c->alerts_sweep_seconds, d.alerts_sweep_seconds);
  EXPECT_EQ(c->alerts_unsubscribe_key, d.alerts_unsubscribe_key);
  EXPECT_EQ(c->auth.issuer, d.auth.issuer);
  EXPECT_EQ(c->auth.audience, d.auth.audience);
  EXPECT_EQ(c->auth.public_url, d.auth.public_url);
  EXPECT_EQ(c->auth.access_ttl_seconds, d.auth.access_ttl_seconds);
  EXPECT_EQ(c->auth.refresh_ttl_seconds, d.auth.refresh_ttl_seconds);
  EXPECT_EQ(c->auth.key_rotation_seconds, d.auth.key_rotation_seconds);
  EXPECT_EQ(c->auth.ip_rate_per_minute, d.auth.ip_rate_per_minute);
  EXPECT_EQ(c->auth.account_rate_per_minute, d.auth.account_rate_per_minute);
  EXPECT_EQ(c->auth.lockout_threshold, d.auth.lockout_threshold);
  EXPECT_EQ(c->auth.otp_resend_seconds, d.auth.otp_resend_seconds);
  EXPECT_EQ(c->auth.otp_per_phone_per_day, d.auth.otp_per_phone_per_day);
  EXPECT_EQ(c->auth.argon2_memory_kib, d.auth.argon2_memory_kib);
  EXPECT_EQ(c->auth.argon2_iterations, d.auth.argon2_iterations);
  EXPECT_EQ(c->leads.contact_key, d.leads.contact_key);
  EXPECT_EQ(c->leads.contact_token_ttl_seconds, d.leads.contact_token_ttl_seconds);
  EXPECT_EQ(c->leads.code_resend_seconds, d.leads.code_resend_seconds);
  EXPECT_EQ(c->leads.ip_rate_per_minute, d.leads.ip_rate_per_minute);
  EXPECT_EQ(c->leads.seeker_rate_per_minute, d.leads.seeker_rate_per_minute);
  EXPECT_EQ(c->leads.guest_daily_cap, d.leads.guest_daily_cap);
  EXPECT_EQ(c->leads.codes_per_contact_per_day, d.leads.codes_per_contact_per_day);
  EXPECT_EQ(c->visits.min_notice_minutes, d.visits.min_notice_minutes);
  EXPECT_EQ(c->visits.horizon_days, d.visits.horizon_days);
  EXPECT_EQ(c->visits.max_per_listing, d.visits.max_per_listing);
  EXPECT_EQ(c->visits.max_active, d.visits.max_active);
  EXPECT_EQ(c->visits.ip_rate_per_minute, d.visits.ip_rate_per_minute);
  EXPECT_EQ(c->visits.seeker_rate_per_minute, d.visits.seeker_rate_per_minute);
  EXPECT_EQ(c->auth.oidc.issuer, d.auth.oidc.issuer);
  EXPECT_EQ(c->auth.oidc.scopes, d.auth.oidc.scopes);
  EXPECT_EQ(c->email.provider, d.email.provider);
  EXPECT_EQ(c->email.smtp_url, d.email.smtp_url);
  EXPECT_EQ(c->email.smtp_starttls, d.email.smtp_starttls);
  EXPECT_EQ(c->email.from, d.email.from);
  EXPECT_EQ(c->sms.provider, d.sms.provider);
  EXPECT_EQ(c->sms.http_body_template, d.sms.http_body_template);
  EXPECT_EQ(c->sms.http_content_type, d.sms.http_content_type);
  EXPECT_EQ(c->email.sink_file, d.email.sink_file);
  EXPECT_EQ(c->sms.sink_file, d.sms.sink_file);
}

// The message sink is for tests: a default configuration writes messages nowhere but the log.
TEST(Config, TheMessageSinkIsOffByDefault) {
  auto c = load_config(std::nullopt, {});
  ASSERT_TRUE(c);
  EXPECT_EQ(c->email.sink_file, "");
  EXPECT_EQ(c->sms.sink_file, "");
  auto on = load_config(std::nullopt, {{"GRIHA_EMAIL_SINK_FILE", "/tmp/m.jsonl"},
                                       {"GRIHA_SMS_SINK_FILE", "/tmp/m.jsonl"}});
  ASSERT_TRUE(on) << on.error().message;
  EXPECT_EQ(on->email.sink_file, "/tmp/m.jsonl");
  EXPECT_EQ(on->sms.sink_file, "/tmp/m.jsonl");
}

}  // namespace
}  // namespace griha::app
