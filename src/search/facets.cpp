#include "search/facets.hpp"

#include <algorithm>

namespace griha::search::detail {

void collect_facets(Run& run, const Segment& s, const Partition& p, Scratch& sc) {
  const std::uint32_t wb = p.word_begin(), we = p.word_end(), n = we - wb;
  for (int g = 0; g < k_groups; ++g) {
    if (!run.facet_wanted[g]) continue;
    const Word* mask = sc.match.data();
    if (run.group_active[g]) {
      Word* f = sc.facet.data();
      std::copy(sc.other.begin() + wb, sc.other.begin() + we, f + wb);
      for (int h = 0; h < k_groups; ++h) {
        if (h != g && run.group_active[h] && run.facet_wanted[h])
          and_into(f + wb, sc.group[h].data() + wb, n);
      }
      mask = f;
    }
    const auto facet = static_cast<Facet>(g);
    const std::vector<Postings>* values = nullptr;
    const std::uint8_t* column = nullptr;
    switch (facet) {
      case Facet::bhk:
        values = &p.attrs[detail::attr_bhk];
        column = s.enums[detail::attr_bhk].data();
        break;
      case Facet::property_type:
        values = &p.attrs[detail::attr_property_type];
        column = s.enums[detail::attr_property_type].data();
        break;
      case Facet::furnishing:
        values = &p.attrs[detail::attr_furnishing];
        column = s.enums[detail::attr_furnishing].data();
        break;
      case Facet::posted_by:
        values = &p.attrs[detail::attr_posted_by];
        column = s.enums[detail::attr_posted_by].data();
        break;
      case Facet::price:
        values = &p.attrs[detail::attr_price_band];
        break;
      case Facet::locality:
        break;
    }
    // Counting the rows themselves beats intersecting every value's postings with the
    // partition when the rows are few, as they are once a search is narrowed.
    std::uint64_t posting_cost = 0;
    auto cost_of = [&](const Postings& v) { posting_cost += v.dense() ? n : v.count; };
    if (values) {
      for (const auto& v : *values) cost_of(v);
    } else {
      for (const auto& [id, v] : p.localities) cost_of(v);
    }
    const bool by_row =
        (facet != Facet::locality || p.slots) && count(mask + wb, n) * 4 < posting_cost;
    auto& counts = run.facet_counts[g];
    if (values) counts.resize(std::max(counts.size(), values->size()), 0);
    if (by_row) {
      if (column) {
        for_each_row(mask, wb, we, [&](std::uint32_t r) { ++counts[column[r]]; });
      } else if (facet == Facet::price) {
        const auto& buckets = run.opt.price_buckets;
        for_each_row(mask, wb, we,
                     [&](std::uint32_t r) { ++counts[detail::price_band(buckets, s.price[r])]; });
      } else {
        auto& slot_counts = sc.slot_counts;
        slot_counts.assign(p.localities.size(), 0);
        for_each_row(mask, wb, we, [&](std::uint32_t r) { ++slot_counts[s.locality_slot[r]]; });
        for (std::size_t i = 0; i < slot_counts.size(); ++i) {
          if (slot_counts[i]) run.locality_counts[p.localities[i].first] += slot_counts[i];
        }
      }
      continue;
    }
    if (values) {
      for (std::size_t v = 0; v < values->size(); ++v) {
        counts[v] += static_cast<std::uint32_t>(count_postings((*values)[v], p, mask));
      }
    } else {
      for (const auto& [id, postings] : p.localities) {
        if (const auto c = count_postings(postings, p, mask)) {
          run.locality_counts[id] += static_cast<std::uint32_t>(c);
        }
      }
    }
  }
}

std::vector<FacetResult> facet_results(const Run& run) {
  std::vector<FacetResult> out;
  for (Facet f : run.q.facets) {
    FacetResult fr{f, {}};
    const int g = group_of(f);
    if (f == Facet::locality) {
      for (auto [id, c] : run.locality_counts) fr.counts.push_back({id, c});
      std::sort(fr.counts.begin(), fr.counts.end(), [](const FacetCount& a, const FacetCount& b) {
        return a.count != b.count ? a.count > b.count : a.value < b.value;
      });
      if (fr.counts.size() > static_cast<std::size_t>(run.q.locality_top_n))
        fr.counts.resize(run.q.locality_top_n);
    } else {
      // The enums' absent value, counted in the last slot, is not a value to report.
      const std::size_t values = std::min(run.facet_counts[g].size(), facet_values(f, run.opt));
      for (std::size_t v = 0; v < values; ++v) {
        if (run.facet_counts[g][v])
          fr.counts.push_back({static_cast<std::int64_t>(v), run.facet_counts[g][v]});
      }
    }
    out.push_back(std::move(fr));
  }
  return out;
}

}  // namespace griha::search::detail
