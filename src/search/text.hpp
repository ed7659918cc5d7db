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

// Typos are forgiven only in words at least this long: shorter ones have too many neighbours.
inline constexpr std::size_t k_typo_min_length = 5;

// True when b is a, or one insertion, deletion or substitution away from it.
bool within_one_edit(std::string_view a, std::string_view b);

}  // namespace griha::search
