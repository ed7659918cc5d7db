#include "search/segment.hpp"

#include <algorithm>
#include <numeric>
#include <unordered_map>

#include "search/text.hpp"

namespace griha::search::detail {

std::uint8_t price_band(std::span<const std::int64_t> buckets, std::int64_t price) {
  const auto it = std::upper_bound(buckets.begin(), buckets.end(), price);
  return static_cast<std::uint8_t>(it == buckets.begin() ? 0 : it - buckets.begin() - 1);
}

namespace {

constexpr std::uint32_t k_none = 0xffffffffu;

// Where a row of the new segment comes from.
struct Source {
  std::uint32_t city;
  std::int64_t posted_at;
  std::int64_t id;
  const Document* doc;  // null: base row `base_row`
  std::uint32_t base_row;
};

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

struct PostingWriter {
  std::vector<std::uint8_t>* out;
  std::uint32_t prev = 0;
  bool first = true;
  std::uint32_t count = 0;
  void add(std::uint32_t row, std::uint8_t weight) {
    std::uint32_t gap = first ? row : row - prev - 1;
    first = false;
    prev = row;
    while (gap >= 0x80) {
      out->push_back(static_cast<std::uint8_t>(gap | 0x80));
      gap >>= 7;
    }
    out->push_back(static_cast<std::uint8_t>(gap));
    out->push_back(weight);
    ++count;
  }
};

// The weighted terms of one listing, each once.
void analyze(const Document& d, std::vector<std::pair<std::string, int>>& terms) {
  terms.clear();
  auto add = [&](const std::string& text, int weight) {
    for (auto& t : tokenize(text)) terms.emplace_back(std::move(t), weight);
  };
  add(d.title, k_weight_title);
  add(d.locality_name, k_weight_place);
  add(d.project_name, k_weight_place);
  add(d.description, k_weight_description);
  std::sort(terms.begin(), terms.end());
  std::size_t out = 0;
  for (std::size_t i = 0; i < terms.size(); ++i) {
    if (out > 0 && terms[out - 1].first == terms[i].first) {
      terms[out - 1].second = std::min(255, terms[out - 1].second + terms[i].second);
    } else {
      if (out != i) terms[out] = std::move(terms[i]);
      ++out;
    }
  }
  terms.resize(out);
}

template <class T>
std::size_t bytes_of(const std::vector<T>& v) {
  return v.capacity() * sizeof(T);
}
std::size_t bytes_of(const Postings& p) {
  return sizeof(Postings) + bytes_of(p.bits) + bytes_of(p.rows);
}

}  // namespace

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

