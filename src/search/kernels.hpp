// The bitset kernels every search runs on: counting, ANDing and ORing words, postings into a
// partition's bits, and walking the set rows. Internal to search/.
#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>
#include <vector>

#include "search/segment.hpp"

namespace griha::search::detail {

// Word kernels. Compiled twice, and picked at load time, so that a CPU with POPCNT and AVX2
// uses them while the binary still runs on baseline x86-64.
#if defined(__x86_64__) && defined(__GNUC__)
#define GRIHA_KERNEL __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define GRIHA_KERNEL
#endif

std::uint64_t count_and(const Word* a, const Word* b, std::size_t n);
std::uint64_t count(const Word* a, std::size_t n);
void and_into(Word* dst, const Word* src, std::size_t n);
void or_into(Word* dst, const Word* src, std::size_t n);
void and_not_into(Word* dst, const Word* src, std::size_t n);

// Posting operations over a partition; `buf` is indexed by global word.
inline void or_postings(const Postings& p, const Partition& part, Word* buf) {
  if (p.dense()) {
    or_into(buf + part.word_begin(), p.bits.data(), p.bits.size());
  } else {
    for (std::uint32_t r : p.rows) detail::set_bit(buf, r);
  }
}
inline std::uint64_t count_postings(const Postings& p, const Partition& part, const Word* mask) {
  if (p.count == 0) return 0;
  if (p.dense()) return count_and(mask + part.word_begin(), p.bits.data(), p.bits.size());
  std::uint64_t c = 0;
  for (std::uint32_t r : p.rows) c += detail::test_bit(mask, r);
  return c;
}
inline const Postings* find_keyed(const std::vector<std::pair<std::uint32_t, Postings>>& v,
                                  std::uint32_t key) {
  const auto it = std::lower_bound(v.begin(), v.end(), key,
                                   [](const auto& e, std::uint32_t k) { return e.first < k; });
  return it != v.end() && it->first == key ? &it->second : nullptr;
}

// Keeps the rows of `buf` in [wb, we) for which pred(row) holds. Sparse words test row by
// row; dense words are evaluated branch-free.
template <class Pred>
void filter_rows(Word* buf, std::uint32_t wb, std::uint32_t we, Pred&& pred) {
  for (std::uint32_t w = wb; w < we; ++w) {
    const Word m = buf[w];
    if (m == 0) continue;
    Word keep = 0;
    const std::uint32_t base = w * 64;
    if (std::popcount(m) < 16) {
      for (Word b = m; b; b &= b - 1) {
        const int j = std::countr_zero(b);
        if (pred(base + j)) keep |= Word{1} << j;
      }
    } else {
      for (int j = 0; j < 64; ++j) keep |= Word{pred(base + j)} << j;
      keep &= m;
    }
    buf[w] = keep;
  }
}

template <class F>
void for_each_row(const Word* buf, std::uint32_t wb, std::uint32_t we, F&& f) {
  for (std::uint32_t w = wb; w < we; ++w) {
    for (Word b = buf[w]; b; b &= b - 1)
      f(static_cast<std::uint32_t>(w * 64 + std::countr_zero(b)));
  }
}

}  // namespace griha::search::detail
