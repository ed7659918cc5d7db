// The index's storage: an immutable segment of listings, laid out for scanning. Internal to
// search/; Index combines a large base segment with a small delta of recent writes.
//
// Rows are grouped by city (a partition per city, starting on a 64-row boundary so that its
// bitsets are whole words) and ordered newest first within a city, so "newest" is row order.
// Each filterable value has a posting per partition: a dense bitset when common, a sorted row
// list when rare, so memory stays bounded whatever the number of localities or projects.
#pragma once

#include <algorithm>
#include <bit>
#include <climits>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "search/document.hpp"

namespace griha::search::detail {

using Word = std::uint64_t;

inline bool test_bit(const Word* w, std::uint32_t row) {
  return (w[row >> 6] >> (row & 63)) & 1;
}
inline void set_bit(Word* w, std::uint32_t row) {
  w[row >> 6] |= Word{1} << (row & 63);
}

// Rows of one partition holding a value.
struct Postings {
  std::vector<Word> bits;           // dense: bit i is row (partition begin + i)
  std::vector<std::uint32_t> rows;  // sparse: global rows, ascending
  std::uint32_t count = 0;
  bool dense() const { return !bits.empty(); }
};

// Flags kept as one byte per row and as postings.
enum FlagBit : std::uint8_t {
  flag_verified,
  flag_has_photos,
  flag_pets,
  flag_rera,
  flag_featured,
  flag_ready,
  flag_count
};

// Attributes with a small fixed set of values, posted per partition.
enum Attr : std::uint8_t {
  attr_transaction,
  attr_property_type,
  attr_bhk,
  attr_furnishing,
  attr_posted_by,
  attr_facing,
  attr_tenant,
  attr_price_band,
  attr_flag,
  attr_amenity,
  attr_count
};

// Absent values in the columns. An enum's absent value is its value count: posted like any
// other value, never chosen by a filter, never reported by a facet. An area or price per sq ft
// of 0 is absent.
inline constexpr std::uint8_t k_no_bhk = k_bhk_count;
inline constexpr std::int16_t k_no_floor = INT16_MIN;
inline constexpr std::uint8_t k_no_bathrooms = 0xff;
inline constexpr std::int32_t k_no_possession = INT32_MAX;
// How many values attribute `a` posts: the enum's values and its absent value.
int attr_values(int a, std::size_t price_buckets);

struct Partition {
  std::uint32_t city_id = 0;
  std::uint32_t begin = 0;  // first row, a multiple of 64
  std::uint32_t end = 0;    // one past the last real row
  std::uint32_t word_begin() const { return begin / 64; }
  std::uint32_t word_end() const { return (end + 63) / 64; }
  float min_lat = 90, max_lat = -90, min_lng = 180, max_lng = -180;
  std::vector<Postings> attrs[attr_count];
  // The rows by price (then row), cut into about 32 bands at this city's price quantiles. A
  // price range is a run of price_order: the bands wholly inside it come from their postings,
  // and the two part-bands at its ends straight from price_order, reading no prices.
  std::vector<std::uint32_t> price_order;
  std::vector<std::uint32_t> fine_price_start;  // band i: price_order[start[i], start[i+1])
  std::vector<Postings> fine_price_bands;
  // Sorted by id. Segment::locality_slot indexes this, when `slots` is true.
  std::vector<std::pair<std::uint32_t, Postings>> localities;
  bool slots = true;
  std::vector<std::pair<std::uint32_t, Postings>> projects;
  // A grid over the map: rows grouped by cell, so a radius, box or polygon visits only the
  // cells it covers instead of the whole city.
  std::vector<std::uint64_t> cell_keys;   // ascending, see geo_cell
  std::vector<std::uint32_t> cell_start;  // cell i's rows: geo_rows[cell_start[i], [i+1])
  std::vector<std::uint32_t> geo_rows;
  // The rows' coordinates again, in cell order: a shape test reads them sequentially instead
  // of missing the cache on every row of the row-ordered columns.
  std::vector<float> geo_lat, geo_lng;
};

// About 1 km: small enough that a 1 km radius touches a few cells, large enough that a city
// has a few thousand.
inline constexpr double k_geo_cell_deg = 0.01;
inline std::uint32_t geo_cell_lat(double lat) {
  return static_cast<std::uint32_t>(std::max(0.0, (lat + 90.0) / k_geo_cell_deg));
}
inline std::uint32_t geo_cell_lng(double lng) {
  return static_cast<std::uint32_t>(std::max(0.0, (lng + 180.0) / k_geo_cell_deg));
}
inline std::uint64_t geo_cell(std::uint32_t cell_lat, std::uint32_t cell_lng) {
  return (std::uint64_t{cell_lat} << 32) | cell_lng;
}

// A term's sparse postings in one partition: per listing holding it, varint(row gap) then one
// weight byte. The first gap counts from the partition's first row.
template <class F>
void decode_postings(const std::uint8_t* p, const std::uint8_t* e, std::uint32_t row, F&& f) {
  bool first = true;
  while (p < e) {
    std::uint32_t gap = 0;
    int shift = 0;
    while (*p & 0x80) {
      gap |= std::uint32_t{*p++ & 0x7fu} << shift;
      shift += 7;
    }
    gap |= std::uint32_t{*p++} << shift;
    row = first ? row + gap : row + gap + 1;
    first = false;
    f(row, *p++);
  }
}

// A term's postings in one partition. Text postings are split by city because every portal
// search names one: a query then decodes only that city's share of a common word. A word held
// by many of a city's listings is a bitset (one bit per row of the partition) plus its
// weights in row order, so that matching is word-wide ANDs and weights are found by rank.
struct TextBlock {
  static constexpr std::uint64_t k_sparse = ~std::uint64_t{0};
  std::uint32_t partition = 0;  // index in Segment::partitions
  std::uint32_t count = 0;
  std::uint64_t bits = k_sparse;  // dense: offset of the bitset in TextIndex::dense_bits
  std::uint64_t bytes = 0;        // offset in TextIndex::bytes: postings, or dense weights
  std::uint64_t bytes_end = 0;
  bool dense() const { return bits != k_sparse; }
};

struct TextIndex {
  std::string terms;                      // all terms, concatenated in sorted order
  std::vector<std::uint32_t> term_start;  // term i is terms[term_start[i], term_start[i+1])
  std::vector<std::uint32_t> doc_freq;
  std::vector<std::uint32_t> block_start;  // term i's blocks: blocks[block_start[i], [i+1])
  std::vector<TextBlock> blocks;           // per term, ascending partition
  std::vector<Word> dense_bits;
  std::vector<std::uint8_t> bytes;
  // Typo lookup (a deletion neighbourhood, as in SymSpell): hash of each term long enough to
  // take a typo, and of each of its one-byte deletions, with the term. Two words one edit
  // apart share one of these keys, so a lookup touches a few candidates instead of every term.
  std::vector<std::pair<std::uint64_t, std::uint32_t>> deletions;  // sorted

