// The query's shape (circle, box, polygon) over the index's geo grid: which cells to visit,
// which lie wholly inside, the exact test for the rest, and a cheap bound for distance sorts.
// Internal to search/; inline, as these run per row.
#pragma once

#include "search/run.hpp"

namespace griha::search::detail {

inline bool in_shape(const Run& run, double lat, double lng) {
  const Query& q = run.q;
  if (!run.geo_box->contains(lat, lng)) return false;
  if (q.bbox && !q.bbox->contains(lat, lng)) return false;
  if (!q.polygon.empty() && !polygon_contains(q.polygon, lat, lng)) return false;
  if (!q.circle) return true;
  if (run.flat_circle) {
    const double y = (lat - q.circle->center.lat) * run.m_per_deg_lat;
    const double x = (lng - q.circle->center.lng) * run.m_per_deg_lng;
    const double d2 = x * x + y * y;
    if (d2 < run.flat_inside2) return true;
    if (d2 > run.flat_outside2) return false;
  }
  return distance_m(q.circle->center.lat, q.circle->center.lng, lat, lng) <= q.circle->radius_m;
}

// True when a grid cell, grown by a margin for float rounding, lies inside the query's circle
// or box (and there is no polygon), so its rows need no test of their own.
inline bool cell_inside(const Run& run, std::uint32_t cell_lat, std::uint32_t cell_lng) {
  const Query& q = run.q;
  if (!q.polygon.empty() || (!q.circle && !q.bbox)) return false;
  constexpr double margin = 1e-4;
  const double lat0 = cell_lat * detail::k_geo_cell_deg - 90.0 - margin;
  const double lng0 = cell_lng * detail::k_geo_cell_deg - 180.0 - margin;
  const double lat1 = lat0 + detail::k_geo_cell_deg + 2 * margin;
  const double lng1 = lng0 + detail::k_geo_cell_deg + 2 * margin;
  if (q.bbox && !(q.bbox->contains(lat0, lng0) && q.bbox->contains(lat1, lng1))) return false;
  if (q.circle) {
    // A circle this small is convex on the grid: its corners inside means all of it is. The
    // 0.999 keeps rounding on the safe side.
    const LatLng& c = q.circle->center;
    const double r = q.circle->radius_m * 0.999;
    for (double la : {lat0, lat1}) {
      for (double ln : {lng0, lng1}) {
        if (distance_m(c.lat, c.lng, la, ln) > r) return false;
      }
    }
  }
  return true;
}

// Calls f(cell index) for the partition's grid cells under the query's box, with one extra
// ring: a row's cell was computed from a float.
template <class F>
inline void for_each_cell(const Run& run, const Partition& p, F&& f) {
  const BBox& b = *run.geo_box;
  const std::uint32_t la0 = detail::geo_cell_lat(b.min_lat),
                      la1 = detail::geo_cell_lat(b.max_lat) + 1;
  const std::uint32_t ln0 = detail::geo_cell_lng(b.min_lng),
                      ln1 = detail::geo_cell_lng(b.max_lng) + 1;
  for (std::uint32_t la = la0 == 0 ? 0 : la0 - 1; la <= la1; ++la) {
    auto it = std::lower_bound(p.cell_keys.begin(), p.cell_keys.end(),
                               detail::geo_cell(la, ln0 == 0 ? 0 : ln0 - 1));
    for (; it != p.cell_keys.end() && *it <= detail::geo_cell(la, ln1); ++it) {
      f(static_cast<std::size_t>(it - p.cell_keys.begin()));
    }
  }
}

// A cheap flat-earth distance, trusted only nearby and with a wide margin, saves computing the
// exact distance of listings that cannot make the page.
inline bool surely_farther(const LatLng& p, double cos_lat, double lat, double lng, double than_m) {
  const double dlat = lat - p.lat, dlng = lng - p.lng;
  if (std::abs(dlat) > 1 || std::abs(dlng) > 1 || std::abs(p.lat) > 60) return false;
  const double x = dlng * k_deg_to_rad * cos_lat;
  const double y = dlat * k_deg_to_rad;
  return k_earth_radius_m * std::sqrt(x * x + y * y) * 0.95 > than_m;
}

}  // namespace griha::search::detail
