// The index's snapshots: a result and its card come from one snapshot, whatever writes
// happen after the search started; writes are visible to the next search.
#include <gtest/gtest.h>

#include "search/index.hpp"
#include "search_fixtures.hpp"

namespace griha::search {
namespace {

IndexOptions options() {
  IndexOptions o;
  o.cursor_key = "snapshot-test-cursor-key-012345";
  o.background_merge = false;
  o.merge_threshold = 3;
  return o;
}

Document listing(std::int64_t id, std::int64_t price, std::string title) {
  Document d;
  d.id = id;
  d.city_id = 1;
  d.price = price;
  d.posted_at = 1000 + id;
  d.title = std::move(title);
  d.photo_count = 2;
  d.cover_key = "ab/cdef";
  return d;
}

TEST(SearchSnapshot, ACardNeverMixesVersions) {
  Index index(options());
  index.build(std::vector<Document>{listing(1, 100, "First title"), listing(2, 200, "Other")});
  Query q;
  auto before = index.search(q);
  ASSERT_TRUE(before);
  // New title and price, then enough writes to merge the delta into a new base.
  index.upsert(listing(1, 150, "Second title"));
  for (int i = 3; i < 10; ++i) index.upsert(listing(i, 100 * i, "Filler " + std::to_string(i)));
  index.compact();
  index.remove(2);
  // The earlier page still reads its own snapshot: the old title with the old price.
  const Hit* old = nullptr;
  for (const auto& h : before->hits)
    if (h.id == 1) old = &h;
  ASSERT_NE(old, nullptr);
  EXPECT_EQ(old->title, "First title");
  EXPECT_EQ(old->price, 100);
  EXPECT_EQ(old->cover_key, "ab/cdef");
  EXPECT_EQ(old->photo_count, 2);
  // A new search sees the new version whole.
  q.page_size = 100;
  auto after = index.search(q);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->total, 8u);
  for (const auto& h : after->hits) {
    if (h.id == 1) {
      EXPECT_EQ(h.title, "Second title");
      EXPECT_EQ(h.price, 150);
    }
    EXPECT_NE(h.id, 2);
  }
}

TEST(SearchSnapshot, CardsSurviveMergesAndCarryEveryField) {
  Index index(options());
  auto docs = test::random_documents(500, 9);
  index.build(std::span(docs).first(400));
  for (std::size_t i = 400; i < 500; ++i) index.upsert(docs[i]);
  index.compact();
  Query q;
  q.page_size = 100;
  q.sort = Sort::price_asc;
  auto r = index.search(q);
  ASSERT_TRUE(r);
  for (const auto& h : r->hits) {
    const auto& d = *std::find_if(docs.begin(), docs.end(), [&](auto& x) { return x.id == h.id; });
    EXPECT_EQ(h.title, d.title);
    EXPECT_EQ(h.city_id, d.city_id);
    EXPECT_EQ(h.locality_id, d.locality_id);
    EXPECT_EQ(h.transaction, d.transaction);
    EXPECT_EQ(h.property_type, d.property_type);
    EXPECT_EQ(h.furnishing, d.furnishing);
    EXPECT_EQ(h.bhk, d.bhk);
    EXPECT_EQ(h.price_per_sqft, d.price_per_sqft);
    EXPECT_EQ(h.verified, d.verified);
  }
}

}  // namespace
}  // namespace griha::search