  std::size_t size() const { return doc_freq.size(); }
  std::string_view term(std::size_t i) const {
    return std::string_view(terms).substr(term_start[i], term_start[i + 1] - term_start[i]);
  }
  std::span<const TextBlock> blocks_of(std::size_t i) const {
    return {blocks.data() + block_start[i], blocks.data() + block_start[i + 1]};
  }
  const TextBlock* block(std::size_t i, std::uint32_t partition) const {
    const auto bs = blocks_of(i);
    const auto it =
        std::lower_bound(bs.begin(), bs.end(), partition,
                         [](const TextBlock& b, std::uint32_t p) { return b.partition < p; });
    return it != bs.end() && it->partition == partition ? &*it : nullptr;
  }
  // Calls f(row, weight) for each listing of the block, rows ascending.
  template <class F>
  void for_each_posting(const TextBlock& b, std::uint32_t partition_begin, F&& f) const {
    if (!b.dense()) {
      decode_postings(bytes.data() + b.bytes, bytes.data() + b.bytes_end, partition_begin, f);
      return;
    }
    const Word* w = dense_bits.data() + b.bits;
    const std::uint8_t* weight = bytes.data() + b.bytes;
    std::uint32_t seen = 0;
    for (std::uint32_t i = 0; seen < b.count; ++i) {
      for (Word m = w[i]; m; m &= m - 1) {
        f(partition_begin + i * 64 + static_cast<std::uint32_t>(std::countr_zero(m)),
          weight[seen++]);
      }
    }
  }
};

// The typo lookup's key for the string a followed by b.
std::uint64_t text_key_hash(std::string_view a, std::string_view b = {});

// Field weights for text relevance: a word in the title says more than one in the description.
inline constexpr int k_weight_title = 3;
inline constexpr int k_weight_place = 2;
inline constexpr int k_weight_description = 1;

// Strings of every row, end to end: one allocation for a column instead of one per row.
struct StringColumn {
  std::string bytes;
  std::vector<std::uint32_t> start;  // row r is bytes[start[r], start[r + 1])
  std::string_view at(std::uint32_t r) const {
    return std::string_view(bytes).substr(start[r], start[r + 1] - start[r]);
  }
};

class Segment {
 public:
  // A new segment holding `base`'s rows that are not in `dead` (may be null) plus `added`.
  // With no base this is a fresh build. Surviving rows keep their relative order, which lets
  // the text postings be remapped instead of re-tokenized.
  static std::shared_ptr<const Segment> merge(const Segment* base, const std::vector<Word>* dead,
                                              std::span<const Document* const> added,
                                              std::span<const std::int64_t> price_buckets);

