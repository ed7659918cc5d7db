// The filters of a query over one partition: postings ORed per "any of" list and ANDed,
// ranges and columns tested on the rows still in play, the shape on the geo grid, and each
// facet's group kept apart so that a facet can ignore its own filter.
#include "search/geo_filter.hpp"
#include "search/run.hpp"

namespace griha::search::detail {

// Computes, for one partition, the rows matching everything but the facet groups (`other`)
// and each active group's rows (`group[g]`). Returns false when nothing can match.
bool filter_partition(Run& run, const Segment& s, const Word* dead, const Partition& p,
                      Scratch& sc) {
  const Query& q = run.q;
  const std::uint32_t wb = p.word_begin(), we = p.word_end(), n = we - wb;
  Word* o = sc.other.data();
  std::copy(s.valid.begin() + wb, s.valid.begin() + we, o + wb);
  if (dead) and_not_into(o + wb, dead + wb, n);
  if (q.posted_within_days) {
    // Rows are newest first: listings posted since the cut-off are a prefix.
    const auto first = s.posted_at.begin() + p.begin;
    const auto cut = std::partition_point(first, s.posted_at.begin() + p.end,
                                          [&](std::int64_t t) { return t >= run.posted_since; });
    const std::uint32_t end = static_cast<std::uint32_t>(cut - s.posted_at.begin());
    for (std::uint32_t w = end / 64; w < we; ++w) {
      const std::uint32_t lo = w * 64;
      o[w] &= end <= lo ? 0 : (Word{1} << (end - lo)) - 1;
    }
  }
  if (run.has_text) and_into(o + wb, sc.text.data() + wb, n);

  Word* tmp = sc.tmp.data();
  auto and_any_of = [&](Word* dst, const std::vector<Postings>& values, auto&& chosen) {
    std::fill(tmp + wb, tmp + we, 0);
    for (std::size_t v = 0; v < values.size(); ++v) {
      if (chosen(v)) or_postings(values[v], p, tmp);
    }
    and_into(dst + wb, tmp + wb, n);
  };
  auto in = [](const auto& set, auto v) {
    return std::find(set.begin(), set.end(), v) != set.end();
  };
  const auto& attrs = p.attrs;
  if (!q.transactions.empty()) {
    and_any_of(o, attrs[detail::attr_transaction],
               [&](std::size_t v) { return in(q.transactions, static_cast<Transaction>(v)); });
  }
  if (!q.facing.empty()) {
    and_any_of(o, attrs[detail::attr_facing],
               [&](std::size_t v) { return in(q.facing, static_cast<Facing>(v)); });
  }
  if (q.tenant_preference) {
    and_any_of(o, attrs[detail::attr_tenant], [&](std::size_t v) {
      const auto t = static_cast<TenantPreference>(v);
      return t == *q.tenant_preference || t == TenantPreference::any;
    });
  }
  const std::pair<bool, detail::FlagBit> flag_filters[] = {
      {q.verified_only, detail::flag_verified},
      {q.with_photos_only, detail::flag_has_photos},
      {q.pets_allowed_only, detail::flag_pets},
      {q.rera_only, detail::flag_rera},
      {q.ready_to_move, detail::flag_ready}};
  for (auto [on, bit] : flag_filters) {
    if (on) and_any_of(o, attrs[detail::attr_flag], [&](std::size_t v) { return v == bit; });
  }
  for (std::uint64_t m = q.amenities_all; m; m &= m - 1) {
    const int a = std::countr_zero(m);
    and_any_of(o, attrs[detail::attr_amenity], [&](std::size_t v) { return v == std::size_t(a); });
  }
  if (q.project_id) {
    std::fill(tmp + wb, tmp + we, 0);
    if (const Postings* pp = find_keyed(p.projects, *q.project_id)) or_postings(*pp, p, tmp);
    and_into(o + wb, tmp + wb, n);
  }
  if (count(o + wb, n) == 0) return false;

  if (run.geo_box) {
    // Visit the grid cells under the query's box (one extra ring: a row's cell was computed
    // from a float), keeping rows in play that pass the exact shape test.
    Word* geo = sc.geo.data();
    std::fill(geo + wb, geo + we, 0);
    for_each_cell(run, p, [&](std::size_t c) {
      const bool whole = cell_inside(run, static_cast<std::uint32_t>(p.cell_keys[c] >> 32),
                                     static_cast<std::uint32_t>(p.cell_keys[c]));
      const std::uint32_t from = p.cell_start[c], to = p.cell_start[c + 1];
      if (whole) {
        for (std::uint32_t i = from; i < to; ++i) detail::set_bit(geo, p.geo_rows[i]);
      } else {
        for (std::uint32_t i = from; i < to; ++i) {
          if (in_shape(run, p.geo_lat[i], p.geo_lng[i])) detail::set_bit(geo, p.geo_rows[i]);
        }
      }
    });
    and_into(o + wb, geo + wb, n);
  }

  // Column predicates, on the rows still in play.
  // A listing without the value (area or price per sq ft 0, no floor, no bathrooms) never
  // passes a range on it.
  const bool area_on = q.area_sqft.active(), ppsf_on = q.price_per_sqft.active(),
             floor_on = q.floor.active();
  const bool rows_needed =
      area_on || ppsf_on || floor_on || q.bathrooms_min || q.possession_by_days;
  if (rows_needed) {
    filter_rows(o, wb, we, [&](std::uint32_t r) {
      bool ok = true;
      if (area_on) ok &= (s.area[r] != 0) & q.area_sqft.contains(s.area[r]);
      if (ppsf_on) ok &= (s.ppsf[r] != 0) & q.price_per_sqft.contains(s.ppsf[r]);
      if (floor_on) ok &= (s.floor[r] != k_no_floor) & q.floor.contains(s.floor[r]);
      if (q.bathrooms_min) {
        ok &= (s.bathrooms[r] != detail::k_no_bathrooms) & (s.bathrooms[r] >= *q.bathrooms_min);
      }
      if (q.possession_by_days) {
        ok &= ((s.flags[r] >> detail::flag_ready) & 1) || s.possession[r] <= *q.possession_by_days;
      }
      return ok;
    });
  }

  // Facet groups: kept apart only when their facet is wanted, else folded into `other`.
  auto group_buf = [&](int g) {
    Word* dst = run.facet_wanted[g] ? sc.group[g].data() : o;
    if (dst != o) std::copy(s.valid.begin() + wb, s.valid.begin() + we, dst + wb);
    return dst;
  };
  if (!q.bhk.empty()) {
    and_any_of(group_buf(group_of(Facet::bhk)), attrs[detail::attr_bhk],
               [&](std::size_t v) { return in(q.bhk, static_cast<std::uint8_t>(v)); });
  }
  if (!q.property_types.empty()) {
    and_any_of(group_buf(group_of(Facet::property_type)), attrs[detail::attr_property_type],
               [&](std::size_t v) { return in(q.property_types, static_cast<PropertyType>(v)); });
  }
  if (!q.furnishing.empty()) {
    and_any_of(group_buf(group_of(Facet::furnishing)), attrs[detail::attr_furnishing],
               [&](std::size_t v) { return in(q.furnishing, static_cast<Furnishing>(v)); });
  }
  if (!q.posted_by.empty()) {
    and_any_of(group_buf(group_of(Facet::posted_by)), attrs[detail::attr_posted_by],
               [&](std::size_t v) { return in(q.posted_by, static_cast<PostedBy>(v)); });
  }
  if (!q.locality_ids.empty()) {
    Word* dst = group_buf(group_of(Facet::locality));
    std::fill(tmp + wb, tmp + we, 0);
    for (std::uint32_t id : q.locality_ids) {
      if (const Postings* lp = find_keyed(p.localities, id)) or_postings(*lp, p, tmp);
    }
    and_into(dst + wb, tmp + wb, n);
  }
  if (q.price.active()) {
    // The range is a run of the partition's rows by price: whole bands inside it are ORed
    // from their postings, the ends of the run are set row by row.
    Word* dst = group_buf(group_of(Facet::price));
    std::fill(tmp + wb, tmp + we, 0);
    const auto& order = p.price_order;
    auto first_at_least = [&](std::int64_t v) {
      return static_cast<std::uint32_t>(
          std::partition_point(order.begin(), order.end(),
                               [&](std::uint32_t r) { return s.price[r] < v; }) -
          order.begin());
    };
    const std::uint32_t a = q.price.min ? first_at_least(*q.price.min) : 0;
    const std::uint32_t b = q.price.max && *q.price.max < INT64_MAX
                                ? first_at_least(*q.price.max + 1)
                                : static_cast<std::uint32_t>(order.size());
    const auto& starts = p.fine_price_start;
    auto set_run = [&](std::uint32_t from, std::uint32_t to) {
      for (std::uint32_t i = from; i < to; ++i) detail::set_bit(tmp, order[i]);
    };
    // First band starting at or after a, and the last band ending at or before b.
    const std::size_t first_band = static_cast<std::size_t>(
        std::lower_bound(starts.begin(), starts.end(), a) - starts.begin());
    std::size_t end_band = static_cast<std::size_t>(
        std::upper_bound(starts.begin(), starts.end(), b) - starts.begin());
    end_band = end_band == 0 ? 0 : end_band - 1;  // bands [first_band, end_band) are inside
    if (a < b) {
      if (first_band < end_band && first_band < p.fine_price_bands.size()) {
        set_run(a, starts[first_band]);
        for (std::size_t k = first_band; k < end_band; ++k)
          or_postings(p.fine_price_bands[k], p, tmp);
        set_run(starts[end_band], b);
      } else {
        set_run(a, b);
      }
    }
    and_into(dst + wb, tmp + wb, n);
  }
  return true;
}

}  // namespace griha::search::detail
