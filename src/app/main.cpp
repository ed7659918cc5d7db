// griha: the real-estate platform's server and its administration commands.
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <unistd.h>

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

  std::string user_email, user_role = "admin", user_name;
  auto* user = cli.add_subcommand("user", "Manage user accounts");
  auto* user_create = user->add_subcommand(
      "create", "Create a user; the password is read from standard input (one line)");
  user_create->add_option("--email", user_email, "Email address")->required();
  user_create->add_option("--role", user_role, "seeker, owner, agent, builder or admin");
  user_create->add_option("--name", user_name, "Display name");
  user->require_subcommand(1);

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
        first_run.listings = config->seed_listings;
        if (auto r = griha::app::seed_demo((*app)->database(), (*app)->gazetteer(), first_run); !r)
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
    if (*user_create) {
      // Never a command-line argument: those show up in `ps` and shell history.
      if (isatty(STDIN_FILENO)) std::cerr << "Password for " << user_email << ": ";
      std::string password;
      std::getline(std::cin, password);
      if (!password.empty() && password.back() == '\r') password.pop_back();
      auto created = (*app)->auth().create_user(user_email, password, user_role, user_name);
      if (!created) {
        for (const auto& f : created.error().fields)
          std::cerr << "griha: " << f.field << ": " << f.message << "\n";
        return fail(created.error());
      }
      std::cout << "created user " << created->id << " (" << *created->email << ", "
                << created->role << ")\n";
      return 0;
    }
    if (*seed) {
      if (auto r = griha::app::seed_demo((*app)->database(), (*app)->gazetteer(), seed_options); !r)
        return fail(r.error());
      return 0;
    }
  } catch (const std::exception& e) {
    std::cerr << "griha: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
