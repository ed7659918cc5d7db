// Geometry for search: great-circle distance, polygon validation and containment. Polygons
// are treated as planar in degrees, which is exact enough for an area drawn on a city map.
#pragma once

#include <span>

#include "core/error.hpp"
#include "search/query.hpp"

namespace griha::search {

inline constexpr double k_earth_radius_m = 6371008.8;
inline constexpr double k_deg_to_rad = 0.017453292519943295;

// Haversine. The SQL reference in the tests spells out the same expression in the same order,
// so that both sides compute identical doubles.
double distance_m(double lat1, double lng1, double lat2, double lng2);

// 3..200 points, valid coordinates, no two edges crossing. `field` names the parameter.
Result<void> validate_polygon(std::span<const LatLng> polygon, const std::string& field);

// Even-odd rule; points exactly on an edge may fall either way.
bool polygon_contains(std::span<const LatLng> polygon, double lat, double lng);

BBox bounds_of(std::span<const LatLng> polygon);
// The box around a circle, a little generous so that no point inside the circle is lost.
BBox bounds_of(const Circle& c);

}  // namespace griha::search
