#include "search/segment.hpp"

#include <algorithm>
#include <functional>
#include <numeric>
#include <thread>
#include <unordered_map>

#include "search/text.hpp"

namespace griha::search::detail {

std::uint8_t price_band(std::span<const std::int64_t> buckets, std::int64_t price) {
  const auto it = std::upper_bound(buckets.begin(), buckets.end(), price);
  return static_cast<std::uint8_t>(it == buckets.begin() ? 0 : it - buckets.begin() - 1);
}

int attr_values(int a, std::size_t price_buckets) {
  switch (a) {
    case attr_transaction:
      return k_transaction_count + 1;
    case attr_property_type:
      return k_property_type_count + 1;
    case attr_bhk:
      return k_bhk_count + 1;
    case attr_furnishing:
      return k_furnishing_count + 1;
    case attr_posted_by:
      return k_posted_by_count + 1;
    case attr_facing:
      return k_facing_count + 1;
    case attr_tenant:
      return k_tenant_preference_count + 1;
    case attr_price_band:
      return static_cast<int>(std::max<std::size_t>(1, price_buckets));
    case attr_flag:
      return flag_count;
    default:
      return k_max_amenities;
  }
}

namespace {

constexpr std::uint32_t k_none = 0xffffffffu;

using Source = Segment::MergeSource;

bool before(const Source& a, const Source& b) {
  if (a.city != b.city) return a.city < b.city;
  if (a.posted_at != b.posted_at) return a.posted_at > b.posted_at;
  return a.id < b.id;
}

// A common value costs one bit per row of the partition; a rare one four bytes per listing.
Postings make_postings(const std::vector<std::uint32_t>& rows, const Partition& p) {
  Postings out;
  out.count = static_cast<std::uint32_t>(rows.size());
  const std::uint32_t words = p.word_end() - p.word_begin();
  if (rows.size() >= 2u * words) {
    out.bits.assign(words, 0);
    for (std::uint32_t r : rows) set_bit(out.bits.data(), r - p.begin);
  } else {
    out.rows = rows;
  }
  return out;
}

void put_varint(std::vector<std::uint8_t>& out, std::uint32_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<std::uint8_t>(v | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<std::uint8_t>(v));
}

struct TextPosting {
  std::uint32_t row;
  std::uint8_t weight;
};

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// The terms of a run of added listings, each term with its listings in row order.
struct TermLists {
  std::unordered_map<std::string, std::uint32_t, StringHash, std::equal_to<>> ids;
  std::vector<std::string> terms;
  std::vector<std::vector<TextPosting>> lists;