  std::uint32_t rows() const { return static_cast<std::uint32_t>(id.size()); }
  std::uint32_t words() const { return static_cast<std::uint32_t>(valid.size()); }
  std::size_t live_count() const { return live_; }
  std::size_t memory_bytes() const;
  // Row of a listing, or -1.
  std::int64_t find(std::int64_t listing_id) const;
  // The full document minus its text, as indexed.
  Document document(std::uint32_t row) const;
  std::uint32_t city_of(std::uint32_t row) const;

  std::vector<Partition> partitions;  // ascending city_id
  std::vector<Word> valid;            // real rows (not partition padding)

  // Columns, one entry per row.
  std::vector<std::int64_t> id;
  std::vector<std::int64_t> price;
  std::vector<std::int64_t> posted_at;
  std::vector<std::uint32_t> area;
  std::vector<std::uint32_t> ppsf;
  std::vector<std::uint32_t> locality;
  // The row's locality as its index in its partition's `localities`: lets a facet over a few
  // rows count into a flat array instead of testing every locality's postings.
  std::vector<std::uint16_t> locality_slot;
  std::vector<std::uint32_t> project;
  std::vector<std::int32_t> possession;
  std::vector<std::uint64_t> amenities;
  std::vector<float> lat, lng;
  std::vector<std::int16_t> floor, total_floors;
  std::vector<std::uint8_t> bathrooms;
  std::vector<std::uint8_t> enums[attr_price_band];  // transaction .. tenant, one byte each
  std::vector<std::uint8_t> flags;                   // FlagBit bits
  // The result card's, beyond the columns above.
  std::vector<std::uint16_t> photo_count;
  StringColumn title, cover_key;

  std::vector<std::uint32_t> rows_by_id;  // valid rows, ascending listing id
  TextIndex text;

  // Where a row of a new segment comes from.
  struct MergeSource {
    std::uint32_t city;
    std::int64_t posted_at;
    std::int64_t id;
    const Document* doc;  // null: base row `base_row`
    std::uint32_t base_row;
  };

 private:
  static void build_columns(Segment& s, const Segment* base, const std::vector<MergeSource>& order,
                            const std::vector<std::uint32_t>& row_of, std::uint32_t rows,
                            std::span<const std::int64_t> price_buckets);
  std::size_t live_ = 0;
};

// Index of the price band holding `price`: the last bucket whose lower edge is <= price.
std::uint8_t price_band(std::span<const std::int64_t> buckets, std::int64_t price);

}  // namespace griha::search::detail
