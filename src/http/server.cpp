#include "http/server.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio.hpp>
#include <boost/asio/experimental/as_tuple.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <csignal>
#include <list>
#include <mutex>
#include <thread>

#include "http/problem.hpp"

namespace griha::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
constexpr auto k_no_throw = asio::as_tuple(asio::use_awaitable);

struct Connection {
  explicit Connection(tcp::socket s) : stream(std::move(s)) {}
  beast::tcp_stream stream;
  bool busy = false;  // between reading a request and writing its response; touched on its strand
};

// Problems found before a request could be parsed, answered with "Connection: close".
Response early_problem(bhttp::status status, std::string code, std::string message) {
  Response res = problem_response(
      Error::make(ErrorKind::invalid, std::move(code), std::move(message)), "", status);
  res.keep_alive(false);
  res.prepare_payload();
  return res;
}

}  // namespace

struct Server::Impl {
  Impl(ServerOptions o, const Router& r, Metrics& m, std::shared_ptr<spdlog::logger> log,
       Authenticator auth)
      : options(std::move(o)),
        router(r),
        metrics(m),
        access_log(std::move(log)),
        authenticator(std::move(auth)),
        ioc(options.io_threads),
        acceptor(ioc),
        signals(ioc, SIGINT, SIGTERM),
        deadline(ioc) {}

  ServerOptions options;
  const Router& router;
  Metrics& metrics;
  std::shared_ptr<spdlog::logger> access_log;
  Authenticator authenticator;
  asio::io_context ioc;
  tcp::acceptor acceptor;
  asio::signal_set signals;
  asio::steady_timer deadline;
  std::atomic<bool> stopping{false};
  std::mutex mu;  // guards connections
  std::list<std::shared_ptr<Connection>> connections;

  asio::awaitable<void> accept_loop();
  asio::awaitable<void> session(std::shared_ptr<Connection> c);
  asio::awaitable<Response> handle(RawRequest&& raw, const std::string& remote, Match m);
  std::size_t largest_body_limit = 0;
  std::optional<Error> authorize(Request& req, const Access& access) const;
  void begin_shutdown();
  void forget(const std::shared_ptr<Connection>& c);
  void log_access(const Request& req, const Response& res, std::size_t route, double us);
};

asio::awaitable<void> Server::Impl::accept_loop() {
  while (!stopping) {
    auto [ec, socket] = co_await acceptor.async_accept(asio::make_strand(ioc), k_no_throw);
    if (ec) {
      if (stopping || ec == asio::error::operation_aborted) co_return;
      // Out of descriptors and the like: back off instead of spinning.
      spdlog::warn("accept failed: {}", ec.message());
      asio::steady_timer wait(ioc, std::chrono::milliseconds(50));
      co_await wait.async_wait(k_no_throw);
      continue;
    }
    socket.set_option(tcp::no_delay(true), ec);
    auto conn = std::make_shared<Connection>(std::move(socket));
    {
      std::lock_guard lock(mu);
      connections.push_back(conn);
    }
    asio::co_spawn(conn->stream.get_executor(), session(conn), [this, conn](std::exception_ptr e) {
      if (e) spdlog::error("connection ended by an exception");
      forget(conn);
    });
  }
}

