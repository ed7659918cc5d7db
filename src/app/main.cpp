// griha: the real-estate platform's server and its administration commands.
#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <iostream>

#include "app/app.hpp"
#include "app/config.hpp"
#include "app/seed.hpp"
#include "storage/migrations.hpp"

namespace {

int fail(const griha::Error& e) {
  std::cerr << "griha: " << e.message;
  if (!e.detail.empty()) std::cerr << " (" << e.detail << ")";
  std::cerr << "\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"Griha: the backend of a real-estate platform, in one binary.", "griha"};
  cli.set_version_flag("--version", std::string("griha ") + GRIHA_VERSION);
  std::optional<std::string> config_path;
  cli.add_option("-c,--config", config_path, "TOML config file (GRIHA_* variables override it)");
  cli.require_subcommand(1);

  auto* serve = cli.add_subcommand("serve", "Migrate the database, then serve HTTP");
  auto* migrate = cli.add_subcommand("migrate", "Apply pending database migrations");
  griha::app::SeedOptions seed_options;
  seed_options.only_if_empty = false;
  auto* seed = cli.add_subcommand("seed", "Write demo data (deterministic for a seed)");
  seed->add_option("--listings", seed_options.listings, "How many listings")
      ->check(CLI::Range(std::int64_t{0}, std::int64_t{5'000'000}));
  seed->add_option("--seed", seed_options.seed, "Random seed");

  CLI11_PARSE(cli, argc, argv);

  auto config = griha::app::load_config(config_path, griha::app::griha_environment());
  if (!config) return fail(config.error());
  spdlog::set_default_logger(spdlog::stderr_logger_mt("griha"));
  spdlog::set_level(spdlog::level::from_str(config->log_level));

  auto app = griha::app::App::open(*config);
  if (!app) return fail(app.error());

  try {
    if (*serve) {
      if (config->seed_demo) {
        griha::app::SeedOptions first_run;
        if (auto r = griha::app::seed_demo((*app)->database(), first_run); !r)
          return fail(r.error());
      }
      return (*app)->serve();
    }
    if (*migrate) {
      auto status = griha::storage::migration_status((*app)->database());
      if (!status) return fail(status.error());
      std::cout << "database schema at version " << status->current << "\n";
      return 0;
    }
    if (*seed) {
      if (auto r = griha::app::seed_demo((*app)->database(), seed_options); !r)
        return fail(r.error());
      return 0;
    }
  } catch (const std::exception& e) {
    std::cerr << "griha: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
