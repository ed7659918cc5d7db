// Free text: which terms of a segment each query word matches (exact, prefix, one typo, the
// RERA number), the rows holding every word, and their relevance.
#include <algorithm>
#include <cmath>

#include "search/run.hpp"
#include "search/text.hpp"

namespace griha::search::detail {
namespace {

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

}  // namespace

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
  if (!run.rera.empty()) {
    const std::size_t at = term_lower_bound(t, run.rera);
    if (at < t.size() && t.term(at) == run.rera) {
      // As rare as a word gets: one listing in all.
      plan.rera = Variant{at, std::log(1.0 + (run.total_docs + 0.5) / 1.5)};
    }
  }
  return plan;
}

// The rows of partition `pi` holding every token (any of its variants), into sc.text.
// Returns false when there are none.
GRIHA_KERNEL bool text_partition(const TextPlan& plan, const Segment& s, std::uint32_t pi,
                                 const Partition& p, Scratch& sc) {
  const std::uint32_t wb = p.word_begin(), we = p.word_end(), n = we - wb;
  Word* text = sc.text.data();
  Word* token = sc.token.data();
  auto or_block = [&](Word* dst, const detail::TextBlock& b) {
    if (b.dense()) {
      or_into(dst + wb, s.text.dense_bits.data() + b.bits, n);
    } else {
      s.text.for_each_posting(b, p.begin,
                              [&](std::uint32_t r, std::uint8_t) { detail::set_bit(dst, r); });
    }
  };
  bool words = true;
  std::fill(text + wb, text + we, ~Word{0});
  for (const auto& vs : plan.variants) {
    std::fill(token + wb, token + we, 0);
    bool any = false;
    for (const Variant& v : vs) {
      const detail::TextBlock* b = s.text.block(v.term, pi);
      if (!b) continue;
      any = true;
      or_block(token, *b);
    }
    if (!any) {
      words = false;
      break;
    }
    and_into(text + wb, token + wb, n);
  }
  const detail::TextBlock* rera = plan.rera ? s.text.block(plan.rera->term, pi) : nullptr;
  if (!words) {
    if (!rera) return false;
    std::fill(text + wb, text + we, 0);
  }
  if (rera) or_block(text, *rera);
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
  if (plan.rera) {
    if (const detail::TextBlock* b = s.text.block(plan.rera->term, pi)) {
      s.text.for_each_posting(*b, p.begin, [&](std::uint32_t r, std::uint8_t) {
        if (detail::test_bit(match, r)) sc.score[r] += static_cast<float>(plan.rera->weight);
      });
    }
  }
}

}  // namespace griha::search::detail