asio::awaitable<void> Server::Impl::session(std::shared_ptr<Connection> c) {
  beast::tcp_stream& stream = c->stream;
  beast::flat_buffer buffer;
  beast::error_code ignored;
  const auto endpoint = stream.socket().remote_endpoint(ignored);
  const std::string remote = endpoint.address().to_string();
  bool linger = false;  // we refused a request the client may still be sending

  while (!stopping) {
    if (buffer.size() == 0) {
      // Waiting for the next request on a kept-alive connection: the idle timeout applies.
      stream.expires_after(options.idle_timeout);
      auto [ec, n] = co_await stream.async_read_some(buffer.prepare(8192), k_no_throw);
      if (ec) break;
      buffer.commit(n);
    }
    c->busy = true;
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(options.max_header_bytes));
    // Large enough for any route while the header is read; the route's own limit applies
    // once the header says which route it is.
    parser.body_limit(largest_body_limit);
    // The whole request must arrive within the read timeout, however slowly it trickles.
    stream.expires_after(options.read_timeout);
    auto [ec, n] = co_await bhttp::async_read_header(stream, buffer, parser, k_no_throw);
    Match match;
    if (!ec) {
      // Routed once the header is in: the route decides the body limit and the handler.
      const std::string_view target = parser.get().target();
      match = router.match(parser.get().method(), target.substr(0, target.find('?')));
      const std::size_t limit = match.route && match.route->max_body_bytes
                                    ? match.route->max_body_bytes
                                    : options.max_body_bytes;
      if (parser.content_length() && *parser.content_length() > limit) {
        ec = bhttp::error::body_limit;
      } else if (!parser.is_done()) {  // most requests have no body: nothing more to read
        parser.body_limit(limit);
        std::tie(ec, n) = co_await bhttp::async_read(stream, buffer, parser, k_no_throw);
      }
    }
    if (ec) {
      std::optional<Response> refusal;
      if (ec == bhttp::error::body_limit)
        refusal = early_problem(bhttp::status::payload_too_large, "payload_too_large",
                                "The request body is too large.");
      else if (ec == bhttp::error::header_limit)
        refusal = early_problem(bhttp::status::request_header_fields_too_large, "headers_too_large",
                                "The request headers are too large.");
      else if (ec.category() == beast::error_code(bhttp::error::body_limit).category() &&
               ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message)
        refusal = early_problem(bhttp::status::bad_request, "bad_request",
                                "The request is not valid HTTP/1.1.");
      if (refusal) {
        const auto start = std::chrono::steady_clock::now();
        stream.expires_after(options.read_timeout);
        co_await bhttp::async_write(stream, *refusal, k_no_throw);
        metrics.record(Metrics::k_unmatched, refusal->result_int(),
                       std::chrono::steady_clock::now() - start);
        linger = true;
      }
      break;
    }
    metrics.request_started();
    Response res = co_await handle(parser.release(), remote, std::move(match));
    const bool keep_alive = res.keep_alive() && !stopping;
    res.keep_alive(keep_alive);
    stream.expires_after(options.read_timeout);
    auto [wec, wn] = co_await bhttp::async_write(stream, res, k_no_throw);
    metrics.request_finished();
    c->busy = false;
    if (wec || !keep_alive) break;
  }

  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  if (linger) {
    // Closing with unread request bytes makes the kernel send a reset, which can destroy the
    // error response before the client reads it; drain briefly first, as nginx does.
    stream.expires_after(std::chrono::seconds(2));
    std::array<char, 16384> sink;
    for (std::size_t total = 0; total < 64 * 1024 * 1024;) {
      auto [ec, n] = co_await stream.async_read_some(asio::buffer(sink), k_no_throw);
      if (ec) break;
      total += n;
    }
  }
  stream.socket().close(ignored);
}

asio::awaitable<Response> Server::Impl::handle(RawRequest&& raw, const std::string& remote,
                                               Match m) {
  const auto start = std::chrono::steady_clock::now();
  Request req;
  req.raw = std::move(raw);
  req.remote_ip = remote;
  req.request_id = request_id_for(req.raw["X-Request-Id"]);
  const std::string_view target = req.raw.target();
  const auto q = target.find('?');
  req.path = target.substr(0, q);
  if (q != std::string_view::npos) req.query = target.substr(q + 1);

  std::size_t route_index = Metrics::k_unmatched;
  Response res;
  if (req.path.empty() || req.path.front() != '/') {
    res = problem_response(Error::make(ErrorKind::invalid, "bad_request_target",
                                       "The request target must be an absolute path."),
                           "");
  } else if (is_preflight(req.raw)) {
    res = preflight_response(req.raw, options.middleware);
  } else {
    if (m.kind == Match::Kind::not_found) {
      res = problem_response(
          Error::make(ErrorKind::not_found, "route_not_found", "No resource lives at this path."),
          req.path);
    } else if (m.kind == Match::Kind::method_not_allowed) {
      res = problem_response(Error::make(ErrorKind::invalid, "method_not_allowed",
                                         "This resource does not support that method."),
                             req.path, bhttp::status::method_not_allowed);
      res.set(bhttp::field::allow, m.allow);
    } else {
      route_index = static_cast<std::size_t>(m.route - router.routes().data());
      req.params = std::move(m.params);
      try {
        if (auto denied = authorize(req, m.route->access)) {
          res = problem_response(*denied, req.path);
          if (denied->kind == ErrorKind::unauthenticated)
            res.set(bhttp::field::www_authenticate, "Bearer");
        } else {
          auto answer = co_await m.route->handler(req);
          res = answer ? std::move(*answer) : problem_response(answer.error(), req.path);
        }
      } catch (const ErrorException& e) {
        // A Result<T>::value() on an error nobody expected: the code says so, but it is a bug.
        spdlog::error("request {} failed: {} {}", req.request_id, e.error().code, e.error().detail);
        res = problem_response(e.error(), req.path);
      } catch (const std::exception& e) {
        spdlog::error("request {} threw: {}", req.request_id, e.what());
        res = problem_response(Error::internal(e.what()), req.path);
      }
    }
  }

  res.keep_alive(req.raw.keep_alive());
  finish_response(req.raw, res, req.request_id, options.middleware);
  res.prepare_payload();
  if (req.raw.method() == bhttp::verb::head) {
    const auto length = res.body().size();
    res.body().clear();
    res.content_length(length);
  }
  const auto elapsed = std::chrono::steady_clock::now() - start;
  metrics.record(route_index, res.result_int(), elapsed);
  if (access_log)
    log_access(req, res, route_index, std::chrono::duration<double, std::micro>(elapsed).count());
  co_return res;
}

