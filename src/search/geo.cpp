#include "search/geo.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace griha::search {

double distance_m(double lat1, double lng1, double lat2, double lng2) {
  const double p1 = lat1 * k_deg_to_rad;
  const double p2 = lat2 * k_deg_to_rad;
  const double sdlat = std::sin((p2 - p1) / 2);
  const double sdlng = std::sin((lng2 * k_deg_to_rad - lng1 * k_deg_to_rad) / 2);
  const double a = sdlat * sdlat + std::cos(p1) * std::cos(p2) * (sdlng * sdlng);
  return 2 * k_earth_radius_m * std::asin(std::sqrt(std::min(1.0, a)));
}

namespace {
double cross(const LatLng& o, const LatLng& a, const LatLng& b) {
  return (a.lng - o.lng) * (b.lat - o.lat) - (a.lat - o.lat) * (b.lng - o.lng);
}
bool on_segment(const LatLng& p, const LatLng& q, const LatLng& r) {
  return std::min(p.lng, r.lng) <= q.lng && q.lng <= std::max(p.lng, r.lng) &&
         std::min(p.lat, r.lat) <= q.lat && q.lat <= std::max(p.lat, r.lat);
}
int sign(double v) {
  return (v > 0) - (v < 0);
}
bool segments_intersect(const LatLng& p1, const LatLng& p2, const LatLng& p3, const LatLng& p4) {
  const int d1 = sign(cross(p3, p4, p1)), d2 = sign(cross(p3, p4, p2));
  const int d3 = sign(cross(p1, p2, p3)), d4 = sign(cross(p1, p2, p4));
  if (d1 * d2 < 0 && d3 * d4 < 0) return true;
  return (d1 == 0 && on_segment(p3, p1, p4)) || (d2 == 0 && on_segment(p3, p2, p4)) ||
         (d3 == 0 && on_segment(p1, p3, p2)) || (d4 == 0 && on_segment(p1, p4, p2));
}
}  // namespace

Result<void> validate_polygon(std::span<const LatLng> poly, const std::string& field) {
  const std::size_t n = poly.size();
  if (n < 3)
    return Error::field(field, FieldCode::too_few_values, "A polygon needs at least 3 points.",
                        FieldIn::query);
  if (n > static_cast<std::size_t>(k_max_polygon_points)) {
    return Error::field(field, FieldCode::too_many_values, "A polygon has at most 200 points.",
                        FieldIn::query);
  }
  for (const auto& p : poly) {
    if (!(p.lat >= -90 && p.lat <= 90 && p.lng >= -180 && p.lng <= 180)) {
      return Error::field(field, FieldCode::out_of_range, "Polygon coordinates are out of range.",
                          FieldIn::query);
    }
  }
  // Edge i joins point i to point i+1 (mod n). Neighbouring edges share a point by design.
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = i + 1; j < n; ++j) {
      const bool adjacent = j == i + 1 || (i == 0 && j == n - 1);
      if (adjacent) continue;
      if (segments_intersect(poly[i], poly[(i + 1) % n], poly[j], poly[(j + 1) % n])) {
        return Error::field(field, FieldCode::invalid_value,
                            "The polygon's edges cross each other.", FieldIn::query);
      }
    }
  }
  return {};
}

bool polygon_contains(std::span<const LatLng> poly, double lat, double lng) {
  bool inside = false;
  for (std::size_t i = 0, j = poly.size() - 1; i < poly.size(); j = i++) {
    const LatLng& a = poly[i];
    const LatLng& b = poly[j];
    if ((a.lat > lat) != (b.lat > lat) &&
        lng < (b.lng - a.lng) * (lat - a.lat) / (b.lat - a.lat) + a.lng) {
      inside = !inside;
    }
  }
  return inside;
}

BBox bounds_of(std::span<const LatLng> poly) {
  BBox b{90, 180, -90, -180};
  for (const auto& p : poly) {
    b.min_lat = std::min(b.min_lat, p.lat);
    b.max_lat = std::max(b.max_lat, p.lat);
    b.min_lng = std::min(b.min_lng, p.lng);
    b.max_lng = std::max(b.max_lng, p.lng);
  }
  return b;
}

BBox bounds_of(const Circle& c) {
  const double dlat = c.radius_m / 111000.0 * 1.01 + 1e-6;
  const double coslat =
      std::max(0.01, std::cos(std::min(89.0, std::abs(c.center.lat) + dlat) * k_deg_to_rad));
  const double dlng = dlat / coslat;
  return {c.center.lat - dlat, c.center.lng - dlng, c.center.lat + dlat, c.center.lng + dlng};
}

}  // namespace griha::search
