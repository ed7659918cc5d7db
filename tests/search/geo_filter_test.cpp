// The query's shape on the geo grid: the exact test, whole cells, and the distance bound.
#include <gtest/gtest.h>

#include "search/geo_filter.hpp"

namespace griha::search::detail {
namespace {

TEST(SearchGeoFilter, CirclesBoxesAndPolygons) {
  IndexOptions opt;
  Query q;
  q.circle = Circle{{19.0, 72.8}, 1000};
  detail::Run run(q, opt);
  run.geo_box = bounds_of(*q.circle);
  EXPECT_TRUE(in_shape(run, 19.0, 72.8));
  EXPECT_TRUE(in_shape(run, 19.0 + 0.0089, 72.8));   // about 990 m north
  EXPECT_FALSE(in_shape(run, 19.0 + 0.0091, 72.8));  // about 1,012 m
  // A grid cell far inside a 1 km circle? None is: cells are about 1 km.
  EXPECT_FALSE(cell_inside(run, geo_cell_lat(19.0), geo_cell_lng(72.8)));

  Query box;
  box.bbox = BBox{18.0, 72.0, 20.0, 74.0};
  detail::Run boxed(box, opt);
  boxed.geo_box = box.bbox;
  EXPECT_TRUE(cell_inside(boxed, geo_cell_lat(19.0), geo_cell_lng(73.0)));
  EXPECT_FALSE(cell_inside(boxed, geo_cell_lat(20.0), geo_cell_lng(73.0)));  // on the edge
  EXPECT_TRUE(in_shape(boxed, 20.0, 74.0));                                  // edges included
  EXPECT_FALSE(in_shape(boxed, 20.0001, 74.0));

  Query poly;
  poly.polygon = {{19.0, 72.0}, {19.0, 73.0}, {20.0, 72.5}};
  detail::Run shaped(poly, opt);
  shaped.geo_box = bounds_of(poly.polygon);
  EXPECT_TRUE(in_shape(shaped, 19.2, 72.5));
  EXPECT_FALSE(in_shape(shaped, 19.9, 72.1));
  EXPECT_FALSE(
      cell_inside(shaped, geo_cell_lat(19.2), geo_cell_lng(72.5)));  // never with a polygon
}

TEST(SearchGeoFilter, SurelyFartherNeverMisjudgesANearerListing) {
  const LatLng p{19.0, 72.8};
  const double cos_lat = std::cos(p.lat * k_deg_to_rad);
  for (double d = 0.0005; d < 0.5; d *= 1.7) {
    const double exact = distance_m(p.lat, p.lng, p.lat + d, p.lng + d);
    EXPECT_FALSE(surely_farther(p, cos_lat, p.lat + d, p.lng + d, exact * 1.0001)) << d;
    EXPECT_TRUE(surely_farther(p, cos_lat, p.lat + d, p.lng + d, exact * 0.5)) << d;
  }
}

}  // namespace
}  // namespace griha::search::detail
