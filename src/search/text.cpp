#include "search/text.hpp"

#include <algorithm>
#include <array>

namespace griha::search {

namespace detail {
bool is_stop_word(std::string_view word) {
  static constexpr std::array<std::string_view, 14> k_stop_words{
      "a", "an", "and", "at", "for", "in", "is", "of", "on", "or", "the", "to", "with", "by"};
  if (word.size() > 4) return false;
  return std::find(k_stop_words.begin(), k_stop_words.end(), word) != k_stop_words.end();
}
}  // namespace detail

std::vector<std::string> tokenize(std::string_view text) {
  std::vector<std::string> out;
  std::string buf;
  for_each_token(text, buf, [&](std::string_view t) { out.emplace_back(t); });
  return out;
}

bool within_one_edit(std::string_view a, std::string_view b) {
  if (a.size() > b.size()) std::swap(a, b);
  if (b.size() - a.size() > 1) return false;
  std::size_t i = 0;
  while (i < a.size() && a[i] == b[i]) ++i;
  if (i == a.size()) return true;
  if (a.size() == b.size()) {
    if (a.substr(i + 1) == b.substr(i + 1)) return true;
    return i + 1 < a.size() && a[i] == b[i + 1] && a[i + 1] == b[i] &&
           a.substr(i + 2) == b.substr(i + 2);
  }
  return a.substr(i) == b.substr(i + 1);
}

}  // namespace griha::search

namespace griha::search {

std::string rera_term(std::string_view number) {
  const auto first = number.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  number = number.substr(first, number.find_last_not_of(" \t\r\n") - first + 1);
  std::string out(1, '\x01');
  for (unsigned char c : number)
    out.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : static_cast<char>(c));
  return out;
}

}  // namespace griha::search
