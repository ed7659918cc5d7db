// The page: each sort's key (SortKey, compared tier, key, id), the bounded heap of the k best,
// and the early-stopping scan when the sort is row order. Internal to search/.
#pragma once

#include "search/run.hpp"

namespace griha::search::detail {

inline SortKey key_of(const Run& run, const Segment& s, std::uint32_t r, double distance,
                      double score) {
  SortKey k;
  k.id = s.id[r];
  k.tier = run.featured_tier && ((s.flags[r] >> detail::flag_featured) & 1) ? 0 : 1;
  switch (run.q.sort) {
    case Sort::relevance:
      k.key = run.has_text ? inverted(std::bit_cast<std::uint64_t>(score))
                           : inverted(non_negative(s.posted_at[r]));
      break;
    case Sort::newest:
      k.key = inverted(non_negative(s.posted_at[r]));
      break;
    case Sort::price_asc:
      k.key = non_negative(s.price[r]);
      break;
    case Sort::price_desc:
      k.key = inverted(non_negative(s.price[r]));
      break;
    case Sort::price_per_sqft_asc:
      // Unknown (0) goes last in both directions.
      k.key = s.ppsf[r] == 0 ? ~std::uint64_t{0} : s.ppsf[r];
      break;
    case Sort::price_per_sqft_desc:
      k.key = inverted(s.ppsf[r]);
      break;
    case Sort::area_asc:
      k.key = s.area[r] == 0 ? ~std::uint64_t{0} : s.area[r];
      break;
    case Sort::area_desc:
      k.key = inverted(s.area[r]);
      break;
    case Sort::distance:
      k.key = std::bit_cast<std::uint64_t>(distance);
      break;
  }
  return k;
}

inline void push(Run& run, Run::Candidate c) {
  if (run.heap.size() < run.k) {
    run.heap.push(c);
  } else if (c.key < run.heap.top().key) {
    run.heap.pop();
    run.heap.push(c);
  }
}

// Top k of one partition when the sort is row order (per featured tier): scan from the cursor
// and stop as soon as the page is full.
void collect_ordered(Run& run, const Segment& s, const Partition& p, Scratch& sc);

}  // namespace griha::search::detail
