#include "core/http_client.hpp"

#include <curl/curl.h>

#include <memory>

namespace griha {
namespace {

std::size_t append_body(char* data, std::size_t size, std::size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

// scheme://host[:port] of a URL: errors are logged and shown to admins, and gateways often
// carry their API key in the path or query.
std::string origin_of(const std::string& url) {
  const auto scheme = url.find("://");
  if (scheme == std::string::npos) return "(url)";
  const auto end = url.find_first_of("/?#", scheme + 3);
  auto origin = url.substr(0, end);
  if (const auto at = origin.find('@', scheme + 3); at != std::string::npos)
    origin.erase(scheme + 3, at - scheme - 2);  // user:password@
  return origin;
}

}  // namespace

void ensure_curl() {
  static const bool k_done = [] { return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK; }();
  (void)k_done;
}

Result<HttpResult> http_call(const HttpCall& call) {
  ensure_curl();
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return Error::internal("curl_easy_init failed");
  curl_slist* headers = nullptr;
  for (const auto& [name, value] : call.headers)
    headers = curl_slist_append(headers, (name + ": " + value).c_str());
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> header_guard(headers,
                                                                           curl_slist_free_all);
  HttpResult result;
  CURL* h = curl.get();
  curl_easy_setopt(h, CURLOPT_URL, call.url.c_str());
  curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, call.method.c_str());
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
  // Outside services never redirect us elsewhere: a redirect could leak the body or token.
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, call.timeout_ms);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, append_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &result.body);
  if (call.method != "GET") {
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, call.body.data());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, static_cast<long>(call.body.size()));
  }
  const CURLcode rc = curl_easy_perform(h);
  if (rc != CURLE_OK)
    return Error::unavailable(call.method + " " + origin_of(call.url) + ": " +
                              curl_easy_strerror(rc));
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &result.status);
  return result;
}

}  // namespace griha
