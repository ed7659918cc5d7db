// The process as an operator sees it: the CLI, configuration errors, and graceful shutdown.
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <future>
#include <regex>
#include <thread>

#include "support/api.hpp"

namespace griha::test {
namespace {

TEST(Cli, VersionAndHelp) {
  auto version = run_griha({"--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_TRUE(std::regex_search(version.output, std::regex(R"(griha \d+\.\d+\.\d+)")));
  auto help = run_griha({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  for (const char* cmd : {"serve", "migrate", "seed"})
    EXPECT_NE(help.output.find(cmd), std::string::npos) << cmd;
}

TEST(Cli, BadConfigValueStopsWithTheKeyAndWhatIsAllowed) {
  struct Bad {
    std::string var, value, expect;
  };
  for (const auto& b : std::vector<Bad>{
           {"GRIHA_SERVER_PORT", "eighty", "server.port: must be an integer from 0 to 65535"},
           {"GRIHA_SERVER_IO_THREADS", "0", "server.io_threads: must be an integer from 1 to 64"},
           {"GRIHA_DATABASE_URL", "mysql://x",
            "database.url: must be sqlite://PATH or postgres://"},
           {"GRIHA_LOG_LEVEL", "loud", "log.level: must be one of trace, debug"},
       }) {
    auto r = run_griha({"migrate"}, {{b.var, b.value}});
    EXPECT_EQ(r.exit_code, 1) << b.var;
    EXPECT_NE(r.output.find(b.expect), std::string::npos) << r.output;
  }
}

TEST(Cli, ConfigFileIsReadAndEnvironmentWins) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("griha-cfg-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  {
    std::ofstream f(dir / "griha.toml");
    f << "[database]\nurl = \"sqlite://" << (dir / "from-file.db").string() << "\"\n"
      << "[server]\nport = 99999\n";
  }
  auto bad = run_griha({"--config", (dir / "griha.toml").string(), "migrate"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.output.find("server.port"), std::string::npos) << bad.output;
  auto ok = run_griha({"--config", (dir / "griha.toml").string(), "migrate"},
                      {{"GRIHA_SERVER_PORT", "8081"}});
  EXPECT_EQ(ok.exit_code, 0) << ok.output;
  EXPECT_TRUE(std::filesystem::exists(dir / "from-file.db"));
  {
    std::ofstream f(dir / "unknown.toml");
    f << "[server]\nprot = 80\n";
  }
  auto unknown = run_griha({"--config", (dir / "unknown.toml").string(), "migrate"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.output.find("server.prot: is not a known setting"), std::string::npos);
  std::filesystem::remove_all(dir);
}

// Reads the in-flight gauge from /metrics.
int in_flight(const Api& api) {
  const std::string text = api.get("/metrics").body();
  std::smatch m;
  std::regex_search(text, m, std::regex(R"(griha_http_requests_in_flight (\d+))"));
  return m.empty() ? -1 : std::stoi(m[1]);
}

TEST(Shutdown, SigtermFinishesInFlightRequestsThenExitsZero) {
  GrihaProcess server(
      {{"GRIHA_SERVER_DEBUG_ROUTES", "true"}, {"GRIHA_SERVER_SHUTDOWN_TIMEOUT_MS", "30000"}});
  const Api api(server);
  constexpr int k_requests = 100;
  std::vector<std::future<unsigned>> results;
  for (int i = 0; i < k_requests; ++i)
    results.push_back(std::async(std::launch::async,
                                 [&api] { return api.get("/_debug/sleep?ms=2000").result_int(); }));
  // Wait until all 100 are being handled (the scrape itself is the 101st; the previous
  // scrape's response may still be finishing, so count at least).
  for (int tries = 0; tries < 500 && in_flight(api) < k_requests + 1; ++tries)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_GE(in_flight(api), k_requests + 1);

  auto exit_code = std::async(std::launch::async, [&server] {
    return server.signal_and_wait(SIGTERM, std::chrono::seconds(60));
  });
  int ok = 0;
  for (auto& r : results) ok += r.get() == 200;
  EXPECT_EQ(ok, k_requests);
  EXPECT_EQ(exit_code.get(), 0);
}

TEST(Shutdown, IdleKeepAliveConnectionsDoNotHoldShutdown) {
  GrihaProcess server(
      {{"GRIHA_SERVER_SHUTDOWN_TIMEOUT_MS", "30000"}, {"GRIHA_SERVER_IDLE_TIMEOUT_MS", "600000"}});
  RawConnection idle(server.port());
  ASSERT_TRUE(idle.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
  bool closed = false;
  idle.read_until_closed(std::chrono::milliseconds(300), &closed);
  ASSERT_FALSE(closed);
  // With the idle connection still open, SIGTERM must end the process promptly and cleanly.
  EXPECT_EQ(server.signal_and_wait(SIGTERM, std::chrono::seconds(10)), 0);
}

}  // namespace
}  // namespace griha::test
