// The cross-cutting steps every request and response pass through, in the order the server
// applies them: request id, CORS, security headers, compression. Each is a plain function
// so it can be tested alone.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "http/types.hpp"

namespace griha::http {

struct MiddlewareOptions {
  std::vector<std::string> cors_origins;  // exact origins; empty = no cross-origin access
  bool hsts = false;                      // set when TLS is terminated in front of griha
  std::size_t gzip_min_bytes = 1024;
};

// X-Request-Id from the client when it is short and plain, else a new random one.
std::string request_id_for(std::string_view header);

// A CORS preflight (OPTIONS with Origin and Access-Control-Request-Method)?
bool is_preflight(const RawRequest& req);
Response preflight_response(const RawRequest& req, const MiddlewareOptions& o);

// Adds CORS, security and request-id headers; compresses when it pays and the client agrees.
void finish_response(const RawRequest& req, Response& res, std::string_view request_id,
                     const MiddlewareOptions& o);

// gzip of `data` (RFC 1952), exposed for tests.
std::string gzip(std::string_view data);

}  // namespace griha::http
