// The map view: every match counted once, clusters below the pin zoom, pins at and above it.
#include <gtest/gtest.h>

#include "search/index.hpp"
#include "search_fixtures.hpp"

namespace griha::search {
namespace {

TEST(SearchMap, ClustersCountEveryMatchAndPinsNameThem) {
  IndexOptions o;
  o.cursor_key = "map-test-cursor-key-0123456789ab";
  o.background_merge = false;
  Index index(o);
  const auto docs = test::random_documents(2000, 21);
  index.build(docs);
  const BBox mumbai{18.8, 72.6, 19.3, 73.1};
  Query q;
  q.bhk = {2};
  std::uint64_t want = 0;
  for (const auto& d : docs) want += d.bhk == 2 && mumbai.contains(d.lat, d.lng);
  ASSERT_GT(want, 0u);

  auto clusters = index.map(q, mumbai, 10);
  ASSERT_TRUE(clusters);
  EXPECT_TRUE(clusters->clustered);
  EXPECT_EQ(clusters->total, want);
  std::uint64_t counted = 0;
  for (const auto& c : clusters->cells) {
    counted += c.count;
    EXPECT_LE(c.min_price, c.max_price);
    EXPECT_TRUE(mumbai.contains(c.lat, c.lng));
  }
  EXPECT_EQ(counted, want);

  auto pins = index.map(q, mumbai, Index::k_pin_zoom);
  ASSERT_TRUE(pins);
  EXPECT_FALSE(pins->clustered);
  EXPECT_EQ(pins->cells.size(), std::min<std::uint64_t>(want, Index::k_max_pins));
  for (const auto& c : pins->cells) EXPECT_EQ(c.count, 1u);
  EXPECT_FALSE(index.map(q, mumbai, 23));
}

}  // namespace
}  // namespace griha::search
