// The map view: the query's matches in the viewport as grid clusters or single pins.
#include <unordered_map>

#include "search/run.hpp"

namespace griha::search {

using detail::Partition;
using detail::Postings;
using detail::Segment;
using detail::Word;

Result<MapResult> Index::map(const Query& query, const BBox& viewport, int zoom) const {
  using namespace detail;
  if (zoom < 0 || zoom > 22)
    return Error::field("/zoom", FieldCode::out_of_range, "zoom is 0 to 22.", FieldIn::query);
  Query q = query;
  q.bbox = viewport;
  q.facets.clear();
  q.cursor.reset();
  q.sort = Sort::newest;
  if (auto v = validate(q); !v) return v.error();
  const auto snap = snapshot();
  Run run = make_run(q, options_, *snap);
  Scratch& sc = thread_scratch();
  MapResult out;
  out.clustered = zoom < k_pin_zoom;
  // About 64 px cells on 256 px web-map tiles.
  const double cell = 360.0 / std::ldexp(1.0, zoom) / 4.0;
  struct Acc {
    std::uint32_t count = 0;
    double lat = 0, lng = 0;
    std::int64_t min_price = INT64_MAX, max_price = INT64_MIN;
  };
  std::unordered_map<std::uint64_t, Acc> cells;
  run_snapshot(run, *snap, sc, [&](const Segment& s, const Partition& p) {
    for_each_row(sc.match.data(), p.word_begin(), p.word_end(), [&](std::uint32_t r) {
      ++out.total;
      if (!out.clustered) {
        if (out.cells.size() >= k_max_pins) {
          out.truncated = true;
          return;
        }
        out.cells.push_back({1, s.id[r], s.lat[r], s.lng[r], s.price[r], s.price[r]});
        return;
      }
      const auto cy = static_cast<std::uint64_t>((s.lat[r] - viewport.min_lat) / cell);
      const auto cx = static_cast<std::uint64_t>((s.lng[r] - viewport.min_lng) / cell);
      Acc& a = cells[(cy << 32) | cx];
      ++a.count;
      a.lat += s.lat[r];
      a.lng += s.lng[r];
      a.min_price = std::min(a.min_price, s.price[r]);
      a.max_price = std::max(a.max_price, s.price[r]);
    });
  });
  if (out.clustered) {
    std::vector<std::pair<std::uint64_t, Acc>> sorted(cells.begin(), cells.end());
    std::sort(sorted.begin(), sorted.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [key, a] : sorted) {
      out.cells.push_back({a.count, 0, a.lat / a.count, a.lng / a.count, a.min_price, a.max_price});
    }
  }
  return out;
}

}  // namespace griha::search
