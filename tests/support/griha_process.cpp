#include "support/griha_process.hpp"

#include "support/http_client.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <fstream>
#include <iostream>
#include <random>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace griha::test {
namespace {

std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// fork + exec griha with this process's environment plus `env`, output to `log`.
pid_t spawn(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
            const std::filesystem::path& log, const std::string& input = {}) {
  std::map<std::string, std::string> merged;
  for (char** e = environ; *e; ++e) {
    std::string entry(*e);
    const auto eq = entry.find('=');
    if (eq != std::string::npos) merged[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  for (const auto& [k, v] : env) merged[k] = v;
  std::vector<std::string> env_strings;
  for (const auto& [k, v] : merged) env_strings.push_back(k + "=" + v);

  std::vector<std::string> argv_strings = {GRIHA_BINARY};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv, envp;
  for (auto& s : argv_strings) argv.push_back(s.data());
  argv.push_back(nullptr);
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);

  int in_pipe[2] = {-1, -1};
  if (::pipe(in_pipe) != 0) throw std::runtime_error("pipe failed");
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(in_pipe[0], 0);
    ::close(in_pipe[0]);
    ::close(in_pipe[1]);
    FILE* out = std::fopen(log.c_str(), "w");
    if (out) {
      ::dup2(::fileno(out), 1);
      ::dup2(::fileno(out), 2);
    }
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  ::close(in_pipe[0]);
  // Small inputs fit the pipe's buffer, so this cannot block on a child that never reads.
  if (!input.empty() && ::write(in_pipe[1], input.data(), input.size()) < 0)
    throw std::runtime_error("writing to griha's stdin failed");
  ::close(in_pipe[1]);
  return pid;
}

int wait_exit(pid_t pid, std::chrono::seconds timeout, bool* exited) {
  const auto end = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  while (std::chrono::steady_clock::now() < end) {
    const pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) {
      *exited = true;
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  *exited = false;
  return -1;
}

}  // namespace

std::string test_backend() {
  const char* b = std::getenv("GRIHA_TEST_DATABASE");
  return b && std::string(b) == "postgres" ? "postgres" : "sqlite";
}

GrihaProcess::GrihaProcess(std::map<std::string, std::string> env) {
  if (test_backend() == "postgres") {
    database_url_ = fresh_pg_database(pg_admin_url());
    pg_database_ = database_url_;
  } else {
    database_url_ = "sqlite://" + (dir_.path() / "griha.db").string();
  }
  std::map<std::string, std::string> settings = {
      {"GRIHA_SERVER_HOST", "127.0.0.1"},
      {"GRIHA_SERVER_PORT", "0"},
      {"GRIHA_SERVER_IO_THREADS", "2"},
      {"GRIHA_DATABASE_URL", database_url_},
      {"GRIHA_STORAGE_DATA_DIR", (dir_.path() / "data").string()},
      {"GRIHA_WEB_ROOT", std::string(GRIHA_SOURCE_DIR) + "/web"},
      {"GRIHA_DEMO_SEED", "false"},
      {"GRIHA_EMAIL_SINK_FILE", sink_file().string()},
      {"GRIHA_SMS_SINK_FILE", sink_file().string()},
  };
  for (auto& [k, v] : env) settings[k] = v;
  pid_ = spawn({"serve"}, settings, dir_.path() / "griha.log");

  // The server prints where it listens once the socket is bound.
  static const std::regex k_listening(R"(serving on http://[0-9.]+:([0-9]+))");
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < end) {
    std::smatch m;
    const std::string text = log();
    if (std::regex_search(text, m, k_listening)) {
      port_ = static_cast<std::uint16_t>(std::stoi(m[1]));
      return;
    }
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("griha exited during start:\n" + text);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  throw std::runtime_error("griha did not start:\n" + log());
}

GrihaProcess::~GrihaProcess() {
  // The server's side of a failure is usually the quickest way to its cause.
  if (::testing::UnitTest::GetInstance()->failed_test_count() > 0) {
    const std::string text = log();
    std::cerr << "--- griha log (last 4000 bytes) ---\n"
              << text.substr(text.size() > 4000 ? text.size() - 4000 : 0) << "\n";
  }
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  if (!pg_database_.empty()) drop_pg_database(pg_admin_url(), pg_database_);
}

int GrihaProcess::signal_and_wait(int signal, std::chrono::seconds timeout) {
  ::kill(pid_, signal);
  bool exited = false;
  const int code = wait_exit(pid_, timeout, &exited);
  if (exited) pid_ = -1;
  return code;
}

std::string GrihaProcess::log() const {
  return read_text(dir_.path() / "griha.log");
}

CommandResult run_griha(const std::vector<std::string>& args,
                        const std::map<std::string, std::string>& env, const std::string& input) {
  TempDir dir;
  const pid_t pid = spawn(args, env, dir.path() / "out.log", input);
  bool exited = false;
  CommandResult result;
  result.exit_code = wait_exit(pid, std::chrono::seconds(60), &exited);
  if (!exited) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
  }
  result.output = read_text(dir.path() / "out.log");
  return result;
}

}  // namespace griha::test

namespace griha::test {

TestUser create_user(const GrihaProcess& server, const std::string& role) {
  static int counter = 0;
  TestUser u;
  u.email = role + std::to_string(++counter) + "-" + std::to_string(::getpid()) + "@test.griha.in";
  const std::string password = "correct horse battery " + role;
  auto made =
      run_griha({"user", "create", "--role", role, "--email", u.email, "--name", "Test " + role},
                {{"GRIHA_DATABASE_URL", server.database_url()}}, password + "\n");
  if (made.exit_code != 0) throw std::runtime_error("griha user create failed:\n" + made.output);
  auto signed_in = http_request(
      server.port(), bhttp::verb::post, "/api/v1/auth/signin",
      boost::json::serialize(boost::json::object{{"email", u.email}, {"password", password}}),
      {{"Content-Type", "application/json"}});
  if (signed_in.result_int() != 200)
    throw std::runtime_error("sign-in failed: " + signed_in.body());
  u.access_token = json_body(signed_in).at("access_token").as_string();
  auto me = http_get(server.port(), "/api/v1/me", {{"Authorization", u.bearer()}});
  u.id = json_body(me).at("id").as_int64();
  return u;
}

}  // namespace griha::test
