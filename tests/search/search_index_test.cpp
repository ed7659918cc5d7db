// The index's behaviour filter by filter, and what SQL cannot check for it: text matching and
// ranking, polygons (against brute force), freshness under writes and merges, cursors, maps.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <set>

#include "search/geo.hpp"
#include "search/index.hpp"
#include "search/text.hpp"
#include "search_fixtures.hpp"

namespace griha::search {
namespace {

IndexOptions options() {
  IndexOptions o;
  o.cursor_key = "unit-test-cursor-key-0123456789";
  o.background_merge = false;
  return o;
}

std::vector<std::int64_t> ids(const SearchResult& r) {
  std::vector<std::int64_t> out;
  for (const auto& h : r.hits) out.push_back(h.id);
  return out;
}

// All ids matching `q` (following cursors), sorted.
std::set<std::int64_t> all_ids(const Index& index, Query q) {
  std::set<std::int64_t> out;
  q.page_size = 100;
  for (;;) {
    auto r = index.search(q);
    EXPECT_TRUE(r);
    if (!r) return out;
    for (const auto& h : r->hits) out.insert(h.id);
    if (r->next_cursor.empty()) return out;
    q.cursor = index.cursors().decode(r->next_cursor).value();
  }
}

class SearchIndex : public ::testing::Test {
 protected:
  void SetUp() override {
    docs_ = test::random_documents(3000, 11);
    index_.build(docs_);
  }
  Query query() const {
    Query q;
    q.now = test::k_now;
    return q;
  }
  // Checks one filter: exactly the documents satisfying `pred` match.
  void expect_filter(const std::function<void(Query&)>& set,
                     const std::function<bool(const Document&)>& pred) {
    Query q = query();
    set(q);
    std::set<std::int64_t> want;
    for (const auto& d : docs_) {
      if (pred(d)) want.insert(d.id);
    }
    ASSERT_FALSE(want.empty()) << "a filter test must match something";
    ASSERT_LT(want.size(), docs_.size()) << "a filter test must exclude something";
    EXPECT_EQ(all_ids(index_, q), want);
  }
  std::vector<Document> docs_;
  Index index_{options()};
};

TEST_F(SearchIndex, EachFilterKeepsExactlyTheMatchingListings) {
  expect_filter([](Query& q) { q.city_id = 2; }, [](const Document& d) { return d.city_id == 2; });
  expect_filter(
      [](Query& q) {
        q.locality_ids = {101, 203};
      },
      [](const Document& d) { return d.locality_id == 101 || d.locality_id == 203; });
  expect_filter([](Query& q) { q.project_id = 1005; },
                [](const Document& d) { return d.project_id == 1005; });
  expect_filter([](Query& q) { q.transactions = {Transaction::rent}; },
                [](const Document& d) { return d.transaction == Transaction::rent; });
  expect_filter(
      [](Query& q) {
        q.property_types = {PropertyType::villa, PropertyType::plot};
      },
      [](const Document& d) {
        return d.property_type == PropertyType::villa || d.property_type == PropertyType::plot;
      });
  expect_filter(
      [](Query& q) {
        q.bhk = {0, 5};
      },
      [](const Document& d) { return d.bhk == 0 || d.bhk == 5; });
  expect_filter(
      [](Query& q) {
        q.price = {10'00'000, 50'00'000};
      },
      [](const Document& d) { return d.price >= 10'00'000 && d.price <= 50'00'000; });
  expect_filter([](Query& q) { q.area_sqft.min = 2000; },
                [](const Document& d) { return d.area_sqft >= 2000; });
  expect_filter(
      [](Query& q) { q.price_per_sqft.max = 1000; },
      [](const Document& d) { return d.price_per_sqft != 0 && d.price_per_sqft <= 1000; });
  expect_filter([](Query& q) { q.furnishing = {Furnishing::furnished}; },
                [](const Document& d) { return d.furnishing == Furnishing::furnished; });
  expect_filter([](Query& q) { q.ready_to_move = true; },
                [](const Document& d) { return d.ready_to_move == true; });
  expect_filter([](Query& q) { q.possession_by_days = 20'500; },
                [](const Document& d) {
                  return d.ready_to_move == true ||
                         (d.ready_to_move == false && d.possession_days <= 20'500);
                });
  expect_filter([](Query& q) { q.posted_by = {PostedBy::builder}; },
                [](const Document& d) { return d.posted_by == PostedBy::builder; });
  expect_filter([](Query& q) { q.amenities_all = 0b101; },
                [](const Document& d) { return (d.amenities & 0b101) == 0b101; });
  expect_filter([](Query& q) { q.verified_only = true; },
                [](const Document& d) { return d.verified; });
  expect_filter([](Query& q) { q.with_photos_only = true; },
                [](const Document& d) { return d.has_photos; });
  expect_filter(
      [](Query& q) {
        q.facing = {Facing::north, Facing::east};
      },
      [](const Document& d) { return d.facing == Facing::north || d.facing == Facing::east; });
  expect_filter(
      [](Query& q) {
        q.floor = {3, 5};
      },
      [](const Document& d) { return d.floor && *d.floor >= 3 && *d.floor <= 5; });
  expect_filter([](Query& q) { q.bathrooms_min = 3; },
                [](const Document& d) { return d.bathrooms && *d.bathrooms >= 3; });
  expect_filter([](Query& q) { q.tenant_preference = TenantPreference::bachelors; },
                [](const Document& d) {
                  const bool rental =
                      d.transaction == Transaction::rent || d.transaction == Transaction::lease;
                  return rental && (d.tenant_preference == TenantPreference::bachelors ||
                                    d.tenant_preference == TenantPreference::any);
                });
  expect_filter([](Query& q) { q.pets_allowed_only = true; },
                [](const Document& d) { return d.pets_allowed; });
  expect_filter([](Query& q) { q.posted_within_days = 30; },
                [](const Document& d) { return d.posted_at >= test::k_now - 30 * 86400; });
  expect_filter([](Query& q) { q.rera_only = true; },
                [](const Document& d) { return d.rera_registered; });
}

TEST_F(SearchIndex, GeoFiltersMatchBruteForce) {
  const Circle c{{19.07, 72.87}, 5000};
  expect_filter([&](Query& q) { q.circle = c; },
                [&](const Document& d) {
                  return distance_m(c.center.lat, c.center.lng, d.lat, d.lng) <= c.radius_m;
                });
  const BBox b{28.58, 77.15, 28.65, 77.25};
  expect_filter([&](Query& q) { q.bbox = b; },
                [&](const Document& d) { return b.contains(d.lat, d.lng); });
  // A concave "L" over Bengaluru.
  const std::vector<LatLng> poly{{12.93, 77.55}, {13.01, 77.55}, {13.01, 77.58},
                                 {12.96, 77.58}, {12.96, 77.63}, {12.93, 77.63}};
  ASSERT_TRUE(validate_polygon(poly, "polygon"));
  expect_filter([&](Query& q) { q.polygon = poly; },
                [&](const Document& d) { return polygon_contains(poly, d.lat, d.lng); });
}

TEST_F(SearchIndex, DistanceSortIsNearestFirst) {
  Query q = query();
  q.circle = Circle{{12.97, 77.59}, 3000};
  q.sort = Sort::distance;
  auto r = index_.search(q);
  ASSERT_TRUE(r);
  ASSERT_GT(r->hits.size(), 5u);
  for (std::size_t i = 1; i < r->hits.size(); ++i) {
    EXPECT_LE(r->hits[i - 1].distance_m, r->hits[i].distance_m);
    EXPECT_LE(r->hits[i].distance_m, 3000);
  }
}

TEST_F(SearchIndex, FacetsIgnoreTheirOwnFilterButNotOthers) {
  Query q = query();
  q.city_id = 1;
  q.bhk = {2};
  q.furnishing = {Furnishing::furnished};
  q.facets = {Facet::bhk, Facet::furnishing, Facet::property_type};
  auto r = index_.search(q);
  ASSERT_TRUE(r);
  std::map<std::int64_t, std::uint32_t> bhk, furnishing, type;
  for (const auto& d : docs_) {
    if (d.city_id != 1) continue;
    if (d.furnishing == Furnishing::furnished && d.bhk) ++bhk[*d.bhk];
    if (d.bhk == 2 && d.furnishing) ++furnishing[static_cast<int>(*d.furnishing)];
    if (d.bhk == 2 && d.furnishing == Furnishing::furnished)
      ++type[static_cast<int>(d.property_type)];
  }
  auto as_map = [](const FacetResult& f) {
    std::map<std::int64_t, std::uint32_t> m;
    for (const auto& c : f.counts) m[c.value] = c.count;
    return m;
  };
  EXPECT_GT(bhk.size(), 1u);  // other BHKs are offered although the filter says 2
  EXPECT_EQ(as_map(r->facets[0]), bhk);
  EXPECT_EQ(as_map(r->facets[1]), furnishing);
  EXPECT_EQ(as_map(r->facets[2]), type);
}

TEST_F(SearchIndex, CursorPagesNeitherSkipNorRepeatWhileListingsChange) {
  Query q = query();
  q.city_id = 3;
  q.sort = Sort::price_asc;
  q.page_size = 25;
  auto first = index_.search(q);
  ASSERT_TRUE(first);
  const auto page1 = ids(*first);
  // A listing that sorts before the cursor arrives, one on page 1 leaves: page 2 is unmoved.
  Document cheap = docs_[0];
  cheap.id = 999'999;
  cheap.city_id = 3;
  cheap.price = 1;
  index_.upsert(cheap);
  index_.remove(page1[3]);
  q.cursor = index_.cursors().decode(first->next_cursor).value();
  auto second = index_.search(q);
  ASSERT_TRUE(second);
  Query all = query();
  all.city_id = 3;
  all.sort = Sort::price_asc;
  all.page_size = 100;
  all.price.min = 0;
  std::vector<std::int64_t> expected;
  std::vector<std::pair<std::int64_t, std::int64_t>> by_price;
  for (const auto& d : docs_) {
    if (d.city_id == 3) by_price.emplace_back(d.price, d.id);
  }
  std::sort(by_price.begin(), by_price.end());
  for (std::size_t i = 25; i < 50; ++i) expected.push_back(by_price[i].second);
  EXPECT_EQ(ids(*second), expected);
}

TEST_F(SearchIndex, TamperedCursorIsRejected) {
  Query q = query();
  q.sort = Sort::newest;
  auto r = index_.search(q);
  ASSERT_TRUE(r);
  std::string c = r->next_cursor;
  ASSERT_FALSE(c.empty());
  ASSERT_TRUE(index_.cursors().decode(c));
  c[5] = c[5] == 'A' ? 'B' : 'A';
  auto bad = index_.cursors().decode(c);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().fields.at(0).field, "/cursor");
  EXPECT_FALSE(index_.cursors().decode("not a cursor"));
  // A genuine cursor from another sort is refused too.
  q.sort = Sort::price_asc;
  q.cursor = index_.cursors().decode(r->next_cursor).value();
  auto mixed = index_.search(q);
  ASSERT_FALSE(mixed);
  EXPECT_EQ(mixed.error().fields.at(0).field, "/cursor");
  // And one from a search with other filters, or other text, under the same sort.
  q.sort = Sort::newest;
  q.bhk = {2};
  auto filtered = index_.search(q);
  ASSERT_FALSE(filtered);
  EXPECT_EQ(filtered.error().fields.at(0).field, "/cursor");
  q.bhk.clear();
  q.text = "sunny";
  EXPECT_FALSE(index_.search(q));
  // The same filters written differently are the same search.
  Query a = query(), b = query();
  a.sort = b.sort = Sort::newest;
  a.bhk = {2, 3};
  b.bhk = {3, 2};
  a.text = "Sunny  corner";
  b.text = "sunny corner";
  auto page = index_.search(a);
  ASSERT_TRUE(page);
  ASSERT_FALSE(page->next_cursor.empty());
  b.cursor = index_.cursors().decode(page->next_cursor).value();
  EXPECT_TRUE(index_.search(b));
  // And one signed with another key.
  IndexOptions other = options();
  other.cursor_key = "a-different-key-for-another-node";
  EXPECT_FALSE(CursorCodec(other.cursor_key).decode(r->next_cursor));
}

TEST_F(SearchIndex, WritesAreVisibleAtOnceAndSurviveMerges) {
  Document d = docs_[10];
  d.price = 123;
  index_.upsert(d);
  Query q = query();
  q.price = {123, 123};
  EXPECT_EQ(all_ids(index_, q), std::set<std::int64_t>{d.id});
  index_.remove(d.id);
  EXPECT_TRUE(all_ids(index_, q).empty());
  Query everything = query();
  EXPECT_EQ(index_.search(everything)->total, docs_.size() - 1);
  index_.compact();
  EXPECT_EQ(index_.search(everything)->total, docs_.size() - 1);
  EXPECT_EQ(index_.stats().delta_listings, 0u);
}

TEST(SearchIndexMerge, BackgroundMergeKeepsWritesMadeWhileItRuns) {
  IndexOptions o = options();
  o.background_merge = true;
  o.merge_threshold = 50;
  Index index(o);
  auto docs = test::random_documents(2000, 5);
  index.build(std::span(docs).first(1000));
  for (std::size_t i = 1000; i < 2000; ++i) {
    index.upsert(docs[i]);
    if (i % 7 == 0) index.remove(docs[i - 500].id);
  }
  index.compact();
  std::set<std::int64_t> want;
  for (std::size_t i = 0; i < 2000; ++i) want.insert(docs[i].id);
  for (std::size_t i = 1000; i < 2000; ++i) {
    if (i % 7 == 0) want.erase(docs[i - 500].id);
  }
  Query q;
  q.now = test::k_now;
  EXPECT_EQ(all_ids(index, q), want);
}

TEST_F(SearchIndex, FeaturedListingsLeadUnderTheirRule) {
  Query q = query();
  q.city_id = 4;
  q.page_size = 100;
  auto r = index_.search(q);  // relevance: featured first by default
  ASSERT_TRUE(r);
  std::size_t featured = 0;
  for (const auto& d : docs_) featured += d.city_id == 4 && d.featured;
  ASSERT_GT(featured, 0u);
  for (std::size_t i = 0; i < r->hits.size(); ++i) EXPECT_EQ(r->hits[i].featured, i < featured);
  q.sort = Sort::newest;  // not under the rule
  r = index_.search(q);
  EXPECT_FALSE(std::all_of(r->hits.begin(), r->hits.begin() + featured,
                           [](const Hit& h) { return h.featured; }));
}

TEST(SearchText, TokenizerAndOneEdit) {
  EXPECT_EQ(tokenize("2 BHK Flat, near the Metro!"),
            (std::vector<std::string>{"2", "bhk", "flat", "near", "metro"}));
  EXPECT_TRUE(within_one_edit("spacious", "spacous"));
  EXPECT_TRUE(within_one_edit("garden", "gardens"));
  EXPECT_TRUE(within_one_edit("marble", "marbke"));
  // A swap of two neighbouring letters is one typo (Damerau), two swaps are not.
  EXPECT_TRUE(within_one_edit("marble", "mrable"));
  EXPECT_TRUE(within_one_edit("thane", "htane"));
  EXPECT_TRUE(within_one_edit("thane", "thaen"));
  EXPECT_FALSE(within_one_edit("marble", "mrbale"));
  EXPECT_FALSE(within_one_edit("marble", "amrbel"));
}

// Absent values: a listing that does not say never matches a filter on the field, is never
// counted under a facet value, and sorts last on a key it lacks.
class SearchAbsent : public ::testing::Test {
 protected:
  void SetUp() override {
    auto doc = [](std::int64_t id, PropertyType type, Transaction tx) {
      Document d;
      d.id = id;
      d.city_id = 1;
      d.locality_id = 101;
      d.property_type = type;
      d.transaction = tx;
      d.price = 1'000'000 + id;
      d.posted_at = 1000 + id;
      d.title = "Listing number " + std::to_string(id);
      return d;
    };
    // 1: a plot with nothing optional; 2: a 1 RK home that says everything.
    docs_.push_back(doc(1, PropertyType::plot, Transaction::sale_resale));
    Document full = doc(2, PropertyType::apartment, Transaction::rent);
    full.bhk = 0;
    full.bathrooms = 1;
    full.area_sqft = 400;
    full.price_per_sqft = derive_price_per_sqft(full.price, full.area_sqft);
    full.furnishing = Furnishing::unfurnished;
    full.ready_to_move = true;
    full.facing = Facing::north;
    full.floor = 0;
    full.tenant_preference = TenantPreference::any;
    docs_.push_back(full);
    // 3: a sale listing that names a tenant preference anyway.
    Document sale = doc(3, PropertyType::apartment, Transaction::sale_new);
    sale.bhk = 2;
    sale.tenant_preference = TenantPreference::any;
    docs_.push_back(sale);
    index_.build(docs_);
  }
  std::set<std::int64_t> find(const std::function<void(Query&)>& set) {
    Query q;
    q.now = test::k_now;
    set(q);
    return all_ids(index_, q);
  }
  std::vector<Document> docs_;
  Index index_{options()};
};

TEST_F(SearchAbsent, NeverMatchesAValueFilter) {
  const std::set<std::int64_t> just2{2};
  EXPECT_EQ(find([](Query& q) { q.bhk = {0}; }), just2);  // the plot has no BHK, not 1 RK
  EXPECT_EQ(find([](Query& q) { q.furnishing = {Furnishing::unfurnished}; }), just2);
  EXPECT_EQ(find([](Query& q) { q.floor.max = 0; }), just2);  // nor the ground floor
  EXPECT_EQ(find([](Query& q) { q.floor.min = 0; }), just2);
  EXPECT_EQ(find([](Query& q) { q.bathrooms_min = 0; }), just2);
  EXPECT_EQ(find([](Query& q) { q.area_sqft.max = 1000; }), just2);
  EXPECT_EQ(find([](Query& q) { q.price_per_sqft.max = 1'000'000; }), just2);
  EXPECT_EQ(find([](Query& q) { q.facing = {Facing::north}; }), just2);
  EXPECT_EQ(find([](Query& q) { q.ready_to_move = true; }), just2);
  EXPECT_EQ(find([](Query& q) { q.possession_by_days = 30'000; }), just2);
  // Tenant preference is for rentals: the sale listing's "any" does not count.
  EXPECT_EQ(find([](Query& q) { q.tenant_preference = TenantPreference::family; }), just2);
  EXPECT_EQ(find([](Query& q) { q.tenant_preference = TenantPreference::any; }), just2);
}

TEST_F(SearchAbsent, IsNeverCountedUnderAFacetValue) {
  Query q;
  q.now = test::k_now;
  q.facets = {Facet::bhk, Facet::furnishing, Facet::property_type};
  auto r = index_.search(q);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->facets[0].counts, (std::vector<FacetCount>{{0, 1}, {2, 1}}));
  EXPECT_EQ(r->facets[1].counts,
            (std::vector<FacetCount>{{static_cast<int>(Furnishing::unfurnished), 1}}));
  // Under bhk=0 the property types are those of 1 RK homes only: no plot.
  q.bhk = {0};
  r = index_.search(q);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->facets[2].counts,
            (std::vector<FacetCount>{{static_cast<int>(PropertyType::apartment), 1}}));
  // Hits say nothing for what is absent.
  q.bhk.clear();
  q.sort = Sort::price_asc;
  r = index_.search(q);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->hits.at(0).id, 1);
  EXPECT_FALSE(r->hits.at(0).bhk.has_value());
  EXPECT_EQ(r->hits.at(0).area_sqft, 0u);
  EXPECT_EQ(r->hits.at(1).bhk, std::optional<std::uint8_t>(0));
}

TEST_F(SearchAbsent, SortsLastOnAKeyItLacks) {
  for (Sort s :
       {Sort::area_asc, Sort::area_desc, Sort::price_per_sqft_asc, Sort::price_per_sqft_desc}) {
    Query q;
    q.now = test::k_now;
    q.sort = s;
    auto r = index_.search(q);
    ASSERT_TRUE(r);
    EXPECT_EQ(ids(*r), (std::vector<std::int64_t>{2, 1, 3})) << names_of_sort()[int(s)];
  }
}

TEST(SearchText, PlacesProjectsAndRegistrationNumbers) {
  Index index(options());
  std::vector<Document> docs(4);
  for (int i = 0; i < 4; ++i) {
    docs[i].id = i + 1;
    docs[i].city_id = 1;
    docs[i].posted_at = 100 + i;
    docs[i].title = "A flat to let";
  }
  docs[0].locality_name = "Powai";
  docs[1].city_name = "Thane";
  docs[2].project_name = "Skyline Towers";
  docs[3].rera_number = "PRM/KA/RERA/1251/446/PR/171031/000612";
  index.build(docs);
  auto found = [&](const std::string& text) {
    Query q;
    q.text = text;
    auto r = index.search(q);
    EXPECT_TRUE(r);
    return r ? ids(*r) : std::vector<std::int64_t>{};
  };
  EXPECT_EQ(found("powai"), std::vector<std::int64_t>{1});
  EXPECT_EQ(found("thane"), std::vector<std::int64_t>{2});
  EXPECT_EQ(found("htane"), std::vector<std::int64_t>{2});  // a swap is one typo
  EXPECT_EQ(found("skyline towers"), std::vector<std::int64_t>{3});
  // The whole number, case aside, finds its listing; a part of it or a near miss does not.
  EXPECT_EQ(found(" prm/ka/rera/1251/446/pr/171031/000612 "), std::vector<std::int64_t>{4});
  EXPECT_EQ(found("PRM/KA/RERA/1251/446/PR/171031/000613"), std::vector<std::int64_t>{});
  EXPECT_EQ(found("000612"), std::vector<std::int64_t>{});
}

TEST(SearchText, PrefixTyposAndRanking) {
  Index index(options());
  std::vector<Document> docs(5);
  for (int i = 0; i < 5; ++i) {
    docs[i].id = i + 1;
    docs[i].city_id = 1;
    docs[i].posted_at = 100 + i;
  }
  docs[0].title = "Spacious apartment near metro";
  docs[1].description = "A spacious home, a short walk to the metro";
  docs[2].title = "Villa with garden";
  docs[3].description = "Independent house";
  docs[4].description = "Metropolitan lifestyle";
  index.build(docs);
  auto search = [&](const std::string& text) {
    Query q;
    q.text = text;
    return ids(index.search(q).value());
  };
  // Title beats description; an exact word beats a prefix ("metropolitan") in the same field.
  EXPECT_EQ(search("metro"), (std::vector<std::int64_t>{1, 2, 5}));
  EXPECT_EQ(search("spacous metro"), (std::vector<std::int64_t>{1, 2}));  // one typo, 5+ letters
  EXPECT_EQ(search("vila"), (std::vector<std::int64_t>{}));               // 4 letters: no typos
  EXPECT_EQ(search("gard"), (std::vector<std::int64_t>{3}));              // last word: prefix
  EXPECT_EQ(search("gard villa"), (std::vector<std::int64_t>{}));         // earlier words: exact
  EXPECT_EQ(search("independant"), (std::vector<std::int64_t>{4}));
}

// A token whose variants are held together by the same listings sums to a frequency above
// the listing count; the idf must stay positive or the best match would rank last.
TEST(SearchText, CommonTokenStillRanksTitleFirst) {
  Index index(options());
  std::vector<Document> docs(3);
  for (int i = 0; i < 3; ++i) {
    docs[i].id = i + 1;
    docs[i].city_id = 1;
    docs[i].posted_at = 100 - i;
    docs[i].description = "metro metros metropolitan";
  }
  docs[2].title = "Metro";
  index.build(docs);
  Query q;
  q.text = "metro";
  EXPECT_EQ(ids(index.search(q).value()), (std::vector<std::int64_t>{3, 1, 2}));
}

// Text postings are split by city, dense where a word is common: a city's matches must be
// exactly the listings there holding every word, with writes in the delta and after merges.
TEST_F(SearchIndex, TextMatchesExactlyPerCity) {
  auto holds = [](const Document& d, const std::string& word, bool prefix) {
    for (const auto* f : {&d.title, &d.description, &d.locality_name, &d.project_name}) {
      for (const auto& t : tokenize(*f)) {
        if (t == word || (prefix && t.starts_with(word))) return true;
      }
    }
    return false;
  };
  auto check = [&](const std::vector<Document>& docs) {
    for (std::uint32_t city : {1u, 3u}) {
      for (const char* text : {"sunny corner", "metro", "marble bal", "school garden quiet"}) {
        Query q = query();
        q.city_id = city;
        q.text = text;
        const auto tokens = tokenize(text);
        std::set<std::int64_t> want;
        for (const auto& d : docs) {
          bool all = d.city_id == city;
          for (std::size_t i = 0; all && i < tokens.size(); ++i)
            all = holds(d, tokens[i], i + 1 == tokens.size());
          if (all) want.insert(d.id);
        }
        EXPECT_EQ(all_ids(index_, q), want) << text << " in city " << city;
      }
    }
  };
  check(docs_);
  std::vector<Document> docs = docs_;
  for (int i = 0; i < 40; ++i) {
    Document& d = docs[static_cast<std::size_t>(i) * 7];
    d.title = "Sunny corner flat";
    d.city_id = 3;
    index_.upsert(d);
  }
  check(docs);
  index_.compact();
  check(docs);
}

TEST(SearchGeo, PolygonValidation) {
  std::vector<LatLng> bow_tie{{0, 0}, {1, 1}, {1, 0}, {0, 1}};
  auto r = validate_polygon(bow_tie, "/polygon");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().fields.at(0).code, FieldCode::invalid_value);
  EXPECT_EQ(
      validate_polygon(std::vector<LatLng>{{0, 0}, {1, 1}}, "/polygon").error().fields.at(0).code,
      FieldCode::too_few_values);
  std::vector<LatLng> big;
  for (int i = 0; i < 201; ++i) {
    const double a = i * 2 * 3.14159265 / 201;
    big.push_back({std::sin(a), std::cos(a)});
  }
  EXPECT_EQ(validate_polygon(big, "/polygon").error().fields.at(0).code,
            FieldCode::too_many_values);
  big.pop_back();
  EXPECT_TRUE(validate_polygon(big, "polygon"));
}

TEST_F(SearchIndex, MapClustersWhenZoomedOutAndPinsWhenZoomedIn) {
  Query q = query();
  q.bhk = {3};
  const BBox mumbai{18.8, 72.6, 19.3, 73.1};
  auto clusters = index_.map(q, mumbai, 10);
  ASSERT_TRUE(clusters);
  EXPECT_TRUE(clusters->clustered);
  std::uint64_t sum = 0;
  for (const auto& c : clusters->cells) {
    sum += c.count;
    EXPECT_LE(c.min_price, c.max_price);
  }
  std::uint64_t want = 0;
  for (const auto& d : docs_) want += d.bhk == 3 && mumbai.contains(d.lat, d.lng);
  EXPECT_EQ(sum, want);
  EXPECT_EQ(clusters->total, want);
  auto pins = index_.map(q, {19.06, 72.86, 19.08, 72.88}, 16);
  ASSERT_TRUE(pins);
  EXPECT_FALSE(pins->clustered);
  for (const auto& c : pins->cells) EXPECT_EQ(c.count, 1u);
  EXPECT_EQ(pins->cells.size(), pins->total);
}

TEST_F(SearchIndex, InvalidQueriesNameTheirFields) {
  Query q = query();
  q.page_size = 101;
  q.price = {10, 5};
  q.sort = Sort::distance;
  auto r = index_.search(q);
  ASSERT_FALSE(r);
  std::set<std::string> fields;
  for (const auto& f : r.error().fields) fields.insert(f.field);
  EXPECT_EQ(fields, (std::set<std::string>{"/page_size", "/price_min", "/sort"}));
}

}  // namespace
}  // namespace griha::search
