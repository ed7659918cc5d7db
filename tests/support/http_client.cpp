#include "support/http_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <stdexcept>

namespace griha::test {
namespace {

// Bodies worth keeping for the contract check: JSON, text, HTML, CSV. Images and other
// bytes are recorded by size only.
bool textual(std::string_view content_type) {
  return content_type.find("json") != std::string_view::npos || content_type.starts_with("text/") ||
         content_type.find("xml") != std::string_view::npos ||
         content_type.find("javascript") != std::string_view::npos ||
         content_type.starts_with("application/x-www-form-urlencoded");
}

boost::json::value body_value(std::string_view content_type, const std::string& body) {
  if (body.empty()) return nullptr;
  if (!textual(content_type)) return boost::json::object{{"bytes", body.size()}};
  return boost::json::string(body);
}

// The directory exchanges are recorded in: $GRIHA_TEST_EXCHANGES, else the build's
// openapi-exchanges (tests/CMakeLists.txt); "off" records nothing.
std::filesystem::path exchanges_dir() {
  const char* env = std::getenv("GRIHA_TEST_EXCHANGES");
  std::filesystem::path dir = env && *env ? env : GRIHA_TEST_EXCHANGES_DIR;
  if (dir == "off") return {};
  std::filesystem::create_directories(dir);
  return dir;
}

// Appends one exchange to <dir>/exchanges-<pid>.jsonl (one file per test process, so
// parallel CTest runs never interleave), for tests/js/openapi_conformance.check.mjs.
void record(const bhttp::request<bhttp::string_body>& req, const HttpResponse& res) {
  static const std::filesystem::path dir = exchanges_dir();
  if (dir.empty()) return;
  static std::mutex mutex;
  static std::ofstream out(dir / ("exchanges-" + std::to_string(::getpid()) + ".jsonl"),
                           std::ios::app);
  const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
  const std::string req_type(req[bhttp::field::content_type]);
  const std::string res_type(res[bhttp::field::content_type]);
  boost::json::object line{
      {"test", test ? std::string(test->test_suite_name()) + "." + test->name() : ""},
      {"method", std::string(req.method_string())},
      {"target", std::string(req.target())},
      {"request_content_type", req_type},
      {"request_body", body_value(req_type, req.body())},
      {"status", res.result_int()},
      {"content_type", res_type},
      {"body", req.method() == bhttp::verb::head ? boost::json::value(nullptr)
               : res.count(bhttp::field::content_encoding)
                   ? boost::json::value(boost::json::object{
                         {"encoding", std::string(res[bhttp::field::content_encoding])},
                         {"bytes", res.body().size()}})
                   : body_value(res_type, res.body())},
  };
  std::lock_guard lock(mutex);
  out << boost::json::serialize(line) << '\n' << std::flush;
}

}  // namespace

HttpResponse http_request(std::uint16_t port, bhttp::verb method, const std::string& target,
                          const std::string& body, const Headers& headers) {
  namespace asio = boost::asio;
  asio::io_context ioc;
  boost::beast::tcp_stream stream(ioc);
  stream.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  bhttp::request<bhttp::string_body> req{method, target, 11};
  req.set(bhttp::field::host, "127.0.0.1");
  for (const auto& [name, value] : headers) req.set(name, value);
  if (!body.empty() || method == bhttp::verb::post || method == bhttp::verb::put ||
      method == bhttp::verb::patch) {
    req.body() = body;
    req.prepare_payload();
  }
  bhttp::write(stream, req);
  boost::beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  parser.skip(method == bhttp::verb::head);
  bhttp::read(stream, buffer, parser);
  boost::beast::error_code ignored;
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  HttpResponse res = parser.release();
  record(req, res);
  return res;
}

boost::json::value json_body(const HttpResponse& res) {
  return boost::json::parse(res.body());
}

RawConnection::RawConnection(std::uint16_t port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
    throw std::runtime_error("connect failed");
}

RawConnection::~RawConnection() {
  if (fd_ >= 0) ::close(fd_);
}

bool RawConnection::send(const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

std::string RawConnection::read_until_closed(std::chrono::milliseconds timeout, bool* closed) {
  std::string out;
  const auto end = std::chrono::steady_clock::now() + timeout;
  *closed = false;
  while (std::chrono::steady_clock::now() < end) {
    pollfd p{fd_, POLLIN, 0};
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        end - std::chrono::steady_clock::now());
    if (::poll(&p, 1, static_cast<int>(std::max<long>(left.count(), 1))) <= 0) continue;
    char buf[4096];
    const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) {
      *closed = true;
      break;
    }
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

}  // namespace griha::test
