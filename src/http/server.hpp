// The HTTP/1.1 server: Beast over Asio C++20 coroutines, one coroutine per connection on its
// own strand, several I/O threads. It owns limits, timeouts, keep-alive, access logging and
// graceful shutdown; what a request means is the router's business.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "http/metrics.hpp"
#include "http/middleware.hpp"
#include "http/router.hpp"

namespace spdlog {
class logger;
}

namespace griha::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;  // 0 picks a free port
  int io_threads = 2;
  std::size_t max_header_bytes = 16 * 1024;
  std::size_t max_body_bytes = 1024 * 1024;
  std::chrono::milliseconds read_timeout{10'000};  // whole request, once its first byte came
  std::chrono::milliseconds idle_timeout{60'000};  // keep-alive wait for the next request
  std::chrono::milliseconds shutdown_timeout{20'000};
  MiddlewareOptions middleware;
};

class Server {
 public:
  // access_log may be null: no access log. authenticator may be empty: every request is
  // anonymous, and routes that need a principal answer 401.
  Server(ServerOptions options, const Router& router, Metrics& metrics,
         std::shared_ptr<spdlog::logger> access_log, Authenticator authenticator = {});
  ~Server();

  // Binds the listening socket; returns the bound port.
  std::uint16_t listen();
  // Serves until SIGTERM/SIGINT or stop(), then drains in-flight requests up to the
  // shutdown deadline. Returns when every I/O thread has finished.
  void run();
  // Begins graceful shutdown (thread-safe).
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace griha::http
