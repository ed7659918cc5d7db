// Starts the real griha binary for an integration test: a free loopback port, a temporary
// data directory, and a fresh database on the back end named by GRIHA_TEST_DATABASE
// (sqlite, the default, or postgres at GRIHA_TEST_PG_URL).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "support/storage_support.hpp"

namespace griha::test {

// "sqlite" or "postgres", from GRIHA_TEST_DATABASE.
std::string test_backend();

class GrihaProcess {
 public:
  // `env` adds or overrides GRIHA_* settings, e.g. {"GRIHA_SERVER_READ_TIMEOUT_MS", "1500"}.
  explicit GrihaProcess(std::map<std::string, std::string> env = {});
  ~GrihaProcess();
  GrihaProcess(const GrihaProcess&) = delete;
  GrihaProcess& operator=(const GrihaProcess&) = delete;

  std::uint16_t port() const { return port_; }
  pid_t pid() const { return pid_; }
  const std::string& database_url() const { return database_url_; }
  // Sends `signal` and waits for the exit; returns the exit status (128+n when killed by n).
  int signal_and_wait(int signal, std::chrono::seconds timeout);
  std::string log() const;
  // Where the log email and SMS providers append each message (read it with MessageSink).
  std::filesystem::path sink_file() const { return dir_.path() / "messages.jsonl"; }

 private:
  TempDir dir_;
  std::string database_url_;
  std::string pg_database_;  // dropped at the end when on PostgreSQL
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
};

// Runs griha with arguments and environment to completion; returns exit code and output.
struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};
// `input` is written to its standard input (e.g. a password for `griha user create`).
CommandResult run_griha(const std::vector<std::string>& args,
                        const std::map<std::string, std::string>& env = {},
                        const std::string& input = {});

// A user of a running griha: created with `griha user create`, signed in over HTTP.
struct TestUser {
  std::int64_t id = 0;
  std::string email;
  std::string access_token;
  std::string bearer() const { return "Bearer " + access_token; }
};
TestUser create_user(const GrihaProcess& server, const std::string& role);

}  // namespace griha::test