  void add(std::span<const std::pair<std::uint32_t, const Document*>> docs) {
    std::vector<std::pair<std::uint32_t, int>> doc_terms;
    std::string buf;
    for (const auto& [row, d] : docs) {
      doc_terms.clear();
      auto field = [&](const std::string& text, int weight) {
        for_each_token(text, buf, [&](std::string_view t) {
          auto it = ids.find(t);
          if (it == ids.end()) {
            it = ids.emplace(std::string(t), static_cast<std::uint32_t>(terms.size())).first;
            terms.emplace_back(t);
            lists.emplace_back();
          }
          doc_terms.emplace_back(it->second, weight);
        });
      };
      field(d->title, k_weight_title);
      field(d->locality_name, k_weight_place);
      field(d->city_name, k_weight_place);
      field(d->project_name, k_weight_place);
      field(d->description, k_weight_description);
      // The RERA number as one term, which no word of a text can spell (see rera_term).
      if (std::string term = rera_term(d->rera_number); !term.empty()) {
        auto it = ids.find(term);
        if (it == ids.end()) {
          it = ids.emplace(term, static_cast<std::uint32_t>(terms.size())).first;
          terms.push_back(std::move(term));
          lists.emplace_back();
        }
        doc_terms.emplace_back(it->second, k_weight_title);
      }
      std::sort(doc_terms.begin(), doc_terms.end());
      for (std::size_t i = 0; i < doc_terms.size();) {
        int weight = 0;
        std::size_t j = i;
        for (; j < doc_terms.size() && doc_terms[j].first == doc_terms[i].first; ++j)
          weight += doc_terms[j].second;
        lists[doc_terms[i].first].push_back(
            {row, static_cast<std::uint8_t>(std::min(255, weight))});
        i = j;
      }
    }
  }
};

std::uint64_t fnv(std::uint64_t h, std::string_view s) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  return h;
}
constexpr std::uint64_t k_fnv_basis = 0xcbf29ce484222325ull;

// Appends term `term`'s postings (rows ascending) as one block per partition.
void encode_term(TextIndex& t, std::span<const TextPosting> postings,
                 const std::vector<Partition>& parts,
                 const std::vector<std::uint32_t>& part_of_word) {
  for (std::size_t i = 0; i < postings.size();) {
    const std::uint32_t pi = part_of_word[postings[i].row / 64];
    const Partition& p = parts[pi];
    std::size_t j = i;
    while (j < postings.size() && postings[j].row < p.end) ++j;
    TextBlock b;
    b.partition = pi;
    b.count = static_cast<std::uint32_t>(j - i);
    b.bytes = t.bytes.size();
    const std::uint32_t rows = p.end - p.begin;
    // Dense from one listing in 16: its bitset then costs about what varints would, and
    // matching it is a few thousand word ANDs instead of decoding.
    if (rows >= 256 && std::size_t{b.count} * 16 >= rows) {
      b.bits = t.dense_bits.size();
      t.dense_bits.resize(t.dense_bits.size() + (p.word_end() - p.word_begin()), 0);
      Word* w = t.dense_bits.data() + b.bits;
      for (std::size_t k = i; k < j; ++k) {
        set_bit(w, postings[k].row - p.begin);
        t.bytes.push_back(postings[k].weight);
      }
    } else {
      std::uint32_t prev = p.begin;
      for (std::size_t k = i; k < j; ++k) {
        put_varint(t.bytes, k == i ? postings[k].row - p.begin : postings[k].row - prev - 1);
        t.bytes.push_back(postings[k].weight);
        prev = postings[k].row;
      }
    }
    b.bytes_end = t.bytes.size();
    t.blocks.push_back(b);
    i = j;
  }
}

// The text index of a new segment: the base's postings renumbered, merged with the added
// listings' (tokenized on two threads when there are many).
void build_text(TextIndex& t, const Segment& s, const Segment* base,
                const std::vector<std::uint32_t>& base_to_new,
                std::span<const std::pair<std::uint32_t, const Document*>> added,
                const std::function<void()>& alongside) {
  TermLists chunks[2];
  // The helper takes the larger share: this thread builds the columns first.
  const std::size_t half = added.size() >= 50'000 ? added.size() * 2 / 5 : added.size();
  {
    std::thread helper;
    if (half < added.size()) {
      helper = std::thread([&] { chunks[1].add(added.subspan(half)); });
    }
    // The columns, built meanwhile on this thread, do not touch the text.
    if (alongside) alongside();
    chunks[0].add(added.first(half));
    if (helper.joinable()) helper.join();
  }

  // One sorted dictionary over the base's terms and both chunks'.
  std::vector<std::string_view> all;
  const std::size_t base_terms = base ? base->text.size() : 0;
  all.reserve(base_terms + chunks[0].terms.size() + chunks[1].terms.size());
  for (std::size_t i = 0; i < base_terms; ++i) all.push_back(base->text.term(i));
  for (const auto& c : chunks) all.insert(all.end(), c.terms.begin(), c.terms.end());
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  auto global = [&](std::string_view term) {
    return static_cast<std::uint32_t>(std::lower_bound(all.begin(), all.end(), term) - all.begin());
  };
  constexpr std::uint32_t none = 0xffffffffu;
  std::vector<std::uint32_t> from_base(all.size(), none), from_chunk[2];
  for (std::size_t i = 0; i < base_terms; ++i)
    from_base[global(base->text.term(i))] = static_cast<std::uint32_t>(i);
  for (int c = 0; c < 2; ++c) {
    from_chunk[c].assign(all.size(), none);
    for (std::size_t i = 0; i < chunks[c].terms.size(); ++i)
      from_chunk[c][global(chunks[c].terms[i])] = static_cast<std::uint32_t>(i);
  }

  std::vector<std::uint32_t> part_of_word(s.words(), 0);
  for (std::uint32_t pi = 0; pi < s.partitions.size(); ++pi) {
    const Partition& p = s.partitions[pi];
    for (std::uint32_t w = p.word_begin(); w < p.word_end(); ++w) part_of_word[w] = pi;
  }

  t.term_start.push_back(0);
  t.block_start.push_back(0);
  std::vector<TextPosting> old_rows, merged;
  for (std::size_t g = 0; g < all.size(); ++g) {
    old_rows.clear();
    if (from_base[g] != none) {
      for (const TextBlock& b : base->text.blocks_of(from_base[g])) {
        base->text.for_each_posting(b, base->partitions[b.partition].begin,
                                    [&](std::uint32_t r, std::uint8_t w) {
                                      if (base_to_new[r] != k_none)
                                        old_rows.push_back({base_to_new[r], w});
                                    });
      }
    }
    std::span<const TextPosting> fresh[2];
    for (int c = 0; c < 2; ++c) {
      if (from_chunk[c][g] != none) fresh[c] = chunks[c].lists[from_chunk[c][g]];
    }
    std::span<const TextPosting> postings;
    if (old_rows.empty() && (fresh[0].empty() || fresh[1].empty())) {
      postings = fresh[0].empty() ? fresh[1] : fresh[0];
    } else {
      // Chunk 0's rows all come before chunk 1's; the base's are interleaved with both.
      merged.clear();
      merged.insert(merged.end(), fresh[0].begin(), fresh[0].end());
      merged.insert(merged.end(), fresh[1].begin(), fresh[1].end());
      const std::size_t mid = merged.size();
      merged.insert(merged.end(), old_rows.begin(), old_rows.end());
      std::inplace_merge(merged.begin(), merged.begin() + static_cast<std::ptrdiff_t>(mid),
                         merged.end(),
                         [](const TextPosting& a, const TextPosting& b) { return a.row < b.row; });
      postings = merged;
    }
    if (postings.empty()) continue;
    encode_term(t, postings, s.partitions, part_of_word);
    t.terms.append(all[g]);
    t.term_start.push_back(static_cast<std::uint32_t>(t.terms.size()));
    t.doc_freq.push_back(static_cast<std::uint32_t>(postings.size()));
    t.block_start.push_back(static_cast<std::uint32_t>(t.blocks.size()));
  }

  for (std::uint32_t i = 0; i < t.size(); ++i) {
    const std::string_view term = t.term(i);
    if (term.size() + 1 < k_typo_min_length || is_rera_term(term)) continue;
    t.deletions.emplace_back(fnv(k_fnv_basis, term), i);
    for (std::size_t j = 0; j < term.size(); ++j) {
      t.deletions.emplace_back(fnv(fnv(k_fnv_basis, term.substr(0, j)), term.substr(j + 1)), i);
    }
  }
  std::sort(t.deletions.begin(), t.deletions.end());
  t.deletions.erase(std::unique(t.deletions.begin(), t.deletions.end()), t.deletions.end());
  t.terms.shrink_to_fit();
  t.bytes.shrink_to_fit();
  t.dense_bits.shrink_to_fit();
  t.blocks.shrink_to_fit();
  t.deletions.shrink_to_fit();
}

template <class T>
std::size_t bytes_of(const std::vector<T>& v) {
  return v.capacity() * sizeof(T);
}
std::size_t bytes_of(const Postings& p) {
  return sizeof(Postings) + bytes_of(p.bits) + bytes_of(p.rows);
}

}  // namespace