  // 3. Columns.
  s.valid.assign((rows + 63) / 64, 0);
  s.id.assign(rows, 0);
  s.price.assign(rows, 0);
  s.posted_at.assign(rows, 0);
  s.area.assign(rows, 0);
  s.ppsf.assign(rows, 0);
  s.locality.assign(rows, 0);
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
  std::vector<std::uint32_t> base_to_new(base ? base->rows() : 0, k_none);
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
      s.possession[r] = d->ready_to_move ? 0 : d->possession_days;
      s.amenities[r] = d->amenities;
      s.lat[r] = d->lat;
      s.lng[r] = d->lng;
      s.floor[r] = d->floor;
      s.total_floors[r] = d->total_floors;
      s.bathrooms[r] = d->bathrooms;
      s.enums[attr_transaction][r] = static_cast<std::uint8_t>(d->transaction);
      s.enums[attr_property_type][r] = static_cast<std::uint8_t>(d->property_type);
      s.enums[attr_bhk][r] = std::min<std::uint8_t>(d->bhk, k_bhk_count - 1);
      s.enums[attr_furnishing][r] = static_cast<std::uint8_t>(d->furnishing);
      s.enums[attr_posted_by][r] = static_cast<std::uint8_t>(d->posted_by);
      s.enums[attr_facing][r] = static_cast<std::uint8_t>(d->facing);
      s.enums[attr_tenant][r] = static_cast<std::uint8_t>(d->tenant_preference);
      s.flags[r] = static_cast<std::uint8_t>(
          (d->verified << flag_verified) | (d->has_photos << flag_has_photos) |
          (d->pets_allowed << flag_pets) | (d->rera_registered << flag_rera) |
          (d->featured << flag_featured) | (d->ready_to_move << flag_ready));
    } else {
      const std::uint32_t b = order[i].base_row;
      base_to_new[b] = r;
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
    }
  }
  s.live_ = order.size();

  // 4. Postings per partition.
  const int value_counts[attr_count] = {
      k_transaction_count,
      k_property_type_count,
      k_bhk_count,
      k_furnishing_count,
      k_posted_by_count,
      k_facing_count,
      k_tenant_preference_count,
      static_cast<int>(std::max<std::size_t>(1, price_buckets.size())),
      flag_count,
      k_max_amenities};
  std::vector<std::uint32_t> lists[attr_count][k_max_amenities];
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
    }
    p.cell_start.push_back(static_cast<std::uint32_t>(cells.size()));
    for (auto [map, out] : {std::pair{&by_locality, &p.localities}, {&by_project, &p.projects}}) {
      for (auto& [key, list] : *map) out->emplace_back(key, make_postings(list, p));
      std::sort(out->begin(), out->end(),
                [](const auto& a, const auto& b) { return a.first < b.first; });
    }
  }

  // 5. Lookup by listing id.
  s.rows_by_id.resize(order.size());
  for (std::size_t i = 0; i < order.size(); ++i) s.rows_by_id[i] = row_of[i];
  std::sort(s.rows_by_id.begin(), s.rows_by_id.end(),
            [&](std::uint32_t a, std::uint32_t b) { return s.id[a] < s.id[b]; });
  order = {};

  // 6. Text: the added documents are tokenized in row order, so each new term's postings come
  // out sorted; the base's postings only need their rows renumbered. The two are then merged
  // term by term.
  std::unordered_map<std::string, std::uint32_t> new_ids;
  std::vector<std::string> new_terms;
  std::vector<std::vector<std::uint8_t>> new_bytes;
  std::vector<PostingWriter> new_writers;  // their `out` is re-pointed: new_bytes grows
  {
    std::vector<const Document*> doc_at_row(rows, nullptr);
    for (const Document* d : added) {
      // Added documents' rows: find by id (they are all present exactly once).
      const std::int64_t r = s.find(d->id);
      doc_at_row[static_cast<std::uint32_t>(r)] = d;
    }
    std::vector<std::pair<std::string, int>> terms;
    for (std::uint32_t r = 0; r < rows; ++r) {
      const Document* d = doc_at_row[r];
      if (!d) continue;
      analyze(*d, terms);
      for (auto& [term, weight] : terms) {
        auto [it, inserted] =
            new_ids.try_emplace(term, static_cast<std::uint32_t>(new_terms.size()));
        if (inserted) {
          new_terms.push_back(term);
          new_bytes.emplace_back();
          new_writers.push_back(PostingWriter{nullptr});
        }
        new_writers[it->second].out = &new_bytes[it->second];
        new_writers[it->second].add(r, static_cast<std::uint8_t>(weight));
      }
    }
  }
  std::vector<std::uint32_t> new_order(new_terms.size());
  std::iota(new_order.begin(), new_order.end(), 0u);
  std::sort(new_order.begin(), new_order.end(),
            [&](std::uint32_t a, std::uint32_t b) { return new_terms[a] < new_terms[b]; });

  TextIndex& t = s.text;
  t.term_start.push_back(0);
  t.posting_start.push_back(0);
  std::vector<std::pair<std::uint32_t, std::uint8_t>> from_old, from_new;
  auto decode_new = [&](std::uint32_t id) {
    const auto& bytes = new_bytes[id];
    decode_postings(bytes.data(), bytes.data() + bytes.size(),
                    [&](std::uint32_t r, std::uint8_t w) { from_new.emplace_back(r, w); });
  };
  const std::size_t base_terms = base ? base->text.size() : 0;
  std::size_t bi = 0, ni = 0;
  while (bi < base_terms || ni < new_order.size()) {
    from_old.clear();
    from_new.clear();
    std::string_view term;
    const bool take_base = bi < base_terms && (ni >= new_order.size() ||
                                               base->text.term(bi) <= new_terms[new_order[ni]]);
    const bool take_new = ni < new_order.size() &&
                          (bi >= base_terms || new_terms[new_order[ni]] <= base->text.term(bi));
    if (take_base) {
      term = base->text.term(bi);
      base->text.for_each_posting(bi, [&](std::uint32_t r, std::uint8_t w) {
        if (base_to_new[r] != k_none) from_old.emplace_back(base_to_new[r], w);
      });
      ++bi;
    }
    if (take_new) {
      term = new_terms[new_order[ni]];
      decode_new(new_order[ni]);
      ++ni;
    }
    if (from_old.empty() && from_new.empty()) continue;
    PostingWriter w{&t.postings};
    std::size_t i = 0, j = 0;
    while (i < from_old.size() || j < from_new.size()) {
      if (j >= from_new.size() || (i < from_old.size() && from_old[i].first < from_new[j].first)) {
        w.add(from_old[i].first, from_old[i].second);
        ++i;
      } else {
        w.add(from_new[j].first, from_new[j].second);
        ++j;
      }
    }
    t.terms.append(term);
    t.term_start.push_back(static_cast<std::uint32_t>(t.terms.size()));
    t.doc_freq.push_back(w.count);
    t.posting_start.push_back(t.postings.size());
  }
  t.terms.shrink_to_fit();
  t.postings.shrink_to_fit();
  return seg;
}

