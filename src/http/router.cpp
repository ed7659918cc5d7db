#include "http/router.hpp"

#include <charconv>
#include <set>
#include <stdexcept>

namespace griha::http {
namespace {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t i = path.empty() || path[0] != '/' ? 0 : 1;
  while (i <= path.size()) {
    std::size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    out.push_back(path.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

}  // namespace

Router::Router(std::vector<Route> routes) : routes_(std::move(routes)) {
  std::set<std::pair<bhttp::verb, std::string>> seen;
  for (const auto& r : routes_) {
    Compiled c;
    for (auto seg : split_path(r.pattern)) {
      if (seg.size() > 2 && seg.front() == '{' && seg.back() == '}') {
        std::string_view inner = seg.substr(1, seg.size() - 2);
        if (inner.ends_with("...")) {
          c.segments.push_back({SegKind::rest, std::string(inner.substr(0, inner.size() - 3))});
        } else if (inner.ends_with(":int")) {
          c.segments.push_back({SegKind::integer, std::string(inner.substr(0, inner.size() - 4))});
        } else {
          c.segments.push_back({SegKind::string, std::string(inner)});
        }
      } else {
        c.segments.push_back({SegKind::literal, std::string(seg)});
      }
    }
    // Two routes with the same shape would make matching depend on order: refuse them.
    std::string shape;
    for (const auto& s : c.segments)
      shape += "/" + (s.kind == SegKind::literal ? s.text : std::to_string(int(s.kind)));
    if (!seen.emplace(r.method, shape).second)
      throw std::logic_error("duplicate route: " + r.pattern);
    compiled_.push_back(std::move(c));
  }
}

bool Router::try_match(const Compiled& c, std::string_view path, std::vector<PathParam>* params,
                       std::vector<int>* score) const {
  auto parts = split_path(path);
  std::size_t i = 0;
  for (; i < c.segments.size(); ++i) {
    const Segment& seg = c.segments[i];
    if (seg.kind == SegKind::rest) {
      if (i >= parts.size() || parts[i].empty()) return false;
      std::string rest(parts[i]);
      for (std::size_t k = i + 1; k < parts.size(); ++k) rest += "/" + std::string(parts[k]);
      params->push_back({seg.text, std::move(rest), 0});
      score->push_back(0);
      return true;
    }
    if (i >= parts.size()) return false;
    std::string_view part = parts[i];
    switch (seg.kind) {
      case SegKind::literal:
        if (part != seg.text) return false;
        score->push_back(3);
        break;
      case SegKind::integer: {
        std::int64_t v = 0;
        auto [p, ec] = std::from_chars(part.data(), part.data() + part.size(), v);
        if (ec != std::errc{} || p != part.data() + part.size() || part.empty()) return false;
        params->push_back({seg.text, std::string(part), v});
        score->push_back(2);
        break;
      }
      case SegKind::string:
        if (part.empty()) return false;
        params->push_back({seg.text, std::string(part), 0});
        score->push_back(1);
        break;
      case SegKind::rest: break;  // handled above
    }
  }
  return i == parts.size();
}

Match Router::match(bhttp::verb method, std::string_view path) const {
  Match best;
  std::vector<int> best_score;
  std::set<std::string> allowed;
  const bhttp::verb wanted = method == bhttp::verb::head ? bhttp::verb::get : method;
  for (std::size_t r = 0; r < routes_.size(); ++r) {
    std::vector<PathParam> params;
    std::vector<int> score;
    if (!try_match(compiled_[r], path, &params, &score)) continue;
    const Route& route = routes_[r];
    allowed.insert(std::string(bhttp::to_string(route.method)));
    if (route.method == bhttp::verb::get) allowed.insert("HEAD");
    if (route.method != wanted) continue;
    if (best.kind != Match::Kind::found || score > best_score) {
      best.kind = Match::Kind::found;
      best.route = &route;
      best.params = std::move(params);
      best_score = std::move(score);
    }
  }
  if (best.kind == Match::Kind::found) return best;
  if (!allowed.empty()) {
    best.kind = Match::Kind::method_not_allowed;
    for (const auto& m : allowed) best.allow += (best.allow.empty() ? "" : ", ") + m;
  }
  return best;
}

std::string Router::openapi_path(std::string_view pattern) {
  std::string out;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == ':' || (pattern[i] == '.' && pattern.substr(i, 3) == "...")) {
      // Drop the type or rest marker up to the closing brace.
      i = pattern.find('}', i);
      out += '}';
      continue;
    }
    out += pattern[i];
  }
  return out;
}

}  // namespace griha::http