std::uint64_t text_key_hash(std::string_view a, std::string_view b) {
  return fnv(fnv(k_fnv_basis, a), b);
}

std::shared_ptr<const Segment> Segment::merge(const Segment* base, const std::vector<Word>* dead,
                                              std::span<const Document* const> added,
                                              std::span<const std::int64_t> price_buckets) {
  auto seg = std::make_shared<Segment>();
  Segment& s = *seg;

  // 1. Order: base rows are already in order; the added documents are sorted and merged in.
  std::vector<Source> from_base;
  if (base) {
    from_base.reserve(base->live_count());
    for (const Partition& p : base->partitions) {
      for (std::uint32_t r = p.begin; r < p.end; ++r) {
        if (!test_bit(base->valid.data(), r) || (dead && test_bit(dead->data(), r))) continue;
        from_base.push_back({p.city_id, base->posted_at[r], base->id[r], nullptr, r});
      }
    }
  }
  std::vector<Source> from_added;
  from_added.reserve(added.size());
  for (const Document* d : added) from_added.push_back({d->city_id, d->posted_at, d->id, d, 0});
  std::sort(from_added.begin(), from_added.end(), before);
  std::vector<Source> order(from_base.size() + from_added.size());
  std::merge(from_base.begin(), from_base.end(), from_added.begin(), from_added.end(),
             order.begin(), before);
  from_base = {};
  from_added = {};

  // 2. Rows: each city starts a partition on a word boundary.
  std::vector<std::uint32_t> row_of(order.size());
  std::uint32_t row = 0;
  for (std::size_t i = 0; i < order.size(); ++i) {
    if (s.partitions.empty() || s.partitions.back().city_id != order[i].city) {
      if (!s.partitions.empty()) s.partitions.back().end = row;
      row = (row + 63) / 64 * 64;
      s.partitions.emplace_back();
      s.partitions.back().city_id = order[i].city;
      s.partitions.back().begin = row;
    }
    row_of[i] = row++;
  }
  if (!s.partitions.empty()) s.partitions.back().end = row;
  // Columns cover whole words, so that word-at-a-time predicates never read past the end.
  const std::uint32_t rows = (row + 63) / 64 * 64;
  s.valid.assign((rows + 63) / 64, 0);
  std::vector<std::uint32_t> base_to_new(base ? base->rows() : 0, k_none);
  std::vector<std::pair<std::uint32_t, const Document*>> added_rows;
  added_rows.reserve(added.size());
  for (std::size_t i = 0; i < order.size(); ++i) {
    if (order[i].doc)
      added_rows.emplace_back(row_of[i], order[i].doc);
    else
      base_to_new[order[i].base_row] = row_of[i];
  }

  // 3-5 build the columns and their postings, on this thread while the text is tokenized.
  auto columns = [&] {
    build_columns(s, base, order, row_of, rows, price_buckets);
    order = {};
  };
  // 6. Text.
  build_text(s.text, s, base, base_to_new, added_rows, columns);
  return seg;
}