std::int64_t Segment::find(std::int64_t listing_id) const {
  const auto it = std::lower_bound(rows_by_id.begin(), rows_by_id.end(), listing_id,
                                   [&](std::uint32_t row, std::int64_t v) { return id[row] < v; });
  if (it == rows_by_id.end() || id[*it] != listing_id) return -1;
  return *it;
}

Document Segment::document(std::uint32_t r) const {
  Document d;
  const auto p =
      std::upper_bound(partitions.begin(), partitions.end(), r,
                       [](std::uint32_t row, const Partition& q) { return row < q.begin; });
  d.city_id = std::prev(p)->city_id;
  d.id = id[r];
  d.locality_id = locality[r];
  d.project_id = project[r];
  d.transaction = static_cast<Transaction>(enums[attr_transaction][r]);
  d.property_type = static_cast<PropertyType>(enums[attr_property_type][r]);
  d.bhk = enums[attr_bhk][r];
  d.bathrooms = bathrooms[r];
  d.price = price[r];
  d.area_sqft = area[r];
  d.price_per_sqft = ppsf[r];
  d.furnishing = static_cast<Furnishing>(enums[attr_furnishing][r]);
  d.ready_to_move = (flags[r] >> flag_ready) & 1;
  d.possession_days = possession[r];
  d.posted_by = static_cast<PostedBy>(enums[attr_posted_by][r]);
  d.amenities = amenities[r];
  d.verified = (flags[r] >> flag_verified) & 1;
  d.has_photos = (flags[r] >> flag_has_photos) & 1;
  d.facing = static_cast<Facing>(enums[attr_facing][r]);
  d.floor = floor[r];
  d.total_floors = total_floors[r];
  d.tenant_preference = static_cast<TenantPreference>(enums[attr_tenant][r]);
  d.pets_allowed = (flags[r] >> flag_pets) & 1;
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
                  bytes_of(project) + bytes_of(possession) + bytes_of(amenities) + bytes_of(lat) +
                  bytes_of(lng) + bytes_of(floor) + bytes_of(total_floors) + bytes_of(bathrooms) +
                  bytes_of(flags) + bytes_of(rows_by_id) + bytes_of(partitions);
  for (const auto& e : enums) n += bytes_of(e);
  for (const Partition& p : partitions) {
    for (const auto& a : p.attrs) {
      for (const auto& q : a) n += bytes_of(q);
    }
    for (const auto& [k, q] : p.localities) n += bytes_of(q) + sizeof(k);
    for (const auto& [k, q] : p.projects) n += bytes_of(q) + sizeof(k);
    n += bytes_of(p.cell_keys) + bytes_of(p.cell_start) + bytes_of(p.geo_rows);
  }
  n += text.terms.capacity() + bytes_of(text.term_start) + bytes_of(text.doc_freq) +
       bytes_of(text.postings) + bytes_of(text.posting_start);
  return n;
}

}  // namespace griha::search::detail
