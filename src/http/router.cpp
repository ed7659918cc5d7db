#include "http/router.hpp"

#include <array>
#include <charconv>
#include <set>
#include <stdexcept>

namespace griha::http {
namespace {

// Paths deeper than this never match a route (none of ours has more than a few segments).
constexpr std::size_t k_max_segments = 16;

// Splits without allocating; returns false when the path has too many segments.
bool split_path(std::string_view path, std::array<std::string_view, k_max_segments>& out,
                std::size_t& count) {
  count = 0;
  std::size_t i = !path.empty() && path[0] == '/' ? 1 : 0;
  while (i <= path.size()) {
    std::size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    if (count == k_max_segments) return false;
    out[count++] = path.substr(i, j - i);
    i = j + 1;
  }
  return true;
}

}  // namespace

Router::Router(std::vector<Route> routes) : routes_(std::move(routes)) {
  std::set<std::pair<bhttp::verb, std::string>> seen;
  for (const auto& r : routes_) {
    Compiled c;
    std::array<std::string_view, k_max_segments> parts;
    std::size_t count = 0;
    if (!split_path(r.pattern, parts, count))
      throw std::logic_error("route too deep: " + r.pattern);
    for (std::size_t i = 0; i < count; ++i) {
      const std::string_view seg = parts[i];
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

// Scores a match without allocating: two bits a segment, the first segment most significant,
// so that comparing scores compares specificity segment by segment. -1: no match.
std::int64_t Router::score(const Compiled& c, std::span<const std::string_view> parts) const {
  std::int64_t score = 0;
  for (std::size_t i = 0; i < c.segments.size(); ++i) {
    const Segment& seg = c.segments[i];
    score <<= 2;
    if (seg.kind == SegKind::rest) {
      if (i >= parts.size() || parts[i].empty()) return -1;
      return score << 2 * (k_max_segments - i - 1);
    }
    if (i >= parts.size()) return -1;
    const std::string_view part = parts[i];
    switch (seg.kind) {
      case SegKind::literal:
        if (part != seg.text) return -1;
        score |= 3;
        break;
      case SegKind::integer: {
        std::int64_t v = 0;
        auto [p, ec] = std::from_chars(part.data(), part.data() + part.size(), v);
        if (part.empty() || ec != std::errc{} || p != part.data() + part.size()) return -1;
        score |= 2;
        break;
      }
      case SegKind::string:
        if (part.empty()) return -1;
        score |= 1;
        break;
      case SegKind::rest:
        break;  // handled above
    }
  }
  if (c.segments.size() != parts.size()) return -1;
  return score << 2 * (k_max_segments - c.segments.size());
}

Match Router::match(bhttp::verb method, std::string_view path) const {
  std::array<std::string_view, k_max_segments> storage;
  std::size_t count = 0;
  Match best;
  if (!split_path(path, storage, count)) return best;
  const std::span<const std::string_view> parts(storage.data(), count);
  const bhttp::verb wanted = method == bhttp::verb::head ? bhttp::verb::get : method;

  std::int64_t best_score = -1;
  bool path_exists = false;
  for (std::size_t r = 0; r < routes_.size(); ++r) {
    const std::int64_t s = score(compiled_[r], parts);
    if (s < 0) continue;
    path_exists = true;
    if (routes_[r].method == wanted && s > best_score) {
      best_score = s;
      best.route = &routes_[r];
    }
  }
  if (best.route) {
    best.kind = Match::Kind::found;
    const Compiled& c = compiled_[static_cast<std::size_t>(best.route - routes_.data())];
    for (std::size_t i = 0; i < c.segments.size(); ++i) {
      const Segment& seg = c.segments[i];
      if (seg.kind == SegKind::rest) {
        std::string rest(parts[i]);
        for (std::size_t k = i + 1; k < parts.size(); ++k) rest += "/" + std::string(parts[k]);
        best.params.push_back({seg.text, std::move(rest), 0});
      } else if (seg.kind == SegKind::integer) {
        std::int64_t v = 0;
        std::from_chars(parts[i].data(), parts[i].data() + parts[i].size(), v);
        best.params.push_back({seg.text, std::string(parts[i]), v});
      } else if (seg.kind == SegKind::string) {
        best.params.push_back({seg.text, std::string(parts[i]), 0});
      }
    }
    return best;
  }
  if (path_exists) {
    // Rare (a client error), so the allowed methods are gathered only now.
    std::set<std::string> allowed;
    for (std::size_t r = 0; r < routes_.size(); ++r) {
      if (score(compiled_[r], parts) < 0) continue;
      allowed.insert(std::string(bhttp::to_string(routes_[r].method)));
      if (routes_[r].method == bhttp::verb::get) allowed.insert("HEAD");
    }
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
