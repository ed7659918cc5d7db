// How search reads text: the tokenizer shared by indexing and querying, and the one-edit test
// behind typo tolerance.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace griha::search {

// Lower-cased ASCII letters and digits; bytes of multi-byte UTF-8 (Devanagari etc.) are word
// characters kept as they are. Common English stop words are dropped.
std::vector<std::string> tokenize(std::string_view text);
// The same tokens without allocating one string each: f(token) gets a view into `buf`, valid
// until the next call. Indexing a million listings spends most of its time here.
template <class F>
void for_each_token(std::string_view text, std::string& buf, F&& f);

// Typos are forgiven only in words at least this long: shorter ones have too many neighbours.
inline constexpr std::size_t k_typo_min_length = 5;

// True when b is a, or one edit away from it: an insertion, a deletion, a substitution, or a
// swap of two neighbouring characters (Damerau: "htane" is one typo from "thane").
bool within_one_edit(std::string_view a, std::string_view b);

// The text index's single term for a RERA registration number: the number trimmed and
// upper-cased behind a byte no word can hold, so that only a query equal to the whole number
// (case aside) finds it, never a word, a prefix or a typo.
std::string rera_term(std::string_view number);
inline bool is_rera_term(std::string_view term) {
  return !term.empty() && term.front() == '\x01';
}

namespace detail {
bool is_stop_word(std::string_view word);
inline bool word_char(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}
}  // namespace detail

template <class F>
void for_each_token(std::string_view text, std::string& buf, F&& f) {
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && !detail::word_char(static_cast<unsigned char>(text[i]))) ++i;
    buf.clear();
    while (i < text.size() && detail::word_char(static_cast<unsigned char>(text[i]))) {
      const unsigned char c = static_cast<unsigned char>(text[i++]);
      buf.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : static_cast<char>(c));
    }
    if (!buf.empty() && !detail::is_stop_word(buf)) f(std::string_view(buf));
  }
}

}  // namespace griha::search
