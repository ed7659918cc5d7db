#include "search/index.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <queue>
#include <unordered_map>

#include "search/geo.hpp"
#include "search/segment.hpp"
#include "search/text.hpp"

namespace griha::search {

using detail::Partition;
using detail::Postings;
using detail::Segment;
using detail::Word;

struct Index::Snapshot {
  std::shared_ptr<const Segment> base;
  std::shared_ptr<const std::vector<Word>> dead;  // base rows replaced or removed since
  std::shared_ptr<const Segment> delta;
};

namespace {

// Word kernels. Compiled twice, and picked at load time, so that a CPU with POPCNT and AVX2
// uses them while the binary still runs on baseline x86-64.
#if defined(__x86_64__) && defined(__GNUC__)
#define GRIHA_KERNEL __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define GRIHA_KERNEL
#endif

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

// Posting operations over a partition; `buf` is indexed by global word.
void or_postings(const Postings& p, const Partition& part, Word* buf) {
  if (p.dense()) {
    or_into(buf + part.word_begin(), p.bits.data(), p.bits.size());
  } else {
    for (std::uint32_t r : p.rows) detail::set_bit(buf, r);
  }
}
std::uint64_t count_postings(const Postings& p, const Partition& part, const Word* mask) {
  if (p.count == 0) return 0;
  if (p.dense()) return count_and(mask + part.word_begin(), p.bits.data(), p.bits.size());
  std::uint64_t c = 0;
  for (std::uint32_t r : p.rows) c += detail::test_bit(mask, r);
  return c;
}
const Postings* find_keyed(const std::vector<std::pair<std::uint32_t, Postings>>& v,
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

std::uint64_t inverted(std::uint64_t v) {
  return ~v;
}
std::uint64_t non_negative(std::int64_t v) {
  return static_cast<std::uint64_t>(std::max<std::int64_t>(0, v));
}

// Facet groups: a filter in group g is ignored when counting facet g.
constexpr int k_groups = k_facet_count;
int group_of(Facet f) {
  return static_cast<int>(f);
}

struct Variant {
  std::size_t term;
  double weight;  // idf x match quality
};

struct TextPlan {
  std::vector<std::string> tokens;
  std::vector<std::vector<Variant>> variants;  // per token, this segment's terms
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
thread_local Scratch t_scratch;

std::size_t term_lower_bound(const detail::TextIndex& t, std::string_view s) {
  std::size_t lo = 0, hi = t.size();
  while (lo < hi) {
    const std::size_t mid = (lo + hi) / 2;
    if (t.term(mid) < s)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}
std::uint32_t doc_freq(const detail::TextIndex& t, std::string_view s) {
  const std::size_t i = term_lower_bound(t, s);
  return i < t.size() && t.term(i) == s ? t.doc_freq[i] : 0;
}

// Which terms of `seg` each token matches. The last token is matched as a prefix, as the user
// may still be typing it; tokens of 5+ letters also match terms one edit away. Exact matches
// score highest, then prefixes, then typos.
TextPlan plan_text(const Run& run, const Segment& seg, std::span<const Segment* const> all) {
  TextPlan plan;
  const auto& t = seg.text;
  for (std::size_t i = 0; i < run.tokens.size(); ++i) {
    const std::string& tok = run.tokens[i];
    const bool last = i + 1 == run.tokens.size();
    std::vector<Variant> vs;
    auto add = [&](std::size_t term, double quality) {
      for (auto& v : vs) {
        if (v.term == term) return;
      }
      vs.push_back({term, quality});
    };
    std::size_t at = term_lower_bound(t, tok);
    if (at < t.size() && t.term(at) == tok) add(at, 1.0);
    if (last && tok.size() >= 2) {
      for (std::size_t j = at; j < t.size() && t.term(j).starts_with(tok); ++j) add(j, 0.8);
    }
    if (tok.size() >= k_typo_min_length) {
      // Candidates share the token or one of its one-byte deletions as a key; the edit test
      // then weeds out the other pairs (two deletions apart, or a hash collision).
      std::vector<std::size_t> typos;
      auto lookup = [&](std::uint64_t key) {
        auto it = std::lower_bound(t.deletions.begin(), t.deletions.end(),
                                   std::pair<std::uint64_t, std::uint32_t>{key, 0});
        for (; it != t.deletions.end() && it->first == key; ++it) typos.push_back(it->second);
      };
      const std::string_view v = tok;
      lookup(detail::text_key_hash(v));
      for (std::size_t j = 0; j < v.size(); ++j)
        lookup(detail::text_key_hash(v.substr(0, j), v.substr(j + 1)));
      // Ascending term order, as the dictionary scan this replaces produced them.
      std::sort(typos.begin(), typos.end());
      typos.erase(std::unique(typos.begin(), typos.end()), typos.end());
      for (std::size_t j : typos) {
        if (within_one_edit(t.term(j), tok)) add(j, 0.6);
      }
    }
    // One idf per token, from all the terms it matched: how rare is what the user typed. A
    // per-variant idf would rank a rare prefix completion above the exact word. A listing may
    // hold several of the variants, so the summed frequency can exceed the listing count;
    // capped, or the idf would turn negative and rank the best matches last.
    double df = 0;
    for (const auto& v : vs) {
      for (const Segment* other : all) df += doc_freq(other->text, t.term(v.term));
    }
    df = std::min(df, run.total_docs);
    const double idf = std::log(1.0 + (run.total_docs - df + 0.5) / (df + 0.5));
    for (auto& v : vs) v.weight *= idf;
    plan.variants.push_back(std::move(vs));
  }
  return plan;
}

SortKey key_of(const Run& run, const Segment& s, std::uint32_t r, double distance, double score) {
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
      k.key = s.ppsf[r];
      break;
    case Sort::price_per_sqft_desc:
      k.key = inverted(s.ppsf[r]);
      break;
    case Sort::area_asc:
      k.key = s.area[r];
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

bool in_shape(const Run& run, double lat, double lng) {
  const Query& q = run.q;
  if (!run.geo_box->contains(lat, lng)) return false;
  if (q.bbox && !q.bbox->contains(lat, lng)) return false;
  if (!q.polygon.empty() && !polygon_contains(q.polygon, lat, lng)) return false;
  if (!q.circle) return true;
  if (run.flat_circle) {
    const double y = (lat - q.circle->center.lat) * run.m_per_deg_lat;
    const double x = (lng - q.circle->center.lng) * run.m_per_deg_lng;
    const double d2 = x * x + y * y;
    if (d2 < run.flat_inside2) return true;
    if (d2 > run.flat_outside2) return false;
  }
  return distance_m(q.circle->center.lat, q.circle->center.lng, lat, lng) <= q.circle->radius_m;
}

// True when a grid cell, grown by a margin for float rounding, lies inside the query's circle
// or box (and there is no polygon), so its rows need no test of their own.
bool cell_inside(const Run& run, std::uint32_t cell_lat, std::uint32_t cell_lng) {
  const Query& q = run.q;
  if (!q.polygon.empty() || (!q.circle && !q.bbox)) return false;
  constexpr double margin = 1e-4;
  const double lat0 = cell_lat * detail::k_geo_cell_deg - 90.0 - margin;
  const double lng0 = cell_lng * detail::k_geo_cell_deg - 180.0 - margin;
  const double lat1 = lat0 + detail::k_geo_cell_deg + 2 * margin;
  const double lng1 = lng0 + detail::k_geo_cell_deg + 2 * margin;
  if (q.bbox && !(q.bbox->contains(lat0, lng0) && q.bbox->contains(lat1, lng1))) return false;
  if (q.circle) {
    // A circle this small is convex on the grid: its corners inside means all of it is. The
    // 0.999 keeps rounding on the safe side.
    const LatLng& c = q.circle->center;
    const double r = q.circle->radius_m * 0.999;
    for (double la : {lat0, lat1}) {
      for (double ln : {lng0, lng1}) {
        if (distance_m(c.lat, c.lng, la, ln) > r) return false;
      }
    }
  }
  return true;
}

// Calls f(cell index) for the partition's grid cells under the query's box, with one extra
// ring: a row's cell was computed from a float.
template <class F>
void for_each_cell(const Run& run, const Partition& p, F&& f) {
  const BBox& b = *run.geo_box;
  const std::uint32_t la0 = detail::geo_cell_lat(b.min_lat),
                      la1 = detail::geo_cell_lat(b.max_lat) + 1;
  const std::uint32_t ln0 = detail::geo_cell_lng(b.min_lng),
                      ln1 = detail::geo_cell_lng(b.max_lng) + 1;
  for (std::uint32_t la = la0 == 0 ? 0 : la0 - 1; la <= la1; ++la) {
    auto it = std::lower_bound(p.cell_keys.begin(), p.cell_keys.end(),
                               detail::geo_cell(la, ln0 == 0 ? 0 : ln0 - 1));
    for (; it != p.cell_keys.end() && *it <= detail::geo_cell(la, ln1); ++it) {
      f(static_cast<std::size_t>(it - p.cell_keys.begin()));
    }
  }
}

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
  const bool rows_needed = q.area_sqft.active() || q.price_per_sqft.active() || q.floor.active() ||
                           q.bathrooms_min || q.possession_by_days;
  if (rows_needed) {
    filter_rows(o, wb, we, [&](std::uint32_t r) {
      bool ok = q.area_sqft.contains(s.area[r]) & q.price_per_sqft.contains(s.ppsf[r]) &
                q.floor.contains(s.floor[r]);
      if (q.bathrooms_min) ok &= s.bathrooms[r] >= *q.bathrooms_min;
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

// A cheap flat-earth distance, trusted only nearby and with a wide margin, saves computing the
// exact distance of listings that cannot make the page.
bool surely_farther(const LatLng& p, double cos_lat, double lat, double lng, double than_m) {
  const double dlat = lat - p.lat, dlng = lng - p.lng;
  if (std::abs(dlat) > 1 || std::abs(dlng) > 1 || std::abs(p.lat) > 60) return false;
  const double x = dlng * k_deg_to_rad * cos_lat;
  const double y = dlat * k_deg_to_rad;
  return k_earth_radius_m * std::sqrt(x * x + y * y) * 0.95 > than_m;
}

void push(Run& run, Run::Candidate c) {
  if (run.heap.size() < run.k) {
    run.heap.push(c);
  } else if (c.key < run.heap.top().key) {
    run.heap.pop();
    run.heap.push(c);
  }
}

// Top k of one partition when the sort is row order (per featured tier): scan from the cursor
// and stop as soon as the page is full.
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

// The rows of partition `pi` holding every token (any of its variants), into sc.text.
// Returns false when there are none.
GRIHA_KERNEL bool text_partition(const TextPlan& plan, const Segment& s, std::uint32_t pi,
                                 const Partition& p, Scratch& sc) {
  const std::uint32_t wb = p.word_begin(), we = p.word_end(), n = we - wb;
  Word* text = sc.text.data();
  Word* token = sc.token.data();
  std::fill(text + wb, text + we, ~Word{0});
  for (const auto& vs : plan.variants) {
    std::fill(token + wb, token + we, 0);
    bool any = false;
    for (const Variant& v : vs) {
      const detail::TextBlock* b = s.text.block(v.term, pi);
      if (!b) continue;
      any = true;
      if (b->dense()) {
        or_into(token + wb, s.text.dense_bits.data() + b->bits, n);
      } else {
        s.text.for_each_posting(*b, p.begin,
                                [&](std::uint32_t r, std::uint8_t) { detail::set_bit(token, r); });
      }
    }
    if (!any) return false;
    and_into(text + wb, token + wb, n);
  }
  return true;
}

// Relevance of the partition's matching rows (sc.match), into sc.score: per token the
// best-matching variant's saturated, field-weighted frequency times its idf (BM25 without
// length normalisation: listings are short and alike). Only the rows that passed every filter
// are scored.
GRIHA_KERNEL void score_partition(const TextPlan& plan, const Segment& s, std::uint32_t pi,
                                  const Partition& p, Scratch& sc) {
  const std::uint32_t wb = p.word_begin(), we = p.word_end();
  const Word* match = sc.match.data();
  sc.fit_scores(s.rows());
  constexpr double k1 = 1.2;
  for_each_row(match, wb, we, [&](std::uint32_t r) { sc.score[r] = 0; });
  for (const auto& vs : plan.variants) {
    for_each_row(match, wb, we, [&](std::uint32_t r) { sc.best[r] = 0; });
    for (const Variant& v : vs) {
      const detail::TextBlock* b = s.text.block(v.term, pi);
      if (!b) continue;
      auto score = [&](std::uint32_t r, std::uint8_t w) {
        const float sc_v = static_cast<float>(v.weight * (w * (k1 + 1)) / (w + k1));
        sc.best[r] = std::max(sc.best[r], sc_v);
      };
      if (b->dense()) {
        // A dense block's weights are in row order: a row's is at its rank in the bitset.
        const Word* bits = s.text.dense_bits.data() + b->bits;
        const std::uint8_t* weights = s.text.bytes.data() + b->bytes;
        std::uint32_t rank = 0;
        for (std::uint32_t i = 0; i < we - wb; ++i) {
          const Word m = bits[i];
          for (Word hit = m & match[wb + i]; hit; hit &= hit - 1) {
            const int j = std::countr_zero(hit);
            const auto below = static_cast<std::uint32_t>(std::popcount(m & ((Word{1} << j) - 1)));
            score((wb + i) * 64 + static_cast<std::uint32_t>(j), weights[rank + below]);
          }
          rank += static_cast<std::uint32_t>(std::popcount(m));
        }
      } else {
        s.text.for_each_posting(*b, p.begin, [&](std::uint32_t r, std::uint8_t w) {
          if (detail::test_bit(match, r)) score(r, w);
        });
      }
    }
    for_each_row(match, wb, we, [&](std::uint32_t r) { sc.score[r] += sc.best[r]; });
  }
}

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

Run make_run(const Query& q, const IndexOptions& opt, const Index::Snapshot& snap) {
  Run run(q, opt);
  run.featured_tier = (opt.featured_first_sorts >> static_cast<int>(q.sort)) & 1;
  run.tokens = tokenize(q.text);
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

}  // namespace

std::uint64_t filters_hash(const Query& q) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  auto mix = [&](std::uint64_t v) {
    for (int i = 0; i < 8; ++i) {
      h ^= (v >> (8 * i)) & 0xff;
      h *= 0x100000001b3ull;
    }
  };
  auto opt = [&](const auto& o) {
    mix(o.has_value());
    if (o) mix(static_cast<std::uint64_t>(*o));
  };
  auto set = [&](const auto& values) {
    std::uint64_t bits = 0;  // every listed enum has fewer than 64 values
    for (auto v : values) bits |= std::uint64_t{1} << (static_cast<unsigned>(v) & 63);
    mix(bits);
  };
  auto range = [&](const Range& r) {
    opt(r.min);
    opt(r.max);
  };
  auto real = [&](double v) { mix(std::bit_cast<std::uint64_t>(v)); };
  opt(q.city_id);
  std::vector<std::uint32_t> localities = q.locality_ids;
  std::sort(localities.begin(), localities.end());
  localities.erase(std::unique(localities.begin(), localities.end()), localities.end());
  mix(localities.size());
  for (auto id : localities) mix(id);
  opt(q.project_id);
  set(q.transactions);
  set(q.property_types);
  set(q.bhk);
  range(q.price);
  range(q.area_sqft);
  range(q.price_per_sqft);
  set(q.furnishing);
  mix(q.ready_to_move);
  opt(q.possession_by_days);
  set(q.posted_by);
  mix(q.amenities_all);
  mix(q.verified_only);
  mix(q.with_photos_only);
  set(q.facing);
  range(q.floor);
  opt(q.bathrooms_min);
  opt(q.tenant_preference);
  mix(q.pets_allowed_only);
  opt(q.posted_within_days);
  mix(q.rera_only);
  // Text as the index reads it, so that spacing and case do not matter.
  for (const auto& t : tokenize(q.text)) {
    mix(t.size());
    for (unsigned char c : t) mix(c);
  }
  mix(q.circle.has_value());
  if (q.circle) {
    real(q.circle->center.lat);
    real(q.circle->center.lng);
    real(q.circle->radius_m);
  }
  mix(q.bbox.has_value());
  if (q.bbox) {
    real(q.bbox->min_lat);
    real(q.bbox->min_lng);
    real(q.bbox->max_lat);
    real(q.bbox->max_lng);
  }
  mix(q.polygon.size());
  for (const auto& p : q.polygon) {
    real(p.lat);
    real(p.lng);
  }
  mix(q.origin.has_value());
  if (q.origin) {
    real(q.origin->lat);
    real(q.origin->lng);
  }
  mix(static_cast<std::uint64_t>(q.sort));
  return h;
}

Result<void> validate(const Query& q) {
  Error e = Error::make(ErrorKind::invalid, "validation_failed", "The request has invalid fields.");
  // Problems name query parameters ("/price_min", in the query).
  auto bad = [&](std::string_view field, FieldCode code, std::string message) {
    e.fields.push_back({json_pointer(field), code, std::move(message), FieldIn::query});
  };
  if (q.page_size < 1 || q.page_size > k_max_page_size) {
    bad("page_size", FieldCode::out_of_range, "page_size must be between 1 and 100.");
  }
  const std::pair<const Range*, const char*> ranges[] = {{&q.price, "price"},
                                                         {&q.area_sqft, "area"},
                                                         {&q.price_per_sqft, "price_per_sqft"},
                                                         {&q.floor, "floor"}};
  for (auto [r, name] : ranges) {
    if (r->min && r->max && *r->min > *r->max) {
      bad(std::string(name) + "_min", FieldCode::inconsistent,
          std::string(name) + "_min is greater than " + name + "_max.");
    }
  }
  for (auto b : q.bhk) {
    if (b >= k_bhk_count) bad("bhk", FieldCode::out_of_range, "bhk is 0 (1 RK) to 5 (5+).");
  }
  if (q.circle && !(q.circle->radius_m > 0 && q.circle->radius_m <= 100'000)) {
    bad("radius_m", FieldCode::out_of_range, "radius_m must be more than 0 and at most 100 km.");
  }
  if (q.bbox && (q.bbox->min_lat > q.bbox->max_lat || q.bbox->min_lng > q.bbox->max_lng)) {
    bad("bbox", FieldCode::inconsistent, "bbox is min_lat,min_lng,max_lat,max_lng.");
  }
  if (!q.polygon.empty()) {
    if (auto r = validate_polygon(q.polygon, "/polygon"); !r) {
      for (auto& f : r.error().fields) e.fields.push_back(f);
    }
  }
  if (q.sort == Sort::distance && !q.circle && !q.origin) {
    bad("sort", FieldCode::inconsistent, "Sorting by distance needs a point: lat and lng.");
  }
  if (q.cursor && q.cursor->sort != q.sort) {
    bad("cursor", FieldCode::invalid_value,
        "The cursor is not one this server issued for this sort.");
  } else if (q.cursor && q.cursor->filters != filters_hash(q)) {
    bad("cursor", FieldCode::invalid_value,
        "The cursor was issued for a search with other filters.");
  }
  if (q.locality_top_n < 1 || q.locality_top_n > 100) {
    bad("locality_top_n", FieldCode::out_of_range, "locality_top_n must be between 1 and 100.");
  }
  if (q.posted_within_days && *q.posted_within_days < 0) {
    bad("posted_within_days", FieldCode::out_of_range, "posted_within_days cannot be negative.");
  }
  if (!e.fields.empty()) return e;
  return {};
}

Index::Index(IndexOptions options) : options_(std::move(options)), cursors_(options_.cursor_key) {
  std::lock_guard lock(write_mu_);
  publish_locked(Segment::merge(nullptr, nullptr, {}, options_.price_buckets),
                 std::make_shared<const std::vector<Word>>());
}

Index::~Index() {
  join_merge();
}

std::shared_ptr<const Index::Snapshot> Index::snapshot() const {
  return snapshot_.load();
}

void Index::publish_locked(std::shared_ptr<const Segment> base,
                           std::shared_ptr<const std::vector<Word>> dead) {
  std::vector<const Document*> docs;
  docs.reserve(delta_docs_.size());
  for (const auto& [id, d] : delta_docs_) docs.push_back(&d);
  auto delta = Segment::merge(nullptr, nullptr, docs, options_.price_buckets);
  snapshot_.store(std::make_shared<const Snapshot>(
      Snapshot{std::move(base), std::move(dead), std::move(delta)}));
}

void Index::build(std::span<const Document> docs) {
  join_merge();
  std::vector<const Document*> ptrs;
  ptrs.reserve(docs.size());
  std::unordered_set<std::int64_t> seen;
  // A later duplicate replaces an earlier one, as an upsert would.
  for (auto it = docs.rbegin(); it != docs.rend(); ++it) {
    if (seen.insert(it->id).second) ptrs.push_back(&*it);
  }
  auto base = Segment::merge(nullptr, nullptr, ptrs, options_.price_buckets);
  std::lock_guard lock(write_mu_);
  delta_docs_.clear();
  auto dead = std::make_shared<const std::vector<Word>>(base->words(), 0);
  publish_locked(std::move(base), std::move(dead));
}

std::shared_ptr<const std::vector<Word>> Index::dead_with_locked(std::int64_t id) const {
  const auto snap = snapshot();
  const std::int64_t row = snap->base->find(id);
  if (row < 0 || detail::test_bit(snap->dead->data(), static_cast<std::uint32_t>(row))) {
    return snap->dead;
  }
  auto dead = std::make_shared<std::vector<Word>>(*snap->dead);
  detail::set_bit(dead->data(), static_cast<std::uint32_t>(row));
  return dead;
}

void Index::upsert(const Document& doc) {
  std::unique_lock lock(write_mu_);
  auto dead = dead_with_locked(doc.id);
  delta_docs_[doc.id] = doc;
  if (merging_) touched_during_merge_.insert(doc.id);
  publish_locked(snapshot()->base, std::move(dead));
  if (!merging_ && delta_docs_.size() >= options_.merge_threshold) {
    start_merge_locked(lock, options_.background_merge);
  }
}

void Index::remove(std::int64_t id) {
  std::unique_lock lock(write_mu_);
  auto dead = dead_with_locked(id);
  delta_docs_.erase(id);
  if (merging_) touched_during_merge_.insert(id);
  publish_locked(snapshot()->base, std::move(dead));
}

void Index::start_merge_locked(std::unique_lock<std::mutex>& lock, bool background) {
  merging_ = true;
  touched_during_merge_.clear();
  auto snap = snapshot();
  auto frozen = std::make_shared<std::vector<Document>>();
  frozen->reserve(delta_docs_.size());
  for (const auto& [id, d] : delta_docs_) frozen->push_back(d);
  auto work = [this, snap, frozen] {
    std::vector<const Document*> ptrs;
    ptrs.reserve(frozen->size());
    for (const auto& d : *frozen) ptrs.push_back(&d);
    auto merged = Segment::merge(snap->base.get(), snap->dead.get(), ptrs, options_.price_buckets);
    std::lock_guard relock(write_mu_);
    finish_merge_locked(std::move(merged));
  };
  if (background) {
    // A previous merger has finished (merging_ was false) and released the lock; reap it.
    if (merger_.joinable()) merger_.join();
    merger_ = std::thread(work);
  } else {
    lock.unlock();
    work();
    lock.lock();
  }
}

void Index::finish_merge_locked(std::shared_ptr<const Segment> merged) {
  // Documents written while the merge ran stay in the delta; their older versions in the new
  // base are hidden.
  auto dead = std::make_shared<std::vector<Word>>(merged->words(), 0);
  for (std::int64_t id : touched_during_merge_) {
    const std::int64_t row = merged->find(id);
    if (row >= 0) detail::set_bit(dead->data(), static_cast<std::uint32_t>(row));
  }
  std::erase_if(delta_docs_,
                [&](const auto& e) { return !touched_during_merge_.contains(e.first); });
  touched_during_merge_.clear();
  merging_ = false;
  publish_locked(std::move(merged), std::move(dead));
}

void Index::join_merge() {
  std::thread t;
  {
    std::lock_guard lock(write_mu_);
    t = std::move(merger_);
  }
  if (t.joinable()) t.join();
}

void Index::compact() {
  for (;;) {
    join_merge();
    std::unique_lock lock(write_mu_);
    if (merging_) continue;  // another writer started a merge meanwhile: wait for it too
    const auto snap = snapshot();
    if (delta_docs_.empty() && count(snap->dead->data(), snap->dead->size()) == 0) return;
    start_merge_locked(lock, false);
    return;
  }
}

IndexStats Index::stats() const {
  const auto snap = snapshot();
  const std::size_t dead = count(snap->dead->data(), snap->dead->size());
  return {snap->base->live_count() - dead + snap->delta->live_count(), snap->delta->live_count(),
          snap->base->memory_bytes() + snap->delta->memory_bytes() + snap->dead->capacity() * 8};
}

Result<SearchResult> Index::search(const Query& q) const {
  if (auto v = validate(q); !v) return v.error();
  const auto snap = snapshot();
  Run run = make_run(q, options_, *snap);
  const Segment* segs[] = {snap->base.get(), snap->delta.get()};
  const Word* deads[] = {snap->dead->data(), nullptr};
  Scratch& sc = t_scratch;
  for (int i = 0; i < 2; ++i) {
    const Segment& s = *segs[i];
    run_segment(run, s, deads[i], segs, sc, [&](const Partition& p) {
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
  }

  SearchResult out;
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
    Hit h{s.id[c.row],
          s.price[c.row],
          s.area[c.row],
          s.enums[detail::attr_bhk][c.row],
          ((s.flags[c.row] >> detail::flag_featured) & 1) != 0,
          s.lat[c.row],
          s.lng[c.row],
          c.distance,
          c.score};
    if (run.point && h.distance_m < 0) {
      h.distance_m = distance_m(run.point->lat, run.point->lng, h.lat, h.lng);
    }
    out.hits.push_back(h);
  }
  if (more) out.next_cursor = cursors_.encode({q.sort, page.back().key, filters_hash(q)});

  for (Facet f : q.facets) {
    FacetResult fr{f, {}};
    const int g = group_of(f);
    if (f == Facet::locality) {
      for (auto [id, c] : run.locality_counts) fr.counts.push_back({id, c});
      std::sort(fr.counts.begin(), fr.counts.end(), [](const FacetCount& a, const FacetCount& b) {
        return a.count != b.count ? a.count > b.count : a.value < b.value;
      });
      if (fr.counts.size() > static_cast<std::size_t>(q.locality_top_n))
        fr.counts.resize(q.locality_top_n);
    } else {
      for (std::size_t v = 0; v < run.facet_counts[g].size(); ++v) {
        if (run.facet_counts[g][v])
          fr.counts.push_back({static_cast<std::int64_t>(v), run.facet_counts[g][v]});
      }
    }
    out.facets.push_back(std::move(fr));
  }
  return out;
}

Result<MapResult> Index::map(const Query& query, const BBox& viewport, int zoom) const {
  if (zoom < 0 || zoom > 22)
    return Error::field("/zoom", FieldCode::out_of_range, "zoom is 0 to 22.", FieldIn::query);
  Query q = query;
  q.bbox = viewport;
  q.facets.clear();
  q.cursor.reset();
  q.sort = Sort::newest;
  if (auto v = validate(q); !v) return v.error();
  const auto snap = snapshot();
  Run run = make_run(q, options_, *snap);
  const Segment* segs[] = {snap->base.get(), snap->delta.get()};
  const Word* deads[] = {snap->dead->data(), nullptr};
  Scratch& sc = t_scratch;
  MapResult out;
  out.clustered = zoom < k_pin_zoom;
  // About 64 px cells on 256 px web-map tiles.
  const double cell = 360.0 / std::ldexp(1.0, zoom) / 4.0;
  struct Acc {
    std::uint32_t count = 0;
    double lat = 0, lng = 0;
    std::int64_t min_price = INT64_MAX, max_price = INT64_MIN;
  };
  std::unordered_map<std::uint64_t, Acc> cells;
  for (int i = 0; i < 2; ++i) {
    const Segment& s = *segs[i];
    run_segment(run, s, deads[i], segs, sc, [&](const Partition& p) {
      for_each_row(sc.match.data(), p.word_begin(), p.word_end(), [&](std::uint32_t r) {
        ++out.total;
        if (!out.clustered) {
          if (out.cells.size() >= k_max_pins) {
            out.truncated = true;
            return;
          }
          out.cells.push_back({1, s.id[r], s.lat[r], s.lng[r], s.price[r], s.price[r]});
          return;
        }
        const auto cy = static_cast<std::uint64_t>((s.lat[r] - viewport.min_lat) / cell);
        const auto cx = static_cast<std::uint64_t>((s.lng[r] - viewport.min_lng) / cell);
        Acc& a = cells[(cy << 32) | cx];
        ++a.count;
        a.lat += s.lat[r];
        a.lng += s.lng[r];
        a.min_price = std::min(a.min_price, s.price[r]);
        a.max_price = std::max(a.max_price, s.price[r]);
      });
    });
  }
  if (out.clustered) {
    std::vector<std::pair<std::uint64_t, Acc>> sorted(cells.begin(), cells.end());
    std::sort(sorted.begin(), sorted.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [key, a] : sorted) {
      out.cells.push_back({a.count, 0, a.lat / a.count, a.lng / a.count, a.min_price, a.max_price});
    }
  }
  return out;
}

}  // namespace griha::search
