// A small blocking HTTP client over libcurl for calls to outside services (SMS gateway,
// OpenID Connect provider). Run it on the worker pool, never on an I/O thread.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace griha {

struct HttpResult {
  long status = 0;
  std::string body;
};

struct HttpCall {
  std::string method = "GET";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  long timeout_ms = 10'000;
};

// Transport failures are ErrorKind::unavailable; any HTTP status is a result.
Result<HttpResult> http_call(const HttpCall& call);

// curl_global_init is not thread-safe: every user of libcurl (this client, SMTP) calls this
// before making a handle, and only the first call initialises.
void ensure_curl();

}  // namespace griha