std::optional<Error> Server::Impl::authorize(Request& req, const Access& access) const {
  if (authenticator) {
    // A bad credential is refused even where none is needed: the caller meant to be someone.
    auto who = authenticator(req.raw);
    if (!who) return who.error();
    req.principal = std::move(*who);
  }
  if (access.kind == Access::Kind::anyone) return std::nullopt;
  if (!req.principal)
    return Error::make(ErrorKind::unauthenticated, "unauthenticated",
                       "Sign in to do this: send an access token as 'Authorization: Bearer'.");
  if (access.kind == Access::Kind::roles && std::find(access.roles.begin(), access.roles.end(),
                                                      req.principal->role) == access.roles.end())
    return Error::make(ErrorKind::forbidden, "forbidden", "Your role may not do this.");
  return std::nullopt;
}

void Server::Impl::log_access(const Request& req, const Response& res, std::size_t route,
                              double us) {
  boost::json::object line;
  line["request_id"] = req.request_id;
  line["remote"] = req.remote_ip;
  line["method"] = std::string(req.raw.method_string());
  line["path"] = req.path;
  line["route"] = route == Metrics::k_unmatched ? "" : router.routes()[route].pattern;
  line["status"] = res.result_int();
  line["bytes"] = res.body().size();
  line["us"] = static_cast<std::int64_t>(us);
  std::string text = boost::json::serialize(line);
  // The logger's pattern supplies the opening brace and the timestamp field.
  access_log->info(std::string_view(text).substr(1, text.size() - 2));
}

void Server::Impl::begin_shutdown() {
  if (stopping.exchange(true)) return;
  spdlog::info("shutting down: finishing in-flight requests (up to {} ms)",
               options.shutdown_timeout.count());
  beast::error_code ignored;
  acceptor.close(ignored);
  signals.cancel();
  deadline.expires_after(options.shutdown_timeout);
  deadline.async_wait([this](beast::error_code ec) {
    if (!ec) {
      spdlog::warn("shutdown deadline reached; closing remaining connections");
      ioc.stop();
    }
  });
  std::lock_guard lock(mu);
  if (connections.empty()) deadline.cancel();
  for (const auto& c : connections) {
    // On the connection's strand, so that `busy` is read where it is written. An idle
    // connection is waiting for a request that will never be served: wake it to close.
    asio::post(c->stream.get_executor(), [c] {
      if (!c->busy) c->stream.cancel();
    });
  }
}

void Server::Impl::forget(const std::shared_ptr<Connection>& c) {
  std::lock_guard lock(mu);
  connections.remove(c);
  if (stopping && connections.empty()) asio::post(ioc, [this] { deadline.cancel(); });
}

Server::Server(ServerOptions options, const Router& router, Metrics& metrics,
               std::shared_ptr<spdlog::logger> access_log, Authenticator authenticator)
    : impl_(std::make_unique<Impl>(std::move(options), router, metrics, std::move(access_log),
                                   std::move(authenticator))) {
  impl_->largest_body_limit = impl_->options.max_body_bytes;
  for (const auto& r : router.routes())
    impl_->largest_body_limit = std::max(impl_->largest_body_limit, r.max_body_bytes);
}

Server::~Server() = default;

std::uint16_t Server::listen() {
  auto& a = impl_->acceptor;
  const tcp::endpoint ep(asio::ip::make_address(impl_->options.host), impl_->options.port);
  a.open(ep.protocol());
  a.set_option(asio::socket_base::reuse_address(true));
  a.bind(ep);
  a.listen(asio::socket_base::max_listen_connections);
  return a.local_endpoint().port();
}

void Server::run() {
  Impl& s = *impl_;
  s.signals.async_wait([&s](beast::error_code ec, int) {
    if (!ec) s.begin_shutdown();
  });
  asio::co_spawn(s.ioc, s.accept_loop(), asio::detached);
  std::vector<std::thread> threads;
  for (int i = 1; i < s.options.io_threads; ++i) threads.emplace_back([&s] { s.ioc.run(); });
  s.ioc.run();
  for (auto& t : threads) t.join();
}

void Server::stop() {
  asio::post(impl_->ioc, [this] { impl_->begin_shutdown(); });
}

}  // namespace griha::http
