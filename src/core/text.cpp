#include "core/text.hpp"

#include <boost/url/pct_string_view.hpp>

namespace griha {
namespace {

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

}  // namespace

std::string_view trim(std::string_view s, std::string_view chars) {
  const auto first = s.find_first_not_of(chars);
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(chars);
  return s.substr(first, last - first + 1);
}

std::string form_decode(std::string_view s) {
  // Boost.URL decodes strict percent-encoding only, so the two form conventions are made
  // strict first: '+' becomes %20 and a stray '%' becomes %25.
  std::string strict;
  strict.reserve(s.size() + 8);
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+')
      strict += "%20";
    else if (s[i] == '%' && !(i + 2 < s.size() && is_hex(s[i + 1]) && is_hex(s[i + 2])))
      strict += "%25";
    else
      strict += s[i];
  }
  auto pct = boost::urls::make_pct_string_view(strict);
  // Cannot fail after the rewrite above; an empty answer is the safe reading if it did.
  return pct ? pct->decode() : std::string();
}

std::vector<std::pair<std::string, std::string>> parse_form(std::string_view query) {
  // Split by hand: Boost.URL 1.81's parse_query reads past the end of a view that is not
  // NUL-terminated and misjudges the decoded size of an escaped last value.
  std::vector<std::pair<std::string, std::string>> out;
  std::string_view rest = query;
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    out.emplace_back(form_decode(pair.substr(0, eq)), eq == std::string_view::npos
                                                          ? std::string()
                                                          : form_decode(pair.substr(eq + 1)));
  }
  return out;
}

}  // namespace griha