void Segment::build_columns(Segment& s, const Segment* base, const std::vector<MergeSource>& order,
                            const std::vector<std::uint32_t>& row_of, std::uint32_t rows,
                            std::span<const std::int64_t> price_buckets) {
  // 3. Columns.
  s.id.assign(rows, 0);
  s.price.assign(rows, 0);
  s.posted_at.assign(rows, 0);
  s.area.assign(rows, 0);
  s.ppsf.assign(rows, 0);
  s.locality.assign(rows, 0);
  s.locality_slot.assign(rows, 0);
  s.project.assign(rows, 0);
  s.possession.assign(rows, 0);
  s.amenities.assign(rows, 0);
  s.lat.assign(rows, 0);
  s.lng.assign(rows, 0);
  s.floor.assign(rows, 0);
  s.total_floors.assign(rows, 0);
  s.bathrooms.assign(rows, 0);
  for (auto& e : s.enums) e.assign(rows, 0);
  s.flags.assign(rows, 0);
  s.photo_count.assign(rows, 0);
  for (StringColumn* c : {&s.title, &s.cover_key}) c->start.assign(rows + 1, 0);
  // Rows are assigned in `order`: each string column grows at its end, padding rows empty.
  std::uint32_t next_row = 0;
  auto put_strings = [&](std::uint32_t r, std::string_view title, std::string_view cover) {
    for (auto [c, v] : {std::pair{&s.title, title}, std::pair{&s.cover_key, cover}}) {
      for (std::uint32_t p = next_row; p <= r; ++p)
        c->start[p] = static_cast<std::uint32_t>(c->bytes.size());
      c->bytes.append(v);
    }
    next_row = r + 1;
  };
  for (std::size_t i = 0; i < order.size(); ++i) {
    const std::uint32_t r = row_of[i];
    set_bit(s.valid.data(), r);
    if (const Document* d = order[i].doc) {
      s.id[r] = d->id;
      s.price[r] = d->price;
      s.posted_at[r] = d->posted_at;
      s.area[r] = d->area_sqft;
      s.ppsf[r] = d->price_per_sqft;
      s.locality[r] = d->locality_id;
      s.project[r] = d->project_id;
      s.possession[r] = !d->ready_to_move   ? k_no_possession
                        : *d->ready_to_move ? 0
                                            : d->possession_days;
      s.amenities[r] = d->amenities;
      s.lat[r] = d->lat;
      s.lng[r] = d->lng;
      s.floor[r] = d->floor.value_or(k_no_floor);
      s.total_floors[r] = d->total_floors;
      s.bathrooms[r] = d->bathrooms.value_or(k_no_bathrooms);
      s.enums[attr_transaction][r] = static_cast<std::uint8_t>(d->transaction);
      s.enums[attr_property_type][r] = static_cast<std::uint8_t>(d->property_type);
      s.enums[attr_bhk][r] = d->bhk ? std::min<std::uint8_t>(*d->bhk, k_bhk_count - 1) : k_no_bhk;
      s.enums[attr_furnishing][r] = static_cast<std::uint8_t>(
          d->furnishing ? static_cast<int>(*d->furnishing) : k_furnishing_count);
      s.enums[attr_posted_by][r] = static_cast<std::uint8_t>(d->posted_by);
      s.enums[attr_facing][r] =
          static_cast<std::uint8_t>(d->facing ? static_cast<int>(*d->facing) : k_facing_count);
      // A tenant preference means something on a rental only.
      const bool rental =
          d->transaction == Transaction::rent || d->transaction == Transaction::lease;
      s.enums[attr_tenant][r] = static_cast<std::uint8_t>(
          rental && d->tenant_preference ? static_cast<int>(*d->tenant_preference)
                                         : k_tenant_preference_count);
      s.photo_count[r] = d->photo_count;
      put_strings(r, d->title, d->cover_key);
      s.flags[r] = static_cast<std::uint8_t>(
          (d->verified << flag_verified) | (d->has_photos << flag_has_photos) |
          (d->pets_allowed << flag_pets) | (d->rera_registered << flag_rera) |
          (d->featured << flag_featured) | (d->ready_to_move.value_or(false) << flag_ready));
    } else {
      const std::uint32_t b = order[i].base_row;
      s.id[r] = base->id[b];
      s.price[r] = base->price[b];
      s.posted_at[r] = base->posted_at[b];
      s.area[r] = base->area[b];
      s.ppsf[r] = base->ppsf[b];
      s.locality[r] = base->locality[b];
      s.project[r] = base->project[b];
      s.possession[r] = base->possession[b];
      s.amenities[r] = base->amenities[b];
      s.lat[r] = base->lat[b];
      s.lng[r] = base->lng[b];
      s.floor[r] = base->floor[b];
      s.total_floors[r] = base->total_floors[b];
      s.bathrooms[r] = base->bathrooms[b];
      for (int a = 0; a < attr_price_band; ++a) s.enums[a][r] = base->enums[a][b];
      s.flags[r] = base->flags[b];
      s.photo_count[r] = base->photo_count[b];
      put_strings(r, base->title.at(b), base->cover_key.at(b));
    }
  }
  for (StringColumn* c : {&s.title, &s.cover_key}) {
    for (std::uint32_t p = next_row; p <= rows; ++p)
      c->start[p] = static_cast<std::uint32_t>(c->bytes.size());
    c->bytes.shrink_to_fit();
  }
  s.live_ = order.size();

  // 4. Postings per partition.
  int value_counts[attr_count];
  for (int a = 0; a < attr_count; ++a) value_counts[a] = attr_values(a, price_buckets.size());
  std::vector<std::uint32_t> lists[attr_count][k_max_amenities + 1];
  std::vector<std::pair<std::int64_t, std::uint32_t>> by_price;
  for (Partition& p : s.partitions) {
    for (auto& per_attr : lists) {
      for (auto& l : per_attr) l.clear();
    }
    std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> by_locality, by_project;
    for (std::uint32_t r = p.begin; r < p.end; ++r) {
      for (int a = 0; a < attr_price_band; ++a) lists[a][s.enums[a][r]].push_back(r);
      lists[attr_price_band][price_band(price_buckets, s.price[r])].push_back(r);
      for (int f = 0; f < flag_count; ++f) {
        if ((s.flags[r] >> f) & 1) lists[attr_flag][f].push_back(r);
      }
      for (std::uint64_t m = s.amenities[r]; m; m &= m - 1) {
        lists[attr_amenity][__builtin_ctzll(m)].push_back(r);
      }
      by_locality[s.locality[r]].push_back(r);
      if (s.project[r] != 0) by_project[s.project[r]].push_back(r);
      p.min_lat = std::min(p.min_lat, s.lat[r]);
      p.max_lat = std::max(p.max_lat, s.lat[r]);
      p.min_lng = std::min(p.min_lng, s.lng[r]);
      p.max_lng = std::max(p.max_lng, s.lng[r]);
    }
    for (int a = 0; a < attr_count; ++a) {
      p.attrs[a].reserve(value_counts[a]);
      for (int v = 0; v < value_counts[a]; ++v) p.attrs[a].push_back(make_postings(lists[a][v], p));
    }
    std::vector<std::pair<std::uint64_t, std::uint32_t>> cells;
    cells.reserve(p.end - p.begin);
    for (std::uint32_t r = p.begin; r < p.end; ++r) {
      cells.emplace_back(geo_cell(geo_cell_lat(s.lat[r]), geo_cell_lng(s.lng[r])), r);
    }
    std::sort(cells.begin(), cells.end());
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (i == 0 || cells[i].first != cells[i - 1].first) {
        p.cell_keys.push_back(cells[i].first);
        p.cell_start.push_back(static_cast<std::uint32_t>(i));
      }
      p.geo_rows.push_back(cells[i].second);
      p.geo_lat.push_back(s.lat[cells[i].second]);
      p.geo_lng.push_back(s.lng[cells[i].second]);
    }
    p.cell_start.push_back(static_cast<std::uint32_t>(cells.size()));
    for (auto [map, out] : {std::pair{&by_locality, &p.localities}, {&by_project, &p.projects}}) {
      for (auto& [key, list] : *map) out->emplace_back(key, make_postings(list, p));
      std::sort(out->begin(), out->end(),
                [](const auto& a, const auto& b) { return a.first < b.first; });
    }
    p.slots = p.localities.size() <= 0xffff;
    if (p.slots) {
      for (std::size_t i = 0; i < p.localities.size(); ++i) {
        const Postings& lp = p.localities[i].second;
        auto put = [&](std::uint32_t r) { s.locality_slot[r] = static_cast<std::uint16_t>(i); };
        if (lp.dense()) {
          for (std::uint32_t w = 0; w < lp.bits.size(); ++w) {
            for (Word m = lp.bits[w]; m; m &= m - 1)
              put(p.begin + w * 64 + static_cast<std::uint32_t>(std::countr_zero(m)));
          }
        } else {
          for (std::uint32_t r : lp.rows) put(r);
        }
      }
    }
    // Fine price bands: about 32 per city, at its price quantiles.
    by_price.clear();
    for (std::uint32_t r = p.begin; r < p.end; ++r) by_price.emplace_back(s.price[r], r);
    std::sort(by_price.begin(), by_price.end());
    p.price_order.reserve(by_price.size());
    for (const auto& e : by_price) p.price_order.push_back(e.second);
    constexpr std::size_t k_fine_bands = 32;
    const std::size_t step = std::max<std::size_t>(64, by_price.size() / k_fine_bands);
    for (std::size_t i = 0; i < by_price.size(); i += step) {
      const std::size_t j = std::min(by_price.size(), i + step);
      std::vector<std::uint32_t> band_rows(p.price_order.begin() + static_cast<std::ptrdiff_t>(i),
                                           p.price_order.begin() + static_cast<std::ptrdiff_t>(j));
      std::sort(band_rows.begin(), band_rows.end());
      p.fine_price_start.push_back(static_cast<std::uint32_t>(i));
      p.fine_price_bands.push_back(make_postings(band_rows, p));
    }
    p.fine_price_start.push_back(static_cast<std::uint32_t>(by_price.size()));
  }

  // 5. Lookup by listing id.
  s.rows_by_id.resize(order.size());
  for (std::size_t i = 0; i < order.size(); ++i) s.rows_by_id[i] = row_of[i];
  std::sort(s.rows_by_id.begin(), s.rows_by_id.end(),
            [&](std::uint32_t a, std::uint32_t b) { return s.id[a] < s.id[b]; });
}

