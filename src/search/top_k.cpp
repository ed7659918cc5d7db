#include "search/top_k.hpp"

namespace griha::search::detail {

void collect_ordered(Run& run, const Segment& s, const Partition& p, Scratch& sc) {
  const std::uint32_t wb = p.word_begin(), we = p.word_end();
  Word* feat = sc.featured.data();
  if (run.featured_tier) {
    std::fill(feat + wb, feat + we, 0);
    or_postings(p.attrs[detail::attr_flag][detail::flag_featured], p, feat);
  }
  for (std::uint8_t tier = run.featured_tier ? 0 : 1; tier <= 1; ++tier) {
    if (run.after && tier < run.after->tier) continue;
    std::uint32_t start = p.begin;
    if (run.after && tier == run.after->tier) {
      const SortKey a = *run.after;
      std::uint32_t lo = p.begin, hi = p.end;
      while (lo < hi) {
        const std::uint32_t mid = lo + (hi - lo) / 2;
        const SortKey k{a.tier, inverted(non_negative(s.posted_at[mid])), s.id[mid]};
        if (k <= a)
          lo = mid + 1;
        else
          hi = mid;
      }
      start = lo;
    }
    for (std::uint32_t w = start / 64; w < we; ++w) {
      Word bits = sc.match[w];
      if (run.featured_tier) bits &= tier == 0 ? feat[w] : ~feat[w];
      if (w == start / 64) bits &= ~Word{0} << (start % 64);
      bool full = false;
      for (; bits; bits &= bits - 1) {
        const auto r = static_cast<std::uint32_t>(w * 64 + std::countr_zero(bits));
        const SortKey k = key_of(run, s, r, -1, 0);
        if (run.heap.size() >= run.k && !(k < run.heap.top().key)) {
          full = true;
          break;
        }
        push(run, {k, &s, r, -1, 0});
      }
      if (full) break;
    }
  }
}

}  // namespace griha::search::detail
