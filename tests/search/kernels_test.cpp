// The bitset kernels against one-bit-at-a-time arithmetic.
#include <gtest/gtest.h>

#include <random>

#include "search/kernels.hpp"

namespace griha::search::detail {
namespace {

std::vector<Word> random_words(std::size_t n, std::uint32_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<Word> w(n);
  for (auto& x : w) x = rng() & rng();  // about a quarter of the bits
  return w;
}

TEST(SearchKernels, CountAndCombineWords) {
  for (std::size_t n : {0u, 1u, 3u, 64u, 257u}) {
    const auto a = random_words(n, 1), b = random_words(n, 2);
    std::uint64_t ones = 0, both = 0;
    for (std::size_t i = 0; i < n * 64; ++i) {
      ones += test_bit(a.data(), static_cast<std::uint32_t>(i));
      both += test_bit(a.data(), static_cast<std::uint32_t>(i)) &&
              test_bit(b.data(), static_cast<std::uint32_t>(i));
    }
    EXPECT_EQ(count(a.data(), n), ones);
    EXPECT_EQ(count_and(a.data(), b.data(), n), both);
    auto x = a;
    and_into(x.data(), b.data(), n);
    EXPECT_EQ(count(x.data(), n), both);
    x = a;
    or_into(x.data(), b.data(), n);
    EXPECT_EQ(count(x.data(), n), ones + count(b.data(), n) - both);
    x = a;
    and_not_into(x.data(), b.data(), n);
    EXPECT_EQ(count(x.data(), n), ones - both);
  }
}

TEST(SearchKernels, RowsAreWalkedAndFilteredInOrder) {
  const auto a = random_words(5, 3);
  std::vector<std::uint32_t> seen;
  for_each_row(a.data(), 1, 4, [&](std::uint32_t r) { seen.push_back(r); });
  std::vector<std::uint32_t> want;
  for (std::uint32_t r = 64; r < 256; ++r)
    if (test_bit(a.data(), r)) want.push_back(r);
  EXPECT_EQ(seen, want);

  // Sparse and dense words alike keep exactly the rows the predicate accepts.
  std::vector<Word> w = {0x0000000000000101ull, ~Word{0}};
  filter_rows(w.data(), 0, 2, [](std::uint32_t r) { return r % 3 == 0; });
  for (std::uint32_t r = 0; r < 128; ++r) {
    const bool was = r < 64 ? (r == 0 || r == 8) : true;
    EXPECT_EQ(test_bit(w.data(), r), was && r % 3 == 0) << r;
  }
}

TEST(SearchKernels, PostingsDenseOrSparseOrIntoThePartition) {
  Partition p;
  p.begin = 64;
  p.end = 192;
  Postings dense;
  dense.bits = {0b1010, 0};
  dense.count = 2;
  Postings sparse;
  sparse.rows = {70, 130};
  sparse.count = 2;
  std::vector<Word> buf(3, 0);
  or_postings(dense, p, buf.data());
  or_postings(sparse, p, buf.data());
  for (std::uint32_t r : {65u, 67u, 70u, 130u}) EXPECT_TRUE(test_bit(buf.data(), r)) << r;
  EXPECT_EQ(count(buf.data(), 3), 4u);
  std::vector<Word> mask(3, 0);
  set_bit(mask.data(), 67);
  set_bit(mask.data(), 130);
  EXPECT_EQ(count_postings(dense, p, mask.data()), 1u);
  EXPECT_EQ(count_postings(sparse, p, mask.data()), 1u);
}

}  // namespace
}  // namespace griha::search::detail
