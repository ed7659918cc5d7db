// The route table: method + path pattern with typed parameters -> handler. Patterns use
// "/api/v1/listings/{id:int}", "{slug}" (any one segment) and "{path...}" (the rest).
// Matching does not depend on the order of the table: the most specific route wins
// (literal > int > string > rest, segment by segment).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "http/types.hpp"

namespace griha::http {

struct Route {
  bhttp::verb method;
  std::string pattern;
  Handler handler;
  Access access = Access::anyone();
  std::size_t max_body_bytes = 0;  // 0: the server's default (server.max_body_bytes)
};

struct Match {
  enum class Kind { found, method_not_allowed, not_found } kind = Kind::not_found;
  const Route* route = nullptr;   // when found
  std::vector<PathParam> params;  // when found
  std::string allow;              // when method_not_allowed: "GET, HEAD"
};

class Router {
 public:
  explicit Router(std::vector<Route> routes);

  // GET routes also answer HEAD.
  Match match(bhttp::verb method, std::string_view path) const;
  const std::vector<Route>& routes() const { return routes_; }
  // "/api/v1/listings/{id:int}" -> "/api/v1/listings/{id}", as OpenAPI writes it.
  static std::string openapi_path(std::string_view pattern);

 private:
  enum class SegKind { literal, integer, string, rest };
  struct Segment {
    SegKind kind;
    std::string text;  // literal text, or the parameter's name
  };
  struct Compiled {
    std::vector<Segment> segments;
  };
  std::int64_t score(const Compiled& c, std::span<const std::string_view> parts) const;

  std::vector<Route> routes_;
  std::vector<Compiled> compiled_;
};

}  // namespace griha::http
