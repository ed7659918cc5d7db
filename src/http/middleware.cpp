#include "http/middleware.hpp"

#include <zlib.h>

#include <algorithm>
#include <random>
#include <stdexcept>

namespace griha::http {
namespace {

bool origin_allowed(std::string_view origin, const MiddlewareOptions& o) {
  return !origin.empty() &&
         std::find(o.cors_origins.begin(), o.cors_origins.end(), origin) != o.cors_origins.end();
}

bool compressible(std::string_view content_type) {
  return content_type.starts_with("text/") || content_type.starts_with("application/json") ||
         content_type.starts_with("application/problem+json") ||
         content_type.starts_with("application/javascript") ||
         content_type.starts_with("image/svg+xml") ||
         content_type.starts_with("application/geo+json");
}

// Accept-Encoding names gzip with a non-zero q value.
bool accepts_gzip(std::string_view accept) {
  std::size_t pos = 0;
  while (pos < accept.size()) {
    std::size_t end = accept.find(',', pos);
    if (end == std::string_view::npos) end = accept.size();
    std::string_view item = accept.substr(pos, end - pos);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    if (item.starts_with("gzip") || item.starts_with("*")) {
      const auto q = item.find("q=");
      return q == std::string_view::npos ||
             item.substr(q + 2).find_first_not_of("0.") != std::string_view::npos;
    }
    pos = end + 1;
  }
  return false;
}

}  // namespace

std::string request_id_for(std::string_view header) {
  const bool plain =
      !header.empty() && header.size() <= 64 &&
      std::all_of(header.begin(), header.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
      });
  if (plain) return std::string(header);
  // Not a secret, only unique: a per-thread generator seeded from the OS is enough.
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char k_hex[] = "0123456789abcdef";
  std::string id(16, '0');
  std::uint64_t v = rng();
  for (auto& c : id) {
    c = k_hex[v & 15];
    v >>= 4;
  }
  return id;
}

bool is_preflight(const RawRequest& req) {
  return req.method() == bhttp::verb::options && req.count(bhttp::field::origin) &&
         req.count(bhttp::field::access_control_request_method);
}

Response preflight_response(const RawRequest& req, const MiddlewareOptions& o) {
  Response res{bhttp::status::no_content, 11};
  const std::string_view origin = req[bhttp::field::origin];
  if (origin_allowed(origin, o)) {
    res.set(bhttp::field::access_control_allow_methods, "GET, HEAD, POST, PUT, PATCH, DELETE");
    res.set(bhttp::field::access_control_allow_headers,
            "Authorization, Content-Type, If-Match, If-None-Match, Idempotency-Key, X-Request-Id");
    res.set(bhttp::field::access_control_max_age, "600");
  }
  return res;
}

void finish_response(const RawRequest& req, Response& res, std::string_view request_id,
                     const MiddlewareOptions& o) {
  res.set("X-Request-Id", request_id);
  const std::string_view origin = req[bhttp::field::origin];
  if (origin_allowed(origin, o)) {
    res.set(bhttp::field::access_control_allow_origin, origin);
    res.set(bhttp::field::access_control_allow_credentials, "true");
    res.set(bhttp::field::access_control_expose_headers,
            "ETag, Location, Retry-After, X-Request-Id");
    res.set(bhttp::field::vary, "Origin");
  }
  res.set("X-Content-Type-Options", "nosniff");
  res.set("Referrer-Policy", "strict-origin-when-cross-origin");
  res.set("X-Frame-Options", "DENY");
  if (!res.count("Content-Security-Policy"))
    res.set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
  if (o.hsts)
    res.set(bhttp::field::strict_transport_security, "max-age=31536000; includeSubDomains");

  if (res.body().size() >= o.gzip_min_bytes && !res.count(bhttp::field::content_encoding) &&
      compressible(res[bhttp::field::content_type]) &&
      accepts_gzip(req[bhttp::field::accept_encoding])) {
    res.body() = gzip(res.body());
    res.set(bhttp::field::content_encoding, "gzip");
    const std::string_view vary = res[bhttp::field::vary];
    res.set(bhttp::field::vary,
            vary.empty() ? "Accept-Encoding" : std::string(vary) + ", Accept-Encoding");
  }
}

std::string gzip(std::string_view data) {
  z_stream zs{};
  // windowBits 15 + 16 selects the gzip wrapper instead of zlib's.
  if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error("deflateInit2 failed");
  std::string out(deflateBound(&zs, data.size()) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) throw std::runtime_error("deflate failed");
  return out;
}

}  // namespace griha::http