std::int64_t Segment::find(std::int64_t listing_id) const {
  const auto it = std::lower_bound(rows_by_id.begin(), rows_by_id.end(), listing_id,
                                   [&](std::uint32_t row, std::int64_t v) { return id[row] < v; });
  if (it == rows_by_id.end() || id[*it] != listing_id) return -1;
  return *it;
}

std::uint32_t Segment::city_of(std::uint32_t r) const {
  const auto p =
      std::upper_bound(partitions.begin(), partitions.end(), r,
                       [](std::uint32_t row, const Partition& q) { return row < q.begin; });
  return std::prev(p)->city_id;
}

Document Segment::document(std::uint32_t r) const {
  Document d;
  d.city_id = city_of(r);
  d.id = id[r];
  d.locality_id = locality[r];
  d.project_id = project[r];
  d.transaction = static_cast<Transaction>(enums[attr_transaction][r]);
  d.property_type = static_cast<PropertyType>(enums[attr_property_type][r]);
  if (enums[attr_bhk][r] != k_no_bhk) d.bhk = enums[attr_bhk][r];
  if (bathrooms[r] != k_no_bathrooms) d.bathrooms = bathrooms[r];
  d.price = price[r];
  d.area_sqft = area[r];
  d.price_per_sqft = ppsf[r];
  if (enums[attr_furnishing][r] != k_furnishing_count)
    d.furnishing = static_cast<Furnishing>(enums[attr_furnishing][r]);
  if (possession[r] != k_no_possession) d.ready_to_move = ((flags[r] >> flag_ready) & 1) != 0;
  d.possession_days = possession[r] == k_no_possession ? 0 : possession[r];
  d.posted_by = static_cast<PostedBy>(enums[attr_posted_by][r]);
  d.amenities = amenities[r];
  d.verified = (flags[r] >> flag_verified) & 1;
  d.has_photos = (flags[r] >> flag_has_photos) & 1;
  if (enums[attr_facing][r] != k_facing_count)
    d.facing = static_cast<Facing>(enums[attr_facing][r]);
  if (floor[r] != k_no_floor) d.floor = floor[r];
  d.total_floors = total_floors[r];
  if (enums[attr_tenant][r] != k_tenant_preference_count)
    d.tenant_preference = static_cast<TenantPreference>(enums[attr_tenant][r]);
  d.pets_allowed = (flags[r] >> flag_pets) & 1;
  d.photo_count = photo_count[r];
  d.title = title.at(r);
  d.cover_key = cover_key.at(r);
  d.posted_at = posted_at[r];
  d.rera_registered = (flags[r] >> flag_rera) & 1;
  d.featured = (flags[r] >> flag_featured) & 1;
  d.lat = lat[r];
  d.lng = lng[r];
  return d;
}

