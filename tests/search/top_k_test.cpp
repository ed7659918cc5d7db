// Sort keys and the bounded heap: every order total, ties by id, absent keys last.
#include <gtest/gtest.h>

#include "search/top_k.hpp"

namespace griha::search::detail {
namespace {

TEST(SearchTopK, KeysOrderEachSortWithAbsentLast) {
  Document a, b, none;
  a.id = 1, a.price = 100, a.area_sqft = 500, a.price_per_sqft = 10, a.posted_at = 50;
  b.id = 2, b.price = 200, b.area_sqft = 900, b.price_per_sqft = 30, b.posted_at = 60;
  none.id = 3, none.price = 150, none.posted_at = 40;  // no area, so no price per sq ft
  for (auto* d : {&a, &b, &none}) d->city_id = 1;
  const Document* docs[] = {&a, &b, &none};
  auto seg = Segment::merge(nullptr, nullptr, docs, std::vector<std::int64_t>{0});
  auto row = [&](std::int64_t id) { return static_cast<std::uint32_t>(seg->find(id)); };
  IndexOptions opt;
  auto order = [&](Sort sort) {
    Query q;
    q.sort = sort;
    detail::Run run(q, opt);
    std::vector<std::pair<SortKey, std::int64_t>> keys;
    for (std::int64_t id : {1, 2, 3}) keys.push_back({key_of(run, *seg, row(id), -1, 0), id});
    std::sort(keys.begin(), keys.end());
    std::vector<std::int64_t> ids;
    for (auto& [k, id] : keys) ids.push_back(id);
    return ids;
  };
  using V = std::vector<std::int64_t>;
  EXPECT_EQ(order(Sort::price_asc), (V{1, 3, 2}));
  EXPECT_EQ(order(Sort::price_desc), (V{2, 3, 1}));
  EXPECT_EQ(order(Sort::newest), (V{2, 1, 3}));
  EXPECT_EQ(order(Sort::area_asc), (V{1, 2, 3}));
  EXPECT_EQ(order(Sort::area_desc), (V{2, 1, 3}));
  EXPECT_EQ(order(Sort::price_per_sqft_asc), (V{1, 2, 3}));
  EXPECT_EQ(order(Sort::price_per_sqft_desc), (V{2, 1, 3}));
}

TEST(SearchTopK, TheHeapKeepsTheKSmallest) {
  Query q;
  IndexOptions opt;
  detail::Run run(q, opt);
  run.k = 3;
  for (std::int64_t id : {9, 4, 7, 1, 8, 2}) push(run, {SortKey{1, 0, id}, nullptr, 0, -1, 0});
  std::vector<std::int64_t> kept;
  while (!run.heap.empty()) {
    kept.push_back(run.heap.top().key.id);
    run.heap.pop();
  }
  EXPECT_EQ(kept, (std::vector<std::int64_t>{4, 2, 1}));
}

}  // namespace
}  // namespace griha::search::detail
