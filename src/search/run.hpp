// One search's state across segments and partitions (Run), the per-thread bitsets it works in
// (Scratch), and the loop over a segment's partitions that every unit below plugs into:
// text_plan (which rows hold the words), filter_plan (the filters), facets, top_k, geo_filter.
// Internal to search/.
#pragma once

#include <cmath>
#include <optional>
#include <queue>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "search/geo.hpp"
#include "search/index.hpp"
#include "search/kernels.hpp"
#include "search/segment.hpp"

namespace griha::search {

struct Index::Snapshot {
  std::shared_ptr<const detail::Segment> base;
  std::shared_ptr<const std::vector<detail::Word>> dead;  // base rows replaced or removed since
  std::shared_ptr<const detail::Segment> delta;
};

namespace detail {

inline std::uint64_t inverted(std::uint64_t v) {
  return ~v;
}
inline std::uint64_t non_negative(std::int64_t v) {
  return static_cast<std::uint64_t>(std::max<std::int64_t>(0, v));
}

// How many values facet f reports (its enum's values, BHK 0..5+, or the price buckets).
inline std::size_t facet_values(Facet f, const IndexOptions& opt) {
  switch (f) {
    case Facet::bhk:
      return k_bhk_count;
    case Facet::property_type:
      return k_property_type_count;
    case Facet::furnishing:
      return k_furnishing_count;
    case Facet::posted_by:
      return k_posted_by_count;
    case Facet::price:
      return opt.price_buckets.size();
    case Facet::locality:
      break;
  }
  return 0;
}

// Facet groups: a filter in group g is ignored when counting facet g.
inline constexpr int k_groups = k_facet_count;
inline int group_of(Facet f) {
  return static_cast<int>(f);
}

struct Variant {
  std::size_t term;
  double weight;  // idf x match quality
};

struct TextPlan {
  std::vector<std::string> tokens;
  std::vector<std::vector<Variant>> variants;  // per token, this segment's terms
  // The listing whose RERA number the whole query is matches too, whatever its words.
  std::optional<Variant> rera;
};

// One search's state across segments and partitions.
struct Run {
  Run(const Query& query, const IndexOptions& options) : q(query), opt(options) {}
  const Query& q;
  const IndexOptions& opt;
  bool featured_tier = false;
  bool ordered = false;  // the sort is row order: newest first
  bool has_text = false;
  std::vector<std::string> tokens;
  std::string rera;  // rera_term of the query
  std::optional<LatLng> point;
  double point_cos_lat = 1;
  std::optional<BBox> geo_box;  // prunes partitions and pre-checks rows
  // A small circle away from the poles is decided on a flat map (metres per degree at its
  // centre) for all but a thin ring around its edge, which takes the exact haversine.
  bool flat_circle = false;
  double m_per_deg_lat = 0, m_per_deg_lng = 0, flat_inside2 = 0, flat_outside2 = 0;
  std::int64_t posted_since = 0;
  bool group_active[k_groups] = {};
  bool facet_wanted[k_groups] = {};
  std::size_t k = 0;
  std::optional<SortKey> after;
  double total_docs = 0;

  // Results.
  std::uint64_t total = 0;
  std::vector<std::uint32_t> facet_counts[k_groups];
  std::unordered_map<std::uint32_t, std::uint32_t> locality_counts;
  struct Candidate {
    SortKey key;
    const Segment* seg;
    std::uint32_t row;
    double distance;
    double score;
    bool operator<(const Candidate& o) const { return key < o.key; }
  };
  std::priority_queue<Candidate> heap;  // the k smallest keys; the largest on top
};

// Per-thread buffers, one bit per row of the largest segment seen.
struct Scratch {
  std::vector<Word> other, match, facet, tmp, featured, text, token, geo;
  std::vector<Word> group[k_groups];
  std::vector<float> score, best;
  std::vector<std::uint32_t> slot_counts;
  struct Cell {
    double order;  // squared flat distance of the cell's nearest point, in degrees
    std::uint32_t index;
    LatLng near;
  };
  std::vector<Cell> cells;
  void fit(std::size_t words) {
    for (auto* v : {&other, &match, &facet, &tmp, &featured, &text, &token, &geo}) {
      if (v->size() < words) v->assign(words, 0);
    }
    for (auto& g : group) {
      if (g.size() < words) g.assign(words, 0);
    }
  }
  void fit_scores(std::size_t rows) {
    if (score.size() < rows) {
      score.assign(rows, 0);
      best.assign(rows, 0);
    }
  }
};
// This thread's buffers.
Scratch& thread_scratch();

Run make_run(const Query& q, const IndexOptions& opt, const Index::Snapshot& snap);

// text_plan.cpp
TextPlan plan_text(const Run& run, const Segment& seg, std::span<const Segment* const> all);
bool text_partition(const TextPlan& plan, const Segment& s, std::uint32_t pi, const Partition& p,
                    Scratch& sc);
void score_partition(const TextPlan& plan, const Segment& s, std::uint32_t pi, const Partition& p,
                     Scratch& sc);
// filter_plan.cpp
bool filter_partition(Run& run, const Segment& s, const Word* dead, const Partition& p,
                      Scratch& sc);

// Calls on_match(partition) for each partition with rows matching; sc.match holds them.
template <class OnMatch>
void run_segment(Run& run, const Segment& s, const Word* dead, std::span<const Segment* const> all,
                 Scratch& sc, OnMatch&& on_match) {
  sc.fit(s.words());
  TextPlan plan;
  if (run.has_text) plan = plan_text(run, s, all);
  const bool scored = run.has_text && run.q.sort == Sort::relevance;
  for (std::uint32_t pi = 0; pi < s.partitions.size(); ++pi) {
    const Partition& p = s.partitions[pi];
    if (run.q.city_id && p.city_id != *run.q.city_id) continue;
    if (run.geo_box && (p.max_lat < run.geo_box->min_lat || p.min_lat > run.geo_box->max_lat ||
                        p.max_lng < run.geo_box->min_lng || p.min_lng > run.geo_box->max_lng)) {
      continue;
    }
    if (run.has_text && !text_partition(plan, s, pi, p, sc)) continue;
    if (!filter_partition(run, s, dead, p, sc)) continue;
    const std::uint32_t wb = p.word_begin(), we = p.word_end(), n = we - wb;
    std::copy(sc.other.begin() + wb, sc.other.begin() + we, sc.match.begin() + wb);
    for (int g = 0; g < k_groups; ++g) {
      if (run.group_active[g] && run.facet_wanted[g])
        and_into(sc.match.data() + wb, sc.group[g].data() + wb, n);
    }
    if (scored) score_partition(plan, s, pi, p, sc);
    on_match(p);
  }
}

// Calls on_match(segment, partition) for each partition of the snapshot (its base without the
// dead rows, then its delta) with rows matching; sc.match holds them.
template <class OnMatch>
void run_snapshot(Run& run, const Index::Snapshot& snap, Scratch& sc, OnMatch&& on_match) {
  const Segment* segs[] = {snap.base.get(), snap.delta.get()};
  const Word* deads[] = {snap.dead->data(), nullptr};
  for (int i = 0; i < 2; ++i) {
    const Segment& s = *segs[i];
    run_segment(run, s, deads[i], segs, sc, [&](const Partition& p) { on_match(s, p); });
  }
}

}  // namespace detail
}  // namespace griha::search