std::size_t Segment::memory_bytes() const {
  std::size_t n = sizeof(Segment) + bytes_of(valid) + bytes_of(id) + bytes_of(price) +
                  bytes_of(posted_at) + bytes_of(area) + bytes_of(ppsf) + bytes_of(locality) +
                  bytes_of(locality_slot) + bytes_of(project) + bytes_of(possession) +
                  bytes_of(amenities) + bytes_of(lat) + bytes_of(lng) + bytes_of(floor) +
                  bytes_of(total_floors) + bytes_of(bathrooms) + bytes_of(flags) +
                  bytes_of(rows_by_id) + bytes_of(partitions) + bytes_of(photo_count) +
                  title.bytes.capacity() + bytes_of(title.start) + cover_key.bytes.capacity() +
                  bytes_of(cover_key.start);
  for (const auto& e : enums) n += bytes_of(e);
  for (const Partition& p : partitions) {
    for (const auto& a : p.attrs) {
      for (const auto& q : a) n += bytes_of(q);
    }
    for (const auto& [k, q] : p.localities) n += bytes_of(q) + sizeof(k);
    for (const auto& [k, q] : p.projects) n += bytes_of(q) + sizeof(k);
    n += bytes_of(p.cell_keys) + bytes_of(p.cell_start) + bytes_of(p.geo_rows) +
         bytes_of(p.geo_lat) + bytes_of(p.geo_lng);
    n += bytes_of(p.price_order) + bytes_of(p.fine_price_start) + bytes_of(p.fine_price_bands);
    for (const auto& q : p.fine_price_bands) n += bytes_of(q) - sizeof(Postings);
  }
  n += text.terms.capacity() + bytes_of(text.term_start) + bytes_of(text.doc_freq) +
       bytes_of(text.block_start) + bytes_of(text.blocks) + bytes_of(text.dense_bits) +
       bytes_of(text.bytes) + bytes_of(text.deletions);
  return n;
}

}  // namespace griha::search::detail
