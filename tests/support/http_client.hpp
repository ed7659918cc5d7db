// A small blocking HTTP/1.1 client and a raw TCP connection, for driving the real griha
// binary in integration tests.
#pragma once

#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace griha::test {

namespace bhttp = boost::beast::http;
using HttpResponse = bhttp::response<bhttp::string_body>;
using Headers = std::vector<std::pair<std::string, std::string>>;

// One request on a new connection. Throws on a transport error.
HttpResponse http_request(std::uint16_t port, bhttp::verb method, const std::string& target,
                          const std::string& body = {}, const Headers& headers = {});
inline HttpResponse http_get(std::uint16_t port, const std::string& target,
                             const Headers& headers = {}) {
  return http_request(port, bhttp::verb::get, target, {}, headers);
}
boost::json::value json_body(const HttpResponse& res);

// A plain TCP connection to send arbitrary bytes, e.g. malformed or trickled requests.
class RawConnection {
 public:
  explicit RawConnection(std::uint16_t port);
  ~RawConnection();
  // False when the peer has closed or reset the connection.
  bool send(const std::string& bytes);
  // Reads until the peer closes or `timeout` passes; `closed` tells which.
  std::string read_until_closed(std::chrono::milliseconds timeout, bool* closed);

 private:
  int fd_ = -1;
};

}  // namespace griha::test
