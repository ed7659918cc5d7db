// A search: the run's plan (make_run), each segment's partitions through text, filters, facets
// and the top k, and the page with its cursor. The units live in kernels, text_plan,
// filter_plan, facets, top_k, geo_filter, map and snapshot.
#include "search/index.hpp"

#include <algorithm>
#include <cmath>

#include "search/facets.hpp"
#include "search/geo_filter.hpp"
#include "search/run.hpp"
#include "search/text.hpp"
#include "search/top_k.hpp"

namespace griha::search {
namespace detail {

Scratch& thread_scratch() {
  thread_local Scratch scratch;
  return scratch;
}

Run make_run(const Query& q, const IndexOptions& opt, const Index::Snapshot& snap) {
  Run run(q, opt);
  run.featured_tier = (opt.featured_first_sorts >> static_cast<int>(q.sort)) & 1;
  run.tokens = tokenize(q.text);
  run.rera = rera_term(q.text);
  run.has_text = !run.tokens.empty();
  run.ordered = q.sort == Sort::newest || (q.sort == Sort::relevance && !run.has_text);
  if (q.circle)
    run.point = q.circle->center;
  else if (q.origin)
    run.point = q.origin;
  if (run.point) run.point_cos_lat = std::cos(run.point->lat * k_deg_to_rad);
  if (q.circle) {
    run.geo_box = bounds_of(*q.circle);
    // Within 10 km and 60 degrees of latitude the flat distance is off by well under 0.5%
    // (the cosine of latitude changes little across the circle); a 1% ring leaves margin.
    const double r = q.circle->radius_m;
    if (r <= 10'000 && std::abs(q.circle->center.lat) <= 60) {
      run.flat_circle = true;
      run.m_per_deg_lat = k_earth_radius_m * k_deg_to_rad;
      run.m_per_deg_lng = run.m_per_deg_lat * std::cos(q.circle->center.lat * k_deg_to_rad);
      run.flat_inside2 = (r * 0.99) * (r * 0.99);
      run.flat_outside2 = (r * 1.01) * (r * 1.01);
    }
  }
  if (!q.polygon.empty()) {
    const BBox pb = bounds_of(q.polygon);
    run.geo_box = run.geo_box ? BBox{std::max(pb.min_lat, run.geo_box->min_lat),
                                     std::max(pb.min_lng, run.geo_box->min_lng),
                                     std::min(pb.max_lat, run.geo_box->max_lat),
                                     std::min(pb.max_lng, run.geo_box->max_lng)}
                              : pb;
  }
  if (q.bbox) {
    const BBox& b = *q.bbox;
    run.geo_box = run.geo_box ? BBox{std::max(b.min_lat, run.geo_box->min_lat),
                                     std::max(b.min_lng, run.geo_box->min_lng),
                                     std::min(b.max_lat, run.geo_box->max_lat),
                                     std::min(b.max_lng, run.geo_box->max_lng)}
                              : b;
  }
  if (q.posted_within_days) run.posted_since = q.now - std::int64_t{*q.posted_within_days} * 86400;
  run.group_active[group_of(Facet::bhk)] = !q.bhk.empty();
  run.group_active[group_of(Facet::property_type)] = !q.property_types.empty();
  run.group_active[group_of(Facet::furnishing)] = !q.furnishing.empty();
  run.group_active[group_of(Facet::posted_by)] = !q.posted_by.empty();
  run.group_active[group_of(Facet::locality)] = !q.locality_ids.empty();
  run.group_active[group_of(Facet::price)] = q.price.active();
  for (Facet f : q.facets) run.facet_wanted[group_of(f)] = true;
  run.k = static_cast<std::size_t>(q.page_size) + 1;
  if (q.cursor) run.after = q.cursor->after;
  run.total_docs = static_cast<double>(snap.base->live_count() + snap.delta->live_count());
  return run;
}

}  // namespace detail

using detail::Partition;
using detail::Postings;
using detail::Run;
using detail::Scratch;
using detail::Segment;
using detail::Word;

Result<SearchResult> Index::search(const Query& q) const {
  using namespace detail;
  if (auto v = validate(q); !v) return v.error();
  const auto snap = snapshot();
  Run run = make_run(q, options_, *snap);
  Scratch& sc = thread_scratch();
  run_snapshot(run, *snap, sc, [&](const Segment& s, const Partition& p) {
    const std::uint32_t wb = p.word_begin(), we = p.word_end();
    run.total += count(sc.match.data() + wb, we - wb);
    collect_facets(run, s, p, sc);
    if (run.ordered) {
      collect_ordered(run, s, p, sc);
      return;
    }
    auto consider = [&](std::uint32_t r, float lat, float lng) {
      if (q.sort == Sort::distance && run.heap.size() >= run.k &&
          surely_farther(*run.point, run.point_cos_lat, lat, lng, run.heap.top().distance)) {
        return;
      }
      const double d = run.point ? distance_m(run.point->lat, run.point->lng, lat, lng) : -1;
      // Farther than the page's last listing: out, without reading the row's other columns.
      if (q.sort == Sort::distance && !run.featured_tier && run.heap.size() >= run.k &&
          d > run.heap.top().distance) {
        return;
      }
      double score = 0;
      if (run.has_text && q.sort == Sort::relevance) {
        score = sc.score[r];
        if ((s.flags[r] >> detail::flag_featured) & 1) score *= options_.featured_text_boost;
      }
      const SortKey k = key_of(run, s, r, d, score);
      if (run.after && !(*run.after < k)) return;
      if (run.heap.size() >= run.k && !(k < run.heap.top().key)) return;
      push(run, {k, &s, r, d, score});
    };
    if (q.sort == Sort::distance && run.geo_box) {
      // By grid cell, whose rows' coordinates are stored together: the row-ordered
      // columns would cost a cache miss per listing.
      // Nearest cells first, so that the page fills with near listings early and whole
      // cells beyond its last one are skipped.
      const Word* match = sc.match.data();
      auto& cells = sc.cells;
      cells.clear();
      const LatLng& pt = *run.point;
      for_each_cell(run, p, [&](std::size_t c) {
        // The cell's point nearest to pt, the cell grown a little for float rounding.
        constexpr double margin = 1e-4;
        const double lat0 =
            static_cast<double>(p.cell_keys[c] >> 32) * detail::k_geo_cell_deg - 90.0 - margin;
        const double lng0 = static_cast<double>(static_cast<std::uint32_t>(p.cell_keys[c])) *
                                detail::k_geo_cell_deg -
                            180.0 - margin;
        const double span = detail::k_geo_cell_deg + 2 * margin;
        const LatLng near{std::clamp(pt.lat, lat0, lat0 + span),
                          std::clamp(pt.lng, lng0, lng0 + span)};
        const double dy = near.lat - pt.lat, dx = (near.lng - pt.lng) * run.point_cos_lat;
        cells.push_back({dx * dx + dy * dy, static_cast<std::uint32_t>(c), near});
      });
      std::sort(cells.begin(), cells.end(),
                [](const auto& a, const auto& b) { return a.order < b.order; });
      for (const auto& cell : cells) {
        if (run.heap.size() >= run.k && !run.featured_tier &&
            surely_farther(pt, run.point_cos_lat, cell.near.lat, cell.near.lng,
                           run.heap.top().distance)) {
          continue;
        }
        for (std::uint32_t i = p.cell_start[cell.index]; i < p.cell_start[cell.index + 1]; ++i) {
          const std::uint32_t r = p.geo_rows[i];
          if (detail::test_bit(match, r)) consider(r, p.geo_lat[i], p.geo_lng[i]);
        }
      }
    } else {
      for_each_row(sc.match.data(), wb, we,
                   [&](std::uint32_t r) { consider(r, s.lat[r], s.lng[r]); });
    }
  });

  SearchResult out;
  out.snapshot = snap;
  out.total = run.total;
  std::vector<Run::Candidate> page;
  while (!run.heap.empty()) {
    page.push_back(run.heap.top());
    run.heap.pop();
  }
  std::reverse(page.begin(), page.end());
  const bool more = page.size() > static_cast<std::size_t>(q.page_size);
  if (more) page.pop_back();
  for (const auto& c : page) {
    const Segment& s = *c.seg;
    const std::uint32_t r = c.row;
    const std::uint8_t bhk = s.enums[detail::attr_bhk][r];
    const std::uint8_t furnishing = s.enums[detail::attr_furnishing][r];
    Hit h;
    h.id = s.id[r];
    h.price = s.price[r];
    h.area_sqft = s.area[r];
    if (bhk != detail::k_no_bhk) h.bhk = bhk;
    h.featured = ((s.flags[r] >> detail::flag_featured) & 1) != 0;
    h.lat = s.lat[r];
    h.lng = s.lng[r];
    h.distance_m = c.distance;
    h.score = c.score;
    h.city_id = s.city_of(r);
    h.locality_id = s.locality[r];
    h.transaction = static_cast<Transaction>(s.enums[detail::attr_transaction][r]);
    h.property_type = static_cast<PropertyType>(s.enums[detail::attr_property_type][r]);
    h.posted_by = static_cast<PostedBy>(s.enums[detail::attr_posted_by][r]);
    if (furnishing != k_furnishing_count) h.furnishing = static_cast<Furnishing>(furnishing);
    h.verified = ((s.flags[r] >> detail::flag_verified) & 1) != 0;
    h.photo_count = s.photo_count[r];
    h.price_per_sqft = s.ppsf[r];
    h.title = s.title.at(r);
    h.cover_key = s.cover_key.at(r);
    if (run.point && h.distance_m < 0) {
      h.distance_m = distance_m(run.point->lat, run.point->lng, h.lat, h.lng);
    }
    out.hits.push_back(h);
  }
  if (more) out.next_cursor = cursors_.encode({q.sort, page.back().key, filters_hash(q)});

  out.facets = detail::facet_results(run);
  return out;
}

}  // namespace griha::search
