#include "search/kernels.hpp"

namespace griha::search::detail {

GRIHA_KERNEL std::uint64_t count_and(const Word* a, const Word* b, std::size_t n) {
  std::uint64_t c = 0;
  for (std::size_t i = 0; i < n; ++i) c += static_cast<std::uint64_t>(std::popcount(a[i] & b[i]));
  return c;
}
GRIHA_KERNEL std::uint64_t count(const Word* a, std::size_t n) {
  std::uint64_t c = 0;
  for (std::size_t i = 0; i < n; ++i) c += static_cast<std::uint64_t>(std::popcount(a[i]));
  return c;
}
GRIHA_KERNEL void and_into(Word* dst, const Word* src, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) dst[i] &= src[i];
}
GRIHA_KERNEL void or_into(Word* dst, const Word* src, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) dst[i] |= src[i];
}
GRIHA_KERNEL void and_not_into(Word* dst, const Word* src, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) dst[i] &= ~src[i];
}

}  // namespace griha::search::detail
